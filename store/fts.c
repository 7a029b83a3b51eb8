/* fts.c — keeping the full-text indexes (FTS5, external content) in step with the event, note
 * and evidence tables on insert; updates are kept by the AFTER UPDATE triggers of the schema. */
#include "store/internal.h"

static const char *const index_row_sql[CF_KIND_COUNT] = {
	[CF_EVENT] = "INSERT INTO event_fts(rowid, summary, details, source, actor)"
		     " SELECT rowid, summary, details, source, actor FROM event WHERE rowid = ?1",
	[CF_NOTE] = "INSERT INTO note_fts(rowid, text, author)"
		    " SELECT rowid, text, author FROM note WHERE rowid = ?1",
	[CF_EVIDENCE] = "INSERT INTO evidence_fts(rowid, description, location, source)"
			" SELECT rowid, description, location, source FROM evidence"
			" WHERE rowid = ?1",
};

static const char *const index_after_sql[CF_KIND_COUNT] = {
	[CF_EVENT] = "INSERT INTO event_fts(rowid, summary, details, source, actor)"
		     " SELECT rowid, summary, details, source, actor FROM event WHERE rowid > ?1"
		     " ORDER BY rowid",
	[CF_NOTE] = "INSERT INTO note_fts(rowid, text, author)"
		    " SELECT rowid, text, author FROM note WHERE rowid > ?1 ORDER BY rowid",
	[CF_EVIDENCE] = "INSERT INTO evidence_fts(rowid, description, location, source)"
			" SELECT rowid, description, location, source FROM evidence"
			" WHERE rowid > ?1 ORDER BY rowid",
};

static const char *const max_rowid_sql[CF_KIND_COUNT] = {
	[CF_EVENT] = "SELECT coalesce(max(rowid), 0) FROM event",
	[CF_NOTE] = "SELECT coalesce(max(rowid), 0) FROM note",
	[CF_EVIDENCE] = "SELECT coalesce(max(rowid), 0) FROM evidence",
};

static int run(struct store *s, const char *sql, int64_t arg, struct cf_err *err)
{
	sqlite3_stmt *st;
	int rc = 0;

	if (!sql)
		return 0;
	if (!(st = store_stmt(s, sql, err)))
		return CF_EDB;
	sqlite3_bind_int64(st, 1, arg);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = store_db_error(s, err, "full-text index");
	sqlite3_reset(st);
	return rc;
}

int fts_index_row(struct store *s, enum cf_kind kind, int64_t rowid, struct cf_err *err)
{
	return run(s, index_row_sql[kind], rowid, err);
}

int fts_index_after(struct store *s, enum cf_kind kind, int64_t after, struct cf_err *err)
{
	return run(s, index_after_sql[kind], after, err);
}

int64_t fts_max_rowid(struct store *s, enum cf_kind kind)
{
	sqlite3_stmt *st;
	int64_t n = 0;

	if (!max_rowid_sql[kind] || !(st = store_stmt(s, max_rowid_sql[kind], NULL)))
		return 0;
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return n;
}
