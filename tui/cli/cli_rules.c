/* cli_rules.c — the deadline commands: `rules` (packs and rules, enable/disable per case) and
 * `deadlines` (what is owed, by when, with its status; keeps the notice records up to date). */
#include "tui/cli/cli.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* "1 hour", "7 calendar days", "without a fixed time" */
static void within_text(const struct cf_rule *r, char *buf, size_t len)
{
	const char *unit = cf_unit_name(r->unit);
	if (r->soft || r->unit == CF_U_NONE) {
		snprintf(buf, len, "soft: no fixed time");
		return;
	}
	if (r->amount == 1)
		snprintf(buf, len, "1 %.*s", (int)strlen(unit) - 1, unit);
	else
		snprintf(buf, len, "%d %s", r->amount, unit);
}

static void trigger_text(const struct cf_rule *r, char *buf, size_t len)
{
	buf[0] = '\0';
	for (size_t i = 0; i < r->ntriggers; i++) {
		size_t n = strlen(buf);
		snprintf(buf + n, len - n, "%s%s", i ? " or " : "", r->triggers[i]);
	}
}

static int load_rules(struct cli *cli, struct cf_rules **rules)
{
	char shipped[PATH_MAX], user[PATH_MAX];

	if (rules_load(rules, &cli->err) < 0)
		return cli_fail(cli);
	if (rules_count(*rules) == 0) {
		rules_dirs(shipped, sizeof(shipped), user, sizeof(user));
		fputs("casefile: no rule packs found in ", stderr);
		cf_text_put_safe(stderr, shipped);
		if (user[0]) {
			fputs(" or ", stderr);
			cf_text_put_safe(stderr, user);
		}
		fputs(" (set CASEFILE_RULES_DIR to a source tree's store/deadline/rules, or make install)\n",
		      stderr);
	}
	return 0;
}

/* The case's packs in force, or NULL when no case is at hand (rules work without one). */
static char *case_packs(struct cli *cli)
{
	struct cf_record c;
	char *out = NULL;
	const char *dir = cli->dir_opt ? cli->dir_opt : getenv("CASEFILE_DIR");

	if (!cli->s) {
		if (!(dir && *dir) && store_find_dir(".", cli->dir, sizeof(cli->dir), NULL) < 0)
			return NULL;
		if (cli_open_case(cli) != 0)
			return NULL;
	}
	if (case_get(cli->s, &c, NULL) == 0) {
		const char *p = cf_record_get(&c, "rule_packs");
		out = xstrdup(p ? p : "federal");
	}
	cf_record_release(&c);
	return out;
}

static int has_pack(const char *list, const char *pack)
{
	size_t n = strlen(pack);
	for (const char *p = list; p && *p;) {
		while (*p == ',' || *p == ' ')
			p++;
		const char *e = p + strcspn(p, ", ");
		if ((size_t)(e - p) == n && strncmp(p, pack, n) == 0)
			return 1;
		p = e;
	}
	return 0;
}

static int rules_list(struct cli *cli, const struct cf_rules *rules)
{
	char *packs = case_packs(cli), within[64];
	const char *name, *desc;

	for (size_t i = 0; (name = rules_pack_at(rules, i, &desc)); i++) {
		printf("%s ", packs && has_pack(packs, name) ? "*" : " ");
		cf_text_put_safe(stdout, name);
		if (desc) {
			fputs("  ", stdout);
			cf_text_put_safe(stdout, desc);
		}
		fputc('\n', stdout);
		for (size_t j = 0; j < rules_count(rules); j++) {
			const struct cf_rule *r = rules_at(rules, j);
			if (strcmp(r->pack, name) != 0)
				continue;
			within_text(r, within, sizeof(within));
			fputs("    ", stdout);
			for (int w = cf_text_put_safe(stdout, r->id); w < 33; w++)
				fputc(' ', stdout); /* a column of 32, and a space */
			if (r->type == CF_RULE_ADVISORY)
				printf("%-22s ", "advisory");
			else
				printf("%-22s ", within);
			cf_text_put_safe(stdout, r->title ? r->title : r->message);
			fputc('\n', stdout);
		}
	}
	if (packs) {
		fputc('\n', stdout);
		cf_text_printf_safe(stdout, "* in force for this case (rule_packs: %s)", packs);
		fputc('\n', stdout);
	}
	free(packs);
	return EXIT_OK;
}

static void field(const char *label, const char *value)
{
	if (!value)
		return;
	printf("%-11s ", label);
	for (const char *p = value; *p; p++) {
		size_t n = strcspn(p, "\n");
		char *part = xstrndup(p, n);
		if (p != value)
			printf("\n%-11s ", "");
		cf_text_put_safe(stdout, part);
		free(part);
		p += n;
		if (!*p)
			break;
	}
	fputc('\n', stdout);
}

static int rules_show(struct cli *cli, const struct cf_rules *rules, const char *id)
{
	const struct cf_rule *r = rules_find(rules, id);
	char buf[CF_PHRASE_LEN], where[PATH_MAX + CF_PATH_EXTRA];

	if (!r) {
		cf_error(&cli->err, CF_ENOTFOUND, "no rule '%s' (see casefile rules list)", id);
		return cli_fail(cli);
	}
	field("id", r->id);
	field("type", r->type == CF_RULE_ADVISORY ? "advisory" : r->soft ? "soft deadline"
									: "hard deadline");
	field("title", r->title);
	if (r->type == CF_RULE_DEADLINE) {
		trigger_text(r, buf, sizeof(buf));
		field("trigger", buf);
		within_text(r, buf, sizeof(buf));
		field("within", buf);
		if (r->due_minute >= 0 || r->due_zone) {
			char at[CF_TIME_LEN] = "23:59";
			if (r->due_minute >= 0)
				snprintf(at, sizeof(at), "%02d:%02d", r->due_minute / 60,
					 r->due_minute % 60);
			snprintf(buf, sizeof(buf), "%s %s", at,
				 r->due_zone ? r->due_zone : "(case zone)");
			field("due at", buf);
		}
		field("calendar", r->calendar);
		field("recipient", r->recipient);
	}
	field("jurisdiction", r->jurisdiction);
	for (size_t i = 0; i < r->nconds; i++)
		field(i ? "and" : "condition", r->conds[i].text);
	field("message", r->message);
	field("otherwise", r->otherwise);
	field("contents", r->contents);
	field("source", r->source);
	field("status", r->source_status);
	field("url", r->url);
	field("verified", r->verified);
	field("caveat", r->caveat);
	field("note", r->note);
	snprintf(where, sizeof(where), "%s:%d", r->file, r->line);
	field("file", where);
	return EXIT_OK;
}

/* Adds or removes PACK in the case's rule_packs, through case_set (an operation). */
static int rules_toggle(struct cli *cli, const struct cf_rules *rules, const char *pack,
			int enable)
{
	char *packs, out[CF_LINE_LEN] = "";
	int rc;

	if (enable && !rules_has_pack(rules, pack)) {
		cf_error(&cli->err, CF_ENOTFOUND, "no rule pack '%s' (see casefile rules list)",
			 pack);
		return cli_fail(cli);
	}
	if (!cli->s && cli_open_case(cli) != 0)
		return EXIT_FAIL;
	if (!(packs = case_packs(cli)))
		return cli_fail(cli);
	for (const char *p = packs; *p;) {
		while (*p == ',' || *p == ' ')
			p++;
		size_t n = strcspn(p, ", ");
		/* drop PACK itself, and "none" (what disabling the last pack leaves) */
		if (n && !(n == strlen(pack) && strncmp(p, pack, n) == 0) &&
		    !(n == 4 && strncmp(p, "none", 4) == 0) &&
		    strlen(out) + n + 2 < sizeof(out)) {
			if (out[0])
				strcat(out, ",");
			strncat(out, p, n);
		}
		p += n;
	}
	if (enable && strlen(out) + strlen(pack) + 2 < sizeof(out)) {
		if (out[0])
			strcat(out, ",");
		strcat(out, pack);
	}
	free(packs);
	/* An empty list means no pack at all, which is not the same as unset (federal). */
	rc = case_set(cli->s, "rule_packs", out[0] ? out : "none", &cli->err);
	if (rc < 0)
		return cli_fail(cli);
	cf_text_printf_safe(stdout, "rule packs in force: %s", out[0] ? out : "none");
	fputc('\n', stdout);
	return EXIT_OK;
}

int cmd_rules_check(struct cli *cli, const struct cli_args *a)
{
	for (int i = 0; i < a->argc; i++) {
		struct cf_rules *one;
		if (rules_load_file(a->argv[i], &one, &cli->err) < 0)
			return cli_fail(cli);
		cf_text_printf_safe(stdout, "%s: %zu rules, ok", a->argv[i], rules_count(one));
		fputc('\n', stdout);
		rules_free(one);
	}
	return EXIT_OK;
}

/* Loads the rule packs, then runs the verb: list, show, enable or disable. */
static int with_rules(struct cli *cli, const struct cli_args *a)
{
	struct cf_rules *rules = NULL;
	const char *verb = a->verb->name;
	int rc;

	if ((rc = load_rules(cli, &rules)) != 0)
		return rc;
	if (!strcmp(verb, "list"))
		rc = rules_list(cli, rules);
	else if (!strcmp(verb, "coverage"))
		rc = cli_rules_coverage(rules, cli_flag(a, "json"));
	else if (!strcmp(verb, "show"))
		rc = rules_show(cli, rules, a->argv[0]);
	else
		rc = rules_toggle(cli, rules, a->argv[0], verb[0] == 'e');
	rules_free(rules);
	return rc;
}

int cmd_rules_list(struct cli *cli, const struct cli_args *a)
{
	return with_rules(cli, a);
}

int cmd_rules_show(struct cli *cli, const struct cli_args *a)
{
	return with_rules(cli, a);
}

int cmd_rules_enable(struct cli *cli, const struct cli_args *a)
{
	return with_rules(cli, a);
}

int cmd_rules_coverage(struct cli *cli, const struct cli_args *a)
{
	return with_rules(cli, a);
}
