/* ssh_agent.h — signing with an Ed25519 key held by ssh-agent (or anything speaking its
 * protocol: gpg-agent, a hardware token's agent), so casefile stores no signing secret.
 * The agent protocol is framing only (draft-miller-ssh-agent); the signature it returns is a
 * plain Ed25519 signature, checked here with libsodium before it is used. */
#ifndef CASEFILE_SSH_AGENT_H
#define CASEFILE_SSH_AGENT_H

#include "store/store.h"

#include <sodium.h>

#define CF_AGENT_COMMENT_MAX 256 /* bytes of a key's comment kept (longer ones are cut) */
#define CF_AGENT_KEYS_MAX 64     /* keys read from one agent */

struct cf_agent_key {
	unsigned char pk[crypto_sign_PUBLICKEYBYTES];
	char comment[CF_AGENT_COMMENT_MAX + 1];
};

/* The agent's Ed25519 keys (other kinds are skipped) into KEYS (at most CF_AGENT_KEYS_MAX),
 * their number into N.  CF_ENOTFOUND when SSH_AUTH_SOCK is unset, CF_EIO when the agent
 * cannot be reached or answers out of protocol. */
int cf_agent_keys(struct cf_agent_key *keys, size_t *n, struct cf_err *err);
/* Has the agent sign TEXT with the key PK; SIG is then a detached Ed25519 signature that
 * crypto_sign_verify_detached accepts (checked). */
int cf_agent_sign(const unsigned char pk[crypto_sign_PUBLICKEYBYTES], const char *text,
		  size_t len, unsigned char sig[crypto_sign_BYTES], struct cf_err *err);
/* Closes the connection kept open between signatures (at exit; harmless when none). */
void cf_agent_close(void);

#endif
