/* search_bench.c — full-text search latency in process: opens the case DIR and runs a fixed
 * mix of queries ROUNDS times, printing "p50_ms p95_ms max_ms queries". */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "store/store.h"

static const char *const queries[] = {
	"traveler_images", "powershell", "jdoe copied", "sftp upload", "badge reader",
	"asmith deleted", "4242", "vpn", "camera lane", "SYSTEM executed backup",
	"registry", "nosuchword", "mail relay failed", "plates", "service account",
	"database dump", "pilot", "cron", "admin", "renamed",
};

static int consume(const struct cf_hit *hit, void *ctx)
{
	(*(long *)ctx) += hit->snippet ? 1 : 0;
	return 0;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	size_t nq = sizeof(queries) / sizeof(queries[0]);
	int rounds = argc > 2 ? atoi(argv[2]) : 5;
	struct store *s;
	struct cf_err err;
	double *ms;
	size_t n = 0;
	long hits = 0;

	if (argc < 2 || rounds <= 0) {
		fprintf(stderr, "usage: search_bench DIR [ROUNDS]\n");
		return 2;
	}
	if (store_open(argv[1], &s, &err) < 0) {
		fprintf(stderr, "search_bench: %s\n", err.msg);
		return 1;
	}
	ms = calloc(nq * (size_t)rounds, sizeof(*ms));
	/* One warm-up pass: the page cache, as for someone searching a case they have open. */
	for (size_t q = 0; q < nq; q++)
		store_search(s, queries[q], 100, consume, &hits, &err);
	for (int r = 0; r < rounds && ms; r++) {
		for (size_t q = 0; q < nq; q++) {
			struct timespec a, b;
			clock_gettime(CLOCK_MONOTONIC, &a);
			if (store_search(s, queries[q], 100, consume, &hits, &err) < 0) {
				fprintf(stderr, "search_bench: %s\n", err.msg);
				return 1;
			}
			clock_gettime(CLOCK_MONOTONIC, &b);
			ms[n++] = (double)(b.tv_sec - a.tv_sec) * 1e3 +
				  (double)(b.tv_nsec - a.tv_nsec) / 1e6;
		}
	}
	if (!ms)
		return 1;
	qsort(ms, n, sizeof(*ms), cmp);
	printf("%.2f %.2f %.2f %zu\n", ms[n / 2], ms[(n * 95) / 100], ms[n - 1], n);
	free(ms);
	store_close(s);
	return 0;
}
