/* scr_evidence.c — evidence items with their chain of custody in the detail pane; a new
 * item's file is hashed as it is added (evidence_add). */
#include "tui/tui.h"

#include <stdio.h>

static const struct column cols[] = {
	{ "collected_at", "collected", 25, 0 },
	{ "description", "item", 0, 3 },
	{ "collected_by", "by", 0, 1 },
	{ "location", "location", 0, 1 },
};

struct chain_draw {
	struct app *a;
	int y, width, rows, line;
};

static int custody_line(const struct cf_record *r, void *ctx)
{
	struct chain_draw *d = ctx;
	char buf[512];

	if (d->line >= d->rows)
		return 1;
	snprintf(buf, sizeof(buf), "  %s  %s  %s", cf_record_get(r, "at") ? cf_record_get(r, "at") : "?",
		 cf_record_get(r, "action") ? cf_record_get(r, "action") : "?",
		 cf_record_get(r, "handler") ? cf_record_get(r, "handler") : "?");
	tui_text(d->y + d->line++, 0, d->width, buf, A_NORMAL, 1);
	return 0;
}

static int chain(struct app *a, const struct cf_record *r, int y, int width, int rows)
{
	struct chain_draw d = { a, y, width, rows, 1 };
	struct cf_err err;

	tui_text(y, 0, width, "chain of custody:", A_BOLD, 1);
	custody_chain(a->s, r->id, custody_line, &d, &err);
	return d.line;
}

static const struct rec_screen_def def = {
	.kind = CF_EVIDENCE,
	.cols = cols,
	.ncols = sizeof(cols) / sizeof(cols[0]),
	.searchable = 1,
	.detail_extra = chain,
};

static int evidence_open(struct app *a, void **priv)
{
	return rec_open(a, &def, priv);
}

const struct screen_ops scr_evidence = {
	"evidence", "Evidence", "Evid", evidence_open, rec_close, rec_draw, rec_key, rec_reload,
	rec_idle, rec_go_to, rec_status,
};
