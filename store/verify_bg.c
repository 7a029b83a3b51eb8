/* verify_bg.c — the checks of verify that are SQLite's work alone (PRAGMA integrity_check, then
 * FTS5's integrity-check), on a second connection in a thread of their own, so that on two
 * cores verify takes the time of its longer half, not of both (1,000,000 events: 12 s of the
 * 30 s, run alongside the replay).  Their problems (at most 100 from integrity_check, SQLite's
 * default, and one per full-text index) wait in memory until reported. */
#include "store/internal.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct bg_problem {
	const char *check; /* a static string of the check */
	enum cf_kind kind;
	char *msg;
};

/* One check's outcome, kept to be reported in the caller's thread. */
struct bg_result {
	int n;              /* problems found, or a negative cf_rc */
	struct cf_err err;  /* when N < 0 */
	double seconds;
	struct bg_problem *p;
	size_t np, alloc;
	int done;
};

struct verify_bg {
	struct store *s;    /* the case: the inline fallback reads through its connection */
	sqlite3 *db;        /* the thread's own connection, or NULL */
	pthread_t thread;
	int running;        /* a thread was started and not yet joined */
	int fts;
	struct bg_result integrity, fulltext;
};

static int keep(const struct cf_problem *p, void *ctx)
{
	struct bg_result *r = ctx;

	if (r->np == r->alloc) {
		r->alloc = r->alloc ? 2 * r->alloc : 8;
		r->p = xreallocarray(r->p, r->alloc, sizeof(*r->p));
	}
	r->p[r->np].check = p->check;
	r->p[r->np].kind = p->kind;
	r->p[r->np].msg = xstrdup(p->msg);
	r->np++;
	return 0;
}

/* Both checks on DB, each timed. */
static void run_checks(struct verify_bg *bg, sqlite3 *db)
{
	double t0 = progress_now();

	bg->integrity.n = verify_integrity_db(db, keep, &bg->integrity, &bg->integrity.err);
	bg->integrity.seconds = progress_now() - t0;
	bg->integrity.done = 1;
	if (bg->fts) {
		t0 = progress_now();
		bg->fulltext.n = verify_fts_db(db, keep, &bg->fulltext);
		bg->fulltext.seconds = progress_now() - t0;
	}
	bg->fulltext.done = 1;
}

static void *thread_main(void *arg)
{
	struct verify_bg *bg = arg;

	run_checks(bg, bg->db);
	return NULL;
}

/* A second connection to S's database, as store_open sets one up; NULL when there cannot be
 * one (the checks then run on S's own). */
static sqlite3 *second_connection(struct store *s)
{
	const char *path = sqlite3_db_filename(s->db, "main");
	sqlite3 *db = NULL;

	if (store_read_only(s) || !sqlite3_threadsafe() || !path || !*path)
		return NULL;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) !=
	    SQLITE_OK) {
		sqlite3_close(db);
		return NULL;
	}
	sqlite3_extended_result_codes(db, 0);
	sqlite3_busy_timeout(db, 10000);
	sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	return db;
}

int verify_bg_start(struct store *s, int fts, struct verify_bg **out, struct cf_err *err)
{
	struct verify_bg *bg = xcalloc(1, sizeof(*bg));

	(void)err;
	bg->s = s;
	bg->fts = fts;
	*out = bg;
	if (!(bg->db = second_connection(s)))
		return 0;
	if (pthread_create(&bg->thread, NULL, thread_main, bg) == 0)
		bg->running = 1;
	return 0;
}

/* The checks done: joined, or run here when no thread could run them. */
static void wait_checks(struct verify_bg *bg)
{
	if (bg->running) {
		pthread_join(bg->thread, NULL);
		bg->running = 0;
	}
	if (!bg->integrity.done)
		run_checks(bg, bg->db ? bg->db : bg->s->db);
}

static int report(struct bg_result *r, problem_cb cb, void *ctx, double *seconds,
		  struct cf_err *err)
{
	if (seconds)
		*seconds = r->seconds;
	for (size_t i = 0; i < r->np; i++) {
		struct cf_problem p = { r->p[i].check, r->p[i].kind, NULL, NULL, NULL, r->p[i].msg };
		if (cb)
			cb(&p, ctx);
	}
	if (r->n < 0 && err)
		*err = r->err;
	return r->n;
}

int verify_bg_integrity(struct verify_bg *bg, problem_cb cb, void *ctx, double *seconds,
			struct cf_err *err)
{
	wait_checks(bg);
	return report(&bg->integrity, cb, ctx, seconds, err);
}

int verify_bg_fts(struct verify_bg *bg, problem_cb cb, void *ctx, double *seconds,
		  struct cf_err *err)
{
	wait_checks(bg);
	return report(&bg->fulltext, cb, ctx, seconds, err);
}

static void result_release(struct bg_result *r)
{
	for (size_t i = 0; i < r->np; i++)
		free(r->p[i].msg);
	free(r->p);
}

void verify_bg_free(struct verify_bg *bg)
{
	if (!bg)
		return;
	if (bg->running)
		pthread_join(bg->thread, NULL);
	sqlite3_close(bg->db);
	result_release(&bg->integrity);
	result_release(&bg->fulltext);
	free(bg);
}
