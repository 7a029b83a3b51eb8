/* test_when.c — times as entered: precision, zones and offsets, periods, and bad dates. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "store/store.h"

static struct cf_when parse_ok(const char *text, const char *tz)
{
	struct cf_when w;
	struct cf_err err;
	if (cf_when_parse(text, tz, &w, &err) != 0)
		fail_msg("'%s' refused: %s", text, err.msg);
	return w;
}

static void test_year_month_day_keep_their_precision(void **state)
{
	struct cf_when w;

	(void)state;
	w = parse_ok("2019", NULL);
	assert_int_equal(w.precision, CF_P_YEAR);
	assert_int_equal(w.start, 1546300800);  /* 2019-01-01T00:00Z */
	assert_int_equal(w.end, 1577836800);    /* 2020-01-01 */
	assert_false(w.is_period);
	w = parse_ok("2019-06", NULL);
	assert_int_equal(w.precision, CF_P_MONTH);
	assert_int_equal(w.start, 1559347200);  /* 2019-06-01 */
	assert_int_equal(w.end, 1561939200);    /* 2019-07-01 */
	w = parse_ok("2019-12", NULL);
	assert_int_equal(w.end, 1577836800);    /* December ends at the new year */
	w = parse_ok("2019-05-31", NULL);
	assert_int_equal(w.precision, CF_P_DAY);
	assert_int_equal(w.start, 1559260800);
	assert_int_equal(w.end, 1559347200);
	w = parse_ok("2020-02-29", NULL);       /* leap day */
	assert_int_equal(w.end - w.start, 86400);
}

static void test_minutes_seconds_and_offsets(void **state)
{
	struct cf_when w;

	(void)state;
	w = parse_ok("2019-05-31T14:02Z", NULL);
	assert_int_equal(w.precision, CF_P_MINUTE);
	assert_true(w.has_zone);
	assert_int_equal(w.start, 1559311320);
	assert_int_equal(w.end, 1559311380);
	w = parse_ok("2019-05-31 14:02Z", NULL);
	assert_int_equal(w.start, 1559311320);
	w = parse_ok("2019-05-31T14:02:05-04:00", NULL);
	assert_int_equal(w.precision, CF_P_SECOND);
	assert_int_equal(w.start, 1559311325 + 4 * 3600);
	assert_int_equal(w.end, w.start + 1);
	w = parse_ok("2019-05-31T14:02+0530", NULL);
	assert_int_equal(w.start, 1559311320 - 5 * 3600 - 30 * 60);
	w = parse_ok("2019-05-31T14:02:05.250Z", NULL);
	assert_int_equal(w.start, 1559311325);
	/* The zone named in the argument governs times without an offset, with DST. */
	w = parse_ok("2019-05-31T14:02", "America/New_York");
	assert_false(w.has_zone);
	assert_int_equal(w.start, 1559311320 + 4 * 3600);
	w = parse_ok("2019-01-31T14:02", "America/New_York");
	assert_int_equal(w.start, 1548943320 + 5 * 3600);
	/* ... but an explicit offset wins over the case zone. */
	w = parse_ok("2019-05-31T14:02Z", "America/New_York");
	assert_int_equal(w.start, 1559311320);
	w = parse_ok("2019-05-31T14:02", NULL);
	assert_int_equal(w.start, 1559311320);
}

/* The same wall-clock times read again and again, in zones taken in turn (as a view at a
 * moment reads the same own dates at every step): each keeps its own zone's answer, however the
 * conversions before it were remembered. */
static void test_zones_read_in_turn_keep_their_answers(void **state)
{
	static const struct {
		const char *tz;
		long offset; /* of 2019-05-31T14:02 (summer), in seconds east of UTC */
	} zones[] = { { "America/New_York", -4 * 3600 }, { "Europe/Berlin", 2 * 3600 },
		      { "Asia/Kolkata", 5 * 3600 + 30 * 60 }, { "UTC", 0 },
		      { "Australia/Sydney", 10 * 3600 } };
	(void)state;
	for (int round = 0; round < 3; round++)
		for (int hour = 14; hour < 19; hour++)
			for (int minute = 0; minute < 60; minute++)
				for (size_t z = 0; z < sizeof(zones) / sizeof(zones[0]); z++) {
					char text[32];
					snprintf(text, sizeof(text), "2019-05-31T%02d:%02d", hour, minute);
					assert_int_equal(parse_ok(text, zones[z].tz).start,
							 1559311320 + (hour - 14) * 3600 +
								 (minute - 2) * 60 - zones[z].offset);
				}
	/* Winter in New York after all those summers: the offset of that date, not a remembered
	 * one. */
	assert_int_equal(parse_ok("2019-01-31T14:02", "America/New_York").start,
			 1548943320 + 5 * 3600);
}

static void test_periods_cover_both_ends(void **state)
{
	struct cf_when w;

	(void)state;
	w = parse_ok("2018-08/2019-01", NULL);
	assert_true(w.is_period);
	assert_int_equal(w.precision, CF_P_MONTH);
	assert_int_equal(w.start, 1533081600);  /* 2018-08-01 */
	assert_int_equal(w.end, 1548979200);    /* 2019-02-01: January included */
	w = parse_ok("2019-05-31/2019-06-10", NULL);
	assert_int_equal(w.end - w.start, 11 * 86400);
	w = parse_ok("2018-08/2019-05-31", NULL);
	assert_int_equal(w.end, 1559347200);
	w = parse_ok("2019-05-31T14:02Z/2019-05-31T15:00Z", NULL);
	assert_int_equal(w.end - w.start, 58 * 60 + 60);
}

static void test_bad_times_are_refused_with_the_text(void **state)
{
	static const char *const bad[] = {
		"", "2019-02-30", "2019-02-29", "2019-13", "2019-00", "2019-04-31", "19-05-31",
		"2019-5-31", "2019-05-31T25:00Z", "2019-05-31T14:60Z", "2019-05-31T14",
		"2019-05-31T14:02Z junk", "2019-05-31T14:02+25:00", "2019-05-31T14:02+05:99",
		"2019-06/2019-05", "2019/2018", "2019-01/", "/2019", "yesterday", "2019-06-10 ",
		"T14:02", "2019-05-31T14:02:61Z",
	};
	struct cf_when w;
	struct cf_err err;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (cf_when_parse(bad[i], NULL, &w, &err) != CF_EINVAL)
			fail_msg("'%s' was accepted", bad[i]);
		if (bad[i][0] && !strstr(err.msg, bad[i]))
			fail_msg("message for '%s' does not name it: %s", bad[i], err.msg);
	}
	assert_int_equal(cf_when_parse(NULL, NULL, &w, &err), CF_EINVAL);
}

static void test_utc_formatting_and_fixed_now(void **state)
{
	char buf[40];

	(void)state;
	cf_time_utc(1559311325, buf, sizeof(buf));
	assert_string_equal(buf, "2019-05-31T14:02:05Z");
	setenv("CASEFILE_NOW", "2019-06-10T12:00Z", 1);
	assert_int_equal(cf_now(), 1560168000);
	cf_now_iso(buf, sizeof(buf));
	assert_string_equal(buf, "2019-06-10T12:00:00.000Z");
	unsetenv("CASEFILE_NOW");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_year_month_day_keep_their_precision),
		cmocka_unit_test(test_minutes_seconds_and_offsets),
		cmocka_unit_test(test_zones_read_in_turn_keep_their_answers),
		cmocka_unit_test(test_periods_cover_both_ends),
		cmocka_unit_test(test_bad_times_are_refused_with_the_text),
		cmocka_unit_test(test_utc_formatting_and_fixed_now),
	};
	return cmocka_run_group_tests_name("when", tests, NULL, NULL);
}
