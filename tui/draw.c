/* draw.c — putting untrusted case text on the screen: sanitized and measured one character at a
 * time by the text module (store/text.h), so the TUI hides exactly what the CLI and the exports
 * hide and columns stay aligned; and styles. */
#include "tui/tui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

/* The next displayable unit of TEXT as wide characters for ncurses: *WS and its width. */
struct unit {
	wchar_t ws[CF_TEXT_UNIT_MAX];
	int nws;
	int width;
	int escaped;
	size_t bytes;
};

/* Makes U show the ASCII escape ESC instead of its character. */
static void show_escape(struct unit *u, const char *esc)
{
	int n;
	for (n = 0; esc[n] && n < CF_TEXT_UNIT_MAX - 1; n++)
		u->ws[n] = (wchar_t)esc[n];
	u->nws = n;
	u->width = n;
	u->escaped = 1;
}

static void next_unit(const char *text, struct unit *u)
{
	struct cf_text_unit t;
	mbstate_t mb;
	const char *p;
	size_t n;

	u->bytes = cf_text_next(text, &t);
	u->nws = 0;
	u->width = t.width;
	u->escaped = t.escaped;
	if (!u->bytes)
		return;
	p = t.s;
	memset(&mb, 0, sizeof(mb));
	n = mbsrtowcs(u->ws, &p, CF_TEXT_UNIT_MAX - 1, &mb);
	if (n == (size_t)-1 || n == 0) {
		/* A locale that cannot show it: its code point instead. */
		char esc[CF_TEXT_UNIT_MAX];
		snprintf(esc, sizeof(esc), "<U+%04X>", (unsigned)t.cp);
		show_escape(u, esc);
		return;
	}
	u->nws = (int)n;
	/* ncurses places the character by the C library's width: one that this C library does not
	 * know yet (a newer Unicode than its own) is shown as its code point, so what ncurses
	 * draws and what was measured here agree. */
	if (!t.escaped && wcwidth(u->ws[0]) != t.width) {
		char esc[CF_TEXT_UNIT_MAX];
		snprintf(esc, sizeof(esc), "<U+%04X>", (unsigned)t.cp);
		show_escape(u, esc);
	}
}

int tui_text(int y, int x, int width, const char *text, attr_t attr, int pad)
{
	struct unit u;
	int used = 0;

	if (width <= 0)
		return 0;
	move(y, x);
	for (text = text ? text : ""; *text; text += u.bytes) {
		next_unit(text, &u);
		if (!u.bytes || used + u.width > width)
			break;
		if (u.width == 0 && used == 0)
			continue; /* a combining mark with nothing to combine with */
		attrset(u.escaped ? (attr | A_BOLD) : attr);
		addnwstr(u.ws, u.nws);
		used += u.width;
	}
	attrset(attr);
	for (; pad && used < width; used++)
		addch(' ');
	attrset(A_NORMAL);
	return used;
}

int tui_text_width(const char *text, int max)
{
	struct unit u;
	int used = 0;

	for (text = text ? text : ""; *text && used < max; text += u.bytes) {
		next_unit(text, &u);
		if (!u.bytes)
			break;
		used += u.width;
	}
	return used;
}

void tui_fill(int y, int x, int width, attr_t attr)
{
	tui_text(y, x, width, "", attr, 1);
}

/* Bytes of the longest prefix of TEXT (up to END) that fits in WIDTH cells, broken after a
 * space when there is one. */
static size_t fit_prefix(const char *text, const char *end, int width)
{
	struct unit u;
	size_t n = 0, last_space = 0;
	int used = 0;

	while (text + n < end) {
		next_unit(text + n, &u);
		if (!u.bytes || used + u.width > width)
			break;
		used += u.width;
		n += u.bytes;
		if (text[n - 1] == ' ')
			last_space = n;
	}
	if (text + n < end && last_space > 0)
		return last_space;
	return n ? n : (size_t)(end - text > 0 ? 1 : 0);
}

size_t tui_text_fit(const char *text, const char *end, int width)
{
	return fit_prefix(text, end, width);
}

int tui_wrap(int y, int x, int width, int rows, const char *text, attr_t attr)
{
	int line = 0;

	if (!text)
		return 0;
	while (line < rows && *text) {
		const char *nl = strchr(text, '\n');
		const char *end = nl ? nl : text + strlen(text);
		size_t n = fit_prefix(text, end, width);
		char *piece = xstrndup(text, n);
		if (!piece)
			return line;
		tui_text(y + line, x, width, piece, attr, 0);
		free(piece);
		line++;
		text += n;
		if (text == end && nl)
			text++;
	}
	return line;
}

void tui_when_text(const char *value, char *buf, size_t len)
{
	const char *slash = value ? strchr(value, '/') : NULL;

	if (!value)
		snprintf(buf, len, "-");
	else if (slash)
		snprintf(buf, len, "%.*s..%s", (int)(slash - value), value, slash + 1);
	else
		cf_strlcpy(buf, value, len);
}

void tui_duration(int64_t secs, char *buf, size_t len)
{
	int64_t s = secs < 0 ? -secs : secs;

	if (s >= 86400)
		snprintf(buf, len, "%lldd %02lldh", (long long)(s / 86400),
			 (long long)(s % 86400 / 3600));
	else if (s >= 3600)
		snprintf(buf, len, "%lldh %02lldm", (long long)(s / 3600),
			 (long long)(s % 3600 / 60));
	else
		snprintf(buf, len, "%lldm %02llds", (long long)(s / 60), (long long)(s % 60));
}

/* With NO_COLOR (set and not empty) or a terminal without colors, attributes alone must carry
 * every distinction: reverse for the banner, tabs and cursor; bold for headers and alerts. */
void tui_styles_init(struct app *a)
{
	const char *nc = getenv("NO_COLOR");
	attr_t *st = a->style;

	a->color = !(nc && *nc) && has_colors();
	st[ST_NORMAL] = A_NORMAL;
	st[ST_BANNER] = A_REVERSE | A_BOLD;
	st[ST_TAB] = A_NORMAL;
	st[ST_TAB_ACTIVE] = A_REVERSE | A_BOLD;
	st[ST_HEADER] = A_BOLD | A_UNDERLINE;
	st[ST_CURSOR] = A_REVERSE;
	st[ST_DIM] = A_DIM;
	st[ST_OVERDUE] = A_BOLD;
	st[ST_SOON] = A_BOLD;
	st[ST_OK] = A_NORMAL;
	st[ST_ERROR] = A_BOLD;
	st[ST_ESCAPE] = A_BOLD;
	/* Without color the diff still reads: +/- prefixes, and added lines bold. */
	st[ST_DIFF_FILE] = A_BOLD | A_UNDERLINE;
	st[ST_DIFF_HUNK] = A_DIM;
	st[ST_DIFF_ADD] = A_BOLD;
	st[ST_DIFF_DEL] = A_NORMAL;
	st[ST_TRAVEL] = A_REVERSE;
	if (!a->color)
		return;
	start_color();
	use_default_colors();
	init_pair(1, COLOR_WHITE, COLOR_RED);
	init_pair(2, COLOR_RED, -1);
	init_pair(3, COLOR_YELLOW, -1);
	init_pair(4, COLOR_GREEN, -1);
	init_pair(5, COLOR_CYAN, -1);
	init_pair(6, COLOR_BLACK, COLOR_CYAN);
	init_pair(7, COLOR_BLACK, COLOR_YELLOW);
	st[ST_TRAVEL] = COLOR_PAIR(7) | A_BOLD;
	st[ST_BANNER] = COLOR_PAIR(1) | A_BOLD;
	st[ST_TAB_ACTIVE] = COLOR_PAIR(6) | A_BOLD;
	st[ST_HEADER] = COLOR_PAIR(5) | A_BOLD;
	st[ST_OVERDUE] = COLOR_PAIR(2) | A_BOLD;
	st[ST_SOON] = COLOR_PAIR(3) | A_BOLD;
	st[ST_OK] = COLOR_PAIR(4);
	st[ST_ERROR] = COLOR_PAIR(2) | A_BOLD;
	st[ST_DIFF_HUNK] = COLOR_PAIR(5);
	st[ST_DIFF_ADD] = COLOR_PAIR(4);
	st[ST_DIFF_DEL] = COLOR_PAIR(2);
}
