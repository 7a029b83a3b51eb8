/* rejudge.c — a membership change that arrives after changes with later clocks (a removal
 * made while the removed member worked offline, or a member's removal that the lead's own
 * replica had not yet heard of): the log from its clock on is judged again as a fresh replay
 * would judge it, and what that replay would not take is taken out of the case, with each
 * replica's later operations (they follow it in its chain) and the changes to a record whose
 * create goes.  The next read of the op files then sets them aside in the quarantine, by file
 * and line, as every other replica has: all replicas end with the same case. */
#include "store/internal.h"
#include "store/kinds.h"
#include "store/member.h"

#include <stdlib.h>
#include <string.h>

void retraction_free(struct retraction *r)
{
	for (size_t i = 0; i < r->n; i++)
		cf_op_release(&r->v[i]);
	free(r->v);
	memset(r, 0, sizeof(*r));
}

static int holds(const struct retraction *r, const struct cf_op *op)
{
	/* A replica's chain stops at its first operation taken out; a record goes with its
	 * create.  Few entries (only what a late removal refuses): a linear look suffices. */
	for (size_t i = 0; i < r->n; i++) {
		const struct cf_op *x = &r->v[i];
		if (strcmp(x->replica, op->replica) == 0 && x->rseq < op->rseq)
			return 1;
		if (strcmp(x->record, op->record) == 0 && strcmp(x->field, "@create") == 0)
			return 1;
	}
	return 0;
}

static void retraction_add(struct retraction *r, struct cf_op *op)
{
	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 16;
		r->v = xreallocarray(r->v, r->cap, sizeof(*r->v));
	}
	r->v[r->n++] = *op; /* takes over OP's strings */
	memset(op, 0, sizeof(*op));
}

int rejudge_walk(struct store *s, struct member_history *h, int64_t from,
		 struct retraction *out, struct cf_err *err)
{
	struct member_cursor judge;
	char why[CF_MSG_LEN / 2];
	sqlite3_stmt *st;
	int rc = 0, step;

	memset(out, 0, sizeof(*out));
	if (!(st = store_stmt(s, "SELECT " OP_COLS " FROM op WHERE lamport >= ?1"
			      " ORDER BY lamport, replica, rseq", err)))
		return CF_EDB;
	member_cursor_init(&judge, h);
	sqlite3_bind_int64(st, 1, from);
	while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
		struct cf_op op;
		if ((rc = op_from_row(&op, st, err)) < 0) {
			cf_op_release(&op);
			break;
		}
		if (holds(out, &op) || member_cursor_judge(&judge, &op, why, sizeof(why))) {
			if (op.kind == CF_MEMBER) { /* what it did to the members is undone too */
				member_history_drop(h, op.id);
				member_cursor_free(&judge);
				member_cursor_init(&judge, h);
			}
			retraction_add(out, &op);
		}
		cf_op_release(&op);
	}
	sqlite3_reset(st);
	member_cursor_free(&judge);
	if (rc == 0 && step != SQLITE_DONE)
		rc = store_db_error(s, err, "read operations");
	if (rc < 0)
		retraction_free(out);
	return rc;
}

static int exec_id(struct store *s, const char *sql, const char *id, struct cf_err *err)
{
	sqlite3_stmt *st = store_stmt(s, sql, err);
	int rc = 0;

	if (!st)
		return CF_EDB;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = store_db_error(s, err, "take an operation out");
	sqlite3_reset(st);
	return rc;
}

int retract_op(struct store *s, const struct cf_op *op, int64_t fts_indexed, struct cf_err *err)
{
	int rc;

	if ((rc = exec_id(s, "DELETE FROM op WHERE id = ?1", op->id, err)) < 0 ||
	    (rc = exec_id(s, "DELETE FROM undo WHERE op = ?1 OR undid = ?1", op->id, err)) < 0)
		return rc;
	if (strcmp(op->field, "@create") != 0)
		return 0; /* the field is settled again from what is left of its history */
	if ((rc = fts_forget(s, op->kind, op->record, fts_indexed, err)) < 0 ||
	    (rc = exec_id(s, kind_sql(op->kind)->delete_row, op->record, err)) < 0)
		return rc;
	return exec_id(s, "DELETE FROM conflict WHERE record = ?1", op->record, err);
}

int replica_renew(struct store *s, struct cf_err *err)
{
	sqlite3_stmt *st = store_stmt(s, "UPDATE meta SET value = ?1 WHERE key = 'replica'", err);
	int rc = 0;

	if (!st)
		return CF_EDB;
	cf_new_id(s->replica);
	sqlite3_bind_text(st, 1, s->replica, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = store_db_error(s, err, "write replica id");
	sqlite3_reset(st);
	s->head_valid = 0;
	return rc;
}

int head_set_back(struct store *s, const char *replica, struct cf_err *err)
{
	int rc = exec_id(s, "DELETE FROM meta WHERE key = 'head:' || ?1 AND NOT EXISTS"
			 " (SELECT 1 FROM op WHERE replica = ?1)", replica, err);

	return rc < 0 ? rc : exec_id(s, "UPDATE meta SET value = (SELECT rseq || ' ' || hash"
				     " FROM op WHERE replica = ?1 ORDER BY rseq DESC LIMIT 1)"
				     " WHERE key = 'head:' || ?1", replica, err);
}
