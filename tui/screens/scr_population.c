/* scr_population.c — population estimates: each category's revisions in as-of order (the
 * list), and for the one under the cursor who entered it and when, and the value it revised. */
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

static const struct rec_screen_def def = {
	.kind = CF_ESTIMATE,
	.cols = cols,
	.ncols = sizeof(cols) / sizeof(cols[0]),
	.searchable = 1,
	.detail_extra = revision,
	.extra_first = 1,
};

static int population_open(struct app *a, void **priv)
{
	return rec_open(a, &def, priv);
}

const struct screen_ops scr_population = {
	"population", "Population", "Pop", population_open, rec_close, rec_draw, rec_key,
	rec_reload, rec_idle, rec_go_to, rec_status,
	TUI_RECORD_HINTS,
};
