/* chart.c — charts drawn as text: an estimate category's revisions (the numbers worked out by
 * export/series.c, as the briefing's chart has them) as bars from low to high with the best
 * estimate marked, one row per revision in as-of order; and a density ruler of records over
 * time (counts from the store's record_density).  Box and block characters in a UTF-8
 * locale, ASCII otherwise; every piece of case text through tui_text. */
#include "tui/tui.h"

#include <langinfo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/strbuf.h"

#define DATE_MAX 17   /* the as-of column: "2019-05-31T14:02Z" */
#define TICKS 3       /* 0, half, the top: as the briefing's chart */
#define PLOT_MIN 10   /* cells of the plot at the least */

enum glyph { G_EMPTY, G_TICK, G_BAR, G_FROM, G_TO, G_ONE, G_BEST, G_CURSOR, G_COUNT };

/* Whether the locale can show box-drawing and block characters. */
static int utf8(void)
{
	const char *cs = nl_langinfo(CODESET);
	return cs && (!strcmp(cs, "UTF-8") || !strcmp(cs, "utf8"));
}

static const char *glyph(enum glyph g)
{
	static const char *const u[G_COUNT] = { " ", "\xc2\xb7", "\xe2\x94\x80", "\xe2\x94\x9c",
						"\xe2\x94\xa4", "\xe2\x94\x82", "\xe2\x97\x8f", "^" };
	static const char *const a[G_COUNT] = { " ", ".", "-", "[", "]", "|", "*", "^" };
	return utf8() ? u[g] : a[g];
}

/* The column of V on a plot of N cells scaled to MAX. */
static int col(long long v, long long max, int n)
{
	return max > 0 ? (int)(((double)v * (n - 1)) / (double)max + 0.5) : 0;
}

/* The first of ROWS revisions shown, keeping CUR in view (near the end when it is late). */
static size_t window_start(size_t n, int cur, int rows)
{
	if (rows <= 0 || n <= (size_t)rows)
		return 0;
	if (cur < 0)
		return n - (size_t)rows; /* the latest */
	if ((size_t)cur < (size_t)rows / 2)
		return 0;
	if ((size_t)cur + (size_t)rows / 2 >= n)
		return n - (size_t)rows;
	return (size_t)cur - (size_t)rows / 2;
}

/* The scale line: 0, the half and the top at their columns of the plot at X, N cells wide. */
static void scale_line(struct app *a, const struct series *s, int y, int x, int n)
{
	for (int k = 0; k < TICKS; k++) {
		char num[CF_NUM_LEN];
		int c = k * (n - 1) / (TICKS - 1), w;
		series_count_text(num, sizeof(num), series_tick(s, k, TICKS));
		w = (int)strlen(num);
		c = k == 0 ? c : k == TICKS - 1 ? c - w + 1 : c - w / 2;
		tui_text(y, x + c, w, num, a->style[ST_DIM], 0);
	}
}

/* One revision's bar on the plot at X, N cells wide. */
static void bar_line(struct app *a, const struct series *s, const struct series_point *p,
		     int y, int x, int n)
{
	struct strbuf b = STRBUF_INIT;
	int c0 = p->bar_from >= 0 ? col(p->bar_from, s->max, n) : -1;
	int c1 = p->bar_to >= 0 ? col(p->bar_to, s->max, n) : -1;

	for (int c = 0; c < n; c++) {
		enum glyph g = G_EMPTY;
		if (c0 >= 0 && c >= c0 && c <= c1)
			g = c0 == c1 ? G_ONE : c == c0 ? G_FROM : c == c1 ? G_TO : G_BAR;
		else if (c == 0 || c == (n - 1) / 2 || c == n - 1)
			g = G_TICK;
		strbuf_addstr(&b, glyph(g));
	}
	tui_text(y, x, n, b.buf, a->style[ST_OK], 1);
	if (p->best >= 0)
		tui_text(y, x + col(p->best, s->max, n), 1, glyph(G_BEST), A_BOLD, 0);
	strbuf_release(&b);
}

/* A revision's numbers in words at (Y, X) in WIDTH cells; cut with "…" rather than show a
 * number cut short without saying so (only on a plot narrower than any terminal that fits). */
static void label(struct app *a, const char *text, int y, int x, int width)
{
	(void)a;
	if (width <= 0)
		return;
	if (tui_text_width(text, width + 1) <= width) {
		tui_text(y, x, width, text, A_NORMAL, 0);
		return;
	}
	tui_text(y, x, width - 1, text, A_NORMAL, 0);
	tui_text(y, x + width - 1, 1, utf8() ? "\xe2\x80\xa6" : ">", A_BOLD, 0);
}

void tui_chart_series(struct app *a, const struct series *s, const char *title, int cur,
		      int y, int width, int rows)
{
	char head[CF_LINE_LEN], when[CF_TIME_LEN];
	int dw = 10, lw = 0, n, shown = rows - 2;
	size_t first;

	first = window_start(s->n, cur, shown);
	if (s->n == 0)
		snprintf(head, sizeof(head), "-- %s ", title);
	else if (shown > 0 && s->n > (size_t)shown)
		snprintf(head, sizeof(head), "-- %s: revisions %zu-%zu of %zu; %s%s%s low to high, "
			 "%s best ", title, first + 1, first + (size_t)shown, s->n, glyph(G_FROM),
			 glyph(G_BAR), glyph(G_TO), glyph(G_BEST));
	else
		snprintf(head, sizeof(head), "-- %s: %zu revision%s; %s%s%s low to high, %s best ",
			 title, s->n, s->n == 1 ? "" : "s", glyph(G_FROM), glyph(G_BAR), glyph(G_TO),
			 glyph(G_BEST));
	tui_text(y, 0, width, head, a->style[ST_HEADER], 1);
	if (rows < 2)
		return;
	if (s->n == 0 || s->max <= 0) {
		tui_text(y + 1, 2, width - 2, s->n ? "(no numbers to chart: low, best and high "
						     "are unset)" : "(no estimate yet: a adds one)",
			 a->style[ST_DIM], 0);
		return;
	}
	/* Measured over every revision, so the plot stays put as the window moves. */
	for (size_t i = 0; i < s->n; i++) {
		int w;
		tui_when_text(s->v[i].as_of, when, sizeof(when));
		if ((w = tui_text_width(when, DATE_MAX)) > dw)
			dw = w;
		if ((w = tui_text_width(s->v[i].range, width)) > lw)
			lw = w;
	}
	dw += 3; /* "> " marks the cursor's, as in the list; a space after */
	lw += 1;
	n = width - dw - lw > PLOT_MIN ? width - dw - lw : PLOT_MIN;
	scale_line(a, s, y + 1, dw, n);
	for (int r = 0; r < shown && first + (size_t)r < s->n; r++) {
		const struct series_point *p = &s->v[first + (size_t)r];
		int is_cur = (int)(first + (size_t)r) == cur;
		tui_when_text(p->as_of, when, sizeof(when));
		tui_text(y + 2 + r, 0, 2, is_cur ? ">" : "", A_BOLD, 1);
		tui_text(y + 2 + r, 2, dw - 3, when, is_cur ? a->style[ST_CURSOR] : A_NORMAL, 1);
		bar_line(a, s, p, y + 2 + r, dw, n);
		label(a, p->range, y + 2 + r, dw + n + 1, width - dw - n - 1);
	}
}

/* ---- a density ruler ----------------------------------------------------------------------- */

/* One column's block for COUNT of MAX: none for 0, else one of eight heights (the least
 * for any count above 0, so that a single record shows). */
static const char *block(int64_t count, int64_t max)
{
	static const char *const u[] = { "\xe2\x96\x81", "\xe2\x96\x82", "\xe2\x96\x83",
					 "\xe2\x96\x84", "\xe2\x96\x85", "\xe2\x96\x86",
					 "\xe2\x96\x87", "\xe2\x96\x88" };
	static const char *const a[] = { ".", ":", "-", "=", "+", "*", "#", "%" };
	int level;

	if (count <= 0 || max <= 0)
		return " ";
	level = (int)((count * 8 - 1) / max); /* 0..7 */
	return utf8() ? u[level] : a[level];
}

/* The ruler's title line: WHAT over time, how many, the time a column stands for. */
static void density_title(struct app *a, const struct tui_density *d, const char *what,
			  int64_t max, const char *first, int y, int width)
{
	char step[CF_NUM_LEN], line[CF_LINE_LEN], undated[CF_PHRASE_LEN] = "";

	if (d->s.undated)
		snprintf(undated, sizeof(undated), " (and %lld undated)", (long long)d->s.undated);
	tui_duration(d->s.span / d->n > 0 ? d->s.span / d->n : 1, step, sizeof(step));
	if (d->s.dated == 0)
		snprintf(line, sizeof(line), "-- %s over time: none has a known time ", what);
	else if (d->s.first == d->s.last)
		snprintf(line, sizeof(line), "-- %s over time: %lld dated%s, all at %s ", what,
			 (long long)d->s.dated, undated, first);
	else
		snprintf(line, sizeof(line), "-- %s over time: %lld dated%s, %s a column, at most "
			 "%lld in one ", what, (long long)d->s.dated, undated, step, (long long)max);
	tui_text(y, 0, width, line, a->style[ST_HEADER], 1);
}

void tui_chart_density(struct app *a, const struct tui_density *d, const char *what,
		       int64_t cur, int y, int width, int rows)
{
	struct strbuf b = STRBUF_INIT;
	char from[CF_TIME_LEN], to[CF_TIME_LEN], when[CF_TIME_LEN], at[CF_TIME_LEN + 8];
	const char *tz = cf_record_get(&a->kase, "tz");
	int64_t max = 0, span = d->s.span;
	int len = span < 3 * 86400 ? 16 : 10; /* dates, or dates and times over a short span */
	int cx = -1, aw = 0;

	tz = tz && *tz ? tz : "UTC";
	for (int i = 0; i < d->n; i++)
		if (d->counts[i] > max)
			max = d->counts[i];
	cf_time_zoned(d->s.first, tz, from, sizeof(from));
	cf_time_zoned(d->s.last, tz, to, sizeof(to));
	from[len] = to[len] = '\0';
	density_title(a, d, what, max, from, y, width);
	if (d->n <= 0 || d->s.dated == 0)
		return;
	if (rows < 2)
		return;
	for (int i = 0; i < d->n && i < width; i++)
		strbuf_addstr(&b, block(d->counts[i], max));
	tui_text(y + 1, 0, width, b.buf, a->style[ST_OK], 1);
	strbuf_release(&b);
	if (rows < 3)
		return;
	tui_fill(y + 2, 0, width, A_NORMAL);
	/* ^ and the cursor's date at its column; the dates at either end where they fit. */
	if (cur != INT64_MIN) {
		int64_t c = (cur - d->s.first) * d->n / span;
		cx = (int)(c < 0 ? 0 : c >= d->n ? d->n - 1 : c);
		cf_time_zoned(cur, tz, when, sizeof(when));
		snprintf(at, sizeof(at), "%s %.*s", glyph(G_CURSOR), len, when);
		aw = tui_text_width(at, width);
		if (cx + aw > width) {
			snprintf(at, sizeof(at), "%.*s %s", len, when, glyph(G_CURSOR));
			cx -= aw - 1;
		}
	}
	if (cx < 0 || cx > len + 1)
		tui_text(y + 2, 0, len, from, a->style[ST_DIM], 0);
	if ((cx < 0 || cx + aw < width - len - 1) && d->s.last != d->s.first)
		tui_text(y + 2, width - len, len, to, a->style[ST_DIM], 0);
	if (cx >= 0)
		tui_text(y + 2, cx, aw, at, A_BOLD, 0);
}
