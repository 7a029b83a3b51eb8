/* outfile.c — the one writer of an output file (every -o FILE): a temporary file beside it,
 * mode EXPORT_FILE_MODE whatever the umask, flushed and synced, renamed over the path, the
 * directory synced; on any error the temporary file goes and the path is as it was. */
#include "export/export.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int export_file_open(struct export_file *o, const char *path, struct cf_err *err)
{
	int n = snprintf(o->tmp, sizeof(o->tmp), "%s.tmp-XXXXXX", path);

	o->path = path;
	o->f = NULL;
	o->fd = -1;
	if (n < 0 || (size_t)n >= sizeof(o->tmp))
		return cf_error(err, CF_EINVAL, "'%s': path too long", path);
	/* mkstemp creates it 0600 whatever the umask; the chmod says so where it is decided. */
	if ((o->fd = mkstemp(o->tmp)) < 0)
		return cf_error(err, CF_EIO, "'%s': %s", path, strerror(errno));
	if (fchmod(o->fd, EXPORT_FILE_MODE) != 0 || !(o->f = fdopen(o->fd, "w"))) {
		int rc = cf_error(err, CF_EIO, "'%s': %s", path, strerror(errno));
		close(o->fd);
		unlink(o->tmp);
		return rc;
	}
	return 0;
}

/* The directory holding PATH, fsynced so the rename itself survives a crash. */
static void sync_dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	char dir[PATH_MAX + CF_PATH_EXTRA];
	int fd;

	snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - path) + (slash == path) : 1,
		 slash ? path : ".");
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY)) >= 0) {
		fsync(fd);
		close(fd);
	}
}

int export_file_close(struct export_file *o, int rc, struct cf_err *err)
{
	if (!o->f)
		return rc;
	if (rc == 0 && (fflush(o->f) != 0 || fsync(o->fd) != 0))
		rc = cf_error(err, CF_EIO, "'%s': %s", o->path, strerror(errno));
	if (fclose(o->f) != 0 && rc == 0)
		rc = cf_error(err, CF_EIO, "'%s': %s", o->path, strerror(errno));
	o->f = NULL;
	if (rc == 0 && rename(o->tmp, o->path) != 0)
		rc = cf_error(err, CF_EIO, "'%s': %s", o->path, strerror(errno));
	if (rc < 0) {
		unlink(o->tmp);
		return rc;
	}
	sync_dir_of(o->path);
	return 0;
}
