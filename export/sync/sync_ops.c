/* sync_ops.c — the ops/ files of the case repository: this replica's new operations written
 * as append-only batches ops/REPLICA/FIRST-LAST.jsonl, and the files of others read back
 * into the case; a file rewritten after it was read is read again (what differs is set aside
 * line by line) and its other version recorded in the quarantine (sync_merge.c). */
#include "export/sync/sync_internal.h"
#include "export/sync/ops_file.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- what a batch did, in words (commit messages) ---- */

struct words {
	int64_t n;
	int64_t added[CF_KIND_COUNT], deleted[CF_KIND_COUNT], restored[CF_KIND_COUNT];
	int64_t changed[CF_KIND_COUNT][CF_MAX_FIELDS];
};

static void words_add(struct words *w, const struct cf_op *op)
{
	const struct cf_kind_info *ki = cf_kind_info(op->kind);
	int f;

	w->n++;
	if (!ki)
		return;
	if (!strcmp(op->field, "@create"))
		w->added[op->kind]++;
	else if (!strcmp(op->field, "@delete"))
		w->deleted[op->kind]++;
	else if (!strcmp(op->field, "@restore"))
		w->restored[op->kind]++;
	else if ((f = cf_field_index(ki, op->field)) >= 0)
		w->changed[op->kind][f]++;
}

static void words_counts(FILE *out, const char *label, const int64_t *count)
{
	int first = 1;

	for (int k = 0; k < CF_KIND_COUNT; k++) {
		if (!count[k])
			continue;
		fprintf(out, "%s %" PRId64 " %s%s", first ? label : ",", count[k],
			cf_kind_info((enum cf_kind)k)->title, count[k] > 1 ? "s" : "");
		first = 0;
	}
	if (!first)
		fputs(".\n", out);
}

/* "Added: 3 timeline events, 1 task.\nChanged: task owner (2).\nDeleted: 1 note.\n" */
static void words_write(FILE *out, const struct words *w)
{
	int first = 1;

	words_counts(out, "Added:", w->added);
	for (int k = 0; k < CF_KIND_COUNT; k++) {
		const struct cf_kind_info *ki = cf_kind_info((enum cf_kind)k);
		for (size_t f = 0; f < ki->nfields; f++) {
			if (!w->changed[k][f])
				continue;
			fprintf(out, "%s %s %s (%" PRId64 ")", first ? "Changed:" : ",", ki->title,
				ki->fields[f].name, w->changed[k][f]);
			first = 0;
		}
	}
	if (!first)
		fputs(".\n", out);
	words_counts(out, "Deleted:", w->deleted);
	words_counts(out, "Restored:", w->restored);
}

git_tree *ops_tree_of(git_repository *git, git_commit *commit)
{
	git_tree *root = NULL, *ops = NULL;
	git_tree_entry *e = NULL;

	if (!commit || git_commit_tree(&root, commit) < 0)
		return NULL;
	if (git_tree_entry_bypath(&e, root, "ops") == 0 &&
	    git_tree_entry_type(e) == GIT_OBJECT_TREE)
		git_tree_lookup(&ops, git, git_tree_entry_id(e));
	git_tree_entry_free(e);
	git_tree_free(root);
	return ops;
}

/* The subtree of OPS for REPLICA, or NULL. */
static git_tree *replica_tree(git_repository *git, git_tree *ops, const char *replica)
{
	const git_tree_entry *e = ops ? git_tree_entry_byname(ops, replica) : NULL;
	git_tree *t = NULL;

	if (e && git_tree_entry_type(e) == GIT_OBJECT_TREE)
		git_tree_lookup(&t, git, git_tree_entry_id(e));
	return t;
}

/* The last sequence number of this replica's files in OPS (0 when none). */
static int64_t last_in_git(git_repository *git, git_tree *ops, const char *replica)
{
	git_tree *t = replica_tree(git, ops, replica);
	int64_t last = 0, a, b;

	for (size_t i = 0; t && i < git_tree_entrycount(t); i++)
		if (ops_file_name(git_tree_entry_name(git_tree_entry_byindex(t, i)), &a, &b) == 0 &&
		    b > last)
			last = b;
	git_tree_free(t);
	return last;
}

/* ---- writing ---- */

#define FILES_PER_COMMIT 10 /* a large first sync is several commits: bounded memory */

struct writer {
	struct sync_ctx *c;
	struct cf_err *err;
	int rc;
	struct repo_change ch[FILES_PER_COMMIT];
	char paths[FILES_PER_COMMIT][128];
	size_t nch;
	FILE *f;
	char *buf;
	size_t len;
	int64_t first, last, n;   /* the file being written; N: all ops written */
	int64_t commit_first, cn; /* the commit being made */
	struct words words;
};

static int close_batch(struct writer *w)
{
	if (!w->f)
		return 0;
	if (fclose(w->f) != 0) {
		w->f = NULL;
		return cf_error(w->err, CF_ERR, "out of memory writing operation files");
	}
	w->f = NULL;
	snprintf(w->paths[w->nch], sizeof(w->paths[0]), "ops/%s/%012" PRId64 "-%012" PRId64
		 ".jsonl", store_replica(w->c->s), w->first, w->last);
	w->ch[w->nch].path = w->paths[w->nch];
	if (seal_is_sealed(w->c->seal)) {
		char *sealed;
		size_t slen;
		int rc = seal_close_file(w->c->seal, w->paths[w->nch], w->buf, w->len, &sealed,
					 &slen, w->err);
		free(w->buf);
		w->buf = NULL;
		if (rc < 0)
			return rc;
		w->buf = sealed;
		w->len = slen;
	}
	w->ch[w->nch].data = w->buf;
	w->ch[w->nch++].len = w->len;
	w->buf = NULL;
	return 0;
}

static char *write_message(const struct writer *w)
{
	char *msg = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&msg, &len);

	if (!f)
		return NULL;
	if (seal_is_sealed(w->c->seal)) { /* which kinds and fields changed is case content */
		fprintf(f, "Add operations #%" PRId64 " to #%" PRId64 " of replica %s\n",
			w->commit_first, w->last, store_replica(w->c->s));
		fclose(f);
		return msg;
	}
	fprintf(f, "Add %" PRId64 " operation%s from %s\n\n", w->cn, w->cn > 1 ? "s" : "",
		store_author(w->c->s));
	words_write(f, &w->words);
	fprintf(f, "\nOperations #%" PRId64 " to #%" PRId64 " of replica %s.\n",
		w->commit_first, w->last, store_replica(w->c->s));
	fclose(f);
	return msg;
}

static void drop_changes(struct writer *w)
{
	for (size_t i = 0; i < w->nch; i++)
		free((char *)w->ch[i].data);
	w->nch = 0;
	w->cn = 0;
	memset(&w->words, 0, sizeof(w->words));
}

/* Commits the files written so far on main. */
static int commit_files(struct writer *w)
{
	struct repo_commit_opts o = { 0 };
	char *msg;
	int rc;

	if ((rc = close_batch(w)) < 0 || w->nch == 0)
		return rc;
	if (sync_stage(w->c, SYNC_STAGE_WRITE, w->n, 0))
		return cf_error(w->err, CF_ERR, "cancelled");
	if (!(msg = write_message(w)))
		return cf_error(w->err, CF_ERR, "out of memory");
	o.message = msg;
	o.author = store_author(w->c->s);
	rc = repo_commit(w->c->repo, w->ch, w->nch, &o, NULL, w->err);
	free(msg);
	if (rc < 0)
		return rc;
	w->c->res->files_written += (int64_t)w->nch;
	w->c->res->ops_written += w->cn;
	drop_changes(w);
	return 0;
}

static int write_op(const struct cf_op *op, void *vw)
{
	struct writer *w = vw;
	char *line = cf_op_line(op);

	if (!line || (!w->f && !(w->f = open_memstream(&w->buf, &w->len)))) {
		free(line);
		w->rc = cf_error(w->err, CF_ERR, "out of memory writing operation files");
		return 1;
	}
	if (w->n % SYNC_OPS_PER_FILE == 0)
		w->first = op->rseq;
	if (w->cn == 0)
		w->commit_first = op->rseq;
	fputs(line, w->f);
	fputc('\n', w->f);
	free(line);
	w->last = op->rseq;
	w->n++;
	w->cn++;
	words_add(&w->words, op);
	if (w->n % SYNC_OPS_PER_FILE == 0 &&
	    ((w->rc = close_batch(w)) < 0 ||
	     (w->nch == FILES_PER_COMMIT && (w->rc = commit_files(w)) < 0)))
		return 1;
	return 0;
}

/* A sealed case: the epoch to write with chosen, and the key files it needs (a new epoch
 * after a removal, keys for members added) committed first.  A viewer writes nothing. */
static int write_keys(struct sync_ctx *c, struct cf_err *err)
{
	struct repo_commit_opts o = { 0 };
	const struct repo_change *ch;
	size_t n;
	int rc;

	rc = 0;
	if (!seal_is_sealed(c->seal) || (rc = seal_prepare(c->seal, &ch, &n, err)) != 0 ||
	    n == 0)
		return rc < 0 ? rc : 0;
	o.message = "Update the case keys";
	o.author = store_author(c->s);
	return repo_commit(c->repo, ch, n, &o, NULL, err) < 0 ? CF_EIO : 0;
}

int ops_write_local(struct sync_ctx *c, struct cf_err *err)
{
	struct writer *w = xcalloc(1, sizeof(*w));
	git_commit *tip = NULL;
	git_tree *ops = NULL;
	git_oid oid;
	int64_t last;
	int rc;

	if (!w)
		return cf_error(err, CF_ERR, "out of memory");
	w->c = c;
	w->err = err;
	if (git_reference_name_to_id(&oid, c->git, CF_GIT_MAIN) == 0 &&
	    git_commit_lookup(&tip, c->git, &oid) == 0)
		ops = ops_tree_of(c->git, tip);
	last = last_in_git(c->git, ops, store_replica(c->s));
	git_tree_free(ops);
	git_commit_free(tip);
	if ((rc = write_keys(c, err)) < 0) {
		free(w);
		return rc;
	}
	rc = op_list_replica(c->s, store_replica(c->s), last, write_op, w, err);
	if (rc >= 0 && w->rc < 0)
		rc = w->rc;
	if (rc >= 0)
		rc = commit_files(w);
	if (w->f)
		fclose(w->f);
	free(w->buf);
	drop_changes(w);
	free(w);
	return rc < 0 ? rc : 0;
}

/* ---- reading ---- */

int ops_file_open(struct sync_ctx *c, const char *path, git_blob *blob, char **text,
		  size_t *len, struct cf_err *err)
{
	*text = NULL;
	*len = (size_t)git_blob_rawsize(blob);
	if (seal_is_sealed(c->seal))
		return seal_open_file(c->seal, path, git_blob_rawcontent(blob), *len, text, len,
				      err);
	*text = xmalloc(*len + 1);
	memcpy(*text, git_blob_rawcontent(blob), *len);
	(*text)[*len] = '\0';
	return 0;
}

struct reader {
	struct sync_ctx *c;
	struct cf_receiver *recv;
	struct words words;
	char path[PATH_MAX];
	const char *replica; /* of the file being read */
	struct cf_err *err;
	int64_t done;
};

/* One line of a file: staged when it is an operation in its place, else quarantined with
 * its file and line. */
static int take_line(void *vrd, int64_t line, int64_t rseq, const char *text, size_t len,
		     const struct cf_op *op, const char *why)
{
	struct reader *rd = vrd;

	if (!op)
		return op_receive_reject(rd->recv, rd->path, line, rd->replica, line ? rseq : 0,
					 why, text, len, rd->err);
	words_add(&rd->words, op);
	rd->done++;
	return op_receive_stage(rd->recv, op, rd->path, line, rd->err);
}

static int read_file(struct reader *rd, const char *replica, const git_tree_entry *e,
		     int64_t first, int64_t last, struct cf_err *err)
{
	struct sync_ctx *c = rd->c;
	git_blob *blob = NULL;
	int rc;

	char *text = NULL;
	size_t len;

	if (git_blob_lookup(&blob, c->git, git_tree_entry_id(e)) < 0)
		return cf_error(err, CF_EIO, "%s: cannot read the file in git", rd->path);
	rd->replica = replica;
	rd->err = err;
	if ((rc = ops_file_open(c, rd->path, blob, &text, &len, err)) == 1) {
		c->res->unreadable++; /* sealed for an epoch not ours: read again when it is */
		git_blob_free(blob);
		return 0;
	}
	if (rc < 0) { /* a sealed file that does not open: set aside, naming it */
		char why[CF_MSG_LEN];
		cf_strlcpy(why, err->msg, sizeof(why));
		rc = op_receive_reject(rd->recv, rd->path, 0, replica, 0, why, NULL, 0, err);
	}
	else
		rc = ops_file_each(replica, first, last, text, len, take_line, rd);
	free(text);
	git_blob_free(blob);
	if (rc == 0 && sync_stage(c, SYNC_STAGE_REPLAY, rd->done, 0))
		rc = cf_error(err, CF_ERR, "cancelled");
	return rc;
}

/* One replica's directory: the files new to us (or holding what the case lacks), in order. */
static int read_replica(struct reader *rd, const char *replica, git_tree *t, git_tree *mine,
			struct cf_err *err)
{
	char hash[CF_HASH_LEN + 1], of[CF_PHRASE_LEN], why[CF_MSG_LEN];
	int64_t head, first, last;
	int rc;

	if ((rc = op_replica_head(rd->c->s, replica, &head, hash, err)) < 0)
		return rc;
	for (size_t i = 0; rc == 0 && i < git_tree_entrycount(t); i++) {
		const git_tree_entry *e = git_tree_entry_byindex(t, i);
		const char *name = git_tree_entry_name(e);
		const git_tree_entry *had = mine ? git_tree_entry_byname(mine, name) : NULL;

		snprintf(rd->path, sizeof(rd->path), "ops/%s/%s", replica, name);
		if (ops_set_aside_of(name, of, sizeof(of)) == 0) {
			if (had && quarantine_has(rd->c->s, rd->path, 0))
				continue;
			snprintf(why, sizeof(why), "other contents of ops/%s/%s, a file rewritten"
				 " after it was read: set aside (the version kept there holds more"
				 " operations in place, or has the smaller object id)", replica, of);
			rc = op_receive_reject(rd->recv, rd->path, 0, replica, 0, why, NULL, 0, err);
			continue;
		}
		if (git_tree_entry_type(e) != GIT_OBJECT_BLOB || ops_file_name(name, &first, &last) < 0) {
			rc = op_receive_reject(rd->recv, rd->path, 0, replica, 0, "not an operation"
					       " file", NULL, 0, err);
			continue;
		}
		/* Other contents than this case's copy (sync_merge.c kept these): read again, each
		 * line known, taken in, or set aside as differing from what was received. */
		if (had && last <= head &&
		    git_oid_cmp(git_tree_entry_id(had), git_tree_entry_id(e)) == 0)
			continue;
		rc = read_file(rd, replica, e, first, last, err);
	}
	return rc;
}

int ops_same_case(struct sync_ctx *c, git_commit *remote, struct cf_err *err)
{
	char origin[CF_ID_LEN + 1];
	git_tree *ops, *mine = NULL;
	int rc = op_case_origin(c->s, origin, err);

	if (rc <= 0 || !remote)
		return rc;
	ops = ops_tree_of(c->git, remote);
	rc = 0;
	if (ops && git_tree_entrycount(ops) > 0 && !(mine = replica_tree(c->git, ops, origin)))
		rc = cf_error(err, CF_EINVAL, "the remote holds another case: a case can only sync"
			      " with its own replicas (clone it instead)");
	git_tree_free(mine);
	git_tree_free(ops);
	return rc;
}

static int receive_once(struct sync_ctx *c, git_tree *tree, git_tree *local, int64_t *retracted,
			struct cf_err *err);

/* Operations a late membership change took back out are set aside by reading their files
 * again (their replicas' heads moved back); bounded: a read takes nothing new in. */
#define RECEIVE_AGAIN_MAX 3
int ops_receive_tree(struct sync_ctx *c, git_tree *tree, git_tree *local, struct cf_err *err)
{
	int64_t retracted = 0;
	int rc = 0;

	for (int i = 0; rc == 0 && i < RECEIVE_AGAIN_MAX && (i == 0 || retracted > 0); i++)
		rc = receive_once(c, tree, local, &retracted, err);
	return rc;
}

static int receive_once(struct sync_ctx *c, git_tree *tree, git_tree *local, int64_t *retracted,
			struct cf_err *err)
{
	struct reader rd = { .c = c };
	struct cf_received got;
	int rc = 0;

	if (!tree)
		return 0;
	if ((rc = op_receive_start(c->s, &rd.recv, err)) < 0)
		return rc;
	for (size_t i = 0; rc == 0 && i < git_tree_entrycount(tree); i++) {
		const git_tree_entry *e = git_tree_entry_byindex(tree, i);
		const char *replica = git_tree_entry_name(e);
		git_tree *t = NULL, *mine;

		if (git_tree_entry_type(e) != GIT_OBJECT_TREE || !ops_replica_name_ok(replica) ||
		    git_tree_lookup(&t, c->git, git_tree_entry_id(e)) < 0) {
			snprintf(rd.path, sizeof(rd.path), "ops/%.100s", replica);
			rc = op_receive_reject(rd.recv, rd.path, 0, NULL, 0, "not a replica's"
					       " directory", NULL, 0, err);
			continue;
		}
		/* The same subtree on both sides: nothing new in it unless the case lacks it. */
		mine = replica_tree(c->git, local, replica);
		rc = read_replica(&rd, replica, t, mine, err);
		git_tree_free(mine);
		git_tree_free(t);
	}
	if (rc < 0) {
		op_receive_abort(rd.recv);
		return rc;
	}
	if ((rc = op_receive_finish(rd.recv, &got, err)) < 0)
		return rc;
	c->res->ops_received += got.ops;
	c->res->retracted += got.retracted;
	c->res->renewed |= got.renewed;
	c->res->conflicts += got.conflicts;
	c->res->quarantined = got.quarantined;
	if (*retracted > 0 && got.ops == 0) { /* the read again: what the first one said stands */
		*retracted = got.retracted;
		return 0;
	}
	*retracted = got.retracted;
	c->received = got.ops;
	c->words[0] = '\0';
	if (got.ops > 0) {
		FILE *f = fmemopen(c->words, sizeof(c->words) - 1, "w");
		if (f) {
			words_write(f, &rd.words);
			fclose(f);
		}
	}
	return 0;
}
