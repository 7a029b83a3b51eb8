/* cli.c — global options, finding the case, and the table of commands. */
#include "tui/cli.h"

#include <pwd.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

static int cmd_event(struct cli *c, int argc, char **argv)
{
	return cli_record(c, CF_EVENT, argc, argv);
}
static int cmd_estimate(struct cli *c, int argc, char **argv)
{
	return cli_record(c, CF_ESTIMATE, argc, argv);
}
static int cmd_notice(struct cli *c, int argc, char **argv)
{
	return cli_record(c, CF_NOTICE, argc, argv);
}
static int cmd_task(struct cli *c, int argc, char **argv)
{
	return cli_record(c, CF_TASK, argc, argv);
}
static int cmd_note(struct cli *c, int argc, char **argv)
{
	return cli_record(c, CF_NOTE, argc, argv);
}
static int cmd_custody(struct cli *c, int argc, char **argv)
{
	return cli_record(c, CF_CUSTODY, argc, argv);
}

#define KIND_VERBS "add|list|show ID|edit ID|rm ID"

const struct command cli_commands[] = {
	{ "tui", cmd_tui, 0, "tui [--keys]",
	  "open the case in the terminal UI (the default); --keys: its keys for the man page" },
	{ "init", cmd_init, 0, "init DIR [--title T] [--codename C] [--discovered DATE] [--tz ZONE]",
	  "create a new case in DIR" },
	{ "demo", cmd_demo, 0, "demo DIR", "create the 2019 CBP subcontractor breach demo case" },
	{ "show", cmd_show, 1, "show [--json]", "the case summary" },
	{ "case", cmd_case, 1, "case edit --FIELD VALUE...", "edit the case record (clocks, marking)" },
	{ "event", cmd_event, 1, "event " KIND_VERBS, "timeline events" },
	{ "estimate", cmd_estimate, 1, "estimate " KIND_VERBS, "population estimates (history)" },
	{ "notice", cmd_notice, 1, "notice " KIND_VERBS, "notifications owed and sent" },
	{ "evidence", cmd_evidence, 1,
	  "evidence add FILE|--location L|transfer ID --to WHO|verify [ID]|chain ID|" KIND_VERBS,
	  "evidence items: hashed files, chain of custody" },
	{ "custody", cmd_custody, 1, "custody " KIND_VERBS, "chain-of-custody events" },
	{ "task", cmd_task, 1, "task " KIND_VERBS, "tasks" },
	{ "note", cmd_note, 1, "note " KIND_VERBS, "the incident commander's log" },
	{ "log", cmd_log, 1, "log [ID] [--json]", "the operation history: who changed what" },
	{ "search", cmd_search, 1, "search TEXT [--json]", "full-text search" },
	{ "import", cmd_import, 1, "import events FILE", "import a Timesketch CSV or JSONL timeline" },
	{ "rules", cmd_rules, 0, "rules list|show ID|enable PACK|disable PACK|check FILE",
	  "deadline rule packs (casefile-rules(5))" },
	{ "deadlines", cmd_deadlines, 1, "deadlines [--at DATETIME] [--json] [--advisories]",
	  "notifications owed, due times and status; updates notices" },
	{ "verify", cmd_verify, 1, "verify",
	  "check the case for tampering: database, hash chains, replay, git, evidence files" },
	{ "export", cmd_export, 1,
	  "export briefing|timeline|case [--profile P] [--format F] [--as-of T] [-o FILE] [--commit]",
	  "briefings and exports (profiles congressional, sitrep, public)" },
	{ "export", cmd_export, 1, "export custody [--format md|html|json] [-o FILE]",
	  "chain-of-custody report for every evidence item" },
	{ "git-dir", cmd_git_dir, 1, "git-dir", "print the path of the case's git repository" },
	{ "reports", cmd_reports, 1, "reports log | show REV [PATH] | diff [A [B]]",
	  "report versions in git: list, show, diff" },
	{ "remote", cmd_remote, 1, "remote add NAME URL [--branch B] | list | rm NAME",
	  "the git remotes the case syncs with" },
	{ "sync", cmd_sync, 1, "sync [NAME] [-v]",
	  "share operations with a remote: write, fetch, merge, replay, push" },
	{ "clone", cmd_clone, 0, "clone URL DIR [--branch B] [-v]",
	  "a new replica of a shared case, rebuilt by replay" },
	{ "conflicts", cmd_conflicts, 1, "conflicts [--all] [--json]",
	  "fields two replicas changed without seeing each other" },
	{ "resolve", cmd_resolve, 1, "resolve ID FIELD --take ours|theirs | --value V",
	  "settle a conflict with a new operation" },
	{ NULL, NULL, 0, NULL, NULL },
};

int cli_usage(const char *fmt, ...)
{
	va_list ap;
	fputs("casefile: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return EXIT_USAGE;
}

int cli_fail(struct cli *cli)
{
	fputs("casefile: ", stderr);
	cli_put_safe(stderr, cli->err.msg[0] ? cli->err.msg : "failed");
	fputc('\n', stderr);
	return EXIT_FAIL;
}

/* Reads user.name and user.email from one git config file: the [user] section's plain
 * "key = value" lines (quotes stripped).  Includes are not followed.  Read by hand, since
 * starting libgit2 costs more than the whole of a one-record command. */
static void git_user_from(const char *path, char *name, char *email, size_t len)
{
	char line[1024];
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
			snprintf(name, len, "%s", val);
		else if (strcasecmp(key, "email") == 0)
			snprintf(email, len, "%s", val);
	}
	fclose(f);
}

/* git's user.name <user.email>: system, then XDG, then ~/.gitconfig, the later winning; as
 * git, GIT_CONFIG_NOSYSTEM skips the system file and GIT_CONFIG_GLOBAL replaces the two
 * global ones. */
static char *git_identity(void)
{
	char name[256] = "", email[256] = "", path[4096], *out;
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
		return strdup(name);
	out = malloc(strlen(name) + strlen(email) + 4);
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
		return strdup(env);
	if ((who = git_identity()))
		return who;
	pw = getpwuid(getuid());
	if (pw && pw->pw_name)
		return strdup(pw->pw_name);
	env = getenv("USER");
	return strdup(env && *env ? env : "unknown");
}

int cli_open_case(struct cli *cli)
{
	const char *dir = cli->dir_opt ? cli->dir_opt : getenv("CASEFILE_DIR");
	int rc;

	if (dir && *dir)
		snprintf(cli->dir, sizeof(cli->dir), "%s", dir);
	else if (store_find_dir(".", cli->dir, sizeof(cli->dir), &cli->err) < 0)
		return cli_fail(cli);
	rc = store_open(cli->dir, &cli->s, &cli->err);
	if (rc < 0)
		return cli_fail(cli);
	store_set_author(cli->s, cli->author);
	return 0;
}
