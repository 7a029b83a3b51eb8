/* progress.h — the one progress reporter for long work (an import, verify, hashing a disk
 * image, clone, sync, a large export), as git's progress.c: the work reports how far it is;
 * where and whether that is shown is the caller's choice, made once, through a sink.
 *
 * Store and export code never know about terminals: they call progress_update() as often as
 * they like (it costs a clock read and returns at once between redraws) and the sink's
 * function is called at most every PROGRESS_REDRAW_MS, never before PROGRESS_DELAY_MS (a
 * command that ends quickly shows nothing), and once at the end if it was ever called.  The
 * CLI's sink draws one line on stderr (tui/cli/progress_term.c); the TUI's, its status line. */
#ifndef CASEFILE_PROGRESS_H
#define CASEFILE_PROGRESS_H

#include <stddef.h>
#include <stdint.h>

#include "store/strbuf.h"

/* The first report is this long after the start: work shorter than that shows nothing, so
 * one-record commands stay silent.  Well under the second within which an import of 600,000
 * rows must show it is alive.  CASEFILE_PROGRESS_DELAY (milliseconds) overrides it, as
 * GIT_PROGRESS_DELAY does git's, for tests. */
#define PROGRESS_DELAY_MS 500
/* At most five redraws a second: fast enough to look alive, slow enough to cost nothing. */
#define PROGRESS_REDRAW_MS 200

/* What a sink is shown. */
struct progress_info {
	const char *title;    /* "importing events" */
	uint64_t done, total; /* how far, in the unit of the percentage; total 0 = unknown */
	uint64_t count;       /* things done so far (rows, operations) */
	const char *unit;     /* what COUNT counts ("rows"); NULL: COUNT is bytes */
	int count_is_done;    /* COUNT is DONE (and out of TOTAL): "(120/500 ops)" */
	double elapsed;       /* seconds since the start */
	int finished;         /* the last report */
	int stopped;          /* ...of work that failed or was cut short */
	int stoppable;        /* the work stops when the sink asks (progress_stoppable) */
};

struct progress_sink {
	/* Shows PI; non-zero asks the work to stop, which only work marked stoppable heeds
	 * (the TUI's Esc while an evidence file is hashed or a sync or export runs). */
	int (*show)(void *ctx, const struct progress_info *pi);
	void *ctx;
};

struct progress {
	struct progress_sink sink; /* show NULL: reports go nowhere */
	struct progress_info info;
	double start, last; /* monotonic seconds */
	double delay;       /* seconds before the first report */
	int shown;          /* the sink was called at least once */
	int stop_asked;     /* the sink asked the work to stop */
};

/* Seconds on the monotonic clock (for elapsed times: progress rates, verify --timings). */
double progress_now(void);
/* Starts work titled TITLE of TOTAL units (0 when unknown) reporting to SINK (NULL: none). */
void progress_start(struct progress *p, const struct progress_sink *sink, const char *title,
		    uint64_t total, const char *unit);
/* DONE units of TOTAL, COUNT things, so far; cheap enough for every row.  Non-zero once the
 * sink asked to stop work marked stoppable: the work then ends as if it failed (nothing
 * written), with the error "cancelled". */
int progress_update(struct progress *p, uint64_t done, uint64_t count);
/* Marks P's work as able to stop when asked: it checks progress_update's return and undoes
 * nothing by stopping (reads, hashing, a sync stage, an export not yet renamed into place). */
void progress_stoppable(struct progress *p);
/* The end: one last report (all of it done) if anything was shown. */
void progress_finish(struct progress *p);
/* The end of work that failed: the last report as it stands, if anything was shown, so the
 * error that follows starts on a line of its own. */
void progress_stop(struct progress *p);

/* The line shown, as git writes it:
 *   "importing events:  45% (270000 rows), 30000 rows/s, 0:09 left"
 *   "hashing disk.img:  12% (1.2 GiB/10.0 GiB), 512.0 MiB/s, 0:17 left"
 *   "verifying operations: 100% (500/500 ops), done in 0:02"
 *   "importing events:  45% (270000 rows), stopped after 0:09"
 * A rate only after a tenth of a second, a time left only when TOTAL is known. */
void progress_format(const struct progress_info *pi, struct strbuf *out);

#endif
