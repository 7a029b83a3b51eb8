/* test_deadline.c — the deadline engine: the demo case's federal deadlines, statuses from
 * recorded sends, a hand-computed date for every shipped rule (DST, federal holidays),
 * threshold edges, advisories, and notice records kept without duplicates. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "store/store.h"
#include "tests/helpers.h"

struct got {
	char id[64];
	enum cf_dl_status status;
	int has_due;
	char due_local[40];
	int64_t due, trigger_at;
	char notice[CF_ID_LEN + 1];
	char caveat[200], waiver[200];
};

#define MAX_GOT 256
struct gots {
	struct got g[MAX_GOT];
	size_t n;
};

static int collect(const struct cf_deadline *d, void *ctx)
{
	struct gots *gs = ctx;
	struct got *g = &gs->g[gs->n++];

	snprintf(g->id, sizeof(g->id), "%s", d->rule->id);
	g->status = d->status;
	g->has_due = d->has_due;
	snprintf(g->due_local, sizeof(g->due_local), "%s", d->has_due ? d->due_local : "");
	g->due = d->due;
	g->trigger_at = d->trigger_at;
	snprintf(g->notice, sizeof(g->notice), "%s", d->notice_id ? d->notice_id : "");
	snprintf(g->caveat, sizeof(g->caveat), "%s", d->caveat ? d->caveat : "");
	snprintf(g->waiver, sizeof(g->waiver), "%s", d->waiver ? d->waiver : "");
	return gs->n == MAX_GOT;
}

static const struct got *find(const struct gots *gs, const char *id)
{
	for (size_t i = 0; i < gs->n; i++)
		if (strcmp(gs->g[i].id, id) == 0)
			return &gs->g[i];
	return NULL;
}

static struct cf_rules *shipped(void)
{
	char dir[1024];
	const char *src = getenv("CASEFILE_SRC");
	struct cf_rules *rules;
	struct cf_err err;

	snprintf(dir, sizeof(dir), "%s/store/deadline/rules", src && *src ? src : ".");
	const char *dirs[] = { dir };
	if (rules_load_dirs(dirs, 1, &rules, &err) < 0)
		fail_msg("%s", err.msg);
	return rules;
}

static int64_t at(const char *text)
{
	struct cf_when w;
	assert_int_equal(cf_when_parse(text, NULL, &w, NULL), 0);
	return w.start;
}

static void run(struct store *s, const struct cf_rules *rules, const char *when, int sync,
		struct gots *gs)
{
	struct cf_err err;
	gs->n = 0;
	int rc = sync ? deadline_sync(s, rules, at(when), collect, gs, &err)
		      : deadline_compute(s, rules, at(when), collect, gs, &err);
	if (rc != 0)
		fail_msg("%s", err.msg);
}

static void expect(const struct gots *gs, const char *id, const char *due_local,
		   enum cf_dl_status status)
{
	const struct got *g = find(gs, id);
	if (!g)
		fail_msg("rule %s: not computed", id);
	if (due_local && strcmp(g->due_local, due_local) != 0)
		fail_msg("rule %s: due '%s', want '%s'", id, g->due_local, due_local);
	if ((int)status >= 0 && g->status != status)
		fail_msg("rule %s: status %s, want %s", id, cf_dl_status_name(g->status),
			 cf_dl_status_name(status));
}

static int count_ops(const struct cf_op *op, void *ctx)
{
	(void)op;
	(*(int *)ctx)++;
	return 0;
}

static int count_notices(const struct cf_record *r, void *ctx)
{
	(void)r;
	(*(int *)ctx)++;
	return 0;
}

/* ---- the demo case -------------------------------------------------------------------------- */

static void test_demo_federal_due_dates(void **state)
{
	char dir[256];
	struct store *s;
	struct cf_err err;
	struct cf_rules *rules = shipped();
	struct gots gs;

	(void)state;
	tmpdir(dir, sizeof(dir));
	assert_int_equal(demo_create(dir, "me", &err), 0);
	assert_int_equal(store_open(dir, &s, &err), 0);
	run(s, rules, "2019-06-03T12:00Z", 1, &gs);
	expect(&gs, "federal.congress-7d", "2019-06-07T23:59:59-04:00", CF_DL_UPCOMING);
	expect(&gs, "federal.breach-report-30d", "2019-06-30T23:59:59-04:00", CF_DL_UPCOMING);
	expect(&gs, "federal.cisa-1h", "2019-05-31T01:00:00-04:00", CF_DL_OVERDUE);
	const struct got *cisa = find(&gs, "federal.cisa-1h");
	assert_int_equal(cisa->due - cisa->trigger_at, 3600); /* within an hour of identifying it */
	/* Awareness is known only to the day: an hours rule says it counts from midnight. */
	assert_string_equal(cisa->caveat, "aware is known only to the day: counted from its start");
	expect(&gs, "federal.ig-7d", "2019-06-07T23:59:59-04:00", CF_DL_UPCOMING);
	assert_string_equal(find(&gs, "federal.congress-7d")->caveat, "");
	expect(&gs, "federal.congress-supplemental", "", CF_DL_WARNING);
	/* The demo's own notice records were found (by rule), not duplicated; the Inspector
	 * General's, which the demo does not have, was made. */
	int n = 0;
	assert_int_equal(record_list(s, CF_NOTICE, NULL, count_notices, &n, &err), 0);
	assert_int_equal(n, 4);
	struct cf_record r;
	assert_int_equal(record_get(s, CF_NOTICE, find(&gs, "federal.congress-7d")->notice, &r,
				    &err), 0);
	assert_string_equal(cf_record_get(&r, "due"), "2019-06-07T23:59:59-04:00");
	assert_string_equal(cf_record_get(&r, "recipient"), "Congress: committees of jurisdiction");
	cf_record_release(&r);
	store_close(s);
	rules_free(rules);
	rmtree(dir);
}

static void test_demo_status_from_recorded_sends(void **state)
{
	char dir[256];
	struct store *s;
	struct cf_err err;
	struct cf_rules *rules = shipped();
	struct gots gs;

	(void)state;
	tmpdir(dir, sizeof(dir));
	assert_int_equal(demo_create(dir, "me", &err), 0);
	assert_int_equal(store_open(dir, &s, &err), 0);
	run(s, rules, "2019-06-07T10:00-04:00", 1, &gs);
	expect(&gs, "federal.congress-7d", NULL, CF_DL_DUE_SOON);
	const char *congress = find(&gs, "federal.congress-7d")->notice;
	const char *breach = find(&gs, "federal.breach-report-30d")->notice;
	const char *cisa = find(&gs, "federal.cisa-1h")->notice;
	char c7[CF_ID_LEN + 1], b30[CF_ID_LEN + 1], c1[CF_ID_LEN + 1];
	strcpy(c7, congress);
	strcpy(b30, breach);
	strcpy(c1, cisa);

	/* Sent on the last day, in the evening: met.  Sent the morning after: met late. */
	assert_int_equal(record_set(s, CF_NOTICE, c7, "sent", "2019-06-07T22:30-04:00", &err), 0);
	assert_int_equal(record_set(s, CF_NOTICE, b30, "sent", "2019-07-01T09:00-04:00", &err), 0);
	run(s, rules, "2019-07-02T12:00Z", 0, &gs);
	expect(&gs, "federal.congress-7d", NULL, CF_DL_MET);
	expect(&gs, "federal.breach-report-30d", NULL, CF_DL_MET_LATE);
	expect(&gs, "federal.cisa-1h", NULL, CF_DL_OVERDUE);

	/* CISA within the hour (00:40 EDT on May 31) is met; at 01:00:01 it is late. */
	assert_int_equal(record_set(s, CF_NOTICE, c1, "sent", "2019-05-31T00:40-04:00", &err), 0);
	run(s, rules, "2019-07-02T12:00Z", 0, &gs);
	expect(&gs, "federal.cisa-1h", NULL, CF_DL_MET);
	assert_int_equal(record_set(s, CF_NOTICE, c1, "sent", "2019-05-31T05:00:01Z", &err), 0);
	run(s, rules, "2019-07-02T12:00Z", 0, &gs);
	expect(&gs, "federal.cisa-1h", NULL, CF_DL_MET_LATE);

	/* Waived: without a reason the engine asks for one; with it, it carries it. */
	assert_int_equal(record_set(s, CF_NOTICE, c1, "sent", NULL, &err), 0);
	assert_int_equal(record_set(s, CF_NOTICE, c1, "status", "waived", &err), 0);
	run(s, rules, "2019-07-02T12:00Z", 0, &gs);
	expect(&gs, "federal.cisa-1h", NULL, CF_DL_WAIVED);
	assert_non_null(strstr(find(&gs, "federal.cisa-1h")->caveat, "without a reason"));
	assert_int_equal(record_set(s, CF_NOTICE, c1, "waiver", "reported by DHS", &err), 0);
	run(s, rules, "2019-07-02T12:00Z", 0, &gs);
	expect(&gs, "federal.cisa-1h", NULL, CF_DL_WAIVED);
	assert_string_equal(find(&gs, "federal.cisa-1h")->waiver, "reported by DHS");

	/* Before the week is out the Congress notice is upcoming, then due within 24 hours. */
	assert_int_equal(record_set(s, CF_NOTICE, c7, "sent", NULL, &err), 0);
	run(s, rules, "2019-06-06T03:59:58Z", 0, &gs);
	expect(&gs, "federal.congress-7d", NULL, CF_DL_UPCOMING);
	run(s, rules, "2019-06-07T04:00Z", 0, &gs);
	expect(&gs, "federal.congress-7d", NULL, CF_DL_DUE_SOON);
	run(s, rules, "2019-06-08T04:00Z", 0, &gs);
	expect(&gs, "federal.congress-7d", NULL, CF_DL_OVERDUE);
	store_close(s);
	rules_free(rules);
	rmtree(dir);
}

static void test_rerun_keeps_one_notice_and_moved_trigger_is_an_op(void **state)
{
	char dir[256];
	struct store *s;
	struct cf_err err;
	struct cf_rules *rules = shipped();
	struct gots gs;
	int ops = 0, again = 0, n = 0;

	(void)state;
	tmpdir(dir, sizeof(dir));
	assert_int_equal(store_create(dir, &(struct cf_case_init){ .title = "t", .tz =
		"America/New_York", .discovered = "2024-03-08",
		.org_type = "federal-agency" }, "me", &s, &err), 0);
	assert_int_equal(case_set(s, "major_basis", "2024-03-08T10:00", &err), 0);
	run(s, rules, "2024-03-09T00:00Z", 1, &gs);
	assert_int_equal(record_list(s, CF_NOTICE, NULL, count_notices, &n, &err), 0);
	assert_int_equal(n, 4); /* CISA, Congress, Inspector General, breach report; no soft one */
	assert_int_equal(op_list(s, NULL, count_ops, &ops, &err), 0);
	run(s, rules, "2024-03-10T00:00Z", 1, &gs);
	assert_int_equal(op_list(s, NULL, count_ops, &again, &err), 0);
	assert_int_equal(again, ops); /* nothing changed, nothing written */
	n = 0;
	assert_int_equal(record_list(s, CF_NOTICE, NULL, count_notices, &n, &err), 0);
	assert_int_equal(n, 4);

	char notice[CF_ID_LEN + 1];
	strcpy(notice, find(&gs, "federal.congress-7d")->notice);
	assert_int_equal(case_set(s, "major_basis", "2024-03-12T10:00", &err), 0);
	run(s, rules, "2024-03-13T00:00Z", 1, &gs);
	expect(&gs, "federal.congress-7d", "2024-03-19T23:59:59-04:00", CF_DL_UPCOMING);
	assert_string_equal(find(&gs, "federal.congress-7d")->notice, notice);
	n = 0;
	assert_int_equal(record_list(s, CF_NOTICE, NULL, count_notices, &n, &err), 0);
	assert_int_equal(n, 4);
	int nops = 0;
	assert_int_equal(op_list(s, notice, count_ops, &nops, &err), 0);
	assert_int_equal(nops, 2); /* @create, then due moved */
	store_close(s);
	rules_free(rules);
	rmtree(dir);
}

/* ---- every shipped rule --------------------------------------------------------------------- */

/* An estimate of HIGH people as of AS_OF, residents of JUR (NULL: the whole case). */
static void add_people_in(struct store *s, int64_t high, const char *as_of, const char *jur)
{
	struct cf_record e;
	struct cf_err err;
	char n[32];

	snprintf(n, sizeof(n), "%lld", (long long)high);
	cf_record_init(&e, CF_ESTIMATE);
	cf_record_set(&e, "category", "people affected", &err);
	cf_record_set(&e, "unit", "people", &err);
	cf_record_set(&e, "high", n, &err);
	cf_record_set(&e, "as_of", as_of, &err);
	if (jur)
		assert_int_equal(cf_record_set(&e, "jurisdiction", jur, &err), 0);
	assert_int_equal(record_add(s, &e, &err), 0);
	cf_record_release(&e);
}

static const char *const fixture_states[] = { "US-CO", "US-FL", "US-WA", "US-TX", NULL };

static struct store *fixture(const char *dir, int64_t people)
{
	struct store *s;
	struct cf_err err;
	struct cf_record ev;

	assert_int_equal(store_create(dir, &(struct cf_case_init){ .title = "t", .tz =
		"America/New_York" }, "me", &s, &err), 0);
	/* Friday 2024-03-08, 10:00 EST; DST starts on Sunday 2024-03-10. */
	assert_int_equal(case_set(s, "discovered", "2024-03-08T10:00", &err), 0);
	assert_int_equal(case_set(s, "aware", "2024-03-08T10:00", &err), 0);
	assert_int_equal(case_set(s, "major_basis", "2024-03-08T10:00", &err), 0);
	assert_int_equal(case_set(s, "breach_determined", "2024-03-20", &err), 0);
	assert_int_equal(case_set(s, "materiality_determined", "2024-07-01T09:00", &err), 0);
	assert_int_equal(case_set(s, "severity", "high", &err), 0);
	assert_int_equal(case_set(s, "rule_packs",
				  "federal,gdpr,hipaa,sec,nydfs,us-states,dfars,circia", &err), 0);
	/* The extortion payment: Saturday 22:30 EST, the night before the DST change. */
	cf_record_init(&ev, CF_EVENT);
	cf_record_set(&ev, "occurred", "2024-03-09T22:30", &err);
	cf_record_set(&ev, "kind", "payment", &err);
	cf_record_set(&ev, "summary", "extortion payment made", &err);
	assert_int_equal(record_add(s, &ev, &err), 0);
	cf_record_release(&ev);
	for (size_t i = 0; people >= 0 && cf_us_jurisdiction_at(i); i++)
		add_people_in(s, people, "2024-03-09", cf_us_jurisdiction_at(i));
	return s;
}

/* The State rules beyond the first four, under fixture(): discovered Friday 2024-03-08 10:00
 * EST, breach determined 2024-03-20, DST from Sunday 2024-03-10; "" is a soft rule (warning).
 * Calendar days counted by hand: March 8 + 10 = March 18, + 45 = April 22, + 60 = May 7;
 * March 20 + 30 = April 19, + 45 = May 4. */
static const struct { const char *id, *due; } more_states[] = {
	{ "ca-residents", "2024-04-07T23:59:59-04:00" }, { "ca-ag", "" }, { "ca-vendor", "" },
	{ "ny-residents", "" }, { "ny-state-offices", "" }, { "ny-cra", "" },
	{ "il-residents", "" }, { "il-ag", "" }, { "il-vendor", "" },
	{ "az-residents-45d", "2024-05-04T23:59:59-04:00" },
	{ "az-ag-45d", "2024-05-04T23:59:59-04:00" }, { "az-cra-45d", "2024-05-04T23:59:59-04:00" },
	{ "pa-residents-30d", "2024-04-19T23:59:59-04:00" }, { "pa-ag", "" }, { "pa-cra", "" },
	{ "pa-vendor", "" },
	{ "oh-residents-45d", "2024-04-22T23:59:59-04:00" }, { "oh-cra", "" }, { "oh-vendor", "" },
	/* 24 hours from 10:00 EST on Friday, before the DST change. */
	{ "ga-residents", "" }, { "ga-cra", "" }, { "ga-vendor-24h", "2024-03-09T10:00:00-05:00" },
	{ "nc-residents", "" }, { "nc-ag", "" }, { "nc-cra", "" }, { "nc-vendor", "" },
	{ "mi-residents", "" }, { "mi-cra", "" }, { "mi-vendor", "" },
	{ "nj-state-police", "" }, { "nj-residents", "" }, { "nj-cra", "" }, { "nj-vendor", "" },
	{ "va-residents", "" }, { "va-ag", "" }, { "va-cra", "" }, { "va-vendor", "" },
	{ "ma-ag-ocabr", "" }, { "ma-residents", "" }, { "ma-cra", "" },
	{ "tn-residents-45d", "2024-04-22T23:59:59-04:00" }, { "tn-cra", "" },
	{ "tn-vendor-45d", "2024-04-22T23:59:59-04:00" },
	{ "in-residents-45d", "2024-04-22T23:59:59-04:00" },
	{ "in-ag-45d", "2024-04-22T23:59:59-04:00" }, { "in-cra", "" }, { "in-vendor", "" },
	{ "md-ag-first", "" }, { "md-residents", "" }, { "md-cra", "" }, { "md-vendor", "" },
	{ "ct-residents-60d", "2024-05-07T23:59:59-04:00" },
	{ "ct-ag", "2024-05-07T23:59:59-04:00" }, { "ct-cra", "" },
	{ "wi-residents-45d", "2024-04-22T23:59:59-04:00" }, { "wi-cra", "" }, { "wi-vendor", "" },
	/* 48 hours from 15:00Z on Friday: 15:00Z Sunday, which is 11:00 EDT. */
	{ "mn-residents", "" }, { "mn-cra-48h", "2024-03-10T11:00:00-04:00" }, { "mn-vendor", "" },
	{ "or-residents-45d", "2024-04-22T23:59:59-04:00" },
	{ "or-ag-45d", "2024-04-22T23:59:59-04:00" }, { "or-cra", "" },
	{ "or-vendor-10d", "2024-03-18T23:59:59-04:00" },
	{ "la-residents-60d", "2024-05-07T23:59:59-04:00" }, { "la-ag", "" }, { "la-cra", "" },
	{ "la-vendor", "" },
	/* The last thirty jurisdictions.  March 20 + 10 = March 30, + 60 = May 19; 14 business
	 * days from Friday March 8 (no federal holiday): March 28. */
	{ "ak-residents", "" },
	{ "ak-cra", "" },
	{ "al-individuals-45d", "2024-05-04T23:59:59-04:00" },
	{ "al-ag-45d", "2024-05-04T23:59:59-04:00" },
	{ "al-cra", "" },
	{ "al-vendor-10d", "2024-03-30T23:59:59-04:00" },
	{ "ar-residents", "" },
	{ "ar-ag-45d", "2024-05-04T23:59:59-04:00" },
	{ "ar-cra", "" },
	{ "ar-vendor", "" },
	{ "dc-residents", "" },
	{ "dc-ag", "" },
	{ "dc-cra", "" },
	{ "dc-vendor", "" },
	{ "de-residents-60d", "2024-05-19T23:59:59-04:00" },
	{ "de-ag-60d", "2024-05-19T23:59:59-04:00" },
	{ "de-cra", "" },
	{ "de-vendor", "" },
	{ "gu-residents", "" },
	{ "hi-residents", "" },
	{ "hi-ocp", "" },
	{ "hi-cra", "" },
	{ "hi-vendor", "" },
	{ "ia-consumers", "" },
	{ "ia-ag", "" },
	{ "ia-vendor", "" },
	{ "id-residents", "" },
	{ "id-vendor", "" },
	{ "ks-residents", "" },
	{ "ks-cra", "" },
	{ "ks-vendor", "" },
	{ "ky-residents", "" },
	{ "ky-cra", "" },
	{ "ky-vendor", "" },
	{ "me-residents-30d", "2024-04-07T23:59:59-04:00" },
	{ "me-ag", "" },
	{ "me-cra", "" },
	{ "me-vendor", "" },
	{ "mo-residents", "" },
	{ "mo-ag", "" },
	{ "mo-cra", "" },
	{ "mo-vendor", "" },
	{ "ms-residents", "" },
	{ "ms-vendor", "" },
	{ "mt-residents", "" },
	{ "mt-ocp", "" },
	{ "mt-vendor", "" },
	{ "nd-residents", "" },
	{ "nd-ag", "" },
	{ "nd-vendor", "" },
	{ "ne-residents", "" },
	{ "ne-ag", "" },
	{ "ne-cra", "" },
	{ "ne-vendor", "" },
	{ "nh-ag", "" },
	{ "nh-residents", "" },
	{ "nh-cra", "" },
	{ "nh-vendor", "" },
	{ "nm-residents-45d", "2024-04-22T23:59:59-04:00" },
	{ "nm-ag-45d", "2024-04-22T23:59:59-04:00" },
	{ "nm-cra-45d", "2024-04-22T23:59:59-04:00" },
	{ "nm-vendor-45d", "2024-04-22T23:59:59-04:00" },
	{ "nv-residents", "" },
	{ "nv-cra", "" },
	{ "nv-vendor", "" },
	{ "ok-residents", "" },
	{ "ok-ag", "" },
	{ "ok-cra", "" },
	{ "ok-vendor", "" },
	{ "pr-citizens", "" },
	{ "pr-daco-10d", "2024-03-18T23:59:59-04:00" },
	{ "pr-vendor", "" },
	{ "ri-residents-45d", "2024-05-04T23:59:59-04:00" },
	{ "ri-ag-cra", "" },
	{ "sc-residents", "" },
	{ "sc-dca", "" },
	{ "sc-cra", "" },
	{ "sd-residents-60d", "2024-05-07T23:59:59-04:00" },
	{ "sd-ag", "" },
	{ "sd-cra", "" },
	{ "sd-vendor", "" },
	{ "ut-residents", "" },
	{ "ut-ag-cyber", "" },
	{ "ut-cra", "" },
	{ "vi-residents", "" },
	{ "vt-ag-14bd", "2024-03-28T23:59:59-04:00" },
	{ "vt-residents-45d", "2024-04-22T23:59:59-04:00" },
	{ "vt-cra", "" },
	{ "vt-vendor", "" },
	{ "wv-residents", "" },
	{ "wv-cra", "" },
	{ "wv-vendor", "" },
	{ "wy-residents", "" },
	{ "wy-vendor", "" },
};

static void test_every_shipped_rule_hand_computed(void **state)
{
	char dir[256];
	struct cf_rules *rules = shipped();
	struct gots gs;
	struct store *s;

	(void)state;
	tmpdir(dir, sizeof(dir));
	s = fixture(dir, 20000);
	/* Every pack; the incident classified major (DORA) at 10:30 EST; 20,000 Quebecers too. */
	struct cf_err err;
	assert_int_equal(case_set(s, "rule_packs", "federal,gdpr,hipaa,sec,nydfs,us-states,dfars,"
				  "circia,ftc,banking,uk-gdpr,canada,australia,nis2,dora", &err), 0);
	assert_int_equal(case_set(s, "severity", "major", &err), 0);
	assert_int_equal(case_set(s, "major_determined", "2024-03-08T10:30", &err), 0);
	add_people_in(s, 20000, "2024-03-09", "CA-QC");
	run(s, rules, "2024-03-08T16:00Z", 0, &gs);
	/* Hours are exact: 10:00 EST (aware: the incident identified) + 1 h. */
	expect(&gs, "federal.cisa-1h", "2024-03-08T11:00:00-05:00", CF_DL_DUE_SOON);
	expect(&gs, "federal.ig-7d", "2024-03-15T23:59:59-04:00", CF_DL_UPCOMING);
	/* Calendar days end at the end of the last local day, here after the DST change. */
	expect(&gs, "federal.congress-7d", "2024-03-15T23:59:59-04:00", CF_DL_UPCOMING);
	expect(&gs, "federal.breach-report-30d", "2024-04-07T23:59:59-04:00", CF_DL_UPCOMING);
	expect(&gs, "federal.congress-supplemental", "", CF_DL_WARNING);
	/* 72 hours over the DST change: 15:00Z + 72 h = 15:00Z, which is 11:00 EDT, not 10:00. */
	expect(&gs, "gdpr.art33-authority-72h", "2024-03-11T11:00:00-04:00", CF_DL_UPCOMING);
	expect(&gs, "gdpr.art34-data-subjects", "", CF_DL_WARNING);
	expect(&gs, "gdpr.art33-2-processor", "", CF_DL_WARNING);
	expect(&gs, "hipaa.individuals-60d", "2024-05-07T23:59:59-04:00", CF_DL_UPCOMING);
	expect(&gs, "hipaa.ba-covered-entity-60d", "2024-05-07T23:59:59-04:00", CF_DL_UPCOMING);
	expect(&gs, "hipaa.media-60d", "2024-05-07T23:59:59-04:00", CF_DL_UPCOMING);
	expect(&gs, "hipaa.hhs-60d", "2024-05-07T23:59:59-04:00", CF_DL_UPCOMING);
	/* Monday July 1 + 4 business days, skipping Independence Day: Monday July 8, by the end
	 * of EDGAR's filing day, 17:30 Eastern. */
	expect(&gs, "sec.8k-item105-4bd", "2024-07-08T17:30:00-04:00", CF_DL_UPCOMING);
	expect(&gs, "sec.8k-a-amendment", "", CF_DL_WARNING);
	/* A day-precision clock starts at the start of that day in the case zone. */
	expect(&gs, "nydfs.500-17a-72h", "2024-03-23T00:00:00-04:00", CF_DL_UPCOMING);
	/* 24 hours from Saturday 22:30 EST over the DST change: Sunday 23:30 EDT. */
	expect(&gs, "nydfs.500-17c-payment-24h", "2024-03-10T23:30:00-04:00", CF_DL_UPCOMING);
	expect(&gs, "nydfs.500-17c-explanation-30d", "2024-04-08T23:59:59-04:00", CF_DL_UPCOMING);
	/* 72 hours from discovery/awareness (15:00Z Friday) over the DST change: 11:00 EDT. */
	expect(&gs, "dfars.7012-dibnet-72h", "2024-03-11T11:00:00-04:00", CF_DL_UPCOMING);
	expect(&gs, "circia.covered-incident-72h", "2024-03-11T11:00:00-04:00", CF_DL_UPCOMING);
	expect(&gs, "circia.ransom-payment-24h", "2024-03-10T23:30:00-04:00", CF_DL_UPCOMING);
	expect(&gs, "us-states.co-residents-30d", "2024-04-19T23:59:59-04:00", CF_DL_UPCOMING);
	expect(&gs, "us-states.co-ag-30d", "2024-04-19T23:59:59-04:00", CF_DL_UPCOMING);
	expect(&gs, "us-states.co-cra", "", CF_DL_WARNING);
	expect(&gs, "us-states.co-vendor", "", CF_DL_WARNING);
	expect(&gs, "us-states.fl-individuals-30d", "2024-04-19T23:59:59-04:00", CF_DL_UPCOMING);
	expect(&gs, "us-states.fl-ag-30d", "2024-04-19T23:59:59-04:00", CF_DL_UPCOMING);
	expect(&gs, "us-states.fl-cra", "", CF_DL_WARNING);
	/* 10 days from the determination (March 20). */
	expect(&gs, "us-states.fl-vendor-10d", "2024-03-30T23:59:59-04:00", CF_DL_UPCOMING);
	expect(&gs, "us-states.wa-consumers-30d", "2024-04-07T23:59:59-04:00", CF_DL_UPCOMING);
	expect(&gs, "us-states.wa-ag-30d", "2024-04-07T23:59:59-04:00", CF_DL_UPCOMING);
	expect(&gs, "us-states.wa-cra", "", CF_DL_WARNING);
	expect(&gs, "us-states.wa-vendor", "", CF_DL_WARNING);
	expect(&gs, "us-states.tx-individuals-60d", "2024-05-19T23:59:59-04:00", CF_DL_UPCOMING);
	/* From discovery (March 8), not the determination. */
	expect(&gs, "us-states.tx-ag-30d", "2024-04-07T23:59:59-04:00", CF_DL_UPCOMING);
	expect(&gs, "us-states.tx-cra", "", CF_DL_WARNING);
	expect(&gs, "us-states.tx-vendor", "", CF_DL_WARNING);
	/* Regulation S-P, FTC, GLBA, Australia's assessment: 30 or 60 calendar days from March 8
	 * (March 8 + 30 = April 7, + 60 = May 7), at the end of the day in the case zone. */
	expect(&gs, "sec.regsp-customers-30d", "2024-04-07T23:59:59-04:00", CF_DL_UPCOMING);
	expect(&gs, "ftc.hbnr-individuals-60d", "2024-05-07T23:59:59-04:00", CF_DL_UPCOMING);
	expect(&gs, "ftc.hbnr-ftc-500", "2024-05-07T23:59:59-04:00", CF_DL_UPCOMING);
	expect(&gs, "ftc.hbnr-media", "", CF_DL_WARNING);
	expect(&gs, "ftc.hbnr-service-provider", "", CF_DL_WARNING);
	expect(&gs, "ftc.glba-ftc-30d", "2024-04-07T23:59:59-04:00", CF_DL_UPCOMING);
	/* 36 hours from the determination known only to the day (March 20, 00:00 EDT). */
	expect(&gs, "banking.regulator-36h", "2024-03-21T12:00:00-04:00", CF_DL_UPCOMING);
	expect(&gs, "banking.service-provider", "", CF_DL_WARNING);
	/* 72 hours from 10:00 EST Friday over the DST change: 11:00 EDT Monday. */
	expect(&gs, "uk-gdpr.art33-ico-72h", "2024-03-11T11:00:00-04:00", CF_DL_UPCOMING);
	expect(&gs, "uk-gdpr.art34-data-subjects", "", CF_DL_WARNING);
	expect(&gs, "uk-gdpr.art33-2-processor", "", CF_DL_WARNING);
	expect(&gs, "canada.pipeda-commissioner", "", CF_DL_WARNING);
	expect(&gs, "canada.pipeda-individuals", "", CF_DL_WARNING);
	expect(&gs, "canada.quebec-cai", "", CF_DL_WARNING);
	expect(&gs, "canada.quebec-persons", "", CF_DL_WARNING);
	expect(&gs, "australia.ndb-assess-30d", "2024-04-07T23:59:59-04:00", CF_DL_UPCOMING);
	expect(&gs, "australia.ndb-oaic-statement", "", CF_DL_WARNING);
	expect(&gs, "australia.ndb-individuals", "", CF_DL_WARNING);
	/* NIS2: 24 hours from 10:00 EST Friday is 10:00 EST Saturday (before the change). */
	expect(&gs, "nis2.early-warning-24h", "2024-03-09T10:00:00-05:00", CF_DL_DUE_SOON);
	expect(&gs, "nis2.notification-72h", "2024-03-11T11:00:00-04:00", CF_DL_UPCOMING);
	/* Counted from an earlier report's sent time, not recorded here: not started. */
	expect(&gs, "nis2.final-report-1m", "", CF_DL_NOT_STARTED);
	/* DORA: 4 hours from the classification (10:30 EST), 24 from awareness (10:00 EST), 72
	 * from the classification over the DST change (11:30 EDT Monday). */
	expect(&gs, "dora.initial-4h", "2024-03-08T14:30:00-05:00", CF_DL_DUE_SOON);
	expect(&gs, "dora.initial-24h", "2024-03-09T10:00:00-05:00", CF_DL_DUE_SOON);
	expect(&gs, "dora.intermediate-72h", "2024-03-11T11:30:00-04:00", CF_DL_UPCOMING);
	expect(&gs, "dora.final-1m", "", CF_DL_NOT_STARTED);
	for (size_t i = 0; i < sizeof(more_states) / sizeof(more_states[0]); i++) {
		char id[80];
		snprintf(id, sizeof(id), "us-states.%s", more_states[i].id);
		expect(&gs, id, more_states[i].due,
		       !*more_states[i].due ? CF_DL_WARNING
		       : !strcmp(more_states[i].id, "ga-vendor-24h") ? CF_DL_DUE_SOON : CF_DL_UPCOMING);
	}
	/* Every deadline rule shipped was computed: none silently skipped. */
	size_t deadlines = 0;
	for (size_t i = 0; i < rules_count(rules); i++)
		deadlines += rules_at(rules, i)->type == CF_RULE_DEADLINE;
	assert_int_equal(gs.n, deadlines);
	store_close(s);
	rmtree(dir);
	rules_free(rules);
}

static void test_business_days_over_thanksgiving_and_observed_july_4(void **state)
{
	char dir[256];
	struct cf_rules *rules = shipped();
	struct gots gs;
	struct cf_err err;
	struct store *s;

	(void)state;
	tmpdir(dir, sizeof(dir));
	s = fixture(dir, -1);
	/* Tuesday Nov 26, 2024: Wed 27 (1), Thanksgiving skipped, Fri 29 (2), Mon 2 (3), Tue 3. */
	assert_int_equal(case_set(s, "materiality_determined", "2024-11-26T15:00", &err), 0);
	run(s, rules, "2024-11-26T21:00Z", 0, &gs);
	expect(&gs, "sec.8k-item105-4bd", "2024-12-03T17:30:00-05:00", CF_DL_UPCOMING);
	/* July 4, 2026 is a Saturday, observed Friday July 3: Wed 1 -> Thu 2, Mon 6, 7, 8. */
	assert_int_equal(case_set(s, "materiality_determined", "2026-07-01", &err), 0);
	run(s, rules, "2026-07-01T21:00Z", 0, &gs);
	expect(&gs, "sec.8k-item105-4bd", "2026-07-08T17:30:00-04:00", CF_DL_UPCOMING);
	/* Friday Dec 30, 2022 (Christmas observed Mon Dec 26, New Year observed Mon Jan 2, 2023):
	 * Tue 3 (1), Wed 4, Thu 5, Fri 6. */
	assert_int_equal(case_set(s, "materiality_determined", "2022-12-30", &err), 0);
	run(s, rules, "2022-12-30T21:00Z", 0, &gs);
	expect(&gs, "sec.8k-item105-4bd", "2023-01-06T17:30:00-05:00", CF_DL_UPCOMING);
	store_close(s);
	rmtree(dir);
	rules_free(rules);
}

static void add_people(struct store *s, int64_t high, const char *as_of)
{
	add_people_in(s, high, as_of, NULL);
}

static void test_threshold_edges_499_500_501(void **state)
{
	static const struct {
		int64_t people;
		int hhs, media, co_ag, wa_ag, tx_ag;
	} edges[] = {
		{ 249, 0, 0, 0, 0, 0 }, { 250, 0, 0, 0, 0, 1 }, { 499, 0, 0, 0, 0, 1 },
		{ 500, 1, 0, 1, 0, 1 }, { 501, 1, 1, 1, 1, 1 },
	};
	char dir[256], day[16];
	struct cf_rules *rules = shipped();
	struct gots gs;
	struct store *s;

	(void)state;
	tmpdir(dir, sizeof(dir));
	s = fixture(dir, -1);
	run(s, rules, "2024-03-08T16:00Z", 0, &gs);
	expect(&gs, "hipaa.hhs-60d", "", CF_DL_NOT_STARTED); /* no estimate: cannot tell */
	for (size_t i = 0; i < sizeof(edges) / sizeof(edges[0]); i++) {
		/* Each a revision, later than the one before: the latest counts. */
		snprintf(day, sizeof(day), "2024-03-%02zu", 10 + i);
		for (size_t j = 0; fixture_states[j]; j++) /* each State has that many residents */
			add_people_in(s, edges[i].people, day, fixture_states[j]);
		run(s, rules, "2024-03-08T16:00Z", 0, &gs);
		assert_int_equal(find(&gs, "hipaa.hhs-60d") != NULL, edges[i].hhs);
		assert_int_equal(find(&gs, "hipaa.media-60d") != NULL, edges[i].media);
		assert_int_equal(find(&gs, "us-states.co-ag-30d") != NULL, edges[i].co_ag);
		assert_int_equal(find(&gs, "us-states.fl-ag-30d") != NULL, edges[i].co_ag);
		assert_int_equal(find(&gs, "us-states.wa-ag-30d") != NULL, edges[i].wa_ag);
		assert_int_equal(find(&gs, "us-states.tx-ag-30d") != NULL, edges[i].tx_ag);
		assert_non_null(find(&gs, "hipaa.individuals-60d"));
	}
	store_close(s);
	rmtree(dir);
	rules_free(rules);
}

struct adv {
	char id[64];
	int holds;
	char message[600];
};

static int take_adv(const struct cf_advisory *a, void *ctx)
{
	struct adv *out = ctx;
	if (strcmp(a->id, "federal.major-pii-100k") == 0) {
		snprintf(out->id, sizeof(out->id), "%s", a->id);
		out->holds = a->holds;
		snprintf(out->message, sizeof(out->message), "%s", a->message);
	}
	return 0;
}

static void test_major_incident_advisory_99999_100000(void **state)
{
	char dir[256];
	struct cf_rules *rules = shipped();
	struct cf_err err;
	struct store *s;
	struct adv a = { "", -2, "" };

	(void)state;
	tmpdir(dir, sizeof(dir));
	assert_int_equal(demo_create(dir, "me", &err), 0); /* people high 99999 */
	assert_int_equal(store_open(dir, &s, &err), 0);
	assert_int_equal(deadline_advisories(s, rules, take_adv, &a, &err), 0);
	assert_int_equal(a.holds, 0);
	assert_non_null(strstr(a.message, "floor, not a ceiling"));
	add_people(s, 100000, "2020-09-21");
	assert_int_equal(deadline_advisories(s, rules, take_adv, &a, &err), 0);
	assert_int_equal(a.holds, 1);
	assert_non_null(strstr(a.message, "major incident by definition"));
	store_close(s);
	rmtree(dir);
	rules_free(rules);
}

static void test_soft_and_conditional_rules(void **state)
{
	char dir[256];
	struct cf_rules *rules = shipped();
	struct cf_err err;
	struct gots gs;
	struct store *s;

	(void)state;
	tmpdir(dir, sizeof(dir));
	s = fixture(dir, 10);
	assert_int_equal(case_set(s, "severity", "moderate", &err), 0);
	run(s, rules, "2024-03-08T16:00Z", 0, &gs);
	assert_null(find(&gs, "gdpr.art34-data-subjects")); /* not a high risk */
	assert_int_equal(case_set(s, "severity", "major", &err), 0);
	run(s, rules, "2024-03-08T16:00Z", 0, &gs);
	expect(&gs, "gdpr.art34-data-subjects", "", CF_DL_WARNING);
	/* Packs not in force are not computed. */
	assert_int_equal(case_set(s, "rule_packs", "federal", &err), 0);
	run(s, rules, "2024-03-08T16:00Z", 0, &gs);
	assert_null(find(&gs, "gdpr.art33-authority-72h"));
	assert_non_null(find(&gs, "federal.congress-7d"));
	/* A clock that is not set yet: the rule is listed, not started, without a due time. */
	assert_int_equal(case_set(s, "rule_packs", "sec", &err), 0);
	assert_int_equal(case_set(s, "materiality_determined", NULL, &err), 0);
	run(s, rules, "2024-03-08T16:00Z", 0, &gs);
	expect(&gs, "sec.8k-item105-4bd", "", CF_DL_NOT_STARTED);
	/* Waived before its clock started: waived, not "not started". */
	struct cf_record n;
	cf_record_init(&n, CF_NOTICE);
	cf_record_set(&n, "recipient", "SEC", &err);
	cf_record_set(&n, "rule", "sec.8k-item105-4bd", &err);
	cf_record_set(&n, "status", "waived", &err);
	cf_record_set(&n, "waiver", "not an SEC registrant", &err);
	assert_int_equal(record_add(s, &n, &err), 0);
	cf_record_release(&n);
	run(s, rules, "2024-03-08T16:00Z", 0, &gs);
	expect(&gs, "sec.8k-item105-4bd", "", CF_DL_WAIVED);
	store_close(s);
	rmtree(dir);
	rules_free(rules);
}

static int take_stale(const struct cf_advisory *a, void *ctx)
{
	if (strcmp(a->id, "casefile.stale-notice") == 0)
		(*(int *)ctx)++;
	return 0;
}

static void test_disabled_pack_leaves_a_stale_notice_advisory(void **state)
{
	char dir[256];
	struct cf_rules *rules = shipped();
	struct cf_err err;
	struct gots gs;
	struct store *s;
	int stale = 0;

	(void)state;
	tmpdir(dir, sizeof(dir));
	s = fixture(dir, 10);
	run(s, rules, "2024-03-08T16:00Z", 1, &gs);
	assert_int_equal(deadline_advisories(s, rules, take_stale, &stale, &err), 0);
	assert_int_equal(stale, 0);
	assert_int_equal(case_set(s, "rule_packs", "federal", &err), 0);
	assert_int_equal(deadline_advisories(s, rules, take_stale, &stale, &err), 0);
	assert_true(stale > 0); /* the gdpr, hipaa, sec, ... notices are not owed any more */
	store_close(s);
	rmtree(dir);
	rules_free(rules);
}

static void test_event_trigger_counts_from_earliest_event(void **state)
{
	char dir[256], rdir[300];
	struct cf_rules *rules;
	struct cf_err err;
	struct cf_record e;
	struct gots gs;
	struct store *s;
	FILE *f;

	(void)state;
	tmpdir(dir, sizeof(dir));
	snprintf(rdir, sizeof(rdir), "%s-rules", dir);
	mkdir(rdir, 0700);
	strcat(rdir, "/t.rules");
	f = fopen(rdir, "w");
	assert_non_null(f);
	fputs("pack = t\n[rule contain-2h]\ntitle = t\ntrigger = event:containment\n"
	      "within = 2 hours\nrecipient = r\nsource = s\n", f);
	fclose(f);
	*strrchr(rdir, '/') = '\0';
	const char *dirs[] = { rdir };
	assert_int_equal(rules_load_dirs(dirs, 1, &rules, &err), 0);
	assert_int_equal(store_create(dir, &(struct cf_case_init){ .title = "t", .tz = "UTC" },
				      "me", &s, &err), 0);
	assert_int_equal(case_set(s, "rule_packs", "t", &err), 0);
	run(s, rules, "2024-01-01T00:00Z", 0, &gs);
	expect(&gs, "t.contain-2h", "", CF_DL_NOT_STARTED);
	static const char *const when[] = { "2024-05-02T09:00Z", "2024-05-01T12:30Z" };
	for (size_t i = 0; i < 2; i++) {
		cf_record_init(&e, CF_EVENT);
		cf_record_set(&e, "occurred", when[i], &err);
		cf_record_set(&e, "summary", "contained", &err);
		cf_record_set(&e, "kind", "containment", &err);
		assert_int_equal(record_add(s, &e, &err), 0);
		cf_record_release(&e);
	}
	run(s, rules, "2024-05-01T13:00Z", 0, &gs);
	expect(&gs, "t.contain-2h", "2024-05-01T14:30:00Z", CF_DL_DUE_SOON);
	store_close(s);
	rules_free(rules);
	rmtree(dir); /* and the rules beside it, in the same parent */
}

static void test_dst_fall_back_hours_and_days(void **state)
{
	char dir[256];
	struct cf_rules *rules = shipped();
	struct cf_err err;
	struct gots gs;
	struct store *s;

	(void)state;
	tmpdir(dir, sizeof(dir));
	s = fixture(dir, -1);
	/* Friday 2024-11-01 10:00 EDT; clocks go back on Sunday Nov 3 (a 25-hour day). */
	assert_int_equal(case_set(s, "aware", "2024-11-01T10:00", &err), 0);
	assert_int_equal(case_set(s, "major_basis", "2024-10-31T10:00", &err), 0);
	run(s, rules, "2024-11-01T15:00Z", 0, &gs);
	expect(&gs, "gdpr.art33-authority-72h", "2024-11-04T09:00:00-05:00", CF_DL_UPCOMING);
	const struct got *g = find(&gs, "gdpr.art33-authority-72h");
	assert_int_equal(g->due - g->trigger_at, 72 * 3600);
	/* 7 calendar days from Thursday Oct 31 end at the end of Thursday Nov 7, in EST. */
	expect(&gs, "federal.congress-7d", "2024-11-07T23:59:59-05:00", CF_DL_UPCOMING);
	store_close(s);
	rmtree(dir);
	rules_free(rules);
}

static void test_day_ends_where_midnight_is_skipped(void **state)
{
	char dir[256];
	struct cf_rules *rules = shipped();
	struct cf_err err;
	struct gots gs;
	struct store *s;

	(void)state;
	tmpdir(dir, sizeof(dir));
	s = fixture(dir, -1);
	/* Havana springs forward at midnight: 2024-03-10 starts at 01:00 CDT. */
	assert_int_equal(case_set(s, "tz", "America/Havana", &err), 0);
	assert_int_equal(case_set(s, "major_basis", "2024-03-02", &err), 0);
	run(s, rules, "2024-03-02T12:00Z", 0, &gs);
	expect(&gs, "federal.congress-7d", "2024-03-09T23:59:59-05:00", CF_DL_UPCOMING);
	store_close(s);
	rmtree(dir);
	rules_free(rules);
}

/* The repro: 340 Texans and 620 Washingtonians, nobody else. */
static void test_state_rules_count_their_own_residents(void **state)
{
	char dir[256];
	struct cf_rules *rules = shipped();
	struct gots gs;
	struct store *s;

	(void)state;
	tmpdir(dir, sizeof(dir));
	s = fixture(dir, -1);
	add_people_in(s, 340, "2024-03-09", "US-TX");
	add_people_in(s, 620, "2024-03-09", "US-WA");
	run(s, rules, "2024-03-08T16:00Z", 0, &gs);
	assert_null(find(&gs, "us-states.co-ag-30d"));       /* no Coloradan affected */
	assert_null(find(&gs, "us-states.co-residents-30d"));
	assert_null(find(&gs, "us-states.fl-ag-30d"));
	expect(&gs, "us-states.tx-ag-30d", NULL, CF_DL_UPCOMING); /* 340 >= 250 */
	expect(&gs, "us-states.wa-ag-30d", NULL, CF_DL_UPCOMING); /* 620 > 500 */
	assert_null(find(&gs, "us-states.tx-cra"));           /* 340 is not over 10,000 */
	expect(&gs, "hipaa.media-60d", NULL, CF_DL_UPCOMING);    /* 620 residents of one State */
	expect(&gs, "hipaa.hhs-60d", NULL, CF_DL_UPCOMING);
	/* People no estimate places: Colorado's count is unknown, and the rule says so. */
	add_people_in(s, 2000, "2024-03-10", NULL);
	run(s, rules, "2024-03-08T16:00Z", 0, &gs);
	expect(&gs, "us-states.co-ag-30d", "", CF_DL_NOT_STARTED);
	assert_string_equal(find(&gs, "us-states.co-ag-30d")->caveat,
			    "residents of Colorado unknown: add an estimate with jurisdiction US-CO");
	expect(&gs, "us-states.tx-ag-30d", NULL, CF_DL_UPCOMING);
	store_close(s);
	rmtree(dir);
	rules_free(rules);
}

/* HIPAA media: more than 500 residents of one State, not of the whole case. */
static void test_hipaa_media_counts_one_state(void **state)
{
	char dir[256];
	struct cf_rules *rules = shipped();
	struct gots gs;
	struct store *s;

	(void)state;
	tmpdir(dir, sizeof(dir));
	s = fixture(dir, -1);
	add_people_in(s, 500, "2024-03-09", "US-TX");
	add_people_in(s, 400, "2024-03-09", "US-WA");
	run(s, rules, "2024-03-08T16:00Z", 0, &gs);
	assert_null(find(&gs, "hipaa.media-60d")); /* 900 people, but 500 in the largest State */
	expect(&gs, "hipaa.hhs-60d", NULL, CF_DL_UPCOMING);
	add_people_in(s, 501, "2024-03-10", "US-TX");
	run(s, rules, "2024-03-08T16:00Z", 0, &gs);
	expect(&gs, "hipaa.media-60d", "2024-05-07T23:59:59-04:00", CF_DL_UPCOMING);
	store_close(s);
	rmtree(dir);
	rules_free(rules);
}

/* SEC: 17:30 Eastern whatever the case zone, days counted in Eastern time, and the day the
 * government was closed by executive order (2025-01-09) is not a business day. */
static void test_sec_due_1730_eastern_and_closure_days(void **state)
{
	char dir[256];
	struct cf_rules *rules = shipped();
	struct gots gs;
	struct cf_err err;
	struct store *s;

	(void)state;
	tmpdir(dir, sizeof(dir));
	s = fixture(dir, -1);
	assert_int_equal(case_set(s, "tz", "America/Los_Angeles", &err), 0);
	/* Monday Jan 6, 2025 10:00 PST: Tue 7 (1), Wed 8 (2), Thu 9 closed, Fri 10 (3), Mon 13 (4);
	 * 17:30 EST is 14:30 PST. */
	assert_int_equal(case_set(s, "materiality_determined", "2025-01-06T10:00", &err), 0);
	run(s, rules, "2025-01-06T20:00Z", 0, &gs);
	expect(&gs, "sec.8k-item105-4bd", "2025-01-13T14:30:00-08:00", CF_DL_UPCOMING);
	/* 22:00 PST is already Tuesday 01:00 in New York: Wed 8, Fri 10, Mon 13, Tue 14. */
	assert_int_equal(case_set(s, "materiality_determined", "2025-01-06T22:00", &err), 0);
	run(s, rules, "2025-01-07T20:00Z", 0, &gs);
	expect(&gs, "sec.8k-item105-4bd", "2025-01-14T14:30:00-08:00", CF_DL_UPCOMING);
	/* Over the spring DST change: Tue Mar 5, 2024 -> Mon Mar 11, 17:30 EDT = 14:30 PDT. */
	assert_int_equal(case_set(s, "materiality_determined", "2024-03-05T09:00", &err), 0);
	run(s, rules, "2024-03-05T20:00Z", 0, &gs);
	expect(&gs, "sec.8k-item105-4bd", "2024-03-11T14:30:00-07:00", CF_DL_UPCOMING);
	/* On time at 17:30:00 Eastern, late a second after. */
	run(s, rules, "2024-03-11T21:30:00Z", 0, &gs);
	expect(&gs, "sec.8k-item105-4bd", NULL, CF_DL_DUE_SOON);
	run(s, rules, "2024-03-11T21:30:01Z", 0, &gs);
	expect(&gs, "sec.8k-item105-4bd", NULL, CF_DL_OVERDUE);
	store_close(s);
	rmtree(dir);
	rules_free(rules);
}

/* Vermont's 14 business days to its Attorney General skip Vermont's legal holidays (1 V.S.A.
 * 371), not the federal ones: counted by hand on the calendar. */
static void test_vermont_business_days_skip_vermont_holidays(void **state)
{
	static const struct { const char *discovered, *due; } cases[] = {
		/* Tue Feb 27, 2024: Feb 28, 29, Mar 1, 4, [Tue Mar 5 Town Meeting Day], 6, 7, 8, 11,
		 * 12, 13, 14, 15, 18, 19: the 14th is Tue Mar 19 (federal days: Mar 18). */
		{ "2024-02-27T09:00", "2024-03-19T23:59:59-04:00" },
		/* Fri Jun 14, 2024: Juneteenth (Jun 19) is not in the text of 371 read, July 4 is:
		 * 17, 18, 19, 20, 21, 24, 25, 26, 27, 28, Jul 1, 2, 3, 5 (federal days: Jul 8). */
		{ "2024-06-14T09:00", "2024-07-05T23:59:59-04:00" },
		/* Wed Aug 13, 2025: Bennington Battle Day (Sat Aug 16) observed Fri Aug 15, Labor
		 * Day Sep 1: 14, 18, 19, 20, 21, 22, 25, 26, 27, 28, 29, Sep 2, 3, 4 (federal: Sep 3). */
		{ "2025-08-13T09:00", "2025-09-04T23:59:59-04:00" },
	};
	char dir[256];
	struct cf_rules *rules = shipped();
	struct gots gs;
	struct cf_err err;
	struct store *s;

	(void)state;
	tmpdir(dir, sizeof(dir));
	s = fixture(dir, -1);
	add_people_in(s, 100, "2024-02-27", "US-VT");
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(case_set(s, "discovered", cases[i].discovered, &err), 0);
		run(s, rules, "2024-01-01T00:00Z", 0, &gs);
		expect(&gs, "us-states.vt-ag-14bd", cases[i].due, CF_DL_UPCOMING);
	}
	store_close(s);
	rmtree(dir);
	rules_free(rules);
}

/* Every threshold of the shipped rules, as the law states it (the comparison and the number,
 * hand-copied from each rule's source): a rule whose number or comparison changes, a threshold
 * rule added without a row here, or a row whose rule is gone, fails
 * test_every_threshold_both_sides. */
static const struct { const char *id, *op; int64_t n; } thresholds[] = {
	{ "ftc.glba-ftc-30d", ">=", 500 },
	{ "ftc.hbnr-ftc-500", ">=", 500 },
	{ "ftc.hbnr-media", ">", 500 },
	{ "hipaa.hhs-60d", ">=", 500 },
	{ "hipaa.media-60d", ">", 500 },
	{ "us-states.ak-cra", ">", 1000 },
	{ "us-states.al-ag-45d", ">", 1000 },
	{ "us-states.al-cra", ">", 1000 },
	{ "us-states.ar-ag-45d", ">", 1000 },
	{ "us-states.ar-cra", ">", 1000 },
	{ "us-states.az-ag-45d", ">", 1000 },
	{ "us-states.az-cra-45d", ">", 1000 },
	{ "us-states.ca-ag", ">", 500 },
	{ "us-states.co-ag-30d", ">=", 500 },
	{ "us-states.co-cra", ">", 1000 },
	{ "us-states.ct-cra", ">", 1000 },
	{ "us-states.dc-ag", ">=", 50 },
	{ "us-states.dc-cra", ">", 1000 },
	{ "us-states.de-ag-60d", ">", 500 },
	{ "us-states.de-cra", ">", 1000 },
	{ "us-states.fl-ag-30d", ">=", 500 },
	{ "us-states.fl-cra", ">", 1000 },
	{ "us-states.ga-cra", ">", 10000 },
	{ "us-states.hi-cra", ">", 1000 },
	{ "us-states.hi-ocp", ">", 1000 },
	{ "us-states.ia-ag", ">", 500 },
	{ "us-states.il-ag", ">", 500 },
	{ "us-states.in-cra", ">", 1000 },
	{ "us-states.ks-cra", ">", 1000 },
	{ "us-states.ky-cra", ">", 1000 },
	{ "us-states.la-cra", ">", 1000 },
	{ "us-states.ma-cra", ">", 500 },
	{ "us-states.md-cra", ">=", 1000 },
	{ "us-states.me-cra", ">", 1000 },
	{ "us-states.mi-cra", ">", 1000 },
	{ "us-states.mn-cra-48h", ">", 500 },
	{ "us-states.mo-ag", ">", 1000 },
	{ "us-states.mo-cra", ">", 1000 },
	{ "us-states.nc-cra", ">", 1000 },
	{ "us-states.nd-ag", ">", 250 },
	{ "us-states.ne-cra", ">", 1000 },
	{ "us-states.nh-cra", ">", 1000 },
	{ "us-states.nj-cra", ">", 1000 },
	{ "us-states.nm-ag-45d", ">", 1000 },
	{ "us-states.nm-cra-45d", ">", 1000 },
	{ "us-states.nv-cra", ">", 1000 },
	{ "us-states.ny-cra", ">", 5000 },
	{ "us-states.oh-cra", ">", 1000 },
	{ "us-states.ok-ag", ">=", 500 },
	{ "us-states.ok-cra", ">", 1000 },
	{ "us-states.or-ag-45d", ">", 250 },
	{ "us-states.or-cra", ">", 1000 },
	{ "us-states.pa-ag", ">", 500 },
	{ "us-states.pa-cra", ">=", 500 },
	{ "us-states.ri-ag-cra", ">", 500 },
	{ "us-states.sc-cra", ">", 1000 },
	{ "us-states.sc-dca", ">", 1000 },
	{ "us-states.sd-ag", ">", 250 },
	{ "us-states.tn-cra", ">", 1000 },
	{ "us-states.tx-ag-30d", ">=", 250 },
	{ "us-states.tx-cra", ">", 10000 },
	{ "us-states.ut-ag-cyber", ">=", 500 },
	{ "us-states.ut-cra", ">=", 1000 },
	{ "us-states.va-cra", ">", 1000 },
	{ "us-states.vt-cra", ">", 1000 },
	{ "us-states.wa-ag-30d", ">", 500 },
	{ "us-states.wa-cra", ">", 1000 },
	{ "us-states.wi-cra", ">=", 1000 },
	{ "us-states.wv-cra", ">", 1000 },
};

/* A case with every clock set and every pack in force, in DIR. */
static struct store *all_packs_case(const char *dir, const struct cf_rules *rules)
{
	struct store *s;
	struct cf_err err;
	char packs[1024] = "";

	assert_int_equal(store_create(dir, &(struct cf_case_init){ .title = "t", .tz =
		"America/New_York" }, "me", &s, &err), 0);
	static const char *const clocks[] = { "discovered", "aware", "major_basis",
		"major_determined", "breach_determined", "materiality_determined" };
	for (size_t i = 0; i < sizeof(clocks) / sizeof(clocks[0]); i++)
		assert_int_equal(case_set(s, clocks[i], "2024-03-08T10:00", &err), 0);
	for (size_t i = 0; i < rules_count(rules); i++) {
		const char *p = rules_at(rules, i)->pack;
		if (!deadline_pack_listed(packs, p)) {
			if (*packs)
				strcat(packs, ",");
			strcat(packs, p);
		}
	}
	assert_int_equal(case_set(s, "rule_packs", packs, &err), 0);
	return s;
}

static void test_every_threshold_both_sides(void **state)
{
	struct cf_rules *rules = shipped();
	size_t n = sizeof(thresholds) / sizeof(thresholds[0]), seen = 0;

	(void)state;
	/* The table and the shipped rules agree, both ways. */
	for (size_t i = 0; i < rules_count(rules); i++) {
		const struct cf_rule *r = rules_at(rules, i);
		/* (the advisory federal.major-pii-100k: test_major_incident_advisory_99999_100000) */
		for (size_t c = 0; r->type == CF_RULE_DEADLINE && c < r->nconds; c++) {
			enum cf_cond_var v = r->conds[c].var;
			if (v == CF_V_SEVERITY)
				continue;
			size_t j = 0;
			while (j < n && strcmp(thresholds[j].id, r->id))
				j++;
			if (j == n)
				fail_msg("%s: threshold '%s' has no row in thresholds[]", r->id,
					 r->conds[c].text);
			const char *op = r->conds[c].op == CF_OP_GE ? ">=" : r->conds[c].op == CF_OP_GT
				? ">" : "?";
			if (strcmp(op, thresholds[j].op) || r->conds[c].value != thresholds[j].n)
				fail_msg("%s: '%s', the table says %s %lld", r->id, r->conds[c].text,
					 thresholds[j].op, (long long)thresholds[j].n);
			seen++;
		}
	}
	assert_int_equal(seen, n);
	/* Each on both sides: N - 1, N, N + 1 residents of the rule's own jurisdiction (of one
	 * State for the others), owed exactly where the law's comparison holds. */
	for (size_t j = 0; j < n; j++) {
		const struct cf_rule *r = rules_find(rules, thresholds[j].id);
		char dir[256], day[16];
		struct store *s;
		struct gots gs;

		tmpdir(dir, sizeof(dir));
		s = all_packs_case(dir, rules);
		for (int64_t d = -1; d <= 1; d++) {
			int64_t people = thresholds[j].n + d;
			int owed = !strcmp(thresholds[j].op, ">=") ? people >= thresholds[j].n
								    : people > thresholds[j].n;
			snprintf(day, sizeof(day), "2024-03-%02d", (int)(10 + d));
			add_people_in(s, people, day, r->jurisdiction ? r->jurisdiction : "US-TX");
			run(s, rules, "2024-03-08T16:00Z", 0, &gs);
			if ((find(&gs, thresholds[j].id) != NULL) != owed)
				fail_msg("%s with %lld people: %s", thresholds[j].id,
					 (long long)people, owed ? "not owed" : "owed");
		}
		store_close(s);
		rmtree(dir);
	}
	rules_free(rules);
}

/* Reports due a time after an earlier one was sent (trigger sent:RULE), and months that end
 * on the same date or the month's last day: counted by hand. */
static void test_reports_counted_from_the_earlier_report_sent(void **state)
{
	char dir[256], nis2[CF_ID_LEN + 1], initial[CF_ID_LEN + 1], inter[CF_ID_LEN + 1];
	struct cf_rules *rules = shipped();
	struct gots gs;
	struct cf_err err;
	struct store *s;

	(void)state;
	tmpdir(dir, sizeof(dir));
	s = fixture(dir, -1);
	assert_int_equal(case_set(s, "rule_packs", "nis2,dora", &err), 0);
	assert_int_equal(case_set(s, "severity", "major", &err), 0);
	assert_int_equal(case_set(s, "aware", "2024-01-31T10:00", &err), 0);
	assert_int_equal(case_set(s, "major_determined", "2024-01-31T10:30", &err), 0);
	run(s, rules, "2024-01-31T16:00Z", 1, &gs);
	expect(&gs, "nis2.final-report-1m", "", CF_DL_NOT_STARTED);
	/* No initial notification sent yet: 72 hours from the classification (10:30 EST). */
	expect(&gs, "dora.intermediate-72h", "2024-02-03T10:30:00-05:00", CF_DL_UPCOMING);
	snprintf(nis2, sizeof(nis2), "%s", find(&gs, "nis2.notification-72h")->notice);
	snprintf(initial, sizeof(initial), "%s", find(&gs, "dora.initial-4h")->notice);
	snprintf(inter, sizeof(inter), "%s", find(&gs, "dora.intermediate-72h")->notice);
	/* Sent January 31: one month on is February 29 (2024 is a leap year). */
	assert_int_equal(record_set(s, CF_NOTICE, nis2, "sent", "2024-01-31T20:00", &err), 0);
	/* The initial notification sent at 13:00 EST: the intermediate report 72 hours on. */
	assert_int_equal(record_set(s, CF_NOTICE, initial, "sent", "2024-01-31T13:00", &err), 0);
	run(s, rules, "2024-02-01T00:00Z", 1, &gs);
	expect(&gs, "nis2.final-report-1m", "2024-02-29T23:59:59-05:00", CF_DL_UPCOMING);
	expect(&gs, "dora.intermediate-72h", "2024-02-03T13:00:00-05:00", CF_DL_UPCOMING);
	expect(&gs, "dora.final-1m", "", CF_DL_NOT_STARTED);
	/* The intermediate report sent February 3: the final report by March 3 (before DST). */
	assert_int_equal(record_set(s, CF_NOTICE, inter, "sent", "2024-02-03T09:00", &err), 0);
	run(s, rules, "2024-02-04T00:00Z", 1, &gs);
	expect(&gs, "dora.final-1m", "2024-03-03T23:59:59-05:00", CF_DL_UPCOMING);
	store_close(s);
	rmtree(dir);
	rules_free(rules);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_demo_federal_due_dates),
		cmocka_unit_test(test_demo_status_from_recorded_sends),
		cmocka_unit_test(test_rerun_keeps_one_notice_and_moved_trigger_is_an_op),
		cmocka_unit_test(test_every_shipped_rule_hand_computed),
		cmocka_unit_test(test_business_days_over_thanksgiving_and_observed_july_4),
		cmocka_unit_test(test_threshold_edges_499_500_501),
		cmocka_unit_test(test_major_incident_advisory_99999_100000),
		cmocka_unit_test(test_soft_and_conditional_rules),
		cmocka_unit_test(test_dst_fall_back_hours_and_days),
		cmocka_unit_test(test_day_ends_where_midnight_is_skipped),
		cmocka_unit_test(test_disabled_pack_leaves_a_stale_notice_advisory),
		cmocka_unit_test(test_event_trigger_counts_from_earliest_event),
		cmocka_unit_test(test_state_rules_count_their_own_residents),
		cmocka_unit_test(test_hipaa_media_counts_one_state),
		cmocka_unit_test(test_sec_due_1730_eastern_and_closure_days),
		cmocka_unit_test(test_vermont_business_days_skip_vermont_holidays),
		cmocka_unit_test(test_every_threshold_both_sides),
		cmocka_unit_test(test_reports_counted_from_the_earlier_report_sent),
	};
	return cmocka_run_group_tests_name("deadline", tests, NULL, NULL);
}
