/* advisory.c — the advisories of the rules in force (e.g. "major incident by definition"),
 * and the engine's own: a pack not installed, a notice no longer owed, an unknown zone. */
#include "store/deadline/deadline_internal.h"
#include "store/time/zone.h"

#include <stdio.h>
#include <string.h>

static int missing_packs(const struct facts *f, const struct cf_rules *rules, advisory_cb cb,
			 void *ctx)
{
	char msg[300];
	for (const char *p = f->packs; *p;) {
		while (*p == ',' || *p == ' ')
			p++;
		const char *e = p;
		while (*e && *e != ',' && *e != ' ')
			e++;
		if (e > p) {
			char name[128];
			snprintf(name, sizeof(name), "%.*s", (int)(e - p), p);
			/* "none" is what `rules disable` leaves when no pack is left */
			if (strcmp(name, "none") != 0 && !rules_has_pack(rules, name)) {
				snprintf(msg, sizeof(msg), "rule pack '%s' is in force for this "
					 "case but not installed: its deadlines are not computed",
					 name);
				struct cf_advisory a = { NULL, "casefile.missing-pack", -1, msg,
							 "casefile-rules(5)" };
				if (cb(&a, ctx))
					return 1;
			}
		}
		p = e;
	}
	return 0;
}

static void unknown_zone(const struct facts *f, advisory_cb cb, void *ctx)
{
	struct zone z;
	char msg[300];
	int known;

	zone_enter(&z, f->tz);
	known = z.known;
	zone_leave(&z);
	if (known)
		return;
	snprintf(msg, sizeof(msg), "time zone '%.100s' is not in the zone database: due times are "
		 "computed in UTC", f->tz);
	struct cf_advisory a = { NULL, "casefile.unknown-zone", -1, msg, "tzfile(5)" };
	cb(&a, ctx);
}

/* A federal agency's case (org_type) without the federal pack: FISMA's clocks go unlisted. */
static int federal_agency(const struct facts *f, advisory_cb cb, void *ctx)
{
	const char *org = cf_record_get(&f->c, "org_type");

	if (!org || strcmp(org, "federal-agency") || deadline_in_list(f->packs, "federal"))
		return 0;
	struct cf_advisory a = { NULL, "casefile.federal-agency", -1,
				 "the case is a federal agency's (org_type) but the federal pack "
				 "is not in force: casefile rules enable federal",
				 "casefile-rules(5)" };
	return cb(&a, ctx);
}

/* Open notices whose rule is no longer owed: a pack disabled, a rule gone, a condition false. */
static int stale_notices(const struct facts *f, const struct cf_rules *rules, advisory_cb cb,
			 void *ctx)
{
	char msg[400];
	for (size_t i = 0; i < f->nnotices; i++) {
		const struct notice *n = &f->notices[i];
		const struct cf_rule *r = n->rule ? rules_find(rules, n->rule) : NULL;
		if (!n->rule || n->sent || (n->status && strcmp(n->status, "pending") != 0 &&
				strcmp(n->status, "drafted") != 0))
			continue;
		if (r && deadline_in_list(f->packs, r->pack) && deadline_conds_hold(f, r) != 0)
			continue;
		snprintf(msg, sizeof(msg), "notice %.8s (rule %.100s) is not owed under the rules "
			 "in force: waive it with a reason, or delete it", n->id, n->rule);
		struct cf_advisory a = { NULL, "casefile.stale-notice", -1, msg,
					 "casefile-rules(5)" };
		if (cb(&a, ctx))
			return 1;
	}
	return 0;
}

int deadline_advisories(struct store *s, const struct cf_rules *rules, advisory_cb cb,
			void *ctx, struct cf_err *err)
{
	struct cf_rules *owned = NULL;
	struct facts f;
	int rc;

	if (!rules && (rc = rules_load(&owned, err)) < 0)
		return rc;
	if (!rules)
		rules = owned;
	if ((rc = deadline_facts_load(s, rules, &f, err)) < 0)
		goto out;
	for (size_t i = 0; i < rules_count(rules); i++) {
		const struct cf_rule *r = rules_at(rules, i);
		if (r->type != CF_RULE_ADVISORY || !deadline_in_list(f.packs, r->pack))
			continue;
		int holds = deadline_conds_hold(&f, r);
		struct cf_advisory a = { r, r->id, holds, holds > 0 ? r->message : r->otherwise,
					 r->source };
		if (a.message && cb(&a, ctx))
			goto out;
	}
	if (missing_packs(&f, rules, cb, ctx) == 0 && stale_notices(&f, rules, cb, ctx) == 0 &&
	    federal_agency(&f, cb, ctx) == 0)
		unknown_zone(&f, cb, ctx);
out:
	deadline_facts_release(&f);
	rules_free(owned);
	return rc;
}

