/* rules_parse.c — the parser of rule files (casefile-rules(5)): key = value lines in
 * [rule NAME] and [advisory NAME] sections; the first error is reported as FILE:LINE. */
#include "store/deadline/rules_internal.h"
#include "store/time/zone.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The state of one file being read. */
struct parser {
	struct cf_rules *set;
	const char *path;
	int layer;
	int line;
	char *pack;
	struct entry *cur;   /* the section being filled, or NULL */
	char *calendar;      /* the [calendar NAME] section being read, or NULL */
	char **last;         /* the value a continuation line extends */
	unsigned seen;       /* single-valued keys already given in this section */
	struct cf_err *err;
};

/* A rule line is a key and a short value: a longer one is not a rule pack. */
#define RULES_LINE_MAX 4000

static int perr(struct parser *p, const char *fmt, const char *arg)
{
	char msg[400];
	snprintf(msg, sizeof(msg), fmt, arg ? arg : "");
	return cf_error(p->err, CF_EINVAL, "%s:%d: %s", p->path, p->line, msg);
}

static int oom(struct cf_err *err)
{
	return cf_error(err, CF_ERR, "out of memory");
}

/* ---- values --------------------------------------------------------------------------------- */

static int valid_name(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) && *s != '-' &&
		    *s != '_')
			return 0;
	return 1;
}

static int is_clock(const char *name)
{
	const struct cf_kind_info *ki = cf_kind_info(CF_CASE);
	int i = cf_field_index(ki, name);
	return i >= 0 && ki->fields[i].type == CF_T_TIME;
}

static int is_event_kind(const char *name)
{
	const struct cf_kind_info *ki = cf_kind_info(CF_EVENT);
	const struct cf_field *f = &ki->fields[cf_field_index(ki, "kind")];
	for (const char *const *c = f->choices; *c; c++)
		if (strcmp(*c, name) == 0)
			return 1;
	return 0;
}

static int parse_triggers(struct parser *p, const char *value)
{
	struct cf_rule *r = &p->cur->r;
	char buf[512], *save = NULL;

	cf_strlcpy(buf, value, sizeof(buf));
	for (char *t = strtok_r(buf, ", \t", &save); t; t = strtok_r(NULL, ", \t", &save)) {
		int ok = !strncmp(t, "event:", 6) ? is_event_kind(t + 6)
			 : !strncmp(t, "sent:", 5) ? strchr(t + 5, '.') && valid_name(t + 5 +
				strcspn(t + 5, ".") + 1) : is_clock(t);
		if (!ok)
			return perr(p, "unknown trigger '%s' (a case clock such as discovered, "
				       "event:KIND or sent:PACK.RULE)", t);
		if (r->ntriggers == CF_MAX_TRIGGERS)
			return perr(p, "too many triggers", NULL);
		if (!(r->triggers[r->ntriggers++] = xstrdup(t)))
			return oom(p->err);
	}
	return r->ntriggers ? 0 : perr(p, "trigger: give a case clock or event:KIND", NULL);
}

/* "72 hours", "7 days", "30 calendar days", "4 business days" */
static int parse_within(struct parser *p, const char *value)
{
	struct cf_rule *r = &p->cur->r;
	char unit[64] = "", extra[64] = "";
	long n = 0;
	int used = sscanf(value, "%ld %63s %63s", &n, unit, extra);

	if (used < 2 || n <= 0 || n > 100000)
		goto bad;
	if (used == 2 && (!strcmp(unit, "hour") || !strcmp(unit, "hours")))
		r->unit = CF_U_HOURS;
	else if (used == 2 && (!strcmp(unit, "day") || !strcmp(unit, "days")))
		r->unit = CF_U_DAYS;
	else if (used == 3 && !strcmp(unit, "calendar") &&
		 (!strcmp(extra, "day") || !strcmp(extra, "days")))
		r->unit = CF_U_DAYS;
	else if (used == 3 && !strcmp(unit, "business") &&
		 (!strcmp(extra, "day") || !strcmp(extra, "days")))
		r->unit = CF_U_BUSINESS_DAYS;
	else if (used == 2 && (!strcmp(unit, "month") || !strcmp(unit, "months")))
		r->unit = CF_U_MONTHS;
	else
		goto bad;
	r->amount = (int)n;
	return 0;
bad:
	return perr(p, "within: '%s' is not 'N hours', 'N calendar days', 'N business days' or "
		    "'N months'", value);
}

static int severity_index(const char *word)
{
	const struct cf_kind_info *ki = cf_kind_info(CF_CASE);
	const struct cf_field *f = &ki->fields[cf_field_index(ki, "severity")];
	for (int i = 0; f->choices[i]; i++)
		if (strcmp(f->choices[i], word) == 0)
			return i;
	return -1;
}

/* "people.high >= 100000", "severity >= high" */
static int parse_condition(struct parser *p, const char *value)
{
	static const struct {
		const char *text;
		enum cf_cond_op op;
	} ops[] = { { ">=", CF_OP_GE }, { "<=", CF_OP_LE }, { "==", CF_OP_EQ },
		    { "!=", CF_OP_NE }, { ">", CF_OP_GT }, { "<", CF_OP_LT } };
	struct cf_rule *r = &p->cur->r;
	struct cf_cond *c;
	char var[64], rest[128], extra[2];
	const char *q = value;
	size_t n = 0, i;

	if (r->nconds == CF_MAX_CONDS)
		return perr(p, "too many conditions", NULL);
	c = &r->conds[r->nconds];
	while (*q && (isalnum((unsigned char)*q) || *q == '.' || *q == '_') && n + 1 < sizeof(var))
		var[n++] = *q++;
	var[n] = '\0';
	while (*q == ' ' || *q == '\t')
		q++;
	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (strncmp(q, ops[i].text, strlen(ops[i].text)) == 0)
			break;
	if (i == sizeof(ops) / sizeof(ops[0]))
		return perr(p, "condition '%s': give VARIABLE OP VALUE with OP one of >= > <= < "
			       "== !=", value);
	c->op = ops[i].op;
	q += strlen(ops[i].text);
	if (sscanf(q, " %127s", rest) != 1 || sscanf(q, " %*s %1s", extra) == 1)
		return perr(p, "condition '%s': one value after the comparison", value);
	if (!strcmp(var, "severity")) {
		c->var = CF_V_SEVERITY;
		if ((c->value = severity_index(rest)) < 0)
			return perr(p, "condition: '%s' is not a severity (low, moderate, high, "
				       "major)", rest);
	} else {
		if (!strcmp(var, "people.low"))
			c->var = CF_V_PEOPLE_LOW;
		else if (!strcmp(var, "people.best") || !strcmp(var, "people"))
			c->var = CF_V_PEOPLE_BEST;
		else if (!strcmp(var, "people.high"))
			c->var = CF_V_PEOPLE_HIGH;
		else if (!strcmp(var, "residents.low"))
			c->var = CF_V_RESIDENTS_LOW;
		else if (!strcmp(var, "residents.best") || !strcmp(var, "residents"))
			c->var = CF_V_RESIDENTS_BEST;
		else if (!strcmp(var, "residents.high"))
			c->var = CF_V_RESIDENTS_HIGH;
		else
			return perr(p, "condition: unknown variable '%s' (people.low, people.best, "
				       "people.high, residents.low, residents.best, residents.high, "
				       "severity)", var);
		char *end;
		errno = 0;
		c->value = strtoll(rest, &end, 10);
		if (*end || errno || c->value < 0 || !isdigit((unsigned char)rest[0]))
			return perr(p, "condition: '%s' is not a whole number (no separators)",
				    rest);
	}
	if (!(c->text = xstrdup(value)))
		return oom(p->err);
	r->nconds++;
	return 0;
}

/* ---- sections and keys ---------------------------------------------------------------------- */

/* Appends VALUE to *SLOT, separated by SEP when *SLOT already holds text. */
static int append(char **slot, const char *sep, const char *value, struct cf_err *err)
{
	size_t old = *slot ? strlen(*slot) : 0;
	char *grown = xrealloc(*slot, old + strlen(sep) + strlen(value) + 1);

	if (!grown)
		return oom(err);
	if (old)
		strcat(grown, sep);
	else
		grown[0] = '\0';
	strcat(grown, value);
	*slot = grown;
	return 0;
}

/* What the section R lacks, or NULL when it is complete. */
static const char *section_problem(const struct cf_rule *r)
{
	if (r->type == CF_RULE_DEADLINE) {
		if (!r->title)
			return "section lacks the required key 'title'";
		if (!r->ntriggers)
			return "section lacks the required key 'trigger'";
		if (!r->recipient)
			return "section lacks the required key 'recipient'";
		if (!r->soft && !r->amount)
			return "section lacks the required key 'within'";
		if (r->soft && r->amount)
			return "a soft rule has no 'within': it is a warning with no fixed time";
		if ((r->due_minute >= 0 || r->due_zone) && (r->soft || r->unit == CF_U_HOURS))
			return "'due_time' and 'due_zone' are for rules counted in days";
	} else {
		if (!r->message)
			return "section lacks the required key 'message'";
		if (!r->nconds)
			return "section lacks the required key 'condition'";
	}
	if (!r->source)
		return "section lacks the required key 'source'";
	return NULL;
}

/* Checks the section being filled and adds it to the set; problems are reported at the line
 * of its header. */
static int finish_section(struct parser *p)
{
	struct entry *e = p->cur;
	const char *problem;
	int rc;

	free(p->calendar);
	p->calendar = NULL;
	if (!e)
		return 0;
	p->cur = NULL;
	p->last = NULL;
	if ((problem = section_problem(&e->r))) {
		int line = p->line;
		p->line = e->r.line;
		rc = perr(p, "%s", problem);
		p->line = line;
	} else if (!e->r.source_status && !(e->r.source_status = xstrdup("unverified"))) {
		rc = oom(p->err);
	} else {
		rc = rules_set_add(p->set, e, p->err);
	}
	if (rc < 0)
		rules_entry_free(e);
	return rc;
}

static int start_section(struct parser *p, char *text)
{
	char *close = strchr(text, ']'), *name;
	enum cf_rule_type type = CF_RULE_DEADLINE;
	int rc;

	if (!close || close[1])
		return perr(p, "a section header is '[rule NAME]', '[advisory NAME]' or "
			       "'[calendar NAME]'", NULL);
	*close = '\0';
	if (!strncmp(text + 1, "rule ", 5))
		type = CF_RULE_DEADLINE;
	else if (!strncmp(text + 1, "advisory ", 9))
		type = CF_RULE_ADVISORY;
	else if (strncmp(text + 1, "calendar ", 9))
		return perr(p, "unknown section '%s' (rule, advisory or calendar)", text + 1);
	name = strchr(text, ' ') + 1;
	if (!valid_name(name))
		return perr(p, "bad name '%s': use lowercase letters, digits, '-' and '_'", name);
	if (!p->pack)
		return perr(p, "'pack = NAME' must come before the first section", NULL);
	if ((rc = finish_section(p)) < 0)
		return rc;
	if (!strncmp(text + 1, "calendar ", 9)) {
		rules_set_calendar(p->set, name);
		return (p->calendar = xstrdup(name)) ? 0 : oom(p->err);
	}
	if (!(p->cur = xcalloc(1, sizeof(*p->cur))))
		return oom(p->err);
	p->cur->layer = p->layer;
	p->cur->r.type = type;
	p->cur->r.line = p->line;
	p->cur->r.due_minute = -1;
	p->seen = 0;
	p->cur->r.id = xmalloc(strlen(p->pack) + strlen(name) + 2);
	p->cur->r.pack = xstrdup(p->pack);
	p->cur->r.file = xstrdup(p->path);
	if (!p->cur->r.id || !p->cur->r.pack || !p->cur->r.file)
		return oom(p->err);
	sprintf(p->cur->r.id, "%s.%s", p->pack, name);
	return 0;
}

/* Keys that may appear once per section; the others (recipient, condition, contents) repeat. */
enum { K_TITLE = 1, K_TRIGGER = 2, K_WITHIN = 4, K_DEADLINE = 8, K_SOURCE = 16, K_STATUS = 32,
       K_NOTE = 64, K_MESSAGE = 128, K_OTHERWISE = 256, K_URL = 1 << 9, K_VERIFIED = 1 << 10,
       K_CAVEAT = 1 << 11, K_JURISDICTION = 1 << 12, K_CALENDAR = 1 << 13,
       K_DUE_TIME = 1 << 14, K_DUE_ZONE = 1 << 15 };

static int once(struct parser *p, unsigned bit, const char *key)
{
	if (p->seen & bit)
		return perr(p, "key '%s' given twice", key);
	p->seen |= bit;
	return 0;
}

static int set_text(struct parser *p, unsigned bit, const char *key, char **slot,
		    const char *value)
{
	int rc = once(p, bit, key);
	if (rc < 0)
		return rc;
	if (!(*slot = xstrdup(value)))
		return oom(p->err);
	p->last = slot;
	return 0;
}

/* "YYYY-MM-DD", a real date */
static int valid_date(const char *s)
{
	int y, m, d, n = 0;
	if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || n != 10 ||
	    s[4] != '-' || s[7] != '-' || m < 1 || m > 12 || d < 1)
		return 0;
	int y2, m2, d2;
	cf_civil_from_days(cf_days_from_civil(y, m, d), &y2, &m2, &d2);
	return y2 == y && m2 == m && d2 == d;
}

/* "17:30": the minutes after midnight, or -1 */
static int parse_hhmm(const char *s)
{
	int h, m, n = 0;
	if (sscanf(s, "%2d:%2d%n", &h, &m, &n) != 2 || s[n] || strlen(s) != 5 || h > 23 ||
	    m > 59 || h < 0 || m < 0)
		return -1;
	return h * 60 + m;
}

/* The keys shared by rules and advisories: their source and how it was checked. */
static int source_key(struct parser *p, const char *key, const char *value)
{
	struct cf_rule *r = &p->cur->r;

	if (!strcmp(key, "source"))
		return set_text(p, K_SOURCE, key, &r->source, value);
	if (!strcmp(key, "url"))
		return set_text(p, K_URL, key, &r->url, value);
	if (!strcmp(key, "verified")) {
		if (!valid_date(value))
			return perr(p, "verified: '%s' is not a date YYYY-MM-DD", value);
		return set_text(p, K_VERIFIED, key, &r->verified, value);
	}
	if (strcmp(value, "official") && strcmp(value, "secondary") && strcmp(value, "proposed") &&
	    strcmp(value, "unverified"))
		return perr(p, "status: '%s' is not official, secondary, proposed or unverified",
			    value);
	return set_text(p, K_STATUS, key, &r->source_status, value);
}

/* The keys of a rule's due time and of whose residents it counts. */
static int where_key(struct parser *p, const char *key, const char *value)
{
	struct cf_rule *r = &p->cur->r;
	int rc;

	if (!strcmp(key, "due_time")) {
		if ((rc = once(p, K_DUE_TIME, key)) < 0)
			return rc;
		if ((r->due_minute = parse_hhmm(value)) < 0)
			return perr(p, "due_time: '%s' is not HH:MM (00:00 to 23:59)", value);
		return 0;
	}
	if (!strcmp(key, "due_zone")) {
		if (!strchr(value, '/') || !zone_known(value))
			return perr(p, "due_zone: '%s' is not a zone of the zone database (e.g. "
				       "America/New_York)", value);
		return set_text(p, K_DUE_ZONE, key, &r->due_zone, value);
	}
	if (!strcmp(key, "calendar")) {
		if (!valid_name(value))
			return perr(p, "calendar: bad name '%s'", value);
		return set_text(p, K_CALENDAR, key, &r->calendar, value);
	}
	if (!cf_jurisdiction_name(value))
		return perr(p, "jurisdiction: '%s' is not a known code (US-TX, US-DC, GB, ...)",
			    value);
	return set_text(p, K_JURISDICTION, key, &r->jurisdiction, value);
}

static int rule_key(struct parser *p, const char *key, const char *value)
{
	struct cf_rule *r = &p->cur->r;
	int adv = r->type == CF_RULE_ADVISORY, rc;

	p->last = NULL;
	if (!strcmp(key, "title"))
		return set_text(p, K_TITLE, key, &r->title, value);
	if (!strcmp(key, "source") || !strcmp(key, "url") || !strcmp(key, "verified") ||
	    !strcmp(key, "status"))
		return source_key(p, key, value);
	if (!strcmp(key, "note"))
		return set_text(p, K_NOTE, key, &r->note, value);
	if (!strcmp(key, "caveat"))
		return set_text(p, K_CAVEAT, key, &r->caveat, value);
	if (!strcmp(key, "condition"))
		return parse_condition(p, value);
	if (!strcmp(key, "jurisdiction"))
		return where_key(p, key, value);
	if (adv && !strcmp(key, "message"))
		return set_text(p, K_MESSAGE, key, &r->message, value);
	if (adv && !strcmp(key, "otherwise"))
		return set_text(p, K_OTHERWISE, key, &r->otherwise, value);
	if (adv)
		return perr(p, "unknown key '%s' in an advisory", key);
	if (!strcmp(key, "trigger"))
		return (rc = once(p, K_TRIGGER, key)) < 0 ? rc : parse_triggers(p, value);
	if (!strcmp(key, "within"))
		return (rc = once(p, K_WITHIN, key)) < 0 ? rc : parse_within(p, value);
	if (!strcmp(key, "deadline")) {
		if ((rc = once(p, K_DEADLINE, key)) < 0)
			return rc;
		if (strcmp(value, "hard") && strcmp(value, "soft"))
			return perr(p, "deadline: '%s' is not hard or soft", value);
		r->soft = !strcmp(value, "soft");
		return 0;
	}
	if (!strcmp(key, "recipient")) {
		p->last = &r->recipient;
		return append(&r->recipient, "; ", value, p->err);
	}
	if (!strcmp(key, "contents")) {
		p->last = &r->contents;
		return append(&r->contents, "\n", value, p->err);
	}
	if (!strcmp(key, "due_time") || !strcmp(key, "due_zone") || !strcmp(key, "calendar"))
		return where_key(p, key, value);
	return perr(p, "unknown key '%s' in a rule", key);
}

/* "closed = 2025-01-09 Executive Order 14133": a day the calendar is closed, and why. */
static int calendar_key(struct parser *p, const char *key, const char *value)
{
	char date[11];
	const char *why = value + 10;

	int rc;

	if (!strcmp(key, "holiday") || !strcmp(key, "holidays")) {
		rc = key[7] ? rules_set_federal(p->set, p->calendar, value, p->err)
			    : rules_set_holiday(p->set, p->calendar, value, p->layer, p->err);
		return rc == CF_EINVAL ? perr(p, "%s", p->err->msg) : rc;
	}
	if (strcmp(key, "closed"))
		return perr(p, "unknown key '%s' in a calendar (closed = DATE SOURCE, holiday = "
			       "RULE NAME, holidays = federal|none)", key);
	cf_strlcpy(date, value, sizeof(date));
	while (*why == ' ' || *why == '\t')
		why++;
	if (strlen(value) < 10 || !valid_date(date) || (value[10] && value[10] != ' ' &&
							 value[10] != '\t'))
		return perr(p, "closed: '%s' does not start with a date YYYY-MM-DD", value);
	if (!*why)
		return perr(p, "closed: give the source of the closure after the date", NULL);
	rc = rules_set_closure(p->set, p->calendar, date, why, p->layer, p->err);
	return rc == CF_EINVAL ? perr(p, "closed: %s given twice in this calendar", date) : rc;
}

static int top_key(struct parser *p, const char *key, const char *value)
{
	if (!strcmp(key, "pack")) {
		if (!valid_name(value))
			return perr(p, "bad pack name '%s': use lowercase letters, digits, '-'",
				    value);
		if (p->pack)
			return perr(p, "one 'pack' per file", NULL);
		if (!(p->pack = xstrdup(value)))
			return oom(p->err);
		return rules_set_pack(p->set, value, NULL, p->err);
	}
	if (!strcmp(key, "description")) {
		if (!p->pack)
			return perr(p, "'pack = NAME' must come before 'description'", NULL);
		int rc = rules_set_pack(p->set, p->pack, value, p->err);
		for (size_t i = 0; rc == 0 && i < p->set->npacks; i++)
			if (strcmp(p->set->packs[i].name, p->pack) == 0)
				p->last = &p->set->packs[i].description;
		return rc;
	}
	return perr(p, "unknown key '%s' before the first section (pack, description)", key);
}

static char *trim(char *s)
{
	char *end;
	while (*s == ' ' || *s == '\t')
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

static int parse_line(struct parser *p, char *raw)
{
	char *text = trim(raw), *eq;

	if (!*text || *text == '#')
		return 0;
	if ((raw[0] == ' ' || raw[0] == '\t') && p->last) /* continuation of the last value */
		return append(p->last, " ", text, p->err);
	p->last = NULL;
	if (*text == '[')
		return start_section(p, text);
	if (!(eq = strchr(text, '=')))
		return perr(p, "expected 'key = value', '[rule NAME]' or '[advisory NAME]'", NULL);
	*eq = '\0';
	char *key = trim(text), *value = trim(eq + 1);
	if (!*value)
		return perr(p, "key '%s' has no value", key);
	if (p->calendar)
		return calendar_key(p, key, value);
	return p->cur ? rule_key(p, key, value) : top_key(p, key, value);
}

int rules_parse_file(struct cf_rules *set, const char *path, int layer, struct cf_err *err)
{
	struct parser p = { .set = set, .path = path, .layer = layer, .err = err };
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t cap = 0, len;
	int rc = 0;

	if (!f)
		return cf_error(err, CF_EIO, "%s: %s", path, strerror(errno));
	while (rc == 0) {
		if ((rc = cf_line_read(f, path, p.line + 1, RULES_LINE_MAX, &buf, &cap, &len, err)) <= 0)
			break;
		p.line++;
		rc = parse_line(&p, buf);
	}
	if (rc == 0 && !p.pack)
		rc = cf_error(err, CF_EINVAL, "%s:1: no 'pack = NAME' line", path);
	if (rc == 0)
		rc = finish_section(&p);
	else
		rules_entry_free(p.cur);
	free(buf);
	free(p.pack);
	free(p.calendar);
	fclose(f);
	return rc;
}

