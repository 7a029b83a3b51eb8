/* cli_id.c — the user's identity: `id init` makes the signing and encryption keys, `id show`
 * prints the public identity, and every command that opens a case signs with it
 * (cli_load_identity).  Store calls only: it runs in the small casefile binary. */
#include "store/identity.h"
#include "store/ssh_agent.h"
#include "tui/cli/cli.h"

#include <stdio.h>
#include <string.h>

/* NAME and EMAIL from "Name <email>" (the author: git's user.name and user.email). */
static void split_author(const char *author, char *name, char *email, size_t len)
{
	const char *lt = author ? strchr(author, '<') : NULL, *gt = lt ? strchr(lt, '>') : NULL;
	size_t n;

	name[0] = email[0] = '\0';
	if (!author)
		return;
	if (!lt || !gt) {
		cf_strlcpy(name, author, len);
		return;
	}
	for (n = (size_t)(lt - author); n > 0 && author[n - 1] == ' '; n--)
		;
	snprintf(name, len, "%.*s", (int)n, author);
	snprintf(email, len, "%.*s", (int)(gt - lt - 1), lt + 1);
}

static void print_identity(const struct cf_identity *id, const char *path)
{
	char pub[CF_IDENTITY_PUBLIC_LEN + 1], hex[CF_SIGNER_LEN + 1], fp[CF_FINGERPRINT_LEN + 1];

	cf_identity_public(id, pub);
	memcpy(hex, pub + 4, CF_SIGNER_LEN);
	hex[CF_SIGNER_LEN] = '\0';
	cf_fingerprint_hex(hex, fp);
	/* One line to copy into `casefile member add NAME ...` on a lead's machine. */
	cf_text_printf_safe(stdout, "%s <%s> %s fingerprint %s", id->name, id->email, pub, fp);
	fputc('\n', stdout);
	if (id->sign_in_agent) {
		cf_text_printf_safe(stderr, "casefile: the signing key is held by ssh-agent");
		fputc('\n', stderr);
	}
	if (path) {
		cf_text_printf_safe(stderr, "casefile: secret keys in %s (mode 0600): keep them"
				    " private", path);
		fputc('\n', stderr);
	}
}

/* OpenSSH's fingerprint of an Ed25519 key: "SHA256:" and the unpadded base64 of the SHA-256
 * of its public key blob, as `ssh-add -l` and `ssh-keygen -lf` print it. */
static void ssh_fingerprint(const unsigned char *pk, char *out, size_t len)
{
	unsigned char blob[4 + 11 + 4 + crypto_sign_PUBLICKEYBYTES], md[crypto_hash_sha256_BYTES];
	char b64[sodium_base64_ENCODED_LEN(crypto_hash_sha256_BYTES,
					   sodium_base64_VARIANT_ORIGINAL_NO_PADDING)];

	memcpy(blob, "\0\0\0\013ssh-ed25519\0\0\0\040", 4 + 11 + 4);
	memcpy(blob + 19, pk, crypto_sign_PUBLICKEYBYTES);
	crypto_hash_sha256(md, blob, sizeof(blob));
	sodium_bin2base64(b64, sizeof(b64), md, sizeof(md),
			  sodium_base64_VARIANT_ORIGINAL_NO_PADDING);
	snprintf(out, len, "SHA256:%s", b64);
}

/* The agent key WANT names (its OpenSSH fingerprint, casefile fingerprint or comment), or the
 * only Ed25519 key when WANT is NULL, into PK. */
static int pick_agent_key(struct cli *cli, const char *want, unsigned char *pk)
{
	struct cf_agent_key keys[CF_AGENT_KEYS_MAX];
	char fp[CF_FINGERPRINT_LEN + 1], hex[CF_SIGNER_LEN + 1], ssh_fp[CF_PHRASE_LEN];
	size_t n, found = 0, at = 0;

	if (cf_agent_keys(keys, &n, &cli->err) < 0)
		return cli_fail(cli);
	for (size_t i = 0; i < n; i++) {
		sodium_bin2hex(hex, sizeof(hex), keys[i].pk, sizeof(keys[i].pk));
		cf_fingerprint_hex(hex, fp);
		ssh_fingerprint(keys[i].pk, ssh_fp, sizeof(ssh_fp));
		if (!want || !strcmp(want, fp) || !strcmp(want, ssh_fp) ||
		    !strcmp(want, keys[i].comment))
			found++, at = i;
	}
	if (found == 1) {
		memcpy(pk, keys[at].pk, sizeof(keys[at].pk));
		return EXIT_OK;
	}
	cf_text_printf_safe(stderr, "casefile: ssh-agent holds %zu Ed25519 key%s%s%s", n,
			    n == 1 ? "" : "s", want ? " and none is " : "", want ? want : "");
	fputc('\n', stderr);
	for (size_t i = 0; i < n && (found != 1); i++) {
		ssh_fingerprint(keys[i].pk, ssh_fp, sizeof(ssh_fp));
		cf_text_printf_safe(stderr, "  %s %s", ssh_fp, keys[i].comment);
		fputc('\n', stderr);
	}
	if (n > 1 && !want)
		fputs("casefile: choose one with --key\n", stderr);
	return EXIT_FAIL;
}

int cmd_id_init(struct cli *cli, const struct cli_args *a)
{
	char path[PATH_MAX], name[CF_IDENTITY_NAME_MAX + 1], email[CF_IDENTITY_NAME_MAX + 1];
	unsigned char agent_pk[crypto_sign_PUBLICKEYBYTES];
	struct cf_identity id;
	int agent = cli_flag(a, "ssh-agent"), rc;

	if (cli_opt(a, "key") && !agent)
		return cli_bad_arg(a, "%s goes with --ssh-agent", "--key");
	if (agent && (rc = pick_agent_key(cli, cli_opt(a, "key"), agent_pk)) != EXIT_OK)
		return rc;
	split_author(cli->author, name, email, sizeof(name));
	if (cli_opt(a, "name"))
		cf_strlcpy(name, cli_opt(a, "name"), sizeof(name));
	if (cli_opt(a, "email"))
		cf_strlcpy(email, cli_opt(a, "email"), sizeof(email));
	if (!email[0])
		return cli_bad_arg(a, "%s: give --email (git's user.email is not set)", name);
	if (cf_identity_path(path, sizeof(path), &cli->err) < 0 ||
	    cf_identity_create(path, name, email, agent ? agent_pk : NULL, &id,
			       &cli->err) < 0)
		return cli_fail(cli);
	print_identity(&id, path);
	cf_identity_wipe(&id);
	return EXIT_OK;
}

int cmd_id_show(struct cli *cli, const struct cli_args *a)
{
	char path[PATH_MAX];
	struct cf_identity id;
	int rc;

	(void)a;
	if (cf_identity_path(path, sizeof(path), &cli->err) < 0 ||
	    (rc = cf_identity_load(path, &id, &cli->err)) < 0)
		return cli_fail(cli);
	if (rc == 0) {
		cf_text_printf_safe(stderr, "casefile: no identity at %s: run casefile id init",
				    path);
		fputc('\n', stderr);
		return EXIT_FAIL;
	}
	print_identity(&id, NULL);
	cf_identity_wipe(&id);
	return EXIT_OK;
}

int cli_read_identity(struct cli *cli, struct cf_identity *id)
{
	char path[PATH_MAX];

	memset(id, 0, sizeof(*id));
	if (cf_identity_path(path, sizeof(path), &cli->err) < 0)
		return 0; /* nowhere to look (no HOME): unsigned, as before signing began */
	return cf_identity_load(path, id, &cli->err);
}

int cli_load_identity(struct cli *cli)
{
	struct cf_identity id;
	int rc;

	if ((rc = cli_read_identity(cli, &id)) <= 0)
		return rc;
	rc = store_set_identity(cli->s, &id, &cli->err);
	cf_identity_wipe(&id);
	return rc;
}
