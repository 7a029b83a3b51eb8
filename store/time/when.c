/* when.c — times as people enter them: a year, a month, a day, a minute, with a zone or not,
 * or a period between two of these.  Precision is kept; sorting uses the start in UTC. */
#include "store/store.h"
#include "store/time/zone.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

static int days_in_month(int y, int m)
{
	static const int dm[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 && leap ? 29 : dm[m - 1];
}

/* Reads exactly N digits. */
static int digits(const char **p, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*p)[i]))
			return -1;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*out = v;
	return 0;
}

struct parts {
	int y, mo, d, h, mi, s;
	enum cf_precision prec;
	int has_zone;
	int offset; /* seconds east of UTC */
};

static int parse_point(const char *text, const char *end, struct parts *pt)
{
	const char *p = text;

	memset(pt, 0, sizeof(*pt));
	pt->mo = pt->d = 1;
	if (digits(&p, 4, &pt->y) < 0)
		return -1;
	pt->prec = CF_P_YEAR;
	if (p < end && *p == '-') {
		p++;
		if (digits(&p, 2, &pt->mo) < 0 || pt->mo < 1 || pt->mo > 12)
			return -1;
		pt->prec = CF_P_MONTH;
		if (p < end && *p == '-') {
			p++;
			if (digits(&p, 2, &pt->d) < 0 || pt->d < 1 ||
			    pt->d > days_in_month(pt->y, pt->mo))
				return -1;
			pt->prec = CF_P_DAY;
		}
	}
	if (p < end && (*p == 'T' || *p == ' ') && pt->prec == CF_P_DAY) {
		p++;
		if (digits(&p, 2, &pt->h) < 0 || *p != ':' || pt->h > 23)
			return -1;
		p++;
		if (digits(&p, 2, &pt->mi) < 0 || pt->mi > 59)
			return -1;
		pt->prec = CF_P_MINUTE;
		if (p < end && *p == ':') {
			p++;
			if (digits(&p, 2, &pt->s) < 0 || pt->s > 60)
				return -1;
			pt->prec = CF_P_SECOND;
			if (p < end && (*p == '.' || *p == ',')) { /* fractions are kept as text only */
				p++;
				while (p < end && isdigit((unsigned char)*p))
					p++;
			}
		}
		if (p < end && (*p == 'Z' || *p == 'z')) {
			p++;
			pt->has_zone = 1;
		} else if (p < end && (*p == '+' || *p == '-')) {
			int sign = *p == '-' ? -1 : 1, oh, om = 0;
			p++;
			if (digits(&p, 2, &oh) < 0 || oh > 23)
				return -1;
			if (p < end && *p == ':')
				p++;
			if (p < end && (digits(&p, 2, &om) < 0 || om > 59))
				return -1;
			pt->has_zone = 1;
			pt->offset = sign * (oh * 3600 + om * 60);
		}
	}
	return p == end ? 0 : -1;
}

/* The last conversions made, by their exact input: a zone switch costs two reads of the zone
 * file (tzset, about 55 us), and a view at a moment or a step reads the same few hundred own
 * dates again and again.  One per thread (verify runs a second one). */
#define LOCAL_MEMO 256
struct local_memo {
	int64_t naive, utc;
	char tz[64]; /* "" when unused */
};
static _Thread_local struct local_memo local_memo[LOCAL_MEMO];

static struct local_memo *memo_slot(int64_t naive, const char *tz)
{
	uint64_t h = (uint64_t)naive * 0x9e3779b97f4a7c15u;

	for (const char *c = tz; *c; c++)
		h = (h ^ (unsigned char)*c) * 0x100000001b3u;
	return &local_memo[(h >> 32) % LOCAL_MEMO];
}

/* Seconds since the epoch of a wall-clock time in zone TZ (DST resolved by mktime). */
static int64_t local_to_utc(const struct parts *pt, const char *tz)
{
	int64_t naive = cf_days_from_civil(pt->y, pt->mo, pt->d) * 86400 + pt->h * 3600 +
			pt->mi * 60 + pt->s;
	struct local_memo *memo;
	struct zone z;
	struct tm tm = { 0 };
	time_t t;

	if (!tz || !*tz || strcmp(tz, "UTC") == 0)
		return naive;
	memo = memo_slot(naive, tz);
	if (memo->naive == naive && strcmp(memo->tz, tz) == 0)
		return memo->utc;
	zone_enter(&z, tz);
	tm.tm_year = pt->y - 1900;
	tm.tm_mon = pt->mo - 1;
	tm.tm_mday = pt->d;
	tm.tm_hour = pt->h;
	tm.tm_min = pt->mi;
	tm.tm_sec = pt->s;
	tm.tm_isdst = -1;
	t = mktime(&tm);
	zone_leave(&z);
	if (strlen(tz) < sizeof(memo->tz)) {
		memo->naive = naive;
		memo->utc = t == (time_t)-1 ? naive : (int64_t)t;
		memcpy(memo->tz, tz, strlen(tz) + 1);
	}
	return t == (time_t)-1 ? naive : (int64_t)t;
}

static int64_t point_start(const struct parts *pt, const char *tz)
{
	if (pt->has_zone)
		return cf_days_from_civil(pt->y, pt->mo, pt->d) * 86400 +
		       pt->h * 3600 + pt->mi * 60 + pt->s - pt->offset;
	return local_to_utc(pt, tz);
}

/* The end of the span the point covers: a month covers the whole month. */
static int64_t point_end(const struct parts *pt, const char *tz)
{
	struct parts next = *pt;
	switch (pt->prec) {
	case CF_P_YEAR:
		next.y++;
		break;
	case CF_P_MONTH:
		if (++next.mo > 12) {
			next.mo = 1;
			next.y++;
		}
		break;
	case CF_P_DAY:
		if (++next.d > days_in_month(next.y, next.mo)) {
			next.d = 1;
			if (++next.mo > 12) {
				next.mo = 1;
				next.y++;
			}
		}
		break;
	case CF_P_MINUTE:
		return point_start(pt, tz) + 60;
	case CF_P_SECOND:
		return point_start(pt, tz) + 1;
	}
	return point_start(&next, tz);
}

int cf_when_parse(const char *text, const char *tz, struct cf_when *out, struct cf_err *err)
{
	struct parts a, b;
	const char *slash;

	if (!text || !*text)
		return cf_error(err, CF_EINVAL, "empty time");
	memset(out, 0, sizeof(*out));
	slash = strchr(text, '/');
	if (parse_point(text, slash ? slash : text + strlen(text), &a) < 0)
		goto bad;
	out->start = point_start(&a, tz);
	out->end = point_end(&a, tz);
	out->precision = a.prec;
	out->has_zone = a.has_zone;
	if (slash) {
		if (parse_point(slash + 1, slash + 1 + strlen(slash + 1), &b) < 0)
			goto bad;
		out->end = point_end(&b, tz);
		out->is_period = 1;
		if (out->end <= out->start)
			return cf_error(err, CF_EINVAL, "period '%s' ends before it starts", text);
	}
	return 0;
bad:
	return cf_error(err, CF_EINVAL,
			"bad time '%s' (use 2019, 2019-06, 2019-05-31, 2019-05-31T14:02Z, or A/B)",
			text);
}

void cf_time_utc(int64_t t, char *buf, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int64_t cf_now(void)
{
	const char *fixed = getenv("CASEFILE_NOW");
	struct cf_when w;
	if (fixed && cf_when_parse(fixed, NULL, &w, NULL) == 0)
		return w.start;
	return (int64_t)time(NULL);
}

void cf_now_iso(char *buf, size_t len)
{
	const char *fixed = getenv("CASEFILE_NOW");
	struct timeval tv;
	struct tm tm;
	char sec[CF_TIME_LEN];

	if (fixed && cf_now() != 0) {
		cf_time_utc(cf_now(), sec, sizeof(sec));
		sec[19] = '\0';
		snprintf(buf, len, "%s.000Z", sec);
		return;
	}
	gettimeofday(&tv, NULL);
	gmtime_r(&tv.tv_sec, &tm);
	strftime(sec, sizeof(sec), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf, len, "%s.%03dZ", sec, (int)(tv.tv_usec / 1000));
}
