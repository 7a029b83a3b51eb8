/* scr_evidence.c — evidence items with their chain of custody in the detail pane; a new
 * item's file is hashed as it is added (evidence_add).  c re-hashes the item under the cursor
 * and C every item (evidence_verify), the outcome in a column of the list; T records a custody
 * transfer (evidence_transfer), asking to whom, why and where. */
#include "tui/tui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The last check of an item, kept while the screen is open (sorted by id). */
struct check {
	char id[CF_ID_LEN + 1];
	enum cf_evcheck status;
	char detail[sizeof(((struct cf_evidence_check *)0)->detail)]; /* as the store gives it */
};

struct evidence {
	struct check *checks;
	size_t nchecks;
	int counts[CF_EV_COUNT];
	/* A transfer being asked for, one prompt at a time. */
	char xfer_id[CF_ID_LEN + 1];
	char xfer_to[CF_PHRASE_LEN], xfer_reason[CF_LINE_LEN], xfer_loc[CF_PHRASE_LEN];
};

static const struct check *check_of(const struct evidence *e, const char *id)
{
	size_t lo = 0, hi = e->nchecks;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(e->checks[mid].id, id);
		if (c == 0)
			return &e->checks[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static int keep_check(const struct cf_evidence_check *c, void *ctx)
{
	struct evidence *e = ctx;
	struct check *k = (struct check *)check_of(e, c->item->id);

	if (!k) {
		size_t at = 0;
		struct check *nk = xrealloc(e->checks, (e->nchecks + 1) * sizeof(*nk));
		if (!nk)
			return CF_ERR;
		e->checks = nk;
		while (at < e->nchecks && strcmp(e->checks[at].id, c->item->id) < 0)
			at++;
		memmove(&e->checks[at + 1], &e->checks[at], (e->nchecks - at) * sizeof(*nk));
		e->nchecks++;
		k = &e->checks[at];
		cf_strlcpy(k->id, c->item->id, sizeof(k->id));
	}
	k->status = c->status;
	cf_strlcpy(k->detail, c->detail, sizeof(k->detail));
	e->counts[c->status]++;
	return 0;
}

/* The screen drawing is the current one: its state is the app's current screen's. */
static struct evidence *current(struct app *a)
{
	return rec_state(tui_screen_priv(a));
}

static void check_cell(struct app *a, const struct cf_record *r, char *buf, size_t len)
{
	const struct check *k = check_of(current(a), r->id);
	cf_strlcpy(buf, k ? cf_evcheck_name(k->status) : "", len);
}

static const struct column cols[] = {
	{ "collected_at", "collected", 25, 0 },
	{ "description", "item", 0, 3 },
	{ "collected_by", "by", 0, 1 },
	{ "location", "location", 0, 1 },
	{ NULL, "check", 10, 0 },
};

struct chain_draw {
	struct app *a;
	int y, width, rows, line;
};

/* An event of the chain; under it, a correction's reason, or how an event not recorded as one
 * breaks the chain (store/custody.c), in the overdue style. */
static int custody_line(const struct cf_custody_step *step, void *ctx)
{
	const struct cf_record *r = step->event;
	struct chain_draw *d = ctx;
	char buf[CF_LINE_LEN];

	if (d->line >= d->rows)
		return 1;
	snprintf(buf, sizeof(buf), "  %s  %s  %s", cf_record_get(r, "at") ? cf_record_get(r, "at") : "?",
		 cf_record_get(r, "action") ? cf_record_get(r, "action") : "?",
		 cf_record_get(r, "handler") ? cf_record_get(r, "handler") : "?");
	tui_text(d->y + d->line++, 0, d->width, buf, A_NORMAL, 1);
	if (!step->correction && !step->broken)
		return 0;
	if (d->line >= d->rows)
		return 1;
	if (step->correction)
		snprintf(buf, sizeof(buf), "    correction: %.200s%s%.200s%s", step->correction,
			 step->broken ? " (" : "", step->broken ? step->broken : "",
			 step->broken ? ")" : "");
	else
		snprintf(buf, sizeof(buf), "    out of chain, not a recorded correction: %.300s",
			 step->broken);
	tui_text(d->y + d->line++, 0, d->width, buf, d->a->style[ST_OVERDUE], 1);
	return 0;
}

static int chain(struct app *a, const struct cf_record *r, int y, int width, int rows)
{
	const struct check *k = check_of(current(a), r->id);
	struct chain_draw d = { a, y, width, rows, 1 };
	struct cf_err err;
	char buf[CF_PHRASE_LEN + sizeof(k->detail)]; /* "check: mismatch: " and the detail */

	if (k && rows > 1) {
		snprintf(buf, sizeof(buf), "check: %s%s%s", cf_evcheck_name(k->status),
			 k->detail[0] ? ": " : "", k->detail);
		tui_text(y, 0, width, buf, k->status == CF_EV_MATCH || k->status >= CF_EV_NOFILE
						   ? a->style[ST_OK] : a->style[ST_OVERDUE], 1);
		d.y++;
		d.rows--;
	}
	tui_text(d.y, 0, width, "chain of custody:", A_BOLD, 1);
	custody_walk(a->s, r->id, custody_line, &d, &err);
	return d.line + (d.y - y);
}


/* ---- verify ---- */

static void verify(struct app *a, struct evidence *e, const char *id)
{
	int failures = 0;

	memset(e->counts, 0, sizeof(e->counts));
	if (evidence_verify(a->s, id, keep_check, e, &failures, &a->err) < 0) {
		tui_message(a, 1, "%s", a->err.msg);
		return;
	}
	if (id) {
		const struct check *k = check_of(e, id);
		tui_message(a, failures > 0, "evidence %.*s: %s%s%s", CF_SHORT_ID, id,
			    k ? cf_evcheck_name(k->status) : "?", k && k->detail[0] ? ": " : "",
			    k ? k->detail : "");
		return;
	}
	tui_message(a, failures > 0, "verified: %d match, %d mismatch, %d missing, %d unreadable,"
		    " %d without a file%s", e->counts[CF_EV_MATCH], e->counts[CF_EV_MISMATCH],
		    e->counts[CF_EV_MISSING], e->counts[CF_EV_UNREADABLE], e->counts[CF_EV_NOFILE],
		    e->counts[CF_EV_ELSEWHERE] ? ", some recorded elsewhere (not opened)" : "");
}

/* ---- transfer: to whom, then why, then where ---- */

static void xfer_location(struct app *a, void *ctx, const char *text)
{
	struct evidence *e = ctx;
	struct cf_transfer t = { .to = e->xfer_to };

	t.reason = e->xfer_reason[0] ? e->xfer_reason : NULL;
	t.location = *text ? text : NULL;
	if (evidence_transfer(a->s, e->xfer_id, &t, &a->err) < 0) {
		tui_message(a, 1, "%s", a->err.msg);
		return;
	}
	tui_case_changed(a);
	tui_message(a, 0, "evidence %.*s now held by %.60s (a custody event in its chain)",
		    CF_SHORT_ID, e->xfer_id, e->xfer_to);
}

static void xfer_reason(struct app *a, void *ctx, const char *text)
{
	struct evidence *e = ctx;

	cf_strlcpy(e->xfer_reason, text, sizeof(e->xfer_reason));
	tui_prompt(a, "stored at (empty: where it is): ", e->xfer_loc, xfer_location, e);
}

static void xfer_to(struct app *a, void *ctx, const char *text)
{
	struct evidence *e = ctx;

	if (!*text) {
		tui_message(a, 1, "a transfer needs the new holder: nothing changed");
		return;
	}
	cf_strlcpy(e->xfer_to, text, sizeof(e->xfer_to));
	tui_prompt(a, "reason (optional): ", "", xfer_reason, e);
}

static void transfer(struct app *a, struct evidence *e, const struct cf_record *r)
{
	const char *loc = cf_record_get(r, "location");

	memcpy(e->xfer_id, r->id, sizeof(e->xfer_id));
	cf_strlcpy(e->xfer_loc, loc ? loc : "", sizeof(e->xfer_loc));
	tui_prompt(a, "transfer to: ", "", xfer_to, e);
}

/* ---- the screen: the record list, and these keys ---- */

static int evidence_key(struct app *a, void *priv, enum tui_action act)
{
	struct evidence *e = rec_state(priv);
	const struct cf_record *r = rec_cursor(priv);

	switch (act) {
	case ACT_VERIFY_ALL:
		verify(a, e, NULL);
		return 1;
	case ACT_VERIFY:
	case ACT_TRANSFER:
		if (!r)
			tui_message(a, 1, "no evidence item here: a adds one");
		else if (act == ACT_VERIFY)
			verify(a, e, r->id);
		else
			transfer(a, e, r);
		return 1;
	default:
		return 0;
	}
}

static void evidence_release(void *state)
{
	free(((struct evidence *)state)->checks);
}

static const struct rec_screen_def def = {
	.kind = CF_EVIDENCE,
	.cols = cols,
	.ncols = sizeof(cols) / sizeof(cols[0]),
	.searchable = 1,
	.detail_extra = chain,
	.extra_first = 1, /* the chain and the check are what this screen is for */
	.extra_cell = check_cell,
	.own_key = evidence_key,
	.state_size = sizeof(struct evidence),
	.state_release = evidence_release,
};

static int evidence_open(struct app *a, void **priv)
{
	return rec_open(a, &def, priv);
}

const struct screen_ops scr_evidence = {
	"evidence", "Evidence", "Evid", evidence_open, rec_close, rec_draw, rec_key, rec_reload,
	rec_idle, rec_go_to, rec_status,
	TUI_RECORD_HINTS,
};
