/* screens.c — the tab bar: every screen in order.  The position gives the number key (1..9,
 * then 0). */
#include "tui/tui.h"

const struct screen_ops *const tui_screens[] = {
	&scr_dashboard, &scr_timeline, &scr_population, &scr_notices,
	&scr_evidence,  &scr_tasks,    &scr_log,        &scr_history,
	&scr_reports,   &scr_conflicts,
};

const size_t tui_nscreens = sizeof(tui_screens) / sizeof(tui_screens[0]);

_Static_assert(sizeof(tui_screens) / sizeof(tui_screens[0]) <= TUI_MAX_SCREENS,
	       "more screens than number keys");
