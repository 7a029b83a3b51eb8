/* sync_merge.c — joining main with the remote's tip.  ops/ is the union of both sides, file by
 * file.  A name holding other contents on each side is a file rewritten after it was read (a
 * line changed, a file truncated or replaced, history rewritten): the version with more
 * operations in place stays at its name (the smaller object id on a tie), the other is kept
 * beside it as NAME.set-aside-OID, where every replica's receive records it (sync_ops.c).  The
 * choice depends on the two contents alone, so every replica makes the same one and their
 * trees converge.  The rest of the tree (reports/, keys/) is merged by libgit2, this side
 * winning a clash (in keys/, the smaller object id). */
#include "export/sync/sync_internal.h"
#include "export/sync/ops_file.h"

#include <stdio.h>
#include <string.h>

static int count_op(void *ctx, int64_t line, int64_t rseq, const char *text, size_t len,
		    const struct cf_op *op, const char *why)
{
	(void)line;
	(void)rseq;
	(void)text;
	(void)len;
	(void)why;
	*(int64_t *)ctx += op != NULL;
	return 0;
}

/* Lines of entry E (file NAME of REPLICA) that are operations in their place; -1 when E is
 * not a blob. */
static int64_t ops_in_place(struct sync_ctx *c, const char *replica, const git_tree_entry *e)
{
	git_blob *blob = NULL;
	int64_t first, last, n = 0;
	char path[PATH_MAX], *text;
	struct cf_err err;
	size_t len;

	if (git_tree_entry_type(e) != GIT_OBJECT_BLOB ||
	    git_blob_lookup(&blob, c->git, git_tree_entry_id(e)) < 0)
		return -1;
	snprintf(path, sizeof(path), "ops/%s/%s", replica, git_tree_entry_name(e));
	/* A sealed file that does not open (or not here) holds none in place. */
	if (ops_file_name(git_tree_entry_name(e), &first, &last) == 0 &&
	    ops_file_open(c, path, blob, &text, &len, &err) == 0) {
		ops_file_each(replica, first, last, text, len, count_op, &n);
		free(text);
	}
	git_blob_free(blob);
	return n;
}

/* Whether B's version of a name both sides hold with other contents is the one kept: in ops/
 * (REPLICA NULL) a directory beats a file; in a replica's directory, the file with more
 * operations in place; then the smaller object id. */
static int keep_theirs(struct sync_ctx *c, const char *replica, const git_tree_entry *a,
		       const git_tree_entry *b)
{
	int ta = git_tree_entry_type(a) == GIT_OBJECT_TREE;
	int tb = git_tree_entry_type(b) == GIT_OBJECT_TREE;

	if (!replica && ta != tb)
		return tb;
	if (replica) {
		int64_t na = ops_in_place(c, replica, a), nb = ops_in_place(c, replica, b);
		if (na != nb)
			return nb > na;
	}
	return git_oid_cmp(git_tree_entry_id(b), git_tree_entry_id(a)) < 0;
}

/* A name both sides hold with other contents (A's entry HAD, B's entry E), into BLD: the kept
 * one at its name, the other beside it (ops_set_aside_name).  REPLICA as for keep_theirs. */
static int set_aside(struct sync_ctx *c, git_treebuilder *bld, const char *replica,
		     const git_tree_entry *had, const git_tree_entry *e)
{
	int theirs = keep_theirs(c, replica, had, e);
	const git_tree_entry *lose = theirs ? had : e;
	char hex[GIT_OID_HEXSZ + 1], aside[CF_PHRASE_LEN];

	git_oid_tostr(hex, sizeof(hex), git_tree_entry_id(lose));
	ops_set_aside_name(git_tree_entry_name(e), hex, aside, sizeof(aside));
	if (theirs && git_treebuilder_insert(NULL, bld, git_tree_entry_name(e),
					     git_tree_entry_id(e), git_tree_entry_filemode(e)) < 0)
		return -1;
	return git_treebuilder_insert(NULL, bld, aside, git_tree_entry_id(lose),
				      git_tree_entry_filemode(lose)) < 0 ? -1 : 0;
}

/* The union of replica directory NAME on both sides into OUT; an entry of both with other
 * contents is set aside (set_aside).  *GREW when B had something A lacks. */
static int union_replica(struct sync_ctx *c, const char *name, git_tree *a, git_tree *b,
			 git_oid *out, int *grew, struct cf_err *err)
{
	git_repository *git = c->git;
	git_treebuilder *bld = NULL;
	int rc = 0;

	if (git_treebuilder_new(&bld, git, a) < 0)
		return cf_error(err, CF_EIO, "ops/%s: cannot build the tree", name);
	for (size_t i = 0; rc == 0 && i < git_tree_entrycount(b); i++) {
		const git_tree_entry *e = git_tree_entry_byindex(b, i);
		const git_tree_entry *had = git_tree_entry_byname(a, git_tree_entry_name(e));
		if (had && git_oid_cmp(git_tree_entry_id(had), git_tree_entry_id(e)) != 0) {
			*grew = 1;
			if (set_aside(c, bld, name, had, e) < 0)
				rc = cf_error(err, CF_EIO, "ops/%s: cannot build the tree", name);
		} else if (!had) {
			*grew = 1;
			if (git_treebuilder_insert(NULL, bld, git_tree_entry_name(e),
						   git_tree_entry_id(e),
						   git_tree_entry_filemode(e)) < 0)
				rc = cf_error(err, CF_EIO, "ops/%s: cannot build the tree", name);
		}
	}
	if (rc == 0 && git_treebuilder_write(out, bld) < 0)
		rc = cf_error(err, CF_EIO, "ops/%s: cannot write the tree", name);
	git_treebuilder_free(bld);
	return rc;
}

/* The union of two ops/ trees into OUT; *A_GREW when B added to A. */
static int union_ops(struct sync_ctx *c, git_tree *a, git_tree *b, git_oid *out, int *a_grew,
		     struct cf_err *err)
{
	git_repository *git = c->git;
	git_treebuilder *bld = NULL;
	int rc = 0;

	if (git_treebuilder_new(&bld, git, a) < 0)
		return cf_error(err, CF_EIO, "ops: cannot build the tree");
	for (size_t i = 0; b && rc == 0 && i < git_tree_entrycount(b); i++) {
		const git_tree_entry *e = git_tree_entry_byindex(b, i);
		const char *name = git_tree_entry_name(e);
		const git_tree_entry *had = a ? git_tree_entry_byname(a, name) : NULL;
		git_tree *ta = NULL, *tb = NULL;
		git_oid joined;

		if (had && git_oid_cmp(git_tree_entry_id(had), git_tree_entry_id(e)) == 0)
			continue;
		if (!had) {
			*a_grew = 1;
			if (git_treebuilder_insert(NULL, bld, name, git_tree_entry_id(e),
						   git_tree_entry_filemode(e)) < 0)
				rc = cf_error(err, CF_EIO, "ops: cannot build the tree");
			continue;
		}
		if (git_tree_entry_type(had) != GIT_OBJECT_TREE ||
		    git_tree_entry_type(e) != GIT_OBJECT_TREE) {
			*a_grew = 1; /* a file against a directory: never stops the sync */
			if (set_aside(c, bld, NULL, had, e) < 0)
				rc = cf_error(err, CF_EIO, "ops: cannot build the tree");
			continue;
		}
		if (git_tree_lookup(&ta, git, git_tree_entry_id(had)) < 0 ||
		    git_tree_lookup(&tb, git, git_tree_entry_id(e)) < 0)
			rc = cf_error(err, CF_EIO, "ops/%s: cannot read the tree", name);
		if (rc == 0)
			rc = union_replica(c, name, ta, tb, &joined, a_grew, err);
		if (rc == 0 && git_treebuilder_insert(NULL, bld, name, &joined,
						      GIT_FILEMODE_TREE) < 0)
			rc = cf_error(err, CF_EIO, "ops: cannot build the tree");
		git_tree_free(ta);
		git_tree_free(tb);
	}
	if (rc == 0 && git_treebuilder_write(out, bld) < 0)
		rc = cf_error(err, CF_EIO, "ops: cannot write the tree");
	git_treebuilder_free(bld);
	return rc;
}

/* Whether B's ops/ lacks an entry A has, or holds one with other contents (directories
 * compared by id, then by entry): then a fast-forward would lose what A holds. */
static int lacks(git_repository *git, git_tree *a, git_tree *b)
{
	for (size_t i = 0; a && i < git_tree_entrycount(a); i++) {
		const git_tree_entry *e = git_tree_entry_byindex(a, i);
		const git_tree_entry *has = b ? git_tree_entry_byname(b, git_tree_entry_name(e))
					      : NULL;
		git_tree *ta = NULL, *tb = NULL;
		int missing = 0;
		if (!has)
			return 1;
		if (git_oid_cmp(git_tree_entry_id(e), git_tree_entry_id(has)) == 0)
			continue;
		if (git_tree_lookup(&ta, git, git_tree_entry_id(e)) < 0 ||
		    git_tree_lookup(&tb, git, git_tree_entry_id(has)) < 0)
			missing = 1;
		for (size_t k = 0; !missing && k < git_tree_entrycount(ta); k++) {
			const git_tree_entry *mine = git_tree_entry_byindex(ta, k);
			const git_tree_entry *theirs = git_tree_entry_byname(tb,
				git_tree_entry_name(mine));
			missing = !theirs || git_oid_cmp(git_tree_entry_id(mine),
							  git_tree_entry_id(theirs)) != 0;
		}
		git_tree_free(ta);
		git_tree_free(tb);
		if (missing)
			return 1;
	}
	return 0;
}

/* libgit2's merge of everything, each remaining clash settled for this side (or the other
 * when this side has no entry), then ops/ replaced by the union.  The tree into OUT. */
static int merge_trees(struct sync_ctx *c, git_commit *local, git_commit *remote,
		       const git_oid *ops, git_oid *out, struct cf_err *err)
{
	git_merge_options mo;
	git_index *index = NULL;
	git_index_conflict_iterator *it = NULL;
	const git_index_entry *anc, *ours, *theirs;
	git_treebuilder *bld = NULL;
	git_tree *root = NULL;
	git_oid root_id;
	int rc = 0;

	git_merge_options_init(&mo, GIT_MERGE_OPTIONS_VERSION);
	mo.file_favor = GIT_MERGE_FILE_FAVOR_OURS;
	if (git_merge_commits(&index, c->git, local, remote, &mo) < 0)
		return cf_error(err, CF_EIO, "merge: %s", git_error_last()->message);
	if (git_index_has_conflicts(index) && git_index_conflict_iterator_new(&it, index) == 0) {
		while (rc == 0 && git_index_conflict_next(&anc, &ours, &theirs, it) == 0) {
			/* Two wrappings of one key for one reader (two members added them at
			 * once): the smaller object id, as every replica chooses. */
			int take_theirs = !ours ||
					  (theirs && !strncmp(theirs->path, SEAL_KEYS "/", 5) &&
					   git_oid_cmp(&theirs->id, &ours->id) < 0);
			git_index_entry keep = take_theirs ? *theirs : *ours;
			char path[PATH_MAX];
			cf_strlcpy(path, keep.path, sizeof(path));
			keep.path = path;
			keep.flags &= (uint16_t)~GIT_INDEX_ENTRY_STAGEMASK;
			git_index_conflict_iterator_free(it);
			it = NULL;
			if (git_index_conflict_remove(index, path) < 0 ||
			    git_index_add(index, &keep) < 0 ||
			    git_index_conflict_iterator_new(&it, index) < 0)
				rc = cf_error(err, CF_EIO, "merge: %s", git_error_last()->message);
		}
	}
	git_index_conflict_iterator_free(it);
	if (rc == 0 && git_index_write_tree_to(&root_id, index, c->git) < 0)
		rc = cf_error(err, CF_EIO, "merge: %s", git_error_last()->message);
	if (rc == 0 && (git_tree_lookup(&root, c->git, &root_id) < 0 ||
			git_treebuilder_new(&bld, c->git, root) < 0 ||
			git_treebuilder_insert(NULL, bld, "ops", ops, GIT_FILEMODE_TREE) < 0 ||
			git_treebuilder_write(out, bld) < 0))
		rc = cf_error(err, CF_EIO, "merge: cannot write the tree");
	git_treebuilder_free(bld);
	git_tree_free(root);
	git_index_free(index);
	return rc;
}

int sync_join(struct sync_ctx *c, git_commit *local, git_commit *remote, git_oid *out,
	      int *how, struct cf_err *err)
{
	git_tree *lops = NULL, *rops = NULL;
	git_oid ops;
	int grew = 0, rc;

	*how = JOIN_LOCAL;
	if (!remote)
		return 0;
	if (!local) {
		*how = JOIN_REMOTE;
		return 0;
	}
	if (git_oid_equal(git_commit_id(local), git_commit_id(remote)) ||
	    git_graph_descendant_of(c->git, git_commit_id(local), git_commit_id(remote)) == 1)
		return 0;
	lops = ops_tree_of(c->git, local);
	rops = ops_tree_of(c->git, remote);
	rc = union_ops(c, lops, rops, &ops, &grew, err);
	if (rc == 0 && !lacks(c->git, lops, rops) &&
	    git_graph_descendant_of(c->git, git_commit_id(remote), git_commit_id(local)) == 1)
		*how = JOIN_REMOTE; /* a fast-forward keeps every file of ours */
	else if (rc == 0) {
		*how = JOIN_MERGE;
		rc = merge_trees(c, local, remote, &ops, out, err);
	}
	git_tree_free(lops);
	git_tree_free(rops);
	return rc;
}
