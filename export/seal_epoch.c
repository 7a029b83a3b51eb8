/* seal_epoch.c — which epoch a sealed case is written with (seal.h): a new one when a reader
 * of the newest is no longer a member, each key wrapped for the members who lack it; the key
 * files checked for verify; what a sealed case's commit messages may say. */
#include "export/seal_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/xalloc.h"

/* ---- the epoch to write with ---- */

struct readers {
	struct reader *v;
	size_t n;
};

static int add_reader(const struct cf_record *r, void *ctx)
{
	struct readers *rs = ctx;
	const char *identity = cf_record_get(r, "identity"), *role = cf_record_get(r, "role");
	unsigned char sign_pk[crypto_sign_PUBLICKEYBYTES];
	struct reader *m;

	if (!identity || !role)
		return 0;
	rs->v = xrealloc(rs->v, (rs->n + 1) * sizeof(*rs->v));
	m = &rs->v[rs->n];
	if (cf_identity_parse_public(identity, sign_pk, m->box_pk, NULL) < 0)
		return 0; /* cannot be wrapped for: a record member_rule never lets sign either */
	sodium_bin2hex(m->signer, sizeof(m->signer), sign_pk, sizeof(sign_pk));
	cf_fingerprint_hex(m->signer, m->fpr);
	m->writer = strcmp(role, "viewer") != 0;
	m->lead = strcmp(role, "lead") == 0;
	rs->n++;
	return 0;
}

static const struct reader *reader_by(const struct readers *rs, const char *fpr, const char *signer)
{
	for (size_t i = 0; i < rs->n; i++)
		if ((fpr && strcmp(rs->v[i].fpr, fpr) == 0) ||
		    (signer && strcmp(rs->v[i].signer, signer) == 0))
			return &rs->v[i];
	return NULL;
}

/* The names under keys/ (DIR NULL) or keys/DIR in any of K's trees, sorted, no repeats. */
struct names {
	char (*v)[SEAL_EPOCH_LEN + 1];
	size_t n;
};

static int by_name(const void *a, const void *b)
{
	return strcmp(a, b);
}

static void list_names(struct seal *k, const char *dir, struct names *out)
{
	for (size_t r = 0; r < k->nroots; r++) {
		git_tree *keys = seal_keys_tree(repo_git(k->r), k->roots[r]), *t = NULL;
		const git_tree_entry *e = dir && keys ? git_tree_entry_byname(keys, dir) : NULL;

		if (dir && e && git_tree_entry_type(e) == GIT_OBJECT_TREE)
			git_tree_lookup(&t, repo_git(k->r), git_tree_entry_id(e));
		for (size_t i = 0; (dir ? t : keys) && i < git_tree_entrycount(dir ? t : keys);
		     i++) {
			const char *name =
			    git_tree_entry_name(git_tree_entry_byindex(dir ? t : keys, i));
			size_t have = 0;
			if (strlen(name) > SEAL_EPOCH_LEN ||
			    (!dir && !seal_epoch_name_ok(name, strlen(name))))
				continue;
			while (have < out->n && strcmp(out->v[have], name))
				have++;
			if (have < out->n)
				continue;
			out->v = xrealloc(out->v, (out->n + 1) * sizeof(*out->v));
			cf_strlcpy(out->v[out->n++], name, sizeof(out->v[0]));
		}
		git_tree_free(t);
		git_tree_free(keys);
	}
	if (out->n)
		qsort(out->v, out->n, sizeof(*out->v), by_name);
}

int seal_role(struct store *s, int *members, int *lead, struct cf_err *err)
{
	const struct cf_identity *id = store_identity(s);
	struct cf_page page = {0};
	struct readers rs = {0};
	const struct reader *me = NULL;
	char hex[CF_SIGNER_LEN + 1];
	int rc = record_list(s, CF_MEMBER, &page, add_reader, &rs, err);

	if (rc >= 0 && id) {
		sodium_bin2hex(hex, sizeof(hex), id->sign_pk, sizeof(id->sign_pk));
		me = reader_by(&rs, NULL, hex);
	}
	*members = (int)rs.n;
	*lead = me && me->lead;
	free(rs.v);
	return rc < 0 ? rc : 0;
}

/* Whether the newest epoch NAME may be written with: its key held here, wrapped by a member
 * who may write, and every reader it was wrapped for still a member. */
static int usable(struct seal *k, const char *name, const struct readers *rs)
{
	struct epoch *e = seal_epoch_key(k, name);
	struct names who = {0};
	int ok = e->state == 1;
	const struct reader *by = ok ? reader_by(rs, NULL, e->signer) : NULL;

	ok = ok && by && by->writer;
	list_names(k, name, &who);
	for (size_t i = 0; ok && i < who.n; i++)
		ok = reader_by(rs, who.v[i], NULL) != NULL;
	free(who.v);
	return ok;
}

/* Key file keys/E/FOR wrapped for R, signed by this identity, into K's changes. */
static int wrap_for(struct seal *k, const struct epoch *e, const struct reader *r,
		    struct cf_err *err)
{
	const struct cf_identity *id = store_identity(k->s);
	unsigned char wrapped[SEAL_WRAPPED_BYTES];
	char hex[2 * SEAL_WRAPPED_BYTES + 1], by[CF_SIGNER_LEN + 1], sig[CF_SIG_HEX + 1];
	struct strbuf sb = STRBUF_INIT;

	crypto_box_seal(wrapped, e->key, sizeof(e->key), r->box_pk);
	sodium_bin2hex(hex, sizeof(hex), wrapped, sizeof(wrapped));
	sodium_bin2hex(by, sizeof(by), id->sign_pk, sizeof(id->sign_pk));
	seal_key_text(&sb, e->name, r->fpr, by, hex);
	if (cf_sign_hex(id, sb.buf, sb.len, sig, err) < 0) { /* ssh-agent gone, say */
		strbuf_release(&sb);
		return err->code;
	}
	strbuf_addf(&sb, "sig %s\n", sig);
	k->ch = xrealloc(k->ch, (k->nch + 1) * sizeof(*k->ch));
	k->ch[k->nch].path = xasprintf(SEAL_KEYS "/%s/%s", e->name, r->fpr);
	k->ch[k->nch].data = strbuf_detach(&sb, &k->ch[k->nch].len);
	k->nch++;
	return 0;
}

/* Epoch E's key wrapped for each reader who lacks it. */
static int wrap_epoch(struct seal *k, const struct epoch *e, const struct readers *rs,
		      struct cf_err *err)
{
	int rc = 0;

	for (size_t m = 0; rc == 0 && m < rs->n; m++) {
		char path[SEAL_KEY_PATH_LEN];
		git_blob *blob;
		snprintf(path, sizeof(path), SEAL_KEYS "/%s/%s", e->name, rs->v[m].fpr);
		seal_find_blob(k, path, &blob);
		if (!blob)
			rc = wrap_for(k, e, &rs->v[m], err);
		git_blob_free(blob);
	}
	return rc;
}

/* Every key held here (older epochs' too: a member added later reads the whole case)
 * wrapped for each reader who lacks it. */
static int wrap_missing(struct seal *k, const struct names *epochs, const struct readers *rs,
			struct cf_err *err)
{
	int fresh = 1, rc = 0;

	for (size_t i = 0; rc == 0 && i < epochs->n; i++) {
		struct epoch *e = seal_epoch_key(k, epochs->v[i]);
		fresh = fresh && e != k->cur;
		if (e->state == 1)
			rc = wrap_epoch(k, e, rs, err);
	}
	if (rc == 0 && fresh)
		rc = wrap_epoch(k, k->cur, rs, err);
	return rc;
}

int seal_prepare(struct seal *k, const struct repo_change **ch, size_t *n, struct cf_err *err)
{
	const struct cf_identity *id = store_identity(k->s);
	struct cf_page page = {0};
	struct readers rs = {0};
	struct names epochs = {0};
	const struct reader *me;
	int rc;

	*ch = NULL;
	*n = 0;
	seal_changes_free(k);
	k->cur = NULL;
	if (!id)
		return 1;
	if ((rc = record_list(k->s, CF_MEMBER, &page, add_reader, &rs, err)) < 0)
		goto out;
	rc = 0;
	if (!(me = reader_by(&rs, k->me, NULL)) || !me->writer) {
		rc = 1; /* nothing to write with: seal_close_file says so if it is asked */
		goto out;
	}
	list_names(k, NULL, &epochs);
	if (epochs.n && usable(k, epochs.v[epochs.n - 1], &rs)) {
		k->cur = seal_epoch_key(k, epochs.v[epochs.n - 1]);
	} else {
		long long num = epochs.n ? strtoll(epochs.v[epochs.n - 1], NULL, 10) + 1 : 1;
		char name[SEAL_EPOCH_LEN + 1];
		snprintf(name, sizeof(name), "%012lld-%s", num, store_replica(k->s));
		k->cur = seal_epoch_of(k, name);
		randombytes_buf(k->cur->key, sizeof(k->cur->key));
		sodium_bin2hex(k->cur->signer, sizeof(k->cur->signer), id->sign_pk,
			       sizeof(id->sign_pk));
		k->cur->state = 1;
	}
	k->sealed = 1;
	if ((rc = wrap_missing(k, &epochs, &rs, err)) < 0)
		goto out;
	*ch = k->ch;
	*n = k->nch;
out:
	free(epochs.v);
	free(rs.v);
	return rc;
}

/* ---- verify ---- */

int seal_check_keys(struct seal *k, seal_problem_cb cb, void *ctx, struct cf_err *err)
{
	git_tree *keys = k->nroots ? seal_keys_tree(repo_git(k->r), k->roots[0]) : NULL;
	int count = 0;

	(void)err;
	for (size_t i = 0; keys && i < git_tree_entrycount(keys); i++) {
		const git_tree_entry *d = git_tree_entry_byindex(keys, i);
		git_tree *t = NULL;
		char path[PATH_MAX], why[CF_MSG_LEN];

		snprintf(path, sizeof(path), SEAL_KEYS "/%s", git_tree_entry_name(d));
		if (git_tree_entry_type(d) != GIT_OBJECT_TREE ||
		    !seal_epoch_name_ok(git_tree_entry_name(d), strlen(git_tree_entry_name(d))) ||
		    git_tree_lookup(&t, repo_git(k->r), git_tree_entry_id(d)) < 0) {
			cb(ctx, path, "not an epoch's directory of key files");
			continue;
		}
		for (size_t j = 0; j < git_tree_entrycount(t); j++) {
			const git_tree_entry *f = git_tree_entry_byindex(t, j);
			git_blob *blob = NULL;
			struct key_file kf;

			snprintf(path, sizeof(path), SEAL_KEYS "/%s/%s", git_tree_entry_name(d),
				 git_tree_entry_name(f));
			count++;
			if (git_tree_entry_type(f) != GIT_OBJECT_BLOB ||
			    git_blob_lookup(&blob, repo_git(k->r), git_tree_entry_id(f)) < 0) {
				cb(ctx, path, "not a key file");
				continue;
			}
			if (seal_key_parse(path, git_blob_rawcontent(blob),
					   (size_t)git_blob_rawsize(blob), &kf, why,
					   sizeof(why)) < 0)
				cb(ctx, path, why);
			git_blob_free(blob);
		}
		git_tree_free(t);
	}
	git_tree_free(keys);
	return count;
}

char *seal_message(const char *message)
{
	struct strbuf sb = STRBUF_INIT;
	const char *p = message;

	if (!strstr(message, "\nCasefile-Kind:")) {
		strbuf_addstr(&sb, strncmp(message, "Merge", 5) == 0 ? "Merge\n"
				   : strncmp(message, "Update the case keys", 20) == 0
				       ? "Update the case keys\n"
				       : "Add operations\n");
		return strbuf_detach(&sb, NULL);
	}
	/* A report version: its first line (kind, profile, version, as-of) and trailers. */
	strbuf_add(&sb, message, strcspn(message, "\n"));
	strbuf_addstr(&sb, "\n\n");
	for (; (p = strstr(p, "\nCasefile-")); p++)
		strbuf_add(&sb, p + 1, strcspn(p + 1, "\n") + 1);
	strbuf_rtrim(&sb);
	strbuf_addch(&sb, '\n');
	return strbuf_detach(&sb, NULL);
}
