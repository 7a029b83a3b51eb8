/* cli.c — global options, finding the case, and the table of commands. */
#include "tui/cli.h"

#include <git2.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
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

static int cmd_export(struct cli *c, int argc, char **argv)
{
	if (argc >= 1 && strcmp(argv[0], "custody") == 0)
		return cli_export_custody(c, argc - 1, argv + 1);
	return cli_usage("export: the only report here is 'custody'");
}

#define KIND_VERBS "add|list|show ID|edit ID|rm ID"

const struct command cli_commands[] = {
	{ "tui", cmd_show, 1, "tui", "open the case in the terminal UI (the default)" },
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
	/* Until the general export command lands: only the custody report. */
	{ "export", cmd_export, 1, "export custody [--format md|html|json] [-o FILE]",
	  "chain-of-custody report for every evidence item" },
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

static char *git_identity(void)
{
	git_config *cfg = NULL;
	git_buf name = { 0 }, email = { 0 };
	char *out = NULL;

	if (git_config_open_default(&cfg) == 0) {
		git_config_get_string_buf(&name, cfg, "user.name");
		git_config_get_string_buf(&email, cfg, "user.email");
		if (name.size && email.size) {
			size_t len = name.size + email.size + 4;
			out = malloc(len);
			if (out)
				snprintf(out, len, "%s <%s>", name.ptr, email.ptr);
		} else if (name.size) {
			out = strdup(name.ptr);
		}
	}
	git_buf_dispose(&name);
	git_buf_dispose(&email);
	git_config_free(cfg);
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
