/* opsgit.c — `casefile verify`'s look at git: the operations sync wrote under ops/ must be the
 * database's operations, byte for byte in their canonical form, with none left out. */
#include "export/git/opsgit.h"

#include <git2.h>
#include <jansson.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

struct seen {
	char id[CF_ID_LEN + 1];
	char replica[CF_ID_LEN + 1];
	int64_t rseq;
};

struct walk {
	struct store *s;
	git_repository *repo;
	problem_cb cb;
	void *ctx;
	int n;
	int64_t files;
	struct seen *ops;
	size_t nops, cap;
	struct seen *last; /* per replica: git's highest sequence number */
	size_t nlast;
	struct cf_err *err;
	int rc;
};

static void problem(struct walk *w, const char *op, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void problem(struct walk *w, const char *op, const char *fmt, ...)
{
	struct cf_problem p = { "git", CF_KIND_COUNT, NULL, NULL, op, NULL };
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	p.msg = msg;
	w->n++;
	if (w->cb)
		w->cb(&p, w->ctx);
}

static int remember(struct walk *w, const char *id, const char *replica, int64_t rseq)
{
	if (w->nops == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 256;
		struct seen *more = xrealloc(w->ops, cap * sizeof(*more));
		if (!more)
			return cf_error(w->err, CF_ERR, "out of memory");
		w->ops = more;
		w->cap = cap;
	}
	snprintf(w->ops[w->nops].id, sizeof(w->ops[0].id), "%s", id);
	snprintf(w->ops[w->nops].replica, sizeof(w->ops[0].replica), "%s", replica);
	w->ops[w->nops++].rseq = rseq;
	return 0;
}

/* One operation from git, as JSON, against the database's operation of the same id. */
static void check_op(struct walk *w, json_t *o, const char *path)
{
	const char *id = json_string_value(json_object_get(o, "id"));
	const char *replica = json_string_value(json_object_get(o, "replica"));
	const char *hash = json_string_value(json_object_get(o, "hash"));
	json_t *copy;
	char *text = NULL, *want = NULL;
	struct cf_op op;
	int rc;

	if (!json_is_object(o) || !id || !replica) {
		problem(w, NULL, "%s: an entry is not an operation", path);
		return;
	}
	rc = op_find(w->s, id, &op, w->err);
	if (rc == CF_ENOTFOUND) {
		problem(w, id, "%s: operation %s is in git but not in the database", path, id);
		return;
	}
	if (rc < 0) {
		w->rc = rc;
		return;
	}
	copy = json_deep_copy(o);
	json_object_del(copy, "hash");
	text = json_dumps(copy, JSON_SORT_KEYS | JSON_COMPACT | JSON_ENSURE_ASCII);
	want = cf_op_canonical(&op);
	if (!text || !want || strcmp(text, want) != 0)
		problem(w, id, "%s: operation %s (%s %s, field %s) differs from the database's",
			path, id, op.kind < CF_KIND_COUNT ? cf_kind_info(op.kind)->name : "?",
			op.record, op.field ? op.field : "?");
	else if (hash && strcmp(hash, op.hash) != 0)
		problem(w, id, "%s: operation %s has another hash in git", path, id);
	if (remember(w, id, replica, op.rseq) < 0)
		w->rc = CF_ERR;
	free(text);
	free(want);
	json_decref(copy);
	cf_op_release(&op);
}

/* A file of ops/: a JSON array, one object, or one object per line. */
static void check_blob(struct walk *w, const char *text, size_t len, const char *path)
{
	json_error_t jerr;
	json_t *all = json_loadb(text, len, 0, &jerr);
	size_t i, start = 0;
	json_t *o;

	if (all) {
		if (json_is_array(all))
			json_array_foreach(all, i, o) check_op(w, o, path);
		else
			check_op(w, all, path);
		json_decref(all);
		return;
	}
	for (i = 0; i <= len && w->rc == 0; i++) {
		if (i < len && text[i] != '\n')
			continue;
		if (i > start) {
			o = json_loadb(text + start, i - start, 0, &jerr);
			if (o)
				check_op(w, o, path);
			else
				problem(w, NULL, "%s:%d: not JSON: %s", path, jerr.line, jerr.text);
			json_decref(o);
		}
		start = i + 1;
	}
}

static int walk_entry(const char *root, const git_tree_entry *e, void *vw)
{
	struct walk *w = vw;
	char path[PATH_MAX];
	git_blob *blob;

	if (git_tree_entry_type(e) != GIT_OBJECT_BLOB)
		return 0;
	snprintf(path, sizeof(path), "ops/%s%s", root, git_tree_entry_name(e));
	if (git_blob_lookup(&blob, w->repo, git_tree_entry_id(e)) < 0) {
		problem(w, NULL, "%s: cannot read the blob", path);
		return 0;
	}
	w->files++;
	check_blob(w, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob), path);
	git_blob_free(blob);
	return w->rc < 0 ? -1 : 0;
}

static int by_id(const void *a, const void *b)
{
	return strcmp(((const struct seen *)a)->id, ((const struct seen *)b)->id);
}

/* The database's operations of replicas present in git, up to git's last one of each:
 * every one of them must have been found in git. */
/* Git's last sequence number of each replica it holds: few replicas, so a short list. */
static int64_t git_last(struct walk *w, const char *replica)
{
	for (size_t i = 0; i < w->nlast; i++)
		if (strcmp(w->last[i].replica, replica) == 0)
			return w->last[i].rseq;
	return 0;
}

static int collect_last(struct walk *w)
{
	for (size_t i = 0; i < w->nops; i++) {
		size_t k = 0;
		while (k < w->nlast && strcmp(w->last[k].replica, w->ops[i].replica) != 0)
			k++;
		if (k == w->nlast) {
			struct seen *more = xrealloc(w->last, (k + 1) * sizeof(*more));
			if (!more)
				return cf_error(w->err, CF_ERR, "out of memory");
			w->last = more;
			w->last[k] = w->ops[i];
			w->nlast++;
		} else if (w->ops[i].rseq > w->last[k].rseq) {
			w->last[k].rseq = w->ops[i].rseq;
		}
	}
	return 0;
}

/* The database's operations of replicas present in git, up to git's last one of each:
 * every one of them must have been found in git. */
static int check_missing(const struct cf_op *op, void *vw)
{
	struct walk *w = vw;
	struct seen key;

	if (op->rseq > git_last(w, op->replica))
		return 0; /* not yet synced, or a replica git has not seen */
	snprintf(key.id, sizeof(key.id), "%s", op->id);
	if (!bsearch(&key, w->ops, w->nops, sizeof(key), by_id))
		problem(w, op->id, "operation %s (replica %s #%lld) is in the database but missing"
			" from git", op->id, op->replica, (long long)op->rseq);
	return 0;
}

static int open_ops(struct store *s, git_repository **repo, git_tree **ops, struct cf_err *err)
{
	char path[PATH_MAX];
	git_object *tree = NULL;
	git_tree_entry *e = NULL;
	int rc;

	snprintf(path, sizeof(path), "%s/casefile.git", store_dir(s));
	if (git_repository_open_bare(repo, path) < 0)
		return cf_error(err, CF_ENOTFOUND, "no git repository yet (%s)", path);
	if (git_revparse_single(&tree, *repo, "refs/heads/main^{tree}") < 0 ||
	    git_tree_entry_bypath(&e, (git_tree *)tree, "ops") < 0 ||
	    git_tree_entry_type(e) != GIT_OBJECT_TREE) {
		rc = cf_error(err, CF_ENOTFOUND, "no ops/ on branch main of %s yet", path);
		goto out;
	}
	rc = git_tree_lookup(ops, *repo, git_tree_entry_id(e)) < 0
		     ? cf_error(err, CF_ERR, "%s: cannot read ops/", path)
		     : 0;
out:
	git_tree_entry_free(e);
	git_object_free(tree);
	if (rc < 0) {
		git_repository_free(*repo);
		*repo = NULL;
	}
	return rc;
}

int export_check_git_ops(struct store *s, problem_cb cb, void *ctx, int64_t *nfiles,
			 int64_t *nops, struct cf_err *err)
{
	struct walk w = { s, NULL, cb, ctx, 0, 0, NULL, 0, 0, NULL, 0, err, 0 };
	git_tree *ops = NULL;
	int rc;

	git_libgit2_init();
	if ((rc = open_ops(s, &w.repo, &ops, err)) < 0)
		goto out;
	if (git_tree_walk(ops, GIT_TREEWALK_PRE, walk_entry, &w) < 0 && w.rc == 0)
		w.rc = cf_error(err, CF_ERR, "cannot walk ops/ in git");
	if (w.rc == 0) {
		qsort(w.ops, w.nops, sizeof(*w.ops), by_id);
		w.rc = collect_last(&w);
	}
	if (w.rc == 0)
		w.rc = op_list(s, NULL, check_missing, &w, err);
	rc = w.rc < 0 ? w.rc : w.n;
	if (nfiles)
		*nfiles = w.files;
	if (nops)
		*nops = (int64_t)w.nops;
out:
	free(w.ops);
	free(w.last);
	git_tree_free(ops);
	git_repository_free(w.repo);
	git_libgit2_shutdown();
	return rc;
}
