/* test_import.c — Timesketch timelines: CSV with RFC 4180 quoting, JSONL, extra columns kept
 * as attributes, and a malformed row failing the whole import with FILE:LINE. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>
#include <sqlite3.h>

#include "store/store.h"
#include "tests/helpers.h"

struct fixture {
	char dir[256];
	char file[320];
	struct store *s;
};

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	struct cf_err err;

	tmpdir(fx->dir, sizeof(fx->dir));
	if (store_create(fx->dir, &(struct cf_case_init){ .title = "t" }, "me", &fx->s, &err) < 0)
		return -1;
	snprintf(fx->file, sizeof(fx->file), "%s/../timeline.csv", fx->dir);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	store_close(fx->s);
	rmtree(fx->dir);
	free(fx);
	return 0;
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int count_ops(const struct cf_op *op, void *ctx)
{
	(void)op;
	(*(int *)ctx)++;
	return 0;
}

static int nops(struct store *s)
{
	struct cf_err err;
	int n = 0;
	assert_int_equal(op_list(s, NULL, count_ops, &n, &err), 0);
	return n;
}

#define MAX_ROWS 8
struct rows {
	int n;
	struct cf_record r[MAX_ROWS];
};

static int keep(const struct cf_record *r, void *ctx)
{
	struct rows *rows = ctx;
	const struct cf_kind_info *ki = cf_kind_info(r->kind);
	struct cf_record *k;
	assert_true(rows->n < MAX_ROWS);
	k = &rows->r[rows->n++];
	cf_record_init(k, r->kind);
	memcpy(k->id, r->id, sizeof(k->id));
	for (size_t i = 0; i < ki->nfields; i++)
		k->v[i] = r->v[i] ? strdup(r->v[i]) : NULL;
	return 0;
}

static void load(struct store *s, struct rows *rows)
{
	struct cf_err err;
	memset(rows, 0, sizeof(*rows));
	assert_int_equal(record_list(s, CF_EVENT, NULL, keep, rows, &err), 0);
}

static void release(struct rows *rows)
{
	for (int i = 0; i < rows->n; i++)
		cf_record_release(&rows->r[i]);
}

static const char *attr(const struct cf_record *r, const char *key, char *buf, size_t len)
{
	json_t *o = json_loads(cf_record_get(r, "attrs"), 0, NULL);
	json_t *v = json_object_get(o, key);
	if (json_is_string(v))
		snprintf(buf, len, "%s", json_string_value(v));
	else if (v) {
		char *t = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
		snprintf(buf, len, "%s", t);
		free(t);
	} else
		snprintf(buf, len, "(none)");
	json_decref(o);
	return buf;
}

static void test_csv_quoting_and_extra_columns(void **state)
{
	struct fixture *fx = *state;
	struct cf_err err;
	struct rows rows;
	int64_t n;
	char buf[256];

	write_file(fx->file,
		   "\xEF\xBB\xBF" "datetime,timestamp_desc,message,hostname,tag\r\n"
		   "2019-05-31T14:02:05+00:00,Last Written,\"login from 10.0.0.5, port 22\","
		   "jump-1,ssh\r\n"
		   "2019-05-30T08:00:00Z,File Created,\"copied \"\"faces.zip\"\"\nto share\",,\r\n"
		   "\r\n"
		   "2019-06-01T00:00:00.123456+00:00,Event Recorded,\"a,b,c\",\"host,with,commas\","
		   "\"\"\n");
	assert_int_equal(import_events(fx->s, fx->file, &n, &err), 0);
	assert_int_equal(n, 3);
	load(fx->s, &rows);
	assert_int_equal(rows.n, 3);
	/* Sorted by time: the May 30 row first. */
	assert_string_equal(cf_record_get(&rows.r[0], "summary"), "copied \"faces.zip\"\nto share");
	assert_string_equal(cf_record_get(&rows.r[0], "occurred"), "2019-05-30T08:00:00Z");
	assert_string_equal(attr(&rows.r[0], "timestamp_desc", buf, sizeof(buf)), "File Created");
	assert_string_equal(attr(&rows.r[0], "hostname", buf, sizeof(buf)), "(none)");
	assert_string_equal(cf_record_get(&rows.r[1], "summary"), "login from 10.0.0.5, port 22");
	assert_string_equal(attr(&rows.r[1], "hostname", buf, sizeof(buf)), "jump-1");
	assert_string_equal(attr(&rows.r[1], "tag", buf, sizeof(buf)), "ssh");
	assert_string_equal(cf_record_get(&rows.r[1], "kind"), "imported");
	assert_string_equal(cf_record_get(&rows.r[1], "source"), "import: timeline.csv");
	assert_string_equal(cf_record_get(&rows.r[2], "summary"), "a,b,c");
	assert_string_equal(attr(&rows.r[2], "hostname", buf, sizeof(buf)), "host,with,commas");
	release(&rows);
	assert_int_equal(op_verify_chain(fx->s, &err), 0);
}

static void test_jsonl_keeps_extra_keys(void **state)
{
	struct fixture *fx = *state;
	struct cf_err err;
	struct rows rows;
	int64_t n;
	char buf[256];

	write_file(fx->file,
		   "{\"message\": \"svc started\", \"datetime\": \"2019-05-31T14:02:05Z\","
		   " \"timestamp_desc\": \"Event Recorded\", \"pid\": 4242, \"user\": \"svc\"}\n"
		   "\n"
		   "{\"message\": \"caf\\u00e9 \\\"x\\\"\", \"datetime\": \"2019-05-31\","
		   " \"timestamp_desc\": \"Day\", \"tags\": [\"a\", \"b\"]}\n");
	assert_int_equal(import_events(fx->s, fx->file, &n, &err), 0);
	assert_int_equal(n, 2);
	load(fx->s, &rows);
	assert_int_equal(rows.n, 2);
	assert_string_equal(cf_record_get(&rows.r[0], "summary"), "caf\xc3\xa9 \"x\"");
	assert_string_equal(attr(&rows.r[0], "tags", buf, sizeof(buf)), "[\"a\",\"b\"]");
	assert_string_equal(attr(&rows.r[1], "pid", buf, sizeof(buf)), "4242");
	assert_string_equal(attr(&rows.r[1], "user", buf, sizeof(buf)), "svc");
	release(&rows);
}

/* Each malformed file fails, names FILE:LINE, and leaves the case as it was. */
static void test_malformed_rows_name_file_and_line_and_write_nothing(void **state)
{
	static const struct {
		const char *text, *where;
	} bad[] = {
		{ "message,datetime,timestamp_desc\nok,2019-01-01,x\nbad,2019-02-30,x\n",
		  "timeline.csv:3:" },
		{ "message,datetime,timestamp_desc\n\"two\nlines\",2019-01-01,x\nshort,2019\n",
		  "timeline.csv:4:" },
		{ "message,datetime,timestamp_desc\nok,2019-01-01,x\n,2019-01-01,x\n",
		  "timeline.csv:3:" },
		{ "message,datetime,timestamp_desc\nok,2019-01-01,x\n\"unterminated,2019,x\n",
		  "timeline.csv:" },
		{ "msg,when\nok,2019\n", "timeline.csv:1:" },
		{ "{\"message\":\"a\",\"datetime\":\"2019\",\"timestamp_desc\":\"x\"}\n{oops\n",
		  "timeline.csv:2:" },
		{ "{\"message\":\"a\",\"datetime\":\"2019\",\"timestamp_desc\":\"x\"}\n\n"
		  "{\"message\":\"a\",\"datetime\":\"soon\",\"timestamp_desc\":\"x\"}\n",
		  "timeline.csv:3:" },
		{ "{\"message\":\"a\",\"datetime\":\"2019\"}\n", "timeline.csv:1:" },
	};
	struct fixture *fx = *state;
	struct cf_err err;
	int64_t n;
	int before = nops(fx->s);

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		write_file(fx->file, bad[i].text);
		if (import_events(fx->s, fx->file, &n, &err) == 0)
			fail_msg("case %zu was accepted", i);
		if (!strstr(err.msg, bad[i].where))
			fail_msg("case %zu: '%s' does not name %s", i, err.msg, bad[i].where);
		assert_int_equal(n, 0);
		assert_int_equal(record_count(fx->s, CF_EVENT), 0);
		assert_int_equal(nops(fx->s), before);
	}
	assert_int_equal(import_events(fx->s, "/nonexistent/t.csv", &n, &err), CF_EIO);
	assert_non_null(strstr(err.msg, "/nonexistent/t.csv"));
}

static void write_bytes(const char *path, const char *head, const char *body, size_t n, size_t reps)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	fputs(head, f);
	for (size_t i = 0; i < reps; i++)
		assert_int_equal(fwrite(body, 1, n, f), n);
	fclose(f);
}

/* A NUL byte would cut a cell short unseen; a record without end (/dev/zero, a disk image)
 * would fill memory: both are errors naming the file and line, and nothing is written. */
static void test_nul_bytes_and_endless_records_are_errors(void **state)
{
	static const char head[] = "message,datetime,timestamp_desc\n";
	struct fixture *fx = *state;
	struct cf_err err;
	int64_t n;
	char big[4096];

	write_bytes(fx->file, head, "ok,2019,x\nab\0cd,2019,x\n", 23, 1);
	assert_int_equal(import_events(fx->s, fx->file, &n, &err), CF_EINVAL);
	assert_non_null(strstr(err.msg, "timeline.csv:3: a NUL byte"));
	write_bytes(fx->file, "", "{\"message\":\"a\0b\",\"datetime\":\"2019\"}\n", 36, 1);
	assert_int_equal(import_events(fx->s, fx->file, &n, &err), CF_EINVAL);
	assert_non_null(strstr(err.msg, "timeline.csv:1: a NUL byte"));
	memset(big, 'a', sizeof(big));
	write_bytes(fx->file, head, big, sizeof(big), 300);
	assert_int_equal(import_events(fx->s, fx->file, &n, &err), CF_EINVAL);
	assert_non_null(strstr(err.msg, "timeline.csv:2: record longer than"));
	write_bytes(fx->file, "{\"message\":\"", big, sizeof(big), 300);
	assert_int_equal(import_events(fx->s, fx->file, &n, &err), CF_EINVAL);
	assert_non_null(strstr(err.msg, "timeline.csv:1: line longer than"));
	assert_int_equal(import_events(fx->s, "/dev/zero", &n, &err), CF_EINVAL);
	assert_non_null(strstr(err.msg, "/dev/zero:"));
	assert_int_equal(record_count(fx->s, CF_EVENT), 0);
}

/* Ids are handed out from sorted batches about as big as the file's row count guess; short
 * rows overrun a batch several times.  Every event and op still gets its own id, every event
 * its create op, and the chain holds. */
static void test_many_short_rows_overrun_the_id_batch(void **state)
{
	struct fixture *fx = *state;
	struct cf_err err;
	sqlite3_stmt *st;
	int64_t count = 0;
	FILE *f = fopen(fx->file, "wb");
	enum { N = 700 };

	assert_non_null(f);
	fputs("message,datetime,timestamp_desc\n", f);
	for (int i = 0; i < N; i++)
		fprintf(f, "m%d,2019,x\n", i);
	fclose(f);
	assert_int_equal(import_events(fx->s, fx->file, &count, &err), 0);
	assert_int_equal(count, N);
	assert_int_equal(sqlite3_prepare_v2(store_db(fx->s),
		"SELECT (SELECT count(DISTINCT id) FROM event WHERE kind = 'imported'),"
		" (SELECT count(DISTINCT id) FROM op WHERE field = '@create' AND kind = 'event'),"
		" (SELECT count(*) FROM event e WHERE kind = 'imported' AND NOT EXISTS"
		"  (SELECT 1 FROM op WHERE record = e.id AND field = '@create'))",
		-1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(st, 0), N);
	assert_int_equal(sqlite3_column_int(st, 1), N);
	assert_int_equal(sqlite3_column_int(st, 2), 0);
	sqlite3_finalize(st);
	assert_int_equal(op_verify_chain(fx->s, &err), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_csv_quoting_and_extra_columns, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_jsonl_keeps_extra_keys, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_malformed_rows_name_file_and_line_and_write_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_many_short_rows_overrun_the_id_batch, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_nul_bytes_and_endless_records_are_errors, setup,
						teardown),
	};
	return cmocka_run_group_tests_name("import", tests, NULL, NULL);
}
