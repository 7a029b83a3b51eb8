/* safeout.c — untrusted text (typed by people, imported from attackers' logs) made safe for
 * a terminal: nothing in it can move the cursor, clear the screen or retitle the window. */
#include "tui/cli/cli.h"

#include <stdio.h>
#include <string.h>

/* Length of a valid UTF-8 sequence at P, its code point in *CP; 0 when invalid. */
static int utf8_decode(const unsigned char *p, unsigned *cp)
{
	int n;
	unsigned c = p[0];

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if ((c & 0xE0) == 0xC0) {
		n = 2;
		c &= 0x1F;
	} else if ((c & 0xF0) == 0xE0) {
		n = 3;
		c &= 0x0F;
	} else if ((c & 0xF8) == 0xF0) {
		n = 4;
		c &= 0x07;
	} else {
		return 0;
	}
	for (int i = 1; i < n; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (p[i] & 0x3F);
	}
	if ((n == 2 && c < 0x80) || (n == 3 && c < 0x800) || (n == 4 && c < 0x10000) ||
	    c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0; /* overlong or not a scalar value */
	*cp = c;
	return n;
}

/* Code points that reorder or hide text: bidi embeddings, overrides and isolates. */
static int is_bidi_control(unsigned cp)
{
	return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) ||
	       cp == 0x200E || cp == 0x200F || cp == 0x061C;
}

size_t cf_safe_unit(const char *text, char out[16], int *escaped)
{
	const unsigned char *p = (const unsigned char *)text;
	unsigned cp;
	int n;

	*escaped = 0;
	out[0] = '\0';
	if (!*p)
		return 0;
	if ((n = utf8_decode(p, &cp)) == 0) {
		snprintf(out, 16, "\\x%02X", *p);
		*escaped = 1;
		return 1;
	}
	if (cp == '\t') {
		strcpy(out, " ");
	} else if (cp < 0x20 || cp == 0x7F) {
		snprintf(out, 16, "^%c", cp == 0x7F ? '?' : (char)(cp + 64));
		*escaped = 1;
	} else if ((cp >= 0x80 && cp < 0xA0) || is_bidi_control(cp)) {
		snprintf(out, 16, "<U+%04X>", cp);
		*escaped = 1;
	} else {
		memcpy(out, p, (size_t)n);
		out[n] = '\0';
	}
	return (size_t)n;
}

void cli_put_safe(FILE *out, const char *text)
{
	char unit[16];
	int escaped;
	size_t n;

	for (text = text ? text : ""; (n = cf_safe_unit(text, unit, &escaped)) > 0; text += n)
		fputs(unit, out);
}

void cli_put_id(FILE *out, const char *id)
{
	fprintf(out, "%.*s", CF_SHORT_ID, id);
}
