/* cli.c — what every command shares: finding and opening the case, the author, errors. */
#include "tui/cli/cli.h"

#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

int cli_fail(struct cli *cli)
{
	fputs("casefile: ", stderr);
	cf_text_put_safe(stderr, cli->err.msg[0] ? cli->err.msg : "failed");
	fputc('\n', stderr);
	return EXIT_FAIL;
}

void cli_put_id(FILE *out, const char *id)
{
	fprintf(out, "%.*s", CF_SHORT_ID, id);
}

/* Reads user.name and user.email from one git config file: the [user] section's plain
 * "key = value" lines (quotes stripped).  Includes are not followed.  Read by hand, since
 * starting libgit2 costs more than the whole of a one-record command. */
static void git_user_from(const char *path, char *name, char *email, size_t len)
{
	char line[CF_LINE_LEN];
	int in_user = 0;
	FILE *f;

	if (!path || !(f = fopen(path, "r")))
		return;
	while (fgets(line, sizeof(line), f)) {
		char *p = line + strspn(line, " \t"), *key, *val, *end;
		if (*p == '[') {
			in_user = strncasecmp(p, "[user]", 6) == 0;
			continue;
		}
		if (!in_user || *p == '#' || *p == ';' || !(val = strchr(p, '=')))
			continue;
		key = p;
		for (end = val; end > key && (end[-1] == ' ' || end[-1] == '\t'); end--)
			;
		*end = '\0';
		val += 1 + strspn(val + 1, " \t");
		val[strcspn(val, "\r\n")] = '\0';
		for (end = val + strlen(val); end > val && (end[-1] == ' ' || end[-1] == '\t'); end--)
			*(end - 1) = '\0';
		if (val[0] == '"' && strlen(val) >= 2 && val[strlen(val) - 1] == '"') {
			val[strlen(val) - 1] = '\0';
			val++;
		}
		if (strcasecmp(key, "name") == 0)
			cf_strlcpy(name, val, len);
		else if (strcasecmp(key, "email") == 0)
			cf_strlcpy(email, val, len);
	}
	fclose(f);
}

/* git's user.name <user.email>: system, then XDG, then ~/.gitconfig, the later winning; as
 * git, GIT_CONFIG_NOSYSTEM skips the system file and GIT_CONFIG_GLOBAL replaces the two
 * global ones. */
static char *git_identity(void)
{
	char name[CF_PHRASE_LEN] = "", email[CF_PHRASE_LEN] = "", path[PATH_MAX], *out;
	const char *home = getenv("HOME"), *xdg = getenv("XDG_CONFIG_HOME");
	const char *nosystem = getenv("GIT_CONFIG_NOSYSTEM"), *global = getenv("GIT_CONFIG_GLOBAL");

	if (!nosystem || !*nosystem || strcmp(nosystem, "0") == 0 ||
	    strcasecmp(nosystem, "false") == 0)
		git_user_from("/etc/gitconfig", name, email, sizeof(name));
	if (global) {
		git_user_from(*global ? global : NULL, name, email, sizeof(name));
	} else {
		if (xdg && *xdg)
			snprintf(path, sizeof(path), "%s/git/config", xdg);
		else
			snprintf(path, sizeof(path), "%s/.config/git/config", home ? home : "");
		if (xdg || home)
			git_user_from(path, name, email, sizeof(name));
		if (home) {
			snprintf(path, sizeof(path), "%s/.gitconfig", home);
			git_user_from(path, name, email, sizeof(name));
		}
	}
	if (!name[0])
		return NULL;
	if (!email[0])
		return xstrdup(name);
	out = xmalloc(strlen(name) + strlen(email) + 4);
	if (out)
		sprintf(out, "%s <%s>", name, email);
	return out;
}

char *cli_author(void)
{
	const char *env = getenv("CASEFILE_AUTHOR");
	char *who;
	struct passwd *pw;

	if (env && *env)
		return xstrdup(env);
	if ((who = git_identity()))
		return who;
	pw = getpwuid(getuid());
	if (pw && pw->pw_name)
		return xstrdup(pw->pw_name);
	env = getenv("USER");
	return xstrdup(env && *env ? env : "unknown");
}

int cli_open_case(struct cli *cli)
{
	const char *dir = cli->dir_opt ? cli->dir_opt : getenv("CASEFILE_DIR");
	int rc;

	if (dir && *dir)
		cf_strlcpy(cli->dir, dir, sizeof(cli->dir));
	else if (store_find_dir(".", cli->dir, sizeof(cli->dir), &cli->err) < 0)
		return cli_fail(cli);
	rc = store_open(cli->dir, &cli->s, &cli->err);
	if (rc < 0)
		return cli_fail(cli);
	store_set_author(cli->s, cli->author);
	if (cli_load_identity(cli) < 0)
		return cli_fail(cli);
	cli_progress_install(cli);
	return 0;
}
