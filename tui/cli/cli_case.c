/* cli_case.c — the commands about the case as a whole: init, demo, show, log, search, import. */
#include "store/identity.h"
#include "tui/cli/cli.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* Every name of the comma-separated LIST is an installed pack (or LIST is "none"); the first
 * one that is not is reported. */
static int check_packs(struct cli *cli, const char *list)
{
	struct cf_rules *rules;
	char name[CF_PHRASE_LEN];
	int rc = 0;

	if (!strcmp(list, "none"))
		return 0;
	if (rules_load(&rules, &cli->err) < 0)
		return cli_fail(cli);
	for (const char *p = list; rc == 0 && *p;) {
		size_t n = strcspn(p, ", ");
		snprintf(name, sizeof(name), "%.*s", (int)(n < sizeof(name) ? n : sizeof(name) - 1), p);
		if (n && !rules_has_pack(rules, name)) {
			cf_error(&cli->err, CF_EINVAL, "init: no rule pack '%s' (see casefile rules list)",
				 name);
			rc = cli_fail(cli);
		}
		p += n;
		p += strspn(p, ", ");
	}
	rules_free(rules);
	return rc;
}

/* DIR, or -C DIR: never a default. */
static const char *target_dir(struct cli *cli, const struct cli_args *a)
{
	if (a->argc > 0)
		return a->argv[0];
	if (cli->dir_opt)
		return cli->dir_opt;
	cli_bad_arg(a, "missing argument: DIR", NULL);
	return NULL;
}

int cmd_init(struct cli *cli, const struct cli_args *a)
{
	struct cf_case_init ci = { 0 };
	const char *dir = target_dir(cli, a);
	struct cf_identity id;
	struct store *s;
	int rc;

	if (!dir)
		return EXIT_USAGE;
	ci.title = cli_opt(a, "title");
	ci.codename = cli_opt(a, "codename");
	ci.discovered = cli_opt(a, "discovered");
	ci.marking = cli_opt(a, "marking");
	ci.tz = cli_opt(a, "tz");
	ci.rule_packs = cli_opt(a, "packs");
	ci.org_type = cli_opt(a, "org-type");
	if (cli_flag(a, "federal-agency")) {
		if (ci.org_type && strcmp(ci.org_type, "federal-agency"))
			return cli_bad_arg(a, "--federal-agency and --org-type %s disagree",
					   ci.org_type);
		ci.org_type = "federal-agency";
	}
	if (ci.rule_packs && check_packs(cli, ci.rule_packs) != 0)
		return EXIT_FAIL;
	if ((rc = cli_read_identity(cli, &id)) < 0)
		return cli_fail(cli);
	ci.identity = rc ? &id : NULL;
	rc = store_create(dir, &ci, cli->author, &s, &cli->err);
	cf_identity_wipe(&id);
	if (rc < 0)
		return cli_fail(cli);
	cf_text_printf_safe(stdout, "created case in %s", dir);
	fputc('\n', stdout);
	store_close(s);
	return EXIT_OK;
}

int cmd_demo(struct cli *cli, const struct cli_args *a)
{
	const char *dir = target_dir(cli, a);
	if (!dir)
		return EXIT_USAGE;
	if (demo_create(dir, cli->author, &cli->err) < 0)
		return cli_fail(cli);
	cf_text_printf_safe(stdout, "created the demo case (2019 CBP subcontractor breach) in %s", dir);
	fputc('\n', stdout);
	return EXIT_OK;
}

static void line(const char *label, const char *value)
{
	if (!value)
		return;
	printf("%-12s ", label);
	cf_text_put_safe(stdout, value);
	fputc('\n', stdout);
}

static int print_estimate(const struct cf_record *r, void *ctx)
{
	(void)ctx;
	printf("  ");
	cli_put_id(stdout, r->id);
	printf("  ");
	cf_text_put_safe(stdout, cf_record_get(r, "category"));
	cf_text_printf_safe(stdout, ": %s / %s / %s %s (as of %s)",
			    cf_record_get(r, "low") ? cf_record_get(r, "low") : "?",
			    cf_record_get(r, "best") ? cf_record_get(r, "best") : "?",
			    cf_record_get(r, "high") ? cf_record_get(r, "high") : "?",
			    cf_record_get(r, "unit") ? cf_record_get(r, "unit") : "",
			    cf_record_get(r, "as_of") ? cf_record_get(r, "as_of") : "?");
	/* Whose residents it counts: a State's deadline rules count only theirs. */
	if (cf_record_get(r, "jurisdiction"))
		cf_text_printf_safe(stdout, ", residents of %s (%s)",
				    cf_jurisdiction_name(cf_record_get(r, "jurisdiction")),
				    cf_record_get(r, "jurisdiction"));
	fputc('\n', stdout);
	return 0;
}

struct brief {
	const char *const *fields;
	const struct cf_notice_view *view; /* notices: due times and statuses */
	json_t *array;                     /* --json: the records there instead */
};

static int print_brief(const struct cf_record *rec, void *ctx)
{
	const struct brief *b = ctx;
	const char *const *fields = b->fields;
	const struct cf_record *r = rec;
	struct cf_record shown;

	if (b->array) {
		json_array_append_new(b->array, cli_record_json(rec, b->view));
		return 0;
	}
	if (b->view && cf_record_copy(&shown, rec) == 0) {
		struct cf_err err;
		if (notice_view_apply(b->view, &shown, &err) == 0)
			r = &shown;
		else
			cf_record_release(&shown);
	}
	printf("  ");
	cli_put_id(stdout, r->id);
	for (; *fields; fields++) {
		fputs("  ", stdout);
		cf_text_put_safe(stdout, cf_record_get(r, *fields) ? cf_record_get(r, *fields) : "-");
	}
	fputc('\n', stdout);
	if (r != rec)
		cf_record_release(&shown);
	return 0;
}

int cmd_show(struct cli *cli, const struct cli_args *a)
{
	static const char *const notice_cols[] = { "due", "status", "recipient", NULL };
	static const char *const task_cols[] = { "due", "status", "owner", "title", NULL };
	struct cf_record c;
	const struct cf_kind_info *ki = cf_kind_info(CF_CASE);
	struct cf_when w;

	struct cf_notice_view *view = cli_notice_view(cli);
	struct brief notices = { notice_cols, view, NULL }, tasks = { task_cols, NULL, NULL };

	if (!view)
		return cli_fail(cli);
	if (case_get(cli->s, &c, &cli->err) < 0) {
		notice_view_free(view);
		return cli_fail(cli);
	}
	if (cli_flag(a, "json")) {
		json_t *o = json_object();
		json_object_set_new(o, "id", json_string(c.id));
		for (size_t i = 0; i < ki->nfields; i++)
			json_object_set_new(o, ki->fields[i].name,
					    c.v[i] ? json_string(c.v[i]) : json_null());
		json_object_set_new(o, "dir", json_string(cli->dir));
		json_object_set_new(o, "replica", json_string(store_replica(cli->s)));
		if (store_view(cli->s)) {
			char words[CF_PHRASE_LEN];
			cf_moment_describe(store_view(cli->s), words, sizeof(words));
			json_object_set_new(o, "moment", json_string(words));
		}
		notices.array = json_array();
		record_list(cli->s, CF_NOTICE, NULL, print_brief, &notices, &cli->err);
		json_object_set_new(o, "notices", notices.array);
		notice_view_free(view);
		char *text = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);
		puts(text);
		free(text);
		json_decref(o);
		cf_record_release(&c);
		return EXIT_OK;
	}
	if (cf_record_get(&c, "marking"))
		line("marking", cf_record_get(&c, "marking"));
	if (store_view(cli->s)) {
		char words[CF_PHRASE_LEN];
		cf_moment_describe(store_view(cli->s), words, sizeof(words));
		line("moment", words);
	}
	for (size_t i = 0; i < ki->nfields; i++)
		if (strcmp(ki->fields[i].name, "marking") != 0)
			line(ki->fields[i].name, c.v[i]);
	if (cf_record_get(&c, "discovered") &&
	    cf_when_parse(cf_record_get(&c, "discovered"), cf_record_get(&c, "tz"), &w, NULL) == 0)
		printf("%-12s %lld\n", "day", (long long)((store_now(cli->s) - w.start) / 86400 + 1));
	printf("\nrecords      %lld events, %lld estimates, %lld notices, %lld evidence, %lld tasks,"
	       " %lld notes\n",
	       (long long)record_count(cli->s, CF_EVENT), (long long)record_count(cli->s, CF_ESTIMATE),
	       (long long)record_count(cli->s, CF_NOTICE), (long long)record_count(cli->s, CF_EVIDENCE),
	       (long long)record_count(cli->s, CF_TASK), (long long)record_count(cli->s, CF_NOTE));
	printf("\nestimates (low / best / high):\n");
	record_list(cli->s, CF_ESTIMATE, NULL, print_estimate, NULL, &cli->err);
	printf("\nnotifications:\n");
	record_list(cli->s, CF_NOTICE, NULL, print_brief, &notices, &cli->err);
	printf("\ntasks:\n");
	record_list(cli->s, CF_TASK, NULL, print_brief, &tasks, &cli->err);
	notice_view_free(view);
	if (cf_record_get(&c, "marking"))
		line("marking", cf_record_get(&c, "marking"));
	cf_record_release(&c);
	return EXIT_OK;
}

/* " [signed by Priya 3f2a-9c0d-1e4b-5a67]" after the author it vouches for; nothing when
 * unsigned. */
static void put_signer(struct store *s, const struct cf_op *op)
{
	char text[CF_MSG_LEN];

	store_signer_text(s, op, text, sizeof(text));
	if (!text[0])
		return;
	fputs(" [", stdout);
	cf_text_put_safe(stdout, text);
	fputc(']', stdout);
}

struct log_ctx {
	struct store *s;
	json_t *array; /* --json, else NULL */
};

static int print_op(const struct cf_op *op, void *ctx)
{
	struct log_ctx *lc = ctx;
	json_t *array = lc->array;

	if (array) {
		json_t *o = json_object();
		json_object_set_new(o, "op", json_string(op->id));
		json_object_set_new(o, "record", json_string(op->record));
		json_object_set_new(o, "kind", json_string(cf_kind_info(op->kind)->name));
		json_object_set_new(o, "field", json_string(op->field));
		json_object_set_new(o, "old", op->old_value ? json_string(op->old_value) : json_null());
		json_object_set_new(o, "new", op->new_value ? json_string(op->new_value) : json_null());
		json_object_set_new(o, "author", json_string(op->author));
		json_object_set_new(o, "at", json_string(op->at));
		json_object_set_new(o, "lamport", json_integer(op->lamport));
		json_object_set_new(o, "replica", json_string(op->replica));
		json_object_set_new(o, "rseq", json_integer(op->rseq));
		json_object_set_new(o, "prev", json_string(op->prev));
		json_object_set_new(o, "hash", json_string(op->hash));
		json_object_set_new(o, "signer", op->signer[0] ? json_string(op->signer)
							       : json_null());
		json_object_set_new(o, "signature", json_string(cf_op_signature_state(op)));
		json_array_append_new(array, o);
		return 0;
	}
	printf("%.19s  ", op->at);
	cf_text_put_safe(stdout, op->author);
	put_signer(lc->s, op);
	printf("  %s ", cf_kind_info(op->kind)->name);
	cli_put_id(stdout, op->record);
	if (strcmp(op->field, "@create") == 0) {
		fputs("  created ", stdout);
		cf_text_put_safe(stdout, op->new_value);
	} else if (strcmp(op->field, "@delete") == 0) {
		fputs("  deleted (was ", stdout);
		cf_text_put_safe(stdout, op->old_value);
		fputc(')', stdout);
	} else if (strcmp(op->field, "@restore") == 0) {
		fputs("  restored ", stdout);
		cf_text_put_safe(stdout, op->new_value);
	} else {
		fputs("  ", stdout);
		cf_text_put_safe(stdout, op->field); /* a received op names any field */
		fputs(": ", stdout);
		cf_text_put_safe(stdout, op->old_value ? op->old_value : "(unset)");
		fputs(" -> ", stdout);
		cf_text_put_safe(stdout, op->new_value ? op->new_value : "(unset)");
	}
	fputc('\n', stdout);
	return 0;
}

/* Finds the record a prefix names, whatever its kind. */
static int resolve_any(struct cli *cli, const char *prefix, char id[CF_ID_LEN + 1])
{
	int found = 0;
	for (int k = 0; k < CF_KIND_COUNT; k++) {
		char one[CF_ID_LEN + 1];
		struct cf_err err;
		int rc = record_resolve(cli->s, (enum cf_kind)k, prefix, one, &err);
		if (rc == CF_EAMBIGUOUS || (rc == 0 && found++)) {
			cf_error(&cli->err, CF_EAMBIGUOUS, "id '%s' is ambiguous: give more characters",
				 prefix);
			return -1;
		}
		if (rc == CF_EINVAL) {
			cli->err = err;
			return -1;
		}
		if (rc == 0)
			memcpy(id, one, CF_ID_LEN + 1);
	}
	if (!found) {
		cf_error(&cli->err, CF_ENOTFOUND, "no record with id '%s'", prefix);
		return -1;
	}
	return 0;
}

int cmd_undo(struct cli *cli, const struct cli_args *a)
{
	char undo_id[CF_ID_LEN + 1];
	struct cf_op undone;
	struct log_ctx lc = { cli->s, NULL }; /* printed as log prints it */

	if (store_undo(cli->s, a->argc > 0 ? a->argv[0] : NULL, cli_flag(a, "force"), &undone,
		       undo_id, &cli->err) < 0)
		return cli_fail(cli);
	fputs("undone: ", stdout);
	print_op(&undone, &lc);
	printf("by operation %.*s (casefile undo %.*s takes it back)\n", CF_SHORT_ID, undo_id,
	       CF_SHORT_ID, undo_id);
	cf_op_release(&undone);
	return EXIT_OK;
}

int cmd_log(struct cli *cli, const struct cli_args *a)
{
	char id[CF_ID_LEN + 1];
	json_t *array = cli_flag(a, "json") ? json_array() : NULL;
	struct log_ctx lc = { cli->s, NULL };
	int rc;

	if (a->argc > 0 && resolve_any(cli, a->argv[0], id) < 0) {
		json_decref(array);
		return cli_fail(cli);
	}
	lc.array = array;
	rc = op_list(cli->s, a->argc > 0 ? id : NULL, print_op, &lc, &cli->err);
	if (rc == 0 && array) {
		char *text = json_dumps(array, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);
		puts(text);
		free(text);
	}
	json_decref(array);
	return rc < 0 ? cli_fail(cli) : EXIT_OK;
}

static int print_hit(const struct cf_hit *hit, void *ctx)
{
	json_t *array = ctx;
	if (array) {
		json_t *o = json_object();
		json_object_set_new(o, "kind", json_string(cf_kind_info(hit->kind)->name));
		json_object_set_new(o, "id", json_string(hit->id));
		json_object_set_new(o, "when", hit->when ? json_string(hit->when) : json_null());
		json_object_set_new(o, "snippet", json_string(hit->snippet ? hit->snippet : ""));
		json_array_append_new(array, o);
		return 0;
	}
	printf("%-8s ", cf_kind_info(hit->kind)->name);
	cli_put_id(stdout, hit->id);
	fputs("  ", stdout);
	cf_text_put_safe(stdout, hit->when ? hit->when : "-");
	fputs("  ", stdout);
	cf_text_put_safe(stdout, hit->snippet);
	fputc('\n', stdout);
	return 0;
}

int cmd_search(struct cli *cli, const struct cli_args *a)
{
	json_t *array = cli_flag(a, "json") ? json_array() : NULL;
	int rc = store_search(cli->s, a->argv[0], 100, print_hit, array, &cli->err);

	if (rc == 0 && array) {
		char *out = json_dumps(array, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);
		puts(out);
		free(out);
	}
	json_decref(array);
	return rc < 0 ? cli_fail(cli) : EXIT_OK;
}

int cmd_import(struct cli *cli, const struct cli_args *a)
{
	int64_t count = 0;

	if (import_events(cli->s, a->argv[0], &count, &cli->err) < 0)
		return cli_fail(cli);
	cf_text_printf_safe(stdout, "imported %lld events from %s", (long long)count, a->argv[0]);
	fputc('\n', stdout);
	return EXIT_OK;
}
