/* cli_sync.c — team sharing from the command line: remote add|list|rm, sync, clone, conflicts
 * and resolve, over export/sync.h and the store's conflict calls. */
#include "tui/cli.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "export/sync.h"

#define EXIT_REMOTE 3 /* the remote could not be reached, refused us, or refused the push */

static int sync_exit(struct cli *cli, int rc)
{
	int status = cli_fail(cli);
	return rc == SYNC_ENET || rc == SYNC_EAUTH || rc == SYNC_EREJECTED ? EXIT_REMOTE : status;
}

/* ---- remote ---- */

static int print_remote(const struct sync_remote *r, void *ctx)
{
	(void)ctx;
	cli_put_safe(stdout, r->name);
	fputc('\t', stdout);
	cli_put_safe(stdout, r->url);
	fputc('\t', stdout);
	cli_put_safe(stdout, r->branch);
	fputc('\n', stdout);
	return 0;
}

int cmd_remote(struct cli *cli, int argc, char **argv)
{
	const char *branch = NULL;

	if (argc < 1)
		return cli_usage("remote: give add NAME URL [--branch B], list or rm NAME");
	if (!strcmp(argv[0], "list") && argc == 1)
		return sync_remote_list(cli->s, print_remote, NULL, &cli->err) < 0 ? cli_fail(cli)
										  : EXIT_OK;
	if (!strcmp(argv[0], "rm") && argc == 2)
		return sync_remote_rm(cli->s, argv[1], &cli->err) < 0 ? cli_fail(cli) : EXIT_OK;
	if (strcmp(argv[0], "add") != 0 || (argc != 3 && argc != 5))
		return cli_usage("remote: give add NAME URL [--branch B], list or rm NAME");
	if (argc == 5) {
		if (strcmp(argv[3], "--branch") != 0)
			return cli_usage("remote add: unknown option '%s'", argv[3]);
		branch = argv[4];
	}
	return sync_remote_add(cli->s, argv[1], argv[2], branch, &cli->err) < 0 ? cli_fail(cli)
										 : EXIT_OK;
}

/* ---- sync and clone ---- */

static int show_progress(const struct sync_progress *p, void *ctx)
{
	(void)ctx;
	fprintf(stderr, "sync: %s", sync_stage_name(p->stage));
	if (p->total)
		fprintf(stderr, " %lld/%lld", (long long)p->done, (long long)p->total);
	else if (p->done)
		fprintf(stderr, " %lld", (long long)p->done);
	if (p->attempt > 1)
		fprintf(stderr, " (attempt %d)", p->attempt);
	fputc('\n', stderr);
	return 0;
}

static void print_result(const struct sync_result *r)
{
	if (r->up_to_date) {
		printf("%s: up to date\n", r->remote_branch);
		return;
	}
	printf("%s: sent %lld operation%s, received %lld", r->remote_branch,
	       (long long)r->ops_written, r->ops_written == 1 ? "" : "s",
	       (long long)r->ops_received);
	if (r->conflicts)
		printf(", %lld new conflict%s (see casefile conflicts)", (long long)r->conflicts,
		       r->conflicts == 1 ? "" : "s");
	printf(", %s", r->pushed ? "pushed" : "nothing to push");
	if (r->attempts > 1)
		printf(" after %d tries", r->attempts);
	printf("; main at %.12s\n", r->tip);
}

static int parse_verbose(int *argc, char **argv)
{
	int verbose = 0, n = 0;

	for (int i = 0; i < *argc; i++) {
		if (!strcmp(argv[i], "-v") || !strcmp(argv[i], "--verbose"))
			verbose = 1;
		else
			argv[n++] = argv[i];
	}
	*argc = n;
	return verbose;
}

int cmd_sync(struct cli *cli, int argc, char **argv)
{
	struct sync_result res;
	int verbose = parse_verbose(&argc, argv), rc;

	if (argc > 1 || (argc == 1 && argv[0][0] == '-'))
		return cli_usage("sync: usage: sync [NAME] [-v]");
	rc = sync_run(cli->s, argc ? argv[0] : NULL, verbose ? show_progress : NULL, NULL, &res,
		      &cli->err);
	if (rc < 0) {
		if (res.ops_written || res.ops_received)
			fprintf(stderr, "casefile: sync stopped after writing %lld and receiving %lld"
				" operations; the case is intact and the next sync goes on\n",
				(long long)res.ops_written, (long long)res.ops_received);
		return sync_exit(cli, rc);
	}
	print_result(&res);
	return EXIT_OK;
}

int cmd_clone(struct cli *cli, int argc, char **argv)
{
	struct sync_result res;
	const char *branch = NULL;
	int verbose = parse_verbose(&argc, argv), rc;

	if (argc == 4 && !strcmp(argv[2], "--branch"))
		branch = argv[3];
	else if (argc != 2)
		return cli_usage("clone: usage: clone URL DIR [--branch B] [-v]");
	rc = sync_clone(argv[0], argv[1], branch, cli->author, verbose ? show_progress : NULL,
			NULL, &res, &cli->err);
	if (rc < 0)
		return sync_exit(cli, rc);
	printf("cloned %lld operations into ", (long long)res.ops_received);
	cli_put_safe(stdout, argv[1]);
	printf(" (remote origin, branch %s)\n", branch ? branch : SYNC_DEFAULT_BRANCH);
	return EXIT_OK;
}

/* ---- conflicts ---- */

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
	cli_put_safe(stdout, v);
	fputc('\'', stdout);
}

static int conflict_line(const struct cf_conflict *c, void *ctx)
{
	(void)ctx;
	printf("%-9s ", cf_kind_info(c->kind)->name);
	cli_put_id(stdout, c->record);
	printf(" %-14s ours ", c->field);
	put_value(c->ours);
	fputs(" (", stdout);
	cli_put_safe(stdout, c->ours_author ? c->ours_author : "?");
	fputs(")  theirs ", stdout);
	put_value(c->theirs);
	fputs(" (", stdout);
	cli_put_safe(stdout, c->theirs_author ? c->theirs_author : "?");
	printf(")%s\n", c->resolved ? "  resolved" : "");
	return 0;
}

int cmd_conflicts(struct cli *cli, int argc, char **argv)
{
	int json = 0, all = 0, rc;
	json_t *array = NULL;

	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--json"))
			json = 1;
		else if (!strcmp(argv[i], "--all"))
			all = 1;
		else
			return cli_usage("conflicts: unknown argument '%s'", argv[i]);
	}
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

int cmd_resolve(struct cli *cli, int argc, char **argv)
{
	enum cf_take take;
	const char *value = NULL;
	char id[CF_ID_LEN + 1];
	enum cf_kind kind;

	if (argc != 4)
		return cli_usage("resolve: usage: resolve ID FIELD --take ours|theirs | --value V");
	if (!strcmp(argv[2], "--take") && !strcmp(argv[3], "ours"))
		take = CF_TAKE_OURS;
	else if (!strcmp(argv[2], "--take") && !strcmp(argv[3], "theirs"))
		take = CF_TAKE_THEIRS;
	else if (!strcmp(argv[2], "--value")) {
		take = CF_TAKE_VALUE;
		value = argv[3];
	} else
		return cli_usage("resolve: give --take ours, --take theirs or --value V");
	if (conflict_find(cli->s, argv[0], argv[1], &kind, id, &cli->err) < 0 ||
	    conflict_resolve(cli->s, kind, id, argv[1], take, value, &cli->err) < 0)
		return cli_fail(cli);
	printf("resolved %s ", cf_kind_info(kind)->name);
	cli_put_id(stdout, id);
	printf(" %s\n", argv[1]);
	return EXIT_OK;
}
