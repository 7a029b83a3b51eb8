/* sync.c — one sync, stage by stage: write our new operations and commit them, fetch, join
 * the histories, replay the others' operations into the case, move main, push; again from
 * the fetch when the push is refused.  The case is committed before main moves, and replay
 * skips what the case has, so a sync killed anywhere is completed by the next one. */
#include "export/sync/sync_internal.h"

#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *sync_stage_name(enum sync_stage stage)
{
	static const char *const names[] = { "write", "fetch", "merge", "replay", "push",
					     "retry" };
	return stage <= SYNC_STAGE_RETRY ? names[stage] : "?";
}

void sync_crash_point(const char *name)
{
	const char *at = getenv("CASEFILE_TEST_KILL_AT");

	if (at && strcmp(at, name) == 0)
		raise(SIGKILL);
}

/* The one progress reporter (store/progress.h), to the case's sink: a line for each stage that
 * lasts long enough to show, counting what the stage counts. */
static void report_stage(struct sync_ctx *c, enum sync_stage stage, int64_t done, int64_t total)
{
	static const char *const title[] = { "sync: writing operations", "sync: fetching objects",
					     "sync: joining histories", "sync: replaying operations",
					     "sync: pushing objects", "sync: push refused, again" };
	static const char *const unit[] = { "ops", "objects", "steps", "ops", "objects", "tries" };

	if (!c->prog_on || c->prog_stage != stage) {
		if (c->prog_on)
			progress_finish(&c->prog);
		c->prog_on = 0;
		if (stage == SYNC_STAGE_MERGE)
			return; /* a few steps in memory: nothing to count */
		progress_start(&c->prog, store_progress(c->s), title[stage], 0, unit[stage]);
		progress_stoppable(&c->prog); /* as the callback's cancel: the stage undone */
		c->prog_on = 1;
		c->prog_stage = stage;
	}
	/* The fetch and the push learn their totals once under way. */
	c->prog.info.total = total > 0 ? (uint64_t)total : 0;
	c->prog.info.count_is_done = total > 0;
	if (progress_update(&c->prog, done > 0 ? (uint64_t)done : 0, done > 0 ? (uint64_t)done : 0))
		c->cancelled = 1;
}

int sync_stage(struct sync_ctx *c, enum sync_stage stage, int64_t done, int64_t total)
{
	struct sync_progress p = { stage, c->remote, done, total, c->attempt };

	report_stage(c, stage, done, total);
	if (c->cb && !c->cancelled && c->cb(&p, c->cbctx) != 0)
		c->cancelled = 1;
	return c->cancelled;
}

static int lookup_commit(git_repository *git, const char *ref, git_commit **out,
			 struct cf_err *err)
{
	git_oid oid;
	int rc = git_reference_name_to_id(&oid, git, ref);

	*out = NULL;
	if (rc == GIT_ENOTFOUND)
		return 0;
	if (rc < 0 || git_commit_lookup(out, git, &oid) < 0)
		return cf_error(err, CF_EIO, "%s: %s", ref, git_error_last()->message);
	return 0;
}

/* Moves main from LOCAL (NULL: main must not exist) to TO; CF_EMOVED if it moved meanwhile
 * (a report committed by another process): the caller joins again. */
static int move_main(struct sync_ctx *c, git_commit *local, const git_oid *to,
		     struct cf_err *err)
{
	char from[CF_OID_HEX] = "", dest[CF_OID_HEX];

	if (local)
		git_oid_tostr(from, sizeof(from), git_commit_id(local));
	git_oid_tostr(dest, sizeof(dest), to);
	return repo_move_ref(c->repo, CF_GIT_MAIN, from, dest, "casefile: sync", err);
}

/* The merge of LOCAL and REMOTE with TREE, through the git layer (its signature and its
 * compare-and-swap from LOCAL): CF_EMOVED when main moved meanwhile. */
static int merge_commit(struct sync_ctx *c, git_commit *local, git_commit *remote,
			const git_oid *tree_id, git_oid *out, struct cf_err *err)
{
	char from[CF_OID_HEX], other[CF_OID_HEX], tree[CF_OID_HEX], made[CF_OID_HEX];
	struct repo_commit_opts o = { 0 };
	struct strbuf msg = STRBUF_INIT;
	int rc;

	if (seal_is_sealed(c->seal)) /* what was received is case content: not a word of it */
		strbuf_addf(&msg, "Merge %s/%s\n", c->remote, c->branch);
	else
		strbuf_addf(&msg, "Merge %s/%s: %lld operation%s from other replicas\n\n%s",
			    c->remote, c->branch, (long long)c->received,
			    c->received == 1 ? "" : "s",
			    c->words[0] ? c->words : "Nothing new for this case: files only.\n");
	git_oid_tostr(from, sizeof(from), git_commit_id(local));
	git_oid_tostr(other, sizeof(other), git_commit_id(remote));
	git_oid_tostr(tree, sizeof(tree), tree_id);
	o.message = msg.buf;
	o.author = store_author(c->s);
	o.expect = from;
	o.merge_parent = other;
	o.tree = tree;
	o.allow_empty = 1;
	rc = repo_commit(c->repo, NULL, 0, &o, made, err);
	strbuf_release(&msg);
	if (rc < 0)
		return rc;
	git_oid_fromstr(out, made);
	return 0;
}

/* A sealed case and an unsealed copy of it are never joined: either side's plaintext would
 * end up beside the ciphertext.  The remote's keys are looked in from now on. */
static int same_sealing(struct sync_ctx *c, git_commit *local, git_commit *remote,
			struct cf_err *err)
{
	int mine = seal_is_sealed(c->seal), theirs = seal_commit_sealed(c->repo, remote);
	git_tree *ops;

	if (!remote || mine == theirs)
		return seal_add_commit(c->seal, remote, err);
	ops = ops_tree_of(c->git, mine ? remote : local);
	if (ops && git_tree_entrycount(ops) > 0) {
		git_tree_free(ops);
		return cf_error(err, CF_EINVAL, "%s: %s", c->shown, mine ?
				"the remote holds an unsealed copy of this sealed case: refused, so"
				" that nothing of it is pushed in plaintext" :
				"the remote's case is sealed and this replica's is not: clone it"
				" again (casefile clone) to work on the sealed case");
	}
	git_tree_free(ops);
	return seal_add_commit(c->seal, remote, err);
}

/* Fetch, join, replay, move main.  *DONE when main already equals the remote's tip. */
static int round_trip(struct sync_ctx *c, int *done, struct cf_err *err)
{
	git_commit *local = NULL, *remote = NULL;
	git_tree *ops = NULL, *lops = NULL;
	git_oid tree, tip;
	int how, rc;

	*done = 0;
	if (sync_stage(c, SYNC_STAGE_FETCH, 0, 0))
		return cf_error(err, CF_ERR, "cancelled");
	if ((rc = net_fetch(c, err)) < 0)
		return rc;
	if ((rc = lookup_commit(c->git, CF_GIT_MAIN, &local, err)) < 0 ||
	    (rc = lookup_commit(c->git, c->tracking, &remote, err)) < 0 ||
	    (rc = ops_same_case(c, remote, err)) < 0 ||
	    (rc = same_sealing(c, local, remote, err)) < 0)
		goto out;
	if (sync_stage(c, SYNC_STAGE_MERGE, 0, 0)) {
		rc = cf_error(err, CF_ERR, "cancelled");
		goto out;
	}
	if ((rc = sync_join(c, local, remote, &tree, &how, err)) < 0)
		goto out;
	if (how == JOIN_MERGE) {
		git_tree *t = NULL;
		if (git_tree_lookup(&t, c->git, &tree) == 0) {
			git_tree_entry *e = NULL;
			if (git_tree_entry_bypath(&e, t, "ops") == 0)
				git_tree_lookup(&ops, c->git, git_tree_entry_id(e));
			git_tree_entry_free(e);
		}
		git_tree_free(t);
	} else {
		ops = ops_tree_of(c->git, how == JOIN_REMOTE ? remote : local);
	}
	lops = ops_tree_of(c->git, local);
	if (sync_stage(c, SYNC_STAGE_REPLAY, 0, 0)) {
		rc = cf_error(err, CF_ERR, "cancelled");
		goto out;
	}
	/* The case first, then main: a crash between leaves main behind the case, which the
	 * next sync's replay (skipping what the case has) puts right. */
	sync_crash_point("fetched");
	if ((rc = ops_receive_tree(c, ops, how == JOIN_LOCAL ? ops : lops, err)) < 0)
		goto out;
	sync_crash_point("replayed");
	if (how == JOIN_MERGE)
		rc = merge_commit(c, local, remote, &tree, &tip, err);
	else if (how == JOIN_REMOTE)
		rc = move_main(c, local, git_commit_id(remote), err);
	if (rc < 0)
		goto out;
	if (how == JOIN_LOCAL && local)
		git_oid_cpy(&tip, git_commit_id(local));
	else if (how == JOIN_REMOTE)
		git_oid_cpy(&tip, git_commit_id(remote));
	if (local || remote)
		git_oid_tostr(c->res->tip, sizeof(c->res->tip), &tip);
	*done = !local && !remote ? 1 : remote && git_oid_equal(&tip, git_commit_id(remote));
out:
	git_tree_free(ops);
	git_tree_free(lops);
	git_commit_free(local);
	git_commit_free(remote);
	return rc;
}

int sync_run(struct store *s, const char *remote, sync_progress_cb cb, void *ctx,
	     struct sync_result *res, struct cf_err *err)
{
	struct sync_result mine;
	struct sync_ctx *c = xcalloc(1, sizeof(*c));
	int rc, done = 0, moved = 0;

	if (!res)
		res = &mine;
	memset(res, 0, sizeof(*res));
	if (!c)
		return cf_error(err, CF_ERR, "out of memory");
	c->s = s;
	c->cb = cb;
	c->cbctx = ctx;
	c->res = res;
	c->attempt = 1;
	if ((rc = repo_open(store_dir(s), 1, &c->repo, err)) < 0)
		goto out;
	c->git = repo_git(c->repo);
	/* One sync of this case at a time, and no report committed in the middle of one. */
	if ((rc = repo_lock(c->repo, err)) < 0 ||
	    (rc = seal_load(s, c->repo, &c->seal, err)) < 0)
		goto out;
	if ((rc = net_lookup(c, remote ? remote : SYNC_DEFAULT_REMOTE, err)) < 0)
		goto out;
	if (sync_stage(c, SYNC_STAGE_WRITE, 0, 0)) {
		rc = cf_error(err, CF_ERR, "cancelled");
		goto out;
	}
	if ((rc = ops_write_local(c, err)) < 0)
		goto out;
	sync_crash_point("written");
	for (;;) {
		res->attempts = c->attempt;
		rc = round_trip(c, &done, err);
		if (rc == CF_EMOVED && ++moved < SYNC_MAX_ATTEMPTS)
			continue; /* main moved under us (a report committed): join again */
		if (rc == CF_EMOVED)
			rc = cf_error(err, CF_ERR, "main kept moving while syncing; try again");
		if (rc < 0 || done)
			break;
		if (sync_stage(c, SYNC_STAGE_PUSH, 0, 0)) {
			rc = cf_error(err, CF_ERR, "cancelled");
			break;
		}
		sync_crash_point("moved");
		rc = net_push(c, err);
		if (rc == 0) {
			res->pushed = 1;
			break;
		}
		if (rc != CF_EREJECTED || c->attempt >= SYNC_MAX_ATTEMPTS)
			break;
		c->attempt++;
		sync_stage(c, SYNC_STAGE_RETRY, c->attempt, SYNC_MAX_ATTEMPTS);
	}
	res->up_to_date = rc == 0 && !res->pushed && !res->ops_written && !res->ops_received;
out:
	if (c->prog_on && rc < 0)
		progress_stop(&c->prog);
	else if (c->prog_on)
		progress_finish(&c->prog);
	seal_free(c->seal);
	repo_close(c->repo);
	free(c);
	return rc;
}

/* ---- clone ---- */

static int empty_or_missing(const char *dir, int *existed, struct cf_err *err)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	*existed = d != NULL;
	if (!d)
		return errno == ENOENT ? 0 : cf_error(err, CF_EIO, "'%s': %s", dir, strerror(errno));
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
			closedir(d);
			return cf_error(err, CF_EINVAL, "'%s' exists and is not empty", dir);
		}
	closedir(d);
	return 0;
}

static int rm_entry(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
	(void)sb;
	(void)type;
	(void)ftw;
	return remove(path);
}

void sync_rmtree(const char *path)
{
	nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* What a failed clone made: DIR's contents (it was empty or missing), and DIR if it made it. */
static void unmake(const char *dir, int existed)
{
	char path[PATH_MAX + CF_PATH_EXTRA];
	static const char *const made[] = { CF_GIT_DIR, CF_DB_NAME, CF_DB_NAME "-wal",
					    CF_DB_NAME "-shm" };

	for (size_t i = 0; i < sizeof(made) / sizeof(made[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, made[i]);
		sync_rmtree(path);
	}
	if (!existed)
		rmdir(dir);
}

int sync_clone(const char *url, const char *dir, const char *branch, const char *author,
	       const struct cf_identity *id, const struct progress_sink *sink,
	       sync_progress_cb cb, void *ctx, struct sync_result *res, struct cf_err *err)
{
	struct sync_result mine;
	struct store *s = NULL;
	struct cf_record kase;
	int existed = 0, rc;

	if (!res)
		res = &mine;
	memset(res, 0, sizeof(*res));
	if ((rc = empty_or_missing(dir, &existed, err)) < 0)
		return rc;
	if ((rc = store_create_replica(dir, author, &s, err)) < 0)
		return rc;
	store_set_progress(s, sink);
	rc = id ? store_set_identity(s, id, err) : 0;
	if (rc == 0)
		rc = sync_remote_add(s, SYNC_DEFAULT_REMOTE, url, branch, err);
	if (rc == 0)
		rc = sync_run(s, SYNC_DEFAULT_REMOTE, cb, ctx, res, err);
	if (rc == 0 && case_get(s, &kase, err) < 0) {
		char shown[CF_URL_LEN];
		sync_url_shown(url, shown, sizeof(shown));
		if (res->unreadable > 0)
			rc = cf_error(err, CF_EAUTH, "%s: the case is sealed and your identity is"
				      " not among its readers%s: a lead adds you (casefile member"
				      " add) and syncs, then clone again", shown,
				      id ? "" : " (you have none: casefile id init)");
		else
			rc = cf_error(err, CF_ENOTFOUND, "%s: no case on branch %s", shown,
				      branch ? branch : SYNC_DEFAULT_BRANCH);
	}
	if (rc == 0)
		cf_record_release(&kase);
	store_close(s);
	if (rc < 0 && res->ops_received == 0)
		unmake(dir, existed);
	return rc;
}
