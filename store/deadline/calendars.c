/* calendars.c — the calendars of rule files ([calendar NAME]): the days they close besides
 * weekends (closed = DATE SOURCE), their own recurring holidays (holiday = RULE NAME, e.g. a
 * State's legal holidays) and whether the US federal holidays count too (holidays = federal or
 * none).  The loader (rules.c) and the parser (rules_parse.c) fill them; the engine asks
 * rules_business_day(). */
#include "store/deadline/rules_internal.h"
#include "store/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Room for one more item in ARR, which holds N of CAP (xalloc's policy: no failure path). */
#define GROW(arr, n, cap)                                                     \
	do {                                                                  \
		if ((n) == (cap)) {                                           \
			(cap) = (cap) ? (cap) * 2 : 8;                        \
			(arr) = xreallocarray((arr), (cap), sizeof(*(arr)));  \
		}                                                             \
	} while (0)

static struct calendar *find_calendar(const struct cf_rules *set, const char *name)
{
	for (size_t i = 0; set && name && i < set->ncalendars; i++)
		if (!strcmp(set->calendars[i].name, name))
			return &set->calendars[i];
	return NULL;
}

void rules_set_calendar(struct cf_rules *set, const char *name)
{
	if (find_calendar(set, name))
		return;
	GROW(set->calendars, set->ncalendars, set->capcalendars);
	set->calendars[set->ncalendars].name = xstrdup(name);
	set->calendars[set->ncalendars++].federal = 1;
}

int rules_has_calendar(const struct cf_rules *set, const char *name)
{
	return find_calendar(set, name) != NULL;
}

int rules_set_closure(struct cf_rules *set, const char *calendar, const char *date,
		      const char *source, int layer, struct cf_err *err)
{
	struct closure *c = NULL;

	rules_set_calendar(set, calendar);
	for (size_t i = 0; !c && i < set->nclosures; i++)
		if (!strcmp(set->closures[i].calendar, calendar) &&
		    !strcmp(set->closures[i].date, date))
			c = &set->closures[i];
	if (c && c->layer == layer)
		return cf_error(err, CF_EINVAL, "closed day %s of calendar '%s' given twice", date,
				calendar);
	if (c) {
		free(c->source);
		c->source = xstrdup(source);
		c->layer = layer;
		return 0;
	}
	GROW(set->closures, set->nclosures, set->capclosures);
	c = &set->closures[set->nclosures++];
	c->calendar = xstrdup(calendar);
	cf_strlcpy(c->date, date, sizeof(c->date));
	c->source = xstrdup(source);
	c->layer = layer;
	return 0;
}

const char *rules_closure(const struct cf_rules *rules, const char *calendar, const char *date)
{
	for (size_t i = 0; rules && calendar && i < rules->nclosures; i++)
		if (!strcmp(rules->closures[i].calendar, calendar) &&
		    !strcmp(rules->closures[i].date, date))
			return rules->closures[i].source;
	return NULL;
}

/* Index of WORD in the NULL-ended LIST (case-insensitive), or -1. */
static int word_index(const char *word, size_t len, const char *const *list)
{
	for (int i = 0; list[i]; i++)
		if (strlen(list[i]) == len && !strncasecmp(word, list[i], len))
			return i;
	return -1;
}

/* "12-25 Christmas Day" or "first tuesday of march Town Meeting Day": the rule into H, the
 * rest (the holiday's name and source) at *REST.  0, or -1 when VALUE is neither form. */
static int parse_holiday(const char *value, struct cf_holiday_rule *h, const char **rest)
{
	static const char *const nth[] = { "first", "second", "third", "fourth", "last", NULL };
	static const char *const wday[] = { "sunday", "monday", "tuesday", "wednesday",
					     "thursday", "friday", "saturday", NULL };
	static const char *const month[] = { "january", "february", "march", "april", "may",
					      "june", "july", "august", "september", "october",
					      "november", "december", NULL };
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	const char *w[4], *p = value;
	size_t len[4];
	int m, d, used = 0;

	memset(h, 0, sizeof(*h));
	if (sscanf(value, "%2d-%2d%n", &m, &d, &used) == 2 && used == 5 &&
	    (!value[5] || value[5] == ' ') && m >= 1 && m <= 12 && d >= 1 && d <= mdays[m - 1]) {
		h->month = m;
		h->day = d;
		*rest = value + 5;
		return 0;
	}
	for (int i = 0; i < 4; i++) { /* ORDINAL WEEKDAY of MONTH */
		while (*p == ' ')
			p++;
		w[i] = p;
		len[i] = strcspn(p, " ");
		p += len[i];
	}
	int n = word_index(w[0], len[0], nth), wd = word_index(w[1], len[1], wday);
	int mo = word_index(w[3], len[3], month);
	if (n < 0 || wd < 0 || mo < 0 || len[2] != 2 || strncasecmp(w[2], "of", 2))
		return -1;
	h->nth = n == 4 ? -1 : n + 1;
	h->wday = wd;
	h->month = mo + 1;
	*rest = p;
	return 0;
}

int rules_set_holiday(struct cf_rules *set, const char *calendar, const char *value, int layer,
		      struct cf_err *err)
{
	struct cf_holiday_rule h;
	const char *name;

	if (parse_holiday(value, &h, &name) < 0)
		return cf_error(err, CF_EINVAL, "holiday: '%s' is not 'MM-DD NAME' or 'first|second|"
				"third|fourth|last WEEKDAY of MONTH NAME'", value);
	while (*name == ' ')
		name++;
	if (!*name)
		return cf_error(err, CF_EINVAL, "holiday: give its name and source after the date");
	rules_set_calendar(set, calendar);
	GROW(set->holidays, set->nholidays, set->capholidays);
	struct holiday *o = &set->holidays[set->nholidays++];
	o->calendar = xstrdup(calendar);
	o->name = xstrdup(name);
	o->rule = h;
	o->layer = layer;
	return 0;
}

int rules_set_federal(struct cf_rules *set, const char *calendar, const char *value,
		      struct cf_err *err)
{
	int federal = !strcmp(value, "federal");

	if (!federal && strcmp(value, "none"))
		return cf_error(err, CF_EINVAL, "holidays: '%s' is not 'federal' or 'none'", value);
	rules_set_calendar(set, calendar);
	find_calendar(set, calendar)->federal = federal;
	return 0;
}

int rules_business_day(const struct cf_rules *rules, const char *calendar, int64_t day)
{
	const struct calendar *c = find_calendar(rules, calendar);
	int y, m, d, wd = cf_weekday(day);
	char date[16];

	if (wd == 0 || wd == 6)
		return 0;
	cf_civil_from_days(day, &y, &m, &d);
	if ((!c || c->federal) && cf_federal_holiday(y, m, d))
		return 0;
	for (size_t i = 0; c && i < rules->nholidays; i++)
		if (!strcmp(rules->holidays[i].calendar, calendar) &&
		    cf_holiday_rule_on(&rules->holidays[i].rule, y, m, d))
			return 0;
	snprintf(date, sizeof(date), "%04d-%02d-%02d", y, m, d);
	return !rules_closure(rules, calendar, date);
}

void rules_calendars_free(struct cf_rules *set)
{
	for (size_t i = 0; i < set->nclosures; i++) {
		free(set->closures[i].calendar);
		free(set->closures[i].source);
	}
	for (size_t i = 0; i < set->nholidays; i++) {
		free(set->holidays[i].calendar);
		free(set->holidays[i].name);
	}
	for (size_t i = 0; i < set->ncalendars; i++)
		free(set->calendars[i].name);
	free(set->closures);
	free(set->holidays);
	free(set->calendars);
}
