/* travel_step.c — time travel in process, as the terminal UI does it: opens the case DIR, puts
 * it as of moment T (a view), then steps to the next change STEPS times (store_view_step, a new
 * view at each, the first 24 events read as the timeline screen reads them, record_seek), printing "open_ms p50_ms p99_ms
 * max_ms steps" (open: the first view and its first screen of events). */
#include <stdio.h>
#include <stdlib.h>
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

/* The view of S at M with a screen's worth of events read; the view closed. */
static int screen(struct store *s, const struct cf_moment *m, long *rows, struct cf_err *err)
{
	struct cf_seek page = { .limit = 24 }; /* the first screen, as the UI reads it */
	struct store *v;
	int rc = store_view_open(s, m, &v, err);

	if (rc < 0)
		return rc;
	rc = record_seek(v, CF_EVENT, &page, count, rows, err);
	store_close(v);
	return rc;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	int steps = argc > 3 ? atoi(argv[3]) : 100, n = 0;
	struct store *s;
	struct cf_moment m;
	struct cf_err err;
	struct timespec t0;
	double open_ms, *ms;
	long rows = 0;

	if (argc < 3 || steps <= 0) {
		fprintf(stderr, "usage: travel_step DIR T [STEPS]\n");
		return 2;
	}
	if (store_open(argv[1], &s, &err) < 0 || cf_moment_parse(s, argv[2], NULL, &m, &err) < 0) {
		fprintf(stderr, "travel_step: %s\n", err.msg);
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (screen(s, &m, &rows, &err) < 0) {
		fprintf(stderr, "travel_step: %s\n", err.msg);
		return 1;
	}
	open_ms = ms_since(&t0);
	ms = calloc((size_t)steps, sizeof(*ms));
	while (ms && n < steps) {
		struct cf_change c;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		if (store_view_step(s, &m, 1, &c, &err) < 0)
			break; /* no later change */
		m.as_of = c.at;
		cf_change_release(&c);
		if (screen(s, &m, &rows, &err) < 0) {
			fprintf(stderr, "travel_step: %s\n", err.msg);
			return 1;
		}
		ms[n++] = ms_since(&t0);
	}
	if (!n) {
		fprintf(stderr, "travel_step: no change after %s\n", argv[2]);
		return 1;
	}
	qsort(ms, (size_t)n, sizeof(*ms), cmp);
	printf("%.1f %.2f %.2f %.2f %d\n", open_ms, ms[n / 2], ms[(n * 99) / 100], ms[n - 1], n);
	free(ms);
	store_close(s);
	return rows > 0 ? 0 : 1;
}
