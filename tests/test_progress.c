/* test_progress.c — the progress reporter: the line it formats (percent, count, rate, time
 * left, done), and that nothing reaches a sink that was not asked for or before work shows. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "store/store.h"

static void check_format(const struct progress_info *pi, const char *want)
{
	struct strbuf sb = STRBUF_INIT;

	progress_format(pi, &sb);
	assert_string_equal(sb.buf, want);
	strbuf_release(&sb);
}

static void test_rows_with_percent_rate_and_time_left(void **state)
{
	/* 45% of the file read in 9 s: 11 s more at that pace */
	struct progress_info pi = { .title = "importing events", .done = 450, .total = 1000,
				    .count = 270000, .unit = "rows", .elapsed = 9.0 };

	(void)state;
	check_format(&pi, "importing events:  45% (270000 rows), 30000 rows/s, 0:11 left");
	pi.elapsed = 0.05; /* too early for a rate worth showing */
	check_format(&pi, "importing events:  45% (270000 rows)");
}

static void test_counted_out_of_a_total(void **state)
{
	struct progress_info pi = { .title = "verifying operations", .done = 120, .total = 500,
				    .count = 120, .unit = "ops", .count_is_done = 1,
				    .elapsed = 2.0 };

	(void)state;
	check_format(&pi, "verifying operations:  24% (120/500 ops), 60 ops/s, 0:06 left");
	pi.done = pi.count = 500;
	pi.finished = 1;
	pi.elapsed = 8.4;
	check_format(&pi, "verifying operations: 100% (500/500 ops), done in 0:08");
	pi.done = pi.count = 250;
	pi.stopped = 1; /* failed half-way: as it stood, no "done" */
	check_format(&pi, "verifying operations:  50% (250/500 ops), stopped after 0:08");
}

static void test_bytes_as_sizes_and_hours(void **state)
{
	/* 1.5 GiB of 10 GiB at 1 MiB/s: 8.5 GiB left = 8704 s = 2:25:04 */
	struct progress_info pi = { .title = "hashing evidence", .done = 1536ULL << 20,
				    .total = 10240ULL << 20, .count = 1536ULL << 20,
				    .count_is_done = 1, .elapsed = 1536.0 };

	(void)state;
	check_format(&pi, "hashing evidence:  15% (1.5 GiB/10.0 GiB), 1.0 MiB/s, 2:25:04 left");
	pi.total = 0; /* size unknown: no percent, no time left */
	pi.count = pi.done = 512;
	pi.elapsed = 1.0;
	check_format(&pi, "hashing evidence: (512 bytes), 512 bytes/s");
}

static int calls;
static int count_calls(void *ctx, const struct progress_info *pi)
{
	(void)ctx;
	(void)pi;
	calls++;
	return 0;
}

static void test_no_sink_or_short_work_shows_nothing(void **state)
{
	struct progress_sink sink = { count_calls, NULL };
	struct progress p;

	(void)state;
	calls = 0;
	progress_start(&p, NULL, "nowhere", 10, "rows");
	progress_update(&p, 5, 5);
	progress_finish(&p);
	assert_int_equal(calls, 0);
	/* Work that ends before the first report is due: not even a final line. */
	progress_start(&p, &sink, "quick", 10, "rows");
	progress_update(&p, 10, 10);
	progress_finish(&p);
	assert_int_equal(calls, p.shown ? 2 : 0);
}

static int ask_stop(void *ctx, const struct progress_info *pi)
{
	(void)ctx;
	(void)pi;
	calls++;
	return 1;
}

/* A sink asking to stop (the TUI's Esc) stops only work that said it can stop. */
static void test_stop_heeded_only_by_stoppable_work(void **state)
{
	struct progress_sink sink = { ask_stop, NULL };
	struct progress p;

	(void)state;
	setenv("CASEFILE_PROGRESS_DELAY", "0", 1);
	calls = 0;
	progress_start(&p, &sink, "importing events", 10, "rows");
	assert_int_equal(progress_update(&p, 1, 1), 0); /* shown, the ask ignored */
	assert_int_equal(calls, 1);
	progress_start(&p, &sink, "hashing evidence", 10, NULL);
	progress_stoppable(&p);
	assert_int_equal(progress_update(&p, 1, 1), 1);
	assert_int_equal(progress_update(&p, 2, 2), 1); /* between redraws too */
	assert_int_equal(calls, 2);
	unsetenv("CASEFILE_PROGRESS_DELAY");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows_with_percent_rate_and_time_left),
		cmocka_unit_test(test_counted_out_of_a_total),
		cmocka_unit_test(test_bytes_as_sizes_and_hours),
		cmocka_unit_test(test_no_sink_or_short_work_shows_nothing),
		cmocka_unit_test(test_stop_heeded_only_by_stoppable_work),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
