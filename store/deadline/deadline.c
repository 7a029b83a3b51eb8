/* deadline.c — the deadline engine: from the rules in force and the case's facts (clocks, events,
 * population estimates), the notifications owed, their due times, statuses and advisories. */
#include "store/deadline/deadline_internal.h"
#include "store/internal.h"
#include "store/time/zone.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "Due within 24 hours": when the dashboard starts to warn; not a legal number. */
#define DUE_SOON (24 * 3600)

struct item {
	struct cf_deadline d;
	const struct notice *n;
	char caveat[160];
};

void deadline_facts_release(struct facts *f)
{
	cf_record_release(&f->c);
	free(f->packs);
	for (size_t i = 0; i < f->ncats; i++)
		free(f->cats[i].name);
	free(f->cats);
	for (size_t i = 0; i < f->nevents; i++) {
		free(f->events[i].kind);
		free(f->events[i].occurred);
	}
	free(f->events);
	for (size_t i = 0; i < f->nnotices; i++) {
		struct notice *n = &f->notices[i];
		free(n->rule);
		free(n->status);
		free(n->sent);
		free(n->ack);
		free(n->waiver);
		free(n->due);
	}
	free(f->notices);
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static int64_t num(const char *s)
{
	return s ? strtoll(s, NULL, 10) : -1;
}

/* Estimates come by category, then as-of: the last of each category is its latest. */
static int take_estimate(const struct cf_record *r, void *ctx)
{
	struct facts *f = ctx;
	const char *unit = cf_record_get(r, "unit"), *cat = cf_record_get(r, "category");
	struct cat *c;

	if (!unit || strcmp(unit, "people") != 0 || !cat)
		return 0;
	if (!f->ncats || strcmp(f->cats[f->ncats - 1].name, cat) != 0) {
		struct cat *grown = xrealloc(f->cats, (f->ncats + 1) * sizeof(*grown));
		if (!grown)
			return 1;
		f->cats = grown;
		if (!(f->cats[f->ncats].name = xstrdup(cat)))
			return 1;
		f->ncats++;
	}
	c = &f->cats[f->ncats - 1];
	c->low = num(cf_record_get(r, "low"));
	c->best = num(cf_record_get(r, "best"));
	c->high = num(cf_record_get(r, "high"));
	return 0;
}

/* The earliest live event of KIND (by its sort key, the start of `occurred`), remembered in F:
 * one query that SQLite stops at the first match, not records decoded for the whole timeline. */
static int first_event(struct store *s, struct facts *f, const char *kind, struct cf_err *err)
{
	static const char sql[] = "SELECT occurred FROM event WHERE deleted = 0 AND kind = ?1"
				  " ORDER BY sort_key, id LIMIT 1";
	sqlite3_stmt *st;
	struct first *grown;
	int rc;

	for (size_t i = 0; i < f->nevents; i++)
		if (strcmp(f->events[i].kind, kind) == 0)
			return 0;
	if (!(grown = xrealloc(f->events, (f->nevents + 1) * sizeof(*grown))))
		return cf_error(err, CF_ERR, "out of memory");
	f->events = grown;
	grown[f->nevents].kind = xstrdup(kind);
	grown[f->nevents].occurred = NULL;
	f->nevents++;
	if (!(st = store_stmt(s, sql, err)))
		return CF_EDB;
	bind_text(st, 1, kind);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_text(st, 0))
		grown[f->nevents - 1].occurred = xstrdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_db_error(s, err, "events");
}

static int take_notice(const struct cf_record *r, void *ctx)
{
	struct facts *f = ctx;
	struct notice *grown, *n;

	if (!cf_record_get(r, "rule"))
		return 0;
	if (!(grown = xrealloc(f->notices, (f->nnotices + 1) * sizeof(*grown))))
		return 1;
	f->notices = grown;
	n = &grown[f->nnotices++];
	memcpy(n->id, r->id, sizeof(n->id));
	n->rule = xstrdup(cf_record_get(r, "rule"));
	n->status = dup_or_null(cf_record_get(r, "status"));
	n->sent = dup_or_null(cf_record_get(r, "sent"));
	n->ack = dup_or_null(cf_record_get(r, "acknowledged"));
	n->waiver = dup_or_null(cf_record_get(r, "waiver"));
	n->due = dup_or_null(cf_record_get(r, "due"));
	return 0;
}

/* The largest of each bound over the categories counted in people (each category's latest). */
static void fold_people(struct facts *f)
{
	f->low = f->best = f->high = -1;
	for (size_t i = 0; i < f->ncats; i++) {
		const struct cat *c = &f->cats[i];
		f->have_people |= c->low >= 0 || c->best >= 0 || c->high >= 0;
		if (c->low > f->low)
			f->low = c->low;
		if (c->best > f->best)
			f->best = c->best;
		if (c->high > f->high)
			f->high = c->high;
	}
}

/* Is PACK one of the comma-separated names in LIST? */
int deadline_in_list(const char *list, const char *pack)
{
	size_t n = strlen(pack);
	for (const char *p = list; *p;) {
		while (*p == ',' || *p == ' ')
			p++;
		const char *e = p;
		while (*e && *e != ',' && *e != ' ')
			e++;
		if ((size_t)(e - p) == n && strncmp(p, pack, n) == 0)
			return 1;
		p = e;
	}
	return 0;
}

/* The earliest event of each kind a rule in force counts from. */
static int load_events(struct store *s, const struct cf_rules *rules, struct facts *f,
		       struct cf_err *err)
{
	int rc = 0;
	for (size_t i = 0; rc == 0 && i < rules_count(rules); i++) {
		const struct cf_rule *r = rules_at(rules, i);
		if (!deadline_in_list(f->packs, r->pack))
			continue;
		for (size_t j = 0; rc == 0 && j < r->ntriggers; j++)
			if (strncmp(r->triggers[j], "event:", 6) == 0)
				rc = first_event(s, f, r->triggers[j] + 6, err);
	}
	return rc;
}

int deadline_facts_load(struct store *s, const struct cf_rules *rules, struct facts *f,
	       struct cf_err *err)
{
	int rc;

	memset(f, 0, sizeof(*f));
	if ((rc = case_get(s, &f->c, err)) < 0)
		return rc;
	f->tz = cf_record_get(&f->c, "tz") ? cf_record_get(&f->c, "tz") : "UTC";
	f->packs = xstrdup(cf_record_get(&f->c, "rule_packs") ? cf_record_get(&f->c, "rule_packs")
							      : "federal");
	if (!f->packs)
		return cf_error(err, CF_ERR, "out of memory");
	if ((rc = record_list(s, CF_ESTIMATE, NULL, take_estimate, f, err)) < 0 ||
	    (rc = load_events(s, rules, f, err)) < 0 ||
	    (rc = record_list(s, CF_NOTICE, NULL, take_notice, f, err)) < 0)
		return rc;
	fold_people(f);
	return 0;
}

/* A bound, falling back to the nearest one given: high -> best -> low, low -> best -> high. */
static int64_t people(const struct facts *f, enum cf_cond_var v)
{
	int64_t a = f->low, b = f->best, c = f->high;
	if (v == CF_V_PEOPLE_HIGH)
		return c >= 0 ? c : b >= 0 ? b : a;
	if (v == CF_V_PEOPLE_LOW)
		return a >= 0 ? a : b >= 0 ? b : c;
	return b >= 0 ? b : c >= 0 ? c : a;
}

/* 1 the condition holds, 0 it does not, -1 the case does not say. */
static int cond_holds(const struct facts *f, const struct cf_cond *c)
{
	int64_t x;

	if (c->var == CF_V_SEVERITY) {
		const struct cf_kind_info *ki = cf_kind_info(CF_CASE);
		const struct cf_field *fd = &ki->fields[cf_field_index(ki, "severity")];
		const char *sev = cf_record_get(&f->c, "severity");
		x = -1;
		for (int i = 0; sev && fd->choices[i]; i++)
			if (strcmp(fd->choices[i], sev) == 0)
				x = i;
	} else {
		x = f->have_people ? people(f, c->var) : -1;
	}
	if (x < 0)
		return -1;
	switch (c->op) {
	case CF_OP_GE:
		return x >= c->value;
	case CF_OP_GT:
		return x > c->value;
	case CF_OP_LE:
		return x <= c->value;
	case CF_OP_LT:
		return x < c->value;
	case CF_OP_EQ:
		return x == c->value;
	case CF_OP_NE:
		return x != c->value;
	}
	return -1;
}

int deadline_conds_hold(const struct facts *f, const struct cf_rule *r)
{
	int result = 1;
	for (size_t i = 0; i < r->nconds; i++) {
		int h = cond_holds(f, &r->conds[i]);
		if (h == 0)
			return 0;
		if (h < 0)
			result = -1;
	}
	return result;
}

/* The first trigger the case has: its value (as entered) and name. */
static const char *find_trigger(const struct facts *f, const struct cf_rule *r,
				const char **name)
{
	for (size_t i = 0; i < r->ntriggers; i++) {
		const char *t = r->triggers[i], *v = NULL;
		if (strncmp(t, "event:", 6) == 0) {
			for (size_t j = 0; j < f->nevents; j++)
				if (strcmp(f->events[j].kind, t + 6) == 0)
					v = f->events[j].occurred;
		} else {
			v = cf_record_get(&f->c, t);
		}
		if (v) {
			*name = t;
			return v;
		}
	}
	return NULL;
}

/* The due time of a hard rule from its trigger start T0: hours exactly in UTC seconds, days
 * to the end of the last local day (the trigger's own day is day 0). */
static int64_t due_from(const struct cf_rule *r, int64_t t0)
{
	int y, m, d;
	int64_t day;

	if (r->unit == CF_U_HOURS)
		return t0 + (int64_t)r->amount * 3600;
	zone_date(t0, &y, &m, &d);
	day = cf_days_from_civil(y, m, d);
	if (r->unit == CF_U_DAYS)
		return zone_end_of_day(day + r->amount);
	for (int n = 0; n < r->amount;) {
		day++;
		cf_civil_from_days(day, &y, &m, &d);
		n += cf_business_day(y, m, d);
	}
	return zone_end_of_day(day);
}

static const struct notice *find_notice(const struct facts *f, const char *rule)
{
	for (size_t i = 0; i < f->nnotices; i++)
		if (strcmp(f->notices[i].rule, rule) == 0)
			return &f->notices[i];
	return NULL;
}

/* The status from the notice (waived, sent) and, failing that, the clock; STARTED is 0 when the
 * rule has no trigger yet or the case cannot tell whether it applies. */
static void set_status(struct item *it, const struct facts *f, int64_t at, int started)
{
	const struct notice *n = it->n;
	struct cf_deadline *d = &it->d;
	struct cf_when w;

	if (n && n->status && strcmp(n->status, "waived") == 0) {
		d->status = CF_DL_WAIVED;
		d->waiver = n->waiver;
		if (!n->waiver)
			snprintf(it->caveat, sizeof(it->caveat),
				 "waived without a reason: give one in the notice's waiver field");
		return;
	}
	if (n && n->sent && cf_when_parse(n->sent, f->tz, &w, NULL) == 0) {
		d->has_sent = 1;
		d->sent = w.start;
		d->status = !d->has_due || d->sent <= d->due ? CF_DL_MET : CF_DL_MET_LATE;
		return;
	}
	if (n && n->status && (!strcmp(n->status, "sent") || !strcmp(n->status, "acknowledged"))) {
		d->status = CF_DL_MET;
		snprintf(it->caveat, sizeof(it->caveat), "marked %s with no sent time recorded",
			 n->status);
		return;
	}
	if (!started) {
		d->status = CF_DL_NOT_STARTED;
		return;
	}
	if (it->d.rule->soft || !d->has_due) {
		d->status = CF_DL_WARNING;
		return;
	}
	d->left = d->due - at;
	if (d->left < 0)
		d->status = CF_DL_OVERDUE;
	else
		d->status = d->left <= DUE_SOON ? CF_DL_DUE_SOON : CF_DL_UPCOMING;
}

static const char *precision_word(enum cf_precision p)
{
	return p == CF_P_YEAR ? "year" : p == CF_P_MONTH ? "month" : "day";
}

/* Fills IT for rule R; 0 when the rule is not owed (a condition fails). */
static int compute_one(const struct facts *f, const struct cf_rule *r, int64_t at,
		       struct item *it)
{
	const char *value, *name = NULL;
	int holds = deadline_conds_hold(f, r);
	struct cf_when w;

	if (holds == 0)
		return 0;
	memset(it, 0, sizeof(*it));
	it->d.rule = r;
	it->d.tz = f->tz;
	it->n = find_notice(f, r->id);
	for (size_t i = 0; holds < 0 && i < r->nconds; i++)
		if (cond_holds(f, &r->conds[i]) < 0) {
			snprintf(it->caveat, sizeof(it->caveat),
				 "the case does not say whether it applies (%s)", r->conds[i].text);
			break;
		}
	if (it->n)
		it->d.notice_id = it->n->id;
	value = find_trigger(f, r, &name);
	if (holds < 0 || !value || cf_when_parse(value, f->tz, &w, NULL) < 0) {
		set_status(it, f, at, 0);
		return 1;
	}
	it->d.trigger = name;
	it->d.trigger_at = w.start;
	/* A clock known only to the day is exact enough for days, not for hours. */
	if (w.precision < CF_P_DAY || (w.precision == CF_P_DAY && r->unit == CF_U_HOURS))
		snprintf(it->caveat, sizeof(it->caveat),
			 "%s is known only to the %s: counted from its start", name,
			 precision_word(w.precision));
	if (!r->soft) {
		it->d.has_due = 1;
		it->d.due = due_from(r, w.start);
		cf_time_utc(it->d.due, it->d.due_utc, sizeof(it->d.due_utc));
		zone_format(it->d.due, it->d.due_local, sizeof(it->d.due_local));
		it->d.left = it->d.due - at;
	}
	set_status(it, f, at, 1);
	return 1;
}

static int cmp_item(const void *a, const void *b)
{
	const struct item *x = a, *y = b;
	if (x->d.has_due != y->d.has_due)
		return x->d.has_due ? -1 : 1;
	if (x->d.has_due && x->d.due != y->d.due)
		return x->d.due < y->d.due ? -1 : 1;
	return strcmp(x->d.rule->id, y->d.rule->id);
}

/* Every deadline of the rules in force, sorted; *OUT malloc'd. */
static int compute_all(const struct facts *f, const struct cf_rules *rules, int64_t at,
		       struct item **out, size_t *count, struct cf_err *err)
{
	size_t n = rules_count(rules), k = 0;
	struct item *items = xcalloc(n ? n : 1, sizeof(*items));

	if (!items)
		return cf_error(err, CF_ERR, "out of memory");
	for (size_t i = 0; i < n; i++) {
		const struct cf_rule *r = rules_at(rules, i);
		if (r->type == CF_RULE_DEADLINE && deadline_in_list(f->packs, r->pack) &&
		    compute_one(f, r, at, &items[k]))
			k++;
	}
	qsort(items, k, sizeof(*items), cmp_item);
	for (size_t i = 0; i < k; i++) /* the items moved: point at their own caveats again */
		items[i].d.caveat = items[i].caveat[0] ? items[i].caveat : NULL;
	*out = items;
	*count = k;
	return 0;
}

/* Creates or updates the notice of a hard deadline with a due time. */
static int sync_notice(struct store *s, struct item *it, struct cf_err *err)
{
	const struct cf_rule *r = it->d.rule;
	struct cf_record rec;
	int rc;

	if (r->soft || !it->d.has_due)
		return 0;
	if (it->n) {
		struct cf_record cur;
		static const char *const fill[] = { "contents", "source" };
		if ((rc = record_set(s, CF_NOTICE, it->n->id, "due", it->d.due_local, err)) < 0)
			return rc;
		if ((rc = record_get(s, CF_NOTICE, it->n->id, &cur, err)) < 0)
			return rc;
		for (size_t i = 0; rc == 0 && i < 2; i++) {
			const char *v = i ? r->source : r->contents;
			if (!cf_record_get(&cur, fill[i]) && v)
				rc = record_set(s, CF_NOTICE, it->n->id, fill[i], v, err);
		}
		cf_record_release(&cur);
		return rc;
	}
	cf_record_init(&rec, CF_NOTICE);
	if ((rc = cf_record_set(&rec, "recipient", r->recipient, err)) == 0 &&
	    (rc = cf_record_set(&rec, "rule", r->id, err)) == 0 &&
	    (rc = cf_record_set(&rec, "due", it->d.due_local, err)) == 0 &&
	    (rc = cf_record_set(&rec, "status", "pending", err)) == 0 &&
	    (rc = cf_record_set(&rec, "contents", r->contents, err)) == 0 &&
	    (rc = cf_record_set(&rec, "source", r->source, err)) == 0)
		rc = record_add(s, &rec, err);
	cf_record_release(&rec);
	return rc;
}

static int run(struct store *s, const struct cf_rules *rules, int64_t at, int sync,
	       deadline_cb cb, void *ctx, struct cf_err *err)
{
	struct cf_rules *owned = NULL;
	struct facts f;
	struct zone z;
	struct item *items = NULL;
	size_t n = 0;
	int rc;

	if (!rules && (rc = rules_load(&owned, err)) < 0)
		return rc;
	if (!rules)
		rules = owned;
	if ((rc = deadline_facts_load(s, rules, &f, err)) < 0)
		goto out;
	zone_enter(&z, f.tz);
	rc = compute_all(&f, rules, at, &items, &n, err);
	zone_leave(&z);
	if (rc < 0)
		goto out;
	if (sync) {
		if ((rc = store_begin(s, err)) < 0)
			goto out;
		for (size_t i = 0; rc == 0 && i < n; i++)
			rc = sync_notice(s, &items[i], err);
		if (rc < 0) {
			store_rollback(s);
			goto out;
		}
		if ((rc = store_commit(s, err)) < 0)
			goto out;
		/* New notices have ids now: read the case again so callbacks see them. */
		free(items);
		items = NULL;
		deadline_facts_release(&f);
		if ((rc = deadline_facts_load(s, rules, &f, err)) < 0)
			goto out;
		zone_enter(&z, f.tz);
		rc = compute_all(&f, rules, at, &items, &n, err);
		zone_leave(&z);
		if (rc < 0)
			goto out;
	}
	for (size_t i = 0; cb && i < n; i++)
		if (cb(&items[i].d, ctx))
			break;
out:
	free(items);
	deadline_facts_release(&f);
	rules_free(owned);
	return rc;
}

int deadline_compute(struct store *s, const struct cf_rules *rules, int64_t at, deadline_cb cb,
		     void *ctx, struct cf_err *err)
{
	return run(s, rules, at, 0, cb, ctx, err);
}

int deadline_sync(struct store *s, const struct cf_rules *rules, int64_t at, deadline_cb cb,
		  void *ctx, struct cf_err *err)
{
	return run(s, rules, at, 1, cb, ctx, err);
}

const char *cf_dl_status_name(enum cf_dl_status status)
{
	static const char *const names[] = { "upcoming", "due-soon", "overdue", "met",
					     "met-late", "waived", "warning", "not-started" };
	return status <= CF_DL_NOT_STARTED ? names[status] : "?";
}
