/* facts.c — the case facts the deadline rules look at (clocks, people estimates by category and
 * jurisdiction, notices), and whether a rule's conditions hold for them. */
#include "store/deadline/deadline_internal.h"
#include "store/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void deadline_facts_release(struct facts *f)
{
	cf_record_release(&f->c);
	free(f->packs);
	for (size_t i = 0; i < f->ncats; i++) {
		free(f->cats[i].name);
		free(f->cats[i].jur);
	}
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
		free(n->recipient);
		free(n->source);
		free(n->contents);
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

static int same(const char *a, const char *b)
{
	return a && b ? strcmp(a, b) == 0 : a == b;
}

/* Estimates come by category, then as-of: the last of each category (and jurisdiction) is its
 * latest. */
static int take_estimate(const struct cf_record *r, void *ctx)
{
	struct facts *f = ctx;
	const char *unit = cf_record_get(r, "unit"), *cat = cf_record_get(r, "category");
	const char *jur = cf_record_get(r, "jurisdiction");
	struct cat *c = NULL;

	if (!unit || strcmp(unit, "people") != 0 || !cat)
		return 0;
	for (size_t i = f->ncats; !c && i-- > 0 && strcmp(f->cats[i].name, cat) == 0;)
		if (same(f->cats[i].jur, jur))
			c = &f->cats[i];
	if (!c) {
		struct cat *grown = xrealloc(f->cats, (f->ncats + 1) * sizeof(*grown));
		if (!grown)
			return 1;
		f->cats = grown;
		c = &f->cats[f->ncats];
		c->jur = NULL;
		if (!(c->name = xstrdup(cat)) || (jur && !(c->jur = xstrdup(jur)))) {
			free(c->name);
			return 1;
		}
		f->ncats++;
	}
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

	if (!(grown = xrealloc(f->notices, (f->nnotices + 1) * sizeof(*grown))))
		return 1;
	f->notices = grown;
	n = &grown[f->nnotices++];
	memset(n, 0, sizeof(*n));
	memcpy(n->id, r->id, sizeof(n->id));
	n->rule = dup_or_null(cf_record_get(r, "rule"));
	n->recipient = dup_or_null(cf_record_get(r, "recipient"));
	n->source = dup_or_null(cf_record_get(r, "source"));
	n->contents = dup_or_null(cf_record_get(r, "contents"));
	n->status = dup_or_null(cf_record_get(r, "status"));
	n->sent = dup_or_null(cf_record_get(r, "sent"));
	n->ack = dup_or_null(cf_record_get(r, "acknowledged"));
	n->waiver = dup_or_null(cf_record_get(r, "waiver"));
	n->due = dup_or_null(cf_record_get(r, "due"));
	return 0;
}

/* The largest of each bound over the categories counted in people (each category's latest),
 * of the residents of JUR only when JUR is not NULL; 1 when one estimate gives a number. */
static int fold(const struct facts *f, const char *jur, int64_t out[3])
{
	int have = 0;

	out[0] = out[1] = out[2] = -1;
	for (size_t i = 0; i < f->ncats; i++) {
		const struct cat *c = &f->cats[i];
		if (jur && !same(c->jur, jur))
			continue;
		have |= c->low >= 0 || c->best >= 0 || c->high >= 0;
		out[0] = c->low > out[0] ? c->low : out[0];
		out[1] = c->best > out[1] ? c->best : out[1];
		out[2] = c->high > out[2] ? c->high : out[2];
	}
	return have;
}

static void fold_people(struct facts *f)
{
	int64_t b[3];

	f->have_people = fold(f, NULL, b);
	f->low = b[0];
	f->best = b[1];
	f->high = b[2];
	f->attributed = f->have_people;
	for (size_t i = 0; i < f->ncats; i++)
		if (!f->cats[i].jur && (f->cats[i].low >= 0 || f->cats[i].best >= 0 ||
					f->cats[i].high >= 0))
			f->attributed = 0;
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
static int64_t bound(const int64_t b[3], enum cf_cond_var v)
{
	int64_t a = b[0], m = b[1], c = b[2];
	if (v == CF_V_PEOPLE_HIGH || v == CF_V_RESIDENTS_HIGH)
		return c >= 0 ? c : m >= 0 ? m : a;
	if (v == CF_V_PEOPLE_LOW || v == CF_V_RESIDENTS_LOW)
		return a >= 0 ? a : m >= 0 ? m : c;
	return m >= 0 ? m : c >= 0 ? c : a;
}

/* The people of JUR (the whole case when NULL) by bound V: -1 when the case does not say.  A
 * jurisdiction no estimate names has none when every estimate names its jurisdiction. */
static int64_t people(const struct facts *f, const char *jur, enum cf_cond_var v)
{
	int64_t b[3];

	if (fold(f, jur, b))
		return bound(b, v);
	return jur && f->attributed ? 0 : -1;
}

/* The residents of the jurisdiction with the most, by bound V; -1 when no estimate names one. */
static int64_t residents(const struct facts *f, enum cf_cond_var v)
{
	int64_t most = -1;

	for (size_t i = 0; i < f->ncats; i++)
		if (f->cats[i].jur) {
			int64_t n = people(f, f->cats[i].jur, v);
			most = n > most ? n : most;
		}
	return most;
}

static int compare(int64_t x, const struct cf_cond *c)
{
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

/* 1 the condition holds, 0 it does not, -1 the case does not say.  JUR: the rule's. */
static int cond_holds(const struct facts *f, const char *jur, const struct cf_cond *c)
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
	} else if (c->var >= CF_V_RESIDENTS_LOW) {
		/* People no estimate places may all live in one jurisdiction: only a yes is sure. */
		x = residents(f, c->var);
		if (x >= 0 && !f->attributed && !compare(x, c))
			return -1;
	} else {
		x = f->have_people || jur ? people(f, jur, c->var) : -1;
	}
	return x < 0 ? -1 : compare(x, c);
}

/* A rule of a jurisdiction is owed only when some of its residents are affected. */
static const struct cf_cond any_resident = { CF_V_PEOPLE_HIGH, CF_OP_GE, 1, NULL };

int deadline_conds_hold(const struct facts *f, const struct cf_rule *r)
{
	int result = r->jurisdiction ? cond_holds(f, r->jurisdiction, &any_resident) : 1;
	if (result == 0)
		return 0;
	for (size_t i = 0; i < r->nconds; i++) {
		int h = cond_holds(f, r->jurisdiction, &r->conds[i]);
		if (h == 0)
			return 0;
		if (h < 0)
			result = -1;
	}
	return result;
}

/* Why the case cannot tell whether R applies, into BUF. */
void deadline_unknown_why(const struct facts *f, const struct cf_rule *r, char *buf, size_t len)
{
	if (r->jurisdiction && people(f, r->jurisdiction, CF_V_PEOPLE_HIGH) < 0) {
		snprintf(buf, len, "residents of %s unknown: add an estimate with jurisdiction %s",
			 cf_jurisdiction_name(r->jurisdiction), r->jurisdiction);
		return;
	}
	for (size_t i = 0; i < r->nconds; i++)
		if (cond_holds(f, r->jurisdiction, &r->conds[i]) < 0) {
			if (r->conds[i].var >= CF_V_RESIDENTS_LOW)
				snprintf(buf, len, "residents per State unknown (%s): add estimates "
					 "with a jurisdiction", r->conds[i].text);
			else
				snprintf(buf, len, "the case does not say whether it applies (%s)",
					 r->conds[i].text);
			return;
		}
}
