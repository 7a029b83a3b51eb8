/* scr_timeline.c — the timeline: events in the order they happened, precision as entered
 * (2019-05-31, 2019-06, periods as ranges), kind, summary, source; `f` filters by kind, `r`
 * shows a density ruler of the events over time (under the filter) with the cursor's place. */
#include "tui/tui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct column cols[] = {
	{ "occurred", "when", 22, 0 },
	{ "kind", "kind", 13, 0 },
	{ "summary", "summary", 0, 3 },
	{ "source", "source", 0, 1 },
};

#define RULER_ROWS 3 /* its title, the densities, the dates and the cursor's mark */

struct timeline {
	int ruler;              /* shown (r) */
	int stale;              /* the case changed since the counts were made */
	struct tui_density d;   /* the counts, one a column, made for D.N columns and FILTER */
	int filtered;
	char filter[CF_PHRASE_LEN];
};

static void timeline_release(void *state)
{
	free(((struct timeline *)state)->d.counts);
}

/* Counts again when the case, the width or the filter changed since the last time. */
static void ruler_count(struct app *a, struct timeline *t, const struct list *l, int width)
{
	struct cf_seek q = { .filter_field = l->filter_field, .filter_value = l->filter_value };
	int rc;

	if (!t->stale && t->d.n == width && t->filtered == (l->filter_field != NULL) &&
	    (!t->filtered || !strcmp(t->filter, l->filter_value)))
		return;
	t->d.counts = xreallocarray(t->d.counts, (size_t)width, sizeof(*t->d.counts));
	t->d.n = width;
	t->filtered = l->filter_field != NULL;
	cf_strlcpy(t->filter, l->filter_value, sizeof(t->filter));
	t->stale = 0;
	rc = record_density(a->s, CF_EVENT, &q, width, t->d.counts, &t->d.s, &a->err);
	if (rc < 0 && rc != CF_ENOTFOUND)
		tui_message(a, 1, "%s", a->err.msg);
	if (rc < 0)
		t->d.s.dated = 0;
}

static int ruler_rows(struct app *a, void *priv, int height)
{
	(void)a;
	(void)height;
	return ((struct timeline *)rec_state(priv))->ruler ? RULER_ROWS : 0;
}

static void ruler_draw(struct app *a, void *priv, int y, int width, int rows)
{
	struct timeline *t = rec_state(priv);
	const struct cf_record *c = rec_cursor(priv);
	const struct list *l = rec_list(priv);
	const char *tz = cf_record_get(&a->kase, "tz");
	char what[CF_PHRASE_LEN];
	struct cf_when w;
	int64_t cur = INT64_MIN;

	ruler_count(a, t, l, width);
	if (c && cf_when_parse(cf_record_get(c, "occurred"), tz, &w, NULL) == 0)
		cur = w.start;
	snprintf(what, sizeof(what), "events%s%.40s", l->filter_field ? " of kind " : "",
		 l->filter_field ? l->filter_value : "");
	tui_chart_density(a, &t->d, what, cur, y, width, rows);
}

static int timeline_key(struct app *a, void *priv, enum tui_action act)
{
	struct timeline *t = rec_state(priv);

	if (act != ACT_RULER)
		return 0;
	t->ruler = !t->ruler;
	t->stale = 1;
	tui_message(a, 0, t->ruler ? "density ruler: events over time, ^ the cursor's (r hides it)"
				   : "density ruler hidden (r shows it)");
	return 1;
}

static const struct rec_screen_def def = {
	.kind = CF_EVENT,
	.cols = cols,
	.ncols = sizeof(cols) / sizeof(cols[0]),
	.searchable = 1,
	.filterable = 1,
	.filter_field = "kind",
	.own_key = timeline_key,
	.band_rows = ruler_rows,
	.band_draw = ruler_draw,
	.state_size = sizeof(struct timeline),
	.state_release = timeline_release,
};

static int timeline_open(struct app *a, void **priv)
{
	return rec_open(a, &def, priv);
}

static void timeline_reload(struct app *a, void *priv)
{
	((struct timeline *)rec_state(priv))->stale = 1;
	rec_reload(a, priv);
}

const struct screen_ops scr_timeline = {
	"timeline", "Timeline", "Time", timeline_open, rec_close, rec_draw, rec_key,
	timeline_reload, rec_idle, rec_go_to, rec_status,
	TUI_RECORD_HINTS,
};
