/* view_known.c — the records that may have been learned by a known-at moment, when they are
 * few.  Early in a case written up later, almost nothing had been learned: a screen read in
 * the view's order would test every record of the kind (1.3 s at 1,000,000 events) to show
 * none.  The candidates are found through indexes instead (the log's index on time for the
 * records entered by then, the own dates' partial indexes, the records folded after the
 * as-of limit), and the known views read only them; view_query.c's per-row rule still decides
 * each, so candidates may be too many but never too few. */
#include "store/internal.h"

#include <stdio.h>
#include <stdlib.h>

/* Past this many candidates the known views read in their order and test each row: the
 * learned records are then many, so a screen fills after a few rows.  CASEFILE_KNOWN_CANDIDATES
 * sets another bound (tests: 0 reads every moment the other way). */
#define KNOWN_CANDIDATES_MAX 5000

static int candidates_max(void)
{
	const char *e = getenv("CASEFILE_KNOWN_CANDIDATES");
	char *end;
	long n = e && *e ? strtol(e, &end, 10) : -1;

	return n >= 0 && n <= KNOWN_CANDIDATES_MAX && !*end ? (int)n : KNOWN_CANDIDATES_MAX;
}
/* An own date's text is its start in the case's zone; zones lie within 14 hours of UTC, so
 * a text whose start is at or before the moment sorts before the moment's UTC text a day and
 * more later (27 hours, as view_step.c's margin). */
#define ZONE_MARGIN (27 * 3600)

/* Runs ST (text parameters A, B; the limit ?3) to its end: the rows it inserted, or the
 * value of the one row it reads, or < 0. */
static int insert_some(struct store *v, sqlite3_stmt *st, const char *a, const char *b,
		       int limit, struct cf_err *err)
{
	int rc;

	if (!st)
		return CF_EDB;
	bind_text(st, 1, a);
	bind_text(st, 2, b);
	sqlite3_bind_int(st, 3, limit);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		rc = sqlite3_column_int(st, 0);
	else
		rc = rc == SQLITE_DONE ? sqlite3_changes(v->db)
				       : store_db_error(v, err, "records learned by then");
	sqlite3_reset(st);
	return rc;
}

int view_known_candidates(struct store *v, const struct cf_moment *m, const char *limit,
			  struct cf_err *err)
{
	char known[CF_TIME_LEN], bound[CF_TIME_LEN];
	int max = candidates_max(), n = 0, rc;

	if ((rc = insert_some(v, store_stmt(v, "DELETE FROM temp.known_cand", err), NULL, NULL, 0,
			      err)) < 0 || m->known_at == CF_NO_MOMENT)
		return rc < 0 ? rc : 0;
	/* Entered by then: a create at or before both limits ("...:59.999Z" sorts after every
	 * operation of the moment's second).  Many operations by then (the log's index alone
	 * counts them): too many, without reading each. */
	cf_time_utc(m->known_at, known, sizeof(known));
	snprintf(known + 19, sizeof(known) - 19, ".999Z");
	rc = insert_some(v, store_stmt(v, "SELECT count(*) > ?3 - 1 FROM (SELECT 1 FROM main.op"
					  " WHERE at <= min(?1, ?2) LIMIT ?3)", err),
			 known, limit, max + 1, err);
	if (rc < 0 || rc == 1)
		return rc < 0 ? rc : 0;
	rc = insert_some(v, store_stmt(v, "INSERT OR IGNORE INTO temp.known_cand SELECT kind,"
					  " record FROM main.op WHERE at <= min(?1, ?2) AND"
					  " field = '@create' LIMIT ?3", err),
			 known, limit, max + 1, err);
	n = rc;
	/* A record folded after the as-of limit is read with its fields as they were. */
	if (rc >= 0 && n <= max)
		n += rc = insert_some(v, store_stmt(v, "INSERT OR IGNORE INTO temp.known_cand SELECT"
						       " kind, id FROM temp.view_changed LIMIT ?3",
						    err), NULL, NULL, max + 1 - n, err);
	cf_time_utc(m->known_at + ZONE_MARGIN, bound, sizeof(bound));
	bound[19] = '\0';
	for (int k = 0; rc >= 0 && n <= max && k < CF_KIND_COUNT; k++)
		if (view_dated((enum cf_kind)k))
			n += rc = insert_some(v, store_stmt(v, view_dated((enum cf_kind)k)->candidates,
							    err), bound, ":", max + 1 - n,
					      err);
	if (rc < 0)
		return rc;
	return n <= max;
}
