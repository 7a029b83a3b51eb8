/* cli_sync.c — team sharing from the command line: remote add|list|rm, sync, clone, over
 * export/sync/sync.h (conflicts and resolve are in cli_conflicts.c). */
#include "tui/cli/cli.h"

#include <git2.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "export/seal.h"
#include "export/sync/sync.h"
#include "store/identity.h"

#define EXIT_REMOTE 3 /* the remote could not be reached, refused us, or refused the push */

static int sync_exit(struct cli *cli, int rc)
{
	int status = cli_fail(cli);
	return rc == CF_ENET || rc == CF_EAUTH || rc == CF_EREJECTED ? EXIT_REMOTE : status;
}

/* ---- remote ---- */

static int print_remote(const struct sync_remote *r, void *ctx)
{
	(void)ctx;
	cf_text_put_safe(stdout, r->name);
	fputc('\t', stdout);
	cf_text_put_safe(stdout, r->url);
	fputc('\t', stdout);
	cf_text_put_safe(stdout, r->branch);
	fputc('\n', stdout);
	return 0;
}

int cmd_remote_list(struct cli *cli, const struct cli_args *a)
{
	(void)a;
	return sync_remote_list(cli->s, print_remote, NULL, &cli->err) < 0 ? cli_fail(cli)
									     : EXIT_OK;
}

int cmd_remote_rm(struct cli *cli, const struct cli_args *a)
{
	return sync_remote_rm(cli->s, a->argv[0], &cli->err) < 0 ? cli_fail(cli) : EXIT_OK;
}

int cmd_remote_add(struct cli *cli, const struct cli_args *a)
{
	return sync_remote_add(cli->s, a->argv[0], a->argv[1], cli_opt(a, "branch"), &cli->err) < 0
		       ? cli_fail(cli)
		       : EXIT_OK;
}

static int show_progress(const struct sync_progress *p, void *ctx)
{
	(void)ctx;
	fprintf(stderr, "sync: %s", sync_stage_name(p->stage));
	if (p->total)
		fprintf(stderr, " %lld/%lld", (long long)p->done, (long long)p->total);
	else if (p->done)
		fprintf(stderr, " %lld", (long long)p->done);
	if (p->attempt > 1)
		fprintf(stderr, " (attempt %d)", p->attempt);
	fputc('\n', stderr);
	return 0;
}

/* The line every sync and clone ends with while received operations are set aside. */
static void print_quarantine(const struct sync_result *r)
{
	if (r->retracted > 0)
		printf("%lld operation%s taken back out: a membership change that came in precedes"
		       " them, and refuses them (casefile quarantine list)\n",
		       (long long)r->retracted, r->retracted == 1 ? "" : "s");
	if (r->renewed)
		puts("this copy's own changes after its signer's removal were refused: it goes on as"
		     " a new replica");
	if (r->quarantined > 0)
		printf("%lld received operation%s in quarantine, not applied (see casefile"
		       " quarantine list)\n", (long long)r->quarantined,
		       r->quarantined == 1 ? "" : "s");
	if (r->unreadable > 0)
		printf("%lld sealed file%s not readable with your keys (sealed for an epoch you"
		       " are not a reader of), not applied\n", (long long)r->unreadable,
		       r->unreadable == 1 ? "" : "s");
}

static void print_result(const struct sync_result *r)
{
	if (r->up_to_date) {
		cf_text_printf_safe(stdout, "%s: up to date", r->remote_branch);
		fputc('\n', stdout);
		print_quarantine(r);
		return;
	}
	cf_text_printf_safe(stdout, "%s: sent %lld operation%s, received %lld", r->remote_branch,
			    (long long)r->ops_written, r->ops_written == 1 ? "" : "s",
			    (long long)r->ops_received);
	if (r->conflicts)
		printf(", %lld new conflict%s (see casefile conflicts)", (long long)r->conflicts,
		       r->conflicts == 1 ? "" : "s");
	printf(", %s", r->pushed ? "pushed" : "nothing to push");
	if (r->attempts > 1)
		printf(" after %d tries", r->attempts);
	printf("; main at %.12s\n", r->tip);
	print_quarantine(r);
}

int cmd_sync(struct cli *cli, const struct cli_args *a)
{
	struct sync_result res;
	int verbose = cli_flag(a, "verbose"), rc;

	rc = sync_run(cli->s, a->argc ? a->argv[0] : NULL, verbose ? show_progress : NULL, NULL, &res,
		      &cli->err);
	if (rc < 0) {
		if (res.ops_written || res.ops_received)
			fprintf(stderr, "casefile: sync stopped after writing %lld and receiving %lld"
				" operations; the case is intact and the next sync goes on\n",
				(long long)res.ops_written, (long long)res.ops_received);
		return sync_exit(cli, rc);
	}
	print_result(&res);
	return EXIT_OK;
}

int cmd_clone(struct cli *cli, const struct cli_args *a)
{
	struct sync_result res;
	const char *branch = cli_opt(a, "branch");
	int verbose = cli_flag(a, "verbose"), rc;
	struct cf_identity id;

	if ((rc = cli_read_identity(cli, &id)) < 0)
		return cli_fail(cli);
	rc = sync_clone(a->argv[0], a->argv[1], branch, cli->author, rc ? &id : NULL,
			cli_progress_sink(cli), verbose ? show_progress : NULL, NULL, &res,
			&cli->err);
	cf_identity_wipe(&id);
	if (rc < 0)
		return sync_exit(cli, rc);
	printf("cloned %lld operations into ", (long long)res.ops_received);
	cf_text_put_safe(stdout, a->argv[1]);
	cf_text_printf_safe(stdout, " (remote origin, branch %s)",
			    branch ? branch : SYNC_DEFAULT_BRANCH);
	fputc('\n', stdout);
	print_quarantine(&res);
	return EXIT_OK;
}

/* ---- seal ---- */

static int seal_here(struct cli *cli)
{
	int rewritten = 0;

	if (seal_case(cli->s, &rewritten, &cli->err) < 0)
		return cli_fail(cli);
	cf_text_printf_safe(stdout, "sealed the case in %s: what it shares is encrypted for its"
			    " members", cli->dir);
	if (rewritten)
		printf(" (%d commit%s of its history rewritten)", rewritten,
		       rewritten == 1 ? "" : "s");
	fputc('\n', stdout);
	return EXIT_OK;
}

int cmd_seal(struct cli *cli, const struct cli_args *a)
{
	(void)a;
	return seal_here(cli);
}

int cmd_init_sealed(struct cli *cli, const struct cli_args *a)
{
	struct cf_identity id;
	int rc;

	if (!cli_flag(a, "sealed"))
		return cmd_init(cli, a);
	/* Checked first, so that no unsealed case is left behind. */
	if ((rc = cli_read_identity(cli, &id)) < 0)
		return cli_fail(cli);
	cf_identity_wipe(&id);
	if (rc == 0) {
		fputs("casefile: a sealed case needs your identity: run casefile id init first\n",
		      stderr);
		return EXIT_FAIL;
	}
	if ((rc = cmd_init(cli, a)) != EXIT_OK)
		return rc;
	if (a->argc)
		cli->dir_opt = a->argv[0];
	if ((rc = cli_open_case(cli)) != 0)
		return rc;
	git_libgit2_init(); /* init is not a git command: only this use of it is */
	rc = seal_here(cli);
	git_libgit2_shutdown();
	return rc;
}
