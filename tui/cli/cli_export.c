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

/* A record the profile leaves out that its reader would miss: said on stderr, by id. */
static void say_omitted(const struct cf_record *r, const char *why, void *ctx)
{
	const char *text = cf_record_get(r, r->kind == CF_ESTIMATE ? "category" : "summary");

	fprintf(stderr, "casefile: warning: left out of this %s: %s %.*s '", (const char *)ctx,
		cf_kind_info(r->kind)->title, CF_SHORT_ID, r->id);
	cf_text_put_safe(stderr, text ? text : "");
	fprintf(stderr, "' (%s)\n", why);
}

/* The export the verb names, with --profile, --format, --as-of and --tlp. */
static int export_args(const struct cli_args *a, struct export_opts *o)
{
	const char *profile = cli_opt(a, "profile"), *format = cli_opt(a, "format");
	const char *tlp = cli_opt(a, "tlp"), *paper = cli_opt(a, "paper");
	int f = -1, p = -1;

	memset(o, 0, sizeof(*o));
	o->kind = (enum export_kind)export_kind_parse(a->verb->name);
	if (profile && (p = export_profile_parse(profile)) < 0)
		return cli_bad_value(a, "unknown profile '%s' (congressional, sitrep, public)", profile);
	if (format && (f = export_format_parse(format)) < 0)
		return cli_bad_value(a, "unknown format '%s' (md, html, json, csv, jsonl, pdf)", format);
	o->as_of = cli_opt(a, "as-of");
	o->known_at = cli_opt(a, "known-at");
	o->format = f >= 0 ? (enum export_format)f : export_default_format(o->kind);
	o->profile = p >= 0 ? (enum export_profile)p : export_default_profile(o->kind);
	if (tlp && strcmp(tlp, "amber") && strcmp(tlp, "green"))
		return cli_bad_value(a, "--tlp '%s': give green (the default) or amber", tlp);
	o->tlp_amber = tlp && !strcmp(tlp, "amber");
	if (o->tlp_amber && o->profile != EXPORT_CONGRESSIONAL)
		return cli_bad_value(a, "--tlp %s: only a congressional product may include AMBER "
				     "records", tlp);
	o->omitted = say_omitted;
	o->omitted_ctx = (void *)(o->profile == EXPORT_PUBLIC ? "public product"
				  : "congressional product");
	if (o->profile == EXPORT_SITREP)
		o->omitted = NULL;
	if (paper && strcmp(paper, "a4") && strcmp(paper, "letter"))
		return cli_bad_value(a, "--paper '%s': give letter (the default) or a4", paper);
	if (paper && o->format != EXPORT_PDF)
		return cli_bad_value(a, "--paper %s: only a PDF has a paper size (--format pdf)",
				     paper);
	o->paper_a4 = paper && !strcmp(paper, "a4");
	/* A template says which formats it writes (export_template). */
	if (!cli_opt(a, "template") && !export_format_fits(o->kind, o->format)) {
		char msg[CF_PHRASE_LEN];
		snprintf(msg, sizeof(msg), "a %s has no %%s format", export_kind_name(o->kind));
		return cli_bad_value(a, msg, format);
	}
	return 0;
}

/* export_opts.find_prev: the previous committed version, for "Changes since the previous
 * briefing".  No repository or no earlier version is no error (this is then the first
 * briefing); a repository that cannot be read is. */
struct prev_ctx {
	const char *case_dir;
	const struct export_opts *o;
};

static int previous_in_repo(const char *mark, char prev_mark[CF_TIME_LEN], char label[CF_NUM_LEN], void *ctx,
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

/* --template NAME: found and parsed (its errors as FILE:LINE:COLUMN: reason), into O. */
static int export_template(struct cli *cli, const struct cli_args *a, struct export_opts *o,
			   struct tmpl **t)
{
	const char *name = cli_opt(a, "template");
	struct tmpl_entry e;

	*t = NULL;
	if (!name)
		return EXIT_OK;
	if (!cli_opt(a, "format"))
		o->format = EXPORT_MD; /* a .html or .csv template: give --format */
	if (tmpl_open(cli->dir, name, t, &e, &cli->err) < 0)
		return cli_fail(cli);
	if (!cli_opt(a, "format") && e.type != TMPL_MD)
		o->format = e.type == TMPL_HTML ? EXPORT_HTML : EXPORT_CSV;
	o->tmpl = *t;
	o->tmpl_name = name; /* committed as its own series: briefing/NAME/vN */
	return EXIT_OK;
}

static int export_run(struct cli *cli, const struct cli_args *a, struct export_opts *o);

int cmd_export(struct cli *cli, const struct cli_args *a)
{
	struct export_opts o;
	struct tmpl *t = NULL;
	int rc;

	if ((rc = export_args(a, &o)) != 0 || (rc = export_template(cli, a, &o, &t)) != 0)
		return rc;
	rc = export_run(cli, a, &o);
	tmpl_free(t);
	return rc;
}

static int export_run(struct cli *cli, const struct cli_args *a, struct export_opts *o_in)
{
	struct export_opts o = *o_in;
	struct export_file of;
	struct prev_ctx pc = { cli->dir, &o };
	const char *path = cli_opt(a, "output");
	int commit = cli_flag(a, "commit"), to_file, rc;

	to_file = path && strcmp(path, "-") != 0;
	if (to_file && export_file_open(&of, path, &cli->err) < 0)
		return cli_fail(cli);
	/* With -o -, the report goes to stdout and what was committed to stderr. */
	if (commit && (rc = commit_export(cli, &o, path && !to_file ? stderr : stdout)) != EXIT_OK) {
		if (to_file)
			export_file_close(&of, CF_ERR, &cli->err);
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
		return export_file_close(&of, rc, &cli->err) < 0 ? cli_fail(cli) : EXIT_OK;
	}
	if (export_write(cli->s, &o, stdout, NULL, &cli->err) < 0)
		return cli_fail(cli);
	return fflush(stdout) == 0 ? EXIT_OK : EXIT_FAIL;
}

int cmd_git_dir(struct cli *cli, const struct cli_args *a)
{
	struct cf_repo *r;
	char abs[PATH_MAX];

	(void)a;
	/* Created on first use, so the printed path is always a repository. */
	if (repo_open(cli->dir, 1, &r, &cli->err) < 0)
		return cli_fail(cli);
	if (realpath(repo_path(r), abs))
		cf_text_put_safe(stdout, abs);
	else
		cf_text_put_safe(stdout, repo_path(r));
	fputc('\n', stdout);
	repo_close(r);
	return EXIT_OK;
}

static int print_version(const struct reports_version *v, void *ctx)
{
	char when[CF_TIME_LEN];

	(void)ctx;
	cf_time_utc(v->time, when, sizeof(when));
	printf("%.12s  %s  %-5s  ", v->oid, when, v->format[0] ? v->format : "-");
	cf_text_put_safe(stdout, v->summary);
	fputc('\n', stdout);
	return 0;
}

/* Prints repository text line by line through cf_text_put_safe: a cloned repository may hold
 * anything, and the terminal must not obey it. */
static void put_lines(const char *text, size_t len)
{
	const char *p = text, *end = text + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		char *line = xstrndup(p, n);
		if (line) {
			cf_text_put_safe(stdout, line);
			free(line);
		}
		fputc('\n', stdout);
		p += n + 1;
	}
}

static int reports_show(struct cli *cli, struct cf_repo *r, int argc, char *const *argv)
{
	char path[PATH_MAX], *data;
	size_t len;

	if (argc == 2)
		cf_strlcpy(path, argv[1], sizeof(path));
	else if (reports_changed_path(r, argv[0], path, sizeof(path), &cli->err) < 0)
		return cli_fail(cli);
	if (reports_read(cli->s, r, argv[0], path, &data, &len, &cli->err) < 0)
		return cli_fail(cli);
	if (isatty(STDOUT_FILENO))
		put_lines(data, len);
	else
		fwrite(data, 1, len, stdout); /* exact bytes into a pipe or file */
	free(data);
	return EXIT_OK;
}

int cmd_reports(struct cli *cli, const struct cli_args *a)
{
	struct cf_repo *r;
	const char *nc = getenv("NO_COLOR"), *verb = a->verb->name;
	int rc = EXIT_OK, color = isatty(STDOUT_FILENO) && !(nc && *nc);

	if (repo_open(cli->dir, 0, &r, &cli->err) < 0)
		return cli_fail(cli);
	if (!strcmp(verb, "log")) {
		if (reports_log(r, print_version, NULL, &cli->err) < 0)
			rc = cli_fail(cli);
	} else if (!strcmp(verb, "show")) {
		rc = reports_show(cli, r, a->argc, a->argv);
	} else {
		const char *from = a->argc > 1 ? a->argv[0] : NULL;
		const char *to = a->argc > 1 ? a->argv[1] : a->argc ? a->argv[0] : NULL;
		/* one revision: what it changed */
		if (reports_diff(cli->s, r, from, to, color, stdout, &cli->err) < 0)
			rc = cli_fail(cli);
	}
	repo_close(r);
	return rc;
}
