/* view_step.c — the changes of a case in time order, to step through from a moment: as of,
 * each operation (by wall time); known at, each record's own date (view.c's rule). */
#include "store/internal.h"
#include "store/kinds.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cf_change_release(struct cf_change *c)
{
	cf_op_release(&c->op);
	memset(c, 0, sizeof(*c));
}

/* "2019-06-10T16:00:00" of second T: the prefix every op's wall time sorts by. */
static void second_iso(int64_t t, char buf[CF_TIME_LEN])
{
	cf_time_utc(t, buf, CF_TIME_LEN);
	buf[19] = '\0';
}

/* The second of an op's wall time ("2019-06-10T16:00:00.000Z"). */
static int64_t op_second(const char *at)
{
	char sec[32];
	struct cf_when w;

	snprintf(sec, sizeof(sec), "%.19sZ", at);
	return cf_when_parse(sec, NULL, &w, NULL) < 0 ? CF_NO_MOMENT : w.start;
}

/* The next or previous second with an operation, then the last operation of that second. */
static int step_ops(struct store *s, int64_t from, int dir, struct cf_change *out,
		    struct cf_err *err)
{
	char bound[CF_TIME_LEN], to[CF_TIME_LEN];
	sqlite3_stmt *st;
	int64_t at;
	int rc;

	second_iso(dir > 0 ? from + 1 : from, bound);
	st = store_stmt(s, dir > 0 ? "SELECT at FROM op WHERE at >= ?1 ORDER BY at LIMIT 1"
				   : "SELECT at FROM op WHERE at < ?1 ORDER BY at DESC LIMIT 1", err);
	if (!st)
		return CF_EDB;
	sqlite3_bind_text(st, 1, bound, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	at = rc == SQLITE_ROW ? op_second((const char *)sqlite3_column_text(st, 0)) : CF_NO_MOMENT;
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_db_error(s, err, "operations by time");
	if (at == CF_NO_MOMENT)
		return cf_error(err, CF_ENOTFOUND, "no %s change", dir > 0 ? "later" : "earlier");
	second_iso(at, bound);
	second_iso(at + 1, to);
	st = store_stmt(s, "SELECT count(*) FROM op WHERE at >= ?1 AND at < ?2", err);
	if (!st)
		return CF_EDB;
	sqlite3_bind_text(st, 1, bound, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, to, -1, SQLITE_TRANSIENT);
	out->count = sqlite3_step(st) == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : 1;
	sqlite3_reset(st);
	st = store_stmt(s, "SELECT " OP_COLS " FROM op WHERE at >= ?1 AND at < ?2"
			   " ORDER BY at DESC, seq DESC LIMIT 1", err);
	if (!st)
		return CF_EDB;
	sqlite3_bind_text(st, 1, bound, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, to, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st) == SQLITE_ROW ? op_from_row(&out->op, st, err)
					     : store_db_error(s, err, "operations by time");
	sqlite3_reset(st);
	if (rc < 0)
		return rc;
	out->at = at;
	cf_time_utc(at, out->text, sizeof(out->text));
	return 0;
}

/* The nearest moment a record was learned at, from a moment in one direction: how many
 * records were learned at it, and the first of them in the order of a walk of each kind's table
 * (kind, then rowid). */
struct best {
	int dir;
	int64_t from, at;
	long count;
	enum cf_kind kind;
	int64_t rowid;
};

/* Record ROWID of kind K learned at AT (the end of its span: the moment it makes). */
static void consider(struct best *b, int64_t at, enum cf_kind k, int64_t rowid)
{
	if (b->dir > 0 ? at <= b->from : at >= b->from)
		return;
	if (b->count && at == b->at) {
		b->count++;
		if (k < b->kind || (k == b->kind && rowid < b->rowid)) {
			b->kind = k;
			b->rowid = rowid;
		}
		return;
	}
	if (b->count && (b->dir > 0 ? at > b->at : at < b->at))
		return;
	b->at = at;
	b->count = 1;
	b->kind = k;
	b->rowid = rowid;
}

/* The moment TEXT makes (the last second of its span) in zone TZ, or CF_NO_MOMENT. */
static int64_t learned_at(const char *text, const char *tz)
{
	struct cf_when w;

	return text && cf_when_parse(text, tz, &w, NULL) == 0 ? w.end - 1 : CF_NO_MOMENT;
}

/* More than any zone's offset from UTC, either way. */
#define ZONE_SPAN (27 * 3600)

/* Whether own date TEXT cannot be B's nearest: read in UTC (a thousand times cheaper than in
 * a zone, store/time/zone.c), its moment is too far for any zone to bring it near.  0 when
 * that cannot tell (a text naming its zone, or not a time in UTC). */
static int out_of_reach(const struct best *b, const char *text, const char *tz)
{
	struct cf_when w;
	int64_t at;

	if (!tz || !text || cf_when_parse(text, NULL, &w, NULL) < 0 || w.has_zone)
		return 0;
	at = w.end - 1;
	if (b->dir > 0)
		return at + ZONE_SPAN <= b->from || (b->count && at - ZONE_SPAN > b->at);
	return at - ZONE_SPAN >= b->from || (b->count && at + ZONE_SPAN < b->at);
}

/* The records with their own date (those set, through each kind's partial index), each read
 * in the case's zone only when it may be the nearest. */
static int own_dates(struct store *s, const char *tz, struct best *b, struct cf_err *err)
{
	for (int k = 0; k < CF_KIND_COUNT; k++) {
		const struct view_dated *d = view_dated((enum cf_kind)k);
		sqlite3_stmt *st;
		int step;

		if (!d || !d->field)
			continue;
		if (!(st = store_stmt(s, d->set, err)))
			return CF_EDB;
		while ((step = sqlite3_step(st)) == SQLITE_ROW) {
			const char *text = (const char *)sqlite3_column_text(st, 1);
			int64_t at;
			if (out_of_reach(b, text, tz))
				continue;
			if ((at = learned_at(text, tz)) != CF_NO_MOMENT)
				consider(b, at, (enum cf_kind)k, sqlite3_column_int64(st, 0));
		}
		sqlite3_reset(st);
		if (step != SQLITE_DONE)
			return store_db_error(s, err, "records' own dates");
	}
	return 0;
}

/* Record ID of kind K counts from when it was entered (it has no own date that reads as a
 * time): 1 and *ROWID, 0 when it does not, or a negative error. */
static int entered_only(struct store *s, enum cf_kind k, const char *id, const char *tz,
			int64_t *rowid, struct cf_err *err)
{
	sqlite3_stmt *st = store_stmt(s, view_dated(k)->by_id, err);
	int rc;

	if (!st)
		return CF_EDB;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*rowid = sqlite3_column_int64(st, 0);
		rc = learned_at((const char *)sqlite3_column_text(st, 1), tz) == CF_NO_MOMENT;
	} else {
		rc = rc == SQLITE_DONE ? 0 : store_db_error(s, err, "records' own dates");
	}
	sqlite3_reset(st);
	return rc;
}

/* The records without an own date: their create operations, from the log's index on time,
 * from the moment on, up to the nearest moment one of them makes (or the nearest own date
 * found, when that is nearer), that moment's all counted. */
static int entered(struct store *s, const char *tz, struct best *b, struct cf_err *err)
{
	char bound[CF_TIME_LEN];
	sqlite3_stmt *st;
	int step, rc = 0;

	second_iso(b->dir > 0 ? b->from + 1 : b->from, bound);
	st = store_stmt(s, b->dir > 0 ? "SELECT at, kind, record FROM op WHERE at >= ?1 AND"
					" field = '@create' ORDER BY at, seq"
				      : "SELECT at, kind, record FROM op WHERE at < ?1 AND"
					" field = '@create' ORDER BY at DESC, seq DESC", err);
	if (!st)
		return CF_EDB;
	sqlite3_bind_text(st, 1, bound, -1, SQLITE_TRANSIENT);
	while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
		const struct cf_kind_info *ki =
			cf_kind_by_name((const char *)sqlite3_column_text(st, 1));
		int64_t at = learned_at((const char *)sqlite3_column_text(st, 0), NULL), rowid = 0;

		if (at == CF_NO_MOMENT || !ki || !view_dated(ki->kind))
			continue;
		if (b->count && (b->dir > 0 ? at > b->at : at < b->at))
			break; /* past the nearest: nothing nearer further on */
		rc = entered_only(s, ki->kind, (const char *)sqlite3_column_text(st, 2), tz, &rowid,
				  err);
		if (rc > 0)
			consider(b, at, ki->kind, rowid);
		rc = rc < 0 ? rc : 0;
	}
	sqlite3_reset(st);
	if (rc == 0 && step != SQLITE_DONE && step != SQLITE_ROW)
		rc = store_db_error(s, err, "records by when they were entered");
	return rc;
}

/* OUT filled from the first record learned at B's moment. */
static int best_change(struct store *s, const struct best *b, const char *tz,
		       struct cf_change *out, struct cf_err *err)
{
	sqlite3_stmt *st = store_stmt(s, view_dated(b->kind)->by_rowid, err);
	const char *label;
	int own, rc = 0;

	if (!st)
		return CF_EDB;
	sqlite3_bind_int64(st, 1, b->rowid);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return store_db_error(s, err, "records' own dates");
	}
	own = learned_at((const char *)sqlite3_column_text(st, 1), tz) != CF_NO_MOMENT;
	label = (const char *)sqlite3_column_text(st, 3);
	out->at = b->at;
	out->count = b->count;
	out->kind = b->kind;
	out->field = own ? view_dated(b->kind)->field : NULL;
	cf_strlcpy(out->record, (const char *)sqlite3_column_text(st, 0), sizeof(out->record));
	snprintf(out->label, sizeof(out->label), "%.*s", label ? (int)strcspn(label, "\n") : 0,
		 label ? label : "");
	if (sqlite3_column_text(st, own ? 1 : 2))
		cf_strlcpy(out->text, (const char *)sqlite3_column_text(st, own ? 1 : 2),
			   sizeof(out->text));
	sqlite3_reset(st);
	return rc;
}

/* The reference (CASEFILE_VIEW=replay, t_travel_query.sh): every dated record read. */
static int every_record(struct store *s, const char *tz, struct best *b, struct cf_err *err)
{
	for (int k = 0; k < CF_KIND_COUNT; k++) {
		const struct view_dated *d = view_dated((enum cf_kind)k);
		sqlite3_stmt *st;
		int step;

		if (!d)
			continue;
		if (!(st = store_stmt(s, d->sql, err)))
			return CF_EDB;
		while ((step = sqlite3_step(st)) == SQLITE_ROW) {
			int64_t at = learned_at((const char *)sqlite3_column_text(st, 1), tz);
			if (at == CF_NO_MOMENT)
				at = learned_at((const char *)sqlite3_column_text(st, 2), NULL);
			if (at != CF_NO_MOMENT)
				consider(b, at, (enum cf_kind)k, sqlite3_column_int64(st, 4));
		}
		sqlite3_reset(st);
		if (step != SQLITE_DONE)
			return store_db_error(s, err, "records' own dates");
	}
	return 0;
}

/* Known at: the nearest moment a record was learned at (its own date, else when it was
 * entered).  The records with an own date are read through their indexes, those without one
 * by their create operations in time order, so that a step reads neither every record nor
 * the whole log. */
static int step_known(struct store *s, const struct cf_moment *m, int dir,
		      struct cf_change *out, struct cf_err *err)
{
	const char *tz = m->tz[0] ? m->tz : NULL;
	const char *how = getenv("CASEFILE_VIEW");
	struct best b = { .dir = dir, .from = m->known_at };
	int rc;

	if (how && !strcmp(how, "replay"))
		rc = every_record(s, tz, &b, err);
	else if ((rc = own_dates(s, tz, &b, err)) == 0)
		rc = entered(s, tz, &b, err);
	if (rc == 0 && !b.count)
		return cf_error(err, CF_ENOTFOUND, "nothing learned %s", dir > 0 ? "later" : "earlier");
	return rc < 0 ? rc : best_change(s, &b, tz, out, err);
}

int store_view_step(struct store *s, const struct cf_moment *m, int dir, struct cf_change *out,
		    struct cf_err *err)
{
	int rc;

	memset(out, 0, sizeof(*out));
	rc = m->known_at != CF_NO_MOMENT ? step_known(s, m, dir, out, err)
					 : step_ops(s, m->as_of, dir, out, err);
	if (rc < 0)
		cf_change_release(out);
	return rc;
}
