/* markdown.c — the pieces every report shares (the briefing templates' engine, the timeline,
 * changes, custody, charts): the marking banner, the "as of" line, times, counts and estimate
 * ranges as shown (in any format, through struct xout), sources as of a moment, the latest
 * and headline estimates, whom a notice names.  Each report file calls these, never each
 * other. */
#include "export/internal.h"

#include <stdlib.h>
#include <string.h>

void md_banner(FILE *out, const char *marking)
{
	fputs("**", out);
	md_inline(out, marking && *marking ? marking : "UNMARKED");
	fputs("**\n", out);
}

void render_banner(FILE *out, const struct model *m)
{
	md_banner(out, cf_record_get(&m->kase, "marking"));
}

void show_when_x(const struct xout *o, const char *value)
{
	const char *slash = value ? strchr(value, '/') : NULL;
	char *start;

	if (!value || !*value) {
		fputs("unknown", o->f);
		return;
	}
	if (!slash) {
		o->esc(o->f, value);
		return;
	}
	start = xstrndup(value, (size_t)(slash - value));
	o->esc(o->f, start);
	fputs(" to ", o->f);
	o->esc(o->f, slash + 1);
	free(start);
}

void show_when(FILE *out, const char *value)
{
	const struct xout o = { out, md_inline };
	show_when_x(&o, value);
}

void show_count_x(const struct xout *o, const char *v)
{
	size_t n = strlen(v), lead;

	if (!n || strspn(v, "0123456789") != n) {
		o->esc(o->f, v);
		return;
	}
	lead = n % 3 ? n % 3 : 3;
	fwrite(v, 1, lead, o->f);
	for (size_t i = lead; i < n; i += 3) {
		fputc(',', o->f);
		fwrite(v + i, 1, 3, o->f);
	}
}

void show_range_x(const struct xout *o, const struct cf_record *e)
{
	const char *lo = rget(e, "low"), *best = rget(e, "best"), *hi = rget(e, "high");
	FILE *out = o->f;

	if (*lo && *hi) {
		show_count_x(o, lo);
		fputs(" to ", out);
		show_count_x(o, hi);
		if (*best) {
			fputs(", best estimate ", out);
			show_count_x(o, best);
		}
	} else if (*best) {
		fputs("about ", out);
		show_count_x(o, best);
		if (*lo || *hi) {
			fputs(*lo ? " (at least " : " (at most ", out);
			show_count_x(o, *lo ? lo : hi);
			fputs(")", out);
		}
	} else if (*hi) {
		fputs("at most ", out);
		show_count_x(o, hi);
	} else if (*lo) {
		fputs("at least ", out);
		show_count_x(o, lo);
	} else {
		fputs("not yet estimated", out);
	}
	fputc(' ', out);
	o->esc(out, rget(e, "unit"));
}

/* Whether citation PART (one of a source's "; "-separated parts) names a date after the
 * briefing's "as of" moment: a source not yet written then is not cited. */
static int cited_later(const struct model *m, const char *part, size_t len)
{
	for (size_t i = 0; m->limit && i + 10 <= len; i++) {
		char date[CF_TIME_LEN];
		struct cf_when w;
		memcpy(date, part + i, 10);
		date[10] = '\0';
		if (date[4] == '-' && date[7] == '-' && strspn(date, "0123456789-") == 10 &&
		    cf_when_parse(date, m->tz, &w, NULL) == 0)
			return w.start > m->limit;
	}
	return 0;
}

void show_source_x(const struct xout *o, const struct model *m, const char *text)
{
	int first = 1;

	for (const char *p = text; *p;) {
		const char *end = strstr(p, "; ");
		size_t n = end ? (size_t)(end - p) : strlen(p);
		if (!cited_later(m, p, n)) {
			char *part = xstrndup(p, n);
			fputs(first ? "" : "; ", o->f);
			o->esc(o->f, part);
			free(part);
			first = 0;
		}
		p += n + (end ? 2 : 0);
	}
}

int any_source(const struct model *m, const char *text)
{
	for (const char *p = text; *p;) {
		const char *end = strstr(p, "; ");
		size_t n = end ? (size_t)(end - p) : strlen(p);
		if (!cited_later(m, p, n))
			return 1;
		p += n + (end ? 2 : 0);
	}
	return 0;
}

int estimate_is_people(const struct cf_record *e)
{
	return !strcmp(rget(e, "unit"), "people");
}

/* The largest of an estimate's bounds (high, else best, else low); -1 when none. */
static long long largest(const struct cf_record *e)
{
	const char *v = *rget(e, "high") ? rget(e, "high") : *rget(e, "best") ? rget(e, "best")
										 : rget(e, "low");
	return *v ? atoll(v) : -1;
}

int estimate_top(const struct model *m, struct cf_record *top)
{
	struct model_iter it;
	int found = 0;

	cf_record_init(top, CF_ESTIMATE);
	for (model_iter_open(&it, m, CF_ESTIMATE); model_iter_next(&it);)
		if (is_latest(&it) && estimate_is_people(it.r) &&
		    (!found || largest(it.r) > largest(top))) {
			cf_record_release(top);
			found = cf_record_copy(top, it.r) == 0;
		}
	model_iter_close(&it);
	return found;
}

void render_as_of(FILE *out, const struct model *m)
{
	fputs("*As of ", out);
	md_inline(out, m->as_of_shown);
	fputs(".*\n\n", out);
}

/* The latest estimate of each category (the list is sorted by category, then as-of). */
int is_latest(const struct model_iter *it)
{
	return !it->ahead || strcmp(rget(it->r, "category"), rget(it->ahead, "category")) != 0;
}

int names_individuals(const struct cf_record *n)
{
	const char *r = rget(n, "recipient");
	return strstr(r, "ndividual") || strstr(r, "ravelers") || strstr(r, "ata subjects");
}

