/* fts.c — the full-text indexes (FTS5 with the trigram tokenizer, external content): one per
 * kind with text, kept in step on insert here (a bulk import indexes its rows at the end) and
 * on update by the AFTER UPDATE triggers of the schema (store/db.c, version 10). */
#include "store/internal.h"

/* Each indexed kind: its table and the columns its index holds, as the schema declares them. */
#define FTS_KINDS(X)                                                                         \
	X(CF_EVENT, "event", "summary, details, source, actor", "occurred")                 \
	X(CF_ESTIMATE, "estimate", "category, method, source, reason", "as_of")             \
	X(CF_NOTICE, "notice", "recipient, rule, channel, reference, waiver, contents, source", \
	  "due")                                                                             \
	X(CF_EVIDENCE, "evidence", "description, location, source, collected_by, holder",   \
	  "collected_at")                                                                    \
	X(CF_CUSTODY, "custody", "handler, \"from\", location, reason", "at")              \
	X(CF_TASK, "task", "title, owner, details", "due")                                   \
	X(CF_NOTE, "note", "text, author, source", "at")

#define INDEX_ROW(k, t, cols, when) \
	[k] = "INSERT INTO " t "_fts(rowid, " cols ") SELECT rowid, " cols " FROM " t " WHERE rowid = ?1",
#define INDEX_AFTER(k, t, cols, when)                                                        \
	[k] = "INSERT INTO " t "_fts(rowid, " cols ") SELECT rowid, " cols " FROM " t           \
	      " WHERE rowid > ?1 AND rowid <= ?2 ORDER BY rowid",
#define FORGET_ROW(k, t, cols, when)                                                         \
	[k] = "INSERT INTO " t "_fts(" t "_fts, rowid, " cols ") SELECT 'delete', rowid, " cols \
	      " FROM " t " WHERE id = ?1 AND rowid <= ?2",
#define MAX_ROWID(k, t, cols, when) [k] = "SELECT coalesce(max(rowid), 0) FROM " t,
#define INFO(k, t, cols, when) [k] = { t, cols, when },
#define DETACH(k, t, cols, when) "DROP TRIGGER IF EXISTS " t "_fts_au;"
#define REBUILD(k, t, cols, when) "INSERT INTO " t "_fts(" t "_fts) VALUES ('rebuild');"

static const char *const index_row_sql[CF_KIND_COUNT] = { FTS_KINDS(INDEX_ROW) };
static const char *const index_after_sql[CF_KIND_COUNT] = { FTS_KINDS(INDEX_AFTER) };
static const char *const forget_row_sql[CF_KIND_COUNT] = { FTS_KINDS(FORGET_ROW) };
static const char *const max_rowid_sql[CF_KIND_COUNT] = { FTS_KINDS(MAX_ROWID) };
static const struct fts_info info[CF_KIND_COUNT] = { FTS_KINDS(INFO) };

const struct fts_info *fts_info(enum cf_kind kind)
{
	return kind >= 0 && kind < CF_KIND_COUNT && info[kind].table ? &info[kind] : NULL;
}

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

	if (!index_after_sql[kind] || last <= after)
		return 0;
	progress_start(&p, &s->progress, "indexing for search", (uint64_t)(last - after), "rows");
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

int fts_forget(struct store *s, enum cf_kind kind, const char *id, int64_t indexed,
	       struct cf_err *err)
{
	sqlite3_stmt *st;
	int rc = 0;

	if (!forget_row_sql[kind])
		return 0;
	if (!(st = store_stmt(s, forget_row_sql[kind], err)))
		return CF_EDB;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, indexed);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = store_db_error(s, err, "full-text index");
	sqlite3_reset(st);
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

/* A store filled in bulk and never changed after (a view, view.c): no index is kept row by row
 * (inserts deferred, the update triggers dropped); fts_rebuild indexes every row at the end. */
int fts_detach(struct store *s, struct cf_err *err)
{
	s->fts_defer = 1;
	if (sqlite3_exec(s->db, FTS_KINDS(DETACH), NULL, NULL, NULL) != SQLITE_OK)
		return store_db_error(s, err, "full-text index");
	return 0;
}

/* A view's indexes (view_query.c): temporary ones over the views of the moment, which shadow
 * the case's own as the views shadow its tables, filled once, when the view is first searched. */
#define VIEW_FTS(k, t, cols, when)                                                            \
	"CREATE VIRTUAL TABLE temp." t "_fts USING fts5(" cols ", content='" t "',"            \
	" content_rowid='rowid', tokenize='trigram');"                                         \
	"INSERT INTO temp." t "_fts(" t "_fts) VALUES ('rebuild');"

int fts_for_view(struct store *s, struct cf_err *err)
{
	if (s->view_query != 1)
		return 0;
	if (sqlite3_exec(s->db, FTS_KINDS(VIEW_FTS), NULL, NULL, NULL) != SQLITE_OK)
		return store_db_error(s, err, "full-text index of the view");
	s->view_query = 2;
	return 0;
}

#define VIEW_FTS_DROP(k, t, cols, when) "DROP TABLE temp." t "_fts;"

int fts_view_drop(struct store *s, struct cf_err *err)
{
	if (s->view_query != 2)
		return 0;
	if (sqlite3_exec(s->db, FTS_KINDS(VIEW_FTS_DROP), NULL, NULL, NULL) != SQLITE_OK)
		return store_db_error(s, err, "full-text index of the view");
	s->view_query = 1;
	return 0;
}

int fts_rebuild(struct store *s, struct cf_err *err)
{
	if (sqlite3_exec(s->db, FTS_KINDS(REBUILD), NULL, NULL, NULL) != SQLITE_OK)
		return store_db_error(s, err, "full-text index");
	return 0;
}
