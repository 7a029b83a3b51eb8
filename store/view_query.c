/* view_query.c — the case at a past moment as a query, not a replay: a second connection to
 * the case's database in which temporary views, named as the record tables and the log, show
 * each record as the operations up to the moment leave it.  A record no operation touched
 * after the moment is its row as it stands (the indexes serve it); one touched after it is
 * folded from its operations up to the moment, field by field, in the replay's order (Lamport
 * clock, replica, id), so the answer is the replay's, under sync, undo and deletes too.  The
 * folded rows are kept in temporary tables, so that a view moved to another moment (stepping
 * through the changes) folds again only the records the operations in between touched. */
#include "store/internal.h"
#include "store/kinds.h"
#include "store/strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- SQL functions the views use (registered on the view's connection only) ---- */

/* cf_start(TEXT, TZ): the start of the time TEXT names in zone TZ (UTC seconds), or NULL. */
static void fn_start(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	const char *text = (const char *)sqlite3_value_text(argv[0]);
	const char *tz = argc > 1 ? (const char *)sqlite3_value_text(argv[1]) : NULL;
	int64_t t = view_start_of(text, tz);

	if (t == CF_NO_MOMENT)
		sqlite3_result_null(cx);
	else
		sqlite3_result_int64(cx, t);
}

/* cf_sort_key(KIND, TZ, FIELD1, ..., FIELDN): the sort key kind_sort_key gives a record of
 * KIND with those fields (in the kind table's order), as the row of a folded record. */
static void fn_sort_key(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	int kind = sqlite3_value_int(argv[0]);
	const char *tz = (const char *)sqlite3_value_text(argv[1]);
	const struct cf_kind_info *ki = cf_kind_info((enum cf_kind)kind);
	struct cf_record r;
	char *key;

	if (!ki || (size_t)argc != 2 + ki->nfields) {
		sqlite3_result_error(cx, "cf_sort_key: wrong arguments", -1);
		return;
	}
	cf_record_init(&r, (enum cf_kind)kind);
	for (size_t i = 0; i < ki->nfields; i++) {
		const char *v = (const char *)sqlite3_value_text(argv[2 + i]);
		r.v[i] = v ? xstrdup(v) : NULL;
	}
	key = kind_sort_key(&r, tz && *tz ? tz : NULL);
	cf_record_release(&r);
	if (!key) {
		sqlite3_result_error_nomem(cx);
		return;
	}
	sqlite3_result_text(cx, key, -1, free);
}

/* ---- the views ---- */

#define LIMIT "(SELECT as_of FROM temp.view_at)"
#define KNOWN "(SELECT known FROM temp.view_at)"
#define ZONE "(SELECT tz FROM temp.view_at)"
/* The latest operation of record t.id among FIELDS up to the moment, in the replay's order. */
#define LATEST_OP(fields) \
	" FROM main.op o WHERE o.record = t.id AND o.field IN (" fields ") AND o.at <= " LIMIT \
	" ORDER BY o.lamport DESC, o.replica DESC, o.id DESC LIMIT 1)"

/* Quoted names ("from" is a keyword); kind and field names come from the kind table only. */
static void put_name(struct strbuf *b, const char *prefix, const char *name)
{
	strbuf_addf(b, "%s\"%s\"", prefix, name);
}

/* The records of kind K folded from the log as of the moment, the ids from temp.SET: into
 * temp."fold_K", cast to the table's types (with the same affinity in both arms of asof_view
 * SQLite flattens it, and a screen's first rows come from a merge of the table's index and the
 * few folded rows, not a sort of the whole kind). */
static void fold_sql(struct strbuf *b, enum cf_kind k, const char *set)
{
	const struct cf_kind_info *ki = cf_kind_info(k);

	strbuf_addf(b, "INSERT INTO temp.\"fold_%s\" SELECT rowid, id, CAST(deleted AS INTEGER),"
		       " CAST(cf_sort_key(%d, " ZONE, ki->table, (int)k);
	for (size_t i = 0; i < ki->nfields; i++)
		put_name(b, ", ", ki->fields[i].name);
	strbuf_addstr(b, ") AS TEXT)");
	for (size_t i = 0; i < ki->nfields; i++) {
		put_name(b, ", CAST(", ki->fields[i].name);
		strbuf_addstr(b, " AS TEXT)");
	}
	strbuf_addstr(b, " FROM (SELECT t.rowid AS rowid, t.id AS id, coalesce((SELECT"
		       " o.field = '@delete'" LATEST_OP("'@delete', '@restore'") ", 0) AS deleted");
	for (size_t i = 0; i < ki->nfields; i++) {
		strbuf_addf(b, ", (SELECT CASE o.field WHEN '@create' THEN json_extract(o.new,"
			       " '$.\"%s\"') ELSE o.new END" LATEST_OP("'@create', '%s'") " AS",
			    ki->fields[i].name, ki->fields[i].name);
		put_name(b, " ", ki->fields[i].name);
	}
	strbuf_addf(b, " FROM main.\"%s\" t WHERE t.id IN (SELECT id FROM temp.%s) AND"
		       " EXISTS (SELECT 1 FROM main.op o WHERE o.record = t.id AND"
		       " o.field = '@create' AND o.at <= " LIMIT "));", ki->table, set);
}

/* The table the folded rows of kind K are kept in, and its index in the view's order. */
static void fold_table(struct strbuf *b, enum cf_kind k)
{
	const struct cf_kind_info *ki = cf_kind_info(k);

	strbuf_addf(b, "CREATE TEMP TABLE \"fold_%s\"(rid INTEGER PRIMARY KEY, id TEXT NOT NULL"
		       " UNIQUE, deleted INTEGER, sort_key TEXT", ki->table);
	for (size_t i = 0; i < ki->nfields; i++) {
		put_name(b, ", ", ki->fields[i].name);
		strbuf_addstr(b, " TEXT");
	}
	strbuf_addf(b, ");CREATE INDEX temp.\"fold_%s_order\" ON \"fold_%s\"(deleted, sort_key,"
		       " id);", ki->table, ki->table);
}

/* The record tables as of the moment: rows untouched since, and the rows folded from the log.
 * A kind none of whose records changed since is its table as it stands (the indexes serve the
 * view as they serve the case: the latest moment costs what now costs). */
static void asof_view(struct strbuf *b, enum cf_kind k, int changed)
{
	const struct cf_kind_info *ki = cf_kind_info(k);

	strbuf_addf(b, "CREATE TEMP VIEW \"asof_%s\" AS SELECT t.rowid AS rowid, t.id AS id,"
		       " t.deleted AS deleted, NULL AS conflicted, t.sort_key AS sort_key", ki->table);
	for (size_t i = 0; i < ki->nfields; i++)
		put_name(b, ", t.", ki->fields[i].name);
	if (!changed) {
		strbuf_addf(b, " FROM main.\"%s\" t;", ki->table);
		return;
	}
	strbuf_addf(b, " FROM main.\"%s\" t WHERE t.id NOT IN (SELECT id FROM temp.view_changed)"
		       " UNION ALL SELECT rid, id, deleted, NULL, sort_key", ki->table);
	for (size_t i = 0; i < ki->nfields; i++)
		put_name(b, ", ", ki->fields[i].name);
	strbuf_addf(b, " FROM temp.\"fold_%s\";", ki->table);
}

/* Whether row A of kind K had been learned by the known-at moment (view.c's rule, row by row,
 * so that a screen pays for the rows it shows): its own date, else the time its create
 * operation was entered, at or before the moment; a notice with a sent time always.  NULL
 * (not learned) when neither is known.  Empty for the kinds always there. */
static void put_learned(struct strbuf *b, enum cf_kind k)
{
	const struct view_dated *d = view_dated(k);
#define ENTERED_AT "cf_start((SELECT o.at FROM main.op o WHERE o.record = a.id AND" \
	" o.field = '@create' AND o.at <= " LIMIT " ORDER BY o.seq LIMIT 1), NULL)"

	if (!d)
		return;
	if (k == CF_NOTICE)
		strbuf_addf(b, "(cf_start(a.\"%s\", " ZONE ") IS NOT NULL OR " ENTERED_AT " <= "
			       KNOWN ")", d->field);
	else if (d->field)
		strbuf_addf(b, "(coalesce(cf_start(a.\"%s\", " ZONE "), " ENTERED_AT ") <= " KNOWN ")",
			    d->field);
	else
		strbuf_addstr(b, "(" ENTERED_AT " <= " KNOWN ")");
#undef ENTERED_AT
}

/* What had been learned by the known-at moment: the records learned later left out, a notice
 * sent later pending, one acknowledged later only sent, and the case's clocks that had not
 * started unset (view.c's rule, as the replay applies it). */
static void known_view(struct strbuf *b, enum cf_kind k)
{
	const struct cf_kind_info *ki = cf_kind_info(k);
/* KNOWN first: as of alone, no date is read in the zone (a thousand times a UTC read). */
#define AFTER(f) KNOWN " IS NOT NULL AND cf_start(\"" f "\", " ZONE ") > " KNOWN

	strbuf_addf(b, "CREATE TEMP VIEW \"%s\" AS SELECT rowid, id, deleted, conflicted, sort_key",
		    ki->table);
	for (size_t i = 0; i < ki->nfields; i++) {
		const struct cf_field *f = &ki->fields[i];
		if (k == CF_NOTICE && !strcmp(f->name, "sent"))
			strbuf_addstr(b, ", CASE WHEN " AFTER("sent") " THEN NULL ELSE sent END");
		else if (k == CF_NOTICE && !strcmp(f->name, "acknowledged"))
			strbuf_addstr(b, ", CASE WHEN " AFTER("sent") " OR " AFTER("acknowledged")
					 " THEN NULL ELSE acknowledged END");
		else if (k == CF_NOTICE && !strcmp(f->name, "status"))
			strbuf_addstr(b, ", CASE WHEN " AFTER("sent") " THEN 'pending' WHEN "
					 AFTER("acknowledged") " THEN 'sent' ELSE status END");
		else if (k == CF_CASE && f->type == CF_T_TIME)
			strbuf_addf(b, ", CASE WHEN " KNOWN " IS NOT NULL AND cf_start(\"%s\", "
				       ZONE ") > " KNOWN " THEN NULL ELSE \"%s\" END", f->name, f->name);
		else {
			put_name(b, ", ", f->name);
			continue;
		}
		put_name(b, " AS ", f->name);
	}
	strbuf_addf(b, " FROM temp.\"asof_%s\" a", ki->table);
	if (view_dated(k)) {
		strbuf_addstr(b, " WHERE " KNOWN " IS NULL OR ");
		put_learned(b, k);
	}
	strbuf_addstr(b, ";");
#undef AFTER
}

/* The log up to the moment, without the operations of records learned after the known-at
 * moment (view.c's replay skips them), each checked as it is read. */
static void op_view(struct strbuf *b)
{
	strbuf_addstr(b, "CREATE TEMP VIEW op AS SELECT p.* FROM main.op p WHERE p.at <= " LIMIT
			 " AND (" KNOWN " IS NULL OR CASE p.kind");
	for (int k = 0; k < CF_KIND_COUNT; k++) {
		const struct cf_kind_info *ki = cf_kind_info((enum cf_kind)k);
		if (!view_dated((enum cf_kind)k))
			continue;
		strbuf_addf(b, " WHEN '%s' THEN NOT EXISTS (SELECT 1 FROM temp.\"asof_%s\" a"
			       " WHERE a.id = p.record AND NOT coalesce(", ki->name, ki->table);
		put_learned(b, (enum cf_kind)k);
		strbuf_addstr(b, ", 0))");
	}
	strbuf_addstr(b, " ELSE 1 END);");
}

/* The registers a replay starts without: conflicts, quarantine, undo. */
static const char view_tail[] =
	"CREATE TEMP TABLE conflict AS SELECT * FROM main.conflict WHERE 0;"
	"CREATE TEMP TABLE quarantine AS SELECT * FROM main.quarantine WHERE 0;"
	"CREATE TEMP TABLE undo AS SELECT * FROM main.undo WHERE 0;";

/* The moment, the records changed after it (id and kind) and the records a move touches. */
static const char view_head[] =
	"CREATE TEMP TABLE view_at(as_of TEXT NOT NULL, known INTEGER, tz TEXT);"
	"INSERT INTO temp.view_at VALUES ('', NULL, NULL);"
	"CREATE TEMP TABLE view_changed(id TEXT PRIMARY KEY, kind TEXT) WITHOUT ROWID;"
	"CREATE INDEX temp.view_changed_kind ON view_changed(kind);"
	"CREATE TEMP TABLE view_todo(id TEXT PRIMARY KEY, kind TEXT) WITHOUT ROWID;";

/* What a view keeps to be moved: the moment its folds hold, and its prepared statements. */
struct view_state {
	char limit[CF_TIME_LEN]; /* the as-of limit the folds and view_changed hold */
	char tz[64];		 /* the zone of their sort keys */
	int64_t version;	 /* PRAGMA data_version when they were made */
	unsigned changed;	 /* the kinds whose asof view has the folded arm (1 << kind) */
	int memory;		 /* its temporary tables in memory (a view that moves) */
	sqlite3_stmt *fold[CF_KIND_COUNT];   /* fold_sql from view_todo */
	sqlite3_stmt *forget[CF_KIND_COUNT]; /* the folds of the ids in view_todo deleted */
};

int view_query_moves(const struct store *v)
{
	return v->vstate && v->vstate->memory;
}

void view_query_release(struct store *v)
{
	if (!v || !v->vstate)
		return;
	for (int k = 0; k < CF_KIND_COUNT; k++) {
		sqlite3_finalize(v->vstate->fold[k]);
		sqlite3_finalize(v->vstate->forget[k]);
	}
	free(v->vstate);
	v->vstate = NULL;
}

/* The moment's limit as the log's time text: "2019-06-05T16:00:00.999Z" sorts after every
 * operation of that second, as store_replay_until reads it. */
static void limit_text(int64_t as_of, char buf[CF_TIME_LEN])
{
	if (as_of == CF_NO_MOMENT) {
		cf_strlcpy(buf, "9999-12-31T23:59:59.999Z", CF_TIME_LEN);
		return;
	}
	cf_time_utc(as_of, buf, CF_TIME_LEN);
	snprintf(buf + 19, CF_TIME_LEN - 19, ".999Z");
}

static int exec_sql(struct store *v, const char *sql, struct cf_err *err)
{
	if (sqlite3_exec(v->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return store_db_error(v, err, "view of a past moment");
	return 0;
}

/* Runs cached statement ST (NULL: its preparing failed) with text parameters A and B (either
 * NULL), to its end. */
static int run(struct store *v, sqlite3_stmt *st, const char *a, const char *b,
	       struct cf_err *err)
{
	int rc;

	if (!st)
		return CF_EDB;
	if (a)
		sqlite3_bind_text(st, 1, a, -1, SQLITE_TRANSIENT);
	if (b)
		sqlite3_bind_text(st, 2, b, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : store_db_error(v, err, "view of a past moment");
	sqlite3_reset(st);
	return rc;
}

/* The as-of limit, the zone and the known-at moment (NULL: none) the views read. */
static int put_moment(struct store *v, const char *limit, const struct cf_moment *m,
		      struct cf_err *err)
{
	sqlite3_stmt *st = store_stmt(v, "UPDATE temp.view_at SET as_of = ?1, tz = ?2, known = ?3",
				      err);

	if (!st)
		return CF_EDB;
	bind_text(st, 2, m->tz[0] ? m->tz : NULL);
	if (m->known_at != CF_NO_MOMENT)
		sqlite3_bind_int64(st, 3, m->known_at);
	return run(v, st, limit, NULL, err);
}

/* Whether a record of kind K changed after the moment (temp.view_changed holds it). */
static int kind_changed(struct store *v, enum cf_kind k, struct cf_err *err)
{
	sqlite3_stmt *st = store_stmt(v, "SELECT EXISTS (SELECT 1 FROM temp.view_changed"
					 " WHERE kind = ?1)", err);
	int rc;

	if (!st)
		return CF_EDB;
	sqlite3_bind_text(st, 1, cf_kind_info(k)->name, -1, SQLITE_STATIC);
	rc = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0)
					     : store_db_error(v, err, "changes after the moment");
	sqlite3_reset(st);
	return rc;
}

/* Every fold made again for the limit in temp.view_at: the records changed after it (from
 * the log's index on time) and their rows as of it. */
static int fold_all(struct store *v, const char *limit, struct cf_err *err)
{
	struct strbuf sql = STRBUF_INIT;
	int rc;

	strbuf_addstr(&sql, "DELETE FROM temp.view_changed;");
	for (int k = 0; k < CF_KIND_COUNT; k++)
		strbuf_addf(&sql, "DELETE FROM temp.\"fold_%s\";", cf_kind_info(k)->table);
	rc = exec_sql(v, sql.buf, err);
	strbuf_reset(&sql);
	/* The limit bound, not read from view_at: the log's index on time serves it. */
	if (rc == 0)
		rc = run(v, store_stmt(v, "INSERT OR IGNORE INTO temp.view_changed SELECT record,"
					  " kind FROM main.op WHERE at > ?1", err), limit, NULL, err);
	for (int k = 0; rc == 0 && k < CF_KIND_COUNT; k++) {
		int changed = kind_changed(v, (enum cf_kind)k, err);
		if (changed < 0)
			rc = changed;
		else if (changed)
			fold_sql(&sql, (enum cf_kind)k, "view_changed");
	}

	if (rc == 0 && sql.len)
		rc = exec_sql(v, sql.buf, err);
	strbuf_release(&sql);
	return rc;
}

/* Each kind's asof view in the form its changes after the moment ask for, made again when
 * that changed (SQLite prepares the statements that read it again). */
static int put_views(struct store *v, int first, struct cf_err *err)
{
	struct view_state *vs = v->vstate;
	struct strbuf sql = STRBUF_INIT;
	int rc = 0;

	for (int k = 0; rc == 0 && k < CF_KIND_COUNT; k++) {
		int changed = kind_changed(v, (enum cf_kind)k, err);
		if (changed < 0)
			rc = changed;
		else if (first || changed != !!(vs->changed & (1u << k))) {
			if (!first)
				strbuf_addf(&sql, "DROP VIEW temp.\"asof_%s\";",
					    cf_kind_info(k)->table);
			asof_view(&sql, (enum cf_kind)k, changed);
			vs->changed = changed ? vs->changed | 1u << k : vs->changed & ~(1u << k);
		}
	}
	if (rc == 0 && sql.len)
		rc = exec_sql(v, sql.buf, err);
	strbuf_release(&sql);
	return rc;
}

int view_query_open(struct store *s, const struct cf_moment *m, int memory, struct store **out,
		    struct cf_err *err)
{
	struct store *v = NULL;
	struct strbuf sql = STRBUF_INIT;
	char limit[CF_TIME_LEN];
	int rc;

	if ((rc = store_open(s->dir, &v, err)) < 0)
		return rc;
	v->vstate = xcalloc(1, sizeof(*v->vstate));
	if (sqlite3_create_function(v->db, "cf_start", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
				    NULL, fn_start, NULL, NULL) != SQLITE_OK ||
	    sqlite3_create_function(v->db, "cf_sort_key", -1, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
				    NULL, fn_sort_key, NULL, NULL) != SQLITE_OK)
		rc = store_db_error(v, err, "view functions");
	/* A view that moves writes its temporary tables at every step: in a temporary file, each
	 * step faulted in about 130 fresh pages (1 to 5 ms at p99, measured; 0.1 ms in memory).
	 * What it holds grows with the records changed after its moment; an export (a view that
	 * never moves) keeps them, and its sorts, on disk. */
	if (memory)
		strbuf_addstr(&sql, "PRAGMA temp_store = MEMORY;");
	v->vstate->memory = memory;
	strbuf_addstr(&sql, view_head);
	for (int k = 0; k < CF_KIND_COUNT; k++)
		fold_table(&sql, (enum cf_kind)k);
	if (rc == 0)
		rc = exec_sql(v, sql.buf, err);
	strbuf_reset(&sql);
	limit_text(m->as_of, limit);
	/* Read first: a change committed while the folds are made shows at the next move. */
	if (rc == 0 && (v->vstate->version = store_data_version(v, err)) < 0)
		rc = (int)v->vstate->version;
	if (rc == 0 && (rc = put_moment(v, limit, m, err)) == 0)
		rc = fold_all(v, limit, err);
	if (rc == 0)
		rc = put_views(v, 1, err);
	for (int k = 0; k < CF_KIND_COUNT; k++)
		known_view(&sql, (enum cf_kind)k);
	op_view(&sql);
	strbuf_addstr(&sql, view_tail);
	if (rc == 0)
		rc = exec_sql(v, sql.buf, err);
	strbuf_release(&sql);
	cf_strlcpy(v->vstate->limit, limit, sizeof(v->vstate->limit));
	cf_strlcpy(v->vstate->tz, m->tz, sizeof(v->vstate->tz));
	if (rc == 0 && m->tz[0]) {
		free(v->tz);
		v->tz = xstrdup(m->tz);
	}
	v->view_query = 1;
	if (rc < 0) {
		store_close(v);
		return rc;
	}
	*out = v;
	return 0;
}

/* ---- moving a view to another moment ---- */

/* Statement *ST for kind K prepared from the SQL MAKE writes, once; NULL on error. */
static sqlite3_stmt *kind_stmt(struct store *v, sqlite3_stmt **st, enum cf_kind k,
			       void (*make)(struct strbuf *, enum cf_kind), struct cf_err *err)
{
	struct strbuf sql = STRBUF_INIT;

	if (*st)
		return *st;
	make(&sql, k);
	if (sqlite3_prepare_v2(v->db, sql.buf, -1, st, NULL) != SQLITE_OK) {
		store_db_error(v, err, "view of a past moment");
		*st = NULL;
	}
	strbuf_release(&sql);
	return *st;
}

static void fold_todo_sql(struct strbuf *b, enum cf_kind k)
{
	fold_sql(b, k, "view_todo");
}

static void forget_todo_sql(struct strbuf *b, enum cf_kind k)
{
	strbuf_addf(b, "DELETE FROM temp.\"fold_%s\" WHERE id IN (SELECT id FROM temp.view_todo)",
		    cf_kind_info(k)->table);
}

/* The kinds of the records in temp.view_todo (1 << kind), or a negative error. */
static int64_t todo_kinds(struct store *v, struct cf_err *err)
{
	sqlite3_stmt *st = store_stmt(v, "SELECT DISTINCT kind FROM temp.view_todo", err);
	int64_t kinds = 0;
	int step;

	if (!st)
		return CF_EDB;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		const struct cf_kind_info *ki =
			cf_kind_by_name((const char *)sqlite3_column_text(st, 0));
		if (ki)
			kinds |= 1 << ki->kind;
	}
	sqlite3_reset(st);
	return step == SQLITE_DONE ? kinds : store_db_error(v, err, "changes after the moment");
}

/* From limit FROM to limit TO: the records an operation in between touched (and only those:
 * another record's fold up to one limit is its fold up to the other) leave view_changed and
 * their folds, then those still changed after TO are folded again as of TO. */
static int fold_between(struct store *v, const char *from, const char *to, struct cf_err *err)
{
	struct view_state *vs = v->vstate;
	int64_t kinds;
	int rc = exec_sql(v, "DELETE FROM temp.view_todo", err);

	if (rc == 0)
		rc = run(v, store_stmt(v, "INSERT OR IGNORE INTO temp.view_todo SELECT record, kind"
					  " FROM main.op WHERE at > min(?1, ?2) AND at <= max(?1, ?2)",
				       err), from, to, err);
	if (rc < 0 || (kinds = todo_kinds(v, err)) <= 0)
		return rc < 0 ? rc : (int)kinds;
	for (int k = 0; rc == 0 && k < CF_KIND_COUNT; k++)
		if (kinds & (1 << k))
			rc = run(v, kind_stmt(v, &vs->forget[k], (enum cf_kind)k, forget_todo_sql,
					      err), NULL, NULL, err);
	if (rc == 0)
		rc = exec_sql(v, "DELETE FROM temp.view_changed WHERE id IN"
				 " (SELECT id FROM temp.view_todo);"
				 "INSERT INTO temp.view_changed SELECT id, kind FROM temp.view_todo d"
				 " WHERE EXISTS (SELECT 1 FROM main.op o WHERE o.record = d.id AND"
				 " o.at > (SELECT as_of FROM temp.view_at));"
				 "DELETE FROM temp.view_todo WHERE id NOT IN"
				 " (SELECT id FROM temp.view_changed);", err);
	for (int k = 0; rc == 0 && k < CF_KIND_COUNT; k++)
		if (kinds & (1 << k))
			rc = run(v, kind_stmt(v, &vs->fold[k], (enum cf_kind)k, fold_todo_sql, err),
				 NULL, NULL, err);
	return rc;
}

/* V at M, inside the caller's savepoint. */
static int move(struct store *v, const struct cf_moment *m, struct cf_err *err)
{
	struct view_state *vs = v->vstate;
	char limit[CF_TIME_LEN];
	int64_t version = store_data_version(v, err);
	int rc;

	if (version < 0)
		return (int)version;
	limit_text(m->as_of, limit);
	if ((rc = put_moment(v, limit, m, err)) < 0)
		return rc;
	/* The case changed since (another connection wrote), or the sort keys' zone did: every
	 * fold again, as a view opened now. */
	if (version != vs->version || strcmp(vs->tz, m->tz))
		rc = fold_all(v, limit, err);
	else if (strcmp(vs->limit, limit))
		rc = fold_between(v, vs->limit, limit, err);
	if (rc == 0)
		rc = put_views(v, 0, err);
	if (rc == 0 && v->view_query == 2) /* search indexes of the old moment */
		rc = fts_view_drop(v, err);
	if (rc == 0)
		rc = view_case_check(v, m, err);
	if (rc == 0) {
		cf_strlcpy(vs->limit, limit, sizeof(vs->limit));
		cf_strlcpy(vs->tz, m->tz, sizeof(vs->tz));
		vs->version = version;
	}
	return rc;
}

int view_query_move(struct store *v, const struct cf_moment *m, struct cf_err *err)
{
	unsigned changed;
	int rc, fts;

	if (!v->vstate)
		return cf_error(err, CF_EINVAL, "not a view of a past moment");
	changed = v->vstate->changed;
	fts = v->view_query;
	if ((rc = exec_sql(v, "SAVEPOINT view_move", err)) < 0)
		return rc;
	if ((rc = move(v, m, err)) == 0)
		return exec_sql(v, "RELEASE view_move", err);
	/* Left at the moment it showed: the temporary tables and views as they were. */
	sqlite3_exec(v->db, "ROLLBACK TO view_move; RELEASE view_move", NULL, NULL, NULL);
	v->vstate->changed = changed;
	v->view_query = fts;
	return rc;
}
