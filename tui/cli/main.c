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
#define INIT_RUN cmd_init /* --sealed is casefile-full's */
#else
#include <git2.h>
#define FULL(fn) fn
#define INIT_RUN cmd_init_sealed
#endif

#ifndef CASEFILE_LIBEXECDIR
#define CASEFILE_LIBEXECDIR "/usr/local/libexec/casefile"
#endif

/* ---- options shared by several verbs ---- */
static const struct cli_opt json_opts[] = {
	{ "json", 0, NULL, "print JSON", NULL, NULL },
	{ NULL, 0, NULL, NULL, NULL, NULL },
};
static const struct cli_opt moment_opts[] = {
	CLI_MOMENT_OPTS,
	{ NULL, 0, NULL, NULL, NULL, NULL },
};
/* A read command's: JSON, and the case at a moment. */
static const struct cli_opt read_opts[] = {
	{ "json", 0, NULL, "print JSON", NULL, NULL },
	CLI_MOMENT_OPTS,
	{ NULL, 0, NULL, NULL, NULL, NULL },
};
static const struct cli_opt verify_opts[] = {
	{ "timings", 0, NULL, "print how long each check took", NULL, NULL },
	{ NULL, 0, NULL, NULL, NULL, NULL },
};
static const struct cli_opt list_opts[] = {
	{ "json", 0, NULL, "print JSON", NULL, NULL },
	CLI_MOMENT_OPTS,
	{ "all", 0, NULL, "include deleted records", NULL, NULL },
	{ "limit", 0, "N", "at most N records", NULL, NULL },
	/* Filters, each where the kind has the field (cli_record_list). */
	{ "kind", 0, "WORD", "only records of this kind", NULL, "kind" },
	{ "status", 0, "WORD", "only records with this status", NULL, "status" },
	{ "owner", 0, "WHO", "only records with this owner", NULL, "owner" },
	{ "visibility", 0, "WORD", "only records with this visibility", NULL, "visibility" },
	{ "since", 0, "TIME", "only records whose time starts at or after TIME", NULL, "@time" },
	{ "until", 0, "TIME", "only records whose time starts before the end of TIME", NULL,
	  "@time" },
	{ NULL, 0, NULL, NULL, NULL, NULL },
};
static const struct cli_opt init_opts[] = {
	{ "title", 0, "T", "the case's title", NULL, NULL },
	{ "codename", 0, "C", "its code name", NULL, NULL },
	{ "discovered", 0, "DATE", "when the breach was discovered", NULL, NULL },
	{ "marking", 0, "M", "the marking banner (CUI//SP-PRVCY)", NULL, NULL },
	{ "tz", 0, "ZONE", "the case's time zone (America/New_York)", NULL, NULL },
	{ "packs", 0, "LIST", "the rule packs in force (hipaa,us-states; default: federal for a "
	  "federal agency, else none)", NULL, NULL },
	{ "org-type", 0, "TYPE", "the organisation (federal-agency, company, ...)",
	  "federal-agency|state-agency|local-agency|company|nonprofit|other", NULL },
	{ "federal-agency", 0, NULL, "the case is a federal agency's (--org-type federal-agency)",
	  NULL, NULL },
	{ "sealed", 0, NULL, "seal it: what it shares is encrypted for its members (casefile seal)",
	  NULL, NULL },
	{ NULL, 0, NULL, NULL, NULL, NULL },
};

static const struct cli_opt edit_opts[] = {
	{ "expect-op", 0, "OP", "save only while OP is the record's last operation (log ID --json)",
	  NULL, NULL },
	{ NULL, 0, NULL, NULL, NULL, NULL },
};

/* The verbs every record kind has: add, list, show, edit, rm. */
#define RECORD_LIST_SHOW_EDIT_RM(WRAP)                                                        \
	{ "list", "ls", WRAP(cli_record_list), "", "list the records", list_opts, 0, 0,         \
	  CLI_POS_NONE, 0 },                                                                 \
	{ "show", NULL, WRAP(cli_record_show), "ID", "one record, every field", read_opts, 1, 1, \
	  CLI_POS_ID, 0 },                                                                   \
	{ "edit", NULL, WRAP(cli_record_edit), "ID", "change fields (--FIELD \"\" unsets one)",  \
	  edit_opts,                                                                         \
	  1, 1, CLI_POS_ID, 1 },                                                             \
	{ "rm", NULL, WRAP(cli_record_rm), "ID", "delete a record (kept in the log)", NULL, 1, 1, \
	  CLI_POS_ID, 0 },                                                                   \
	{ "restore", NULL, WRAP(cli_record_restore), "ID", "bring back a deleted record", NULL, 1, \
	  1, CLI_POS_ID, 0 },                                                                \
	{ NULL, NULL, NULL, NULL, NULL, NULL, 0, 0, 0, 0 }
#define SAME(fn) fn
static const struct cli_verb record_verbs[] = {
	{ "add", NULL, cli_record_add, NULL,
	  "add a record: the required fields in order, or as --FIELD VALUE", NULL, 0, -1,
	  CLI_POS_NONE, 1 },
	RECORD_LIST_SHOW_EDIT_RM(SAME),
};
static const struct cli_verb case_verbs[] = {
	{ "edit", NULL, cmd_case_edit, "", "edit the case record (clocks, marking)", edit_opts, 0, 0,
	  CLI_POS_NONE, 1 },
	{ NULL, NULL, NULL, NULL, NULL, NULL, 0, 0, 0, 0 },
};

static const struct cli_opt evidence_add_opts[] = {
	{ "location", 0, "TEXT", "where the item is (an item that is not a file)", NULL, NULL },
	{ "description", 0, "TEXT", "what it is", NULL, NULL },
	{ "collected-by", 0, "WHO", "who collected it", NULL, NULL },
	{ "collected-at", 0, "TIME", "when", NULL, NULL },
	{ "source", 0, "TEXT", "where the record comes from", NULL, NULL },
	{ "visibility", 0, "V", "who may see it", "internal|congress|public", NULL },
	{ "reason", 0, "TEXT", "why it was collected", NULL, NULL },
	{ NULL, 0, NULL, NULL, NULL, NULL },
};
static const struct cli_opt transfer_opts[] = {
	{ "to", 0, "WHO", "the new holder (required)", NULL, NULL },
	{ "reason", 0, "TEXT", "why", NULL, NULL },
	{ "location", 0, "TEXT", "where it is now", NULL, NULL },
	{ "at", 0, "TIME", "when (default now)", NULL, NULL },
	{ "action", 0, "A", "what happened", NULL, NULL },
	{ "correction", 0, "REASON",
	  "record it although it breaks the chain (not from the holder, or dated before the last"
	  " event), as a correction, for this reason", NULL, NULL },
	{ NULL, 0, NULL, NULL, NULL, NULL },
};
static const struct cli_opt evidence_verify_opts[] = {
	{ "file", 0, "PATH", "check a copy named on this machine instead (with ID)", NULL, NULL },
	{ NULL, 0, NULL, NULL, NULL, NULL },
};
static const struct cli_verb evidence_verbs[] = {
	{ "add", NULL, FULL(cmd_evidence_add), "[FILE]", "hash a FILE, or record --location TEXT",
	  evidence_add_opts, 0, 1, CLI_POS_FILE, 0 },
	{ "transfer", NULL, FULL(cmd_evidence_transfer), "ID", "hand an item over --to WHO",
	  transfer_opts, 1, 1, CLI_POS_ID, 0 },
	{ "verify", NULL, FULL(cmd_evidence_verify), "[ID]", "hash the files again and compare",
	  evidence_verify_opts, 0, 1, CLI_POS_ID, 0 },
	{ "chain", NULL, FULL(cmd_evidence_chain), "ID", "an item's chain of custody", moment_opts, 1, 1,
	  CLI_POS_ID, 0 },
	RECORD_LIST_SHOW_EDIT_RM(FULL),
};

/* The options of an export whose --format takes FORMATS (and EXTRA ones first). */
#define EXPORT_OPTS(formats, extra)                                                           \
	{                                                                                      \
		extra                                                                          \
		{ "profile", 0, "P", "who it is for", "congressional|sitrep|public", NULL },   \
		{ "format", 0, "F", "the file format", formats, NULL },                       \
		CLI_MOMENT_OPTS,                                                               \
		{ "tlp", 0, "LEVEL", "the highest TLP a congressional product includes (green; " \
		  "amber on purpose)", "green|amber", NULL },                                  \
		{ "paper", 0, "SIZE", "a PDF's paper: letter (the default) or a4", "letter|a4",  \
		  NULL },                                                                      \
		{ "output", 'o', "FILE", "write FILE (atomically) instead of stdout", NULL, NULL }, \
		{ "commit", 0, NULL, "commit it as a version to the case's git repository", NULL, \
		  NULL },                                                                      \
		{ NULL, 0, NULL, NULL, NULL, NULL },                                           \
	}
#define TEMPLATE_OPT                                                                          \
	{ "template", 0, "NAME", "written by template NAME (casefile-templates(5)); the "         \
	  "profile still chooses what may be seen", NULL, NULL },
static const struct cli_opt briefing_opts[] = EXPORT_OPTS("md|html|json|pdf|csv", TEMPLATE_OPT);
static const struct cli_opt timeline_opts[] = EXPORT_OPTS("csv|jsonl|md|html|pdf", );
static const struct cli_opt case_export_opts[] = EXPORT_OPTS("json", );
static const struct cli_opt custody_opts[] = EXPORT_OPTS("md|html|json|pdf", );
static const struct cli_opt veris_opts[] = EXPORT_OPTS("json", );
static const struct cli_verb export_verbs[] = {
	{ "briefing", NULL, FULL(cmd_export), "", "a briefing (profiles congressional, sitrep, public)",
	  briefing_opts, 0, 0, CLI_POS_NONE, 0 },
	{ "timeline", NULL, FULL(cmd_export), "", "the timeline", timeline_opts, 0, 0, CLI_POS_NONE, 0 },
	{ "case", NULL, FULL(cmd_export), "", "the whole case as JSON", case_export_opts, 0, 0,
	  CLI_POS_NONE, 0 },
	{ "custody", NULL, FULL(cmd_export), "",
	  "chain-of-custody report for every evidence item", custody_opts, 0, 0, CLI_POS_NONE, 0 },
	{ "veris", NULL, FULL(cmd_export), "", "the case as a VERIS incident (JSON)", veris_opts, 0,
	  0, CLI_POS_NONE, 0 },
	{ NULL, NULL, NULL, NULL, NULL, NULL, 0, 0, 0, 0 },
};

static const struct cli_verb templates_verbs[] = {
	{ "list", NULL, FULL(cmd_templates), "", "every template: where found, which hides which",
	  NULL, 0, 0, CLI_POS_NONE, 0 },
	{ "show", NULL, FULL(cmd_templates), "NAME", "print template NAME (the one export uses)",
	  NULL, 1, 1, CLI_POS_NONE, 0 },
	{ "check", NULL, FULL(cmd_templates), "FILE...",
	  "check template files: FILE:LINE:COLUMN: reason", NULL, 1, -1, CLI_POS_FILE, 0 },
	{ NULL, NULL, NULL, NULL, NULL, NULL, 0, 0, 0, 0 },
};

static const struct cli_verb rules_verbs[] = {
	{ "list", NULL, cmd_rules_list, "", "the rule packs and their rules (the default)", NULL, 0,
	  0, CLI_POS_NONE, 0 },
	{ "show", NULL, cmd_rules_show, "ID", "one rule: its text, source and status", NULL, 1, 1,
	  CLI_POS_RULE, 0 },
	{ "enable", NULL, cmd_rules_enable, "PACK", "put a pack in force for the case", NULL, 1, 1,
	  CLI_POS_PACK, 0 },
	{ "disable", NULL, cmd_rules_enable, "PACK", "take a pack out of force", NULL, 1, 1,
	  CLI_POS_PACK, 0 },
	{ "check", NULL, cmd_rules_check, "FILE...", "check rule files (casefile-rules(5))", NULL,
	  1, -1, CLI_POS_FILE, 0 },
	{ "coverage", NULL, cmd_rules_coverage, "",
	  "each jurisdiction and regime with its rules and the dates they were checked",
	  json_opts, 0, 0, CLI_POS_NONE, 0 },
	{ NULL, NULL, NULL, NULL, NULL, NULL, 0, 0, 0, 0 },
};
static const struct cli_opt deadlines_opts[] = {
	{ "at", 0, "DATETIME", "as at that moment instead of now", NULL, NULL },
	{ "json", 0, NULL, "print JSON", NULL, NULL },
	CLI_MOMENT_OPTS,
	{ "advisories", 0, NULL, "only the advisories", NULL, NULL },
	{ NULL, 0, NULL, NULL, NULL, NULL },
};
static const struct cli_verb reports_verbs[] = {
	{ "log", NULL, FULL(cmd_reports), "", "the report versions", NULL, 0, 0, CLI_POS_NONE, 0 },
	{ "show", NULL, FULL(cmd_reports), "REV [PATH]", "one version of a report", NULL, 1, 2,
	  CLI_POS_NONE, 0 },
	{ "diff", NULL, FULL(cmd_reports), "[A [B]]", "what changed between two versions", NULL, 0,
	  2, CLI_POS_NONE, 0 },
	{ NULL, NULL, NULL, NULL, NULL, NULL, 0, 0, 0, 0 },
};
static const struct cli_opt branch_opts[] = {
	{ "branch", 0, "B", "the remote branch (default main)", NULL, NULL },
	{ "verbose", 'v', NULL, "say what is done, step by step", NULL, NULL },
	{ NULL, 0, NULL, NULL, NULL, NULL },
};
static const struct cli_opt remote_add_opts[] = {
	{ "branch", 0, "B", "the remote branch (default main)", NULL, NULL },
	{ NULL, 0, NULL, NULL, NULL, NULL },
};
static const struct cli_verb remote_verbs[] = {
	{ "add", NULL, FULL(cmd_remote_add), "NAME URL", "a remote to sync with", remote_add_opts, 2,
	  2, CLI_POS_NONE, 0 },
	{ "list", NULL, FULL(cmd_remote_list), "", "the remotes", NULL, 0, 0, CLI_POS_NONE, 0 },
	{ "rm", NULL, FULL(cmd_remote_rm), "NAME", "forget a remote", NULL, 1, 1, CLI_POS_REMOTE, 0 },
	{ NULL, NULL, NULL, NULL, NULL, NULL, 0, 0, 0, 0 },
};
static const struct cli_opt conflicts_opts[] = {
	{ "all", 0, NULL, "settled conflicts too", NULL, NULL },
	{ "json", 0, NULL, "print JSON", NULL, NULL },
	{ NULL, 0, NULL, NULL, NULL, NULL },
};
static const struct cli_opt resolve_opts[] = {
	{ "take", 0, "SIDE", "kept: the value the case holds (for a deleted record: it stays"
	  " deleted); other: the other one (the edit, restored)", "kept|other|ours|theirs", NULL },
	{ "value", 0, "V", "set another value", NULL, NULL },
	{ NULL, 0, NULL, NULL, NULL, NULL },
};

static const struct cli_opt id_init_opts[] = {
	{ "name", 0, "NAME", "your name (default: git's user.name)", NULL, NULL },
	{ "email", 0, "EMAIL", "your e-mail address (default: git's user.email)", NULL, NULL },
	{ "ssh-agent", 0, NULL, "sign with an Ed25519 key held by ssh-agent: no signing secret"
	  " is stored", NULL, NULL },
	{ "key", 0, "KEY", "with --ssh-agent: which of its keys (a fingerprint, SHA256:... as"
	  " ssh-add -l prints, or its comment)", NULL, NULL },
	{ NULL, 0, NULL, NULL, NULL, NULL },
};
static const struct cli_verb id_verbs[] = {
	{ "show", NULL, cmd_id_show, "", "your public identity, one line to give a case's lead",
	  NULL, 0, 0, CLI_POS_NONE, 0 },
	{ "init", NULL, cmd_id_init, "", "make your signing and encryption keys (once)",
	  id_init_opts, 0, 0, CLI_POS_NONE, 0 },
	{ NULL, NULL, NULL, NULL, NULL, NULL, 0, 0, 0, 0 },
};

static const struct cli_opt member_add_opts[] = {
	{ "role", 0, "ROLE", "lead (changes membership), member (the default) or viewer",
	  "lead|member|viewer", NULL },
	{ NULL, 0, NULL, NULL, NULL, NULL },
};
static const struct cli_opt member_list_opts[] = {
	{ "json", 0, NULL, "print JSON", NULL, NULL },
	{ "all", 0, NULL, "removed members too", NULL, NULL },
	{ NULL, 0, NULL, NULL, NULL, NULL },
};
static const struct cli_verb member_verbs[] = {
	{ "list", "ls", cmd_member_list, "", "the members, their roles and key fingerprints",
	  member_list_opts, 0, 0, CLI_POS_NONE, 0 },
	{ "add", NULL, cmd_member_add, "NAME IDENTITY",
	  "let IDENTITY (casefile id show) sign changes; the first add makes you its lead",
	  member_add_opts, 2, 2, CLI_POS_NONE, 0 },
	{ "rm", NULL, cmd_member_rm, "NAME", "remove a member: their later changes are refused",
	  NULL, 1, 1, CLI_POS_NONE, 0 },
	{ NULL, NULL, NULL, NULL, NULL, NULL, 0, 0, 0, 0 },
};

static const struct cli_verb quarantine_verbs[] = {
	{ "list", "ls", cmd_quarantine_list, "", "received operations set aside, by file and line",
	  NULL, 0, 0, CLI_POS_NONE, 0 },
	{ "show", NULL, cmd_quarantine_show, "OP-ID|FILE:LINE", "one in full, as received", NULL,
	  1, 1, CLI_POS_NONE, 0 },
	{ NULL, NULL, NULL, NULL, NULL, NULL, 0, 0, 0, 0 },
};

/* One verb for a command that has none; NAME NULL. */
#define ONE(run, args, help, opts, min, max, pos)                                               \
	(const struct cli_verb[]) { { NULL, NULL, run, args, help, opts, min, max, pos, 0 },     \
				    { NULL, NULL, NULL, NULL, NULL, NULL, 0, 0, 0, 0 } }

const struct command cli_commands[] = {
	{ "tui", CMD_FULL, -1, "open the case in the terminal UI (the default)",
	  ONE(FULL(cmd_tui), "", "open the case in the terminal UI (the default)",
	      ((const struct cli_opt[]) {
		      { "keys", 0, NULL, "print its keys for the man page", NULL, NULL },
		      { NULL, 0, NULL, NULL, NULL, NULL } }),
	      0, 0, CLI_POS_NONE) },
	{ "init", 0, -1, "create a new case in DIR",
	  ONE(INIT_RUN, "DIR", "create a new case in DIR (or in -C DIR)", init_opts, 0, 1,
	      CLI_POS_DIR) },
	{ "demo", 0, -1, "create the 2019 CBP subcontractor breach demo case",
	  ONE(cmd_demo, "DIR", "create the 2019 CBP subcontractor breach demo case in DIR", NULL, 0,
	      1, CLI_POS_DIR) },
	{ "show", CMD_CASE, -1, "the case summary",
	  ONE(cmd_show, "", "the case summary", read_opts, 0, 0, CLI_POS_NONE) },
	{ "case", CMD_CASE, CF_CASE, "edit the case record (clocks, marking)", case_verbs },
	{ "event", CMD_CASE, CF_EVENT, "timeline events", record_verbs },
	{ "estimate", CMD_CASE, CF_ESTIMATE, "population estimates (history)", record_verbs },
	{ "notice", CMD_CASE, CF_NOTICE, "notifications owed and sent", record_verbs },
	{ "evidence", CMD_CASE | CMD_FULL, CF_EVIDENCE,
	  "evidence items: hashed files, chain of custody", evidence_verbs },
	{ "custody", CMD_CASE, CF_CUSTODY, "chain-of-custody events", record_verbs },
	{ "task", CMD_CASE, CF_TASK, "tasks", record_verbs },
	{ "note", CMD_CASE, CF_NOTE, "the incident commander's log", record_verbs },
	{ "log", CMD_CASE, -1, "the operation history: who changed what",
	  ONE(cmd_log, "[ID]", "the operation history: who changed what (of record ID)", read_opts, 0,
	      1, CLI_POS_ANYID) },
	{ "undo", CMD_CASE, -1, "take back your last change with a new operation",
	  ONE(cmd_undo, "[OP]",
	      "take back your last change on this replica, or operation OP (log --json shows ids)",
	      ((const struct cli_opt[]) {
		      { "force", 0, NULL, "undo even if the field was changed since", NULL, NULL },
		      { NULL, 0, NULL, NULL, NULL, NULL } }),
	      0, 1, CLI_POS_NONE) },
	{ "search", CMD_CASE, -1, "full-text search",
	  ONE(cmd_search, "TEXT", "full-text search", read_opts, 1, 1, CLI_POS_NONE) },
	{ "import", CMD_CASE, -1, "import a Timesketch CSV or JSONL timeline",
	  (const struct cli_verb[]) {
		  { "events", NULL, cmd_import, "FILE", "import a Timesketch CSV or JSONL timeline",
		    NULL, 1, 1, CLI_POS_FILE, 0 },
		  { NULL, NULL, NULL, NULL, NULL, NULL, 0, 0, 0, 0 } } },
	{ "rules", CMD_DEFVERB, -1, "deadline rule packs (casefile-rules(5))", rules_verbs },
	{ "deadlines", CMD_CASE, -1, "notifications owed, due times and status; updates notices",
	  ONE(cmd_deadlines, "", "notifications owed, due times and status; updates notices",
	      deadlines_opts, 0, 0, CLI_POS_NONE) },
	{ "verify", CMD_CASE | CMD_GIT | CMD_FULL, -1,
	  "check the case for tampering: database, hash chains, replay, git, evidence files",
	  ONE(FULL(cmd_verify), "",
	      "check the case for tampering: database, hash chains, replay, git, evidence files",
	      verify_opts, 0, 0, CLI_POS_NONE) },
	{ "export", CMD_CASE | CMD_GIT | CMD_FULL, -1, "briefings, exports and the custody report",
	  export_verbs },
	{ "templates", CMD_GIT | CMD_FULL | CMD_DEFVERB, -1,
	  "briefing templates (casefile-templates(5)): list, show, check", templates_verbs },
	{ "git-dir", CMD_CASE | CMD_GIT | CMD_FULL, -1, "print the path of the case's git repository",
	  ONE(FULL(cmd_git_dir), "", "print the path of the case's git repository", NULL, 0, 0,
	      CLI_POS_NONE) },
	{ "reports", CMD_CASE | CMD_GIT | CMD_FULL, -1, "report versions in git: list, show, diff",
	  reports_verbs },
	{ "remote", CMD_CASE | CMD_GIT | CMD_FULL, -1, "the git remotes the case syncs with",
	  remote_verbs },
	{ "seal", CMD_CASE | CMD_GIT | CMD_FULL, -1,
	  "encrypt what the case shares (ops, reports) for its members",
	  ONE(FULL(cmd_seal), "", "encrypt what the case shares (ops, reports) for its members",
	      NULL, 0, 0, CLI_POS_NONE) },
	{ "sync", CMD_CASE | CMD_GIT | CMD_FULL, -1,
	  "share operations with a remote: write, fetch, merge, replay, push",
	  ONE(FULL(cmd_sync), "[NAME]",
	      "share operations with a remote: write, fetch, merge, replay, push",
	      branch_opts + 1, 0, 1, CLI_POS_REMOTE) },
	{ "clone", CMD_GIT | CMD_FULL, -1, "a new replica of a shared case, rebuilt by replay",
	  ONE(FULL(cmd_clone), "URL DIR", "a new replica of a shared case, rebuilt by replay",
	      branch_opts, 2, 2, CLI_POS_DIR) },
	{ "conflicts", CMD_CASE, -1, "fields two replicas changed without seeing each other",
	  ONE(cmd_conflicts, "", "fields two replicas changed without seeing each other",
	      conflicts_opts, 0, 0, CLI_POS_NONE) },
	{ "resolve", CMD_CASE, -1, "settle a conflict with a new operation",
	  ONE(cmd_resolve, "ID FIELD", "settle a conflict: --take kept|other or --value V",
	      resolve_opts, 2, 2, CLI_POS_ANYID) },
	{ "quarantine", CMD_CASE | CMD_DEFVERB, -1,
	  "operations received by sync but set aside, with file, line and why", quarantine_verbs },
	{ "member", CMD_CASE | CMD_DEFVERB, -1, "who may sign the case's changes: leads, members,"
	  " viewers", member_verbs },
	{ "id", CMD_DEFVERB, -1, "your identity: the keys that sign your changes",
	  id_verbs },
	{ "completion", 0, -1, "the shell completion script for bash, zsh or fish",
	  ONE(cmd_completion, "SHELL",
	      "print the completion script for SHELL (bash, zsh, fish); make install installs them",
	      NULL, 1, 1, CLI_POS_SHELL) },
	/* What may come after WORDS (the last one being completed): asked by those scripts. */
	{ "__complete", CMD_HIDDEN, -1, "candidates for the shell",
	  ONE(cmd_complete, "-- WORDS...", "candidates for the word being completed", NULL, 0, -1,
	      CLI_POS_NONE) },
	{ NULL, 0, -1, NULL, NULL },
};

static void usage(FILE *out)
{
	fprintf(out, "usage: casefile [-C DIR] [--at T] [--quiet | --progress] COMMAND [ARGS]\n\n"
		     "With no command, opens the case in the terminal UI.\n\ncommands:\n");
	cli_print_commands(out, cli_commands);
	fprintf(out, "\n'casefile COMMAND --help' shows a command's verbs and options. "
		     "See casefile(1).\n");
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
#endif

int main(int argc, char **argv)
{
	struct cli cli = { 0 };
	struct cli_args args;
	const struct command *cmd;
	const char *name;
	int i = 1, rc;

	json_set_alloc_funcs(xmalloc, free); /* jansson's out of memory: the one policy too */
	/* Only the character set: ncursesw and the UTF-8 checks need it; numbers, dates and
	 * sorting are the same in every locale (exports must not depend on the reader's). */
	setlocale(LC_CTYPE, "");
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "-C") == 0 && i + 1 < argc) {
			cli.dir_opt = argv[++i];
		} else if (strncmp(argv[i], "-C", 2) == 0 && argv[i][2]) {
			cli.dir_opt = argv[i] + 2;
		} else if (strcmp(argv[i], "--at") == 0 && i + 1 < argc) {
			cli.at = argv[++i];
		} else if (strncmp(argv[i], "--at=", 5) == 0) {
			cli.at = argv[i] + 5;
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
			fputs("casefile: unknown option '", stderr);
			cf_text_put_safe(stderr, argv[i]);
			fputs("'\nusage: casefile [-C DIR] [--at T] [--quiet | --progress] COMMAND [ARGS]"
			      " (see casefile --help)\n", stderr);
			return EXIT_USAGE;
		}
	}
	name = i < argc ? argv[i] : "tui";
	if (!(cmd = cli_command(name))) {
		if (strcmp(name, "help") == 0 && i + 1 < argc && (cmd = cli_command(argv[i + 1]))) {
			char *help[] = { "--help", NULL };
			return cli_parse(cmd, 1, help, &args) == CLI_HELP ? EXIT_OK : EXIT_USAGE;
		}
		if (strcmp(name, "help") == 0 && i + 1 >= argc) {
			usage(stdout);
			return EXIT_OK;
		}
		fputs("casefile: unknown command '", stderr);
		cf_text_put_safe(stderr, name);
		fputs("' (see casefile --help)\n", stderr);
		return EXIT_USAGE;
	}
	if (cli.at && strcmp(cmd->name, "tui") != 0) {
		fputs("casefile: --at opens the terminal UI at a moment; a command takes --as-of T "
		      "or --known-at T\n", stderr);
		return EXIT_USAGE;
	}
	i += i < argc; /* past the command's name */
	/* Before anything runs or opens: --help and errors of the command line change nothing. */
	if ((rc = cli_parse(cmd, argc - i, argv + i, &args)) != 0)
		return rc == CLI_HELP ? EXIT_OK : rc;
#ifdef CASEFILE_CORE
	if ((cmd->flags & CMD_FULL) || (args.verb->run == cmd_init && cli_flag(&args, "sealed")))
		return exec_full(argv);
#else
	/* libgit2's start-up loads every system CA certificate: two thirds of the run time of a
	 * one-record command.  Only commands that may touch git pay for it. */
	if (cmd->flags & CMD_GIT)
		git_libgit2_init();
#endif
	cli.author = cli_author();
	if ((cmd->flags & CMD_CASE) && (rc = cli_open_case(&cli)) != 0)
		goto out;
	if ((cmd->flags & CMD_CASE) && (rc = cli_moment(&cli, &args)) != 0)
		goto out;
	rc = args.verb->run(&cli, &args);
out:
	store_close(cli.s);
	store_close(cli.live);
	free(cli.author);
#ifndef CASEFILE_CORE
	if (cmd->flags & CMD_GIT)
		git_libgit2_shutdown();
#endif
	return rc;
}
