/* scr_notices.c — notifications owed and sent, by due time (the deadline engine keeps their
 * due times; `casefile deadlines` and the dashboard show the countdowns). */
#include "tui/tui.h"

static const struct column cols[] = {
	{ "due", "due", 25, 0 },
	{ "status", "status", 12, 0 },
	{ "recipient", "recipient", 0, 3 },
	{ "rule", "rule", 0, 1 },
};

static const struct rec_screen_def def = {
	.kind = CF_NOTICE,
	.cols = cols,
	.ncols = sizeof(cols) / sizeof(cols[0]),
	.filterable = 1,
	.filter_field = "status",
};

static int notices_open(struct app *a, void **priv)
{
	return rec_open(a, &def, priv);
}

const struct screen_ops scr_notices = {
	"notifications", "Notifications", "Notif", notices_open, rec_close, rec_draw, rec_key,
	rec_reload, rec_idle, rec_go_to, rec_status,
};
