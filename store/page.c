/* page.c — pages of records and operations from any position, forwards or backwards, for
 * screens that must scroll through a million rows at the cost of one page (store.h). */
#include "store/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* SQL of a page read, built in a strbuf (no length limit to outgrow).  Identifiers in it come
 * only from the compile-time kind table (table and field names, checked with cf_field_index);
 * every value is a bound parameter. */
static void build_columns(const struct cf_kind_info *ki, struct strbuf *sql)
{
	strbuf_addstr(sql, "SELECT id, deleted, conflicted");
	for (size_t i = 0; i < ki->nfields; i++)
		strbuf_addf(sql, ", \"%s\"", ki->fields[i].name);
}

/* A notice's status as every view shows it is the deadline engine's (store/deadline): a
 * filter on it matches the engine's status (the ids in the JSON array ?N) or the recorded one. */
static int derived_status(const struct cf_kind_info *ki, const char *field)
{
	return ki->kind == CF_NOTICE && field && strcmp(field, "status") == 0;
}

/* The WHERE clause: live rows, the filter (?4, and ?5 for a notice's status), and the position
 * (?1, ?2) unless KEY is NULL. */
static int build_where(const struct cf_kind_info *ki, const struct cf_seek *q, int with_pos,
		       struct strbuf *sql, struct cf_err *err)
{
	strbuf_addf(sql, " FROM \"%s\" WHERE deleted = 0", ki->table);
	if (q && q->filter_field) {
		int f = cf_field_index(ki, q->filter_field);
		if (f < 0)
			return cf_error(err, CF_EINVAL, "%s has no field '%s'", ki->title,
					q->filter_field);
		if (derived_status(ki, q->filter_field))
			strbuf_addstr(sql, " AND (\"status\" = ?4 OR id IN"
				      " (SELECT value FROM json_each(?5)))");
		else
			strbuf_addf(sql, " AND \"%s\" = ?4", ki->fields[f].name);
	}
	if (with_pos) {
		const char *op = q->backward ? (q->inclusive ? "<=" : "<")
					     : (q->inclusive ? ">=" : ">");
		strbuf_addf(sql, " AND (sort_key, id) %s (?1, ?2)", op);
	}
	return 0;
}

/* ?5 of a filter on a notice's status: the ids of the notices with that engine status. */
static int bind_status_ids(struct store *s, const struct cf_kind_info *ki,
			   const struct cf_seek *q, sqlite3_stmt *st, struct cf_err *err)
{
	char *ids;
	int rc;

	if (!q || !derived_status(ki, q->filter_field))
		return 0;
	if ((rc = notice_ids_by_status(s, q->filter_value ? q->filter_value : "", &ids, err)) < 0)
		return rc;
	sqlite3_bind_text(st, 5, ids, -1, free);
	return 0;
}

static void bind_seek(sqlite3_stmt *st, const struct cf_seek *q, const char *key,
		      const char *id)
{
	if (key) {
		sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, id ? id : "", -1, SQLITE_STATIC);
	}
	if (q && q->filter_field)
		bind_text(st, 4, q->filter_value);
}

int record_seek(struct store *s, enum cf_kind kind, const struct cf_seek *q, seek_cb cb,
		void *ctx, struct cf_err *err)
{
	const struct cf_kind_info *ki = cf_kind_info(kind);
	struct strbuf sql = STRBUF_INIT;
	sqlite3_stmt *st = NULL;
	struct cf_record r;
	int rc, stop = 0;

	if (!ki)
		return cf_error(err, CF_EINVAL, "no such record kind");
	build_columns(ki, &sql);
	strbuf_addstr(&sql, ", sort_key");
	if ((rc = build_where(ki, q, q->key != NULL, &sql, err)) == 0) {
		strbuf_addf(&sql, " ORDER BY %s LIMIT ?3",
			    q->backward ? "sort_key DESC, id DESC" : "sort_key, id");
		/* A dedicated statement, not the cache: callbacks may use the store meanwhile. */
		if (sqlite3_prepare_v2(s->db, sql.buf, -1, &st, NULL) != SQLITE_OK)
			rc = store_db_error(s, err, "read page");
	}
	strbuf_release(&sql);
	if (rc < 0 || (rc = bind_status_ids(s, ki, q, st, err)) < 0) {
		sqlite3_finalize(st); /* NULL when it was not prepared */
		return rc;
	}
	bind_seek(st, q, q->key, q->id);
	sqlite3_bind_int64(st, 3, q->limit > 0 ? q->limit : -1);
	while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *key = NULL;
		int bad = record_from_row(&r, kind, st, err);
		if (bad == 0 && !(key = col_text(st, 3 + (int)ki->nfields, err)))
			bad = CF_EDB;
		if (bad == 0)
			stop = cb(&r, key, ctx);
		cf_record_release(&r);
		if (bad < 0) {
			sqlite3_finalize(st);
			return bad;
		}
	}
	rc = (stop || rc == SQLITE_DONE) ? 0 : store_db_error(s, err, "read page");
	sqlite3_finalize(st);
	return rc;
}

/* The time field of the kinds whose sort key starts with something else, or NULL. */
static const char *window_field(enum cf_kind kind)
{
	return kind == CF_ESTIMATE ? "as_of" : kind == CF_CUSTODY ? "at" : NULL;
}

/* The WHERE clause of a filtered list: ?1..?4 as in the kind's list statement, then one
 * parameter per match (?5...), then the time window. */
static int build_match(const struct cf_kind_info *ki, const struct cf_page *p,
		       struct strbuf *sql, struct cf_err *err)
{
	char key[CF_TIME_LEN];
	int i;

	strbuf_addf(sql, " FROM \"%s\" WHERE (deleted = 0 OR ?4)"
		    " AND (?1 IS NULL OR (sort_key, id) > (?1, ?2))", ki->table);
	for (i = 0; i < CF_PAGE_MATCH && p->match_field[i]; i++) {
		int f = cf_field_index(ki, p->match_field[i]);
		if (f < 0)
			return cf_error(err, CF_EINVAL, "%s has no field '%s'", ki->title,
					p->match_field[i]);
		if (derived_status(ki, p->match_field[i]))
			strbuf_addf(sql, " AND (\"status\" = ?%d OR id IN (SELECT value FROM"
				    " json_each(?%d)))", 5 + i, 7 + CF_PAGE_MATCH);
		else
			strbuf_addf(sql, " AND \"%s\" = ?%d", ki->fields[f].name, 5 + i);
	}
	if ((p->has_since || p->has_until) && record_time_key(ki->kind, 0, key, sizeof(key)) < 0)
		return window_field(ki->kind) ? 0 /* filtered row by row */
		       : cf_error(err, CF_EINVAL, "a %s has no time to filter by", ki->title);
	/* Unknown times have the sort key "~", after every time. */
	if (p->has_since)
		strbuf_addf(sql, " AND sort_key >= ?%d AND sort_key < '~'", 5 + CF_PAGE_MATCH);
	if (p->has_until)
		strbuf_addf(sql, " AND sort_key < ?%d", 6 + CF_PAGE_MATCH);
	return 0;
}

/* The window of a kind sorted by something before its time (an estimate by category, a custody
 * event by item) is checked on each row: its time's start at or after SINCE, before UNTIL, as
 * the sort keys compare for the others; an unknown time matches neither. */
static int in_window(struct store *s, const struct cf_record *r, const struct cf_page *p)
{
	const char *text = cf_record_get(r, window_field(r->kind));
	struct cf_when w;
	struct cf_err e;

	if (!p->has_since && !p->has_until)
		return 1;
	if (!text || cf_when_parse(text, s->tz, &w, &e) < 0)
		return 0;
	return (!p->has_since || w.start >= p->since) && (!p->has_until || w.start < p->until);
}

/* A window checked row by row: the rows in it go to CB, LEFT of them at the most (-1: all). */
struct window {
	struct store *s;
	const struct cf_page *p;
	record_cb cb;
	void *ctx;
	int64_t left;
};

static int window_row(const struct cf_record *r, void *vctx)
{
	struct window *w = vctx;

	if (!in_window(w->s, r, w->p))
		return 0;
	return w->cb(r, w->ctx) || --w->left == 0;
}

int record_list_match(struct store *s, enum cf_kind kind, const struct cf_page *p,
		      record_cb cb, void *ctx, struct cf_err *err)
{
	const struct cf_kind_info *ki = cf_kind_info(kind);
	struct strbuf sql = STRBUF_INIT;
	char since[CF_TIME_LEN], until[CF_TIME_LEN], *ids = NULL;
	int by_row = window_field(kind) && (p->has_since || p->has_until);
	int64_t left = p->limit > 0 ? p->limit : -1; /* rows still to give (by_row counts) */
	sqlite3_stmt *st;
	int rc;

	if (!ki)
		return cf_error(err, CF_EINVAL, "no such record kind");
	for (int i = 0; i < CF_PAGE_MATCH && p->match_field[i] && !ids; i++)
		if (derived_status(ki, p->match_field[i]) &&
		    (rc = notice_ids_by_status(s, p->match_value[i], &ids, err)) < 0)
			return rc;
	build_columns(ki, &sql);
	strbuf_addstr(&sql, ", sort_key");
	if ((rc = build_match(ki, p, &sql, err)) == 0) {
		strbuf_addstr(&sql, " ORDER BY sort_key, id LIMIT ?3");
		if (sqlite3_prepare_v2(s->db, sql.buf, -1, &st, NULL) != SQLITE_OK)
			rc = store_db_error(s, err, "list");
	}
	strbuf_release(&sql);
	if (rc < 0) {
		free(ids);
		return rc;
	}
	if (ids)
		sqlite3_bind_text(st, 7 + CF_PAGE_MATCH, ids, -1, free);
	bind_text(st, 1, p->after_key);
	bind_text(st, 2, p->after_id ? p->after_id : "");
	sqlite3_bind_int64(st, 3, by_row ? -1 : left);
	sqlite3_bind_int(st, 4, p->include_deleted);
	for (int i = 0; i < CF_PAGE_MATCH && p->match_field[i]; i++)
		bind_text(st, 5 + i, p->match_value[i]);
	if (p->has_since && record_time_key(kind, p->since, since, sizeof(since)) == 0)
		sqlite3_bind_text(st, 5 + CF_PAGE_MATCH, since, -1, SQLITE_STATIC);
	if (p->has_until && record_time_key(kind, p->until, until, sizeof(until)) == 0)
		sqlite3_bind_text(st, 6 + CF_PAGE_MATCH, until, -1, SQLITE_STATIC);
	if (!by_row)
		return record_rows(s, st, kind, cb, ctx, "list", err);
	struct window w = { s, p, cb, ctx, left };
	return record_rows(s, st, kind, window_row, &w, "list", err);
}

int record_ids(struct store *s, enum cf_kind kind, const char *prefix, int limit,
	       int (*cb)(const char *id, void *ctx), void *ctx, struct cf_err *err)
{
	const struct cf_kind_info *ki = cf_kind_info(kind);
	char sql[256];
	sqlite3_stmt *st;
	int rc, stop = 0;

	if (!ki)
		return cf_error(err, CF_EINVAL, "no such record kind");
	/* Ids are lowercase letters and digits, all before '~': a range on the primary key. */
	snprintf(sql, sizeof(sql), "SELECT id FROM \"%s\" WHERE deleted = 0 AND id >= ?1"
		 " AND id < ?1 || '~' ORDER BY id LIMIT ?2", ki->table);
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return store_db_error(s, err, "list ids");
	sqlite3_bind_text(st, 1, prefix ? prefix : "", -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, limit > 0 ? limit : -1);
	while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW)
		stop = cb((const char *)sqlite3_column_text(st, 0), ctx);
	rc = (stop || rc == SQLITE_DONE) ? 0 : store_db_error(s, err, "list ids");
	sqlite3_finalize(st);
	return rc;
}

int record_key(struct store *s, enum cf_kind kind, const char *id, char **key,
	       struct cf_err *err)
{
	const struct cf_kind_info *ki = cf_kind_info(kind);
	char sql[256];
	sqlite3_stmt *st;
	int rc;

	*key = NULL;
	if (!ki)
		return cf_error(err, CF_EINVAL, "no such record kind");
	snprintf(sql, sizeof(sql), "SELECT sort_key FROM \"%s\" WHERE id = ?1 AND deleted = 0",
		 ki->table);
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return store_db_error(s, err, "read record");
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		rc = col_dup(key, st, 0, 1, err);
	} else if (rc == SQLITE_DONE) {
		rc = cf_error(err, CF_ENOTFOUND, "no %s '%s'", ki->title, id);
	} else {
		rc = store_db_error(s, err, "read record");
	}
	sqlite3_finalize(st);
	return rc;
}

int64_t record_rank(struct store *s, enum cf_kind kind, const struct cf_seek *q,
		    const char *key, const char *id, struct cf_err *err)
{
	const struct cf_kind_info *ki = cf_kind_info(kind);
	struct cf_seek pos = { .backward = 1 }; /* rows before the position */
	struct strbuf sql = STRBUF_INIT;
	sqlite3_stmt *st;
	int64_t n = 0;
	int rc;

	if (!ki)
		return cf_error(err, CF_EINVAL, "no such record kind");
	if (q) {
		pos.filter_field = q->filter_field;
		pos.filter_value = q->filter_value;
	}
	strbuf_addstr(&sql, "SELECT count(*)");
	if ((rc = build_where(ki, &pos, key != NULL, &sql, err)) == 0 &&
	    sqlite3_prepare_v2(s->db, sql.buf, -1, &st, NULL) != SQLITE_OK)
		rc = store_db_error(s, err, "count");
	strbuf_release(&sql);
	if (rc < 0)
		return rc;
	if ((rc = bind_status_ids(s, ki, &pos, st, err)) < 0) {
		sqlite3_finalize(st);
		return rc;
	}
	bind_seek(st, &pos, key, id);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	else
		n = store_db_error(s, err, "count");
	sqlite3_finalize(st);
	return n;
}

int record_time_filterable(enum cf_kind kind)
{
	char key[CF_TIME_LEN];
	return record_time_key(kind, 0, key, sizeof(key)) == 0 || window_field(kind) != NULL;
}

int record_time_key(enum cf_kind kind, int64_t t, char *buf, size_t len)
{
	/* The same text kind_sort_key writes for the kinds ordered by one time alone. */
	if (kind != CF_EVENT && kind != CF_NOTICE && kind != CF_TASK && kind != CF_EVIDENCE &&
	    kind != CF_NOTE)
		return CF_EINVAL;
	snprintf(buf, len, "%015lld", (long long)(t + 100000000000LL));
	return 0;
}

/* The time a sort key of a kind ordered by one time stands for (record_time_key's inverse). */
static int64_t key_time(const char *key)
{
	return strtoll(key, NULL, 10) - 100000000000LL;
}

/* The first (or, LAST, the last) dated row's time under Q's filter into *T; CF_ENOTFOUND when
 * none is dated. */
static int time_end(struct store *s, const struct cf_kind_info *ki, const struct cf_seek *q,
		    int last, int64_t *t, struct cf_err *err)
{
	struct strbuf sql = STRBUF_INIT;
	sqlite3_stmt *st = NULL;
	int rc;

	strbuf_addstr(&sql, "SELECT sort_key");
	if ((rc = build_where(ki, q, 0, &sql, err)) == 0) {
		strbuf_addf(&sql, " AND sort_key < '~' ORDER BY sort_key%s LIMIT 1",
			    last ? " DESC" : "");
		if (sqlite3_prepare_v2(s->db, sql.buf, -1, &st, NULL) != SQLITE_OK)
			rc = store_db_error(s, err, "density");
	}
	strbuf_release(&sql);
	if (rc == 0 && (rc = bind_status_ids(s, ki, q, st, err)) == 0) {
		bind_seek(st, q, NULL, NULL);
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW)
			*t = key_time((const char *)sqlite3_column_text(st, 0));
		rc = rc == SQLITE_ROW ? 0 : rc == SQLITE_DONE ? CF_ENOTFOUND
					      : store_db_error(s, err, "density");
	}
	sqlite3_finalize(st);
	return rc;
}

/* The rows under Q's filter whose sort key is in [FROM, TO) into *N, with ST prepared by
 * record_density. */
static int count_range(struct store *s, sqlite3_stmt *st, const char *from, const char *to,
		       int64_t *n, struct cf_err *err)
{
	sqlite3_reset(st);
	sqlite3_bind_text(st, 1, from, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, to, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(st) != SQLITE_ROW)
		return store_db_error(s, err, "density");
	*n = sqlite3_column_int64(st, 0);
	return 0;
}

int record_density(struct store *s, enum cf_kind kind, const struct cf_seek *q, int n,
		   int64_t *counts, struct cf_density *d, struct cf_err *err)
{
	const struct cf_kind_info *ki = cf_kind_info(kind);
	struct strbuf sql = STRBUF_INIT;
	char from[CF_TIME_LEN], to[CF_TIME_LEN];
	sqlite3_stmt *st = NULL;
	int64_t span;
	int rc;

	memset(d, 0, sizeof(*d));
	if (!ki || n < 1 || record_time_key(kind, 0, from, sizeof(from)) < 0)
		return cf_error(err, CF_EINVAL, "no density of this record kind");
	if ((rc = time_end(s, ki, q, 0, &d->first, err)) < 0 ||
	    (rc = time_end(s, ki, q, 1, &d->last, err)) < 0)
		return rc;
	strbuf_addstr(&sql, "SELECT count(*)");
	if ((rc = build_where(ki, q, 0, &sql, err)) == 0) {
		strbuf_addstr(&sql, " AND sort_key >= ?1 AND sort_key < ?2");
		if (sqlite3_prepare_v2(s->db, sql.buf, -1, &st, NULL) != SQLITE_OK)
			rc = store_db_error(s, err, "density");
	}
	strbuf_release(&sql);
	if (rc == 0 && (rc = bind_status_ids(s, ki, q, st, err)) == 0)
		bind_seek(st, q, NULL, NULL);
	/* N equal parts of [first, last], the last part ending just after LAST; a second each
	 * at the least (the first N seconds from FIRST). */
	span = d->span = d->last - d->first + 1 > n ? d->last - d->first + 1 : n;
	for (int i = 0; rc == 0 && i < n; i++) {
		record_time_key(kind, d->first + span * i / n, from, sizeof(from));
		record_time_key(kind, d->first + span * (i + 1) / n, to, sizeof(to));
		rc = count_range(s, st, from, to, &counts[i], err);
		d->dated += rc == 0 ? counts[i] : 0;
	}
	/* Unknown times sort as "~", after every time. */
	if (rc == 0)
		rc = count_range(s, st, "~", "~~", &d->undated, err);
	sqlite3_finalize(st);
	return rc;
}

static const char *const op_seek_sql[2][2] = {
	{ "SELECT " OP_COLS ", seq FROM op WHERE seq > ?1 ORDER BY seq LIMIT ?2",
	  "SELECT " OP_COLS ", seq FROM op WHERE seq >= ?1 ORDER BY seq LIMIT ?2" },
	{ "SELECT " OP_COLS ", seq FROM op WHERE seq < ?1 ORDER BY seq DESC LIMIT ?2",
	  "SELECT " OP_COLS ", seq FROM op WHERE seq <= ?1 ORDER BY seq DESC LIMIT ?2" },
};

int op_seek(struct store *s, int64_t seq, int backward, int inclusive, int limit,
	    op_seek_cb cb, void *ctx, struct cf_err *err)
{
	sqlite3_stmt *st;
	struct cf_op op;
	int rc, stop = 0;

	if (sqlite3_prepare_v2(s->db, op_seek_sql[!!backward][!!inclusive], -1, &st, NULL) !=
	    SQLITE_OK)
		return store_db_error(s, err, "read operations");
	if (seq <= 0)
		sqlite3_bind_int64(st, 1, backward ? INT64_MAX : 0);
	else
		sqlite3_bind_int64(st, 1, seq);
	sqlite3_bind_int64(st, 2, limit > 0 ? limit : -1);
	while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		int bad = op_from_row(&op, st, err);
		if (bad == 0)
			stop = cb(&op, sqlite3_column_int64(st, OP_NCOLS), ctx);
		cf_op_release(&op);
		if (bad < 0) {
			sqlite3_finalize(st);
			return bad;
		}
	}
	rc = (stop || rc == SQLITE_DONE) ? 0 : store_db_error(s, err, "read operations");
	sqlite3_finalize(st);
	return rc;
}

static int64_t one_int(struct store *s, const char *sql, const char *what, struct cf_err *err)
{
	sqlite3_stmt *st = store_stmt(s, sql, err);
	int64_t n;

	if (!st)
		return CF_EDB;
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	else
		n = store_db_error(s, err, what);
	sqlite3_reset(st);
	return n;
}

int64_t op_last_seq(struct store *s, struct cf_err *err)
{
	return one_int(s, "SELECT coalesce(max(seq), 0) FROM op", "read operations", err);
}

int64_t store_data_version(struct store *s, struct cf_err *err)
{
	return one_int(s, "PRAGMA data_version", "data version", err);
}
