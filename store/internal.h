/* internal.h — private to store/: the store handle and helpers shared by its modules. */
#ifndef CASEFILE_STORE_INTERNAL_H
#define CASEFILE_STORE_INTERNAL_H

#include <stdarg.h>
#include <sqlite3.h>

#include "store/member.h"
#include "store/store.h"

#define STMT_CACHE 512 /* > every literal statement of store/ (about 150), so it never fills */
#define CF_APPLICATION_ID 0x43415346 /* "CASF" */

struct store {
	sqlite3 *db;
	char *dir;
	char *author;
	char replica[CF_ID_LEN + 1];
	char *tz;
	int txn_depth;
	int wal_mode; /* a case file in WAL mode: store_close may fold its log in */
	int read_only; /* opened read-only (readonly.c): ro_why says why */
	char ro_why[512];
	struct cf_moment *view; /* a past moment (view.c), or NULL for the live case */
	char *clock; /* fixed wall time for ops, or NULL */
	struct progress_sink progress; /* where long work reports; none by default */
	int fts_defer; /* a bulk import indexes its rows at the end */
	int order_fn;  /* cf_time_order registered (store/cursor.c) */
	int view_query; /* a view made by view_query_open: 1, 2 once its search indexes exist */
	struct view_state *vstate; /* what such a view keeps to be moved (view_query.c) */
	/* The replica's chain head, valid while this process holds the write lock. */
	int head_valid;
	int64_t head_rseq;
	int64_t head_lamport;
	char head_hash[CF_HASH_LEN + 1];
	int head_dirty; /* our head moved in this transaction: written to meta at commit */
	/* A local change to what deadlines depend on (the case, events, estimates, notices):
	 * the notices' recorded due times are derived again before the transaction commits. */
	int facts_dirty;
	/* A change to a chain of custody: the evidence holders are derived again at commit. */
	int custody_dirty;
	int deriving;
	struct cf_rules *rules; /* loaded by the first derivation (NULL: none would load) */
	int rules_tried;
	struct cf_identity *identity; /* signs every op made (NULL: unsigned), wiped on close */
	/* Who may sign (store/member.c), read once per write transaction, kept up to date by
	 * the member operations it makes. */
	struct member_set members;
	int members_valid;
	struct {
		const char *sql;
		sqlite3_stmt *stmt;
	} cache[STMT_CACHE];
};

/* A prepared statement for a literal SQL string, reset and cleared, cached per store. */
sqlite3_stmt *store_stmt(struct store *s, const char *sql, struct cf_err *err);
int store_db_error(struct store *s, struct cf_err *err, const char *what);
/* mkdir -p DIR, each directory made 0700 (existing ones left as they are); CF_EIO naming
 * the one that cannot be made. */
int cf_mkdir_private(const char *dir, struct cf_err *err);
/* Binds a C string or NULL. */
int bind_text(sqlite3_stmt *st, int idx, const char *v);

/* Writes this replica's chain head to meta if an op of this transaction moved it; called by
 * store_commit just before COMMIT. */
int op_flush_head(struct store *s, struct cf_err *err);
/* The notices' recorded due times brought in line with the deadline engine, as operations of
 * the current transaction (store/deadline/notices.c); called by store_commit when a local
 * change touched what they depend on. */
int deadline_derive(struct store *s, struct cf_err *err);
/* Every evidence item's holder set to its chain's last handler (store/custody.c), as
 * operations of the current transaction; called by store_commit after a custody change. */
int custody_derive(struct store *s, struct cf_err *err);
/* The ids of the notices whose status as the deadline engine has it now is VALUE, as a JSON
 * array (malloc'd into *JSON) for json_each (store/deadline/notices.c). */
int notice_ids_by_status(struct store *s, const char *value, char **json, struct cf_err *err);
/* Registers (or settles) the conflict between the latest delete of record ID and the edits it
 * did not see (store/conflict_delete.c): a deleted record whose fields differ from what its
 * delete holds.  *OPENED (may be NULL) when a new one is registered. */
int delete_conflict_settle(struct store *s, enum cf_kind kind, const char *id, int *opened,
			   struct cf_err *err);
/* The same for item ID alone, now (the demo stamps each with its own moment). */
int custody_derive_item(struct store *s, const char *id, struct cf_err *err);
/* A new custody event EV checked against its chain before it is added: FROM filled with the
 * current holder when unset; CF_EINVAL when it breaks the chain without a correction. */
int custody_check_add(struct store *s, struct cf_record *ev, struct cf_err *err);
/* CF_EINVAL when field IDX of kind KI is not set by hand: a derived field, or a custody
 * event's fields that record what happened (evidence, handler, from, at). */
int custody_check_set(struct store *s, const struct cf_kind_info *ki, int idx,
		      struct cf_err *err);

/* Fresh random id (lowercase Crockford base32). */
void cf_new_id(char out[CF_ID_LEN + 1]);

/* Appends an operation for the current transaction; fills OP's id, clock, chain and hash. */
int op_append(struct store *s, enum cf_kind kind, const char *record, const char *field,
	      const char *old_value, const char *new_value, struct cf_err *err);
/* The same with the op's id given (an import hands out its ids in sorted order). */
int op_append_id(struct store *s, const char *id, enum cf_kind kind, const char *record,
		 const char *field, const char *old_value, const char *new_value,
		 struct cf_err *err);
/* N fresh ids, sorted: ids made in bulk and inserted in this order go into the id indexes
 * at the right places one after another instead of at random.  NULL when out of memory. */
char (*cf_new_ids_sorted(size_t n))[CF_ID_LEN + 1];
/* JSON object of all set fields of R (malloc'd, sorted keys). */
char *record_to_json(const struct cf_record *r);
/* Fills R's fields from a JSON object; unknown keys are an error. */
int record_from_json(struct cf_record *r, const char *json, struct cf_err *err);
/* Writes R's row as it stands (insert), without an operation: used by add and replay. */
int record_insert_row(struct store *s, const struct cf_record *r, struct cf_err *err);
int record_write_field(struct store *s, enum cf_kind kind, const char *id, int field,
		       const char *value, struct cf_err *err);

/* The number of operations in the log (for progress totals). */
uint64_t op_count(struct store *s);
/* An op's JSON, sorted keys: the canonical text, or with its "hash" key (an ops/ line). */
char *op_json(const struct cf_op *op, int with_hash);
/* SHA-256 of an operation's canonical TEXT (cf_op_canonical), in hex, into OUT. */
int op_hash_text(const char *text, char out[CF_HASH_LEN + 1]);

/* A field's history walked in (lamport, replica, id) order from its create value: CUR is the
 * value it comes to and CUR_OP the op that wrote it; CONFLICT when two edits did not see each
 * other (OURS won, THEIRS lost), RESOLVED when a later edit was made from the winner. */
struct settle {
	char *cur;
	char cur_op[CF_ID_LEN + 1];
	int conflict, resolved;
	char *ours, *theirs;
	char ours_op[CF_ID_LEN + 1], theirs_op[CF_ID_LEN + 1];
};
/* Walks RECORD's FIELD into W (zeroed by the caller; release with settle_release). */
int field_walk(struct store *s, const char *record, const char *field, struct settle *w,
	       struct cf_err *err);
void settle_release(struct settle *w);
/* Re-walks the history of one field of one record (ops in (lamport, replica, id) order from
 * its create value): writes the last writer's value if the table differs, and registers or
 * clears its conflict (store/receive.c).  *NEW_CONFLICT set when a conflict opened. */
int field_settle(struct store *s, enum cf_kind kind, const char *record, const char *field,
		 int *new_conflict, struct cf_err *err);

/* ---- column.c: values read back from the database, which are untrusted (a damaged file can
 * hold NULL in a NOT NULL column, any type, any number).  Each returns CF_EDB "damaged database:
 * TABLE.COLUMN ..." in ERR when the value does not fit, CF_ERR when out of memory. ---- */
/* The text of a column that must have one; NULL (and ERR set) when it is NULL.  Valid until the
 * statement steps, resets or is finalized. */
const char *col_text(sqlite3_stmt *st, int col, struct cf_err *err);
/* A required text into DST of LEN bytes; too long to fit is an error too ("" on error). */
int col_copy(char *dst, size_t len, sqlite3_stmt *st, int col, struct cf_err *err);
/* col_copy, but NULL is "" (an optional column). */
int col_copy_or_empty(char *dst, size_t len, sqlite3_stmt *st, int col, struct cf_err *err);
/* A malloc'd copy into *OUT; a NULL column gives NULL unless REQUIRED (then an error). */
int col_dup(char **out, sqlite3_stmt *st, int col, int required, struct cf_err *err);
/* A whole number in [MIN, MAX] into *OUT (0 on error): text, reals and blobs are errors. */
int col_int(int64_t *out, sqlite3_stmt *st, int col, int64_t min, int64_t max,
	    struct cf_err *err);

/* ---- readonly.c ---- */
/* 1 and why (into WHY) when the case in DIR cannot be written: a read-only file system, no
 * write permission by mode bits or access(2), on the directory or the database file. */
int store_readonly_reason(const char *dir, char *why, size_t len);
/* CF_EROFS: "the case is read-only (WHY): nothing can be changed". */
int store_ro_error(const struct store *s, struct cf_err *err);

/* ---- verify.c: one discrepancy to CB, counted in *N (store/verify.c, verify_index.c) ---- */
void verify_problem(problem_cb cb, void *ctx, int *n, const char *check, enum cf_kind kind,
		    const char *record, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 8, 9)));
/* The same for a problem P already filled but for its message, made from FMT and AP. */
void verify_vproblem(problem_cb cb, void *ctx, int *n, struct cf_problem *p, const char *fmt,
		     va_list ap) __attribute__((format(printf, 5, 0)));

/* ---- quarantine.c ---- */
/* Writes (or replaces) the entry at Q's path and line; TEXT_LEN bytes of Q->text. */
int quarantine_put(struct store *s, const struct cf_quarantined *q, size_t text_len,
		   struct cf_err *err);
/* Removes the entry at PATH, LINE if there is one. */
int quarantine_drop(struct store *s, const char *path, int64_t line, struct cf_err *err);

/* ---- admit.c: whether a received operation may join the log ---- */
enum admit { ADMIT_NEW, ADMIT_KNOWN, ADMIT_WAIT, ADMIT_REFUSE };
/* The verdict on OP given the log as it stands and MAX_LAMPORT, the highest clock in it; WHY
 * (LEN bytes) says what is wrong or awaited.  A negative cf_rc when the log cannot be read. */
int op_admit(struct store *s, const struct cf_op *op, int64_t max_lamport, char *why,
	     size_t len, struct cf_err *err);
/* The row of KIND with id ID exists (deleted or not). */
int record_exists(struct store *s, enum cf_kind kind, const char *id);

/* Opens an empty in-memory case (schema only, no case record). */
int store_open_memory(struct store **out, struct cf_err *err);
/* The same on a private temporary file (deleted on close): bounded memory for a whole case. */
int store_open_scratch(struct store **out, struct cf_err *err);
/* Drops S's order indexes (sort key): a scratch case only ever read by id (verify's replay)
 * keeps one index less up to date on every insert. */
int store_scratch_by_id(struct store *s, struct cf_err *err);
/* verify_integrity and verify_fts on a connection of their own (store/verify_bg.c). */
int verify_integrity_db(sqlite3 *db, problem_cb cb, void *ctx, struct cf_err *err);
int verify_fts_db(sqlite3 *db, problem_cb cb, void *ctx);

/* Fills R from a row laid out as: id, deleted, conflicted, fields... (R initialised here; release
 * it on error too).  0, or CF_EDB/CF_ERR (column.c). */
int record_from_row(struct cf_record *r, enum cf_kind kind, sqlite3_stmt *st, struct cf_err *err);
/* record_list with PAGE's match filters or time window (page.c): one statement built from the
 * kind table's names, every value bound. */
int record_list_match(struct store *s, enum cf_kind kind, const struct cf_page *page,
		      record_cb cb, void *ctx, struct cf_err *err);

/* The columns op_from_row reads, in its order. */
#define OP_COLS "id, replica, rseq, lamport, kind, record, field, old, new, author, at, prev," \
	" hash, signer, sig"
#define OP_NCOLS 15 /* the columns of OP_COLS: what a query selects after them comes next */
/* Binds OP to parameters ?1 to ?OP_NCOLS, in OP_COLS's order. */
void op_bind(sqlite3_stmt *st, const struct cf_op *op);
/* Fills OP from a row of OP_COLS (release it on error too).  0; CF_EDB/CF_ERR for a value that does not fit
 * (column.c); CF_ETAMPER for a kind that is none of ours. */
int op_from_row(struct cf_op *op, sqlite3_stmt *st, struct cf_err *err);
/* The operation SQL (OP_COLS, KEY bound to ?1; a cached statement) returns first, into OP;
 * CF_ENOTFOUND, "NONE 'KEY'", when it returns none. */
int op_one(struct store *s, const char *sql, const char *key, const char *none,
	   struct cf_op *op, struct cf_err *err);
/* op_replica_head with the last operation's clock too (*LAMPORT 0 when there is none; LAMPORT
 * may be NULL): what admitting a received operation checks it against. */
int op_replica_tip(struct store *s, const char *replica, int64_t *rseq,
		   char hash[CF_HASH_LEN + 1], int64_t *lamport, struct cf_err *err);
/* Steps ST (a statement of its own: finalized here, whatever happens) through its rows, each
 * read with op_from_row and given to CB until CB returns non-zero (*STOPPED, may be NULL, then
 * 1).  0, or the error of a row that cannot be read (WHAT, "read operations", in its
 * message). */
int op_rows(struct store *s, sqlite3_stmt *st, op_cb cb, void *ctx, const char *what,
	    int *stopped, struct cf_err *err);
/* The same for records of KIND, read with record_from_row. */
int record_rows(struct store *s, sqlite3_stmt *st, enum cf_kind kind, record_cb cb, void *ctx,
		const char *what, struct cf_err *err);

int store_schema_migrate(struct store *s, struct cf_err *err);

/* Each record kind's own date for "known at" (view.c): SQL reading id, the own date (NULL
 * when none), the time of its create operation, its label and rowid, over every row; FIELD
 * names the own date (NULL: none); SET reads rowid and own date of the rows with one, BY_ID
 * those of row ?1 by id, and BY_ROWID what SQL reads, of row ?1 by rowid. */
struct view_dated {
	const char *sql;
	const char *field;
	const char *set;
	const char *by_id;
	const char *by_rowid;
};
const struct view_dated *view_dated(enum cf_kind kind);
/* The start of TEXT (a record's date) in zone TZ (NULL: UTC), or CF_NO_MOMENT. */
int64_t view_start_of(const char *text, const char *tz);
/* The case at moment M as a query (view_query.c): a second connection to S's database whose
 * temporary views show the records, the log and the registers as of M; *OUT as
 * store_view_open makes it (the caller sets what names the view).  MEMORY: its temporary tables
 * in memory, for a view that moves (view_query_move). */
int view_query_open(struct store *s, const struct cf_moment *m, int memory, struct store **out,
		    struct cf_err *err);
/* Whether V was made by view_query_open to move. */
int view_query_moves(const struct store *v);
/* View V (made by view_query_open) moved to moment M: only the records the operations between
 * its moment and M touched are folded again.  On error V still shows its moment. */
int view_query_move(struct store *v, const struct cf_moment *m, struct cf_err *err);
/* Frees what view_query_open keeps in V (store_close calls it). */
void view_query_release(struct store *v);
/* 0 when the case existed in view V at M, else CF_ENOTFOUND saying it did not yet (view.c). */
int view_case_check(struct store *v, const struct cf_moment *m, struct cf_err *err);
/* The full-text indexes of a view made by view_query_open, built over its views the first
 * time it is searched (fts.c); 0 at once for any other store. */
int fts_for_view(struct store *s, struct cf_err *err);
/* Those indexes dropped, to be built again for a view's new moment at its next search. */
int fts_view_drop(struct store *s, struct cf_err *err);
/* Whether the replay leaves OP out (a record not yet known, view.c). */
typedef int (*replay_skip_fn)(const struct cf_op *op, void *ctx);
/* A new in-memory store with every op of S at wall time <= AS_OF (CF_NO_MOMENT: all) that
 * SKIP (may be NULL) keeps, replayed in (lamport, replica, op id) order (replay.c). */
int store_replay_until(struct store *s, int64_t as_of, replay_skip_fn skip, void *ctx,
		       struct store **out, struct cf_err *err);
/* The end of a replay into MEM read from ST (STEP its last sqlite3_step, RC the replay's
 * outcome so far): ST finalized and MEM's transaction committed, or rolled back on any error,
 * which is returned (replay.c; verify's replay ends the same way). */
int replay_end(struct store *s, struct store *mem, sqlite3_stmt *st, int step, int rc,
	       struct cf_err *err);

/* Sets RECORD's deleted flag from the last of its "@delete" and "@restore" operations in
 * (lamport, replica, id) order: the rule replay and receiving share (store/undo.c). */
int record_deleted_settle(struct store *s, enum cf_kind kind, const char *id,
			  struct cf_err *err);

/* ---- json.c: the JSON writer for op and record texts, appending to a strbuf ---- */
/* A JSON string, escaped exactly as jansson does with JSON_ENSURE_ASCII. */
void cf_buf_str(struct strbuf *b, const char *s);
void cf_buf_str_or_null(struct strbuf *b, const char *s);
/* ',' unless FIRST, then "KEY": */
void cf_buf_key(struct strbuf *b, int first, const char *key);
void cf_buf_int(struct strbuf *b, long long v);

/* ---- fts.c: the full-text indexes, kept by record_insert_row unless deferred ---- */
/* Indexes the row ROWID of KIND (event, note, evidence; others are ignored). */
int fts_index_row(struct store *s, enum cf_kind kind, int64_t rowid, struct cf_err *err);
/* Indexes every row of KIND after AFTER, in one statement: the end of a bulk import. */
int fts_index_after(struct store *s, enum cf_kind kind, int64_t after, struct cf_err *err);
int64_t fts_max_rowid(struct store *s, enum cf_kind kind);
/* For a store filled in bulk and not changed after (a view): no row-by-row indexing, the
 * update triggers dropped; then fts_rebuild indexes every row in one statement per kind. */
int fts_detach(struct store *s, struct cf_err *err);
int fts_rebuild(struct store *s, struct cf_err *err);
/* Takes record ID of KIND out of its index (before its row goes), when its row is indexed
 * (rowid <= INDEXED: rows after that wait for fts_index_after). */
int fts_forget(struct store *s, enum cf_kind kind, const char *id, int64_t indexed,
	       struct cf_err *err);

/* ---- membership judged again (rejudge.c) ---- */

/* <0, 0, >0 as A's clock (lamport, replica, sequence) is before, equal to or after B's. */
int op_clock_cmp(const struct cf_op *a, const struct cf_op *b);
struct retraction {
	struct cf_op *v;
	size_t n, cap;
};
struct member_history;
/* The operations with clock FROM or later that a replay of the whole log would not take
 * (member_judge, a replica's chain after one, a record after its create), in clock order,
 * into OUT; membership operations among them leave H. */
int rejudge_walk(struct store *s, struct member_history *h, int64_t from,
		 struct retraction *out, struct cf_err *err);
void retraction_free(struct retraction *r);
/* OP out of the case: its row and undo entries; for a create, its record and conflicts too
 * (FTS_INDEXED: the last row of its kind's index). */
int retract_op(struct store *s, const struct cf_op *op, int64_t fts_indexed, struct cf_err *err);
/* REPLICA's recorded head set back to its last operation left (none: forgotten). */
int head_set_back(struct store *s, const char *replica, struct cf_err *err);
/* This case continues as a new replica: its own chain was cut (rejudge.c). */
int replica_renew(struct store *s, struct cf_err *err);
/* An indexed kind's table, its index's columns (comma-separated, as SQL) and the time column
 * shown with a hit; NULL for a kind without an index. */
struct fts_info {
	const char *table, *cols, *when;
};
const struct fts_info *fts_info(enum cf_kind kind);

#endif
