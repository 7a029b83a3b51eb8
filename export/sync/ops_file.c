/* ops_file.c — the names and lines of ops/ files, read with the store's op parser: what sync
 * takes in and what verify compares are read by this one code. */
#include "export/sync/ops_file.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export/sync/sync.h"

int ops_file_name(const char *name, int64_t *first, int64_t *last)
{
	char tail[sizeof(".jsonl") + 1]; /* %7s: a longer tail reads 7 and does not match */
	long long a, b;

	if (strlen(name) != 31 || sscanf(name, "%12lld-%12lld%7s", &a, &b, tail) != 3 ||
	    strcmp(tail, ".jsonl") != 0 || a < 1 || b < a)
		return -1;
	*first = a;
	*last = b;
	return 0;
}

void ops_set_aside_name(const char *name, const char *oid_hex, char *out, size_t len)
{
	snprintf(out, len, "%s" OPS_SET_ASIDE "%.40s", name, oid_hex);
}

int ops_set_aside_of(const char *name, char *out, size_t len)
{
	const char *mark = strstr(name, OPS_SET_ASIDE);
	size_t n = mark ? (size_t)(mark - name) : 0;

	if (!mark || n == 0 || n >= len || strlen(mark + strlen(OPS_SET_ASIDE)) != 40 ||
	    strspn(mark + strlen(OPS_SET_ASIDE), "0123456789abcdef") != 40)
		return -1;
	memcpy(out, name, n);
	out[n] = '\0';
	return 0;
}

int ops_replica_name_ok(const char *name)
{
	if (strlen(name) != CF_ID_LEN)
		return 0;
	for (const char *p = name; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z')))
			return 0;
	return 1;
}

/* Line N (from 1) of a file, TEXT of LEN bytes without its newline, into OP: the store's
 * parser, then the place the file's name gives it (REPLICA, RSEQ).  0, or -1 with WHY. */
static int parse_line(const char *replica, int64_t rseq, const char *text, size_t len,
		      struct cf_op *op, char *why, size_t wlen)
{
	struct cf_err err;

	if (cf_op_parse(text, len, op, &err) < 0) {
		cf_strlcpy(why, err.msg, wlen);
		return -1;
	}
	if (strcmp(op->replica, replica) != 0 || op->rseq != rseq) {
		snprintf(why, wlen, "operation %s is not #%" PRId64 " of replica %s", op->id, rseq,
			 replica);
		cf_op_release(op);
		return -1;
	}
	return 0;
}

int ops_file_each(const char *replica, int64_t first, int64_t last, const char *text,
		  size_t len, ops_line_cb cb, void *ctx)
{
	size_t want = (size_t)(last - first + 1), start = 0;
	int64_t n = 0;
	char why[CF_MSG_LEN];
	int rc = 0;

	if (want > 10 * (size_t)SYNC_OPS_PER_FILE)
		return cb(ctx, 0, 0, NULL, 0, NULL, "the range in its name is too large");
	for (size_t i = 0; i <= len && rc == 0; i++) {
		struct cf_op op;
		int64_t rseq = first + n;

		if (i < len && text[i] != '\n')
			continue;
		if (i == len && start == len)
			break;
		n++;
		if (i == len)
			rc = cb(ctx, n, rseq, text + start, i - start, NULL,
				"the file does not end with a newline");
		else if ((size_t)n > want)
			rc = cb(ctx, n, rseq, text + start, i - start, NULL,
				"more operations than the file's name says");
		else if (parse_line(replica, rseq, text + start, i - start, &op, why,
				    sizeof(why)) < 0)
			rc = cb(ctx, n, rseq, text + start, i - start, NULL, why);
		else {
			rc = cb(ctx, n, rseq, text + start, i - start, &op, NULL);
			cf_op_release(&op);
		}
		start = i + 1;
	}
	return rc;
}
