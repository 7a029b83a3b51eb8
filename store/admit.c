/* admit.c — whether an operation received from another replica may join the log: the checks
 * of store/receive.c, each a function of the operation and the log alone, so that every
 * replica holding the same operations decides the same. */
#include "store/internal.h"
#include "store/kinds.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int record_exists(struct store *s, enum cf_kind kind, const char *id)
{
	sqlite3_stmt *st = store_stmt(s, kind_sql(kind)->select_one, NULL);
	int found;

	if (!st)
		return 0;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	found = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	return found;
}

static int verdict(enum admit v, char *why, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int verdict(enum admit v, char *why, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, len, fmt, ap);
	va_end(ap);
	return (int)v;
}

/* 1 when SQL (parameters A and B) returns a row, 0 when not, a negative cf_rc on error. */
static int exists(struct store *s, const char *sql, const char *a, int64_t b, struct cf_err *err)
{
	sqlite3_stmt *st = store_stmt(s, sql, err);
	int step;

	if (!st)
		return CF_EDB;
	sqlite3_bind_text(st, 1, a, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, b);
	step = sqlite3_step(st);
	sqlite3_reset(st);
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		return store_db_error(s, err, "read operations");
	return step == SQLITE_ROW;
}

/* Against the replica's chain in the log: already there, next in line, or neither. */
static int check_chain(struct store *s, const struct cf_op *op, char *why, size_t len,
		       struct cf_err *err)
{
	char head_hash[CF_HASH_LEN + 1];
	int64_t head, head_lamport;
	int rc;

	if ((rc = op_replica_tip(s, op->replica, &head, head_hash, &head_lamport, err)) < 0)
		return rc;
	if (op->rseq <= head) {
		sqlite3_stmt *st = store_stmt(s, "SELECT hash FROM op WHERE replica = ?1"
					      " AND rseq = ?2", err);
		int same = 0;

		if (!st)
			return CF_EDB;
		sqlite3_bind_text(st, 1, op->replica, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, op->rseq);
		if (sqlite3_step(st) == SQLITE_ROW) {
			const unsigned char *h = sqlite3_column_text(st, 0);
			same = h && strcmp((const char *)h, op->hash) == 0;
		}
		sqlite3_reset(st);
		if (same)
			return ADMIT_KNOWN;
		return verdict(ADMIT_REFUSE, why, len, "differs from operation #%lld of replica"
			       " %s already received", (long long)op->rseq, op->replica);
	}
	if (op->rseq > head + 1)
		return verdict(ADMIT_WAIT, why, len, "waits for operation #%lld of replica %s",
			       (long long)(head + 1), op->replica);
	if (strcmp(op->prev, head_hash) != 0)
		return verdict(ADMIT_REFUSE, why, len, "does not link to operation #%lld of"
			       " replica %s", (long long)head, op->replica);
	if (op->lamport <= head_lamport)
		return verdict(ADMIT_REFUSE, why, len, "clock %lld does not advance past the"
			       " previous operation's (%lld)", (long long)op->lamport,
			       (long long)head_lamport);
	return ADMIT_NEW;
}

/* Against the records: the one it changes exists, the field is the kind's, the value valid. */
static int check_record(struct store *s, const struct cf_op *op, char *why, size_t len,
			struct cf_err *err)
{
	const struct cf_kind_info *ki = cf_kind_info(op->kind);
	int idx;
	int rc;

	if (!strcmp(op->field, "@create")) {
		if (op->kind != CF_CASE)
			return ADMIT_NEW;
		rc = exists(s, "SELECT 1 FROM case_info WHERE id <> ?1 AND ?2 = ?2", op->record, 0,
			    err);
		if (rc != 0)
			return rc < 0 ? rc : verdict(ADMIT_REFUSE, why, len, "creates another case"
						     " (%s): a case syncs only with its own"
						     " replicas", op->record);
		return ADMIT_NEW;
	}
	idx = !strcmp(op->field, "@delete") || !strcmp(op->field, "@restore")
		      ? -2 : cf_field_index(ki, op->field);
	if (idx == -1)
		return verdict(ADMIT_REFUSE, why, len, "a %s has no field '%s'", ki->title,
			       op->field);
	if (idx >= 0 && strcmp(op->field, "tz") != 0 && /* zones differ between machines */
	    cf_field_validate(&ki->fields[idx], op->new_value, err) < 0)
		return verdict(ADMIT_REFUSE, why, len, "%s", err->msg);
	if (!record_exists(s, op->kind, op->record))
		return verdict(ADMIT_WAIT, why, len, "waits for %s '%s', which does not exist",
			       ki->title, op->record);
	/* A real change is made after its record was created, so with a higher clock: the
	 * replay of the log in clock order (verify, as-of) finds the record before it. */
	if ((rc = exists(s, "SELECT 1 FROM op WHERE record = ?1 AND field = '@create'"
			 " AND lamport < ?2", op->record, op->lamport, err)) <= 0)
		return rc < 0 ? rc : verdict(ADMIT_REFUSE, why, len, "clock %lld is not after"
					     " the creation of %s '%s'", (long long)op->lamport,
					     ki->title, op->record);
	return ADMIT_NEW;
}

int op_admit(struct store *s, const struct cf_op *op, int64_t max_lamport, char *why,
	     size_t len, struct cf_err *err)
{
	int rc;

	why[0] = '\0';
	if (op->kind >= CF_KIND_COUNT || !op->field)
		return verdict(ADMIT_REFUSE, why, len, "unknown kind or no field");
	if ((rc = check_chain(s, op, why, len, err)) != ADMIT_NEW)
		return rc;
	if ((rc = exists(s, "SELECT 1 FROM op WHERE id = ?1 AND ?2 = ?2", op->id, 0, err)) != 0)
		return rc < 0 ? rc : verdict(ADMIT_REFUSE, why, len, "its id is another"
					     " operation's");
	/* Every real operation was made after one with the clock just below its own. */
	if (op->lamport > max_lamport + 1)
		return verdict(ADMIT_WAIT, why, len, "clock %lld is ahead of every operation"
			       " received (the highest is %lld)", (long long)op->lamport,
			       (long long)max_lamport);
	return check_record(s, op, why, len, err);
}

int op_case_origin(struct store *s, char replica[CF_ID_LEN + 1], struct cf_err *err)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT replica FROM op WHERE kind = 'case'"
				      " AND field = '@create' ORDER BY lamport, replica, id LIMIT 1",
				      err);
	int step, found = 0;

	replica[0] = '\0';
	if (!st)
		return CF_EDB;
	if ((step = sqlite3_step(st)) == SQLITE_ROW && sqlite3_column_text(st, 0)) {
		cf_strlcpy(replica, (const char *)sqlite3_column_text(st, 0), CF_ID_LEN + 1);
		found = 1;
	}
	sqlite3_reset(st);
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		return store_db_error(s, err, "read operations");
	return found;
}
