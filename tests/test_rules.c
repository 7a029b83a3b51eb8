/* test_rules.c — rule files (casefile-rules(5)): every shipped pack loads, a malformed file
 * fails with FILE:LINE and loads nothing, user rules override shipped ones by id. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "store/store.h"
#include "tests/helpers.h"

static const char *shipped_dir(void)
{
	static char dir[1024];
	const char *src = getenv("CASEFILE_SRC");
	snprintf(dir, sizeof(dir), "%s/store/deadline/rules", src && *src ? src : ".");
	return dir;
}

/* A fresh directory (under tmpdir's parent) holding FILE with TEXT. */
static void write_file(const char *dir, const char *name, const char *text)
{
	char path[600];
	FILE *f;

	mkdir(dir, 0700);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static const char good[] =
	"pack = test\n"
	"description = a test pack\n"
	"  continued\n"
	"\n"
	"[rule notify-2h]\n"
	"title = Notify in two hours\n"
	"trigger = major_determined, event:discovery\n"
	"within = 2 hours\n"
	"recipient = someone\n"
	"recipient = someone else\n"
	"condition = people.high >= 500\n"
	"contents = one\n"
	"contents = two,\n"
	"  continued\n"
	"source = a law\n"
	"status = official\n";

static void test_shipped_packs_load_with_demo_rule_ids(void **state)
{
	const char *dirs[] = { shipped_dir() };
	static const char *const packs[] = { "federal", "gdpr", "hipaa", "sec", "nydfs",
					     "us-states", "dfars", "circia", NULL };
	struct cf_rules *rules;
	struct cf_err err;

	(void)state;
	assert_int_equal(rules_load_dirs(dirs, 1, &rules, &err), 0);
	for (size_t i = 0; packs[i]; i++)
		assert_true(rules_has_pack(rules, packs[i]));
	assert_non_null(rules_find(rules, "federal.cisa-1h"));
	assert_non_null(rules_find(rules, "federal.congress-7d"));
	const struct cf_rule *r = rules_find(rules, "federal.breach-report-30d");
	assert_non_null(r);
	assert_int_equal(r->amount, 30);
	assert_int_equal(r->unit, CF_U_DAYS);
	assert_non_null(strstr(r->contents, "(4)"));
	assert_non_null(strstr(r->recipient, "Judiciary"));
	assert_true(rules_find(rules, "federal.congress-supplemental")->soft);
	rules_free(rules);
}

/* Every shipped rule says where it comes from, how that was checked and when: a rule that
 * loses its source, status or verified date fails here. */
static void test_every_shipped_rule_has_source_status_and_date(void **state)
{
	const char *dirs[] = { shipped_dir() };
	struct cf_rules *rules;
	struct cf_err err;

	(void)state;
	assert_int_equal(rules_load_dirs(dirs, 1, &rules, &err), 0);
	assert_true(rules_count(rules) > 30);
	for (size_t i = 0; i < rules_count(rules); i++) {
		const struct cf_rule *r = rules_at(rules, i);
		const char *st = r->source_status;
		if (!r->source || strlen(r->source) < 8)
			fail_msg("%s: no source", r->id);
		if (strcmp(st, "official") && strcmp(st, "secondary") && strcmp(st, "proposed"))
			fail_msg("%s: status '%s' (official, secondary or proposed)", r->id, st);
		if (!r->verified)
			fail_msg("%s: no verified date", r->id);
		if (r->url && strncmp(r->url, "https://", 8) && strncmp(r->url, "http://", 7))
			fail_msg("%s: url '%s' is not a web address", r->id, r->url);
		/* A State's rule counts that State's residents. */
		if (!strcmp(r->pack, "us-states") && (!r->jurisdiction ||
						      strncmp(r->jurisdiction, "US-", 3)))
			fail_msg("%s: no U.S. jurisdiction", r->id);
	}
	/* Closure days of the federal calendar carry their source. */
	assert_non_null(strstr(rules_closure(rules, "us-federal-closures", "2025-01-09"),
			       "Executive Order 14133"));
	assert_null(rules_closure(rules, "us-federal-closures", "2025-01-10"));
	rules_free(rules);
}

static const char keyed[] =
	"pack = test\n"
	"[calendar closed-days]\n"
	"closed = 2025-01-09 Executive Order 14133\n"
	"[rule filing]\n"
	"title = File\n"
	"trigger = materiality_determined\n"
	"within = 4 business days\n"
	"due_time = 17:30\n"
	"due_zone = America/New_York\n"
	"calendar = closed-days\n"
	"jurisdiction = US-TX\n"
	"recipient = someone\n"
	"source = a rule\n"
	"url = https://example.org/rule\n"
	"status = proposed\n"
	"verified = 2026-12-04\n"
	"caveat = read it twice\n"
	"condition = residents.high > 500\n";

static void test_due_time_zone_calendar_and_provenance_keys(void **state)
{
	char dir[256];
	struct cf_rules *rules;
	struct cf_err err;

	(void)state;
	tmpdir(dir, sizeof(dir));
	write_file(dir, "test.rules", keyed);
	const char *dirs[] = { dir };
	assert_int_equal(rules_load_dirs(dirs, 1, &rules, &err), 0);
	const struct cf_rule *r = rules_find(rules, "test.filing");
	assert_int_equal(r->due_minute, 17 * 60 + 30);
	assert_string_equal(r->due_zone, "America/New_York");
	assert_string_equal(r->calendar, "closed-days");
	assert_string_equal(r->jurisdiction, "US-TX");
	assert_string_equal(r->url, "https://example.org/rule");
	assert_string_equal(r->source_status, "proposed");
	assert_string_equal(r->verified, "2026-12-04");
	assert_string_equal(r->caveat, "read it twice");
	assert_int_equal(r->conds[0].var, CF_V_RESIDENTS_HIGH);
	assert_string_equal(rules_closure(rules, "closed-days", "2025-01-09"),
			    "Executive Order 14133");
	assert_string_equal(cf_jurisdiction_name("US-VI"), "U.S. Virgin Islands");
	size_t n = 0;
	while (cf_us_jurisdiction_at(n))
		n++;
	assert_int_equal(n, 54);
	rules_free(rules);
	rmtree(dir);
}

static void test_rule_keys_parse(void **state)
{
	char dir[256];
	struct cf_rules *rules;
	struct cf_err err;

	(void)state;
	tmpdir(dir, sizeof(dir));
	write_file(dir, "test.rules", good);
	const char *dirs[] = { dir };
	assert_int_equal(rules_load_dirs(dirs, 1, &rules, &err), 0);
	const struct cf_rule *r = rules_find(rules, "test.notify-2h");
	assert_non_null(r);
	assert_int_equal(r->ntriggers, 2);
	assert_string_equal(r->triggers[1], "event:discovery");
	assert_int_equal(r->unit, CF_U_HOURS);
	assert_int_equal(r->amount, 2);
	assert_string_equal(r->recipient, "someone; someone else");
	assert_string_equal(r->contents, "one\ntwo, continued");
	assert_int_equal(r->nconds, 1);
	assert_int_equal(r->conds[0].var, CF_V_PEOPLE_HIGH);
	assert_int_equal(r->conds[0].op, CF_OP_GE);
	assert_int_equal(r->conds[0].value, 500);
	assert_int_equal(r->line, 5);
	const char *desc;
	assert_string_equal(rules_pack_at(rules, 0, &desc), "test");
	assert_string_equal(desc, "a test pack continued");
	rules_free(rules);
	rmtree(dir);
}

struct bad_case {
	const char *text;
	int line;
	const char *words;
};

static void test_malformed_file_names_line_and_loads_nothing(void **state)
{
	static const struct bad_case bad[] = {
		{ "pack = t\n[rule a]\ntitle = x\ntrigger = someday\n", 4, "unknown trigger" },
		{ "pack = t\n[rule a]\nwithin = 3 fortnights\n", 3, "within" },
		{ "pack = t\n[rule a]\ncondition = people.high => 5\n", 3, "condition" },
		{ "pack = t\n[rule a]\ncondition = people.high >= 1,000\n", 3, "whole number" },
		{ "pack = t\n[rule a]\ncondition = pets >= 3\n", 3, "unknown variable" },
		{ "pack = t\n[rule a]\ncolour = red\n", 3, "unknown key" },
		{ "pack = t\n[rule a]\ntitle = x\n\ntitle = y\n", 5, "twice" },
		{ "pack = t\n\n[rule a]\ntitle = x\ntrigger = aware\nrecipient = r\n"
		  "source = s\n", 3, "'within'" },
		{ "pack = t\n[rule a]\ntitle = x\ntrigger = aware\nrecipient = r\nsource = s\n"
		  "deadline = soft\nwithin = 2 days\n", 2, "soft" },
		{ "[rule a]\n", 1, "pack" },
		{ "pack = t\njust words\n", 2, "key = value" },
		{ "pack = t\n[rule Bad Name]\n", 2, "bad name" },
		{ "pack = t\n[rule a]\ndeadline = firm\n", 3, "hard or soft" },
		{ "pack = t\n[rule a]\ntitle =\n", 3, "no value" },
		{ "pack = t\n[rule a]\ndue_time = 25:00\n", 3, "HH:MM" },
		{ "pack = t\n[rule a]\ndue_time = 5:30pm\n", 3, "HH:MM" },
		{ "pack = t\n[rule a]\ndue_zone = Eastern\n", 3, "zone database" },
		{ "pack = t\n[rule a]\ndue_zone = Mars/Olympus\n", 3, "zone database" },
		{ "pack = t\n[rule a]\nverified = 2026-02-30\n", 3, "YYYY-MM-DD" },
		{ "pack = t\n[rule a]\nstatus = rumoured\n", 3, "proposed" },
		{ "pack = t\n[rule a]\njurisdiction = Texas\n", 3, "US-TX" },
		{ "pack = t\n[rule a]\njurisdiction = US-TX\njurisdiction = US-CO\n", 4, "twice" },
		{ "pack = t\n[rule a]\ntitle = x\ntrigger = aware\nwithin = 72 hours\n"
		  "due_time = 17:30\nrecipient = r\nsource = s\n", 2, "counted in days" },
		{ "pack = t\n[calendar c]\nclosed = tomorrow EO 1\n", 3, "YYYY-MM-DD" },
		{ "pack = t\n[calendar c]\nclosed = 2025-01-09\n", 3, "source" },
		{ "pack = t\n[calendar c]\nclosed = 2025-01-09 EO\nclosed = 2025-01-09 EO\n", 4,
		  "twice" },
		{ "pack = t\n[calendar c]\nopen = 2025-01-09 EO\n", 3, "unknown key" },
		{ "pack = t\n[calendar c]\nholiday = 13-01 Thirteenth month\n", 3, "MM-DD NAME" },
		{ "pack = t\n[calendar c]\nholiday = 02-30 No such day\n", 3, "MM-DD NAME" },
		{ "pack = t\n[calendar c]\nholiday = fifth monday of may X\n", 3, "WEEKDAY of" },
		{ "pack = t\n[calendar c]\nholiday = first funday of may X\n", 3, "WEEKDAY of" },
		{ "pack = t\n[calendar c]\nholiday = 08-16\n", 3, "name and source" },
		{ "pack = t\n[calendar c]\nholidays = state\n", 3, "'federal' or 'none'" },
		{ "pack = t\n[rule a]\ntrigger = sent:nothing\n", 3, "sent:PACK.RULE" },
		{ "pack = t\n[rule a]\ntitle = x\ntrigger = sent:t.b\nwithin = 1 month\n"
		  "recipient = r\nsource = s\n", 2, "no rule t.b" },
		{ "pack = t\n[rule a]\ntitle = x\ntrigger = aware\nwithin = 1 day\n"
		  "calendar = nowhere\nrecipient = r\nsource = s\n", 2, "not defined" },
		/* Lines keep counting across sections. */
		{ "pack = t\n[rule a]\ntitle = x\ntrigger = aware\nwithin = 1 hour\nrecipient = r\n"
		  "source = s\n\n[rule b]\ntitle = y\ncolour = red\n", 11, "unknown key" },
		{ "pack = t\n[rule a]\ntitle = x\ntrigger = aware\nwithin = 1 hour\nrecipient = r\n"
		  "source = s\n[advisory b]\nmessage = m\nsource = s\n[rule c]\n", 8,
		  "'condition'" },
	};
	char dir[256], want[700];
	struct cf_rules *rules;
	struct cf_err err;

	(void)state;
	tmpdir(dir, sizeof(dir));
	write_file(dir, "a-good.rules", good); /* read first, so a failure must drop it again */
	const char *dirs[] = { dir };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		write_file(dir, "b-bad.rules", bad[i].text);
		rules = (struct cf_rules *)&err; /* must come back NULL */
		memset(&err, 0, sizeof(err));
		assert_int_equal(rules_load_dirs(dirs, 1, &rules, &err), CF_EINVAL);
		assert_null(rules);
		snprintf(want, sizeof(want), "%s/b-bad.rules:%d: ", dir, bad[i].line);
		if (strncmp(err.msg, want, strlen(want)) != 0 || !strstr(err.msg, bad[i].words))
			fail_msg("case %zu: got '%s', want '%s...%s'", i, err.msg, want,
				 bad[i].words);
	}
	rmtree(dir);
}

/* A NUL byte once passed unseen (the line was cut there) and a line without end was read
 * whole into memory: both are errors naming the file and line. */
static void test_nul_byte_and_endless_line_name_the_line(void **state)
{
	static const char nul[] = "pack = t\n[rule a]\ntitle = x\0y\n";
	char dir[256], path[600], line[5000];
	struct cf_rules *rules;
	struct cf_err err;
	const char *dirs[1];
	FILE *f;

	(void)state;
	tmpdir(dir, sizeof(dir));
	dirs[0] = dir;
	write_file(dir, "n.rules", "");
	snprintf(path, sizeof(path), "%s/n.rules", dir);
	assert_non_null(f = fopen(path, "w"));
	assert_int_equal(fwrite(nul, 1, sizeof(nul) - 1, f), sizeof(nul) - 1);
	fclose(f);
	assert_int_equal(rules_load_dirs(dirs, 1, &rules, &err), CF_EINVAL);
	assert_non_null(strstr(err.msg, "n.rules:3: a NUL byte"));
	memset(line, 'a', sizeof(line) - 1);
	line[sizeof(line) - 1] = '\0';
	assert_non_null(f = fopen(path, "w"));
	fprintf(f, "pack = t\n# %s\n", line);
	fclose(f);
	assert_int_equal(rules_load_dirs(dirs, 1, &rules, &err), CF_EINVAL);
	assert_non_null(strstr(err.msg, "n.rules:2: line longer than"));
	rmtree(dir);
}

static void test_duplicate_id_in_one_directory_is_an_error(void **state)
{
	char dir[256];
	struct cf_rules *rules;
	struct cf_err err;

	(void)state;
	tmpdir(dir, sizeof(dir));
	write_file(dir, "a.rules", good);
	write_file(dir, "b.rules", good);
	const char *dirs[] = { dir };
	assert_int_equal(rules_load_dirs(dirs, 1, &rules, &err), CF_EINVAL);
	assert_null(rules);
	assert_non_null(strstr(err.msg, "b.rules:5: 'test.notify-2h' is already defined at"));
	rmtree(dir);
}

static void test_user_rule_overrides_shipped_rule(void **state)
{
	char dir[256];
	struct cf_rules *rules;
	struct cf_err err;

	(void)state;
	tmpdir(dir, sizeof(dir));
	write_file(dir, "mine.rules",
		   "pack = federal\n[rule congress-7d]\ntitle = Mine\ntrigger = aware\n"
		   "within = 5 business days\nrecipient = r\nsource = my counsel\n");
	const char *dirs[] = { shipped_dir(), dir };
	assert_int_equal(rules_load_dirs(dirs, 2, &rules, &err), 0);
	const struct cf_rule *r = rules_find(rules, "federal.congress-7d");
	assert_string_equal(r->title, "Mine");
	assert_int_equal(r->unit, CF_U_BUSINESS_DAYS);
	assert_non_null(rules_find(rules, "federal.cisa-1h"));
	rules_free(rules);

	setenv("CASEFILE_RULES_DIR", shipped_dir(), 1);
	char parent[256];
	snprintf(parent, sizeof(parent), "%s", dir);
	*strrchr(parent, '/') = '\0';
	char cfg[300], rdir[320];
	snprintf(cfg, sizeof(cfg), "%s/cfg", parent);
	snprintf(rdir, sizeof(rdir), "%s/casefile", cfg);
	mkdir(cfg, 0700);
	mkdir(rdir, 0700);
	strcat(rdir, "/rules");
	write_file(rdir, "mine.rules",
		   "pack = federal\n[rule congress-7d]\ntitle = From XDG\ntrigger = aware\n"
		   "within = 1 hour\nrecipient = r\nsource = s\n");
	setenv("XDG_CONFIG_HOME", cfg, 1);
	assert_int_equal(rules_load(&rules, &err), 0);
	assert_string_equal(rules_find(rules, "federal.congress-7d")->title, "From XDG");
	rules_free(rules);
	unsetenv("XDG_CONFIG_HOME");
	rmtree(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shipped_packs_load_with_demo_rule_ids),
		cmocka_unit_test(test_rule_keys_parse),
		cmocka_unit_test(test_every_shipped_rule_has_source_status_and_date),
		cmocka_unit_test(test_due_time_zone_calendar_and_provenance_keys),
		cmocka_unit_test(test_malformed_file_names_line_and_loads_nothing),
		cmocka_unit_test(test_nul_byte_and_endless_line_name_the_line),
		cmocka_unit_test(test_duplicate_id_in_one_directory_is_an_error),
		cmocka_unit_test(test_user_rule_overrides_shipped_rule),
	};
	return cmocka_run_group_tests_name("rules", tests, NULL, NULL);
}
