/* verify_bg.c — half of verify in a thread of its own, on a second connection: the hash chains,
 * PRAGMA integrity_check and FTS5's integrity-check, while the caller's thread replays the log
 * and compares the tables.  On two cores verify then takes the time of its longer half, not of
 * both (each half is about half of it at 1,000,000 events).  The thread shares nothing with the
 * caller's but this struct, read only after the thread is joined; its problems wait in a
 * temporary file (a damaged log can give one per operation), so memory stays bounded. */
#include "store/internal.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One check's outcome, kept to be reported in the caller's thread. */
struct bg_result {
	int n;              /* problems found, or a negative cf_rc */
	struct cf_err err;  /* when N < 0 */
	double seconds;
	FILE *spool;        /* its problems, each as spool_put wrote it */
	int64_t count[2];   /* what it looked at (the chains: operations, replicas) */
};

enum { BG_CHAINS, BG_INTEGRITY, BG_FTS, BG_COUNT };

struct verify_bg {
	struct store *s;    /* the caller's store: the checks run on it when no thread can */
	struct store *own;  /* the thread's store, on a second connection, or NULL */
	pthread_t thread;
	int running;        /* a thread was started and not yet joined */
	int done;           /* the checks have run */
	int fts;
	struct bg_result r[BG_COUNT];
};

/* ---- the spool: problems written in one thread, read back in the other ---- */

static void put_str(FILE *f, const char *s)
{
	int32_t len = s ? (int32_t)strlen(s) : -1;

	fwrite(&len, sizeof(len), 1, f);
	if (len > 0)
		fwrite(s, 1, (size_t)len, f);
}

/* Reads back what put_str wrote (malloc'd; NULL for NULL or a short read, *OK cleared). */
static char *get_str(FILE *f, int *ok)
{
	int32_t len;
	char *s;

	if (fread(&len, sizeof(len), 1, f) != 1) {
		*ok = 0;
		return NULL;
	}
	if (len < 0)
		return NULL;
	s = xmalloc((size_t)len + 1);
	if (len > 0 && fread(s, 1, (size_t)len, f) != (size_t)len) {
		*ok = 0;
		free(s);
		return NULL;
	}
	s[len] = '\0';
	return s;
}

static int spool_put(const struct cf_problem *p, void *ctx)
{
	struct bg_result *r = ctx;
	int32_t kind = (int32_t)p->kind;

	fwrite(&kind, sizeof(kind), 1, r->spool);
	put_str(r->spool, p->check);
	put_str(r->spool, p->record);
	put_str(r->spool, p->field);
	put_str(r->spool, p->op);
	put_str(r->spool, p->msg);
	return 0;
}

/* ---- the checks ---- */

static void run_one(struct bg_result *r, int which, struct store *s, int fts)
{
	double t0 = progress_now();

	if (!r->spool) {
		r->n = cf_error(&r->err, CF_EIO, "cannot make a temporary file for the problems");
		return;
	}
	if (which == BG_CHAINS)
		r->n = op_check_chains(s, spool_put, r, &r->count[0], &r->count[1], &r->err);
	else if (which == BG_INTEGRITY)
		r->n = verify_integrity_db(s->db, spool_put, r, &r->err);
	else if (fts)
		r->n = verify_fts_db(s->db, spool_put, r);
	r->seconds = progress_now() - t0;
	fflush(r->spool);
}

static void run_checks(struct verify_bg *bg, struct store *s)
{
	for (int i = 0; i < BG_COUNT; i++)
		run_one(&bg->r[i], i, s, bg->fts);
	bg->done = 1;
}

static void *thread_main(void *arg)
{
	struct verify_bg *bg = arg;

	run_checks(bg, bg->own);
	return NULL;
}

int verify_bg_start(struct store *s, int fts, struct verify_bg **out, struct cf_err *err)
{
	struct verify_bg *bg = xcalloc(1, sizeof(*bg));
	struct cf_err e;

	(void)err;
	bg->s = s;
	bg->fts = fts;
	*out = bg;
	for (int i = 0; i < BG_COUNT; i++)
		bg->r[i].spool = tmpfile();
	/* A second store on the same case, opened here, used only by the thread.  Not for a
	 * read-only case (opened its own way), nor with an SQLite built without threads. */
	if (store_read_only(s) || !sqlite3_threadsafe() || sodium_init() < 0 ||
	    store_open(s->dir, &bg->own, &e) < 0)
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
	if (!bg->done)
		run_checks(bg, bg->own ? bg->own : bg->s);
}

static int report(struct verify_bg *bg, int which, problem_cb cb, void *ctx, double *seconds,
		  struct cf_err *err)
{
	struct bg_result *r = &bg->r[which];
	int ok = 1;

	wait_checks(bg);
	if (seconds)
		*seconds = r->seconds;
	if (r->spool)
		rewind(r->spool);
	while (r->spool && ok) {
		int32_t kind;
		char *s[5];
		if (fread(&kind, sizeof(kind), 1, r->spool) != 1)
			break;
		for (int i = 0; i < 5; i++)
			s[i] = get_str(r->spool, &ok);
		if (ok && cb) {
			struct cf_problem p = { s[0] ? s[0] : "", (enum cf_kind)kind, s[1], s[2], s[3],
						s[4] ? s[4] : "" };
			cb(&p, ctx);
		}
		for (int i = 0; i < 5; i++)
			free(s[i]);
	}
	if (!ok && r->n >= 0)
		r->n = cf_error(&r->err, CF_EIO, "the temporary file of the problems cannot be read");
	if (r->n < 0 && err)
		*err = r->err;
	return r->n;
}

int verify_bg_chains(struct verify_bg *bg, problem_cb cb, void *ctx, int64_t *nops,
		     int64_t *nreplicas, double *seconds, struct cf_err *err)
{
	int n = report(bg, BG_CHAINS, cb, ctx, seconds, err);

	if (nops)
		*nops = bg->r[BG_CHAINS].count[0];
	if (nreplicas)
		*nreplicas = bg->r[BG_CHAINS].count[1];
	return n;
}

int verify_bg_integrity(struct verify_bg *bg, problem_cb cb, void *ctx, double *seconds,
			struct cf_err *err)
{
	return report(bg, BG_INTEGRITY, cb, ctx, seconds, err);
}

int verify_bg_fts(struct verify_bg *bg, problem_cb cb, void *ctx, double *seconds,
		  struct cf_err *err)
{
	return report(bg, BG_FTS, cb, ctx, seconds, err);
}

void verify_bg_free(struct verify_bg *bg)
{
	if (!bg)
		return;
	if (bg->running)
		pthread_join(bg->thread, NULL);
	store_close(bg->own);
	for (int i = 0; i < BG_COUNT; i++)
		if (bg->r[i].spool)
			fclose(bg->r[i].spool);
	free(bg);
}
