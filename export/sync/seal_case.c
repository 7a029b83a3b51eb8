/* seal_case.c — `casefile seal` and `casefile init --sealed` (export/seal.h): the first
 * epoch's keys committed; a case that already has history in git gets a new repository in
 * which every commit holds its files sealed, and the old one is removed, so that nothing of
 * its plaintext is left to push.  Refused once the case has a remote: what was pushed there
 * stays readable, and sealing this copy would not change that. */
#include "export/sync/sync_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* 0 when this store's identity is a lead of the case, else CF_EAUTH saying what to do. */
static int check_lead(struct store *s, struct cf_err *err)
{
	int members, lead, rc;

	if (!store_identity(s))
		return cf_error(err, CF_EAUTH,
				"sealing a case needs your identity: run casefile"
				" id init first");
	if ((rc = seal_role(s, &members, &lead, err)) < 0)
		return rc;
	if (members == 0)
		return cf_error(err, CF_EAUTH,
				"the case has no members yet, and a sealed case is"
				" read by its members: add yourself first (casefile member add NAME"
				" IDENTITY, as casefile id show prints it)");
	if (!lead)
		return cf_error(err, CF_EAUTH, "only a lead seals a case, and you are not one");
	return 0;
}

struct remote_find {
	struct cf_err *err;
	int found;
};

static int no_remote(const struct sync_remote *r, void *ctx)
{
	struct remote_find *f = ctx;

	f->found = 1;
	cf_error(f->err, CF_EINVAL,
		 "the case already syncs with remote '%s': what was pushed"
		 " there stays readable, so this copy is not sealed; make a sealed case (casefile"
		 " init --sealed) and share that, or remove the remote (casefile remote rm %s) if"
		 " nothing was ever pushed to it",
		 r->name, r->name);
	return 1;
}

static int seal_blob(void *ctx, const char *path, const char *data, size_t len, char **out,
		     size_t *olen, struct cf_err *err)
{
	if (strncmp(path, "ops/", 4) && strncmp(path, "reports/", 8))
		return 1;
	return seal_close_file(ctx, path, data, len, out, olen, err);
}

static char *seal_msg(void *ctx, const char *message)
{
	(void)ctx;
	return seal_message(message);
}

/* The case's history rewritten with its files sealed (seal_blob) and CH (the first keys) in
 * every commit, into DIR/casefile.git.sealing, which then replaces DIR/casefile.git. */
static int rewrite(struct store *s, struct cf_repo **r, struct seal *k,
		   const struct repo_change *ch, size_t n, int *rewritten, struct cf_err *err)
{
	char *made = xasprintf("%s/" CF_GIT_DIR ".sealing", store_dir(s));
	char *plain = xasprintf("%s/" CF_GIT_DIR ".plain", store_dir(s));
	char *git = xasprintf("%s/" CF_GIT_DIR, store_dir(s));
	int rc;

	sync_rmtree(made); /* left by a seal that was killed */
	sync_rmtree(plain);
	rc = repo_rewrite(*r, made, ch, n, seal_blob, seal_msg, k, rewritten, err);
	if (rc == 0) {
		repo_close(*r); /* and its lock: the directory is about to go */
		*r = NULL;
		if (rename(git, plain) != 0 || rename(made, git) != 0)
			rc = cf_error(err, CF_EIO, "'%s': %s", git, strerror(errno));
	}
	if (rc == 0)
		sync_rmtree(plain);
	else
		sync_rmtree(made);
	free(made);
	free(plain);
	free(git);
	return rc;
}

int seal_case(struct store *s, int *rewritten, struct cf_err *err)
{
	struct cf_repo *r = NULL;
	struct seal *k = NULL;
	const struct repo_change *ch;
	char tip[CF_OID_HEX];
	struct remote_find f = {err, 0};
	size_t n;
	int rc;

	*rewritten = 0;
	if ((rc = check_lead(s, err)) < 0 || (rc = sync_remote_list(s, no_remote, &f, err)) < 0)
		return rc;
	if (f.found)
		return CF_EINVAL;
	if ((rc = repo_open(store_dir(s), 1, &r, err)) < 0)
		return rc;
	if ((rc = repo_lock(r, err)) < 0 || (rc = seal_load(s, r, &k, err)) < 0)
		goto out;
	if (seal_is_sealed(k)) {
		rc = cf_error(err, CF_EINVAL, "the case is sealed already");
		goto out;
	}
	if ((rc = seal_prepare(k, &ch, &n, err)) == 1)
		rc = cf_error(err, CF_EAUTH, "only a member who may write seals a case");
	if (rc < 0)
		goto out;
	rc = repo_resolve(r, NULL, tip, err);
	if (rc == CF_ENOTFOUND) {
		struct repo_commit_opts o = {
		    .message = "Seal the case", .author = store_author(s), .expect = ""};
		rc = repo_commit(r, ch, n, &o, NULL, err);
	} else if (rc == 0) {
		rc = rewrite(s, &r, k, ch, n, rewritten, err);
	}
out:
	seal_free(k);
	repo_close(r);
	return rc < 0 ? rc : 0;
}
