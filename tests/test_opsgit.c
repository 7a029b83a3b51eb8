/* test_opsgit.c — export/git/opsgit.c: operations written to the case's git repository under ops/
 * are compared with the database's; altered, missing and foreign ones are reported. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <git2.h>
#include <jansson.h>

#include "export/git/opsgit.h"
#include "store/store.h"
#include "tests/helpers.h"

struct fixture {
	char dir[256];
	struct store *s;
	struct cf_err err;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct cf_record r;

	git_libgit2_init();
	tmpdir(f->dir, sizeof(f->dir));
	if (store_create(f->dir, &(struct cf_case_init){ .title = "t" }, "me", &f->s, &f->err) < 0)
		return -1;
	for (int i = 0; i < 4; i++) {
		cf_record_init(&r, CF_NOTE);
		cf_record_set(&r, "text", i % 2 ? "odd" : "even", &f->err);
		if (record_add(f->s, &r, &f->err) < 0)
			return -1;
		cf_record_release(&r);
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	store_close(f->s);
	rmtree(f->dir);
	free(f);
	git_libgit2_shutdown();
	return 0;
}

struct lines {
	char *buf;
	size_t len;
	FILE *mem;
	int skip;   /* rseq of an op to leave out, 0 for none */
	int alter;  /* rseq of an op whose author is changed, 0 for none */
};

/* One op as sync writes it: its canonical JSON with its hash, one line. */
static int write_line(const struct cf_op *op, void *ctx)
{
	struct lines *l = ctx;
	struct cf_op copy = *op;
	json_t *o;
	char *canon, *text;

	if (op->rseq == l->skip)
		return 0;
	if (op->rseq == l->alter)
		copy.author = "mallory";
	canon = cf_op_canonical(&copy);
	o = json_loads(canon, 0, NULL);
	json_object_set_new(o, "hash", json_string(op->hash));
	text = json_dumps(o, JSON_SORT_KEYS | JSON_COMPACT | JSON_ENSURE_ASCII);
	fprintf(l->mem, "%s\n", text);
	free(text);
	free(canon);
	json_decref(o);
	return 0;
}

/* Writes DIR/casefile.git with one commit on main: ops/REPLICA/0001.jsonl holding the case's
 * operations (less SKIP, with ALTER changed) and, when EXTRA, a line for an unknown op. */
static void write_repo(struct fixture *f, int skip, int alter, const char *extra)
{
	char path[512], file[128];
	git_repository *repo;
	git_treebuilder *tb;
	git_oid blob, sub, ops, root, commit;
	git_tree *tree;
	git_signature *sig;
	struct lines l = { NULL, 0, NULL, skip, alter };

	l.mem = open_memstream(&l.buf, &l.len);
	assert_int_equal(op_list(f->s, NULL, write_line, &l, &f->err), 0);
	if (extra)
		fprintf(l.mem, "%s\n", extra);
	fclose(l.mem);
	snprintf(path, sizeof(path), "%s/casefile.git", f->dir);
	assert_int_equal(git_repository_init(&repo, path, 1), 0);
	assert_int_equal(git_blob_create_from_buffer(&blob, repo, l.buf, l.len), 0);
	free(l.buf);
	snprintf(file, sizeof(file), "0001.jsonl");
	assert_int_equal(git_treebuilder_new(&tb, repo, NULL), 0);
	assert_int_equal(git_treebuilder_insert(NULL, tb, file, &blob, GIT_FILEMODE_BLOB), 0);
	assert_int_equal(git_treebuilder_write(&sub, tb), 0);
	git_treebuilder_free(tb);
	assert_int_equal(git_treebuilder_new(&tb, repo, NULL), 0);
	assert_int_equal(git_treebuilder_insert(NULL, tb, store_replica(f->s), &sub,
						GIT_FILEMODE_TREE), 0);
	assert_int_equal(git_treebuilder_write(&ops, tb), 0);
	git_treebuilder_free(tb);
	assert_int_equal(git_treebuilder_new(&tb, repo, NULL), 0);
	assert_int_equal(git_treebuilder_insert(NULL, tb, "ops", &ops, GIT_FILEMODE_TREE), 0);
	assert_int_equal(git_treebuilder_write(&root, tb), 0);
	git_treebuilder_free(tb);
	assert_int_equal(git_tree_lookup(&tree, repo, &root), 0);
	assert_int_equal(git_signature_new(&sig, "t", "t@example.org", 1559318400, 0), 0);
	assert_int_equal(git_commit_create_v(&commit, repo, "refs/heads/main", sig, sig, NULL,
					     "ops", tree, 0), 0);
	git_signature_free(sig);
	git_tree_free(tree);
	git_repository_free(repo);
}

struct found {
	int n;
	char msg[8][512];
};

static int keep(const struct cf_problem *p, void *ctx)
{
	struct found *fd = ctx;
	if (fd->n < 8)
		snprintf(fd->msg[fd->n], sizeof(fd->msg[0]), "%s", p->msg);
	fd->n++;
	return 0;
}

static void test_no_repository_is_not_found(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(export_check_git_ops(f->s, NULL, NULL, NULL, NULL, &f->err), CF_ENOTFOUND);
	assert_non_null(strstr(f->err.msg, "casefile.git"));
}

static void test_git_ops_equal_to_the_database_pass(void **state)
{
	struct fixture *f = *state;
	int64_t files = 0, nops = 0;

	write_repo(f, 0, 0, NULL);
	assert_int_equal(export_check_git_ops(f->s, NULL, NULL, &files, &nops, &f->err), 0);
	assert_int_equal(files, 1);
	assert_int_equal(nops, 5); /* the case and four notes */
}

static void test_unsynced_new_ops_are_not_a_problem(void **state)
{
	struct fixture *f = *state;
	struct cf_record r;

	write_repo(f, 0, 0, NULL);
	cf_record_init(&r, CF_NOTE);
	cf_record_set(&r, "text", "later", &f->err);
	assert_int_equal(record_add(f->s, &r, &f->err), 0);
	cf_record_release(&r);
	assert_int_equal(export_check_git_ops(f->s, NULL, NULL, NULL, NULL, &f->err), 0);
}

static void test_altered_op_in_git_is_reported(void **state)
{
	struct fixture *f = *state;
	struct found fd = { 0 };

	write_repo(f, 0, 3, NULL);
	assert_int_equal(export_check_git_ops(f->s, keep, &fd, NULL, NULL, &f->err), 1);
	assert_non_null(strstr(fd.msg[0], "differs from the database"));
	assert_non_null(strstr(fd.msg[0], "ops/"));
}

static void test_op_missing_from_git_is_reported(void **state)
{
	struct fixture *f = *state;
	struct found fd = { 0 };

	write_repo(f, 2, 0, NULL);
	assert_int_equal(export_check_git_ops(f->s, keep, &fd, NULL, NULL, &f->err), 1);
	assert_non_null(strstr(fd.msg[0], "#2) is in the database but missing from git"));
}

static void test_op_only_in_git_is_reported(void **state)
{
	struct fixture *f = *state;
	struct found fd = { 0 };

	write_repo(f, 0, 0, "{\"id\":\"0000000000000000zzzz\",\"replica\":\"r\",\"rseq\":1}");
	assert_int_equal(export_check_git_ops(f->s, keep, &fd, NULL, NULL, &f->err), 1);
	assert_non_null(strstr(fd.msg[0], "in git but not in the database"));
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_no_repository_is_not_found),
		T(test_git_ops_equal_to_the_database_pass),
		T(test_unsynced_new_ops_are_not_a_problem),
		T(test_altered_op_in_git_is_reported),
		T(test_op_missing_from_git_is_reported),
		T(test_op_only_in_git_is_reported),
	};
	return cmocka_run_group_tests_name("opsgit", tests, NULL, NULL);
}
