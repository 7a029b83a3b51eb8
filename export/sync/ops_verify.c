/* ops_verify.c — `casefile verify`'s look at git: the operations sync wrote under ops/ must be
 * the database's operations, read as sync reads them (ops_file.c, the store's op parser), with
 * none left out.  The repository through the git layer (export/git/repo.h). */
#include "export/sync/ops_verify.h"

#include <git2.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export/git/repo.h"
#include "export/seal.h"
#include "export/sync/ops_file.h"

struct seen {
	char id[CF_ID_LEN + 1];
	char replica[CF_ID_LEN + 1];
	int64_t rseq;
};

struct walk {
	struct store *s;
	struct cf_repo *repo;
	char tip[CF_OID_HEX];
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
	const char *path; /* the file being read */
	struct seal *seal; /* a sealed case's keys */
	int64_t unreadable; /* sealed files of epochs not ours */
};

static void problem(struct walk *w, const char *op, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void problem(struct walk *w, const char *op, const char *fmt, ...)
{
	struct cf_problem p = { "git", CF_KIND_COUNT, NULL, NULL, op, NULL };
	char msg[CF_LINE_LEN];
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
	cf_strlcpy(w->ops[w->nops].id, id, sizeof(w->ops[0].id));
	cf_strlcpy(w->ops[w->nops].replica, replica, sizeof(w->ops[0].replica));
	w->ops[w->nops++].rseq = rseq;
	return 0;
}

/* One operation read from git against the database's operation of the same id. */
static void check_op(struct walk *w, const struct cf_op *got, const char *path)
{
	struct cf_op op;
	int rc = op_find(w->s, got->id, &op, w->err);

	if (rc == CF_ENOTFOUND) {
		problem(w, got->id, "%s: operation %s is in git but not in the database", path,
			got->id);
		return;
	}
	if (rc < 0) {
		w->rc = rc;
		return;
	}
	/* The parser checked the hash against the contents: another hash, other contents. */
	if (strcmp(op.hash, got->hash) != 0)
		problem(w, got->id, "%s: operation %s (%s %s, field %s) differs from the database's",
			path, got->id, op.kind < CF_KIND_COUNT ? cf_kind_info(op.kind)->name : "?",
			op.record, op.field ? op.field : "?");
	if (remember(w, got->id, got->replica, op.rseq) < 0)
		w->rc = CF_ERR;
	cf_op_release(&op);
}

/* One line of a file, as sync reads it: a line sync set aside (store/quarantine.c) is not
 * in the database, and is not a problem of this case. */
static int check_line(void *vw, int64_t line, int64_t rseq, const char *text, size_t len,
		      const struct cf_op *op, const char *why)
{
	struct walk *w = vw;

	(void)rseq;
	(void)text;
	(void)len;
	if (quarantine_has(w->s, w->path, line))
		return 0;
	if (op)
		check_op(w, op, w->path);
	else if (line)
		problem(w, NULL, "%s:%lld: %s (sync would refuse it)", w->path, (long long)line,
			why);
	else
		problem(w, NULL, "%s: %s (sync would refuse it)", w->path, why);
	return w->rc;
}

/* One file of ops/ (PATH "ops/REPLICA/NAME"), read as sync reads it. */
static int check_file(const char *path, const char *blob_oid, void *vw)
{
	struct walk *w = vw;
	const char *replica = path + 4, *slash = strchr(replica, '/');
	char rep[CF_ID_LEN + 1] = "", *text = NULL;
	int64_t first, last;
	size_t len;

	(void)blob_oid;
	w->files++;
	w->path = path;
	if (slash && (size_t)(slash - replica) < sizeof(rep))
		memcpy(rep, replica, (size_t)(slash - replica));
	if (!slash || !ops_replica_name_ok(rep) || ops_file_name(slash + 1, &first, &last) < 0) {
		char dir[PATH_MAX];
		/* sync set aside the file, or its whole directory ("ops/NAME") */
		snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - path) : 0, path);
		if (!quarantine_has(w->s, path, 0) && !quarantine_has(w->s, dir, 0))
			problem(w, NULL, "%s: not an operation file (sync would refuse it)", path);
		return 0;
	}
	if ((w->rc = repo_read(w->repo, w->tip, path, &text, &len, w->err)) < 0)
		return w->rc;
	if (seal_is_sealed(w->seal)) {
		char *plain = NULL;
		struct cf_err why;
		int rc = seal_open_file(w->seal, path, text, len, &plain, &len, &why);
		free(text);
		text = plain;
		if (rc == 1) {
			w->unreadable++; /* not ours to read: its operations cannot be missed */
			return 0;
		}
		if (rc < 0) {
			if (!quarantine_has(w->s, path, 0))
				problem(w, NULL, "%s (sync would refuse it)", why.msg);
			return 0;
		}
	}
	ops_file_each(rep, first, last, text, len, check_line, w);
	free(text);
	return w->rc < 0 ? w->rc : 0;
}

static void key_problem(void *vw, const char *path, const char *why)
{
	struct walk *w = vw;

	if (strncmp(why, path, strlen(path)) == 0)
		problem(w, NULL, "%s", why);
	else
		problem(w, NULL, "%s: %s", path, why);
}

/* A sealed case's report file: it must open with its epoch's key. */
static int check_report(const char *path, const char *blob_oid, void *vw)
{
	struct walk *w = vw;
	char *text = NULL, *plain = NULL;
	struct cf_err why;
	size_t len;
	int rc;

	(void)blob_oid;
	if ((w->rc = repo_read(w->repo, w->tip, path, &text, &len, w->err)) < 0)
		return w->rc;
	rc = seal_open_file(w->seal, path, text, len, &plain, &len, &why);
	if (rc < 0)
		problem(w, NULL, "%s", why.msg);
	free(plain);
	free(text);
	return 0;
}

static int by_id(const void *a, const void *b)
{
	return strcmp(((const struct seen *)a)->id, ((const struct seen *)b)->id);
}

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
	cf_strlcpy(key.id, op->id, sizeof(key.id));
	if (!bsearch(&key, w->ops, w->nops, sizeof(key), by_id))
		problem(w, op->id, "operation %s (replica %s #%lld) is in the database but missing"
			" from git", op->id, op->replica, (long long)op->rseq);
	return 0;
}

int export_check_git_ops(struct store *s, problem_cb cb, void *ctx, int64_t *nfiles,
			 int64_t *nops, struct cf_err *err)
{
	struct walk w = { .s = s, .cb = cb, .ctx = ctx, .err = err };
	int rc;

	git_libgit2_init(); /* the CLI's verify may not have: counted, so harmless if it did */
	if ((rc = repo_open(store_dir(s), 0, &w.repo, err)) < 0) {
		git_libgit2_shutdown();
		return rc;
	}
	if ((rc = repo_resolve(w.repo, NULL, w.tip, err)) == CF_ENOTFOUND)
		rc = cf_error(err, CF_ENOTFOUND, "no branch main in %s yet", repo_path(w.repo));
	if (rc == 0 && (rc = seal_load(s, w.repo, &w.seal, err)) == 0 && seal_is_sealed(w.seal)) {
		rc = seal_check_keys(w.seal, key_problem, &w, err) < 0 ? CF_EIO : 0;
		if (rc == 0)
			rc = repo_files(w.repo, w.tip, "reports", check_report, &w, err);
	}
	if (rc == 0 && (rc = repo_files(w.repo, w.tip, "ops", check_file, &w, err)) == 0 &&
	    w.files == 0)
		rc = cf_error(err, CF_ENOTFOUND, "no ops/ on branch main of %s yet",
			      repo_path(w.repo));
	if (rc == 0 && w.rc == 0) {
		qsort(w.ops, w.nops, sizeof(*w.ops), by_id);
		w.rc = collect_last(&w);
	}
	if (rc == 0 && w.rc == 0)
		w.rc = op_list(s, NULL, check_missing, &w, err);
	if (rc == 0)
		rc = w.rc < 0 ? w.rc : w.n;
	if (nfiles)
		*nfiles = w.files;
	if (nops)
		*nops = (int64_t)w.nops;
	free(w.ops);
	free(w.last);
	seal_free(w.seal);
	repo_close(w.repo);
	git_libgit2_shutdown();
	return rc;
}
