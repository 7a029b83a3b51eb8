/* test_evidence.c — store/evidence.c: files hashed as sha256sum does (streamed, in constant
 * memory), custody events on collection and transfer, and re-hashing finds changed and
 * missing files. */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "store/store.h"
#include "tests/helpers.h"

struct fixture {
	char dir[256];
	char files[300];
	struct store *s;
	struct cf_err err;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct cf_case_init ci = { .title = "t", .tz = "America/New_York" };

	tmpdir(f->dir, sizeof(f->dir));
	snprintf(f->files, sizeof(f->files), "%s", f->dir);
	*strrchr(f->files, '/') = '\0';
	if (store_create(f->dir, &ci, "Ann Analyst", &f->s, &f->err) < 0)
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

/* Writes LEN bytes of DATA to a new file NAME beside the case; its path into PATH. */
static void write_file(struct fixture *f, const char *name, const void *data, size_t len,
		       char *path, size_t plen)
{
	FILE *fp;
	snprintf(path, plen, "%s/%s", f->files, name);
	fp = fopen(path, "wb");
	assert_non_null(fp);
	assert_int_equal(fwrite(data, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
}

/* sha256sum PATH, run with fork/exec (no shell): the first 64 characters of its output. */
static void sha256sum(const char *path, char out[CF_HASH_LEN + 1])
{
	int fds[2], status;
	pid_t pid;
	ssize_t n, got = 0;

	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(fds[1], 1);
		close(fds[0]);
		close(fds[1]);
		execlp("sha256sum", "sha256sum", path, (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	while (got < CF_HASH_LEN && (n = read(fds[0], out + got, (size_t)(CF_HASH_LEN - got))) > 0)
		got += n;
	close(fds[0]);
	out[CF_HASH_LEN] = '\0';
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert_int_equal(got, CF_HASH_LEN);
}

static void test_sha256_matches_known_vectors(void **state)
{
	struct fixture *f = *state;
	char path[512], hex[CF_HASH_LEN + 1];
	int64_t size = -1;

	write_file(f, "abc", "abc", 3, path, sizeof(path));
	assert_int_equal(cf_sha256_file(path, hex, &size, &f->err), 0);
	assert_string_equal(hex,
			    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	assert_int_equal(size, 3);
	write_file(f, "empty", "", 0, path, sizeof(path));
	assert_int_equal(cf_sha256_file(path, hex, &size, &f->err), 0);
	assert_string_equal(hex,
			    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	assert_int_equal(size, 0);
}

static void test_sha256_matches_sha256sum_across_chunks(void **state)
{
	struct fixture *f = *state;
	size_t len = 3 * (1 << 20) + 12345; /* several read chunks and a partial one */
	unsigned char *data = malloc(len);
	char path[512], hex[CF_HASH_LEN + 1], want[CF_HASH_LEN + 1];
	int64_t size = 0;

	for (size_t i = 0; i < len; i++)
		data[i] = (unsigned char)(i * 2654435761u >> 13);
	write_file(f, "pattern.bin", data, len, path, sizeof(path));
	free(data);
	assert_int_equal(cf_sha256_file(path, hex, &size, &f->err), 0);
	sha256sum(path, want);
	assert_string_equal(hex, want);
	assert_int_equal(size, (int64_t)len);
}

static long max_rss_kb(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

/* A 200 MB sparse file: hashed correctly, and the process's peak memory does not grow by
 * anything like the file's size (the hash reads it in fixed chunks). */
static void test_sha256_streams_a_big_file_in_constant_memory(void **state)
{
	struct fixture *f = *state;
	char path[512], hex[CF_HASH_LEN + 1];
	int64_t size = 0;
	long before;
	int fd;

	snprintf(path, sizeof(path), "%s/big.img", f->files);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, 200LL << 20), 0);
	close(fd);
	before = max_rss_kb();
	assert_int_equal(cf_sha256_file(path, hex, &size, &f->err), 0);
	/* sha256sum of 200 MiB of zero bytes */
	assert_string_equal(hex,
			    "72abf2ca8f36943ebe2e49ca3a51d409ca5f0bfcffab6c9d25643c17c32889da");
	assert_int_equal(size, 200LL << 20);
	assert_true(max_rss_kb() - before < 32 * 1024);
	unlink(path);
}

static void test_sha256_of_missing_file_is_not_found(void **state)
{
	struct fixture *f = *state;
	char path[512], hex[CF_HASH_LEN + 1];
	int64_t size;

	snprintf(path, sizeof(path), "%s/nope", f->files);
	assert_int_equal(cf_sha256_file(path, hex, &size, &f->err), CF_ENOTFOUND);
	assert_non_null(strstr(f->err.msg, "nope"));
	assert_int_equal(cf_sha256_file(f->files, hex, &size, &f->err), CF_EIO);
}

static int count_cb(const struct cf_record *r, void *ctx)
{
	(void)r;
	(*(int *)ctx)++;
	return 0;
}

struct events {
	int n;
	struct cf_record r[8];
};

static int keep_event(const struct cf_record *r, void *ctx)
{
	struct events *e = ctx;
	const struct cf_kind_info *ki = cf_kind_info(r->kind);

	cf_record_init(&e->r[e->n], r->kind);
	memcpy(e->r[e->n].id, r->id, sizeof(r->id));
	for (size_t i = 0; i < ki->nfields; i++)
		e->r[e->n].v[i] = r->v[i] ? strdup(r->v[i]) : NULL;
	e->n++;
	return e->n >= 8;
}

static void events_release(struct events *e)
{
	for (int i = 0; i < e->n; i++)
		cf_record_release(&e->r[i]);
}

static void test_add_records_hash_size_and_collected_event(void **state)
{
	struct fixture *f = *state;
	char path[512], id[CF_ID_LEN + 1];
	struct cf_evidence_in in = { 0 };
	struct cf_record r;
	struct events ev = { 0 };

	write_file(f, "mail.eml", "abc", 3, path, sizeof(path));
	in.file = path;
	in.location = "evidence locker 3";
	assert_int_equal(evidence_add(f->s, &in, id, &f->err), 0);
	assert_int_equal(record_get(f->s, CF_EVIDENCE, id, &r, &f->err), 0);
	assert_string_equal(cf_record_get(&r, "sha256"),
			    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	assert_string_equal(cf_record_get(&r, "size"), "3");
	assert_string_equal(cf_record_get(&r, "description"), "mail.eml");
	assert_string_equal(cf_record_get(&r, "collected_by"), "Ann Analyst");
	assert_string_equal(cf_record_get(&r, "holder"), "Ann Analyst");
	{
		char *abs = realpath(path, NULL); /* stored absolute, for verify from anywhere */
		assert_string_equal(cf_record_get(&r, "file"), abs);
		free(abs);
	}
	/* now, in the case's zone, with its offset */
	assert_non_null(strchr(cf_record_get(&r, "collected_at") + 19, '-'));
	cf_record_release(&r);
	assert_int_equal(custody_chain(f->s, id, keep_event, &ev, &f->err), 0);
	assert_int_equal(ev.n, 1);
	assert_string_equal(cf_record_get(&ev.r[0], "action"), "collected");
	assert_string_equal(cf_record_get(&ev.r[0], "handler"), "Ann Analyst");
	assert_string_equal(cf_record_get(&ev.r[0], "location"), "evidence locker 3");
	assert_null(cf_record_get(&ev.r[0], "from"));
	events_release(&ev);
}

static void test_collected_at_without_zone_is_written_in_the_case_zone(void **state)
{
	struct fixture *f = *state;
	struct cf_evidence_in in = { .location = "safe", .collected_at = "2019-06-01T10:00",
				     .collected_by = "CBP" };
	char id[CF_ID_LEN + 1];
	struct cf_record r;

	assert_int_equal(evidence_add(f->s, &in, id, &f->err), 0);
	assert_int_equal(record_get(f->s, CF_EVIDENCE, id, &r, &f->err), 0);
	assert_string_equal(cf_record_get(&r, "collected_at"), "2019-06-01T10:00:00-04:00");
	assert_string_equal(cf_record_get(&r, "description"), "safe");
	assert_null(cf_record_get(&r, "sha256"));
	cf_record_release(&r);
}

static void test_add_of_missing_file_writes_nothing(void **state)
{
	struct fixture *f = *state;
	struct cf_evidence_in in = { .file = "/nonexistent/casefile-test/disk.img" };
	char id[CF_ID_LEN + 1];

	assert_int_equal(evidence_add(f->s, &in, id, &f->err), CF_ENOTFOUND);
	assert_non_null(strstr(f->err.msg, "disk.img"));
	assert_int_equal(record_count(f->s, CF_EVIDENCE), 0);
	assert_int_equal(record_count(f->s, CF_CUSTODY), 0);
	in.file = NULL;
	assert_int_equal(evidence_add(f->s, &in, id, &f->err), CF_EINVAL);
}

static void test_transfer_moves_holder_and_extends_the_chain(void **state)
{
	struct fixture *f = *state;
	struct cf_evidence_in in = { .location = "locker 3", .collected_at = "2019-06-01T10:00",
				     .collected_by = "Ann" };
	struct cf_transfer t1 = { .to = "Bob, forensics", .reason = "imaging",
				  .location = "lab safe", .at = "2019-06-02T09:00" };
	struct cf_transfer t2 = { .to = "Carol, counsel", .reason = "legal hold",
				  .at = "2019-06-03T09:00Z" };
	char id[CF_ID_LEN + 1];
	struct cf_record r;
	struct events ev = { 0 };

	assert_int_equal(evidence_add(f->s, &in, id, &f->err), 0);
	assert_int_equal(evidence_transfer(f->s, id, &t1, &f->err), 0);
	assert_int_equal(evidence_transfer(f->s, id, &t2, &f->err), 0);
	assert_int_equal(record_get(f->s, CF_EVIDENCE, id, &r, &f->err), 0);
	assert_string_equal(cf_record_get(&r, "holder"), "Carol, counsel");
	assert_string_equal(cf_record_get(&r, "location"), "lab safe");
	cf_record_release(&r);
	assert_int_equal(custody_chain(f->s, id, keep_event, &ev, &f->err), 0);
	assert_int_equal(ev.n, 3);
	assert_string_equal(cf_record_get(&ev.r[1], "from"), "Ann");
	assert_string_equal(cf_record_get(&ev.r[1], "handler"), "Bob, forensics");
	assert_string_equal(cf_record_get(&ev.r[1], "at"), "2019-06-02T09:00:00-04:00");
	assert_string_equal(cf_record_get(&ev.r[1], "action"), "transferred");
	assert_string_equal(cf_record_get(&ev.r[2], "from"), "Bob, forensics");
	assert_string_equal(cf_record_get(&ev.r[2], "location"), "lab safe");
	assert_string_equal(cf_record_get(&ev.r[2], "reason"), "legal hold");
	assert_string_equal(cf_record_get(&ev.r[2], "at"), "2019-06-03T09:00Z");
	events_release(&ev);
}

static void test_transfer_needs_a_recipient_and_a_live_item(void **state)
{
	struct fixture *f = *state;
	struct cf_evidence_in in = { .location = "safe" };
	struct cf_transfer t = { .to = "Bob" }, nobody = { 0 };
	char id[CF_ID_LEN + 1];
	int n = 0;

	assert_int_equal(evidence_add(f->s, &in, id, &f->err), 0);
	assert_int_equal(evidence_transfer(f->s, id, &nobody, &f->err), CF_EINVAL);
	assert_int_equal(record_delete(f->s, CF_EVIDENCE, id, &f->err), 0);
	assert_int_equal(evidence_transfer(f->s, id, &t, &f->err), CF_ENOTFOUND);
	assert_int_equal(custody_chain(f->s, id, count_cb, &n, &f->err), 0);
	assert_int_equal(n, 1);
}

struct statuses {
	int n;
	enum cf_evcheck st[8];
};

static int keep_status(const struct cf_evidence_check *c, void *ctx)
{
	struct statuses *s = ctx;
	if (s->n < 8)
		s->st[s->n++] = c->status;
	return 0;
}

static void test_verify_reports_modified_and_missing_files(void **state)
{
	struct fixture *f = *state;
	char good[512], changed[512], gone[512];
	char id_good[CF_ID_LEN + 1], id_changed[CF_ID_LEN + 1], id_gone[CF_ID_LEN + 1];
	char id_safe[CF_ID_LEN + 1];
	struct cf_evidence_in in = { 0 };
	struct statuses st = { 0 };
	int failures = -1;

	write_file(f, "good", "good", 4, good, sizeof(good));
	write_file(f, "changed", "before", 6, changed, sizeof(changed));
	write_file(f, "gone", "gone", 4, gone, sizeof(gone));
	in.file = good;
	assert_int_equal(evidence_add(f->s, &in, id_good, &f->err), 0);
	in.file = changed;
	assert_int_equal(evidence_add(f->s, &in, id_changed, &f->err), 0);
	in.file = gone;
	assert_int_equal(evidence_add(f->s, &in, id_gone, &f->err), 0);
	in.file = NULL;
	in.location = "a box";
	assert_int_equal(evidence_add(f->s, &in, id_safe, &f->err), 0);

	assert_int_equal(evidence_verify(f->s, NULL, NULL, NULL, &failures, &f->err), 0);
	assert_int_equal(failures, 0);
	write_file(f, "changed", "after!", 6, changed, sizeof(changed)); /* same size */
	unlink(gone);
	assert_int_equal(evidence_verify(f->s, id_good, keep_status, &st, &failures, &f->err), 0);
	assert_int_equal(failures, 0);
	assert_int_equal(st.st[0], CF_EV_MATCH);
	st.n = 0;
	assert_int_equal(evidence_verify(f->s, id_changed, keep_status, &st, &failures, &f->err),
			 0);
	assert_int_equal(failures, 1);
	assert_int_equal(st.st[0], CF_EV_MISMATCH);
	st.n = 0;
	assert_int_equal(evidence_verify(f->s, id_gone, keep_status, &st, &failures, &f->err), 0);
	assert_int_equal(st.st[0], CF_EV_MISSING);
	st.n = 0;
	assert_int_equal(evidence_verify(f->s, id_safe, keep_status, &st, &failures, &f->err), 0);
	assert_int_equal(st.st[0], CF_EV_NOFILE);
	assert_int_equal(failures, 0);
	assert_int_equal(evidence_verify(f->s, NULL, NULL, NULL, &failures, &f->err), 0);
	assert_int_equal(failures, 2);
}

/* ---- paths are local facts; only regular files are hashed (issue 13 item 2) ---- */

static void test_devices_and_fifos_are_refused_without_waiting(void **state)
{
	struct fixture *f = *state;
	struct cf_evidence_in in = { 0 };
	char fifo[512], hex[CF_HASH_LEN + 1], id[CF_ID_LEN + 1];
	int64_t size;

	/* /dev/zero never ends and a FIFO with no writer never opens: both used to hang. */
	assert_int_equal(cf_sha256_file("/dev/zero", hex, &size, &f->err), CF_EIO);
	assert_non_null(strstr(f->err.msg, "not a regular file"));
	snprintf(fifo, sizeof(fifo), "%s/fifo", f->files);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	assert_int_equal(cf_sha256_file(fifo, hex, &size, &f->err), CF_EIO);
	assert_non_null(strstr(f->err.msg, "not a regular file"));
	in.file = "/dev/zero";
	assert_true(evidence_add(f->s, &in, id, &f->err) < 0);
	assert_non_null(strstr(f->err.msg, "/dev/zero: not a regular file"));
	unlink(fifo);
}

static int print_entry(const struct cf_quarantined *q, void *ctx)
{
	(void)ctx;
	printf("quarantine: %s:%lld %s\n", q->path, (long long)q->line, q->reason);
	return 0;
}

/* Evidence item ID with FILE as created by another replica, received as sync would. */
static void receive_item(struct fixture *f, const char *id, const char *file)
{
	struct cf_op op = { 0 };
	struct cf_received got;
	char json[600];

	snprintf(op.id, sizeof(op.id), "%.6sop00000000000a", id);
	memset(op.replica, id[0], CF_ID_LEN); /* a replica of its own for each */
	op.rseq = 1;
	op.lamport = 1000; /* ahead of the case: it waits... */
	op.kind = CF_EVIDENCE;
	snprintf(op.record, sizeof(op.record), "%s", id);
	op.field = "@create";
	snprintf(json, sizeof(json), "{\"description\":\"from a peer\",\"file\":\"%s\","
		 "\"sha256\":\"%064d\"}", file, 0);
	op.new_value = json;
	op.author = "Mallory";
	snprintf(op.at, sizeof(op.at), "2019-06-05T12:00:00.000Z");
	assert_int_equal(cf_op_hash(&op, op.hash), 0);
	assert_int_equal(op_receive(f->s, &op, 1, &got, &f->err), 0);
	assert_int_equal(got.ops, 0);
	assert_int_equal(got.quarantined, 1);
	op.lamport = 2; /* ...and, just after the case's own first operations, is taken in */
	assert_int_equal(cf_op_hash(&op, op.hash), 0);
	assert_int_equal(op_receive(f->s, &op, 1, &got, &f->err), 0);
	if (got.ops != 1)
		quarantine_list(f->s, print_entry, NULL, &f->err);
	assert_int_equal(got.ops, 1);
}

static int keep_detail(const struct cf_evidence_check *c, void *ctx)
{
	snprintf(ctx, 700, "%s %.600s", cf_evcheck_name(c->status), c->detail);
	return 0;
}

static void test_paths_recorded_elsewhere_are_never_opened(void **state)
{
	struct fixture *f = *state;
	char secret[512], seen[700];
	int failures = -1;

	write_file(f, "secret", "root:x:0:0", 10, secret, sizeof(secret));
	receive_item(f, "devzero0000000000000", "/dev/zero");
	receive_item(f, "secret00000000000000", secret);
	/* verify of every item returns (no spinning on /dev/zero), fails nothing. */
	assert_int_equal(evidence_verify(f->s, NULL, NULL, NULL, &failures, &f->err), 0);
	assert_int_equal(failures, 0);
	assert_int_equal(evidence_verify(f->s, "secret00000000000000", keep_detail, seen,
					 &failures, &f->err), 0);
	assert_non_null(strstr(seen, "elsewhere "));
	assert_non_null(strstr(seen, "not opened here"));
	assert_null(strstr(seen, "sha256")); /* nothing about the local file is told */
	/* Named by the user on this machine, a copy is checked. */
	assert_int_equal(evidence_verify_file(f->s, "secret00000000000000", secret, keep_detail,
					      seen, &failures, &f->err), 0);
	assert_int_equal(failures, 1);
	assert_non_null(strstr(seen, "mismatch "));
	assert_int_equal(evidence_verify_file(f->s, NULL, secret, NULL, NULL, &failures,
					      &f->err), CF_EINVAL);
}

static void test_time_zoned_writes_the_offset(void **state)
{
	char buf[40];
	(void)state;
	cf_time_zoned(1559318400, "America/New_York", buf, sizeof(buf)); /* 2019-05-31T16:00Z */
	assert_string_equal(buf, "2019-05-31T12:00:00-04:00");
	cf_time_zoned(1559318400, "Asia/Kolkata", buf, sizeof(buf));
	assert_string_equal(buf, "2019-05-31T21:30:00+05:30");
	cf_time_zoned(1559318400, "UTC", buf, sizeof(buf));
	assert_string_equal(buf, "2019-05-31T16:00:00Z");
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_sha256_matches_known_vectors),
		T(test_sha256_matches_sha256sum_across_chunks),
		T(test_sha256_streams_a_big_file_in_constant_memory),
		T(test_sha256_of_missing_file_is_not_found),
		T(test_add_records_hash_size_and_collected_event),
		T(test_collected_at_without_zone_is_written_in_the_case_zone),
		T(test_add_of_missing_file_writes_nothing),
		T(test_transfer_moves_holder_and_extends_the_chain),
		T(test_transfer_needs_a_recipient_and_a_live_item),
		T(test_verify_reports_modified_and_missing_files),
		T(test_devices_and_fifos_are_refused_without_waiting),
		T(test_paths_recorded_elsewhere_are_never_opened),
		cmocka_unit_test(test_time_zoned_writes_the_offset),
	};
	return cmocka_run_group_tests_name("evidence", tests, NULL, NULL);
}
