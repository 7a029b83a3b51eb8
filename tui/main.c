/* main.c — casefile's entry point: global options, then one command from the table. */
#include "tui/cli.h"

#include <git2.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *out)
{
	fprintf(out, "usage: casefile [-C DIR] COMMAND [ARGS]\n\n"
		     "With no command, opens the case in the terminal UI.\n\ncommands:\n");
	for (const struct command *c = cli_commands; c->name; c++)
		fprintf(out, "  %-58s %s\n", c->usage, c->help);
	fprintf(out, "\nSee casefile(1).\n");
}

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

int main(int argc, char **argv)
{
	struct cli cli = { 0 };
	const struct command *cmd = NULL;
	const char *name;
	int i = 1, rc;

	setlocale(LC_ALL, "");
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "-C") == 0 && i + 1 < argc) {
			cli.dir_opt = argv[++i];
		} else if (strncmp(argv[i], "-C", 2) == 0 && argv[i][2]) {
			cli.dir_opt = argv[i] + 2;
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
	for (const struct command *c = cli_commands; c->name; c++)
		if (strcmp(c->name, name) == 0)
			cmd = c;
	if (!cmd) {
		if (strcmp(name, "help") == 0) {
			usage(stdout);
			return EXIT_OK;
		}
		return cli_usage("unknown command '%s' (see casefile --help)", name);
	}
	/* libgit2's start-up loads every system CA certificate: two thirds of the run time of a
	 * one-record command.  Only commands that may touch git pay for it. */
	if (uses_git(cmd->name))
		git_libgit2_init();
	cli.author = cli_author();
	if (cmd->needs_case && (rc = cli_open_case(&cli)) != 0)
		goto out;
	rc = cmd->run(&cli, argc - i - (i < argc), argv + i + (i < argc));
out:
	store_close(cli.s);
	free(cli.author);
	if (uses_git(cmd->name))
		git_libgit2_shutdown();
	return rc;
}
