/* kinds.c — the record kinds: their fields, choices and SQL, each declared once as an X-macro
 * so the column lists and statements are compile-time string literals. */
#include "store/kinds.h"
#include "store/internal.h"
#include "store/time/zone.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const visibility_choices[] = { "internal", "congress", "public", NULL };
static const char *const tlp_choices[] = {
	"clear", "green", "amber", "amber+strict", "red", NULL
};
static const char *const yesno_choices[] = { "no", "yes", NULL };
/* What kind of organisation owns the case: a federal agency's new case has the federal pack in
 * force by default (store_create), any other's none. */
static const char *const org_type_choices[] = {
	"federal-agency", "state-agency", "local-agency", "company", "nonprofit", "other", NULL
};
static const char *const case_status_choices[] = {
	"investigating", "contained", "notifying", "monitoring", "closed", NULL
};
static const char *const severity_choices[] = {
	"low", "moderate", "high", "major", NULL
};
static const char *const event_kind_choices[] = {
	"collection", "compromise", "exfiltration", "attack", "discovery", "containment",
	"investigation", "notification", "statement", "disclosure", "monitoring", "estimate",
	"decision", "payment", "imported", "other", NULL
};
static const char *const unit_choices[] = { "people", "images", "records", NULL };
static const char *const confidence_choices[] = { "low", "medium", "high", NULL };
static const char *const notice_status_choices[] = {
	"pending", "drafted", "sent", "acknowledged", "waived", NULL
};
static const char *const task_status_choices[] = {
	"open", "doing", "blocked", "done", "cancelled", NULL
};
static const char *const role_choices[] = { "lead", "member", "viewer", NULL };
static const char *const priority_choices[] = { "p1", "p2", "p3", "p4", NULL };
static const char *const custody_action_choices[] = {
	"collected", "transferred", "checked-out", "returned", "copied", "destroyed", NULL
};

#define REQ CF_F_REQUIRED
#define LST CF_F_LIST
#define LNG CF_F_LONG
#define DRV CF_F_DERIVED

#define CASE_FIELDS(X) \
	X(title, CF_T_TEXT, REQ | LST, NULL, "case title") \
	X(codename, CF_T_TEXT, LST, NULL, "short code name") \
	X(status, CF_T_ENUM, LST, case_status_choices, "case status") \
	X(severity, CF_T_ENUM, 0, severity_choices, "severity") \
	X(marking, CF_T_TEXT, 0, NULL, "marking banner, e.g. CUI//SP-PRVCY") \
	X(tlp, CF_T_ENUM, 0, tlp_choices, "Traffic Light Protocol level of the case") \
	X(lead, CF_T_TEXT, 0, NULL, "incident commander") \
	X(tz, CF_T_TEXT, 0, NULL, "IANA time zone of the case, e.g. America/New_York") \
	X(org_type, CF_T_ENUM, 0, org_type_choices, "the organisation: federal-agency, company, " \
	  "...") \
	X(discovered, CF_T_TIME, 0, NULL, "clock: when the breach was discovered") \
	X(aware, CF_T_TIME, 0, NULL, "clock: when the organisation became aware") \
	X(major_basis, CF_T_TIME, 0, NULL, "clock: reasonable basis of a major incident") \
	X(major_determined, CF_T_TIME, 0, NULL, "clock: major incident determined") \
	X(materiality_determined, CF_T_TIME, 0, NULL, "clock: materiality determined") \
	X(breach_determined, CF_T_TIME, 0, NULL, "clock: breach determined") \
	X(rule_packs, CF_T_TEXT, 0, NULL, "deadline rule packs in force, comma-separated") \
	X(summary, CF_T_TEXT, LNG, NULL, "what happened, in a paragraph") \
	X(source, CF_T_TEXT, 0, NULL, "where the case facts come from") \
	X(harm, CF_T_TEXT, LNG, NULL, "assessment of the risk of harm to individuals") \
	X(notice_delay, CF_T_TEXT, LNG, NULL, "circumstances requiring a delay in notifying " \
	  "individuals") \
	X(notice_plan, CF_T_TEXT, LNG, NULL, "whether and when individuals will be notified") \
	X(sending_official, CF_T_TEXT, 0, NULL, "official who sends the briefings (name, title)") \
	X(poc, CF_T_TEXT, 0, NULL, "point of contact for the briefings (name, phone or email)") \
	X(transmittal, CF_T_TIME, 0, NULL, "date the briefing is transmitted") \
	X(cui_controlled_by, CF_T_TEXT, 0, NULL, "CUI designation: agency and office controlling it") \
	X(cui_category, CF_T_TEXT, 0, NULL, "CUI designation: category, e.g. PRVCY") \
	X(cui_dissemination, CF_T_TEXT, 0, NULL, "CUI designation: limited dissemination control") \
	X(open_at, CF_T_TIME, 0, NULL, "the moment the terminal UI opens the case at (time travel, " \
	  "known at; casefile --at)")

#define EVENT_FIELDS(X) \
	X(occurred, CF_T_TIME, REQ | LST, NULL, "when it happened (precision kept; A/B for periods)") \
	X(learned, CF_T_TIME, 0, NULL, "when the team learned of it") \
	X(entered, CF_T_TEXT, 0, NULL, "when it was entered (set automatically)") \
	X(kind, CF_T_ENUM, LST, event_kind_choices, "kind of event") \
	X(summary, CF_T_TEXT, REQ | LST, NULL, "one line") \
	X(details, CF_T_TEXT, LNG, NULL, "longer description") \
	X(source, CF_T_TEXT, LST, NULL, "where this fact comes from") \
	X(actor, CF_T_TEXT, 0, NULL, "who acted") \
	X(key, CF_T_ENUM, 0, yesno_choices, "a key event (shown in briefings)") \
	X(visibility, CF_T_ENUM, 0, visibility_choices, "who may see it") \
	X(tlp, CF_T_ENUM, 0, tlp_choices, "Traffic Light Protocol level") \
	X(attrs, CF_T_TEXT, 0, NULL, "extra attributes (JSON object, from imports)")

#define ESTIMATE_FIELDS(X) \
	X(category, CF_T_TEXT, REQ | LST, NULL, "data category, e.g. facial images") \
	X(unit, CF_T_ENUM, REQ | LST, unit_choices, "what is counted") \
	X(low, CF_T_INT, LST, NULL, "low bound") \
	X(best, CF_T_INT, LST, NULL, "best estimate") \
	X(high, CF_T_INT, LST, NULL, "high bound") \
	X(as_of, CF_T_TIME, REQ | LST, NULL, "date the estimate holds for") \
	X(jurisdiction, CF_T_ENUM, LST, cf_jurisdiction_codes, "whose residents it counts: " \
	  "US-TX, GB, ...") \
	X(method, CF_T_TEXT, 0, NULL, "how it was estimated") \
	X(confidence, CF_T_ENUM, 0, confidence_choices, "confidence") \
	X(source, CF_T_TEXT, LST, NULL, "where the number comes from") \
	X(reason, CF_T_TEXT, 0, NULL, "why it was revised") \
	X(visibility, CF_T_ENUM, 0, visibility_choices, "who may see it")

#define NOTICE_FIELDS(X) \
	X(recipient, CF_T_TEXT, REQ | LST, NULL, "who must be told") \
	X(rule, CF_T_TEXT, LST, NULL, "rule that makes it due") \
	X(due, CF_T_TIME, LST, NULL, "due time") \
	X(status, CF_T_ENUM, LST, notice_status_choices, "status") \
	X(sent, CF_T_TIME, 0, NULL, "when it was sent") \
	X(acknowledged, CF_T_TIME, 0, NULL, "when it was acknowledged") \
	X(channel, CF_T_TEXT, 0, NULL, "how it was sent") \
	X(reference, CF_T_TEXT, 0, NULL, "reference number or document") \
	X(waiver, CF_T_TEXT, 0, NULL, "reason it was waived") \
	X(contents, CF_T_TEXT, LNG, NULL, "required contents") \
	X(source, CF_T_TEXT, 0, NULL, "legal source") \
	X(visibility, CF_T_ENUM, 0, visibility_choices, "who may see it")

#define EVIDENCE_FIELDS(X) \
	X(description, CF_T_TEXT, REQ | LST, NULL, "what it is") \
	X(file, CF_T_TEXT, 0, NULL, "path of the file hashed") \
	X(location, CF_T_TEXT, LST, NULL, "storage location") \
	X(sha256, CF_T_TEXT, 0, NULL, "SHA-256 of the file") \
	X(size, CF_T_INT, 0, NULL, "size in bytes") \
	X(collected_by, CF_T_TEXT, LST, NULL, "who collected it") \
	X(collected_at, CF_T_TIME, LST, NULL, "when, with time zone") \
	X(holder, CF_T_TEXT, DRV, NULL, "current custodian (from the chain of custody)") \
	X(source, CF_T_TEXT, 0, NULL, "where it came from") \
	X(visibility, CF_T_ENUM, 0, visibility_choices, "who may see it")

#define CUSTODY_FIELDS(X) \
	X(evidence, CF_T_REF, REQ | LST, NULL, "evidence item") \
	X(action, CF_T_ENUM, LST, custody_action_choices, "what happened") \
	X(handler, CF_T_TEXT, REQ | LST, NULL, "who holds it after this event") \
	X(from, CF_T_TEXT, 0, NULL, "who held it before") \
	X(at, CF_T_TIME, REQ | LST, NULL, "when, with time zone") \
	X(location, CF_T_TEXT, LST, NULL, "where it is kept") \
	X(reason, CF_T_TEXT, 0, NULL, "why") \
	X(correction, CF_T_TEXT, 0, NULL, "why this event breaks the chain's order (a correction)")

#define TASK_FIELDS(X) \
	X(title, CF_T_TEXT, REQ | LST, NULL, "what to do") \
	X(owner, CF_T_TEXT, LST, NULL, "who does it") \
	X(due, CF_T_TIME, LST, NULL, "due") \
	X(status, CF_T_ENUM, LST, task_status_choices, "status") \
	X(priority, CF_T_ENUM, LST, priority_choices, "priority") \
	X(links, CF_T_TEXT, 0, NULL, "linked record ids") \
	X(details, CF_T_TEXT, LNG, NULL, "details") \
	X(visibility, CF_T_ENUM, 0, visibility_choices, "who may see it")

#define NOTE_FIELDS(X) \
	X(text, CF_T_TEXT, REQ | LST | LNG, NULL, "the log entry") \
	X(at, CF_T_TIME, LST, NULL, "when (default: now)") \
	X(author, CF_T_TEXT, LST, NULL, "who wrote it (default: the author)") \
	X(source, CF_T_TEXT, 0, NULL, "where it comes from") \
	X(visibility, CF_T_ENUM, 0, visibility_choices, "who may see it")

#define MEMBER_FIELDS(X) \
	X(name, CF_T_TEXT, REQ | LST, NULL, "the member's name") \
	X(identity, CF_T_TEXT, REQ | LST, NULL, "public identity, as casefile id show prints it") \
	X(role, CF_T_ENUM, REQ | LST, role_choices, "lead (changes membership), member or viewer")

#define FIELD_DESC(n, t, f, c, h) { #n, t, f, c, h },
#define COL(n, t, f, c, h) ", \"" #n "\""
#define COLDEF(n, t, f, c, h) ", \"" #n "\" TEXT"
#define PARAM(n, t, f, c, h) ", ?"

#define KIND_SQL(tbl, FIELDS) \
	static const char *const tbl##_update[] = { FIELDS(UPDATE_##tbl) }; \
	static const struct kind_sql tbl##_sql = { \
		"CREATE TABLE " #tbl "(id TEXT PRIMARY KEY, deleted INTEGER NOT NULL DEFAULT 0, " \
		"conflicted TEXT, sort_key TEXT NOT NULL" FIELDS(COLDEF) ");" \
		"CREATE INDEX " #tbl "_order ON " #tbl "(deleted, sort_key, id);", \
		"INSERT INTO " #tbl "(id, sort_key" FIELDS(COL) ") VALUES (?, ?" FIELDS(PARAM) ")", \
		"SELECT id, deleted, conflicted" FIELDS(COL) " FROM " #tbl " WHERE id = ?1", \
		"SELECT id, deleted, conflicted" FIELDS(COL) ", sort_key FROM " #tbl \
		" WHERE (deleted = 0 OR ?4) AND (?1 IS NULL OR (sort_key, id) > (?1, ?2))" \
		" ORDER BY sort_key, id LIMIT ?3", \
		"SELECT id, deleted, conflicted" FIELDS(COL) ", sort_key FROM " #tbl \
		" WHERE (deleted = 0 OR ?4) AND (?1 IS NULL OR (sort_key, id) < (?1, ?2))" \
		" ORDER BY sort_key DESC, id DESC LIMIT ?3", \
		"UPDATE " #tbl " SET sort_key = ?1 WHERE id = ?2", \
		"UPDATE " #tbl " SET deleted = ?1 WHERE id = ?2", \
		"UPDATE " #tbl " SET conflicted = ?1 WHERE id = ?2", \
		"DELETE FROM " #tbl " WHERE id = ?1", \
		"SELECT count(*) FROM " #tbl " WHERE deleted = 0", \
		"SELECT id FROM " #tbl " WHERE id >= ?1 AND id < ?2 ORDER BY id LIMIT 2", \
		"SELECT id, deleted, conflicted" FIELDS(COL) ", sort_key FROM " #tbl " ORDER BY id", \
		"DROP INDEX IF EXISTS " #tbl "_order", \
		tbl##_update, \
	};

#define UPDATE_case_info(n, t, f, c, h) "UPDATE case_info SET \"" #n "\" = ?1 WHERE id = ?2",
#define UPDATE_event(n, t, f, c, h) "UPDATE event SET \"" #n "\" = ?1 WHERE id = ?2",
#define UPDATE_estimate(n, t, f, c, h) "UPDATE estimate SET \"" #n "\" = ?1 WHERE id = ?2",
#define UPDATE_notice(n, t, f, c, h) "UPDATE notice SET \"" #n "\" = ?1 WHERE id = ?2",
#define UPDATE_evidence(n, t, f, c, h) "UPDATE evidence SET \"" #n "\" = ?1 WHERE id = ?2",
#define UPDATE_custody(n, t, f, c, h) "UPDATE custody SET \"" #n "\" = ?1 WHERE id = ?2",
#define UPDATE_task(n, t, f, c, h) "UPDATE task SET \"" #n "\" = ?1 WHERE id = ?2",
#define UPDATE_note(n, t, f, c, h) "UPDATE note SET \"" #n "\" = ?1 WHERE id = ?2",
#define UPDATE_member(n, t, f, c, h) "UPDATE member SET \"" #n "\" = ?1 WHERE id = ?2",

KIND_SQL(case_info, CASE_FIELDS)
KIND_SQL(event, EVENT_FIELDS)
KIND_SQL(estimate, ESTIMATE_FIELDS)
KIND_SQL(notice, NOTICE_FIELDS)
KIND_SQL(evidence, EVIDENCE_FIELDS)
KIND_SQL(custody, CUSTODY_FIELDS)
KIND_SQL(task, TASK_FIELDS)
KIND_SQL(note, NOTE_FIELDS)
KIND_SQL(member, MEMBER_FIELDS)

static const struct cf_field case_fields[] = { CASE_FIELDS(FIELD_DESC) };
static const struct cf_field event_fields[] = { EVENT_FIELDS(FIELD_DESC) };
static const struct cf_field estimate_fields[] = { ESTIMATE_FIELDS(FIELD_DESC) };
static const struct cf_field notice_fields[] = { NOTICE_FIELDS(FIELD_DESC) };
static const struct cf_field evidence_fields[] = { EVIDENCE_FIELDS(FIELD_DESC) };
static const struct cf_field custody_fields[] = { CUSTODY_FIELDS(FIELD_DESC) };
static const struct cf_field task_fields[] = { TASK_FIELDS(FIELD_DESC) };
static const struct cf_field note_fields[] = { NOTE_FIELDS(FIELD_DESC) };
static const struct cf_field member_fields[] = { MEMBER_FIELDS(FIELD_DESC) };

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct cf_kind_info kinds[CF_KIND_COUNT] = {
	{ CF_CASE, "case", "case_info", "case", case_fields, N(case_fields) },
	{ CF_EVENT, "event", "event", "timeline event", event_fields, N(event_fields) },
	{ CF_ESTIMATE, "estimate", "estimate", "population estimate", estimate_fields,
	  N(estimate_fields) },
	{ CF_NOTICE, "notice", "notice", "notification", notice_fields, N(notice_fields) },
	{ CF_EVIDENCE, "evidence", "evidence", "evidence item", evidence_fields,
	  N(evidence_fields) },
	{ CF_CUSTODY, "custody", "custody", "custody event", custody_fields, N(custody_fields) },
	{ CF_TASK, "task", "task", "task", task_fields, N(task_fields) },
	{ CF_NOTE, "note", "note", "log note", note_fields, N(note_fields) },
	{ CF_MEMBER, "member", "member", "member", member_fields, N(member_fields) },
};

static const struct kind_sql *const sqls[CF_KIND_COUNT] = {
	&case_info_sql, &event_sql, &estimate_sql, &notice_sql, &evidence_sql, &custody_sql,
	&task_sql, &note_sql, &member_sql,
};

_Static_assert(N(case_fields) <= CF_MAX_FIELDS, "too many case fields");
_Static_assert(N(event_fields) <= CF_MAX_FIELDS, "too many event fields");

const struct cf_kind_info *cf_kind_info(enum cf_kind kind)
{
	return kind >= 0 && kind < CF_KIND_COUNT ? &kinds[kind] : NULL;
}

const struct kind_sql *kind_sql(enum cf_kind kind)
{
	return kind >= 0 && kind < CF_KIND_COUNT ? sqls[kind] : NULL;
}

const struct cf_kind_info *cf_kind_by_name(const char *name)
{
	if (!name)
		return NULL;
	for (size_t i = 0; i < CF_KIND_COUNT; i++)
		if (strcmp(kinds[i].name, name) == 0)
			return &kinds[i];
	return NULL;
}

int cf_field_index(const struct cf_kind_info *ki, const char *name)
{
	for (size_t i = 0; i < ki->nfields; i++)
		if (strcmp(ki->fields[i].name, name) == 0)
			return (int)i;
	return -1;
}

static int validate_int(const struct cf_field *f, const char *value, struct cf_err *err)
{
	const char *p = value;
	if (*p == '-')
		p++;
	if (!*p)
		return cf_error(err, CF_EINVAL, "field '%s': '%s' is not a whole number", f->name,
				value);
	for (; *p; p++)
		if (*p < '0' || *p > '9')
			return cf_error(err, CF_EINVAL, "field '%s': '%s' is not a whole number",
					f->name, value);
	if (strlen(value) > 18)
		return cf_error(err, CF_EINVAL, "field '%s': '%s' is too large", f->name, value);
	return 0;
}

static int validate_enum(const struct cf_field *f, const char *value, struct cf_err *err)
{
	struct strbuf list = STRBUF_INIT;
	int rc;

	for (const char *const *c = f->choices; *c; c++)
		if (strcmp(*c, value) == 0)
			return 0;
	for (const char *const *c = f->choices; *c; c++)
		strbuf_addf(&list, "%s%s", list.len ? ", " : "", *c);
	rc = cf_error(err, CF_EINVAL, "field '%s': '%s' is not one of: %s", f->name, value,
		      list.buf);
	strbuf_release(&list);
	return rc;
}

int cf_field_validate(const struct cf_field *f, const char *value, struct cf_err *err)
{
	struct cf_when w;

	if (!value)
		return 0;
	if (!cf_text_valid(value))
		return cf_error(err, CF_EINVAL, "field '%s': not valid UTF-8 text", f->name);
	switch (f->type) {
	case CF_T_INT:
		return validate_int(f, value, err);
	case CF_T_ENUM:
		return validate_enum(f, value, err);
	case CF_T_TIME:
		if (cf_when_parse(value, NULL, &w, err) < 0)
			return cf_error_prefix(err, CF_EINVAL, "field '%s'", f->name);
		return 0;
	case CF_T_REF:
		return 0;
	case CF_T_TEXT:
		/* An unknown zone would silently mean UTC in the C library: refuse it here. */
		if (strcmp(f->name, "tz") == 0 && !zone_known(value))
			return cf_error(err, CF_EINVAL,
					"field 'tz': '%s' is not a time zone of the zone database "
					"(e.g. America/New_York, Europe/Paris, UTC)", value);
		return 0;
	}
	return 0;
}

/* Rules across fields that no single field can check: an estimate's low <= best <= high,
 * among those set, none negative. */
int cf_record_check(const struct cf_record *r, struct cf_err *err)
{
	static const char *const order[] = { "low", "best", "high" };
	const char *prev_name = NULL;
	long long prev = 0;

	if (r->kind != CF_ESTIMATE)
		return 0;
	for (size_t i = 0; i < 3; i++) {
		const char *v = cf_record_get(r, order[i]);
		if (!v)
			continue;
		long long n = strtoll(v, NULL, 10);
		if (n < 0)
			return cf_error(err, CF_EINVAL, "estimate: field '%s' (%lld) is negative",
					order[i], n);
		if (prev_name && n < prev)
			return cf_error(err, CF_EINVAL,
					"estimate: field '%s' (%lld) is below field '%s' (%lld): "
					"low <= best <= high", order[i], n, prev_name, prev);
		prev_name = order[i];
		prev = n;
	}
	return 0;
}

/* Sort keys compare as text: times as fixed-width numbers shifted to be positive. */
static void time_key(const char *value, const char *tz, char *buf, size_t len)
{
	struct cf_when w;
	struct cf_err err;

	if (!value || cf_when_parse(value, tz, &w, &err) < 0)
		snprintf(buf, len, "~");  /* unknown times sort last */
	else
		snprintf(buf, len, "%015lld", (long long)(w.start + 100000000000LL));
}

int cf_field_keeps_value(enum cf_kind kind, const struct cf_field *f)
{
	return kind == CF_CASE && (f->type == CF_T_TIME || strcmp(f->name, "tz") == 0) &&
	       strcmp(f->name, "transmittal") != 0 && /* a briefing's date moves no clock */
	       strcmp(f->name, "open_at") != 0;       /* nor the TUI's opening moment */
}

char *kind_sort_key(const struct cf_record *r, const char *tz)
{
	const struct cf_kind_info *ki = cf_kind_info(r->kind);
	char t[32], out[1024];

	switch (r->kind) {
	case CF_EVENT:
		time_key(cf_record_get(r, "occurred"), tz, out, sizeof(out));
		break;
	case CF_ESTIMATE:
		time_key(cf_record_get(r, "as_of"), tz, t, sizeof(t));
		snprintf(out, sizeof(out), "%.900s\x1f%s",
			 cf_record_get(r, "category") ? cf_record_get(r, "category") : "", t);
		break;
	case CF_NOTICE:
	case CF_TASK:
		time_key(cf_record_get(r, "due"), tz, out, sizeof(out));
		break;
	case CF_EVIDENCE:
		time_key(cf_record_get(r, "collected_at"), tz, out, sizeof(out));
		break;
	case CF_CUSTODY:
		time_key(cf_record_get(r, "at"), tz, t, sizeof(t));
		snprintf(out, sizeof(out), "%.30s\x1f%s",
			 cf_record_get(r, "evidence") ? cf_record_get(r, "evidence") : "", t);
		break;
	case CF_NOTE:
		time_key(cf_record_get(r, "at"), tz, out, sizeof(out));
		break;
	case CF_MEMBER:
		cf_strlcpy(out, cf_record_get(r, "name"), sizeof(out));
		break;
	default:
		cf_strlcpy(out, ki ? ki->name : "", sizeof(out));
		break;
	}
	return xstrdup(out);
}
