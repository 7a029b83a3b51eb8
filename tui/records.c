/* records.c — what every record screen shares: a paged list of one kind in columns, a detail
 * pane, add/edit/delete through forms, full-text search with n/N, a filter, goto DATE, and a
 * screen's own band between the list and the pane (a chart). */
#include "tui/tui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct rec {
	const struct rec_screen_def *def;
	struct list l;
	int detail;
	int hits;                   /* a search is active */
	char query[CF_PHRASE_LEN];
	char del_id[CF_ID_LEN + 1]; /* waiting for the delete confirmation */
	void *state;                /* def->state_size bytes, the screen's own */
};

int rec_open(struct app *a, const struct rec_screen_def *def, void **priv)
{
	struct rec *r = xcalloc(1, sizeof(*r));

	if (!r)
		return cf_error(&a->err, CF_ERR, "out of memory");
	if (def->state_size && !(r->state = xcalloc(1, def->state_size))) {
		free(r);
		return cf_error(&a->err, CF_ERR, "out of memory");
	}
	r->def = def;
	r->detail = 1;
	list_init(&r->l, def->kind, 0);
	*priv = r;
	return 0;
}

void rec_close(struct app *a, void *priv)
{
	struct rec *r = priv;
	if (r->state && r->def->state_release)
		r->def->state_release(r->state);
	free(r->state);
	list_release(&r->l);
	free(r);
}

/* Widths of the columns in WIDTH cells (after the two-cell cursor mark, one space between). */
static void col_widths(const struct rec_screen_def *d, int width, int *w)
{
	int fixed = 0, weights = 0, rest;

	for (size_t i = 0; i < d->ncols; i++) {
		fixed += d->cols[i].width + 1;
		weights += d->cols[i].width ? 0 : (d->cols[i].weight ? d->cols[i].weight : 1);
	}
	rest = width - 2 - fixed;
	for (size_t i = 0; i < d->ncols; i++) {
		int wt = d->cols[i].weight ? d->cols[i].weight : 1;
		w[i] = d->cols[i].width ? d->cols[i].width
					: (weights ? rest * wt / weights : 0);
		if (w[i] < 1)
			w[i] = 1;
	}
}

/* A cell's text: times as entered (periods as ranges), text up to its first line break. */
static void cell_text(const struct cf_record *rec, const char *field, char *buf, size_t len)
{
	const struct cf_kind_info *ki = cf_kind_info(rec->kind);
	int i = cf_field_index(ki, field);
	const char *v = i >= 0 ? rec->v[i] : NULL;

	if (i >= 0 && ki->fields[i].type == CF_T_TIME) {
		tui_when_text(v, buf, len);
		return;
	}
	if (i >= 0 && ki->fields[i].type == CF_T_REF && v) {
		snprintf(buf, len, "%.*s", CF_SHORT_ID, v);
		return;
	}
	snprintf(buf, len, "%.*s", (int)(v ? strcspn(v, "\n") : 1), v ? v : "-");
}

static void draw_row(struct app *a, struct rec *r, const struct row *row, int y, int width,
		     const int *w, int is_cur)
{
	attr_t at = is_cur ? a->style[ST_CURSOR] : A_NORMAL;
	char cell[CF_LINE_LEN];
	int x = 2;

	tui_fill(y, 0, width, at);
	tui_text(y, 0, 2, is_cur ? ">" : " ", at, 1);
	for (size_t i = 0; i < r->def->ncols && x < width; i++) {
		if (!r->def->cols[i].field && r->def->extra_cell)
			r->def->extra_cell(a, &row->rec, cell, sizeof(cell));
		else
			cell_text(&row->rec, r->def->cols[i].field, cell, sizeof(cell));
		tui_text(y, x, w[i] < width - x ? w[i] : width - x, cell, at, 1);
		x += w[i] + 1;
	}
}

static void draw_detail(struct app *a, struct rec *r, int y, int width, int rows)
{
	const struct row *c = list_cursor(&r->l);
	const struct cf_kind_info *ki = cf_kind_info(r->def->kind);
	char head[CF_PHRASE_LEN];
	int line = 1;

	snprintf(head, sizeof(head), "-- %s %.*s ", ki->title, CF_SHORT_ID, c ? c->id : "");
	tui_text(y, 0, width, head, a->style[ST_HEADER], 1);
	if (!c)
		return;
	if (r->def->detail_extra && r->def->extra_first)
		line += r->def->detail_extra(a, &c->rec, y + line, width, rows - line);
	for (size_t i = 0; i < ki->nfields && line < rows; i++) {
		char label[CF_PHRASE_LEN];
		if (!c->rec.v[i] || !c->rec.v[i][0])
			continue;
		snprintf(label, sizeof(label), "%-13s", ki->fields[i].name);
		tui_text(y + line, 0, 14, label, A_BOLD, 1);
		line += tui_wrap(y + line, 14, width - 14, rows - line, c->rec.v[i], A_NORMAL);
	}
	if (r->def->detail_extra && !r->def->extra_first && line < rows)
		r->def->detail_extra(a, &c->rec, y + line, width, rows - line);
}

void rec_draw(struct app *a, void *priv, const struct area *ar)
{
	struct rec *r = priv;
	int w[TUI_MAX_COLUMNS], pane = 0, x = 2;
	int band = r->def->band_rows ? r->def->band_rows(a, r, ar->height) : 0;

	if (band > ar->height / 2)
		band = ar->height / 2;
	if (r->detail && ar->height - band >= 12)
		pane = (ar->height - band) * 2 / 5;
	int listh = ar->height - 1 - pane - band;
	if (list_set_height(a, &r->l, listh) < 0)
		tui_message(a, 1, "%s", a->err.msg);
	if (r->def->shown)
		r->def->shown(a, r->l.rows, r->l.n);
	col_widths(r->def, ar->width, w);
	tui_fill(ar->top, 0, ar->width, a->style[ST_HEADER]);
	for (size_t i = 0; i < r->def->ncols && x < ar->width; i++) {
		tui_text(ar->top, x, w[i] < ar->width - x ? w[i] : ar->width - x,
			 r->def->cols[i].header, a->style[ST_HEADER], 1);
		x += w[i] + 1;
	}
	for (int i = 0; i < r->l.n; i++)
		draw_row(a, r, &r->l.rows[i], ar->top + 1 + i, ar->width, w, i == r->l.cur);
	if (r->l.n == 0)
		tui_text(ar->top + 1, 2, ar->width - 2,
			 r->l.filter_field ? "(nothing matches the filter; f and Enter clears it)"
					   : "(none yet: a adds one)", a->style[ST_DIM], 0);
	if (band)
		r->def->band_draw(a, r, ar->top + 1 + listh, ar->width, band);
	if (pane)
		draw_detail(a, r, ar->top + 1 + listh + band, ar->width, pane);
}

void *rec_state(void *priv)
{
	return ((struct rec *)priv)->state;
}

const struct list *rec_list(void *priv)
{
	return &((struct rec *)priv)->l;
}

const struct cf_record *rec_cursor(void *priv)
{
	const struct row *c = list_cursor(&((struct rec *)priv)->l);
	return c ? &c->rec : NULL;
}

void rec_show_id(struct app *a, void *priv, const char *id)
{
	struct rec *r = priv;
	char *key;

	if (record_key(a->s, r->def->kind, id, &key, &a->err) < 0)
		return;
	if (list_seek(a, &r->l, key, id, 0, r->l.cur) < 0)
		tui_message(a, 1, "%s", a->err.msg);
	free(key);
}

static void saved(struct app *a, void *ctx, const char *id)
{
	tui_case_changed(a);
	rec_show_id(a, ctx, id);
}

static void delete_yes(struct app *a, void *ctx)
{
	struct rec *r = ctx;
	const struct cf_kind_info *ki = cf_kind_info(r->def->kind);

	if (record_delete(a->s, r->def->kind, r->del_id, &a->err) < 0) {
		tui_message(a, 1, "%s", a->err.msg);
		return;
	}
	tui_message(a, 0, "deleted %s %.*s (kept in the history)", ki->title, CF_SHORT_ID,
		    r->del_id);
	tui_case_changed(a);
}

/* Jumps to the next (or previous) hit from the cursor, wrapping at either end. */
static void search_step(struct app *a, struct rec *r, int backward)
{
	const struct row *c = list_cursor(&r->l);
	char *key = NULL, id[CF_ID_LEN + 1];
	int rc;

	if (!r->hits) {
		tui_message(a, 1, "no search yet: / searches");
		return;
	}
	rc = search_hit_next(a->s, c ? c->key : NULL, c ? c->id : NULL, backward, &key, id,
			     &a->err);
	if (rc == CF_ENOTFOUND) {
		rc = search_hit_next(a->s, NULL, NULL, backward, &key, id, &a->err);
		if (rc == 0)
			tui_message(a, 0, "search wrapped");
	}
	if (rc < 0) {
		tui_message(a, 1, "%s", rc == CF_ENOTFOUND ? "no match" : a->err.msg);
		return;
	}
	if (list_seek(a, &r->l, key, id, 0, r->l.height / 3) < 0)
		tui_message(a, 1, "%s", a->err.msg);
	free(key);
}

static void search_done(struct app *a, void *ctx, const char *text)
{
	struct rec *r = ctx;
	int64_t n;

	if (!*text)
		return;
	if (search_hits(a->s, r->def->kind, text, &n, &a->err) < 0) {
		tui_message(a, 1, "%s", a->err.msg);
		return;
	}
	cf_strlcpy(r->query, text, sizeof(r->query));
	r->hits = n > 0;
	if (n == 0) {
		tui_message(a, 1, "no match for '%.100s'", text);
		return;
	}
	search_step(a, r, 0);
	if (!a->msg[0] || !a->msg_error)
		tui_message(a, 0, "%lld match%s for '%.100s' (n next, N previous)", (long long)n,
			    n == 1 ? "" : "es", text);
}

static void filter_done(struct app *a, void *ctx, const char *text)
{
	struct rec *r = ctx;
	const struct cf_kind_info *ki = cf_kind_info(r->def->kind);
	int f = cf_field_index(ki, r->def->filter_field);
	struct cf_err err;

	if (!*text) {
		r->l.filter_field = NULL;
		tui_message(a, 0, "showing every %s", ki->title);
	} else if (r->def->kind == CF_NOTICE && !strcmp(r->def->filter_field, "status")
		   ? notice_status_check(text, &err) < 0
		   : cf_field_validate(&ki->fields[f], text, &err) < 0) {
		tui_message(a, 1, "%s", err.msg);
		return;
	} else {
		r->l.filter_field = r->def->filter_field;
		cf_strlcpy(r->l.filter_value, text, sizeof(r->l.filter_value));
	}
	r->l.total = -1;
	if (list_first(a, &r->l) < 0)
		tui_message(a, 1, "%s", a->err.msg);
}

/* What names a record in a question: its first text column (an event's summary). */
static const char *label_of(const struct cf_record *rec)
{
	const struct cf_kind_info *ki = cf_kind_info(rec->kind);
	for (size_t i = 0; i < ki->nfields; i++)
		if (ki->fields[i].type == CF_T_TEXT && (ki->fields[i].flags & CF_F_LIST) &&
		    rec->v[i])
			return rec->v[i];
	return "";
}

int rec_key(struct app *a, void *priv, enum tui_action act, int key)
{
	struct rec *r = priv;
	const struct row *c = list_cursor(&r->l);
	const struct cf_kind_info *ki = cf_kind_info(r->def->kind);
	char q[CF_PHRASE_LEN];

	if (list_key(a, &r->l, act))
		return 1;
	if (r->def->own_key && r->def->own_key(a, r, act))
		return 1;
	switch (act) {
	case ACT_DETAIL:
		r->detail = !r->detail;
		return 1;
	case ACT_ADD:
		if (form_open(a, r->def->kind, NULL, saved, r) < 0)
			tui_message(a, 1, "%s", a->err.msg);
		return 1;
	case ACT_EDIT:
		if (!c)
			tui_message(a, 1, "nothing to edit here");
		else if (form_open(a, r->def->kind, c->id, saved, r) < 0)
			tui_message(a, 1, "%s", a->err.msg);
		return 1;
	case ACT_DELETE:
		if (!c) {
			tui_message(a, 1, "nothing to delete here");
			return 1;
		}
		memcpy(r->del_id, c->id, sizeof(r->del_id));
		snprintf(q, sizeof(q), "delete %s %.*s '%.60s'?", ki->title, CF_SHORT_ID, c->id,
			 label_of(&c->rec));
		q[strcspn(q, "\n")] = '\0';
		tui_confirm(a, q, delete_yes, r);
		return 1;
	case ACT_SEARCH:
		if (r->def->searchable)
			tui_prompt(a, "/", "", search_done, r);
		else
			tui_message(a, 1, "no full-text search here");
		return 1;
	case ACT_SEARCH_NEXT:
	case ACT_SEARCH_PREV:
		if (!r->def->searchable)
			return 0;
		search_step(a, r, act == ACT_SEARCH_PREV);
		return 1;
	case ACT_FILTER:
		if (!r->def->filterable)
			return 0;
		snprintf(q, sizeof(q), "%s (empty: all): ", r->def->filter_field);
		tui_prompt(a, q, r->l.filter_field ? r->l.filter_value : "", filter_done, r);
		return 1;
	default:
		return 0;
	}
}

void rec_reload(struct app *a, void *priv)
{
	struct rec *r = priv;

	if (r->hits && r->query[0]) {
		int64_t n;
		if (search_hits(a->s, r->def->kind, r->query, &n, &a->err) == 0)
			r->hits = n > 0;
	}
	if (r->l.height > 0 && list_reload(a, &r->l) < 0)
		tui_message(a, 1, "%s", a->err.msg);
}

int rec_idle(struct app *a, void *priv)
{
	struct rec *r = priv;
	return list_idle(a, &r->l);
}

int rec_go_to(struct app *a, void *priv, int64_t t)
{
	struct rec *r = priv;
	char key[CF_PHRASE_LEN];

	if (record_time_key(r->def->kind, t, key, sizeof(key)) < 0) {
		tui_message(a, 1, "this screen is not in time order: goto works on the timeline");
		return CF_EINVAL;
	}
	if (list_seek(a, &r->l, key, "", 0, 0) < 0) {
		tui_message(a, 1, "%s", a->err.msg);
		return CF_ERR;
	}
	return 0;
}

void rec_status(struct app *a, void *priv, char *buf, size_t len)
{
	struct rec *r = priv;
	char pos[CF_NUM_LEN];

	list_status(&r->l, pos, sizeof(pos));
	if (r->l.filter_field)
		snprintf(buf, len, "[%s=%.20s] %s", r->l.filter_field, r->l.filter_value, pos);
	else
		cf_strlcpy(buf, pos, len);
}
