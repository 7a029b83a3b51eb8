/* test_text.c — store/text.c, the one rule for untrusted text: code point classes, widths and
 * decoding from tables of cases; then every code point through each place that shows text (the
 * terminal rendering of the CLI and the TUI, the exports' cleaning, the TUI's line editor) to
 * prove they all hide exactly what cf_text_class hides. */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "export/internal.h"
#include "tui/tui.h"

static const struct {
	int32_t cp;
	enum cf_text_class cls;
	int width;        /* cells when shown */
	const char *term; /* what a terminal gets */
} classes[] = {
	{ 'a', CF_TEXT_SHOWN, 1, "a" },
	{ ' ', CF_TEXT_SHOWN, 1, " " },
	{ 0xE9, CF_TEXT_SHOWN, 1, "\xC3\xA9" },             /* é */
	{ 0xA0, CF_TEXT_SHOWN, 1, "\xC2\xA0" },             /* no-break space */
	{ 0x65E5, CF_TEXT_SHOWN, 2, "\xE6\x97\xA5" },       /* 日, wide */
	{ 0x1F600, CF_TEXT_SHOWN, 2, "\xF0\x9F\x98\x80" },  /* an emoji, wide */
	{ 0x0301, CF_TEXT_SHOWN, 0, "\xCC\x81" },           /* combining acute accent */
	{ 0xFE0F, CF_TEXT_SHOWN, 0, "\xEF\xB8\x8F" },       /* variation selector 16 (emoji) */
	{ 0xFFFD, CF_TEXT_SHOWN, 1, "\xEF\xBF\xBD" },       /* the replacement character */
	{ 0x1B, CF_TEXT_C0, 2, "^[" },                      /* ESC */
	{ 0x07, CF_TEXT_C0, 2, "^G" },                      /* BEL */
	{ 0x0A, CF_TEXT_C0, 2, "^J" },
	{ 0x00 + 0x7F, CF_TEXT_C0, 2, "^?" },               /* DEL */
	{ '\t', CF_TEXT_C0, 1, " " },                       /* a tab is one space */
	{ 0x9B, CF_TEXT_C1, 8, "<U+009B>" },                /* CSI */
	{ 0x85, CF_TEXT_C1, 8, "<U+0085>" },                /* next line */
	{ 0x202E, CF_TEXT_BIDI, 8, "<U+202E>" },            /* right-to-left override */
	{ 0x2066, CF_TEXT_BIDI, 8, "<U+2066>" },            /* left-to-right isolate */
	{ 0x200F, CF_TEXT_BIDI, 8, "<U+200F>" },            /* right-to-left mark */
	{ 0x061C, CF_TEXT_BIDI, 8, "<U+061C>" },            /* Arabic letter mark */
	{ 0x200B, CF_TEXT_INVISIBLE, 8, "<U+200B>" },       /* zero-width space */
	{ 0x200D, CF_TEXT_INVISIBLE, 8, "<U+200D>" },       /* zero-width joiner */
	{ 0x2060, CF_TEXT_INVISIBLE, 8, "<U+2060>" },       /* word joiner */
	{ 0xFEFF, CF_TEXT_INVISIBLE, 8, "<U+FEFF>" },       /* byte order mark */
	{ 0xAD, CF_TEXT_INVISIBLE, 8, "<U+00AD>" },         /* soft hyphen */
	{ 0x2028, CF_TEXT_INVISIBLE, 8, "<U+2028>" },       /* line separator */
	{ 0x2029, CF_TEXT_INVISIBLE, 8, "<U+2029>" },       /* paragraph separator */
	{ 0xE0041, CF_TEXT_INVISIBLE, 9, "<U+E0041>" },     /* tag letter A */
	{ 0x115F, CF_TEXT_INVISIBLE, 8, "<U+115F>" },       /* Hangul filler: a blank letter */
	{ 0x034F, CF_TEXT_INVISIBLE, 8, "<U+034F>" },       /* combining grapheme joiner */
	{ 0xE0100, CF_TEXT_INVISIBLE, 9, "<U+E0100>" },     /* variation selector 17 */
	{ 0xE000, CF_TEXT_PRIVATE, 8, "<U+E000>" },
	{ 0xF0000, CF_TEXT_PRIVATE, 9, "<U+F0000>" },
	{ 0x10FFFD, CF_TEXT_PRIVATE, 10, "<U+10FFFD>" },
	{ 0x0378, CF_TEXT_UNASSIGNED, 8, "<U+0378>" },
	{ 0xFFFF, CF_TEXT_UNASSIGNED, 8, "<U+FFFF>" },      /* noncharacters */
	{ 0xFDD0, CF_TEXT_UNASSIGNED, 8, "<U+FDD0>" },
	{ 0x10FFFF, CF_TEXT_UNASSIGNED, 10, "<U+10FFFF>" },
};

/* UTF-8 of CP into BUF (5 bytes), NUL-terminated; its length. */
static int encode(int32_t cp, char *buf)
{
	unsigned c = (unsigned)cp;
	int n;

	if (c < 0x80)
		buf[0] = (char)c, n = 1;
	else if (c < 0x800)
		buf[0] = (char)(0xC0 | c >> 6), buf[1] = (char)(0x80 | (c & 0x3F)), n = 2;
	else if (c < 0x10000)
		buf[0] = (char)(0xE0 | c >> 12), buf[1] = (char)(0x80 | ((c >> 6) & 0x3F)),
		buf[2] = (char)(0x80 | (c & 0x3F)), n = 3;
	else
		buf[0] = (char)(0xF0 | c >> 18), buf[1] = (char)(0x80 | ((c >> 12) & 0x3F)),
		buf[2] = (char)(0x80 | ((c >> 6) & 0x3F)),
		buf[3] = (char)(0x80 | (c & 0x3F)), n = 4;
	buf[n] = '\0';
	return n;
}

static void test_each_class_its_rendering(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(classes) / sizeof(classes[0]); i++) {
		char text[8];
		struct cf_text_unit u;
		int n = encode(classes[i].cp, text);

		if (cf_text_class(classes[i].cp) != classes[i].cls)
			fail_msg("U+%04X: class %s, want %s", (unsigned)classes[i].cp,
				 cf_text_class_name(cf_text_class(classes[i].cp)),
				 cf_text_class_name(classes[i].cls));
		assert_int_equal(cf_text_next(text, &u), (size_t)n);
		assert_int_equal(u.cp, classes[i].cp);
		assert_string_equal(u.s, classes[i].term);
		assert_int_equal(u.width, classes[i].width);
		assert_int_equal(u.escaped,
				 classes[i].cls != CF_TEXT_SHOWN && classes[i].cp != '\t');
		assert_int_equal(cf_text_cp_width(classes[i].cp),
				 classes[i].cls == CF_TEXT_SHOWN ? classes[i].width : 0);
	}
}

static void test_invalid_code_points(void **state)
{
	(void)state;
	assert_int_equal(cf_text_class(-1), CF_TEXT_INVALID);
	assert_int_equal(cf_text_class(0xD800), CF_TEXT_INVALID);
	assert_int_equal(cf_text_class(0xDFFF), CF_TEXT_INVALID);
	assert_int_equal(cf_text_class(0x110000), CF_TEXT_INVALID);
	assert_non_null(cf_text_unicode_version());
}

static const struct {
	const char *bytes;
	int len; /* of the first sequence, 0 when invalid */
	int32_t cp;
} sequences[] = {
	{ "a", 1, 'a' },
	{ "\xC3\xA9", 2, 0xE9 },
	{ "\xF0\x9F\x98\x80", 4, 0x1F600 },
	{ "\xF4\x8F\xBF\xBF", 4, 0x10FFFF },
	{ "\xFF", 0, -1 },
	{ "\xC0\xAF", 0, -1 },           /* overlong '/' */
	{ "\xE0\x80\xAF", 0, -1 },       /* overlong, three bytes */
	{ "\xED\xA0\x80", 0, -1 },       /* a surrogate */
	{ "\xF4\x90\x80\x80", 0, -1 },   /* above U+10FFFF */
	{ "\xE2\x80", 0, -1 },           /* cut short by the end */
	{ "\xE2\x80" "a", 0, -1 },       /* cut short by a character */
	{ "\x80", 0, -1 },               /* a lone continuation byte */
};

static void test_decoding(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(sequences) / sizeof(sequences[0]); i++) {
		int32_t cp;
		if (cf_text_decode(sequences[i].bytes, &cp) != sequences[i].len)
			fail_msg("sequence %zu: length %d", i,
				 cf_text_decode(sequences[i].bytes, &cp));
		assert_int_equal(cp, sequences[i].cp);
		assert_int_equal(cf_text_valid(sequences[i].bytes), sequences[i].len != 0);
	}
}

static void test_fix_and_terminal_escape_of_invalid_bytes(void **state)
{
	char *fixed = cf_text_fix("a\xFF" "b\xC3");
	struct cf_text_unit u;

	(void)state;
	assert_string_equal(fixed, "a\xEF\xBF\xBD" "b\xEF\xBF\xBD");
	free(fixed);
	assert_int_equal(cf_text_next("\xFF" "x", &u), 1);
	assert_string_equal(u.s, "\\xFF");
	assert_true(u.escaped);
	assert_int_equal(cf_text_next("", &u), 0);
}

static void test_boundaries(void **state)
{
	const char *s = "a\xC3\xA9\xE6\x97\xA5"; /* a é 日: starts at 0, 1, 3 */

	(void)state;
	assert_int_equal(cf_text_floor(s, 2), 1);
	assert_int_equal(cf_text_floor(s, 5), 3);
	assert_int_equal(cf_text_floor(s, 0), 0);
	assert_int_equal(cf_text_ceil(s, 6, 2), 3);
	assert_int_equal(cf_text_ceil(s, 6, 4), 6);
	assert_int_equal(cf_text_ceil(s, 6, 9), 6);
}

static char *put_safe(const char *text)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	cf_text_put_safe(f, text);
	fclose(f);
	return buf;
}

static void test_printf_safe_escapes_what_it_formats(void **state)
{
	char *buf = NULL, long_arg[2000];
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	(void)state;
	memset(long_arg, 'x', sizeof(long_arg) - 2);
	long_arg[sizeof(long_arg) - 2] = '\007';
	long_arg[sizeof(long_arg) - 1] = '\0';
	cf_text_printf_safe(f, "unknown option '%s'", "\033[31m\xE2\x80\xAE");
	cf_text_printf_safe(f, "|%s", long_arg);
	fclose(f);
	assert_memory_equal(buf, "unknown option '^[[31m<U+202E>'|xxx", 35);
	assert_int_equal(len,
			 strlen("unknown option '^[[31m<U+202E>'|") + sizeof(long_arg) - 2 + 2);
	assert_string_equal(buf + len - 3, "x^G");
	free(buf);
}

/* Every code point, through every place that shows case text: each hides exactly the code
 * points cf_text_class hides, so a code point hidden in one place only fails here. */
static void test_every_code_point_one_rule(void **state)
{
	int counts[CF_TEXT_INVALID + 1] = { 0 };
	struct lineedit le;

	(void)state;
	le_init(&le, "");
	for (int32_t cp = 0; cp <= 0x10FFFF; cp++) {
		char ch[8], text[16], *out;
		enum cf_text_class cls = cf_text_class(cp);
		int shown = cls == CF_TEXT_SHOWN;

		if (cp >= 0xD800 && cp <= 0xDFFF)
			continue;
		counts[cls]++;
		if (cp == 0)
			continue; /* ends a C string: never part of case text */
		encode(cp, ch);
		snprintf(text, sizeof(text), "x%sy", ch);
		/* The terminal: the CLI's output and the TUI's units. */
		out = put_safe(text);
		if ((strstr(out, ch) != NULL) != shown)
			fail_msg("U+%04X (%s): terminal shows \"%s\"", (unsigned)cp,
				 cf_text_class_name(cls), out);
		free(out);
		/* The exports: every format cleans its text with x_clean first. */
		out = x_clean(text, CLEAN_INLINE);
		if ((strstr(out, ch) != NULL) != shown)
			fail_msg("U+%04X (%s): exports keep \"%s\"", (unsigned)cp,
				 cf_text_class_name(cls), out);
		free(out);
		/* The TUI's line editor: typed text enters only when it may be shown. */
		le_set(&le, "");
		if (le_key(&le, ACT_NONE, (int)cp) != shown || (shown && strcmp(le.buf, ch) != 0))
			fail_msg("U+%04X (%s): line editor took \"%s\"", (unsigned)cp,
				 cf_text_class_name(cls), le.buf);
	}
	le_release(&le);
	/* Every class is met, and the hidden ones are not a handful. */
	for (int c = CF_TEXT_SHOWN; c < CF_TEXT_INVALID; c++)
		assert_true(counts[c] > 0);
	assert_true(counts[CF_TEXT_INVISIBLE] > 100);
	assert_true(counts[CF_TEXT_PRIVATE] > 130000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_each_class_its_rendering),
		cmocka_unit_test(test_invalid_code_points),
		cmocka_unit_test(test_decoding),
		cmocka_unit_test(test_fix_and_terminal_escape_of_invalid_bytes),
		cmocka_unit_test(test_boundaries),
		cmocka_unit_test(test_printf_safe_escapes_what_it_formats),
		cmocka_unit_test(test_every_code_point_one_rule),
	};
	/* The line editor encodes typed characters for the locale, as the TUI's is. */
	if (!setlocale(LC_ALL, "C.UTF-8"))
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
