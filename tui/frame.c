/* frame.c — what is around every screen: the marking banner (top and bottom), the tab bar,
 * the status line; the help screen generated from tui/actions.h; "terminal too small". */
#include "tui/frame.h"

#include <stdio.h>
#include <string.h>

static void banner(struct app *a, int y, const char *marking)
{
	int w = tui_text_width(marking, a->cols);
	int x = (a->cols - w) / 2;

	tui_fill(y, 0, a->cols, a->style[ST_BANNER]);
	tui_text(y, x < 0 ? 0 : x, a->cols, marking, a->style[ST_BANNER], 0);
}

/* Full titles when they fit, else short ones, else numbers alone. */
static void tab_bar(struct app *a, int y)
{
	int x = 0;

	tui_fill(y, 0, a->cols, a->style[ST_TAB]);
	for (int form = 0; form < 3; form++) {
		int need = 0;
		for (size_t i = 0; i < tui_nscreens; i++) {
			const char *t = form == 0 ? tui_screens[i]->title
				      : form == 1 ? tui_screens[i]->short_title : "";
			/* " 1 Title " and, with full titles, a space between tabs */
			need += (*t ? 4 : 3) + (int)strlen(t) + (form == 0);
		}
		if (need > a->cols && form < 2)
			continue;
		for (size_t i = 0; i < tui_nscreens && x < a->cols; i++) {
			char label[CF_PHRASE_LEN];
			const char *t = form == 0 ? tui_screens[i]->title
				      : form == 1 ? tui_screens[i]->short_title : "";
			snprintf(label, sizeof(label), " %zu%s%s ", (i + 1) % 10, *t ? " " : "", t);
			x += tui_text(y, x, a->cols - x, label,
				      a->style[i == a->cur ? ST_TAB_ACTIVE : ST_TAB], 0);
			if (x < a->cols && form == 0)
				x++;
		}
		break;
	}
}

static void status_line(struct app *a, int y)
{
	char right[CF_PHRASE_LEN] = "";
	const struct screen_ops *ops = tui_screens[a->cur];
	int rw;

	tui_fill(y, 0, a->cols, A_NORMAL);
	if (a->mode == MODE_PROMPT) {
		int lw = tui_text(y, 0, a->cols, a->prompt_label, A_BOLD, 0);
		a->cursor_x = le_draw(&a->prompt, y, lw, a->cols - lw, A_NORMAL);
		a->cursor_y = y;
		return;
	}
	if (a->mode == MODE_CONFIRM) {
		/* The question may be cut; the answer keys never are. */
		int w = tui_text(y, 0, a->cols - 6, a->confirm_text, a->style[ST_ERROR], 0);
		tui_text(y, w, 6, " (y/n)", a->style[ST_ERROR], 0);
		return;
	}
	if (ops->status && a->mode == MODE_NORMAL)
		ops->status(a, a->priv[a->cur], right, sizeof(right));
	rw = (int)strlen(right);
	if (a->msg[0])
		tui_text(y, 0, a->cols - rw - 1, a->msg,
			 a->msg_error ? a->style[ST_ERROR] : A_NORMAL, 0);
	else
		tui_text(y, 0, a->cols - rw - 1,
			 a->mode == MODE_FORM ? "Enter save  Tab next  C-e $EDITOR  Esc cancel"
			 : ops->hints	      ? ops->hints
					      : "? help  : command  q back",
			 a->style[ST_DIM], 0);
	tui_text(y, a->cols - rw, rw, right, A_NORMAL, 0);
}

/* The help lines, generated: a context title, then "keys  help" for each of its actions.
 * Line I into BUF; 0 past the end, 1 for a title, 2 for an action. */
static int help_line(int i, char *buf, size_t len)
{
	static const enum tui_context order[] = {
		CTX_LIST, CTX_MAIN, CTX_FORM, CTX_EDIT, CTX_PROMPT, CTX_CONFIRM,
	};
	int n = 0;

	for (size_t c = 0; c < sizeof(order) / sizeof(order[0]); c++) {
		if (n++ == i) {
			cf_strlcpy(buf, tui_context_title(order[c]), len);
			return 1;
		}
		for (int k = 0; tui_action_at(k); k++) {
			const struct tui_action_info *ai = tui_action_at(k);
			if (ai->ctx != order[c])
				continue;
			if (n++ == i) {
				snprintf(buf, len, "  %-16s %s", ai->keys, ai->help);
				return 2;
			}
		}
		if (n++ == i) {
			buf[0] = '\0';
			return 2;
		}
	}
	return 0;
}

static void help_draw(struct app *a, const struct area *ar)
{
	char line[CF_PHRASE_LEN];

	tui_text(ar->top, 0, ar->width, "Keys (q or Esc closes; j/k and pages scroll)",
		 a->style[ST_HEADER], 1);
	for (int y = 1; y < ar->height; y++) {
		int kind = help_line(a->help_top + y - 1, line, sizeof(line));
		if (!kind)
			break;
		tui_text(ar->top + y, 0, ar->width, line,
			 kind == 1 ? a->style[ST_HEADER] : A_NORMAL, 1);
	}
}

void help_key(struct app *a, int key)
{
	enum tui_action act = tui_action_for(CTX_MAIN, key);
	char line[CF_PHRASE_LEN];
	int page = a->content.height - 2, last = 0;

	while (help_line(last, line, sizeof(line)))
		last++;
	switch (act) {
	case ACT_DOWN: a->help_top++; break;
	case ACT_UP: a->help_top--; break;
	case ACT_PAGE_DOWN: a->help_top += page; break;
	case ACT_PAGE_UP: a->help_top -= page; break;
	case ACT_FIRST: a->help_top = 0; break;
	case ACT_LAST: a->help_top = last; break;
	case ACT_BACK: case ACT_HELP: case ACT_QUIT:
		a->mode = MODE_NORMAL;
		return;
	default:
		if (key == 27)
			a->mode = MODE_NORMAL;
		return;
	}
	if (a->help_top > last - page)
		a->help_top = last - page;
	if (a->help_top < 0)
		a->help_top = 0;
}

static void too_small(struct app *a)
{
	char msg[CF_PHRASE_LEN];
	snprintf(msg, sizeof(msg), "terminal too small: %dx%d, casefile needs %dx%d", a->cols,
		 a->rows, TUI_MIN_COLS, TUI_MIN_ROWS);
	int w = (int)strlen(msg) < a->cols ? (int)strlen(msg) : a->cols;
	tui_text(a->rows / 2, (a->cols - w) / 2, a->cols, msg, A_BOLD, 0);
}

void frame_draw(struct app *a)
{
	const char *marking = cf_record_get(&a->kase, "marking");
	int y = 0, bottom;

	getmaxyx(stdscr, a->rows, a->cols);
	erase();
	a->cursor_y = -1;
	if (a->cols < TUI_MIN_COLS || a->rows < TUI_MIN_ROWS) {
		too_small(a);
	} else {
		/* A view's read-only reason is the time-travel banner's to say. */
		const char *ro = a->live ? store_read_only(a->live) : store_read_only(a->s);
		char top[CF_LINE_LEN];
		bottom = a->rows - 1;
		/* A read-only case says so on top, with why: its writes all fail. */
		snprintf(top, sizeof(top), "%s%s%s%s", marking ? marking : "",
			 marking && *marking && ro ? "  |  " : "", ro ? "READ-ONLY: " : "",
			 ro ? ro : "");
		if (*top) {
			banner(a, 0, top);
			y = 1;
		}
		if (marking && *marking) {
			banner(a, a->rows - 1, marking);
			bottom--;
		}
		/* At a past moment, a second banner on every screen says which and how to return. */
		tui_travel_banner(a, top, sizeof(top));
		if (*top) {
			tui_fill(y, 0, a->cols, a->style[ST_TRAVEL]);
			tui_text(y, 0, a->cols, top, a->style[ST_TRAVEL], 0);
			y++;
		}
		tab_bar(a, y);
		a->content.top = y + 1;
		a->content.height = bottom - y - 1;
		a->content.width = a->cols;
		if (a->mode == MODE_HELP) {
			help_draw(a, &a->content);
		} else {
			tui_screens[a->cur]->draw(a, a->priv[a->cur], &a->content);
			if (a->form && (a->mode == MODE_FORM || a->mode == MODE_CONFIRM))
				form_draw(a, a->form);
		}
		status_line(a, bottom);
	}
	if (a->cursor_y >= 0) {
		curs_set(1);
		move(a->cursor_y, a->cursor_x);
	} else {
		curs_set(0);
	}
	wnoutrefresh(stdscr);
	doupdate();
}
