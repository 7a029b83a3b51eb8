/* test_crash.c — crash safety and concurrency of the store: writers killed with SIGKILL at
 * random moments lose nothing they reported, and two writers at once never see "locked". */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "store/store.h"
#include "tests/helpers.h"

static void make_case(char *dir, size_t len)
{
	struct store *s;
	struct cf_err err;

	tmpdir(dir, len);
	if (store_create(dir, &(struct cf_case_init){ .title = "crash" }, "me", &s, &err) < 0)
		fail_msg("store_create: %s", err.msg);
	store_close(s);
}

static int add_event(struct store *s, int n, char id[CF_ID_LEN + 1], struct cf_err *err)
{
	struct cf_record r;
	char summary[64];
	int rc;

	snprintf(summary, sizeof(summary), "event %d from %d", n, (int)getpid());
	cf_record_init(&r, CF_EVENT);
	cf_record_set(&r, "occurred", "2019-05-31T14:02Z", err);
	cf_record_set(&r, "summary", summary, err);
	rc = record_add(s, &r, err);
	if (rc == 0)
		memcpy(id, r.id, CF_ID_LEN + 1);
	cf_record_release(&r);
	return rc;
}

/* The child: adds events forever, alone or in batches of 10 in one transaction, writing each
 * id to FD only once the add (or the batch's commit) has returned success. */
static void writer_child(const char *dir, int fd, int batch)
{
	struct store *s;
	struct cf_err err;
	char ids[10][CF_ID_LEN + 2];

	if (store_open(dir, &s, &err) < 0)
		_exit(3);
	store_set_author(s, "crash test");
	for (int n = 0;; n++) {
		int k = batch ? 10 : 1;
		if (batch && store_begin(s, &err) < 0)
			_exit(4);
		for (int i = 0; i < k; i++) {
			if (add_event(s, n * 10 + i, ids[i], &err) < 0)
				_exit(5);
			ids[i][CF_ID_LEN] = '\n';
		}
		if (batch && store_commit(s, &err) < 0)
			_exit(6);
		for (int i = 0; i < k; i++)
			if (write(fd, ids[i], CF_ID_LEN + 1) != CF_ID_LEN + 1)
				_exit(7);
	}
}

static unsigned rnd(unsigned below)
{
	unsigned v = 0;
	if (getrandom(&v, sizeof(v), 0) != sizeof(v))
		abort();
	return v % below;
}

static int64_t count_of(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	int64_t n = -1;
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* After a kill: the file is sound, the chain verifies, every reported id is there, and every
 * event has exactly its create operation (no half-written transaction). */
static int64_t check_after_kill(const char *dir, const char *reported, size_t len)
{
	struct store *s;
	struct cf_err err;
	struct cf_record r;
	sqlite3_stmt *st;
	char id[CF_ID_LEN + 1];
	int64_t events;

	if (store_open(dir, &s, &err) < 0)
		fail_msg("reopen after kill: %s", err.msg);
	assert_int_equal(sqlite3_prepare_v2(store_db(s), "PRAGMA integrity_check", -1, &st, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "ok");
	sqlite3_finalize(st);
	if (op_verify_chain(s, &err) < 0)
		fail_msg("chain after kill: %s", err.msg);
	for (size_t off = 0; off + CF_ID_LEN < len; off += CF_ID_LEN + 1) {
		memcpy(id, reported + off, CF_ID_LEN);
		id[CF_ID_LEN] = '\0';
		if (record_get(s, CF_EVENT, id, &r, &err) < 0)
			fail_msg("event %s was reported added but is gone: %s", id, err.msg);
		cf_record_release(&r);
	}
	events = count_of(store_db(s), "SELECT count(*) FROM event");
	assert_int_equal(events, count_of(store_db(s), "SELECT count(*) FROM op WHERE kind ="
						       " 'event' AND field = '@create'"));
	assert_int_equal(count_of(store_db(s), "SELECT count(*) FROM event_fts"), events);
	store_close(s);
	return events;
}

static size_t drain(int fd, char **buf, size_t len, size_t *cap)
{
	ssize_t n;
	for (;;) {
		if (len + 4096 > *cap) {
			*cap = (*cap + 4096) * 2;
			*buf = realloc(*buf, *cap);
			assert_non_null(*buf);
		}
		n = read(fd, *buf + len, 4096);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return len;
		len += (size_t)n;
	}
}

static void test_sigkill_at_random_moments_loses_nothing_reported(void **state)
{
	const char *stress = getenv("CASEFILE_STRESS");
	int rounds = stress && *stress && strcmp(stress, "0") != 0 ? 1000 : 60;
	char dir[256], *ids = NULL;
	size_t cap = 0, total = 0;
	int64_t events = 0;

	(void)state;
	make_case(dir, sizeof(dir));
	for (int round = 0; round < rounds; round++) {
		int fds[2], status;
		size_t len;
		pid_t pid;
		struct timespec ts;

		assert_int_equal(pipe(fds), 0);
		pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			close(fds[0]);
			writer_child(dir, fds[1], round % 3 == 2);
		}
		close(fds[1]);
		/* 0 to 30 ms: sometimes while opening, mostly in the middle of writes. */
		ts.tv_sec = 0;
		ts.tv_nsec = (long)rnd(30000) * 1000;
		nanosleep(&ts, NULL);
		kill(pid, SIGKILL);
		assert_int_equal(waitpid(pid, &status, 0), pid);
		if (!WIFSIGNALED(status))
			fail_msg("round %d: writer exited with %d before the kill", round,
				 WEXITSTATUS(status));
		len = drain(fds[0], &ids, 0, &cap);
		close(fds[0]);
		events = check_after_kill(dir, ids, len);
		total += len / (CF_ID_LEN + 1);
		assert_true(events >= (int64_t)total);
	}
	print_message("%d kills, %zu adds reported, %lld events stored\n", rounds, total,
		      (long long)events);
	free(ids);
	rmtree(dir);
}

static void concurrent_child(const char *dir, int count)
{
	struct store *s;
	struct cf_err err;
	char id[CF_ID_LEN + 1];

	if (store_open(dir, &s, &err) < 0) {
		fprintf(stderr, "open: %s\n", err.msg);
		_exit(3);
	}
	for (int i = 0; i < count; i++) {
		if (add_event(s, i, id, &err) < 0) {
			fprintf(stderr, "add %d: %s\n", i, err.msg);
			_exit(4);
		}
	}
	store_close(s);
	_exit(0);
}

static void test_two_writers_at_once_both_succeed(void **state)
{
	char dir[256];
	pid_t pid[2];
	struct store *s;
	struct cf_err err;

	(void)state;
	make_case(dir, sizeof(dir));
	for (int i = 0; i < 2; i++) {
		pid[i] = fork();
		assert_true(pid[i] >= 0);
		if (pid[i] == 0)
			concurrent_child(dir, 2000);
	}
	for (int i = 0; i < 2; i++) {
		int status;
		assert_int_equal(waitpid(pid[i], &status, 0), pid[i]);
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), 0);
	}
	assert_int_equal(store_open(dir, &s, &err), 0);
	assert_int_equal(record_count(s, CF_EVENT), 4000);
	if (op_verify_chain(s, &err) < 0)
		fail_msg("chain: %s", err.msg);
	store_close(s);
	rmtree(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sigkill_at_random_moments_loses_nothing_reported),
		cmocka_unit_test(test_two_writers_at_once_both_succeed),
	};
	return cmocka_run_group_tests_name("crash", tests, NULL, NULL);
}
