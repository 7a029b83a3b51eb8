/* scr_dashboard.c — the case at a glance: title, codename, status, days since discovery;
 * deadlines with live countdowns (overdue first); the current population estimate per
 * category with the value it revised; advisories; open tasks by due date; latest events.
 * Everything is read when the case changes, a bounded number of rows each; the countdowns
 * are recomputed from the due times every frame. */
#include "tui/tui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DL_MAX 12
#define POP_MAX 8
#define LINES_MAX 12
/* The five panes: deadlines, population, advisories, open tasks, latest events. */
#define DASH_PANES 5

struct dl {
	char title[CF_PHRASE_LEN], recipient[CF_PHRASE_LEN];
	int has_due, done; /* done: met, met late or waived */
	int soft;
	int64_t due;
	char status[CF_NAME_LEN];
};

struct pop {
	char category[CF_PHRASE_LEN];
	char cur[CF_PHRASE_LEN], prev[CF_PHRASE_LEN];
};

struct dash {
	struct dl dl[DL_MAX];
	int ndl;
	int dl_total, overdue, soon;  /* over every deadline, also those past DL_MAX */
	int pop_total;                /* categories, also those past POP_MAX */
	long long people;             /* the largest latest people estimate, -1 none */
	char people_text[CF_PHRASE_LEN];
	struct { char unit[CF_NAME_LEN]; long long max; char text[CF_LINE_LEN]; } cat; /* the category read */
	struct pop *curp, spare;      /* the category read, listed or past POP_MAX */
	char dl_error[CF_LINE_LEN];
	struct pop pop[POP_MAX];
	int npop;
	char adv[LINES_MAX][400];
	int nadv;
	char tasks[LINES_MAX][300];
	int ntasks;
	char events[LINES_MAX][300];
	int nevents;
};

static void first_recipient(const char *r, char *buf, size_t len)
{
	snprintf(buf, len, "%.*s", (int)(r ? strcspn(r, ";") : 1), r ? r : "-");
}

static int take_deadline(const struct cf_deadline *d, void *ctx)
{
	struct dash *ds = ctx;
	struct dl *o;

	if (d->status == CF_DL_NOT_OWED)
		return 0;
	ds->dl_total++;
	ds->overdue += d->status == CF_DL_OVERDUE;
	ds->soon += d->status == CF_DL_DUE_SOON;
	if (ds->ndl >= DL_MAX)
		return 0;
	o = &ds->dl[ds->ndl++];
	cf_strlcpy(o->title, d->rule->title ? d->rule->title : d->rule->id, sizeof(o->title));
	first_recipient(d->rule->recipient, o->recipient, sizeof(o->recipient));
	o->has_due = d->has_due;
	o->due = d->due;
	o->soft = d->rule->soft;
	o->done = d->status == CF_DL_MET || d->status == CF_DL_MET_LATE ||
		  d->status == CF_DL_WAIVED;
	cf_strlcpy(o->status, cf_dl_status_name(d->status), sizeof(o->status));
	return 0;
}

static int take_advisory(const struct cf_advisory *ad, void *ctx)
{
	struct dash *ds = ctx;
	if (ds->nadv >= LINES_MAX)
		return 1;
	snprintf(ds->adv[ds->nadv++], sizeof(ds->adv[0]), "%s %s",
		 ad->holds > 0 ? "!" : ad->holds < 0 ? "?" : "-", ad->message ? ad->message : "");
	return 0;
}

static void estimate_text(const struct cf_record *r, char *buf, size_t len)
{
	const char *lo = cf_record_get(r, "low"), *be = cf_record_get(r, "best");
	const char *hi = cf_record_get(r, "high"), *u = cf_record_get(r, "unit");
	const char *as = cf_record_get(r, "as_of");
	snprintf(buf, len, "%s / %s / %s %s (as of %s)", lo ? lo : "?", be ? be : "?",
		 hi ? hi : "?", u ? u : "", as ? as : "?");
}

/* The category just read is complete: its latest estimate may be the headline. */
static void end_category(struct dash *ds)
{
	if (ds->pop_total && !strcmp(ds->cat.unit, "people") && ds->cat.max > ds->people) {
		ds->people = ds->cat.max;
		memcpy(ds->people_text, ds->cat.text, sizeof(ds->people_text));
	}
}

/* Estimates come by category, then as-of: the last of a category is its current value.
 * Every one is read (the headline needs the largest in people); POP_MAX are listed. */
static int take_estimate(const struct cf_record *r, const char *key, void *ctx)
{
	struct dash *ds = ctx;
	const char *cat = cf_record_get(r, "category"), *unit = cf_record_get(r, "unit");
	const char *hi = cf_record_get(r, "high"), *be = cf_record_get(r, "best");
	const char *lo = cf_record_get(r, "low"), *top = hi ? hi : be ? be : lo;
	struct pop *p = ds->curp;

	if (!p || strcmp(p->category, cat ? cat : "") != 0) {
		end_category(ds);
		ds->pop_total++;
		p = ds->curp = ds->npop < POP_MAX ? &ds->pop[ds->npop++] : &ds->spare;
		cf_strlcpy(p->category, cat ? cat : "", sizeof(p->category));
		p->prev[0] = '\0';
	} else {
		memcpy(p->prev, p->cur, sizeof(p->prev));
	}
	estimate_text(r, p->cur, sizeof(p->cur));
	cf_strlcpy(ds->cat.unit, unit ? unit : "", sizeof(ds->cat.unit));
	ds->cat.max = top ? atoll(top) : -1;
	snprintf(ds->cat.text, sizeof(ds->cat.text), "%s: %s", p->category, p->cur);
	return 0;
}

static int take_task(const struct cf_record *r, const char *key, void *ctx)
{
	struct dash *ds = ctx;
	const char *st = cf_record_get(r, "status"), *due = cf_record_get(r, "due");
	const char *owner = cf_record_get(r, "owner"), *title = cf_record_get(r, "title");

	if (st && (strcmp(st, "done") == 0 || strcmp(st, "cancelled") == 0))
		return 0;
	snprintf(ds->tasks[ds->ntasks++], sizeof(ds->tasks[0]), "%-10.10s %-7s %-14.14s %s",
		 due ? due : "-", st ? st : "open", owner ? owner : "-", title ? title : "");
	return ds->ntasks >= LINES_MAX;
}

static int take_event(const struct cf_record *r, const char *key, void *ctx)
{
	struct dash *ds = ctx;
	char when[CF_TIME_LEN];
	const char *sum = cf_record_get(r, "summary");

	tui_when_text(cf_record_get(r, "occurred"), when, sizeof(when));
	snprintf(ds->events[ds->nevents++], sizeof(ds->events[0]), "%-22s %.*s", when,
		 (int)(sum ? strcspn(sum, "\n") : 0), sum ? sum : "");
	return ds->nevents >= LINES_MAX;
}

static void dash_load(struct app *a, struct dash *ds)
{
	struct cf_err err;
	struct cf_seek all = { 0 }, latest = { .backward = 1, .limit = LINES_MAX };

	memset(ds, 0, sizeof(*ds));
	ds->people = -1;
	if (deadline_compute(a->s, a->rules, a->now ? a->now : cf_now(), take_deadline, ds,
			     &err) < 0)
		cf_strlcpy(ds->dl_error, err.msg, sizeof(ds->dl_error));
	deadline_advisories(a->s, a->rules, take_advisory, ds, &err);
	record_seek(a->s, CF_ESTIMATE, &all, take_estimate, ds, &err);
	end_category(ds);
	/* Tasks stop at LINES_MAX open ones: a bounded read on any case (done ones are skipped,
	 * so a case with thousands of done tasks reads more, still never the table at once). */
	record_seek(a->s, CF_TASK, &all, take_task, ds, &err);
	record_seek(a->s, CF_EVENT, &latest, take_event, ds, &err);
}

static int dash_open(struct app *a, void **priv)
{
	struct dash *ds = xmalloc(sizeof(*ds));
	if (!ds)
		return cf_error(&a->err, CF_ERR, "out of memory");
	dash_load(a, ds);
	*priv = ds;
	return 0;
}

static void dash_close(struct app *a, void *priv)
{
	free(priv);
}

static void dash_reload(struct app *a, void *priv)
{
	dash_load(a, priv);
}

/* Overdue first, then by due time; soft and not-started rules, then met ones, last. */
static int dl_rank(const struct dl *d, int64_t now)
{
	if (d->done)
		return 3;
	if (!d->has_due)
		return 2;
	return d->due < now ? 0 : 1;
}

static int section(struct app *a, int y, int x, int width, const char *title)
{
	tui_text(y, x, width, title, a->style[ST_HEADER], 1);
	return 1;
}

static int draw_deadlines(struct app *a, struct dash *ds, int y, int x, int w, int rows)
{
	int n = section(a, y, x, w, "Deadlines");
	char line[CF_LINE_LEN], left[CF_TIME_LEN];

	if (ds->dl_error[0] && n < rows)
		n += tui_wrap(y + n, x, w, rows - n, ds->dl_error, a->style[ST_ERROR]);
	int shown = 0, more = ds->dl_total;
	for (int rank = 0; rank < 4; rank++)
		for (int i = 0; i < ds->ndl && n < rows; i++) {
			struct dl *d = &ds->dl[i];
			attr_t at = A_NORMAL;
			if (dl_rank(d, a->now) != rank)
				continue;
			if (n == rows - 1 && shown < more - 1) /* no room: say how many are cut */
				goto cut;
			shown++;
			if (rank == 0) {
				tui_duration(a->now - d->due, left, sizeof(left));
				snprintf(line, sizeof(line), "OVERDUE  %9s ago  ", left);
				at = a->style[ST_OVERDUE];
			} else if (rank == 1) {
				tui_duration(d->due - a->now, left, sizeof(left));
				snprintf(line, sizeof(line), "due in   %9s      ", left);
				at = d->due - a->now < 86400 ? a->style[ST_SOON] : A_NORMAL;
			} else {
				snprintf(line, sizeof(line), "%-24s ", d->status);
				at = rank == 3 ? a->style[ST_OK] : A_NORMAL;
			}
			size_t k = strlen(line);
			snprintf(line + k, sizeof(line) - k, "%s -> %s", d->title, d->recipient);
			tui_text(y + n++, x + 1, w - 1, line, at, 1);
		}
	if (shown < more && n < rows) {
cut:
		snprintf(line, sizeof(line), "\xe2\x80\xa6 %d more on 4 Notif", more - shown);
		tui_text(y + n++, x + 1, w - 1, line, a->style[ST_DIM], 1);
	}
	if (ds->ndl == 0 && !ds->dl_error[0] && n < rows)
		tui_text(y + n++, x + 1, w - 1, "none owed under the rules in force", A_NORMAL, 1);
	return n;
}

static int draw_population(struct app *a, struct dash *ds, int y, int x, int w, int rows)
{
	int n = section(a, y, x, w, "Population (low / best / high)");
	char line[CF_LINE_LEN];

	int shown = 0;
	for (int i = 0; i < ds->npop && n < rows; i++) {
		struct pop *p = &ds->pop[i];
		if (n == rows - 1 && i < ds->pop_total - 1)
			break; /* the last row says how many are cut */
		shown++;
		snprintf(line, sizeof(line), "%s: %s", p->category, p->cur);
		tui_text(y + n++, x + 1, w - 1, line, A_NORMAL, 1);
		if (p->prev[0] && n < rows) {
			snprintf(line, sizeof(line), "revised from %s", p->prev);
			tui_text(y + n++, x + 3, w - 3, line, a->style[ST_DIM], 1);
		}
	}
	if (shown < ds->pop_total && n < rows) {
		snprintf(line, sizeof(line), "\xe2\x80\xa6 %d more on 3 Pop", ds->pop_total - shown);
		tui_text(y + n++, x + 1, w - 1, line, a->style[ST_DIM], 1);
	}
	if (ds->npop == 0 && n < rows)
		tui_text(y + n++, x + 1, w - 1, "no estimate yet (3, then a)", A_NORMAL, 1);
	return n;
}

static int draw_lines(struct app *a, int y, int x, int w, int rows, const char *title,
		      char (*lines)[300], int nlines, const char *more, const char *none)
{
	int n = section(a, y, x, w, title);
	for (int i = 0; i < nlines && n < rows; i++) {
		if (n == rows - 1 && i < nlines - 1) { /* no room for the rest: say where it is */
			char m[CF_PHRASE_LEN];
			snprintf(m, sizeof(m), "... %s", more);
			tui_text(y + n++, x + 1, w - 1, m, a->style[ST_DIM], 1);
			break;
		}
		tui_text(y + n++, x + 1, w - 1, lines[i], A_NORMAL, 1);
	}
	if (nlines == 0 && n < rows)
		tui_text(y + n++, x + 1, w - 1, none, A_NORMAL, 1);
	return n;
}

static int draw_advisories(struct app *a, struct dash *ds, int y, int x, int w, int rows)
{
	int n = section(a, y, x, w, "Advisories");
	for (int i = 0; i < ds->nadv && n < rows; i++)
		tui_text(y + n++, x + 1, w - 1, ds->adv[i], A_NORMAL, 1);
	return n;
}

static void header(struct app *a, const struct area *ar)
{
	const struct cf_record *k = &a->kase;
	const char *disc = cf_record_get(k, "discovered"), *tz = cf_record_get(k, "tz");
	const char *code = cf_record_get(k, "codename"), *st = cf_record_get(k, "status");
	const char *sev = cf_record_get(k, "severity"), *tlp = cf_record_get(k, "tlp");
	char line[CF_LINE_LEN], days[CF_PHRASE_LEN] = "discovery date not set (e edits the case)";
	struct cf_when w;
	struct cf_err err;

	if (disc && cf_when_parse(disc, tz, &w, &err) == 0)
		snprintf(days, sizeof(days), "%lld days since discovery (%s)",
			 (long long)((a->now - w.start) / 86400), disc);
	tui_text(ar->top, 0, ar->width, cf_record_get(k, "title"), A_BOLD, 1);
	/* Most important first: a narrow terminal cuts the end. */
	snprintf(line, sizeof(line), "%s | %s | %s | severity %s | TLP %s", days,
		 code ? code : "-", st ? st : "-", sev ? sev : "-", tlp ? tlp : "-");
	tui_text(ar->top + 1, 0, ar->width, line, A_NORMAL, 1);
}

/* The answer to "how many people, what is due", on every size of terminal. */
static void headline(struct app *a, struct dash *ds, const struct area *ar)
{
	char line[CF_LINE_LEN];

	snprintf(line, sizeof(line), "%d overdue, %d due soon | people: %s", ds->overdue, ds->soon,
		 ds->people >= 0 ? ds->people_text : "no estimate in people yet");
	tui_text(ar->top + 2, 0, ar->width, line,
		 ds->overdue ? a->style[ST_OVERDUE] : ds->soon ? a->style[ST_SOON] : A_BOLD, 1);
}

/* Cuts the sections IDX[0..N) (in the order given: the first is cut first) down to their
 * floors until they fit in ROWS. */
static void fit(int *want, const int *floor_, const int *idx, int n, int rows)
{
	int total = 0;
	for (int i = 0; i < n; i++)
		total += want[idx[i]];
	for (int i = 0; i < n && total > rows; i++)
		while (total > rows && want[idx[i]] > floor_[idx[i]]) {
			want[idx[i]]--;
			total--;
		}
}

/* Each section gets the rows it has, cut back (events first) to fit; at 120 columns and
 * more, tasks and events go to a right-hand column. */
static void dash_draw(struct app *a, void *priv, const struct area *ar)
{
	struct dash *ds = priv;
	int y = ar->top + 3, rows = ar->height - 3;
	int wide = ar->width >= 120, lw = wide ? ar->width / 2 - 1 : ar->width;
	int pop_lines = 0;
	for (int i = 0; i < ds->npop; i++)
		pop_lines += ds->pop[i].prev[0] ? 2 : 1;
	pop_lines += ds->pop_total > ds->npop; /* "… N more" */
	int want[DASH_PANES] = { 1 + (ds->ndl ? ds->ndl : 1) + (ds->dl_total > ds->ndl),
			1 + (pop_lines ? pop_lines : 1),
			ds->nadv ? 1 + ds->nadv : 0, 1 + (ds->ntasks ? ds->ntasks : 1),
			1 + (ds->nevents ? ds->nevents : 1) };
	static const int floor_[DASH_PANES] = { 4, 3, 2, 3, 3 };
	static const int all[DASH_PANES] = { 4, 3, 2, 1, 0 }, left[] = { 2, 1, 0 }, right[] = { 4, 3 };

	static const int last_resort[DASH_PANES] = { 2, 1, 0, 1, 1 };

	header(a, ar);
	headline(a, ds, ar);
	/* Down to the floors first; below them only if the terminal is really short. */
	if (wide) {
		fit(want, floor_, left, 3, rows);
		fit(want, last_resort, left, 3, rows);
		fit(want, floor_, right, 2, rows);
		fit(want, last_resort, right, 2, rows);
	} else {
		fit(want, floor_, all, DASH_PANES, rows);
		fit(want, last_resort, all, DASH_PANES, rows);
	}
	int n = 0;
	n += draw_deadlines(a, ds, y + n, 0, lw, want[0]);
	n += draw_population(a, ds, y + n, 0, lw, want[1]);
	if (want[2])
		n += draw_advisories(a, ds, y + n, 0, lw, want[2]);
	int x = wide ? lw + 2 : 0, yy = wide ? y : y + n, w = wide ? ar->width - lw - 2 : lw;
	yy += draw_lines(a, yy, x, w, want[3], "Open tasks (by due date)", ds->tasks, ds->ntasks,
			 "more on 6 Tasks",
			 "none open");
	draw_lines(a, yy, x, w, want[4], "Latest events", ds->events, ds->nevents,
		   "more on 2 Timeline",
		   "no events yet (2, then a)");
}

static void dash_saved(struct app *a, void *ctx, const char *id)
{
	tui_case_changed(a);
	tui_message(a, 0, "saved");
}

static int dash_key(struct app *a, void *priv, enum tui_action act, int key)
{
	if (act == ACT_EDIT) {
		if (form_open(a, CF_CASE, a->kase.id, dash_saved, NULL) < 0)
			tui_message(a, 1, "%s", a->err.msg);
		return 1;
	}
	if (act == ACT_ADD) { /* a new fact in seconds: the event form, from anywhere */
		if (form_open(a, CF_EVENT, NULL, dash_saved, NULL) < 0)
			tui_message(a, 1, "%s", a->err.msg);
		return 1;
	}
	return 0;
}

const struct screen_ops scr_dashboard = {
	"dashboard", "Dashboard", "Dash", dash_open, dash_close, dash_draw, dash_key, dash_reload,
	NULL, NULL, NULL,
	"? help  : command  e edit the case  1-0 screens  q quit",
};
