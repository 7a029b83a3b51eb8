/* common.c — the fuzz targets' shared case and scratch files (see fuzz.h). */
#define _XOPEN_SOURCE 700
#include "tests/fuzz/fuzz.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[64];
static struct store *case_store;

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb, (void)flag, (void)ftw;
	return remove(path);
}

static void cleanup(void)
{
	store_close(case_store);
	case_store = NULL;
	if (dir[0])
		nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static int make_dir(void)
{
	if (dir[0])
		return 0;
	/* In memory where there is /dev/shm: every input writes a file or a transaction. */
	snprintf(dir, sizeof(dir), "%s/casefile-fuzz-XXXXXX",
		 access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		dir[0] = '\0';
		return -1;
	}
	atexit(cleanup);
	return 0;
}

const char *fuzz_file(const uint8_t *data, size_t size, const char *name)
{
	static char path[128];
	FILE *f;

	if (make_dir() < 0)
		return NULL;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (!(f = fopen(path, "wb")))
		return NULL;
	if (size && fwrite(data, 1, size, f) != size) {
		fclose(f);
		return NULL;
	}
	return fclose(f) == 0 ? path : NULL;
}

struct store *fuzz_store(void)
{
	char path[128];
	struct cf_err err;
	struct cf_record ev;

	if (case_store || make_dir() < 0)
		return case_store;
	setenv("CASEFILE_NOW", "2019-06-05T12:00:00Z", 0);
	snprintf(path, sizeof(path), "%s/case", dir);
	if (store_create(path, &(struct cf_case_init){ .title = "Fuzz case", .tz = "UTC" },
			 "Fuzz <fuzz@example.org>", &case_store, &err) < 0) {
		fprintf(stderr, "fuzz: %s\n", err.msg);
		return NULL;
	}
	/* One event, so that exports and received edits have something to show and change. */
	cf_record_init(&ev, CF_EVENT);
	if (cf_record_set(&ev, "occurred", "2019-05-31", &err) < 0 ||
	    cf_record_set(&ev, "summary", "Fuzz event", &err) < 0 ||
	    record_add(case_store, &ev, &err) < 0)
		fprintf(stderr, "fuzz: %s\n", err.msg);
	cf_record_release(&ev);
	return case_store;
}
