/* veris.c — the case as a VERIS incident (JSON, VERIS Community Schema 1.4.1, vz-risk/veris
 * verisc-merged.json), for the annual breach-data contribution.  casefile records no VERIS
 * classification (actor and action varieties, asset varieties, victim demographics): those are
 * "Unknown" with the case's own words in the notes, never guessed.  The mapping is documented in
 * casefile-format(5), "VERIS". */
#include "export/internal.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "store/strbuf.h"

/* The schema this writes: tests/veris/VERSION names the fixture it is validated against. */
#define VERIS_SCHEMA_VERSION "1.4.1"

static int of_kinds(const struct cf_record *e, const char *const *kinds)
{
	for (const char *const *k = kinds; *k; k++)
		if (!strcmp(rget(e, "kind"), *k))
			return 1;
	return 0;
}

/* A point in time as recorded: its start and precision (a period's start as entered, so
 * "2018-08/2019-01" starts in August 2018 to the month). */
struct point {
	int known;
	int64_t start;
	enum cf_precision precision;
	char text[CF_TIME_LEN];
};

static void point_of(const struct model *m, const char *value, struct point *p)
{
	char start[CF_TIME_LEN];
	struct cf_when w;

	memset(p, 0, sizeof(*p));
	if (!value)
		return;
	cf_strlcpy(start, value, sizeof(start));
	start[strcspn(start, "/")] = '\0';
	if (cf_when_parse(start, m->tz, &w, NULL) < 0)
		return;
	p->known = 1;
	p->start = w.start;
	p->precision = w.precision;
	cf_strlcpy(p->text, start, sizeof(p->text));
}

/* Whether the case has an event of any of KINDS with a time; the first such (in time order)
 * as a point into P when not NULL. */
static int first_event(const struct model *m, const char *const *kinds, struct point *p)
{
	struct model_iter it;
	const struct cf_record *r;

	if (p)
		point_of(m, NULL, p);
	/* sorted by occurred, unknown times last */
	for (model_iter_open(&it, m, CF_EVENT); (r = model_iter_next(&it));)
		if (of_kinds(r, kinds) && cf_record_get(r, "occurred"))
			break;
	if (r && p)
		point_of(m, cf_record_get(r, "occurred"), p);
	model_iter_close(&it);
	return r != NULL;
}

static int has_event(const struct model *m, const char *kind)
{
	const char *const kinds[] = { kind, NULL };
	return first_event(m, kinds, NULL);
}

/* The first event of the first of KINDS the case has ("compromise", else "attack"). */
static void event_point(const struct model *m, const char *const *kinds, struct point *p)
{
	int found = 0;

	point_of(m, NULL, p);
	for (const char *const *k = kinds; *k && !found; k++) {
		const char *const one[] = { *k, NULL };
		found = first_event(m, one, p);
	}
}

/* VERIS's duration units, longest first, with their length in seconds (a month and a year
 * as the Gregorian averages). */
static const struct {
	const char *name;
	int64_t secs;
	enum cf_precision finest; /* the unit a time of this precision is counted in, at least */
} units[] = {
	{ "Years", 31556952, CF_P_YEAR },  { "Months", 2629746, CF_P_MONTH },
	{ "Weeks", 604800, 0 },            { "Days", 86400, CF_P_DAY },
	{ "Hours", 3600, 0 },              { "Minutes", 60, CF_P_MINUTE },
	{ "Seconds", 1, CF_P_SECOND },
};
#define NUNITS (sizeof(units) / sizeof(units[0]))

/* The time from A to B as VERIS's {unit, value}: whole units, the largest unit that is at
 * least one, but never finer than the coarser of the two times (two times known to the month
 * are months apart, not days).  "Unknown" when either time is unknown, when B is before A,
 * or when they are less than one such unit apart (the record cannot tell). */
static json_t *duration(const struct point *a, const struct point *b)
{
	json_t *o = json_object();
	enum cf_precision p;
	size_t coarsest = NUNITS - 1;
	int64_t d;

	if (!a->known || !b->known || b->start < a->start) {
		json_object_set_new(o, "unit", json_string("Unknown"));
		return o;
	}
	p = a->precision < b->precision ? a->precision : b->precision;
	for (size_t i = 0; i < NUNITS; i++)
		if (units[i].finest == p) {
			coarsest = i;
			break;
		}
	d = b->start - a->start;
	for (size_t i = 0; i <= coarsest; i++)
		if (d >= units[i].secs) {
			json_object_set_new(o, "unit", json_string(units[i].name));
			json_object_set_new(o, "value", json_integer(d / units[i].secs));
			return o;
		}
	json_object_set_new(o, "unit", json_string("Unknown"));
	return o;
}

/* timeline.incident: the year (month, day as far as recorded) in the case's zone. */
static json_t *incident_date(const struct model *m, const struct point *p)
{
	char local[CF_TIME_LEN];
	json_t *o = json_object();

	cf_time_zoned(p->start, m->tz && *m->tz ? m->tz : "UTC", local, sizeof(local));
	json_object_set_new(o, "year", json_integer(atoi(local)));
	if (p->precision >= CF_P_MONTH)
		json_object_set_new(o, "month", json_integer(atoi(local + 5)));
	if (p->precision >= CF_P_DAY)
		json_object_set_new(o, "day", json_integer(atoi(local + 8)));
	return o;
}

static const char *const attack_kinds[] = { "attack", "compromise", NULL };
static const char *const compromise_kinds[] = { "compromise", "attack", NULL };
static const char *const exfil_kinds[] = { "exfiltration", NULL };
static const char *const discovery_kinds[] = { "discovery", NULL };
static const char *const containment_kinds[] = { "containment", NULL };
static const char *const begin_kinds[] = { "attack", "compromise", "exfiltration", NULL };

static int timeline(const struct model *m, json_t *root, struct cf_err *err)
{
	struct point begin, action, compromise, exfil, discovery, contained, none = { 0 };
	json_t *t;

	first_event(m, begin_kinds, &begin);
	if (!begin.known)
		return cf_error(err, CF_EINVAL,
				"export veris: timeline.incident.year: the case has no attack, "
				"compromise or exfiltration event with a time (VERIS needs the year "
				"the incident began)");
	event_point(m, attack_kinds, &action);
	event_point(m, compromise_kinds, &compromise);
	event_point(m, exfil_kinds, &exfil);
	point_of(m, cf_record_get(&m->kase, "discovered"), &discovery);
	if (!discovery.known)
		event_point(m, discovery_kinds, &discovery);
	event_point(m, containment_kinds, &contained);
	t = json_object();
	json_object_set_new(t, "incident", incident_date(m, &begin));
	/* From the first action to the first compromise: told apart only when the case has
	 * both an attack and a compromise event. */
	if (has_event(m, "attack") && has_event(m, "compromise"))
		json_object_set_new(t, "compromise", duration(&action, &compromise));
	else
		json_object_set_new(t, "compromise", duration(&begin, &none));
	json_object_set_new(t, "exfiltration", duration(&compromise, &exfil));
	json_object_set_new(t, "discovery", duration(&compromise, &discovery));
	json_object_set_new(t, "containment", duration(&discovery, &contained));
	json_object_set_new(root, "timeline", t);
	return 0;
}

/* Whether an event of KINDS before the one at cursor AT has the same FIELD. */
static int said_before(const struct model *m, const struct model_iter *at,
		       const char *const *kinds, const char *field)
{
	struct model_iter it;
	int said = 0;

	for (model_iter_open(&it, m, CF_EVENT); !said && model_iter_next(&it) && it.i < at->i;)
		said = of_kinds(it.r, kinds) && !strcmp(rget(it.r, field), rget(at->r, field));
	model_iter_close(&it);
	return said;
}

/* "; "-joined FIELD of the events of KINDS (each text once), cleaned, into SB. */
static void event_texts(const struct model *m, const char *const *kinds, const char *field,
			struct strbuf *sb)
{
	struct model_iter it;

	for (model_iter_open(&it, m, CF_EVENT); model_iter_next(&it);) {
		const char *v = cf_record_get(it.r, field);
		char *c;
		if (!of_kinds(it.r, kinds) || !v || !*v)
			continue;
		if (said_before(m, &it, kinds, field) || !(c = x_clean(v, CLEAN_INLINE)))
			continue;
		strbuf_addf(sb, "%s%s", sb->len ? "; " : "", c);
		free(c);
	}
	model_iter_close(&it);
}

/* { "unknown": { "notes": PREFIX + texts or NONE } } */
static json_t *unknown_with_notes(const struct model *m, const char *const *kinds,
				  const char *field, const char *prefix, const char *none)
{
	struct strbuf sb = STRBUF_INIT;
	json_t *o = json_object(), *u = json_object();

	event_texts(m, kinds, field, &sb);
	if (sb.len) {
		struct strbuf n = STRBUF_INIT;
		strbuf_addf(&n, "%s%s", prefix, sb.buf);
		json_object_set_new(u, "notes", jtext(n.buf));
		strbuf_release(&n);
	} else {
		json_object_set_new(u, "notes", json_string(none));
	}
	strbuf_release(&sb);
	json_object_set_new(o, "unknown", u);
	return o;
}

static const char *const data_varieties[] = {
	"API key", "Bank", "Classified", "Copyrighted", "Credentials", "Digital certificate",
	"Internal", "Medical", "Multi-factor credential", "Payment", "Personal",
	"Sensitive Personal", "Secrets", "Session key", "Source code", "System",
	"Virtual currency", NULL
};

/* A category named as a VERIS data variety ("Medical", "personal") is that variety; any
 * other is "Unknown" (its words go to the notes). */
static const char *variety_of(const char *category)
{
	for (const char *const *v = data_varieties; *v; v++)
		if (!strcasecmp(*v, category))
			return *v;
	return "Unknown";
}

/* attribute.confidentiality: disclosure from the events, one data entry per category (its
 * latest estimate; the amount is the best estimate when there is one). */
static json_t *confidentiality(const struct model *m)
{
	struct model_iter it;
	struct strbuf notes = STRBUF_INIT;
	json_t *c = json_object(), *data = json_array();
	const char *disclosure = has_event(m, "exfiltration") || has_event(m, "disclosure") ? "Yes"
				 : has_event(m, "attack") || has_event(m, "compromise")
				     ? "Potentially" : "Unknown";

	json_object_set_new(c, "data_disclosure", json_string(disclosure));
	for (model_iter_open(&it, m, CF_ESTIMATE); model_iter_next(&it);) {
		const struct cf_record *e = it.r;
		json_t *d;
		char *cat;
		if (!is_latest(&it))
			continue;
		d = json_object();
		json_object_set_new(d, "variety", json_string(variety_of(rget(e, "category"))));
		if (*rget(e, "best"))
			json_object_set_new(d, "amount", json_integer(atoll(rget(e, "best"))));
		json_array_append_new(data, d);
		cat = x_clean(rget(e, "category"), CLEAN_INLINE);
		strbuf_addf(&notes, "%s%s: low %s, best %s, high %s %s (as of %s)",
			    notes.len ? "; " : "", cat ? cat : "", *rget(e, "low") ? rget(e, "low") : "-",
			    *rget(e, "best") ? rget(e, "best") : "-",
			    *rget(e, "high") ? rget(e, "high") : "-", rget(e, "unit"),
			    rget(e, "as_of"));
		free(cat);
	}
	model_iter_close(&it);
	if (json_array_size(data)) {
		json_object_set_new(c, "data", data);
		json_object_set_new(c, "notes", jtext(notes.buf));
	} else {
		json_decref(data);
	}
	json_object_set_new(c, "data_victim", json_pack("[s]", "Unknown"));
	json_object_set_new(c, "state", json_pack("[s]", "Unknown"));
	strbuf_release(&notes);
	return c;
}

static json_t *action(const struct model *m)
{
	json_t *a = unknown_with_notes(m, attack_kinds, "summary",
				       "casefile records no VERIS action; the case's attack and "
				       "compromise events: ", "the case records no attack or "
				       "compromise event");
	if (has_event(m, "exfiltration"))
		json_object_set_new(json_object_get(a, "unknown"), "result",
				    json_pack("[s]", "Exfiltrate"));
	return a;
}

static void discovery(const struct model *m, json_t *root)
{
	struct strbuf sb = STRBUF_INIT;

	json_object_set_new(root, "discovery_method", json_pack("{s:b}", "unknown", 1));
	event_texts(m, discovery_kinds, "summary", &sb);
	if (sb.len)
		json_object_set_new(root, "discovery_notes", jtext(sb.buf));
	strbuf_release(&sb);
}

static const char *summary_of(const struct model *m)
{
	const char *s = rget(&m->kase, "summary");
	return *s ? s : rget(&m->kase, "title");
}

int render_veris(FILE *out, const struct model *m, struct cf_err *err)
{
	json_t *root = json_object(), *attr = json_object();
	char *summary = x_clean(summary_of(m), CLEAN_KEEP_NL);
	int confirmed = has_event(m, "attack") || has_event(m, "compromise") ||
			has_event(m, "exfiltration") || has_event(m, "disclosure") ||
			cf_record_get(&m->kase, "breach_determined");
	int rc;

	json_object_set_new(root, "schema_name", json_string("verisc"));
	json_object_set_new(root, "schema_version", json_string(VERIS_SCHEMA_VERSION));
	json_object_set_new(root, "incident_id", json_string(m->kase.id));
	json_object_set_new(root, "security_incident",
			    json_string(confirmed ? "Confirmed" : "Suspected"));
	json_object_set_new(root, "summary", jtext(summary ? summary : ""));
	free(summary);
	if ((rc = timeline(m, root, err)) < 0) {
		json_decref(attr);
		json_decref(root);
		return rc;
	}
	json_object_set_new(root, "actor",
			    unknown_with_notes(m, begin_kinds, "actor",
					       "casefile records no VERIS actor; the case names: ",
					       "the case names no actor"));
	json_object_set_new(root, "action", action(m));
	json_object_set_new(root, "asset", json_pack("{s:[{s:s}],s:[s]}", "assets", "variety",
						     "Unknown", "cloud", "Unknown"));
	json_object_set_new(attr, "confidentiality", confidentiality(m));
	json_object_set_new(root, "attribute", attr);
	discovery(m, root);
	json_object_set_new(root, "victim",
			    json_pack("{s:[s],s:s,s:s,s:[s]}", "country", "Unknown", "employee_count",
				      "Unknown", "industry", "000", "government", "Unknown"));
	json_object_set_new(root, "impact", json_pack("{s:s}", "overall_rating", "Unknown"));
	if (json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII) < 0 ||
	    fputc('\n', out) == EOF)
		rc = cf_error(err, CF_EIO, "cannot write the VERIS incident");
	json_decref(root);
	return rc;
}
