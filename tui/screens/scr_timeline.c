/* scr_timeline.c — the timeline: events in the order they happened, precision as entered
 * (2019-05-31, 2019-06, periods as ranges), kind, summary, source; `f` filters by kind. */
#include "tui/tui.h"

static const struct column cols[] = {
	{ "occurred", "when", 22, 0 },
	{ "kind", "kind", 13, 0 },
	{ "summary", "summary", 0, 3 },
	{ "source", "source", 0, 1 },
};

static const struct rec_screen_def def = {
	.kind = CF_EVENT,
	.cols = cols,
	.ncols = sizeof(cols) / sizeof(cols[0]),
	.searchable = 1,
	.filterable = 1,
	.filter_field = "kind",
};

static int timeline_open(struct app *a, void **priv)
{
	return rec_open(a, &def, priv);
}

const struct screen_ops scr_timeline = {
	"timeline", "Timeline", "Time", timeline_open, rec_close, rec_draw, rec_key, rec_reload,
	rec_idle, rec_go_to, rec_status,
	TUI_RECORD_HINTS,
};
