/* verify.c — tamper evidence: the database is sound, every replica's recorded head is still in
 * its chain, and the record tables are exactly what the operation log replays to. */
#include "store/internal.h"
#include "store/kinds.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void verify_vproblem(problem_cb cb, void *ctx, int *n, struct cf_problem *p, const char *fmt,
		     va_list ap)
{
	char msg[CF_LINE_LEN]; /* a cf_err message (CF_MSG_LEN) and what it is about */

	vsnprintf(msg, sizeof(msg), fmt, ap);
	p->msg = msg;
	(*n)++;
	if (cb)
		cb(p, ctx);
}

void verify_problem(problem_cb cb, void *ctx, int *n, const char *check, enum cf_kind kind,
		    const char *record, const char *field, const char *fmt, ...)
{
	struct cf_problem p = { check, kind, record, field, NULL, NULL };
	va_list ap;

	va_start(ap, fmt);
	verify_vproblem(cb, ctx, n, &p, fmt, ap);
	va_end(ap);
}

int verify_integrity_db(sqlite3 *db, problem_cb cb, void *ctx, struct cf_err *err)
{
	sqlite3_stmt *st;
	int n = 0, step;

	if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL) != SQLITE_OK)
		return cf_error(err, CF_EDB, "integrity check: %s", sqlite3_errmsg(db));
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *msg = (const char *)sqlite3_column_text(st, 0);
		if (msg && strcmp(msg, "ok") != 0)
			verify_problem(cb, ctx, &n, "integrity", CF_KIND_COUNT, NULL, NULL, "sqlite: %s",
				msg);
	}
	sqlite3_finalize(st);
	if (step != SQLITE_DONE)
		return n > 0 ? n : cf_error(err, CF_EDB, "integrity check: %s", sqlite3_errmsg(db));
	return n;
}

int verify_integrity(struct store *s, problem_cb cb, void *ctx, struct cf_err *err)
{
	return verify_integrity_db(s->db, cb, ctx, err);
}

/* ---- heads ---- */

/* A stored head against the log: the op at that sequence must exist with that hash, and no
 * op may come after it (it would have moved the head). */
static void check_head(struct store *s, const char *replica, const char *value,
		       problem_cb cb, void *ctx, int *n)
{
	sqlite3_stmt *st = store_stmt(s,
		"SELECT (SELECT hash FROM op WHERE replica = ?1 AND rseq = ?2),"
		" (SELECT max(rseq) FROM op WHERE replica = ?1)", NULL);
	long long rseq = strtoll(value, NULL, 10);
	const char *hash = strchr(value, ' ');
	const char *found;
	long long max;

	if (!st)
		return;
	hash = hash ? hash + 1 : "";
	sqlite3_bind_text(st, 1, replica, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, rseq);
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return;
	}
	found = (const char *)sqlite3_column_text(st, 0);
	max = sqlite3_column_type(st, 1) == SQLITE_NULL ? 0 : sqlite3_column_int64(st, 1);
	if (!found)
		verify_problem(cb, ctx, n, "head", CF_KIND_COUNT, NULL, NULL,
			"replica %s: its last operation #%lld is missing (the log ends at #%lld)",
			replica, rseq, max);
	else if (strcmp(found, hash) != 0)
		verify_problem(cb, ctx, n, "head", CF_KIND_COUNT, NULL, NULL,
			"replica %s: operation #%lld is not the one recorded as its head", replica,
			rseq);
	if (max > rseq)
		verify_problem(cb, ctx, n, "head", CF_KIND_COUNT, NULL, NULL,
			"replica %s: operations #%lld-#%lld were added without moving its head",
			replica, rseq + 1, max);
	sqlite3_reset(st);
}

int verify_heads(struct store *s, problem_cb cb, void *ctx, int64_t *nheads,
		 struct cf_err *err)
{
	sqlite3_stmt *st;
	int n = 0, step;
	int64_t heads = 0;

	if (sqlite3_prepare_v2(s->db,
			       "SELECT substr(key, 6), value FROM meta WHERE key LIKE 'head:%'"
			       " ORDER BY key", -1, &st, NULL) != SQLITE_OK)
		return store_db_error(s, err, "read replica heads");
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		struct cf_err e;
		const char *replica = col_text(st, 0, &e), *value = replica ? col_text(st, 1, &e)
									     : NULL;
		if (value)
			check_head(s, replica, value, cb, ctx, &n);
		else
			verify_problem(cb, ctx, &n, "head", CF_KIND_COUNT, NULL, NULL, "%s", e.msg);
		heads++;
	}
	sqlite3_finalize(st);
	if (step != SQLITE_DONE)
		return store_db_error(s, err, "read replica heads");
	/* A replica with operations but no head: its head row was removed. */
	if (sqlite3_prepare_v2(s->db,
			       "SELECT DISTINCT replica FROM op WHERE 'head:' || replica NOT IN"
			       " (SELECT key FROM meta) ORDER BY replica", -1, &st,
			       NULL) != SQLITE_OK)
		return store_db_error(s, err, "read replica heads");
	while ((step = sqlite3_step(st)) == SQLITE_ROW)
		verify_problem(cb, ctx, &n, "head", CF_KIND_COUNT, NULL, NULL,
			"replica %s: no recorded head", sqlite3_column_text(st, 0) ?
			(const char *)sqlite3_column_text(st, 0) : "(NULL)");
	sqlite3_finalize(st);
	if (step != SQLITE_DONE)
		return store_db_error(s, err, "read replica heads");
	if (nheads)
		*nheads = heads;
	return n;
}

/* ---- records against the replay of the log ---- */

struct replay_ctx {
	problem_cb cb;
	void *ctx;
	int n;
	int64_t rows;
};

/* Case text quoted in a message, cut short: the message names the field, not the essay. */
static void quote(const char *v, char *buf, size_t len)
{
	if (!v)
		snprintf(buf, len, "(unset)");
	else if (strlen(v) > 60)
		snprintf(buf, len, "'%.57s...'", v);
	else
		snprintf(buf, len, "'%s'", v);
}

static void compare_fields(const struct cf_record *t, const struct cf_record *r,
			   struct replay_ctx *c)
{
	const struct cf_kind_info *ki = cf_kind_info(t->kind);
	char a[80], b[80];

	if (t->deleted != r->deleted)
		verify_problem(c->cb, c->ctx, &c->n, "replay", t->kind, t->id, "deleted",
			"%s %s: %s in the table but %s by the log", ki->name, t->id,
			t->deleted ? "deleted" : "live", r->deleted ? "deleted" : "live");
	for (size_t i = 0; i < ki->nfields; i++) {
		const char *x = t->v[i], *y = r->v[i];
		if ((!x && !y) || (x && y && strcmp(x, y) == 0))
			continue;
		quote(x, a, sizeof(a));
		quote(y, b, sizeof(b));
		verify_problem(c->cb, c->ctx, &c->n, "replay", t->kind, t->id, ki->fields[i].name,
			"%s %s field '%s': the table has %s, the log gives %s", ki->name, t->id,
			ki->fields[i].name, a, b);
	}
}

/* Whether column I holds the same text in A and B (NULL only equals NULL): the values as
 * record_from_row would read them, compared without building the records. */
static int same_column(sqlite3_stmt *a, sqlite3_stmt *b, int i)
{
	const unsigned char *x = sqlite3_column_text(a, i), *y = sqlite3_column_text(b, i);
	int nx = sqlite3_column_bytes(a, i), ny = sqlite3_column_bytes(b, i);

	if (!x || !y)
		return !x && !y;
	return nx == ny && memcmp(x, y, (size_t)nx) == 0;
}

/* The ids of the current rows of A and B in the order of ORDER BY id (BINARY: memcmp). */
static int id_order(sqlite3_stmt *a, sqlite3_stmt *b)
{
	const unsigned char *x = sqlite3_column_text(a, 0), *y = sqlite3_column_text(b, 0);
	int nx = sqlite3_column_bytes(a, 0), ny = sqlite3_column_bytes(b, 0);
	int cmp = memcmp(x, y, (size_t)(nx < ny ? nx : ny));

	return cmp ? cmp : nx - ny;
}

/* The same record in the table (A) and in the replay (B): deleted and every field, in detail
 * only when a column differs (the conflicted flags and sort key are verify_index.c's). */
static void compare_rows(sqlite3_stmt *a, sqlite3_stmt *b, enum cf_kind kind,
			 struct replay_ctx *c)
{
	const struct cf_kind_info *ki = cf_kind_info(kind);
	struct cf_record t, r;
	struct cf_err e;
	int differ = !same_column(a, b, 1);

	for (size_t i = 0; !differ && i < ki->nfields; i++)
		differ = !same_column(a, b, (int)i + 3);
	if (!differ)
		return;
	cf_record_init(&r, kind);
	if (record_from_row(&t, kind, a, &e) < 0)
		verify_problem(c->cb, c->ctx, &c->n, "replay", kind,
			(const char *)sqlite3_column_text(a, 0), NULL, "%s %s: %s", ki->name,
			(const char *)sqlite3_column_text(a, 0), e.msg);
	else if (record_from_row(&r, kind, b, &e) == 0)
		compare_fields(&t, &r, c);
	cf_record_release(&t);
	cf_record_release(&r);
}

/* The next row of the tables whose id is text; any other is named (ORDER BY id puts NULL and
 * numbers before text and blobs after it, so skipping them keeps the merge in step). */
static int next_table_row(sqlite3_stmt *a, enum cf_kind kind, struct replay_ctx *c)
{
	int step;

	while ((step = sqlite3_step(a)) == SQLITE_ROW && sqlite3_column_type(a, 0) != SQLITE_TEXT) {
		verify_problem(c->cb, c->ctx, &c->n, "replay", CF_KIND_COUNT, NULL, NULL,
			"%s: a row in the table whose id is not text", cf_kind_info(kind)->name);
		c->rows++;
	}
	return step;
}

/* KIND's rows in the tables (A) and in the replay (B), both read in id order and merged: a
 * row on one side only is a record added or lost behind casefile's back, a row on both is
 * compared.  Two sequential reads, where a lookup per row took a third of verify. */
static int compare_kind(struct store *s, struct store *mem, enum cf_kind kind,
			struct replay_ctx *c, struct cf_err *err)
{
	const char *name = cf_kind_info(kind)->name, *sql = kind_sql(kind)->scan;
	sqlite3_stmt *a = NULL, *b = NULL;
	int sa, sb, rc = 0;

	if (sqlite3_prepare_v2(s->db, sql, -1, &a, NULL) != SQLITE_OK)
		return store_db_error(s, err, "read records");
	if (sqlite3_prepare_v2(mem->db, sql, -1, &b, NULL) != SQLITE_OK) {
		sqlite3_finalize(a);
		return store_db_error(mem, err, "read the replayed records");
	}
	sa = next_table_row(a, kind, c);
	sb = sqlite3_step(b);
	while (sa == SQLITE_ROW || sb == SQLITE_ROW) {
		int cmp = sa != SQLITE_ROW ? 1 : sb != SQLITE_ROW ? -1 : id_order(a, b);
		const char *ida = (const char *)sqlite3_column_text(a, 0);
		if (cmp < 0)
			verify_problem(c->cb, c->ctx, &c->n, "replay", kind, ida, NULL,
				"%s %s: in the table but not created by any operation", name, ida);
		else if (cmp > 0)
			verify_problem(c->cb, c->ctx, &c->n, "replay", kind,
				(const char *)sqlite3_column_text(b, 0), NULL,
				"%s %s: created by the log but missing from the table", name,
				(const char *)sqlite3_column_text(b, 0));
		else
			compare_rows(a, b, kind, c);
		if (cmp <= 0) {
			c->rows++;
			sa = next_table_row(a, kind, c);
		}
		if (cmp >= 0)
			sb = sqlite3_step(b);
	}
	if (sa != SQLITE_DONE)
		rc = store_db_error(s, err, "read records");
	else if (sb != SQLITE_DONE)
		rc = store_db_error(mem, err, "read the replayed records");
	sqlite3_finalize(a);
	sqlite3_finalize(b);
	return rc;
}

/* The whole log replayed into a new scratch case (a private temporary file: bounded memory,
 * 22 MiB for 200,000 events where memory took 178 MiB), as store_as_of does with no time
 * limit, but an operation that cannot be applied (an unknown kind or field, a change to a
 * record never created) is a problem to report, not the end of the check. */
static int replay_all(struct store *s, struct store **out, struct replay_ctx *c,
		      struct cf_err *err)
{
	struct progress prog;
	uint64_t done = 0;
	struct store *mem = NULL;
	struct member_history history = { 0 };
	struct member_cursor judge;
	sqlite3_stmt *st;
	struct cf_err e;
	char why[CF_MSG_LEN / 2];
	int rc, step;

	if ((rc = store_open_scratch(&mem, err)) < 0)
		return rc;
	/* The replayed rows are compared by id, never searched nor listed in order: no full-text
	 * index for them, nor order index. */
	if ((rc = fts_detach(mem, err)) < 0 || (rc = store_scratch_by_id(mem, err)) < 0) {
		store_close(mem);
		return rc;
	}
	if (s->tz)
		mem->tz = xstrdup(s->tz);
	if (sqlite3_prepare_v2(s->db,
			       "SELECT " OP_COLS " FROM op ORDER BY lamport, replica, id", -1, &st,
			       NULL) != SQLITE_OK) {
		store_close(mem);
		return store_db_error(s, err, "read operations");
	}
	if ((rc = member_history_load(s, 1, &history, err)) < 0) {
		sqlite3_finalize(st);
		store_close(mem);
		return rc;
	}
	member_cursor_init(&judge, &history);
	progress_start(&prog, &s->progress, "replaying operations", op_count(s), "ops");
	prog.info.count_is_done = 1;
	rc = store_begin(mem, err);
	while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
		struct cf_op op;
		progress_update(&prog, done, done);
		done++;
		if (op_from_row(&op, st, &e) < 0) {
			verify_problem(c->cb, c->ctx, &c->n, "replay", CF_KIND_COUNT, NULL, NULL,
				"an operation cannot be read: %s", e.msg);
			cf_op_release(&op);
			continue;
		}
		/* Who signed it, against the members as they stood then (store/member.c). */
		if (member_cursor_judge(&judge, &op, why, sizeof(why)))
			verify_problem(c->cb, c->ctx, &c->n, "signer", op.kind, op.record, op.field,
				"operation %s (replica %s #%lld): %s", op.id, op.replica,
				(long long)op.rseq, why);
		if (op_apply(mem, &op, &e) < 0)
			verify_problem(c->cb, c->ctx, &c->n, "replay", CF_KIND_COUNT, NULL, NULL,
				"operation %s (replica %s #%lld) cannot be replayed: %s", op.id,
				op.replica, (long long)op.rseq, e.msg);
		cf_op_release(&op);
	}
	member_cursor_free(&judge);
	member_history_free(&history);
	if ((rc = replay_end(s, mem, st, step, rc, err)) < 0) {
		progress_stop(&prog);
		store_close(mem);
		return rc;
	}
	progress_finish(&prog);
	*out = mem;
	return 0;
}

int verify_replay(struct store *s, problem_cb cb, void *ctx, int64_t *nrecords,
		  struct cf_err *err)
{
	struct replay_ctx c = { cb, ctx, 0, 0 };
	struct store *mem = NULL;
	int rc = replay_all(s, &mem, &c, err);

	if (rc < 0)
		return rc;
	for (int k = 0; rc == 0 && k < CF_KIND_COUNT; k++)
		rc = compare_kind(s, mem, (enum cf_kind)k, &c, err);
	store_close(mem);
	if (nrecords)
		*nrecords = c.rows;
	return rc < 0 ? rc : c.n;
}

int op_find(struct store *s, const char *id, struct cf_op *op, struct cf_err *err)
{
	return op_one(s, "SELECT " OP_COLS " FROM op WHERE id = ?1", id, "no operation", op, err);
}
