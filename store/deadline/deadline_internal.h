/* deadline_internal.h — private to store/: the case facts the deadline engine (deadline.c) and
 * the advisories (advisory.c) evaluate rules against. */
#ifndef CASEFILE_DEADLINE_INTERNAL_H
#define CASEFILE_DEADLINE_INTERNAL_H

#include "store/store.h"

/* The case's facts the rules look at. */
struct facts {
	struct cf_record c;
	const char *tz;
	char *packs;                /* rule_packs, "federal" when unset */
	int have_people;
	int attributed;             /* every people estimate names its jurisdiction */
	int64_t low, best, high;    /* each -1 when no estimate gives it */
	struct cat { char *name, *jur; int64_t low, best, high; } *cats;
	size_t ncats;
	struct first { char *kind; char *occurred; } *events; /* earliest event of each kind */
	size_t nevents;
	struct notice {
		char id[CF_ID_LEN + 1];
		char *rule, *status, *sent, *ack, *waiver, *due, *recipient, *source, *contents;
		struct cf_rule own; /* a notice no rule in force makes due: a rule made of it */
	} *notices;
	size_t nnotices;
};

/* One notification owed, as the engine computed it (deadline.c). */
struct dl_item {
	struct cf_deadline d;
	const struct notice *n;
	char caveat[160];
};

/* Every deadline of the rules in force, then every notice no rule in force makes due (by its
 * own due time), sorted; *OUT malloc'd.  Enters and leaves the case zone itself. */
int deadline_items(struct facts *f, const struct cf_rules *rules, int64_t at,
		   struct dl_item **out, size_t *count, struct cf_err *err);

/* Reads the case, its latest people estimates, its notices and (when a rule in force needs
 * them) the earliest event of each kind.  F is always safe to release. */
int deadline_facts_load(struct store *s, const struct cf_rules *rules, struct facts *f,
	       struct cf_err *err);
void deadline_facts_release(struct facts *f);
/* Is PACK one of the comma-separated names in LIST? */
int deadline_in_list(const char *list, const char *pack);
/* 1 every condition of R holds, 0 one does not, -1 the case does not say. */
int deadline_conds_hold(const struct facts *f, const struct cf_rule *r);
/* Why the case cannot tell whether R applies ("residents of Texas unknown: ..."), into BUF. */
void deadline_unknown_why(const struct facts *f, const struct cf_rule *r, char *buf, size_t len);

#endif
