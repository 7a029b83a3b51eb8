/* undo.c — taking back a change with a new operation, never by rewriting the log: an edit
 * is set back to the value it replaced, a create is deleted, a delete restored.  The undo is
 * an ordinary operation (it syncs, shows in the history, and can itself be undone); which
 * operations were undos, and what they undid, is this replica's own memory (table undo), so
 * that `undo` run again steps further back instead of redoing. */
#include "store/internal.h"
#include "store/kinds.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int record_deleted_settle(struct store *s, enum cf_kind kind, const char *id,
			  struct cf_err *err)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT field FROM op WHERE record = ?1 AND field IN"
				      " ('@delete', '@restore')"
				      " ORDER BY lamport DESC, replica DESC, id DESC LIMIT 1", err);
	int deleted = 0, step;

	if (!st)
		return CF_EDB;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		const char *field = (const char *)sqlite3_column_text(st, 0);
		deleted = field && strcmp(field, "@delete") == 0;
	}
	sqlite3_reset(st);
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		return store_db_error(s, err, "read deletes");
	if (!(st = store_stmt(s, kind_sql(kind)->set_deleted, err)))
		return CF_EDB;
	sqlite3_bind_int(st, 1, deleted);
	sqlite3_bind_text(st, 2, id, -1, SQLITE_STATIC);
	step = sqlite3_step(st);
	sqlite3_reset(st);
	return step == SQLITE_DONE ? 0 : store_db_error(s, err, "settle delete");
}

/* This replica's latest operation that is neither an undo nor undone already. */
static int last_own_op(struct store *s, char id[CF_ID_LEN + 1], struct cf_err *err)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT id FROM op WHERE replica = ?1"
				      " AND NOT (kind = 'case' AND field = '@create')"
				      /* derived, following the change that caused it */
				      " AND NOT (kind = 'evidence' AND field = 'holder')"
				      " AND id NOT IN (SELECT op FROM undo)"
				      " AND id NOT IN (SELECT undid FROM undo)"
				      " ORDER BY rseq DESC LIMIT 1", err);
	int step, rc = 0;

	if (!st)
		return CF_EDB;
	sqlite3_bind_text(st, 1, s->replica, -1, SQLITE_STATIC);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW && sqlite3_column_text(st, 0) &&
	    strlen((const char *)sqlite3_column_text(st, 0)) == CF_ID_LEN)
		memcpy(id, sqlite3_column_text(st, 0), CF_ID_LEN + 1);
	else if (step == SQLITE_ROW || step == SQLITE_DONE)
		rc = cf_error(err, CF_ENOTFOUND, "nothing to undo: no change of yours on this"
			      " replica that is not undone already");
	else
		rc = store_db_error(s, err, "read operations");
	sqlite3_reset(st);
	return rc;
}

/* A full operation id from a unique prefix (as record ids are given). */
static int op_resolve(struct store *s, const char *prefix, char id[CF_ID_LEN + 1],
		      struct cf_err *err)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT id FROM op WHERE id >= ?1 AND id < ?1 || '~'"
				      " ORDER BY id LIMIT 2", err);
	int n = 0, step;

	if (!st)
		return CF_EDB;
	if (strlen(prefix) < 4 || strlen(prefix) > CF_ID_LEN)
		return cf_error(err, CF_EINVAL, "operation id '%s': give 4 to %d characters",
				prefix, CF_ID_LEN);
	sqlite3_bind_text(st, 1, prefix, -1, SQLITE_STATIC);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *got = (const char *)sqlite3_column_text(st, 0);
		if (n++ == 0 && got && strlen(got) == CF_ID_LEN)
			memcpy(id, got, CF_ID_LEN + 1);
	}
	sqlite3_reset(st);
	if (step != SQLITE_DONE)
		return store_db_error(s, err, "find operation");
	if (n == 0)
		return cf_error(err, CF_ENOTFOUND, "no operation '%s'", prefix);
	if (n > 1)
		return cf_error(err, CF_EINVAL, "operation id '%s' is ambiguous: give more of it",
				prefix);
	return 0;
}

static int same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* The change that undoes OP, made in the open transaction. */
static int revert(struct store *s, const struct cf_op *op, int force, struct cf_err *err)
{
	const struct cf_kind_info *ki = cf_kind_info(op->kind);
	struct cf_record r;
	int idx, rc;

	if (!ki || !op->field)
		return cf_error(err, CF_EINVAL, "operation %s cannot be undone: unknown kind or"
				" field", op->id);
	if (op->kind == CF_CASE && strcmp(op->field, "@create") == 0)
		return cf_error(err, CF_EINVAL, "the case's creation cannot be undone");
	if (strcmp(op->field, "@create") == 0 || strcmp(op->field, "@restore") == 0)
		return record_delete(s, op->kind, op->record, err);
	if (strcmp(op->field, "@delete") == 0)
		return record_restore(s, op->kind, op->record, err);
	if ((idx = cf_field_index(ki, op->field)) < 0)
		return cf_error(err, CF_EINVAL, "operation %s: %s has no field '%s'", op->id,
				ki->title, op->field);
	if ((rc = record_get(s, op->kind, op->record, &r, err)) < 0)
		return rc;
	/* Someone changed the field since: undoing would silently overwrite their value. */
	if (!force && !same(r.v[idx], op->new_value)) {
		rc = cf_error(err, CF_EINVAL, "%s %.8s: '%s' was changed since this operation (it"
			      " is now '%s'): nothing undone (--force sets it back anyway)",
			      ki->title, op->record, op->field, r.v[idx] ? r.v[idx] : "(unset)");
		cf_record_release(&r);
		return rc;
	}
	cf_record_release(&r);
	return record_set(s, op->kind, op->record, op->field, op->old_value, err);
}

static int remember(struct store *s, const char *undo_op, const char *undid, struct cf_err *err)
{
	sqlite3_stmt *st = store_stmt(s, "INSERT OR REPLACE INTO undo(op, undid) VALUES (?1, ?2)",
				      err);
	int step;

	if (!st)
		return CF_EDB;
	sqlite3_bind_text(st, 1, undo_op, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, undid, -1, SQLITE_STATIC);
	step = sqlite3_step(st);
	sqlite3_reset(st);
	return step == SQLITE_DONE ? 0 : store_db_error(s, err, "remember undo");
}

/* The id of the operation this transaction wrote last (this replica's newest). */
static int newest_own(struct store *s, char id[CF_ID_LEN + 1], struct cf_err *err)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT id FROM op WHERE replica = ?1"
				      " ORDER BY rseq DESC LIMIT 1", err);
	int rc = 0;

	if (!st)
		return CF_EDB;
	sqlite3_bind_text(st, 1, s->replica, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0) &&
	    strlen((const char *)sqlite3_column_text(st, 0)) == CF_ID_LEN)
		memcpy(id, sqlite3_column_text(st, 0), CF_ID_LEN + 1);
	else
		rc = store_db_error(s, err, "read the undo operation");
	sqlite3_reset(st);
	return rc;
}

int store_undo_target(struct store *s, const char *prefix, struct cf_op *op, struct cf_err *err)
{
	char id[CF_ID_LEN + 1];
	int rc = prefix && *prefix ? op_resolve(s, prefix, id, err) : last_own_op(s, id, err);

	memset(op, 0, sizeof(*op));
	return rc < 0 ? rc : op_find(s, id, op, err);
}

int store_undo(struct store *s, const char *prefix, int force, struct cf_op *undone,
	       char undo_id[CF_ID_LEN + 1], struct cf_err *err)
{
	struct cf_op op;
	char before[CF_ID_LEN + 1];
	int rc;

	memset(&op, 0, sizeof(op));
	if ((rc = store_begin(s, err)) < 0)
		return rc;
	if ((rc = store_undo_target(s, prefix, &op, err)) < 0 ||
	    (rc = newest_own(s, before, err)) < 0)
		goto out;
	if ((rc = revert(s, &op, force, err)) < 0 || (rc = newest_own(s, undo_id, err)) < 0)
		goto out;
	if (strcmp(undo_id, before) == 0) {
		rc = cf_error(err, CF_EINVAL, "operation %s: nothing to undo (the record already"
			      " holds what it had before)", op.id);
		goto out;
	}
	rc = remember(s, undo_id, op.id, err);
out:
	if (rc == 0 && undone) {
		*undone = op;
		memset(&op, 0, sizeof(op));
	}
	cf_op_release(&op);
	if (rc < 0) {
		store_rollback(s);
		return rc;
	}
	return store_commit(s, err);
}
