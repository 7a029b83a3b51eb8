/* repo_internal.h — private to export/git/repo*.c: the repository handle and the two helpers
 * its files share. */
#ifndef CASEFILE_REPO_INTERNAL_H
#define CASEFILE_REPO_INTERNAL_H

#include <git2.h>

#include "export/git/repo.h"

struct cf_repo {
	git_repository *git;
	char path[PATH_MAX];
	int lock_fd, lock_depth; /* repo_lock */
};

/* Copies libgit2's last error into ERR after CONTEXT; returns CODE. */
int repo_git_fail(struct cf_err *err, int code, const char *context);

/* Compare-and-swap of REF in GIT from EXPECT (NULL: the ref must not exist) to TO; CF_EMOVED
 * when it holds something else. */
int repo_cas(git_repository *git, const char *ref, const git_oid *expect, const git_oid *to,
	     const char *log, struct cf_err *err);

/* Writes the blobs of CH (N changes, repo_commit's) and BASE (NULL = empty) updated by them
 * into TREE_OUT. */
int repo_build_tree(struct cf_repo *r, git_tree *base, const struct repo_change *ch, size_t n,
		    git_oid *tree_out, struct cf_err *err);

#endif
