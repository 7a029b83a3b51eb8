/* cli_verify.c — `casefile verify`: every tamper-evidence check in turn, what each looked at,
 * and every discrepancy by record and field; non-zero exit status on any. */
#include "tui/cli/cli.h"

#include <limits.h>
#include <string.h>
#include <sys/stat.h>

#include "export/sync/ops_verify.h"

struct tally {
	int problems;
	int timings;  /* --timings: each check's wall-clock time after its outcome */
	double start; /* when the current check began (progress_now) */
	int alongside; /* the current check ran in verify_bg's thread, alongside the others */
};

/* A check begins: its title, and the clock for --timings. */
static void check_begin(struct tally *t, const char *title)
{
	puts(title);
	fflush(stdout);
	t->start = progress_now();
}

/* A check ended (its outcome printed): with --timings, how long it took. */
static void check_end(struct tally *t)
{
	if (t->timings)
		printf("  took %.2f s%s\n", progress_now() - t->start,
		       t->alongside ? " (alongside the checks above)" : "");
	t->alongside = 0;
}


static int print_problem(const struct cf_problem *p, void *ctx)
{
	struct tally *t = ctx;

	t->problems++;
	fputs("  PROBLEM ", stdout);
	if (p->kind != CF_KIND_COUNT && p->record) {
		printf("[%s ", cf_kind_info(p->kind)->name);
		cf_text_put_safe(stdout, p->record);
		if (p->field) {
			fputs(" field ", stdout);
			cf_text_put_safe(stdout, p->field);
		}
		fputs("] ", stdout);
	}
	cf_text_put_safe(stdout, p->msg);
	fputc('\n', stdout);
	return 0;
}

static int print_evidence(const struct cf_evidence_check *c, void *ctx)
{
	struct tally *t = ctx;

	if (c->status == CF_EV_MATCH || c->status >= CF_EV_NOFILE)
		return 0;
	t->problems++;
	/* Even ids are untrusted here: the database is the thing under suspicion. */
	fputs("  PROBLEM [evidence ", stdout);
	cf_text_put_safe(stdout, c->item->id);
	printf(" field sha256] %s", cf_evcheck_name(c->status));
	if (c->detail[0]) {
		fputs(": ", stdout);
		cf_text_put_safe(stdout, c->detail);
	}
	fputc('\n', stdout);
	return 0;
}

/* Prints the outcome line of one check; a check that could not run is a problem too. */
static void outcome(struct cli *cli, struct tally *t, int n, const char *what)
{
	if (n < 0) {
		t->problems++;
		printf("  PROBLEM %s could not be checked: ", what);
		cf_text_put_safe(stdout, cli->err.msg);
		fputc('\n', stdout);
	} else {
		printf("  %s\n", n == 0 ? "ok" : "FAILED");
	}
	check_end(t);
}

/* A check of verify_bg's: its outcome, timed by the thread that ran it. */
static void outcome_bg(struct cli *cli, struct tally *t, int n, double seconds, const char *what)
{
	t->start = progress_now() - seconds;
	t->alongside = 1;
	outcome(cli, t, n, what);
}

static void check_git(struct cli *cli, struct tally *t)
{
	int64_t nfiles = 0, nops = 0;
	int n;

	cf_text_printf_safe(stdout, "operations in git (%s/casefile.git, ops/)", cli->dir);
	fputc('\n', stdout);
	t->start = progress_now();
	n = export_check_git_ops(cli->s, print_problem, t, &nfiles, &nops, &cli->err);
	if (n == CF_ENOTFOUND) {
		printf("  skipped: ");
		cf_text_put_safe(stdout, cli->err.msg);
		fputc('\n', stdout);
		check_end(t);
		return;
	}
	if (n >= 0)
		printf("  %lld operations in %lld files compared with the database\n",
		       (long long)nops, (long long)nfiles);
	outcome(cli, t, n, "the git repository");
}

/* The tables the record comparison does not cover: conflicts and flags, sort keys; then, from
 * BG, the hash chains, the database itself and search. */
static void check_indexes(struct cli *cli, struct tally *t, struct verify_bg *bg)
{
	int64_t nfields = 0, nrows = 0, nq, nops = 0, nreplicas = 0;
	double secs = 0;
	int n;

	check_begin(t, "conflicts and conflicted flags against each edited field's history");
	n = verify_conflicts(cli->s, print_problem, t, &nfields, &cli->err);
	if (n >= 0)
		printf("  %lld edited fields walked\n", (long long)nfields);
	outcome(cli, t, n, "the conflicts");

	check_begin(t, "sort keys against each record's fields");
	n = verify_sort_keys(cli->s, print_problem, t, &nrows, &cli->err);
	if (n >= 0)
		printf("  %lld rows\n", (long long)nrows);
	outcome(cli, t, n, "the sort keys");

	/* Started first, in a thread of their own: here they are waited for. */
	check_begin(t, "operation hash chains");
	n = verify_bg_chains(bg, print_problem, t, &nops, &nreplicas, &secs, &cli->err);
	if (n >= 0)
		printf("  %lld operations in %lld replica chain%s\n", (long long)nops,
		       (long long)nreplicas, nreplicas == 1 ? "" : "s");
	outcome_bg(cli, t, n, secs, "the hash chains");

	check_begin(t, "sqlite integrity (PRAGMA integrity_check)");
	n = verify_bg_integrity(bg, print_problem, t, &secs, &cli->err);
	outcome_bg(cli, t, n, secs, "integrity");

	check_begin(t, "full-text indexes against their tables (FTS5 integrity-check, every row)");
	/* FTS5's check is an INSERT statement: SQLite refuses it on a read-only database. */
	if (store_read_only(cli->s)) {
		puts("  skipped: the case is read-only");
		check_end(t);
	} else {
		n = verify_bg_fts(bg, print_problem, t, &secs, &cli->err);
		outcome_bg(cli, t, n, secs, "the full-text indexes");
	}

	/* Not a problem of this case: what peers sent that was set aside. */
	if ((nq = quarantine_count(cli->s)) > 0)
		printf("quarantine: %lld received operation%s set aside (casefile quarantine"
		       " list)\n", (long long)nq, nq == 1 ? "" : "s");
}

int cmd_verify(struct cli *cli, const struct cli_args *a)
{
	struct tally t = { 0 };
	int64_t nheads = 0, nrecords = 0;
	int n, failures = 0;
	double start = progress_now();
	struct verify_bg *bg = NULL;

	t.timings = cli_flag(a, "timings");
	/* The hash chains and SQLite's own checks run alongside the replay, on a second core
	 * (store/verify_bg.c), and are reported after it. */
	verify_bg_start(cli->s, !store_read_only(cli->s), &bg, &cli->err);

	check_begin(&t, "replica heads (last operation of each chain)");
	n = verify_heads(cli->s, print_problem, &t, &nheads, &cli->err);
	if (n >= 0)
		printf("  %lld head%s recorded\n", (long long)nheads, nheads == 1 ? "" : "s");
	outcome(cli, &t, n, "the replica heads");

	check_begin(&t, "records against a replay of the operation log");
	n = verify_replay(cli->s, print_problem, &t, &nrecords, &cli->err);
	if (n >= 0)
		printf("  %lld records compared field by field\n", (long long)nrecords);
	outcome(cli, &t, n, "the records");

	check_indexes(cli, &t, bg);
	verify_bg_free(bg);
	check_git(cli, &t);

	check_begin(&t, "evidence files (SHA-256 and size)");
	n = evidence_verify(cli->s, NULL, print_evidence, &t, &failures, &cli->err);
	if (n >= 0)
		printf("  %lld evidence item%s\n", (long long)record_count(cli->s, CF_EVIDENCE),
		       record_count(cli->s, CF_EVIDENCE) == 1 ? "" : "s");
	outcome(cli, &t, n < 0 ? n : failures, "the evidence files");

	if (t.timings)
		printf("verify took %.2f s\n", progress_now() - start);
	if (t.problems) {
		printf("verify: %d problem%s found\n", t.problems, t.problems == 1 ? "" : "s");
		return EXIT_FAIL;
	}
	puts("verify: ok");
	return EXIT_OK;
}
