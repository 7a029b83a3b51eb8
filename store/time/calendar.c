/* calendar.c — civil dates and the US federal holiday calendar (5 U.S.C. 6103), computed for any
 * year rather than kept as a table, so business-day deadlines stay right in every year. */
#include "store/store.h"

#include <stddef.h>

int64_t cf_days_from_civil(int year, int month, int day)
{
	/* Howard Hinnant's days_from_civil: proleptic Gregorian, no time zone involved. */
	int64_t y = year - (month <= 2);
	const int64_t era = (y >= 0 ? y : y - 399) / 400;
	const unsigned yoe = (unsigned)(y - era * 400);
	const unsigned m = (unsigned)month, d = (unsigned)day;
	const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

void cf_civil_from_days(int64_t days, int *year, int *month, int *day)
{
	int64_t z = days + 719468;
	const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	const unsigned doe = (unsigned)(z - era * 146097);
	const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	const unsigned mp = (5 * doy + 2) / 153;
	const unsigned d = doy - (153 * mp + 2) / 5 + 1;
	const unsigned m = mp < 10 ? mp + 3 : mp - 9;

	*year = (int)((int64_t)yoe + era * 400 + (m <= 2));
	*month = (int)m;
	*day = (int)d;
}

int cf_weekday(int64_t days)
{
	/* 1970-01-01 was a Thursday (4). */
	int64_t w = (days + 4) % 7;
	return (int)(w < 0 ? w + 7 : w);
}

static int days_in_month(int year, int month)
{
	static const int dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
	return dm[month - 1] + (month == 2 && leap);
}

int64_t cf_days_add_months(int year, int month, int day, int n)
{
	int m0 = month - 1 + n, y = year + m0 / 12, m = m0 % 12 + 1;
	int last = days_in_month(y, m);
	return cf_days_from_civil(y, m, day < last ? day : last);
}

/* Day of month of the Nth WEEKDAY (0 = Sunday) of MONTH; N = -1 for the last one. */
static int nth_weekday(int year, int month, int weekday, int n)
{
	if (n > 0) {
		int first = cf_weekday(cf_days_from_civil(year, month, 1));
		return 1 + (weekday - first + 7) % 7 + 7 * (n - 1);
	}
	int last = days_in_month(year, month);
	int wd = cf_weekday(cf_days_from_civil(year, month, last));
	return last - (wd - weekday + 7) % 7;
}

/* Holidays on a fixed date: observed on the Friday before or the Monday after a weekend. */
static const char *fixed_holiday(int year, int month, int day)
{
	if (month == 1 && day == 1)
		return "New Year's Day";
	if (month == 6 && day == 19 && year >= 2021)
		return "Juneteenth National Independence Day";
	if (month == 7 && day == 4)
		return "Independence Day";
	/* From 1971 to 1977 Veterans Day was the fourth Monday of October (Pub. L. 90-363). */
	if (month == 11 && day == 11 && (year < 1971 || year > 1977))
		return "Veterans Day";
	if (month == 12 && day == 25)
		return "Christmas Day";
	return NULL;
}

/* Holidays on the Nth weekday of a month (the Uniform Monday Holiday Act, from 1971). */
static const char *moving_holiday(int year, int month, int day)
{
	static const struct {
		int month, weekday, n, since;
		const char *name;
	} table[] = {
		{ 1, 1, 3, 1986, "Birthday of Martin Luther King, Jr." },
		{ 2, 1, 3, 1971, "Washington's Birthday" },
		{ 5, 1, -1, 1971, "Memorial Day" },
		{ 9, 1, 1, 1894, "Labor Day" },
		{ 10, 1, 2, 1971, "Columbus Day" },
		{ 10, 1, 4, 1971, "Veterans Day" }, /* 1971-1977 only: see fixed_holiday */
		{ 11, 4, 4, 1942, "Thanksgiving Day" },
	};
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		if (table[i].month != month || year < table[i].since)
			continue;
		if (table[i].month == 10 && table[i].n == 4 && year > 1977)
			continue;
		if (nth_weekday(year, month, table[i].weekday, table[i].n) == day)
			return table[i].name;
	}
	return NULL;
}

const char *cf_federal_holiday(int year, int month, int day)
{
	int64_t days = cf_days_from_civil(year, month, day);
	int wd = cf_weekday(days), y, m, d;
	const char *name;

	if ((name = moving_holiday(year, month, day)))
		return name;
	if ((name = fixed_holiday(year, month, day)))
		return name;
	if (wd == 5) { /* a Saturday holiday is observed on the Friday before */
		cf_civil_from_days(days + 1, &y, &m, &d);
		if ((name = fixed_holiday(y, m, d)))
			return name;
	}
	if (wd == 1) { /* a Sunday holiday is observed on the Monday after */
		cf_civil_from_days(days - 1, &y, &m, &d);
		if ((name = fixed_holiday(y, m, d)))
			return name;
	}
	return NULL;
}

int cf_holiday_rule_on(const struct cf_holiday_rule *h, int year, int month, int day)
{
	int64_t days = cf_days_from_civil(year, month, day);
	int wd = cf_weekday(days), y, m, d;

	if (h->nth)
		return h->month == month && nth_weekday(year, month, h->wday, h->nth) == day;
	if (h->month == month && h->day == day)
		return 1;
	if (wd != 5 && wd != 1) /* observed: a Saturday's on the Friday, a Sunday's on the Monday */
		return 0;
	cf_civil_from_days(days + (wd == 5 ? 1 : -1), &y, &m, &d);
	return h->month == m && h->day == d;
}

int cf_business_day(int year, int month, int day)
{
	int wd = cf_weekday(cf_days_from_civil(year, month, day));
	return wd != 0 && wd != 6 && !cf_federal_holiday(year, month, day);
}
