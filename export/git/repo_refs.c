/* repo_refs.c — every ref casefile moves, in the case's repository or in a remote that is a
 * directory: compare-and-swap for branches, a plain set for tracking refs. */
#include "export/git/repo_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* libgit2 takes the ref's lock file and checks its old value under it.  EXPECT NULL (the ref
 * must not exist yet) is a swap from the all-zero id, also checked under the lock:
 * git_reference_create without force checks existence before locking, so two racing creators
 * could both pass and the second overwrite the first. */
int repo_cas(git_repository *git, const char *ref, const git_oid *expect, const git_oid *to,
	     const char *log, struct cf_err *err)
{
	git_reference *newref = NULL;
	git_oid zero;
	int rc;

	memset(&zero, 0, sizeof(zero));
	rc = git_reference_create_matching(&newref, git, ref, to, 1, expect ? expect : &zero, log);
	git_reference_free(newref);
	if (rc == GIT_EMODIFIED || rc == GIT_EEXISTS || rc == GIT_ELOCKED)
		return cf_error(err, CF_EMOVED, "'%s' moved meanwhile", ref);
	return rc < 0 ? repo_git_fail(err, CF_EIO, ref) : 0;
}

int repo_move_ref(struct cf_repo *r, const char *ref, const char *expect, const char *to,
		  const char *log, struct cf_err *err)
{
	git_oid from, dest;

	if ((expect && *expect && git_oid_fromstr(&from, expect) < 0) ||
	    git_oid_fromstr(&dest, to) < 0)
		return cf_error(err, CF_EINVAL, "'%s': not a commit id", to);
	return repo_cas(r->git, ref ? ref : CF_GIT_MAIN, expect && *expect ? &from : NULL, &dest,
			log, err);
}

int repo_set_ref(struct cf_repo *r, const char *ref, const char *to, const char *log,
		 struct cf_err *err)
{
	git_reference *made = NULL;
	git_oid dest;
	int rc;

	if (!to) {
		rc = git_reference_lookup(&made, r->git, ref);
		if (rc == 0)
			rc = git_reference_delete(made);
		git_reference_free(made);
		return rc < 0 && rc != GIT_ENOTFOUND ? repo_git_fail(err, CF_EIO, ref) : 0;
	}
	if (git_oid_fromstr(&dest, to) < 0)
		return cf_error(err, CF_EINVAL, "'%s': not a commit id", to);
	rc = git_reference_create(&made, r->git, ref, &dest, 1, log);
	git_reference_free(made);
	return rc < 0 ? repo_git_fail(err, CF_EIO, ref) : 0;
}

int repo_open_path(const char *path, struct cf_repo **out, struct cf_err *err)
{
	struct cf_repo *r = xcalloc(1, sizeof(*r));
	int rc;

	*out = NULL;
	r->lock_fd = -1;
	cf_strlcpy(r->path, path, sizeof(r->path));
	rc = git_repository_open_ext(&r->git, path, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL);
	if (rc < 0) {
		rc = repo_git_fail(err, rc == GIT_ENOTFOUND ? CF_ENOTFOUND : CF_EIO, path);
		free(r);
		return rc;
	}
	*out = r;
	return 0;
}
