/* travel_step.c — time travel in process, as the terminal UI does it: opens the case DIR, puts
 * it at moment T (a view, as of T, or known at T with "known-at"), then steps to the next
 * change STEPS times (store_view_step; back to the previous one from the last change, and on
 * again from the first, so that STEPS may be more than the changes), moving the view there (store_view_move, as the UI does;
 * "reopen": a new view at each step, as before) and reading the first 24 events as the
 * timeline screen reads them (record_seek).  Prints "open_ms p50_ms p99_ms max_ms steps
 * move_p50_ms move_p99_ms" (open: the first view and its first screen of events; move: the
 * step and the view put at its moment, without reading the screen). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/store.h"

static double ms_since(const struct timespec *a)
{
	struct timespec b;
	clock_gettime(CLOCK_MONOTONIC, &b);
	return (double)(b.tv_sec - a->tv_sec) * 1e3 + (double)(b.tv_nsec - a->tv_nsec) / 1e6;
}

static int count(const struct cf_record *r, const char *key, void *ctx)
{
	(void)r;
	(void)key;
	(*(long *)ctx)++;
	return 0;
}

/* View *V of S put at M (opened when NULL, else moved, or opened anew when REOPEN). */
static int put(struct store *s, struct store **v, const struct cf_moment *m, int reopen,
	       struct cf_err *err)
{
	if (*v && reopen) {
		store_close(*v);
		*v = NULL;
	}
	return *v ? store_view_move(s, *v, m, err) : store_view_open(s, m, v, err);
}

/* A screen's worth of V's events read. */
static int screen(struct store *v, long *rows, struct cf_err *err)
{
	struct cf_seek page = { .limit = 24 }; /* the first screen, as the UI reads it */

	return record_seek(v, CF_EVENT, &page, count, rows, err);
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	int steps = argc > 3 ? atoi(argv[3]) : 100, n = 0, dir = 1, turned = 0;
	int known = argc > 4 && !strcmp(argv[4], "known-at");
	int reopen = argc > 5 && !strcmp(argv[5], "reopen");
	struct store *s, *v = NULL;
	struct cf_moment m;
	struct cf_err err;
	struct timespec t0;
	double open_ms, *ms, *mv;
	long rows = 0;

	if (argc < 3 || steps <= 0 || (argc > 4 && !known && strcmp(argv[4], "as-of"))) {
		fprintf(stderr, "usage: travel_step DIR T [STEPS [as-of|known-at [reopen]]]\n");
		return 2;
	}
	if (store_open(argv[1], &s, &err) < 0 ||
	    cf_moment_parse(s, known ? NULL : argv[2], known ? argv[2] : NULL, &m, &err) < 0) {
		fprintf(stderr, "travel_step: %s\n", err.msg);
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (put(s, &v, &m, reopen, &err) < 0 || screen(v, &rows, &err) < 0) {
		fprintf(stderr, "travel_step: %s\n", err.msg);
		return 1;
	}
	open_ms = ms_since(&t0);
	ms = calloc((size_t)steps, sizeof(*ms));
	mv = calloc((size_t)steps, sizeof(*mv));
	while (ms && mv && n < steps) {
		struct cf_change c;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		if (store_view_step(s, &m, dir, &c, &err) < 0) {
			if (turned)
				break; /* no change either way */
			dir = -dir, turned = 1;
			continue;
		}
		turned = 0;
		if (known)
			m.known_at = c.at;
		else
			m.as_of = c.at;
		cf_change_release(&c);
		if (put(s, &v, &m, reopen, &err) < 0) {
			fprintf(stderr, "travel_step: %s\n", err.msg);
			return 1;
		}
		mv[n] = ms_since(&t0);
		if (screen(v, &rows, &err) < 0) {
			fprintf(stderr, "travel_step: %s\n", err.msg);
			return 1;
		}
		ms[n++] = ms_since(&t0);
	}
	store_close(v);
	if (!n) {
		fprintf(stderr, "travel_step: no change after %s\n", argv[2]);
		free(ms);
		free(mv);
		store_close(s);
		return 1;
	}
	qsort(ms, (size_t)n, sizeof(*ms), cmp);
	qsort(mv, (size_t)n, sizeof(*mv), cmp);
	printf("%.1f %.2f %.2f %.2f %d %.2f %.2f\n", open_ms, ms[n / 2], ms[(n * 99) / 100],
	       ms[n - 1], n, mv[n / 2], mv[(n * 99) / 100]);
	free(ms);
	free(mv);
	store_close(s);
	return rows > 0 ? 0 : 1;
}
