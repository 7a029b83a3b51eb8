/* tmpl_render.c — the template engine: walks a parsed template over the export model (the
 * case as one profile may see it, as of a moment), writing the template's own text as it is
 * and every value escaped for the template's format by the engine (Markdown, HTML, CSV). */
#include "export/tmpl_internal.h"

#include <stdlib.h>
#include <string.h>

/* One frame of the render stack, at the same index as the parser's frame for its section. */
struct frame {
	const struct cf_record *r;       /* a record in scope, or NULL */
	const struct model_iter *it;     /* the cursor R is at (a loop's), or NULL */
	const struct change_item *change; /* a change in scope, or NULL */
	size_t index;                    /* a loop: the position among the records shown */
	int first, last;
};

struct rctx {
	const struct tmpl *t;
	const struct model *m;
	FILE *out;
	void (*esc)(FILE *, const char *);   /* a value inline */
	void (*block)(FILE *, const char *); /* a value as paragraphs */
	struct frame fr[TMPL_MAX_DEPTH + 1];
	int nfr;
	struct change_list changes;
	struct cf_record top;                /* estimate_top */
	int has_top;
	char since[CF_TIME_LEN];
	char cui_category[CF_PHRASE_LEN], cui_ldc[CF_PHRASE_LEN];
};

static void csv_text(FILE *out, const char *text)
{
	csv_cell(out, text);
}

/* CSV: a rich value is one cell, so its parts are gathered (each cleaned) and quoted once. */
static void put_clean(FILE *out, const char *text)
{
	char *t = x_clean(text, CLEAN_INLINE);
	fputs(t, out);
	free(t);
}

static const char *yes(int b)
{
	return b ? "yes" : "";
}

/* A value that is one string; BUF holds it when it is computed. */
static const char *plain(struct rctx *c, const struct tname *nm, char *buf, size_t len)
{
	const struct model *m = c->m;
	const struct frame *f = nm->level >= 0 ? &c->fr[nm->level] : NULL;
	const struct cf_record *r = nm->level < 0 ? &m->kase : f->r;
	const struct cf_deadline *d;

	switch (nm->what) {
	case NM_TOP:
		switch (nm->idx) {
		case TOP_BANNER: {
			const char *mk = cf_record_get(&m->kase, "marking");
			return mk && *mk ? mk : "UNMARKED";
		}
		case TOP_AS_OF: return m->as_of_shown;
		case TOP_AS_OF_DATE: return m->as_of_date;
		case TOP_TLP: return model_tlp(m);
		case TOP_PROFILE: return export_profile_name(m->profile);
		case TOP_FEDERAL: return yes(model_federal(m));
		case TOP_CUI: return yes(model_cui(m));
		case TOP_AMBER: return yes(m->tlp_amber);
		case TOP_CUI_CATEGORY_BANNER: return c->cui_category;
		case TOP_CUI_LDC_BANNER: return c->cui_ldc;
		case TOP_PREVIOUS:
			return !m->changes ? "" : m->prev_label && *m->prev_label ? m->prev_label
										 : "the previous version";
		case TOP_PREVIOUS_AS_OF: return m->changes ? c->since : "";
		}
		return "";
	case NM_FIELD:
		return r && r->v[nm->idx] ? r->v[nm->idx] : "";
	case NM_LOOP:
		if (nm->idx == 2) {
			snprintf(buf, len, "%zu", f->index + 1);
			return buf;
		}
		return yes(nm->idx == 0 ? f->first : f->last);
	case NM_DERIVED:
		break;
	default:
		return "";
	}
	switch (nm->idx) {
	case DV_ID: return r ? r->id : "";
	case DV_PEOPLE: return yes(estimate_is_people(r));
	case DV_LATEST: return yes(f->it && is_latest(f->it));
	case DV_TOP: return yes(c->has_top && !strcmp(r->id, c->top.id));
	case DV_UNCERTAIN:
		return yes(f->it && is_latest(f->it) &&
			   (strcmp(rget(r, "confidence"), "high") || !*rget(r, "best")));
	case DV_DUE:
		d = model_deadline(m, r);
		return d && d->has_due ? d->due_local : "";
	case DV_STATE:
		d = model_deadline(m, r);
		return d ? cf_dl_status_name(d->status) : rget(r, "status");
	case DV_INDIVIDUALS: return yes(names_individuals(r));
	case DV_CONGRESS: return yes(to_congress(r));
	case DV_CONGRESS_FIRST: return yes(f->it && first_to_congress(m, f->it));
	case DV_WHAT: return f->change->what;
	case DV_CHANGED: return f->change->changed;
	case DV_UPDATED: return yes(f->change->phrase != NULL);
	}
	return "";
}

/* A value written in parts (each escaped by O), or its presence when O is NULL. */
static int rich(struct rctx *c, const struct tname *nm, const struct xout *o)
{
	const struct frame *f = &c->fr[nm->level];

	switch (nm->idx) {
	case DV_CITED:
		if (o)
			show_source_x(o, c->m, rget(f->r, "source"));
		return any_source(c->m, rget(f->r, "source"));
	case DV_RANGE:
		if (o)
			show_range_x(o, f->r);
		return 1;
	case DV_TEXT:
		if (o && f->change->phrase)
			o->esc(o->f, f->change->phrase);
		else if (o)
			describe_x(o, &f->change->r);
		return 1;
	}
	return 0;
}

static int is_rich(const struct tname *nm)
{
	return nm->what == NM_DERIVED && tmpl_derived[nm->idx].rich;
}

/* Writes a value in parts through the format's escaper; CSV gathers the parts into one
 * cell. */
static void write_parts(struct rctx *c, const struct tname *nm, const char *value)
{
	struct xout o = { c->out, c->esc };
	char *buf = NULL;
	size_t len = 0;

	if (c->t->type == TMPL_CSV) {
		o.f = open_memstream(&buf, &len);
		o.esc = put_clean;
		if (!o.f)
			xalloc_die(0);
	}
	if (nm)
		rich(c, nm, &o);
	else
		show_when_x(&o, value);
	if (c->t->type == TMPL_CSV) {
		fclose(o.f);
		csv_cell(c->out, buf);
		free(buf);
	}
}

static void write_value(struct rctx *c, const struct tnode *n)
{
	char num[CF_NUM_LEN], up[CF_PHRASE_LEN];
	const char *v;

	if (is_rich(&n->name)) {
		write_parts(c, &n->name, NULL);
		return;
	}
	v = plain(c, &n->name, num, sizeof(num));
	switch (n->filter) {
	case TF_BLOCK:
		c->block(c->out, v);
		return;
	case TF_WHEN:
		write_parts(c, NULL, v);
		return;
	case TF_COUNT: {
		struct xout o = { c->out, c->esc };
		if (c->t->type == TMPL_CSV || strspn(v, "0123456789") != strlen(v) || !*v)
			c->esc(c->out, v); /* a CSV cell keeps the number as a number */
		else
			show_count_x(&o, v);
		return;
	}
	case TF_UPPER: {
		size_t i;
		for (i = 0; v[i] && i + 1 < sizeof(up); i++)
			up[i] = (char)(v[i] >= 'a' && v[i] <= 'z' ? v[i] - 'a' + 'A' : v[i]);
		up[i] = '\0';
		c->esc(c->out, up);
		return;
	}
	case TF_NONE:
		c->esc(c->out, v);
	}
}

/* Whether the record at cursor IT (or change CH) meets N's conditions; it is then in scope
 * at LEVEL. */
static int meets(struct rctx *c, const struct tnode *n, int level, const struct model_iter *it,
		 const struct change_item *ch)
{
	char num[CF_NUM_LEN];

	c->fr[level].it = it;
	c->fr[level].r = it ? it->r : NULL;
	c->fr[level].change = ch;
	for (size_t i = 0; i < n->nconds; i++) {
		const struct tcond *cd = &n->conds[i];
		const char *v = plain(c, &cd->field, num, sizeof(num));
		int in = 0;
		for (size_t j = 0; j < cd->nvals && !in; j++)
			in = !strcmp(v, cd->vals[j]);
		if (in == cd->neg)
			return 0;
	}
	return 1;
}

static int render_kids(struct rctx *c, const struct tnode *n);

/* One record (or change) of a loop: in scope at LEVEL, its place in the loop set. */
static int render_item(struct rctx *c, const struct tnode *n, int level, size_t index, int last)
{
	struct frame *f = &c->fr[level];

	f->index = index;
	f->first = index == 0;
	f->last = last;
	return render_kids(c, n);
}

/* The changes (an array): the loop, or {{^changes}} / {{?changes}}. */
static int list_changes(struct rctx *c, const struct tnode *n, int level)
{
	size_t i = 0, shown = 0, next;
	int rc = 0;

	while (i < c->changes.n && !meets(c, n, level, NULL, &c->changes.v[i]))
		i++;
	if (n->type != TN_SECTION)
		return (i < c->changes.n) == (n->type == TN_PRESENT) ? render_kids(c, n) : 0;
	for (; rc == 0 && i < c->changes.n; i = next) {
		for (next = i + 1; next < c->changes.n &&
				   !meets(c, n, level, NULL, &c->changes.v[next]);)
			next++;
		meets(c, n, level, NULL, &c->changes.v[i]);
		rc = render_item(c, n, level, shown++, next == c->changes.n);
	}
	return rc;
}

/* Advances IT to the next record N keeps (of evidence EV only when EV is set); 0 at the end. */
static int next_match(struct rctx *c, const struct tnode *n, int level, struct model_iter *it,
		      const char *ev)
{
	while (model_iter_next(it))
		if ((!ev || !strcmp(rget(it->r, "evidence"), ev)) && meets(c, n, level, it, NULL))
			return 1;
	return 0;
}

/* A loop over records: cursor LOOK finds each kept record one ahead of cursor CUR, which
 * renders them, so that @last is known without holding any record (the model streams). */
static int list_records(struct rctx *c, const struct tnode *n, int level)
{
	struct model_iter look, cur;
	char ev[CF_ID_LEN + 1] = "";
	size_t pending = 0, shown = 0;
	int found = 0, started = 0, rc = 0;

	if (n->name.what == NM_SUBLIST)
		cf_strlcpy(ev, c->fr[n->name.level].r->id, sizeof(ev));
	model_iter_open(&look, c->m, (enum cf_kind)n->name.kind);
	if (n->type != TN_SECTION) {
		found = next_match(c, n, level, &look, ev[0] ? ev : NULL);
		model_iter_close(&look);
		memset(&c->fr[level], 0, sizeof(c->fr[level]));
		return found == (n->type == TN_PRESENT) ? render_kids(c, n) : 0;
	}
	model_iter_open(&cur, c->m, (enum cf_kind)n->name.kind);
	for (;;) {
		int more = next_match(c, n, level, &look, ev[0] ? ev : NULL);
		if (found) {
			while ((!started || cur.i < pending) && (started = 1) && model_iter_next(&cur))
				;
			if (!cur.r || cur.i != pending)
				break; /* a read error: model_failed says it */
			meets(c, n, level, &cur, NULL);
			if ((rc = render_item(c, n, level, shown++, !more)) < 0)
				break;
		}
		if (!more)
			break;
		pending = look.i;
		found = 1;
	}
	model_iter_close(&cur);
	model_iter_close(&look);
	return rc;
}

static int present(struct rctx *c, const struct tnode *n)
{
	char num[CF_NUM_LEN];

	if (is_rich(&n->name))
		return rich(c, &n->name, NULL);
	return *plain(c, &n->name, num, sizeof(num)) != '\0';
}

static int render_section(struct rctx *c, const struct tnode *n)
{
	int level = c->nfr++, rc = 0;

	memset(&c->fr[level], 0, sizeof(c->fr[level]));
	if ((n->name.what == NM_LIST || n->name.what == NM_SUBLIST) && n->name.kind == TS_CHANGE) {
		rc = list_changes(c, n, level);
	} else if (n->name.what == NM_LIST || n->name.what == NM_SUBLIST) {
		rc = list_records(c, n, level);
	} else if (n->name.what == NM_CASE) {
		c->fr[level].r = &c->m->kase;
		if (n->type == TN_SECTION)
			rc = render_kids(c, n);
	} else if (present(c, n) == (n->type != TN_INVERTED)) {
		rc = render_kids(c, n);
	}
	c->nfr--;
	return rc;
}

static int render_kids(struct rctx *c, const struct tnode *n)
{
	for (size_t i = 0; i < n->nkids; i++) {
		const struct tnode *k = &n->kids[i];
		int rc;
		switch (k->type) {
		case TN_TEXT:
			fwrite(k->text, 1, k->len, c->out);
			break;
		case TN_VAR:
			write_value(c, k);
			break;
		case TN_SECTION:
		case TN_INVERTED:
		case TN_PRESENT:
			if ((rc = render_section(c, k)) < 0)
				return rc;
			break;
		}
	}
	return ferror(c->out) ? CF_EIO : 0;
}

int tmpl_render(const struct tmpl *t, const struct model *m, FILE *out, struct cf_err *err)
{
	struct rctx c;
	int rc;

	memset(&c, 0, sizeof(c));
	c.t = t;
	c.m = m;
	c.out = out;
	c.nfr = 1;
	c.esc = t->type == TMPL_MD ? md_inline : t->type == TMPL_HTML ? html_text : csv_text;
	c.block = t->type == TMPL_MD ? md_block : c.esc;
	c.has_top = estimate_top(m, &c.top);
	if (m->changes)
		changes_since(m, c.since, sizeof(c.since));
	cui_banner_parts(m, c.cui_category, c.cui_ldc, sizeof(c.cui_category));
	if (t->uses_changes)
		changes_collect(m, &c.changes);
	rc = render_kids(&c, &t->root);
	change_list_release(&c.changes);
	cf_record_release(&c.top);
	if (rc < 0)
		return cf_error(err, CF_EIO, "write failed");
	return 0;
}
