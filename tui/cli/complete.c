/* complete.c — shell completion from the command table: `casefile completion bash|zsh|fish`
 * prints a small script, and the script asks `casefile __complete -- WORDS...` what may come
 * next.  The candidates (commands, verbs, options, choice values, record ids of the case) are
 * read from the same table the parser reads, so completion offers exactly what is accepted. */
#include "tui/cli/cli.h"

#include <stdlib.h>
#include <string.h>

#define MAX_IDS 200 /* a shell shows no more usefully; ids are completed by prefix */

/* The words being completed: the last one is the word under the cursor (maybe empty). */
struct comp {
	char **w;
	int n;
	const char *cur;
	const char *dir; /* -C DIR among the words */
};

static void offer(const char *cur, const char *cand)
{
	if (strncmp(cand, cur, strlen(cur)) == 0)
		printf("%s\n", cand);
}

/* "a|b|c": each that starts with CUR, after PREFIX ("--format=") when given. */
static void offer_list(const char *cur, const char *prefix, const char *list)
{
	char one[CF_PHRASE_LEN];

	while (list && *list) {
		size_t n = strcspn(list, "|");
		snprintf(one, sizeof(one), "%s%.*s", prefix, (int)n, list);
		offer(cur, one);
		list += n + (list[n] == '|');
	}
}

static void offer_field(const char *cur, const char *prefix, const struct cf_field *f)
{
	char one[CF_PHRASE_LEN];

	for (const char *const *c = f->choices; c && *c; c++) {
		snprintf(one, sizeof(one), "%s%s", prefix, *c);
		offer(cur, one);
	}
}

static int print_id(const char *id, void *ctx)
{
	(void)ctx;
	printf("%s\n", id);
	return 0;
}

/* The ids of KIND (every kind when -1) starting with CUR, in the case -C or the nearest. */
static void offer_ids(struct comp *c, int kind, const char *cur)
{
	struct cli cli = { .dir_opt = c->dir };
	struct store *s;
	const char *dir = c->dir ? c->dir : getenv("CASEFILE_DIR");

	if (dir && *dir)
		cf_strlcpy(cli.dir, dir, sizeof(cli.dir));
	else if (store_find_dir(".", cli.dir, sizeof(cli.dir), NULL) < 0)
		return;
	if (store_open(cli.dir, &s, NULL) < 0)
		return;
	for (int k = 0; k < CF_KIND_COUNT; k++)
		if ((kind < 0 && k != CF_CASE) || k == kind)
			record_ids(s, (enum cf_kind)k, cur, MAX_IDS, print_id, NULL, NULL);
	store_close(s);
}

static void offer_rules(const char *cur, int packs)
{
	struct cf_rules *rules;
	const char *name;

	if (rules_load(&rules, NULL) < 0)
		return;
	if (packs)
		for (size_t i = 0; (name = rules_pack_at(rules, i, NULL)); i++)
			offer(cur, name);
	else
		for (size_t i = 0; i < rules_count(rules); i++)
			offer(cur, rules_at(rules, i)->id);
	rules_free(rules);
}

/* The values of option O (or of field F), each after PREFIX. */
static void offer_values(struct comp *c, const struct cli_args *a, const struct cli_opt *o,
			 const struct cf_field *f, const char *prefix)
{
	const struct cf_kind_info *ki = a->kind >= 0 ? cf_kind_info((enum cf_kind)a->kind) : NULL;
	const char *cur = c->cur;

	if (o && o->field && o->field[0] != '@' && ki)
		f = &ki->fields[cf_field_index(ki, o->field)];
	if (f && f->type == CF_T_REF && !*prefix)
		offer_ids(c, CF_EVIDENCE, cur);
	else if (f)
		offer_field(cur, prefix, f);
	else if (o && o->choices)
		offer_list(cur, prefix, o->choices);
	else if (o && o->arg && (!strcmp(o->arg, "FILE") || !strcmp(o->arg, "DIR")) && !*prefix)
		printf(":%s\n", !strcmp(o->arg, "DIR") ? "dir" : "file");
}

/* The option named by WORD ("--format", "--format=ht", "-o") for the verb, or a field. */
static const struct cli_opt *lookup(const struct cli_args *a, const char *word,
				    const struct cf_field **f)
{
	const struct cf_kind_info *ki = a->kind >= 0 ? cf_kind_info((enum cf_kind)a->kind) : NULL;
	size_t n;

	*f = NULL;
	if (word[0] != '-')
		return NULL;
	if (word[1] != '-') {
		for (const struct cli_opt *o = a->verb->opts; o && o->name; o++)
			if (o->letter == word[1] && !word[2] && cli_opt_applies(o, a->kind))
				return o;
		return NULL;
	}
	word += 2;
	n = strcspn(word, "=");
	for (const struct cli_opt *o = a->verb->opts; o && o->name; o++)
		if (strlen(o->name) == n && !strncmp(o->name, word, n) && cli_opt_applies(o, a->kind))
			return o;
	if (a->verb->fields && ki && n < 64) {
		char name[CF_PHRASE_LEN];
		int i;
		for (size_t k = 0; k < n; k++)
			name[k] = word[k] == '-' ? '_' : word[k];
		name[n] = '\0';
		if ((i = cf_field_index(ki, name)) >= 0) {
			*f = &ki->fields[i];
			return NULL;
		}
	}
	return NULL;
}

static void offer_options(const struct cli_args *a, const char *cur)
{
	char one[CF_PHRASE_LEN];

	for (const struct cli_opt *o = a->verb->opts; o && o->name; o++) {
		if (!cli_opt_applies(o, a->kind))
			continue;
		/* "--format=": the shell then offers its values */
		snprintf(one, sizeof(one), "--%s%s", o->name, o->arg ? "=" : "");
		offer(cur, one);
	}
	if (a->verb->fields && a->kind >= 0) {
		const struct cf_kind_info *ki = cf_kind_info((enum cf_kind)a->kind);
		for (size_t i = 0; i < ki->nfields; i++) {
			snprintf(one, sizeof(one), "--%s=", ki->fields[i].name);
			for (char *p = one + 2; *p != '='; p++)
				*p = *p == '_' ? '-' : *p;
			offer(cur, one);
		}
	}
	offer(cur, "--help");
}

/* A positional word: the verb's kind of word; for add, the Nth required field's choices. */
static void offer_positional(struct comp *c, const struct cli_args *a, int nth)
{
	switch (a->verb->pos) {
	case CLI_POS_ID:
		offer_ids(c, a->kind, c->cur);
		return;
	case CLI_POS_ANYID:
		if (nth == 0)
			offer_ids(c, -1, c->cur);
		return;
	case CLI_POS_FILE:
		puts(":file");
		return;
	case CLI_POS_DIR:
		puts(":dir");
		return;
	case CLI_POS_PACK:
	case CLI_POS_RULE:
		offer_rules(c->cur, a->verb->pos == CLI_POS_PACK);
		return;
	case CLI_POS_SHELL:
		offer_list(c->cur, "", "bash|zsh|fish");
		return;
	default:
		break;
	}
	if (a->verb->fields && a->kind >= 0) {
		const struct cf_kind_info *ki = cf_kind_info((enum cf_kind)a->kind);
		for (size_t i = 0; i < ki->nfields; i++)
			if ((ki->fields[i].flags & CF_F_REQUIRED) && nth-- == 0) {
				offer_field(c->cur, "", &ki->fields[i]);
				return;
			}
	}
}

/* After the command's name (and verb): an option, an option's value, or a positional word. */
static void complete_args(struct comp *c, int from, const struct cli_args *a)
{
	const struct cf_field *f;
	const struct cli_opt *o;
	const char *eq;
	int nth = 0, opts_done = 0;

	for (int i = from; i < c->n - 1; i++) {
		const char *w = c->w[i];
		if (!opts_done && !strcmp(w, "--")) {
			opts_done = 1;
		} else if (!opts_done && w[0] == '-' && w[1]) {
			o = lookup(a, w, &f);
			if ((f || (o && o->arg)) && !strchr(w, '=') && i + 1 < c->n - 1)
				i++; /* its value */
			else if ((f || (o && o->arg)) && !strchr(w, '=')) {
				offer_values(c, a, o, f, ""); /* the word under the cursor is its value */
				return;
			}
		} else {
			nth++;
		}
	}
	if (!opts_done && c->cur[0] == '-') {
		if ((eq = strchr(c->cur, '=')) != NULL) {
			char prefix[CF_PHRASE_LEN];
			snprintf(prefix, sizeof(prefix), "%.*s", (int)(eq - c->cur + 1), c->cur);
			o = lookup(a, c->cur, &f);
			if (o || f)
				offer_values(c, a, o, f, prefix);
		} else {
			offer_options(a, c->cur);
		}
		return;
	}
	offer_positional(c, a, nth);
}

static void complete(struct comp *c)
{
	const struct command *cmd;
	struct cli_args a;
	int i = 0;

	/* Global options first: -C DIR. */
	for (; i < c->n - 1 && c->w[i][0] == '-'; i++) {
		if (!strcmp(c->w[i], "-C") && i + 1 < c->n - 1)
			c->dir = c->w[++i];
		else if (!strncmp(c->w[i], "-C", 2) && c->w[i][2])
			c->dir = c->w[i] + 2;
		else if (!strcmp(c->w[i], "-C")) {
			puts(":dir");
			return;
		}
	}
	if (i == c->n - 1) { /* the command itself */
		for (const struct command *k = cli_commands; k->name; k++)
			if (!(k->flags & CMD_HIDDEN))
				offer(c->cur, k->name);
		if (c->cur[0] == '-')
			offer_list(c->cur, "", "-C|--help|--version");
		return;
	}
	if (!(cmd = cli_command(c->w[i++])))
		return;
	memset(&a, 0, sizeof(a));
	a.cmd = cmd;
	a.kind = cmd->kind;
	a.verb = &cmd->verbs[0];
	if (cmd->verbs[0].name) {
		if (i == c->n - 1) {
			for (const struct cli_verb *v = cmd->verbs; v->name; v++)
				offer(c->cur, v->name);
			return;
		}
		for (a.verb = cmd->verbs; a.verb->name; a.verb++)
			if (!strcmp(a.verb->name, c->w[i]) ||
			    (a.verb->alias && !strcmp(a.verb->alias, c->w[i])))
				break;
		if (!a.verb->name)
			return;
		i++;
	}
	complete_args(c, i, &a);
}

int cmd_complete(struct cli *cli, const struct cli_args *a)
{
	struct comp c = { a->argv, a->argc, "", cli->dir_opt };

	if (c.n == 0)
		return EXIT_OK;
	c.cur = c.w[c.n - 1];
	complete(&c);
	return fflush(stdout) == 0 ? EXIT_OK : EXIT_FAIL;
}

/* The scripts: each hands the words to `casefile __complete` and shows what it prints; a
 * first line ":file" or ":dir" asks the shell for its own file or directory completion. */
static const char bash_script[] =
	"# bash completion for casefile (generated by `casefile completion bash`)\n"
	"_casefile() {\n"
	"\tlocal i w cur words=() glue= IFS=$'\\n'\n"
	"\t# bash splits --opt=value at '=': join the pieces back for casefile.\n"
	"\tfor ((i = 1; i <= COMP_CWORD; i++)); do\n"
	"\t\tw=${COMP_WORDS[i]}\n"
	"\t\tif [[ $w == = && ${#words[@]} -gt 0 && ${words[${#words[@]}-1]} == --* ]]; then\n"
	"\t\t\twords[${#words[@]}-1]+==; glue=1\n"
	"\t\telif [[ -n $glue ]]; then\n"
	"\t\t\twords[${#words[@]}-1]+=$w; glue=\n"
	"\t\telse\n"
	"\t\t\twords+=(\"$w\")\n"
	"\t\tfi\n"
	"\tdone\n"
	"\tcur=${words[${#words[@]}-1]}\n"
	"\tCOMPREPLY=($(\"${COMP_WORDS[0]}\" __complete -- \"${words[@]}\" 2>/dev/null))\n"
	"\tcase ${COMPREPLY[0]-} in\n"
	"\t:file) COMPREPLY=($(compgen -f -- \"$cur\")); compopt -o filenames 2>/dev/null ;;\n"
	"\t:dir) COMPREPLY=($(compgen -d -- \"$cur\")); compopt -o filenames 2>/dev/null ;;\n"
	"\t*) [[ $cur == --*=* ]] && COMPREPLY=(\"${COMPREPLY[@]#*=}\")\n"
	"\t   [[ ${COMPREPLY[0]-} == --*= ]] && compopt -o nospace 2>/dev/null ;;\n"
	"\tesac\n"
	"}\n"
	"complete -F _casefile casefile\n";

static const char zsh_script[] =
	"#compdef casefile\n"
	"# zsh completion for casefile (generated by `casefile completion zsh`)\n"
	"_casefile() {\n"
	"\tlocal -a out\n"
	"\tout=(\"${(@f)$(${words[1]} __complete -- \"${(@)words[2,CURRENT]}\" 2>/dev/null)}\")\n"
	"\tcase $out[1] in\n"
	"\t:file) _files ;;\n"
	"\t:dir) _files -/ ;;\n"
	"\t*) local -a plain eq\n"
	"\t   plain=(${out:#*=}) eq=(${(M)out:#*=})\n"
	"\t   (( $#plain )) && compadd -- $plain\n"
	"\t   (( $#eq )) && compadd -S '' -- $eq ;;\n"
	"\tesac\n"
	"}\n"
	"if [[ ${zsh_eval_context[-1]-} == loadautofunc ]]; then\n"
	"\t_casefile \"$@\"\n"
	"else\n"
	"\tcompdef _casefile casefile\n"
	"fi\n";

static const char fish_script[] =
	"# fish completion for casefile (generated by `casefile completion fish`)\n"
	"function __casefile_complete\n"
	"\tset -l words (commandline -opc)\n"
	"\tset -e words[1]\n"
	"\tset -l out (casefile __complete -- $words (commandline -ct) 2>/dev/null)\n"
	"\tswitch \"$out[1]\"\n"
	"\t\tcase :file\n"
	"\t\t\t__fish_complete_path (commandline -ct)\n"
	"\t\tcase :dir\n"
	"\t\t\t__fish_complete_directories (commandline -ct)\n"
	"\t\tcase '*'\n"
	"\t\t\tprintf '%s\\n' $out\n"
	"\tend\n"
	"end\n"
	"complete -c casefile -f -a '(__casefile_complete)'\n";

int cmd_completion(struct cli *cli, const struct cli_args *a)
{
	const char *shell = a->argv[0];

	(void)cli;
	if (!strcmp(shell, "bash"))
		fputs(bash_script, stdout);
	else if (!strcmp(shell, "zsh"))
		fputs(zsh_script, stdout);
	else if (!strcmp(shell, "fish"))
		fputs(fish_script, stdout);
	else
		return cli_bad_value(a, "no completion for '%s' (bash, zsh, fish)", shell);
	return fflush(stdout) == 0 ? EXIT_OK : EXIT_FAIL;
}
