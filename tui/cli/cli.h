/* cli.h — the command line: global options, the command table, and helpers shared by the
 * command implementations (cli_*.c).  The TUI is one of these commands. */
#ifndef CASEFILE_CLI_H
#define CASEFILE_CLI_H

#include <stdio.h>

#include "store/store.h"

/* Exit statuses, documented in casefile(1). */
enum {
	EXIT_OK = 0,
	EXIT_FAIL = 1,   /* the command failed: bad input, no such record, check failed */
	EXIT_USAGE = 2,  /* the command line itself is wrong */
};

struct cli {
	const char *dir_opt; /* -C DIR */
	char dir[4096];      /* the case directory, once found */
	char *author;
	struct store *s;
	struct cf_err err;
	int progress;          /* --quiet -1, --progress 1; 0: when stderr is a terminal */
	size_t progress_width; /* of the progress line on stderr, to blank when it shrinks */
};

/* One command of the table in tui/cli/main.c.  RUN is NULL in the small `casefile` binary for the
 * commands that live only in casefile-full (they need libgit2, ncurses, cmark-gfm or
 * OpenSSL): that binary hands them over by exec. */
struct command {
	const char *name;
	int (*run)(struct cli *cli, int argc, char **argv);
	int needs_case;      /* open the case before calling run */
	const char *usage;
	const char *help;
};


/* Finds and opens the case (-C, CASEFILE_DIR, or the nearest); prints and returns non-zero. */
int cli_open_case(struct cli *cli);
/* Long work of the open case reports on stderr as cli->progress says (cli_progress.c). */
void cli_progress_install(struct cli *cli);
/* Prints "casefile: MSG" on stderr and returns EXIT_FAIL (or EXIT_USAGE). */
int cli_fail(struct cli *cli);
int cli_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The author for new operations: CASEFILE_AUTHOR, git's user.name <user.email>, login name. */
char *cli_author(void);

/* Writes untrusted TEXT for a terminal: controls, C1 codes, bidi overrides and invalid UTF-8
 * are shown as visible escapes, never sent raw. */
void cli_put_safe(FILE *out, const char *text);
/* The same one character at a time, for the TUI: the character at TEXT, or its visible escape
 * ("^[", "<U+202E>", "\\xFF"), into OUT (NUL-terminated), *ESCAPED set for an escape; returns
 * the bytes of TEXT consumed, 0 at its end. */
size_t cf_safe_unit(const char *text, char out[16], int *escaped);
/* Prints the short form of ID. */
void cli_put_id(FILE *out, const char *id);

/* Generic verbs for a record kind: add, list, show, edit, rm. */
int cli_record(struct cli *cli, enum cf_kind kind, int argc, char **argv);

/* The record kinds' commands (cli.c): cli_record for one kind. */
int cmd_event(struct cli *cli, int argc, char **argv);
int cmd_estimate(struct cli *cli, int argc, char **argv);
int cmd_notice(struct cli *cli, int argc, char **argv);
int cmd_task(struct cli *cli, int argc, char **argv);
int cmd_note(struct cli *cli, int argc, char **argv);
int cmd_custody(struct cli *cli, int argc, char **argv);
int cmd_init(struct cli *cli, int argc, char **argv);
/* The terminal UI (tui/cli/cli_tui.c, tui/app.c). */
int cmd_tui(struct cli *cli, int argc, char **argv);
int cmd_demo(struct cli *cli, int argc, char **argv);
int cmd_show(struct cli *cli, int argc, char **argv);
int cmd_log(struct cli *cli, int argc, char **argv);
int cmd_search(struct cli *cli, int argc, char **argv);
int cmd_import(struct cli *cli, int argc, char **argv);
int cmd_case(struct cli *cli, int argc, char **argv);
/* Deadlines (cli_rules.c, cli_deadlines.c). */
int cmd_rules(struct cli *cli, int argc, char **argv);
int cmd_deadlines(struct cli *cli, int argc, char **argv);
/* Evidence and tamper evidence (cli_evidence.c, cli_verify.c). */
int cmd_evidence(struct cli *cli, int argc, char **argv);
int cmd_verify(struct cli *cli, int argc, char **argv);
int cli_export_custody(struct cli *cli, int argc, char **argv);
/* export, git-dir, reports (tui/cli/cli_export.c) */
int cmd_export(struct cli *cli, int argc, char **argv);
int cmd_git_dir(struct cli *cli, int argc, char **argv);
int cmd_reports(struct cli *cli, int argc, char **argv);
/* Team sharing through git (tui/cli/cli_sync.c). */
int cmd_remote(struct cli *cli, int argc, char **argv);
int cmd_sync(struct cli *cli, int argc, char **argv);
int cmd_clone(struct cli *cli, int argc, char **argv);
int cmd_conflicts(struct cli *cli, int argc, char **argv);
int cmd_resolve(struct cli *cli, int argc, char **argv);

#endif
