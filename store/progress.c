/* progress.c — how far long work has come, reported to a sink at a bounded rate (progress.h). */
#include "store/progress.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

double progress_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void progress_start(struct progress *p, const struct progress_sink *sink, const char *title,
		    uint64_t total, const char *unit)
{
	const char *delay = getenv("CASEFILE_PROGRESS_DELAY");

	memset(p, 0, sizeof(*p));
	p->delay = delay && *delay ? atof(delay) / 1000.0 : PROGRESS_DELAY_MS / 1000.0;
	if (sink)
		p->sink = *sink;
	p->info.title = title;
	p->info.total = total;
	p->info.unit = unit;
	if (p->sink.show)
		p->start = p->last = progress_now();
}

void progress_stoppable(struct progress *p)
{
	p->info.stoppable = 1;
}

int progress_update(struct progress *p, uint64_t done, uint64_t count)
{
	double t;

	p->info.done = done;
	p->info.count = count;
	if (!p->sink.show)
		return 0;
	t = progress_now();
	if (t - p->start < p->delay ||
	    (p->shown && t - p->last < PROGRESS_REDRAW_MS / 1000.0))
		return p->stop_asked;
	p->last = t;
	p->shown = 1;
	p->info.elapsed = t - p->start;
	if (p->sink.show(p->sink.ctx, &p->info) != 0 && p->info.stoppable)
		p->stop_asked = 1;
	return p->stop_asked;
}

void progress_finish(struct progress *p)
{
	if (!p->sink.show || !p->shown)
		return;
	if (p->info.total)
		p->info.done = p->info.total;
	if (p->info.count_is_done)
		p->info.count = p->info.done;
	p->info.elapsed = progress_now() - p->start;
	p->info.finished = 1;
	(void)p->sink.show(p->sink.ctx, &p->info);
}

void progress_stop(struct progress *p)
{
	if (!p->sink.show || !p->shown)
		return;
	p->info.elapsed = progress_now() - p->start;
	p->info.finished = p->info.stopped = 1;
	(void)p->sink.show(p->sink.ctx, &p->info);
}

/* 1536 -> "1.5 KiB" */
static void add_size(struct strbuf *out, double bytes)
{
	static const char *const units[] = { "bytes", "KiB", "MiB", "GiB", "TiB" };
	size_t u = 0;

	while (bytes >= 1024 && u + 1 < sizeof(units) / sizeof(units[0])) {
		bytes /= 1024;
		u++;
	}
	if (u == 0)
		strbuf_addf(out, "%.0f %s", bytes, units[0]);
	else
		strbuf_addf(out, "%.1f %s", bytes, units[u]);
}

/* 75 -> "1:15", 3725 -> "1:02:05" */
static void add_duration(struct strbuf *out, double seconds)
{
	unsigned long s = seconds < 0 ? 0 : (unsigned long)(seconds + 0.5);

	if (s >= 3600)
		strbuf_addf(out, "%lu:%02lu:%02lu", s / 3600, s / 60 % 60, s % 60);
	else
		strbuf_addf(out, "%lu:%02lu", s / 60, s % 60);
}

void progress_format(const struct progress_info *pi, struct strbuf *out)
{
	int bytes = pi->unit == NULL;

	strbuf_addf(out, "%s: ", pi->title);
	if (pi->total)
		strbuf_addf(out, "%3u%% ",
			    (unsigned)(pi->done >= pi->total ? 100 : pi->done * 100 / pi->total));
	strbuf_addch(out, '(');
	if (bytes) {
		add_size(out, (double)pi->count);
		if (pi->count_is_done && pi->total) {
			strbuf_addch(out, '/');
			add_size(out, (double)pi->total);
		}
	} else if (pi->count_is_done && pi->total) {
		strbuf_addf(out, "%llu/%llu %s", (unsigned long long)pi->count,
			    (unsigned long long)pi->total, pi->unit);
	} else {
		strbuf_addf(out, "%llu %s", (unsigned long long)pi->count, pi->unit);
	}
	strbuf_addch(out, ')');
	if (pi->finished) {
		strbuf_addstr(out, pi->stopped ? ", stopped after " : ", done in ");
		add_duration(out, pi->elapsed);
		return;
	}
	if (pi->elapsed < 0.1)
		return;
	strbuf_addstr(out, ", ");
	if (bytes) {
		add_size(out, (double)pi->count / pi->elapsed);
		strbuf_addstr(out, "/s");
	} else {
		strbuf_addf(out, "%.0f %s/s", (double)pi->count / pi->elapsed, pi->unit);
	}
	if (pi->total && pi->done > 0 && pi->done < pi->total) {
		strbuf_addstr(out, ", ");
		add_duration(out, (double)(pi->total - pi->done) * pi->elapsed / (double)pi->done);
		strbuf_addstr(out, " left");
	}
}
