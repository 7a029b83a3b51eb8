/* scr_population.c — population estimates: each category's revisions in as-of order (the
 * list); the revisions of the cursor's category as a chart (low to high, best marked, the
 * numbers the briefing's chart draws); for the one under the cursor who entered it and when,
 * and the value it revised. */
#include "tui/tui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct column cols[] = {
	{ "category", "category", 0, 2 },
	{ "as_of", "as of", 10, 0 },
	{ "low", "low", 9, 0 },
	{ "best", "best", 9, 0 },
	{ "high", "high", 9, 0 },
	{ "unit", "unit", 7, 0 },
	{ "source", "source", 0, 1 },
};

struct first_op {
	char who[CF_PHRASE_LEN], at[CF_TIME_LEN];
};

static int creation(const struct cf_op *op, void *ctx)
{
	struct first_op *f = ctx;
	cf_strlcpy(f->who, op->author ? op->author : "?", sizeof(f->who));
	snprintf(f->at, sizeof(f->at), "%.19s", op->at);
	return 1; /* the first op of a record is its creation */
}

static int previous(const struct cf_record *r, const char *key, void *ctx)
{
	char *buf = ctx;
	snprintf(buf, 256, "revises %s / %s / %s %s as of %s",
		 cf_record_get(r, "low") ? cf_record_get(r, "low") : "?",
		 cf_record_get(r, "best") ? cf_record_get(r, "best") : "?",
		 cf_record_get(r, "high") ? cf_record_get(r, "high") : "?",
		 cf_record_get(r, "unit") ? cf_record_get(r, "unit") : "",
		 cf_record_get(r, "as_of") ? cf_record_get(r, "as_of") : "?");
	return 1;
}

static int revision(struct app *a, const struct cf_record *r, int y, int width, int rows)
{
	struct first_op f = { "?", "?" };
	struct cf_err err;
	char line[CF_LINE_LEN], prev[CF_PHRASE_LEN] = "the first estimate of its category", *key = NULL;
	int n = 0;

	op_list(a->s, r->id, creation, &f, &err);
	snprintf(line, sizeof(line), "entered by %s at %s", f.who, f.at);
	n += tui_wrap(y + n, 0, width, rows - n, line, a->style[ST_DIM]);
	if (n < rows && record_key(a->s, CF_ESTIMATE, r->id, &key, &err) == 0) {
		struct cf_seek q = { .key = key, .id = r->id, .backward = 1, .limit = 1,
				     .filter_field = "category",
				     .filter_value = cf_record_get(r, "category") };
		record_seek(a->s, CF_ESTIMATE, &q, previous, prev, &err);
		n += tui_wrap(y + n, 0, width, rows - n, prev, a->style[ST_DIM]);
	}
	free(key);
	return n;
}

/* ---- the chart of the cursor's category (tui/chart.c), read when the cursor moves to another
 * category or the case changes ---- */

#define CHART_MAX 1000 /* revisions of one category read for its chart: far more than any case */
#define CHART_MAX_TEXT "1000"

struct population {
	char *category; /* the category charted; NULL before the first */
	struct series s;
	int stale;      /* the case changed */
	int more;       /* it has more than CHART_MAX revisions: the first are charted */
};

static void population_release(void *state)
{
	struct population *p = state;
	series_release(&p->s);
	free(p->category);
}

static int chart_add(const struct cf_record *r, const char *key, void *ctx)
{
	struct population *p = ctx;

	(void)key;
	if (p->s.n == CHART_MAX) {
		p->more = 1;
		return 1;
	}
	series_add(&p->s, r);
	return 0;
}

/* The revisions of CATEGORY in as-of order (the list's order), as numbers. */
static void chart_load(struct app *a, struct population *p, const char *category)
{
	struct cf_seek q = { .limit = CHART_MAX + 1, .filter_field = "category",
			     .filter_value = category };

	population_release(p);
	p->category = xstrdup(category);
	p->stale = p->more = 0;
	if (record_seek(a->s, CF_ESTIMATE, &q, chart_add, p, &a->err) < 0)
		tui_message(a, 1, "%s", a->err.msg);
}

/* Rows of the chart: its title, the scale, and 4 revisions (8 on a tall screen); more scroll
 * with the cursor. */
static int chart_rows(struct app *a, void *priv, int height)
{
	(void)a;
	(void)priv;
	return height >= 30 ? 10 : 6;
}

static void chart_draw(struct app *a, void *priv, int y, int width, int rows)
{
	struct population *p = rec_state(priv);
	const struct cf_record *c = rec_cursor(priv);
	const char *cat = c ? cf_record_get(c, "category") : NULL;
	char title[CF_LINE_LEN];
	int cur = -1;

	if (!cat) {
		population_release(p);
		memset(p, 0, sizeof(*p));
	} else if (p->stale || !p->category || strcmp(p->category, cat)) {
		chart_load(a, p, cat);
	}
	for (size_t i = 0; c && i < p->s.n; i++)
		if (!strcmp(p->s.v[i].id, c->id))
			cur = (int)i;
	if (cat)
		snprintf(title, sizeof(title), "%.200s (%.40s)%s", cat,
			 cf_record_get(c, "unit") ? cf_record_get(c, "unit") : "-",
			 p->more ? ", the first " CHART_MAX_TEXT : "");
	else
		snprintf(title, sizeof(title), "revisions of an estimate");
	tui_chart_series(a, &p->s, title, cur, y, width, rows);
}

static const struct rec_screen_def def = {
	.kind = CF_ESTIMATE,
	.cols = cols,
	.ncols = sizeof(cols) / sizeof(cols[0]),
	.searchable = 1,
	.detail_extra = revision,
	.extra_first = 1,
	.band_rows = chart_rows,
	.band_draw = chart_draw,
	.state_size = sizeof(struct population),
	.state_release = population_release,
};

static int population_open(struct app *a, void **priv)
{
	return rec_open(a, &def, priv);
}

static void population_reload(struct app *a, void *priv)
{
	((struct population *)rec_state(priv))->stale = 1;
	rec_reload(a, priv);
}

const struct screen_ops scr_population = {
	"population", "Population", "Pop", population_open, rec_close, rec_draw, rec_key,
	population_reload, rec_idle, rec_go_to, rec_status,
	TUI_RECORD_HINTS,
};
