/* view_step.c — the changes of a case in time order, to step through from a moment: as of,
 * each operation (by wall time); known at, each record's own date (view.c's rule). */
#include "store/internal.h"
#include "store/kinds.h"

#include <stdio.h>
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

/* A record's date as a candidate: the moment it makes (the end of its span) nearer to FROM
 * in direction DIR than the best so far is kept, equal ones counted. */
static void consider(struct cf_change *best, int dir, int64_t from, int64_t at, enum cf_kind k,
		     sqlite3_stmt *st, int own)
{
	const char *label = (const char *)sqlite3_column_text(st, 3);

	if (dir > 0 ? at <= from : at >= from)
		return;
	if (best->count && at == best->at) {
		best->count++;
		return;
	}
	if (best->count && (dir > 0 ? at > best->at : at < best->at))
		return;
	best->at = at;
	best->count = 1;
	best->kind = k;
	best->field = own ? view_dated(k)->field : NULL;
	cf_strlcpy(best->record, (const char *)sqlite3_column_text(st, 0), sizeof(best->record));
	snprintf(best->label, sizeof(best->label), "%.*s", label ? (int)strcspn(label, "\n") : 0,
		 label ? label : "");
	cf_strlcpy(best->text, (const char *)sqlite3_column_text(st, own ? 1 : 2),
		   sizeof(best->text));
}

static int step_known(struct store *s, const struct cf_moment *m, int dir,
		      struct cf_change *out, struct cf_err *err)
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
			const char *own = (const char *)sqlite3_column_text(st, 1);
			const char *entered = (const char *)sqlite3_column_text(st, 2);
			struct cf_when w;
			int is_own = own && cf_when_parse(own, m->tz[0] ? m->tz : NULL, &w, NULL) == 0;

			if (!is_own && (!entered || cf_when_parse(entered, NULL, &w, NULL) < 0))
				continue;
			consider(out, dir, m->known_at, w.end - 1, (enum cf_kind)k, st, is_own);
		}
		sqlite3_reset(st);
		if (step != SQLITE_DONE)
			return store_db_error(s, err, "records' own dates");
	}
	if (!out->count)
		return cf_error(err, CF_ENOTFOUND, "nothing learned %s", dir > 0 ? "later" : "earlier");
	return 0;
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
