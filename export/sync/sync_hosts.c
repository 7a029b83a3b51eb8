/* sync_hosts.c — an ssh server's host key against known_hosts (~/.ssh/known_hosts, then
 * /etc/ssh/ssh_known_hosts), as ssh's StrictHostKeyChecking=yes does: plain and hashed host
 * names, [host]:port, wildcards, @revoked; an unknown host or a changed key is refused. */
#include "export/sync/sync_internal.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { HOST_UNKNOWN, HOST_OK, HOST_CHANGED, HOST_REVOKED };

/* Base64 TEXT (LEN characters) into OUT; its length, or -1. */
static int unbase64(const char *text, size_t len, unsigned char *out, size_t cap)
{
	int n, pad = 0;

	if (len == 0 || len % 4 != 0 || len / 4 * 3 > cap)
		return -1;
	n = EVP_DecodeBlock(out, (const unsigned char *)text, (int)len);
	if (n < 0)
		return -1;
	pad = (text[len - 1] == '=') + (text[len - 2] == '=');
	return n - pad;
}

/* "|1|SALT|HASH": HMAC-SHA1 of NAME keyed with SALT. */
static int hashed_match(const char *pattern, const char *name)
{
	unsigned char salt[EVP_MAX_MD_SIZE], want[EVP_MAX_MD_SIZE], got[EVP_MAX_MD_SIZE];
	const char *bar = strchr(pattern + 3, '|');
	unsigned int glen = 0;
	int slen, wlen;

	if (!bar)
		return 0;
	slen = unbase64(pattern + 3, (size_t)(bar - pattern - 3), salt, sizeof(salt));
	wlen = unbase64(bar + 1, strlen(bar + 1), want, sizeof(want));
	if (slen <= 0 || wlen != 20)
		return 0;
	if (!HMAC(EVP_sha1(), salt, slen, (const unsigned char *)name, strlen(name), got, &glen))
		return 0;
	return glen == 20 && memcmp(got, want, 20) == 0;
}

/* ssh's host patterns: '*' and '?' are the only wildcards ('[' is literal, as in
 * "[host]:port"), so fnmatch(3) will not do. */
static int wildmatch(const char *p, const char *s)
{
	for (; *p; p++, s++) {
		if (*p == '*') {
			for (;; s++) {
				if (wildmatch(p + 1, s))
					return 1;
				if (!*s)
					return 0;
			}
		}
		if (!*s || (*p != '?' && *p != *s))
			return 0;
	}
	return *s == '\0';
}

/* The host field of a line ("a,b,!c", "|1|...") against NAME: 1 match, 0 not, -1 negated. */
static int hosts_match(char *field, const char *name)
{
	int hit = 0;

	if (!strncmp(field, "|1|", 3))
		return hashed_match(field, name);
	/* Host names compare without case (NAME is lowercased by the caller). */
	for (char *q = field; *q; q++)
		if (*q >= 'A' && *q <= 'Z')
			*q = (char)(*q - 'A' + 'a');
	for (char *p = strtok(field, ","); p; p = strtok(NULL, ",")) {
		int neg = *p == '!';
		if (!wildmatch(neg ? p + 1 : p, name))
			continue;
		if (neg)
			return -1;
		hit = 1;
	}
	return hit;
}

/* A known_hosts key, decoded: an RSA key of 16384 bits (ssh-keygen's largest) is about 2 KiB,
 * so four times that holds any key OpenSSH writes; a larger one is not a match. */
#define HOST_KEY_MAX 16384
/* A known_hosts line: many host names or patterns and a key in base64 (4/3 of the key). */
#define HOST_LINE_MAX 20000

/* One line of a known_hosts file against NAME and the raw KEY. */
static int check_line(char *line, const char *name, const unsigned char *key, size_t klen)
{
	static unsigned char blob[HOST_KEY_MAX];
	char *marker = NULL, *hosts, *type, *b64;
	int n, revoked;

	line[strcspn(line, "\r\n")] = '\0';
	hosts = strtok(line, " \t");
	if (!hosts || *hosts == '#')
		return HOST_UNKNOWN;
	if (*hosts == '@') {
		marker = hosts;
		hosts = strtok(NULL, " \t");
	}
	type = strtok(NULL, " \t");
	b64 = strtok(NULL, " \t");
	if (!hosts || !type || !b64 || (marker && strcmp(marker, "@revoked") != 0))
		return HOST_UNKNOWN; /* @cert-authority lines: certificates are not supported */
	revoked = marker != NULL;
	n = unbase64(b64, strlen(b64), blob, sizeof(blob));
	if (n < 0)
		return HOST_UNKNOWN;
	if (!revoked && hosts_match(hosts, name) != 1)
		return HOST_UNKNOWN;
	if ((size_t)n == klen && memcmp(blob, key, klen) == 0)
		return revoked ? HOST_REVOKED : HOST_OK;
	/* The same host with another key of the same type: it changed.  The key blob starts with
	 * its type name, so compare that. */
	if (!revoked && (size_t)n > 4 && klen > 4 && memcmp(blob, key, 4) == 0) {
		size_t tl = ((size_t)blob[0] << 24 | (size_t)blob[1] << 16 | (size_t)blob[2] << 8 |
			     blob[3]);
		if (tl + 4 <= (size_t)n && tl + 4 <= klen && memcmp(blob, key, tl + 4) == 0)
			return HOST_CHANGED;
	}
	return HOST_UNKNOWN;
}

static int check_file(const char *path, const char *name, const unsigned char *key,
		      size_t klen, int *verdict)
{
	char line[HOST_LINE_MAX];
	FILE *f = fopen(path, "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		int v = check_line(line, name, key, klen);
		/* Revoked beats everything; a line with the key beats one with another key. */
		if (v == HOST_REVOKED || (v == HOST_OK && *verdict != HOST_REVOKED) ||
		    (v == HOST_CHANGED && *verdict == HOST_UNKNOWN))
			*verdict = v;
		if (v == HOST_REVOKED)
			break;
	}
	fclose(f);
	return 0;
}

int hosts_check(const char *host, int port, const git_cert_hostkey *key, struct cf_err *err)
{
	const char *home = getenv("HOME");
	char name[CF_PHRASE_LEN + CF_NUM_LEN], path[PATH_MAX + CF_PATH_EXTRA];
	int verdict = HOST_UNKNOWN;

	if (!(key->type & GIT_CERT_SSH_RAW) || !key->hostkey || !key->hostkey_len)
		return cf_error(err, CF_EAUTH, "%s: the server's host key cannot be checked",
				host);
	if (port && port != 22)
		snprintf(name, sizeof(name), "[%s]:%d", host, port);
	else
		cf_strlcpy(name, host, sizeof(name));
	for (char *q = name; *q; q++)
		if (*q >= 'A' && *q <= 'Z')
			*q = (char)(*q - 'A' + 'a');
	if (home && *home) {
		snprintf(path, sizeof(path), "%s/.ssh/known_hosts", home);
		check_file(path, name, (const unsigned char *)key->hostkey, key->hostkey_len,
			   &verdict);
	}
	if (verdict != HOST_REVOKED)
		check_file("/etc/ssh/ssh_known_hosts", name, (const unsigned char *)key->hostkey,
			   key->hostkey_len, &verdict);
	switch (verdict) {
	case HOST_OK:
		return 0;
	case HOST_REVOKED:
		return cf_error(err, CF_EAUTH, "%s: the server's host key is revoked in"
				" known_hosts", name);
	case HOST_CHANGED:
		return cf_error(err, CF_EAUTH, "%s: the server's host key does not match"
				" known_hosts (it changed: someone may be impersonating the"
				" server)", name);
	default:
		return cf_error(err, CF_EAUTH, "%s: host not in known_hosts (connect once with"
				" ssh to check and add its key)", name);
	}
}
