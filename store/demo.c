/* demo.c — the built-in demo case: the 2019 CBP subcontractor breach, facts only from the two
 * seed articles and the public sources in DOMAIN.md, each record citing where it comes from. */
#include "store/internal.h"

#include <stdio.h>
#include <string.h>

#define SRC_AP "AP / The New York Times, 'Customs Traveler Data Breach', 2019-06-10"
#define SRC_CY "'Massive data breach exposes travelers' photos in a Cyberattack', 2020-02-28"
#define SRC_OIG "DHS OIG report OIG-20-71, 2020-09-21 (official summary)"
#define SRC_PRESS "press reports after OIG-20-71 (secondary)"
#define SRC_OMB "OMB M-17-05 sec. II; 44 U.S.C. 3554(b)(7)(C)(iii)(III) (official)"
#define SRC_DEMO "demo assumption: the real date is not public"

#define DEMO_HARM \
	"Facial images and license-plate images of travelers in vehicles at a few lanes of one " \
	"land Port of Entry; no travel-document images and no air-passenger images. As of the " \
	"June 10 statement, dark-web monitoring had found none of the images online. Facial " \
	"images are biometric identifiers that cannot be changed. Demo assessment, not " \
	"CBP's: the OMB M-17-12 risk-of-harm assessment is still a task."

struct demo_field {
	const char *name, *value;
};

struct demo_record {
	enum cf_kind kind;
	struct demo_field f[14];
};

static const struct demo_field case_fields[] = {
	{ "title", "CBP subcontractor breach: traveler photos and license-plate images" },
	{ "codename", "BORDER-LANE" },
	{ "status", "notifying" },
	{ "severity", "major" },
	{ "marking", "CUI//SP-PRVCY" },
	{ "tlp", "amber" },
	{ "lead", "Incident Commander (demo)" },
	{ "tz", "America/New_York" },
	{ "discovered", "2019-05-31" },
	{ "aware", "2019-05-31" },
	{ "major_basis", "2019-05-31" },
	{ "breach_determined", "2019-05-31" },
	/* Opened today, the demo shows the incident as it stood five days after discovery. */
	{ "open_at", "2019-06-05T12:00" },
	{ "summary",
	  "A CBP subcontractor, in violation of security policies and without CBP's knowledge, "
	  "transferred copies of traveler images and license-plate images collected by CBP to its "
	  "own network, which was then compromised by a malicious cyberattack. No CBP systems were "
	  "compromised. The major-incident basis date is set to the discovery date in this demo: "
	  "the real date is not public." },
	{ "source", SRC_AP "; " SRC_CY "; " SRC_OIG },
	/* Who sends the briefings and answers for them: roles, not people (the demo names no
	 * one); the transmittal date stays unset until a briefing is sent. */
	{ "sending_official", "Office of Congressional Affairs, U.S. Customs and Border Protection"
			      " (demo)" },
	{ "poc", "CBP Office of Congressional Affairs, duty officer (demo)" },
	{ "cui_controlled_by", "DHS / U.S. Customs and Border Protection, Office of Professional"
			       " Responsibility (demo)" },
	{ NULL, NULL },
};

static const struct demo_record records[] = {
	{ CF_EVENT, {
	  { "occurred", "2018-08/2019-01" }, { "learned", "2020-09-21" },
	  { "kind", "exfiltration" },
	  { "summary", "Subcontractor copies traveler images from an unencrypted device in a "
		       "biometric pilot to its own network" },
	  { "details", "Copied between Aug 2018 and Jan 2019, against CBP policy. Press name the "
		       "subcontractor as Perceptics." },
	  { "source", SRC_OIG }, { "actor", "subcontractor" }, { "key", "yes" },
	  { "visibility", "congress" } } },
	{ CF_EVENT, {
	  { "occurred", "2018-08/2019-05-31" }, { "learned", "2019-05-31" },
	  { "kind", "collection" },
	  { "summary", "Images of travelers in vehicles at a few lanes of a single land Port of "
		       "Entry, over about 1.5 months, held on the subcontractor's network" },
	  { "details", "No travel-document images and no air-passenger images were involved. "
		       "Exact collection dates are not public." },
	  { "source", SRC_AP "; " SRC_CY }, { "visibility", "public" } } },
	{ CF_EVENT, {
	  { "occurred", "2018-08/2019-05-31" }, { "learned", "2019-05-31" }, { "kind", "attack" },
	  { "summary", "Subcontractor's network compromised by a malicious cyberattack" },
	  { "details", "The date of the attack is not public; it falls between the copying and "
		       "CBP's discovery." },
	  { "source", SRC_CY }, { "actor", "unknown attacker" }, { "key", "yes" },
	  { "visibility", "public" } } },
	{ CF_EVENT, {
	  { "occurred", "2019-05-31" }, { "learned", "2019-05-31" }, { "kind", "discovery" },
	  { "summary", "CBP learns a subcontractor transferred copies of traveler and "
		       "license-plate images to its own network" },
	  { "source", SRC_AP }, { "actor", "CBP" }, { "key", "yes" },
	  { "visibility", "public" } } },
	{ CF_EVENT, {
	  { "occurred", "2019-05-31" }, { "learned", "2019-05-31" }, { "kind", "decision" },
	  { "summary", "Reasonable basis that a major incident occurred (starts the 7-day "
		       "Congress clock)" },
	  { "details", "Set to the discovery date for the demo; the real date is not public. "
		       "The case has fewer than 100,000 people and was still handled as major." },
	  { "source", SRC_DEMO "; " SRC_OMB }, { "visibility", "internal" } } },
	{ CF_EVENT, {
	  { "occurred", "2019-05-31/2019-06-10" }, { "learned", "2019-06-10" },
	  { "kind", "containment" },
	  { "summary", "CBP removes from service all equipment related to the breach" },
	  { "source", SRC_CY }, { "actor", "CBP" }, { "key", "yes" },
	  { "visibility", "public" } } },
	{ CF_EVENT, {
	  { "occurred", "2019-05-31/2019-06-10" }, { "learned", "2019-06-10" },
	  { "kind", "monitoring" },
	  { "summary", "CBP monitors the subcontractor's contract work" },
	  { "source", SRC_CY }, { "actor", "CBP" }, { "visibility", "public" } } },
	{ CF_EVENT, {
	  { "occurred", "2019-06-10" }, { "learned", "2019-06-10" }, { "kind", "statement" },
	  { "summary", "CBP makes the breach public in a statement (Monday, June 10)" },
	  { "source", SRC_AP }, { "actor", "CBP" }, { "key", "yes" },
	  { "visibility", "public" } } },
	{ CF_EVENT, {
	  { "occurred", "2019-06-10" }, { "learned", "2019-06-10" }, { "kind", "monitoring" },
	  { "summary", "Dark-web monitoring and web scanning: none of the image data found "
		       "online as of the statement" },
	  { "source", SRC_AP "; " SRC_CY }, { "actor", "CBP" }, { "visibility", "public" } } },
	{ CF_EVENT, {
	  { "occurred", "2019-06-10" }, { "learned", "2019-06-10" }, { "kind", "estimate" },
	  { "summary", "Officials: fewer than 100,000 people had their information compromised" },
	  { "source", SRC_AP "; " SRC_CY }, { "visibility", "public" } } },
	{ CF_EVENT, {
	  { "occurred", "2019-06-10" }, { "learned", "2019-06-10" }, { "kind", "other" },
	  { "summary", "A leading congressman calls it a major privacy breach; ACLU asks Congress "
		       "to investigate and to halt the program" },
	  { "source", SRC_AP }, { "visibility", "public" } } },
	{ CF_EVENT, {
	  { "occurred", "2020-09-21" }, { "learned", "2020-09-21" }, { "kind", "investigation" },
	  { "summary", "DHS OIG report OIG-20-71: about 184,000 traveler images compromised; "
		       "DHS treated it as a major privacy incident" },
	  { "source", SRC_OIG }, { "actor", "DHS OIG" }, { "key", "yes" },
	  { "visibility", "public" } } },
	{ CF_EVENT, {
	  { "occurred", "2019-06-10/2020" }, { "learned", "2020-09-21" }, { "kind", "disclosure" },
	  { "summary", "At least 19 of the images later appeared on the dark web" },
	  { "details", "Secondary source; the date they appeared is not public." },
	  { "source", SRC_PRESS }, { "visibility", "internal" } } },

	{ CF_ESTIMATE, {
	  { "category", "travelers affected" }, { "unit", "people" }, { "high", "99999" },
	  { "as_of", "2019-06-10" }, { "method", "statement of a U.S. government official" },
	  { "confidence", "low" }, { "source", SRC_AP "; " SRC_CY },
	  { "reason", "first public figure: fewer than 100,000 people" },
	  { "visibility", "public" } } },
	{ CF_ESTIMATE, {
	  { "category", "traveler and license-plate images" }, { "unit", "images" },
	  { "low", "10000" }, { "high", "99999" }, { "as_of", "2019-06-10" },
	  { "method", "press: 'tens of thousands of images'" }, { "confidence", "low" },
	  { "source", SRC_AP }, { "reason", "first public description" },
	  { "visibility", "public" } } },
	{ CF_ESTIMATE, {
	  { "category", "traveler and license-plate images" }, { "unit", "images" },
	  { "best", "184000" }, { "as_of", "2020-09-21" }, { "method", "OIG review" },
	  { "confidence", "high" }, { "source", SRC_OIG },
	  { "reason", "revised by the DHS OIG report" }, { "visibility", "public" } } },

	{ CF_NOTICE, {
	  { "recipient", "CISA (US-CERT)" }, { "rule", "federal.cisa-1h" },
	  { "status", "pending" }, { "channel", "incident report" },
	  { "contents", "report of a major incident within 1 hour of the determination" },
	  { "source", "OMB M-17-05 (official); CISA incident reporting guidelines (secondary)" },
	  { "visibility", "internal" } } },
	{ CF_NOTICE, {
	  { "recipient", "Congress: committees of jurisdiction" },
	  { "rule", "federal.congress-7d" }, { "status", "pending" },
	  { "contents", "major incident notification within 7 days of the reasonable basis" },
	  { "source", SRC_OMB }, { "visibility", "congress" } } },
	{ CF_NOTICE, {
	  { "recipient", "Congress: committees of jurisdiction and both Judiciary Committees" },
	  { "rule", "federal.breach-report-30d" }, { "status", "pending" },
	  { "contents", "(1) how the breach occurred; (2) individuals affected and risk of harm; "
			"(3) circumstances delaying notice; (4) whether and when individuals will "
			"be notified" },
	  { "source", "OMB M-17-05 sec. II; Pub. L. 113-283 sec. 2(d) (official)" },
	  { "visibility", "congress" } } },

	{ CF_EVIDENCE, {
	  { "description", "Equipment related to the breach, removed from service" },
	  { "location", "CBP custody (location not public)" }, { "collected_by", "CBP" },
	  { "collected_at", "2019-05-31/2019-06-10" }, { "source", SRC_CY },
	  { "visibility", "internal" } } },
	{ CF_EVIDENCE, {
	  { "description", "CBP statement of June 10, 2019 (as quoted by AP)" },
	  { "location", "shared/seeds/001 (article text)" }, { "collected_by", "liaison" },
	  { "collected_at", "2019-06-10" }, { "source", SRC_AP }, { "visibility", "public" } } },

	{ CF_TASK, {
	  { "title", "Draft the 30-day breach report to Congress (four required contents)" },
	  { "owner", "liaison" }, { "due", "2019-06-30" }, { "priority", "p1" },
	  { "status", "doing" }, { "links", "federal.breach-report-30d" } } },
	{ CF_TASK, {
	  { "title", "Risk-of-harm assessment for affected travelers (OMB M-17-12)" },
	  { "owner", "privacy officer" }, { "due", "2019-06-14" }, { "priority", "p1" },
	  { "status", "open" } } },
	{ CF_TASK, {
	  { "title", "Confirm the count of affected travelers and images with the subcontractor" },
	  { "owner", "forensics" }, { "due", "2019-06-21" }, { "priority", "p2" },
	  { "status", "open" } } },
	{ CF_TASK, {
	  { "title", "Keep dark-web monitoring and web scanning running; report any finding" },
	  { "owner", "forensics" }, { "priority", "p2" }, { "status", "doing" } } },
	{ CF_TASK, {
	  { "title", "Review the subcontractor's contract work and data handling" },
	  { "owner", "counsel" }, { "priority", "p3" }, { "status", "open" } } },

	{ CF_NOTE, {
	  { "text", "Learned of the transfer to the subcontractor's network today. Treating as a "
		    "major incident although the count is expected below 100,000: the threshold "
		    "is a floor, not a ceiling." },
	  { "at", "2019-05-31" }, { "author", "IC (demo)" }, { "source", SRC_AP "; " SRC_OMB } } },
	{ CF_NOTE, {
	  { "text", "All equipment related to the breach removed from service; monitoring the "
		    "subcontractor's work." },
	  { "at", "2019-06-10" }, { "author", "IC (demo)" }, { "source", SRC_CY } } },
	{ CF_NOTE, {
	  { "text", "Statement out. As of today none of the image data found on the dark web "
		    "or internet." },
	  { "at", "2019-06-10" }, { "author", "IC (demo)" }, { "source", SRC_AP } } },
};

/* When the team learned a record's fact: its ops are stamped then, so "as of" views work. */
static void known_at(const struct demo_field *f, char *buf, size_t len)
{
	const char *when = "2019-06-01";
	for (; f->name; f++)
		if (!strcmp(f->name, "learned") || !strcmp(f->name, "as_of") ||
		    !strcmp(f->name, "at") || !strcmp(f->name, "collected_at"))
			when = strchr(f->value, '/') ? strchr(f->value, '/') + 1 : f->value;
	snprintf(buf, len, "%.10sT16:00:00.000Z", when);
}

static int add_demo_record(struct store *s, enum cf_kind kind, const struct demo_field *f,
			   struct cf_err *err)
{
	struct cf_record r;
	char clock[CF_TIME_LEN];
	int rc = 0;

	known_at(f, clock, sizeof(clock));
	store_set_clock(s, clock);
	cf_record_init(&r, kind);
	for (; rc == 0 && f->name; f++)
		rc = cf_record_set(&r, f->name, f->value, err);
	if (rc == 0)
		rc = record_add(s, &r, err);
	cf_record_release(&r);
	return rc;
}

struct custody_ctx {
	struct store *s;
	struct cf_err *err;
	int rc;
};

/* Each demo evidence item gets its collection event, from its own fields, so the demo shows a
 * chain of custody; its holder, derived from it, stamped when the item was learned of. */
static int add_collected(const struct cf_record *ev, void *vctx)
{
	struct custody_ctx *c = vctx;
	struct demo_field f[] = {
		{ "evidence", ev->id }, { "action", "collected" },
		{ "handler", cf_record_get(ev, "collected_by") },
		{ "at", cf_record_get(ev, "collected_at") },
		{ "location", cf_record_get(ev, "location") },
		{ "reason", "collected; see the item's source" }, { NULL, NULL },
	};
	char clock[CF_TIME_LEN];

	c->rc = add_demo_record(c->s, CF_CUSTODY, f, c->err);
	if (c->rc == 0) {
		known_at(f, clock, sizeof(clock));
		store_set_clock(c->s, clock);
		c->rc = custody_derive_item(c->s, ev->id, c->err);
	}
	return c->rc < 0;
}

int demo_create(const char *dir, const char *author, struct cf_err *err)
{
	struct cf_case_init ci = { .title = "CBP subcontractor breach", .tz = "America/New_York",
				   .clock = "2019-05-31T16:00:00.000Z",
				   .org_type = "federal-agency" };
	struct store *s;
	int rc;

	if ((rc = store_create(dir, &ci, author, &s, err)) < 0)
		return rc;
	if ((rc = store_begin(s, err)) < 0)
		goto out;
	store_set_clock(s, "2019-05-31T16:00:00.000Z");
	for (const struct demo_field *f = case_fields; rc == 0 && f->name; f++)
		rc = case_set(s, f->name, f->value, err);
	for (size_t i = 0; rc == 0 && i < sizeof(records) / sizeof(records[0]); i++)
		rc = add_demo_record(s, records[i].kind, records[i].f, err);
	if (rc == 0) {
		struct custody_ctx c = { s, err, 0 };
		rc = record_list(s, CF_EVIDENCE, NULL, add_collected, &c, err);
		rc = rc < 0 ? rc : c.rc;
	}
	/* The notices owed get their due times from the rule packs, as the IC would have seen
	 * them on the day; without installed packs the notices simply stay without a due time. */
	if (rc == 0) {
		struct cf_rules *rules = NULL;
		struct cf_err rules_err;
		store_set_clock(s, "2019-06-01T16:00:00.000Z");
		if (rules_load(&rules, &rules_err) == 0)
			rc = deadline_sync(s, rules, cf_now(), NULL, NULL, err);
		rules_free(rules);
	}
	/* Learned with the statement of June 10: what the images were, and that none were
	 * found online.  The notice delay and plan are not public: left unset. */
	store_set_clock(s, "2019-06-10T16:00:00.000Z");
	if (rc == 0)
		rc = case_set(s, "harm", DEMO_HARM, err);
	store_set_clock(s, NULL);
	if (rc == 0)
		rc = store_commit(s, err);
	else
		store_rollback(s);
out:
	store_close(s);
	return rc;
}
