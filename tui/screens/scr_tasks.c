/* scr_tasks.c — tasks by due date: who does what, by when, how far along. */
#include "tui/tui.h"

static const struct column cols[] = {
	{ "due", "due", 16, 0 },
	{ "status", "status", 9, 0 },
	{ "priority", "pri", 3, 0 },
	{ "owner", "owner", 0, 1 },
	{ "title", "task", 0, 3 },
};

static const struct rec_screen_def def = {
	.kind = CF_TASK,
	.cols = cols,
	.ncols = sizeof(cols) / sizeof(cols[0]),
	.searchable = 1,
	.filterable = 1,
	.filter_field = "status",
};

static int tasks_open(struct app *a, void **priv)
{
	return rec_open(a, &def, priv);
}

const struct screen_ops scr_tasks = {
	"tasks", "Tasks", "Tasks", tasks_open, rec_close, rec_draw, rec_key, rec_reload,
	rec_idle, rec_go_to, rec_status,
	TUI_RECORD_HINTS,
};
