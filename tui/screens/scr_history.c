/* scr_history.c — the operation log, newest first: who changed which field of which record
 * when, before -> after; the whole operation (values, hash chain) in the detail pane; under
 * the list, a line when sync has set received operations aside (they are not in this log). */
#include "tui/tui.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct history {
	struct list l;
	int detail;
	int64_t quarantined; /* received operations sync set aside: not in this log */
};

static int history_open(struct app *a, void **priv)
{
	struct history *h = xcalloc(1, sizeof(*h));

	if (!h)
		return cf_error(&a->err, CF_ERR, "out of memory");
	list_init(&h->l, CF_KIND_COUNT, 1);
	h->detail = 1;
	h->quarantined = quarantine_count(a->s);
	*priv = h;
	return 0;
}

static void history_close(struct app *a, void *priv)
{
	struct history *h = priv;
	list_release(&h->l);
	free(h);
}

static const char *kind_name(enum cf_kind k)
{
	const struct cf_kind_info *ki = cf_kind_info(k);
	return ki ? ki->name : "?";
}

/* What names a record in a list: its first text column (an event's summary), read from the
 * JSON of its creation or deletion. */
static void record_label(enum cf_kind kind, const char *json, char *buf, size_t len)
{
	const struct cf_kind_info *ki = cf_kind_info(kind);
	json_t *o = json ? json_loads(json, 0, NULL) : NULL;

	buf[0] = '\0';
	for (size_t i = 0; ki && o && i < ki->nfields && !buf[0]; i++)
		if (ki->fields[i].type == CF_T_TEXT && (ki->fields[i].flags & CF_F_LIST)) {
			const char *v = json_string_value(json_object_get(o, ki->fields[i].name));
			if (v)
				snprintf(buf, len, "%.*s", (int)strcspn(v, "\n"), v);
		}
	json_decref(o);
}

void tui_op_change(const struct cf_op *op, char *buf, size_t len)
{
	const char *o = op->old_value ? op->old_value : "(unset)";
	const char *n = op->new_value ? op->new_value : "(unset)";
	char label[CF_LINE_LEN];

	if (strcmp(op->field, "@create") == 0) {
		record_label(op->kind, op->new_value, label, sizeof(label));
		snprintf(buf, len, "created: %s", label);
	} else if (strcmp(op->field, "@delete") == 0) {
		record_label(op->kind, op->old_value, label, sizeof(label));
		snprintf(buf, len, "deleted: %s", label);
	} else if (strcmp(op->field, "@restore") == 0) {
		record_label(op->kind, op->new_value, label, sizeof(label));
		snprintf(buf, len, "restored: %s", label);
	}
	else
		snprintf(buf, len, "%s: %.*s -> %.*s", op->field, (int)strcspn(o, "\n"), o,
			 (int)strcspn(n, "\n"), n);
}

static void draw_row(struct app *a, const struct row *r, int y, int width, int is_cur)
{
	attr_t at = is_cur ? a->style[ST_CURSOR] : A_NORMAL;
	char who[CF_PHRASE_LEN], what[CF_PHRASE_LEN], change[CF_LINE_LEN];
	int aw = width >= 120 ? 28 : 16;

	tui_fill(y, 0, width, at);
	tui_text(y, 0, 2, is_cur ? ">" : " ", at, 1);
	tui_text(y, 2, 19, r->op.at, at, 1);
	cf_strlcpy(who, r->op.author ? r->op.author : "?", sizeof(who));
	who[strcspn(who, "<")] = '\0';
	tui_text(y, 22, aw, who, at, 1);
	snprintf(what, sizeof(what), "%s %.*s", kind_name(r->op.kind), CF_SHORT_ID, r->op.record);
	tui_text(y, 23 + aw, 17, what, at, 1);
	tui_op_change(&r->op, change, sizeof(change));
	tui_text(y, 41 + aw, width - 41 - aw, change, at, 1);
}

static void draw_detail(struct app *a, const struct row *r, int y, int width, int rows)
{
	char line[CF_PHRASE_LEN];
	int n = 1;

	snprintf(line, sizeof(line), "-- operation %lld  %.*s", (long long)(r ? r->seq : 0),
		 CF_SHORT_ID, r ? r->op.id : "");
	tui_text(y, 0, width, line, a->style[ST_HEADER], 1);
	if (!r)
		return;
	snprintf(line, sizeof(line), "%s %s  field %s  at %s", kind_name(r->op.kind),
		 r->op.record, r->op.field, r->op.at);
	n += tui_wrap(y + n, 0, width, rows - n, line, A_NORMAL);
	if (n < rows) {
		char signer[CF_MSG_LEN], who[CF_MSG_LEN + 300];
		store_signer_text(a->s, &r->op, signer, sizeof(signer));
		snprintf(who, sizeof(who), "%.256s  %s", r->op.author ? r->op.author : "?",
			 signer[0] ? signer : "unsigned");
		n += tui_wrap(y + n, 0, width, 1, who, A_NORMAL);
	}
	if (n < rows && r->op.old_value) {
		tui_text(y + n, 0, 8, "before", A_BOLD, 1);
		n += tui_wrap(y + n, 8, width - 8, (rows - n) / 2 > 0 ? (rows - n) / 2 : 1,
			      r->op.old_value, A_NORMAL);
	}
	if (n < rows && r->op.new_value) {
		tui_text(y + n, 0, 8, "after", A_BOLD, 1);
		n += tui_wrap(y + n, 8, width - 8, rows - n - 1, r->op.new_value, A_NORMAL);
	}
	if (n < rows) {
		snprintf(line, sizeof(line), "hash %.16s...  prev %.16s...", r->op.hash,
			 r->op.prev[0] ? r->op.prev : "(first)");
		tui_text(y + n, 0, width, line, a->style[ST_DIM], 1);
	}
}

static void history_draw(struct app *a, void *priv, const struct area *ar)
{
	struct history *h = priv;
	int pane = h->detail && ar->height >= 12 ? ar->height * 2 / 5 : 0;
	int listh = ar->height - 1 - pane;
	int aw = ar->width >= 120 ? 28 : 16;
	char line[CF_PHRASE_LEN];

	/* What sync set aside is not in the log: one line says so, under the list. */
	if (h->quarantined > 0 && listh > 3) {
		listh--; /* the pane stays where it was: the line takes the list's last row */
		snprintf(line, sizeof(line), "%lld received operation%s in quarantine, not in this"
			 " log: see 0 Conflicts", (long long)h->quarantined,
			 h->quarantined == 1 ? "" : "s");
		tui_text(ar->top + 1 + listh, 2, ar->width - 2, line, a->style[ST_ERROR], 1);
	}
	if (list_set_height(a, &h->l, listh) < 0)
		tui_message(a, 1, "%s", a->err.msg);
	tui_fill(ar->top, 0, ar->width, a->style[ST_HEADER]);
	tui_text(ar->top, 2, 19, "at (UTC)", a->style[ST_HEADER], 0);
	tui_text(ar->top, 22, aw, "who", a->style[ST_HEADER], 0);
	tui_text(ar->top, 23 + aw, 17, "record", a->style[ST_HEADER], 0);
	tui_text(ar->top, 41 + aw, ar->width - 41 - aw, "change", a->style[ST_HEADER], 0);
	for (int i = 0; i < h->l.n; i++)
		draw_row(a, &h->l.rows[i], ar->top + 1 + i, ar->width, i == h->l.cur);
	if (pane)
		draw_detail(a, list_cursor(&h->l), ar->top + ar->height - pane, ar->width, pane);
}

static struct cf_op restore_op; /* the deletion R asked about */

static void restore_yes(struct app *a, void *ctx)
{
	const struct cf_kind_info *ki = cf_kind_info(restore_op.kind);

	(void)ctx;
	if (record_restore(a->s, restore_op.kind, restore_op.record, &a->err) < 0) {
		tui_message(a, 1, "%s", a->err.msg);
		return;
	}
	tui_message(a, 0, "restored %s %.*s", ki->title, CF_SHORT_ID, restore_op.record);
	tui_case_changed(a);
}

static void restore_ask(struct app *a, const struct row *r)
{
	char q[CF_LINE_LEN], label[CF_PHRASE_LEN];

	if (!r || !r->op.field || strcmp(r->op.field, "@delete") != 0) {
		tui_message(a, 1, "R restores a deleted record: put the cursor on a deletion");
		return;
	}
	restore_op.kind = r->op.kind;
	memcpy(restore_op.record, r->op.record, sizeof(restore_op.record));
	record_label(r->op.kind, r->op.old_value, label, sizeof(label));
	snprintf(q, sizeof(q), "restore %s %.*s \"%s\"?", kind_name(r->op.kind), CF_SHORT_ID,
		 r->op.record, label);
	tui_confirm(a, q, restore_yes, NULL);
}

/* @: every screen as of the moment of operation R (its second), and what R did (said before
 * travelling: the list is read again, R with it). */
static void travel_here(struct app *a, const struct row *r)
{
	char at[CF_TIME_LEN], said[CF_LINE_LEN], change[CF_PHRASE_LEN];

	snprintf(at, sizeof(at), "%.19sZ", r->op.at);
	tui_op_change(&r->op, change, sizeof(change));
	snprintf(said, sizeof(said), "as of %s: %s %.*s %s", at, kind_name(r->op.kind),
		 CF_SHORT_ID, r->op.record, change);
	if (tui_travel(a, 0, at) == 0)
		tui_message(a, 0, "%s", said);
}

static int history_key(struct app *a, void *priv, enum tui_action act, int key)
{
	struct history *h = priv;

	if (list_key(a, &h->l, act))
		return 1;
	if (act == ACT_DETAIL) {
		h->detail = !h->detail;
		return 1;
	}
	if (act == ACT_RESTORE) {
		restore_ask(a, list_cursor(&h->l));
		return 1;
	}
	if (act == ACT_TRAVEL && list_cursor(&h->l)) {
		travel_here(a, list_cursor(&h->l));
		return 1;
	}
	if (act == ACT_ADD || act == ACT_EDIT || act == ACT_DELETE) {
		tui_message(a, 1, "the history is append-only: change records on their screens");
		return 1;
	}
	return 0;
}

static void history_reload(struct app *a, void *priv)
{
	struct history *h = priv;

	/* At the top, stay at the top so new operations come into view. */
	int rc = h->l.pos == 0 && h->l.cur == 0 ? list_first(a, &h->l) : list_reload(a, &h->l);
	h->l.total = -1;
	h->quarantined = quarantine_count(a->s);
	if (rc < 0)
		tui_message(a, 1, "%s", a->err.msg);
}

static int history_idle(struct app *a, void *priv)
{
	struct history *h = priv;
	return list_idle(a, &h->l);
}

static void history_status(struct app *a, void *priv, char *buf, size_t len)
{
	struct history *h = priv;
	list_status(&h->l, buf, len);
}

const struct screen_ops scr_history = {
	"history", "History", "Hist", history_open, history_close, history_draw, history_key,
	history_reload, history_idle, NULL, history_status,
	"? help  : command  R restore a deletion  @ as of this  Enter detail  q back",
};
