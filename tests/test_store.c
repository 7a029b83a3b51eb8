/* test_store.c — the case store: records round-trip, every change is an operation, the hash
 * chain holds, bad input changes nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "store/store.h"
#include "tests/helpers.h"

static int count_ops(const struct cf_op *op, void *ctx)
{
	(void)op;
	(*(int *)ctx)++;
	return 0;
}

static void test_event_roundtrip_and_ops(void **state)
{
	char dir[256];
	struct store *s;
	struct cf_err err;
	struct cf_record r, back;
	int n = 0;

	(void)state;
	tmpdir(dir, sizeof(dir));
	assert_int_equal(store_create(dir, &(struct cf_case_init){ .title = "t" }, "me", &s, &err),
			 0);
	cf_record_init(&r, CF_EVENT);
	assert_int_equal(cf_record_set(&r, "occurred", "2019-05-31", &err), 0);
	assert_int_equal(cf_record_set(&r, "summary", "CBP learns", &err), 0);
	assert_int_equal(record_add(s, &r, &err), 0);
	assert_int_equal(record_get(s, CF_EVENT, r.id, &back, &err), 0);
	assert_string_equal(cf_record_get(&back, "summary"), "CBP learns");
	assert_string_equal(cf_record_get(&back, "occurred"), "2019-05-31");
	assert_int_equal(record_set(s, CF_EVENT, r.id, "summary", "changed", &err), 0);
	assert_int_equal(record_delete(s, CF_EVENT, r.id, &err), 0);
	assert_int_equal(op_list(s, r.id, count_ops, &n, &err), 0);
	assert_int_equal(n, 3);
	assert_int_equal(op_verify_chain(s, &err), 0);
	cf_record_release(&r);
	cf_record_release(&back);
	store_close(s);
	rmtree(dir);
}

static void test_bad_date_writes_nothing(void **state)
{
	char dir[256];
	struct store *s;
	struct cf_err err;
	struct cf_record r;
	int n = 0;

	(void)state;
	tmpdir(dir, sizeof(dir));
	assert_int_equal(store_create(dir, &(struct cf_case_init){ .title = "t" }, "me", &s, &err),
			 0);
	assert_int_equal(op_list(s, NULL, count_ops, &n, &err), 0);
	cf_record_init(&r, CF_EVENT);
	cf_record_set(&r, "occurred", "2019-02-30", &err);
	cf_record_set(&r, "summary", "x", &err);
	assert_int_equal(record_add(s, &r, &err), CF_EINVAL);
	assert_non_null(strstr(err.msg, "occurred"));
	int after = 0;
	assert_int_equal(op_list(s, NULL, count_ops, &after, &err), 0);
	assert_int_equal(after, n);
	assert_int_equal(record_count(s, CF_EVENT), 0);
	cf_record_release(&r);
	store_close(s);
	rmtree(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_event_roundtrip_and_ops),
		cmocka_unit_test(test_bad_date_writes_nothing),
	};
	return cmocka_run_group_tests_name("store", tests, NULL, NULL);
}
