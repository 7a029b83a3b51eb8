/* test_series.c — export/series.c: an estimate category's revisions as the numbers both charts
 * draw (the briefing's and the TUI's): each point's values, its bar, its words, the scale. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "export/export.h"

/* An estimate of "c" as of AS_OF with LO, BEST, HI (NULL: unset). */
static void add(struct series *s, const char *as_of, const char *lo, const char *best,
		const char *hi)
{
	struct cf_record r;
	struct cf_err err;

	cf_record_init(&r, CF_ESTIMATE);
	assert_int_equal(cf_record_set(&r, "category", "c", &err), 0);
	assert_int_equal(cf_record_set(&r, "as_of", as_of, &err), 0);
	if (lo)
		assert_int_equal(cf_record_set(&r, "low", lo, &err), 0);
	if (best)
		assert_int_equal(cf_record_set(&r, "best", best, &err), 0);
	if (hi)
		assert_int_equal(cf_record_set(&r, "high", hi, &err), 0);
	series_add(s, &r);
	cf_record_release(&r);
}

static void test_points_bars_and_words(void **state)
{
	struct series s = { 0 };

	(void)state;
	add(&s, "2019-06-10", "10000", "50000", "99999");
	add(&s, "2019-06-11", NULL, NULL, "99999");
	add(&s, "2019-06-12", "1000", NULL, NULL);
	add(&s, "2020-09-21", NULL, "184000", NULL);
	add(&s, "2020-09-22", NULL, NULL, NULL);
	assert_int_equal(s.n, 5);
	assert_int_equal(s.max, 184000);
	/* A range with a best estimate: the bar from low to high, the words by the best. */
	assert_string_equal(s.v[0].as_of, "2019-06-10");
	assert_int_equal(s.v[0].bar_from, 10000);
	assert_int_equal(s.v[0].bar_to, 99999);
	assert_int_equal(s.v[0].at, 50000);
	assert_string_equal(s.v[0].range, "10,000 to 99,999, best 50,000");
	/* A high bound alone: the bar from 0. */
	assert_int_equal(s.v[1].bar_from, 0);
	assert_int_equal(s.v[1].bar_to, 99999);
	assert_string_equal(s.v[1].range, "at most 99,999");
	/* A low bound alone: a bar of no length at it. */
	assert_int_equal(s.v[2].bar_from, 1000);
	assert_int_equal(s.v[2].bar_to, 1000);
	assert_string_equal(s.v[2].range, "at least 1,000");
	/* A best estimate alone: no bar, a dot. */
	assert_int_equal(s.v[3].bar_from, -1);
	assert_int_equal(s.v[3].best, 184000);
	assert_string_equal(s.v[3].range, "184,000");
	/* No number: nothing to draw, said so. */
	assert_int_equal(s.v[4].bar_from, -1);
	assert_int_equal(s.v[4].at, -1);
	assert_string_equal(s.v[4].range, "no number");
	/* The scale: 0, the half, the top. */
	assert_int_equal(series_tick(&s, 0, 3), 0);
	assert_int_equal(series_tick(&s, 1, 3), 92000);
	assert_int_equal(series_tick(&s, 2, 3), 184000);
	series_release(&s);
	assert_int_equal(s.n, 0);
	assert_null(s.v);
}

static void test_counts_with_separators(void **state)
{
	char buf[40];

	(void)state;
	series_count_text(buf, sizeof(buf), 0);
	assert_string_equal(buf, "0");
	series_count_text(buf, sizeof(buf), 999);
	assert_string_equal(buf, "999");
	series_count_text(buf, sizeof(buf), 1000);
	assert_string_equal(buf, "1,000");
	series_count_text(buf, sizeof(buf), 9223372036854775807LL);
	assert_string_equal(buf, "9,223,372,036,854,775,807");
	/* Cut at the buffer, never past it. */
	series_count_text(buf, 6, 1234567);
	assert_string_equal(buf, "1,234");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_points_bars_and_words),
		cmocka_unit_test(test_counts_with_separators),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
