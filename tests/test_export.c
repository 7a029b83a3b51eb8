/* test_export.c — export/: escaping for every format, profile filtering by visibility and
 * TLP, deterministic output, "as of" rebuilt from the log, changes since a previous mark. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "export/internal.h"
#include "tests/helpers.h"

/* Runs FN(out, text) into a string. */
static char *capture(void (*fn)(FILE *, const char *), const char *text)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	fn(f, text);
	fclose(f);
	return buf;
}

static void test_md_inline_escapes_markup_and_pipes(void **state)
{
	char *s;

	(void)state;
	s = capture(md_inline, "<b>x</b> *y* _z_ [l](u) `c` a|b &amp; ~s~ !i");
	assert_string_equal(s, "\\<b\\>x\\</b\\> \\*y\\* \\_z\\_ \\[l\\](u) \\`c\\` a\\|b "
			       "\\&amp; \\~s\\~ \\!i");
	free(s);
	/* What would start a block at the start of a value. */
	s = capture(md_inline, "# h");
	assert_string_equal(s, "\\# h");
	free(s);
	s = capture(md_inline, "12. item");
	assert_string_equal(s, "12\\. item");
	free(s);
	s = capture(md_inline, "- item\nsecond line");
	assert_string_equal(s, "\\- item second line");
	free(s);
}

static void test_md_block_never_starts_blocks(void **state)
{
	char *s;

	(void)state;
	s = capture(md_block, "first\n# heading\n    code\n\n> quote\n1) one");
	assert_string_equal(s, "first\n\\# heading\ncode\n\n\\> quote\n1\\) one");
	free(s);
}

static void test_csv_cell_neutralises_formulas_and_quotes(void **state)
{
	char *s;

	(void)state;
	s = capture(csv_cell, "=1+2");
	assert_string_equal(s, "\"'=1+2\"");
	free(s);
	s = capture(csv_cell, "@SUM(A1)");
	assert_string_equal(s, "\"'@SUM(A1)\"");
	free(s);
	s = capture(csv_cell, "-3");
	assert_string_equal(s, "\"'-3\"");
	free(s);
	s = capture(csv_cell, "a \"quoted\", b");
	assert_string_equal(s, "\"a \"\"quoted\"\", b\"");
	free(s);
	s = capture(csv_cell, "plain");
	assert_string_equal(s, "plain");
	free(s);
}

static void test_html_text_escapes(void **state)
{
	char *s;

	(void)state;
	s = capture(html_text, "<a href='x'>&\"</a>");
	assert_string_equal(s, "&lt;a href=&#39;x&#39;&gt;&amp;&quot;&lt;/a&gt;");
	free(s);
}

static void test_clean_replaces_controls_bidi_and_bad_utf8(void **state)
{
	char *s;

	(void)state;
	s = x_clean("a\033[2Jb\x07" "c\xe2\x80\xae" "d\xff" "e\xc2\x85" "f\r\ng", CLEAN_INLINE);
	assert_string_equal(s, "a\xEF\xBF\xBD[2Jb\xEF\xBF\xBD" "c\xEF\xBF\xBD"
			       "d\xEF\xBF\xBD" "e\xEF\xBF\xBD" "f g");
	free(s);
	s = x_clean("  caf\xc3\xa9 \xe6\x97\xa5  ", CLEAN_INLINE);
	assert_string_equal(s, "caf\xc3\xa9 \xe6\x97\xa5"); /* valid UTF-8 kept */
	free(s);
}

static void test_visibility_by_profile_and_tlp(void **state)
{
	static const struct {
		const char *vis, *tlp;
		int sitrep, congress, public, congress_amber;
	} cases[] = {
		{ NULL, NULL, 1, 0, 0, 0 },          { "internal", NULL, 1, 0, 0, 0 },
		{ "congress", NULL, 1, 1, 0, 1 },    { "public", NULL, 1, 1, 1, 1 },
		{ "public", "clear", 1, 1, 1, 1 },   { "public", "green", 1, 1, 0, 1 },
		{ "public", "red", 1, 0, 0, 0 },     { "congress", "amber+strict", 1, 0, 0, 0 },
		/* AMBER leaves the agency only when chosen on purpose (--tlp amber) */
		{ "congress", "amber", 1, 0, 0, 1 },
	};
	struct cf_err err;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct cf_record r;
		cf_record_init(&r, CF_EVENT);
		cf_record_set(&r, "visibility", cases[i].vis, &err);
		cf_record_set(&r, "tlp", cases[i].tlp, &err);
		assert_int_equal(!model_hidden(EXPORT_SITREP, 0, &r), cases[i].sitrep);
		assert_int_equal(!model_hidden(EXPORT_CONGRESSIONAL, 0, &r), cases[i].congress);
		assert_int_equal(!model_hidden(EXPORT_CONGRESSIONAL, 1, &r),
				 cases[i].congress_amber);
		assert_int_equal(!model_hidden(EXPORT_PUBLIC, 0, &r), cases[i].public);
		cf_record_release(&r);
	}
}

/* A small case whose facts are learned on two days, each op stamped when learned. */
static struct store *small_case(char *dir, size_t len)
{
	struct cf_case_init ci = { .title = "Test breach", .codename = "T",
				   .discovered = "2019-05-31", .marking = "CUI//SP-PRVCY",
				   .tz = "UTC", .clock = "2019-05-31T12:00:00.000Z",
				   .org_type = "federal-agency" };
	struct store *s;
	struct cf_err err;
	struct cf_record r;

	tmpdir(dir, len);
	assert_int_equal(store_create(dir, &ci, "tester", &s, &err), 0);
	store_set_clock(s, "2019-05-31T12:00:00.000Z");
	cf_record_init(&r, CF_EVENT);
	cf_record_set(&r, "occurred", "2019-05-31", &err);
	cf_record_set(&r, "summary", "First fact", &err);
	cf_record_set(&r, "kind", "discovery", &err);
	cf_record_set(&r, "visibility", "congress", &err);
	cf_record_set(&r, "entered", "2019-05-31T12:00Z", &err);
	assert_int_equal(record_add(s, &r, &err), 0);
	cf_record_release(&r);
	store_set_clock(s, "2019-06-10T12:00:00.000Z");
	cf_record_init(&r, CF_ESTIMATE);
	cf_record_set(&r, "category", "people", &err);
	cf_record_set(&r, "unit", "people", &err);
	cf_record_set(&r, "best", "184000", &err);
	cf_record_set(&r, "as_of", "2019-06-10", &err);
	cf_record_set(&r, "visibility", "congress", &err);
	assert_int_equal(record_add(s, &r, &err), 0);
	cf_record_release(&r);
	store_set_clock(s, NULL);
	return s;
}

static char *export_str(struct store *s, const struct export_opts *o, struct export_info *info)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct cf_err err;

	assert_int_equal(export_write(s, o, f, info, &err), 0);
	fclose(f);
	return buf;
}

static int stop_at_second(const struct model_iter *it, void *ctx)
{
	(*(int *)ctx)++;
	return it->i == 1 ? 7 : 0;
}

/* The cursor walks one kind in the total order, only what the profile may see, with the
 * records before and after the current one; a second cursor walks independently. */
static void test_model_cursor_walks_one_kind_in_order(void **state)
{
	static const char *const add[][2] = {
		{ "2019-05-20", "congress" }, { "2019-06-01", "internal" },
		{ "2019-05-25/2019-05-26", "public" }, { "2019-05-25", "congress" },
	};
	static const char *const want[] = { "2019-05-20", "2019-05-25", "2019-05-25/2019-05-26",
					    "2019-05-31" };
	char dir[256];
	struct store *s;
	struct model m;
	struct model_iter it, other;
	struct cf_err err;
	struct export_opts o = { .kind = EXPORT_CASE, .profile = EXPORT_CONGRESSIONAL,
				 .format = EXPORT_JSON };
	size_t n = 0;
	int calls = 0;

	(void)state;
	s = small_case(dir, sizeof(dir));
	for (size_t i = 0; i < sizeof(add) / sizeof(add[0]); i++) {
		struct cf_record r;
		cf_record_init(&r, CF_EVENT);
		cf_record_set(&r, "occurred", add[i][0], &err);
		cf_record_set(&r, "summary", "more", &err);
		cf_record_set(&r, "visibility", add[i][1], &err);
		assert_int_equal(record_add(s, &r, &err), 0);
		cf_record_release(&r);
	}
	assert_int_equal(model_load(s, &o, cf_now(), &m, &err), 0);
	for (model_iter_open(&it, &m, CF_EVENT); model_iter_next(&it); n++) {
		assert_int_equal(it.i, n);
		assert_string_equal(rget(it.r, "occurred"), want[n]);
		assert_int_equal(it.prev != NULL, n > 0);
		if (n > 0)
			assert_string_equal(rget(it.prev, "occurred"), want[n - 1]);
		assert_int_equal(it.ahead != NULL, n + 1 < 4);
		if (it.ahead)
			assert_string_equal(rget(it.ahead, "occurred"), want[n + 1]);
		/* a second cursor over the same kind starts from the first record */
		model_iter_open(&other, &m, CF_EVENT);
		assert_non_null(model_iter_next(&other));
		assert_string_equal(rget(other.r, "occurred"), want[0]);
		model_iter_close(&other);
	}
	assert_null(it.r);
	assert_null(model_iter_next(&it)); /* stays at the end */
	model_iter_close(&it);
	assert_int_equal(n, 4); /* the internal event is not the congressional profile's */
	assert_true(model_any(&m, CF_ESTIMATE));
	assert_false(model_any(&m, CF_TASK));
	assert_int_equal(model_each(&m, CF_EVENT, stop_at_second, &calls), 7);
	assert_int_equal(calls, 2);
	assert_int_equal(model_failed(&m, &err), 0);
	progress_stop(&m.prog);
	model_release(&m);
	store_close(s);
	rmtree(dir);
}

static void test_export_is_deterministic_and_as_of_rebuilds(void **state)
{
	char dir[256], *a, *b;
	struct store *s;
	struct export_info info;
	struct export_opts o = { .kind = EXPORT_BRIEFING, .profile = EXPORT_CONGRESSIONAL,
				 .format = EXPORT_MD };

	(void)state;
	s = small_case(dir, sizeof(dir));
	a = export_str(s, &o, &info);
	b = export_str(s, &o, NULL);
	assert_string_equal(a, b);
	assert_string_equal(info.mark, "2019-06-10T12:00:00.000Z");
	assert_non_null(strstr(a, "about 184,000 people"));
	assert_non_null(strstr(a, "**CUI//SP-PRVCY**"));
	free(a);
	free(b);
	o.as_of = "2019-06-05";
	a = export_str(s, &o, &info);
	assert_null(strstr(a, "184,000"));
	assert_non_null(strstr(a, "First fact"));
	assert_string_equal(info.mark, "2019-05-31T12:00:00.000Z");
	free(a);
	o.format = EXPORT_CSV; /* a briefing has no CSV */
	{
		struct cf_err err;
		FILE *f = fopen("/dev/null", "w");
		assert_int_equal(export_write(s, &o, f, NULL, &err), CF_EINVAL);
		fclose(f);
	}
	store_close(s);
	rmtree(dir);
}

/* "As of" is the case replayed from the log, not today's records filtered by a date: a value
 * changed later shows as it was, a record deleted later is still there. */
static void test_as_of_shows_old_values_and_later_deleted_records(void **state)
{
	char dir[256], id[CF_ID_LEN + 1], gone[CF_ID_LEN + 1], *a;
	struct store *s;
	struct cf_err err;
	struct cf_record r;
	struct export_opts o = { .kind = EXPORT_BRIEFING, .profile = EXPORT_SITREP,
				 .format = EXPORT_MD, .as_of = "2019-06-05" };

	(void)state;
	s = small_case(dir, sizeof(dir));
	store_set_clock(s, "2019-06-01T12:00:00.000Z");
	cf_record_init(&r, CF_EVENT);
	cf_record_set(&r, "occurred", "2019-06-01", &err);
	cf_record_set(&r, "summary", "Original wording", &err);
	assert_int_equal(record_add(s, &r, &err), 0);
	memcpy(id, r.id, sizeof(id));
	cf_record_release(&r);
	cf_record_init(&r, CF_EVENT);
	cf_record_set(&r, "occurred", "2019-06-02", &err);
	cf_record_set(&r, "summary", "Later withdrawn", &err);
	assert_int_equal(record_add(s, &r, &err), 0);
	memcpy(gone, r.id, sizeof(gone));
	cf_record_release(&r);
	store_set_clock(s, "2019-06-10T13:00:00.000Z");
	assert_int_equal(record_set(s, CF_EVENT, id, "summary", "Corrected wording", &err),
			 0);
	assert_int_equal(record_delete(s, CF_EVENT, gone, &err), 0);
	store_set_clock(s, NULL);

	a = export_str(s, &o, NULL);
	assert_non_null(strstr(a, "Original wording"));
	assert_null(strstr(a, "Corrected wording"));
	assert_non_null(strstr(a, "Later withdrawn"));
	free(a);
	o.as_of = NULL;
	a = export_str(s, &o, NULL);
	assert_null(strstr(a, "Original wording"));
	assert_non_null(strstr(a, "Corrected wording"));
	assert_null(strstr(a, "Later withdrawn"));
	free(a);
	store_close(s);
	rmtree(dir);
}

static void test_changes_since_previous_mark(void **state)
{
	char dir[256], *a;
	struct store *s;
	struct export_opts o = { .kind = EXPORT_BRIEFING, .profile = EXPORT_CONGRESSIONAL,
				 .format = EXPORT_MD, .prev_mark = "2019-05-31T12:00:00.000Z",
				 .prev_label = "v1" };

	(void)state;
	s = small_case(dir, sizeof(dir));
	a = export_str(s, &o, NULL);
	assert_non_null(strstr(a, "Since v1 (as of 2019-05-31T12:00:00Z):\n\n"
				  "- New estimate: people, as of 2019-06-10: about 184,000 people\n"
				  "\n"));
	free(a);
	o.profile = EXPORT_PUBLIC; /* nothing public changed */
	a = export_str(s, &o, NULL);
	assert_non_null(strstr(a, "No changes."));
	free(a);
	store_close(s);
	rmtree(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_md_inline_escapes_markup_and_pipes),
		cmocka_unit_test(test_md_block_never_starts_blocks),
		cmocka_unit_test(test_csv_cell_neutralises_formulas_and_quotes),
		cmocka_unit_test(test_html_text_escapes),
		cmocka_unit_test(test_clean_replaces_controls_bidi_and_bad_utf8),
		cmocka_unit_test(test_visibility_by_profile_and_tlp),
		cmocka_unit_test(test_model_cursor_walks_one_kind_in_order),
		cmocka_unit_test(test_export_is_deterministic_and_as_of_rebuilds),
		cmocka_unit_test(test_as_of_shows_old_values_and_later_deleted_records),
		cmocka_unit_test(test_changes_since_previous_mark),
	};
	return cmocka_run_group_tests_name("export", tests, NULL, NULL);
}
