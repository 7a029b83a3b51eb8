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

struct cf_rules {
	struct entry **e;
	size_t n, cap;
	struct pack *packs;
	size_t npacks, cappacks;
	struct closure *closures;
	size_t nclosures, capclosures;
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
/* Parses the rule file PATH into SET; the first error is "PATH:LINE: message". */
int rules_parse_file(struct cf_rules *set, const char *path, int layer, struct cf_err *err);

#endif
