/* evidence.c — evidence items and their chain of custody: files hashed with SHA-256 as they are
 * collected, every hand-off a custody record, and re-hashing to show a file is untouched. */
#include "store/internal.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Read size: large enough that syscalls do not dominate, small enough to stay in cache.
 * Memory use is this buffer whatever the size of the file (a 10 GB disk image included). */
#define HASH_CHUNK (1 << 20)

static int read_all(int fd, EVP_MD_CTX *md, unsigned char *buf, int64_t *size,
		    struct progress *p)
{
	ssize_t n;

	*size = 0;
	for (;;) {
		n = read(fd, buf, HASH_CHUNK);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (!EVP_DigestUpdate(md, buf, (size_t)n))
			return -2;
		*size += n;
		if (progress_update(p, (uint64_t)*size, (uint64_t)*size))
			return -3;
	}
	return n < 0 ? -1 : 0;
}

int cf_sha256_file(const char *path, char hex[CF_HASH_LEN + 1], int64_t *size,
		   struct cf_err *err)
{
	return cf_sha256_file_progress(path, hex, size, NULL, err);
}

int cf_sha256_file_progress(const char *path, char hex[CF_HASH_LEN + 1], int64_t *size,
			    const struct progress_sink *sink, struct cf_err *err)
{
	struct progress prog;
	static const char digits[] = "0123456789abcdef";
	unsigned char md[EVP_MAX_MD_SIZE], *buf = NULL;
	unsigned int len = 0;
	EVP_MD_CTX *ctx = NULL;
	struct stat sb;
	int fd, rc = 0, r;

	/* O_NONBLOCK: opening a FIFO with no writer would wait for one; O_NOCTTY: a terminal
	 * must not become ours.  Only a regular file is read (a device such as /dev/zero never
	 * ends), and then blocking again. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0)
		return cf_error(err, errno == ENOENT ? CF_ENOTFOUND : CF_EIO, "%s: %s", path,
				strerror(errno));
	if (fstat(fd, &sb) < 0) {
		rc = cf_error(err, CF_EIO, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (!S_ISREG(sb.st_mode)) {
		rc = cf_error(err, CF_EIO, "%s: %s", path, S_ISDIR(sb.st_mode) ? "is a directory"
			      : "not a regular file (a device, FIFO or socket is never hashed)");
		goto out;
	}
	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) < 0) {
		rc = cf_error(err, CF_EIO, "%s: %s", path, strerror(errno));
		goto out;
	}
#ifdef POSIX_FADV_SEQUENTIAL
	posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
	if (!(buf = xmalloc(HASH_CHUNK)) || !(ctx = EVP_MD_CTX_new())) {
		rc = cf_error(err, CF_ERR, "out of memory");
		goto out;
	}
	if (!EVP_DigestInit_ex(ctx, EVP_sha256(), NULL)) {
		rc = cf_error(err, CF_ERR, "%s: cannot start SHA-256", path);
		goto out;
	}
	progress_start(&prog, sink, "hashing evidence", (uint64_t)sb.st_size, NULL);
	prog.info.count_is_done = 1;
	progress_stoppable(&prog); /* hashing reads: stopping leaves all as it was */
	if ((r = read_all(fd, ctx, buf, size, &prog)) < 0) {
		progress_stop(&prog);
		rc = r == -1   ? cf_error(err, CF_EIO, "%s: %s", path, strerror(errno))
		     : r == -3 ? cf_error(err, CF_ECANCELLED, "%s: hashing stopped", path)
			       : cf_error(err, CF_ERR, "%s: SHA-256 failed", path);
		goto out;
	}
	progress_finish(&prog);
	if (!EVP_DigestFinal_ex(ctx, md, &len) || len != 32) {
		rc = cf_error(err, CF_ERR, "%s: SHA-256 failed", path);
		goto out;
	}
	for (unsigned i = 0; i < len; i++) {
		hex[2 * i] = digits[md[i] >> 4];
		hex[2 * i + 1] = digits[md[i] & 15];
	}
	hex[CF_HASH_LEN] = '\0';
out:
	EVP_MD_CTX_free(ctx);
	free(buf);
	close(fd);
	return rc;
}

/* A time as given, with the case's zone made explicit when the user left it out: custody
 * records must say which zone a time is in (SP 800-61r2 3.2.2).  Dates stay dates. */
static int zoned_time(struct store *s, const char *text, char *buf, size_t len,
		      struct cf_err *err)
{
	struct cf_when w;
	int rc;

	if (!text) {
		cf_time_zoned(cf_now(), s->tz, buf, len);
		return 0;
	}
	if ((rc = cf_when_parse(text, s->tz, &w, err)) < 0)
		return rc;
	if (w.has_zone || w.is_period || w.precision < CF_P_MINUTE)
		cf_strlcpy(buf, text, len);
	else
		cf_time_zoned(w.start, s->tz, buf, len);
	return 0;
}

static int set_all(struct cf_record *r, const char *const *kv, struct cf_err *err)
{
	int rc = 0;
	for (; rc == 0 && kv[0]; kv += 2)
		if (kv[1])
			rc = cf_record_set(r, kv[0], kv[1], err);
	return rc;
}

static int add_custody(struct store *s, const char *evidence, const char *action,
		       const char *handler, const char *at, const char *location,
		       const char *reason, const char *correction, struct cf_err *err)
{
	const char *kv[] = { "evidence", evidence, "action", action, "handler", handler,
			     "at", at, "location", location, "reason", reason,
			     "correction", correction, NULL, NULL };
	struct cf_record c;
	int rc;

	cf_record_init(&c, CF_CUSTODY);
	rc = set_all(&c, kv, err);
	if (rc == 0)
		rc = record_add(s, &c, err);
	cf_record_release(&c);
	return rc;
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash && slash[1] ? slash + 1 : path;
}

/* Hashes IN->file (if any) into R: absolute path, sha256, size. */
static int hash_into(struct store *s, const struct cf_evidence_in *in, struct cf_record *r,
		     struct cf_err *err)
{
	char hex[CF_HASH_LEN + 1], num[32], *abs;
	int64_t size = 0;
	int rc;

	if (!in->file)
		return 0;
	if ((rc = cf_sha256_file_progress(in->file, hex, &size, &s->progress, err)) < 0)
		return rc;
	abs = realpath(in->file, NULL);
	snprintf(num, sizeof(num), "%lld", (long long)size);
	rc = cf_record_set(r, "file", abs ? abs : in->file, err);
	free(abs);
	if (rc == 0)
		rc = cf_record_set(r, "sha256", hex, err);
	if (rc == 0)
		rc = cf_record_set(r, "size", num, err);
	return rc;
}

int evidence_add(struct store *s, const struct cf_evidence_in *in, char id[CF_ID_LEN + 1],
		 struct cf_err *err)
{
	const char *by = in->collected_by ? in->collected_by : store_author(s);
	const char *desc = in->description ? in->description
			   : in->file	   ? base_name(in->file)
					   : in->location;
	char at[64];
	struct cf_record r;
	int rc;

	if (!in->file && !in->location)
		return cf_error(err, CF_EINVAL, "evidence needs a file or a storage location");
	cf_record_init(&r, CF_EVIDENCE);
	if ((rc = zoned_time(s, in->collected_at, at, sizeof(at), err)) < 0)
		goto out;
	{
		const char *kv[] = { "description", desc, "location", in->location,
				     "collected_by", by, "collected_at", at,
				     "source", in->source, "visibility", in->visibility,
				     NULL, NULL };
		if ((rc = set_all(&r, kv, err)) < 0)
			goto out;
	}
	/* Hash before the transaction: a 10 GB image must not hold the write lock. */
	if ((rc = hash_into(s, in, &r, err)) < 0)
		goto out;
	if ((rc = store_begin(s, err)) < 0)
		goto out;
	rc = record_add(s, &r, err);
	if (rc == 0)
		rc = add_custody(s, r.id, "collected", by, at, in->location,
				 in->reason ? in->reason : "collected", NULL, err);
	if (rc == 0)
		rc = store_commit(s, err);
	else
		store_rollback(s);
	if (rc == 0)
		memcpy(id, r.id, CF_ID_LEN + 1);
out:
	cf_record_release(&r);
	return rc;
}

int evidence_transfer(struct store *s, const char *id, const struct cf_transfer *t,
		      struct cf_err *err)
{
	struct cf_record ev;
	char at[64];
	const char *location;
	int rc;

	if (!t->to || !*t->to)
		return cf_error(err, CF_EINVAL, "transfer: say to whom (--to WHO)");
	if ((rc = zoned_time(s, t->at, at, sizeof(at), err)) < 0)
		return rc;
	if ((rc = store_begin(s, err)) < 0)
		return rc;
	if ((rc = record_get(s, CF_EVIDENCE, id, &ev, err)) < 0)
		goto fail;
	if (ev.deleted) {
		rc = cf_error(err, CF_ENOTFOUND, "evidence item '%s' is deleted", id);
		goto fail;
	}
	location = t->location ? t->location : cf_record_get(&ev, "location");
	/* From the current holder (custody_check_add fills it in from the chain). */
	rc = add_custody(s, id, t->action ? t->action : "transferred", t->to, at, location,
			 t->reason, t->correction, err);
	if (rc == 0 && t->location)
		rc = record_set(s, CF_EVIDENCE, id, "location", t->location, err);
	if (rc < 0)
		goto fail;
	cf_record_release(&ev);
	return store_commit(s, err);
fail:
	cf_record_release(&ev);
	store_rollback(s);
	return rc;
}

const char *cf_evcheck_name(enum cf_evcheck status)
{
	static const char *const names[] = { "match", "mismatch", "missing", "unreadable",
					     "no file", "elsewhere" };
	return status < CF_EV_COUNT ? names[status] : "?";
}

/* The replica whose operation set ID's file path: the last writer of its file field, in the
 * log's (lamport, replica, op id) order, or its create.  "" when the log does not say. */
static void path_writer(struct store *s, const char *id, char replica[CF_ID_LEN + 1])
{
	sqlite3_stmt *st = store_stmt(s, "SELECT replica FROM op WHERE record = ?1 AND"
				      " (field = 'file' OR field = '@create')"
				      " ORDER BY lamport DESC, replica DESC, id DESC LIMIT 1", NULL);

	replica[0] = '\0';
	if (!st)
		return;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		cf_strlcpy(replica, (const char *)sqlite3_column_text(st, 0), CF_ID_LEN + 1);
	sqlite3_reset(st);
}

/* A path another replica recorded names a file on that machine: it is never opened here
 * (it could be /dev/zero, or /etc/shadow, chosen by the peer).  PATH is one the user named
 * on this machine; NULL uses the recorded one when this replica recorded it. */
static int evidence_check(struct store *s, const struct cf_record *item, const char *path,
			  struct cf_evidence_check *out)
{
	const char *file = path ? path : cf_record_get(item, "file");
	const char *want = cf_record_get(item, "sha256");
	const char *size = cf_record_get(item, "size");
	struct cf_err e;
	int rc;

	memset(out, 0, sizeof(*out));
	out->item = item;
	out->actual_size = -1;
	if (!file) {
		out->status = CF_EV_NOFILE;
		return 0;
	}
	if (!path) {
		char writer[CF_ID_LEN + 1];
		path_writer(s, item->id, writer);
		if (strcmp(writer, s->replica) != 0) {
			out->status = CF_EV_ELSEWHERE;
			snprintf(out->detail, sizeof(out->detail), "%.200s was recorded by replica"
				 " %s, not opened here (evidence verify ID --file PATH checks a"
				 " copy on this machine)", file, writer[0] ? writer : "?");
			return 0;
		}
	}
	rc = cf_sha256_file_progress(file, out->actual, &out->actual_size, &s->progress, &e);
	if (rc == CF_ECANCELLED)
		return rc; /* no verdict: the check ends here */
	if (rc == CF_ENOTFOUND) {
		out->status = CF_EV_MISSING;
		snprintf(out->detail, sizeof(out->detail), "%s: not found", file);
	} else if (rc < 0) {
		out->status = CF_EV_UNREADABLE;
		cf_strlcpy(out->detail, e.msg, sizeof(out->detail));
	} else if (!want || strcmp(want, out->actual) != 0) {
		out->status = CF_EV_MISMATCH;
		if (size && strtoll(size, NULL, 10) != out->actual_size)
			snprintf(out->detail, sizeof(out->detail),
				 "sha256 %s, recorded %s; size %lld, recorded %s", out->actual,
				 want ? want : "none", (long long)out->actual_size, size);
		else
			snprintf(out->detail, sizeof(out->detail), "sha256 %s, recorded %s",
				 out->actual, want ? want : "none");
	} else if (size && strtoll(size, NULL, 10) != out->actual_size) {
		out->status = CF_EV_MISMATCH;
		snprintf(out->detail, sizeof(out->detail), "size %lld, recorded %s",
			 (long long)out->actual_size, size);
	} else {
		out->status = CF_EV_MATCH;
	}
	return out->status == CF_EV_MATCH || out->status == CF_EV_NOFILE ? 0 : 1;
}
/* evidence_check: 1 for a failing item, 0 for a good one, CF_ECANCELLED when stopped. */

struct verify_ctx {
	struct store *s;
	const char *path;
	evcheck_cb cb;
	void *ctx;
	int failures;
	int stopped; /* the hashing was stopped when asked: no verdict for the rest */
};

static int check_one(const struct cf_record *r, void *vctx)
{
	struct verify_ctx *v = vctx;
	struct cf_evidence_check c;
	int failed = evidence_check(v->s, r, v->path, &c);

	if (failed < 0) {
		v->stopped = 1;
		return 1;
	}
	v->failures += failed;
	return v->cb ? v->cb(&c, v->ctx) : 0;
}

int evidence_verify(struct store *s, const char *id, evcheck_cb cb, void *ctx, int *failures,
		    struct cf_err *err)
{
	return evidence_verify_file(s, id, NULL, cb, ctx, failures, err);
}

int evidence_verify_file(struct store *s, const char *id, const char *path, evcheck_cb cb,
			 void *ctx, int *failures, struct cf_err *err)
{
	struct verify_ctx v = { s, path, cb, ctx, 0, 0 };
	struct cf_record r;
	int rc;

	if (path && !id)
		return cf_error(err, CF_EINVAL, "a file to check needs the item it is a copy of");
	if (id) {
		if ((rc = record_get(s, CF_EVIDENCE, id, &r, err)) == 0)
			check_one(&r, &v);
		cf_record_release(&r);
	} else {
		rc = record_list(s, CF_EVIDENCE, NULL, check_one, &v, err);
	}
	if (failures)
		*failures = v.failures;
	if (v.stopped)
		rc = cf_error(err, CF_ECANCELLED, "evidence check stopped: %d item%s failed before",
			      v.failures, v.failures == 1 ? "" : "s");
	return rc;
}
