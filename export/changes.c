/* changes.c — "Changes since the previous briefing": the operations between the previous
 * version's mark and this one's, as items (changes_collect) for the records this audience
 * may see; the briefing templates lay them out ({{#changes}}). */
#include "export/internal.h"

#include <stdlib.h>
#include <string.h>

struct touched {
	char id[CF_ID_LEN + 1];
	enum cf_kind kind;
	int created, deleted;
	char fields[CF_PHRASE_LEN]; /* comma-separated, in the order first changed */
};

struct walk {
	const char *after, *upto;
	struct touched *v;
	size_t n, cap;
	size_t *slots;    /* open addressing by record id: index + 1, 0 = empty */
	size_t nslots;    /* a power of two, more than twice n */
	int failed;
};

static size_t id_hash(const char *id)
{
	size_t h = 1469598103934665603ULL; /* FNV-1a */
	for (; *id; id++)
		h = (h ^ (unsigned char)*id) * 1099511628211ULL;
	return h;
}

static struct touched *find(const struct walk *w, const char *id)
{
	if (!w->nslots)
		return NULL;
	for (size_t i = id_hash(id) & (w->nslots - 1); w->slots[i]; i = (i + 1) & (w->nslots - 1))
		if (!strcmp(w->v[w->slots[i] - 1].id, id))
			return &w->v[w->slots[i] - 1];
	return NULL;
}

static void slot_put(struct walk *w, size_t index)
{
	size_t i = id_hash(w->v[index].id) & (w->nslots - 1);
	while (w->slots[i])
		i = (i + 1) & (w->nslots - 1);
	w->slots[i] = index + 1;
}

/* Room for one more record, in the array and in the table. */
static int grow(struct walk *w)
{
	if (w->n == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 32;
		struct touched *v = xrealloc(w->v, cap * sizeof(*v));
		if (!v)
			return -1;
		w->v = v;
		w->cap = cap;
	}
	if ((w->n + 1) * 2 >= w->nslots) {
		size_t n = w->nslots ? w->nslots * 2 : 64;
		size_t *slots = xcalloc(n, sizeof(*slots));
		if (!slots)
			return -1;
		free(w->slots);
		w->slots = slots;
		w->nslots = n;
		for (size_t i = 0; i < w->n; i++)
			slot_put(w, i);
	}
	return 0;
}

/* Whether NAME is one of the ", "-separated words of LIST ("status" is not "notice_status"). */
static int has_word(const char *list, const char *name)
{
	size_t n = strlen(name);
	for (const char *p = list; (p = strstr(p, name)); p++)
		if ((p == list || p[-1] == ' ') && (p[n] == ',' || !p[n]))
			return 1;
	return 0;
}

static int see(const struct cf_op *op, void *vctx)
{
	struct walk *w = vctx;
	struct touched *t;

	if (strcmp(op->at, w->after) <= 0 || strcmp(op->at, w->upto) > 0)
		return 0;
	if (!(t = find(w, op->record))) {
		if (grow(w) < 0) {
			w->failed = 1;
			return 1;
		}
		t = &w->v[w->n];
		memset(t, 0, sizeof(*t));
		cf_strlcpy(t->id, op->record, sizeof(t->id));
		slot_put(w, w->n++);
	}
	t->kind = op->kind;
	if (!strcmp(op->field, "@delete")) {
		t->deleted = 1;
	} else if (!strcmp(op->field, "@restore")) {
		t->deleted = 0; /* back as it was: not a change the audience sees */
	} else if (!strcmp(op->field, "@create")) {
		t->created = 1;
	} else if (op->field[0] != '@' && !has_word(t->fields, op->field) &&
		   strlen(t->fields) + strlen(op->field) + 3 < sizeof(t->fields)) {
		if (t->fields[0])
			strcat(t->fields, ", ");
		strcat(t->fields, op->field);
	}
	return 0;
}

static const char *const kind_words[CF_KIND_COUNT][2] = {
	[CF_EVENT] = { "New event", "Changed event" },
	[CF_ESTIMATE] = { "Revised estimate", "Corrected estimate" },
	[CF_NOTICE] = { "New notification", "Notification" },
	[CF_EVIDENCE] = { "New evidence", "Changed evidence" },
	[CF_CUSTODY] = { "New custody event", "Changed custody event" },
	[CF_TASK] = { "New task", "Changed task" },
	[CF_NOTE] = { "New log entry", "Changed log entry" },
	[CF_MEMBER] = { "New member", "Changed member" },
};

void describe_x(const struct xout *o, const struct cf_record *r)
{
	FILE *out = o->f;

	switch (r->kind) {
	case CF_EVENT:
		show_when_x(o, cf_record_get(r, "occurred"));
		fputs(": ", out);
		o->esc(out, rget(r, "summary"));
		break;
	case CF_ESTIMATE:
		o->esc(out, rget(r, "category"));
		fputs(", as of ", out);
		show_when_x(o, cf_record_get(r, "as_of"));
		fputs(": ", out);
		show_range_x(o, r);
		if (*rget(r, "reason")) {
			fputs(" (", out);
			o->esc(out, rget(r, "reason"));
			fputc(')', out);
		}
		break;
	case CF_NOTICE:
		o->esc(out, rget(r, "recipient"));
		fputs(" (", out);
		o->esc(out, *rget(r, "status") ? rget(r, "status") : "no status");
		if (cf_record_get(r, "sent")) {
			fputs(" on ", out);
			show_when_x(o, cf_record_get(r, "sent"));
		}
		fputc(')', out);
		break;
	case CF_EVIDENCE:
		o->esc(out, rget(r, "description"));
		break;
	case CF_CUSTODY:
		o->esc(out, rget(r, "action"));
		fputs(" by ", out);
		o->esc(out, rget(r, "handler"));
		break;
	case CF_TASK:
		o->esc(out, rget(r, "title"));
		fputs(" (", out);
		o->esc(out, rget(r, "status"));
		fputc(')', out);
		break;
	case CF_NOTE:
		o->esc(out, rget(r, "text"));
		break;
	case CF_MEMBER:
		o->esc(out, rget(r, "name"));
		fputs(" (", out);
		o->esc(out, rget(r, "role"));
		fputc(')', out);
		break;
	default:
		break;
	}
}

/* A notification whose status became sent or acknowledged is what readers look for. */
static const char *notice_word(const struct cf_record *r, const struct touched *t)
{
	const char *st = rget(r, "status");
	if (has_word(t->fields, "status") && (!strcmp(st, "sent") || !strcmp(st, "acknowledged")))
		return "Notification sent";
	return kind_words[CF_NOTICE][1];
}

static const char *const watched[][2] = {
	{ "summary", "the summary of how the breach occurred" },
	{ "harm", "the assessment of the risk of harm" },
	{ "notice_delay", "the circumstances delaying notice to individuals" },
	{ "notice_plan", "whether and when individuals will be notified" },
	{ "status", "the case status" },
	{ "severity", "the severity" },
};

static struct change_item *add_item(struct change_list *l, const char *what)
{
	struct change_item *c;

	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		l->v = xrealloc(l->v, l->cap * sizeof(*l->v));
	}
	c = &l->v[l->n++];
	memset(c, 0, sizeof(*c));
	cf_record_init(&c->r, CF_CASE);
	cf_strlcpy(c->what, what, sizeof(c->what));
	return c;
}

static void case_changes(const struct model *m, struct walk *w, struct change_list *l)
{
	struct touched *t = find(w, m->kase.id);

	for (size_t i = 0; t && i < sizeof(watched) / sizeof(watched[0]); i++)
		if (has_word(t->fields, watched[i][0]))
			add_item(l, "Updated")->phrase = watched[i][1];
}

static int allowed_kind(const struct model *m, enum cf_kind k)
{
	/* Briefings outside the team speak of events, estimates and notices only. */
	return m->profile == EXPORT_SITREP || k == CF_EVENT || k == CF_ESTIMATE ||
	       k == CF_NOTICE;
}

static int cmp_touched_id(const void *a, const void *b)
{
	return strcmp((*(const struct touched *const *)a)->id,
		      (*(const struct touched *const *)b)->id);
}

/* Records the audience could see in the previous version and that were deleted since. */
static void withdrawn(const struct model *m, const struct walk *w, struct change_list *l)
{
	const struct touched **gone = xcalloc(w->n ? w->n : 1, sizeof(*gone));
	size_t n = 0;

	for (size_t i = 0; i < w->n; i++)
		if (w->v[i].deleted && !w->v[i].created && allowed_kind(m, w->v[i].kind))
			gone[n++] = &w->v[i];
	qsort(gone, n, sizeof(*gone), cmp_touched_id); /* any fixed order will do */
	for (size_t i = 0; i < n; i++) {
		struct cf_record r;
		struct cf_err err;
		char what[CF_PHRASE_LEN];
		if (record_get(m->s, gone[i]->kind, gone[i]->id, &r, &err) < 0)
			continue;
		if (model_hidden(m->profile, m->tlp_amber, &r)) {
			cf_record_release(&r);
			continue;
		}
		snprintf(what, sizeof(what), "Withdrawn %s", cf_kind_info(r.kind)->title);
		add_item(l, what)->r = r; /* the item owns it */
	}
	free(gone);
}

static int first_of_category(const struct model_iter *it)
{
	return !it->prev || strcmp(rget(it->r, "category"), rget(it->prev, "category"));
}

int changes_load(struct model *m, struct cf_err *err)
{
	struct walk *w;
	int rc;

	if (!m->prev_mark || !*m->prev_mark)
		return 0;
	if (!(w = xcalloc(1, sizeof(*w))))
		return cf_error(err, CF_ERR, "out of memory");
	w->after = m->prev_mark;
	w->upto = m->mark;
	m->changes = w;
	if ((rc = op_list(m->s, NULL, see, w, err)) < 0)
		return rc;
	return w->failed ? cf_error(err, CF_ERR, "out of memory") : 0;
}

void changes_free(struct model *m)
{
	struct walk *w = m->changes;

	if (w) {
		free(w->slots);
		free(w->v);
		free(w);
	}
	m->changes = NULL;
}

void changes_collect(const struct model *m, struct change_list *l)
{
	struct walk *w = m->changes;

	memset(l, 0, sizeof(*l));
	if (!w)
		return;
	case_changes(m, w, l);
	for (int k = CF_EVENT; k < CF_KIND_COUNT; k++) {
		struct model_iter it;
		if (!allowed_kind(m, (enum cf_kind)k))
			continue;
		for (model_iter_open(&it, m, (enum cf_kind)k); model_iter_next(&it);) {
			const struct cf_record *r = it.r;
			struct touched *t = find(w, r->id);
			struct change_item *c;
			if (!t || (!t->created && !t->fields[0]))
				continue;
			if (k == CF_ESTIMATE && t->created && first_of_category(&it))
				c = add_item(l, "New estimate");
			else
				c = add_item(l, t->created ? kind_words[k][0]
						: k == CF_NOTICE ? notice_word(r, t) : kind_words[k][1]);
			cf_record_release(&c->r);
			if (cf_record_copy(&c->r, r) < 0)
				xalloc_die(0);
			if (!t->created && k != CF_NOTICE)
				cf_strlcpy(c->changed, t->fields, sizeof(c->changed));
		}
		model_iter_close(&it);
	}
	withdrawn(m, w, l);
}

void change_list_release(struct change_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		cf_record_release(&l->v[i].r);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* The "since" line's moment: the previous mark in the case's zone. */
void changes_since(const struct model *m, char *buf, size_t len)
{
	if (mark_local(m->prev_mark, m->tz, buf, len) < 0)
		snprintf(buf, len, "%.19sZ", m->prev_mark);
}

