/* chart.c — the briefing's charts as drawings in points, with no output format: the timeline
 * (periods as bars, instants as marks, the discovery and each notification deadline as
 * lines) and each estimate category's revisions (low to high as a range, the best estimate as
 * a dot, over their as-of dates).  The HTML page writes them as SVG (chart_svg, here), the PDF
 * draws them with cairo (export/pdf.c).  Deterministic: the model's order, fixed decimals. */
#include "export/internal.h"

#include <stdlib.h>
#include <string.h>

#include "store/strbuf.h"
#include "store/text.h"
#include "store/xalloc.h"

#define CHART_W 468.0  /* the text column of a Letter page with one-inch margins */
#define LABEL_W 170.0  /* the timeline's labels, left of the plot */
#define ROW_H 13.0
#define MAX_ROWS 40
#define LABEL_LEN 400  /* a label before it is cut to about 40 characters */
#define NUM_LEN 32     /* a count with separators: 19 digits, 6 commas; a tick "2019-05" */
#define TICKS 3        /* a category's scale: 0, the half, the top */

static struct chart_item *add(struct chart *c, enum chart_op op, double x, double y, double x2,
			      double y2, int color)
{
	struct chart_item *it;

	if (c->n == c->cap)
		c->v = xreallocarray(c->v, c->cap = c->cap ? c->cap * 2 : 32, sizeof(*c->v));
	it = &c->v[c->n++];
	*it = (struct chart_item){ .op = op, .x = x, .y = y, .x2 = x2, .y2 = y2, .color = color,
				   .size = 7 };
	return it;
}

/* TEXT (cleaned, at most MAX characters with "…" when cut) at X, Y (its baseline). */
static struct chart_item *text(struct chart *c, double x, double y, int anchor, double size,
			       const char *t, size_t max)
{
	char *clean = x_clean(t, CLEAN_INLINE);
	struct chart_item *it = add(c, CH_TEXT, x, y, 0, 0, CH_BLACK);
	size_t chars = 0, i = 0;

	while (clean[i] && chars < max) {
		int32_t cp;
		int n = cf_text_decode(clean + i, &cp);
		i += n > 0 ? (size_t)n : 1;
		chars++;
	}
	if (clean[i]) {
		clean[i] = '\0';
		it->text = xasprintf("%s\xe2\x80\xa6", clean);
		free(clean);
	} else {
		it->text = clean;
	}
	it->anchor = anchor;
	it->size = size;
	return it;
}

void chart_release(struct chart *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->v[i].text);
	free(c->v);
	free(c->title);
	free(c->caption);
	memset(c, 0, sizeof(*c));
}

void charts_free(struct chart *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		chart_release(&v[i]);
	free(v);
}

/* ---- the timeline ------------------------------------------------------------------------ */

struct span {
	int64_t t0, t1;
};

static int when(const struct model *m, const char *v, struct cf_when *w)
{
	return v && cf_when_parse(v, m->tz, w, NULL) == 0;
}

static double xpos(const struct span *s, int64_t t)
{
	return LABEL_W + 10 + (double)(t - s->t0) * (CHART_W - LABEL_W - 20) /
				    (double)(s->t1 - s->t0);
}

/* Tick marks and labels along the top: years, or months, or days, at most about 8. */
static void ticks(const struct model *m, struct chart *c, const struct span *s, double top,
		  double bottom)
{
	char local[CF_TIME_LEN], spec[NUM_LEN];
	int y0, mo0, step, unit; /* unit 0 year, 1 month */
	double days = (double)(s->t1 - s->t0) / 86400;

	cf_time_zoned(s->t0, m->tz && *m->tz ? m->tz : "UTC", local, sizeof(local));
	y0 = atoi(local);
	mo0 = atoi(local + 5);
	unit = days > 3 * 365 ? 0 : 1;
	step = unit == 0 ? (int)(days / 365 / 8) + 1 : (int)(days / 30 / 8) + 1;
	for (int k = 0; k < 200; k++) {
		struct cf_when w;
		int yy = unit == 0 ? y0 + k * step : y0 + (mo0 - 1 + k * step) / 12;
		int mm = unit == 0 ? 1 : (mo0 - 1 + k * step) % 12 + 1;
		if (unit == 0)
			snprintf(spec, sizeof(spec), "%04d", yy);
		else
			snprintf(spec, sizeof(spec), "%04d-%02d", yy, mm);
		if (!when(m, spec, &w) || w.start > s->t1)
			break;
		if (w.start < s->t0)
			continue;
		add(c, CH_LINE, xpos(s, w.start), top, xpos(s, w.start), bottom, CH_LIGHT);
		text(c, xpos(s, w.start), top - 3, 0, 6.5, spec, 10);
	}
}

/* The events drawn: all when few, else the key events (the first MAX_ROWS). */
static int drawn(const struct model *m, const struct cf_record *e, int few)
{
	struct cf_when w;
	return when(m, cf_record_get(e, "occurred"), &w) &&
	       (few || !strcmp(rget(e, "key"), "yes"));
}

static void span_add(struct span *s, int *any, int64_t a, int64_t b)
{
	if (!*any || a < s->t0)
		s->t0 = a;
	if (!*any || b > s->t1)
		s->t1 = b;
	*any = 1;
}

/* A vertical line across the plot at T with its label under the plot. */
static void marker_line(struct chart *c, const struct span *s, int64_t t, double top,
			double bottom, int color, const char *label, int nth)
{
	double x = xpos(s, t);
	add(c, CH_DASH, x, top, x, bottom, color);
	text(c, x, bottom + 9 + 8 * (nth % 3), x > CHART_W - 60 ? 1 : -1, 6.5, label, 40)->color =
		color;
}

static int chart_timeline(const struct model *m, struct chart *c)
{
	struct model_iter ev, no;
	struct span s = { 0, 0 };
	struct cf_when w, disc;
	int any = 0, few, has_disc, nth = 0;
	size_t rows = 0, total = 0;
	double top = 18, y;

	for (model_iter_open(&ev, m, CF_EVENT); model_iter_next(&ev);)
		total += when(m, cf_record_get(ev.r, "occurred"), &w);
	model_iter_close(&ev);
	few = total <= MAX_ROWS;
	for (model_iter_open(&ev, m, CF_EVENT); rows < MAX_ROWS && model_iter_next(&ev);)
		if (drawn(m, ev.r, few) && when(m, cf_record_get(ev.r, "occurred"), &w)) {
			span_add(&s, &any, w.start, w.end);
			rows++;
		}
	model_iter_close(&ev);
	if (!rows)
		return CF_ENOTFOUND;
	has_disc = when(m, cf_record_get(&m->kase, "discovered"), &disc);
	if (has_disc)
		span_add(&s, &any, disc.start, disc.start);
	for (model_iter_open(&no, m, CF_NOTICE); model_iter_next(&no);) {
		const struct cf_deadline *d = model_deadline(m, no.r);
		if (d && d->has_due)
			span_add(&s, &any, d->due, d->due);
	}
	model_iter_close(&no);
	if (s.t1 <= s.t0)
		s.t1 = s.t0 + 86400;
	c->title = xstrdup("Timeline");
	c->width = CHART_W;
	c->height = top + (double)rows * ROW_H + 40;
	ticks(m, c, &s, top, top + (double)rows * ROW_H);
	y = top;
	rows = 0;
	for (model_iter_open(&ev, m, CF_EVENT); rows < MAX_ROWS && model_iter_next(&ev);) {
		const struct cf_record *e = ev.r;
		char label[LABEL_LEN];
		if (!drawn(m, e, few) || !when(m, cf_record_get(e, "occurred"), &w))
			continue;
		snprintf(label, sizeof(label), "%s %s", rget(e, "occurred"), rget(e, "summary"));
		text(c, 0, y + 9, -1, 6.5, label, 42);
		if (w.is_period || w.end - w.start > 86400)
			add(c, CH_RECT, xpos(&s, w.start), y + 3, xpos(&s, w.end) - xpos(&s, w.start),
			    ROW_H - 6, CH_BLUE);
		else
			add(c, CH_DOT, xpos(&s, w.start), y + ROW_H / 2, 2.6, 0, CH_BLACK);
		y += ROW_H;
		rows++;
	}
	model_iter_close(&ev);
	if (has_disc)
		marker_line(c, &s, disc.start, top, y, CH_GREEN, "discovery", nth++);
	for (model_iter_open(&no, m, CF_NOTICE); model_iter_next(&no);) {
		const struct cf_deadline *d = model_deadline(m, no.r);
		char label[LABEL_LEN];
		if (!d || !d->has_due)
			continue;
		snprintf(label, sizeof(label), "due: %s", rget(no.r, "recipient"));
		marker_line(c, &s, d->due, top, y, CH_RED, label, nth++);
	}
	model_iter_close(&no);
	c->caption = xasprintf("%zu of %zu dated events (%s); bars are periods, dots instants; "
			       "green: discovery; red: notification deadlines.", rows, total,
			       few ? "all" : "key events");
	return 0;
}

/* ---- an estimate category's revisions (the numbers: export/series.c) ----------------------- */

/* The revisions S of one category (LAST its latest estimate, for its names) as a chart. */
static int chart_category(const struct series *s, const struct cf_record *last, struct chart *c)
{
	double left = 60, right = CHART_W - 20, top = 14, bottom = 150, prevx = -1, prevy = 0;
	char buf[NUM_LEN];

	if (s->max <= 0)
		return CF_ENOTFOUND;
	c->title = xasprintf("Estimates: %s", rget(last, "category"));
	c->width = CHART_W;
	c->height = bottom + 30;
	for (int k = 0; k < TICKS; k++) {
		double y = bottom - (bottom - top) * k / (TICKS - 1);
		add(c, CH_LINE, left, y, right, y, CH_LIGHT);
		series_count_text(buf, sizeof(buf), series_tick(s, k, TICKS));
		text(c, left - 4, y + 2, 1, 6.5, buf, 20);
	}
	for (size_t i = 0; i < s->n; i++) {
		const struct series_point *p = &s->v[i];
		double x = s->n == 1 ? (left + right) / 2
			   : left + 30 + (right - left - 60) * (double)i / (double)(s->n - 1);
#define Y(v) (bottom - (bottom - top) * (double)(v) / (double)s->max)
		if (p->bar_from >= 0)
			add(c, CH_RECT, x - 3, Y(p->bar_to), 6, Y(p->bar_from) - Y(p->bar_to), CH_BLUE);
		if (p->best >= 0) {
			add(c, CH_DOT, x, Y(p->best), 3, 0, CH_BLACK);
			if (prevx >= 0)
				add(c, CH_LINE, prevx, prevy, x, Y(p->best), CH_BLACK);
			prevx = x;
			prevy = Y(p->best);
		}
		text(c, x + 6, Y(p->at) + 2, -1, 6.5, p->range, 30);
		text(c, x, bottom + 10, 0, 6.5, p->as_of, 25);
#undef Y
	}
	c->caption = xasprintf("%s (%s): bars from low to high, dots the best estimate, by the "
			       "date each estimate holds for.", rget(last, "category"),
			       rget(last, "unit"));
	return 0;
}

size_t charts_build(const struct model *m, struct chart **out)
{
	struct model_iter it;
	struct series s = { 0 }; /* the revisions of one category so far */
	struct chart *v = xcalloc(1, sizeof(*v));
	size_t n = 0;

	if (!v) {
		*out = NULL;
		return 0;
	}
	if (chart_timeline(m, &v[n]) == 0)
		n++;
	else
		chart_release(&v[n]);
	for (model_iter_open(&it, m, CF_ESTIMATE); model_iter_next(&it);) {
		series_add(&s, it.r);
		if (!is_latest(&it))
			continue;
		v = xreallocarray(v, n + 1, sizeof(*v));
		memset(&v[n], 0, sizeof(v[n]));
		if (chart_category(&s, it.r, &v[n]) == 0)
			n++;
		else
			chart_release(&v[n]);
		series_release(&s);
	}
	model_iter_close(&it);
	series_release(&s);
	*out = v;
	return n;
}

/* ---- SVG (every element closed explicitly, as tests/html_check.py wants) --------- */

static const char *const colors[] = { "#000", "#bbb", "#3b6fb6", "#c0392b", "#2e8b57",
				      "#e4e4e4" };

void chart_svg(FILE *out, const struct chart *c)
{
	fprintf(out, "<figure class=\"chart\">\n<svg xmlns=\"http://www.w3.org/2000/svg\" "
		     "viewBox=\"0 0 %.1f %.1f\" width=\"100%%\" role=\"img\" aria-label=\"",
		c->width, c->height);
	html_text(out, c->title);
	fputs("\" font-family=\"sans-serif\">\n<title>", out);
	html_text(out, c->title);
	fputs("</title>\n", out);
	for (size_t i = 0; i < c->n; i++) {
		const struct chart_item *it = &c->v[i];
		const char *col = colors[it->color];
		switch (it->op) {
		case CH_RECT:
			fprintf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
				     "fill=\"%s\" fill-opacity=\"0.55\" stroke=\"%s\"></rect>\n",
				it->x, it->y, it->x2, it->y2, col, col);
			break;
		case CH_LINE:
		case CH_DASH:
			fprintf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
				     "stroke=\"%s\" stroke-width=\"%s\"%s></line>\n",
				it->x, it->y, it->x2, it->y2, col, it->op == CH_DASH ? "1" : "0.7",
				it->op == CH_DASH ? " stroke-dasharray=\"3 2\"" : "");
			break;
		case CH_DOT:
			fprintf(out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\" fill=\"%s\"></circle>\n",
				it->x, it->y, it->x2, col);
			break;
		case CH_TEXT:
			fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"%.1f\" fill=\"%s\" "
				     "text-anchor=\"%s\">",
				it->x, it->y, it->size, col,
				it->anchor < 0 ? "start" : it->anchor > 0 ? "end" : "middle");
			html_text(out, it->text);
			fputs("</text>\n", out);
			break;
		}
	}
	fputs("</svg>\n<figcaption>", out);
	html_text(out, c->caption);
	fputs("</figcaption>\n</figure>\n", out);
}
