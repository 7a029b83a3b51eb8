/* helpers.h — small things every test needs: a fresh temporary directory, removed after. */
#ifndef CASEFILE_TEST_HELPERS_H
#define CASEFILE_TEST_HELPERS_H

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

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

/* Runs git --git-dir=GITDIR A1 [A2 [A3]] with stdout to /dev/null; returns its exit status. */
static inline int run_git(const char *gitdir, const char *a1, const char *a2, const char *a3)
{
	char opt[4200];
	pid_t pid;
	int status;

	snprintf(opt, sizeof(opt), "--git-dir=%s", gitdir);
	pid = fork();
	if (pid == 0) {
		if (!freopen("/dev/null", "w", stdout))
			_exit(127);
		execlp("git", "git", opt, a1, a2, a3, (char *)NULL);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

#endif
