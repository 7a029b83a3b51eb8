/* cli_quarantine.c — received operations set aside by sync: quarantine list | show KEY.
 * Store calls only, so it runs in the small casefile binary. */
#include "tui/cli/cli.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* "ops/R/F.jsonl:3  replica R #5 op ID: REASON" — every part from a peer, so made safe. */
static int entry_line(const struct cf_quarantined *q, void *ctx)
{
	(void)ctx;
	cf_text_put_safe(stdout, q->path);
	printf(":%" PRId64 "  ", q->line);
	if (q->op) {
		fputs("op ", stdout);
		cf_text_put_safe(stdout, q->op);
		fputs(": ", stdout);
	}
	cf_text_put_safe(stdout, q->reason);
	fputc('\n', stdout);
	return 0;
}

static void field(const char *name, const char *v)
{
	printf("%-9s ", name);
	cf_text_put_safe(stdout, v ? v : "(not known)");
	fputc('\n', stdout);
}

static int entry_show(const struct cf_quarantined *q, void *ctx)
{
	int *n = ctx;

	if ((*n)++)
		fputc('\n', stdout);
	printf("%-9s ", "file");
	cf_text_put_safe(stdout, q->path);
	printf(":%" PRId64 "\n", q->line);
	field("operation", q->op);
	field("replica", q->replica);
	if (q->rseq)
		printf("%-9s #%" PRId64 "\n", "sequence", q->rseq);
	if (q->lamport)
		printf("%-9s %" PRId64 "\n", "clock", q->lamport);
	field("why", q->reason);
	field("received", q->text);
	return 0;
}

int cmd_quarantine_list(struct cli *cli, const struct cli_args *a)
{
	int rc;

	(void)a;
	if ((rc = quarantine_list(cli->s, entry_line, NULL, &cli->err)) < 0)
		return cli_fail(cli);
	if (rc == 0)
		puts("nothing in quarantine");
	return EXIT_OK;
}

int cmd_quarantine_show(struct cli *cli, const struct cli_args *a)
{
	int n = 0;

	return quarantine_show(cli->s, a->argv[0], entry_show, &n, &cli->err) < 0 ? cli_fail(cli)
										  : EXIT_OK;
}
