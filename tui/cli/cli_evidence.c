/* cli_evidence.c — `casefile evidence add|transfer|verify|chain`; the other
 * evidence verbs (list, show, edit, rm) are the generic ones of cli_record.c. */
#include "tui/cli/cli.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>


int cmd_evidence_add(struct cli *cli, const struct cli_args *a)
{
	struct cf_evidence_in in = {
		.file = a->argc ? a->argv[0] : NULL,
		.location = cli_opt(a, "location"),
		.description = cli_opt(a, "description"),
		.collected_by = cli_opt(a, "collected-by"),
		.collected_at = cli_opt(a, "collected-at"),
		.source = cli_opt(a, "source"),
		.visibility = cli_opt(a, "visibility"),
		.reason = cli_opt(a, "reason"),
	};
	char id[CF_ID_LEN + 1];

	if (!in.file && !in.location)
		return cli_bad_arg(a, "give a FILE to hash or --location TEXT", NULL);
	if (evidence_add(cli->s, &in, id, &cli->err) < 0)
		return cli_fail(cli);
	printf("%s\n", id);
	return EXIT_OK;
}

static int take_item(struct cli *cli, const char *arg, char id[CF_ID_LEN + 1])
{
	if (record_resolve(cli->s, CF_EVIDENCE, arg, id, &cli->err) < 0)
		return cli_fail(cli);
	return 0;
}

int cmd_evidence_transfer(struct cli *cli, const struct cli_args *a)
{
	struct cf_transfer t = {
		.to = cli_opt(a, "to"),
		.reason = cli_opt(a, "reason"),
		.location = cli_opt(a, "location"),
		.at = cli_opt(a, "at"),
		.action = cli_opt(a, "action"),
		.correction = cli_opt(a, "correction"),
	};
	char id[CF_ID_LEN + 1];
	int rc;

	if (!t.to)
		return cli_bad_arg(a, "say to whom (--to WHO)", NULL);
	if (t.correction && !*t.correction)
		return cli_bad_arg(a, "--correction: give the reason the event is recorded anyway",
				   NULL);
	if ((rc = take_item(cli, a->argv[0], id)) != 0)
		return rc;
	if (evidence_transfer(cli->s, id, &t, &cli->err) < 0)
		return cli_fail(cli);
	return EXIT_OK;
}

static int print_check(const struct cf_evidence_check *c, void *ctx)
{
	char id[CF_SHORT_ID + 1];

	(void)ctx;
	snprintf(id, sizeof(id), "%.*s", CF_SHORT_ID, c->item->id);
	printf("%-10s ", cf_evcheck_name(c->status));
	cf_text_put_safe(stdout, id);
	fputs("  ", stdout);
	cf_text_put_safe(stdout, cf_record_get(c->item, "description"));
	if (c->detail[0]) {
		fputs(": ", stdout);
		cf_text_put_safe(stdout, c->detail);
	}
	fputc('\n', stdout);
	return 0;
}

int cmd_evidence_verify(struct cli *cli, const struct cli_args *a)
{
	const char *arg = a->argc ? a->argv[0] : NULL, *file = cli_opt(a, "file");
	char id[CF_ID_LEN + 1];
	int failures = 0, rc;

	if (file && !arg)
		return cli_bad_arg(a, "--file %s needs the item ID it is a copy of", file);
	if (arg && (rc = take_item(cli, arg, id)) != 0)
		return rc;
	if (evidence_verify_file(cli->s, arg ? id : NULL, file, print_check, NULL, &failures,
				 &cli->err) < 0)
		return cli_fail(cli);
	if (failures)
		fprintf(stderr, "casefile: %d evidence item%s failed verification\n", failures,
			failures == 1 ? "" : "s");
	return failures ? EXIT_FAIL : EXIT_OK;
}

static void print_field(const struct cf_record *r, const char *label, const char *field)
{
	const char *v = cf_record_get(r, field);
	if (!v)
		return;
	printf("%-14s ", label);
	cf_text_put_safe(stdout, v);
	fputc('\n', stdout);
}

/* One event of the chain; a correction, or an event that breaks the chain without being one
 * (received so from another replica), says so on a line of its own. */
static int print_event(const struct cf_custody_step *step, void *ctx)
{
	static const char *const cols[] = { "action", "from", "handler", "location", "reason" };
	static const char *const labels[] = { "", "from ", "to ", "location ", "reason: " };
	const struct cf_record *c = step->event;

	*(int *)ctx = step->n;
	printf("  %d. ", step->n);
	cf_text_put_safe(stdout, cf_record_get(c, "at"));
	for (size_t i = 0; i < sizeof(cols) / sizeof(cols[0]); i++) {
		const char *v = cf_record_get(c, cols[i]);
		if (!v)
			continue;
		fputs(i == 0 ? "  " : ", ", stdout);
		fputs(labels[i], stdout);
		cf_text_put_safe(stdout, v);
	}
	fputc('\n', stdout);
	if (step->correction) {
		fputs("     CORRECTION: ", stdout);
		cf_text_put_safe(stdout, step->correction);
		if (step->broken) {
			fputs(" (", stdout);
			cf_text_put_safe(stdout, step->broken);
			fputc(')', stdout);
		}
		fputc('\n', stdout);
	} else if (step->broken) {
		fputs("     OUT OF CHAIN, not recorded as a correction: ", stdout);
		cf_text_put_safe(stdout, step->broken);
		fputc('\n', stdout);
	}
	return 0;
}

int cmd_evidence_chain(struct cli *cli, const struct cli_args *a)
{
	char id[CF_ID_LEN + 1];
	struct cf_record r;
	int n = 0, rc;

	if ((rc = take_item(cli, a->argv[0], id)) != 0)
		return rc;
	if (record_get(cli->s, CF_EVIDENCE, id, &r, &cli->err) < 0)
		return cli_fail(cli);
	printf("%-14s ", "id");
	cf_text_put_safe(stdout, r.id);
	fputc('\n', stdout);
	print_field(&r, "description", "description");
	print_field(&r, "file", "file");
	print_field(&r, "sha256", "sha256");
	print_field(&r, "holder", "holder");
	print_field(&r, "location", "location");
	cf_record_release(&r);
	puts("custody");
	if (custody_walk(cli->s, id, print_event, &n, &cli->err) < 0)
		return cli_fail(cli);
	if (n == 0)
		puts("  (no custody events)");
	return EXIT_OK;
}

