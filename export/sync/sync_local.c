/* sync_local.c — fetch and push for a remote that is a directory (a path or file://): the
 * objects are copied between the two object databases as they are, without a pack.  Packing
 * (libgit2's and git's alike) spends seconds searching deltas in large ops/ files, for a copy
 * on the same disk; the ref then moves by compare-and-swap, so a push someone beat is refused
 * exactly as a server would refuse it. */
#include "export/sync/sync_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct copy {
	struct sync_ctx *c;
	git_odb *from, *to;
	int64_t objects;
	enum sync_stage stage;
};

static int copy_object(struct copy *k, const git_oid *id, struct cf_err *err)
{
	git_odb_object *obj = NULL;
	git_oid out;
	int rc = 0;

	if (git_odb_read(&obj, k->from, id) < 0 ||
	    git_odb_write(&out, k->to, git_odb_object_data(obj), git_odb_object_size(obj),
			  git_odb_object_type(obj)) < 0)
		rc = cf_error(err, CF_ENET, "%s (%s): copy object: %s", k->c->remote, k->c->shown,
			      git_error_last() ? git_error_last()->message : "failed");
	git_odb_object_free(obj);
	if (rc == 0 && ++k->objects % 64 == 0 && sync_stage(k->c, k->stage, k->objects, 0))
		rc = cf_error(err, CF_ERR, "cancelled");
	return rc;
}

/* A tree, its subtrees and blobs first: the target never holds a tree missing a child. */
static int copy_tree(struct copy *k, git_repository *src, const git_oid *id, struct cf_err *err)
{
	git_tree *t = NULL;
	int rc = 0;

	if (git_odb_exists(k->to, id))
		return 0;
	if (git_tree_lookup(&t, src, id) < 0)
		return cf_error(err, CF_ENET, "%s: read tree: %s", k->c->remote,
				git_error_last()->message);
	for (size_t i = 0; rc == 0 && i < git_tree_entrycount(t); i++) {
		const git_tree_entry *e = git_tree_entry_byindex(t, i);
		if (git_tree_entry_type(e) == GIT_OBJECT_TREE)
			rc = copy_tree(k, src, git_tree_entry_id(e), err);
		else if (git_tree_entry_type(e) == GIT_OBJECT_BLOB &&
			 !git_odb_exists(k->to, git_tree_entry_id(e)))
			rc = copy_object(k, git_tree_entry_id(e), err);
	}
	git_tree_free(t);
	return rc == 0 ? copy_object(k, id, err) : rc;
}

/* Every commit reachable from TIP in SRC that DST lacks, parents before children. */
static int copy_history(struct sync_ctx *c, git_repository *src, git_repository *dst,
			const git_oid *tip, const git_oid *known, enum sync_stage stage,
			struct cf_err *err)
{
	struct copy k = { c, NULL, NULL, 0, stage };
	git_revwalk *walk = NULL;
	git_oid id;
	int rc = 0, step;

	if (git_repository_odb(&k.from, src) < 0 || git_repository_odb(&k.to, dst) < 0 ||
	    git_revwalk_new(&walk, src) < 0 ||
	    git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL | GIT_SORT_REVERSE) < 0 ||
	    git_revwalk_push(walk, tip) < 0 ||
	    /* What the other side is known to hold, and so all before it: not walked. */
	    (known && git_odb_exists(k.from, known) && git_odb_exists(k.to, known) &&
	     git_revwalk_hide(walk, known) < 0)) {
		rc = cf_error(err, CF_ENET, "%s (%s): %s", c->remote, c->shown,
			      git_error_last()->message);
		goto out;
	}
	while (rc == 0 && (step = git_revwalk_next(&id, walk)) == 0) {
		git_commit *commit = NULL;
		if (git_odb_exists(k.to, &id))
			continue;
		if (git_commit_lookup(&commit, src, &id) < 0) {
			rc = cf_error(err, CF_ENET, "%s: read commit: %s", c->remote,
				      git_error_last()->message);
			break;
		}
		rc = copy_tree(&k, src, git_commit_tree_id(commit), err);
		git_commit_free(commit);
		if (rc == 0)
			rc = copy_object(&k, &id, err);
	}
out:
	git_revwalk_free(walk);
	git_odb_free(k.from);
	git_odb_free(k.to);
	return rc;
}

static const char *local_path(const char *url)
{
	return strncmp(url, "file://", 7) ? url : url + 7;
}

/* 1 when the remote's path does not exist but its parent directory does: the first push
 * makes it (c->remote_new); CF_ENET when the parent is missing too; 0 when it exists. */
static int missing(struct sync_ctx *c, struct cf_err *err)
{
	const char *path = local_path(c->url), *slash = strrchr(path, '/');
	char parent[PATH_MAX + CF_PATH_EXTRA];
	struct stat st;

	c->remote_new = 0;
	if (stat(path, &st) == 0)
		return 0;
	snprintf(parent, sizeof(parent), "%.*s", slash ? (int)(slash - path) + (slash == path) : 1,
		 slash ? path : ".");
	if (errno != ENOENT || stat(parent, &st) != 0 || !S_ISDIR(st.st_mode))
		return cf_error(err, CF_ENET, "remote %s: '%s' does not exist", c->remote, path);
	c->remote_new = 1;
	return 1;
}

static int open_remote(struct sync_ctx *c, struct cf_repo **out, struct cf_err *err)
{
	char why[sizeof(err->msg)];

	if (repo_open_path(local_path(c->url), out, err) == 0)
		return 0;
	cf_strlcpy(why, err->msg, sizeof(why));
	return cf_error(err, CF_ENET, "fetch from %s (%s): %s", c->remote, c->shown, why);
}

int local_fetch(struct sync_ctx *c, struct cf_err *err)
{
	struct cf_repo *remote = NULL;
	char branch[CF_GIT_REF_LEN], hex[CF_OID_HEX];
	git_oid tip, main;
	int have_main = git_reference_name_to_id(&main, c->git, CF_GIT_MAIN) == 0, rc;

	if ((rc = missing(c, err)) != 0)
		return rc < 0 ? rc : repo_set_ref(c->repo, c->tracking, NULL, NULL, err);
	if ((rc = open_remote(c, &remote, err)) < 0)
		return rc;
	snprintf(branch, sizeof(branch), "refs/heads/%s", c->branch);
	rc = git_reference_name_to_id(&tip, repo_git(remote), branch);
	if (rc == GIT_ENOTFOUND) {
		/* Nothing there yet: no tracking ref either. */
		repo_close(remote);
		return repo_set_ref(c->repo, c->tracking, NULL, NULL, err);
	}
	if (rc < 0)
		rc = cf_error(err, CF_ENET, "fetch from %s (%s): %s", c->remote, c->shown,
			      git_error_last()->message);
	if (rc == 0)
		rc = copy_history(c, repo_git(remote), c->git, &tip,
				  have_main ? &main : NULL, SYNC_STAGE_FETCH, err);
	git_oid_tostr(hex, sizeof(hex), &tip);
	if (rc == 0)
		rc = repo_set_ref(c->repo, c->tracking, hex, "casefile: fetch", err);
	repo_close(remote);
	return rc;
}

/* Copies main's history into REMOTE and moves its branch from the tip fetched (the tracking
 * ref; none: the branch must not exist) to main, or refuses like a server. */
static int push_into(struct sync_ctx *c, struct cf_repo *remote, const git_oid *tip,
		     struct cf_err *err)
{
	git_oid seen;
	char branch[CF_GIT_REF_LEN], to[CF_OID_HEX], from[CF_OID_HEX] = "", why[sizeof(err->msg)];
	int have_seen = git_reference_name_to_id(&seen, c->git, c->tracking) == 0, rc;

	snprintf(branch, sizeof(branch), "refs/heads/%s", c->branch);
	rc = copy_history(c, c->git, repo_git(remote), tip, have_seen ? &seen : NULL,
			  SYNC_STAGE_PUSH, err);
	sync_crash_point("copied");
	git_oid_tostr(to, sizeof(to), tip);
	if (have_seen)
		git_oid_tostr(from, sizeof(from), &seen);
	if (rc < 0 || (rc = repo_move_ref(remote, branch, from, to, "casefile: push", err)) == 0)
		return rc;
	cf_strlcpy(why, err->msg, sizeof(why));
	if (rc == CF_EMOVED)
		return cf_error(err, CF_EREJECTED, "push to %s (%s) refused: %s moved since the"
				" fetch (someone pushed first)", c->remote, c->shown, c->branch);
	return cf_error(err, CF_ENET, "push to %s (%s): %s", c->remote, c->shown, why);
}

/* The first push to a remote path that does not exist: made whole beside it (PATH.new-XXXXXX),
 * renamed into place once its branch is set, removed if anything fails; someone else making
 * PATH meanwhile is a refused push (the sync fetches again). */
static int push_new(struct sync_ctx *c, const git_oid *tip, struct cf_err *err)
{
	const char *path = local_path(c->url);
	struct cf_repo *remote = NULL;
	char tmp[PATH_MAX + CF_PATH_EXTRA];
	int rc;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.new-XXXXXX", path) >= sizeof(tmp) ||
	    !mkdtemp(tmp))
		return cf_error(err, CF_ENET, "remote %s: cannot create '%s': %s", c->remote, path,
				strerror(errno));
	rc = repo_create_private(tmp, c->branch, &remote, err);
	if (rc < 0) {
		char why[sizeof(err->msg)];
		cf_strlcpy(why, err->msg, sizeof(why));
		rc = cf_error(err, CF_ENET, "remote %s: cannot create '%s': %s", c->remote, path,
			      why);
	}
	if (rc == 0)
		rc = push_into(c, remote, tip, err);
	repo_close(remote);
	if (rc == 0 && rename(tmp, path) != 0)
		rc = errno == EEXIST || errno == ENOTEMPTY
			     ? cf_error(err, CF_EREJECTED, "push to %s refused: '%s' was made"
					" meanwhile", c->remote, path)
			     : cf_error(err, CF_ENET, "remote %s: cannot create '%s': %s", c->remote,
					path, strerror(errno));
	if (rc < 0)
		sync_rmtree(tmp);
	else
		c->remote_new = 0;
	return rc;
}

int local_push(struct sync_ctx *c, struct cf_err *err)
{
	struct cf_repo *remote = NULL;
	struct stat st;
	mode_t mask;
	git_oid tip;
	int rc;

	if (git_reference_name_to_id(&tip, c->git, CF_GIT_MAIN) < 0)
		return 0; /* nothing to push */
	/* What is written into a private remote (one casefile made) stays private. */
	mask = umask(077);
	if (!c->remote_new && stat(local_path(c->url), &st) == 0 && (st.st_mode & 077))
		umask(mask);
	if (c->remote_new)
		rc = push_new(c, &tip, err);
	else if ((rc = open_remote(c, &remote, err)) == 0)
		rc = push_into(c, remote, &tip, err);
	repo_close(remote);
	umask(mask);
	return rc;
}
