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
	char tail[8];
	long long a, b;

	if (strlen(name) != 31 || sscanf(name, "%12lld-%12lld%7s", &a, &b, tail) != 3 ||
	    strcmp(tail, ".jsonl") != 0 || a < 1 || b < a)
		return -1;
	*first = a;
	*last = b;
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

/* Line N (from 1) of PATH, TEXT of LEN bytes without its newline, into OP: the store's parser,
 * then the place the file's name gives it. */
static int parse_line(const char *path, const char *replica, int64_t rseq, size_t n,
		      const char *text, size_t len, struct cf_op *op, struct cf_err *err)
{
	if (cf_op_parse(text, len, op, err) < 0)
		return cf_error_prefix(err, CF_ETAMPER, "%s:%zu", path, n);
	if (strcmp(op->replica, replica) != 0 || op->rseq != rseq)
		return cf_error(err, CF_ETAMPER, "%s:%zu: operation %s is not #%" PRId64
				" of replica %s", path, n, op->id, rseq, replica);
	return 0;
}

int ops_file_parse(const char *path, const char *replica, int64_t first, int64_t last,
		   const char *text, size_t len, struct cf_op **out, size_t *nout,
		   struct cf_err *err)
{
	size_t want = (size_t)(last - first + 1), n = 0, start = 0;
	struct cf_op *ops;
	int rc = 0;

	*out = NULL;
	*nout = 0;
	if (len == 0 || text[len - 1] != '\n')
		return cf_error(err, CF_ETAMPER, "%s: does not end with a newline", path);
	if (want > 10 * (size_t)SYNC_OPS_PER_FILE || !(ops = xcalloc(want, sizeof(*ops))))
		return cf_error(err, CF_ETAMPER, "%s: the range in its name is too large", path);
	for (size_t i = 0; i < len && rc == 0; i++) {
		if (text[i] != '\n')
			continue;
		if (n == want) {
			rc = cf_error(err, CF_ETAMPER, "%s:%zu: more operations than its name says",
				      path, n + 1);
			break;
		}
		rc = parse_line(path, replica, first + (int64_t)n, n + 1, text + start, i - start,
				&ops[n], err);
		if (rc == 0 || ops[n].id[0])
			n++; /* a misplaced operation is still returned (and released) */
		start = i + 1;
	}
	if (rc == 0 && n != want)
		rc = cf_error(err, CF_ETAMPER, "%s: %zu operations, its name says %zu", path, n,
			      want);
	*out = ops;
	*nout = n;
	return rc;
}

void ops_file_free(struct cf_op *ops, size_t n)
{
	for (size_t i = 0; i < n; i++)
		cf_op_release(&ops[i]);
	free(ops);
}
