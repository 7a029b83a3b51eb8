/* optext.c — operations as the lines of the ops/ files sync writes to git, and read back from
 * them: the canonical JSON plus its hash, refused unless byte for byte what we would write. */
#include "store/identity.h"
#include "store/internal.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *cf_op_line(const struct cf_op *op)
{
	return op_json(op, 1);
}

/* A string member into a fixed buffer; 0, or -1 when absent, not a string or too long. */
static int get_fixed(json_t *o, const char *key, char *dst, size_t len)
{
	const char *v = json_string_value(json_object_get(o, key));
	if (!v || strlen(v) >= len)
		return -1;
	memcpy(dst, v, strlen(v) + 1);
	return 0;
}

/* A string-or-null member, copied; 0, or -1 when absent or of another type. */
static int get_opt(json_t *o, const char *key, char **dst)
{
	json_t *v = json_object_get(o, key);
	if (!v || (!json_is_null(v) && !json_is_string(v)))
		return -1;
	*dst = json_is_string(v) ? xstrdup(json_string_value(v)) : NULL;
	return 0;
}

static int fill(json_t *o, struct cf_op *op)
{
	const struct cf_kind_info *ki;
	char kind[32];
	json_t *lamport = json_object_get(o, "lamport"), *rseq = json_object_get(o, "rseq");

	if (get_fixed(o, "id", op->id, sizeof(op->id)) < 0 ||
	    get_fixed(o, "replica", op->replica, sizeof(op->replica)) < 0 ||
	    get_fixed(o, "record", op->record, sizeof(op->record)) < 0 ||
	    get_fixed(o, "at", op->at, sizeof(op->at)) < 0 ||
	    get_fixed(o, "prev", op->prev, sizeof(op->prev)) < 0 ||
	    get_fixed(o, "hash", op->hash, sizeof(op->hash)) < 0 ||
	    get_fixed(o, "kind", kind, sizeof(kind)) < 0 || !json_is_integer(lamport) ||
	    !json_is_integer(rseq) || get_opt(o, "field", &op->field) < 0 ||
	    get_opt(o, "old", &op->old_value) < 0 || get_opt(o, "new", &op->new_value) < 0 ||
	    get_opt(o, "author", &op->author) < 0 || !op->field)
		return -1;
	if (!(ki = cf_kind_by_name(kind)))
		return -1;
	op->kind = ki->kind;
	op->lamport = json_integer_value(lamport);
	op->rseq = json_integer_value(rseq);
	/* Signed: both members, or neither (an operation from before signing began). */
	if (json_object_get(o, "signer") || json_object_get(o, "sig"))
		return get_fixed(o, "signer", op->signer, sizeof(op->signer)) < 0 ||
		       get_fixed(o, "sig", op->sig, sizeof(op->sig)) < 0 ||
		       json_object_size(o) != 15 ? -1 : 0;
	return json_object_size(o) == 13 ? 0 : -1;
}

static int too_long(const char *v)
{
	return v && strlen(v) > CF_OP_VALUE_MAX;
}

/* "2019-06-05T12:00:00.000Z" (fraction optional), a real day of years 1970 to 9999. */
static int at_ok(const char *at)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y, mo, d, h, mi, sec, n = 0;
	const char *p;

	if (sscanf(at, "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &sec, &n) != 6 ||
	    n != 19 || at[4] != '-' || at[7] != '-' || at[13] != ':' || at[16] != ':')
		return 0;
	p = at + 19;
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9'; p++)
			;
	if (strcmp(p, "Z") != 0)
		return 0;
	if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || h < 0 || h > 23 ||
	    mi < 0 || mi > 59 || sec < 0 || sec > 60)
		return 0;
	return mo != 2 || d < 29 || (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0));
}

/* The numbers, time and sizes of a well-formed OP within their bounds; else why not. */
static int in_range(const struct cf_op *op, struct cf_err *err)
{
	if (op->lamport < 1 || op->lamport > CF_LAMPORT_MAX)
		return cf_error(err, CF_EINVAL, "operation %s: clock %lld out of range (1 to %lld)",
				op->id, (long long)op->lamport, (long long)CF_LAMPORT_MAX);
	if (op->rseq < 1 || op->rseq > CF_RSEQ_MAX)
		return cf_error(err, CF_EINVAL, "operation %s: sequence %lld out of range (1 to"
				" %lld)", op->id, (long long)op->rseq, (long long)CF_RSEQ_MAX);
	if (!at_ok(op->at))
		return cf_error(err, CF_EINVAL, "operation %s: time '%s' is not a UTC time"
				" (2019-06-05T12:00:00.000Z) from 1970 on", op->id, op->at);
	if (too_long(op->old_value) || too_long(op->new_value) || too_long(op->author) ||
	    strlen(op->field) > 64)
		return cf_error(err, CF_EINVAL, "operation %s: a value is longer than %u bytes",
				op->id, CF_OP_VALUE_MAX);
	return 0;
}

/* OP's hash, and its signature when signed, against one canonical text of it. */
static int check_seal(const struct cf_op *op, struct cf_err *err)
{
	char hash[CF_HASH_LEN + 1], *canon = cf_op_canonical(op);
	int rc = 0;

	if (!canon)
		return cf_error(err, CF_ERR, "out of memory");
	if (op_hash_text(canon, hash) < 0 || strcmp(hash, op->hash) != 0)
		rc = cf_error(err, CF_ETAMPER, "operation %s: its contents do not match its hash",
			      op->id);
	else if (op->signer[0] && !cf_sign_check(op->signer, op->sig, canon, strlen(canon)))
		rc = cf_error(err, CF_ETAMPER, "operation %s: its signature does not hold (signer"
			      " %.16s…)", op->id, op->signer);
	free(canon);
	return rc;
}

int cf_op_parse(const char *text, size_t len, struct cf_op *op, struct cf_err *err)
{
	json_error_t jerr;
	json_t *o = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
	char *again;
	int rc = 0;

	memset(op, 0, sizeof(*op));
	if (!json_is_object(o)) {
		json_decref(o);
		return cf_error(err, CF_EINVAL, "not a JSON object: %s", jerr.text);
	}
	if (fill(o, op) < 0)
		rc = cf_error(err, CF_EINVAL, "not an operation (a member is missing or wrong)");
	json_decref(o);
	if (rc == 0)
		rc = in_range(op, err);
	if (rc < 0) {
		cf_op_release(op);
		return rc;
	}
	rc = check_seal(op, err);
	/* Same fields but other bytes (spacing, escapes, key order) is a change too. */
	if (rc == 0 && !(again = cf_op_line(op)))
		rc = cf_error(err, CF_ERR, "out of memory");
	else if (rc == 0) {
		if (strlen(again) != len || memcmp(again, text, len) != 0)
			rc = cf_error(err, CF_ETAMPER,
				      "operation %s: not written in its canonical form", op->id);
		free(again);
	}
	if (rc < 0)
		cf_op_release(op);
	return rc;
}

int op_replica_tip(struct store *s, const char *replica, int64_t *rseq,
		   char hash[CF_HASH_LEN + 1], int64_t *lamport, struct cf_err *err)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT rseq, hash, lamport FROM op WHERE replica = ?1"
				      " ORDER BY rseq DESC LIMIT 1", err);
	int step;

	*rseq = 0;
	hash[0] = '\0';
	if (lamport)
		*lamport = 0;
	if (!st)
		return CF_EDB;
	sqlite3_bind_text(st, 1, replica, -1, SQLITE_STATIC);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		int rc = col_int(rseq, st, 0, 1, INT64_MAX - 1, err);
		if (rc == 0)
			rc = col_copy(hash, CF_HASH_LEN + 1, st, 1, err);
		if (rc == 0 && lamport)
			rc = col_int(lamport, st, 2, 0, INT64_MAX - 1, err);
		sqlite3_reset(st);
		return rc;
	}
	sqlite3_reset(st);
	return step == SQLITE_DONE ? 0 : store_db_error(s, err, "read operations");
}

int op_replica_head(struct store *s, const char *replica, int64_t *rseq,
		    char hash[CF_HASH_LEN + 1], struct cf_err *err)
{
	return op_replica_tip(s, replica, rseq, hash, NULL, err);
}

int op_list_replica(struct store *s, const char *replica, int64_t after, op_cb cb, void *ctx,
		    struct cf_err *err)
{
	sqlite3_stmt *st;
	int rc, stop = 0;

	if (sqlite3_prepare_v2(s->db, "SELECT " OP_COLS " FROM op WHERE replica = ?1 AND rseq > ?2"
			       " ORDER BY rseq", -1, &st, NULL) != SQLITE_OK)
		return store_db_error(s, err, "read operations");
	sqlite3_bind_text(st, 1, replica, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, after);
	rc = op_rows(s, st, cb, ctx, "read operations", &stop, err);
	return rc < 0 ? rc : stop;
}
