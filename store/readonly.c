/* readonly.c — whether a case can be written.  A read-only mount, a copy on a CD, a directory
 * or file without write permission opens read-only: every read works, a write says why it
 * cannot happen.  The mode bits count as well as access(2), since root, whom permissions do
 * not stop, should still not write into an evidence locker's copy marked read-only. */
#include "store/internal.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

/* Why PATH (a directory when DIR) cannot be written, into WHY; 0 when it can. */
static int unwritable(const char *path, int dir, char *why, size_t len)
{
	struct statvfs vfs;
	struct stat sb;

	if (statvfs(path, &vfs) == 0 && (vfs.f_flag & ST_RDONLY))
		return snprintf(why, len, "%s is on a read-only file system", path), 1;
	if (stat(path, &sb) == 0 && !(sb.st_mode & 0222))
		return snprintf(why, len, "%s has no write permission (mode %04o)", path,
				(unsigned)(sb.st_mode & 07777)), 1;
	if (access(path, dir ? W_OK | X_OK : W_OK) != 0)
		return snprintf(why, len, "%s: %s", path, strerror(errno)), 1;
	return 0;
}

int store_readonly_reason(const char *dir, char *why, size_t len)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", dir, CF_DB_NAME);
	return unwritable(dir, 1, why, len) || unwritable(path, 0, why, len);
}

const char *store_read_only(const struct store *s)
{
	return s->read_only ? s->ro_why : NULL;
}

int store_ro_error(const struct store *s, struct cf_err *err)
{
	return cf_error(err, CF_EROFS, "the case is read-only (%s): nothing can be changed",
			s->ro_why);
}
