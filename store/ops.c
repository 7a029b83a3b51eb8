/* ops.c — the operation log: every change as one row, chained per replica by SHA-256, ordered
 * across replicas by a Lamport clock.  It is the audit trail, the unit of sync, and history. */
#include "store/identity.h"
#include "store/internal.h"

#include <stdarg.h>
#include <stdint.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cf_op_release(struct cf_op *op)
{
	free(op->field);
	free(op->old_value);
	free(op->new_value);
	free(op->author);
	op->field = op->old_value = op->new_value = op->author = NULL;
}

/* Keys in sorted order, compact, ASCII only: the same bytes as jansson's JSON_SORT_KEYS |
 * JSON_COMPACT | JSON_ENSURE_ASCII, so hashes never depend on the writer. */
char *op_json(const struct cf_op *op, int with_hash)
{
	struct strbuf b = STRBUF_INIT;

	strbuf_addch(&b, '{');
	cf_buf_key(&b, 1, "at");
	cf_buf_str(&b, op->at);
	cf_buf_key(&b, 0, "author");
	cf_buf_str_or_null(&b, op->author);
	cf_buf_key(&b, 0, "field");
	cf_buf_str_or_null(&b, op->field);
	if (with_hash) {
		cf_buf_key(&b, 0, "hash");
		cf_buf_str(&b, op->hash);
	}
	cf_buf_key(&b, 0, "id");
	cf_buf_str(&b, op->id);
	cf_buf_key(&b, 0, "kind");
	cf_buf_str(&b, cf_kind_info(op->kind) ? cf_kind_info(op->kind)->name : "");
	cf_buf_key(&b, 0, "lamport");
	cf_buf_int(&b, op->lamport);
	cf_buf_key(&b, 0, "new");
	cf_buf_str_or_null(&b, op->new_value);
	cf_buf_key(&b, 0, "old");
	cf_buf_str_or_null(&b, op->old_value);
	cf_buf_key(&b, 0, "prev");
	cf_buf_str(&b, op->prev);
	cf_buf_key(&b, 0, "record");
	cf_buf_str(&b, op->record);
	cf_buf_key(&b, 0, "replica");
	cf_buf_str(&b, op->replica);
	cf_buf_key(&b, 0, "rseq");
	cf_buf_int(&b, op->rseq);
	if (with_hash && op->sig[0]) {
		cf_buf_key(&b, 0, "sig");
		cf_buf_str(&b, op->sig);
	}
	if (op->signer[0]) {
		cf_buf_key(&b, 0, "signer");
		cf_buf_str(&b, op->signer);
	}
	strbuf_addch(&b, '}');
	return strbuf_detach(&b, NULL);
}

char *cf_op_canonical(const struct cf_op *op)
{
	return op_json(op, 0);
}

int op_hash_text(const char *text, char out[CF_HASH_LEN + 1])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char md[crypto_hash_sha256_BYTES];

	/* libsodium, not OpenSSL: OpenSSL's first digest starts its provider machinery, ~0.9 ms
	 * of every one-record command; libsodium's takes 0.04 ms. */
	if (sodium_init() < 0 ||
	    crypto_hash_sha256(md, (const unsigned char *)text, strlen(text)) != 0)
		return CF_ERR;
	for (unsigned i = 0; i < sizeof(md); i++) {
		out[2 * i] = hex[md[i] >> 4];
		out[2 * i + 1] = hex[md[i] & 15];
	}
	out[CF_HASH_LEN] = '\0';
	return 0;
}

int cf_op_hash(const struct cf_op *op, char out[CF_HASH_LEN + 1])
{
	char *text = cf_op_canonical(op);
	int rc = text ? op_hash_text(text, out) : CF_ERR;

	free(text);
	return rc;
}

int cf_op_signature_holds(const struct cf_op *op)
{
	char *text;
	int ok;

	if (!op->signer[0] || !(text = cf_op_canonical(op)))
		return 0;
	ok = cf_sign_check(op->signer, op->sig, text, strlen(text));
	free(text);
	return ok;
}

const char *cf_op_signature_state(const struct cf_op *op)
{
	return !op->signer[0] ? "none" : cf_op_signature_holds(op) ? "ok" : "bad";
}

/* Fills OP's signer and signature (with the store's identity, when it has one) and its hash,
 * from one canonical text: the signer is part of what both cover. */
static int op_seal(struct store *s, struct cf_op *op, struct cf_err *err)
{
	char *text;
	int rc;

	if (s->identity)
		sodium_bin2hex(op->signer, sizeof(op->signer), s->identity->sign_pk,
			       sizeof(s->identity->sign_pk));
	if (!(text = cf_op_canonical(op)))
		return cf_error(err, CF_ERR, "out of memory");
	if (s->identity && (rc = cf_sign_hex(s->identity, text, strlen(text), op->sig, err)) < 0) {
		free(text);
		return rc;
	}
	rc = op_hash_text(text, op->hash);
	free(text);
	return rc < 0 ? cf_error(err, CF_ERR, "cannot hash operation") : 0;
}

/* Reads the replica's last op and the highest clock seen, once per write transaction. */
static int load_head(struct store *s, struct cf_err *err)
{
	sqlite3_stmt *st;

	if (s->head_valid)
		return 0;
	st = store_stmt(s, "SELECT rseq, hash FROM op WHERE replica = ?1 ORDER BY rseq DESC LIMIT 1",
			err);
	if (!st)
		return CF_EDB;
	sqlite3_bind_text(st, 1, s->replica, -1, SQLITE_STATIC);
	s->head_rseq = 0;
	s->head_hash[0] = '\0';
	if (sqlite3_step(st) == SQLITE_ROW &&
	    (col_int(&s->head_rseq, st, 0, 1, INT64_MAX - 1, err) < 0 ||
	     col_copy(s->head_hash, sizeof(s->head_hash), st, 1, err) < 0)) {
		sqlite3_reset(st);
		return CF_EDB;
	}
	sqlite3_reset(st);
	st = store_stmt(s, "SELECT coalesce(max(lamport), 0) FROM op", err);
	if (!st)
		return CF_EDB;
	if (sqlite3_step(st) == SQLITE_ROW &&
	    col_int(&s->head_lamport, st, 0, 0, INT64_MAX - 1, err) < 0) {
		sqlite3_reset(st);
		return CF_EDB;
	}
	sqlite3_reset(st);
	s->head_valid = 1;
	return 0;
}

static const char insert_op_sql[] =
	"INSERT INTO op(" OP_COLS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12,"
	" ?13, ?14, ?15)";

void op_bind(sqlite3_stmt *st, const struct cf_op *op)
{
	sqlite3_bind_text(st, 1, op->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, op->replica, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, op->rseq);
	sqlite3_bind_int64(st, 4, op->lamport);
	sqlite3_bind_text(st, 5, cf_kind_info(op->kind)->name, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, op->record, -1, SQLITE_STATIC);
	bind_text(st, 7, op->field);
	bind_text(st, 8, op->old_value);
	bind_text(st, 9, op->new_value);
	bind_text(st, 10, op->author);
	sqlite3_bind_text(st, 11, op->at, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 12, op->prev, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 13, op->hash, -1, SQLITE_STATIC);
	bind_text(st, 14, op->signer[0] ? op->signer : NULL);
	bind_text(st, 15, op->sig[0] ? op->sig : NULL);
}

/* Records a replica's head (last sequence and hash) in the meta table, in the op's own
 * transaction, so that an operation cut from the end of a chain is seen by verify_heads.
 * Only moves forward: a re-used sequence number leaves the old head to disagree with it. */
static int store_head(struct store *s, const struct cf_op *op, struct cf_err *err)
{
	sqlite3_stmt *st = store_stmt(s,
		"INSERT INTO meta(key, value) VALUES ('head:' || ?1, ?2 || ' ' || ?3)"
		" ON CONFLICT(key) DO UPDATE SET value = excluded.value"
		" WHERE CAST(meta.value AS INTEGER) < ?2", err);
	int rc = 0;

	if (!st)
		return CF_EDB;
	sqlite3_bind_text(st, 1, op->replica, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, op->rseq);
	sqlite3_bind_text(st, 3, op->hash, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = store_db_error(s, err, "write replica head");
	sqlite3_reset(st);
	return rc;
}

static int insert_row(struct store *s, const struct cf_op *op, struct cf_err *err)
{
	sqlite3_stmt *st = store_stmt(s, insert_op_sql, err);
	int rc = 0;

	if (!st)
		return CF_EDB;
	op_bind(st, op);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = store_db_error(s, err, "write operation");
	sqlite3_reset(st);
	return rc;
}

/* Writes a complete op row (a replayed one from another replica) and that replica's head. */
int op_insert(struct store *s, const struct cf_op *op, struct cf_err *err)
{
	int rc = insert_row(s, op, err);
	return rc < 0 ? rc : store_head(s, op, err);
}

int op_flush_head(struct store *s, struct cf_err *err)
{
	struct cf_op head;

	if (!s->head_dirty)
		return 0;
	memset(&head, 0, sizeof(head));
	cf_strlcpy(head.replica, s->replica, sizeof(head.replica));
	head.rseq = s->head_rseq;
	memcpy(head.hash, s->head_hash, sizeof(head.hash));
	s->head_dirty = 0;
	return store_head(s, &head, err);
}

int op_append(struct store *s, enum cf_kind kind, const char *record, const char *field,
	      const char *old_value, const char *new_value, struct cf_err *err)
{
	char id[CF_ID_LEN + 1];

	if (!s->deriving && (kind == CF_CASE || kind == CF_EVENT || kind == CF_ESTIMATE ||
			     kind == CF_NOTICE))
		s->facts_dirty = 1;
	if (!s->deriving && (kind == CF_CUSTODY || kind == CF_EVIDENCE))
		s->custody_dirty = 1;
	cf_new_id(id);
	return op_append_id(s, id, kind, record, field, old_value, new_value, err);
}

int op_append_id(struct store *s, const char *id, enum cf_kind kind, const char *record,
		 const char *field, const char *old_value, const char *new_value,
		 struct cf_err *err)
{
	struct cf_op op;
	int rc;

	if (s->txn_depth <= 0)
		return cf_error(err, CF_ERR, "operation outside a transaction");
	if ((rc = load_head(s, err)) < 0)
		return rc;
	/* Received clocks are bounded (CF_LAMPORT_MAX): only a damaged log gets here. */
	if (s->head_lamport < 0 || s->head_lamport >= INT64_MAX - 1 || s->head_rseq < 0 ||
	    s->head_rseq >= INT64_MAX - 1)
		return cf_error(err, CF_ETAMPER, "the operation log's clock or sequence is out of"
				" range (%lld, %lld): run casefile verify", (long long)s->head_lamport,
				(long long)s->head_rseq);
	memset(&op, 0, sizeof(op));
	cf_strlcpy(op.id, id, sizeof(op.id));
	cf_strlcpy(op.replica, s->replica, sizeof(op.replica));
	op.rseq = s->head_rseq + 1;
	op.lamport = s->head_lamport + 1;
	op.kind = kind;
	cf_strlcpy(op.record, record, sizeof(op.record));
	op.field = (char *)field;
	op.old_value = (char *)old_value;
	op.new_value = (char *)new_value;
	op.author = (char *)store_author(s);
	if (s->clock)
		cf_strlcpy(op.at, s->clock, sizeof(op.at));
	else
		cf_now_iso(op.at, sizeof(op.at));
	cf_strlcpy(op.prev, s->head_hash, sizeof(op.prev));
	if ((rc = op_seal(s, &op, err)) < 0 || (rc = member_check_local(s, &op, err)) < 0)
		return rc;
	/* Our own head is written once, at commit: an import of a million rows is a million
	 * operations in one transaction. */
	if ((rc = insert_row(s, &op, err)) < 0)
		return rc;
	s->head_dirty = 1;
	s->head_rseq = op.rseq;
	s->head_lamport = op.lamport;
	memcpy(s->head_hash, op.hash, sizeof(op.hash));
	return 0;
}

int op_from_row(struct cf_op *op, sqlite3_stmt *st, struct cf_err *err)
{
	const struct cf_kind_info *ki;
	const char *kind;
	int rc;

	memset(op, 0, sizeof(*op));
	op->kind = CF_KIND_COUNT;
	if ((rc = col_copy(op->id, sizeof(op->id), st, 0, err)) < 0 ||
	    (rc = col_copy(op->replica, sizeof(op->replica), st, 1, err)) < 0 ||
	    (rc = col_int(&op->rseq, st, 2, 1, INT64_MAX - 1, err)) < 0 ||
	    (rc = col_int(&op->lamport, st, 3, 0, INT64_MAX - 1, err)) < 0 ||
	    !(kind = col_text(st, 4, err)) ||
	    (rc = col_copy(op->record, sizeof(op->record), st, 5, err)) < 0 ||
	    (rc = col_dup(&op->field, st, 6, 1, err)) < 0 ||
	    (rc = col_dup(&op->old_value, st, 7, 0, err)) < 0 ||
	    (rc = col_dup(&op->new_value, st, 8, 0, err)) < 0 ||
	    (rc = col_dup(&op->author, st, 9, 1, err)) < 0 ||
	    (rc = col_copy(op->at, sizeof(op->at), st, 10, err)) < 0 ||
	    (rc = col_copy(op->prev, sizeof(op->prev), st, 11, err)) < 0 ||
	    (rc = col_copy(op->hash, sizeof(op->hash), st, 12, err)) < 0 ||
	    (rc = col_copy_or_empty(op->signer, sizeof(op->signer), st, 13, err)) < 0 ||
	    (rc = col_copy_or_empty(op->sig, sizeof(op->sig), st, 14, err)) < 0)
		return rc < 0 ? rc : CF_EDB;
	if (!(ki = cf_kind_by_name(kind)))
		return cf_error(err, CF_ETAMPER, "operation %s has an unknown kind", op->id);
	op->kind = ki->kind;
	return 0;
}

int op_rows(struct store *s, sqlite3_stmt *st, op_cb cb, void *ctx, const char *what,
	    int *stopped, struct cf_err *err)
{
	struct cf_op op;
	int rc, stop = 0;

	while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		int bad = op_from_row(&op, st, err);
		if (bad == 0)
			stop = cb(&op, ctx);
		cf_op_release(&op);
		if (bad < 0) {
			sqlite3_finalize(st);
			return bad;
		}
	}
	rc = (stop || rc == SQLITE_DONE) ? 0 : store_db_error(s, err, what);
	sqlite3_finalize(st);
	if (stopped)
		*stopped = stop;
	return rc;
}

int op_list(struct store *s, const char *record, op_cb cb, void *ctx, struct cf_err *err)
{
	sqlite3_stmt *st;
	const char *sql = record ? "SELECT " OP_COLS " FROM op WHERE record = ?1 ORDER BY seq"
				 : "SELECT " OP_COLS " FROM op ORDER BY seq";

	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return store_db_error(s, err, "read operations");
	if (record)
		sqlite3_bind_text(st, 1, record, -1, SQLITE_STATIC);
	return op_rows(s, st, cb, ctx, "read operations", NULL, err);
}

int op_one(struct store *s, const char *sql, const char *key, const char *none,
	   struct cf_op *op, struct cf_err *err)
{
	sqlite3_stmt *st = store_stmt(s, sql, err);
	int rc;

	memset(op, 0, sizeof(*op));
	if (!st)
		return CF_EDB;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		rc = op_from_row(op, st, err);
	else if (rc == SQLITE_DONE)
		rc = cf_error(err, CF_ENOTFOUND, "%s '%s'", none, key);
	else
		rc = store_db_error(s, err, "read operations");
	sqlite3_reset(st);
	return rc;
}

int op_last(struct store *s, const char *record, struct cf_op *op, struct cf_err *err)
{
	return op_one(s, "SELECT " OP_COLS " FROM op WHERE record = ?1 ORDER BY seq DESC LIMIT 1",
		      record, "no operation for record", op, err);
}

int op_expect_last(struct store *s, const char *record, const char *expect, struct cf_err *err)
{
	struct cf_op op;
	int rc = op_last(s, record, &op, err);

	if (rc == 0 && (strlen(expect) < 4 || strncmp(op.id, expect, strlen(expect)) != 0))
		rc = cf_error(err, CF_ECHANGED, "%.*s changed since operation %s: operation %s"
			      " by %s at %s came after it", CF_SHORT_ID, record, expect, op.id,
			      op.author, op.at);
	cf_op_release(&op);
	return rc;
}

/* One discrepancy of the chain, to the caller's callback; counted in *N. */
/* OP is the operation at fault, or NULL when the fault is one that is not there. */
static void chain_problem(problem_cb cb, void *ctx, int *n, const struct cf_op *op,
			  const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static void chain_problem(problem_cb cb, void *ctx, int *n, const struct cf_op *op,
			  const char *fmt, ...)
{
	struct cf_problem p = { "chain", CF_KIND_COUNT, NULL, NULL, NULL, NULL };
	va_list ap;

	if (op && op->kind != CF_KIND_COUNT) {
		p.kind = op->kind;
		p.record = op->record;
		p.field = op->field;
		p.op = op->id;
	}
	va_start(ap, fmt);
	verify_vproblem(cb, ctx, n, &p, fmt, ap);
	va_end(ap);
}

/* Checks one op against its replica's chain so far: sequence, link, hash.  A gap is reported
 * once; the op after it cannot link to an op that is not there, so its link is not blamed. */
static void check_link(const struct cf_op *op, int64_t *expect, const char *prev,
		       problem_cb cb, void *ctx, int *n)
{
	char hash[CF_HASH_LEN + 1];
	int gap = 0;

	if (op->kind == CF_KIND_COUNT)
		chain_problem(cb, ctx, n, op, "operation %s (replica %s #%lld): unknown kind",
			      op->id, op->replica, (long long)op->rseq);
	if (op->rseq != *expect) {
		gap = 1;
		if (op->rseq > *expect) {
			char range[64];
			if (op->rseq - *expect > 1)
				snprintf(range, sizeof(range), "operations #%lld-#%lld are",
					 (long long)*expect, (long long)(op->rseq - 1));
			else
				snprintf(range, sizeof(range), "operation #%lld is",
					 (long long)*expect);
			chain_problem(cb, ctx, n, NULL, "replica %s: %s missing (before %s #%lld)",
				      op->replica, range, op->id, (long long)op->rseq);
		}
		else
			chain_problem(cb, ctx, n, op, "replica %s: operation %s has sequence #%lld,"
				      " expected #%lld", op->replica, op->id, (long long)op->rseq,
				      (long long)*expect);
	}
	if (!gap && strcmp(op->prev, prev) != 0)
		chain_problem(cb, ctx, n, op,
			      "operation %s (replica %s #%lld): does not link to the previous"
			      " operation", op->id, op->replica, (long long)op->rseq);
	if (op->kind != CF_KIND_COUNT && (cf_op_hash(op, hash) < 0 || strcmp(hash, op->hash) != 0))
		chain_problem(cb, ctx, n, op,
			      "operation %s (replica %s #%lld, %s %s, field %s): content does not"
			      " match its hash", op->id, op->replica, (long long)op->rseq,
			      cf_kind_info(op->kind)->name, op->record,
			      op->field ? op->field : "?");
	else if (op->kind != CF_KIND_COUNT && op->signer[0] && !cf_op_signature_holds(op))
		chain_problem(cb, ctx, n, op, "operation %s (replica %s #%lld): its signature does"
			      " not hold (signer %.16s…)", op->id, op->replica, (long long)op->rseq,
			      op->signer);
	*expect = op->rseq + 1;
}

uint64_t op_count(struct store *s)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT count(*) FROM op", NULL);
	int64_t n = st && sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;

	if (st)
		sqlite3_reset(st);
	return n > 0 ? (uint64_t)n : 0;
}

int op_mark(struct store *s, char mark[CF_TIME_LEN], int64_t *count, struct cf_err *err)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT count(*), max(at) FROM op", err);
	int rc = 0;

	mark[0] = '\0';
	*count = 0;
	if (!st)
		return CF_EDB;
	if (sqlite3_step(st) == SQLITE_ROW) {
		*count = sqlite3_column_int64(st, 0);
		if (sqlite3_column_text(st, 1))
			cf_strlcpy(mark, (const char *)sqlite3_column_text(st, 1), CF_TIME_LEN);
	} else {
		rc = store_db_error(s, err, "operations");
	}
	sqlite3_reset(st);
	return rc;
}

int op_check_chains(struct store *s, problem_cb cb, void *ctx, int64_t *nops,
		    int64_t *nreplicas, struct cf_err *err)
{
	struct progress prog;
	sqlite3_stmt *st;
	struct cf_op op;
	char replica[CF_ID_LEN + 1] = "", prev[CF_HASH_LEN + 1] = "";
	int64_t expect = 1, ops = 0, replicas = 0;
	int n = 0, step;

	if (sqlite3_prepare_v2(s->db, "SELECT " OP_COLS " FROM op ORDER BY replica, rseq", -1, &st,
			       NULL) != SQLITE_OK)
		return store_db_error(s, err, "read operations");
	progress_start(&prog, &s->progress, "checking hash chains", op_count(s), "ops");
	prog.info.count_is_done = 1;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		struct cf_err e;
		/* A kind none of ours is the chain's problem below; a row that cannot be read
		 * at all (NULL, wrong type, out of range) is one too, not the end of the check. */
		int bad = op_from_row(&op, st, &e);
		if (bad < 0 && bad != CF_ETAMPER) {
			chain_problem(cb, ctx, &n, NULL, "an operation cannot be read: %s", e.msg);
			cf_op_release(&op);
			continue;
		}
		if (strcmp(op.replica, replica) != 0) {
			cf_strlcpy(replica, op.replica, sizeof(replica));
			prev[0] = '\0';
			expect = 1;
			replicas++;
		}
		check_link(&op, &expect, prev, cb, ctx, &n);
		memcpy(prev, op.hash, sizeof(prev));
		ops++;
		cf_op_release(&op);
	}
	sqlite3_finalize(st);
	if (step != SQLITE_DONE) {
		progress_stop(&prog);
		return store_db_error(s, err, "read operations");
	}
	progress_finish(&prog);
	if (nops)
		*nops = ops;
	if (nreplicas)
		*nreplicas = replicas;
	return n;
}

static int first_problem(const struct cf_problem *p, void *ctx)
{
	struct cf_err *err = ctx;
	if (err && !err->msg[0])
		cf_error(err, CF_ETAMPER, "%s", p->msg);
	return 0;
}

int op_verify_chain(struct store *s, struct cf_err *err)
{
	int n;

	if (err)
		err->msg[0] = '\0';
	n = op_check_chains(s, first_problem, err, NULL, NULL, err);
	return n < 0 ? n : n > 0 ? CF_ETAMPER : 0;
}
