/* seal_internal.h — private to export/seal*.c: one case's keys (struct seal), the key files
 * and the epochs, shared by the files (seal.c) and the choice of epoch (seal_epoch.c). */
#ifndef CASEFILE_SEAL_INTERNAL_H
#define CASEFILE_SEAL_INTERNAL_H

#include <git2.h>

#include "export/git/repo.h"
#include "export/seal.h"
#include "store/identity.h"
#include "store/strbuf.h"

#define SEAL_KEY_BYTES crypto_aead_xchacha20poly1305_ietf_KEYBYTES
#define SEAL_NONCE_BYTES crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define SEAL_WRAPPED_BYTES (crypto_box_SEALBYTES + SEAL_KEY_BYTES)
/* Trees keys are looked in: main, the remote's tip (again when a sync retries). */
#define SEAL_ROOTS 4
#define SEAL_HEADER_MAX 64 /* "casefile-sealed 1 " and an epoch, with room */
/* "keys/EPOCH/FINGERPRINT" */
#define SEAL_KEY_PATH_LEN (sizeof(SEAL_KEYS) + SEAL_EPOCH_LEN + CF_FINGERPRINT_LEN + 3)

struct epoch {
	char name[SEAL_EPOCH_LEN + 1];
	unsigned char key[SEAL_KEY_BYTES];
	char signer[CF_SIGNER_LEN + 1]; /* who wrapped it for us */
	int state;			/* 0 not looked for, 1 held, 2 none here, <0 damaged */
	char why[CF_MSG_LEN];		/* when damaged: naming the key file */
};

struct reader {
	char fpr[CF_FINGERPRINT_LEN + 1];
	char signer[CF_SIGNER_LEN + 1];
	unsigned char box_pk[crypto_box_PUBLICKEYBYTES];
	int writer; /* lead or member */
	int lead;
};

struct seal {
	struct store *s;
	struct cf_repo *r;
	git_tree *roots[SEAL_ROOTS];
	size_t nroots;
	int sealed;
	char me[CF_FINGERPRINT_LEN + 1];
	struct epoch *ep;
	size_t nep;
	struct epoch *cur; /* the one written with, once seal_prepare chose */
	size_t cur_i;
	struct repo_change *ch;
	size_t nch;
};

struct key_file {
	char epoch[SEAL_EPOCH_LEN + 1];
	char fpr[CF_FINGERPRINT_LEN + 1];
	char by[CF_SIGNER_LEN + 1];
	char wrapped[2 * SEAL_WRAPPED_BYTES + 1];
	char sig[CF_SIG_HEX + 1];
};

/* Whether NAME (LEN bytes) is an epoch's name. */
int seal_epoch_name_ok(const char *name, size_t len);
/* The keys/ subtree of ROOT, or NULL. */
git_tree *seal_keys_tree(git_repository *git, git_tree *root);
/* The blob at PATH in any of K's trees into *BLOB (first found), or NULL. */
void seal_find_blob(struct seal *k, const char *path, git_blob **blob);
/* Epoch NAME's entry (made when new; K->cur kept valid). */
struct epoch *seal_epoch_of(struct seal *k, const char *name);
/* Epoch NAME's key for this identity, looked for once: its state says what came of it. */
struct epoch *seal_epoch_key(struct seal *k, const char *name);
/* The signed part of a key file into SB. */
void seal_key_text(struct strbuf *sb, const char *epoch, const char *fpr, const char *by,
		   const char *wrapped_hex);
/* Parses and checks key file PATH: well formed, for the epoch and reader its path names,
 * signed by its "by".  0, or -1 with WHY naming PATH. */
int seal_key_parse(const char *path, const char *data, size_t len, struct key_file *kf, char *why,
		   size_t wlen);
/* Forgets the key files seal_prepare made. */
void seal_changes_free(struct seal *k);

#endif
