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

#include "export/export.h"
#include "tests/helpers.h"
#include "tui/cli/cli.h"

static unsigned long long rng;

static unsigned pick(unsigned n)
{
	rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned)(rng >> 33) % n;
}

/* The command table lives in tui/cli/main.c, the program's own file: none is looked up here. */
const struct command cli_commands[] = { { NULL, 0, 0, NULL, NULL } };

/* The commands' run functions take their parsed command line: a verb with --json only. */
static const struct cli_opt json_opt[] = { { .name = "json", .help = "" }, { .name = NULL } };
static const struct cli_verb json_verb = { .name = "list", .args = "", .help = "", .opts = json_opt };

/* Runs the command function FN (kind KIND, --json) with its stdout captured; its JSON. */
static json_t *run_json(struct cli *cli, int (*fn)(struct cli *, const struct cli_args *),
			int kind)
{
	static int fd = -1; /* one file for every capture: a new one each time costs more */
	char path[] = "/tmp/casefile-oneview-XXXXXX", *text;
	struct cli_args a;
	json_error_t e;
	json_t *j;
	int saved, rc;
	off_t len;

	memset(&a, 0, sizeof(a));
	a.verb = &json_verb;
	a.kind = kind;
	a.opt[0] = "";
	if (fd < 0 && (fd = mkstemp(path)) >= 0)
		unlink(path);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, 0), 0);
	assert_int_equal(lseek(fd, 0, SEEK_SET), 0);
	fflush(stdout);
	saved = dup(1);
	dup2(fd, 1);
	rc = fn(cli, &a);
	fflush(stdout);
	dup2(saved, 1);
	close(saved);
	if (rc != 0)
		fail_msg("command failed: %s", cli->err.msg);
	len = lseek(fd, 0, SEEK_CUR);
	text = calloc(1, (size_t)len + 1);
	assert_non_null(text);
	assert_int_equal(pread(fd, text, (size_t)len, 0), len);
	j = json_loads(text, 0, &e);
	if (!j)
		fail_msg("not JSON (%s): %.200s", e.text, text);
	free(text);
	return j;
}

/* `export case` as the command writes it (export_write, the sitrep profile). */
static json_t *export_case(struct cli *cli)
{
	struct export_opts o = { .kind = EXPORT_CASE, .profile = EXPORT_SITREP,
				 .format = EXPORT_JSON };
	char *text = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);
	json_error_t e;
	json_t *j;

	assert_non_null(mem);
	if (export_write(cli->s, &o, mem, NULL, &cli->err) < 0)
		fail_msg("export case: %s", cli->err.msg);
	fclose(mem);
	j = json_loads(text, 0, &e);
	free(text);
	assert_non_null(j);
	return j;
}

/* One change, as `KIND edit`/`case edit` makes it (record_set, its own transaction). */
static void edit(struct cli *cli, enum cf_kind kind, const char *id, const char *field,
		 const char *value)
{
	char cid[CF_ID_LEN + 1];
	struct cf_record c;

	if (kind == CF_CASE) {
		assert_int_equal(case_get(cli->s, &c, &cli->err), 0);
		memcpy(cid, c.id, sizeof(cid));
		cf_record_release(&c);
		id = cid;
	}
	if (record_set(cli->s, kind, id, field, value, &cli->err) < 0)
		fail_msg("%s edit --%s %s: %s", cf_kind_info(kind)->name, field, value,
			 cli->err.msg);
}

/* A new record of KIND with the fields NAME, VALUE, ... (NULL-terminated), as `KIND add`. */
static void add(struct cli *cli, enum cf_kind kind, ...)
{
	struct cf_record r;
	const char *name;
	va_list ap;

	cf_record_init(&r, kind);
	va_start(ap, kind);
	while ((name = va_arg(ap, const char *)))
		assert_int_equal(cf_record_set(&r, name, va_arg(ap, const char *), &cli->err), 0);
	va_end(ap);
	if (record_add(cli->s, &r, &cli->err) < 0)
		fail_msg("%s add: %s", cf_kind_info(kind)->name, cli->err.msg);
	cf_record_release(&r);
}

static void rm(struct cli *cli, enum cf_kind kind, const char *id)
{
	if (record_delete(cli->s, kind, id, &cli->err) < 0)
		fail_msg("%s rm: %s", cf_kind_info(kind)->name, cli->err.msg);
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

/* A random record of KIND into ID ("" when none); returns how many there are. */
static size_t some_record(struct cli *cli, enum cf_kind kind, char id[CF_ID_LEN + 1])
{
	json_t *list = run_json(cli, cli_record_list, kind);
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

/* One random edit. */
static void step(struct cli *cli, int64_t *now)
{
	static const char *const clocks[] = { "discovered", "major_basis", "aware",
					      "breach_determined" };
	static const char *const zones[] = { "UTC", "America/New_York", "Asia/Tokyo",
					     "Europe/Berlin" };
	static const char *const packs[] = { "federal", "federal,gdpr", "hipaa", "gdpr,hipaa",
					     "none" };
	char date[64], num[32], id[CF_ID_LEN + 1], iso[32];

	random_date(date, sizeof(date));
	switch (pick(12)) {
	case 0: case 1: case 2:
		edit(cli, CF_CASE, NULL, clocks[pick(4)], date);
		break;
	case 3:
		edit(cli, CF_CASE, NULL, "tz", zones[pick(4)]);
		break;
	case 4:
		edit(cli, CF_CASE, NULL, "rule_packs", packs[pick(5)]);
		break;
	case 5:
		if (some_record(cli, CF_ESTIMATE, id) >= FEW) {
			rm(cli, CF_ESTIMATE, id);
			break;
		}
		snprintf(num, sizeof(num), "%u", pick(3) * 400 + pick(200000));
		add(cli, CF_ESTIMATE, "category", "people", "unit", "people", "as_of", "2026-11-01",
		    "best", num, NULL);
		break;
	case 6:
		if (some_record(cli, CF_NOTICE, id) >= FEW)
			rm(cli, CF_NOTICE, id);
		else if (pick(4))
			add(cli, CF_NOTICE, "recipient", "FBI field office", "due", date, NULL);
		else
			add(cli, CF_NOTICE, "recipient", "State attorney general", NULL);
		break;
	case 7: case 8:
		if (!some_record(cli, CF_NOTICE, id))
			break;
		switch (pick(5)) {
		case 0: edit(cli, CF_NOTICE, id, "sent", date); break;
		case 1: edit(cli, CF_NOTICE, id, "waiver", "counsel: not owed");
			edit(cli, CF_NOTICE, id, "status", "waived"); break;
		case 2: edit(cli, CF_NOTICE, id, "status", "sent"); break;
		case 3: edit(cli, CF_NOTICE, id, "due", date); break;
		default: edit(cli, CF_NOTICE, id, "status", "pending"); break;
		}
		break;
	case 9:
		if (some_record(cli, CF_NOTICE, id))
			rm(cli, CF_NOTICE, id);
		break;
	case 10:
		if (some_record(cli, CF_EVENT, id) >= FEW)
			rm(cli, CF_EVENT, id);
		else
			add(cli, CF_EVENT, "occurred", date, "summary", "found it", "kind",
			    "discovery", NULL);
		break;
	default: /* time passes: from hours to weeks */
		*now += (int64_t)pick(400) * 3600;
		cf_time_utc(*now, iso, sizeof(iso));
		setenv("CASEFILE_NOW", iso, 1);
		break;
	}
}

/* A rule's notice records the engine's due time, kept current by every change (checked
 * before `deadlines`, which would bring it up to date itself). */
static void check_recorded(struct cli *cli, unsigned long long seed, int n)
{
	json_t *list = run_json(cli, cli_record_list, CF_NOTICE), *it;
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
	json_t *dl = run_json(cli, cmd_deadlines, -1);
	json_t *list = run_json(cli, cli_record_list, CF_NOTICE);
	json_t *show = run_json(cli, cmd_show, -1);
	json_t *exp = export_case(cli);
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
