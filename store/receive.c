/* receive.c — other replicas' operations into this case: checked against each replica's chain,
 * applied in (lamport, replica, op id) order, each touched field settled last-writer-wins,
 * with two edits made without seeing each other registered as a conflict. */
#include "store/internal.h"
#include "store/kinds.h"
#include "store/member.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* ---- settling one field ---- */

/* The walk over a field's history (struct settle, store/internal.h): an op whose old value is
 * not CUR was made without seeing CUR_OP: if it also writes another value, the two conflict
 * (it wins, sorting later); an op made from CUR settles any conflict. */

static void set_str(char **dst, const char *v)
{
	free(*dst);
	*dst = v ? xstrdup(v) : NULL;
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
		cf_strlcpy(w->ours_op, id, sizeof(w->ours_op));
		cf_strlcpy(w->theirs_op, w->cur_op, sizeof(w->theirs_op));
	}
	set_str(&w->cur, new);
	cf_strlcpy(w->cur_op, id, sizeof(w->cur_op));
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
		const char *new = col_text(st, 1, err);
		json_t *o = new ? json_loads(new, 0, NULL) : NULL;
		int rc = new ? col_copy(w->cur_op, sizeof(w->cur_op), st, 0, err) : CF_EDB;
		if (rc == 0)
			set_str(&w->cur, json_string_value(json_object_get(o, field)));
		json_decref(o);
		sqlite3_reset(st);
		return rc;
	}
	sqlite3_reset(st);
	return 0;
}

int field_walk(struct store *s, const char *record, const char *field, struct settle *w,
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
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *id = col_text(st, 0, err);
		if (!id) {
			sqlite3_reset(st);
			return CF_EDB;
		}
		settle_step(w, id, (const char *)sqlite3_column_text(st, 1),
			    (const char *)sqlite3_column_text(st, 2));
	}
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
	struct strbuf b = STRBUF_INIT;
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
			strbuf_addch(&b, ',');
		strbuf_add(&b, ki->fields[i].name, strlen(ki->fields[i].name));
	}
	sqlite3_reset(st);
	list = b.len ? strbuf_detach(&b, NULL) : NULL;
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
	if ((rc = field_walk(s, record, field, &w, err)) < 0)
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
	settle_release(&w);
	return rc;
}

void settle_release(struct settle *w)
{
	free(w->cur);
	free(w->ours);
	free(w->theirs);
	w->cur = w->ours = w->theirs = NULL;
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
	int64_t max_lamport;
	int had_quarantine; /* entries before: an operation taken in may clear one */
	struct cf_received out;
	/* Who may sign, as the operations taken in so far leave it: changes other than creates
	 * settle only at the end, so the member table is not up to date until then. */
	struct member_set members;
	struct member_history history; /* the membership operations, in clock order */
	struct member_cursor judge;    /* along HISTORY: who could sign at each clock */
	int64_t rejudge_from; /* a membership change came in below this clock (INT64_MAX: none) */
};


/* Received operations wait here, in this connection only, until FINISH admits them in clock
 * order (every operation's predecessors, in its chain and in time, have lower clocks).
 * STATE: 0 not decided yet, 1 taken in (or known), 2 quarantined. */
static const char stage_sql[] =
	"CREATE TEMP TABLE IF NOT EXISTS recv_stage(id TEXT, replica TEXT, rseq INTEGER,"
	" lamport INTEGER, kind TEXT, record TEXT, field TEXT, old TEXT, new TEXT, author TEXT,"
	" at TEXT, prev TEXT, hash TEXT, signer TEXT, sig TEXT, path TEXT, line INTEGER,"
	" state INTEGER DEFAULT 0,"
	" why TEXT);"
	"CREATE INDEX IF NOT EXISTS temp.recv_stage_clock ON recv_stage(lamport, replica, rseq);"
	"DELETE FROM temp.recv_stage;";

static int keep(struct cf_receiver *r, const struct cf_op *op, struct cf_err *err)
{
	struct touched *t;

	if (r->nt == r->cap) {
		size_t cap = r->cap ? 2 * r->cap : 256;
		if (!(t = xrealloc(r->t, cap * sizeof(*t))))
			return cf_error(err, CF_ERR, "out of memory");
		r->t = t;
		r->cap = cap;
	}
	t = &r->t[r->nt++];
	t->kind = op->kind;
	cf_strlcpy(t->record, op->record, sizeof(t->record));
	cf_strlcpy(t->field, op->field, sizeof(t->field));
	return 0;
}

int op_receive_start(struct store *s, struct cf_receiver **out, struct cf_err *err)
{
	struct cf_receiver *r = xcalloc(1, sizeof(*r));
	sqlite3_stmt *st;
	int rc;

	*out = NULL;
	if (!r)
		return cf_error(err, CF_ERR, "out of memory");
	if ((rc = store_begin(s, err)) < 0) {
		free(r);
		return rc;
	}
	if (sqlite3_exec(s->db, stage_sql, NULL, NULL, NULL) != SQLITE_OK ||
	    !(st = store_stmt(s, "SELECT coalesce(max(lamport), 0) FROM op", err))) {
		rc = store_db_error(s, err, "stage received operations");
		store_rollback(s);
		free(r);
		return rc;
	}
	if (sqlite3_step(st) == SQLITE_ROW)
		r->max_lamport = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if ((rc = member_history_load(s, 0, &r->history, err)) < 0) {
		store_rollback(s);
		free(r);
		return rc;
	}
	member_set_before(&r->history, NULL, &r->members);
	member_cursor_init(&r->judge, &r->history);
	r->rejudge_from = INT64_MAX;
	r->s = s;
	r->out.bad = -1;
	r->had_quarantine = quarantine_count(s) != 0;
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
	member_cursor_free(&r->judge);
	member_set_free(&r->members);
	member_history_free(&r->history);
	free(r);
}

int op_receive_reject(struct cf_receiver *r, const char *path, int64_t line,
		      const char *replica, int64_t rseq, const char *reason, const char *text,
		      size_t len, struct cf_err *err)
{
	struct cf_quarantined q = { .path = path, .line = line, .replica = replica,
				    .rseq = rseq, .reason = reason, .text = text };
	int rc = quarantine_put(r->s, &q, len, err);

	r->out.set_aside += rc == 0;
	return rc;
}

int op_receive_stage(struct cf_receiver *r, const struct cf_op *op, const char *path,
		     int64_t line, struct cf_err *err)
{
	const struct cf_kind_info *ki = cf_kind_info(op->kind);
	char hash[CF_HASH_LEN + 1];
	sqlite3_stmt *st;
	int rc = 0;

	if (!ki || !op->field || cf_op_hash(op, hash) < 0 || strcmp(hash, op->hash) != 0) {
		char *text = ki && op->field ? cf_op_line(op) : NULL;
		rc = op_receive_reject(r, path, line, op->replica, op->rseq,
				       "its contents do not match its hash", text,
				       text ? strlen(text) : 0, err);
		free(text);
		return rc;
	}
	if (!(st = store_stmt(r->s, "INSERT INTO temp.recv_stage(" OP_COLS ", path, line)"
			      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13,"
			      " ?14, ?15, ?16, ?17)", err)))
		return CF_EDB;
	op_bind(st, op);
	sqlite3_bind_text(st, OP_NCOLS + 1, path, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, OP_NCOLS + 2, line);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = store_db_error(r->s, err, "stage received operation");
	sqlite3_reset(st);
	return rc;
}

int op_receive_add(struct cf_receiver *r, const struct cf_op *ops, size_t n, long *bad,
		   struct cf_err *err)
{
	int rc = 0;

	*bad = -1;
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = op_receive_stage(r, &ops[i], "(received)", (int64_t)i + 1, err);
	return rc;
}

/* Writes OP's row and applies it: a create at once, the rest kept to settle at the end.  A
 * create that cannot apply (its record does not read) fails before anything is written, and
 * is refused with WHY.  ADMIT_NEW or ADMIT_REFUSE, or a negative cf_rc. */
static int take(struct cf_receiver *r, const struct cf_op *op, char *why, size_t len,
		struct cf_err *err)
{
	struct store *s = r->s;
	int rc;

	/* What a received change moves is derived again at commit, as after a local one:
	 * the notices' due times, the evidence holders. */
	if (op->kind == CF_CASE || op->kind == CF_EVENT || op->kind == CF_ESTIMATE ||
	    op->kind == CF_NOTICE)
		s->facts_dirty = 1;
	if (op->kind == CF_CUSTODY || op->kind == CF_EVIDENCE)
		s->custody_dirty = 1;
	if (strcmp(op->field, "@create") != 0) {
		if ((rc = op_insert(s, op, err)) == 0)
			rc = keep(r, op, err);
		return rc < 0 ? rc : ADMIT_NEW;
	}
	rc = op_apply(s, op, err);
	if (rc == CF_EINVAL || rc == CF_ENOTFOUND) {
		snprintf(why, len, "cannot apply: %.400s", err->msg);
		return ADMIT_REFUSE;
	}
	if (rc == 0)
		rc = op_insert(s, op, err);
	return rc < 0 ? rc : ADMIT_NEW;
}

/* A staged operation that waits: its walk (STATE) and why. */
static int stage_wait(struct store *s, int64_t rowid, int state, const char *why,
		      struct cf_err *err)
{
	sqlite3_stmt *st = store_stmt(s, "UPDATE temp.recv_stage SET state = ?1, why = ?2"
				      " WHERE rowid = ?3", err);
	int rc = 0;

	if (!st)
		return CF_EDB;
	sqlite3_bind_int(st, 1, state);
	sqlite3_bind_text(st, 2, why, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, rowid);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = store_db_error(s, err, "stage received operation");
	sqlite3_reset(st);
	return rc;
}

/* Sets OP (from PATH:LINE) aside for WHY. */
static int set_aside(struct cf_receiver *r, const struct cf_op *op, const char *path,
		     int64_t line, const char *why, struct cf_err *err)
{
	char *text = cf_op_line(op);
	struct cf_quarantined q = { .path = path, .line = line, .replica = op->replica,
				    .rseq = op->rseq, .lamport = op->lamport, .op = op->id,
				    .reason = why, .text = text };
	int rc = quarantine_put(r->s, &q, text ? strlen(text) : 0, err);

	free(text);
	r->out.set_aside += rc == 0;
	return rc;
}

struct walk {
	int pass;     /* the walk: it reads the rows whose state is PASS */
	int progress; /* an operation was taken in */
	int waited;   /* operations wait for the next walk */
};

/* REJUDGE_FROM lowered to the first operation SIGNER (a removed member's key) signed. */
static void removed_from(struct cf_receiver *r, const char *signer)
{
	sqlite3_stmt *st;

	if (!signer || !signer[0] ||
	    !(st = store_stmt(r->s, "SELECT min(lamport) FROM op WHERE signer = ?1", NULL)))
		return;
	sqlite3_bind_text(st, 1, signer, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL &&
	    sqlite3_column_int64(st, 0) < r->rejudge_from)
		r->rejudge_from = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
}

/* A membership operation taken in: the members at the end follow; one that comes before
 * operations the case already holds (in clock order) means those are judged again at the
 * end (rejudge.c). */
/* The history changed: the members at the end follow from it again, and the cursor, whose
 * place in the history moved, starts again. */
static void history_changed(struct cf_receiver *r)
{
	member_set_free(&r->members);
	member_set_before(&r->history, NULL, &r->members);
	member_cursor_free(&r->judge);
	member_cursor_init(&r->judge, &r->history);
}

static void member_taken(struct cf_receiver *r, const struct cf_op *op)
{
	member_history_add(&r->history, op);
	history_changed(r);
	if (op->lamport <= r->max_lamport && op->lamport < r->rejudge_from)
		r->rejudge_from = op->lamport;
	/* A removal refuses the member's operations its lead did not hold, whatever their clock:
	 * from the first of theirs the case holds. */
	if (strcmp(op->field, "@delete") == 0)
		removed_from(r, member_signer_of(&r->members, op->record));
}

/* One decision on a staged operation (row of ST).  Only an operation that waits is written
 * back to the stage (rare): the next walk reads those alone. */
static int decide(struct cf_receiver *r, sqlite3_stmt *st, struct walk *w, struct cf_err *err)
{
	const char *path = (const char *)sqlite3_column_text(st, OP_NCOLS + 1);
	int64_t rowid = sqlite3_column_int64(st, OP_NCOLS);
	int64_t line = sqlite3_column_int64(st, OP_NCOLS + 2);
	char why[512], place[600];
	struct cf_op op;
	int v, rc = 0;

	cf_strlcpy(place, path ? path : "(received)", sizeof(place));
	if ((rc = op_from_row(&op, st, err)) < 0) {
		cf_op_release(&op);
		return rc;
	}
	v = op_admit(r->s, &op, r->max_lamport, why, sizeof(why), err);
	/* Signed by a member who may make it, judged at its clock as a replay would. */
	if (v == ADMIT_NEW && member_cursor_judge(&r->judge, &op, why, sizeof(why)))
		v = ADMIT_REFUSE;
	if (v == ADMIT_NEW)
		v = take(r, &op, why, sizeof(why), err);
	if (v == ADMIT_NEW && op.kind == CF_MEMBER)
		member_taken(r, &op);
	if (v < 0)
		rc = v;
	else if (v == ADMIT_WAIT) {
		rc = stage_wait(r->s, rowid, w->pass + 1, why, err);
		w->waited++;
	} else if (v == ADMIT_REFUSE)
		rc = set_aside(r, &op, place, line, why, err);
	else if (r->had_quarantine)
		rc = quarantine_drop(r->s, place, line, err);
	if (rc == 0 && v == ADMIT_NEW) {
		r->out.ops++;
		if (op.lamport > r->max_lamport)
			r->max_lamport = op.lamport;
		w->progress = 1;
	}
	r->out.known += rc == 0 && v == ADMIT_KNOWN;
	cf_op_release(&op);
	return rc;
}

/* One walk over the operations left by the previous one (all of them, the first time), in
 * clock order. */
static int admit_pass(struct cf_receiver *r, struct walk *w, struct cf_err *err)
{
	sqlite3_stmt *st;
	int rc = 0, step;

	w->progress = w->waited = 0;
	if (sqlite3_prepare_v2(r->s->db, "SELECT " OP_COLS ", rowid, path, line FROM"
			       " temp.recv_stage WHERE state = ?1 ORDER BY lamport, replica, rseq",
			       -1, &st, NULL) != SQLITE_OK)
		return store_db_error(r->s, err, "read received operations");
	sqlite3_bind_int(st, 1, w->pass);
	while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW)
		rc = decide(r, st, w, err);
	if (rc == 0 && step != SQLITE_DONE)
		rc = store_db_error(r->s, err, "read received operations");
	sqlite3_finalize(st);
	return rc;
}

/* What still waits after the last walk goes to the quarantine, with why. */
static int set_aside_waiting(struct cf_receiver *r, int state, struct cf_err *err)
{
	sqlite3_stmt *st;
	int rc = 0, step;

	if (sqlite3_prepare_v2(r->s->db, "SELECT " OP_COLS ", why, path, line FROM"
			       " temp.recv_stage WHERE state = ?1", -1, &st, NULL) != SQLITE_OK)
		return store_db_error(r->s, err, "read received operations");
	sqlite3_bind_int(st, 1, state);
	while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *why = (const char *)sqlite3_column_text(st, OP_NCOLS);
		const char *path = (const char *)sqlite3_column_text(st, OP_NCOLS + 1);
		struct cf_op op;

		if ((rc = op_from_row(&op, st, err)) < 0)
			break;
		rc = set_aside(r, &op, path ? path : "(received)", sqlite3_column_int64(st, OP_NCOLS + 2),
			       why ? why : "waits", err);
		cf_op_release(&op);
	}
	if (rc == 0 && step != SQLITE_DONE)
		rc = store_db_error(r->s, err, "read received operations");
	sqlite3_finalize(st);
	return rc;
}

/* In clock order one walk takes in whatever can be: each operation's predecessors come
 * before it.  Operations out of that order (only a peer's invention) need more walks, over
 * those that waited, while each takes one in; then what still waits is set aside.  The bound
 * keeps a hostile ordering from costing more than PASSES_MAX walks; what is left is taken up
 * next time.  (A clone of 200,000 operations: one walk, no row of the stage written back.) */
#define PASSES_MAX 16
static int admit_all(struct cf_receiver *r, struct cf_err *err)
{
	struct walk w = { 0 };
	int rc;

	do {
		rc = admit_pass(r, &w, err);
		w.pass++;
	} while (rc == 0 && w.waited && w.progress && w.pass < PASSES_MAX);
	return rc < 0 || !w.waited ? rc : set_aside_waiting(r, w.pass, err);
}

static int by_field(const void *a, const void *b)
{
	const struct touched *x = a, *y = b;
	int c = strcmp(x->record, y->record);
	return c ? c : strcmp(x->field, y->field);
}

/* What a late membership change refuses is taken back out (rejudge.c), each field it
 * touched settled again with the rest; a cut in this replica's own chain makes it a new
 * replica, as its next operations cannot follow operations the case no longer holds. */
static int rejudge(struct cf_receiver *r, struct cf_err *err)
{
	struct retraction out;
	int rc = rejudge_walk(r->s, &r->history, r->rejudge_from, &out, err), local = 0;

	for (size_t i = 0; rc == 0 && i < out.n; i++) {
		const struct cf_op *op = &out.v[i];
		rc = retract_op(r->s, op, r->last[op->kind], err);
		if (rc == 0 && strcmp(op->field, "@create") != 0)
			rc = keep(r, op, err);
		if (op->kind == CF_MEMBER)
			member_history_drop(&r->history, op->id);
		local |= strcmp(op->replica, r->s->replica) == 0;
	}
	for (size_t i = 0; rc == 0 && i < out.n; i++)
		if (i == 0 || strcmp(out.v[i].replica, out.v[i - 1].replica) != 0)
			rc = head_set_back(r->s, out.v[i].replica, err);
	if (rc == 0 && out.n > 0) {
		history_changed(r);
		r->s->facts_dirty = r->s->custody_dirty = 1;
		r->s->members_valid = 0;
	}
	if (rc == 0 && local)
		rc = replica_renew(r->s, err);
	r->out.retracted = rc == 0 ? (int64_t)out.n : 0;
	r->out.renewed = rc == 0 && local;
	retraction_free(&out);
	return rc;
}

/* Whether touched entry T still has its record (a retracted create took it away). */
static int gone(struct cf_receiver *r, const struct touched *t)
{
	return r->out.retracted > 0 && !record_exists(r->s, t->kind, t->record);
}

static int finish(struct cf_receiver *r, struct cf_err *err)
{
	int rc = admit_all(r, err), opened;

	if (rc == 0 && r->rejudge_from != INT64_MAX)
		rc = rejudge(r, err);

	r->s->fts_defer = 0;
	for (int k = 0; rc == 0 && k < CF_KIND_COUNT; k++)
		rc = fts_index_after(r->s, (enum cf_kind)k, r->last[k], err);
	if (r->nt > 1) /* qsort's array may not be NULL, even empty (UBSan in make asan) */
		qsort(r->t, r->nt, sizeof(*r->t), by_field);
	for (size_t i = 0; rc == 0 && i < r->nt; i++) {
		struct touched *t = &r->t[i];
		if ((i > 0 && !by_field(&r->t[i - 1], t)) || gone(r, t))
			continue;
		if (!strcmp(t->field, "@delete") || !strcmp(t->field, "@restore"))
			rc = record_deleted_settle(r->s, t->kind, t->record, err);
		else
			rc = field_settle(r->s, t->kind, t->record, t->field, &opened, err);
		r->out.conflicts += rc == 0 && t->field[0] != '@' && opened;
	}
	/* Then each record once: an edit its delete did not see is a conflict too. */
	for (size_t i = 0; rc == 0 && i < r->nt; i++) {
		struct touched *t = &r->t[i];
		if ((i > 0 && !strcmp(r->t[i - 1].record, t->record)) || gone(r, t))
			continue;
		rc = delete_conflict_settle(r->s, t->kind, t->record, &opened, err);
		r->out.conflicts += rc == 0 && opened;
	}
	if (rc == 0 && (r->out.quarantined = quarantine_count(r->s)) < 0)
		rc = store_db_error(r->s, err, "read quarantine");
	if (rc == 0 && sqlite3_exec(r->s->db, "DELETE FROM temp.recv_stage", NULL, NULL, NULL))
		rc = store_db_error(r->s, err, "clear received operations");
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
