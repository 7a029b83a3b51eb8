/* cli_evidence.c — `casefile evidence add|transfer|verify|chain` and `export custody`; the other
 * evidence verbs (list, show, edit, rm) are the generic ones of cli_record.c. */
#include "tui/cli/cli.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "export/custody.h"

/* An option of ours: "--name VALUE" or "--name=VALUE".  Returns 1 and the value when ARGV[*I]
 * is NAME (advancing *I past a separate value), 0 when it is not, -1 when the value is
 * missing. */
static int opt_value(int argc, char **argv, int *i, const char *name, const char **value)
{
	size_t n = strlen(name);

	if (strncmp(argv[*i], name, n) != 0)
		return 0;
	if (argv[*i][n] == '=') {
		*value = argv[*i] + n + 1;
		return 1;
	}
	if (argv[*i][n] != '\0')
		return 0;
	if (*i + 1 >= argc) {
		cli_usage("option '%s' needs a value", name);
		return -1;
	}
	*value = argv[++*i];
	return 1;
}

struct opt {
	const char *name;
	const char **dst;
};

/* Fills the options of TABLE from ARGV; the positional words go to POS (at most NPOS).
 * Returns 0, or EXIT_USAGE after printing why. */
static int parse_opts(const char *cmd, int argc, char **argv, const struct opt *table,
		      const char **pos, int npos)
{
	int npos_seen = 0;

	for (int i = 0; i < argc; i++) {
		int hit = 0;
		for (const struct opt *o = table; o->name && !hit; o++) {
			hit = opt_value(argc, argv, &i, o->name, o->dst);
			if (hit < 0)
				return EXIT_USAGE;
		}
		if (hit)
			continue;
		if (argv[i][0] == '-' && argv[i][1])
			return cli_usage("%s: unknown option '%s'", cmd, argv[i]);
		if (npos_seen >= npos)
			return cli_usage("%s: unexpected argument '%s'", cmd, argv[i]);
		pos[npos_seen++] = argv[i];
	}
	return 0;
}

static int evidence_add_cmd(struct cli *cli, int argc, char **argv)
{
	struct cf_evidence_in in = { 0 };
	const struct opt opts[] = {
		{ "--location", &in.location }, { "--description", &in.description },
		{ "--collected-by", &in.collected_by }, { "--collected-at", &in.collected_at },
		{ "--source", &in.source }, { "--visibility", &in.visibility },
		{ "--reason", &in.reason }, { NULL, NULL },
	};
	char id[CF_ID_LEN + 1];
	int rc = parse_opts("evidence add", argc, argv, opts, &in.file, 1);

	if (rc)
		return rc;
	if (!in.file && !in.location)
		return cli_usage("evidence add: give a FILE to hash or --location TEXT");
	if (evidence_add(cli->s, &in, id, &cli->err) < 0)
		return cli_fail(cli);
	printf("%s\n", id);
	return EXIT_OK;
}

static int take_item(struct cli *cli, const char *arg, const char *verb, char id[CF_ID_LEN + 1])
{
	if (!arg)
		return cli_usage("evidence %s: which item? give an ID", verb);
	if (record_resolve(cli->s, CF_EVIDENCE, arg, id, &cli->err) < 0)
		return cli_fail(cli);
	return 0;
}

static int evidence_transfer_cmd(struct cli *cli, int argc, char **argv)
{
	struct cf_transfer t = { 0 };
	const struct opt opts[] = {
		{ "--to", &t.to }, { "--reason", &t.reason }, { "--location", &t.location },
		{ "--at", &t.at }, { "--action", &t.action }, { NULL, NULL },
	};
	const char *arg = NULL;
	char id[CF_ID_LEN + 1];
	int rc = parse_opts("evidence transfer", argc, argv, opts, &arg, 1);

	if (rc)
		return rc;
	if (!t.to)
		return cli_usage("evidence transfer: say to whom (--to WHO)");
	if ((rc = take_item(cli, arg, "transfer", id)) != 0)
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
	cli_put_safe(stdout, id);
	fputs("  ", stdout);
	cli_put_safe(stdout, cf_record_get(c->item, "description"));
	if (c->detail[0]) {
		fputs(": ", stdout);
		cli_put_safe(stdout, c->detail);
	}
	fputc('\n', stdout);
	return 0;
}

static int evidence_verify_cmd(struct cli *cli, int argc, char **argv)
{
	const char *arg = NULL, *file = NULL;
	const struct opt opts[] = { { "--file", &file }, { NULL, NULL } };
	char id[CF_ID_LEN + 1];
	int failures = 0, rc = parse_opts("evidence verify", argc, argv, opts, &arg, 1);

	if (rc)
		return rc;
	if (file && !arg)
		return cli_usage("evidence verify: --file PATH needs the item ID it is a copy of");
	if (arg && (rc = take_item(cli, arg, "verify", id)) != 0)
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
	cli_put_safe(stdout, v);
	fputc('\n', stdout);
}

static int print_event(const struct cf_record *c, void *ctx)
{
	static const char *const cols[] = { "action", "from", "handler", "location", "reason" };
	static const char *const labels[] = { "", "from ", "to ", "location ", "reason: " };

	++*(int *)ctx;
	printf("  %d. ", *(int *)ctx);
	cli_put_safe(stdout, cf_record_get(c, "at"));
	for (size_t i = 0; i < sizeof(cols) / sizeof(cols[0]); i++) {
		const char *v = cf_record_get(c, cols[i]);
		if (!v)
			continue;
		fputs(i == 0 ? "  " : ", ", stdout);
		fputs(labels[i], stdout);
		cli_put_safe(stdout, v);
	}
	fputc('\n', stdout);
	return 0;
}

static int evidence_chain_cmd(struct cli *cli, int argc, char **argv)
{
	const struct opt opts[] = { { NULL, NULL } };
	const char *arg = NULL;
	char id[CF_ID_LEN + 1];
	struct cf_record r;
	int n = 0, rc = parse_opts("evidence chain", argc, argv, opts, &arg, 1);

	if (rc || (rc = take_item(cli, arg, "chain", id)) != 0)
		return rc;
	if (record_get(cli->s, CF_EVIDENCE, id, &r, &cli->err) < 0)
		return cli_fail(cli);
	printf("%-14s ", "id");
	cli_put_safe(stdout, r.id);
	fputc('\n', stdout);
	print_field(&r, "description", "description");
	print_field(&r, "file", "file");
	print_field(&r, "sha256", "sha256");
	print_field(&r, "holder", "holder");
	print_field(&r, "location", "location");
	cf_record_release(&r);
	puts("custody");
	if (custody_chain(cli->s, id, print_event, &n, &cli->err) < 0)
		return cli_fail(cli);
	if (n == 0)
		puts("  (no custody events)");
	return EXIT_OK;
}

int cmd_evidence(struct cli *cli, int argc, char **argv)
{
	if (argc >= 1 && strcmp(argv[0], "add") == 0)
		return evidence_add_cmd(cli, argc - 1, argv + 1);
	if (argc >= 1 && strcmp(argv[0], "transfer") == 0)
		return evidence_transfer_cmd(cli, argc - 1, argv + 1);
	if (argc >= 1 && strcmp(argv[0], "verify") == 0)
		return evidence_verify_cmd(cli, argc - 1, argv + 1);
	if (argc >= 1 && strcmp(argv[0], "chain") == 0)
		return evidence_chain_cmd(cli, argc - 1, argv + 1);
	return cli_record(cli, CF_EVIDENCE, argc, argv);
}

/* ---- export custody ---- */

/* Writes the report to PATH atomically: a temporary file beside it, flushed and synced, then
 * renamed over PATH, so a reader never sees half a report. */
static int write_atomic(struct cli *cli, const char *path, enum custody_format fmt)
{
	char tmp[4096], dir[4096];
	FILE *f = NULL;
	int fd, rc, saved;

	if (snprintf(tmp, sizeof(tmp), "%s.tmpXXXXXX", path) >= (int)sizeof(tmp))
		return cf_error(&cli->err, CF_EINVAL, "%s: path too long", path);
	if ((fd = mkstemp(tmp)) < 0)
		return cf_error(&cli->err, CF_EIO, "%s: %s", path, strerror(errno));
	if (!(f = fdopen(fd, "w"))) {
		saved = errno;
		close(fd);
		rc = cf_error(&cli->err, CF_EIO, "%s: %s", tmp, strerror(saved));
		goto fail;
	}
	if ((rc = export_custody(cli->s, f, fmt, &cli->err)) < 0)
		goto fail;
	if (fflush(f) != 0 || fsync(fileno(f)) != 0) {
		rc = cf_error(&cli->err, CF_EIO, "%s: %s", tmp, strerror(errno));
		goto fail;
	}
	fclose(f);
	f = NULL;
	if (rename(tmp, path) < 0) {
		rc = cf_error(&cli->err, CF_EIO, "%s: %s", path, strerror(errno));
		goto fail;
	}
	snprintf(dir, sizeof(dir), "%s", path);
	if ((fd = open(dirname(dir), O_RDONLY | O_DIRECTORY)) >= 0) {
		fsync(fd);
		close(fd);
	}
	return 0;
fail:
	if (f)
		fclose(f);
	unlink(tmp);
	return rc;
}

int cli_export_custody(struct cli *cli, int argc, char **argv)
{
	const char *format = "md", *output = NULL;
	const struct opt opts[] = {
		{ "--format", &format }, { "-o", &output }, { "--output", &output },
		{ NULL, NULL },
	};
	enum custody_format fmt;
	int rc = parse_opts("export custody", argc, argv, opts, NULL, 0);

	if (rc)
		return rc;
	if (export_custody_format(format, &fmt, &cli->err) < 0)
		return cli_usage("export custody: %s", cli->err.msg);
	if (output && strcmp(output, "-") != 0)
		rc = write_atomic(cli, output, fmt);
	else
		rc = export_custody(cli->s, stdout, fmt, &cli->err);
	return rc < 0 ? cli_fail(cli) : EXIT_OK;
}
