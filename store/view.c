/* view.c — the case at a past moment: "as of T" (what the file had recorded by T) and "known
 * at T" (what had been learned by T), each a read-only store rebuilt from the operation log.
 * The one place a moment is read and applied: every read command and screen takes the view. */
#include "store/internal.h"
#include "store/kinds.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The moment TEXT means: the last second of the span it names, in zone TZ. */
static int parse_one(const char *text, const char *tz, const char *opt, int64_t *at,
		     struct cf_err *err)
{
	struct cf_when w;

	if (cf_when_parse(text, tz && *tz ? tz : NULL, &w, err) < 0)
		return cf_error_prefix(err, CF_EINVAL, "%s", opt);
	if (w.is_period)
		return cf_error(err, CF_EINVAL, "%s '%s': give a time, not a period", opt, text);
	*at = w.end - 1;
	return 0;
}

int cf_moment_parse(struct store *s, const char *as_of, const char *known_at,
		    struct cf_moment *m, struct cf_err *err)
{
	struct cf_record c;
	int rc = 0;

	memset(m, 0, sizeof(*m));
	m->as_of = m->known_at = CF_NO_MOMENT;
	cf_record_init(&c, CF_CASE);
	if (case_get(s, &c, NULL) == 0 && cf_record_get(&c, "tz"))
		cf_strlcpy(m->tz, cf_record_get(&c, "tz"), sizeof(m->tz));
	cf_record_release(&c);
	if (as_of) {
		rc = parse_one(as_of, m->tz, "--as-of", &m->as_of, err);
		cf_strlcpy(m->as_of_text, as_of, sizeof(m->as_of_text));
	}
	if (rc == 0 && known_at) {
		rc = parse_one(known_at, m->tz, "--known-at", &m->known_at, err);
		cf_strlcpy(m->known_at_text, known_at, sizeof(m->known_at_text));
	}
	return rc;
}

void cf_moment_describe(const struct cf_moment *m, char *buf, size_t len)
{
	char a[32], k[32];
	const char *zone = m->tz[0] ? m->tz : "UTC";

	if (m->as_of != CF_NO_MOMENT)
		cf_time_utc(m->as_of, a, sizeof(a));
	if (m->known_at != CF_NO_MOMENT)
		cf_time_utc(m->known_at, k, sizeof(k));
	if (m->as_of != CF_NO_MOMENT && m->known_at != CF_NO_MOMENT)
		snprintf(buf, len, "what had been learned by %s (%s, %s) of the case as recorded "
			 "by %s (%s)", m->known_at_text, zone, k, m->as_of_text, a);
	else if (m->known_at != CF_NO_MOMENT)
		snprintf(buf, len, "%s (%s), what had been learned by %s", m->known_at_text, zone,
			 k);
	else if (m->as_of != CF_NO_MOMENT)
		snprintf(buf, len, "%s (%s), the case as recorded by %s", m->as_of_text, zone, a);
	else
		snprintf(buf, len, "now");
}

/* ---- known at: which records had been learned ---- */

/* Each kind's own date, the time its record was entered (its create operation) and its
 * label, as the known-at rule and its steps read them; none for the case (always there).  The
 * own dates set are read through their partial indexes (db.c, version 15). */
#define ENTERED(t) "(SELECT o.at FROM op o WHERE o.record = " t ".id AND o.field = '@create')"
#define DATED(t, own, field, label)                                                         \
	{ "SELECT id, " own ", " ENTERED(#t) ", " label ", rowid FROM " #t, field,              \
	  "SELECT rowid, " own " FROM " #t " WHERE " own " IS NOT NULL",                        \
	  "SELECT rowid, " own " FROM " #t " WHERE id = ?1",                                    \
	  "SELECT id, " own ", " ENTERED(#t) ", " label " FROM " #t " WHERE rowid = ?1" }
static const struct view_dated dated[CF_KIND_COUNT] = {
	[CF_EVENT] = DATED(event, "learned", "learned", "summary"),
	[CF_ESTIMATE] = DATED(estimate, "as_of", "as_of", "category"),
	[CF_EVIDENCE] = DATED(evidence, "collected_at", "collected_at", "description"),
	[CF_CUSTODY] = DATED(custody, "at", "at", "handler"),
	[CF_TASK] = DATED(task, "NULL", NULL, "title"),
	[CF_NOTE] = DATED(note, "at", "at", "text"),
	/* A notice with a sent time is always there (adjust_notices); one without counts from
	 * when it was entered. */
	[CF_NOTICE] = DATED(notice, "sent", "sent", "recipient"),
};

const struct view_dated *view_dated(enum cf_kind kind)
{
	return kind >= 0 && kind < CF_KIND_COUNT && dated[kind].sql ? &dated[kind] : NULL;
}

struct hidden {
	char (*ids)[CF_ID_LEN + 1];
	size_t n, cap;
};

int64_t view_start_of(const char *text, const char *tz)
{
	struct cf_when w;

	if (!text || cf_when_parse(text, tz && *tz ? tz : NULL, &w, NULL) < 0)
		return CF_NO_MOMENT;
	return w.start;
}

/* The records of S learned after M's known-at moment, into H (sorted).  view_query.c applies
 * the same rule in SQL. */
static int find_hidden(struct store *s, const struct cf_moment *m, struct hidden *h,
		       struct cf_err *err)
{
	for (int k = 0; k < CF_KIND_COUNT; k++) {
		sqlite3_stmt *st;
		int step;

		if (!dated[k].sql)
			continue;
		if (!(st = store_stmt(s, dated[k].sql, err)))
			return CF_EDB;
		while ((step = sqlite3_step(st)) == SQLITE_ROW) {
			const char *id = (const char *)sqlite3_column_text(st, 0);
			int64_t t = view_start_of((const char *)sqlite3_column_text(st, 1), m->tz);
			if (k == CF_NOTICE && t != CF_NO_MOMENT)
				continue; /* sent: there, as not yet sent when after the moment */
			if (t == CF_NO_MOMENT)
				t = view_start_of((const char *)sqlite3_column_text(st, 2), NULL);
			if (!id || (t != CF_NO_MOMENT && t <= m->known_at))
				continue;
			if (h->n == h->cap) {
				h->cap = h->cap ? 2 * h->cap : 64;
				h->ids = xrealloc(h->ids, h->cap * sizeof(*h->ids));
			}
			cf_strlcpy(h->ids[h->n++], id, sizeof(*h->ids));
		}
		sqlite3_reset(st);
		if (step != SQLITE_DONE)
			return store_db_error(s, err, "records' own dates");
	}
	qsort(h->ids, h->n, sizeof(*h->ids), (int (*)(const void *, const void *))strcmp);
	return 0;
}

static int skip_hidden(const struct cf_op *op, void *ctx)
{
	const struct hidden *h = ctx;

	return h->n && bsearch(op->record, h->ids, h->n, sizeof(*h->ids),
			       (int (*)(const void *, const void *))strcmp) != NULL;
}

/* Sets FIELD of record ID in the view (no operation: the view is not the case). */
static int put(struct store *v, enum cf_kind kind, const char *id, const char *field,
	       const char *value, struct cf_err *err)
{
	return record_write_field(v, kind, id, cf_field_index(cf_kind_info(kind), field), value,
				  err);
}

/* A notice sent after the moment had not been sent yet: pending, without sent or
 * acknowledged; one acknowledged after it had been sent only. */
static int adjust_notices(struct store *v, const struct cf_moment *m, struct cf_err *err)
{
	sqlite3_stmt *st = store_stmt(v, "SELECT id, sent, acknowledged FROM notice", err);
	int step, rc = 0;

	if (!st)
		return CF_EDB;
	while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
		char id[CF_ID_LEN + 1];
		int64_t sent = view_start_of((const char *)sqlite3_column_text(st, 1), m->tz);
		int64_t ack = view_start_of((const char *)sqlite3_column_text(st, 2), m->tz);

		cf_strlcpy(id, (const char *)sqlite3_column_text(st, 0), sizeof(id));
		if (sent != CF_NO_MOMENT && sent > m->known_at) {
			rc = put(v, CF_NOTICE, id, "sent", NULL, err);
			if (rc == 0)
				rc = put(v, CF_NOTICE, id, "acknowledged", NULL, err);
			if (rc == 0)
				rc = put(v, CF_NOTICE, id, "status", "pending", err);
		} else if (ack != CF_NO_MOMENT && ack > m->known_at) {
			rc = put(v, CF_NOTICE, id, "acknowledged", NULL, err);
			if (rc == 0)
				rc = put(v, CF_NOTICE, id, "status", "sent", err);
		}
	}
	sqlite3_reset(st);
	if (rc == 0 && step != SQLITE_DONE && step != SQLITE_ROW)
		rc = store_db_error(v, err, "notices");
	return rc;
}

/* The case's clocks that had not started by the moment are unset. */
static int adjust_clocks(struct store *v, const struct cf_moment *m, struct cf_err *err)
{
	const struct cf_kind_info *ki = cf_kind_info(CF_CASE);
	struct cf_record c;
	int rc;

	if ((rc = case_get(v, &c, err)) < 0)
		return rc;
	for (size_t i = 0; rc == 0 && i < ki->nfields; i++) {
		int64_t t;
		if (ki->fields[i].type != CF_T_TIME || !c.v[i])
			continue;
		t = view_start_of(c.v[i], m->tz);
		if (t != CF_NO_MOMENT && t > m->known_at)
			rc = record_write_field(v, CF_CASE, c.id, (int)i, NULL, err);
	}
	cf_record_release(&c);
	return rc;
}

static int known_at(struct store *s, const struct cf_moment *m, struct store **out,
		    struct cf_err *err)
{
	struct store *first = NULL, *v = NULL;
	struct hidden h = { 0 };
	int rc = 0;

	/* The dates are read where the values are: the live case, or the case as of AS_OF. */
	if (m->as_of != CF_NO_MOMENT)
		rc = store_replay_until(s, m->as_of, NULL, NULL, &first, err);
	if (rc == 0)
		rc = find_hidden(first ? first : s, m, &h, err);
	store_close(first);
	if (rc == 0)
		rc = store_replay_until(s, m->as_of, skip_hidden, &h, &v, err);
	free(h.ids);
	if (rc == 0 && (rc = store_begin(v, err)) == 0) {
		rc = adjust_notices(v, m, err);
		if (rc == 0)
			rc = adjust_clocks(v, m, err);
		if (rc == 0)
			rc = store_commit(v, err);
		else
			store_rollback(v);
	}
	if (rc < 0) {
		store_close(v);
		return rc;
	}
	*out = v;
	return 0;
}

/* A moment is read as a query (view_query.c) from a case with a database file.  The replay
 * into memory stays for a store without one, and as the reference the query is tested against
 * (CASEFILE_VIEW=replay, t_travel_sync.sh): the two must give the same bytes. */
static int use_replay(const struct store *s)
{
	const char *how = getenv("CASEFILE_VIEW");

	return !s->dir || !strcmp(s->dir, ":memory:") || (how && !strcmp(how, "replay"));
}

int view_case_check(struct store *v, const struct cf_moment *m, struct cf_err *err)
{
	struct cf_record c;

	if (case_get(v, &c, NULL) < 0)
		return cf_error(err, CF_ENOTFOUND, "%s %s: the case did not exist yet%s",
				m->as_of != CF_NO_MOMENT ? "--as-of" : "--known-at",
				m->as_of != CF_NO_MOMENT ? m->as_of_text : m->known_at_text,
				m->as_of != CF_NO_MOMENT ? " (--known-at asks what had been learned "
							   "by then)" : "");
	cf_record_release(&c);
	return 0;
}

/* V, a view of case S, named for M: read-only, saying which moment. */
static void view_name(struct store *s, struct store *v, const struct cf_moment *m)
{
	char words[sizeof(v->ro_why) - 64];

	if (!v->dir || strcmp(v->dir, s->dir)) {
		free(v->dir);
		v->dir = xstrdup(s->dir);
	}
	if (!v->view)
		v->view = xmalloc(sizeof(*v->view));
	*v->view = *m;
	cf_moment_describe(m, words, sizeof(words));
	snprintf(v->ro_why, sizeof(v->ro_why), "a view of %s", words);
	v->read_only = 1;
}

static int open_moved(struct store *s, const struct cf_moment *m, int back, struct store **out,
		      struct cf_err *err);
static int store_view_open_at(struct store *s, const struct cf_moment *m, int moves,
			      struct store **out, struct cf_err *err);

int store_view_open(struct store *s, const struct cf_moment *m, struct store **out,
		    struct cf_err *err)
{
	const char *how = getenv("CASEFILE_VIEW");

	if (how && !use_replay(s) && (!strcmp(how, "moved") || !strcmp(how, "moved-back")))
		return open_moved(s, m, !strcmp(how, "moved-back"), out, err);
	return store_view_open_at(s, m, 0, out, err);
}

/* The view of S at M, made for M (and to move when MOVES). */
static int store_view_open_at(struct store *s, const struct cf_moment *m, int moves,
			      struct store **out, struct cf_err *err)
{
	struct store *v = NULL;
	int rc;

	if (!use_replay(s))
		rc = view_query_open(s, m, moves, &v, err);
	else if (m->known_at != CF_NO_MOMENT)
		rc = known_at(s, m, &v, err);
	else
		rc = store_replay_until(s, m->as_of, NULL, NULL, &v, err);
	if (rc < 0)
		return rc;
	if ((rc = view_case_check(v, m, err)) < 0) {
		store_close(v);
		return rc;
	}
	view_name(s, v, m);
	*out = v;
	return 0;
}

int store_view_move(struct store *s, struct store *v, const struct cf_moment *m,
		    struct cf_err *err)
{
	struct store *n, tmp;
	int rc;

	if (!v->view)
		return cf_error(err, CF_EINVAL, "not a view of a past moment");
	if (view_query_moves(v) && !use_replay(s)) {
		if ((rc = view_query_move(v, m, err)) < 0)
			return rc;
		view_name(s, v, m);
		return 0;
	}
	/* A replayed view, or one made not to move (its first move), is made again, to move,
	 * and takes V's place. */
	if ((rc = store_view_open_at(s, m, 1, &n, err)) < 0)
		return rc;
	tmp = *v;
	*v = *n;
	*n = tmp;
	store_close(n);
	return 0;
}

/* CASEFILE_VIEW=moved (moved-back), for the tests: M reached as the terminal UI reaches it, by
 * a view opened at the case's first (last) change and moved through every change as of a
 * moment up to M (down to M; all of them for a known-at M), then to M. */
static int open_moved(struct store *s, const struct cf_moment *m, int back, struct store **out,
		      struct cf_err *err)
{
	struct cf_moment at = { .as_of = back ? 253402300799 : 0, .known_at = CF_NO_MOMENT };
	int64_t to = m->as_of != CF_NO_MOMENT ? m->as_of : back ? INT64_MIN + 1 : INT64_MAX;
	struct store *v = NULL;
	struct cf_change c;
	int rc = 0;

	memcpy(at.tz, m->tz, sizeof(at.tz));
	while (store_view_step(s, &at, back ? -1 : 1, &c, NULL) == 0) {
		int past = back ? c.at <= to : c.at >= to;
		at.as_of = c.at;
		cf_time_utc(c.at, at.as_of_text, sizeof(at.as_of_text));
		cf_change_release(&c);
		if (past)
			break;
		rc = v ? store_view_move(s, v, &at, err) : store_view_open_at(s, &at, 1, &v, err);
		if (rc < 0)
			break;
	}
	if (rc == 0)
		rc = v ? store_view_move(s, v, m, err) : store_view_open_at(s, m, 0, &v, err);
	if (rc < 0) {
		store_close(v);
		return rc;
	}
	*out = v;
	return 0;
}

const struct cf_moment *store_view(const struct store *s)
{
	return s ? s->view : NULL;
}

int64_t store_now(const struct store *s)
{
	if (s && s->view)
		return s->view->known_at != CF_NO_MOMENT ? s->view->known_at : s->view->as_of;
	return cf_now();
}
