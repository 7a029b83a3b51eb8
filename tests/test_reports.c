/* test_reports.c — report versions in git (export/reports.c, export/reports_diff.c): commits,
 * versions and tags, the version list, and the diff as typed lines a Reports screen draws. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <git2.h>

#include "export/export.h"
#include "tests/helpers.h"

/* A case with one fact learned on May 31; the test adds more. */
static struct store *new_case(char *dir, size_t len)
{
	struct cf_case_init ci = { .title = "Test breach", .codename = "T",
				   .discovered = "2019-05-31", .marking = "CUI//SP-PRVCY",
				   .tz = "UTC", .clock = "2019-05-31T12:00:00.000Z",
				   .org_type = "federal-agency" };
	struct store *s;
	struct cf_err err;

	tmpdir(dir, len);
	assert_int_equal(store_create(dir, &ci, "tester", &s, &err), 0);
	return s;
}

static void add_event(struct store *s, const char *at, const char *occurred, const char *summary)
{
	struct cf_record r;
	struct cf_err err;

	store_set_clock(s, at);
	cf_record_init(&r, CF_EVENT);
	cf_record_set(&r, "occurred", occurred, &err);
	cf_record_set(&r, "summary", summary, &err);
	cf_record_set(&r, "kind", "discovery", &err);
	cf_record_set(&r, "key", "yes", &err);
	cf_record_set(&r, "visibility", "congress", &err);
	cf_record_set(&r, "entered", occurred, &err);
	assert_int_equal(record_add(s, &r, &err), 0);
	cf_record_release(&r);
	store_set_clock(s, NULL);
}

static const struct export_opts briefing = { .kind = EXPORT_BRIEFING,
					     .profile = EXPORT_CONGRESSIONAL, .format = EXPORT_MD };

struct versions {
	struct reports_version v[8];
	int n;
};

static int keep_version(const struct reports_version *v, void *ctx)
{
	struct versions *vs = ctx;
	if (vs->n < 8)
		vs->v[vs->n++] = *v;
	return 0;
}

static void test_commit_versions_tags_and_log(void **state)
{
	char dir[256], mark[CF_TIME_LEN], label[CF_NUM_LEN];
	struct store *s;
	struct cf_repo *r;
	struct cf_err err;
	struct reports_commit_out out;
	struct versions vs = { .n = 0 };

	(void)state;
	s = new_case(dir, sizeof(dir));
	add_event(s, "2019-05-31T13:00:00.000Z", "2019-05-31", "First fact");
	assert_int_equal(repo_open(dir, 1, &r, &err), 0);
	assert_int_equal(reports_log(r, keep_version, &vs, &err), 0);
	assert_int_equal(vs.n, 0); /* no version yet: no call */
	assert_int_equal(reports_commit(s, r, &briefing, "A <a@example.org>", &out, &err), 0);
	assert_int_equal(out.version, 1);
	assert_string_equal(out.tag, "briefing/congressional/v1");
	assert_string_equal(out.path, "reports/briefing-congressional.md");
	/* The same report again makes no version. */
	assert_int_equal(reports_commit(s, r, &briefing, "A <a@example.org>", &out, &err), 0);
	assert_true(out.unchanged);
	assert_int_equal(out.version, 1);
	add_event(s, "2019-06-10T12:00:00.000Z", "2019-06-10", "Second fact");
	assert_int_equal(reports_commit(s, r, &briefing, "A <a@example.org>", &out, &err), 0);
	assert_int_equal(out.version, 2);
	assert_false(out.unchanged);

	assert_int_equal(reports_log(r, keep_version, &vs, &err), 0);
	assert_int_equal(vs.n, 2);
	assert_int_equal(vs.v[0].version, 2); /* newest first */
	assert_int_equal(vs.v[1].version, 1);
	assert_string_equal(vs.v[0].kind, "briefing");
	assert_string_equal(vs.v[0].profile, "congressional");
	assert_string_equal(vs.v[0].mark, "2019-06-10T12:00:00.000Z");
	assert_string_equal(vs.v[1].mark, "2019-05-31T13:00:00.000Z");
	assert_string_equal(vs.v[0].oid, out.oid);
	assert_non_null(strstr(vs.v[0].summary, "briefing congressional v2"));

	/* The previous version of an export whose mark is later than v1's is v1. */
	assert_int_equal(reports_previous(r, &briefing, "2019-06-01T00:00:00.000Z", mark, label,
					  &err), 0);
	assert_string_equal(label, "v1");
	assert_string_equal(mark, "2019-05-31T13:00:00.000Z");
	assert_int_equal(reports_previous(r, &briefing, "2019-05-01T00:00:00.000Z", mark, label,
					  &err), CF_ENOTFOUND);
	repo_close(r);
	store_close(s);
	rmtree(dir);
}

/* Keeps copies of the lines a Reports screen would be given. */
struct lines {
	struct reports_line v[256];
	char *text[256];
	int n, stop_after;
};

static int keep_line(const struct reports_line *l, void *ctx)
{
	struct lines *ls = ctx;
	if (ls->n < 256) {
		ls->v[ls->n] = *l;
		ls->text[ls->n] = strdup(l->text);
		ls->v[ls->n].text = ls->text[ls->n];
		ls->v[ls->n].path = NULL;
		assert_int_equal(strlen(l->text), l->len);
		ls->n++;
	}
	return ls->stop_after && ls->n >= ls->stop_after ? 7 : 0;
}

static void lines_free(struct lines *ls)
{
	for (int i = 0; i < ls->n; i++)
		free(ls->text[i]);
	ls->n = 0;
}

static int find_line(const struct lines *ls, enum reports_line_type type, const char *part)
{
	for (int i = 0; i < ls->n; i++)
		if (ls->v[i].type == type && strstr(ls->v[i].text, part))
			return i;
	return -1;
}

static void test_diff_lines_typed_with_numbers(void **state)
{
	char dir[256], v1[CF_OID_HEX], *printed = NULL;
	size_t plen = 0;
	struct store *s;
	struct cf_repo *r;
	struct cf_err err;
	struct reports_commit_out out;
	struct lines ls = { .n = 0 };
	FILE *f;
	int i;

	(void)state;
	s = new_case(dir, sizeof(dir));
	add_event(s, "2019-05-31T13:00:00.000Z", "2019-05-31", "First fact");
	assert_int_equal(repo_open(dir, 1, &r, &err), 0);
	assert_int_equal(reports_diff_lines(NULL, r, NULL, NULL, keep_line, &ls, &err), CF_ENOTFOUND);
	assert_int_equal(reports_commit(s, r, &briefing, NULL, &out, &err), 0);
	memcpy(v1, out.oid, sizeof(v1));
	add_event(s, "2019-06-10T12:00:00.000Z", "2019-06-10", "Second fact");
	assert_int_equal(reports_commit(s, r, &briefing, NULL, &out, &err), 0);

	/* Default: the latest version against the previous one of the same report. */
	assert_int_equal(reports_diff_lines(NULL, r, NULL, NULL, keep_line, &ls, &err), 0);
	assert_true(ls.n > 6);
	assert_int_equal(ls.v[0].type, REPORTS_LINE_FILE);
	assert_string_equal(ls.v[0].text, "diff --git a/reports/briefing-congressional.md "
					  "b/reports/briefing-congressional.md");
	assert_true(find_line(&ls, REPORTS_LINE_FILE, "+++ b/reports/briefing-congressional.md")
		    > 0);
	assert_true(find_line(&ls, REPORTS_LINE_HUNK, "@@ -") > 0);
	i = find_line(&ls, REPORTS_LINE_ADD, "New event: 2019-06-10: Second fact");
	assert_true(i > 0);
	assert_int_equal(ls.v[i].old_line, 0);
	assert_true(ls.v[i].new_line > 0);
	i = find_line(&ls, REPORTS_LINE_DEL, "This is the first briefing");
	assert_true(i > 0);
	assert_true(ls.v[i].old_line > 0);
	assert_int_equal(ls.v[i].new_line, 0);
	i = find_line(&ls, REPORTS_LINE_CONTEXT, "");
	assert_true(i > 0 && ls.v[i].old_line > 0 && ls.v[i].new_line > 0);
	/* The text is without the diff's prefix and newline. */
	for (int j = 0; j < ls.n; j++)
		assert_null(strchr(ls.v[j].text, '\n'));

	/* The printed diff is the lines with their prefixes: the same in both views. */
	f = open_memstream(&printed, &plen);
	assert_int_equal(reports_diff(NULL, r, NULL, NULL, 0, f, &err), 0);
	fclose(f);
	{
		char *p = printed;
		for (int j = 0; j < ls.n; j++) {
			const char *pre = ls.v[j].type == REPORTS_LINE_ADD ? "+"
					  : ls.v[j].type == REPORTS_LINE_DEL ? "-"
					  : ls.v[j].type == REPORTS_LINE_CONTEXT ? " " : "";
			assert_memory_equal(p, pre, strlen(pre));
			p += strlen(pre);
			assert_memory_equal(p, ls.v[j].text, ls.v[j].len);
			p += ls.v[j].len;
			assert_int_equal(*p++, '\n');
		}
		assert_int_equal(*p, '\0');
	}
	free(printed);
	lines_free(&ls);

	/* Any two: by tag and by oid; a version against itself has no lines. */
	assert_int_equal(reports_diff_lines(NULL, r, "briefing/congressional/v1", out.oid, keep_line,
					    &ls, &err), 0);
	assert_true(find_line(&ls, REPORTS_LINE_ADD, "Second fact") > 0);
	lines_free(&ls);
	assert_int_equal(reports_diff_lines(NULL, r, v1, v1, keep_line, &ls, &err), 0);
	assert_int_equal(ls.n, 0);
	/* The other way round, what was added shows as deleted. */
	assert_int_equal(reports_diff_lines(NULL, r, out.oid, v1, keep_line, &ls, &err), 0);
	assert_true(find_line(&ls, REPORTS_LINE_DEL, "Second fact") > 0);
	lines_free(&ls);

	/* The callback stops the walk; its value comes back. */
	ls.stop_after = 2;
	assert_int_equal(reports_diff_lines(NULL, r, NULL, NULL, keep_line, &ls, &err), 7);
	assert_int_equal(ls.n, 2);
	lines_free(&ls);
	ls.stop_after = 0;

	assert_int_equal(reports_diff_lines(NULL, r, "no-such-version", NULL, keep_line, &ls, &err),
			 CF_ENOTFOUND);
	assert_int_equal(ls.n, 0);
	repo_close(r);
	store_close(s);
	rmtree(dir);
}

static void test_diff_lines_are_safe_to_draw(void **state)
{
	static const char hostile[] = "ok\n\033]0;pwned\007\033[2J title \xe2\x80\xae rlo "
				      "\xc2\x9b c1 \xff bad\ttab\n";
	char dir[256];
	struct store *s;
	struct cf_repo *r;
	struct cf_err err;
	struct repo_change ch = { "reports/evil.md", hostile, sizeof(hostile) - 1 };
	struct repo_commit_opts co = { .message = "evil" };
	struct versions vs = { .n = 0 };
	struct lines ls = { .n = 0 };
	int i;

	(void)state;
	s = new_case(dir, sizeof(dir));
	assert_int_equal(repo_open(dir, 1, &r, &err), 0);
	assert_int_equal(repo_commit(r, &ch, 1, &co, NULL, &err), 0);
	/* Not a casefile version (no trailers): compared with nothing, all added. */
	assert_int_equal(reports_diff_lines(NULL, r, NULL, NULL, keep_line, &ls, &err), 0);
	i = find_line(&ls, REPORTS_LINE_ADD, "title");
	assert_true(i > 0);
	for (int j = 0; j < ls.n; j++)
		for (const unsigned char *p = (const unsigned char *)ls.v[j].text; *p; p++) {
			assert_true(*p >= 0x20 || *p == '\t');
			assert_true(*p != 0x7f);
		}
	assert_null(strstr(ls.v[i].text, "\xe2\x80\xae"));
	assert_null(strstr(ls.v[i].text, "\xc2\x9b"));
	assert_non_null(strstr(ls.v[i].text, "\xef\xbf\xbd]0;pwned"));
	assert_non_null(strstr(ls.v[i].text, "bad\ttab"));
	lines_free(&ls);
	/* So is the version list. */
	co.message = "evil \033]0;x\007 \xe2\x80\xae summary\n\nCasefile-Kind: \033[2Jbriefing\n"
		     "Casefile-Profile: \001\002\003\004\005\001\002\003\004\005\001\002\003"
		     "\004\005\001\002\003\004\005\001\002\003\004\005x\n";
	ch.data = "changed\n";
	ch.len = 8;
	assert_int_equal(repo_commit(r, &ch, 1, &co, NULL, &err), 0);
	assert_int_equal(reports_log(r, keep_version, &vs, &err), 0);
	assert_int_equal(vs.n, 2);
	assert_string_equal(vs.v[0].summary, "evil \xef\xbf\xbd]0;x\xef\xbf\xbd \xef\xbf\xbd summary");
	assert_string_equal(vs.v[0].kind, "\xef\xbf\xbd[2Jbriefing");
	/* 25 replacements and "x" do not fit in a profile (a template's name, 64 bytes): cut
	 * between whole characters, 21 of them. */
	assert_int_equal(strlen(vs.v[0].profile), 21 * 3);
	for (size_t k = 0; k < 21; k++)
		assert_memory_equal(vs.v[0].profile + 3 * k, "\xef\xbf\xbd", 3);
	assert_int_equal(vs.v[0].version, 0);
	repo_close(r);
	store_close(s);
	rmtree(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_commit_versions_tags_and_log),
		cmocka_unit_test(test_diff_lines_typed_with_numbers),
		cmocka_unit_test(test_diff_lines_are_safe_to_draw),
	};
	int rc;

	git_libgit2_init();
	rc = cmocka_run_group_tests_name("reports", tests, NULL, NULL);
	git_libgit2_shutdown();
	return rc;
}
