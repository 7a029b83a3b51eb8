/* cli_record.c — the verbs every record kind shares: add, list, show, edit, rm. */
#include "tui/cli/cli.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* The fields given as --FIELD VALUE (the parser's A->field) into R; with POSITIONAL, the
 * positional words then fill the required fields still unset, in order.  Returns 0, or
 * the exit status after printing why. */
static int take_fields(const struct cli_args *a, struct cf_record *r, int positional)
{
	const struct cf_kind_info *ki = cf_kind_info(r->kind);
	size_t next = 0;

	for (size_t i = 0; i < ki->nfields; i++)
		if (a->field[i] && !(r->v[i] = xstrdup(a->field[i])))
			return fputs("casefile: out of memory\n", stderr), EXIT_FAIL;
	for (int w = 0; positional && w < a->argc; w++) {
		while (next < ki->nfields &&
		       (!(ki->fields[next].flags & CF_F_REQUIRED) || r->v[next]))
			next++;
		if (next >= ki->nfields)
			return cli_bad_arg(a, "unexpected argument '%s'", a->argv[w]);
		if (!(r->v[next] = xstrdup(a->argv[w])))
			return fputs("casefile: out of memory\n", stderr), EXIT_FAIL;
	}
	return 0;
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

/* R as every view shows it (a notice's due time and status from the deadline engine, through
 * V) into OUT; its recorded status into RECORDED (NULL when unset).  -1 out of memory. */
static int shown_record(const struct cf_record *r, const struct cf_notice_view *v,
			struct cf_record *out, char **recorded, struct cf_err *err)
{
	const char *st = r->kind == CF_NOTICE ? cf_record_get(r, "status") : NULL;

	*recorded = NULL;
	if (cf_record_copy(out, r) < 0)
		return cf_error(err, CF_ERR, "out of memory");
	if ((st && !(*recorded = xstrdup(st))) || notice_view_apply(v, out, err) < 0) {
		free(*recorded);
		*recorded = NULL;
		cf_record_release(out);
		return cf_error(err, CF_ERR, "out of memory");
	}
	return 0;
}

struct cf_notice_view *cli_notice_view(struct cli *cli)
{
	struct cf_notice_view *v = NULL;
	if (notice_view_load(cli->s, NULL, store_now(cli->s), &v, &cli->err) < 0)
		return NULL;
	return v;
}

json_t *cli_record_json(const struct cf_record *rec, const struct cf_notice_view *v)
{
	const struct cf_kind_info *ki = cf_kind_info(rec->kind);
	const struct cf_record *r = rec;
	json_t *o = json_object();

	json_object_set_new(o, "id", json_string(r->id));
	json_object_set_new(o, "type", json_string(ki->name));
	for (size_t i = 0; i < ki->nfields; i++)
		json_object_set_new(o, ki->fields[i].name, field_json(&ki->fields[i], r->v[i]));
	if (v && r->kind == CF_NOTICE)
		json_object_set_new(o, "deadline", notice_deadline_json(notice_view_find(v, r->id)));
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

int cli_record_add(struct cli *cli, const struct cli_args *a)
{
	struct cf_record r;
	int rc;

	cf_record_init(&r, (enum cf_kind)a->kind);
	if ((rc = take_fields(a, &r, 1)) != 0) {
		cf_record_release(&r);
		return rc;
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
	struct cf_notice_view *view; /* notices: their due times and statuses */
};

static void print_fields(const struct cf_kind_info *ki, const struct cf_record *r)
{
	int first = 1;

	cli_put_id(stdout, r->id);
	for (size_t i = 0; i < ki->nfields; i++) {
		if (!(ki->fields[i].flags & CF_F_LIST))
			continue;
		fputs(first ? "  " : " | ", stdout);
		first = 0;
		cf_text_put_safe(stdout, r->v[i] ? r->v[i] : "-");
	}
}

static int print_row(const struct cf_record *r, void *vctx)
{
	struct list_ctx *ctx = vctx;
	struct cf_record shown;
	struct cf_err err;
	char *recorded;

	if (ctx->array) {
		json_array_append_new(ctx->array, cli_record_json(r, ctx->view));
		return 0;
	}
	if (ctx->view && shown_record(r, ctx->view, &shown, &recorded, &err) == 0) {
		print_fields(ctx->ki, &shown);
		free(recorded);
		cf_record_release(&shown);
	} else {
		print_fields(ctx->ki, r);
	}
	if (r->deleted)
		fputs("  (deleted)", stdout);
	if (r->conflicted)
		fputs("  (conflict)", stdout);
	fputc('\n', stdout);
	return 0;
}

/* --since and --until: the start of TEXT, and the end of TEXT ("--until 2019-06" keeps June),
 * read in the case's zone. */
static int take_window(struct cli *cli, const struct cli_args *a, struct cf_page *page)
{
	const char *since = cli_opt(a, "since"), *until = cli_opt(a, "until");
	struct cf_record c;
	struct cf_when w;
	int rc = 0;

	if (!since && !until)
		return 0;
	if (case_get(cli->s, &c, &cli->err) < 0)
		return cli_fail(cli);
	if (since && (rc = cf_when_parse(since, cf_record_get(&c, "tz"), &w, &cli->err)) == 0) {
		page->has_since = 1;
		page->since = w.start;
	}
	if (rc == 0 && until &&
	    (rc = cf_when_parse(until, cf_record_get(&c, "tz"), &w, &cli->err)) == 0) {
		page->has_until = 1;
		page->until = w.end;
	}
	cf_record_release(&c);
	return rc < 0 ? cli_fail(cli) : 0;
}

/* --kind, --status, --owner, --visibility: equality on the field of that name, the value
 * checked as the field checks it ("--status dne" is refused, not an empty list). */
static int take_matches(struct cli *cli, const struct cli_args *a, struct cf_page *page)
{
	static const char *const names[] = { "kind", "status", "owner", "visibility" };
	const struct cf_kind_info *ki = cf_kind_info((enum cf_kind)a->kind);
	int n = 0;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]) && n < CF_PAGE_MATCH; i++) {
		const char *v = cli_opt(a, names[i]);
		if (!v)
			continue;
		if (ki->kind == CF_NOTICE && !strcmp(names[i], "status")
			    ? notice_status_check(v, &cli->err) < 0
			    : cf_field_validate(&ki->fields[cf_field_index(ki, names[i])], v,
						&cli->err) < 0)
			return cli_fail(cli);
		page->match_field[n] = names[i];
		page->match_value[n++] = v;
	}
	return 0;
}

int cli_record_list(struct cli *cli, const struct cli_args *a)
{
	enum cf_kind kind = (enum cf_kind)a->kind;
	struct list_ctx ctx = { cf_kind_info(kind), NULL, NULL };
	struct cf_page page = { 0 };
	const char *limit = cli_opt(a, "limit");
	int rc;

	if (limit) {
		char *end;
		long n = strtol(limit, &end, 10);
		if (!*limit || *end || n <= 0 || n > 1000000000)
			return cli_bad_value(a, "--limit '%s': give a whole number above 0", limit);
		page.limit = (int)n;
	}
	if (kind == CF_NOTICE && !(ctx.view = cli_notice_view(cli)))
		return cli_fail(cli);
	page.include_deleted = cli_flag(a, "all");
	if ((rc = take_matches(cli, a, &page)) != 0 || (rc = take_window(cli, a, &page)) != 0)
		return rc;
	if (cli_flag(a, "json"))
		ctx.array = json_array();
	rc = record_list(cli->s, kind, &page, print_row, &ctx, &cli->err);
	if (rc == 0 && ctx.array)
		print_json(ctx.array);
	json_decref(ctx.array);
	notice_view_free(ctx.view);
	return rc < 0 ? cli_fail(cli) : EXIT_OK;
}

/* RECORDED: a notice's status as recorded, beside the engine's (NULL for other kinds). */
static void print_record(const struct cf_record *r, const char *recorded)
{
	const struct cf_kind_info *ki = cf_kind_info(r->kind);

	printf("%-14s %s%s\n", "id", r->id, r->deleted ? "  (deleted)" : "");
	for (size_t i = 0; i < ki->nfields; i++) {
		if (!r->v[i])
			continue;
		printf("%-14s ", ki->fields[i].name);
		cf_text_put_safe(stdout, r->v[i]);
		if (recorded && !strcmp(ki->fields[i].name, "status")) {
			fputs(" (recorded: ", stdout);
			cf_text_put_safe(stdout, recorded);
			fputc(')', stdout);
		}
		fputc('\n', stdout);
	}
	if (r->conflicted) {
		printf("%-14s ", "conflicted");
		cf_text_put_safe(stdout, r->conflicted);
		fputc('\n', stdout);
	}
}

/* Resolves the ID argument (a unique prefix) of the verbs that take one. */
static int take_id(struct cli *cli, const struct cli_args *a, char id[CF_ID_LEN + 1])
{
	if (record_resolve(cli->s, (enum cf_kind)a->kind, a->argv[0], id, &cli->err) < 0)
		return cli_fail(cli);
	return 0;
}

int cli_record_show(struct cli *cli, const struct cli_args *a)
{
	char id[CF_ID_LEN + 1];
	struct cf_record r;
	int rc;

	if ((rc = take_id(cli, a, id)) != 0)
		return rc;
	struct cf_notice_view *view = NULL;
	if (a->kind == CF_NOTICE && !(view = cli_notice_view(cli)))
		return cli_fail(cli);
	if (record_get(cli->s, (enum cf_kind)a->kind, id, &r, &cli->err) < 0) {
		notice_view_free(view);
		return cli_fail(cli);
	}
	if (cli_flag(a, "json")) {
		json_t *o = cli_record_json(&r, view);
		print_json(o);
		json_decref(o);
	} else if (view) {
		struct cf_record shown;
		char *recorded;
		if (shown_record(&r, view, &shown, &recorded, &cli->err) < 0) {
			cf_record_release(&r);
			notice_view_free(view);
			return cli_fail(cli);
		}
		print_record(&shown, recorded ? recorded : "unset");
		free(recorded);
		cf_record_release(&shown);
	} else {
		print_record(&r, NULL);
	}
	cf_record_release(&r);
	notice_view_free(view);
	return EXIT_OK;
}

/* --expect-op OP was given and the record moved on since: both values of every field the edit
 * would have set, on stderr, and nothing saved. */
static int changed_since(struct cli *cli, enum cf_kind kind, const char *id,
			 const struct cf_record *want)
{
	const struct cf_kind_info *ki = cf_kind_info(kind);
	struct cf_err e;
	struct cf_record now;

	cli_fail(cli);
	if (record_get(cli->s, kind, id, &now, &e) == 0) {
		for (size_t i = 0; i < ki->nfields; i++) {
			if (!want->v[i])
				continue;
			fprintf(stderr, "  %s: now '", ki->fields[i].name);
			cf_text_put_safe(stderr, now.v[i] ? now.v[i] : "");
			fputs("', yours '", stderr);
			cf_text_put_safe(stderr, want->v[i]);
			fputs("'\n", stderr);
		}
	}
	cf_record_release(&now);
	fputs("casefile: not saved: look again, then edit with --expect-op of its last "
	      "operation (casefile log ID)\n", stderr);
	return EXIT_FAIL;
}

/* Applies every --FIELD VALUE of A to record ID in one transaction; with --expect-op OP only
 * while OP is still the record's last operation (the last of `log ID --json`): a script's
 * edit never overwrites a change it has not seen. */
static int apply_edits(struct cli *cli, const struct cli_args *a, const char *id)
{
	enum cf_kind kind = (enum cf_kind)a->kind;
	const struct cf_kind_info *ki = cf_kind_info(kind);
	const char *expect = cli_opt(a, "expect-op");
	struct cf_record want;
	int rc, any = 0;

	for (size_t i = 0; i < ki->nfields; i++)
		any |= a->field[i] != NULL;
	if (!any)
		return cli_bad_arg(a, "nothing to change (give --FIELD VALUE)", NULL);
	/* The case's zone and clocks move every due time: an empty value (--tz=) would silently
	 * put them all in UTC or stop a clock, so it is refused, never taken as "unset". */
	for (size_t i = 0; i < ki->nfields; i++) {
		char msg[CF_PHRASE_LEN];
		if (!a->field[i] || *a->field[i] || !cf_field_keeps_value(kind, &ki->fields[i]))
			continue;
		snprintf(msg, sizeof(msg), "--%s: " CF_FIELD_EMPTY_WHY "%%s", ki->fields[i].name);
		return cli_bad_value(a, msg, "");
	}
	if (expect && strlen(expect) < 4)
		return cli_bad_arg(a, "--expect-op '%s': give an operation id (4 characters at least)",
				   expect);
	cf_record_init(&want, kind);
	/* Unset with an empty value: --owner "" */
	if ((rc = take_fields(a, &want, 0)) != 0) {
		cf_record_release(&want);
		return rc;
	}
	if (resolve_refs(cli, &want) < 0) {
		cf_record_release(&want);
		return cli_fail(cli);
	}
	rc = store_begin(cli->s, &cli->err);
	if (rc == 0 && expect && (rc = op_expect_last(cli->s, id, expect, &cli->err)) ==
	    CF_ECHANGED) {
		store_rollback(cli->s);
		rc = changed_since(cli, kind, id, &want);
		cf_record_release(&want);
		return rc;
	}
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

int cli_record_edit(struct cli *cli, const struct cli_args *a)
{
	char id[CF_ID_LEN + 1];
	int rc = take_id(cli, a, id);
	return rc ? rc : apply_edits(cli, a, id);
}

int cli_record_rm(struct cli *cli, const struct cli_args *a)
{
	char id[CF_ID_LEN + 1];
	int rc = take_id(cli, a, id);
	if (rc)
		return rc;
	if (record_delete(cli->s, (enum cf_kind)a->kind, id, &cli->err) < 0)
		return cli_fail(cli);
	return EXIT_OK;
}

int cli_record_restore(struct cli *cli, const struct cli_args *a)
{
	char id[CF_ID_LEN + 1];
	int rc = take_id(cli, a, id);
	if (rc)
		return rc;
	if (record_restore(cli->s, (enum cf_kind)a->kind, id, &cli->err) < 0)
		return cli_fail(cli);
	printf("restored %s %.*s\n", cf_kind_info((enum cf_kind)a->kind)->title, CF_SHORT_ID, id);
	return EXIT_OK;
}

int cmd_case_edit(struct cli *cli, const struct cli_args *a)
{
	struct cf_record c;
	char id[CF_ID_LEN + 1];

	if (case_get(cli->s, &c, &cli->err) < 0)
		return cli_fail(cli);
	memcpy(id, c.id, sizeof(id));
	cf_record_release(&c);
	return apply_edits(cli, a, id);
}
