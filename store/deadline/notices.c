/* notices.c — notices as the deadline engine sees them: the one source of their due times
 * and statuses for every view (notice list/show, show, the TUI, every export), and the
 * recorded due times kept current in the transaction of any change they depend on. */
#include "store/deadline/deadline_internal.h"
#include "store/internal.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

struct cf_notice_view {
	struct cf_rules *owned;
	struct facts f;
	struct dl_item *items;
	size_t n;
};

int deadline_pack_listed(const char *list, const char *pack)
{
	return deadline_in_list(list, pack);
}

int notice_view_load(struct store *s, const struct cf_rules *rules, int64_t at,
		     struct cf_notice_view **out, struct cf_err *err)
{
	struct cf_notice_view *v = xcalloc(1, sizeof(*v));
	int rc;

	*out = NULL;
	if (!v)
		return cf_error(err, CF_ERR, "out of memory");
	if (!rules && (rc = rules_load(&v->owned, err)) < 0) {
		free(v);
		return rc;
	}
	if ((rc = deadline_facts_load(s, rules ? rules : v->owned, &v->f, err)) < 0 ||
	    (rc = deadline_items(&v->f, rules ? rules : v->owned, at, &v->items, &v->n, err)) < 0) {
		notice_view_free(v);
		return rc;
	}
	*out = v;
	return 0;
}

void notice_view_free(struct cf_notice_view *v)
{
	if (!v)
		return;
	free(v->items);
	deadline_facts_release(&v->f);
	rules_free(v->owned);
	free(v);
}

const struct cf_deadline *notice_view_find(const struct cf_notice_view *v, const char *id)
{
	for (size_t i = 0; v && id && i < v->n; i++)
		if (v->items[i].d.notice_id && strcmp(v->items[i].d.notice_id, id) == 0)
			return &v->items[i].d;
	return NULL;
}

size_t notice_view_count(const struct cf_notice_view *v)
{
	return v ? v->n : 0;
}

const struct cf_deadline *notice_view_at(const struct cf_notice_view *v, size_t i)
{
	return v && i < v->n ? &v->items[i].d : NULL;
}

int notice_view_apply(const struct cf_notice_view *v, struct cf_record *r, struct cf_err *err)
{
	const struct cf_kind_info *ki = cf_kind_info(CF_NOTICE);
	const struct cf_deadline *d;
	int due = cf_field_index(ki, "due"), status = cf_field_index(ki, "status");
	char *a = NULL, *b;

	if (r->kind != CF_NOTICE || !(d = notice_view_find(v, r->id)))
		return 0;
	/* Written directly: an engine status is not one of the recorded status words. */
	if ((d->has_due && !(a = xstrdup(d->due_local))) ||
	    !(b = xstrdup(cf_dl_status_name(d->status)))) {
		free(a);
		return cf_error(err, CF_ERR, "out of memory");
	}
	if (d->has_due || !d->by_hand) {
		free(r->v[due]);
		r->v[due] = a;
	}
	free(r->v[status]);
	r->v[status] = b;
	return 0;
}

json_t *notice_deadline_json(const struct cf_deadline *d)
{
	json_t *o;

	if (!d)
		return json_null();
	o = json_object();
	json_object_set_new(o, "status", json_string(cf_dl_status_name(d->status)));
	json_object_set_new(o, "due", d->has_due ? json_string(d->due_utc) : json_null());
	json_object_set_new(o, "due_local", d->has_due ? json_string(d->due_local) : json_null());
	json_object_set_new(o, "by_hand", json_boolean(d->by_hand));
	return o;
}

/* ---- the recorded due times, kept current ---- */

/* The rules the store derives with: loaded once, on the first change that needs them.  A set
 * of rules that does not load leaves the recorded due times alone (every view still computes
 * them on read, and `casefile deadlines` says what is wrong with the rules). */
static const struct cf_rules *store_rules(struct store *s)
{
	struct cf_err ignored;

	if (!s->rules_tried) {
		s->rules_tried = 1;
		if (rules_load(&s->rules, &ignored) < 0)
			s->rules = NULL;
	}
	return s->rules;
}

int deadline_derive(struct store *s, struct cf_err *err)
{
	const struct cf_rules *rules = store_rules(s);
	struct facts f;
	struct dl_item *items = NULL;
	size_t n = 0;
	int rc;

	if (!rules)
		return 0;
	if ((rc = deadline_facts_load(s, rules, &f, err)) == 0 &&
	    (rc = deadline_items(&f, rules, cf_now(), &items, &n, err)) == 0)
		for (size_t i = 0; rc == 0 && i < n; i++) {
			const struct cf_deadline *d = &items[i].d;
			const struct notice *no = items[i].n;
			const char *want = d->has_due ? d->due_local : NULL;
			if (d->by_hand || !no)
				continue;
			if (!no->due != !want || (want && strcmp(no->due, want) != 0))
				rc = record_set(s, CF_NOTICE, no->id, "due", want, err);
		}
	free(items);
	deadline_facts_release(&f);
	return rc;
}

/* ---- filtering by the engine's status ---- */

int notice_status_check(const char *value, struct cf_err *err)
{
	const struct cf_kind_info *ki = cf_kind_info(CF_NOTICE);
	struct cf_err e;

	for (int i = 0; i <= CF_DL_NOT_OWED; i++)
		if (value && strcmp(value, cf_dl_status_name((enum cf_dl_status)i)) == 0)
			return 0;
	if (value && cf_field_validate(&ki->fields[cf_field_index(ki, "status")], value, &e) == 0)
		return 0;
	return cf_error(err, CF_EINVAL, "status '%s': give one the deadline engine derives"
			" (upcoming, due-soon, overdue, met, met-late, waived, warning,"
			" not-started, not-owed) or a recorded one (pending, drafted, sent,"
			" acknowledged)", value ? value : "");
}

int notice_ids_by_status(struct store *s, const char *value, char **json, struct cf_err *err)
{
	struct cf_notice_view *v;
	json_t *ids = json_array();
	int rc;

	*json = NULL;
	if (!ids)
		return cf_error(err, CF_ERR, "out of memory");
	if ((rc = notice_view_load(s, store_rules(s), cf_now(), &v, err)) < 0) {
		json_decref(ids);
		return rc;
	}
	for (size_t i = 0; i < v->n; i++) {
		const struct cf_deadline *d = &v->items[i].d;
		if (d->notice_id && strcmp(cf_dl_status_name(d->status), value) == 0)
			json_array_append_new(ids, json_string(d->notice_id));
	}
	notice_view_free(v);
	*json = json_dumps(ids, JSON_COMPACT);
	json_decref(ids);
	return *json ? 0 : cf_error(err, CF_ERR, "out of memory");
}
