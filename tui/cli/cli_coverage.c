/* cli_coverage.c — `casefile rules coverage [--json]`: which jurisdictions and regimes the
 * rules loaded cover, each rule with its status and the date it was last checked, and the
 * U.S. jurisdictions (50 States, DC, PR, GU, VI) with no rule yet. */
#include "tui/cli/cli.h"

#include <jansson.h>
#include <string.h>

static json_t *rule_json(const struct cf_rule *r)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_string(r->id));
	json_object_set_new(o, "status", json_string(r->source_status));
	json_object_set_new(o, "verified", r->verified ? json_string(r->verified) : json_null());
	json_object_set_new(o, "source", json_string(r->source));
	json_object_set_new(o, "url", r->url ? json_string(r->url) : json_null());
	return o;
}

static void rule_line(const struct cf_rule *r)
{
	/* A rule file is anyone's text: its words are shown safe, padded to their columns. */
	fputs("    ", stdout);
	for (int w = cf_text_put_safe(stdout, r->id); w < 37; w++)
		fputc(' ', stdout);
	for (int w = cf_text_put_safe(stdout, r->source_status); w < 11; w++)
		fputc(' ', stdout);
	cf_text_put_safe(stdout, r->verified ? r->verified : "unchecked ");
	fputs("  ", stdout);
	cf_text_put_safe(stdout, r->title ? r->title : r->message);
	fputc('\n', stdout);
}

/* The rules of jurisdiction CODE (or, CODE NULL, of PACK without a jurisdiction): printed, or
 * added to a JSON array; their number. */
static size_t list_rules(const struct cf_rules *rules, const char *code, const char *pack,
			 json_t *array)
{
	size_t n = 0;
	for (size_t i = 0; i < rules_count(rules); i++) {
		const struct cf_rule *r = rules_at(rules, i);
		if (code ? !r->jurisdiction || strcmp(r->jurisdiction, code)
			 : r->jurisdiction || strcmp(r->pack, pack))
			continue;
		n++;
		if (array)
			json_array_append_new(array, rule_json(r));
		else
			rule_line(r);
	}
	return n;
}

static size_t count_rules(const struct cf_rules *rules, const char *code)
{
	size_t n = 0;
	for (size_t i = 0; i < rules_count(rules); i++)
		n += rules_at(rules, i)->jurisdiction &&
		     !strcmp(rules_at(rules, i)->jurisdiction, code);
	return n;
}

/* A jurisdiction code used by a rule and not among the U.S. ones, listed once each. */
static int other_jurisdiction(const struct cf_rules *rules, size_t i)
{
	const char *code = rules_at(rules, i)->jurisdiction;
	if (!code || !strncmp(code, "US-", 3))
		return 0;
	for (size_t j = 0; j < i; j++)
		if (rules_at(rules, j)->jurisdiction &&
		    !strcmp(rules_at(rules, j)->jurisdiction, code))
			return 0;
	return 1;
}

static void jurisdiction(const struct cf_rules *rules, const char *code, json_t *out)
{
	json_t *o = out ? json_object() : NULL, *array = out ? json_array() : NULL;
	size_t n = count_rules(rules, code);

	if (o) {
		json_object_set_new(o, "code", json_string(code));
		json_object_set_new(o, "name", json_string(cf_jurisdiction_name(code)));
		list_rules(rules, code, NULL, array);
		json_object_set_new(o, "rules", array);
		json_array_append_new(out, o);
		return;
	}
	if (n)
		printf("  %-6s %-22s %zu rule%s\n", code, cf_jurisdiction_name(code), n,
		       n == 1 ? "" : "s");
	else
		printf("  %-6s %-22s not covered\n", code, cf_jurisdiction_name(code));
	list_rules(rules, code, NULL, NULL);
}

int cli_rules_coverage(const struct cf_rules *rules, int json)
{
	json_t *top = json ? json_object() : NULL, *jur = json ? json_array() : NULL;
	json_t *regimes = json ? json_array() : NULL;
	size_t covered = 0, total = 0;
	const char *code, *pack, *desc;

	for (total = 0; (code = cf_us_jurisdiction_at(total)); total++)
		covered += count_rules(rules, code) > 0;
	if (!json)
		printf("U.S. jurisdictions: %zu of %zu covered\n", covered, total);
	for (size_t i = 0; (code = cf_us_jurisdiction_at(i)); i++)
		jurisdiction(rules, code, jur);
	if (!json)
		puts("\nOther jurisdictions");
	for (size_t i = 0; i < rules_count(rules); i++)
		if (other_jurisdiction(rules, i))
			jurisdiction(rules, rules_at(rules, i)->jurisdiction, jur);
	if (!json)
		puts("\nRegimes (rules of a pack that name no jurisdiction)");
	for (size_t i = 0; (pack = rules_pack_at(rules, i, &desc)); i++) {
		json_t *o = json ? json_object() : NULL, *array = json ? json_array() : NULL;
		if (!json)
			printf("  %s\n", pack);
		size_t n = list_rules(rules, NULL, pack, array);
		if (!json && !n)
			puts("    (its rules are listed by jurisdiction above)");
		if (o) {
			json_object_set_new(o, "pack", json_string(pack));
			json_object_set_new(o, "description", desc ? json_string(desc) : json_null());
			json_object_set_new(o, "rules", array);
			json_array_append_new(regimes, o);
		}
	}
	if (top) {
		json_object_set_new(top, "us_jurisdictions_covered", json_integer((json_int_t)covered));
		json_object_set_new(top, "us_jurisdictions_total", json_integer((json_int_t)total));
		json_object_set_new(top, "jurisdictions", jur);
		json_object_set_new(top, "regimes", regimes);
		cli_put_json(top);
		json_decref(top);
	}
	return EXIT_OK;
}
