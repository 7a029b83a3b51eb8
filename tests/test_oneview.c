/* test_oneview.c — notices have one truth: a seeded property test of 1,000 random edits (clock
 * dates, time zone, rule packs, estimates, notices by hand, sends, waivers, deletions, time
 * passing), after each of which the JSON of `deadlines`, `notice list`, `show` and `export
 * case` agree on every notice's due time and status, and a rule's notice records the engine's
 * due time.  The commands' own functions are called in-process (4,000 processes would be too
 * slow for make check).  CASEFILE_SEED picks another seed; CASEFILE_STEPS another length. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>
#include <sqlite3.h>

#include "tests/helpers.h"
#include "tui/cli/cli.h"

static unsigned long long rng;

static unsigned pick(unsigned n)
{
	rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned)(rng >> 33) % n;
}

/* Runs a command function with its stdout captured; returns the text (malloc'd). */
static char *run(struct cli *cli, int (*fn)(struct cli *, int, char **), int argc, ...)
{
	static int fd = -1; /* one file for every capture: a new one each time costs more */
	char path[] = "/tmp/casefile-oneview-XXXXXX", *argv[16], *text;
	int saved, rc;
	off_t len;
	va_list ap;

	va_start(ap, argc);
	for (int i = 0; i < argc; i++)
		argv[i] = va_arg(ap, char *);
	va_end(ap);
	argv[argc] = NULL;
	if (fd < 0 && (fd = mkstemp(path)) >= 0)
		unlink(path);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, 0), 0);
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	fflush(stdout);
	saved = dup(1);
	dup2(fd, 1);
	rc = fn(cli, argc, argv);
	fflush(stdout);
	dup2(saved, 1);
	close(saved);
	if (rc != 0)
		fail_msg("command %s failed: %s", argv[0], cli->err.msg);
	len = lseek(fd, 0, SEEK_CUR);
	text = calloc(1, (size_t)len + 1);
	assert_non_null(text);
	assert_int_equal(pread(fd, text, (size_t)len, 0), len);
	return text;
}

static json_t *run_json(struct cli *cli, int (*fn)(struct cli *, int, char **), int argc, ...)
{
	char *argv[4], *text;
	json_error_t e;
	json_t *j;
	va_list ap;

	va_start(ap, argc);
	for (int i = 0; i < argc; i++)
		argv[i] = va_arg(ap, char *);
	va_end(ap);
	text = argc == 1 ? run(cli, fn, 1, argv[0]) : argc == 2 ? run(cli, fn, 2, argv[0], argv[1])
								 : run(cli, fn, 3, argv[0], argv[1], argv[2]);
	j = json_loads(text, 0, &e);
	if (!j)
		fail_msg("not JSON (%s): %.200s", e.text, text);
	free(text);
	return j;
}

/* "ID -> status due" for every notice, one line each, sorted: the shape compared. */
static char *summary(json_t *notices, const char *id_key, const char *deadline_key)
{
	char *lines[512], *out;
	size_t n = 0, len = 1;
	json_t *it;
	size_t i;

	json_array_foreach(notices, i, it) {
		json_t *d = deadline_key ? json_object_get(it, deadline_key) : it;
		const char *id = json_string_value(json_object_get(it, id_key));
		const char *due = json_string_value(json_object_get(d, "due"));
		if (!id || json_is_null(d))
			continue;
		assert_true(n < 512);
		lines[n] = malloc(200);
		snprintf(lines[n], 200, "%s %s %s\n", id,
			 json_string_value(json_object_get(d, "status")), due ? due : "-");
		len += strlen(lines[n++]);
	}
	for (size_t a = 1; a < n; a++)
		for (size_t b = a; b > 0 && strcmp(lines[b - 1], lines[b]) > 0; b--) {
			char *t = lines[b];
			lines[b] = lines[b - 1];
			lines[b - 1] = t;
		}
	out = calloc(1, len);
	for (size_t k = 0; k < n; k++) {
		strcat(out, lines[k]);
		free(lines[k]);
	}
	return out;
}

static void random_date(char *buf, size_t len)
{
	static const char *const forms[] = { "2026-%02d-%02d", "2026-%02d-%02dT%02d:30Z",
					     "2026-%02d-%02dT%02d:00:00-05:00" };
	snprintf(buf, len, forms[pick(3)], 10 + pick(3), 1 + pick(28), pick(24));
}

/* A random record of the kind FN lists into ID ("" when none); returns how many there are. */
static size_t some_record(struct cli *cli, int (*fn)(struct cli *, int, char **),
			  char id[CF_ID_LEN + 1])
{
	json_t *list = run_json(cli, fn, 2, "list", "--json");
	size_t n = json_array_size(list);

	id[0] = '\0';
	if (n)
		snprintf(id, CF_ID_LEN + 1, "%s",
			 json_string_value(json_object_get(json_array_get(list, pick((unsigned)n)),
							   "id")));
	json_decref(list);
	return n;
}

/* The case stays small (a dozen of each kind: what grows is removed again), so that each
 * step costs the same and 1,000 of them fit the time make check has. */
#define FEW 12

/* One random edit, through the commands. */
static void step(struct cli *cli, int64_t *now)
{
	static const char *const clocks[] = { "--discovered", "--major-basis", "--aware",
					      "--breach-determined" };
	static const char *const zones[] = { "UTC", "America/New_York", "Asia/Tokyo",
					     "Europe/Berlin" };
	static const char *const packs[] = { "federal", "federal,gdpr", "hipaa", "gdpr,hipaa",
					     "none" };
	char date[64], num[32], id[CF_ID_LEN + 1], iso[32];
	char *out = NULL;

	random_date(date, sizeof(date));
	switch (pick(12)) {
	case 0: case 1: case 2:
		out = run(cli, cmd_case, 3, "edit", clocks[pick(4)], date);
		break;
	case 3:
		out = run(cli, cmd_case, 3, "edit", "--tz", zones[pick(4)]);
		break;
	case 4:
		out = run(cli, cmd_case, 3, "edit", "--rule-packs", packs[pick(5)]);
		break;
	case 5:
		if (some_record(cli, cmd_estimate, id) >= FEW) {
			out = run(cli, cmd_estimate, 2, "rm", id);
			break;
		}
		snprintf(num, sizeof(num), "%u", pick(3) * 400 + pick(200000));
		out = run(cli, cmd_estimate, 7, "add", "people", "people", "2026-11-01", "--best",
			  num, pick(2) ? "--low=1" : "--low=2");
		break;
	case 6:
		if (some_record(cli, cmd_notice, id) >= FEW) {
			out = run(cli, cmd_notice, 2, "rm", id);
			break;
		}
		out = pick(4) ? run(cli, cmd_notice, 4, "add", "FBI field office", "--due", date)
			      : run(cli, cmd_notice, 2, "add", "State attorney general");
		break;
	case 7: case 8:
		some_record(cli, cmd_notice, id);
		if (!*id)
			break;
		switch (pick(5)) {
		case 0: out = run(cli, cmd_notice, 4, "edit", id, "--sent", date); break;
		case 1: out = run(cli, cmd_notice, 6, "edit", id, "--status", "waived",
				  "--waiver", "counsel: not owed"); break;
		case 2: out = run(cli, cmd_notice, 4, "edit", id, "--status", "sent"); break;
		case 3: out = run(cli, cmd_notice, 4, "edit", id, "--due", date); break;
		default: out = run(cli, cmd_notice, 4, "edit", id, "--status", "pending"); break;
		}
		break;
	case 9:
		some_record(cli, cmd_notice, id);
		if (*id)
			out = run(cli, cmd_notice, 2, "rm", id);
		break;
	case 10:
		if (some_record(cli, cmd_event, id) >= FEW) {
			out = run(cli, cmd_event, 2, "rm", id);
			break;
		}
		out = run(cli, cmd_event, 5, "add", date, "found it", "--kind", "discovery");
		break;
	default: /* time passes: from hours to weeks */
		*now += (int64_t)pick(400) * 3600;
		cf_time_utc(*now, iso, sizeof(iso));
		setenv("CASEFILE_NOW", iso, 1);
		break;
	}
	free(out);
}

/* A rule's notice records the engine's due time, kept current by every change (checked
 * before `deadlines`, which would bring it up to date itself). */
static void check_recorded(struct cli *cli, unsigned long long seed, int n)
{
	json_t *list = run_json(cli, cmd_notice, 2, "list", "--json"), *it;
	size_t i;

	json_array_foreach(list, i, it) {
		json_t *dd = json_object_get(it, "deadline");
		const char *want = json_string_value(json_object_get(dd, "due_local"));
		const char *have = json_string_value(json_object_get(it, "due"));
		if (json_is_true(json_object_get(dd, "by_hand")))
			continue;
		if ((want == NULL) != (have == NULL) || (want && strcmp(want, have) != 0))
			fail_msg("seed %llu step %d: notice %s records due %s, the engine says %s",
				 seed, n, json_string_value(json_object_get(it, "id")),
				 have ? have : "none", want ? want : "none");
	}
	json_decref(list);
}

static void check_agree(struct cli *cli, unsigned long long seed, int n)
{
	json_t *dl = run_json(cli, cmd_deadlines, 1, "--json");
	json_t *list = run_json(cli, cmd_notice, 2, "list", "--json");
	json_t *show = run_json(cli, cmd_show, 1, "--json");
	json_t *exp = run_json(cli, cmd_export, 1, "case");
	char *d = summary(dl, "notice", NULL), *l = summary(list, "id", "deadline");
	char *s = summary(json_object_get(show, "notices"), "id", "deadline");
	char *e = summary(json_object_get(exp, "notices"), "id", "deadline");
	if (strcmp(d, l) || strcmp(d, s) || strcmp(d, e))
		fail_msg("seed %llu step %d: views disagree\ndeadlines:\n%s\nnotice list:\n%s\n"
			 "show:\n%s\nexport case:\n%s", seed, n, d, l, s, e);
	free(d);
	free(l);
	free(s);
	free(e);
	json_decref(dl);
	json_decref(list);
	json_decref(show);
	json_decref(exp);
}

static void test_every_view_agrees_after_every_edit(void **state)
{
	const char *seed_env = getenv("CASEFILE_SEED"), *steps_env = getenv("CASEFILE_STEPS");
	unsigned long long seed = seed_env ? strtoull(seed_env, NULL, 10) : 14;
	int steps = steps_env ? atoi(steps_env) : 1000;
	struct cf_case_init ci = { .title = "one truth", .tz = "America/New_York" };
	struct cli cli;
	char dir[512];
	int64_t now = 1795000000; /* 2026-11-18 */
	char iso[32];
	(void)state;

	rng = seed;
	snprintf(dir, sizeof(dir), "%s/store/deadline/rules",
		 getenv("CASEFILE_SRC") ? getenv("CASEFILE_SRC") : ".");
	setenv("CASEFILE_RULES_DIR", dir, 1);
	tmpdir(dir, sizeof(dir));
	memset(&cli, 0, sizeof(cli));
	cf_time_utc(now, iso, sizeof(iso));
	setenv("CASEFILE_NOW", iso, 1);
	assert_int_equal(store_create(dir, &ci, "Test <t@x>", &cli.s, &cli.err), 0);
	snprintf(cli.dir, sizeof(cli.dir), "%s", dir);
	/* Durability is not what is tested: without fsync the 1,000 steps take seconds. */
	assert_int_equal(sqlite3_exec(store_db(cli.s), "PRAGMA synchronous = OFF", 0, 0, 0), 0);
	for (int n = 0; n < steps; n++) {
		step(&cli, &now);
		check_recorded(&cli, seed, n);
		check_agree(&cli, seed, n);
	}
	store_close(cli.s);
	rmtree(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_view_agrees_after_every_edit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
