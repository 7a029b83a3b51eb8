/* conflict.c — the conflicts sync registered (store/receive.c): listed, and resolved by a new
 * operation that every replica replays into the same settled field. */
#include "store/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* An optional column: NULL stays NULL. */
static const char *col(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

static int live(struct store *s, enum cf_kind kind, const char *id)
{
	struct cf_record r;
	struct cf_err e;
	int ok = record_get(s, kind, id, &r, &e) == 0 && !r.deleted;

	cf_record_release(&r);
	return ok;
}

int conflict_list(struct store *s, int all, conflict_cb cb, void *ctx, struct cf_err *err)
{
	sqlite3_stmt *st;
	int step, stop = 0;

	if (sqlite3_prepare_v2(s->db,
			       "SELECT c.kind, c.record, c.field, c.ours, c.theirs, c.ours_op,"
			       " c.theirs_op, c.resolved, (SELECT author FROM op WHERE id = c.ours_op),"
			       " (SELECT author FROM op WHERE id = c.theirs_op) FROM conflict c"
			       " WHERE ?1 OR c.resolved = 0 ORDER BY c.kind, c.record, c.field", -1,
			       &st, NULL) != SQLITE_OK)
		return store_db_error(s, err, "read conflicts");
	sqlite3_bind_int(st, 1, all);
	while (!stop && (step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *kind = col_text(st, 0, err);
		const struct cf_kind_info *ki = cf_kind_by_name(kind);
		struct cf_conflict c;
		int64_t resolved;
		if (!kind || !(c.record = col_text(st, 1, err)) ||
		    !(c.field = col_text(st, 2, err)) ||
		    col_int(&resolved, st, 7, 0, 1, err) < 0) {
			sqlite3_finalize(st);
			return CF_EDB;
		}
		if (!ki || (strcmp(c.field, CF_CONFLICT_DELETE) != 0 && !live(s, ki->kind, c.record)))
			continue;
		c.kind = ki->kind;
		c.ours = col(st, 3);
		c.theirs = col(st, 4);
		c.ours_op = col(st, 5);
		c.theirs_op = col(st, 6);
		c.resolved = (int)resolved;
		c.ours_author = col(st, 8);
		c.theirs_author = col(st, 9);
		stop = cb(&c, ctx);
	}
	sqlite3_finalize(st);
	if (!stop && step != SQLITE_DONE)
		return store_db_error(s, err, "read conflicts");
	return 0;
}

int conflict_find(struct store *s, const char *prefix, const char *field, enum cf_kind *kind,
		  char id[CF_ID_LEN + 1], struct cf_err *err)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT kind, record FROM conflict WHERE record >= ?1"
				      " AND record < ?2 AND field = ?3 AND resolved = 0"
				      " ORDER BY record LIMIT 2", err);
	char upper[CF_ID_LEN + 2]; /* the prefix (at most an id) and "~" */
	int n = 0;

	if (strlen(prefix) < 4 || strlen(prefix) > CF_ID_LEN)
		return cf_error(err, CF_EINVAL, "'%s': give at least 4 characters of a record id",
				prefix);
	if (!st)
		return CF_EDB;
	snprintf(upper, sizeof(upper), "%s~", prefix);
	sqlite3_bind_text(st, 1, prefix, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, upper, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, field, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const struct cf_kind_info *ki = cf_kind_by_name(col(st, 0));
		if (n++ > 0)
			continue;
		if (!ki || col_copy(id, CF_ID_LEN + 1, st, 1, err) < 0) {
			if (!ki)
				cf_error(err, CF_EDB, "damaged database: a conflict of an unknown kind");
			sqlite3_reset(st);
			return CF_EDB;
		}
		*kind = ki->kind;
	}
	sqlite3_reset(st);
	if (n == 0)
		return cf_error(err, CF_ENOTFOUND, "no unresolved conflict on field '%s' of a record"
				" '%s'", field, prefix);
	if (n > 1)
		return cf_error(err, CF_EAMBIGUOUS, "record id '%s' is ambiguous: give more"
				" characters", prefix);
	return 0;
}

/* The unresolved conflict's two values, copied. */
static int conflict_values(struct store *s, const char *id, const char *field, char **ours,
			   char **theirs, struct cf_err *err)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT ours, theirs FROM conflict WHERE record = ?1"
				      " AND field = ?2 AND resolved = 0", err);
	int rc = 0;

	*ours = *theirs = NULL;
	if (!st)
		return CF_EDB;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, field, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		if ((rc = col_dup(ours, st, 0, 0, err)) == 0)
			rc = col_dup(theirs, st, 1, 0, err);
	} else {
		rc = cf_error(err, CF_ENOTFOUND, "no unresolved conflict on field '%s' of '%s'",
			      field, id);
	}
	sqlite3_reset(st);
	return rc;
}

static int check_value(const struct cf_field *f, const char *title, const char *value,
		       struct cf_err *err)
{
	if (!value && (f->flags & CF_F_REQUIRED))
		return cf_error(err, CF_EINVAL, "%s: field '%s' is required", title, f->name);
	return cf_field_validate(f, value, err) < 0 ? CF_EINVAL : 0;
}

int conflict_resolve(struct store *s, enum cf_kind kind, const char *id, const char *field,
		     enum cf_take take, const char *value, struct cf_err *err)
{
	const struct cf_kind_info *ki = cf_kind_info(kind);
	int idx = cf_field_index(ki, field), rc;
	char *ours = NULL, *theirs = NULL;
	const char *v;
	struct cf_record r;

	if (strcmp(field, CF_CONFLICT_DELETE) == 0)
		return delete_conflict_resolve(s, kind, id, take, err);
	if (idx < 0)
		return cf_error(err, CF_EINVAL, "%s has no field '%s'", ki->title, field);
	if ((rc = store_begin(s, err)) < 0)
		return rc;
	cf_record_init(&r, kind);
	if ((rc = conflict_values(s, id, field, &ours, &theirs, err)) < 0 ||
	    (rc = record_get(s, kind, id, &r, err)) < 0)
		goto out;
	if (r.deleted) {
		rc = cf_error(err, CF_ENOTFOUND, "%s '%s' is deleted", ki->title, id);
		goto out;
	}
	v = take == CF_TAKE_OURS ? ours : take == CF_TAKE_THEIRS ? theirs : value;
	if (v && !*v)
		v = NULL;
	if ((rc = check_value(&ki->fields[idx], ki->title, v, err)) < 0)
		goto out;
	/* Written even when V is the value already there: the op is what settles the field. */
	rc = op_append(s, kind, id, field, r.v[idx], v, err);
	if (rc == 0)
		rc = field_settle(s, kind, id, field, NULL, err);
out:
	free(ours);
	free(theirs);
	cf_record_release(&r);
	if (rc < 0) {
		store_rollback(s);
		return rc;
	}
	return store_commit(s, err);
}
