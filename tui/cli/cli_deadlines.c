/* cli_deadlines.c — `casefile deadlines`: the notifications owed with their due times (in the
 * case zone and in UTC), statuses and sources, and the advisories; updates the notice records. */
#include "tui/cli/cli.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

struct dl_ctx {
	json_t *array; /* --json, else text */
	int64_t at;
	int count;
};

/* "3d 4h", "45m" */
static void span(int64_t secs, char *buf, size_t len)
{
	long long a = secs < 0 ? -secs : secs;
	if (a >= 86400)
		snprintf(buf, len, "%lldd %lldh", a / 86400, a % 86400 / 3600);
	else if (a >= 3600)
		snprintf(buf, len, "%lldh %lldm", a / 3600, a % 3600 / 60);
	else
		snprintf(buf, len, "%lldm", a / 60);
}

void cli_put_json(json_t *j)
{
	char *text = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);
	if (text) {
		puts(text);
		free(text);
	}
}

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *lines_array(const char *text)
{
	json_t *a = json_array();
	for (const char *p = text; p && *p;) {
		size_t n = strcspn(p, "\n");
		json_array_append_new(a, json_stringn(p, n));
		p += n + (p[n] == '\n');
	}
	return a;
}

static json_t *deadline_json(const struct cf_deadline *d, int64_t at)
{
	const struct cf_rule *r = d->rule;
	json_t *o = json_object();
	char t[CF_TIME_LEN];

	json_object_set_new(o, "rule", d->by_hand && !*r->id ? json_null() : json_string(r->id));
	json_object_set_new(o, "by_hand", json_boolean(d->by_hand));
	json_object_set_new(o, "title", json_string(r->title));
	json_object_set_new(o, "recipient", json_string(r->recipient));
	json_object_set_new(o, "due", d->has_due ? json_string(d->due_utc) : json_null());
	json_object_set_new(o, "due_local", d->has_due ? json_string(d->due_local) : json_null());
	json_object_set_new(o, "tz", json_string(d->tz));
	json_object_set_new(o, "status", json_string(cf_dl_status_name(d->status)));
	json_object_set_new(o, "deadline", json_string(d->by_hand ? "recorded"
						       : r->soft ? "soft" : "hard"));
	json_object_set_new(o, "amount", json_integer(r->amount));
	json_object_set_new(o, "unit", json_string(r->soft ? "" : cf_unit_name(r->unit)));
	json_object_set_new(o, "seconds_left",
			    d->has_due ? json_integer(d->due - at) : json_null());
	json_object_set_new(o, "trigger", str_or_null(d->trigger));
	if (d->trigger) {
		cf_time_utc(d->trigger_at, t, sizeof(t));
		json_object_set_new(o, "trigger_at", json_string(t));
	} else {
		json_object_set_new(o, "trigger_at", json_null());
	}
	json_object_set_new(o, "notice", str_or_null(d->notice_id));
	if (d->has_sent) {
		cf_time_utc(d->sent, t, sizeof(t));
		json_object_set_new(o, "sent", json_string(t));
	} else {
		json_object_set_new(o, "sent", json_null());
	}
	json_object_set_new(o, "waiver", str_or_null(d->waiver));
	json_object_set_new(o, "source", json_string(r->source));
	json_object_set_new(o, "source_status", json_string(r->source_status));
	json_object_set_new(o, "contents", lines_array(r->contents));
	json_object_set_new(o, "pack", json_string(r->pack));
	json_object_set_new(o, "caveat", str_or_null(d->caveat));
	json_object_set_new(o, "rule_caveat", str_or_null(r->caveat));
	json_object_set_new(o, "url", str_or_null(r->url));
	json_object_set_new(o, "verified", str_or_null(r->verified));
	json_object_set_new(o, "jurisdiction", str_or_null(r->jurisdiction));
	return o;
}

static void indent_line(const char *label, const char *text)
{
	if (!text)
		return;
	printf("             %s", label);
	cf_text_put_safe(stdout, text);
	fputc('\n', stdout);
}

static int print_deadline(const struct cf_deadline *d, void *vctx)
{
	struct dl_ctx *ctx = vctx;
	const struct cf_rule *r = d->rule;
	char left[CF_TIME_LEN], sent[CF_TIME_LEN];

	if (d->status != CF_DL_NOT_OWED)
		ctx->count++;
	if (ctx->array) {
		json_array_append_new(ctx->array, deadline_json(d, ctx->at));
		return 0;
	}
	printf("%-12s ", cf_dl_status_name(d->status));
	if (d->by_hand && !*r->id)
		fputs("(a notice recorded by hand)", stdout);
	else
		cf_text_put_safe(stdout, r->id); /* from a rule file */
	if (d->has_due) {
		span(d->due - ctx->at, left, sizeof(left));
		printf("  due %s (%s)", d->due_local, d->due_utc);
		if (d->status == CF_DL_UPCOMING || d->status == CF_DL_DUE_SOON)
			printf(", in %s", left);
		else if (d->status == CF_DL_OVERDUE)
			printf(", %s ago", left);
	} else if (d->by_hand) {
		fputs("  no due time recorded", stdout);
	} else if (r->soft) {
		fputs("  soft: no fixed time, act within a reasonable period", stdout);
	} else {
		fputs("  no trigger date yet", stdout);
	}
	fputc('\n', stdout);
	if (!d->by_hand)
		indent_line("", r->title);
	indent_line("to: ", r->recipient);
	if (d->has_sent) {
		cf_time_utc(d->sent, sent, sizeof(sent));
		indent_line("sent: ", sent);
	}
	if (d->notice_id) {
		fputs("             notice: ", stdout);
		cli_put_id(stdout, d->notice_id);
		fputc('\n', stdout);
	}
	indent_line("waived: ", d->waiver);
	indent_line("note: ", d->caveat);
	indent_line("caveat: ", r->caveat);
	indent_line("source: ", *r->source ? r->source : NULL);
	return 0;
}

static int print_advisory(const struct cf_advisory *a, void *vctx)
{
	json_t *array = vctx;

	if (array) {
		json_t *o = json_object();
		json_object_set_new(o, "id", json_string(a->id));
		json_object_set_new(o, "holds",
				    a->holds < 0 ? json_null() : json_boolean(a->holds));
		json_object_set_new(o, "message", json_string(a->message));
		json_object_set_new(o, "source", str_or_null(a->source));
		json_array_append_new(array, o);
		return 0;
	}
	fputs("advisory: ", stdout);
	cf_text_put_safe(stdout, a->message);
	fputs("\n          ", stdout);
	cf_text_put_safe(stdout, a->id);
	if (a->source) {
		fputs("; ", stdout);
		cf_text_put_safe(stdout, a->source);
	}
	fputc('\n', stdout);
	return 0;
}

static int parse_at(struct cli *cli, const char *text, int64_t *at)
{
	struct cf_record c;
	struct cf_when w;
	int rc;

	if (case_get(cli->s, &c, &cli->err) < 0)
		return -1;
	rc = cf_when_parse(text, cf_record_get(&c, "tz"), &w, &cli->err);
	cf_record_release(&c);
	if (rc == 0)
		*at = w.start;
	return rc;
}

int cmd_deadlines(struct cli *cli, const struct cli_args *a)
{
	struct dl_ctx ctx = { NULL, store_now(cli->s), 0 };
	struct cf_rules *rules = NULL;
	int json = cli_flag(a, "json"), advisories_only = cli_flag(a, "advisories"), rc;
	char at[CF_TIME_LEN];

	if (cli_opt(a, "at") && parse_at(cli, cli_opt(a, "at"), &ctx.at) < 0)
		return cli_fail(cli);
	if (rules_load(&rules, &cli->err) < 0)
		return cli_fail(cli);
	if (advisories_only) {
		json_t *array = json ? json_array() : NULL;
		rc = deadline_advisories(cli->s, rules, print_advisory, array, &cli->err);
		if (rc == 0 && array)
			cli_put_json(array);
		json_decref(array);
		rules_free(rules);
		return rc < 0 ? cli_fail(cli) : EXIT_OK;
	}
	if (json)
		ctx.array = json_array();
	else {
		cf_time_utc(ctx.at, at, sizeof(at));
		printf("deadlines at %s; due times in the case zone, then in UTC\n\n", at);
	}
	rc = deadline_sync(cli->s, rules, ctx.at, print_deadline, &ctx, &cli->err);
	if (rc == 0 && json) {
		cli_put_json(ctx.array);
	} else if (rc == 0) {
		if (!ctx.count)
			puts("no notification is owed under the rule packs in force, and none is "
			     "recorded");
		fputc('\n', stdout);
		rc = deadline_advisories(cli->s, rules, print_advisory, NULL, &cli->err);
	}
	json_decref(ctx.array);
	rules_free(rules);
	return rc < 0 ? cli_fail(cli) : EXIT_OK;
}
