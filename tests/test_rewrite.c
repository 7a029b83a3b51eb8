/* test_rewrite.c — export/sync/sync_merge.c and sync_ops.c: an ops/ file rewritten on the
 * remote after a replica has read it (a line changed, the file truncated, the history
 * rewritten under it) is a recorded, named problem, never the end of a sync; every replica
 * keeps the same version, records the same quarantine and exports the same case. */
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
#include "export/sync/ops_verify.h"
#include "export/sync/sync.h"
#include "store/store.h"
#include "tests/case_dump.h"
#include "tests/helpers.h"

#define NREP 3

struct world {
	char dir[NREP + 1][300];
	char shared[300];
	struct store *s[NREP];
	struct cf_err err;
};

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
		fail_msg("replica %d: sync stopped: %s", r, w->err.msg);
}

static void world_init(struct world *w)
{
	char tmp[512];
	struct sync_result res;

	memset(w, 0, sizeof(*w));
	tmpdir(tmp, sizeof(tmp));
	*strrchr(tmp, '/') = '\0';
	snprintf(w->shared, sizeof(w->shared), "%s/shared.git", tmp);
	for (int i = 0; i <= NREP; i++)
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
}

static void world_free(struct world *w)
{
	for (int i = 0; i < NREP; i++)
		store_close(w->s[i]);
	rmtree(w->dir[0]);
}

static void add_note(struct store *s, const char *text)
{
	struct cf_record r;
	struct cf_err err;
	cf_record_init(&r, CF_NOTE);
	assert_int_equal(cf_record_set(&r, "text", text, &err), 0);
	assert_int_equal(record_add(s, &r, &err), 0);
	cf_record_release(&r);
}

enum rewrite { CHANGE_LINE_2, TRUNCATE_TO_LINE_1 };

/* Rewrites the last ops/ file of REPLICA on the shared remote as HOW says, committed on top of
 * main, or (ORPHAN) as a new history of one commit that main is forced to. */
static void rewrite_remote(struct world *w, const char *replica, enum rewrite how, int orphan)
{
	git_repository *repo;
	git_object *obj;
	git_commit *tip;
	git_tree *root, *ops, *sub;
	const git_tree_entry *e;
	git_blob *blob;
	git_signature *sig;
	git_tree_update up = { 0 };
	git_oid tree_id, commit_id;
	char path[256], *data, *nl;
	size_t n;

	assert_int_equal(git_repository_open_bare(&repo, w->shared), 0);
	assert_int_equal(git_revparse_single(&obj, repo, "refs/heads/main"), 0);
	tip = (git_commit *)obj;
	assert_int_equal(git_commit_tree(&root, tip), 0);
	assert_int_equal(git_tree_lookup(&ops, repo, git_tree_entry_id(
				git_tree_entry_byname(root, "ops"))), 0);
	assert_int_equal(git_tree_lookup(&sub, repo, git_tree_entry_id(
				git_tree_entry_byname(ops, replica))), 0);
	e = git_tree_entry_byindex(sub, git_tree_entrycount(sub) - 1);
	snprintf(path, sizeof(path), "ops/%s/%s", replica, git_tree_entry_name(e));
	assert_int_equal(git_blob_lookup(&blob, repo, git_tree_entry_id(e)), 0);
	n = (size_t)git_blob_rawsize(blob);
	data = malloc(n + 1);
	memcpy(data, git_blob_rawcontent(blob), n);
	data[n] = '\0';
	nl = strchr(data, '\n');
	assert_non_null(nl);
	if (how == TRUNCATE_TO_LINE_1) {
		n = (size_t)(nl + 1 - data);
	} else {
		/* Line 2's author, one letter changed: still JSON, no longer what was hashed. */
		char *a = strstr(nl, "\"author\":\"");
		assert_non_null(a);
		a[10] = a[10] == 'Z' ? 'Y' : 'Z';
	}
	assert_int_equal(git_blob_create_from_buffer(&up.id, repo, data, n), 0);
	up.action = GIT_TREE_UPDATE_UPSERT;
	up.filemode = GIT_FILEMODE_BLOB;
	up.path = path;
	assert_int_equal(git_tree_create_updated(&tree_id, repo, root, 1, &up), 0);
	git_tree_free(root);
	assert_int_equal(git_tree_lookup(&root, repo, &tree_id), 0);
	git_signature_now(&sig, "Mallory", "m@example.org");
	const git_commit *parents[] = { tip };
	assert_int_equal(git_commit_create(&commit_id, repo, orphan ? NULL : "refs/heads/main",
					   sig, sig, NULL, "rewrite\n", root, orphan ? 0 : 1,
					   parents), 0);
	if (orphan) {
		git_reference *ref;
		assert_int_equal(git_reference_create(&ref, repo, "refs/heads/main", &commit_id, 1,
						      "history rewritten"), 0);
		git_reference_free(ref);
	}
	git_signature_free(sig);
	free(data);
	git_blob_free(blob);
	git_tree_free(sub);
	git_tree_free(ops);
	git_tree_free(root);
	git_commit_free(tip);
	git_repository_free(repo);
}

/* Every replica syncs twice in turn; then each holds what a fresh clone holds: the same
 * quarantine, operations and JSON export; and verify finds git and the log in agreement. */
static void settle_and_compare(struct world *w)
{
	static const char *const q =
		"SELECT path, line, replica, rseq, lamport, op, reason, text FROM quarantine"
		" ORDER BY path, line";
	struct sync_result res;
	struct store *late;

	for (int pass = 0; pass < 2; pass++)
		for (int r = 0; r < NREP; r++)
			sync_ok(w, r, NULL);
	assert_int_equal(sync_clone(w->shared, w->dir[NREP], NULL, "late", NULL, NULL, NULL,
				    NULL, &res, &w->err), 0);
	assert_int_equal(store_open(w->dir[NREP], &late, &w->err), 0);
	for (int r = 0; r < NREP; r++) {
		char *want[3] = { dump(late, q), dump(late, "SELECT id, hash FROM op ORDER BY id"),
				  export_case(late) };
		char *got[3] = { dump(w->s[r], q), dump(w->s[r], "SELECT id, hash FROM op"
							 " ORDER BY id"), export_case(w->s[r]) };
		for (int k = 0; k < 3; k++) {
			if (strcmp(want[k], got[k]) != 0)
				fail_msg("replica %d differs from a fresh clone (%d):\n%s\n---\n%s", r,
					 k, want[k], got[k]);
			free(want[k]);
			free(got[k]);
		}
		assert_int_equal(export_check_git_ops(w->s[r], NULL, NULL, NULL, NULL, &w->err), 0);
		assert_int_equal(op_check_chains(w->s[r], NULL, NULL, NULL, NULL, &w->err), 0);
	}
	store_close(late);
}

/* The one entry a rewrite leaves: the other version, beside the file, named. */
static void assert_set_aside_named(struct world *w, int r)
{
	assert_int_equal(count(w->s[r], "SELECT count(*) FROM quarantine"), 1);
	assert_int_equal(count(w->s[r], "SELECT count(*) FROM quarantine WHERE line = 0 AND"
			       " path LIKE 'ops/%/%.jsonl.set-aside-%' AND reason LIKE"
			       " '%rewritten after it was read%'"), 1);
}

static void test_line_changed_after_read_is_set_aside(void **state)
{
	struct world *w = calloc(1, sizeof(*w));
	struct sync_result res;
	char replica[CF_ID_LEN + 1];

	(void)state;
	world_init(w);
	snprintf(replica, sizeof(replica), "%s", store_replica(w->s[0]));
	add_note(w->s[0], "one");
	add_note(w->s[0], "two");
	add_note(w->s[0], "three");
	sync_ok(w, 0, NULL);
	sync_ok(w, 1, NULL); /* replica 1 reads the file as written */
	rewrite_remote(w, replica, CHANGE_LINE_2, 0);
	/* Replica 2 reads only the rewritten version: its line 2 and what follows wait. */
	sync_ok(w, 2, &res);
	assert_int_equal(res.quarantined, 2);
	/* Replica 1 read the file before: its sync goes on, its own work goes out. */
	add_note(w->s[1], "written meanwhile");
	sync_ok(w, 1, &res);
	assert_true(res.pushed);
	assert_set_aside_named(w, 1);
	sync_ok(w, 2, &res);
	assert_int_equal(count(w->s[2], "SELECT count(*) FROM note"), 4);
	assert_set_aside_named(w, 2);
	settle_and_compare(w);
	assert_int_equal(count(w->s[0], "SELECT count(*) FROM note"), 4);
	assert_set_aside_named(w, 0);
	world_free(w);
	free(w);
}

static void test_truncated_under_rewritten_history_is_set_aside(void **state)
{
	struct world *w = calloc(1, sizeof(*w));
	char replica[CF_ID_LEN + 1];

	(void)state;
	world_init(w);
	snprintf(replica, sizeof(replica), "%s", store_replica(w->s[0]));
	add_note(w->s[0], "one");
	add_note(w->s[0], "two");
	sync_ok(w, 0, NULL);
	sync_ok(w, 1, NULL);
	/* A new history of one commit, the file cut to its first line. */
	rewrite_remote(w, replica, TRUNCATE_TO_LINE_1, 1);
	sync_ok(w, 2, NULL);
	assert_int_equal(count(w->s[2], "SELECT count(*) FROM note"), 1);
	add_note(w->s[2], "written meanwhile");
	sync_ok(w, 1, NULL);
	assert_set_aside_named(w, 1);
	settle_and_compare(w);
	for (int r = 0; r < NREP; r++) {
		assert_int_equal(count(w->s[r], "SELECT count(*) FROM note"), 3);
		assert_set_aside_named(w, r);
	}
	world_free(w);
	free(w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_line_changed_after_read_is_set_aside),
		cmocka_unit_test(test_truncated_under_rewritten_history_is_set_aside),
	};
	git_libgit2_init();
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	git_libgit2_shutdown();
	return rc;
}
