/* receive.c — other replicas' operations into this case: checked against each replica's chain,
 * applied in (lamport, replica, op id) order, each touched field settled last-writer-wins,
 * with two edits made without seeing each other registered as a conflict. */
#include "store/internal.h"
#include "store/kinds.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* ---- settling one field ---- */

/* The walk over a field's history.  CUR is the value so far and CUR_OP the op that wrote it;
 * an op whose old value is not CUR was made without seeing CUR_OP: if it also writes another
 * value, the two conflict (it wins, sorting later); an op made from CUR settles any conflict. */
struct settle {
	char *cur;
	char cur_op[CF_ID_LEN + 1];
	int conflict, resolved;
	char *ours, *theirs;
	char ours_op[CF_ID_LEN + 1], theirs_op[CF_ID_LEN + 1];
};

static void set_str(char **dst, const char *v)
{
	free(*dst);
	*dst = v ? strdup(v) : NULL;
}

static void settle_step(struct settle *w, const char *id, const char *old, const char *new)
{
	if (same(old, w->cur)) {
		if (w->conflict)
			w->resolved = 1;
	} else if (!same(new, w->cur)) {
		w->conflict = 1;
		w->resolved = 0;
		set_str(&w->ours, new);
		set_str(&w->theirs, w->cur);
		snprintf(w->ours_op, sizeof(w->ours_op), "%s", id);
		snprintf(w->theirs_op, sizeof(w->theirs_op), "%s", w->cur_op);
	}
	set_str(&w->cur, new);
	snprintf(w->cur_op, sizeof(w->cur_op), "%s", id);
}

/* The field's value in the record's create operation. */
static int create_value(struct store *s, const char *record, const char *field,
			struct settle *w, struct cf_err *err)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT id, new FROM op WHERE record = ?1"
				      " AND field = '@create' ORDER BY lamport, replica, id LIMIT 1",
				      err);
	if (!st)
		return CF_EDB;
	sqlite3_bind_text(st, 1, record, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		json_t *o = json_loads((const char *)sqlite3_column_text(st, 1), 0, NULL);
		set_str(&w->cur, json_string_value(json_object_get(o, field)));
		snprintf(w->cur_op, sizeof(w->cur_op), "%s", (const char *)sqlite3_column_text(st, 0));
		json_decref(o);
	}
	sqlite3_reset(st);
	return 0;
}

static int walk_field(struct store *s, const char *record, const char *field, struct settle *w,
		      struct cf_err *err)
{
	sqlite3_stmt *st;
	int rc, step;

	if ((rc = create_value(s, record, field, w, err)) < 0)
		return rc;
	st = store_stmt(s, "SELECT id, old, new FROM op WHERE record = ?1 AND field = ?2"
			" ORDER BY lamport, replica, id", err);
	if (!st)
		return CF_EDB;
	sqlite3_bind_text(st, 1, record, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, field, -1, SQLITE_STATIC);
	while ((step = sqlite3_step(st)) == SQLITE_ROW)
		settle_step(w, (const char *)sqlite3_column_text(st, 0),
			    (const char *)sqlite3_column_text(st, 1),
			    (const char *)sqlite3_column_text(st, 2));
	sqlite3_reset(st);
	return step == SQLITE_DONE ? 0 : store_db_error(s, err, "read field history");
}

/* Registers the walk's outcome in the conflict table; *OPENED when it is a new unresolved one
 * (not the one already registered). */
static int write_conflict(struct store *s, enum cf_kind kind, const char *record,
			  const char *field, const struct settle *w, int *opened,
			  struct cf_err *err)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT ours_op, theirs_op, resolved FROM conflict"
				      " WHERE record = ?1 AND field = ?2", err);
	int had = 0, rc = 0;

	if (!st)
		return CF_EDB;
	sqlite3_bind_text(st, 1, record, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, field, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		had = w->conflict &&
		      same((const char *)sqlite3_column_text(st, 0), w->ours_op) &&
		      same((const char *)sqlite3_column_text(st, 1), w->theirs_op) &&
		      sqlite3_column_int(st, 2) == w->resolved ? 2 : 1;
	sqlite3_reset(st);
	if (had == 2 || (!had && !w->conflict))
		return 0;
	*opened = w->conflict && !w->resolved;
	if (!w->conflict)
		st = store_stmt(s, "DELETE FROM conflict WHERE record = ?1 AND field = ?2", err);
	else
		st = store_stmt(s, "INSERT OR REPLACE INTO conflict(record, field, kind, ours, theirs,"
				" ours_op, theirs_op, resolved) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
				err);
	if (!st)
		return CF_EDB;
	sqlite3_bind_text(st, 1, record, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, field, -1, SQLITE_STATIC);
	if (w->conflict) {
		sqlite3_bind_text(st, 3, cf_kind_info(kind)->name, -1, SQLITE_STATIC);
		bind_text(st, 4, w->ours);
		bind_text(st, 5, w->theirs);
		sqlite3_bind_text(st, 6, w->ours_op, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 7, w->theirs_op, -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 8, w->resolved);
	}
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = store_db_error(s, err, "write conflict");
	sqlite3_reset(st);
	return rc;
}

/* The record's conflicted column: its unresolved fields, in the kind's field order. */
static int mark_conflicted(struct store *s, const struct cf_record *r, struct cf_err *err)
{
	const struct cf_kind_info *ki = cf_kind_info(r->kind);
	sqlite3_stmt *st = store_stmt(s, "SELECT 1 FROM conflict WHERE record = ?1 AND field = ?2"
				      " AND resolved = 0", err);
	struct cf_buf b = { 0 };
	char *list;
	int rc = 0;

	if (!st)
		return CF_EDB;
	for (size_t i = 0; i < ki->nfields; i++) {
		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, r->id, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, ki->fields[i].name, -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_ROW)
			continue;
		if (b.len)
			cf_buf_putc(&b, ',');
		cf_buf_put(&b, ki->fields[i].name, strlen(ki->fields[i].name));
	}
	sqlite3_reset(st);
	list = b.len ? cf_buf_take(&b) : NULL;
	if (b.oom)
		return cf_error(err, CF_ERR, "out of memory");
	if (!same(list, r->conflicted)) {
		if (!(st = store_stmt(s, kind_sql(r->kind)->set_conflicted, err)))
			rc = CF_EDB;
		else {
			bind_text(st, 1, list);
			sqlite3_bind_text(st, 2, r->id, -1, SQLITE_STATIC);
			if (sqlite3_step(st) != SQLITE_DONE)
				rc = store_db_error(s, err, "mark conflict");
			sqlite3_reset(st);
		}
	}
	free(list);
	return rc;
}

int field_settle(struct store *s, enum cf_kind kind, const char *record, const char *field,
		 int *new_conflict, struct cf_err *err)
{
	const struct cf_kind_info *ki = cf_kind_info(kind);
	struct settle w = { 0 };
	struct cf_record r;
	int idx = cf_field_index(ki, field), opened = 0, rc;

	if (idx < 0)
		return cf_error(err, CF_EINVAL, "%s has no field '%s'", ki->title, field);
	if ((rc = walk_field(s, record, field, &w, err)) < 0)
		goto out;
	if ((rc = record_get(s, kind, record, &r, err)) < 0)
		goto out;
	if (!same(r.v[idx], w.cur)) {
		rc = record_write_field(s, kind, record, idx, w.cur, err);
		if (rc == 0 && kind == CF_CASE && strcmp(field, "tz") == 0)
			set_str(&s->tz, w.cur);
	}
	if (rc == 0)
		rc = write_conflict(s, kind, record, field, &w, &opened, err);
	if (rc == 0)
		rc = mark_conflicted(s, &r, err);
	cf_record_release(&r);
	if (new_conflict)
		*new_conflict = opened;
out:
	free(w.cur);
	free(w.ours);
	free(w.theirs);
	return rc;
}

/* ---- taking operations in ---- */

/* A field op or a delete, kept for the end: a field is settled from its whole history, and
 * a delete may come before the create of another replica that a later batch holds. */
struct touched {
	enum cf_kind kind;
	char record[CF_ID_LEN + 1];
	char field[48];
};

struct cf_receiver {
	struct store *s;
	struct touched *t;
	size_t nt, cap;
	int64_t last[CF_KIND_COUNT]; /* full-text rowids before, per kind (store/fts.c) */
	struct cf_received out;
};


static int by_chain(const void *a, const void *b)
{
	const struct cf_op *x = *(const struct cf_op *const *)a, *y = *(const struct cf_op *const *)b;
	int c = strcmp(x->replica, y->replica);
	return c ? c : x->rseq < y->rseq ? -1 : x->rseq > y->rseq;
}

/* The hash of REPLICA's op at RSEQ in the log, "" when there is none. */
static int hash_at(struct store *s, const char *replica, int64_t rseq, char out[CF_HASH_LEN + 1],
		   struct cf_err *err)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT hash FROM op WHERE replica = ?1 AND rseq = ?2",
				      err);
	out[0] = '\0';
	if (!st)
		return CF_EDB;
	sqlite3_bind_text(st, 1, replica, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, rseq);
	if (sqlite3_step(st) == SQLITE_ROW)
		snprintf(out, CF_HASH_LEN + 1, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	return 0;
}

static int keep(struct cf_receiver *r, const struct cf_op *op, struct cf_err *err)
{
	struct touched *t;

	if (strlen(op->field) >= sizeof(t->field))
		return cf_error(err, CF_EINVAL, "operation %s: no field '%s'", op->id, op->field);
	if (op->field[0] != '@' && cf_field_index(cf_kind_info(op->kind), op->field) < 0)
		return cf_error(err, CF_EINVAL, "operation %s: %s has no field '%s'", op->id,
				cf_kind_info(op->kind)->title, op->field);
	if (r->nt == r->cap) {
		size_t cap = r->cap ? 2 * r->cap : 256;
		if (!(t = realloc(r->t, cap * sizeof(*t))))
			return cf_error(err, CF_ERR, "out of memory");
		r->t = t;
		r->cap = cap;
	}
	t = &r->t[r->nt++];
	t->kind = op->kind;
	snprintf(t->record, sizeof(t->record), "%s", op->record);
	snprintf(t->field, sizeof(t->field), "%s", op->field);
	return 0;
}

/* A case holds one case record: another replica's create of a different one means the
 * remote holds another case, which must not be mixed into this one. */
static int same_case(struct store *s, const struct cf_op *op, struct cf_err *err)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT id FROM case_info WHERE id <> ?1 LIMIT 1", err);
	int other;

	if (!st)
		return CF_EDB;
	sqlite3_bind_text(st, 1, op->record, -1, SQLITE_STATIC);
	other = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	if (other)
		return cf_error(err, CF_EINVAL, "another case (%s, from replica %s): a case can only"
				" sync with its own replicas (clone it instead)", op->record,
				op->replica);
	return 0;
}

/* One new op: its row, and its create applied now (the rest is kept for the end). */
static int take(struct cf_receiver *r, const struct cf_op *op, struct cf_err *err)
{
	int rc = op->kind == CF_CASE && !strcmp(op->field, "@create") ? same_case(r->s, op, err)
								       : 0;

	if (rc == 0)
		rc = op_insert(r->s, op, err);

	if (rc < 0)
		return rc;
	r->out.ops++;
	if (!strcmp(op->field, "@create"))
		return op_apply(r->s, op, err);
	return keep(r, op, err);
}

/* V (N ops, sorted by chain): duplicates and what the log has are skipped (when the same
 * bytes); each replica's new ops must continue its chain in the log. */
static int take_chains(struct cf_receiver *r, const struct cf_op *ops, const struct cf_op **v,
		       size_t n, struct cf_err *err)
{
	char head_hash[CF_HASH_LEN + 1] = "", have[CF_HASH_LEN + 1];
	const char *replica = NULL;
	int64_t head = 0;
	int rc;

	for (size_t i = 0; i < n; i++) {
		const struct cf_op *op = v[i];
		r->out.bad = (long)(op - ops);
		if (!replica || strcmp(replica, op->replica) != 0) {
			replica = op->replica;
			if ((rc = op_replica_head(r->s, replica, &head, head_hash, err)) < 0)
				return rc;
		}
		if (op->rseq <= head) {
			if ((rc = hash_at(r->s, replica, op->rseq, have, err)) < 0)
				return rc;
			if (strcmp(have, op->hash) != 0)
				return cf_error(err, CF_ETAMPER, "operation %s (replica %s #%lld)"
						" differs from the one already received", op->id,
						replica, (long long)op->rseq);
			r->out.known++;
			continue;
		}
		if (op->rseq != head + 1)
			return cf_error(err, CF_ETAMPER, "replica %s: operation #%lld is missing"
					" (before %s #%lld)", replica, (long long)(head + 1), op->id,
					(long long)op->rseq);
		if (strcmp(op->prev, head_hash) != 0)
			return cf_error(err, CF_ETAMPER, "operation %s (replica %s #%lld) does not"
					" link to the previous operation", op->id, replica,
					(long long)op->rseq);
		if ((rc = take(r, op, err)) < 0)
			return rc;
		head = op->rseq;
		memcpy(head_hash, op->hash, sizeof(head_hash));
	}
	r->out.bad = -1;
	return 0;
}

int op_receive_start(struct store *s, struct cf_receiver **out, struct cf_err *err)
{
	struct cf_receiver *r = calloc(1, sizeof(*r));
	int rc;

	*out = NULL;
	if (!r)
		return cf_error(err, CF_ERR, "out of memory");
	if ((rc = store_begin(s, err)) < 0) {
		free(r);
		return rc;
	}
	r->s = s;
	r->out.bad = -1;
	for (int k = 0; k < CF_KIND_COUNT; k++)
		r->last[k] = fts_max_rowid(s, (enum cf_kind)k);
	s->fts_defer = 1;
	/* As an import does: a clone writes a million rows into indexes larger than the default
	 * cache, and would read them back from disk page by page. */
	sqlite3_exec(s->db, "PRAGMA cache_size = -524288", NULL, NULL, NULL);
	*out = r;
	return 0;
}

static void receiver_free(struct cf_receiver *r)
{
	r->s->fts_defer = 0;
	sqlite3_exec(r->s->db, "PRAGMA cache_size = -2000", NULL, NULL, NULL);
	free(r->t);
	free(r);
}

int op_receive_add(struct cf_receiver *r, const struct cf_op *ops, size_t n, long *bad,
		   struct cf_err *err)
{
	const struct cf_op **v = n ? malloc(n * sizeof(*v)) : NULL;
	char hash[CF_HASH_LEN + 1];
	int rc = 0;

	*bad = -1;
	if (n && !v)
		return cf_error(err, CF_ERR, "out of memory");
	for (size_t i = 0; i < n && rc == 0; i++) {
		v[i] = &ops[i];
		if (ops[i].kind >= CF_KIND_COUNT || !ops[i].field || cf_op_hash(&ops[i], hash) < 0 ||
		    strcmp(hash, ops[i].hash) != 0) {
			*bad = (long)i;
			rc = cf_error(err, CF_ETAMPER, "operation %s: its contents do not match its"
				      " hash", ops[i].id);
		}
	}
	if (rc == 0) {
		qsort(v, n, sizeof(*v), by_chain);
		rc = take_chains(r, ops, v, n, err);
		*bad = r->out.bad;
	}
	free(v);
	return rc;
}

static int by_field(const void *a, const void *b)
{
	const struct touched *x = a, *y = b;
	int c = strcmp(x->record, y->record);
	return c ? c : strcmp(x->field, y->field);
}

static int finish(struct cf_receiver *r, struct cf_err *err)
{
	int rc = 0, opened;

	r->s->fts_defer = 0;
	for (int k = 0; rc == 0 && k < CF_KIND_COUNT; k++)
		rc = fts_index_after(r->s, (enum cf_kind)k, r->last[k], err);
	if (r->nt > 1) /* qsort's array may not be NULL, even empty (UBSan in make asan) */
		qsort(r->t, r->nt, sizeof(*r->t), by_field);
	for (size_t i = 0; rc == 0 && i < r->nt; i++) {
		struct touched *t = &r->t[i];
		if (i > 0 && !by_field(&r->t[i - 1], t))
			continue;
		if (!strcmp(t->field, "@delete") || !strcmp(t->field, "@restore"))
			rc = record_deleted_settle(r->s, t->kind, t->record, err);
		else
			rc = field_settle(r->s, t->kind, t->record, t->field, &opened, err);
		r->out.conflicts += rc == 0 && t->field[0] != '@' && opened;
	}
	return rc;
}

int op_receive_finish(struct cf_receiver *r, struct cf_received *out, struct cf_err *err)
{
	int rc = finish(r, err);

	if (rc < 0)
		store_rollback(r->s);
	else
		rc = store_commit(r->s, err);
	if (out)
		*out = r->out;
	receiver_free(r);
	return rc;
}

void op_receive_abort(struct cf_receiver *r)
{
	if (!r)
		return;
	store_rollback(r->s);
	receiver_free(r);
}

int op_receive(struct store *s, const struct cf_op *ops, size_t n, struct cf_received *out,
	       struct cf_err *err)
{
	struct cf_receiver *r;
	long bad = -1;
	int rc = op_receive_start(s, &r, err);

	if (rc < 0)
		return rc;
	if ((rc = op_receive_add(r, ops, n, &bad, err)) < 0) {
		op_receive_abort(r);
		if (out) {
			memset(out, 0, sizeof(*out));
			out->bad = bad;
		}
		return rc;
	}
	return op_receive_finish(r, out, err);
}
