/* repo_refs.c — every ref casefile moves, in the case's repository or in a remote that is a
 * directory: compare-and-swap for branches, a plain set for tracking refs; and opening or
 * making a repository other than the case's own (a remote that is a directory). */
#include "export/git/repo_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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

int repo_create_private(const char *path, const char *branch, struct cf_repo **out,
			struct cf_err *err)
{
	git_repository_init_options io;
	git_repository *made = NULL;
	mode_t mask = umask(077);
	int rc;

	git_repository_init_options_init(&io, GIT_REPOSITORY_INIT_OPTIONS_VERSION);
	io.flags = GIT_REPOSITORY_INIT_BARE | GIT_REPOSITORY_INIT_NO_REINIT |
		   GIT_REPOSITORY_INIT_MKPATH;
	io.mode = GIT_REPOSITORY_INIT_SHARED_UMASK;
	io.initial_head = branch;
	rc = git_repository_init_ext(&made, path, &io);
	umask(mask);
	if (rc < 0)
		return repo_git_fail(err, CF_EIO, path);
	git_repository_free(made);
	/* Made under umask 077, but the directory itself may have been made before. */
	if (chmod(path, 0700) != 0)
		return cf_error(err, CF_EIO, "'%s': %s", path, strerror(errno));
	return repo_open_path(path, out, err);
}
