/* scr_notices.c — notifications owed and sent, by due time; due times and statuses are the
 * deadline engine's (notice_view_apply), as on the dashboard and in `casefile deadlines`.  The detail pane
 * starts with the rule that makes each one due and its legal source; s, A and w record that
 * it was sent, acknowledged or waived, through record_set operations like any edit. */
#include "tui/tui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct notices {
	char id[CF_ID_LEN + 1];    /* the notice a prompt is for */
	enum tui_action marking;   /* which prompt */
};

static const struct column cols[] = {
	{ "due", "due", 25, 0 },
	{ "status", "status", 12, 0 },
	{ "recipient", "recipient", 0, 3 },
	{ "rule", "rule", 0, 1 },
};

static int labelled(int y, int width, int rows, const char *label, const char *text)
{
	if (rows <= 0 || !text || !*text)
		return 0;
	tui_text(y, 0, 14, label, A_BOLD, 1);
	return tui_wrap(y, 14, width - 14, rows, text, A_NORMAL);
}

/* "sent 2019-06-05T08:00:00-04:00, acknowledged ..., waived: REASON", or "" when none. */
static const char *marks(const struct cf_record *r, char *buf, size_t len)
{
	static const char *const fields[] = { "sent", "acknowledged", "waiver" };
	size_t n = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]) && n < len; i++) {
		const char *v = cf_record_get(r, fields[i]);
		if (v && *v)
			n += (size_t)snprintf(buf + n, len - n, "%s%s%s%s", n ? ", " : "",
					      i == 2 ? "waived" : fields[i], i == 2 ? ": " : " ", v);
	}
	return buf;
}

/* First in the pane: the rule (id and title) and the legal source, the notice's own or else
 * the rule's. */
static int rule_lines(struct app *a, const struct cf_record *r, int y, int width, int rows)
{
	const char *id = cf_record_get(r, "rule"), *source = cf_record_get(r, "source");
	const struct cf_rule *rule = id && a->rules ? rules_find(a->rules, id) : NULL;
	char text[CF_LINE_LEN];
	int n = 0;

	if (id) {
		snprintf(text, sizeof(text), "%s%s%s", id, rule ? ": " : " (not in the rules loaded)",
			 rule ? rule->title : "");
		n += labelled(y + n, width, rows - n > 2 ? 2 : rows - n, "rule", text);
	}
	if (!source || !*source)
		source = rule ? rule->source : NULL;
	n += labelled(y + n, width, rows - n > 3 ? 3 : rows - n, "legal source",
		      source ? source : "(none recorded)");
	n += labelled(y + n, width, rows - n > 2 ? 2 : rows - n, "marked", marks(r, text,
										 sizeof(text)));
	return n;
}


/* ---- sent, acknowledged, waived ---- */

/* Sets the fields together: the status and its time (or reason), or nothing. */
static int set_two(struct app *a, const char *id, const char *status, const char *field,
		   const char *value)
{
	int rc = store_begin(a->s, &a->err);

	if (rc == 0)
		rc = record_set(a->s, CF_NOTICE, id, "status", status, &a->err);
	if (rc == 0)
		rc = record_set(a->s, CF_NOTICE, id, field, value, &a->err);
	if (rc == 0)
		rc = store_commit(a->s, &a->err);
	if (rc < 0)
		store_rollback(a->s);
	return rc;
}

static void mark_done(struct app *a, void *ctx, const char *text)
{
	struct notices *n = ctx;
	const struct cf_kind_info *ki = cf_kind_info(CF_NOTICE);
	const char *status = n->marking == ACT_MARK_SENT ? "sent"
			   : n->marking == ACT_MARK_ACK ? "acknowledged" : "waived";
	const char *field = n->marking == ACT_MARK_WAIVED ? "waiver" : status;
	char now[CF_TIME_LEN];
	struct cf_err err;

	if (n->marking == ACT_MARK_WAIVED && !*text) {
		tui_message(a, 1, "a waiver needs its reason: nothing changed");
		return;
	}
	if (n->marking != ACT_MARK_WAIVED && !*text) {
		cf_time_zoned(a->now, cf_record_get(&a->kase, "tz"), now, sizeof(now));
		text = now;
	} else if (cf_field_validate(&ki->fields[cf_field_index(ki, field)], text, &err) < 0) {
		tui_message(a, 1, "%s: nothing changed", err.msg);
		return;
	}
	if (set_two(a, n->id, status, field, text) < 0) {
		tui_message(a, 1, "%s", a->err.msg);
		return;
	}
	tui_case_changed(a);
	tui_message(a, 0, "notification %.*s %s%s%.60s", CF_SHORT_ID, n->id, status,
		    n->marking == ACT_MARK_WAIVED ? ": " : " at ", text);
}

static void mark(struct app *a, void *priv, enum tui_action act)
{
	const struct cf_record *r = rec_cursor(priv);
	struct notices *n = rec_state(priv);

	if (!r) {
		tui_message(a, 1, "no notification here: the deadline engine adds those owed");
		return;
	}
	memcpy(n->id, r->id, sizeof(n->id));
	n->marking = act;
	if (act == ACT_MARK_WAIVED)
		tui_prompt(a, "waived because: ", "", mark_done, n);
	else
		tui_prompt(a, act == ACT_MARK_SENT ? "sent at (empty: now): "
						   : "acknowledged at (empty: now): ", "", mark_done, n);
}

/* Due times and statuses as the deadline engine has them now, as on every other view. */
static void notices_shown(struct app *a, struct row *rows, int n)
{
	struct cf_notice_view *v;

	if (!n || notice_view_load(a->s, a->rules, a->now ? a->now : cf_now(), &v, &a->err) < 0)
		return;
	for (int i = 0; i < n; i++)
		if (notice_view_apply(v, &rows[i].rec, &a->err) < 0)
			break;
	notice_view_free(v);
}

/* ---- the screen: the record list, and these keys ---- */

static int notices_key(struct app *a, void *priv, enum tui_action act)
{
	if (act != ACT_MARK_SENT && act != ACT_MARK_ACK && act != ACT_MARK_WAIVED)
		return 0;
	mark(a, priv, act);
	return 1;
}

static const struct rec_screen_def def = {
	.kind = CF_NOTICE,
	.cols = cols,
	.ncols = sizeof(cols) / sizeof(cols[0]),
	.searchable = 1,
	.filterable = 1,
	.filter_field = "status",
	.detail_extra = rule_lines,
	.extra_first = 1,
	.own_key = notices_key,
	.shown = notices_shown,
	.state_size = sizeof(struct notices),
};

static int notices_open(struct app *a, void **priv)
{
	return rec_open(a, &def, priv);
}

const struct screen_ops scr_notices = {
	"notifications", "Notifications", "Notif", notices_open, rec_close, rec_draw, rec_key,
	rec_reload, rec_idle, rec_go_to, rec_status,
	TUI_RECORD_HINTS,
};
