/* cli_conflicts.c — the conflict register from the command line: conflicts [--all] [--json]
 * and resolve; store calls only, so these run in the small casefile binary. */
#include "tui/cli/cli.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static json_t *str_or_null(const char *v)
{
	return v ? json_string(v) : json_null();
}

static int conflict_json(const struct cf_conflict *c, void *ctx)
{
	json_t *o = json_object();

	json_object_set_new(o, "type", json_string(cf_kind_info(c->kind)->name));
	json_object_set_new(o, "id", json_string(c->record));
	json_object_set_new(o, "field", json_string(c->field));
	/* kept: the value the case holds; other: the one it does not.  ours/theirs: the same,
	 * under the names of earlier versions. */
	json_object_set_new(o, "kept", str_or_null(c->ours));
	json_object_set_new(o, "other", str_or_null(c->theirs));
	json_object_set_new(o, "kept_author", str_or_null(c->ours_author));
	json_object_set_new(o, "other_author", str_or_null(c->theirs_author));
	json_object_set_new(o, "ours", str_or_null(c->ours));
	json_object_set_new(o, "theirs", str_or_null(c->theirs));
	json_object_set_new(o, "ours_op", str_or_null(c->ours_op));
	json_object_set_new(o, "theirs_op", str_or_null(c->theirs_op));
	json_object_set_new(o, "ours_author", str_or_null(c->ours_author));
	json_object_set_new(o, "theirs_author", str_or_null(c->theirs_author));
	json_object_set_new(o, "resolved", json_boolean(c->resolved));
	json_array_append_new(ctx, o);
	return 0;
}

static void put_value(const char *v)
{
	if (!v) {
		fputs("(unset)", stdout);
		return;
	}
	fputc('\'', stdout);
	cf_text_put_safe(stdout, v);
	fputc('\'', stdout);
}

static int conflict_line(const struct cf_conflict *c, void *ctx)
{
	(void)ctx;
	printf("%-9s ", cf_kind_info(c->kind)->name);
	cli_put_id(stdout, c->record);
	printf(" %-14s kept ", c->field);
	put_value(c->ours);
	fputs(" (", stdout);
	cf_text_put_safe(stdout, c->ours_author ? c->ours_author : "?");
	fputs(")  other ", stdout);
	put_value(c->theirs);
	fputs(" (", stdout);
	cf_text_put_safe(stdout, c->theirs_author ? c->theirs_author : "?");
	printf(")%s\n", c->resolved ? "  resolved" : "");
	return 0;
}

int cmd_conflicts(struct cli *cli, const struct cli_args *a)
{
	int json = cli_flag(a, "json"), all = cli_flag(a, "all"), rc;
	json_t *array = NULL;

	if (json)
		array = json_array();
	rc = conflict_list(cli->s, all, json ? conflict_json : conflict_line, array, &cli->err);
	if (rc == 0 && json) {
		char *text = json_dumps(array, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
						       JSON_ENSURE_ASCII);
		if (text)
			puts(text);
		free(text);
	}
	json_decref(array);
	return rc < 0 ? cli_fail(cli) : EXIT_OK;
}

int cmd_resolve(struct cli *cli, const struct cli_args *a)
{
	const char *side = cli_opt(a, "take"), *value = cli_opt(a, "value");
	const char *field = a->argv[1];
	enum cf_take take;
	char id[CF_ID_LEN + 1];
	enum cf_kind kind;

	if (!side == !value)
		return cli_bad_arg(a, "give --take kept, --take other or --value V", NULL);
	if (value)
		take = CF_TAKE_VALUE;
	else if (!strcmp(side, "kept") || !strcmp(side, "ours"))
		take = CF_TAKE_OURS;
	else if (!strcmp(side, "other") || !strcmp(side, "theirs"))
		take = CF_TAKE_THEIRS;
	else
		return cli_bad_value(a, "--take '%s': give kept or other (ours and theirs are the"
				     " same)", side);
	if (conflict_find(cli->s, a->argv[0], field, &kind, id, &cli->err) < 0 ||
	    conflict_resolve(cli->s, kind, id, field, take, value, &cli->err) < 0)
		return cli_fail(cli);
	printf("resolved %s ", cf_kind_info(kind)->name);
	cli_put_id(stdout, id);
	fputc(' ', stdout);
	cf_text_put_safe(stdout, field);
	fputc('\n', stdout);
	return EXIT_OK;
}
