/* scr_log.c — the incident commander's log: notes in time order, searchable. */
#include "tui/tui.h"

static const struct column cols[] = {
	{ "at", "at", 25, 0 },
	{ "author", "author", 0, 1 },
	{ "text", "note", 0, 3 },
};

static const struct rec_screen_def def = {
	.kind = CF_NOTE,
	.cols = cols,
	.ncols = sizeof(cols) / sizeof(cols[0]),
	.searchable = 1,
};

static int log_open(struct app *a, void **priv)
{
	return rec_open(a, &def, priv);
}

const struct screen_ops scr_log = {
	"log", "Log", "Log", log_open, rec_close, rec_draw, rec_key, rec_reload, rec_idle,
	rec_go_to, rec_status,
	TUI_RECORD_HINTS,
};
