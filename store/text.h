/* text.h — the one home of the rules for untrusted text (typed in a hurry, imported from
 * attackers' logs): UTF-8 decoding, display width, and the one definition of which code points
 * are hidden or dangerous.  The store, every export, the CLI and the TUI ask here; the Unicode
 * data is libutf8proc's.  Each reader renders a hidden code point its own way (the terminal
 * shows an escape such as "^[" or "<U+202E>", a document U+FFFD, JSON a \u escape), but which
 * code points those are is decided only by cf_text_class. */
#ifndef CASEFILE_STORE_TEXT_H
#define CASEFILE_STORE_TEXT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* What a code point is to a reader.  Only CF_TEXT_SHOWN may reach a terminal or a document as
 * itself; tab and newline are CF_TEXT_C0 (the callers that keep them say so). */
enum cf_text_class {
	CF_TEXT_SHOWN = 0,
	CF_TEXT_C0,         /* U+0000-001F and DEL: move the cursor, ring, start escapes */
	CF_TEXT_C1,         /* U+0080-009F: CSI (U+009B) starts an escape on many terminals */
	CF_TEXT_BIDI,       /* embeddings, overrides, isolates and marks: reorder what is seen */
	CF_TEXT_INVISIBLE,  /* other format characters (zero-width space and joiners, U+FEFF,
			     * soft hyphen, tags), line and paragraph separators, and the other
			     * default-ignorable code points but the variation selectors 1-16 */
	CF_TEXT_PRIVATE,    /* private use: no agreed meaning, a font may draw anything */
	CF_TEXT_UNASSIGNED, /* unassigned in libutf8proc's Unicode version, noncharacters */
	CF_TEXT_INVALID,    /* not a Unicode scalar value (surrogates, above U+10FFFF) */
};

/* The class of code point CP. */
enum cf_text_class cf_text_class(int32_t cp);
/* A short name of CLASS ("bidi control"), for messages and tests. */
const char *cf_text_class_name(enum cf_text_class cls);
/* Terminal cells CP takes when shown: 0 (combining marks), 1 or 2 (East Asian wide); 0 for a
 * code point that is not CF_TEXT_SHOWN. */
int cf_text_cp_width(int32_t cp);
/* The Unicode version of the tables ("15.0.0"). */
const char *cf_text_unicode_version(void);

/* Bytes of the valid UTF-8 sequence at P (NUL-terminated; a NUL byte is one byte, code point
 * 0), its code point in *CP; 0 when P does not start a valid sequence (overlong, surrogate,
 * above U+10FFFF, cut short), *CP then -1. */
int cf_text_decode(const char *p, int32_t *cp);
/* 1 when S is entirely valid UTF-8. */
int cf_text_valid(const char *s);
/* A copy of S with each byte that starts no valid sequence replaced by U+FFFD (malloc'd), or
 * NULL when out of memory. */
char *cf_text_fix(const char *s);

/* Character boundaries, for cursors and cuts: the largest boundary at or before byte AT of S,
 * and the smallest at or after it (LEN, S's length, at most). */
size_t cf_text_floor(const char *s, size_t at);
size_t cf_text_ceil(const char *s, size_t len, size_t at);

/* One unit of text made safe for a terminal: the character at the text, or its visible escape
 * ("^[" for C0 and DEL, "<U+202E>" for the other hidden classes, "\xFF" for a byte of invalid
 * UTF-8); a tab is one space. */
#define CF_TEXT_UNIT_MAX 16
struct cf_text_unit {
	char s[CF_TEXT_UNIT_MAX]; /* NUL-terminated */
	size_t bytes;             /* of the text consumed; 0 at its end */
	int width;                /* terminal cells of S */
	int escaped;              /* S is an escape, not the text's own character */
	int32_t cp;               /* the code point read, -1 for invalid UTF-8 */
};
/* Fills *U from the start of TEXT; returns U->bytes (0 at the end of TEXT). */
size_t cf_text_next(const char *text, struct cf_text_unit *u);
/* Writes untrusted TEXT (NULL as "") for a terminal, each unit as cf_text_next renders it;
 * returns the terminal cells written (for padding a column). */
int cf_text_put_safe(FILE *out, const char *text);
/* printf-style, the whole formatted message rendered by cf_text_put_safe. */
void cf_text_printf_safe(FILE *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void cf_text_vprintf_safe(FILE *out, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

#endif
