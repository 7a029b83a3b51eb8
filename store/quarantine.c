/* quarantine.c — operations received from other replicas but set aside: a line that is not an
 * operation, one whose hash or chain is wrong, one out of range, one that cannot apply, and
 * those that wait for one of these.  Each is kept with the file and line it was read from. */
#include "store/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define QUARANTINE_TEXT_MAX 4096 /* bytes of the received line kept: enough to see what it is */

int quarantine_put(struct store *s, const struct cf_quarantined *q, size_t text_len,
		   struct cf_err *err)
{
	sqlite3_stmt *st = store_stmt(s, "INSERT OR REPLACE INTO quarantine(path, line, replica,"
				      " rseq, lamport, op, reason, text)"
				      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", err);
	int rc = 0;

	if (!st)
		return CF_EDB;
	sqlite3_bind_text(st, 1, q->path, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, q->line);
	bind_text(st, 3, q->replica);
	if (q->rseq > 0)
		sqlite3_bind_int64(st, 4, q->rseq);
	if (q->lamport > 0)
		sqlite3_bind_int64(st, 5, q->lamport);
	bind_text(st, 6, q->op);
	sqlite3_bind_text(st, 7, q->reason, -1, SQLITE_STATIC);
	if (q->text)
		sqlite3_bind_text(st, 8, q->text,
				  (int)(text_len < QUARANTINE_TEXT_MAX ? text_len
								       : QUARANTINE_TEXT_MAX),
				  SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = store_db_error(s, err, "write quarantine");
	sqlite3_reset(st);
	return rc;
}

int quarantine_drop(struct store *s, const char *path, int64_t line, struct cf_err *err)
{
	sqlite3_stmt *st = store_stmt(s, "DELETE FROM quarantine WHERE path = ?1 AND line = ?2",
				      err);
	int rc = 0;

	if (!st)
		return CF_EDB;
	sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, line);
	if (sqlite3_step(st) != SQLITE_DONE)
		rc = store_db_error(s, err, "clear quarantine");
	sqlite3_reset(st);
	return rc;
}

int quarantine_has(struct store *s, const char *path, int64_t line)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT 1 FROM quarantine WHERE path = ?1 AND line = ?2",
				      NULL);
	int found;

	if (!st)
		return 0;
	sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, line);
	found = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	return found;
}

int64_t quarantine_count(struct store *s)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT count(*) FROM quarantine", NULL);
	int64_t n = -1;

	if (st && sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	if (st)
		sqlite3_reset(st);
	return n;
}

static const char *col(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

/* Rows of ST (path, line, replica, rseq, lamport, op, reason, text) to CB; the count, or a
 * negative cf_rc. */
static int each_row(struct store *s, sqlite3_stmt *st, quarantine_cb cb, void *ctx,
		    struct cf_err *err)
{
	int step, n = 0, stop = 0;

	while (!stop && (step = sqlite3_step(st)) == SQLITE_ROW) {
		struct cf_quarantined q = {
			.path = col(st, 0) ? col(st, 0) : "?",
			.line = sqlite3_column_int64(st, 1),
			.replica = col(st, 2),
			.rseq = sqlite3_column_int64(st, 3),
			.lamport = sqlite3_column_int64(st, 4),
			.op = col(st, 5),
			.reason = col(st, 6) ? col(st, 6) : "?",
			.text = col(st, 7),
		};
		n++;
		stop = cb ? cb(&q, ctx) : 0;
	}
	if (!stop && step != SQLITE_DONE)
		n = store_db_error(s, err, "read quarantine");
	sqlite3_finalize(st);
	return n;
}

#define Q_COLS "path, line, replica, rseq, lamport, op, reason, text"

int quarantine_list(struct store *s, quarantine_cb cb, void *ctx, struct cf_err *err)
{
	sqlite3_stmt *st;

	if (sqlite3_prepare_v2(s->db, "SELECT " Q_COLS " FROM quarantine ORDER BY path, line",
			       -1, &st, NULL) != SQLITE_OK)
		return store_db_error(s, err, "read quarantine");
	return each_row(s, st, cb, ctx, err);
}

/* KEY as PATH:LINE: the path into PATH (LEN bytes), *LINE; -1 when KEY is not of that form. */
static int split_key(const char *key, char *path, size_t len, int64_t *line)
{
	const char *colon = strrchr(key, ':');
	char *end;
	long long n;

	if (!colon || colon == key || (size_t)(colon - key) >= len)
		return -1;
	n = strtoll(colon + 1, &end, 10);
	if (end == colon + 1 || *end || n < 0)
		return -1;
	memcpy(path, key, (size_t)(colon - key));
	path[colon - key] = '\0';
	*line = n;
	return 0;
}

int quarantine_show(struct store *s, const char *key, quarantine_cb cb, void *ctx,
		    struct cf_err *err)
{
	char path[1024];
	int64_t line;
	sqlite3_stmt *st;
	int n, byplace = split_key(key, path, sizeof(path), &line) == 0;

	if (sqlite3_prepare_v2(s->db, byplace
			       ? "SELECT " Q_COLS " FROM quarantine WHERE path = ?1 AND line = ?2"
			       : "SELECT " Q_COLS " FROM quarantine WHERE substr(op, 1, length(?1))"
				 " = ?1 ORDER BY path, line", -1, &st, NULL) != SQLITE_OK)
		return store_db_error(s, err, "read quarantine");
	sqlite3_bind_text(st, 1, byplace ? path : key, -1, SQLITE_TRANSIENT);
	if (byplace)
		sqlite3_bind_int64(st, 2, line);
	else if (!key[0]) {
		sqlite3_finalize(st);
		return cf_error(err, CF_EINVAL, "no operation id or FILE:LINE given");
	}
	n = each_row(s, st, cb, ctx, err);
	if (n == 0)
		return cf_error(err, CF_ENOTFOUND, "nothing in quarantine matches '%s'", key);
	return n < 0 ? n : 0;
}
