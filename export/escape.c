/* escape.c — case text is untrusted (typed in a hurry, imported from attackers' logs): every
 * format gets it through here, so it reads as text and never as markup, a formula or a
 * control sequence. */
#include "export/internal.h"

#include <stdlib.h>
#include <string.h>

#define REPLACEMENT "\xEF\xBF\xBD" /* U+FFFD */

char *x_clean(const char *text, int flags)
{
	const unsigned char *p = (const unsigned char *)(text ? text : "");
	size_t cap = strlen((const char *)p) * 3 + 1, n = 0;
	char *out = xmalloc(cap);
	int32_t cp;

	while (*p) {
		int len = cf_text_decode((const char *)p, &cp);
		/* What may show is the text module's one rule; tab, newline and CR are kept
		 * for the formats to deal with below. */
		if (len == 0 || (cf_text_class(cp) != CF_TEXT_SHOWN && cp != '\n' && cp != '\t' &&
				 cp != '\r')) {
			memcpy(out + n, REPLACEMENT, 3);
			n += 3;
			p += len ? len : 1;
			continue;
		}
		if (cp == '\r') {
			p++; /* CRLF reads as LF; a lone CR as nothing */
			continue;
		}
		if ((cp == '\n' && !(flags & CLEAN_KEEP_NL)) ||
		    (cp == '\t' && (flags & CLEAN_INLINE)))
			out[n++] = ' ';
		else {
			memcpy(out + n, p, (size_t)len);
			n += (size_t)len;
		}
		p += len;
	}
	out[n] = '\0';
	if (flags & CLEAN_INLINE) {
		size_t start = 0;
		while (n > 0 && out[n - 1] == ' ')
			out[--n] = '\0';
		while (out[start] == ' ')
			start++;
		memmove(out, out + start, n - start + 1);
	}
	return out;
}

/* ASCII punctuation that can begin or end Markdown syntax anywhere in a line. */
static int md_special(char c)
{
	return c && strchr("\\`*_[]<>&|~!#", c) != NULL;
}

/* Escapes one line's text; the first character also for what starts a block. */
static void md_line(FILE *out, const char *p)
{
	const char *q = p;

	/* "1." or "1)" at the start would begin an ordered list. */
	while (*q >= '0' && *q <= '9')
		q++;
	if (q > p && (*q == '.' || *q == ')')) {
		fwrite(p, 1, (size_t)(q - p), out);
		fputc('\\', out);
		p = q;
	} else if (*p && strchr("-+=", *p)) { /* ">" and "#" are escaped below */
		fputc('\\', out);
	}
	for (; *p; p++) {
		if (md_special(*p))
			fputc('\\', out);
		fputc(*p, out);
	}
}

void md_inline(FILE *out, const char *text)
{
	char *t = x_clean(text, CLEAN_INLINE);
	md_line(out, t);
	free(t);
}

void md_block(FILE *out, const char *text)
{
	char *t = x_clean(text, CLEAN_KEEP_NL | CLEAN_INLINE), *line, *save = NULL;
	int blank = 0, first = 1;

	/* Lines are trimmed so indentation never makes a code block; blank lines stay
	 * paragraph breaks. */
	for (line = t; line; line = save) {
		char *nl = strchr(line, '\n');
		save = nl ? nl + 1 : NULL;
		if (nl)
			*nl = '\0';
		while (*line == ' ')
			line++;
		for (size_t n = strlen(line); n > 0 && line[n - 1] == ' ';)
			line[--n] = '\0';
		if (!*line) {
			blank = 1;
			continue;
		}
		if (!first)
			fputs(blank ? "\n\n" : "\n", out);
		md_line(out, line);
		first = blank = 0;
	}
	free(t);
}

void html_text(FILE *out, const char *text)
{
	char *t = x_clean(text, 0);
	for (const char *p = t; *p; p++) {
		switch (*p) {
		case '&': fputs("&amp;", out); break;
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '"': fputs("&quot;", out); break;
		case '\'': fputs("&#39;", out); break;
		default: fputc(*p, out);
		}
	}
	free(t);
}

void csv_cell(FILE *out, const char *text)
{
	char *t = x_clean(text, CLEAN_KEEP_NL);
	/* A spreadsheet runs a cell starting with one of these as a formula: a leading
	 * apostrophe makes it text (OWASP's advice), and the cell is quoted. */
	int formula = t[0] && strchr("=+-@\t", t[0]) != NULL;
	int quote = formula || strpbrk(t, ",\"\n") != NULL ||
		    (t[0] && (t[0] == ' ' || t[strlen(t) - 1] == ' '));

	if (quote)
		fputc('"', out);
	if (formula)
		fputc('\'', out);
	for (const char *p = t; *p; p++) {
		if (*p == '"')
			fputc('"', out);
		fputc(*p, out);
	}
	if (quote)
		fputc('"', out);
	free(t);
}
