/* seal.c — sealed cases (seal.h): a case's keys found in its trees, the key files read and
 * checked, and sealed files opened and closed with libsodium (crypto_box_seal to wrap a case
 * key, XChaCha20-Poly1305 for the files; nothing here is hand-rolled crypto). */
#include "export/seal_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "store/xalloc.h"

int seal_epoch_name_ok(const char *name, size_t len)
{
	if (len != SEAL_EPOCH_LEN || name[12] != '-')
		return 0;
	for (size_t i = 0; i < len; i++)
		if (i != 12 && !((name[i] >= '0' && name[i] <= '9') ||
				 (i > 12 && name[i] >= 'a' && name[i] <= 'z')))
			return 0;
	return 1;
}

git_tree *seal_keys_tree(git_repository *git, git_tree *root)
{
	git_tree_entry *e = NULL;
	git_tree *t = NULL;

	if (root && git_tree_entry_bypath(&e, root, SEAL_KEYS) == 0 &&
	    git_tree_entry_type(e) == GIT_OBJECT_TREE)
		git_tree_lookup(&t, git, git_tree_entry_id(e));
	git_tree_entry_free(e);
	return t;
}

int seal_commit_sealed(struct cf_repo *r, git_commit *c)
{
	git_tree *root = NULL, *k;

	if (!c || git_commit_tree(&root, c) < 0)
		return 0;
	k = seal_keys_tree(repo_git(r), root);
	git_tree_free(root);
	git_tree_free(k);
	return k != NULL;
}

int seal_add_commit(struct seal *k, git_commit *c, struct cf_err *err)
{
	git_tree *root = NULL, *keys;

	if (!c)
		return 0;
	if (git_commit_tree(&root, c) < 0)
		return cf_error(err, CF_EIO, "cannot read a commit's tree");
	for (size_t i = 0; i < k->nroots; i++)
		if (git_oid_equal(git_tree_id(root), git_tree_id(k->roots[i]))) {
			git_tree_free(root);
			return 0;
		}
	if (k->nroots == SEAL_ROOTS) /* a sync tried again: the newest tip replaces the last */
		git_tree_free(k->roots[--k->nroots]);
	if ((keys = seal_keys_tree(repo_git(k->r), root))) {
		k->sealed = 1;
		git_tree_free(keys);
	}
	k->roots[k->nroots++] = root;
	for (size_t i = 0; i < k->nep; i++)
		if (k->ep[i].state == 2)
			k->ep[i].state = 0; /* look again: this tree may have it */
	return 0;
}

int seal_load(struct store *s, struct cf_repo *r, struct seal **out, struct cf_err *err)
{
	struct seal *k = xcalloc(1, sizeof(*k));
	const struct cf_identity *id = store_identity(s);
	git_commit *tip = NULL;
	git_oid oid;
	int rc = 0;

	k->s = s;
	k->r = r;
	if (id) {
		char hex[CF_SIGNER_LEN + 1];
		sodium_bin2hex(hex, sizeof(hex), id->sign_pk, sizeof(id->sign_pk));
		cf_fingerprint_hex(hex, k->me);
	}
	if (git_reference_name_to_id(&oid, repo_git(r), CF_GIT_MAIN) == 0 &&
	    git_commit_lookup(&tip, repo_git(r), &oid) == 0)
		rc = seal_add_commit(k, tip, err);
	git_commit_free(tip);
	if (rc < 0) {
		seal_free(k);
		return rc;
	}
	*out = k;
	return 0;
}

void seal_changes_free(struct seal *k)
{
	for (size_t i = 0; i < k->nch; i++) {
		free((char *)k->ch[i].path);
		free((char *)k->ch[i].data);
	}
	free(k->ch);
	k->ch = NULL;
	k->nch = 0;
}

void seal_free(struct seal *k)
{
	if (!k)
		return;
	for (size_t i = 0; i < k->nroots; i++)
		git_tree_free(k->roots[i]);
	if (k->ep)
		sodium_memzero(k->ep, k->nep * sizeof(*k->ep));
	free(k->ep);
	seal_changes_free(k);
	free(k);
}

int seal_is_sealed(const struct seal *k)
{
	return k && k->sealed;
}

/* ---- key files ---- */

/* The signed part of a key file: what follows "sig " is the signature of these lines. */
void seal_key_text(struct strbuf *sb, const char *epoch, const char *fpr, const char *by,
		   const char *wrapped_hex)
{
	strbuf_addf(sb, "casefile-key 1\nepoch %s\nfor %s\nby %s\nwrapped %s\n", epoch, fpr, by,
		    wrapped_hex);
}

/* One line "NAME VALUE\n" at *P into VALUE (LEN bytes, exactly WANT characters when WANT). */
static int key_line(const char **p, const char *end, const char *name, char *value, size_t len,
		    size_t want)
{
	size_t n = strlen(name);
	const char *nl = memchr(*p, '\n', (size_t)(end - *p));

	if (!nl || (size_t)(nl - *p) <= n + 1 || memcmp(*p, name, n) || (*p)[n] != ' ')
		return -1;
	if ((size_t)(nl - *p - (ptrdiff_t)n - 1) >= len ||
	    (want && (size_t)(nl - *p - (ptrdiff_t)n - 1) != want))
		return -1;
	memcpy(value, *p + n + 1, (size_t)(nl - *p) - n - 1);
	value[(size_t)(nl - *p) - n - 1] = '\0';
	*p = nl + 1;
	return 0;
}

/* Parses and checks key file PATH ("keys/EPOCH/FPR"): well formed, for the epoch and reader
 * its path names, and signed by its "by".  0, or -1 with WHY. */
int seal_key_parse(const char *path, const char *data, size_t len, struct key_file *kf, char *why,
		   size_t wlen)
{
	const char *p = data, *end = data + len, *head = "casefile-key 1\n";
	char want[SEAL_KEY_PATH_LEN];
	size_t signed_len;

	if (len < strlen(head) || memcmp(data, head, strlen(head))) {
		snprintf(why, wlen, "%s: not a casefile key file", path);
		return -1;
	}
	p += strlen(head);
	if (key_line(&p, end, "epoch", kf->epoch, sizeof(kf->epoch), SEAL_EPOCH_LEN) < 0 ||
	    key_line(&p, end, "for", kf->fpr, sizeof(kf->fpr), CF_FINGERPRINT_LEN) < 0 ||
	    key_line(&p, end, "by", kf->by, sizeof(kf->by), CF_SIGNER_LEN) < 0 ||
	    key_line(&p, end, "wrapped", kf->wrapped, sizeof(kf->wrapped), 2 * SEAL_WRAPPED_BYTES) <
		0 ||
	    (signed_len = (size_t)(p - data),
	     key_line(&p, end, "sig", kf->sig, sizeof(kf->sig), CF_SIG_HEX) < 0) ||
	    p != end) {
		snprintf(why, wlen, "%s: damaged key file (a line is missing or malformed)", path);
		return -1;
	}
	snprintf(want, sizeof(want), SEAL_KEYS "/%s/%s", kf->epoch, kf->fpr);
	if (strcmp(want, path) != 0) {
		snprintf(why, wlen, "%s: the key file says it is %s", path, want);
		return -1;
	}
	if (!cf_sign_check(kf->by, kf->sig, data, signed_len)) {
		snprintf(why, wlen, "%s: the key file's signature does not hold", path);
		return -1;
	}
	return 0;
}

/* The blob at PATH in any of K's trees into *BLOB (first found), or NULL. */
void seal_find_blob(struct seal *k, const char *path, git_blob **blob)
{
	*blob = NULL;
	for (size_t i = 0; i < k->nroots && !*blob; i++) {
		git_tree_entry *e = NULL;
		if (git_tree_entry_bypath(&e, k->roots[i], path) == 0 &&
		    git_tree_entry_type(e) == GIT_OBJECT_BLOB)
			git_blob_lookup(blob, repo_git(k->r), git_tree_entry_id(e));
		git_tree_entry_free(e);
	}
}

struct epoch *seal_epoch_of(struct seal *k, const char *name)
{
	struct epoch *e;

	for (size_t i = 0; i < k->nep; i++)
		if (strcmp(k->ep[i].name, name) == 0)
			return &k->ep[i];
	if (k->cur)
		k->cur_i = (size_t)(k->cur - k->ep);
	k->ep = xrealloc(k->ep, (k->nep + 1) * sizeof(*k->ep));
	if (k->cur)
		k->cur = &k->ep[k->cur_i];
	e = &k->ep[k->nep++];
	memset(e, 0, sizeof(*e));
	cf_strlcpy(e->name, name, sizeof(e->name));
	return e;
}

/* Epoch NAME's key for this identity, looked for once: E->state says what came of it. */
struct epoch *seal_epoch_key(struct seal *k, const char *name)
{
	struct epoch *e = seal_epoch_of(k, name);
	const struct cf_identity *id = store_identity(k->s);
	unsigned char wrapped[SEAL_WRAPPED_BYTES];
	char path[SEAL_KEY_PATH_LEN];
	struct key_file kf;
	git_blob *blob;

	if (e->state != 0)
		return e;
	e->state = 2;
	if (!id)
		return e;
	snprintf(path, sizeof(path), SEAL_KEYS "/%s/%s", name, k->me);
	seal_find_blob(k, path, &blob);
	if (!blob)
		return e;
	if (seal_key_parse(path, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob), &kf,
			   e->why, sizeof(e->why)) < 0) {
		e->state = -1;
	} else if (sodium_hex2bin(wrapped, sizeof(wrapped), kf.wrapped, strlen(kf.wrapped), NULL,
				  NULL, NULL) < 0 ||
		   crypto_box_seal_open(e->key, wrapped, sizeof(wrapped), id->box_pk, id->box_sk) !=
		       0) {
		snprintf(e->why, sizeof(e->why), "%s: the key does not open with your identity",
			 path);
		e->state = -1;
	} else {
		memcpy(e->signer, kf.by, sizeof(e->signer));
		e->state = 1;
	}
	git_blob_free(blob);
	return e;
}

/* ---- sealed files ---- */

/* Contents are compressed (zlib, fastest level) before they are sealed: ciphertext does not
 * compress, and git deflating 10 MB of it at every write and copy made a sync sending 10,000
 * operations 1.8-2.3x an unsealed one (0.84 s against 0.47 s, load 3); compressed first, the
 * blobs are a quarter the size and the same sync is 0.88x (tests/bench/bench_sealed.sh,
 * 2026-12-04, load 6).  What git shows is then the compressed size (casefile-format(5)). */
#define SEAL_ZLIB_LEVEL Z_BEST_SPEED
#define SEAL_PLAIN_MAX ((size_t)1 << 30) /* a sealed file opens to at most 1 GiB */

static void header(struct strbuf *sb, const char *epoch)
{
	strbuf_addf(sb, SEAL_MAGIC "%s\n", epoch);
}

/* DATA (LEN bytes) compressed into a new buffer *OUT (*OLEN bytes); CF_ERR when zlib fails. */
static int squeeze(const char *data, size_t len, unsigned char **out, size_t *olen)
{
	uLongf n = compressBound((uLong)len);

	*out = xmalloc(n);
	if (len > SEAL_PLAIN_MAX ||
	    compress2(*out, &n, (const Bytef *)data, (uLong)len, SEAL_ZLIB_LEVEL) != Z_OK) {
		free(*out);
		*out = NULL;
		return CF_ERR;
	}
	*olen = n;
	return 0;
}

/* Z (ZLEN bytes) inflated into a new NUL-terminated buffer *OUT; -1 when it is not one zlib
 * stream of at most SEAL_PLAIN_MAX bytes. */
static int unsqueeze(const unsigned char *z, size_t zlen, char **out, size_t *olen)
{
	struct strbuf sb = STRBUF_INIT;
	z_stream zs = { 0 };
	int zr = Z_OK;

	if (inflateInit(&zs) != Z_OK)
		return -1;
	zs.next_in = (Bytef *)z;
	zs.avail_in = (uInt)zlen;
	while (zr == Z_OK && sb.len < SEAL_PLAIN_MAX) {
		strbuf_grow(&sb, zlen * 4 + 4096);
		zs.next_out = (Bytef *)sb.buf + sb.len;
		zs.avail_out = (uInt)(sb.alloc - sb.len - 1);
		zr = inflate(&zs, Z_NO_FLUSH);
		sb.len = sb.alloc - 1 - zs.avail_out;
		sb.buf[sb.len] = '\0';
	}
	inflateEnd(&zs);
	if (zr != Z_STREAM_END || zs.avail_in != 0) {
		strbuf_release(&sb);
		return -1;
	}
	*out = strbuf_detach(&sb, olen);
	return 0;
}

int seal_open_file(struct seal *k, const char *path, const char *data, size_t len, char **out,
		   size_t *olen, struct cf_err *err)
{
	size_t magic = strlen(SEAL_MAGIC), hlen;
	const char *nl = memchr(data, '\n', len < SEAL_HEADER_MAX ? len : SEAL_HEADER_MAX);
	struct strbuf ad = STRBUF_INIT;
	unsigned long long n;
	char name[SEAL_EPOCH_LEN + 1];
	unsigned char *z;
	struct epoch *e;
	int rc = 0;

	*out = NULL;
	*olen = 0;
	if (!nl || len < magic || memcmp(data, SEAL_MAGIC, magic) ||
	    !seal_epoch_name_ok(data + magic, (size_t)(nl - data) - magic))
		return cf_error(err, CF_ETAMPER, "%s: not a sealed file (this case is sealed)",
				path);
	hlen = (size_t)(nl - data) + 1;
	memcpy(name, data + magic, SEAL_EPOCH_LEN);
	name[SEAL_EPOCH_LEN] = '\0';
	if (len < hlen + SEAL_NONCE_BYTES + crypto_aead_xchacha20poly1305_ietf_ABYTES)
		return cf_error(err, CF_ETAMPER, "%s: sealed file cut short", path);
	e = seal_epoch_key(k, name);
	if (e->state == 2)
		return 1;
	if (e->state < 0)
		return cf_error(err, CF_ETAMPER, "%s: cannot be opened: %s", path, e->why);
	strbuf_add(&ad, data, hlen);
	strbuf_addstr(&ad, path);
	z = xmalloc(len - hlen - SEAL_NONCE_BYTES);
	if (crypto_aead_xchacha20poly1305_ietf_decrypt(
		z, &n, NULL, (const unsigned char *)data + hlen + SEAL_NONCE_BYTES,
		len - hlen - SEAL_NONCE_BYTES, (const unsigned char *)ad.buf, ad.len,
		(const unsigned char *)data + hlen, e->key) != 0)
		rc = cf_error(err, CF_ETAMPER,
			      "%s: sealed file does not open with the key of epoch"
			      " %s: damaged, or moved from another name",
			      path, name);
	else if (unsqueeze(z, (size_t)n, out, olen) < 0)
		rc = cf_error(err, CF_ETAMPER, "%s: sealed file opens, but its contents do not"
			      " decompress", path);
	free(z);
	strbuf_release(&ad);
	return rc;
}

int seal_close_file(struct seal *k, const char *path, const char *data, size_t len, char **out,
		    size_t *olen, struct cf_err *err)
{
	struct strbuf ad = STRBUF_INIT;
	unsigned long long n;
	unsigned char *z;
	size_t hlen, zlen;
	char *buf;

	if (!k->cur)
		return cf_error(err, CF_EAUTH,
				"%s: this case is sealed and you (%s) are not a"
				" member who may write: a lead adds you (casefile member add)",
				path, k->me[0] ? k->me : "no identity");
	if (squeeze(data, len, &z, &zlen) < 0)
		return cf_error(err, CF_ERR, "%s: cannot be compressed to be sealed", path);
	header(&ad, k->cur->name);
	hlen = ad.len;
	buf = xmalloc(hlen + SEAL_NONCE_BYTES + zlen + crypto_aead_xchacha20poly1305_ietf_ABYTES);
	memcpy(buf, ad.buf, hlen);
	strbuf_addstr(&ad, path);
	randombytes_buf(buf + hlen, SEAL_NONCE_BYTES);
	crypto_aead_xchacha20poly1305_ietf_encrypt((unsigned char *)buf + hlen + SEAL_NONCE_BYTES,
						   &n, z, zlen, (const unsigned char *)ad.buf,
						   ad.len, NULL, (const unsigned char *)buf + hlen,
						   k->cur->key);
	free(z);
	strbuf_release(&ad);
	*out = buf;
	*olen = hlen + SEAL_NONCE_BYTES + (size_t)n;
	return 0;
}
