/* test_repo.c — the case's git repository: bare with HEAD on main, commits from in-memory
 * trees, compare-and-swap, reading back, history by prefix, tags; real git agrees (fsck). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <git2.h>

#include "export/git/repo.h"
#include "tests/helpers.h"

static void setup_dir(char *dir, size_t len)
{
	tmpdir(dir, len);
	assert_int_equal(mkdir(dir, 0700), 0);
}

static void test_open_creates_bare_repo_on_main(void **state)
{
	char dir[256], head[600];
	struct cf_repo *r;
	struct cf_err err;
	FILE *f;
	struct stat st;

	(void)state;
	setup_dir(dir, sizeof(dir));
	assert_int_equal(repo_open(dir, 0, &r, &err), CF_ENOTFOUND);
	assert_int_equal(repo_open(dir, 1, &r, &err), 0);
	assert_true(git_repository_is_bare(repo_git(r)));
	snprintf(head, sizeof(head), "%s/HEAD", repo_path(r));
	f = fopen(head, "r");
	assert_non_null(f);
	assert_non_null(fgets(head, sizeof(head), f));
	fclose(f);
	assert_string_equal(head, "ref: refs/heads/main\n");
	assert_int_equal(stat(repo_path(r), &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	repo_close(r);
	/* Reopening finds the same repository. */
	assert_int_equal(repo_open(dir, 0, &r, &err), 0);
	repo_close(r);
	rmtree(dir);
}

static int collect_summary(const struct repo_commit_info *c, void *ctx)
{
	char *buf = ctx;
	strcat(buf, c->summary);
	strcat(buf, ";");
	return 0;
}

static int collect_path(const char *path, const char *oid, void *ctx)
{
	char *buf = ctx;
	(void)oid;
	strcat(buf, path);
	strcat(buf, ";");
	return 0;
}

static void test_commit_read_and_log_by_prefix(void **state)
{
	char dir[256], first[CF_OID_HEX], second[CF_OID_HEX], again[CF_OID_HEX];
	char log[512] = "", files[512] = "", *data;
	size_t len;
	struct cf_repo *r;
	struct cf_err err;
	const struct repo_change c1[] = {
		{ "reports/a.md", "one\n", 4 },
		{ "ops/r1/000001", "op\n", 3 },
		{ "reports/b.md", "bee\n", 4 },
	};
	const struct repo_change c2[] = { { "reports/a.md", "two\n", 4 } };
	const struct repo_change c3[] = { { "ops/r1/000002", "op2\n", 4 } };
	struct repo_commit_opts o = { .message = "first", .author = "A U <a@example.org>",
				      .when = 1560000000 };

	(void)state;
	setup_dir(dir, sizeof(dir));
	assert_int_equal(repo_open(dir, 1, &r, &err), 0);
	assert_int_equal(repo_read(r, NULL, "reports/a.md", &data, &len, &err), CF_ENOTFOUND);
	assert_int_equal(repo_log(r, NULL, NULL, collect_summary, log, &err), 0);
	assert_string_equal(log, "");
	assert_int_equal(repo_commit(r, c1, 3, &o, first, &err), 0);
	o.message = "second";
	assert_int_equal(repo_commit(r, c2, 1, &o, second, &err), 0);
	o.message = "ops only";
	assert_int_equal(repo_commit(r, c3, 1, &o, NULL, &err), 0);
	/* The same content again changes nothing and makes no commit. */
	o.message = "nothing";
	assert_int_equal(repo_commit(r, c3, 1, &o, again, &err), 1);

	assert_int_equal(repo_read(r, first, "reports/a.md", &data, &len, &err), 0);
	assert_string_equal(data, "one\n");
	free(data);
	assert_int_equal(repo_read(r, "main", "reports/a.md", &data, &len, &err), 0);
	assert_int_equal(len, 4);
	assert_string_equal(data, "two\n");
	free(data);
	assert_int_equal(repo_read(r, NULL, "reports/zz.md", &data, &len, &err), CF_ENOTFOUND);

	assert_int_equal(repo_log(r, NULL, "reports/", collect_summary, log, &err), 0);
	assert_string_equal(log, "second;first;");
	log[0] = '\0';
	assert_int_equal(repo_log(r, NULL, "", collect_summary, log, &err), 0);
	assert_string_equal(log, "ops only;second;first;");
	assert_int_equal(repo_files(r, NULL, "reports", collect_path, files, &err), 0);
	assert_string_equal(files, "reports/a.md;reports/b.md;");
	repo_close(r);
	{
		char gd[300];
		snprintf(gd, sizeof(gd), "%s/%s", dir, CF_GIT_DIR);
		assert_int_equal(run_git(gd, "fsck", "--strict", NULL), 0);
	}
	rmtree(dir);
}

static void test_compare_and_swap_refuses_moved_branch(void **state)
{
	char dir[256], tip[CF_OID_HEX], stale[CF_OID_HEX], now[CF_OID_HEX];
	struct cf_repo *r;
	struct cf_err err;
	const struct repo_change a = { "ops/x", "1\n", 2 }, b = { "ops/y", "2\n", 2 };
	struct repo_commit_opts o = { .message = "m", .expect = "" };

	(void)state;
	setup_dir(dir, sizeof(dir));
	assert_int_equal(repo_open(dir, 1, &r, &err), 0);
	assert_int_equal(repo_commit(r, &a, 1, &o, stale, &err), 0);
	/* The branch exists now: expecting "no branch" fails. */
	assert_int_equal(repo_commit(r, &b, 1, &o, NULL, &err), CF_EMOVED);
	o.expect = stale;
	assert_int_equal(repo_commit(r, &b, 1, &o, tip, &err), 0);
	/* Someone else moved it past STALE: refused, and the tip is untouched. */
	assert_int_equal(repo_commit(r, &a, 1, &o, NULL, &err), CF_EMOVED);
	assert_non_null(strstr(err.msg, "moved"));
	assert_int_equal(repo_resolve(r, NULL, now, &err), 0);
	assert_string_equal(now, tip);
	repo_close(r);
	rmtree(dir);
}

/* PROCS processes commit EACH files (one commit each) to DIR's repository at once; returns
 * how many files the branch holds afterwards. */
static int race(const char *dir, int procs, int each)
{
	char files[4096] = "";
	struct cf_repo *r;
	struct cf_err err;
	int status, n = 0;

	for (int p = 0; p < procs; p++) {
		if (fork() != 0)
			continue;
		struct repo_commit_opts o = { .message = "c", .retries = 1000 };
		int bad = repo_open(dir, 0, &r, &err) < 0;
		for (int i = 0; !bad && i < each; i++) {
			char path[64];
			snprintf(path, sizeof(path), "ops/p%d/%03d", p, i);
			struct repo_change c = { path, path, strlen(path) };
			bad = repo_commit(r, &c, 1, &o, NULL, &err) != 0;
		}
		repo_close(r);
		_exit(bad);
	}
	for (int p = 0; p < procs; p++) {
		assert_true(wait(&status) > 0);
		assert_int_equal(WEXITSTATUS(status), 0);
	}
	assert_int_equal(repo_open(dir, 0, &r, &err), 0);
	assert_int_equal(repo_files(r, NULL, "ops", collect_path, files, &err), 0);
	for (char *p = files; (p = strchr(p, ';')); p++)
		n++;
	repo_close(r);
	return n;
}

/* Four processes commit to the same branch at once: retries re-apply each change on the
 * new tip, so no commit is lost (a lost compare-and-swap would drop a file). */
static void test_concurrent_commits_all_land(void **state)
{
	char dir[256];
	struct cf_repo *r;
	struct cf_err err;

	(void)state;
	setup_dir(dir, sizeof(dir));
	assert_int_equal(repo_open(dir, 1, &r, &err), 0);
	repo_close(r);
	assert_int_equal(race(dir, 4, 10), 40);
	rmtree(dir);
}

/* The branch's first commit, raced by several processes on fresh repositories: creating the
 * branch is a compare-and-swap too ("must not exist" checked under the ref's lock), or one
 * first commit overwrites another.  The window is small: this catches a regression only
 * sometimes; the next test pins the guard itself. */
static void test_concurrent_first_commits_all_land(void **state)
{
	(void)state;
	for (int round = 0; round < 10; round++) {
		char dir[256];
		struct cf_repo *r;
		struct cf_err err;

		setup_dir(dir, sizeof(dir));
		assert_int_equal(repo_open(dir, 1, &r, &err), 0);
		repo_close(r);
		assert_int_equal(race(dir, 8, 1), 8);
		rmtree(dir);
	}
}

/* What repo_commit relies on to create a branch: libgit2's compare-and-swap from the all-zero
 * id succeeds only while the ref does not exist (checked under its lock). */
static void test_create_from_zero_id_is_refused_when_the_ref_exists(void **state)
{
	char dir[256], tip[CF_OID_HEX];
	struct cf_repo *r;
	struct cf_err err;
	const struct repo_change a = { "ops/a", "a\n", 2 };
	struct repo_commit_opts o = { .message = "m" };
	git_reference *ref = NULL;
	git_oid zero, id;

	(void)state;
	setup_dir(dir, sizeof(dir));
	assert_int_equal(repo_open(dir, 1, &r, &err), 0);
	assert_int_equal(repo_commit(r, &a, 1, &o, tip, &err), 0);
	assert_int_equal(git_oid_fromstr(&id, tip), 0);
	git_oid_fromstr(&zero, "0000000000000000000000000000000000000000");
	assert_int_equal(git_reference_create_matching(&ref, repo_git(r), CF_GIT_MAIN, &id, 1,
						       &zero, "test"), GIT_EMODIFIED);
	assert_int_equal(git_reference_create_matching(&ref, repo_git(r), "refs/heads/other",
						       &id, 1, &zero, "test"), 0);
	git_reference_free(ref);
	repo_close(r);
	rmtree(dir);
}

static void test_bad_paths_are_refused(void **state)
{
	char dir[256];
	struct cf_repo *r;
	struct cf_err err;
	const char *bad[] = { "/abs", "a//b", "../up", "a/./b", ".git/config", "x/.GIT/y", "" };
	struct repo_commit_opts o = { .message = "m" };

	(void)state;
	setup_dir(dir, sizeof(dir));
	assert_int_equal(repo_open(dir, 1, &r, &err), 0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct repo_change c = { bad[i], "x", 1 };
		assert_int_equal(repo_commit(r, &c, 1, &o, NULL, &err), CF_EINVAL);
	}
	repo_close(r);
	rmtree(dir);
}

static void test_tag_and_remove_are_fsck_clean(void **state)
{
	char dir[256], gd[300], oid[CF_OID_HEX], *data;
	size_t len;
	struct cf_repo *r;
	struct cf_err err;
	const struct repo_change add[] = { { "reports/v1.md", "v1\n", 3 }, { "tmp/x", "x", 1 } };
	const struct repo_change rm[] = { { "tmp/x", NULL, 0 }, { "tmp/never", NULL, 0 } };
	struct repo_commit_opts o = { .message = "v1", .author = "No Email" };

	(void)state;
	setup_dir(dir, sizeof(dir));
	assert_int_equal(repo_open(dir, 1, &r, &err), 0);
	assert_int_equal(repo_commit(r, add, 2, &o, oid, &err), 0);
	assert_int_equal(repo_tag(r, "briefing/v1", oid, "briefing v1", "T <t@x.org>", 0, &err),
			 0);
	assert_int_equal(repo_tag(r, "briefing/v1", oid, "again", NULL, 0, &err), CF_ERR);
	assert_int_equal(repo_tag(r, "bad..name", oid, "x", NULL, 0, &err), CF_EINVAL);
	o.message = "drop tmp";
	assert_int_equal(repo_commit(r, rm, 2, &o, NULL, &err), 0);
	assert_int_equal(repo_read(r, NULL, "tmp/x", &data, &len, &err), CF_ENOTFOUND);
	assert_int_equal(repo_read(r, "briefing/v1", "tmp/x", &data, &len, &err), 0);
	free(data);
	repo_close(r);
	snprintf(gd, sizeof(gd), "%s/%s", dir, CF_GIT_DIR);
	assert_int_equal(run_git(gd, "fsck", "--strict", NULL), 0);
	assert_int_equal(run_git(gd, "cat-file", "-e", "briefing/v1^{tag}"), 0);
	rmtree(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open_creates_bare_repo_on_main),
		cmocka_unit_test(test_commit_read_and_log_by_prefix),
		cmocka_unit_test(test_compare_and_swap_refuses_moved_branch),
		cmocka_unit_test(test_concurrent_commits_all_land),
		cmocka_unit_test(test_concurrent_first_commits_all_land),
		cmocka_unit_test(test_create_from_zero_id_is_refused_when_the_ref_exists),
		cmocka_unit_test(test_bad_paths_are_refused),
		cmocka_unit_test(test_tag_and_remove_are_fsck_clean),
	};
	int rc;

	git_libgit2_init();
	rc = cmocka_run_group_tests_name("repo", tests, NULL, NULL);
	git_libgit2_shutdown();
	return rc;
}
