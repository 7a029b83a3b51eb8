/* rules_internal.h — private to store/: the rule set shared by the loader (rules.c) and the
 * parser of rule files (rules_parse.c). */
#ifndef CASEFILE_RULES_INTERNAL_H
#define CASEFILE_RULES_INTERNAL_H

#include "store/store.h"

struct entry {
	struct cf_rule r;
	int layer; /* index of the directory it came from: a later layer overrides */
};

struct pack {
	char *name;
	char *description;
};

/* A day a calendar is closed (e.g. federal offices closed by executive order). */
struct closure {
	char *calendar;
	char date[11]; /* "YYYY-MM-DD" */
	char *source;
	int layer;
};

/* A recurring holiday of a calendar (holiday = RULE NAME). */
struct holiday {
	char *calendar;
	struct cf_holiday_rule rule;
	char *name; /* its name and source, as written */
	int layer;
};

/* A calendar defined by some file: FEDERAL is 0 when its holidays replace the federal ones
 * (holidays = none). */
struct calendar {
	char *name;
	int federal;
};

struct cf_rules {
	struct entry **e;
	size_t n, cap;
	struct pack *packs;
	size_t npacks, cappacks;
	struct closure *closures;
	size_t nclosures, capclosures;
	struct holiday *holidays;
	size_t nholidays, capholidays;
	struct calendar *calendars;
	size_t ncalendars, capcalendars;
};

void rules_entry_free(struct entry *e);
/* Adds E to SET (taking it), replacing a rule with the same id from an earlier layer; the same
 * id twice in one layer is an error naming both places.  On error E is not taken. */
int rules_set_add(struct cf_rules *set, struct entry *e, struct cf_err *err);
/* Registers pack NAME, replacing its description when DESCRIPTION is not NULL. */
int rules_set_pack(struct cf_rules *set, const char *name, const char *description,
		   struct cf_err *err);
/* Adds the closed day DATE of CALENDAR with its SOURCE; the same day of one calendar twice in
 * one layer is an error, a later layer's replaces the earlier's source. */
int rules_set_closure(struct cf_rules *set, const char *calendar, const char *date,
		      const char *source, int layer, struct cf_err *err);
/* ---- calendars.c ---- */
/* Defines calendar NAME (federal holidays counted) unless it is already. */
void rules_set_calendar(struct cf_rules *set, const char *name);
int rules_has_calendar(const struct cf_rules *set, const char *name);
/* "holiday = 12-25 Christmas Day" or "holiday = first tuesday of march Town Meeting Day":
 * CF_EINVAL with a message when VALUE is neither. */
int rules_set_holiday(struct cf_rules *set, const char *calendar, const char *value, int layer,
		      struct cf_err *err);
/* "holidays = federal" (the default) or "none": whether the federal holidays count too. */
int rules_set_federal(struct cf_rules *set, const char *calendar, const char *value,
		      struct cf_err *err);
void rules_calendars_free(struct cf_rules *set);

/* Parses the rule file PATH into SET; the first error is "PATH:LINE: message". */
int rules_parse_file(struct cf_rules *set, const char *path, int layer, struct cf_err *err);

#endif
