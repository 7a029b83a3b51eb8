/* identity.h — a user's keys: Ed25519 to sign operations, X25519 to receive sealed case keys.
 * One file, mode 0600, at $CASEFILE_IDENTITY, else $XDG_CONFIG_HOME/casefile/identity, else
 * ~/.config/casefile/identity.  Keys come from libsodium; nothing here is hand-rolled crypto. */
#ifndef CASEFILE_IDENTITY_H
#define CASEFILE_IDENTITY_H

#include "store/store.h"

#include <sodium.h>

#define CF_SIGN_PK_HEX (2 * crypto_sign_PUBLICKEYBYTES) /* 64: an op's "signer" */
#define CF_SIG_HEX (2 * crypto_sign_BYTES)             /* 128: an op's "sig" */
#define CF_FINGERPRINT_LEN 19 /* "3f2a-9c0d-1e4b-5a67": 64 bits of SHA-256(signing key) */
/* "cf1.<64 hex signing key>.<64 hex encryption key>": what `member add` takes. */
#define CF_IDENTITY_PUBLIC_LEN (4 + CF_SIGN_PK_HEX + 1 + 2 * crypto_box_PUBLICKEYBYTES)
#define CF_IDENTITY_NAME_MAX 200 /* a person's name or e-mail address, in bytes */

struct cf_identity {
	char name[CF_IDENTITY_NAME_MAX + 1];
	char email[CF_IDENTITY_NAME_MAX + 1];
	unsigned char sign_pk[crypto_sign_PUBLICKEYBYTES];
	unsigned char sign_sk[crypto_sign_SECRETKEYBYTES]; /* unused when sign_in_agent */
	int sign_in_agent; /* the signing key is sign_pk's, held by ssh-agent (store/ssh_agent.h) */
	unsigned char box_pk[crypto_box_PUBLICKEYBYTES];
	unsigned char box_sk[crypto_box_SECRETKEYBYTES];
};

/* Where the identity file is (or would be) into PATH; CF_EINVAL when neither
 * CASEFILE_IDENTITY, XDG_CONFIG_HOME nor HOME says. */
int cf_identity_path(char *path, size_t len, struct cf_err *err);
/* New keys for NAME <EMAIL>, written to PATH (0600, its directory made 0700); CF_EINVAL when a
 * file is already there: an identity is never overwritten.  With AGENT_PK, the signing key is
 * that key of ssh-agent's (only its public half is written) and only the encryption key is
 * new. */
int cf_identity_create(const char *path, const char *name, const char *email,
		       const unsigned char *agent_pk, struct cf_identity *id, struct cf_err *err);
/* 1 and ID filled, 0 when there is no file at PATH, or an error naming PATH (and the line)
 * when it cannot be read, is damaged, or can be read by others. */
int cf_identity_load(const char *path, struct cf_identity *id, struct cf_err *err);
/* Forgets the secret keys (sodium_memzero). */
void cf_identity_wipe(struct cf_identity *id);

/* The public identity as one token into OUT. */
void cf_identity_public(const struct cf_identity *id, char out[CF_IDENTITY_PUBLIC_LEN + 1]);
/* Parses such a token; CF_EINVAL saying what is wrong with it. */
int cf_identity_parse_public(const char *text, unsigned char sign_pk[crypto_sign_PUBLICKEYBYTES],
			     unsigned char box_pk[crypto_box_PUBLICKEYBYTES], struct cf_err *err);
/* The fingerprint of a signing key given in hex (an op's signer), into OUT; "" when malformed. */
void cf_fingerprint_hex(const char *sign_pk_hex, char out[CF_FINGERPRINT_LEN + 1]);

/* Signs TEXT with ID into SIG (hex), by ssh-agent when the key is held there (which can fail:
 * no agent, key removed, confirmation declined). */
int cf_sign_hex(const struct cf_identity *id, const char *text, size_t len,
		char sig[CF_SIG_HEX + 1], struct cf_err *err);
/* 1 when SIG (hex) is SIGNER's (hex) signature of TEXT, 0 otherwise (malformed included). */
int cf_sign_check(const char *signer, const char *sig, const char *text, size_t len);

#endif
