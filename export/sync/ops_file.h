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
/* Whether NAME is a replica id (CF_ID_LEN lowercase letters and digits). */
int ops_replica_name_ok(const char *name);

/* Parses the file PATH (for messages) of REPLICA holding operations FIRST..LAST: TEXT (LEN
 * bytes) must be one canonical operation line per sequence number, in order, each ending
 * with a newline.  *OUT (calloc'd, free with ops_file_free) and *N receive the operations
 * read, also those before a bad line.  CF_ETAMPER naming PATH:LINE when anything is off. */
int ops_file_parse(const char *path, const char *replica, int64_t first, int64_t last,
		   const char *text, size_t len, struct cf_op **out, size_t *n,
		   struct cf_err *err);
void ops_file_free(struct cf_op *ops, size_t n);

#endif
