/* model.c — the document model: the case read once, filtered for one audience and sorted
 * with a total order (natural order, then every field, then id) so output is deterministic. */
#include "export/internal.h"

#include <stdlib.h>
#include <string.h>

const char *rget(const struct cf_record *r, const char *field)
{
	const char *v = cf_record_get(r, field);
	return v ? v : "";
}

int mark_local(const char *mark, const char *tz, char *buf, size_t len)
{
	struct cf_when w;
	struct cf_err err;

	if (!mark || !*mark || cf_when_parse(mark, NULL, &w, &err) < 0)
		return -1;
	cf_time_zoned(w.start, tz && *tz ? tz : "UTC", buf, len);
	return 0;
}

const char *model_hidden(enum export_profile profile, int tlp_amber, const struct cf_record *r)
{
	const char *vis = cf_record_get(r, "visibility"), *tlp = cf_record_get(r, "tlp");
	int low = !tlp || !strcmp(tlp, "clear") || !strcmp(tlp, "green");

	if (!vis)
		vis = "internal"; /* unmarked records stay in the team */
	switch (profile) {
	case EXPORT_SITREP:
		return NULL;
	case EXPORT_CONGRESSIONAL:
		if (strcmp(vis, "congress") && strcmp(vis, "public"))
			return "its visibility is not congress or public";
		if (low || (tlp_amber && !strcmp(tlp, "amber")))
			return NULL;
		return !strcmp(tlp, "amber") ? "it is TLP:AMBER (give --tlp amber to include it)"
					     : "its TLP forbids sharing outside the team";
	case EXPORT_PUBLIC:
		if (strcmp(vis, "public"))
			return "its visibility is not public";
		return !tlp || !strcmp(tlp, "clear") ? NULL : "it is not TLP:CLEAR";
	}
	return "unknown profile";
}

const char *model_tlp(const struct model *m)
{
	if (m->profile == EXPORT_PUBLIC)
		return "TLP:CLEAR";
	return m->tlp_amber ? "TLP:AMBER" : "TLP:GREEN";
}

int model_federal(const struct model *m)
{
	const char *packs = cf_record_get(&m->kase, "rule_packs");
	return !packs || deadline_pack_listed(packs, "federal");
}

/* Records a reader of the profile would miss without being told: key events, estimates,
 * events bearing on the number affected. */
static int matters(const struct cf_record *r)
{
	const char *kind = cf_record_get(r, "kind"), *key = cf_record_get(r, "key");
	if (r->kind == CF_ESTIMATE)
		return 1;
	return r->kind == CF_EVENT && ((key && !strcmp(key, "yes")) ||
				       (kind && (!strcmp(kind, "estimate") ||
						 !strcmp(kind, "disclosure"))));
}

/* Dated after the "as of" moment (an event that had not occurred, an estimate not yet made). */
static int after_limit(const struct model *m, const struct cf_record *r)
{
	const char *f = r->kind == CF_EVENT ? "occurred" : r->kind == CF_ESTIMATE ? "as_of" : NULL;
	const char *v = f ? cf_record_get(r, f) : NULL;
	struct cf_when w;

	return m->limit && v && cf_when_parse(v, m->tz, &w, NULL) == 0 && w.start > m->limit;
}

static int push(struct xlist *l, const struct cf_record *r)
{
	struct cf_record *c;
	const struct cf_kind_info *ki = cf_kind_info(r->kind);

	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		struct cf_record *v = xrealloc(l->v, cap * sizeof(*v));
		if (!v)
			return -1;
		l->v = v;
		l->cap = cap;
	}
	c = &l->v[l->n++];
	cf_record_init(c, r->kind);
	memcpy(c->id, r->id, sizeof(c->id));
	for (size_t i = 0; i < ki->nfields; i++)
		c->v[i] = r->v[i] ? xstrdup(r->v[i]) : NULL;
	return 0;
}

struct load_ctx {
	struct model *m;
	struct xlist *l;
	const struct export_opts *o;
	int failed;
};

static int take(const struct cf_record *r, void *vctx)
{
	struct load_ctx *c = vctx;
	const struct export_opts *o = c->o;
	const char *why = model_hidden(c->m->profile, c->m->tlp_amber, r);

	progress_update(&c->m->prog, 0, ++c->m->prog.info.count);
	if (after_limit(c->m, r))
		return 0;
	if (why) {
		if (o && o->omitted && matters(r))
			o->omitted(r, why, o->omitted_ctx);
		return 0;
	}
	if (push(c->l, r) < 0) {
		c->failed = 1;
		return 1;
	}
	return 0;
}

/* The field that orders each kind first (a time), as record_list orders them. */
static const char *order_field(enum cf_kind k)
{
	switch (k) {
	case CF_EVENT: return "occurred";
	case CF_ESTIMATE: return "category";
	case CF_NOTICE: return "due";
	case CF_TASK: return "due";
	case CF_EVIDENCE: return "collected_at";
	case CF_CUSTODY: return "at"; /* not "evidence": ids are random */
	case CF_NOTE: return "at";
	case CF_MEMBER: return "name";
	default: return NULL;
	}
}

/* Times compare by start, unknown times last; equal starts by the text. */
static int cmp_time(const char *a, const char *b, const char *sort_tz)
{
	struct cf_when wa, wb;
	struct cf_err err;
	int ha = a && cf_when_parse(a, sort_tz, &wa, &err) == 0;
	int hb = b && cf_when_parse(b, sort_tz, &wb, &err) == 0;

	if (ha != hb)
		return ha ? -1 : 1;
	if (ha && wa.start != wb.start)
		return wa.start < wb.start ? -1 : 1;
	if (ha && wa.end != wb.end)
		return wa.end < wb.end ? -1 : 1;
	return 0;
}

static int cmp_value(const struct cf_field *f, const char *a, const char *b, const char *tz)
{
	if (f->type == CF_T_TIME) {
		int c = cmp_time(a, b, tz);
		if (c)
			return c;
	}
	if (f->type == CF_T_INT && a && b) {
		long long x = atoll(a), y = atoll(b);
		if (x != y)
			return x < y ? -1 : 1;
	}
	if (!a || !b)
		return a ? -1 : b ? 1 : 0;
	return strcmp(a, b);
}

static int cmp_record(const struct cf_record *a, const struct cf_record *b, const char *tz)
{
	const struct cf_kind_info *ki = cf_kind_info(a->kind);
	const char *first = order_field(a->kind);
	int idx = first ? cf_field_index(ki, first) : -1, c;

	if (idx >= 0 && (c = cmp_value(&ki->fields[idx], a->v[idx], b->v[idx], tz)))
		return c;
	if (a->kind == CF_ESTIMATE) { /* then by their time */
		int t = cf_field_index(ki, "as_of");
		if ((c = cmp_value(&ki->fields[t], a->v[t], b->v[t], tz)))
			return c;
	}
	/* References and ids are random: they decide only between otherwise equal records. */
	for (size_t i = 0; i < ki->nfields; i++)
		if (ki->fields[i].type != CF_T_REF &&
		    (c = cmp_value(&ki->fields[i], a->v[i], b->v[i], tz)))
			return c;
	for (size_t i = 0; i < ki->nfields; i++)
		if (ki->fields[i].type == CF_T_REF &&
		    (c = cmp_value(&ki->fields[i], a->v[i], b->v[i], tz)))
			return c;
	return strcmp(a->id, b->id);
}

/* A stable merge sort with the case's zone as context (qsort has no context argument). */
static int sort_records(struct cf_record *v, size_t n, const char *tz)
{
	struct cf_record *tmp;

	if (n < 2)
		return 0;
	if (!(tmp = xmalloc(n * sizeof(*tmp))))
		return -1;
	for (size_t width = 1; width < n; width *= 2) {
		for (size_t lo = 0; lo < n; lo += 2 * width) {
			size_t mid = lo + width < n ? lo + width : n;
			size_t hi = lo + 2 * width < n ? lo + 2 * width : n;
			size_t i = lo, j = mid, k = lo;
			while (i < mid && j < hi)
				tmp[k++] = cmp_record(&v[j], &v[i], tz) < 0 ? v[j++] : v[i++];
			while (i < mid)
				tmp[k++] = v[i++];
			while (j < hi)
				tmp[k++] = v[j++];
		}
		memcpy(v, tmp, n * sizeof(*v));
	}
	free(tmp);
	return 0;
}

struct model_fault {
	int rc;
	struct cf_err err;
};

struct mark_ctx {
	char mark[CF_TIME_LEN];
	int64_t n;
	struct progress *prog;
};

static int see_op(const struct cf_op *op, void *vctx)
{
	struct mark_ctx *c = vctx;
	c->n++;
	progress_update(c->prog, 0, ++c->prog->info.count);
	if (strcmp(op->at, c->mark) > 0)
		cf_strlcpy(c->mark, op->at, sizeof(c->mark));
	return 0;
}

int model_load(struct store *s, const struct export_opts *o, int64_t at, struct model *m,
	       struct cf_err *err)
{
	static const char *const title[] = {
		[EXPORT_BRIEFING] = "exporting the briefing", [EXPORT_TIMELINE] = "exporting the timeline",
		[EXPORT_CASE] = "exporting the case", [EXPORT_CUSTODY] = "exporting custody",
		[EXPORT_VERIS] = "exporting the VERIS incident",
	};
	_Static_assert(sizeof(title) / sizeof(title[0]) == EXPORT_VERIS + 1,
		       "a progress title for every export kind");
	struct mark_ctx mc = { "", 0, &m->prog };
	int rc;

	memset(m, 0, sizeof(*m));
	if (!(m->fault = xcalloc(1, sizeof(*m->fault))))
		return cf_error(err, CF_ERR, "out of memory");
	progress_start(&m->prog, store_progress(s), title[o->kind], 0, "rows");
	m->profile = o->profile;
	m->tlp_amber = o->tlp_amber;
	m->limit = store_view(s) ? at : 0;
	m->s = s;
	m->at = at;
	cf_record_init(&m->kase, CF_CASE);
	if ((rc = case_get(s, &m->kase, err)) < 0)
		return rc;
	m->tz = cf_record_get(&m->kase, "tz");
	if ((rc = notice_view_load(s, NULL, at, &m->notices, err)) < 0)
		return rc;
	for (int k = CF_EVENT; k < CF_KIND_COUNT; k++) {
		struct load_ctx c = { m, &m->k[k], o, 0 };
		rc = record_list(s, (enum cf_kind)k, NULL, take, &c, err);
		if (rc == 0 && c.failed)
			rc = cf_error(err, CF_ERR, "out of memory");
		if (rc == 0 && sort_records(m->k[k].v, m->k[k].n, m->tz) < 0)
			rc = cf_error(err, CF_ERR, "out of memory");
		if (rc < 0)
			break;
	}
	if (rc < 0 || (rc = op_list(s, NULL, see_op, &mc, err)) < 0)
		return rc;
	memcpy(m->mark, mc.mark, sizeof(m->mark));
	m->nops = mc.n;
	return 0;
}

/* ---- cursors ---- */

void model_iter_open(struct model_iter *it, const struct model *m, enum cf_kind kind)
{
	memset(it, 0, sizeof(*it));
	it->m_ = m;
	it->kind_ = kind > CF_CASE && kind < CF_KIND_COUNT ? kind : CF_KIND_COUNT;
}

const struct cf_record *model_iter_next(struct model_iter *it)
{
	const struct xlist *l;

	if (it->kind_ == CF_KIND_COUNT || (it->r && !it->ahead))
		return it->r = it->prev = it->ahead = NULL;
	l = &it->m_->k[it->kind_];
	if (it->next_ >= l->n)
		return it->r = it->prev = it->ahead = NULL;
	it->prev = it->r;
	it->i = it->next_++;
	it->r = &l->v[it->i];
	it->ahead = it->next_ < l->n ? &l->v[it->next_] : NULL;
	return it->r;
}

void model_iter_close(struct model_iter *it)
{
	memset(it, 0, sizeof(*it));
}

int model_any(const struct model *m, enum cf_kind kind)
{
	struct model_iter it;
	int any;

	model_iter_open(&it, m, kind);
	any = model_iter_next(&it) != NULL;
	model_iter_close(&it);
	return any;
}

int model_each(const struct model *m, enum cf_kind kind, model_fn fn, void *ctx)
{
	struct model_iter it;
	int rc = 0;

	model_iter_open(&it, m, kind);
	while (rc == 0 && model_iter_next(&it))
		rc = fn(&it, ctx);
	model_iter_close(&it);
	return rc;
}

int model_failed(const struct model *m, struct cf_err *err)
{
	if (!m->fault || !m->fault->rc)
		return 0;
	if (err)
		*err = m->fault->err;
	return m->fault->rc;
}

const struct cf_deadline *model_deadline(const struct model *m, const struct cf_record *n)
{
	return n->kind == CF_NOTICE ? notice_view_find(m->notices, n->id) : NULL;
}

void model_release(struct model *m)
{
	changes_free(m);
	notice_view_free(m->notices);
	cf_record_release(&m->kase);
	free(m->fault);
	for (int k = 0; k < CF_KIND_COUNT; k++) {
		for (size_t i = 0; i < m->k[k].n; i++)
			cf_record_release(&m->k[k].v[i]);
		free(m->k[k].v);
	}
	memset(m, 0, sizeof(*m));
}
