/* verify_index.c — the tables verify_replay does not compare: the conflict register and the
 * records' conflicted flags (against a walk of each edited field's history, as sync settles
 * it), the sort keys (against the key computed from each row), and the full-text indexes
 * (against their tables, by FTS5's own check). */
#include "store/internal.h"
#include "store/kinds.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static const char *text(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

/* ---- conflicts ---- */

struct conflicts {
	struct store *s;
	problem_cb cb;
	void *ctx;
	int n;
};

/* The walk of RECORD's FIELD against its row in the conflict table; an unresolved one is
 * remembered in temp.verify_open for the conflicted flags. */
static int check_field(struct conflicts *c, enum cf_kind kind, const char *record,
		       const char *field, struct cf_err *err)
{
	sqlite3_stmt *st = store_stmt(c->s, "SELECT kind, ours, theirs, ours_op, theirs_op,"
				      " resolved FROM conflict WHERE record = ?1 AND field = ?2",
				      err);
	const char *name = cf_kind_info(kind)->name;
	struct settle w = { 0 };
	int rc, row;

	if (!st)
		return CF_EDB;
	if ((rc = field_walk(c->s, record, field, &w, err)) < 0) {
		settle_release(&w);
		return rc;
	}
	sqlite3_bind_text(st, 1, record, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, field, -1, SQLITE_STATIC);
	row = sqlite3_step(st) == SQLITE_ROW;
	if (w.conflict && !row)
		verify_problem(c->cb, c->ctx, &c->n, "conflict", kind, record, field, "%s %s field '%s':"
			" the log gives a conflict the conflict table lacks", name, record, field);
	else if (!w.conflict && row)
		verify_problem(c->cb, c->ctx, &c->n, "conflict", kind, record, field, "%s %s field '%s':"
			" a conflict in the table that the log does not give", name, record, field);
	else if (row && (!same(text(st, 0), name) || !same(text(st, 1), w.ours) ||
			 !same(text(st, 2), w.theirs) || !same(text(st, 3), w.ours_op) ||
			 !same(text(st, 4), w.theirs_op) ||
			 sqlite3_column_int(st, 5) != w.resolved))
		verify_problem(c->cb, c->ctx, &c->n, "conflict", kind, record, field, "%s %s field '%s':"
			" the conflict in the table differs from the log's (values, operations or"
			" resolved)", name, record, field);
	sqlite3_reset(st);
	if (w.conflict && !w.resolved) {
		if (!(st = store_stmt(c->s, "INSERT INTO temp.verify_open(record, field)"
				      " VALUES (?1, ?2)", err)))
			rc = CF_EDB;
		else {
			sqlite3_bind_text(st, 1, record, -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 2, field, -1, SQLITE_STATIC);
			if (sqlite3_step(st) != SQLITE_DONE)
				rc = store_db_error(c->s, err, "verify conflicts");
			sqlite3_reset(st);
		}
	}
	settle_release(&w);
	return rc;
}

/* Conflict rows no operation of that record and field could have made. */
static int check_orphans(struct conflicts *c, struct cf_err *err)
{
	sqlite3_stmt *st;
	int step;

	if (sqlite3_prepare_v2(c->s->db, "SELECT record, field FROM conflict c WHERE NOT EXISTS"
			       " (SELECT 1 FROM op WHERE op.record = c.record AND op.field = c.field)"
			       " ORDER BY record, field", -1, &st, NULL) != SQLITE_OK)
		return store_db_error(c->s, err, "read conflicts");
	while ((step = sqlite3_step(st)) == SQLITE_ROW)
		verify_problem(c->cb, c->ctx, &c->n, "conflict", CF_KIND_COUNT, text(st, 0), text(st, 1),
			"%s field '%s': a conflict in the table that no operation made",
			text(st, 0) ? text(st, 0) : "?", text(st, 1) ? text(st, 1) : "?");
	sqlite3_finalize(st);
	return step == SQLITE_DONE ? 0 : store_db_error(c->s, err, "read conflicts");
}

/* A record's conflicted column must list its unresolved fields, in the kind's order. */
static void check_flags(struct conflicts *c, enum cf_kind kind, const char *id,
			const char *conflicted)
{
	const struct cf_kind_info *ki = cf_kind_info(kind);
	sqlite3_stmt *st = store_stmt(c->s, "SELECT 1 FROM temp.verify_open WHERE record = ?1"
				      " AND field = ?2", NULL);
	char want[1024] = "";
	size_t len = 0;

	for (size_t i = 0; st && i < ki->nfields; i++) {
		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, ki->fields[i].name, -1, SQLITE_STATIC);
		if (sqlite3_step(st) == SQLITE_ROW)
			len += (size_t)snprintf(want + len, sizeof(want) - len, "%s%s",
						len ? "," : "", ki->fields[i].name);
	}
	if (st)
		sqlite3_reset(st);
	if (!same(conflicted, len ? want : NULL))
		verify_problem(c->cb, c->ctx, &c->n, "conflict", kind, id, "conflicted",
			"%s %s: conflicted is '%s' in the table, the log gives '%s'", ki->name,
			id, conflicted ? conflicted : "", want);
}

/* The rows whose flags can be wrong: those flagged and those with an unresolved field.  Every
 * other row has no flag and should have none (a scan of one column, where reading every
 * record took most of this check). */
static int check_all_flags(struct conflicts *c, struct cf_err *err)
{
	for (int k = 0; k < CF_KIND_COUNT; k++) {
		const struct cf_kind_info *ki = cf_kind_info((enum cf_kind)k);
		sqlite3_stmt *st;
		char sql[256];
		int step;

		/* The table name is the kind table's own constant, never user text. */
		snprintf(sql, sizeof(sql), "SELECT id, conflicted FROM \"%s\" WHERE conflicted IS"
			 " NOT NULL OR id IN (SELECT record FROM temp.verify_open) ORDER BY id",
			 ki->table);
		if (sqlite3_prepare_v2(c->s->db, sql, -1, &st, NULL) != SQLITE_OK)
			return store_db_error(c->s, err, "read conflicted flags");
		while ((step = sqlite3_step(st)) == SQLITE_ROW)
			if (text(st, 0))
				check_flags(c, ki->kind, text(st, 0), text(st, 1));
		sqlite3_finalize(st);
		if (step != SQLITE_DONE)
			return store_db_error(c->s, err, "read conflicted flags");
	}
	return 0;
}

int verify_conflicts(struct store *s, problem_cb cb, void *ctx, int64_t *nfields,
		     struct cf_err *err)
{
	struct conflicts c = { s, cb, ctx, 0 };
	sqlite3_stmt *st;
	int64_t fields = 0;
	int rc = 0, step;

	if (sqlite3_exec(s->db, "CREATE TEMP TABLE IF NOT EXISTS verify_open(record TEXT,"
			 " field TEXT, PRIMARY KEY(record, field)); DELETE FROM temp.verify_open",
			 NULL, NULL, NULL) != SQLITE_OK)
		return store_db_error(s, err, "verify conflicts");
	/* Every field ever edited (a create alone never conflicts). */
	if (sqlite3_prepare_v2(s->db, "SELECT DISTINCT kind, record, field FROM op"
			       " WHERE substr(field, 1, 1) <> '@' ORDER BY record, field", -1, &st,
			       NULL) != SQLITE_OK)
		return store_db_error(s, err, "read operations");
	while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
		const struct cf_kind_info *ki = cf_kind_by_name(text(st, 0));
		if (!ki || !text(st, 1) || cf_field_index(ki, text(st, 2)) < 0)
			continue; /* verify_replay names operations that cannot apply */
		rc = check_field(&c, ki->kind, text(st, 1), text(st, 2), err);
		fields++;
	}
	if (rc == 0 && step != SQLITE_DONE)
		rc = store_db_error(s, err, "read operations");
	sqlite3_finalize(st);
	if (rc == 0)
		rc = check_orphans(&c, err);
	if (rc == 0)
		rc = check_all_flags(&c, err);
	sqlite3_exec(s->db, "DELETE FROM temp.verify_open", NULL, NULL, NULL);
	if (nfields)
		*nfields = fields;
	return rc < 0 ? rc : c.n;
}

/* ---- sort keys ---- */

int verify_sort_keys(struct store *s, problem_cb cb, void *ctx, int64_t *nrows,
		     struct cf_err *err)
{
	int64_t rows = 0;
	int n = 0, rc = 0;

	for (int k = 0; rc == 0 && k < CF_KIND_COUNT; k++) {
		const struct cf_kind_info *ki = cf_kind_info((enum cf_kind)k);
		/* One read of the table: the sort key is its last column, after the fields. */
		int keycol = 3 + (int)ki->nfields, step;
		sqlite3_stmt *st;

		if (sqlite3_prepare_v2(s->db, kind_sql(ki->kind)->scan, -1, &st, NULL) != SQLITE_OK)
			return store_db_error(s, err, "read sort keys");
		while ((step = sqlite3_step(st)) == SQLITE_ROW) {
			struct cf_record r;
			char *key;
			if (record_from_row(&r, ki->kind, st, NULL) < 0) {
				cf_record_release(&r);
				continue; /* verify_integrity and verify_replay speak of it */
			}
			key = kind_sort_key(&r, s->tz);
			if (!same(key, text(st, keycol)))
				verify_problem(cb, ctx, &n, "sort", ki->kind, r.id, "sort_key", "%s %s: sort"
					" key '%s' in the table, its fields give '%s'", ki->name,
					r.id, text(st, keycol) ? text(st, keycol) : "", key ? key : "");
			free(key);
			cf_record_release(&r);
			rows++;
		}
		if (step != SQLITE_DONE)
			rc = store_db_error(s, err, "read sort keys");
		sqlite3_finalize(st);
	}
	if (nrows)
		*nrows = rows;
	return rc < 0 ? rc : n;
}

/* ---- full-text indexes ---- */

/* FTS5's integrity-check with rank 1 reads every row of the content table and compares it
 * with the index, both ways: an index emptied ('delete-all') or holding words a row lacks is
 * SQLITE_CORRUPT_VTAB.  It writes nothing; a read-only case cannot run it and says so. */
int verify_fts_db(sqlite3 *db, problem_cb cb, void *ctx)
{
	static const struct {
		enum cf_kind kind;
		const char *sql;
	} idx[] = {
		{ CF_EVENT, "INSERT INTO event_fts(event_fts, rank) VALUES ('integrity-check', 1)" },
		{ CF_NOTE, "INSERT INTO note_fts(note_fts, rank) VALUES ('integrity-check', 1)" },
		{ CF_EVIDENCE, "INSERT INTO evidence_fts(evidence_fts, rank)"
			       " VALUES ('integrity-check', 1)" },
	};
	int n = 0;

	for (size_t i = 0; i < sizeof(idx) / sizeof(idx[0]); i++) {
		int rc = sqlite3_exec(db, idx[i].sql, NULL, NULL, NULL);
		const char *title = cf_kind_info(idx[i].kind)->title;

		if (rc == SQLITE_OK)
			continue;
		if ((rc & 0xff) == SQLITE_CORRUPT)
			verify_problem(cb, ctx, &n, "fts", idx[i].kind, NULL, NULL, "the full-text index of"
				" %ss does not match the table (search would miss or invent"
				" matches)", title);
		else
			verify_problem(cb, ctx, &n, "fts", idx[i].kind, NULL, NULL, "the full-text index of"
				" %ss cannot be checked: %s", title, sqlite3_errmsg(db));
	}
	return n;
}

int verify_fts(struct store *s, problem_cb cb, void *ctx, struct cf_err *err)
{
	(void)err;
	return verify_fts_db(s->db, cb, ctx);
}
