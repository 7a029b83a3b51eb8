/* replay.c — operations applied to the record tables: how another replica's changes arrive,
 * and how the case "as of" a past moment is rebuilt from the log. */
#include "store/internal.h"
#include "store/kinds.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int apply_create(struct store *s, const struct cf_op *op, struct cf_err *err)
{
	struct cf_record r;
	int rc;

	if (record_exists(s, op->kind, op->record))
		return 0; /* already here: replay is idempotent */
	cf_record_init(&r, op->kind);
	cf_strlcpy(r.id, op->record, sizeof(r.id));
	rc = record_from_json(&r, op->new_value ? op->new_value : "{}", err);
	if (rc == 0)
		rc = record_insert_row(s, &r, err);
	if (rc == 0 && op->kind == CF_CASE && cf_record_get(&r, "tz")) {
		free(s->tz);
		s->tz = xstrdup(cf_record_get(&r, "tz"));
	}
	cf_record_release(&r);
	return rc;
}

static int apply_delete(struct store *s, const struct cf_op *op, int deleted,
			struct cf_err *err)
{
	sqlite3_stmt *st = store_stmt(s, kind_sql(op->kind)->set_deleted, err);
	if (!st)
		return CF_EDB;
	sqlite3_bind_int(st, 1, deleted);
	sqlite3_bind_text(st, 2, op->record, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		return store_db_error(s, err, "replay delete");
	sqlite3_reset(st);
	return 0;
}

int op_apply(struct store *s, const struct cf_op *op, struct cf_err *err)
{
	const struct cf_kind_info *ki = cf_kind_info(op->kind);
	int idx;

	if (!ki || !op->field)
		return cf_error(err, CF_EINVAL, "operation %s: unknown kind or field", op->id);
	if (strcmp(op->field, "@create") == 0)
		return apply_create(s, op, err);
	if (!record_exists(s, op->kind, op->record))
		return cf_error(err, CF_ENOTFOUND, "operation %s: no %s '%s' to change", op->id,
				ki->title, op->record);
	if (strcmp(op->field, "@delete") == 0)
		return apply_delete(s, op, 1, err);
	if (strcmp(op->field, "@restore") == 0)
		return apply_delete(s, op, 0, err);
	idx = cf_field_index(ki, op->field);
	if (idx < 0)
		return cf_error(err, CF_EINVAL, "operation %s: %s has no field '%s'", op->id,
				ki->title, op->field);
	if (op->kind == CF_CASE && strcmp(op->field, "tz") == 0) {
		free(s->tz);
		s->tz = op->new_value ? xstrdup(op->new_value) : NULL;
	}
	return record_write_field(s, op->kind, op->record, idx, op->new_value, err);
}

int store_replay_until(struct store *s, int64_t as_of, replay_skip_fn skip, void *ctx,
		       struct store **out, struct cf_err *err)
{
	struct store *mem = NULL;
	sqlite3_stmt *st;
	char limit[CF_TIME_LEN] = "9999-12-31T23:59:59";
	int rc, step;

	if ((rc = store_open_memory(&mem, err)) < 0)
		return rc;
	if ((rc = fts_detach(mem, err)) < 0) {
		store_close(mem);
		return rc;
	}
	cf_strlcpy(mem->replica, s->replica, sizeof(mem->replica));
	if (s->tz)
		mem->tz = xstrdup(s->tz);
	if (as_of != CF_NO_MOMENT)
		cf_time_utc(as_of, limit, sizeof(limit));
	limit[19] = '\0';
	strcat(limit, ".999Z");
	if (sqlite3_prepare_v2(s->db,
			       "SELECT " OP_COLS " FROM op WHERE at <= ?1"
			       " ORDER BY lamport, replica, id", -1, &st, NULL) != SQLITE_OK) {
		store_close(mem);
		return store_db_error(s, err, "read operations");
	}
	sqlite3_bind_text(st, 1, limit, -1, SQLITE_STATIC);
	rc = store_begin(mem, err);
	while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
		struct cf_op op;
		rc = op_from_row(&op, st, err);
		if (rc == 0 && skip && skip(&op, ctx)) {
			cf_op_release(&op);
			continue;
		}
		if (rc == 0)
			rc = op_apply(mem, &op, err);
		if (rc == CF_ENOTFOUND)
			rc = 0; /* a change to a record created after AS_OF by a skewed clock */
		if (rc == 0)
			rc = op_insert(mem, &op, err);
		cf_op_release(&op);
	}
	if (rc == 0 && step == SQLITE_DONE)
		rc = fts_rebuild(mem, err); /* in the transaction replay_end commits */
	if ((rc = replay_end(s, mem, st, step, rc, err)) < 0) {
		store_close(mem);
		return rc;
	}
	*out = mem;
	return 0;
}

int replay_end(struct store *s, struct store *mem, sqlite3_stmt *st, int step, int rc,
	       struct cf_err *err)
{
	if (rc == 0 && step != SQLITE_DONE)
		rc = store_db_error(s, err, "read operations");
	sqlite3_finalize(st);
	if (rc == 0)
		rc = store_commit(mem, err);
	if (rc < 0)
		store_rollback(mem);
	return rc;
}

int store_as_of(struct store *s, int64_t as_of, struct store **out, struct cf_err *err)
{
	return store_replay_until(s, as_of, NULL, NULL, out, err);
}
