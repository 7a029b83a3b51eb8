/* zone.c — wall-clock arithmetic in a case's IANA zone: local dates, midnights and offsets,
 * through the C library's zone database (TZ), set for the span of one computation. */
#include "store/time/zone.h"
#include "store/store.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* A name of the zone database: a regular file under TZDIR that starts with the TZif magic
 * (the directory holds other files too, such as zone.tab, and subdirectories). */
int zone_known(const char *tz)
{
	const char *dir = getenv("TZDIR");
	struct strbuf path = STRBUF_INIT;
	char magic[4]; /* "TZif", RFC 8536 section 3.1 */
	struct stat sb;
	int fd, ok = 0;

	if (!tz || !*tz || strcmp(tz, "UTC") == 0)
		return 1;
	if (tz[0] == '/' || strstr(tz, ".."))
		return 0;
	strbuf_addf(&path, "%s/%s", dir && *dir ? dir : "/usr/share/zoneinfo", tz);
	if (stat(path.buf, &sb) == 0 && S_ISREG(sb.st_mode) &&
	    (fd = open(path.buf, O_RDONLY)) >= 0) {
		ok = read(fd, magic, sizeof(magic)) == (ssize_t)sizeof(magic) &&
		     memcmp(magic, "TZif", sizeof(magic)) == 0;
		close(fd);
	}
	strbuf_release(&path);
	return ok;
}

void zone_enter(struct zone *z, const char *tz)
{
	const char *old = getenv("TZ");

	z->had = old != NULL;
	z->saved = xstrdup_or_null(old);
	z->known = zone_known(tz);
	setenv("TZ", tz && *tz && z->known ? tz : "UTC", 1);
	tzset();
}

void zone_leave(struct zone *z)
{
	if (z->had && z->saved)
		setenv("TZ", z->saved, 1);
	else
		unsetenv("TZ");
	free(z->saved);
	z->saved = NULL;
	tzset();
}

void zone_date(int64_t t, int *y, int *m, int *d)
{
	time_t tt = (time_t)t;
	struct tm tm;

	localtime_r(&tt, &tm);
	*y = tm.tm_year + 1900;
	*m = tm.tm_mon + 1;
	*d = tm.tm_mday;
}

int64_t zone_midnight(int y, int m, int d)
{
	struct tm tm = { 0 };

	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	tm.tm_isdst = -1;
	return (int64_t)mktime(&tm);
}

int64_t zone_day_time(int64_t days, int minute)
{
	struct tm tm = { 0 };
	int y, m, d;

	cf_civil_from_days(days, &y, &m, &d);
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	tm.tm_hour = minute / 60;
	tm.tm_min = minute % 60;
	tm.tm_isdst = -1;
	return (int64_t)mktime(&tm);
}

int64_t zone_end_of_day(int64_t days)
{
	int y, m, d;

	cf_civil_from_days(days + 1, &y, &m, &d);
	return zone_midnight(y, m, d) - 1;
}

/* "2019-06-07T23:59:59-04:00" of TM; "...Z" when the offset is zero and Z_WHEN_ZERO. */
static void format_tm(const struct tm *tm, int z_when_zero, char *buf, size_t len)
{
	char base[sizeof("-2147483648-12-31T23:59:59")];
	long off = tm->tm_gmtoff;

	strftime(base, sizeof(base), "%Y-%m-%dT%H:%M:%S", tm);
	if (off == 0 && z_when_zero) {
		snprintf(buf, len, "%sZ", base);
		return;
	}
	snprintf(buf, len, "%s%c%02ld:%02ld", base, off < 0 ? '-' : '+', labs(off) / 3600,
		 labs(off) % 3600 / 60);
}

void zone_format(int64_t t, char *buf, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;

	localtime_r(&tt, &tm);
	format_tm(&tm, strcmp(getenv("TZ") ? getenv("TZ") : "UTC", "UTC") == 0, buf, len);
}

void cf_time_zoned(int64_t t, const char *tz, char *buf, size_t len)
{
	time_t tt = (time_t)t;
	struct zone z;
	struct tm tm;

	zone_enter(&z, tz);
	localtime_r(&tt, &tm);
	zone_leave(&z);
	format_tm(&tm, 1, buf, len);
}
