/* opt.c — the one option parser of the command line: reads the words after a command against
 * its row of the table (cli.h), and prints its help and usage lines from the same row. */
#include "tui/cli/cli.h"

#include <ctype.h>
#include <string.h>

int cli_opt_applies(const struct cli_opt *o, int kind)
{
	if (!o->field)
		return 1;
	if (kind < 0)
		return 0;
	if (strcmp(o->field, "@time") == 0)
		return record_time_filterable((enum cf_kind)kind);
	return cf_field_index(cf_kind_info((enum cf_kind)kind), o->field) >= 0;
}

/* The choices of a field, "a|b|c", into BUF (empty when free). */
static const char *field_choices(const struct cf_field *f, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	for (const char *const *c = f->choices; c && *c && n < len; c++)
		n += (size_t)snprintf(buf + n, len - n, "%s%s", n ? "|" : "", *c);
	return buf;
}

static const char *verb_name(const struct cli_args *a)
{
	return a->verb && a->verb->name ? a->verb->name : NULL;
}

/* "task add", "export briefing", "show" */
static void put_cmd(FILE *out, const struct cli_args *a)
{
	fputs(a->cmd->name, out);
	if (verb_name(a))
		fprintf(out, " %s", verb_name(a));
}

/* The positional words: the verb's, or with FIELDS the kind's required fields (OCCURRED). */
static void put_args(FILE *out, const struct cli_verb *v, int kind)
{
	if (v->args) {
		if (*v->args)
			fprintf(out, " %s", v->args);
		return;
	}
	if (!v->fields || kind < 0)
		return;
	const struct cf_kind_info *ki = cf_kind_info((enum cf_kind)kind);
	for (size_t i = 0; i < ki->nfields; i++) {
		if (!(ki->fields[i].flags & CF_F_REQUIRED))
			continue;
		fputc(' ', out);
		for (const char *p = ki->fields[i].name; *p; p++)
			fputc(toupper((unsigned char)*p), out);
	}
}

static void put_usage(FILE *out, const struct cli_args *a)
{
	const struct cli_verb *v = a->verb;

	fputs("usage: casefile ", out);
	put_cmd(out, a);
	put_args(out, v, a->kind);
	for (const struct cli_opt *o = v->opts; o && o->name; o++) {
		if (!cli_opt_applies(o, a->kind))
			continue;
		if (o->letter && o->arg)
			fprintf(out, " [-%c %s]", o->letter, o->arg);
		else
			fprintf(out, " [--%s%s%s]", o->name, o->arg ? " " : "", o->arg ? o->arg : "");
	}
	if (v->fields)
		fputs(" [--FIELD VALUE]...", out);
	fputc('\n', out);
}

/* The verbs of a command, one usage line each. */
static void put_verbs(FILE *out, const struct command *cmd)
{
	fprintf(out, "usage: casefile %s VERB ...\n%s\n\nverbs:\n", cmd->name, cmd->help);
	for (const struct cli_verb *v = cmd->verbs; v->name; v++) {
		int n = fprintf(out, "  %s", v->name);
		if (v->args)
			n += fprintf(out, " %s", v->args);
		fprintf(out, "%*s %s\n", n < 26 ? 26 - n : 0, "", v->help);
	}
	fprintf(out, "\n'casefile %s VERB --help' shows a verb's options.\n", cmd->name);
}

static void put_option(FILE *out, const char *left, const char *help, const char *choices)
{
	fprintf(out, "  %-26s %s", left, help ? help : "");
	if (choices)
		fprintf(out, " (%s)", choices);
	fputc('\n', out);
}

static void put_help(FILE *out, const struct cli_args *a)
{
	const struct cli_verb *v = a->verb;
	char left[CF_PHRASE_LEN];

	put_usage(out, a);
	fprintf(out, "%s\n\noptions:\n", v->help);
	for (const struct cli_opt *o = v->opts; o && o->name; o++) {
		const char *choices = o->choices;
		char buf[CF_PHRASE_LEN];
		if (!cli_opt_applies(o, a->kind))
			continue;
		if (o->field && o->field[0] != '@')
			choices = field_choices(&cf_kind_info((enum cf_kind)a->kind)->fields[
				cf_field_index(cf_kind_info((enum cf_kind)a->kind), o->field)],
				buf, sizeof(buf));
		if (o->letter)
			snprintf(left, sizeof(left), "-%c, --%s%s%s", o->letter, o->name,
				 o->arg ? " " : "", o->arg ? o->arg : "");
		else
			snprintf(left, sizeof(left), "--%s%s%s", o->name, o->arg ? " " : "",
				 o->arg ? o->arg : "");
		put_option(out, left, o->help, choices && *choices ? choices : NULL);
	}
	if (v->fields && a->kind >= 0) {
		const struct cf_kind_info *ki = cf_kind_info((enum cf_kind)a->kind);
		for (size_t i = 0; i < ki->nfields; i++) {
			const struct cf_field *f = &ki->fields[i];
			char choices[CF_PHRASE_LEN];
			field_choices(f, choices, sizeof(choices));
			static const char *const placeholder[] = {
				[CF_T_TEXT] = "TEXT", [CF_T_TIME] = "TIME", [CF_T_INT] = "N",
				[CF_T_ENUM] = "WORD", [CF_T_REF] = "ID",
			};
			snprintf(left, sizeof(left), "--%s %s", f->name,
				 placeholder[f->type] ? placeholder[f->type] : "VALUE");
			for (char *p = left + 2; *p && *p != ' '; p++)
				*p = *p == '_' ? '-' : *p;
			put_option(out, left, f->help, choices[0] ? choices : NULL);
		}
	}
	put_option(out, "-h, --help", "show this help", NULL);
	fputs("  --                         end of options: the words after it are arguments\n",
	      out);
}

/* "casefile: CMD VERB: MSG" on stderr, MSG's one "%s" replaced by ARG shown safe for a
 * terminal (an argument may hold any byte). */
static void say(const struct cli_args *a, const char *msg, const char *arg)
{
	const char *hole = strstr(msg, "%s");

	fputs("casefile: ", stderr);
	put_cmd(stderr, a);
	fputs(": ", stderr);
	if (hole && arg) {
		fwrite(msg, 1, (size_t)(hole - msg), stderr);
		cf_text_put_safe(stderr, arg);
		fputs(hole + 2, stderr);
	} else {
		fputs(msg, stderr);
	}
	fputc('\n', stderr);
}

int cli_bad_value(const struct cli_args *a, const char *msg, const char *arg)
{
	say(a, msg, arg);
	return EXIT_USAGE;
}

int cli_bad_arg(const struct cli_args *a, const char *msg, const char *arg)
{
	say(a, msg, arg);
	if (a->verb)
		put_usage(stderr, a);
	else
		fprintf(stderr, "usage: casefile %s VERB ... (see casefile %s --help)\n",
			a->cmd->name, a->cmd->name);
	return EXIT_USAGE;
}

static int is_help(const char *w)
{
	return strcmp(w, "-h") == 0 || strcmp(w, "--help") == 0;
}

/* Picks the verb named by ARGV[0]; returns the words used (0 or 1), or -1 after printing. */
static int pick_verb(const struct command *cmd, int argc, char **argv, struct cli_args *a)
{
	if (!cmd->verbs[0].name) {
		a->verb = &cmd->verbs[0];
		return 0;
	}
	if (argc == 0 && (cmd->flags & CMD_DEFVERB)) {
		a->verb = &cmd->verbs[0];
		return 0;
	}
	if (argc == 0)
		return cli_bad_arg(a, "give a verb", NULL), -1;
	if (is_help(argv[0])) {
		put_verbs(stdout, cmd);
		return -2;
	}
	for (const struct cli_verb *v = cmd->verbs; v->name; v++)
		if (strcmp(v->name, argv[0]) == 0 || (v->alias && strcmp(v->alias, argv[0]) == 0)) {
			a->verb = v;
			return 1;
		}
	return cli_bad_arg(a, "unknown verb '%s'", argv[0]), -1;
}

/* The option --NAME (NAME ends at '=' or the end), or -LETTER; sets *FIELD to a field's index
 * when it is one of the kind's fields. */
static const struct cli_opt *find_opt(const struct cli_args *a, const char *word, int *field)
{
	const struct cli_verb *v = a->verb;
	size_t n;

	*field = -1;
	if (word[1] != '-') {
		for (const struct cli_opt *o = v->opts; o && o->name; o++)
			if (o->letter && word[1] == o->letter && word[2] == '\0' &&
			    cli_opt_applies(o, a->kind))
				return o;
		return NULL;
	}
	word += 2;
	n = strcspn(word, "=");
	for (const struct cli_opt *o = v->opts; o && o->name; o++)
		if (strlen(o->name) == n && strncmp(o->name, word, n) == 0 &&
		    cli_opt_applies(o, a->kind))
			return o;
	if (v->fields && a->kind >= 0 && n < 64) {
		char name[CF_PHRASE_LEN];
		for (size_t i = 0; i < n; i++)
			name[i] = word[i] == '-' ? '_' : word[i]; /* --as-of names as_of */
		name[n] = '\0';
		*field = cf_field_index(cf_kind_info((enum cf_kind)a->kind), name);
	}
	return NULL;
}

/* Reads one option at ARGV[*I] into A; returns 0 or EXIT_USAGE. */
static int take_opt(struct cli_args *a, int argc, char **argv, int *i)
{
	const char *word = argv[*i], *eq = strchr(word, '='), *value;
	int field;
	const struct cli_opt *o = find_opt(a, word, &field);

	if (!o && field < 0)
		return cli_bad_arg(a, "unknown option '%s'", word);
	if (o && !o->arg) {
		if (eq)
			return cli_bad_arg(a, "option '%s' takes no value", word);
		a->opt[o - a->verb->opts] = "";
		return 0;
	}
	if (eq && word[1] == '-')
		value = eq + 1;
	else if (*i + 1 < argc)
		value = argv[++*i];
	else
		return cli_bad_arg(a, "option '%s' needs a value", word);
	if (o)
		a->opt[o - a->verb->opts] = value;
	else
		a->field[field] = value;
	return 0;
}

int cli_parse(const struct command *cmd, int argc, char **argv, struct cli_args *a)
{
	int i, npos = 0, used, rc, opts_done = 0;

	memset(a, 0, sizeof(*a));
	a->cmd = cmd;
	a->kind = cmd->kind;
	if ((used = pick_verb(cmd, argc, argv, a)) < 0)
		return used == -2 ? CLI_HELP : EXIT_USAGE;
	argc -= used;
	argv += used;
	for (i = 0; i < argc; i++) {
		const char *w = argv[i];
		if (opts_done || w[0] != '-' || w[1] == '\0') {
			argv[npos++] = argv[i]; /* npos <= i: reordering in place is safe */
			continue;
		}
		if (strcmp(w, "--") == 0) {
			opts_done = 1;
		} else if (is_help(w)) {
			put_help(stdout, a);
			return CLI_HELP;
		} else if ((rc = take_opt(a, argc, argv, &i)) != 0) {
			return rc;
		}
	}
	if (npos < a->verb->min)
		return cli_bad_arg(a, "missing argument: %s", a->verb->args);
	if (a->verb->max >= 0 && npos > a->verb->max)
		return cli_bad_arg(a, "unexpected argument '%s'", argv[a->verb->max]);
	a->argc = npos;
	a->argv = argv;
	return 0;
}

const char *cli_opt(const struct cli_args *a, const char *name)
{
	for (const struct cli_opt *o = a->verb->opts; o && o->name; o++)
		if (strcmp(o->name, name) == 0)
			return a->opt[o - a->verb->opts];
	return NULL;
}

int cli_flag(const struct cli_args *a, const char *name)
{
	return cli_opt(a, name) != NULL;
}

void cli_print_commands(FILE *out, const struct command *table)
{
	for (const struct command *c = table; c->name; c++) {
		int n;
		if (c->flags & CMD_HIDDEN)
			continue;
		n = fprintf(out, "  %s", c->name);
		if (c->verbs[0].name) {
			for (const struct cli_verb *v = c->verbs; v->name; v++)
				n += fprintf(out, "%c%s", v == c->verbs ? ' ' : '|', v->name);
		} else if (c->verbs[0].args && *c->verbs[0].args) {
			n += fprintf(out, " %s", c->verbs[0].args);
		}
		if (n >= 40)
			n = fprintf(out, "\n") - 1;
		fprintf(out, "%*s %s\n", 40 - n, "", c->help);
	}
}

const struct command *cli_command(const char *name)
{
	for (const struct command *c = cli_commands; c->name; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

int cli_moment(struct cli *cli, const struct cli_args *a)
{
	const char *as_of = a->verb ? cli_opt(a, "as-of") : NULL;
	const char *known_at = a->verb ? cli_opt(a, "known-at") : NULL;
	struct cf_moment m;
	struct store *view;

	if (!as_of && !known_at)
		return 0;
	if (cf_moment_parse(cli->s, as_of, known_at, &m, &cli->err) < 0 ||
	    store_view_open(cli->s, &m, &view, &cli->err) < 0)
		return cli_fail(cli);
	store_set_author(view, cli->author);
	cli->live = cli->s;
	cli->s = view;
	return 0;
}
