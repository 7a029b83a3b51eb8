/* lineedit.c — one line of UTF-8 text being typed (form fields, the command line, searches):
 * insert, delete and move by whole characters, drawn scrolled so the cursor shows. */
#include "tui/tui.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

static void le_reserve(struct lineedit *le, size_t need)
{
	if (need + 1 <= le->cap)
		return;
	size_t cap = le->cap ? le->cap : 64;
	while (cap < need + 1)
		cap *= 2;
	le->buf = xrealloc(le->buf, cap);
	le->cap = cap;
}

void le_init(struct lineedit *le, const char *text)
{
	memset(le, 0, sizeof(*le));
	le_set(le, text);
}

void le_release(struct lineedit *le)
{
	free(le->buf);
	memset(le, 0, sizeof(*le));
}

void le_set(struct lineedit *le, const char *text)
{
	size_t n = text ? strlen(text) : 0;
	le_reserve(le, n);
	if (n)
		memcpy(le->buf, text, n);
	le->buf[n] = '\0';
	le->len = n;
	le->cur = n;
}

static size_t prev_char(const struct lineedit *le, size_t at)
{
	return at == 0 ? 0 : cf_text_floor(le->buf, at - 1);
}

static size_t next_char(const struct lineedit *le, size_t at)
{
	return at >= le->len ? le->len : cf_text_ceil(le->buf, le->len, at + 1);
}

static void delete_range(struct lineedit *le, size_t from, size_t to)
{
	memmove(le->buf + from, le->buf + to, le->len - to + 1);
	le->len -= to - from;
	le->cur = from;
}

/* Typed text takes what may be shown only (the text module's rule): controls, bidi and
 * invisible characters never enter.  Curses keys (KEY_*) are not characters. */
static int insertable(int key)
{
	return !(key & 0x200000) && cf_text_class(key) == CF_TEXT_SHOWN;
}

int le_key(struct lineedit *le, enum tui_action act, int key)
{
	char mb[MB_LEN_MAX];
	mbstate_t st;
	size_t n;

	switch (act) {
	case ACT_EDIT_LEFT:
		le->cur = prev_char(le, le->cur);
		return 1;
	case ACT_EDIT_RIGHT:
		le->cur = next_char(le, le->cur);
		return 1;
	case ACT_EDIT_HOME:
		le->cur = 0;
		return 1;
	case ACT_EDIT_END:
		le->cur = le->len;
		return 1;
	case ACT_EDIT_BACKSPACE:
		if (le->cur > 0)
			delete_range(le, prev_char(le, le->cur), le->cur);
		return 1;
	case ACT_EDIT_DELETE:
		if (le->cur < le->len)
			delete_range(le, le->cur, next_char(le, le->cur));
		return 1;
	case ACT_EDIT_CLEAR:
		le_set(le, "");
		return 1;
	default:
		break;
	}
	if (!insertable(key))
		return 0;
	memset(&st, 0, sizeof(st));
	n = wcrtomb(mb, (wchar_t)key, &st);
	if (n == (size_t)-1)
		return 0;
	le_reserve(le, le->len + n);
	memmove(le->buf + le->cur + n, le->buf + le->cur, le->len - le->cur + 1);
	memcpy(le->buf + le->cur, mb, n);
	le->len += n;
	le->cur += n;
	return 1;
}

void le_paste(struct lineedit *le, const char *text, int keep_lines)
{
	mbstate_t st;
	int in_break = 0;

	memset(&st, 0, sizeof(st));
	for (const char *p = text; *p;) {
		wchar_t wc;
		size_t n = mbrtowc(&wc, p, strlen(p), &st);
		if (n == (size_t)-1 || n == (size_t)-2) {
			memset(&st, 0, sizeof(st));
			p++; /* not text in this locale: left out, as a typed one would be */
			continue;
		}
		p += n;
		if (wc == L'\r' || wc == L'\n') {
			if (keep_lines && wc == L'\n') {
				le_reserve(le, le->len + 1);
				memmove(le->buf + le->cur + 1, le->buf + le->cur, le->len - le->cur + 1);
				le->buf[le->cur] = '\n';
				le->len++;
				le->cur++;
			} else if (!keep_lines && !in_break && le->cur > 0) {
				le_key(le, ACT_NONE, ' ');
			}
			in_break = 1;
			continue;
		}
		in_break = 0;
		le_key(le, ACT_NONE, wc == L'\t' ? ' ' : (int)wc);
	}
}

int le_draw(struct lineedit *le, int y, int x, int width, attr_t attr)
{
	size_t start = 0;
	char save;
	int before;

	if (width < 2)
		return x;
	/* Scroll by whole characters until the text before the cursor leaves room for it. */
	for (;;) {
		save = le->buf[le->cur];
		le->buf[le->cur] = '\0';
		before = tui_text_width(le->buf + start, width + 8);
		le->buf[le->cur] = save;
		if (before < width || start >= le->cur)
			break;
		start = next_char(le, start);
	}
	tui_text(y, x, width, le->buf + start, attr, 1);
	return x + (before < width ? before : width - 1);
}
