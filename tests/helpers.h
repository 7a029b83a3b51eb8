/* helpers.h — small things every test needs: a fresh temporary directory, removed after. */
#ifndef CASEFILE_TEST_HELPERS_H
#define CASEFILE_TEST_HELPERS_H

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static inline void tmpdir(char *buf, size_t len)
{
	const char *base = getenv("TMPDIR");
	snprintf(buf, len, "%s/casefile-test-XXXXXX", base && *base ? base : "/tmp");
	if (!mkdtemp(buf))
		abort();
	/* store_create wants to make the directory itself: give it a child path. */
	strncat(buf, "/case", len - strlen(buf) - 1);
}

static inline int rmtree_entry(const char *path, const struct stat *sb, int type,
			       struct FTW *ftw)
{
	(void)sb;
	(void)type;
	(void)ftw;
	return remove(path);
}

/* Removes the directory tmpdir() made (the parent of the case), depth first. */
static inline void rmtree(const char *dir)
{
	char parent[512];
	snprintf(parent, sizeof(parent), "%s", dir);
	char *slash = strrchr(parent, '/');
	if (slash)
		*slash = '\0';
	nftw(parent, rmtree_entry, 16, FTW_DEPTH | FTW_PHYS);
}

#endif
