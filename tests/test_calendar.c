/* test_calendar.c — the US federal holiday calendar: fixed and moving holidays in any year,
 * observed dates, and business days. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "store/store.h"

static void test_civil_days_round_trip(void **state)
{
	(void)state;
	assert_int_equal(cf_days_from_civil(1970, 1, 1), 0);
	assert_int_equal(cf_weekday(cf_days_from_civil(2019, 5, 31)), 5); /* a Friday */
	assert_int_equal(cf_weekday(cf_days_from_civil(2019, 6, 10)), 1); /* a Monday */
	for (int64_t d = -800000; d < 800000; d += 997) {
		int y, m, dd;
		cf_civil_from_days(d, &y, &m, &dd);
		assert_int_equal(cf_days_from_civil(y, m, dd), d);
	}
}

static void test_moving_holidays_any_year(void **state)
{
	(void)state;
	assert_non_null(cf_federal_holiday(2024, 1, 15));  /* MLK: third Monday of January */
	assert_null(cf_federal_holiday(1985, 1, 21));      /* MLK: not before 1986 */
	assert_non_null(cf_federal_holiday(2024, 2, 19));  /* Washington's Birthday */
	assert_non_null(cf_federal_holiday(2024, 5, 27));  /* Memorial Day: last Monday */
	assert_non_null(cf_federal_holiday(2021, 5, 31));
	assert_non_null(cf_federal_holiday(2024, 9, 2));   /* Labor Day */
	assert_non_null(cf_federal_holiday(2024, 10, 14)); /* Columbus Day */
	assert_non_null(cf_federal_holiday(2019, 11, 28)); /* Thanksgiving: fourth Thursday */
	assert_non_null(cf_federal_holiday(2024, 11, 28));
	assert_non_null(cf_federal_holiday(2025, 11, 27));
	assert_non_null(cf_federal_holiday(2100, 11, 25));
	assert_null(cf_federal_holiday(2024, 11, 29));     /* the day after is a workday */
	assert_non_null(cf_federal_holiday(1975, 10, 27)); /* Veterans Day, 1971-1977 rule */
	assert_null(cf_federal_holiday(1975, 11, 11));
}

static void test_fixed_holidays_observed_on_weekday(void **state)
{
	(void)state;
	assert_non_null(cf_federal_holiday(2019, 7, 4));   /* a Thursday */
	assert_non_null(cf_federal_holiday(2020, 7, 3));   /* July 4, 2020 a Saturday */
	assert_non_null(cf_federal_holiday(2021, 7, 5));   /* July 4, 2021 a Sunday */
	assert_non_null(cf_federal_holiday(2026, 7, 3));
	assert_non_null(cf_federal_holiday(2021, 12, 31)); /* New Year 2022 a Saturday */
	assert_non_null(cf_federal_holiday(2023, 11, 10)); /* Veterans Day 2023 a Saturday */
	assert_non_null(cf_federal_holiday(2022, 12, 26)); /* Christmas 2022 a Sunday */
	assert_non_null(cf_federal_holiday(2021, 6, 18));  /* Juneteenth 2021 a Saturday */
	assert_null(cf_federal_holiday(2020, 6, 19));      /* Juneteenth: from 2021 */
	assert_non_null(cf_federal_holiday(2024, 6, 19));
	assert_null(cf_federal_holiday(2019, 7, 5));
	assert_null(cf_federal_holiday(2020, 7, 6));
}

static void test_business_days_skip_weekends_and_holidays(void **state)
{
	(void)state;
	assert_true(cf_business_day(2024, 7, 3));
	assert_false(cf_business_day(2024, 7, 4));
	assert_false(cf_business_day(2024, 7, 6));  /* Saturday */
	assert_false(cf_business_day(2024, 7, 7));  /* Sunday */
	assert_false(cf_business_day(2026, 7, 3));  /* observed Independence Day */
	assert_true(cf_business_day(2024, 11, 29)); /* Friday after Thanksgiving */
	assert_false(cf_business_day(2024, 11, 28));
}

/* A calendar's own holidays (a State's): fixed dates observed beside a weekend, and the Nth or
 * last weekday of a month. */
static void test_holiday_rules_fixed_observed_and_nth_weekday(void **state)
{
	const struct cf_holiday_rule bennington = { 8, 16, 0, 0 };
	const struct cf_holiday_rule town_meeting = { 3, 0, 1, 2 }; /* first Tuesday of March */
	const struct cf_holiday_rule memorial = { 5, 0, -1, 1 };   /* last Monday of May */

	(void)state;
	assert_true(cf_holiday_rule_on(&bennington, 2024, 8, 16));  /* a Friday */
	assert_false(cf_holiday_rule_on(&bennington, 2024, 8, 15));
	assert_true(cf_holiday_rule_on(&bennington, 2025, 8, 15));  /* Sat 16: the Friday */
	assert_false(cf_holiday_rule_on(&bennington, 2025, 8, 18));
	assert_true(cf_holiday_rule_on(&bennington, 2026, 8, 17));  /* Sun 16: the Monday */
	assert_true(cf_holiday_rule_on(&town_meeting, 2024, 3, 5));
	assert_false(cf_holiday_rule_on(&town_meeting, 2024, 3, 12));
	assert_true(cf_holiday_rule_on(&town_meeting, 2026, 3, 3));
	assert_true(cf_holiday_rule_on(&memorial, 2024, 5, 27));
	assert_false(cf_holiday_rule_on(&memorial, 2024, 5, 20));
}

/* A month on: the same date, or the last day of a shorter month; across a year's end. */
static void test_add_months_clamps_to_the_last_day(void **state)
{
	(void)state;
	assert_int_equal(cf_days_add_months(2024, 1, 31, 1), cf_days_from_civil(2024, 2, 29));
	assert_int_equal(cf_days_add_months(2023, 1, 31, 1), cf_days_from_civil(2023, 2, 28));
	assert_int_equal(cf_days_add_months(2024, 8, 31, 1), cf_days_from_civil(2024, 9, 30));
	assert_int_equal(cf_days_add_months(2024, 12, 15, 1), cf_days_from_civil(2025, 1, 15));
	assert_int_equal(cf_days_add_months(2024, 3, 10, 14), cf_days_from_civil(2025, 5, 10));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_holiday_rules_fixed_observed_and_nth_weekday),
		cmocka_unit_test(test_add_months_clamps_to_the_last_day),
		cmocka_unit_test(test_civil_days_round_trip),
		cmocka_unit_test(test_moving_holidays_any_year),
		cmocka_unit_test(test_fixed_holidays_observed_on_weekday),
		cmocka_unit_test(test_business_days_skip_weekends_and_holidays),
	};
	return cmocka_run_group_tests_name("calendar", tests, NULL, NULL);
}
