/* repo_rewrite.c — a repository's main branch and tags copied into a new repository with
 * every file and message passed through the caller's filters (sealing a case that already
 * has history: casefile seal).  Only what is rewritten is written to the new repository, so
 * nothing of the old contents can be reached or found in it. */
#include "export/git/repo_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct blob_seen {
	git_oid old, made;
	char *path;
};

struct rewrite {
	struct cf_repo *from, *to;
	repo_blob_fn blob;
	repo_msg_fn msg;
	void *ctx;
	struct blob_seen *blobs;
	size_t nblobs;
	git_oid *old, *made; /* commits: old id -> rewritten id */
	size_t ncommits;
	struct cf_err *err;
};

/* Blob ID of PATH rewritten into the new repository (once per path and contents). */
static int rewrite_blob(struct rewrite *rw, const char *path, const git_oid *id, git_oid *out)
{
	git_blob *blob = NULL;
	char *data = NULL;
	size_t len = 0;
	int rc;

	for (size_t i = 0; i < rw->nblobs; i++)
		if (git_oid_equal(&rw->blobs[i].old, id) && strcmp(rw->blobs[i].path, path) == 0) {
			git_oid_cpy(out, &rw->blobs[i].made);
			return 0;
		}
	if (git_blob_lookup(&blob, rw->from->git, id) < 0)
		return repo_git_fail(rw->err, CF_EIO, path);
	rc = rw->blob(rw->ctx, path, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob),
		      &data, &len, rw->err);
	if (rc >= 0 &&
	    git_blob_create_from_buffer(out, rw->to->git, rc ? git_blob_rawcontent(blob) : data,
					rc ? (size_t)git_blob_rawsize(blob) : len) < 0)
		rc = repo_git_fail(rw->err, CF_EIO, path);
	free(data);
	git_blob_free(blob);
	if (rc < 0)
		return rc;
	rw->blobs = xrealloc(rw->blobs, (rw->nblobs + 1) * sizeof(*rw->blobs));
	git_oid_cpy(&rw->blobs[rw->nblobs].old, id);
	git_oid_cpy(&rw->blobs[rw->nblobs].made, out);
	rw->blobs[rw->nblobs++].path = xstrdup(path);
	return 0;
}

/* TREE (at PREFIX, "" for the root) rewritten into the new repository as OUT. */
static int rewrite_tree(struct rewrite *rw, git_tree *tree, const char *prefix, git_oid *out)
{
	git_treebuilder *bld = NULL;
	int rc = 0;

	if (git_treebuilder_new(&bld, rw->to->git, NULL) < 0)
		return repo_git_fail(rw->err, CF_EIO, "tree");
	for (size_t i = 0; rc == 0 && i < git_tree_entrycount(tree); i++) {
		const git_tree_entry *e = git_tree_entry_byindex(tree, i);
		char *path =
		    xasprintf("%s%s%s", prefix, *prefix ? "/" : "", git_tree_entry_name(e));
		git_tree *sub = NULL;
		git_oid id;

		if (git_tree_entry_type(e) == GIT_OBJECT_TREE) {
			if (git_tree_lookup(&sub, rw->from->git, git_tree_entry_id(e)) < 0)
				rc = repo_git_fail(rw->err, CF_EIO, path);
			else
				rc = rewrite_tree(rw, sub, path, &id);
			git_tree_free(sub);
		} else if (git_tree_entry_type(e) == GIT_OBJECT_BLOB) {
			rc = rewrite_blob(rw, path, git_tree_entry_id(e), &id);
		} else {
			rc = cf_error(rw->err, CF_EINVAL, "%s: neither a file nor a directory",
				      path);
		}
		if (rc == 0 && git_treebuilder_insert(NULL, bld, git_tree_entry_name(e), &id,
						      git_tree_entry_filemode(e)) < 0)
			rc = repo_git_fail(rw->err, CF_EIO, path);
		free(path);
	}
	if (rc == 0 && git_treebuilder_write(out, bld) < 0)
		rc = repo_git_fail(rw->err, CF_EIO, "tree");
	git_treebuilder_free(bld);
	return rc;
}

static const git_oid *made_of(const struct rewrite *rw, const git_oid *old)
{
	for (size_t i = 0; i < rw->ncommits; i++)
		if (git_oid_equal(&rw->old[i], old))
			return &rw->made[i];
	return NULL;
}

/* Commit C rewritten: its tree, EXTRA added, its message, its rewritten parents. */
static int rewrite_commit(struct rewrite *rw, git_commit *c, const struct repo_change *extra,
			  size_t nextra)
{
	git_commit *parents[2] = {NULL, NULL};
	git_tree *tree = NULL, *base = NULL, *made_tree = NULL;
	unsigned n = git_commit_parentcount(c);
	git_oid root, full, id;
	char *msg = NULL;
	int rc;

	if (n > 2)
		return cf_error(rw->err, CF_EINVAL, "a commit with %u parents", n);
	if (git_commit_tree(&tree, c) < 0)
		return repo_git_fail(rw->err, CF_EIO, "read tree");
	rc = rewrite_tree(rw, tree, "", &root);
	if (rc == 0 && git_tree_lookup(&base, rw->to->git, &root) < 0)
		rc = repo_git_fail(rw->err, CF_EIO, "read tree");
	if (rc == 0)
		rc = repo_build_tree(rw->to, base, extra, nextra, &full, rw->err);
	if (rc == 0 && git_tree_lookup(&made_tree, rw->to->git, &full) < 0)
		rc = repo_git_fail(rw->err, CF_EIO, "read tree");
	for (unsigned i = 0; rc == 0 && i < n; i++) {
		const git_oid *p = made_of(rw, git_commit_parent_id(c, i));
		if (!p || git_commit_lookup(&parents[i], rw->to->git, p) < 0)
			rc = cf_error(rw->err, CF_EIO, "a parent was not rewritten first");
	}
	if (rc == 0)
		msg = rw->msg(rw->ctx, git_commit_message(c));
	if (rc == 0 &&
	    git_commit_create(&id, rw->to->git, NULL, git_commit_author(c), git_commit_committer(c),
			      NULL, msg, made_tree, n, (const git_commit **)parents) < 0)
		rc = repo_git_fail(rw->err, CF_EIO, "write commit");
	if (rc == 0) {
		rw->old = xrealloc(rw->old, (rw->ncommits + 1) * sizeof(*rw->old));
		rw->made = xrealloc(rw->made, (rw->ncommits + 1) * sizeof(*rw->made));
		git_oid_cpy(&rw->old[rw->ncommits], git_commit_id(c));
		git_oid_cpy(&rw->made[rw->ncommits++], &id);
	}
	free(msg);
	git_commit_free(parents[0]);
	git_commit_free(parents[1]);
	git_tree_free(made_tree);
	git_tree_free(base);
	git_tree_free(tree);
	return rc;
}

/* Each tag of the old repository on a rewritten commit, made again on its rewritten one. */
static int rewrite_tag(const char *name, git_oid *oid, void *vrw)
{
	struct rewrite *rw = vrw;
	git_object *obj = NULL, *target = NULL;
	git_tag *tag = NULL;
	const git_oid *made;
	git_oid id;
	char *msg;
	int rc = 0;

	if (git_object_lookup(&obj, rw->from->git, oid, GIT_OBJECT_ANY) < 0)
		return repo_git_fail(rw->err, CF_EIO, name);
	if (git_object_type(obj) == GIT_OBJECT_TAG)
		tag = (git_tag *)obj;
	made = made_of(rw, tag ? git_tag_target_id(tag) : oid);
	if (!made) { /* not on main: not the case's, and not copied */
		git_object_free(obj);
		return 0;
	}
	if (git_object_lookup(&target, rw->to->git, made, GIT_OBJECT_COMMIT) < 0) {
		rc = repo_git_fail(rw->err, CF_EIO, name);
	} else if (tag) {
		msg = rw->msg(rw->ctx, git_tag_message(tag));
		if (git_tag_create(&id, rw->to->git, git_tag_name(tag), target, git_tag_tagger(tag),
				   msg, 0) < 0)
			rc = repo_git_fail(rw->err, CF_EIO, name);
		free(msg);
	} else if (git_tag_create_lightweight(&id, rw->to->git, name + strlen("refs/tags/"), target,
					      0) < 0) {
		rc = repo_git_fail(rw->err, CF_EIO, name);
	}
	git_object_free(target);
	git_object_free(obj);
	return rc;
}

int repo_rewrite(struct cf_repo *from, const char *path, const struct repo_change *extra,
		 size_t nextra, repo_blob_fn blob, repo_msg_fn msg, void *ctx, int *ncommits,
		 struct cf_err *err)
{
	struct rewrite rw = {.from = from, .blob = blob, .msg = msg, .ctx = ctx, .err = err};
	git_revwalk *walk = NULL;
	mode_t mask;
	git_oid id;
	int rc;

	if ((rc = repo_create_private(path, "main", &rw.to, err)) < 0)
		return rc;
	mask = umask(077); /* the objects as private as the repository (repo_create_private) */
	if (git_revwalk_new(&walk, from->git) < 0 ||
	    git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL | GIT_SORT_REVERSE) < 0 ||
	    git_revwalk_push_ref(walk, CF_GIT_MAIN) < 0)
		rc = repo_git_fail(err, CF_EIO, "main");
	while (rc == 0 && git_revwalk_next(&id, walk) == 0) {
		git_commit *c = NULL;
		if (git_commit_lookup(&c, from->git, &id) < 0)
			rc = repo_git_fail(err, CF_EIO, "read commit");
		else
			rc = rewrite_commit(&rw, c, extra, nextra);
		git_commit_free(c);
	}
	if (rc == 0 && rw.ncommits == 0)
		rc = cf_error(err, CF_ENOTFOUND, "main has no commits");
	if (rc == 0)
		rc = repo_cas(rw.to->git, CF_GIT_MAIN, NULL, &rw.made[rw.ncommits - 1],
			      "casefile: rewritten", err);
	if (rc == 0 && (rc = git_tag_foreach(from->git, rewrite_tag, &rw)) > 0)
		rc = 0;
	umask(mask);
	if (ncommits)
		*ncommits = (int)rw.ncommits;
	git_revwalk_free(walk);
	for (size_t i = 0; i < rw.nblobs; i++)
		free(rw.blobs[i].path);
	free(rw.blobs);
	free(rw.old);
	free(rw.made);
	repo_close(rw.to);
	return rc;
}
