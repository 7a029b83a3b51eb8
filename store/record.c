/* record.c — adding, reading, editing and deleting records; each change writes its operation
 * in the same transaction, so the log and the tables never disagree. */
#include "store/internal.h"
#include "store/member.h"
#include "store/kinds.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cf_record_init(struct cf_record *r, enum cf_kind kind)
{
	memset(r, 0, sizeof(*r));
	r->kind = kind;
}

void cf_record_release(struct cf_record *r)
{
	for (size_t i = 0; i < CF_MAX_FIELDS; i++) {
		free(r->v[i]);
		r->v[i] = NULL;
	}
	free(r->conflicted);
	r->conflicted = NULL;
}

int cf_record_copy(struct cf_record *dst, const struct cf_record *src)
{
	cf_record_init(dst, src->kind);
	memcpy(dst->id, src->id, sizeof(dst->id));
	dst->deleted = src->deleted;
	for (size_t i = 0; i < CF_MAX_FIELDS; i++)
		if (src->v[i] && !(dst->v[i] = xstrdup(src->v[i])))
			goto fail;
	if (src->conflicted && !(dst->conflicted = xstrdup(src->conflicted)))
		goto fail;
	return 0;
fail:
	cf_record_release(dst);
	return CF_ERR;
}

int cf_record_set(struct cf_record *r, const char *name, const char *value, struct cf_err *err)
{
	const struct cf_kind_info *ki = cf_kind_info(r->kind);
	int i = cf_field_index(ki, name);
	char *copy = NULL;

	if (i < 0)
		return cf_error(err, CF_EINVAL, "%s has no field '%s'", ki->title, name);
	copy = xstrdup_or_null(value);
	free(r->v[i]);
	r->v[i] = copy;
	return 0;
}

const char *cf_record_get(const struct cf_record *r, const char *name)
{
	int i = cf_field_index(cf_kind_info(r->kind), name);
	return i < 0 ? NULL : r->v[i];
}

char *record_to_json(const struct cf_record *r)
{
	const struct cf_kind_info *ki = cf_kind_info(r->kind);
	struct strbuf b = STRBUF_INIT;
	size_t order[CF_MAX_FIELDS], n = 0;

	/* Field names in sorted order (insertion sort: at most CF_MAX_FIELDS of them). */
	for (size_t i = 0; i < ki->nfields; i++) {
		size_t j = n++;
		while (j > 0 && strcmp(ki->fields[order[j - 1]].name, ki->fields[i].name) > 0) {
			order[j] = order[j - 1];
			j--;
		}
		order[j] = i;
	}
	strbuf_addch(&b, '{');
	for (size_t k = 0, first = 1; k < n; k++) {
		if (!r->v[order[k]])
			continue;
		cf_buf_key(&b, (int)first, ki->fields[order[k]].name);
		cf_buf_str(&b, r->v[order[k]]);
		first = 0;
	}
	strbuf_addch(&b, '}');
	return strbuf_detach(&b, NULL);
}

int record_from_json(struct cf_record *r, const char *json, struct cf_err *err)
{
	json_error_t jerr;
	json_t *o = json_loads(json, 0, &jerr);
	const char *key;
	json_t *val;
	int rc = 0;

	if (!json_is_object(o)) {
		json_decref(o);
		return cf_error(err, CF_EINVAL, "record is not a JSON object: %s", jerr.text);
	}
	json_object_foreach(o, key, val) {
		if (!json_is_string(val)) {
			rc = cf_error(err, CF_EINVAL, "field '%s' is not a string", key);
			break;
		}
		if ((rc = cf_record_set(r, key, json_string_value(val), err)) < 0)
			break;
	}
	json_decref(o);
	return rc;
}

static int validate_record(const struct cf_record *r, struct cf_err *err)
{
	const struct cf_kind_info *ki = cf_kind_info(r->kind);

	for (size_t i = 0; i < ki->nfields; i++) {
		const struct cf_field *f = &ki->fields[i];
		if ((f->flags & CF_F_REQUIRED) && (!r->v[i] || !r->v[i][0]))
			return cf_error(err, CF_EINVAL, "%s: field '%s' is required", ki->title,
					f->name);
		if (cf_field_validate(f, r->v[i], err) < 0)
			return CF_EINVAL;
	}
	return cf_record_check(r, err);
}

int record_insert_row(struct store *s, const struct cf_record *r, struct cf_err *err)
{
	const struct cf_kind_info *ki = cf_kind_info(r->kind);
	sqlite3_stmt *st = store_stmt(s, kind_sql(r->kind)->insert, err);
	char *key;
	int rc = 0;

	if (!st)
		return CF_EDB;
	key = kind_sort_key(r, s->tz);
	sqlite3_bind_text(st, 1, r->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, key, -1, SQLITE_STATIC);
	for (size_t i = 0; i < ki->nfields; i++)
		if (r->v[i])
			sqlite3_bind_text(st, (int)i + 3, r->v[i], -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = store_db_error(s, err, "insert record");
	sqlite3_reset(st);
	free(key);
	if (rc == 0 && !s->fts_defer)
		rc = fts_index_row(s, r->kind, sqlite3_last_insert_rowid(s->db), err);
	return rc;
}

/* Fields filled in on add when left empty. */
static int add_defaults(struct store *s, struct cf_record *r, struct cf_err *err)
{
	char now[CF_TIME_LEN];
	int rc = 0;

	cf_now_iso(now, sizeof(now));
	now[16] = '\0'; /* minute precision: "2019-05-31T14:02" */
	strcat(now, "Z");
	switch (r->kind) {
	case CF_EVENT:
		if (!cf_record_get(r, "entered"))
			rc = cf_record_set(r, "entered", now, err);
		break;
	case CF_NOTE:
		if (!cf_record_get(r, "at"))
			rc = cf_record_set(r, "at", now, err);
		if (!rc && !cf_record_get(r, "author"))
			rc = cf_record_set(r, "author", store_author(s), err);
		break;
	case CF_NOTICE:
		if (!cf_record_get(r, "status"))
			rc = cf_record_set(r, "status", "pending", err);
		break;
	case CF_TASK:
		if (!cf_record_get(r, "status"))
			rc = cf_record_set(r, "status", "open", err);
		break;
	default:
		break;
	}
	return rc;
}

/* A reference field (custody's evidence, the only one) names a live evidence item. */
static int check_ref(struct store *s, const struct cf_field *f, const char *value,
		     struct cf_err *err)
{
	struct cf_record ev;
	int rc, deleted;

	if (f->type != CF_T_REF || !value)
		return 0;
	if ((rc = record_get(s, CF_EVIDENCE, value, &ev, err)) == CF_ENOTFOUND)
		return cf_error(err, CF_EINVAL, "field '%s': no evidence item with id '%s'", f->name,
				value);
	if (rc < 0)
		return rc;
	deleted = ev.deleted;
	cf_record_release(&ev);
	return deleted ? cf_error(err, CF_EINVAL, "field '%s': evidence item '%s' is deleted",
				  f->name, value)
		       : 0;
}

static int check_refs(struct store *s, const struct cf_record *r, struct cf_err *err)
{
	const struct cf_kind_info *ki = cf_kind_info(r->kind);
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < ki->nfields; i++)
		rc = check_ref(s, &ki->fields[i], r->v[i], err);
	return rc;
}

int record_add(struct store *s, struct cf_record *r, struct cf_err *err)
{
	const struct cf_kind_info *ki = cf_kind_info(r->kind);
	char *json;
	int rc;

	/* A derived field is never typed: it follows from other records at commit. */
	for (size_t i = 0; i < ki->nfields; i++)
		if (ki->fields[i].flags & CF_F_DERIVED) {
			free(r->v[i]);
			r->v[i] = NULL;
		}
	if ((rc = add_defaults(s, r, err)) < 0 || (rc = validate_record(r, err)) < 0 ||
	    (rc = check_refs(s, r, err)) < 0)
		return rc;
	cf_new_id(r->id);
	if ((rc = store_begin(s, err)) < 0)
		return rc;
	/* Checked against the chain as it stands inside the write lock. */
	if (r->kind == CF_CUSTODY && (rc = custody_check_add(s, r, err)) < 0) {
		store_rollback(s);
		return rc;
	}
	json = record_to_json(r);
	rc = record_insert_row(s, r, err);
	if (!rc)
		rc = op_append(s, r->kind, r->id, "@create", NULL, json, err);
	free(json);
	if (rc < 0) {
		store_rollback(s);
		return rc;
	}
	return store_commit(s, err);
}

int record_from_row(struct cf_record *r, enum cf_kind kind, sqlite3_stmt *st, struct cf_err *err)
{
	const struct cf_kind_info *ki = cf_kind_info(kind);
	int64_t deleted;
	int rc;

	cf_record_init(r, kind);
	if ((rc = col_copy(r->id, sizeof(r->id), st, 0, err)) < 0 ||
	    (rc = col_int(&deleted, st, 1, 0, 1, err)) < 0 ||
	    (rc = col_dup(&r->conflicted, st, 2, 0, err)) < 0)
		return rc;
	r->deleted = (int)deleted;
	for (size_t i = 0; i < ki->nfields; i++)
		if ((rc = col_dup(&r->v[i], st, (int)i + 3, 0, err)) < 0)
			return rc;
	return 0;
}

int record_get(struct store *s, enum cf_kind kind, const char *id, struct cf_record *r,
	       struct cf_err *err)
{
	sqlite3_stmt *st = store_stmt(s, kind_sql(kind)->select_one, err);
	int rc;

	cf_record_init(r, kind);
	if (!st)
		return CF_EDB;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		rc = record_from_row(r, kind, st, err);
	} else if (rc == SQLITE_DONE) {
		rc = cf_error(err, CF_ENOTFOUND, "no %s '%s'", cf_kind_info(kind)->title, id);
	} else {
		rc = store_db_error(s, err, "read record");
	}
	sqlite3_reset(st);
	return rc;
}

int record_write_field(struct store *s, enum cf_kind kind, const char *id, int field,
		       const char *value, struct cf_err *err)
{
	sqlite3_stmt *st = store_stmt(s, kind_sql(kind)->update[field], err);
	struct cf_record r;
	char *key;
	int rc = 0;

	if (!st)
		return CF_EDB;
	bind_text(st, 1, value);
	sqlite3_bind_text(st, 2, id, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		return store_db_error(s, err, "update record");
	sqlite3_reset(st);
	/* The field may be part of the sort key: recompute it from the row as it now is. */
	if ((rc = record_get(s, kind, id, &r, err)) < 0)
		return rc;
	key = kind_sort_key(&r, s->tz);
	st = store_stmt(s, kind_sql(kind)->set_sort, err);
	if (!st)
		rc = CF_EDB;
	else {
		sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, id, -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE)
			rc = store_db_error(s, err, "update sort key");
		sqlite3_reset(st);
	}
	free(key);
	cf_record_release(&r);
	return rc;
}

static int same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* NAME is one of the comma-separated names of LIST. */
static int in_list(const char *list, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = list; p && *p; p += strcspn(p, ","), p += *p == ',')
		if (strncmp(p, name, n) == 0 && (p[n] == ',' || p[n] == '\0'))
			return 1;
	return 0;
}

/* cf_record_check of R as it would be with field IDX set to VALUE. */
static int check_with(struct cf_record *r, int idx, const char *value, struct cf_err *err)
{
	char *was = r->v[idx];
	int rc;

	r->v[idx] = (char *)value;
	rc = cf_record_check(r, err);
	r->v[idx] = was;
	return rc;
}

int record_set(struct store *s, enum cf_kind kind, const char *id, const char *field,
	       const char *value, struct cf_err *err)
{
	const struct cf_kind_info *ki = cf_kind_info(kind);
	int idx = cf_field_index(ki, field);
	struct cf_record r;
	int rc, standalone;

	if (idx < 0)
		return cf_error(err, CF_EINVAL, "%s has no field '%s'", ki->title, field);
	if (value && !*value)
		value = NULL; /* an empty value unsets the field */
	if (!value && (ki->fields[idx].flags & CF_F_REQUIRED))
		return cf_error(err, CF_EINVAL, "%s: field '%s' is required", ki->title, field);
	if (cf_field_validate(&ki->fields[idx], value, err) < 0)
		return CF_EINVAL;
	if ((rc = check_ref(s, &ki->fields[idx], value, err)) < 0 ||
	    (rc = custody_check_set(s, ki, idx, err)) < 0)
		return rc;
	standalone = s->txn_depth == 0;
	if ((rc = store_begin(s, err)) < 0)
		return rc;
	if ((rc = record_get(s, kind, id, &r, err)) < 0)
		goto fail;
	if (r.deleted) {
		rc = cf_error(err, CF_ENOTFOUND, "%s '%s' is deleted", ki->title, id);
		goto fail;
	}
	if (same(r.v[idx], value)) {
		cf_record_release(&r);
		return store_commit(s, err);
	}
	if (standalone && (rc = check_with(&r, idx, value, err)) < 0)
		goto fail;
	if ((rc = record_write_field(s, kind, id, idx, value, err)) < 0 ||
	    (rc = op_append(s, kind, id, field, r.v[idx], value, err)) < 0)
		goto fail;
	/* An edit made from the value that won settles the field's conflict (store/receive.c). */
	if (in_list(r.conflicted, field) &&
	    (rc = field_settle(s, kind, id, field, NULL, err)) < 0)
		goto fail;
	if (kind == CF_CASE && strcmp(field, "tz") == 0) {
		free(s->tz);
		s->tz = value ? xstrdup(value) : NULL;
	}
	cf_record_release(&r);
	return store_commit(s, err);
fail:
	cf_record_release(&r);
	store_rollback(s);
	return rc;
}

/* Sets the deleted flag of a record to DELETED with its operation ("@delete" holding the
 * record as it was, "@restore" the record as it comes back): delete and restore are one
 * change seen from its two sides. */
static int set_deleted(struct store *s, enum cf_kind kind, const char *id, int deleted,
		       struct cf_err *err)
{
	const struct cf_kind_info *ki = cf_kind_info(kind);
	struct cf_record r;
	sqlite3_stmt *st;
	char *json = NULL, *cutoff = NULL;
	int rc;

	if ((rc = store_begin(s, err)) < 0)
		return rc;
	if ((rc = record_get(s, kind, id, &r, err)) < 0)
		goto fail;
	if (r.deleted == deleted) {
		rc = deleted ? cf_error(err, CF_ENOTFOUND, "%s '%s' is already deleted", ki->title, id)
			     : cf_error(err, CF_EINVAL, "%s '%s' is not deleted", ki->title, id);
		goto fail;
	}
	if (!(st = store_stmt(s, kind_sql(kind)->set_deleted, err))) {
		rc = CF_EDB;
		goto fail;
	}
	sqlite3_bind_int(st, 1, deleted);
	sqlite3_bind_text(st, 2, id, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE) {
		sqlite3_reset(st);
		rc = store_db_error(s, err, deleted ? "delete record" : "restore record");
		goto fail;
	}
	sqlite3_reset(st);
	json = record_to_json(&r);
	/* A member's removal says which of their operations the remover held: those stay, any
	 * other of theirs is refused wherever it arrives (store/member.c). */
	if (deleted && kind == CF_MEMBER &&
	    !(cutoff = member_cutoff_now(s, cf_record_get(&r, "identity"), err))) {
		rc = err->code;
		goto fail;
	}
	rc = deleted ? op_append(s, kind, id, "@delete", json, cutoff, err)
		     : op_append(s, kind, id, "@restore", NULL, json, err);
	free(cutoff);
	/* A restore settles a delete's conflict with an edit (store/conflict_delete.c). */
	if (rc == 0)
		rc = delete_conflict_settle(s, kind, id, NULL, err);
	if (rc < 0)
		goto fail;
	free(json);
	cf_record_release(&r);
	return store_commit(s, err);
fail:
	free(json);
	cf_record_release(&r);
	store_rollback(s);
	return rc;
}

int record_delete(struct store *s, enum cf_kind kind, const char *id, struct cf_err *err)
{
	if (kind == CF_CASE)
		return cf_error(err, CF_EINVAL, "the case itself cannot be deleted");
	return set_deleted(s, kind, id, 1, err);
}

int record_restore(struct store *s, enum cf_kind kind, const char *id, struct cf_err *err)
{
	return set_deleted(s, kind, id, 0, err);
}

int record_resolve(struct store *s, enum cf_kind kind, const char *prefix,
		   char id[CF_ID_LEN + 1], struct cf_err *err)
{
	const struct cf_kind_info *ki = cf_kind_info(kind);
	char upper[CF_ID_LEN + 2]; /* the prefix (at most an id) and "~" */
	sqlite3_stmt *st;
	int n = 0;

	if (strlen(prefix) < 4 || strlen(prefix) > CF_ID_LEN)
		return cf_error(err, CF_EINVAL, "'%s': give at least 4 characters of a %s id",
				prefix, ki->title);
	if (!(st = store_stmt(s, kind_sql(kind)->resolve, err)))
		return CF_EDB;
	snprintf(upper, sizeof(upper), "%s~", prefix);
	sqlite3_bind_text(st, 1, prefix, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, upper, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (n++ == 0)
			if (col_copy(id, CF_ID_LEN + 1, st, 0, err) < 0) {
				sqlite3_reset(st);
				return CF_EDB;
			}
	}
	sqlite3_reset(st);
	if (n == 0)
		return cf_error(err, CF_ENOTFOUND, "no %s with id '%s'", ki->title, prefix);
	if (n > 1)
		return cf_error(err, CF_EAMBIGUOUS, "%s id '%s' is ambiguous: give more characters",
				ki->title, prefix);
	return 0;
}

int record_list(struct store *s, enum cf_kind kind, const struct cf_page *page, record_cb cb,
		void *ctx, struct cf_err *err)
{
	static const struct cf_page all = { 0 };
	const struct kind_sql *ks = kind_sql(kind);
	sqlite3_stmt *st;

	if (!page)
		page = &all;
	if (page->match_field[0] || page->has_since || page->has_until)
		return record_list_match(s, kind, page, cb, ctx, err);
	/* A dedicated statement, not the cache: callbacks may use the store while we iterate. */
	if (sqlite3_prepare_v2(s->db, ks->list, -1, &st, NULL) != SQLITE_OK)
		return store_db_error(s, err, "list");
	bind_text(st, 1, page->after_key);
	bind_text(st, 2, page->after_id ? page->after_id : "");
	sqlite3_bind_int64(st, 3, page->limit > 0 ? page->limit : -1);
	sqlite3_bind_int(st, 4, page->include_deleted);
	return record_rows(s, st, kind, cb, ctx, "list", err);
}

int record_rows(struct store *s, sqlite3_stmt *st, enum cf_kind kind, record_cb cb, void *ctx,
		const char *what, struct cf_err *err)
{
	struct cf_record r;
	int rc, stop = 0;

	while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		int bad = record_from_row(&r, kind, st, err);
		if (bad == 0)
			stop = cb(&r, ctx);
		cf_record_release(&r);
		if (bad < 0) {
			sqlite3_finalize(st);
			return bad;
		}
	}
	rc = (stop || rc == SQLITE_DONE) ? 0 : store_db_error(s, err, what);
	sqlite3_finalize(st);
	return rc;
}

int64_t record_count(struct store *s, enum cf_kind kind)
{
	sqlite3_stmt *st = store_stmt(s, kind_sql(kind)->count, NULL);
	int64_t n = 0;
	if (st && sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	if (st)
		sqlite3_reset(st);
	return n;
}

static int case_id(struct store *s, char id[CF_ID_LEN + 1], struct cf_err *err)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT id FROM case_info LIMIT 1", err);
	int rc = 0;
	if (!st)
		return CF_EDB;
	if (sqlite3_step(st) == SQLITE_ROW)
		rc = col_copy(id, CF_ID_LEN + 1, st, 0, err);
	else
		rc = cf_error(err, CF_ENOTFOUND, "%s: the case record is missing", s->dir);
	sqlite3_reset(st);
	return rc;
}

int case_get(struct store *s, struct cf_record *r, struct cf_err *err)
{
	char id[CF_ID_LEN + 1];
	int rc = case_id(s, id, err);
	if (rc < 0) {
		cf_record_init(r, CF_CASE);
		return rc;
	}
	return record_get(s, CF_CASE, id, r, err);
}

int case_set(struct store *s, const char *field, const char *value, struct cf_err *err)
{
	char id[CF_ID_LEN + 1];
	int rc = case_id(s, id, err);
	return rc < 0 ? rc : record_set(s, CF_CASE, id, field, value, err);
}
