/* cli_export.c — export, git-dir and reports: briefings and exports written to a file or
 * stdout, committed as versions to the case's git repository, listed, shown and diffed. */
#include "tui/cli/cli.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
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
		return argc < 1 ? cli_usage("export: give a kind: briefing, timeline, case or custody")
				: cli_usage("export: unknown kind '%s' (briefing, timeline, case, custody)",
					    argv[0]);
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

/* An -o FILE being written: a temporary file beside PATH (same file system, so the rename
 * is atomic), renamed over PATH only when complete and on disk. */
struct outfile {
	char tmp[4200];
	const char *path;
	FILE *f;
	int fd;
};

/* Creates the temporary file; before anything is committed, so that an -o that cannot be
 * written fails the command with nothing changed. */
static int outfile_open(struct cli *cli, struct outfile *o, const char *path)
{
	int n = snprintf(o->tmp, sizeof(o->tmp), "%s.tmp-XXXXXX", path);

	o->path = path;
	o->f = NULL;
	if (n < 0 || (size_t)n >= sizeof(o->tmp)) {
		cf_error(&cli->err, CF_EINVAL, "'%s': path too long", path);
		return -1;
	}
	if ((o->fd = mkstemp(o->tmp)) < 0) {
		cf_error(&cli->err, CF_EIO, "'%s': %s", path, strerror(errno));
		return -1;
	}
	/* mkstemp makes it 0600; the report gets the mode a shell redirection would give. */
	mode_t mask = umask(0);
	umask(mask);
	fchmod(o->fd, 0666 & ~mask);
	if (!(o->f = fdopen(o->fd, "w"))) {
		cf_error(&cli->err, CF_EIO, "'%s': %s", path, strerror(errno));
		close(o->fd);
		unlink(o->tmp);
		return -1;
	}
	return 0;
}

/* The directory holding PATH, fsynced so the rename itself survives a crash. */
static void sync_dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	char dir[4200];
	int fd;

	snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - path) + (slash == path) : 1,
		 slash ? path : ".");
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY)) >= 0) {
		fsync(fd);
		close(fd);
	}
}

/* Finishes the file: RC < 0 (the export failed) or any write error removes the temporary
 * file and leaves PATH as it was; otherwise flush, fsync, rename, fsync the directory. */
static int outfile_close(struct cli *cli, struct outfile *o, int rc)
{
	if (rc == 0 && (fflush(o->f) != 0 || fsync(o->fd) != 0))
		rc = cf_error(&cli->err, CF_EIO, "'%s': %s", o->path, strerror(errno));
	if (fclose(o->f) != 0 && rc == 0)
		rc = cf_error(&cli->err, CF_EIO, "'%s': %s", o->path, strerror(errno));
	if (rc == 0 && rename(o->tmp, o->path) != 0)
		rc = cf_error(&cli->err, CF_EIO, "'%s': %s", o->path, strerror(errno));
	if (rc < 0) {
		unlink(o->tmp);
		return rc;
	}
	sync_dir_of(o->path);
	return 0;
}

/* export_opts.find_prev: the previous committed version, for "Changes since the previous
 * briefing".  No repository or no earlier version is no error (this is then the first
 * briefing); a repository that cannot be read is. */
struct prev_ctx {
	const char *case_dir;
	const struct export_opts *o;
};

static int previous_in_repo(const char *mark, char prev_mark[32], char label[32], void *ctx,
			    struct cf_err *err)
{
	const struct prev_ctx *p = ctx;
	struct cf_repo *r;
	int rc;

	if ((rc = repo_open(p->case_dir, 0, &r, err)) < 0)
		return rc; /* CF_ENOTFOUND without a repository: no previous version */
	rc = reports_previous(r, p->o, mark, prev_mark, label, err);
	repo_close(r);
	return rc;
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
	struct outfile of;
	struct prev_ctx pc = { cli->dir, &o };
	const char *path = NULL;
	int commit = 0, to_file, rc;

	if (argc >= 1 && strcmp(argv[0], "custody") == 0) /* tui/cli/cli_evidence.c */
		return cli_export_custody(cli, argc - 1, argv + 1);
	if ((rc = parse_export_args(argc, argv, &o, &path, &commit)) != 0)
		return rc;
	to_file = path && strcmp(path, "-") != 0;
	if (to_file && outfile_open(cli, &of, path) < 0)
		return cli_fail(cli);
	/* With -o -, the report goes to stdout and what was committed to stderr. */
	if (commit && (rc = commit_export(cli, &o, path && !to_file ? stderr : stdout)) != EXIT_OK) {
		if (to_file)
			outfile_close(cli, &of, CF_ERR);
		return rc;
	}
	if (commit && !path)
		return EXIT_OK;
	/* With --commit -o FILE, FILE gets the bytes just committed: the version just made has
	 * this export's mark, so the previous one is the same as the commit's. */
	o.find_prev = previous_in_repo;
	o.find_prev_ctx = &pc;
	if (to_file) {
		rc = export_write(cli->s, &o, of.f, NULL, &cli->err);
		return outfile_close(cli, &of, rc) < 0 ? cli_fail(cli) : EXIT_OK;
	}
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
		char *line = xstrndup(p, n);
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
	const char *nc = getenv("NO_COLOR");
	int rc = EXIT_OK, color = isatty(STDOUT_FILENO) && !(nc && *nc);

	if (argc < 1)
		return cli_usage("reports: give a verb: log, show REV [PATH], diff [A [B]]");
	if (!strcmp(argv[0], "log") && argc > 1)
		return cli_usage("reports log: takes no arguments");
	if (!strcmp(argv[0], "show") && (argc < 2 || argc > 3))
		return cli_usage("reports show REV [PATH]");
	if (!strcmp(argv[0], "diff") && argc > 3)
		return cli_usage("reports diff [A [B]]");
	if (strcmp(argv[0], "log") && strcmp(argv[0], "show") && strcmp(argv[0], "diff"))
		return cli_usage("reports: unknown verb '%s' (log, show, diff)", argv[0]);
	if (repo_open(cli->dir, 0, &r, &cli->err) < 0)
		return cli_fail(cli);
	if (!strcmp(argv[0], "log")) {
		if (reports_log(r, print_version, NULL, &cli->err) < 0)
			rc = cli_fail(cli);
	} else if (!strcmp(argv[0], "show")) {
		rc = reports_show(cli, r, argc - 1, argv + 1);
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
