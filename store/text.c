/* text.c — the one definition of what untrusted text may show (see text.h): decoding and
 * classes from libutf8proc's Unicode tables, never from tables written here. */
#include "store/text.h"
#include "store/internal.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* Bidi_Control=Yes (Unicode's PropList.txt): reorders the text around it. */
static int is_bidi_control(int32_t cp)
{
	return cp == 0x061C || cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) ||
	       (cp >= 0x2066 && cp <= 0x2069);
}

enum cf_text_class cf_text_class(int32_t cp)
{
	const utf8proc_property_t *prop;

	if (cp < 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return CF_TEXT_INVALID;
	if (cp < 0x20 || cp == 0x7F)
		return CF_TEXT_C0;
	if (cp < 0x7F)
		return CF_TEXT_SHOWN; /* printable ASCII, without a table lookup */
	if (cp < 0xA0)
		return CF_TEXT_C1;
	if (is_bidi_control(cp))
		return CF_TEXT_BIDI;
	prop = utf8proc_get_property(cp);
	switch (prop->category) {
	case UTF8PROC_CATEGORY_CN:
		return CF_TEXT_UNASSIGNED;
	case UTF8PROC_CATEGORY_CO:
		return CF_TEXT_PRIVATE;
	case UTF8PROC_CATEGORY_CF:
	case UTF8PROC_CATEGORY_ZL:
	case UTF8PROC_CATEGORY_ZP:
		return CF_TEXT_INVISIBLE;
	default:
		break;
	}
	/* Default-ignorable letters and marks draw nothing (Hangul fillers, the combining
	 * grapheme joiner, variation selectors 17-256 that can smuggle bytes).  Variation
	 * selectors 1-16 stay: emoji and CJK text need them, and they only modify the
	 * character before them. */
	if (prop->ignorable && !(cp >= 0xFE00 && cp <= 0xFE0F))
		return CF_TEXT_INVISIBLE;
	return CF_TEXT_SHOWN;
}

const char *cf_text_class_name(enum cf_text_class cls)
{
	static const char *const names[] = {
		[CF_TEXT_SHOWN] = "shown",
		[CF_TEXT_C0] = "C0 control",
		[CF_TEXT_C1] = "C1 control",
		[CF_TEXT_BIDI] = "bidi control",
		[CF_TEXT_INVISIBLE] = "invisible",
		[CF_TEXT_PRIVATE] = "private use",
		[CF_TEXT_UNASSIGNED] = "unassigned",
		[CF_TEXT_INVALID] = "invalid",
	};
	return (unsigned)cls < sizeof(names) / sizeof(names[0]) ? names[cls] : "?";
}

int cf_text_cp_width(int32_t cp)
{
	if (cf_text_class(cp) != CF_TEXT_SHOWN)
		return 0;
	return utf8proc_charwidth(cp);
}

const char *cf_text_unicode_version(void)
{
	return utf8proc_unicode_version();
}

int cf_text_decode(const char *p, int32_t *cp)
{
	utf8proc_ssize_t n;

	if ((unsigned char)*p < 0x80) { /* ASCII, most of every text: no call into the library */
		*cp = (unsigned char)*p;
		return 1;
	}
	/* A length of -1: utf8proc reads at most 4 bytes and stops at the first byte that is
	 * not a continuation byte, so never past the string's NUL. */
	n = utf8proc_iterate((const utf8proc_uint8_t *)p, -1, cp);
	if (n <= 0) {
		*cp = -1;
		return 0;
	}
	return (int)n;
}

int cf_text_valid(const char *s)
{
	int32_t cp;
	for (const char *p = s; *p;) {
		int n = cf_text_decode(p, &cp);
		if (!n)
			return 0;
		p += n;
	}
	return 1;
}

char *cf_text_fix(const char *s)
{
	struct strbuf b = STRBUF_INIT;
	int32_t cp;

	for (const char *p = s; *p;) {
		int n = cf_text_decode(p, &cp);
		if (n) {
			strbuf_add(&b, p, (size_t)n);
			p += n;
		} else {
			strbuf_add(&b, "\xEF\xBF\xBD", 3); /* U+FFFD */
			p++;
		}
	}
	return strbuf_detach(&b, NULL);
}

static int is_continuation(char c)
{
	return ((unsigned char)c & 0xC0) == 0x80;
}

size_t cf_text_floor(const char *s, size_t at)
{
	while (at > 0 && is_continuation(s[at]))
		at--;
	return at;
}

size_t cf_text_ceil(const char *s, size_t len, size_t at)
{
	while (at < len && is_continuation(s[at]))
		at++;
	return at < len ? at : len;
}

size_t cf_text_next(const char *text, struct cf_text_unit *u)
{
	int n;

	memset(u, 0, sizeof(*u));
	if (!text || !*text)
		return 0;
	n = cf_text_decode(text, &u->cp);
	if (n == 0) {
		snprintf(u->s, sizeof(u->s), "\\x%02X", (unsigned char)*text);
		u->escaped = 1;
		n = 1;
	} else if (u->cp == '\t') {
		strcpy(u->s, " ");
	} else {
		switch (cf_text_class(u->cp)) {
		case CF_TEXT_SHOWN:
			memcpy(u->s, text, (size_t)n);
			u->s[n] = '\0';
			u->width = utf8proc_charwidth(u->cp);
			u->bytes = (size_t)n;
			return u->bytes;
		case CF_TEXT_C0:
			u->s[0] = '^'; /* caret notation: ^[ for ESC, ^? for DEL */
			u->s[1] = u->cp == 0x7F ? '?' : (char)(u->cp + 64);
			u->s[2] = '\0';
			break;
		default:
			snprintf(u->s, sizeof(u->s), "<U+%04X>", (unsigned)u->cp);
			break;
		}
		u->escaped = 1;
	}
	u->width = (int)strlen(u->s); /* an escape is ASCII */
	u->bytes = (size_t)n;
	return u->bytes;
}

int cf_text_put_safe(FILE *out, const char *text)
{
	struct cf_text_unit u;
	int cells = 0;

	for (text = text ? text : ""; cf_text_next(text, &u) > 0; text += u.bytes) {
		fputs(u.s, out);
		cells += u.width;
	}
	return cells;
}

/* Formatted in a buffer on the stack when it fits, as almost every message does. */
#define SAFE_MSG_STACK 512

void cf_text_vprintf_safe(FILE *out, const char *fmt, va_list ap)
{
	char small[SAFE_MSG_STACK], *big = NULL;
	va_list again;
	int n;

	va_copy(again, ap);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	if (n >= 0 && (size_t)n >= sizeof(small) && (big = xmalloc((size_t)n + 1)))
		vsnprintf(big, (size_t)n + 1, fmt, again);
	va_end(again);
	if (n < 0)
		return;
	/* Out of memory for a long message: its first part, still made safe. */
	cf_text_put_safe(out, big ? big : small);
	free(big);
}

void cf_text_printf_safe(FILE *out, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	cf_text_vprintf_safe(out, fmt, ap);
	va_end(ap);
}
