/* scr_conflicts.c — the Conflicts screen: fields two replicas changed without seeing each
 * other (found by a sync), with both values and who wrote them; o, t or i settles one with a
 * new operation through conflict_resolve, exactly as `casefile resolve` does.  Below them, the
 * received operations sync set aside (store/quarantine.c), each by file, line and why. */
#include "tui/tui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct conflict_row {
	enum cf_kind kind;
	char record[CF_ID_LEN + 1];
	char *label;                       /* the record's first text column */
	char *field, *ours, *theirs;       /* ours / theirs NULL when unset */
	char *ours_author, *theirs_author;
	char *ours_op, *theirs_op;
};

#define QUARANTINE_SHOWN 8 /* entries read for the screen: more than a list has room for */

struct conflicts {
	struct conflict_row *c;
	int n;
	struct scroll sc;
	int detail;
	int pending;  /* the row an `i` prompt is for */
	int64_t quarantined; /* received operations sync set aside (store/quarantine.c) */
	char *q[QUARANTINE_SHOWN], *why[QUARANTINE_SHOWN]; /* the first: FILE:LINE, why */
	int nq;
};

/* One quarantine entry for the screen: its place and why; 1 (stop) once QUARANTINE_SHOWN are
 * kept. */
static int add_quarantined(const struct cf_quarantined *q, void *ctx)
{
	struct conflicts *cs = ctx;

	cs->q[cs->nq] = xasprintf("%s:%lld", q->path, (long long)q->line);
	cs->why[cs->nq++] = xstrdup(q->reason);
	return cs->nq == QUARANTINE_SHOWN;
}

static void free_quarantined(struct conflicts *cs)
{
	for (int i = 0; i < cs->nq; i++) {
		free(cs->q[i]);
		free(cs->why[i]);
	}
	cs->nq = 0;
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static void free_rows(struct conflicts *cs)
{
	for (int i = 0; i < cs->n; i++) {
		struct conflict_row *c = &cs->c[i];
		free(c->label);
		free(c->field);
		free(c->ours);
		free(c->theirs);
		free(c->ours_author);
		free(c->theirs_author);
		free(c->ours_op);
		free(c->theirs_op);
	}
	free(cs->c);
	cs->c = NULL;
	cs->n = 0;
}

/* What names the record: its first text column (a task's title, an event's summary). */
static char *record_label(struct store *s, enum cf_kind kind, const char *id)
{
	const struct cf_kind_info *ki = cf_kind_info(kind);
	struct cf_record r;
	struct cf_err err;
	char *label = NULL;

	if (record_get(s, kind, id, &r, &err) < 0) {
		cf_record_release(&r);
		return NULL;
	}
	for (size_t i = 0; i < ki->nfields && !label; i++)
		if (ki->fields[i].type == CF_T_TEXT && (ki->fields[i].flags & CF_F_LIST) && r.v[i])
			label = xstrndup(r.v[i], strcspn(r.v[i], "\n"));
	cf_record_release(&r);
	return label;
}

struct collect {
	struct conflicts *cs;
	struct store *s;
};

static int add_row(const struct cf_conflict *c, void *ctx)
{
	struct collect *co = ctx;
	struct conflicts *cs = co->cs;
	struct conflict_row *nc = xrealloc(cs->c, (size_t)(cs->n + 1) * sizeof(*nc)), *r;

	if (!nc)
		return CF_ERR;
	cs->c = nc;
	r = &cs->c[cs->n++];
	memset(r, 0, sizeof(*r));
	r->kind = c->kind;
	cf_strlcpy(r->record, c->record, sizeof(r->record));
	r->label = record_label(co->s, c->kind, c->record);
	r->field = xstrdup(c->field);
	r->ours = dup_or_null(c->ours);
	r->theirs = dup_or_null(c->theirs);
	r->ours_author = dup_or_null(c->ours_author);
	r->theirs_author = dup_or_null(c->theirs_author);
	r->ours_op = dup_or_null(c->ours_op);
	r->theirs_op = dup_or_null(c->theirs_op);
	return r->field ? 0 : CF_ERR;
}

/* Reads the open conflicts again, the cursor kept on the same record and field. */
static void read_rows(struct app *a, struct conflicts *cs)
{
	char rec[CF_ID_LEN + 1] = "", field[CF_PHRASE_LEN] = "";
	struct collect co = { cs, a->s };
	struct cf_err err = { 0 };

	if (cs->n > 0) {
		cf_strlcpy(rec, cs->c[cs->sc.cur].record, sizeof(rec));
		cf_strlcpy(field, cs->c[cs->sc.cur].field, sizeof(field));
	}
	free_rows(cs);
	if (conflict_list(a->s, 0, add_row, &co, &err) < 0)
		tui_message(a, 1, "conflicts: %s", err.code ? err.msg : "out of memory");
	cs->quarantined = quarantine_count(a->s);
	free_quarantined(cs);
	if (cs->quarantined > 0 && quarantine_list(a->s, add_quarantined, cs, &err) < 0)
		tui_message(a, 1, "quarantine: %s", err.msg);
	for (int i = 0; rec[0] && i < cs->n; i++)
		if (!strcmp(cs->c[i].record, rec) && !strcmp(cs->c[i].field, field))
			cs->sc.cur = i;
	scroll_fit(&cs->sc, cs->n, cs->sc.height);
}

/* ---- drawing ---- */

/* "'value' (author)", the value cut at its first line break, authors without the email. */
static void side_text(const char *value, const char *author, char *buf, size_t len)
{
	char who[CF_PHRASE_LEN];

	cf_strlcpy(who, author ? author : "?", sizeof(who));
	who[strcspn(who, "<")] = '\0';
	if (who[0] && who[strlen(who) - 1] == ' ')
		who[strlen(who) - 1] = '\0';
	if (value)
		snprintf(buf, len, "'%.*s' (%s)", (int)strcspn(value, "\n"), value, who);
	else
		snprintf(buf, len, "(unset) (%s)", who);
}

static void draw_row(struct app *a, const struct conflict_row *c, int y, int width, int cur)
{
	attr_t at = cur ? a->style[ST_CURSOR] : A_NORMAL;
	char what[CF_PHRASE_LEN], side[CF_LINE_LEN];
	int rest = width - 2 - 18 - 15, half = rest / 2;

	tui_fill(y, 0, width, at);
	tui_text(y, 0, 2, cur ? ">" : " ", at, 1);
	snprintf(what, sizeof(what), "%s %.*s", cf_kind_info(c->kind)->name, CF_SHORT_ID,
		 c->record);
	tui_text(y, 2, 17, what, at, 1);
	tui_text(y, 20, 14, c->field, at, 1);
	side_text(c->ours, c->ours_author, side, sizeof(side));
	tui_text(y, 35, half - 1, side, at, 1);
	side_text(c->theirs, c->theirs_author, side, sizeof(side));
	tui_text(y, 35 + half, width - 35 - half, side, at, 1);
}

static int labelled(struct app *a, int y, int width, int rows, const char *label,
		    const char *text)
{
	if (rows <= 0)
		return 0;
	tui_text(y, 0, 8, label, A_BOLD, 1);
	return tui_wrap(y, 8, width - 8, rows, text ? text : "(unset)", A_NORMAL);
}

static void draw_detail(struct app *a, const struct conflict_row *c, int y, int width,
			int rows)
{
	char line[CF_PHRASE_LEN];
	int n = 1;

	snprintf(line, sizeof(line), "-- %s %.*s %s", cf_kind_info(c->kind)->title, CF_SHORT_ID,
		 c->record, c->field);
	tui_text(y, 0, width, line, a->style[ST_HEADER], 1);
	if (c->label)
		n += labelled(a, y + n, width, 1, "record", c->label);
	n += labelled(a, y + n, width, (rows - n) / 2, "kept", c->ours);
	if (n < rows)
		n += labelled(a, y + n, width, 1, "", c->ours_author);
	n += labelled(a, y + n, width, rows - n - 2, "other", c->theirs);
	if (n < rows)
		n += labelled(a, y + n, width, 1, "", c->theirs_author);
	if (n < rows)
		tui_text(y + n, 0, width, strcmp(c->field, CF_CONFLICT_DELETE) == 0
			 ? "K keeps it deleted, o restores it with the other's edit: each a new"
			   " operation"
			 : "K keeps the kept value, o takes the other, i types another value: each"
			   " a new operation", a->style[ST_DIM], 1);
}

/* The quarantine from row Y to row LAST (WIDTH cells): a line saying how many, then each
 * entry's file and line, and under it why. */
static void draw_quarantine(struct app *a, const struct conflicts *cs, int y, int last,
			    int width)
{
	char line[CF_PHRASE_LEN];
	int i;

	if (cs->quarantined <= 0 || y > last)
		return;
	snprintf(line, sizeof(line), "%lld received operation%s in quarantine, not applied"
		 " (casefile quarantine list):", (long long)cs->quarantined,
		 cs->quarantined == 1 ? "" : "s");
	tui_text(y++, 2, width - 2, line, a->style[ST_ERROR], 0);
	for (i = 0; i < cs->nq && y + 1 <= last; i++, y += 2) {
		tui_text(y, 4, width - 4, cs->q[i], A_NORMAL, 0);
		tui_text(y + 1, 6, width - 6, cs->why[i], a->style[ST_DIM], 0);
	}
	if (i < cs->quarantined && y <= last) {
		snprintf(line, sizeof(line), "... %lld more", (long long)(cs->quarantined - i));
		tui_text(y, 4, width - 4, line, a->style[ST_DIM], 0);
	}
}

static void conflicts_draw(struct app *a, void *priv, const struct area *ar)
{
	struct conflicts *cs = priv;
	int pane = cs->detail && ar->height >= 12 ? ar->height / 2 : 0;
	int listh = ar->height - 1 - pane;
	int half = (ar->width - 35) / 2;

	tui_fill(ar->top, 0, ar->width, a->style[ST_HEADER]);
	tui_text(ar->top, 2, 17, "record", a->style[ST_HEADER], 0);
	tui_text(ar->top, 20, 14, "field", a->style[ST_HEADER], 0);
	tui_text(ar->top, 35, half - 1, "kept (the case holds it)", a->style[ST_HEADER], 0);
	tui_text(ar->top, 35 + half, ar->width - 35 - half, "other", a->style[ST_HEADER], 0);
	scroll_fit(&cs->sc, cs->n, listh);
	for (int k = 0; k < listh && cs->sc.top + k < cs->n; k++)
		draw_row(a, &cs->c[cs->sc.top + k], ar->top + 1 + k, ar->width,
			 cs->sc.top + k == cs->sc.cur);
	if (cs->n == 0)
		tui_text(ar->top + 1, 2, ar->width - 2,
			 "(no open conflict: a sync finds them: two edits of one field, an edit"
			 " of a deleted record)",
			 a->style[ST_DIM], 0);
	else if (pane)
		draw_detail(a, &cs->c[cs->sc.cur], ar->top + 1 + listh, ar->width, pane);
	draw_quarantine(a, cs, ar->top + 2 + (cs->n ? cs->n : 1), ar->top + listh, ar->width);
}

/* ---- resolving ---- */

static void resolve(struct app *a, struct conflicts *cs, int i, enum cf_take take,
		    const char *value)
{
	static const char *const how[] = { "kept the kept value", "took the other",
					   "set the value" };
	struct conflict_row *c = &cs->c[i];
	char field[CF_PHRASE_LEN], rec[CF_ID_LEN + 1];
	enum cf_kind kind = c->kind;

	if (conflict_resolve(a->s, kind, c->record, c->field, take, value, &a->err) < 0) {
		tui_message(a, 1, "%s", a->err.msg);
		return;
	}
	/* The rows are read again below: keep what the message names. */
	cf_strlcpy(field, c->field, sizeof(field));
	memcpy(rec, c->record, sizeof(rec));
	tui_case_changed(a);
	tui_message(a, 0, "resolved %s %.*s %s: %s (a new operation)",
		    cf_kind_info(kind)->name, CF_SHORT_ID, rec, field, how[take]);
}

static void value_done(struct app *a, void *ctx, const char *text)
{
	struct conflicts *cs = ctx;

	if (cs->pending >= cs->n)
		return;
	resolve(a, cs, cs->pending, CF_TAKE_VALUE, text);
}

static int conflicts_key(struct app *a, void *priv, enum tui_action act, int key)
{
	struct conflicts *cs = priv;
	char label[CF_PHRASE_LEN];

	(void)key;
	if (scroll_key(&cs->sc, act))
		return 1;
	switch (act) {
	case ACT_DETAIL:
		cs->detail = !cs->detail;
		return 1;
	case ACT_RESOLVE_OURS:
	case ACT_RESOLVE_THEIRS:
	case ACT_RESOLVE_VALUE:
		if (cs->n == 0) {
			tui_message(a, 1, "no open conflict here");
			return 1;
		}
		if (act != ACT_RESOLVE_VALUE) {
			resolve(a, cs, cs->sc.cur, act == ACT_RESOLVE_OURS ? CF_TAKE_OURS
									: CF_TAKE_THEIRS, NULL);
			return 1;
		}
		cs->pending = cs->sc.cur;
		snprintf(label, sizeof(label), "%.40s (empty: unset): ", cs->c[cs->pending].field);
		tui_prompt(a, label, cs->c[cs->pending].ours ? cs->c[cs->pending].ours : "",
			   value_done, cs);
		return 1;
	case ACT_ADD:
	case ACT_EDIT:
	case ACT_DELETE:
		tui_message(a, 1, "conflicts come from sync: o, t or i settles one");
		return 1;
	default:
		return 0;
	}
}

/* ---- life ---- */

static int conflicts_open(struct app *a, void **priv)
{
	struct conflicts *cs = xcalloc(1, sizeof(*cs));

	if (!cs)
		return cf_error(&a->err, CF_ERR, "out of memory");
	cs->sc.cursor = 1;
	cs->detail = 1;
	read_rows(a, cs);
	*priv = cs;
	return 0;
}

static void conflicts_close(struct app *a, void *priv)
{
	(void)a;
	free_rows(priv);
	free_quarantined(priv);
	free(priv);
}

static void conflicts_reload(struct app *a, void *priv)
{
	read_rows(a, priv);
}

static void conflicts_status(struct app *a, void *priv, char *buf, size_t len)
{
	(void)a;
	scroll_status(&((struct conflicts *)priv)->sc, buf, len);
}

const struct screen_ops scr_conflicts = {
	"conflicts", "Conflicts", "Conf", conflicts_open, conflicts_close, conflicts_draw,
	conflicts_key, conflicts_reload, NULL, NULL, conflicts_status,
	"? help  K o i settle the conflict  Enter detail  q back",
};
