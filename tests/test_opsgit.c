/* test_opsgit.c — export/sync/ops_verify.c: operations written to the case's git repository under ops/
 * are compared with the database's; altered, missing and foreign ones are reported. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <git2.h>

#include "export/sync/ops_verify.h"
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

/* How the fixture's ops/ differs from what sync would write. */
struct spec {
	int skip;            /* rseq of an op to leave out (its file split there), 0 for none */
	int alter;           /* rseq of an op given another author, rehashed, 0 for none */
	int bad_name;        /* the file named 0001.jsonl, as sync never names one */
	int no_hash;         /* lines without their "hash" */
	struct store *other; /* a second case whose operations are added under its replica */
};

struct files {
	const struct spec *sp;
	git_repository *repo;
	git_treebuilder *dir;
	char *buf;
	size_t len;
	FILE *mem;
	int64_t first, last;
};

/* The file of operations FIRST..LAST written so far, into the replica's directory. */
static void flush_file(struct files *fs)
{
	char name[64];
	git_oid blob;

	if (!fs->mem)
		return;
	fclose(fs->mem);
	fs->mem = NULL;
	if (fs->sp->bad_name)
		snprintf(name, sizeof(name), "0001.jsonl");
	else
		snprintf(name, sizeof(name), "%012lld-%012lld.jsonl", (long long)fs->first,
			 (long long)fs->last);
	assert_int_equal(git_blob_create_from_buffer(&blob, fs->repo, fs->buf, fs->len), 0);
	assert_int_equal(git_treebuilder_insert(NULL, fs->dir, name, &blob, GIT_FILEMODE_BLOB),
			 0);
	free(fs->buf);
	fs->buf = NULL;
}

/* One op as sync writes it (cf_op_line), or altered as the spec says. */
static int write_line(const struct cf_op *op, void *ctx)
{
	struct files *fs = ctx;
	struct cf_op copy = *op;
	char *text;

	if (op->rseq == fs->sp->skip) {
		flush_file(fs);
		return 0;
	}
	if (op->rseq == fs->sp->alter) {
		copy.author = "mallory";
		assert_int_equal(cf_op_hash(&copy, copy.hash), 0);
	}
	if (!fs->mem) {
		fs->mem = open_memstream(&fs->buf, &fs->len);
		fs->first = op->rseq;
	}
	fs->last = op->rseq;
	text = fs->sp->no_hash ? cf_op_canonical(&copy) : cf_op_line(&copy);
	fprintf(fs->mem, "%s\n", text);
	free(text);
	return 0;
}

/* ops/REPLICA/ of case S into OPS. */
static void add_replica(git_repository *repo, git_treebuilder *ops, struct store *s,
			const struct spec *sp)
{
	struct files fs = { sp, repo, NULL, NULL, 0, NULL, 0, 0 };
	struct cf_err err;
	git_oid sub;

	assert_int_equal(git_treebuilder_new(&fs.dir, repo, NULL), 0);
	assert_int_equal(op_list_replica(s, store_replica(s), 0, write_line, &fs, &err), 0);
	flush_file(&fs);
	assert_int_equal(git_treebuilder_write(&sub, fs.dir), 0);
	git_treebuilder_free(fs.dir);
	assert_int_equal(git_treebuilder_insert(NULL, ops, store_replica(s), &sub,
						GIT_FILEMODE_TREE), 0);
}

/* Writes DIR/casefile.git with one commit on main holding ops/ as SP says. */
static void write_repo(struct fixture *f, const struct spec *sp)
{
	char path[512];
	git_repository *repo;
	git_treebuilder *tb;
	git_oid ops, root, commit;
	git_tree *tree;
	git_signature *sig;
	struct spec plain = { 0 };

	snprintf(path, sizeof(path), "%s/casefile.git", f->dir);
	assert_int_equal(git_repository_init(&repo, path, 1), 0);
	assert_int_equal(git_treebuilder_new(&tb, repo, NULL), 0);
	add_replica(repo, tb, f->s, sp);
	if (sp->other)
		add_replica(repo, tb, sp->other, &plain);
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

	write_repo(f, &(struct spec){ 0 });
	assert_int_equal(export_check_git_ops(f->s, NULL, NULL, &files, &nops, &f->err), 0);
	assert_int_equal(files, 1);
	assert_int_equal(nops, 5); /* the case and four notes */
}

static void test_unsynced_new_ops_are_not_a_problem(void **state)
{
	struct fixture *f = *state;
	struct cf_record r;

	write_repo(f, &(struct spec){ 0 });
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

	write_repo(f, &(struct spec){ .alter = 3 });
	assert_int_equal(export_check_git_ops(f->s, keep, &fd, NULL, NULL, &f->err), 1);
	assert_non_null(strstr(fd.msg[0], "differs from the database"));
	assert_non_null(strstr(fd.msg[0], "ops/"));
}

static void test_op_missing_from_git_is_reported(void **state)
{
	struct fixture *f = *state;
	struct found fd = { 0 };

	write_repo(f, &(struct spec){ .skip = 2 });
	assert_int_equal(export_check_git_ops(f->s, keep, &fd, NULL, NULL, &f->err), 1);
	assert_non_null(strstr(fd.msg[0], "#2) is in the database but missing from git"));
}

static void test_op_only_in_git_is_reported(void **state)
{
	struct fixture *f = *state;
	struct found fd = { 0 };
	char other[256];
	struct store *s2;

	tmpdir(other, sizeof(other));
	assert_int_equal(store_create(other, &(struct cf_case_init){ .title = "x" }, "them", &s2,
				      &f->err), 0);
	write_repo(f, &(struct spec){ .other = s2 });
	assert_int_equal(export_check_git_ops(f->s, keep, &fd, NULL, NULL, &f->err), 1);
	assert_non_null(strstr(fd.msg[0], "in git but not in the database"));
	store_close(s2);
	rmtree(other);
}

/* verify reads ops/ as sync does: a file sync would refuse is a problem, not "ok". */
static void test_file_sync_refuses_is_reported(void **state)
{
	struct fixture *f = *state;
	struct found fd = { 0 };

	write_repo(f, &(struct spec){ .bad_name = 1 });
	assert_true(export_check_git_ops(f->s, keep, &fd, NULL, NULL, &f->err) >= 1);
	assert_non_null(strstr(fd.msg[0], "/0001.jsonl: not an operation file"));
}

static void test_line_sync_refuses_is_reported(void **state)
{
	struct fixture *f = *state;
	struct found fd = { 0 };

	write_repo(f, &(struct spec){ .no_hash = 1 });
	assert_true(export_check_git_ops(f->s, keep, &fd, NULL, NULL, &f->err) >= 1);
	assert_non_null(strstr(fd.msg[0], "-000000000005.jsonl:1: "));
	assert_non_null(strstr(fd.msg[0], "sync would refuse it"));
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
		T(test_file_sync_refuses_is_reported),
		T(test_line_sync_refuses_is_reported),
	};
	return cmocka_run_group_tests_name("opsgit", tests, NULL, NULL);
}
