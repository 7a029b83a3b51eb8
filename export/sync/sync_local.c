/* sync_local.c — fetch and push for a remote that is a directory (a path or file://): the
 * objects are copied between the two object databases as they are, without a pack.  Packing
 * (libgit2's and git's alike) spends seconds searching deltas in large ops/ files, for a copy
 * on the same disk; the ref then moves by compare-and-swap, so a push someone beat is refused
 * exactly as a server would refuse it. */
#include "export/sync/sync_internal.h"

#include <stdio.h>
#include <string.h>

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
		rc = cf_error(err, CF_ENET, "%s (%s): copy object: %s", k->c->remote, k->c->url,
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
		rc = cf_error(err, CF_ENET, "%s (%s): %s", c->remote, c->url,
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

static int open_remote(struct sync_ctx *c, struct cf_repo **out, struct cf_err *err)
{
	if (repo_open_path(local_path(c->url), out, err) == 0)
		return 0;
	return cf_error_prefix(err, CF_ENET, "fetch from %s (%s)", c->remote, c->url);
}

int local_fetch(struct sync_ctx *c, struct cf_err *err)
{
	struct cf_repo *remote = NULL;
	char branch[600], hex[CF_OID_HEX];
	git_oid tip, main;
	int have_main = git_reference_name_to_id(&main, c->git, CF_GIT_MAIN) == 0, rc;

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
		rc = cf_error(err, CF_ENET, "fetch from %s (%s): %s", c->remote, c->url,
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

/* Copies main's history into the remote and moves its branch from the tip fetched (the
 * tracking ref; none: the branch must not exist) to main, or refuses like a server. */
int local_push(struct sync_ctx *c, struct cf_err *err)
{
	struct cf_repo *remote = NULL;
	git_oid tip, seen;
	char branch[600], to[CF_OID_HEX], from[CF_OID_HEX] = "";
	int have_seen = git_reference_name_to_id(&seen, c->git, c->tracking) == 0, rc;

	if (git_reference_name_to_id(&tip, c->git, CF_GIT_MAIN) < 0)
		return 0; /* nothing to push */
	if ((rc = open_remote(c, &remote, err)) < 0)
		return rc;
	snprintf(branch, sizeof(branch), "refs/heads/%s", c->branch);
	rc = copy_history(c, c->git, repo_git(remote), &tip, have_seen ? &seen : NULL,
			  SYNC_STAGE_PUSH, err);
	sync_crash_point("copied");
	git_oid_tostr(to, sizeof(to), &tip);
	if (have_seen)
		git_oid_tostr(from, sizeof(from), &seen);
	if (rc == 0 && (rc = repo_move_ref(remote, branch, from, to, "casefile: push", err)) < 0) {
		if (rc == CF_EMOVED)
			rc = cf_error(err, CF_EREJECTED, "push to %s (%s) refused: %s moved since"
				      " the fetch (someone pushed first)", c->remote, c->url,
				      c->branch);
		else
			rc = cf_error_prefix(err, CF_ENET, "push to %s (%s)", c->remote, c->url);
	}
	repo_close(remote);
	return rc;
}
