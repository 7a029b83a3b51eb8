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
		     " AND rowid <= ?2 ORDER BY rowid",
	[CF_NOTE] = "INSERT INTO note_fts(rowid, text, author)"
		    " SELECT rowid, text, author FROM note WHERE rowid > ?1"
		    " AND rowid <= ?2 ORDER BY rowid",
	[CF_EVIDENCE] = "INSERT INTO evidence_fts(rowid, description, location, source)"
			" SELECT rowid, description, location, source FROM evidence"
			" WHERE rowid > ?1 AND rowid <= ?2 ORDER BY rowid",
};

static const char *const max_rowid_sql[CF_KIND_COUNT] = {
	[CF_EVENT] = "SELECT coalesce(max(rowid), 0) FROM event",
	[CF_NOTE] = "SELECT coalesce(max(rowid), 0) FROM note",
	[CF_EVIDENCE] = "SELECT coalesce(max(rowid), 0) FROM evidence",
};

/* Rows indexed per statement at the end of an import: few enough statements that FTS5's
 * flush of its pending terms at each one costs little, enough to report progress by. */
#define FTS_CHUNK_ROWS 65536

static int run(struct store *s, const char *sql, int64_t arg, int64_t arg2, struct cf_err *err)
{
	sqlite3_stmt *st;
	int rc = 0;

	if (!sql)
		return 0;
	if (!(st = store_stmt(s, sql, err)))
		return CF_EDB;
	sqlite3_bind_int64(st, 1, arg);
	if (sqlite3_bind_parameter_count(st) > 1)
		sqlite3_bind_int64(st, 2, arg2);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = store_db_error(s, err, "full-text index");
	sqlite3_reset(st);
	return rc;
}

int fts_index_row(struct store *s, enum cf_kind kind, int64_t rowid, struct cf_err *err)
{
	return run(s, index_row_sql[kind], rowid, 0, err);
}

int fts_index_after(struct store *s, enum cf_kind kind, int64_t after, struct cf_err *err)
{
	int64_t last = fts_max_rowid(s, kind), from = after;
	struct progress p;
	int rc = 0;

	progress_start(&p, &s->progress, "indexing for search",
		       last > after ? (uint64_t)(last - after) : 0, "rows");
	p.info.count_is_done = 1;
	while (rc == 0 && from < last) {
		int64_t to = last - from > FTS_CHUNK_ROWS ? from + FTS_CHUNK_ROWS : last;

		rc = run(s, index_after_sql[kind], from, to, err);
		from = to;
		progress_update(&p, (uint64_t)(from - after), (uint64_t)(from - after));
	}
	if (rc == 0)
		progress_finish(&p);
	else
		progress_stop(&p);
	return rc;
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
