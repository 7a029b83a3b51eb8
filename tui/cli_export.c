/* cli_export.c — export, git-dir and reports: briefings and exports written to a file or
 * stdout, committed as versions to the case's git repository, listed, shown and diffed. */
#include "tui/cli.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "export/export.h"

static int parse_export_args(int argc, char **argv, struct export_opts *o, const char **path,
			     int *commit)
{
	int k, f = -1, p = -1;

	if (argc < 1 || (k = export_kind_parse(argv[0])) < 0)
		return cli_usage("export: give a kind: briefing, timeline, case or custody");
	memset(o, 0, sizeof(*o));
	o->kind = (enum export_kind)k;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "--commit")) {
			*commit = 1;
			continue;
		}
		if (strcmp(a, "--profile") && strcmp(a, "--format") && strcmp(a, "--as-of") &&
		    strcmp(a, "-o"))
			return cli_usage("export: unknown option '%s'", a);
		if (!v)
			return cli_usage("export: option '%s' needs a value", a);
		i++;
		if (!strcmp(a, "--profile") && (p = export_profile_parse(v)) < 0)
			return cli_usage("export: unknown profile '%s' (congressional, sitrep, "
					 "public)", v);
		if (!strcmp(a, "--format") && (f = export_format_parse(v)) < 0)
			return cli_usage("export: unknown format '%s' (md, html, json, csv, jsonl)",
					 v);
		if (!strcmp(a, "--as-of"))
			o->as_of = v;
		if (!strcmp(a, "-o"))
			*path = v;
	}
	o->format = f >= 0 ? (enum export_format)f : export_default_format(o->kind);
	o->profile = p >= 0 ? (enum export_profile)p : export_default_profile(o->kind);
	if (!export_format_fits(o->kind, o->format))
		return cli_usage("export: a %s has no %s format", export_kind_name(o->kind),
				 export_format_name(o->format));
	return 0;
}

/* Writes to a temporary file beside PATH, then renames: a reader never sees half a report. */
static int export_to_file(struct cli *cli, const struct export_opts *o, const char *path)
{
	char tmp[4200];
	FILE *f;
	int fd, rc;

	snprintf(tmp, sizeof(tmp), "%s.tmp-XXXXXX", path);
	if ((fd = mkstemp(tmp)) < 0 || !(f = fdopen(fd, "w"))) {
		if (fd >= 0)
			close(fd);
		cf_error(&cli->err, CF_EIO, "'%s': %s", path, strerror(errno));
		return cli_fail(cli);
	}
	rc = export_write(cli->s, o, f, NULL, &cli->err);
	if (fflush(f) != 0 || fsync(fd) != 0)
		rc = rc < 0 ? rc : cf_error(&cli->err, CF_EIO, "'%s': %s", path, strerror(errno));
	if (fclose(f) != 0 && rc == 0)
		rc = cf_error(&cli->err, CF_EIO, "'%s': %s", path, strerror(errno));
	if (rc == 0 && rename(tmp, path) != 0)
		rc = cf_error(&cli->err, CF_EIO, "'%s': %s", path, strerror(errno));
	if (rc < 0) {
		unlink(tmp);
		return cli_fail(cli);
	}
	return EXIT_OK;
}

/* The previous committed version, for "Changes since the previous briefing". */
static void find_previous(struct cli *cli, struct export_opts *o, char mark[32], char label[32])
{
	struct cf_repo *r;
	struct export_info info;
	FILE *null = fopen("/dev/null", "w");
	struct cf_err err;

	if (o->kind != EXPORT_BRIEFING || !null)
		goto out;
	if (repo_open(cli->dir, 0, &r, &err) < 0)
		goto out;
	/* The mark of this export decides which version is "previous". */
	if (export_write(cli->s, o, null, &info, &err) == 0 &&
	    reports_previous(r, o, info.mark, mark, label, &err) == 0) {
		o->prev_mark = mark;
		o->prev_label = label;
	}
	repo_close(r);
out:
	if (null)
		fclose(null);
}

static int commit_export(struct cli *cli, const struct export_opts *o, FILE *msg)
{
	struct reports_commit_out res;
	struct cf_repo *r;
	int rc;

	if (repo_open(cli->dir, 1, &r, &cli->err) < 0)
		return cli_fail(cli);
	rc = reports_commit(cli->s, r, o, cli->author, &res, &cli->err);
	repo_close(r);
	if (rc < 0)
		return cli_fail(cli);
	if (res.unchanged)
		fprintf(msg, "%s unchanged since version %d (%.12s)\n", res.path, res.version,
			res.oid);
	else
		fprintf(msg, "%s version %d committed as %.12s%s%s\n", res.path, res.version,
			res.oid, res.tag[0] ? ", tag " : "", res.tag);
	return EXIT_OK;
}

int cmd_export(struct cli *cli, int argc, char **argv)
{
	struct export_opts o;
	const char *path = NULL;
	char mark[32], label[32];
	int commit = 0, rc;

	if (argc >= 1 && strcmp(argv[0], "custody") == 0) /* tui/cli_evidence.c */
		return cli_export_custody(cli, argc - 1, argv + 1);
	if ((rc = parse_export_args(argc, argv, &o, &path, &commit)) != 0)
		return rc;
	/* With -o -, the report goes to stdout and what was committed to stderr. */
	if (commit && (rc = commit_export(cli, &o, path && !strcmp(path, "-") ? stderr
								     : stdout)) != EXIT_OK)
		return rc;
	if (commit && !path)
		return EXIT_OK;
	/* With --commit -o FILE, FILE gets the bytes just committed (same previous version). */
	find_previous(cli, &o, mark, label);
	if (path && strcmp(path, "-") != 0)
		return export_to_file(cli, &o, path);
	if (export_write(cli->s, &o, stdout, NULL, &cli->err) < 0)
		return cli_fail(cli);
	return fflush(stdout) == 0 ? EXIT_OK : EXIT_FAIL;
}

int cmd_git_dir(struct cli *cli, int argc, char **argv)
{
	struct cf_repo *r;
	char abs[PATH_MAX];

	if (argc > 0)
		return cli_usage("git-dir: takes no arguments");
	/* Created on first use, so the printed path is always a repository. */
	if (repo_open(cli->dir, 1, &r, &cli->err) < 0)
		return cli_fail(cli);
	if (realpath(repo_path(r), abs))
		cli_put_safe(stdout, abs);
	else
		cli_put_safe(stdout, repo_path(r));
	fputc('\n', stdout);
	repo_close(r);
	return EXIT_OK;
}

static int print_version(const struct reports_version *v, void *ctx)
{
	char when[32];

	(void)ctx;
	cf_time_utc(v->time, when, sizeof(when));
	printf("%.12s  %s  ", v->oid, when);
	cli_put_safe(stdout, v->summary);
	fputc('\n', stdout);
	return 0;
}

/* Prints repository text line by line through cli_put_safe: a cloned repository may hold
 * anything, and the terminal must not obey it. */
static void put_lines(const char *text, size_t len)
{
	const char *p = text, *end = text + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		char *line = strndup(p, n);
		if (line) {
			cli_put_safe(stdout, line);
			free(line);
		}
		fputc('\n', stdout);
		p += n + 1;
	}
}

static int reports_show(struct cli *cli, struct cf_repo *r, int argc, char **argv)
{
	char path[256], *data;
	size_t len;

	if (argc < 1 || argc > 2)
		return cli_usage("reports show REV [PATH]");
	if (argc == 2)
		snprintf(path, sizeof(path), "%s", argv[1]);
	else if (reports_changed_path(r, argv[0], path, sizeof(path), &cli->err) < 0)
		return cli_fail(cli);
	if (repo_read(r, argv[0], path, &data, &len, &cli->err) < 0)
		return cli_fail(cli);
	if (isatty(STDOUT_FILENO))
		put_lines(data, len);
	else
		fwrite(data, 1, len, stdout); /* exact bytes into a pipe or file */
	free(data);
	return EXIT_OK;
}

int cmd_reports(struct cli *cli, int argc, char **argv)
{
	struct cf_repo *r;
	int rc = EXIT_OK, color = isatty(STDOUT_FILENO) && !getenv("NO_COLOR");

	if (argc < 1)
		return cli_usage("reports: give a verb: log, show REV [PATH], diff [A [B]]");
	if (strcmp(argv[0], "log") && strcmp(argv[0], "show") && strcmp(argv[0], "diff"))
		return cli_usage("reports: unknown verb '%s' (log, show, diff)", argv[0]);
	if (repo_open(cli->dir, 0, &r, &cli->err) < 0)
		return cli_fail(cli);
	if (!strcmp(argv[0], "log")) {
		if (argc > 1)
			rc = cli_usage("reports log: takes no arguments");
		else if (reports_log(r, print_version, NULL, &cli->err) < 0)
			rc = cli_fail(cli);
	} else if (!strcmp(argv[0], "show")) {
		rc = reports_show(cli, r, argc - 1, argv + 1);
	} else if (argc > 3) {
		rc = cli_usage("reports diff [A [B]]");
	} else {
		const char *a = argc > 2 ? argv[1] : NULL, *b = argc > 2 ? argv[2] : NULL;
		if (argc == 2) /* one revision: what it changed */
			b = argv[1];
		if (reports_diff(r, a, b, color, stdout, &cli->err) < 0)
			rc = cli_fail(cli);
	}
	repo_close(r);
	return rc;
}
