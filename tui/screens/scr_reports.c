/* scr_reports.c — the Reports screen: the report versions kept in the case's git repository,
 * newest first, and below them the diff between two of them (by default the version under
 * the cursor against the previous version of the same report; `m` picks the other side), or
 * one version's text.  Enter gives the diff the whole screen, to scroll through any length.
 * Everything read from the repository is drawn through tui_text: a clone may hold anything. */
#include "tui/tui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <git2.h>

#include "export/export.h"

struct version {
	char oid[CF_OID_HEX];
	char label[CF_PHRASE_LEN];        /* "briefing congressional v3", or the commit's summary */
	char kind[CF_NAME_LEN], profile[TMPL_NAME_LEN + 1]; /* a profile's or a template's */
	int64_t time;
	char mark[CF_TIME_LEN];
	char format[CF_NAME_LEN];         /* "pdf", ... ("" unknown) */
};

struct line {
	enum reports_line_type type;
	char *text;            /* with the diff's +, - or space in front */
	size_t len;
};

/* A screen row of the pane: a piece of one line, wrapped to the pane's width. */
struct prow {
	int line;
	size_t off, len;
};

struct reports {
	struct cf_repo *repo;       /* NULL while the case has no repository */
	struct store *s;            /* the case: a sealed one's reports open with its keys */
	char tip[CF_OID_HEX];       /* main when the versions were read: changes mean new ones */
	struct version *v;
	int nv;
	struct scroll vs;           /* the versions, with a cursor */
	char from[CF_OID_HEX];      /* the diff's other side, "" = the previous version */
	int text;                   /* the pane shows the version's text, not a diff */
	int full;                   /* the pane has the whole screen */
	/* The pane: what it shows (to know when to read it again), its lines and rows. */
	char shown[2 * CF_OID_HEX + 2];
	char title[CF_LINE_LEN];
	struct line *lines;
	int nlines, cap;
	struct prow *rows;
	int nrows, wrapped_at;
	struct scroll ps;           /* the pane's rows, the view scrolling */
	char error[CF_MSG_LEN];            /* why the pane is empty, when it is */
};

/* ---- the versions ---- */

static int add_version(const struct reports_version *rv, void *ctx)
{
	struct reports *r = ctx;
	struct version *nv = xrealloc(r->v, (size_t)(r->nv + 1) * sizeof(*nv));
	struct version *v;

	if (!nv)
		return CF_ERR;
	r->v = nv;
	v = &r->v[r->nv++];
	memset(v, 0, sizeof(*v));
	memcpy(v->oid, rv->oid, sizeof(v->oid));
	cf_strlcpy(v->kind, rv->kind, sizeof(v->kind));
	cf_strlcpy(v->profile, rv->profile, sizeof(v->profile));
	cf_strlcpy(v->mark, rv->mark, sizeof(v->mark));
	cf_strlcpy(v->format, rv->format, sizeof(v->format));
	v->time = rv->time;
	if (rv->kind[0] && rv->version > 0)
		snprintf(v->label, sizeof(v->label), "%s %s v%d", rv->kind, rv->profile,
			 rv->version);
	else /* a commit made by plain git: its own words */
		snprintf(v->label, sizeof(v->label), "%.63s", rv->summary);
	return 0;
}

static void forget_pane(struct reports *r)
{
	r->shown[0] = '\0';
}

/* Reads the versions again, the cursor kept on the version it was on. */
static void read_versions(struct app *a, struct reports *r)
{
	char keep[CF_OID_HEX] = "";
	struct cf_err err;

	if (r->nv > 0 && r->vs.cur < r->nv)
		memcpy(keep, r->v[r->vs.cur].oid, sizeof(keep));
	free(r->v);
	r->v = NULL;
	r->nv = 0;
	r->tip[0] = '\0';
	forget_pane(r);
	r->s = a->live ? a->live : a->s; /* the case itself holds the identity */
	if (!r->repo && repo_open(store_dir(a->s), 0, &r->repo, &err) < 0) {
		r->repo = NULL;
		return;
	}
	if (repo_resolve(r->repo, NULL, r->tip, &err) < 0)
		r->tip[0] = '\0';
	if (reports_log(r->repo, add_version, r, &err) < 0)
		tui_message(a, 1, "reports: %s", err.code ? err.msg : "out of memory");
	r->vs.cur = 0;
	for (int i = 0; keep[0] && i < r->nv; i++)
		if (strcmp(r->v[i].oid, keep) == 0)
			r->vs.cur = i;
	scroll_fit(&r->vs, r->nv, r->vs.height);
}

static const struct version *version_at_oid(const struct reports *r, const char *oid)
{
	for (int i = 0; i < r->nv; i++)
		if (strcmp(r->v[i].oid, oid) == 0)
			return &r->v[i];
	return NULL;
}

/* The version the default diff starts from: the next older one of the same report. */
static const struct version *previous_of(const struct reports *r, int i)
{
	for (int k = i + 1; k < r->nv; k++)
		if (r->v[i].kind[0] && strcmp(r->v[k].kind, r->v[i].kind) == 0 &&
		    strcmp(r->v[k].profile, r->v[i].profile) == 0)
			return &r->v[k];
	return NULL;
}

/* ---- the pane's lines ---- */

static void clear_lines(struct reports *r)
{
	for (int i = 0; i < r->nlines; i++)
		free(r->lines[i].text);
	r->nlines = 0;
	r->nrows = 0;
	r->wrapped_at = 0;
	r->error[0] = '\0';
}

static int push_line(struct reports *r, enum reports_line_type type, const char *prefix,
		     const char *text, size_t len)
{
	size_t pl = strlen(prefix);
	char *t;

	if (r->nlines == r->cap) {
		int cap = r->cap ? r->cap * 2 : 256;
		struct line *nl = xrealloc(r->lines, (size_t)cap * sizeof(*nl));
		if (!nl)
			return CF_ERR;
		r->lines = nl;
		r->cap = cap;
	}
	if (!(t = xmalloc(pl + len + 1)))
		return CF_ERR;
	memcpy(t, prefix, pl);
	memcpy(t + pl, text, len);
	t[pl + len] = '\0';
	r->lines[r->nlines++] = (struct line){ type, t, pl + len };
	return 0;
}

static int diff_line(const struct reports_line *l, void *ctx)
{
	static const char *const prefix[] = {
		[REPORTS_LINE_FILE] = "", [REPORTS_LINE_HUNK] = "", [REPORTS_LINE_CONTEXT] = " ",
		[REPORTS_LINE_ADD] = "+", [REPORTS_LINE_DEL] = "-", [REPORTS_LINE_NOTE] = "",
	};
	return push_line(ctx, l->type, prefix[l->type], l->text, l->len);
}

static void read_diff(struct reports *r, int i)
{
	const struct version *from = r->from[0] ? version_at_oid(r, r->from) : previous_of(r, i);
	struct cf_err err = { 0 };
	int rc;

	snprintf(r->title, sizeof(r->title), "diff %s -> %s", from ? from->label : "nothing",
		 r->v[i].label);
	if (r->from[0] && strcmp(r->from, r->v[i].oid) == 0) {
		snprintf(r->error, sizeof(r->error), "(the same version on both sides: move the"
			 " cursor, or m here again for the previous version)");
		return;
	}
	rc = reports_diff_lines(r->s, r->repo, r->from[0] ? r->from : NULL, r->v[i].oid, diff_line, r,
				&err);
	if (rc < 0)
		cf_strlcpy(r->error, err.code ? err.msg : "out of memory", sizeof(r->error));
	else if (r->nlines == 0)
		snprintf(r->error, sizeof(r->error), "(no difference)");
}

static void read_text(struct reports *r, int i)
{
	char path[PATH_MAX], *data = NULL;
	size_t len;
	struct cf_err err = { 0 };

	if (reports_changed_path(r->repo, r->v[i].oid, path, sizeof(path), &err) < 0 ||
	    reports_read(r->s, r->repo, r->v[i].oid, path, &data, &len, &err) < 0) {
		snprintf(r->title, sizeof(r->title), "text of %s", r->v[i].label);
		cf_strlcpy(r->error, err.msg, sizeof(r->error));
		return;
	}
	snprintf(r->title, sizeof(r->title), "%s  %.180s", r->v[i].label, path);
	for (const char *p = data, *end = data + len; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		if (push_line(r, REPORTS_LINE_CONTEXT, "", p, n) < 0) {
			snprintf(r->error, sizeof(r->error), "out of memory");
			break;
		}
		p += n + 1;
	}
	free(data);
}

/* Reads the pane again when what it should show changed (cursor, other side, mode). */
static void refresh_pane(struct reports *r)
{
	char want[sizeof(r->shown)];
	int i = r->vs.cur;

	if (r->nv == 0)
		return;
	snprintf(want, sizeof(want), "%s%c%s", r->v[i].oid, r->text ? 't' : 'd',
		 r->text ? "" : r->from);
	if (strcmp(want, r->shown) == 0)
		return;
	memcpy(r->shown, want, sizeof(want));
	clear_lines(r);
	r->ps.top = 0;
	if (r->text)
		read_text(r, i);
	else
		read_diff(r, i);
}

/* Splits the lines into rows of WIDTH cells (continuations one cell in, under the text). */
static void wrap_rows(struct reports *r, int width)
{
	int cap = 0;

	if (r->wrapped_at == width)
		return;
	r->nrows = 0;
	for (int i = 0; i < r->nlines; i++) {
		const char *t = r->lines[i].text, *end = t + r->lines[i].len;
		size_t off = 0;
		do {
			int w = off ? width - 1 : width;
			size_t n = tui_text_fit(t + off, end, w);
			if (r->nrows == cap) {
				struct prow *np;
				cap = cap ? cap * 2 : 512;
				if (!(np = xrealloc(r->rows, (size_t)cap * sizeof(*np))))
					return;
				r->rows = np;
			}
			r->rows[r->nrows++] = (struct prow){ i, off, n };
			off += n;
		} while (t + off < end);
	}
	r->wrapped_at = width;
}

/* ---- drawing ---- */

static attr_t line_style(struct app *a, enum reports_line_type t)
{
	switch (t) {
	case REPORTS_LINE_FILE: return a->style[ST_DIFF_FILE];
	case REPORTS_LINE_HUNK: return a->style[ST_DIFF_HUNK];
	case REPORTS_LINE_ADD: return a->style[ST_DIFF_ADD];
	case REPORTS_LINE_DEL: return a->style[ST_DIFF_DEL];
	case REPORTS_LINE_NOTE: return a->style[ST_DIM];
	default: return A_NORMAL;
	}
}

static void draw_pane(struct app *a, struct reports *r, int y, int width, int height)
{
	char head[sizeof(((struct reports *)0)->title) + sizeof("-- ")];

	snprintf(head, sizeof(head), "-- %s", r->title);
	tui_text(y, 0, width, head, a->style[ST_HEADER], 1);
	if (r->error[0]) {
		tui_wrap(y + 1, 2, width - 2, height - 1, r->error, a->style[ST_DIM]);
		return;
	}
	wrap_rows(r, width);
	scroll_fit(&r->ps, r->nrows, height - 1);
	for (int k = 0; k < height - 1 && r->ps.top + k < r->nrows; k++) {
		const struct prow *pr = &r->rows[r->ps.top + k];
		const struct line *l = &r->lines[pr->line];
		char *piece = xstrndup(l->text + pr->off, pr->len);
		int x = pr->off ? 1 : 0;
		if (piece)
			tui_text(y + 1 + k, x, width - x, piece, line_style(a, l->type), 0);
		free(piece);
	}
}

/* label, format, as of, commit, committed: what tells versions apart first. */
static void version_cells(char *buf, size_t len, const char *label, const char *format,
			  const char *mark, const char *oid, const char *when)
{
	snprintf(buf, len, "%-28.28s %-6.6s %-24.24s %-12.12s %s", label, format, mark, oid, when);
}

static void draw_versions(struct app *a, struct reports *r, int y, int width, int height)
{
	char when[CF_TIME_LEN], line[CF_PHRASE_LEN];

	version_cells(line, sizeof(line), "version", "format", "as of (UTC)", "commit",
		      "committed (UTC)");
	tui_fill(y, 0, width, a->style[ST_HEADER]);
	tui_text(y, 3, width - 3, line, a->style[ST_HEADER], 0);
	scroll_fit(&r->vs, r->nv, height - 1);
	for (int k = 0; k < height - 1 && r->vs.top + k < r->nv; k++) {
		const struct version *v = &r->v[r->vs.top + k];
		int cur = r->vs.top + k == r->vs.cur;
		int mark = r->from[0] && strcmp(r->from, v->oid) == 0;
		attr_t at = cur ? a->style[ST_CURSOR] : A_NORMAL;
		cf_time_utc(v->time, when, sizeof(when));
		version_cells(line, sizeof(line), v->label, v->format[0] ? v->format : "-",
			      v->mark[0] ? v->mark : "-", v->oid, when);
		tui_fill(y + 1 + k, 0, width, at);
		/* m: the other side of the diff */
		tui_text(y + 1 + k, 0, 3, cur && mark ? ">m" : cur ? ">" : mark ? " m" : " ", at, 1);
		tui_text(y + 1 + k, 3, width - 3, line, at, 0);
	}
}

static void reports_draw(struct app *a, void *priv, const struct area *ar)
{
	struct reports *r = priv;
	int listh;

	if (r->nv == 0) {
		tui_text(ar->top, 0, ar->width, "-- report versions", a->style[ST_HEADER], 1);
		tui_wrap(ar->top + 2, 2, ar->width - 4, ar->height - 2,
			 r->repo ? "No report version yet: casefile export briefing --commit keeps"
				   " one in the case's git repository."
				 : "No git repository yet: casefile export briefing --commit makes"
				   " it and keeps the first version.", a->style[ST_DIM]);
		return;
	}
	refresh_pane(r);
	if (r->full) {
		draw_pane(a, r, ar->top, ar->width, ar->height);
		return;
	}
	listh = r->nv + 1 < ar->height / 3 ? r->nv + 1 : ar->height / 3;
	if (listh < 2)
		listh = 2;
	draw_versions(a, r, ar->top, ar->width, listh);
	draw_pane(a, r, ar->top + listh, ar->width, ar->height - listh);
}

/* ---- keys ---- */

static void toggle_from(struct app *a, struct reports *r)
{
	const struct version *v = &r->v[r->vs.cur];

	if (r->from[0] && strcmp(r->from, v->oid) == 0) {
		r->from[0] = '\0';
		tui_message(a, 0, "each version compared with the previous one of its report");
		return;
	}
	memcpy(r->from, v->oid, sizeof(r->from));
	tui_message(a, 0, "diff from %s to the version under the cursor (m on it again: off)",
		    v->label);
}

static int reports_key(struct app *a, void *priv, enum tui_action act, int key)
{
	struct reports *r = priv;

	(void)key;
	if (act == ACT_ADD || act == ACT_EDIT || act == ACT_DELETE) {
		tui_message(a, 1, "versions are made by casefile export KIND --commit, and kept");
		return 1;
	}
	if (r->nv == 0)
		return 0;
	if (r->full && scroll_key(&r->ps, act))
		return 1;
	switch (act) {
	case ACT_DETAIL:
		r->full = !r->full;
		return 1;
	case ACT_BACK:
		if (!r->full)
			return 0;
		r->full = 0;
		return 1;
	case ACT_REPORT_MARK:
		toggle_from(a, r);
		return 1;
	case ACT_REPORT_TEXT:
		r->text = !r->text;
		return 1;
	default:
		return scroll_key(&r->vs, act);
	}
}

/* ---- life ---- */

static int reports_open(struct app *a, void **priv)
{
	struct reports *r = xcalloc(1, sizeof(*r));

	if (!r)
		return cf_error(&a->err, CF_ERR, "out of memory");
	/* The TUI starts without libgit2 (its start-up costs more than a first frame): the
	 * screens that read git take it up while they are open. */
	git_libgit2_init();
	r->vs.cursor = 1;
	read_versions(a, r);
	*priv = r;
	return 0;
}

static void reports_close(struct app *a, void *priv)
{
	struct reports *r = priv;

	(void)a;
	clear_lines(r);
	free(r->lines);
	free(r->rows);
	free(r->v);
	repo_close(r->repo);
	free(r);
	git_libgit2_shutdown();
}

static void reports_reload(struct app *a, void *priv)
{
	read_versions(a, priv);
}

/* New versions are commits, not changes to the case: look at main's tip now and then. */
static int reports_idle(struct app *a, void *priv)
{
	struct reports *r = priv;
	char tip[CF_OID_HEX] = "";
	struct cf_err err;

	r->s = a->live ? a->live : a->s; /* the case itself holds the identity */
	if (!r->repo && repo_open(store_dir(a->s), 0, &r->repo, &err) < 0) {
		r->repo = NULL;
		return 0;
	}
	if (repo_resolve(r->repo, NULL, tip, &err) < 0)
		tip[0] = '\0';
	if (strcmp(tip, r->tip) == 0)
		return 0;
	read_versions(a, r);
	return 1;
}

static void reports_status(struct app *a, void *priv, char *buf, size_t len)
{
	struct reports *r = priv;
	char pos[CF_NUM_LEN];

	(void)a;
	scroll_status(r->full ? &r->ps : &r->vs, pos, sizeof(pos));
	snprintf(buf, len, "%s %s", r->full ? "row" : "version", pos);
}

const struct screen_ops scr_reports = {
	"reports", "Reports", "Rep", reports_open, reports_close, reports_draw, reports_key,
	reports_reload, reports_idle, NULL, reports_status,
	"? help  : command  m diff from  v text  Enter detail  q back",
};
