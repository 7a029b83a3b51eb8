/* zone.h — private to store/: wall-clock arithmetic in a case's IANA time zone, for deadlines. */
#ifndef CASEFILE_ZONE_H
#define CASEFILE_ZONE_H

#include <stddef.h>
#include <stdint.h>

/* A zone made current for a while: TZ is set on enter and put back on leave. */
struct zone {
	char *saved;
	int had;
	int known; /* the zone's file was found (an unknown name silently means UTC in libc) */
};

/* 1 when TZ names a zone of the zone database (or is UTC, or unset). */
int zone_known(const char *tz);
void zone_enter(struct zone *z, const char *tz);
void zone_leave(struct zone *z);

/* The local civil date of the UTC instant T, in the current zone. */
void zone_date(int64_t t, int *y, int *m, int *d);
/* The UTC instant of local midnight starting date Y-M-D (first valid time if midnight is
 * skipped by a DST change). */
int64_t zone_midnight(int y, int m, int d);
/* The UTC instant of local time MINUTE (minutes after midnight) on local day DAYS. */
int64_t zone_day_time(int64_t days, int minute);
/* The last second of local day DAYS (days since 1970-01-01 as a civil date). */
int64_t zone_end_of_day(int64_t days);
/* "2019-06-07T23:59:59-04:00" */
void zone_format(int64_t t, char *buf, size_t len);

#endif
