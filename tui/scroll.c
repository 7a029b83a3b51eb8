/* scroll.c — a window over rows held in memory (report versions, a diff, conflicts): with a
 * cursor that drags the view along, or a view that scrolls by itself. */
#include "tui/tui.h"

#include <stdio.h>

static void clamp(struct scroll *sc)
{
	int h = sc->height > 0 ? sc->height : 1;
	int max_top = sc->n - h > 0 ? sc->n - h : 0;

	if (sc->cursor) {
		if (sc->cur >= sc->n)
			sc->cur = sc->n - 1;
		if (sc->cur < 0)
			sc->cur = 0;
		if (sc->cur < sc->top)
			sc->top = sc->cur;
		if (sc->cur >= sc->top + h)
			sc->top = sc->cur - h + 1;
	}
	if (sc->top > max_top)
		sc->top = max_top;
	if (sc->top < 0)
		sc->top = 0;
}

void scroll_fit(struct scroll *sc, int n, int height)
{
	sc->n = n;
	sc->height = height;
	clamp(sc);
}

int scroll_key(struct scroll *sc, enum tui_action act)
{
	int *p = sc->cursor ? &sc->cur : &sc->top;
	int page = sc->height > 1 ? sc->height - 1 : 1;

	switch (act) {
	case ACT_DOWN: *p += 1; break;
	case ACT_UP: *p -= 1; break;
	case ACT_PAGE_DOWN:
		*p += page;
		if (sc->cursor)
			sc->top += page;
		break;
	case ACT_PAGE_UP:
		*p -= page;
		if (sc->cursor)
			sc->top -= page;
		break;
	case ACT_FIRST: *p = 0; break;
	case ACT_LAST: *p = sc->n; break;
	default:
		return 0;
	}
	clamp(sc);
	return 1;
}

void scroll_status(const struct scroll *sc, char *buf, size_t len)
{
	int at = sc->cursor ? sc->cur + 1 : sc->top + sc->height;

	if (at > sc->n)
		at = sc->n;
	snprintf(buf, len, "%d/%d", sc->n ? at : 0, sc->n);
}
