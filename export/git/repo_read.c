/* repo_read.c — reading DIR/casefile.git back: a revision resolved to a commit, a file at a
 * revision, the files under a directory, and the history that touches a path.  Writes nothing
 * (commits and refs are repo.c's and repo_refs.c's). */
#include "export/git/repo_internal.h"

#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int resolve_commit(struct cf_repo *r, const char *rev, git_commit **out,
			  struct cf_err *err)
{
	git_object *obj = NULL, *peeled = NULL;
	int rc;

	*out = NULL;
	rc = git_revparse_single(&obj, r->git, rev ? rev : CF_GIT_MAIN);
	if (rc == GIT_ENOTFOUND || rc == GIT_EINVALIDSPEC || rc == GIT_EAMBIGUOUS)
		return cf_error(err, CF_ENOTFOUND, "'%s': no such revision",
				rev ? rev : "main");
	if (rc < 0)
		return repo_git_fail(err, CF_EIO, rev ? rev : "main");
	rc = git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT);
	git_object_free(obj);
	if (rc < 0)
		return cf_error(err, CF_ENOTFOUND, "'%s': not a commit", rev ? rev : "main");
	*out = (git_commit *)peeled;
	return 0;
}

int repo_resolve(struct cf_repo *r, const char *rev, char oid_out[CF_OID_HEX],
		 struct cf_err *err)
{
	git_commit *c;
	int rc = resolve_commit(r, rev, &c, err);
	if (rc < 0)
		return rc;
	git_oid_tostr(oid_out, CF_OID_HEX, git_commit_id(c));
	git_commit_free(c);
	return 0;
}

int repo_read(struct cf_repo *r, const char *rev, const char *path, char **data, size_t *len,
	      struct cf_err *err)
{
	git_commit *c = NULL;
	git_tree *tree = NULL;
	git_tree_entry *e = NULL;
	git_blob *blob = NULL;
	int rc;

	*data = NULL;
	*len = 0;
	if ((rc = resolve_commit(r, rev, &c, err)) < 0)
		return rc;
	if (git_commit_tree(&tree, c) < 0) {
		rc = repo_git_fail(err, CF_EIO, "read tree");
		goto out;
	}
	if (git_tree_entry_bypath(&e, tree, path) < 0 ||
	    git_tree_entry_type(e) != GIT_OBJECT_BLOB) {
		rc = cf_error(err, CF_ENOTFOUND, "'%s': no such file at %s", path,
			      rev ? rev : "main");
		goto out;
	}
	if (git_blob_lookup(&blob, r->git, git_tree_entry_id(e)) < 0) {
		rc = repo_git_fail(err, CF_EIO, path);
		goto out;
	}
	*len = (size_t)git_blob_rawsize(blob);
	*data = xmalloc(*len + 1);
	if (!*data) {
		rc = cf_error(err, CF_ERR, "out of memory");
		goto out;
	}
	memcpy(*data, git_blob_rawcontent(blob), *len);
	(*data)[*len] = '\0';
out:
	git_blob_free(blob);
	git_tree_entry_free(e);
	git_tree_free(tree);
	git_commit_free(c);
	return rc;
}

struct walk_ctx {
	const char *prefix;
	repo_file_cb cb;
	void *ctx;
	int stopped;
};

static int walk_entry(const char *root, const git_tree_entry *e, void *vctx)
{
	struct walk_ctx *w = vctx;
	char path[PATH_MAX], hex[CF_OID_HEX];

	if (git_tree_entry_type(e) != GIT_OBJECT_BLOB)
		return 0;
	snprintf(path, sizeof(path), "%s%s%s%s", w->prefix, w->prefix[0] ? "/" : "", root,
		 git_tree_entry_name(e));
	git_oid_tostr(hex, sizeof(hex), git_tree_entry_id(e));
	w->stopped = w->cb(path, hex, w->ctx);
	return w->stopped ? -1 : 0;
}

/* PREFIX without trailing slashes, into BUF. */
static const char *trim_prefix(const char *prefix, char *buf, size_t len)
{
	size_t n;
	cf_strlcpy(buf, prefix ? prefix : "", len);
	n = strlen(buf);
	while (n > 0 && buf[n - 1] == '/')
		buf[--n] = '\0';
	return buf;
}

int repo_files(struct cf_repo *r, const char *rev, const char *prefix, repo_file_cb cb,
	       void *ctx, struct cf_err *err)
{
	git_commit *c = NULL;
	git_tree *tree = NULL, *sub = NULL;
	git_tree_entry *e = NULL;
	char pre[PATH_MAX];
	struct walk_ctx w = { trim_prefix(prefix, pre, sizeof(pre)), cb, ctx, 0 };
	int rc = resolve_commit(r, rev, &c, err);

	if (rc == CF_ENOTFOUND && !rev)
		return 0; /* no branch yet: nothing to walk */
	if (rc < 0)
		return rc;
	if (git_commit_tree(&tree, c) < 0) {
		rc = repo_git_fail(err, CF_EIO, "read tree");
		goto out;
	}
	if (pre[0]) {
		if (git_tree_entry_bypath(&e, tree, pre) < 0 ||
		    git_tree_entry_type(e) != GIT_OBJECT_TREE)
			goto out;
		if (git_tree_lookup(&sub, r->git, git_tree_entry_id(e)) < 0) {
			rc = repo_git_fail(err, CF_EIO, pre);
			goto out;
		}
	}
	rc = git_tree_walk(sub ? sub : tree, GIT_TREEWALK_PRE, walk_entry, &w);
	if (w.stopped)
		rc = w.stopped;
	else if (rc < 0)
		rc = repo_git_fail(err, CF_EIO, "walk tree");
out:
	git_tree_entry_free(e);
	git_tree_free(sub);
	git_tree_free(tree);
	git_commit_free(c);
	return rc;
}

/* The id of PREFIX's entry in C's tree, zero when absent; the root tree when PREFIX is "". */
static void prefix_id(git_commit *c, const char *prefix, git_oid *out)
{
	git_tree *tree = NULL;
	git_tree_entry *e = NULL;

	memset(out, 0, sizeof(*out));
	if (!c || git_commit_tree(&tree, c) < 0)
		return;
	if (!prefix[0])
		git_oid_cpy(out, git_tree_id(tree));
	else if (git_tree_entry_bypath(&e, tree, prefix) == 0)
		git_oid_cpy(out, git_tree_entry_id(e));
	git_tree_entry_free(e);
	git_tree_free(tree);
}

static int touches(git_commit *c, const char *prefix)
{
	git_commit *parent = NULL;
	git_oid mine, theirs;
	int changed;

	prefix_id(c, prefix, &mine);
	if (git_commit_parentcount(c) > 0 && git_commit_parent(&parent, c, 0) < 0)
		return 1;
	prefix_id(parent, prefix, &theirs);
	git_commit_free(parent);
	/* A root commit touches the prefix when it holds it at all (theirs is zero). */
	changed = !git_oid_equal(&mine, &theirs);
	return changed;
}

static int report_commit(git_commit *c, repo_log_cb cb, void *ctx)
{
	const git_signature *a = git_commit_author(c);
	struct repo_commit_info info = { 0 };
	char who[CF_LINE_LEN];
	const char *msg = git_commit_message(c), *nl;
	char summary[CF_LINE_LEN];

	git_oid_tostr(info.oid, sizeof(info.oid), git_commit_id(c));
	if (git_commit_parentcount(c) > 0)
		git_oid_tostr(info.parent, sizeof(info.parent), git_commit_parent_id(c, 0));
	info.time = (int64_t)git_commit_time(c);
	snprintf(who, sizeof(who), "%s <%s>", a->name, a->email);
	nl = strchr(msg, '\n');
	snprintf(summary, sizeof(summary), "%.*s", (int)(nl ? nl - msg : (long)strlen(msg)), msg);
	info.author = who;
	info.summary = summary;
	info.message = msg;
	return cb(&info, ctx);
}

int repo_log(struct cf_repo *r, const char *rev, const char *prefix, repo_log_cb cb, void *ctx,
	     struct cf_err *err)
{
	git_revwalk *walk = NULL;
	git_commit *start = NULL;
	char pre[PATH_MAX];
	git_oid oid;
	int rc = resolve_commit(r, rev, &start, err), step;

	trim_prefix(prefix, pre, sizeof(pre));
	if (rc == CF_ENOTFOUND && !rev)
		return 0;
	if (rc < 0)
		return rc;
	if (git_revwalk_new(&walk, r->git) < 0 ||
	    git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME) < 0 ||
	    git_revwalk_push(walk, git_commit_id(start)) < 0) {
		rc = repo_git_fail(err, CF_EIO, "walk history");
		goto out;
	}
	while (rc == 0 && (step = git_revwalk_next(&oid, walk)) == 0) {
		git_commit *c;
		if (git_commit_lookup(&c, r->git, &oid) < 0) {
			rc = repo_git_fail(err, CF_EIO, "read commit");
			break;
		}
		if (touches(c, pre))
			rc = report_commit(c, cb, ctx);
		git_commit_free(c);
	}
	if (rc == 0 && step != GIT_ITEROVER)
		rc = repo_git_fail(err, CF_EIO, "walk history");
out:
	git_revwalk_free(walk);
	git_commit_free(start);
	return rc;
}

int repo_blob_size(struct cf_repo *r, const char *blob_oid, size_t *size, struct cf_err *err)
{
	git_odb *odb = NULL;
	git_object_t type;
	git_oid oid;
	size_t n = 0;
	int rc = 0;

	if (git_oid_fromstr(&oid, blob_oid) < 0)
		return cf_error(err, CF_ENOTFOUND, "'%s': not an object id", blob_oid);
	if (git_repository_odb(&odb, r->git) < 0 || git_odb_read_header(&n, &type, odb, &oid) < 0)
		rc = repo_git_fail(err, CF_EIO, blob_oid);
	git_odb_free(odb);
	*size = n;
	return rc;
}
