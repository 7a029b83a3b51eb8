/* cursor.c — the records of one kind in the total order every document lists them in, read
 * one at a time from SQL: the kind's natural order, then every field (times by start, then
 * end; numbers as numbers; unset last), references last, then the id.  The same order on every
 * replica and at every moment, in bounded memory (SQLite sorts what no index orders, on disk
 * past its cache). */
#include "store/internal.h"
#include "store/kinds.h"
#include "store/strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct record_cursor {
	struct store *s;
	sqlite3_stmt *st;
	enum cf_kind kind;
};

/* cf_time_order(TEXT, TZ): a key that sorts known times first, by start then end; NULL-free
 * text, so "IS NULL, TEXT" after it decides between unknown times as strcmp would. */
static void fn_time_order(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	const char *text = (const char *)sqlite3_value_text(argv[0]);
	const char *tz = argc > 1 ? (const char *)sqlite3_value_text(argv[1]) : NULL;
	struct cf_when w;
	char key[64];

	if (!text || cf_when_parse(text, tz && *tz ? tz : NULL, &w, NULL) < 0) {
		sqlite3_result_text(cx, "1", 1, SQLITE_STATIC);
		return;
	}
	/* Offset so that every int64 sorts as text: 20 digits, 0 at INT64_MIN. */
	snprintf(key, sizeof(key), "0%020llu%020llu",
		 (unsigned long long)w.start ^ 0x8000000000000000ULL,
		 (unsigned long long)w.end ^ 0x8000000000000000ULL);
	sqlite3_result_text(cx, key, -1, SQLITE_TRANSIENT);
}

/* The field ordering each kind first, as record_list orders them; for the kinds whose sort_key
 * is that field's start alone, the index on sort_key serves the first step. */
static const struct {
	const char *first;
	int by_key;
} order[CF_KIND_COUNT] = {
	[CF_EVENT] = { "occurred", 1 }, [CF_ESTIMATE] = { "category", 0 },
	[CF_NOTICE] = { "due", 1 },     [CF_TASK] = { "due", 1 },
	[CF_EVIDENCE] = { "collected_at", 1 }, [CF_CUSTODY] = { "at", 0 },
	[CF_NOTE] = { "at", 1 },        [CF_MEMBER] = { "name", 0 },
};

static void put_order(struct strbuf *b, const struct cf_field *f)
{
	if (f->type == CF_T_TIME)
		strbuf_addf(b, ", cf_time_order(\"%s\", ?1)", f->name);
	strbuf_addf(b, ", \"%s\" IS NULL", f->name);
	if (f->type == CF_T_INT)
		strbuf_addf(b, ", CAST(\"%s\" AS INTEGER)", f->name);
	strbuf_addf(b, ", \"%s\"", f->name);
}

/* SELECT ... ORDER BY: the comparison export/model.c made in memory before, field by field. */
static void build(struct strbuf *b, enum cf_kind k)
{
	const struct cf_kind_info *ki = cf_kind_info(k);
	int first = order[k].first ? cf_field_index(ki, order[k].first) : -1;

	strbuf_addstr(b, "SELECT id, deleted, conflicted");
	for (size_t i = 0; i < ki->nfields; i++)
		strbuf_addf(b, ", \"%s\"", ki->fields[i].name);
	strbuf_addf(b, " FROM \"%s\" WHERE deleted = 0 ORDER BY ", ki->table);
	if (order[k].by_key)
		strbuf_addstr(b, "sort_key, ");
	strbuf_addstr(b, "1 = 1"); /* a constant: each step after it starts with a comma */
	if (first >= 0)
		put_order(b, &ki->fields[first]);
	if (k == CF_ESTIMATE)
		put_order(b, &ki->fields[cf_field_index(ki, "as_of")]);
	for (int refs = 0; refs <= 1; refs++)
		for (size_t i = 0; i < ki->nfields; i++)
			if ((ki->fields[i].type == CF_T_REF) == refs)
				put_order(b, &ki->fields[i]);
	strbuf_addstr(b, ", id");
}

int record_cursor_open(struct store *s, enum cf_kind kind, const char *tz,
		       struct record_cursor **out, struct cf_err *err)
{
	struct record_cursor *c;
	struct strbuf sql = STRBUF_INIT;
	int rc = 0;

	*out = NULL;
	if (kind <= CF_CASE || kind >= CF_KIND_COUNT)
		return cf_error(err, CF_EINVAL, "no such record kind");
	if (!s->order_fn) {
		if (sqlite3_create_function(s->db, "cf_time_order", 2,
					    SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
					    fn_time_order, NULL, NULL) != SQLITE_OK)
			return store_db_error(s, err, "order function");
		s->order_fn = 1;
	}
	if (!(c = xcalloc(1, sizeof(*c))))
		return cf_error(err, CF_ERR, "out of memory");
	c->s = s;
	c->kind = kind;
	build(&sql, kind);
	/* A statement of its own, not the cache: several cursors may be open at once. */
	if (sqlite3_prepare_v2(s->db, sql.buf, -1, &c->st, NULL) != SQLITE_OK)
		rc = store_db_error(s, err, "records in order");
	strbuf_release(&sql);
	if (rc < 0) {
		free(c);
		return rc;
	}
	bind_text(c->st, 1, tz && *tz ? tz : NULL);
	*out = c;
	return 0;
}

int record_cursor_next(struct record_cursor *c, struct cf_record *r, struct cf_err *err)
{
	int step = sqlite3_step(c->st), rc;

	if (step == SQLITE_DONE)
		return 0;
	if (step != SQLITE_ROW)
		return store_db_error(c->s, err, "records in order");
	if ((rc = record_from_row(r, c->kind, c->st, err)) < 0) {
		cf_record_release(r);
		return rc;
	}
	return 1;
}

void record_cursor_close(struct record_cursor *c)
{
	if (!c)
		return;
	sqlite3_finalize(c->st);
	free(c);
}
