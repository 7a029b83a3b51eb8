/* model.c — the document model: the case as one audience may see it, each kind's records read
 * as a renderer walks them (a cursor over SQL in a total order: natural order, then every
 * field, then id, store/cursor.c) so output is deterministic and memory does not grow with
 * the case. */
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

/* What the cursors change in a model they only read: the first error, the rows read. */
struct model_fault {
	int rc;
	struct cf_err err;
	struct progress *prog; /* the model's own */
};

/* Tells O's omitted callback of each record the profile leaves out that its reader would
 * miss (one pass over the case, nothing kept). */
struct omit_ctx {
	struct model *m;
	const struct export_opts *o;
};

static int omit(const struct cf_record *r, void *vctx)
{
	struct omit_ctx *c = vctx;
	const char *why;

	progress_update(&c->m->prog, 0, ++c->m->prog.info.count);
	if (after_limit(c->m, r) || !matters(r))
		return 0;
	if ((why = model_hidden(c->m->profile, c->m->tlp_amber, r)))
		c->o->omitted(r, why, c->o->omitted_ctx);
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
	struct omit_ctx oc = { m, o };
	int rc;

	memset(m, 0, sizeof(*m));
	if (!(m->fault = xcalloc(1, sizeof(*m->fault))))
		return cf_error(err, CF_ERR, "out of memory");
	m->fault->prog = &m->prog;
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
	/* The records themselves are read as each renderer walks them (model_iter). */
	for (int k = CF_EVENT; o->omitted && k < CF_KIND_COUNT; k++)
		if ((k == CF_EVENT || k == CF_ESTIMATE) &&
		    (rc = record_list(s, (enum cf_kind)k, NULL, omit, &oc, err)) < 0)
			return rc;
	return op_mark(s, m->mark, &m->nops, err);
}

/* ---- cursors: one kind read from SQL in the total order (record_cursor), filtered ---- */

static void fault(const struct model *m, int rc, const struct cf_err *err)
{
	if (m->fault && !m->fault->rc) {
		m->fault->rc = rc;
		m->fault->err = *err;
	}
}

void model_iter_open(struct model_iter *it, const struct model *m, enum cf_kind kind)
{
	memset(it, 0, sizeof(*it));
	it->m_ = m;
	it->kind_ = kind > CF_CASE && kind < CF_KIND_COUNT ? kind : CF_KIND_COUNT;
	for (int i = 0; i < MODEL_ITER_BUFS; i++)
		cf_record_init(&it->buf_[i], CF_EVENT);
}

/* The next record the profile may see into buffer SLOT: 1, or 0 at the end or on an error
 * (kept in the model). */
static int read_visible(struct model_iter *it, int slot)
{
	const struct model *m = it->m_;
	struct cf_record *r = &it->buf_[slot];
	struct cf_err err;
	int rc;

	for (;;) {
		cf_record_release(r);
		if ((rc = record_cursor_next(it->cur_, r, &err)) <= 0) {
			if (rc < 0)
				fault(m, rc, &err);
			return 0;
		}
		if (m->fault) /* "exporting the case: N rows" */
			progress_update(m->fault->prog, 0, ++m->fault->prog->info.count);
		if (!model_hidden(m->profile, m->tlp_amber, r) && !after_limit(m, r))
			return 1;
	}
}

/* The buffers in turn: the current record's is N % MODEL_ITER_BUFS, the one ahead N + 1, the
 * one before N + 2 (modulo the same), which the next step overwrites with the record after
 * the next. */
const struct cf_record *model_iter_next(struct model_iter *it)
{
	size_t n;

	if (it->done_ || it->kind_ == CF_KIND_COUNT)
		goto end;
	if (!it->cur_) {
		struct cf_err err;
		int rc = record_cursor_open(it->m_->s, it->kind_, it->m_->tz, &it->cur_, &err);
		if (rc < 0) {
			fault(it->m_, rc, &err);
			goto end;
		}
		it->has_ahead_ = read_visible(it, 0);
	}
	if (!it->has_ahead_)
		goto end;
	n = it->n_++;
	it->i = n;
	it->prev = n ? &it->buf_[(n + 2) % MODEL_ITER_BUFS] : NULL;
	it->r = &it->buf_[n % MODEL_ITER_BUFS];
	it->has_ahead_ = read_visible(it, (int)((n + 1) % MODEL_ITER_BUFS));
	it->ahead = it->has_ahead_ ? &it->buf_[(n + 1) % MODEL_ITER_BUFS] : NULL;
	return it->r;
end:
	it->done_ = 1;
	it->r = it->prev = it->ahead = NULL;
	return NULL;
}

void model_iter_close(struct model_iter *it)
{
	record_cursor_close(it->cur_);
	for (int i = 0; i < MODEL_ITER_BUFS; i++)
		cf_record_release(&it->buf_[i]);
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
	memset(m, 0, sizeof(*m));
}
