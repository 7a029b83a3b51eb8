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

#define item dl_item

static const struct notice *find_notice(const struct facts *f, const char *rule)
{
	for (size_t i = 0; i < f->nnotices; i++)
		if (f->notices[i].rule && strcmp(f->notices[i].rule, rule) == 0)
			return &f->notices[i];
	return NULL;
}

/* The first trigger the case has: its value (as entered) and name.  "sent:RULE" is the sent
 * time of RULE's notice (a report counted from an earlier one). */
static const char *find_trigger(const struct facts *f, const struct cf_rule *r,
				const char **name)
{
	for (size_t i = 0; i < r->ntriggers; i++) {
		const char *t = r->triggers[i], *v = NULL;
		if (strncmp(t, "event:", 6) == 0) {
			for (size_t j = 0; j < f->nevents; j++)
				if (strcmp(f->events[j].kind, t + 6) == 0)
					v = f->events[j].occurred;
		} else if (strncmp(t, "sent:", 5) == 0) {
			const struct notice *n = find_notice(f, t + 5);
			v = n ? n->sent : NULL;
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

/* Is local day DAY a business day: not a weekend, a federal holiday nor a closed day of the
 * rule's calendar? */
static int business_day(const struct cf_rules *rules, const struct cf_rule *r, int64_t day)
{
	return rules_business_day(rules, r->calendar, day);
}

/* The due time of a hard rule from its trigger start T0: hours exactly in UTC seconds, days
 * to the end of the last local day (the trigger's own day is day 0), or to its due_time, in
 * the rule's due_zone when it has one (else the current zone, the case's). */
static int64_t due_from(const struct cf_rules *rules, const struct cf_rule *r, int64_t t0)
{
	int y, m, d;
	int64_t day, due;
	struct zone z;

	if (r->unit == CF_U_HOURS)
		return t0 + (int64_t)r->amount * 3600;
	if (r->due_zone)
		zone_enter(&z, r->due_zone);
	zone_date(t0, &y, &m, &d);
	day = cf_days_from_civil(y, m, d);
	if (r->unit == CF_U_DAYS)
		day += r->amount;
	if (r->unit == CF_U_MONTHS)
		day = cf_days_add_months(y, m, d, r->amount);
	for (int n = 0; r->unit == CF_U_BUSINESS_DAYS && n < r->amount;)
		n += business_day(rules, r, ++day);
	due = r->due_minute >= 0 ? zone_day_time(day, r->due_minute) : zone_end_of_day(day);
	if (r->due_zone)
		zone_leave(&z);
	return due;
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
static int compute_one(const struct facts *f, const struct cf_rules *rules,
		       const struct cf_rule *r, int64_t at, struct item *it)
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
	if (holds < 0)
		deadline_unknown_why(f, r, it->caveat, sizeof(it->caveat));
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
		it->d.due = due_from(rules, r, w.start);
		cf_time_utc(it->d.due, it->d.due_utc, sizeof(it->d.due_utc));
		zone_format(it->d.due, it->d.due_local, sizeof(it->d.due_local));
		it->d.left = it->d.due - at;
	}
	set_status(it, f, at, 1);
	return 1;
}

/* A notice no item of a rule in force points at: due by its own due time (a notice added by
 * hand), with the same statuses as any other; one whose rule is not in force now is not owed
 * unless it was sent or waived. */
static size_t own_notices(struct facts *f, int64_t at, struct item *items, size_t k)
{
	size_t owed = k;

	for (size_t i = 0; i < f->nnotices; i++) {
		struct notice *n = &f->notices[i];
		struct item *it = &items[k];
		struct cf_when w;
		size_t j;

		for (j = 0; j < owed && items[j].n != n; j++)
			;
		if (j < owed)
			continue;
		memset(it, 0, sizeof(*it));
		memset(&n->own, 0, sizeof(n->own));
		n->own.type = CF_RULE_DEADLINE;
		n->own.id = n->rule ? n->rule : "";
		n->own.pack = "";
		n->own.title = n->recipient ? n->recipient : "";
		n->own.recipient = n->recipient ? n->recipient : "";
		n->own.contents = n->contents ? n->contents : "";
		n->own.source = n->source ? n->source : "";
		n->own.source_status = "";
		it->n = n;
		it->d.rule = &n->own;
		it->d.by_hand = 1;
		it->d.tz = f->tz;
		it->d.notice_id = n->id;
		if (n->rule)
			snprintf(it->caveat, sizeof(it->caveat), "its rule %.80s is not in force: "
				 "not owed now (waive it with a reason, or delete it)", n->rule);
		if (n->due && cf_when_parse(n->due, f->tz, &w, NULL) == 0) {
			it->d.has_due = 1;
			it->d.due = w.is_period || w.precision < CF_P_MINUTE ? w.end - 1 : w.start;
			cf_time_utc(it->d.due, it->d.due_utc, sizeof(it->d.due_utc));
			zone_format(it->d.due, it->d.due_local, sizeof(it->d.due_local));
			it->d.left = it->d.due - at;
		}
		set_status(it, f, at, it->d.has_due);
		if (n->rule && it->d.status != CF_DL_WAIVED && it->d.status != CF_DL_MET &&
		    it->d.status != CF_DL_MET_LATE)
			it->d.status = CF_DL_NOT_OWED;
		k++;
	}
	return k;
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

/* Every deadline of the rules in force, then the notices none of them makes due, sorted;
 * *OUT malloc'd. */
static int compute_all(struct facts *f, const struct cf_rules *rules, int64_t at,
		       struct item **out, size_t *count, struct cf_err *err)
{
	size_t n = rules_count(rules), k = 0;
	struct item *items = xcalloc(n + f->nnotices + 1, sizeof(*items));

	if (!items)
		return cf_error(err, CF_ERR, "out of memory");
	for (size_t i = 0; i < n; i++) {
		const struct cf_rule *r = rules_at(rules, i);
		if (r->type == CF_RULE_DEADLINE && deadline_in_list(f->packs, r->pack) &&
		    compute_one(f, rules, r, at, &items[k]))
			k++;
	}
	k = own_notices(f, at, items, k);
	qsort(items, k, sizeof(*items), cmp_item);
	for (size_t i = 0; i < k; i++) /* the items moved: point at their own caveats again */
		items[i].d.caveat = items[i].caveat[0] ? items[i].caveat : NULL;
	*out = items;
	*count = k;
	return 0;
}

int deadline_items(struct facts *f, const struct cf_rules *rules, int64_t at,
		   struct item **out, size_t *count, struct cf_err *err)
{
	struct zone z;
	int rc;

	zone_enter(&z, f->tz);
	rc = compute_all(f, rules, at, out, count, err);
	zone_leave(&z);
	return rc;
}

/* Creates or updates the notice of a hard deadline with a due time. */
static int sync_notice(struct store *s, struct item *it, struct cf_err *err)
{
	const struct cf_rule *r = it->d.rule;
	struct cf_record rec;
	int rc;

	if (r->soft || !it->d.has_due || it->d.by_hand)
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

/* The case's facts read into F and every rule computed on them at AT, in the case's zone. */
static int facts_and_items(struct store *s, const struct cf_rules *rules, int64_t at,
			   struct facts *f, struct item **items, size_t *n, struct cf_err *err)
{
	struct zone z;
	int rc = deadline_facts_load(s, rules, f, err);

	if (rc < 0)
		return rc;
	zone_enter(&z, f->tz);
	rc = compute_all(f, rules, at, items, n, err);
	zone_leave(&z);
	return rc;
}

static int run(struct store *s, const struct cf_rules *rules, int64_t at, int sync,
	       deadline_cb cb, void *ctx, struct cf_err *err)
{
	struct cf_rules *owned = NULL;
	struct facts f;
	struct item *items = NULL;
	size_t n = 0;
	int rc;

	if (!rules && (rc = rules_load(&owned, err)) < 0)
		return rc;
	if (!rules)
		rules = owned;
	if ((rc = facts_and_items(s, rules, at, &f, &items, &n, err)) < 0)
		goto out;
	/* A read-only case shows its deadlines without writing the notices. */
	if (sync && !store_read_only(s)) {
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
		if ((rc = facts_and_items(s, rules, at, &f, &items, &n, err)) < 0)
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
					     "met-late", "waived", "warning", "not-started",
					     "not-owed" };
	return status <= CF_DL_NOT_OWED ? names[status] : "?";
}
