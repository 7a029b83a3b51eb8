/* test_quarantine.c — store/receive.c, store/admit.c and store/quarantine.c through sync: a
 * peer's poisoned operations (a clock at int64's end, an edit of a record that does not exist,
 * a bad hash, a line that is not JSON) are set aside with their file and line and never stop
 * a sync or a clone; and a seeded chaos run of three replicas and a hostile fourth converges,
 * with the poison quarantined identically everywhere. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <git2.h>
#include <sqlite3.h>

#include "export/export.h"
#include "export/sync/sync.h"
#include "store/store.h"
#include "tests/case_dump.h"
#include "tests/helpers.h"

#define NREP 3
#define NFAKE 4 /* identities of the hostile peer, each a chain of its own */

struct fake {
	char replica[CF_ID_LEN + 1];
	int64_t rseq;
	char prev[CF_HASH_LEN + 1];
};

struct world {
	char dir[NREP + 2][300];
	char shared[300];
	struct store *s[NREP];
	struct fake fake[NFAKE];
	uint64_t rng;
	int counter;
	int poison; /* lines the hostile peer wrote that must never be taken in */
	struct cf_err err;
};

static uint32_t rnd(struct world *w)
{
	w->rng = w->rng * 6364136223846793005ULL + 1442695040888963407ULL;
	return (uint32_t)(w->rng >> 33);
}

static int64_t count(struct store *s, const char *sql)
{
	sqlite3_stmt *st;
	int64_t n = -1;
	if (sqlite3_prepare_v2(store_db(s), sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

static void sync_ok(struct world *w, int r, struct sync_result *res)
{
	struct sync_result mine;
	if (sync_run(w->s[r], NULL, NULL, NULL, res ? res : &mine, &w->err) < 0)
		fail_msg("replica %d: sync failed: %s", r, w->err.msg);
}

static void world_init(struct world *w, uint64_t seed)
{
	char tmp[512];
	struct sync_result res;

	memset(w, 0, sizeof(*w));
	w->rng = seed;
	tmpdir(tmp, sizeof(tmp));
	*strrchr(tmp, '/') = '\0';
	snprintf(w->shared, sizeof(w->shared), "%s/shared.git", tmp);
	for (int i = 0; i < NREP + 2; i++)
		snprintf(w->dir[i], sizeof(w->dir[i]), "%s/r%d", tmp, i);
	assert_int_equal(store_create(w->dir[0], &(struct cf_case_init){ .title = "Shared" },
				      "replica 0", &w->s[0], &w->err), 0);
	assert_int_equal(sync_remote_add(w->s[0], "origin", w->shared, NULL, &w->err), 0);
	sync_ok(w, 0, NULL);
	for (int i = 1; i < NREP; i++) {
		assert_int_equal(sync_clone(w->shared, w->dir[i], NULL, "replica", NULL, NULL, NULL,
					    NULL, &res, &w->err), 0);
		assert_int_equal(store_open(w->dir[i], &w->s[i], &w->err), 0);
	}
	for (int f = 0; f < NFAKE; f++)
		memset(w->fake[f].replica, "zyxw"[f], CF_ID_LEN);
}

/* A fresh id from the dice (lowercase Crockford base32, as the store's). */
static void new_id(struct world *w, char out[CF_ID_LEN + 1])
{
	for (int i = 0; i < CF_ID_LEN; i++)
		out[i] = "0123456789abcdefghjkmnpqrstvwxyz"[rnd(w) % 32];
	out[CF_ID_LEN] = '\0';
}

static void world_free(struct world *w)
{
	for (int i = 0; i < NREP; i++)
		store_close(w->s[i]);
	rmtree(w->dir[0]);
}

/* ---- the hostile peer: lines committed straight into the shared repository ---- */

/* Commits TEXT as the next file of fake F's directory (its first rseq FIRST, LINES lines). */
static void commit_file(struct world *w, int f, int64_t first, int64_t lines, const char *text)
{
	git_repository *repo;
	git_object *obj;
	git_tree *root;
	git_commit *tip;
	git_signature *sig;
	git_tree_update up = { 0 };
	git_oid tree_id, commit_id;
	char path[128];

	snprintf(path, sizeof(path), "ops/%s/%012lld-%012lld.jsonl", w->fake[f].replica,
		 (long long)first, (long long)(first + lines - 1));
	assert_int_equal(git_repository_open_bare(&repo, w->shared), 0);
	assert_int_equal(git_revparse_single(&obj, repo, "refs/heads/main"), 0);
	tip = (git_commit *)obj;
	assert_int_equal(git_commit_tree(&root, tip), 0);
	assert_int_equal(git_blob_create_from_buffer(&up.id, repo, text, strlen(text)), 0);
	up.action = GIT_TREE_UPDATE_UPSERT;
	up.filemode = GIT_FILEMODE_BLOB;
	up.path = path;
	assert_int_equal(git_tree_create_updated(&tree_id, repo, root, 1, &up), 0);
	git_tree_free(root);
	assert_int_equal(git_tree_lookup(&root, repo, &tree_id), 0);
	git_signature_now(&sig, "Mallory", "m@example.org");
	const git_commit *parents[] = { tip };
	assert_int_equal(git_commit_create(&commit_id, repo, "refs/heads/main", sig, sig, NULL,
					   "poison\n", root, 1, parents), 0);
	git_signature_free(sig);
	git_tree_free(root);
	git_commit_free(tip);
	git_repository_free(repo);
}

static int64_t max_lamport(struct store *s)
{
	return count(s, "SELECT max(lamport) FROM op");
}

/* One op of fake F, chained and hashed (lamport LAMPORT), as a line with its newline. */
static char *fake_line(struct world *w, int f, int64_t lamport, enum cf_kind kind,
		       const char *record, const char *field, const char *value)
{
	struct fake *k = &w->fake[f];
	struct cf_op op = { 0 };
	char *line, *out;

	new_id(w, op.id);
	snprintf(op.replica, sizeof(op.replica), "%s", k->replica);
	op.rseq = ++k->rseq;
	op.lamport = lamport;
	op.kind = kind;
	snprintf(op.record, sizeof(op.record), "%s", record);
	op.field = (char *)field;
	op.new_value = (char *)value;
	op.author = "Mallory";
	snprintf(op.at, sizeof(op.at), "2019-06-05T12:00:00.000Z");
	snprintf(op.prev, sizeof(op.prev), "%s", k->prev);
	assert_int_equal(cf_op_hash(&op, op.hash), 0);
	memcpy(k->prev, op.hash, sizeof(k->prev));
	line = cf_op_line(&op);
	assert_non_null(line);
	out = malloc(strlen(line) + 2);
	assert_non_null(out);
	sprintf(out, "%s\n", line);
	free(line);
	return out;
}

static void inject(struct world *w, int f, char *line)
{
	commit_file(w, f, w->fake[f].rseq, 1, line);
	free(line);
}

static int first_id(const struct cf_record *r, void *ctx)
{
	snprintf(ctx, CF_ID_LEN + 1, "%s", r->id);
	return 1;
}

static int case_of(struct store *s, char id[CF_ID_LEN + 1])
{
	id[0] = '\0';
	record_list(s, CF_CASE, NULL, first_id, id, NULL);
	return id[0] != '\0';
}

/* ---- the reproductions of issue 13 ---- */

static int first_entry(const struct cf_quarantined *q, void *ctx)
{
	snprintf(ctx, 256, "%s:%lld %s", q->path, (long long)q->line, q->reason);
	return 1;
}

static void test_clock_at_int64_end_set_aside(void **state)
{
	struct world *w = calloc(1, sizeof(*w));
	struct sync_result res;
	char id[CF_ID_LEN + 1], seen[256];

	(void)state;
	world_init(w, 1);
	assert_true(case_of(w->s[1], id));
	inject(w, 0, fake_line(w, 0, INT64_MAX, CF_CASE, id, "title", "Owned"));
	sync_ok(w, 1, &res);
	assert_int_equal(res.quarantined, 1);
	assert_int_equal(quarantine_list(w->s[1], first_entry, seen, &w->err), 1);
	assert_int_equal(quarantine_show(w->s[1], strchr(seen, ' ') ? "x" : "", NULL, NULL,
					 &w->err), CF_ENOTFOUND);
	assert_non_null(strstr(seen, w->fake[0].replica));
	assert_non_null(strstr(seen, ".jsonl:1 "));
	assert_non_null(strstr(seen, "out of range"));
	/* The next local change keeps a sane clock, syncs, and every replica takes it. */
	assert_int_equal(case_set(w->s[1], "title", "Still ours", &w->err), 0);
	assert_true(max_lamport(w->s[1]) < 1000);
	sync_ok(w, 1, NULL);
	sync_ok(w, 0, NULL);
	sync_ok(w, 2, NULL);
	assert_int_equal(count(w->s[2], "SELECT count(*) FROM case_info WHERE title ="
			       " 'Still ours'"), 1);
	assert_int_equal(count(w->s[0], "SELECT count(*) FROM quarantine"), 1);
	assert_int_equal(sync_clone(w->shared, w->dir[NREP], NULL, "late", NULL, NULL, NULL,
				    NULL, &res, &w->err), 0);
	assert_int_equal(res.quarantined, 1);
	world_free(w);
	free(w);
}

static void test_edit_of_missing_record_waits_with_its_followers(void **state)
{
	struct world *w = calloc(1, sizeof(*w));
	struct sync_result res;
	char id[CF_ID_LEN + 1], seen[256];
	int64_t l;

	(void)state;
	world_init(w, 2);
	assert_true(case_of(w->s[1], id));
	l = max_lamport(w->s[1]);
	inject(w, 1, fake_line(w, 1, l + 1, CF_EVENT, "doesnotexist00000000", "summary", "x"));
	/* Valid on its own, but it follows the one that cannot apply: it waits with it. */
	inject(w, 1, fake_line(w, 1, l + 2, CF_CASE, id, "title", "Renamed"));
	sync_ok(w, 2, &res);
	assert_int_equal(res.quarantined, 2);
	assert_int_equal(quarantine_show(w->s[2], "doesnotexist", NULL, NULL, &w->err),
			 CF_ENOTFOUND);
	assert_int_equal(quarantine_list(w->s[2], NULL, NULL, &w->err), 2);
	assert_int_equal(quarantine_list(w->s[2], first_entry, seen, &w->err), 1);
	assert_non_null(strstr(seen, "doesnotexist00000000"));
	assert_non_null(strstr(seen, ".jsonl:1 "));
	assert_int_equal(count(w->s[2], "SELECT count(*) FROM quarantine WHERE reason LIKE"
			       " 'waits for operation #1 of replica %'"), 1);
	assert_int_equal(count(w->s[2], "SELECT count(*) FROM case_info WHERE title ="
			       " 'Renamed'"), 0);
	/* Local work still flows both ways; a clone is not stopped. */
	assert_int_equal(case_set(w->s[2], "title", "Flows", &w->err), 0);
	sync_ok(w, 2, NULL);
	sync_ok(w, 0, NULL);
	assert_int_equal(count(w->s[0], "SELECT count(*) FROM case_info WHERE title ="
			       " 'Flows'"), 1);
	assert_int_equal(sync_clone(w->shared, w->dir[NREP], NULL, "late", NULL, NULL, NULL,
				    NULL, &res, &w->err), 0);
	assert_int_equal(res.quarantined, 2);
	world_free(w);
	free(w);
}

static void test_lines_that_are_not_operations_set_aside(void **state)
{
	struct world *w = calloc(1, sizeof(*w));
	struct sync_result res;
	char *good;

	(void)state;
	world_init(w, 3);
	w->fake[2].rseq = 1;
	commit_file(w, 2, 1, 1, "this is not json\n");
	/* A bad hash: a valid line with one byte of its value changed. */
	good = fake_line(w, 3, 1, CF_CASE, "whatever000000000000", "title", "A");
	strstr(good, "\"new\":\"A\"")[7] = 'B';
	commit_file(w, 3, 1, 1, good);
	free(good);
	sync_ok(w, 1, &res);
	assert_int_equal(res.quarantined, 2);
	assert_int_equal(count(w->s[1], "SELECT count(*) FROM quarantine WHERE reason LIKE"
			       " '%not a JSON object%' AND line = 1"), 1);
	assert_int_equal(count(w->s[1], "SELECT count(*) FROM quarantine WHERE reason LIKE"
			       " '%hash%' AND line = 1"), 1);
	world_free(w);
	free(w);
}

/* ---- chaos: three replicas, a hostile fourth, seeded ---- */

static void honest_change(struct world *w, int r)
{
	char text[64], id[CF_ID_LEN + 1] = "";
	struct cf_record rec;

	snprintf(text, sizeof(text), "by %d, #%d", r, ++w->counter);
	record_list(w->s[r], CF_NOTE, NULL, first_id, id, NULL);
	if (id[0] && rnd(w) % 6 == 0) {
		assert_int_equal(record_delete(w->s[r], CF_NOTE, id, &w->err), 0);
		return;
	}
	if (id[0] && rnd(w) % 2) {
		assert_int_equal(record_set(w->s[r], CF_NOTE, id, "text", text, &w->err), 0);
		return;
	}
	cf_record_init(&rec, CF_NOTE);
	assert_int_equal(cf_record_set(&rec, "text", text, &w->err), 0);
	assert_int_equal(record_add(w->s[r], &rec, &w->err), 0);
	cf_record_release(&rec);
}

/* One op of the hostile peer: valid, invalid or poisoned, by the dice. */
static void hostile_change(struct world *w)
{
	int f = (int)(rnd(w) % NFAKE), what = (int)(rnd(w) % 7);
	int64_t l = max_lamport(w->s[rnd(w) % NREP]);
	char id[CF_ID_LEN + 1] = "", text[64];

	record_list(w->s[0], CF_NOTE, NULL, first_id, id, NULL);
	snprintf(text, sizeof(text), "hostile #%d", ++w->counter);
	switch (what) {
	case 0: /* valid, if its chain is clean */
	case 1:
		if (id[0]) {
			inject(w, f, fake_line(w, f, l + 1, CF_NOTE, id, "text", text));
			return;
		}
		/* fall through */
	case 2: /* a create of its own: valid too */
	{
		char rec[CF_ID_LEN + 1], json[128];
		new_id(w, rec);
		snprintf(json, sizeof(json), "{\"text\":\"%s\"}", text);
		inject(w, f, fake_line(w, f, l + 1, CF_NOTE, rec, "@create", json));
		return;
	}
	case 3: /* the clock at int64's end */
		inject(w, f, fake_line(w, f, INT64_MAX, CF_NOTE, id[0] ? id : "x", "text", text));
		break;
	case 4: /* a record that does not exist */
		inject(w, f, fake_line(w, f, l + 1, CF_NOTE, "nosuchrecord00000000", "text",
				       text));
		break;
	case 5: /* a field no note has */
		inject(w, f, fake_line(w, f, l + 1, CF_NOTE, id[0] ? id : "x", "colour", "red"));
		break;
	default: /* not JSON at all */
		w->fake[f].rseq++;
		commit_file(w, f, w->fake[f].rseq, 1, "{\"lamport\": 1, oops\n");
		break;
	}
	w->poison++;
}

static int print_problem(const struct cf_problem *p, void *ctx)
{
	(void)ctx;
	printf("problem: %s\n", p->msg);
	return 0;
}

static const char *const same_everywhere[] = {
	("SELECT path, line, replica, rseq, lamport, op, reason, text FROM quarantine"
	 " ORDER BY path, line"),
	"SELECT id, hash FROM op ORDER BY id",
	"SELECT id, text, deleted, conflicted FROM note ORDER BY id",
	"SELECT title FROM case_info",
	"SELECT record, field, ours, theirs, resolved FROM conflict ORDER BY record, field",
};

/* Every replica holds the same as WANT (a replica, or a fresh clone): the quarantine, the
 * log, the records and the case's JSON export, byte for byte. */
static void assert_same(struct world *w, struct store *want_s, const char *when)
{
	for (size_t q = 0; q <= sizeof(same_everywhere) / sizeof(same_everywhere[0]); q++) {
		int exp = q == sizeof(same_everywhere) / sizeof(same_everywhere[0]);
		char *want = exp ? export_case(want_s) : dump(want_s, same_everywhere[q]);
		for (int r = 0; r < NREP; r++) {
			char *got = exp ? export_case(w->s[r]) : dump(w->s[r], same_everywhere[q]);
			if (strcmp(want, got) != 0)
				fail_msg("%s: replica %d differs in: %s\n--- want\n%.2000s\n"
					 "--- got\n%.2000s", when, r, exp ? "export case --format"
					 " json" : same_everywhere[q], want, got);
			free(got);
		}
		free(want);
	}
}

/* A sync round: every replica syncs twice in turn, so each holds what all have pushed. */
static void settle(struct world *w)
{
	for (int pass = 0; pass < 2; pass++)
		for (int r = 0; r < NREP; r++)
			sync_ok(w, r, NULL);
}

static void test_chaos_converges_with_poison_quarantined(void **state)
{
	const char *env = getenv("CASEFILE_SEED");
	uint64_t seed = env ? strtoull(env, NULL, 10) : 20260604;
	int rounds = getenv("CASEFILE_CHAOS_ROUNDS") ? atoi(getenv("CASEFILE_CHAOS_ROUNDS")) : 80;
	struct world *w = calloc(1, sizeof(*w));
	struct sync_result res;
	struct store *late;
	char when[64];
	int every = getenv("CASEFILE_CHAOS_EVERY") ? atoi(getenv("CASEFILE_CHAOS_EVERY")) : 10;

	(void)state;
	printf("chaos seed %llu, %d rounds (CASEFILE_SEED, CASEFILE_CHAOS_ROUNDS)\n",
	       (unsigned long long)seed, rounds);
	world_init(w, seed);
	for (int round = 1; round <= rounds; round++) {
		int r = (int)(rnd(w) % NREP);
		if (rnd(w) % 3 == 0)
			hostile_change(w);
		else
			honest_change(w, r);
		if (rnd(w) % 2)
			sync_ok(w, (int)(rnd(w) % NREP), NULL);
		/* After every sync round the replicas agree, waiting operations included. */
		if (round % every == 0) {
			settle(w);
			snprintf(when, sizeof(when), "after round %d", round);
			assert_same(w, w->s[0], when);
		}
	}
	settle(w);
	assert_int_equal(sync_clone(w->shared, w->dir[NREP], NULL, "late", NULL, NULL, NULL,
				    NULL, &res, &w->err), 0);
	assert_int_equal(store_open(w->dir[NREP], &late, &w->err), 0);
	printf("chaos: %lld operations, %lld quarantined (%d poisoned lines)\n",
	       (long long)count(late, "SELECT count(*) FROM op"),
	       (long long)count(late, "SELECT count(*) FROM quarantine"), w->poison);
	assert_true(count(late, "SELECT count(*) FROM quarantine") >= w->poison);
	assert_same(w, late, "a fresh clone");
	for (int r = 0; r < NREP; r++) {
		assert_int_equal(op_check_chains(w->s[r], NULL, NULL, NULL, NULL, &w->err), 0);
		assert_int_equal(verify_replay(w->s[r], print_problem, NULL, NULL, &w->err), 0);
		assert_int_equal(verify_conflicts(w->s[r], NULL, NULL, NULL, &w->err), 0);
		assert_int_equal(verify_sort_keys(w->s[r], NULL, NULL, NULL, &w->err), 0);
		assert_int_equal(verify_fts(w->s[r], NULL, NULL, &w->err), 0);
	}
	store_close(late);
	world_free(w);
	free(w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clock_at_int64_end_set_aside),
		cmocka_unit_test(test_edit_of_missing_record_waits_with_its_followers),
		cmocka_unit_test(test_lines_that_are_not_operations_set_aside),
		cmocka_unit_test(test_chaos_converges_with_poison_quarantined),
	};
	git_libgit2_init();
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	git_libgit2_shutdown();
	return rc;
}
