/* editor.c — long text edited in the user's editor, as git does: a private temporary file
 * (mkstemp, 0600), the terminal handed over, fork and exec (never system()), then taken back. */
#include "tui/tui.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static int write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int read_back(const char *path, char **out, struct cf_err *err)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t n = 0, cap = 0;
	int c;

	if (!f)
		return cf_error(err, CF_EIO, "%s: %s", path, strerror(errno));
	while ((c = getc(f)) != EOF) {
		if (n + 2 > cap) {
			char *p = xrealloc(buf, cap = cap ? cap * 2 : 256);
			if (!p) {
				free(buf);
				fclose(f);
				return cf_error(err, CF_ERR, "out of memory");
			}
			buf = p;
		}
		buf[n++] = (char)c;
		if (n > (1 << 20)) {
			free(buf);
			fclose(f);
			return cf_error(err, CF_EINVAL, "the text is over 1 MiB: not saved");
		}
	}
	fclose(f);
	if (n && buf[n - 1] == '\n')
		n--; /* editors end files with a newline; the field does not */
	if (!buf && !(buf = xmalloc(1)))
		return cf_error(err, CF_ERR, "out of memory");
	buf[n] = '\0';
	*out = buf;
	return 0;
}

/* $VISUAL, $EDITOR, then vi; its text is the user's own shell words (as for git), the file
 * name a separate argument. */
static const char *editor_command(void)
{
	const char *e = getenv("VISUAL");
	if (!e || !*e)
		e = getenv("EDITOR");
	return e && *e ? e : "vi";
}

int tui_editor(struct app *a, const char *text, char **out, struct cf_err *err)
{
	const char *tmp = getenv("TMPDIR");
	char path[PATH_MAX];
	int fd, status, rc;
	pid_t pid;

	*out = NULL;
	snprintf(path, sizeof(path), "%s/casefile-edit-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if ((fd = mkstemp(path)) < 0) /* created 0600: case text stays private */
		return cf_error(err, CF_EIO, "%s: %s", path, strerror(errno));
	fchmod(fd, 0600);
	if (write_all(fd, text ? text : "", text ? strlen(text) : 0) < 0 ||
	    (text && *text && write_all(fd, "\n", 1) < 0)) {
		close(fd);
		unlink(path);
		return cf_error(err, CF_EIO, "%s: %s", path, strerror(errno));
	}
	close(fd);
	def_prog_mode();
	endwin();
	pid = fork();
	if (pid == 0) {
		setenv("CASEFILE_EDITOR", editor_command(), 1);
		execl("/bin/sh", "sh", "-c", "eval \"$CASEFILE_EDITOR\" '\"$1\"'", "casefile-editor",
		      path, (char *)NULL);
		_exit(127);
	}
	rc = 0;
	if (pid < 0) {
		rc = cf_error(err, CF_ERR, "cannot start the editor: %s", strerror(errno));
	} else {
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
			rc = cf_error(err, CF_ERR, "the editor (%s) failed: the field is unchanged",
				      editor_command());
	}
	reset_prog_mode();
	clearok(curscr, TRUE);
	refresh();
	if (rc == 0)
		rc = read_back(path, out, err);
	unlink(path);
	(void)a;
	return rc;
}
