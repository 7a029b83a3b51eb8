/* ops_file.h — the ops/ files of the case repository, as text: their names
 * (ops/REPLICA/FIRST-LAST.jsonl) and their lines, each read by the store's own op parser
 * (cf_op_parse).  The one reader of ops/ for sync (export/sync/sync_ops.c) and for verify
 * (export/sync/ops_verify.c), so that verify accepts exactly what sync accepts.  No git. */
#ifndef CASEFILE_OPS_FILE_H
#define CASEFILE_OPS_FILE_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

/* "000000000001-000000000057.jsonl" -> 1, 57; -1 when NAME is not such a name. */
int ops_file_name(const char *name, int64_t *first, int64_t *last);
/* A file rewritten after it was read (two sides of a sync holding other contents under one
 * name) keeps one version at its name and the other beside it as NAME.set-aside-OID (OID the
 * set-aside contents' 40 hex digits), so that every replica holds both and records the same.
 * ops_set_aside_name writes that name into OUT (LEN bytes); ops_set_aside_of gives the name
 * it stands for (into OUT) when NAME is such a name, -1 when not. */
#define OPS_SET_ASIDE ".set-aside-"
void ops_set_aside_name(const char *name, const char *oid_hex, char *out, size_t len);
int ops_set_aside_of(const char *name, char *out, size_t len);

/* Whether NAME is a replica id (CF_ID_LEN lowercase letters and digits). */
int ops_replica_name_ok(const char *name);

/* Each line of a file of REPLICA holding operations FIRST..LAST (TEXT, LEN bytes) to CB, in
 * order: LINE (from 1), the sequence number its place gives it, its text, and either OP, the
 * operation it holds (canonical, hash checked, in its place), or WHY it is not one (then OP
 * is NULL).  A file whose name gives too large a range is one call with LINE 0.  A line never
 * stops the walk; a non-zero return of CB does, and is returned. */
typedef int (*ops_line_cb)(void *ctx, int64_t line, int64_t rseq, const char *text,
			   size_t len, const struct cf_op *op, const char *why);
int ops_file_each(const char *replica, int64_t first, int64_t last, const char *text,
		  size_t len, ops_line_cb cb, void *ctx);

#endif
