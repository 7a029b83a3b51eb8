/* ssh_agent.c — a client for the ssh-agent protocol's two requests casefile needs: list the
 * keys, sign with one.  One connection is kept between signatures (an import signs thousands
 * of operations); every length the agent sends is bounded before it is believed. */
#include "store/ssh_agent.h"
#include "store/internal.h"
#include "store/strbuf.h"
#include "store/xalloc.h"

#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

enum {
	AGENT_FAILURE = 5,
	AGENTC_REQUEST_IDENTITIES = 11,
	AGENT_IDENTITIES_ANSWER = 12,
	AGENTC_SIGN_REQUEST = 13,
	AGENT_SIGN_RESPONSE = 14,
};

#define AGENT_REPLY_MAX (256 * 1024) /* OpenSSH's own limit on an agent message */
/* A hardware token may wait for a touch: long enough for a person, short enough to end. */
#define AGENT_WAIT_MS 60000
#define ED25519_NAME "ssh-ed25519"

static int agent_fd = -1;

void cf_agent_close(void)
{
	if (agent_fd >= 0)
		close(agent_fd);
	agent_fd = -1;
}

static int agent_connect(struct cf_err *err)
{
	const char *path = getenv("SSH_AUTH_SOCK");
	struct sockaddr_un sa;

	if (agent_fd >= 0)
		return 0;
	if (!path || !*path)
		return cf_error(err, CF_ENOTFOUND, "ssh-agent: SSH_AUTH_SOCK is not set (start"
				" ssh-agent and ssh-add your key)");
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sa.sun_path))
		return cf_error(err, CF_EINVAL, "ssh-agent: SSH_AUTH_SOCK is too long");
	memcpy(sa.sun_path, path, strlen(path));
	if ((agent_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		return cf_error(err, CF_EIO, "ssh-agent: %s", strerror(errno));
	if (connect(agent_fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		int e = errno;
		cf_agent_close();
		return cf_error(err, CF_EIO, "ssh-agent at %s: %s", path, strerror(e));
	}
	return 0;
}

static int io_all(int write_side, unsigned char *buf, size_t len, struct cf_err *err)
{
	struct pollfd p = { .fd = agent_fd, .events = write_side ? POLLOUT : POLLIN };

	while (len > 0) {
		ssize_t n;
		int r = poll(&p, 1, AGENT_WAIT_MS);

		if (r == 0)
			return cf_error(err, CF_EIO, "ssh-agent did not answer in %d s",
					AGENT_WAIT_MS / 1000);
		if (r < 0 && errno == EINTR)
			continue;
		n = r < 0 ? -1 : write_side ? send(agent_fd, buf, len, MSG_NOSIGNAL)
					    : recv(agent_fd, buf, len, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return cf_error(err, CF_EIO, "ssh-agent: %s", n == 0 ? "closed the connection"
								      : strerror(errno));
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

static void put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

static uint32_t get32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Sends MSG (its length is prepended) and reads the reply into *REPLY (the caller frees). */
static int agent_call(const struct strbuf *msg, unsigned char **reply, size_t *len,
		      struct cf_err *err)
{
	unsigned char head[4];
	int rc;

	*reply = NULL;
	if ((rc = agent_connect(err)) < 0)
		return rc;
	put32(head, (uint32_t)msg->len);
	if ((rc = io_all(1, head, 4, err)) < 0 ||
	    (rc = io_all(1, (unsigned char *)msg->buf, msg->len, err)) < 0 ||
	    (rc = io_all(0, head, 4, err)) < 0)
		goto fail;
	*len = get32(head);
	if (*len == 0 || *len > AGENT_REPLY_MAX) {
		rc = cf_error(err, CF_EIO, "ssh-agent: a reply of %zu bytes is out of protocol",
			      *len);
		goto fail;
	}
	*reply = xmalloc(*len);
	if ((rc = io_all(0, *reply, *len, err)) < 0)
		goto fail;
	return 0;
fail:
	free(*reply);
	*reply = NULL;
	cf_agent_close(); /* the stream is out of step: start again next time */
	return rc;
}

/* A reader over one reply: every string's length checked against what is left. */
struct reader {
	const unsigned char *p;
	size_t left;
};

static int read_u32(struct reader *r, uint32_t *v)
{
	if (r->left < 4)
		return -1;
	*v = get32(r->p);
	r->p += 4;
	r->left -= 4;
	return 0;
}

static int read_string(struct reader *r, const unsigned char **s, size_t *len)
{
	uint32_t n;

	if (read_u32(r, &n) < 0 || n > r->left)
		return -1;
	*s = r->p;
	*len = n;
	r->p += n;
	r->left -= n;
	return 0;
}

/* PK from an Ed25519 key blob (string "ssh-ed25519", string key); -1 for any other kind. */
static int blob_ed25519(const unsigned char *blob, size_t len, unsigned char *pk)
{
	struct reader r = { blob, len };
	const unsigned char *name, *key;
	size_t nlen, klen;

	if (read_string(&r, &name, &nlen) < 0 || nlen != strlen(ED25519_NAME) ||
	    memcmp(name, ED25519_NAME, nlen) != 0 || read_string(&r, &key, &klen) < 0 ||
	    klen != crypto_sign_PUBLICKEYBYTES || r.left != 0)
		return -1;
	memcpy(pk, key, klen);
	return 0;
}

static void put_string(struct strbuf *b, const void *s, size_t len)
{
	unsigned char n[4];

	put32(n, (uint32_t)len);
	strbuf_add(b, n, 4);
	strbuf_add(b, s, len);
}

static int out_of_protocol(struct cf_err *err, const char *what)
{
	cf_agent_close();
	return cf_error(err, CF_EIO, "ssh-agent: %s is out of protocol", what);
}

static int read_keys(struct reader *r, struct cf_agent_key *keys, size_t *n, struct cf_err *err)
{
	uint32_t count;

	if (read_u32(r, &count) < 0)
		return out_of_protocol(err, "the key list");
	for (uint32_t i = 0; i < count; i++) {
		const unsigned char *blob, *comment;
		size_t blen, clen;

		if (read_string(r, &blob, &blen) < 0 || read_string(r, &comment, &clen) < 0)
			return out_of_protocol(err, "the key list");
		if (*n == CF_AGENT_KEYS_MAX || blob_ed25519(blob, blen, keys[*n].pk) < 0)
			continue;
		if (clen > CF_AGENT_COMMENT_MAX)
			clen = CF_AGENT_COMMENT_MAX;
		memcpy(keys[*n].comment, comment, clen);
		keys[*n].comment[clen] = '\0';
		(*n)++;
	}
	return 0;
}

int cf_agent_keys(struct cf_agent_key *keys, size_t *n, struct cf_err *err)
{
	struct strbuf msg = STRBUF_INIT;
	unsigned char *reply;
	size_t len;
	int rc;

	*n = 0;
	strbuf_addch(&msg, AGENTC_REQUEST_IDENTITIES);
	rc = agent_call(&msg, &reply, &len, err);
	strbuf_release(&msg);
	if (rc < 0)
		return rc;
	if (reply[0] != AGENT_IDENTITIES_ANSWER) {
		rc = out_of_protocol(err, "the answer to a key list request");
	} else {
		struct reader r = { reply + 1, len - 1 };
		rc = read_keys(&r, keys, n, err);
	}
	free(reply);
	return rc;
}

static void sign_request(struct strbuf *msg, const unsigned char *pk, const char *text,
			 size_t len)
{
	struct strbuf blob = STRBUF_INIT;

	put_string(&blob, ED25519_NAME, strlen(ED25519_NAME));
	put_string(&blob, pk, crypto_sign_PUBLICKEYBYTES);
	strbuf_addch(msg, AGENTC_SIGN_REQUEST);
	put_string(msg, blob.buf, blob.len);
	put_string(msg, text, len);
	strbuf_add(msg, "\0\0\0\0", 4); /* flags: none apply to Ed25519 */
	strbuf_release(&blob);
}

/* The 64 signature bytes from a sign response's blob (string "ssh-ed25519", string sig). */
static int read_signature(const unsigned char *reply, size_t len, unsigned char *sig)
{
	struct reader r = { reply + 1, len - 1 }, b;
	const unsigned char *blob, *name, *bytes;
	size_t blen, nlen, slen;

	if (reply[0] != AGENT_SIGN_RESPONSE || read_string(&r, &blob, &blen) < 0)
		return -1;
	b.p = blob;
	b.left = blen;
	if (read_string(&b, &name, &nlen) < 0 || nlen != strlen(ED25519_NAME) ||
	    memcmp(name, ED25519_NAME, nlen) != 0 || read_string(&b, &bytes, &slen) < 0 ||
	    slen != crypto_sign_BYTES)
		return -1;
	memcpy(sig, bytes, slen);
	return 0;
}

int cf_agent_sign(const unsigned char pk[crypto_sign_PUBLICKEYBYTES], const char *text,
		  size_t len, unsigned char sig[crypto_sign_BYTES], struct cf_err *err)
{
	struct strbuf msg = STRBUF_INIT;
	unsigned char *reply;
	size_t rlen;
	int rc;

	sign_request(&msg, pk, text, len);
	rc = agent_call(&msg, &reply, &rlen, err);
	strbuf_release(&msg);
	if (rc < 0)
		return rc;
	if (reply[0] == AGENT_FAILURE)
		rc = cf_error(err, CF_EAUTH, "ssh-agent refused to sign: is the key still added"
			      " (ssh-add -l), or was the confirmation declined?");
	else if (read_signature(reply, rlen, sig) < 0)
		rc = out_of_protocol(err, "the signature");
	else if (crypto_sign_verify_detached(sig, (const unsigned char *)text, len, pk) != 0)
		rc = cf_error(err, CF_EAUTH, "ssh-agent returned a signature that does not hold"
			      " for the key");
	free(reply);
	return rc;
}
