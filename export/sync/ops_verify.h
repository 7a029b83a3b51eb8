/* ops_verify.h — the operation log as written to the case's git repository (DIR/casefile.git,
 * branch main, ops/) compared with the operations in the database. */
#ifndef CASEFILE_OPS_VERIFY_H
#define CASEFILE_OPS_VERIFY_H

#include "store/store.h"

/* Reads every file under ops/ on branch main of DIR/casefile.git as sync reads it (ops_file.h:
 * its name, then one canonical operation line per sequence number, through the store's op
 * parser); what sync would refuse is a problem naming FILE:LINE.  Each operation must equal
 * the database's operation of the same id (same hash); for each replica found in git, every
 * database operation up to git's last one of that replica must be in git.  Returns the number of
 * problems (each to CB), CF_ENOTFOUND (message in ERR) when there is no repository or no
 * ops/ yet, or another negative cf_rc. */
int export_check_git_ops(struct store *s, problem_cb cb, void *ctx, int64_t *nfiles,
			 int64_t *nops, struct cf_err *err);

#endif
