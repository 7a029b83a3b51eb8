/* test_custody.c — export/custody.c: the chain-of-custody report names every handler with time
 * and zone, escapes case text for Markdown, HTML and JSON, and is deterministic. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "export/export.h"
#include "store/store.h"
#include "tests/helpers.h"

#define NASTY "disk <script>alert(1)</script> | *b* `c` [l](http://x) &amp;\nrow"

struct fixture {
	char dir[256];
	struct store *s;
	struct cf_err err;
	char id[CF_ID_LEN + 1];
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct cf_case_init ci = { .title = "Case <b>", .tz = "America/New_York" };
	struct cf_evidence_in in = { .location = "locker 3", .description = NASTY,
				     .collected_by = "Ann", .collected_at = "2019-06-01T10:00" };
	struct cf_transfer t = { .to = "Bob | lab", .reason = "imaging", .location = "lab safe",
				 .at = "2019-06-02T09:30:00+02:00" };

	tmpdir(f->dir, sizeof(f->dir));
	if (store_create(f->dir, &ci, "tester", &f->s, &f->err) < 0 ||
	    evidence_add(f->s, &in, f->id, &f->err) < 0 ||
	    evidence_transfer(f->s, f->id, &t, &f->err) < 0)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	store_close(f->s);
	rmtree(f->dir);
	free(f);
	return 0;
}

/* The report in FMT, as a string (free it): the export kind custody. */
static char *render(struct fixture *f, enum export_format fmt)
{
	struct export_opts o = { .kind = EXPORT_CUSTODY, .profile = EXPORT_SITREP, .format = fmt };
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);

	assert_non_null(mem);
	assert_int_equal(export_write(f->s, &o, mem, NULL, &f->err), 0);
	fclose(mem);
	return buf;
}

static void test_markdown_names_every_handler_with_time_and_zone(void **state)
{
	struct fixture *f = *state;
	char *md = render(f, EXPORT_MD);

	assert_non_null(strstr(md, "| 1 | 2019-06-01T10:00:00-04:00 | collected | (none) | Ann |"
				   " locker 3 | collected |"));
	assert_non_null(strstr(md, "| 2 | 2019-06-02T09:30:00+02:00 | transferred | Ann |"
				   " Bob \\| lab | lab safe | imaging |"));
	assert_non_null(strstr(md, "| Current holder (the chain's last handler) | Bob \\| lab |"));
	assert_non_null(strstr(md, f->id));
	free(md);
}

static void test_markdown_escapes_case_text(void **state)
{
	struct fixture *f = *state;
	char *md = render(f, EXPORT_MD);

	assert_null(strstr(md, "<script>"));
	assert_non_null(strstr(md, "disk \\<script\\>alert(1)\\</script\\> \\| \\*b\\* \\`c\\`"
				   " \\[l\\](http://x) \\&amp; row"));
	assert_non_null(strstr(md, "# Chain of custody: Case \\<b\\>"));
	free(md);
}

static void test_html_has_tables_and_no_markup_from_case_text(void **state)
{
	struct fixture *f = *state;
	char *html = render(f, EXPORT_HTML);

	assert_non_null(strstr(html, "<!DOCTYPE html>"));
	assert_non_null(strstr(html, " - Chain of custody: Case &lt;b&gt;</title>"));
	assert_non_null(strstr(html, "<table>"));
	assert_null(strstr(html, "<script>"));
	assert_null(strstr(html, "<a href"));
	assert_non_null(strstr(html, "&lt;script&gt;alert(1)&lt;/script&gt;"));
	assert_non_null(strstr(html, "&amp;amp;"));
	assert_non_null(strstr(html, "<td>Bob | lab</td>"));
	free(html);
}

static void test_json_holds_the_chain_and_round_trips_case_text(void **state)
{
	struct fixture *f = *state;
	char *text = render(f, EXPORT_JSON);
	json_error_t jerr;
	json_t *root = json_loads(text, 0, &jerr), *item, *chain;

	assert_non_null(root);
	item = json_array_get(json_object_get(root, "evidence"), 0);
	assert_string_equal(json_string_value(json_object_get(item, "description")), NASTY);
	assert_string_equal(json_string_value(json_object_get(item, "holder")), "Bob | lab");
	chain = json_object_get(item, "custody");
	assert_int_equal(json_array_size(chain), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(chain, 1), "from")),
			    "Ann");
	assert_string_equal(json_string_value(json_object_get(json_array_get(chain, 1), "at")),
			    "2019-06-02T09:30:00+02:00");
	json_decref(root);
	free(text);
}

static void test_report_is_deterministic(void **state)
{
	struct fixture *f = *state;
	static const enum export_format fmts[] = { EXPORT_MD, EXPORT_HTML, EXPORT_JSON };
	for (size_t i = 0; i < sizeof(fmts) / sizeof(fmts[0]); i++) {
		char *a = render(f, fmts[i]);
		char *b = render(f, fmts[i]);
		assert_string_equal(a, b);
		free(a);
		free(b);
	}
}

/* Custody is an export kind like the others: its name, its formats, its default. */
static void test_custody_is_an_export_kind(void **state)
{
	(void)state;
	assert_int_equal(export_kind_parse("custody"), EXPORT_CUSTODY);
	assert_string_equal(export_kind_name(EXPORT_CUSTODY), "custody");
	assert_int_equal(export_default_format(EXPORT_CUSTODY), EXPORT_MD);
	assert_true(export_format_fits(EXPORT_CUSTODY, EXPORT_HTML));
	assert_true(export_format_fits(EXPORT_CUSTODY, EXPORT_JSON));
	assert_false(export_format_fits(EXPORT_CUSTODY, EXPORT_CSV));
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_markdown_names_every_handler_with_time_and_zone),
		T(test_markdown_escapes_case_text),
		T(test_html_has_tables_and_no_markup_from_case_text),
		T(test_json_holds_the_chain_and_round_trips_case_text),
		T(test_report_is_deterministic),
		cmocka_unit_test(test_custody_is_an_export_kind),
	};
	return cmocka_run_group_tests_name("custody", tests, NULL, NULL);
}
