/* main.c — casefile's entry point: global options, then one command from the table.
 *
 * Built twice.  casefile-full has every command.  casefile (built with CASEFILE_CORE) has
 * only those that need nothing beyond the case store, and links only sqlite3, jansson and
 * libsodium: a one-record command is then a process that maps six shared libraries instead
 * of twenty-seven (3.4 ms of start-up down to 1.0 ms here).  For the other commands it execs
 * casefile-full with the same arguments. */
#include "tui/cli/cli.h"

#include <errno.h>
#include <jansson.h>
#include <limits.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifdef CASEFILE_CORE
#define FULL(fn) NULL
#else
#include <git2.h>
#define FULL(fn) fn
#endif

#ifndef CASEFILE_LIBEXECDIR
#define CASEFILE_LIBEXECDIR "/usr/local/libexec/casefile"
#endif

#define KIND_VERBS "add|list|show ID|edit ID|rm ID"

static const struct command commands[] = {
	{ "tui", FULL(cmd_tui), 0, "tui [--keys]",
	  "open the case in the terminal UI (the default); --keys: its keys for the man page" },
	{ "init", cmd_init, 0, "init DIR [--title T] [--codename C] [--discovered DATE] [--tz ZONE]",
	  "create a new case in DIR" },
	{ "demo", cmd_demo, 0, "demo DIR", "create the 2019 CBP subcontractor breach demo case" },
	{ "show", cmd_show, 1, "show [--json]", "the case summary" },
	{ "case", cmd_case, 1, "case edit --FIELD VALUE...", "edit the case record (clocks, marking)" },
	{ "event", cmd_event, 1, "event " KIND_VERBS, "timeline events" },
	{ "estimate", cmd_estimate, 1, "estimate " KIND_VERBS, "population estimates (history)" },
	{ "notice", cmd_notice, 1, "notice " KIND_VERBS, "notifications owed and sent" },
	{ "evidence", FULL(cmd_evidence), 1,
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
	{ "verify", FULL(cmd_verify), 1, "verify",
	  "check the case for tampering: database, hash chains, replay, git, evidence files" },
	{ "export", FULL(cmd_export), 1,
	  "export briefing|timeline|case [--profile P] [--format F] [--as-of T] [-o FILE] [--commit]",
	  "briefings and exports (profiles congressional, sitrep, public)" },
	{ "export", FULL(cmd_export), 1, "export custody [--format md|html|json] [-o FILE]",
	  "chain-of-custody report for every evidence item" },
	{ "git-dir", FULL(cmd_git_dir), 1, "git-dir", "print the path of the case's git repository" },
	{ "reports", FULL(cmd_reports), 1, "reports log | show REV [PATH] | diff [A [B]]",
	  "report versions in git: list, show, diff" },
	{ "remote", FULL(cmd_remote), 1, "remote add NAME URL [--branch B] | list | rm NAME",
	  "the git remotes the case syncs with" },
	{ "sync", FULL(cmd_sync), 1, "sync [NAME] [-v]",
	  "share operations with a remote: write, fetch, merge, replay, push" },
	{ "clone", FULL(cmd_clone), 0, "clone URL DIR [--branch B] [-v]",
	  "a new replica of a shared case, rebuilt by replay" },
	{ "conflicts", cmd_conflicts, 1, "conflicts [--all] [--json]",
	  "fields two replicas changed without seeing each other" },
	{ "resolve", cmd_resolve, 1, "resolve ID FIELD --take ours|theirs | --value V",
	  "settle a conflict with a new operation" },
	{ NULL, NULL, 0, NULL, NULL },
};

static void usage(FILE *out)
{
	fprintf(out, "usage: casefile [-C DIR] [--quiet | --progress] COMMAND [ARGS]\n\n"
		     "With no command, opens the case in the terminal UI.\n\ncommands:\n");
	for (const struct command *c = commands; c->name; c++)
		fprintf(out, "  %-58s %s\n", c->usage, c->help);
	fprintf(out, "\nSee casefile(1).\n");
}

#ifdef CASEFILE_CORE
/* Runs casefile-full with ARGV: first beside this binary (the build tree), then in the
 * installed libexec directory.  Returns only on failure. */
static int exec_full(char **argv)
{
	char self[PATH_MAX], path[PATH_MAX + 32];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (n > 0) {
		char *slash;
		self[n] = '\0';
		if ((slash = strrchr(self, '/'))) {
			*slash = '\0';
			snprintf(path, sizeof(path), "%s/casefile-full", self);
			if (access(path, X_OK) == 0)
				execv(path, argv);
		}
	}
	snprintf(path, sizeof(path), "%s/casefile-full", CASEFILE_LIBEXECDIR);
	execv(path, argv);
	fprintf(stderr, "casefile: %s: %s (it runs the terminal UI, exports, sync and evidence)\n",
		path, strerror(errno));
	return EXIT_FAIL;
}
#else
/* The commands known not to use libgit2; every other command gets it initialised. */
static int uses_git(const char *name)
{
	static const char *const plain[] = {
		"init", "demo", "show", "case", "event", "estimate", "notice", "evidence",
		"custody", "task", "note", "log", "search", "import", "tui", "conflicts", "resolve",
		NULL,
	};
	for (const char *const *p = plain; *p; p++)
		if (strcmp(*p, name) == 0)
			return 0;
	return 1;
}
#endif

int main(int argc, char **argv)
{
	struct cli cli = { 0 };
	const struct command *cmd = NULL;
	const char *name;
	int i = 1, rc;

	json_set_alloc_funcs(xmalloc, free); /* jansson's out of memory: the one policy too */
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "-C") == 0 && i + 1 < argc) {
			cli.dir_opt = argv[++i];
		} else if (strncmp(argv[i], "-C", 2) == 0 && argv[i][2]) {
			cli.dir_opt = argv[i] + 2;
		} else if (strcmp(argv[i], "--quiet") == 0) {
			cli.progress = -1;
		} else if (strcmp(argv[i], "--progress") == 0) {
			cli.progress = 1;
		} else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			usage(stdout);
			return EXIT_OK;
		} else if (strcmp(argv[i], "--version") == 0) {
			printf("casefile 0.1\n");
			return EXIT_OK;
		} else {
			usage(stderr);
			return cli_usage("unknown option '%s'", argv[i]);
		}
	}
	name = i < argc ? argv[i] : "tui";
	for (const struct command *c = commands; c->name; c++)
		if (strcmp(c->name, name) == 0)
			cmd = c;
	if (!cmd) {
		if (strcmp(name, "help") == 0) {
			usage(stdout);
			return EXIT_OK;
		}
		return cli_usage("unknown command '%s' (see casefile --help)", name);
	}
#ifdef CASEFILE_CORE
	if (!cmd->run)
		return exec_full(argv);
#endif
	/* Only the character set: ncursesw and the UTF-8 checks need it; numbers, dates and
	 * sorting are the same in every locale (exports must not depend on the reader's). */
	setlocale(LC_CTYPE, "");
#ifndef CASEFILE_CORE
	/* libgit2's start-up loads every system CA certificate: two thirds of the run time of a
	 * one-record command.  Only commands that may touch git pay for it. */
	if (uses_git(cmd->name))
		git_libgit2_init();
#endif
	cli.author = cli_author();
	if (cmd->needs_case && (rc = cli_open_case(&cli)) != 0)
		goto out;
	rc = cmd->run(&cli, argc - i - (i < argc), argv + i + (i < argc));
out:
	store_close(cli.s);
	free(cli.author);
#ifndef CASEFILE_CORE
	if (uses_git(cmd->name))
		git_libgit2_shutdown();
#endif
	return rc;
}
