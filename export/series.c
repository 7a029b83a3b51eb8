/* series.c — an estimate category's revisions as numbers: the one place where the briefing's
 * chart of a category (export/chart.c) and the TUI's Population chart (tui/screens/
 * scr_population.c) get what they draw: each revision's low, best and high, the bar it
 * draws, its words, and the scale. */
#include "export/export.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/xalloc.h"

#define DIGITS_LEN 32 /* a long long with separators: 19 digits, 6 commas, a sign */

/* FIELD of estimate E as a count, -1 when unset (the store keeps them whole, never negative). */
static long long num(const struct cf_record *e, const char *field)
{
	const char *v = cf_record_get(e, field);
	return v && *v ? atoll(v) : -1;
}

void series_count_text(char *buf, size_t len, long long n)
{
	char digits[DIGITS_LEN], *p = buf;
	int nd = snprintf(digits, sizeof(digits), "%lld", n);

	if (!len)
		return;
	for (int i = 0; i < nd; i++) {
		int comma = i && digits[0] != '-' && (nd - i) % 3 == 0;
		if ((size_t)(p - buf) + (size_t)comma + 1 >= len)
			break; /* cut at the buffer (CF_NUM_LEN holds any long long) */
		if (comma)
			*p++ = ',';
		*p++ = digits[i];
	}
	*p = '\0';
}

/* "10,000 to 99,999, best 50,000", "at least 3", "at most 99,999", "184,000". */
static void range_text(char *buf, size_t len, long long lo, long long best, long long hi)
{
	char a[DIGITS_LEN], b[DIGITS_LEN], c[DIGITS_LEN];

	series_count_text(a, sizeof(a), lo);
	series_count_text(b, sizeof(b), best);
	series_count_text(c, sizeof(c), hi);
	if (lo >= 0 && hi >= 0)
		snprintf(buf, len, "%s to %s%s%s", a, c, best >= 0 ? ", best " : "",
			 best >= 0 ? b : "");
	else if (best >= 0)
		cf_strlcpy(buf, b, len);
	else if (lo >= 0 || hi >= 0)
		snprintf(buf, len, "at %s %s", lo >= 0 ? "least" : "most", lo >= 0 ? a : c);
	else
		snprintf(buf, len, "no number");
}

void series_add(struct series *s, const struct cf_record *e)
{
	struct series_point *p;
	const char *as_of = cf_record_get(e, "as_of");

	if (s->n == s->cap)
		s->v = xreallocarray(s->v, s->cap = s->cap ? s->cap * 2 : 8, sizeof(*s->v));
	p = &s->v[s->n++];
	memset(p, 0, sizeof(*p));
	memcpy(p->id, e->id, sizeof(p->id));
	p->as_of = xstrdup(as_of ? as_of : "");
	p->low = num(e, "low");
	p->best = num(e, "best");
	p->high = num(e, "high");
	/* The bar: from the low bound (0 when there is none) up to the high bound (the low one
	 * when there is none); none without either bound. */
	p->bar_from = p->low >= 0 || p->high >= 0 ? (p->low >= 0 ? p->low : 0) : -1;
	p->bar_to = p->low >= 0 || p->high >= 0 ? (p->high >= 0 ? p->high : p->low) : -1;
	/* Where its words go: by the best estimate, else the top of its bar. */
	p->at = p->best >= 0 ? p->best : p->high >= 0 ? p->high : p->low;
	range_text(p->range, sizeof(p->range), p->low, p->best, p->high);
	if (p->low > s->max)
		s->max = p->low;
	if (p->best > s->max)
		s->max = p->best;
	if (p->high > s->max)
		s->max = p->high;
}

long long series_tick(const struct series *s, int k, int n)
{
	return n > 1 ? s->max * k / (n - 1) : s->max;
}

void series_release(struct series *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i].as_of);
	free(s->v);
	memset(s, 0, sizeof(*s));
}
