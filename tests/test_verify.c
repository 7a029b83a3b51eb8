/* test_verify.c — store/verify.c and the chain check of store/ops.c: a clean case verifies, and
 * every kind of tampering done behind casefile's back (with the SQLite C API, as the sqlite3
 * command would) is detected and named by record and field. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "store/store.h"
#include "tests/helpers.h"

struct fixture {
	char dir[256];
	struct store *s;
	struct cf_err err;
	char event[CF_ID_LEN + 1]; /* an event of the demo case, by its summary */
};

static int find_event(const struct cf_record *r, void *ctx)
{
	struct fixture *f = ctx;
	if (strstr(cf_record_get(r, "summary"), "dark web")) {
		memcpy(f->event, r->id, sizeof(f->event));
		return 1;
	}
	return 0;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	tmpdir(f->dir, sizeof(f->dir));
	if (demo_create(f->dir, "tester", &f->err) < 0 || store_open(f->dir, &f->s, &f->err) < 0)
		return -1;
	record_list(f->s, CF_EVENT, NULL, find_event, f, &f->err);
	if (!f->event[0])
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	store_close(f->s);
	rmtree(f->dir);
	free(f);
	return 0;
}

/* Runs SQL on the case database through a second connection, as `sqlite3 casefile.db`
 * would, while casefile's own handle is closed; then reopens it. */
static void tamper(struct fixture *f, const char *sql)
{
	char path[512];
	sqlite3 *db;
	char *msg = NULL;

	store_close(f->s);
	f->s = NULL;
	snprintf(path, sizeof(path), "%s/casefile.db", f->dir);
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("tamper: %s", msg);
	assert_int_equal(sqlite3_changes(db) > 0, 1);
	sqlite3_close(db);
	assert_int_equal(store_open(f->dir, &f->s, &f->err), 0);
}

struct found {
	int n;
	char check[8][16];
	enum cf_kind kind[8];
	char record[8][CF_ID_LEN + 1];
	char field[8][32];
	char msg[8][512];
};

static int keep(const struct cf_problem *p, void *ctx)
{
	struct found *fd = ctx;
	int i = fd->n++;

	if (i >= 8)
		return 0;
	snprintf(fd->check[i], sizeof(fd->check[i]), "%s", p->check);
	fd->kind[i] = p->kind;
	snprintf(fd->record[i], sizeof(fd->record[i]), "%s", p->record ? p->record : "");
	snprintf(fd->field[i], sizeof(fd->field[i]), "%s", p->field ? p->field : "");
	snprintf(fd->msg[i], sizeof(fd->msg[i]), "%s", p->msg);
	return 0;
}

/* Every check on F's case; the problems into FD, their total returned. */
static int verify_all(struct fixture *f, struct found *fd)
{
	int total = 0, n;

	memset(fd, 0, sizeof(*fd));
	assert_true((n = verify_integrity(f->s, keep, fd, &f->err)) >= 0);
	total += n;
	assert_true((n = op_check_chains(f->s, keep, fd, NULL, NULL, &f->err)) >= 0);
	total += n;
	assert_true((n = verify_heads(f->s, keep, fd, NULL, &f->err)) >= 0);
	total += n;
	assert_true((n = verify_replay(f->s, keep, fd, NULL, &f->err)) >= 0);
	total += n;
	assert_int_equal(total, fd->n);
	return total;
}

/* The index of the first problem from CHECK, or fails the test. */
static int problem_from(const struct found *fd, const char *check)
{
	for (int i = 0; i < fd->n && i < 8; i++)
		if (strcmp(fd->check[i], check) == 0)
			return i;
	fail_msg("no problem reported by the %s check", check);
	return -1;
}

static void test_clean_demo_case_verifies(void **state)
{
	struct fixture *f = *state;
	struct found fd;
	int64_t nops = 0, nrecords = 0, nheads = 0;

	assert_int_equal(verify_all(f, &fd), 0);
	assert_int_equal(op_check_chains(f->s, NULL, NULL, &nops, NULL, &f->err), 0);
	assert_true(nops > 30);
	assert_int_equal(verify_replay(f->s, NULL, NULL, &nrecords, &f->err), 0);
	assert_true(nrecords > 20);
	assert_int_equal(verify_heads(f->s, NULL, NULL, &nheads, &f->err), 0);
	assert_int_equal(nheads, 1);
	assert_int_equal(op_verify_chain(f->s, &f->err), 0);
}

static void test_record_changed_behind_our_back_is_named(void **state)
{
	struct fixture *f = *state;
	char sql[256];
	struct found fd;
	int i;

	snprintf(sql, sizeof(sql), "UPDATE event SET summary = 'nothing happened' WHERE id = '%s'",
		 f->event);
	tamper(f, sql);
	assert_int_equal(verify_all(f, &fd), 1);
	i = problem_from(&fd, "replay");
	assert_int_equal(fd.kind[i], CF_EVENT);
	assert_string_equal(fd.record[i], f->event);
	assert_string_equal(fd.field[i], "summary");
	assert_non_null(strstr(fd.msg[i], "nothing happened"));
}

static void test_deleted_flag_and_missing_row_are_named(void **state)
{
	struct fixture *f = *state;
	char sql[256];
	struct found fd;
	int i;

	snprintf(sql, sizeof(sql), "UPDATE event SET deleted = 1 WHERE id = '%s'", f->event);
	tamper(f, sql);
	assert_int_equal(verify_all(f, &fd), 1);
	i = problem_from(&fd, "replay");
	assert_string_equal(fd.field[i], "deleted");
	assert_string_equal(fd.record[i], f->event);

	snprintf(sql, sizeof(sql), "DELETE FROM event WHERE id = '%s'", f->event);
	tamper(f, sql);
	assert_int_equal(verify_all(f, &fd), 1);
	assert_non_null(strstr(fd.msg[problem_from(&fd, "replay")], "missing from the table"));
}

static void test_row_added_behind_our_back_is_named(void **state)
{
	struct fixture *f = *state;
	struct found fd;

	tamper(f, "INSERT INTO task(id, sort_key, title)"
		  " VALUES ('zzzzzzzzzzzzzzzzzzzz', '~', 'x')");
	assert_int_equal(verify_all(f, &fd), 1);
	assert_string_equal(fd.record[problem_from(&fd, "replay")], "zzzzzzzzzzzzzzzzzzzz");
}

static void test_altered_operations_are_each_reported(void **state)
{
	struct fixture *f = *state;
	struct found fd;
	int i;

	tamper(f, "UPDATE op SET author = 'mallory' WHERE seq IN (5, 17)");
	assert_int_equal(verify_all(f, &fd), 2);
	i = problem_from(&fd, "chain");
	assert_non_null(strstr(fd.msg[i], "does not match its hash"));
	assert_string_equal(fd.check[1], "chain"); /* both, not just the first */
	assert_int_equal(op_verify_chain(f->s, &f->err), CF_ETAMPER);
	assert_non_null(strstr(f->err.msg, "does not match its hash"));
}

static void test_altered_value_names_record_and_field(void **state)
{
	struct fixture *f = *state;
	char sql[256];
	struct found fd;
	int i;

	snprintf(sql, sizeof(sql), "UPDATE op SET new = replace(new, 'dark web', 'moon')"
		 " WHERE record = '%s'", f->event);
	tamper(f, sql);
	assert_true(verify_all(f, &fd) >= 2); /* the hash, and the replay now differs */
	i = problem_from(&fd, "chain");
	assert_int_equal(fd.kind[i], CF_EVENT);
	assert_string_equal(fd.record[i], f->event);
	i = problem_from(&fd, "replay");
	assert_string_equal(fd.record[i], f->event);
	assert_string_equal(fd.field[i], "summary");
}

static void test_operation_deleted_from_the_middle_of_a_chain(void **state)
{
	struct fixture *f = *state;
	struct found fd;
	int i;

	tamper(f, "DELETE FROM op WHERE seq = 20");
	assert_true(verify_all(f, &fd) >= 2);
	i = problem_from(&fd, "chain");
	assert_non_null(strstr(fd.msg[i], "#20 is missing"));
	problem_from(&fd, "replay"); /* the record it created is no longer in the log */
}

static void test_last_operation_deleted_from_a_chain(void **state)
{
	struct fixture *f = *state;
	struct found fd;
	int i;

	tamper(f, "DELETE FROM op WHERE seq = (SELECT max(seq) FROM op)");
	assert_int_equal(op_check_chains(f->s, NULL, NULL, NULL, NULL, &f->err), 0);
	assert_true(verify_all(f, &fd) >= 1);
	i = problem_from(&fd, "head");
	assert_non_null(strstr(fd.msg[i], "is missing"));
}

/* The hardest case: the last change cut from the log and undone in the table, so that the
 * tables and the log agree.  Only the stored head still remembers it. */
static void test_last_change_cut_and_undone_is_caught_by_the_head(void **state)
{
	struct fixture *f = *state;
	char sql[512];
	struct found fd;
	int i;

	assert_int_equal(record_set(f->s, CF_EVENT, f->event, "source", "rumour", &f->err), 0);
	assert_int_equal(verify_all(f, &fd), 0);
	snprintf(sql, sizeof(sql),
		 "DELETE FROM op WHERE seq = (SELECT max(seq) FROM op);"
		 "UPDATE event SET source = (SELECT json_extract(new, '$.source') FROM op"
		 " WHERE record = '%s' AND field = '@create') WHERE id = '%s'", f->event, f->event);
	tamper(f, sql);
	assert_int_equal(verify_all(f, &fd), 1);
	i = problem_from(&fd, "head");
	assert_non_null(strstr(fd.msg[i], "last operation"));
}

static void test_operation_that_cannot_be_replayed_is_reported_not_fatal(void **state)
{
	struct fixture *f = *state;
	struct found fd;

	tamper(f, "UPDATE op SET field = 'bogus' WHERE seq = 15; UPDATE op SET kind = 'weird'"
		  " WHERE seq = 16");
	assert_true(verify_all(f, &fd) >= 4);
	assert_non_null(strstr(fd.msg[problem_from(&fd, "replay")], "cannot be replayed"));
	assert_non_null(strstr(fd.msg[problem_from(&fd, "chain")], "does not match its hash"));
}

static void test_head_row_removed_is_reported(void **state)
{
	struct fixture *f = *state;
	struct found fd;

	tamper(f, "DELETE FROM meta WHERE key LIKE 'head:%'");
	assert_int_equal(verify_all(f, &fd), 1);
	assert_non_null(strstr(fd.msg[problem_from(&fd, "head")], "no recorded head"));
}

static void test_heads_follow_new_operations(void **state)
{
	struct fixture *f = *state;
	struct found fd;

	assert_int_equal(record_set(f->s, CF_EVENT, f->event, "source", "a", &f->err), 0);
	assert_int_equal(record_set(f->s, CF_EVENT, f->event, "source", "b", &f->err), 0);
	assert_int_equal(verify_all(f, &fd), 0);
	/* An op appended with SQL does not move the head. */
	tamper(f, "INSERT INTO op(id, replica, rseq, lamport, kind, record, field, old, new,"
		  " author, at, prev, hash) SELECT 'x' || id, replica, rseq + 1, lamport + 1,"
		  " kind, record, field, old, new, author, at, hash, hash FROM op"
		  " WHERE seq = (SELECT max(seq) FROM op)");
	assert_true(verify_all(f, &fd) >= 1);
	assert_non_null(strstr(fd.msg[problem_from(&fd, "head")], "without moving its head"));
}

/* The chains and SQLite's own checks run in verify_bg's thread, on a second connection, and
 * report exactly what they report run in line: a damaged full-text index, a clean database,
 * altered operations. */
static void test_background_checks_report_as_in_line(void **state)
{
	struct fixture *f = *state;
	struct found fd, inline_fd;
	struct verify_bg *bg = NULL;
	double secs = -1;
	int64_t nops = 0, bgops = 0, nreplicas = 0;
	int n;

	tamper(f, "INSERT INTO event_fts(event_fts) VALUES ('delete-all')");
	memset(&inline_fd, 0, sizeof(inline_fd));
	assert_int_equal(verify_fts(f->s, keep, &inline_fd, &f->err), 1);
	memset(&fd, 0, sizeof(fd));
	assert_int_equal(verify_bg_start(f->s, 1, &bg, &f->err), 0);
	assert_int_equal(verify_bg_integrity(bg, keep, &fd, &secs, &f->err), 0);
	assert_true(secs >= 0);
	assert_int_equal(fd.n, 0);
	assert_int_equal(verify_bg_fts(bg, keep, &fd, &secs, &f->err), 1);
	assert_int_equal(fd.n, 1);
	assert_string_equal(fd.check[0], "fts");
	assert_int_equal(fd.kind[0], CF_EVENT);
	assert_string_equal(fd.msg[0], inline_fd.msg[0]);
	verify_bg_free(bg);
	/* Without the full-text check: integrity alone, and the index left unread. */
	memset(&fd, 0, sizeof(fd));
	assert_int_equal(verify_bg_start(f->s, 0, &bg, &f->err), 0);
	assert_int_equal(verify_bg_fts(bg, keep, &fd, NULL, &f->err), 0);
	assert_int_equal(verify_bg_integrity(bg, keep, &fd, NULL, &f->err), 0);
	verify_bg_free(bg);
	/* The chains from the thread, through its spool file: every problem op_check_chains gives
	 * in line, with its record, field and operation. */
	tamper(f, "UPDATE op SET author = 'mallory' WHERE seq % 3 = 0");
	memset(&inline_fd, 0, sizeof(inline_fd));
	n = op_check_chains(f->s, keep, &inline_fd, &nops, NULL, &f->err);
	assert_true(n > 8);
	memset(&fd, 0, sizeof(fd));
	assert_int_equal(verify_bg_start(f->s, 1, &bg, &f->err), 0);
	assert_int_equal(verify_bg_chains(bg, keep, &fd, &bgops, &nreplicas, &secs, &f->err), n);
	assert_int_equal(fd.n, n);
	assert_int_equal(bgops, nops);
	assert_int_equal(nreplicas, 1);
	for (int i = 0; i < 8; i++) {
		assert_string_equal(fd.check[i], inline_fd.check[i]);
		assert_int_equal(fd.kind[i], inline_fd.kind[i]);
		assert_string_equal(fd.record[i], inline_fd.record[i]);
		assert_string_equal(fd.field[i], inline_fd.field[i]);
		assert_string_equal(fd.msg[i], inline_fd.msg[i]);
	}
	verify_bg_free(bg);
	/* Freed before it is waited for: the thread is joined, nothing leaks. */
	assert_int_equal(verify_bg_start(f->s, 1, &bg, &f->err), 0);
	verify_bg_free(bg);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_clean_demo_case_verifies),
		T(test_record_changed_behind_our_back_is_named),
		T(test_deleted_flag_and_missing_row_are_named),
		T(test_row_added_behind_our_back_is_named),
		T(test_altered_operations_are_each_reported),
		T(test_altered_value_names_record_and_field),
		T(test_operation_deleted_from_the_middle_of_a_chain),
		T(test_last_operation_deleted_from_a_chain),
		T(test_last_change_cut_and_undone_is_caught_by_the_head),
		T(test_operation_that_cannot_be_replayed_is_reported_not_fatal),
		T(test_head_row_removed_is_reported),
		T(test_heads_follow_new_operations),
		T(test_background_checks_report_as_in_line),
	};
	return cmocka_run_group_tests_name("verify", tests, NULL, NULL);
}
