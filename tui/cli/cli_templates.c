/* cli_templates.c — `templates`: every briefing template with where it was found and which
 * hides which (list), one template's text (show NAME), template files checked (check FILE...,
 * errors as FILE:LINE:COLUMN: reason, as a compiler prints them). */
#include "tui/cli/cli.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "export/export.h"

/* The case directory when there is one (-C, CASEFILE_DIR, or found upwards), else NULL. */
static const char *cli_case_dir_if_any(struct cli *cli)
{
	const char *dir = cli->dir_opt ? cli->dir_opt : getenv("CASEFILE_DIR");

	if (cli->dir[0])
		return cli->dir;
	if (dir && *dir)
		return dir;
	if (store_find_dir(".", cli->dir, sizeof(cli->dir), NULL) == 0)
		return cli->dir;
	return NULL;
}

/* Which place hides each template: the first place holding its name. */
struct listing {
	struct tmpl_entry *v;
	size_t n;
};

static int keep(const struct tmpl_entry *e, void *ctx)
{
	struct listing *l = ctx;

	l->v = xreallocarray(l->v, l->n + 1, sizeof(*l->v));
	l->v[l->n++] = *e;
	return 0;
}

static int list(struct cli *cli)
{
	struct listing l = { NULL, 0 };
	char user[PATH_MAX], shipped[PATH_MAX];

	if (tmpl_list(cli_case_dir_if_any(cli), keep, &l, &cli->err) < 0)
		return cli_fail(cli);
	for (size_t i = 0; i < l.n; i++) {
		const struct tmpl_entry *e = &l.v[i];
		char file[TMPL_NAME_LEN + 8];
		snprintf(file, sizeof(file), "%s%s", e->name, tmpl_type_ext(e->type));
		printf("%-24s %-8s ", file, tmpl_where_name(e->where));
		cf_text_put_safe(stdout, e->origin);
		for (size_t j = 0; e->shadowed && j < i; j++)
			if (!strcmp(l.v[j].name, e->name) && l.v[j].where != e->where) {
				printf(" (hidden by the %s one)", tmpl_where_name(l.v[j].where));
				break;
			}
		putchar('\n');
	}
	if (!l.n) {
		tmpl_dirs(user, shipped);
		fputs("casefile: no template found (looked in the case's templates/, ", stderr);
		cf_text_put_safe(stderr, user);
		fputs(" and ", stderr);
		cf_text_put_safe(stderr, shipped);
		fputs(")\n", stderr);
	}
	free(l.v);
	return EXIT_OK;
}

/* The text as found, byte for byte when it parses (a template then holds no control
 * character but tab and newline: `show NAME >FILE` copies it); a broken one made safe for a
 * terminal, line by line, after its error. */
static int show(struct cli *cli, const char *name)
{
	struct tmpl_entry e;
	struct tmpl *t;
	char *text, *line, *next;
	size_t len;

	if (tmpl_find(cli_case_dir_if_any(cli), name, &text, &len, &e, &cli->err) < 0)
		return cli_fail(cli);
	fputs("casefile: ", stderr);
	cf_text_put_safe(stderr, e.origin);
	fputc('\n', stderr);
	if (tmpl_parse(e.origin, text, len, e.type, &t, &cli->err) == 0) {
		tmpl_free(t);
		fwrite(text, 1, len, stdout);
		free(text);
		return fflush(stdout) == 0 ? EXIT_OK : EXIT_FAIL;
	}
	cf_text_printf_safe(stderr, "%s", cli->err.msg);
	fputc('\n', stderr);
	for (line = text; line < text + len; line = next) {
		char *nl = memchr(line, '\n', (size_t)(text + len - line));
		next = nl ? nl + 1 : text + len;
		if (nl)
			*nl = '\0';
		cf_text_put_safe(stdout, line);
		if (nl)
			putchar('\n');
	}
	free(text);
	return fflush(stdout) == 0 ? EXIT_OK : EXIT_FAIL;
}

static int check(struct cli *cli, const struct cli_args *a)
{
	int rc = EXIT_OK;

	for (int i = 0; i < a->argc; i++) {
		struct tmpl *t;
		if (tmpl_load_file(a->argv[i], &t, &cli->err) < 0) {
			cf_text_printf_safe(stderr, "%s", cli->err.msg);
			fputc('\n', stderr);
			rc = EXIT_FAIL;
			continue;
		}
		cf_text_printf_safe(stdout, "%s: ok (%s template)", a->argv[i],
				    tmpl_type_ext(tmpl_get_type(t)) + 1);
		fputc('\n', stdout);
		tmpl_free(t);
	}
	return rc;
}

int cmd_templates(struct cli *cli, const struct cli_args *a)
{
	const char *verb = a->verb->name;

	if (!strcmp(verb, "show"))
		return show(cli, a->argv[0]);
	if (!strcmp(verb, "check"))
		return check(cli, a);
	return list(cli);
}
