/* cli_record.c — the verbs every record kind shares: add, list, show, edit, rm. */
#include "tui/cli/cli.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* "--as-of" and "--as_of" both name the field as_of. */
static const struct cf_field *option_field(const struct cf_kind_info *ki, const char *opt,
					   int *index)
{
	char name[64];
	size_t n = 0;

	if (strncmp(opt, "--", 2) != 0)
		return NULL;
	for (opt += 2; *opt && *opt != '=' && n + 1 < sizeof(name); opt++)
		name[n++] = *opt == '-' ? '_' : *opt;
	name[n] = '\0';
	*index = cf_field_index(ki, name);
	return *index < 0 ? NULL : &ki->fields[*index];
}

/* Reads --FIELD VALUE and --FIELD=VALUE pairs into R; positional words fill the required
 * fields in order.  Returns the number of arguments consumed, or -1 after printing why. */
static int parse_fields(const struct cf_kind_info *ki, struct cf_record *r, int argc,
			char **argv, int positional)
{
	size_t next_required = 0;

	for (int i = 0; i < argc; i++) {
		const char *arg = argv[i], *value;
		int idx;

		if (strncmp(arg, "--", 2) == 0) {
			if (!option_field(ki, arg, &idx)) {
				cli_usage("%s has no field '%s'", ki->title, arg + 2);
				return -1;
			}
			value = strchr(arg, '=');
			if (value)
				value++;
			else if (i + 1 < argc)
				value = argv[++i];
			else {
				cli_usage("option '%s' needs a value", arg);
				return -1;
			}
		} else if (positional) {
			while (next_required < ki->nfields &&
			       (!(ki->fields[next_required].flags & CF_F_REQUIRED) ||
				r->v[next_required]))
				next_required++;
			if (next_required >= ki->nfields) {
				cli_usage("unexpected argument '%s'", arg);
				return -1;
			}
			idx = (int)next_required;
			value = arg;
		} else {
			cli_usage("unexpected argument '%s'", arg);
			return -1;
		}
		free(r->v[idx]);
		r->v[idx] = xstrdup(value);
	}
	return argc;
}

/* A field's JSON value: numbers as JSON numbers (so that scripts compare them as numbers),
 * everything else as the string stored; a number field holding anything else stays a string. */
static json_t *field_json(const struct cf_field *f, const char *v)
{
	char *end;
	long long n;

	if (!v)
		return json_null();
	if (f->type == CF_T_INT) {
		errno = 0;
		n = strtoll(v, &end, 10);
		if (*v && !*end && errno == 0)
			return json_integer(n);
	}
	return json_string(v);
}

/* A reference field (custody --evidence) may be given as a unique prefix, like any id. */
static int resolve_refs(struct cli *cli, struct cf_record *r)
{
	const struct cf_kind_info *ki = cf_kind_info(r->kind);
	char id[CF_ID_LEN + 1];

	for (size_t i = 0; i < ki->nfields; i++) {
		if (ki->fields[i].type != CF_T_REF || !r->v[i] || !r->v[i][0])
			continue;
		if (record_resolve(cli->s, CF_EVIDENCE, r->v[i], id, &cli->err) < 0)
			return -1;
		free(r->v[i]);
		r->v[i] = xstrdup(id);
	}
	return 0;
}

static json_t *record_json(const struct cf_record *r)
{
	const struct cf_kind_info *ki = cf_kind_info(r->kind);
	json_t *o = json_object();

	json_object_set_new(o, "id", json_string(r->id));
	json_object_set_new(o, "type", json_string(ki->name));
	for (size_t i = 0; i < ki->nfields; i++)
		json_object_set_new(o, ki->fields[i].name, field_json(&ki->fields[i], r->v[i]));
	if (r->deleted)
		json_object_set_new(o, "deleted", json_true());
	if (r->conflicted)
		json_object_set_new(o, "conflicted", json_string(r->conflicted));
	return o;
}

static void print_json(json_t *j)
{
	char *text = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);
	if (text) {
		puts(text);
		free(text);
	}
}

static int cmd_add(struct cli *cli, enum cf_kind kind, int argc, char **argv)
{
	const struct cf_kind_info *ki = cf_kind_info(kind);
	struct cf_record r;
	int rc;

	cf_record_init(&r, kind);
	if (parse_fields(ki, &r, argc, argv, 1) < 0) {
		cf_record_release(&r);
		return EXIT_USAGE;
	}
	rc = resolve_refs(cli, &r) < 0 ? CF_EINVAL : record_add(cli->s, &r, &cli->err);
	if (rc == 0)
		printf("%s\n", r.id);
	cf_record_release(&r);
	return rc < 0 ? cli_fail(cli) : EXIT_OK;
}

struct list_ctx {
	const struct cf_kind_info *ki;
	json_t *array;
};

static int print_row(const struct cf_record *r, void *vctx)
{
	struct list_ctx *ctx = vctx;
	const struct cf_kind_info *ki = ctx->ki;
	int first = 1;

	if (ctx->array) {
		json_array_append_new(ctx->array, record_json(r));
		return 0;
	}
	cli_put_id(stdout, r->id);
	for (size_t i = 0; i < ki->nfields; i++) {
		if (!(ki->fields[i].flags & CF_F_LIST))
			continue;
		fputs(first ? "  " : " | ", stdout);
		first = 0;
		cli_put_safe(stdout, r->v[i] ? r->v[i] : "-");
	}
	if (r->deleted)
		fputs("  (deleted)", stdout);
	if (r->conflicted)
		fputs("  (conflict)", stdout);
	fputc('\n', stdout);
	return 0;
}

static int cmd_list(struct cli *cli, enum cf_kind kind, int argc, char **argv)
{
	struct list_ctx ctx = { cf_kind_info(kind), NULL };
	struct cf_page page = { 0 };
	int rc;

	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0)
			ctx.array = json_array();
		else if (strcmp(argv[i], "--all") == 0)
			page.include_deleted = 1;
		else if (strcmp(argv[i], "--limit") == 0 && i + 1 < argc) {
			char *end;
			long n = strtol(argv[++i], &end, 10);
			if (*end || n <= 0 || n > 1000000000) {
				json_decref(ctx.array);
				return cli_usage("%s list: --limit '%s': give a whole number above 0",
						 ctx.ki->name, argv[i]);
			}
			page.limit = (int)n;
		}
		else {
			json_decref(ctx.array);
			return cli_usage("%s list: unknown option '%s'", ctx.ki->name, argv[i]);
		}
	}
	rc = record_list(cli->s, kind, &page, print_row, &ctx, &cli->err);
	if (rc == 0 && ctx.array)
		print_json(ctx.array);
	json_decref(ctx.array);
	return rc < 0 ? cli_fail(cli) : EXIT_OK;
}

static void print_record(const struct cf_record *r)
{
	const struct cf_kind_info *ki = cf_kind_info(r->kind);

	printf("%-14s %s%s\n", "id", r->id, r->deleted ? "  (deleted)" : "");
	for (size_t i = 0; i < ki->nfields; i++) {
		if (!r->v[i])
			continue;
		printf("%-14s ", ki->fields[i].name);
		cli_put_safe(stdout, r->v[i]);
		fputc('\n', stdout);
	}
	if (r->conflicted) {
		printf("%-14s ", "conflicted");
		cli_put_safe(stdout, r->conflicted);
		fputc('\n', stdout);
	}
}

/* Resolves the ID argument (a unique prefix) of the verbs that take one. */
static int take_id(struct cli *cli, enum cf_kind kind, int argc, char **argv, const char *verb,
		   char id[CF_ID_LEN + 1])
{
	if (argc < 1 || argv[0][0] == '-')
		return cli_usage("%s %s: which one? give an ID", cf_kind_info(kind)->name, verb);
	if (record_resolve(cli->s, kind, argv[0], id, &cli->err) < 0)
		return cli_fail(cli);
	return 0;
}

static int cmd_show_record(struct cli *cli, enum cf_kind kind, int argc, char **argv)
{
	char id[CF_ID_LEN + 1];
	struct cf_record r;
	int rc, json = argc > 1 && strcmp(argv[1], "--json") == 0;

	if (argc > 2 || (argc == 2 && !json))
		return cli_usage("%s show: unknown argument '%s' (show ID [--json])",
				 cf_kind_info(kind)->name, argv[argc - 1]);
	if ((rc = take_id(cli, kind, argc, argv, "show", id)) != 0)
		return rc;
	if (record_get(cli->s, kind, id, &r, &cli->err) < 0)
		return cli_fail(cli);
	if (json) {
		json_t *o = record_json(&r);
		print_json(o);
		json_decref(o);
	} else {
		print_record(&r);
	}
	cf_record_release(&r);
	return EXIT_OK;
}

/* Applies every --FIELD VALUE of ARGV to record ID in one transaction. */
static int apply_edits(struct cli *cli, enum cf_kind kind, const char *id, int argc, char **argv)
{
	const struct cf_kind_info *ki = cf_kind_info(kind);
	struct cf_record want;
	int rc;

	cf_record_init(&want, kind);
	if (argc == 0) {
		cf_record_release(&want);
		return cli_usage("%s edit: nothing to change (give --FIELD VALUE)", ki->name);
	}
	/* Unset with an empty value: --owner "" */
	if (parse_fields(ki, &want, argc, argv, 0) < 0) {
		cf_record_release(&want);
		return EXIT_USAGE;
	}
	if (resolve_refs(cli, &want) < 0) {
		cf_record_release(&want);
		return cli_fail(cli);
	}
	rc = store_begin(cli->s, &cli->err);
	for (size_t i = 0; rc == 0 && i < ki->nfields; i++)
		if (want.v[i])
			rc = record_set(cli->s, kind, id, ki->fields[i].name, want.v[i], &cli->err);
	cf_record_release(&want);
	/* The fields were set one by one: check the record as a whole once they all are. */
	if (rc == 0 && (rc = record_get(cli->s, kind, id, &want, &cli->err)) == 0) {
		rc = cf_record_check(&want, &cli->err);
		cf_record_release(&want);
	}
	if (rc == 0)
		rc = store_commit(cli->s, &cli->err);
	else
		store_rollback(cli->s);
	return rc < 0 ? cli_fail(cli) : EXIT_OK;
}

static int cmd_edit(struct cli *cli, enum cf_kind kind, int argc, char **argv)
{
	char id[CF_ID_LEN + 1];
	int rc = take_id(cli, kind, argc, argv, "edit", id);
	return rc ? rc : apply_edits(cli, kind, id, argc - 1, argv + 1);
}

static int cmd_rm(struct cli *cli, enum cf_kind kind, int argc, char **argv)
{
	char id[CF_ID_LEN + 1];
	int rc = take_id(cli, kind, argc, argv, "rm", id);
	if (rc)
		return rc;
	if (record_delete(cli->s, kind, id, &cli->err) < 0)
		return cli_fail(cli);
	return EXIT_OK;
}

int cli_record(struct cli *cli, enum cf_kind kind, int argc, char **argv)
{
	const char *name = cf_kind_info(kind)->name;

	if (argc < 1)
		return cli_usage("%s: give a verb: add, list, show, edit or rm", name);
	if (strcmp(argv[0], "add") == 0)
		return cmd_add(cli, kind, argc - 1, argv + 1);
	if (strcmp(argv[0], "list") == 0 || strcmp(argv[0], "ls") == 0)
		return cmd_list(cli, kind, argc - 1, argv + 1);
	if (strcmp(argv[0], "show") == 0)
		return cmd_show_record(cli, kind, argc - 1, argv + 1);
	if (strcmp(argv[0], "edit") == 0)
		return cmd_edit(cli, kind, argc - 1, argv + 1);
	if (strcmp(argv[0], "rm") == 0)
		return cmd_rm(cli, kind, argc - 1, argv + 1);
	return cli_usage("%s: unknown verb '%s' (add, list, show, edit, rm)", name, argv[0]);
}

int cmd_case(struct cli *cli, int argc, char **argv)
{
	struct cf_record c;
	char id[CF_ID_LEN + 1];

	if (argc < 1 || strcmp(argv[0], "edit") != 0)
		return cli_usage("case: use 'case edit --FIELD VALUE...' (see 'casefile show')");
	if (case_get(cli->s, &c, &cli->err) < 0)
		return cli_fail(cli);
	memcpy(id, c.id, sizeof(id));
	cf_record_release(&c);
	return apply_edits(cli, CF_CASE, id, argc - 1, argv + 1);
}
