/* ssh_config.c — ssh set up as the user's ssh is: what ~/.ssh/config says of a host, read as
 * ssh reads it (ssh_config(5): Host patterns with * and ? and !negation, the first value of
 * each keyword wins, keywords in any case; HostName, User, Port and IdentityFile; Match blocks
 * and Include are not followed), the URL rewritten by it, and key files offered with their
 * passphrase asked on the terminal. */
#include "export/sync/sync_internal.h"
#include "store/text.h"

#include <fnmatch.h>
#include <sodium.h>
#include <termios.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define SSH_CONFIG_LINE_MAX 4096 /* ssh itself reads lines of at most 4 KiB */
#define SSH_KEY_FILE_MAX 16384  /* a private key file: a 4096-bit RSA key is 3.4 KB */
#define SSH_KEY_HEAD 64         /* bytes decoded from a key: its magic and cipher name */

/* Whether the words of a Host line (after the keyword) match HOST: one positive pattern
 * matches and no negated one does. */
static int host_matches(char *patterns, const char *host)
{
	int yes = 0;

	for (char *w = strtok(patterns, " \t"); w; w = strtok(NULL, " \t")) {
		if (w[0] == '!') {
			if (fnmatch(w + 1, host, 0) == 0)
				return 0;
		} else if (fnmatch(w, host, 0) == 0) {
			yes = 1;
		}
	}
	return yes;
}

/* ~ and %d are the home directory, %h the host name, %% a percent sign. */
static void expand_path(const char *v, const char *host, char *out, size_t len)
{
	const char *home = getenv("HOME");
	size_t o = 0;

	if (!home)
		home = "";
	if (v[0] == '~' && v[1] == '/') {
		cf_strlcpy(out, home, len);
		o = strlen(out);
		v++;
	}
	for (; *v && o + 1 < len; v++) {
		const char *add = NULL;
		if (v[0] == '%' && (v[1] == 'd' || v[1] == 'h' || v[1] == '%')) {
			add = v[1] == 'd' ? home : v[1] == 'h' ? host : "%";
			v++;
		}
		if (add) {
			cf_strlcpy(out + o, add, len - o);
			o += strlen(out + o);
		} else
			out[o++] = *v;
		if (o >= len)
			o = len - 1;
	}
	out[o < len ? o : len - 1] = '\0';
}

/* One "Keyword value" (or "Keyword=value") line of a block that applies. */
static void take(struct ssh_host_config *h, const char *host, const char *key, const char *v)
{
	if (strcasecmp(key, "HostName") == 0 && !h->hostname[0])
		expand_path(v, host, h->hostname, sizeof(h->hostname));
	else if (strcasecmp(key, "User") == 0 && !h->user[0])
		cf_strlcpy(h->user, v, sizeof(h->user));
	else if (strcasecmp(key, "Port") == 0 && !h->port)
		h->port = atoi(v) > 0 && atoi(v) < 65536 ? atoi(v) : 0;
	else if (strcasecmp(key, "IdentityFile") == 0 && h->nidentity < SSH_MAX_IDENTITIES)
		expand_path(v, host, h->identity[h->nidentity++], sizeof(h->identity[0]));
}

/* Splits LINE into its keyword and value (quotes around the value dropped); 0 when blank. */
static int split(char *line, char **key, char **value)
{
	char *p = line + strspn(line, " \t");
	size_t n;

	if (!*p || *p == '#')
		return 0;
	*key = p;
	p += strcspn(p, " \t=");
	if (*p)
		*p++ = '\0';
	p += strspn(p, " \t=");
	n = strlen(p);
	while (n && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\r'))
		p[--n] = '\0';
	if (n >= 2 && p[0] == '"' && p[n - 1] == '"') {
		p[n - 1] = '\0';
		p++;
	}
	*value = p;
	return 1;
}

int ssh_config_for(const char *path, const char *host, struct ssh_host_config *h,
		   struct cf_err *err)
{
	char *buf = NULL, *key, *value;
	size_t cap = 0, len;
	long lineno = 0;
	int rc, applies = 1; /* before the first Host line, everything applies */
	FILE *f;

	memset(h, 0, sizeof(*h));
	if (!path || !(f = fopen(path, "r")))
		return 0; /* no config: ssh's defaults */
	while ((rc = cf_line_read(f, path, ++lineno, SSH_CONFIG_LINE_MAX, &buf, &cap, &len,
				  err)) == 1) {
		buf[strcspn(buf, "\n")] = '\0';
		if (!split(buf, &key, &value))
			continue;
		if (strcasecmp(key, "Host") == 0)
			applies = host_matches(value, host);
		else if (strcasecmp(key, "Match") == 0)
			applies = 0;
		else if (applies)
			take(h, host, key, value);
	}
	free(buf);
	fclose(f);
	return rc < 0 ? rc : 0;
}

/* ---- the URL as the config says ---- */

int ssh_url_split(const char *url, struct ssh_url *u)
{
	const char *p = url, *at, *end, *hostend;

	memset(u, 0, sizeof(*u));
	if (strstr(p, "://")) {
		if (strncmp(p, "ssh://", 6) && strncmp(p, "ssh+git://", 10) &&
		    strncmp(p, "git+ssh://", 10))
			return -1;
		p = strstr(p, "://") + 3;
		end = p + strcspn(p, "/"); /* the authority: user@host:port */
	} else {
		u->scp = 1;
		end = p + strcspn(p, ":[/"); /* a user comes before the host's ':' or '[' */
	}
	if ((at = memchr(p, '@', (size_t)(end - p)))) {
		snprintf(u->user, sizeof(u->user), "%.*s", (int)(at - p), p);
		p = at + 1;
	}
	if (*p == '[') { /* [::1]:2222 */
		const char *close = strchr(p, ']');
		if (!close || (!u->scp && close > end))
			return -1;
		snprintf(u->host, sizeof(u->host), "%.*s", (int)(close - p - 1), p + 1);
		u->bracketed = 1;
		hostend = close + 1;
	} else {
		hostend = p + strcspn(p, u->scp ? ":" : ":/");
		snprintf(u->host, sizeof(u->host), "%.*s", (int)(hostend - p), p);
	}
	if (u->scp) {
		if (*hostend != ':')
			return -1;
		cf_strlcpy(u->path, hostend + 1, sizeof(u->path));
		return 0;
	}
	if (*hostend == ':')
		u->port = atoi(hostend + 1);
	cf_strlcpy(u->path, end, sizeof(u->path));
	return 0;
}

int ssh_apply_config(struct sync_ctx *c, const char *config, struct cf_err *err)
{
	struct ssh_url u;
	struct ssh_host_config *h = &c->ssh;
	const char *host;
	int rc, port;

	if (ssh_url_split(c->url, &u) < 0 || !u.host[0] || u.bracketed)
		return 0; /* an address in brackets is no alias */
	if ((rc = ssh_config_for(config, u.host, h, err)) < 0)
		return rc;
	if (!h->hostname[0] && !h->user[0] && !h->port)
		return 0;
	host = h->hostname[0] ? h->hostname : u.host;
	port = u.port ? u.port : h->port; /* as ssh: what the URL says wins */
	if (!u.user[0])
		cf_strlcpy(u.user, h->user, sizeof(u.user));
	if (u.scp && !port)
		rc = snprintf(c->url, sizeof(c->url), "%s%s%s:%s", u.user, u.user[0] ? "@" : "",
			      host, u.path);
	else
		/* ssh://host/~/path is a path in the home directory, as host:path is. */
		rc = snprintf(c->url, sizeof(c->url), "ssh://%s%s%s:%d%s%s", u.user,
			      u.user[0] ? "@" : "", host, port ? port : 22,
			      u.scp && u.path[0] != '/' ? "/~/" : "", u.path);
	if (rc < 0 || (size_t)rc >= sizeof(c->url))
		return cf_error(err, CF_EINVAL, "%s: the URL ~/.ssh/config makes is too long",
				c->shown);
	cf_strlcpy(c->host, host, sizeof(c->host));
	c->port = port ? port : 22;
	return 0;
}

/* ---- key files, and their passphrases ---- */

/* Whether the private key file PATH is encrypted: PEM says so in a header; an OpenSSH key
 * names its cipher ("none" when not) right after its magic string. */
static int key_encrypted(const char *path)
{
	static const char begin[] = "-----BEGIN OPENSSH PRIVATE KEY-----";
	char text[SSH_KEY_FILE_MAX], b64[SSH_KEY_FILE_MAX];
	unsigned char bin[SSH_KEY_HEAD];
	size_t n, o = 0, got = 0;
	FILE *f = fopen(path, "r");

	if (!f)
		return 0;
	n = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[n] = '\0';
	if (strstr(text, "ENCRYPTED"))
		return 1;
	if (strncmp(text, begin, sizeof(begin) - 1) != 0)
		return 0;
	for (const char *p = text + sizeof(begin) - 1; *p && *p != '-' && o + 1 < sizeof(b64); p++)
		if (*p != '\n' && *p != '\r')
			b64[o++] = *p;
	b64[o] = '\0';
	/* The first 48 bytes: "openssh-key-v1\0", then the cipher name's length and name. */
	sodium_base642bin(bin, sizeof(bin), b64, o < SSH_KEY_HEAD ? o : SSH_KEY_HEAD, NULL, &got,
			  NULL,
			  sodium_base64_VARIANT_ORIGINAL);
	if (got < 19 || memcmp(bin, "openssh-key-v1", 15) != 0)
		return 0;
	n = (size_t)bin[15] << 24 | (size_t)bin[16] << 16 | (size_t)bin[17] << 8 | bin[18];
	return !(n == 4 && got >= 23 && memcmp(bin + 19, "none", 4) == 0);
}

/* Asks for KEY's passphrase on the terminal (/dev/tty, echo off); 0, or -1 with no terminal. */
static int ask_passphrase(const char *key, char *buf, size_t len)
{
	struct termios old, quiet;
	FILE *tty = fopen("/dev/tty", "r+");
	int ok;

	if (!tty)
		return -1;
	fputs("Passphrase for ", tty);
	cf_text_put_safe(tty, key);
	fputs(": ", tty);
	fflush(tty);
	if (tcgetattr(fileno(tty), &old) != 0) {
		fclose(tty);
		return -1;
	}
	quiet = old;
	quiet.c_lflag &= ~(tcflag_t)ECHO;
	tcsetattr(fileno(tty), TCSAFLUSH, &quiet);
	ok = fgets(buf, (int)len, tty) != NULL;
	tcsetattr(fileno(tty), TCSAFLUSH, &old);
	fputc('\n', tty);
	fclose(tty);
	buf[strcspn(buf, "\r\n")] = '\0';
	return ok ? 0 : -1;
}

int ssh_key_credential(struct sync_ctx *c, git_credential **out, const char *user,
		       const char *priv)
{
	char pub[PATH_MAX + CF_PATH_EXTRA], pass[CF_LINE_LEN] = "";
	int rc, encrypted;

	if (access(priv, R_OK) != 0)
		return 1;
	snprintf(pub, sizeof(pub), "%s.pub", priv);
	if ((encrypted = key_encrypted(priv)) && ask_passphrase(priv, pass, sizeof(pass)) < 0) {
		snprintf(c->key_msg, sizeof(c->key_msg), "; %.400s needs its passphrase and there"
			 " is no terminal to ask on (add it to ssh-agent with ssh-add)", priv);
		return 1;
	}
	rc = git_credential_ssh_key_new(out, user, access(pub, R_OK) == 0 ? pub : NULL, priv,
					encrypted ? pass : NULL);
	sodium_memzero(pass, sizeof(pass));
	return rc == 0 ? 0 : 1;
}
