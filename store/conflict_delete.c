/* conflict_delete.c — an edit made without seeing a delete: the record stays deleted (the value
 * the case keeps) and the edit is the other side, registered as a conflict on the record's
 * CF_CONFLICT_DELETE "field", settled by restoring it with the edit or keeping it deleted. */
#include "store/internal.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* The latest delete of ID (in the log's order): its op id and the record as the deleting
 * replica saw it.  *SNAP NULL when there is none. */
static int last_delete(struct store *s, const char *id, char op[CF_ID_LEN + 1], json_t **snap,
		       struct cf_err *err)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT id, old FROM op WHERE record = ?1 AND"
				      " field = '@delete' ORDER BY lamport DESC, replica DESC,"
				      " id DESC LIMIT 1", err);
	int rc = 0;

	*snap = NULL;
	if (!st)
		return CF_EDB;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		const char *old = (const char *)sqlite3_column_text(st, 1);
		if ((rc = col_copy(op, CF_ID_LEN + 1, st, 0, err)) == 0)
			*snap = json_loads(old ? old : "{}", 0, NULL);
		if (rc == 0 && !*snap)
			rc = cf_error(err, CF_EDB, "damaged log: the delete %s of '%s' does not"
				      " hold the record", op, id);
	}
	sqlite3_reset(st);
	return rc;
}

/* The newest operation that edited a field of ID (the other side's op), into OP. */
static void last_edit(struct store *s, const char *id, char op[CF_ID_LEN + 1])
{
	sqlite3_stmt *st = store_stmt(s, "SELECT id FROM op WHERE record = ?1 AND"
				      " substr(field, 1, 1) <> '@' ORDER BY lamport DESC,"
				      " replica DESC, id DESC LIMIT 1", NULL);

	op[0] = '\0';
	if (!st)
		return;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		cf_strlcpy(op, (const char *)sqlite3_column_text(st, 0), CF_ID_LEN + 1);
	sqlite3_reset(st);
}

/* "field 'value'; field 'value'" of the fields of R that differ from SNAP; NULL when none. */
static char *edits_text(const struct cf_record *r, json_t *snap)
{
	const struct cf_kind_info *ki = cf_kind_info(r->kind);
	struct strbuf b = STRBUF_INIT;

	for (size_t i = 0; i < ki->nfields; i++) {
		const char *was = json_string_value(json_object_get(snap, ki->fields[i].name));
		if (same(was, r->v[i]) || (ki->fields[i].flags & CF_F_DERIVED))
			continue;
		if (b.len)
			strbuf_addstr(&b, "; ");
		strbuf_addf(&b, "%s ", ki->fields[i].name);
		if (r->v[i])
			strbuf_addf(&b, "'%s'", r->v[i]);
		else
			strbuf_addstr(&b, "(unset)");
	}
	return b.len ? strbuf_detach(&b, NULL) : (strbuf_release(&b), NULL);
}

/* The register's row for ID's delete conflict: 0 none, 1 unresolved, 2 resolved; its ops. */
static int row_state(struct store *s, const char *id, char kept_op[CF_ID_LEN + 1],
		     char other_op[CF_ID_LEN + 1])
{
	sqlite3_stmt *st = store_stmt(s, "SELECT resolved, ours_op, theirs_op FROM conflict"
				      " WHERE record = ?1 AND field = '" CF_CONFLICT_DELETE "'",
				      NULL);
	int state = 0;

	kept_op[0] = other_op[0] = '\0';
	if (!st)
		return 0;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		state = sqlite3_column_int(st, 0) ? 2 : 1;
		const char *k = (const char *)sqlite3_column_text(st, 1);
		const char *o = (const char *)sqlite3_column_text(st, 2);
		if (k)
			cf_strlcpy(kept_op, k, CF_ID_LEN + 1);
		if (o)
			cf_strlcpy(other_op, o, CF_ID_LEN + 1);
	}
	sqlite3_reset(st);
	return state;
}

/* Settled: the row goes.  Whether a delete conflict is open depends only on the record as it
 * stands and its log, the same on every replica whatever order the operations came in; a
 * "resolved" row would depend on which states a replica passed through. */
static int drop_row(struct store *s, const char *id, struct cf_err *err)
{
	sqlite3_stmt *st = store_stmt(s, "DELETE FROM conflict WHERE record = ?1 AND"
				      " field = '" CF_CONFLICT_DELETE "'", err);
	int step;

	if (!st)
		return CF_EDB;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	step = sqlite3_step(st);
	sqlite3_reset(st);
	return step == SQLITE_DONE ? 0 : store_db_error(s, err, "write conflict");
}

static int write_row(struct store *s, enum cf_kind kind, const char *id, const char *kept_op,
		     const char *other, const char *other_op, struct cf_err *err)
{
	sqlite3_stmt *st = store_stmt(s, "INSERT OR REPLACE INTO conflict(record, field, kind,"
				      " ours, theirs, ours_op, theirs_op, resolved) VALUES (?1, '"
				      CF_CONFLICT_DELETE "', ?2, 'deleted', ?3, ?4, ?5, 0)", err);
	int step;

	if (!st)
		return CF_EDB;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, cf_kind_info(kind)->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, other, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, kept_op, -1, SQLITE_STATIC);
	bind_text(st, 5, other_op[0] ? other_op : NULL);
	step = sqlite3_step(st);
	sqlite3_reset(st);
	return step == SQLITE_DONE ? 0 : store_db_error(s, err, "write conflict");
}

int delete_conflict_settle(struct store *s, enum cf_kind kind, const char *id, int *opened,
			   struct cf_err *err)
{
	char del_op[CF_ID_LEN + 1], edit_op[CF_ID_LEN + 1], kept_op[CF_ID_LEN + 1],
		other_op[CF_ID_LEN + 1];
	struct cf_record r;
	json_t *snap = NULL;
	char *other = NULL;
	int rc, state = row_state(s, id, kept_op, other_op);

	if (opened)
		*opened = 0;
	if ((rc = record_get(s, kind, id, &r, err)) < 0)
		return rc == CF_ENOTFOUND ? 0 : rc; /* its create is still to come */
	if (r.deleted && (rc = last_delete(s, id, del_op, &snap, err)) == 0 && snap)
		other = edits_text(&r, snap);
	if (rc < 0)
		goto out;
	if (!other) { /* live again, or deleted as it stands: nothing left to decide */
		rc = state ? drop_row(s, id, err) : 0;
		goto out;
	}
	last_edit(s, id, edit_op);
	/* The same two operations already registered (perhaps resolved): leave it as it is. */
	if (state && strcmp(kept_op, del_op) == 0 && strcmp(other_op, edit_op) == 0)
		goto out;
	rc = write_row(s, kind, id, del_op, other, edit_op, err);
	if (rc == 0 && opened)
		*opened = 1;
out:
	free(other);
	json_decref(snap);
	cf_record_release(&r);
	return rc;
}

int delete_conflict_resolve(struct store *s, enum cf_kind kind, const char *id,
			    enum cf_take take, struct cf_err *err)
{
	struct cf_record r;
	char *json;
	int rc;

	if (take == CF_TAKE_VALUE)
		return cf_error(err, CF_EINVAL, "a record deleted on one side and edited on the"
				" other: give --take kept (it stays deleted) or --take other (it"
				" comes back with the edit)");
	if (take == CF_TAKE_THEIRS)
		return record_restore(s, kind, id, err);
	if ((rc = store_begin(s, err)) < 0)
		return rc;
	if ((rc = record_get(s, kind, id, &r, err)) < 0)
		goto out;
	if (!r.deleted) {
		rc = cf_error(err, CF_EINVAL, "%s '%s' is not deleted", cf_kind_info(kind)->title,
			      id);
		goto out;
	}
	/* Deleted again as it stands, edit included: every replica then sees a delete that
	 * saw the edit, and settles the conflict. */
	json = record_to_json(&r);
	rc = json ? op_append(s, kind, id, "@delete", json, NULL, err)
		  : cf_error(err, CF_ERR, "out of memory");
	free(json);
	if (rc == 0)
		rc = delete_conflict_settle(s, kind, id, NULL, err);
out:
	cf_record_release(&r);
	if (rc < 0) {
		store_rollback(s);
		return rc;
	}
	return store_commit(s, err);
}
