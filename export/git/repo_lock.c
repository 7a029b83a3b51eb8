/* repo_lock.c — one writer at a time in a git directory, between processes: an flock on
 * GITDIR/casefile.lock, which the kernel drops when its holder dies, so a writer killed with
 * SIGKILL leaves nothing that blocks the next; the ref lock files it may have left (which git
 * and libgit2 would take for a live writer) are removed once the flock is held. */
#include "export/git/repo.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

static int drop_lock_file(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
	size_t n = strlen(path);

	(void)sb;
	(void)ftw;
	if (type == FTW_F && n > 5 && strcmp(path + n - 5, ".lock") == 0)
		unlink(path);
	return 0;
}

/* The lock files of refs a killed writer may leave: refs/ **.lock, packed-refs.lock, HEAD.lock.
 * Only called with the flock held, when no casefile writer can be mid-update. */
static void clear_stale(const char *gitdir)
{
	char path[PATH_MAX + CF_PATH_EXTRA];

	snprintf(path, sizeof(path), "%s/refs", gitdir);
	nftw(path, drop_lock_file, 16, FTW_PHYS);
	snprintf(path, sizeof(path), "%s/packed-refs.lock", gitdir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/HEAD.lock", gitdir);
	unlink(path);
}

int gitdir_lock(const char *gitdir, int *fd, struct cf_err *err)
{
	char path[PATH_MAX + CF_PATH_EXTRA];

	snprintf(path, sizeof(path), "%s/casefile.lock", gitdir);
	*fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (*fd < 0)
		return cf_error(err, CF_EIO, "'%s': %s", path, strerror(errno));
	while (flock(*fd, LOCK_EX) < 0) {
		if (errno == EINTR)
			continue;
		close(*fd);
		*fd = -1;
		return cf_error(err, CF_EIO, "'%s': cannot lock: %s", path, strerror(errno));
	}
	clear_stale(gitdir);
	return 0;
}

void gitdir_unlock(int fd)
{
	if (fd >= 0)
		close(fd); /* closing drops the flock */
}
