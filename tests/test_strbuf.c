/* test_strbuf.c — the growing string and the allocation policy: appends of every kind, detach
 * and release, bounded copies, and out of memory ending the process with its message. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "store/store.h"

static void test_empty_strbuf_is_an_empty_c_string(void **state)
{
	struct strbuf sb = STRBUF_INIT;

	(void)state;
	assert_non_null(sb.buf);
	assert_string_equal(sb.buf, "");
	assert_int_equal(sb.len, 0);
	strbuf_reset(&sb);
	strbuf_rtrim(&sb);
	strbuf_release(&sb); /* nothing allocated: nothing freed */
	assert_string_equal(sb.buf, "");
}

static void test_appends_grow_and_stay_terminated(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	size_t i;

	(void)state;
	strbuf_addstr(&sb, "case");
	strbuf_addch(&sb, '/');
	strbuf_add(&sb, "ops.jsonl", 3);
	strbuf_addf(&sb, "-%d-%s", 42, "x");
	assert_string_equal(sb.buf, "case/ops-42-x");
	assert_int_equal(sb.len, strlen("case/ops-42-x"));
	for (i = 0; i < 10000; i++)
		strbuf_addf(&sb, "%05zu", i);
	assert_int_equal(sb.len, 13 + 50000);
	assert_true(sb.alloc > sb.len);
	assert_int_equal(sb.buf[sb.len], '\0');
	assert_memory_equal(sb.buf + 13 + 5 * 9999, "09999", 5);
	strbuf_setlen(&sb, 4);
	assert_string_equal(sb.buf, "case");
	strbuf_addstr(&sb, " \t\n");
	strbuf_rtrim(&sb);
	assert_string_equal(sb.buf, "case");
	strbuf_release(&sb);
	assert_int_equal(sb.len, 0);
}

/* addf in place when it fits, and again after growing when it does not */
static void test_addf_exactly_at_the_edge(void **state)
{
	struct strbuf sb;
	char big[300];

	(void)state;
	strbuf_init(&sb, 8);
	strbuf_addf(&sb, "%s", "1234567"); /* 7 + NUL fills the hint exactly */
	assert_string_equal(sb.buf, "1234567");
	memset(big, 'y', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	strbuf_addf(&sb, "<%s>", big);
	assert_int_equal(sb.len, 7 + 2 + 299);
	assert_int_equal(sb.buf[7], '<');
	assert_int_equal(sb.buf[sb.len - 1], '>');
	strbuf_release(&sb);
}

static void test_detach_hands_over_the_text(void **state)
{
	struct strbuf sb = STRBUF_INIT;
	size_t len = 99;
	char *s;

	(void)state;
	s = strbuf_detach(&sb, &len); /* never NULL, even when empty */
	assert_string_equal(s, "");
	assert_int_equal(len, 0);
	free(s);
	strbuf_addstr(&sb, "kept");
	s = strbuf_detach(&sb, NULL);
	assert_string_equal(s, "kept");
	assert_string_equal(sb.buf, "");
	free(s);
}

static void test_xalloc_helpers(void **state)
{
	char *s;

	(void)state;
	s = xstrndup("abcdef", 3);
	assert_string_equal(s, "abc");
	free(s);
	assert_null(xstrdup_or_null(NULL));
	s = xasprintf("%s=%d", "n", 7);
	assert_string_equal(s, "n=7");
	free(s);
	s = xcalloc(4, 8);
	assert_memory_equal(s, "\0\0\0\0\0\0\0\0", 8);
	s = xreallocarray(s, 100, 8);
	free(s);
}

static void test_strlcpy_cuts_at_a_character_boundary(void **state)
{
	char buf[6];

	(void)state;
	assert_int_equal(cf_strlcpy(buf, "abc", sizeof(buf)), 0);
	assert_string_equal(buf, "abc");
	assert_int_equal(cf_strlcpy(buf, "abcde", sizeof(buf)), 0);
	assert_int_equal(cf_strlcpy(buf, "abcdef", sizeof(buf)), 1);
	assert_string_equal(buf, "abcde");
	/* "abcd" + U+00E9 (2 bytes) does not fit in 5: the whole character goes */
	assert_int_equal(cf_strlcpy(buf, "abcd\xc3\xa9", sizeof(buf)), 1);
	assert_string_equal(buf, "abcd");
}

static void test_strlcpy_of_null_is_empty_and_size_zero_writes_nothing(void **state)
{
	char buf[4] = "xyz";

	(void)state;
	assert_int_equal(cf_strlcpy(buf, "abc", 0), 1);
	assert_string_equal(buf, "xyz");
	assert_int_equal(cf_strlcpy(buf, NULL, sizeof(buf)), 0);
	assert_string_equal(buf, "");
}

static void test_error_prefix_puts_context_before_the_message(void **state)
{
	struct cf_err err;

	(void)state;
	cf_error(&err, CF_EINVAL, "bad time '%s'", "2019-13");
	assert_int_equal(cf_error_prefix(&err, CF_ETAMPER, "%s:%d: field '%s'", "t.csv", 7,
					 "datetime"),
			 CF_ETAMPER);
	assert_int_equal(err.code, CF_ETAMPER);
	assert_string_equal(err.msg, "t.csv:7: field 'datetime': bad time '2019-13'");
	assert_int_equal(cf_error_prefix(NULL, CF_EIO, "x"), CF_EIO);
}

/* Runs FN in a child; its exit status and the first bytes of its stderr. */
static int in_child(void (*fn)(void), char *err, size_t len)
{
	int fds[2], status = 0;
	ssize_t n;
	pid_t pid;

	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(fds[1], STDERR_FILENO);
		close(fds[0]);
		fn();
		_exit(0);
	}
	close(fds[1]);
	n = read(fds[0], err, len - 1);
	err[n > 0 ? n : 0] = '\0';
	close(fds[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static void alloc_too_much(void)
{
	free(xmalloc(SIZE_MAX - 4096)); /* no C library can give this */
}

static void calloc_overflows(void)
{
	free(xcalloc(SIZE_MAX / 2, 3));
}

static void test_out_of_memory_ends_the_process_with_a_message(void **state)
{
	char err[200];

	(void)state;
	assert_int_equal(in_child(alloc_too_much, err, sizeof(err)), 1);
	assert_non_null(strstr(err, "casefile: out of memory"));
	assert_int_equal(in_child(calloc_overflows, err, sizeof(err)), 1);
	assert_non_null(strstr(err, "casefile: out of memory"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_strbuf_is_an_empty_c_string),
		cmocka_unit_test(test_appends_grow_and_stay_terminated),
		cmocka_unit_test(test_addf_exactly_at_the_edge),
		cmocka_unit_test(test_detach_hands_over_the_text),
		cmocka_unit_test(test_xalloc_helpers),
		cmocka_unit_test(test_strlcpy_cuts_at_a_character_boundary),
		cmocka_unit_test(test_strlcpy_of_null_is_empty_and_size_zero_writes_nothing),
		cmocka_unit_test(test_error_prefix_puts_context_before_the_message),
		cmocka_unit_test(test_out_of_memory_ends_the_process_with_a_message),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
