/* test_search.c — store/search.c: every kind with text is found, by any substring of any
 * length in any script (CJK included), a trailing * is a prefix, LIKE's own characters are
 * plain text, deleted records are not hits, and an edit is found by its new text only. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "store/store.h"
#include "tests/helpers.h"

struct found {
	int n;
	int kinds[CF_KIND_COUNT];
	char last_id[CF_ID_LEN + 1];
};

static int count_hit(const struct cf_hit *h, void *ctx)
{
	struct found *f = ctx;
	f->n++;
	f->kinds[h->kind]++;
	snprintf(f->last_id, sizeof(f->last_id), "%s", h->id);
	return 0;
}

static struct found search(struct store *s, const char *q)
{
	struct found f = { 0 };
	struct cf_err err;
	if (store_search(s, q, 100, count_hit, &f, &err) < 0)
		fail_msg("search '%s': %s", q, err.msg);
	return f;
}

static void add(struct store *s, enum cf_kind kind, const char *const *fv, char *id)
{
	struct cf_record r;
	struct cf_err err;

	cf_record_init(&r, kind);
	for (; fv[0]; fv += 2)
		if (cf_record_set(&r, fv[0], fv[1], &err) < 0)
			fail_msg("%s: %s", fv[0], err.msg);
	if (record_add(s, &r, &err) < 0)
		fail_msg("add: %s", err.msg);
	if (id)
		memcpy(id, r.id, CF_ID_LEN + 1);
	cf_record_release(&r);
}

static void test_every_kind_any_substring_any_script(void **state)
{
	char dir[256], task[CF_ID_LEN + 1], ev[CF_ID_LEN + 1];
	struct store *s = NULL;
	struct cf_err err;
	struct found f;

	(void)state;
	tmpdir(dir, sizeof(dir));
	assert_int_equal(store_create(dir, &(struct cf_case_init){ .title = "t" }, "A <a@b.c>",
				      &s, &err), 0);
	add(s, CF_EVENT, (const char *const[]){ "occurred", "2019-05-31", "summary",
						"病院の患者記録が流出", NULL }, ev);
	add(s, CF_TASK, (const char *const[]){ "title", "Ask the bucket owner", NULL }, task);
	add(s, CF_NOTICE, (const char *const[]){ "recipient", "Texas Attorney General", NULL },
	    NULL);
	add(s, CF_ESTIMATE, (const char *const[]){ "category", "patients", "unit", "people",
						   "as_of", "2019-06-01", "method",
						   "walrusology 100% sample", NULL }, NULL);
	add(s, CF_NOTE, (const char *const[]){ "text", "Counsel says notify", NULL }, NULL);

	/* A two-character CJK word, inside a sentence without spaces. */
	f = search(s, "病院");
	assert_int_equal(f.n, 1);
	assert_int_equal(f.kinds[CF_EVENT], 1);
	assert_int_equal(search(s, "患者記録").n, 1);
	/* Tasks, notices and estimates are found too; inside words; any case. */
	f = search(s, "ucke");
	assert_int_equal(f.kinds[CF_TASK], 1);
	assert_int_equal(search(s, "ATTORNEY").kinds[CF_NOTICE], 1);
	assert_int_equal(search(s, "walrus").kinds[CF_ESTIMATE], 1);
	assert_int_equal(search(s, "buck*").kinds[CF_TASK], 1);
	/* Every word must match, the short ones too. */
	assert_int_equal(search(s, "bucket zz").n, 0);
	assert_int_equal(search(s, "bucket ow").n, 1);
	/* LIKE's characters are text: "0%" is found, "0_" is not a wildcard. */
	assert_int_equal(search(s, "0%").kinds[CF_ESTIMATE], 1);
	assert_int_equal(search(s, "0_").n, 0);
	/* An edit: found by its new text, not its old. */
	assert_int_equal(record_set(s, CF_TASK, task, "title", "Call the insurer", &err), 0);
	assert_int_equal(search(s, "bucket").n, 0);
	assert_int_equal(search(s, "insurer").kinds[CF_TASK], 1);
	/* Deleted: not a hit. */
	assert_int_equal(record_delete(s, CF_EVENT, ev, &err), 0);
	assert_int_equal(search(s, "病院").n, 0);
	store_close(s);
	rmtree(dir);
}

static void test_empty_and_too_long_queries_are_errors(void **state)
{
	char dir[256], q[400] = "";
	struct store *s = NULL;
	struct cf_err err;
	struct found f = { 0 };

	(void)state;
	tmpdir(dir, sizeof(dir));
	assert_int_equal(store_create(dir, &(struct cf_case_init){ .title = "t" }, "A <a@b.c>",
				      &s, &err), 0);
	assert_int_equal(store_search(s, " \" * ", 10, count_hit, &f, &err), CF_EINVAL);
	for (int i = 0; i < 40; i++)
		strcat(q, "word ");
	assert_int_equal(store_search(s, q, 10, count_hit, &f, &err), CF_EINVAL);
	assert_non_null(strstr(err.msg, "at most"));
	store_close(s);
	rmtree(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_kind_any_substring_any_script),
		cmocka_unit_test(test_empty_and_too_long_queries_are_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
