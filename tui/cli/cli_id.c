/* cli_id.c — the user's identity: `id init` makes the signing and encryption keys, `id show`
 * prints the public identity, and every command that opens a case signs with it
 * (cli_load_identity).  Store calls only: it runs in the small casefile binary. */
#include "store/identity.h"
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
	if (path) {
		cf_text_printf_safe(stderr, "casefile: secret keys in %s (mode 0600): keep them"
				    " private", path);
		fputc('\n', stderr);
	}
}

int cmd_id_init(struct cli *cli, const struct cli_args *a)
{
	char path[PATH_MAX], name[CF_IDENTITY_NAME_MAX + 1], email[CF_IDENTITY_NAME_MAX + 1];
	struct cf_identity id;

	split_author(cli->author, name, email, sizeof(name));
	if (cli_opt(a, "name"))
		cf_strlcpy(name, cli_opt(a, "name"), sizeof(name));
	if (cli_opt(a, "email"))
		cf_strlcpy(email, cli_opt(a, "email"), sizeof(email));
	if (!email[0])
		return cli_bad_arg(a, "%s: give --email (git's user.email is not set)", name);
	if (cf_identity_path(path, sizeof(path), &cli->err) < 0 ||
	    cf_identity_create(path, name, email, &id, &cli->err) < 0)
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
