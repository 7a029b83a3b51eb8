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
	const char *at;      /* --at T: the terminal UI opens the case at T ("now": the present) */
	char dir[PATH_MAX];      /* the case directory, once found */
	char *author;
	struct store *s;       /* the case, or with --as-of/--known-at a view of it (cli_moment) */
	struct store *live;    /* the case itself while S is a view, else NULL */
	struct cf_err err;
	int progress;          /* --quiet -1, --progress 1; 0: when stderr is a terminal */
	size_t progress_width; /* of the progress line on stderr, to blank when it shrinks */
};

/* ---- the command table (tui/cli/main.c) and its one option parser (tui/cli/opt.c) ----------
 *
 * Every command is one row of the table: its name, one flags word, and its verbs.  Each verb
 * declares its positional words and its options; the parser reads the words after the command
 * against that declaration before anything runs, so that -h/--help, --opt VALUE, --opt=VALUE,
 * "--" and the errors are the same everywhere, and the shell completion (tui/cli/complete.c)
 * offers exactly what the parser accepts. */

/* The flags word of a command. */
enum {
	CMD_CASE = 1 << 0,   /* opens the case before running */
	CMD_GIT = 1 << 1,    /* initialises libgit2 (its start-up costs more than a one-record command) */
	CMD_FULL = 1 << 2,   /* only in casefile-full (libgit2, ncurses, cmark-gfm, OpenSSL): the small
			      * binary hands it over by exec */
	CMD_HIDDEN = 1 << 3, /* not listed in --help (called by the completion scripts) */
	CMD_DEFVERB = 1 << 4,/* with no verb, runs its first verb (rules = rules list) */
};

/* What a positional word is, for completion. */
enum cli_pos { CLI_POS_NONE, CLI_POS_ID, CLI_POS_ANYID, CLI_POS_FILE, CLI_POS_DIR, CLI_POS_PACK,
	       CLI_POS_RULE, CLI_POS_REMOTE, CLI_POS_SHELL, CLI_POS_FIELD };

/* An option: --NAME VALUE or --NAME=VALUE, or a flag --NAME; -L VALUE when LETTER is set. */
struct cli_opt {
	const char *name;    /* without the dashes */
	char letter;         /* the one-letter form, or 0 */
	const char *arg;     /* its value's placeholder ("FILE"), NULL for a flag */
	const char *help;
	const char *choices; /* "md|html|json": the values it takes (completion), NULL for any */
	const char *field;   /* the option exists only for record kinds with this field, and takes
			      * its choices; "@time" for kinds sorted by one time; NULL: always */
};

struct cli;
struct cli_args;

/* A verb of a command ("task add"), or the command itself when NAME is NULL. */
struct cli_verb {
	const char *name;
	const char *alias;   /* another name ("ls" for list), or NULL */
	int (*run)(struct cli *cli, const struct cli_args *a); /* NULL in the small binary for
								 * CMD_FULL commands */
	const char *args;    /* its positional words for the usage line ("ID [PATH]"); NULL with
			      * FIELDS: the kind's required fields */
	const char *help;
	const struct cli_opt *opts; /* ends with a NULL name; NULL for none */
	signed char min, max; /* positional words: at least MIN, at most MAX (-1: any number) */
	unsigned char pos;    /* enum cli_pos: what those words are */
	unsigned char fields; /* the record kind's fields are options too (--FIELD VALUE) */
};

struct command {
	const char *name;
	unsigned flags;       /* CMD_* */
	int kind;             /* enum cf_kind of its record verbs, or -1 */
	const char *help;
	const struct cli_verb *verbs; /* ends with a NULL run and NULL name; a command without verbs
				       * has one entry with a NULL name */
};

#define CLI_MAX_OPTS 16

/* The two options of every read command: the case at a moment (store.h, "time travel"). */
#define CLI_MOMENT_OPTS                                                                      \
	{ "as-of", 0, "T", "the case as recorded by T (operation times)", NULL, NULL },        \
	{ "known-at", 0, "T", "the case as learned by T (each record's own dates)", NULL, NULL }

/* A parsed command line, handed to the verb's run function. */
struct cli_args {
	const struct command *cmd;
	const struct cli_verb *verb;
	int kind;                         /* cmd->kind */
	int argc;                         /* the positional words */
	char **argv;
	const char *opt[CLI_MAX_OPTS];    /* per verb->opts: its value, "" for a flag given, or NULL */
	const char *field[CF_MAX_FIELDS]; /* with verb->fields: each field's value or NULL */
};

/* Whether option O exists for record kind KIND (-1: not a record command). */
int cli_opt_applies(const struct cli_opt *o, int kind);
/* The value of option NAME (a flag: "" when given), NULL when not given. */
const char *cli_opt(const struct cli_args *a, const char *name);
/* Whether flag NAME was given. */
int cli_flag(const struct cli_args *a, const char *name);

#define CLI_HELP 100 /* cli_parse printed help: exit 0 */
/* Reads ARGV, the words after the command name, against CMD: picks the verb, then fills A with
 * its options and positional words (kept in ARGV, reordered).  Returns 0; CLI_HELP after
 * printing the help on stdout (-h, --help); EXIT_USAGE after printing what is wrong and the
 * usage line on stderr (unknown verb or option, a value missing, too few or too many words). */
int cli_parse(const struct command *cmd, int argc, char **argv, struct cli_args *a);
/* casefile --help: every command that is not hidden. */
void cli_print_commands(FILE *out, const struct command *table);
/* "casefile: CMD VERB: MSG" with MSG's one "%s" replaced by ARG (shown safe for a terminal),
 * then the usage line, on stderr; returns EXIT_USAGE.  For a wrong command line. */
int cli_bad_arg(const struct cli_args *a, const char *msg, const char *arg);
/* The same without the usage line: for an option's value that is not one it takes. */
int cli_bad_value(const struct cli_args *a, const char *msg, const char *arg);

/* The table (tui/cli/main.c, one per binary). */
extern const struct command cli_commands[];
const struct command *cli_command(const char *name);

/* Finds and opens the case (-C, CASEFILE_DIR, or the nearest); prints and returns non-zero. */
int cli_open_case(struct cli *cli);
/* With --as-of and/or --known-at among A's options, puts CLI at that moment: CLI->s becomes
 * a read-only view of the case (CLI->live the case); prints and returns non-zero for a bad
 * time or a case that did not exist yet.  Nothing to do without them. */
int cli_moment(struct cli *cli, const struct cli_args *a);
/* Long work of the open case reports on stderr as cli->progress says (cli_progress.c). */
void cli_progress_install(struct cli *cli);
/* That sink, for work with no open case yet (clone); NULL when nothing is to be shown. */
const struct progress_sink *cli_progress_sink(struct cli *cli);
/* Prints "casefile: MSG" on stderr and returns EXIT_FAIL. */
int cli_fail(struct cli *cli);
/* The author for new operations: CASEFILE_AUTHOR, git's user.name <user.email>, login name. */
char *cli_author(void);

/* Prints J (a jansson json_t *) indented, in key order, ASCII only, with a newline. */
struct json_t;
void cli_put_json(struct json_t *j);
/* `rules coverage [--json]`: each jurisdiction and regime with its rules and verified dates. */
int cli_rules_coverage(const struct cf_rules *rules, int json);
/* Prints the short form of ID. */
void cli_put_id(FILE *out, const char *id);

/* The notices' due times and statuses as every view shows them (notice_view_load at now), or
 * NULL with CLI's error set. */
struct cf_notice_view *cli_notice_view(struct cli *cli);
/* A record as JSON, its fields as recorded; a notice with its "deadline" from V (when not
 * NULL): the engine's status and due time, as every view shows them. */
typedef struct json_t json_t;
json_t *cli_record_json(const struct cf_record *r, const struct cf_notice_view *v);

/* Every run function of the table: the parsed command line in A. */
#define CLI_RUN(fn) int fn(struct cli *cli, const struct cli_args *a)

/* The verbs every record kind shares (cli_record.c); the kind is a->kind. */
CLI_RUN(cli_record_add);
CLI_RUN(cli_record_list);
CLI_RUN(cli_record_show);
CLI_RUN(cli_record_edit);
CLI_RUN(cli_record_rm);
CLI_RUN(cli_record_restore);
CLI_RUN(cmd_case_edit);
/* The case as a whole (cli_case.c). */
CLI_RUN(cmd_init);
CLI_RUN(cmd_demo);
CLI_RUN(cmd_show);
CLI_RUN(cmd_log);
CLI_RUN(cmd_undo);
CLI_RUN(cmd_search);
CLI_RUN(cmd_import);
/* The terminal UI (tui/cli/cli_tui.c, tui/app.c). */
CLI_RUN(cmd_tui);
/* Deadlines (cli_rules.c, cli_deadlines.c). */
CLI_RUN(cmd_rules_list);
CLI_RUN(cmd_rules_show);
CLI_RUN(cmd_rules_enable); /* and disable, by the verb's name */
CLI_RUN(cmd_rules_check);
CLI_RUN(cmd_rules_coverage);
CLI_RUN(cmd_deadlines);
/* Evidence and tamper evidence (cli_evidence.c, cli_verify.c). */
CLI_RUN(cmd_evidence_add);
CLI_RUN(cmd_evidence_transfer);
CLI_RUN(cmd_evidence_verify);
CLI_RUN(cmd_evidence_chain);
CLI_RUN(cmd_verify);
/* export, git-dir, reports (tui/cli/cli_export.c); the export kind is the verb's name. */
CLI_RUN(cmd_export);
CLI_RUN(cmd_git_dir);
CLI_RUN(cmd_reports);
/* Briefing templates (tui/cli/cli_templates.c): list, show NAME, check FILE... */
CLI_RUN(cmd_templates);
/* Team sharing through git (tui/cli/cli_sync.c, cli_conflicts.c). */
CLI_RUN(cmd_remote_add);
CLI_RUN(cmd_remote_list);
CLI_RUN(cmd_remote_rm);
CLI_RUN(cmd_sync);
CLI_RUN(cmd_clone);
CLI_RUN(cmd_seal);
/* casefile-full's init: cmd_init, then with --sealed the new case sealed (cli_sync.c). */
CLI_RUN(cmd_init_sealed);
CLI_RUN(cmd_conflicts);
CLI_RUN(cmd_resolve);
/* Shell completion (tui/cli/complete.c): the scripts, and the hidden command they call. */
CLI_RUN(cmd_completion);
CLI_RUN(cmd_complete);
/* The user's signing identity (cli_id.c). */
CLI_RUN(cmd_id_init);
CLI_RUN(cmd_id_show);
/* Signs the open case's new operations with the user's identity, when there is one; 0, or
 * non-zero with CLI's error set (a damaged identity, or one others can read). */
int cli_load_identity(struct cli *cli);
/* The user's identity into ID: 1, 0 when there is none, or <0 with CLI's error set. */
struct cf_identity;
int cli_read_identity(struct cli *cli, struct cf_identity *id);
/* Who may sign the case (cli_member.c). */
CLI_RUN(cmd_member_add);
CLI_RUN(cmd_member_list);
CLI_RUN(cmd_member_rm);
/* Received operations set aside (cli_quarantine.c). */
CLI_RUN(cmd_quarantine_list);
CLI_RUN(cmd_quarantine_show);

#endif
