/* identity.c — the user's keys on disk: made once by `casefile id init`, read by every
 * command that writes (to sign) and by sync (to open sealed files).  The file holds only the
 * secret keys and the name; the public keys are derived from them, so they cannot disagree. */
#include "store/identity.h"
#include "store/internal.h"
#include "store/ssh_agent.h"
#include "store/text.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define IDENTITY_LINE_MAX 512 /* the longest line: "sign-secret " and 128 hex digits */

int cf_identity_path(char *path, size_t len, struct cf_err *err)
{
	const char *env = getenv("CASEFILE_IDENTITY"), *xdg = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");
	int n;

	if (env && *env)
		n = cf_strlcpy(path, env, len) ? (int)len : 0;
	else if (xdg && *xdg)
		n = snprintf(path, len, "%s/casefile/identity", xdg);
	else if (home && *home)
		n = snprintf(path, len, "%s/.config/casefile/identity", home);
	else
		return cf_error(err, CF_EINVAL, "no place for an identity: set CASEFILE_IDENTITY,"
				" XDG_CONFIG_HOME or HOME");
	if (n < 0 || (size_t)n >= len)
		return cf_error(err, CF_EINVAL, "identity path too long");
	return 0;
}

/* Makes the directory holding PATH (and its parents) 0700 where missing. */
static int make_parent(const char *path, struct cf_err *err)
{
	char dir[PATH_MAX];
	char *slash;

	cf_strlcpy(dir, path, sizeof(dir));
	if (!(slash = strrchr(dir, '/')) || slash == dir)
		return 0;
	*slash = '\0';
	return cf_mkdir_private(dir, err);
}

/* Whether a terminal would be shown an escape for some character of V (cf_text_next). */
static int has_escape(const char *v)
{
	struct cf_text_unit u;

	for (; cf_text_next(v, &u); v += u.bytes)
		if (u.escaped || u.cp == '\t')
			return 1;
	return 0;
}

static int valid_name(const char *what, const char *v, struct cf_err *err)
{
	if (!v || !*v)
		return cf_error(err, CF_EINVAL, "identity: the %s is empty", what);
	if (strlen(v) > CF_IDENTITY_NAME_MAX)
		return cf_error(err, CF_EINVAL, "identity: the %s is longer than %d bytes", what,
				CF_IDENTITY_NAME_MAX);
	if (!cf_text_valid(v) || strpbrk(v, "<>") || has_escape(v))
		return cf_error(err, CF_EINVAL, "identity: the %s has a character it may not"
				" hold (a control, <, > or a hidden character)", what);
	return 0;
}

/* Writes the file beside PATH and links it into place: never over an existing identity, and
 * never a half-written one. */
static int write_identity(const char *path, const struct cf_identity *id, struct cf_err *err)
{
	char tmp[PATH_MAX], sign[2 * crypto_sign_SECRETKEYBYTES + 1];
	char box[2 * crypto_box_SECRETKEYBYTES + 1];
	FILE *f;
	int fd, rc = 0;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp-XXXXXX", path) >= (int)sizeof(tmp))
		return cf_error(err, CF_EINVAL, "%s: path too long", path);
	if ((fd = mkstemp(tmp)) < 0) /* 0600 whatever the umask */
		return cf_error(err, CF_EIO, "%s: %s", path, strerror(errno));
	if (!(f = fdopen(fd, "w"))) {
		close(fd);
		unlink(tmp);
		return cf_error(err, CF_EIO, "%s: %s", path, strerror(errno));
	}
	if (id->sign_in_agent)
		sodium_bin2hex(sign, sizeof(sign), id->sign_pk, sizeof(id->sign_pk));
	else
		sodium_bin2hex(sign, sizeof(sign), id->sign_sk, sizeof(id->sign_sk));
	sodium_bin2hex(box, sizeof(box), id->box_sk, sizeof(id->box_sk));
	fprintf(f, "# casefile identity: secret keys, keep this file private (casefile(1), id)\n"
		   "name %s\nemail %s\n%s %s\nbox-secret %s\n", id->name, id->email,
		id->sign_in_agent ? "sign-agent" : "sign-secret", sign, box);
	sodium_memzero(sign, sizeof(sign));
	sodium_memzero(box, sizeof(box));
	if (fflush(f) != 0 || fsync(fileno(f)) != 0)
		rc = cf_error(err, CF_EIO, "%s: %s", path, strerror(errno));
	if (fclose(f) != 0 && rc == 0)
		rc = cf_error(err, CF_EIO, "%s: %s", path, strerror(errno));
	if (rc == 0 && link(tmp, path) != 0)
		rc = errno == EEXIST ? cf_error(err, CF_EINVAL, "%s: an identity is already there;"
						" it is never overwritten", path)
				     : cf_error(err, CF_EIO, "%s: %s", path, strerror(errno));
	unlink(tmp);
	return rc;
}

int cf_identity_create(const char *path, const char *name, const char *email,
		       const unsigned char *agent_pk, struct cf_identity *id, struct cf_err *err)
{
	int rc;

	memset(id, 0, sizeof(*id));
	if ((rc = valid_name("name", name, err)) < 0 || (rc = valid_name("e-mail address", email,
									  err)) < 0)
		return rc;
	if (access(path, F_OK) == 0)
		return cf_error(err, CF_EINVAL, "%s: an identity is already there; it is never"
				" overwritten", path);
	if (sodium_init() < 0)
		return cf_error(err, CF_ERR, "libsodium cannot start");
	cf_strlcpy(id->name, name, sizeof(id->name));
	cf_strlcpy(id->email, email, sizeof(id->email));
	if (agent_pk) {
		memcpy(id->sign_pk, agent_pk, sizeof(id->sign_pk));
		id->sign_in_agent = 1;
	} else {
		crypto_sign_keypair(id->sign_pk, id->sign_sk);
	}
	crypto_box_keypair(id->box_pk, id->box_sk);
	if ((rc = make_parent(path, err)) < 0 || (rc = write_identity(path, id, err)) < 0)
		cf_identity_wipe(id);
	return rc;
}

void cf_identity_wipe(struct cf_identity *id)
{
	sodium_memzero(id, sizeof(*id));
}

/* One "key value" line of the file into ID; CF_EINVAL naming PATH:LINENO. */
static int identity_line(const char *path, long lineno, char *line, struct cf_identity *id,
			 unsigned *seen, struct cf_err *err)
{
	char *value = strchr(line, ' ');
	size_t bin;

	if (line[0] == '#' || line[0] == '\0')
		return 0;
	if (!value)
		return cf_error(err, CF_EINVAL, "%s:%ld: not 'key value'", path, lineno);
	*value++ = '\0';
	if (strcmp(line, "name") == 0 || strcmp(line, "email") == 0) {
		int rc = valid_name(line[0] == 'n' ? "name" : "e-mail address", value, err);
		if (rc < 0)
			return cf_error(err, rc, "%s:%ld: %s", path, lineno, err->msg);
		cf_strlcpy(line[0] == 'n' ? id->name : id->email, value, sizeof(id->name));
		*seen |= line[0] == 'n' ? 1 : 2;
	} else if (strcmp(line, "sign-secret") == 0) {
		if (sodium_hex2bin(id->sign_sk, sizeof(id->sign_sk), value, strlen(value), NULL,
				   &bin, NULL) != 0 || bin != sizeof(id->sign_sk))
			return cf_error(err, CF_EINVAL, "%s:%ld: sign-secret is not %zu hex digits",
					path, lineno, 2 * sizeof(id->sign_sk));
		*seen |= 4;
	} else if (strcmp(line, "sign-agent") == 0) {
		if (sodium_hex2bin(id->sign_pk, sizeof(id->sign_pk), value, strlen(value), NULL,
				   &bin, NULL) != 0 || bin != sizeof(id->sign_pk))
			return cf_error(err, CF_EINVAL, "%s:%ld: sign-agent is not %zu hex digits",
					path, lineno, 2 * sizeof(id->sign_pk));
		id->sign_in_agent = 1;
		*seen |= 4;
	} else if (strcmp(line, "box-secret") == 0) {
		if (sodium_hex2bin(id->box_sk, sizeof(id->box_sk), value, strlen(value), NULL, &bin,
				   NULL) != 0 || bin != sizeof(id->box_sk))
			return cf_error(err, CF_EINVAL, "%s:%ld: box-secret is not %zu hex digits",
					path, lineno, 2 * sizeof(id->box_sk));
		*seen |= 8;
	} else {
		return cf_error(err, CF_EINVAL, "%s:%ld: unknown key '%s'", path, lineno, line);
	}
	return 0;
}

/* The file's mode and owner: like ssh, a secret key others can read is not used. */
static int check_private(FILE *f, const char *path, struct cf_err *err)
{
	struct stat sb;

	if (fstat(fileno(f), &sb) != 0)
		return cf_error(err, CF_EIO, "%s: %s", path, strerror(errno));
	if (!S_ISREG(sb.st_mode))
		return cf_error(err, CF_EINVAL, "%s: not a regular file", path);
	if (sb.st_mode & 077)
		return cf_error(err, CF_EINVAL, "%s: mode %03o lets others read your secret keys;"
				" run chmod 600 on it", path, (unsigned)(sb.st_mode & 0777));
	return 0;
}

static int read_identity(FILE *f, const char *path, struct cf_identity *id, struct cf_err *err)
{
	char *buf = NULL;
	size_t cap = 0, len;
	unsigned seen = 0;
	long lineno = 0;
	int rc;

	while ((rc = cf_line_read(f, path, ++lineno, IDENTITY_LINE_MAX, &buf, &cap, &len, err)) ==
	       1) {
		while (len && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
			buf[--len] = '\0';
		if ((rc = identity_line(path, lineno, buf, id, &seen, err)) < 0)
			break;
	}
	if (buf)
		sodium_memzero(buf, cap);
	free(buf);
	if (rc < 0)
		return rc;
	if (seen != 15)
		return cf_error(err, CF_EINVAL, "%s: incomplete: needs name, email, sign-secret (or"
				" sign-agent) and box-secret", path);
	if (!id->sign_in_agent)
		crypto_sign_ed25519_sk_to_pk(id->sign_pk, id->sign_sk);
	crypto_scalarmult_base(id->box_pk, id->box_sk);
	return 1;
}

int cf_identity_load(const char *path, struct cf_identity *id, struct cf_err *err)
{
	struct stat sb;
	FILE *f;
	int rc;

	memset(id, 0, sizeof(*id));
	/* Not there, or behind a directory this user cannot enter (another user's HOME): none.
	 * A file that is there but cannot be read is an error, never a silent unsigned change. */
	if (stat(path, &sb) != 0)
		return 0;
	if (!(f = fopen(path, "r")))
		return cf_error(err, CF_EIO, "%s: %s", path, strerror(errno));
	if (sodium_init() < 0)
		rc = cf_error(err, CF_ERR, "libsodium cannot start");
	else if ((rc = check_private(f, path, err)) == 0)
		rc = read_identity(f, path, id, err);
	fclose(f);
	if (rc < 0)
		cf_identity_wipe(id);
	return rc;
}

void cf_identity_public(const struct cf_identity *id, char out[CF_IDENTITY_PUBLIC_LEN + 1])
{
	memcpy(out, "cf1.", 4);
	sodium_bin2hex(out + 4, CF_SIGN_PK_HEX + 1, id->sign_pk, sizeof(id->sign_pk));
	out[4 + CF_SIGN_PK_HEX] = '.';
	sodium_bin2hex(out + 5 + CF_SIGN_PK_HEX, 2 * crypto_box_PUBLICKEYBYTES + 1, id->box_pk,
		       sizeof(id->box_pk));
}

static int hex_key(const char *hex, size_t hexlen, unsigned char *out, size_t outlen)
{
	size_t bin;

	for (size_t i = 0; i < hexlen; i++)
		if (!((hex[i] >= '0' && hex[i] <= '9') || (hex[i] >= 'a' && hex[i] <= 'f')))
			return -1;
	return sodium_hex2bin(out, outlen, hex, hexlen, NULL, &bin, NULL) == 0 && bin == outlen
		       ? 0 : -1;
}

int cf_identity_parse_public(const char *text, unsigned char sign_pk[crypto_sign_PUBLICKEYBYTES],
			     unsigned char box_pk[crypto_box_PUBLICKEYBYTES], struct cf_err *err)
{
	if (strlen(text) != CF_IDENTITY_PUBLIC_LEN || strncmp(text, "cf1.", 4) != 0 ||
	    text[4 + CF_SIGN_PK_HEX] != '.' ||
	    hex_key(text + 4, CF_SIGN_PK_HEX, sign_pk, crypto_sign_PUBLICKEYBYTES) < 0 ||
	    hex_key(text + 5 + CF_SIGN_PK_HEX, 2 * crypto_box_PUBLICKEYBYTES, box_pk,
		    crypto_box_PUBLICKEYBYTES) < 0)
		return cf_error(err, CF_EINVAL, "not a casefile identity (cf1. then 64 and 64"
				" lowercase hex digits, as `casefile id show` prints)");
	return 0;
}

void cf_fingerprint_hex(const char *sign_pk_hex, char out[CF_FINGERPRINT_LEN + 1])
{
	unsigned char pk[crypto_sign_PUBLICKEYBYTES], md[crypto_hash_sha256_BYTES];
	char hex[17];

	out[0] = '\0';
	if (!sign_pk_hex || strlen(sign_pk_hex) != CF_SIGN_PK_HEX ||
	    hex_key(sign_pk_hex, CF_SIGN_PK_HEX, pk, sizeof(pk)) < 0 || sodium_init() < 0)
		return;
	crypto_hash_sha256(md, pk, sizeof(pk));
	sodium_bin2hex(hex, sizeof(hex), md, 8);
	snprintf(out, CF_FINGERPRINT_LEN + 1, "%.4s-%.4s-%.4s-%.4s", hex, hex + 4, hex + 8,
		 hex + 12);
}

int cf_sign_hex(const struct cf_identity *id, const char *text, size_t len,
		char sig[CF_SIG_HEX + 1], struct cf_err *err)
{
	unsigned char bin[crypto_sign_BYTES];
	int rc;

	if (id->sign_in_agent) {
		if ((rc = cf_agent_sign(id->sign_pk, text, len, bin, err)) < 0)
			return rc;
	} else {
		crypto_sign_detached(bin, NULL, (const unsigned char *)text, len, id->sign_sk);
	}
	sodium_bin2hex(sig, CF_SIG_HEX + 1, bin, sizeof(bin));
	return 0;
}

int cf_sign_check(const char *signer, const char *sig, const char *text, size_t len)
{
	unsigned char pk[crypto_sign_PUBLICKEYBYTES], bin[crypto_sign_BYTES];

	if (!signer || !sig || strlen(signer) != CF_SIGN_PK_HEX || strlen(sig) != CF_SIG_HEX ||
	    hex_key(signer, CF_SIGN_PK_HEX, pk, sizeof(pk)) < 0 ||
	    hex_key(sig, CF_SIG_HEX, bin, sizeof(bin)) < 0 || sodium_init() < 0)
		return 0;
	return crypto_sign_verify_detached(bin, (const unsigned char *)text, len, pk) == 0;
}

int store_set_identity(struct store *s, const struct cf_identity *id, struct cf_err *err)
{
	if (s->identity) {
		cf_identity_wipe(s->identity);
		free(s->identity);
		s->identity = NULL;
	}
	if (!id)
		return 0;
	if (!(s->identity = xmalloc(sizeof(*s->identity))))
		return cf_error(err, CF_ERR, "out of memory");
	memcpy(s->identity, id, sizeof(*id));
	return 0;
}

const struct cf_identity *store_identity(const struct store *s)
{
	return s->identity;
}
