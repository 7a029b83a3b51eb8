/* git_credential.c — https credentials from git's own credential helpers: `git credential
 * fill` asks them (or the user, on a terminal) for a user name and password, `approve` keeps a
 * pair the server took, `reject` forgets one it refused.  git is run directly, never through a
 * shell, with the URL's parts on its standard input as git-credential(1) describes. */
#include "export/sync/sync_internal.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define CREDENTIAL_OUTPUT_MAX 8192 /* what git credential fill may answer, at most */
#define PIPE_ENDS 2                /* pipe(2): the read end, then the write end */

/* "protocol=https\nhost=example.org:8443\npath=team/case.git\n" from an http(s) URL; the
 * user name of the URL too, when it has one.  -1 for another kind of URL. */
static int describe(const char *url, const char *user, const char *pass, char *out, size_t len)
{
	const char *p, *host, *at, *end;
	int n;

	if (strncmp(url, "https://", 8) == 0)
		p = url + 8;
	else if (strncmp(url, "http://", 7) == 0)
		p = url + 7;
	else
		return -1;
	end = p + strcspn(p, "/");
	host = (at = memchr(p, '@', (size_t)(end - p))) ? at + 1 : p;
	n = snprintf(out, len, "protocol=%.*s\nhost=%.*s\npath=%s\n", (int)(p - 3 - url), url,
		     (int)(end - host), host, *end ? end + 1 : "");
	if (n > 0 && (size_t)n < len && user && *user)
		n += snprintf(out + n, len - (size_t)n, "username=%s\n", user);
	if (n > 0 && (size_t)n < len && pass && *pass)
		n += snprintf(out + n, len - (size_t)n, "password=%s\n", pass);
	return n > 0 && (size_t)n < len - 1 ? 0 : -1;
}

/* Runs `git credential ACTION` with INPUT on its standard input, its output into OUT (NULL:
 * discarded).  0 when git exits 0. */
static int run_git_credential(const char *action, const char *input, char *out, size_t len)
{
	int in[PIPE_ENDS], res[PIPE_ENDS], status;
	char sink[CF_PHRASE_LEN];
	size_t got = 0;
	ssize_t n;
	pid_t pid;

	if (pipe(in) < 0)
		return -1;
	if (pipe(res) < 0) {
		close(in[0]);
		close(in[1]);
		return -1;
	}
	if ((pid = fork()) == 0) {
		dup2(in[0], 0);
		dup2(res[1], 1);
		close(in[0]);
		close(in[1]);
		close(res[0]);
		close(res[1]);
		execlp("git", "git", "credential", action, (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(res[1]);
	if (pid > 0) {
		/* A helper that exits early must not kill us with SIGPIPE. */
		void (*old)(int) = signal(SIGPIPE, SIG_IGN);
		if (write(in[1], input, strlen(input)) < 0 || write(in[1], "\n", 1) < 0)
			got = 0;
		signal(SIGPIPE, old);
	}
	close(in[1]);
	while (pid > 0 && (n = read(res[0], out ? out + got : sink,
				    out ? len - 1 - got : sizeof(sink))) > 0)
		if (out && (got += (size_t)n) >= len - 1)
			break;
	if (out)
		out[got] = '\0';
	close(res[0]);
	if (pid < 0)
		return -1;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* The value of "KEY=" in git's answer into DST. */
static void answer(const char *text, const char *key, char *dst, size_t len)
{
	size_t k = strlen(key);

	dst[0] = '\0';
	for (const char *line = text; line && *line; line = strchr(line, '\n') ? strchr(line,
									     '\n') + 1 : NULL)
		if (strncmp(line, key, k) == 0 && line[k] == '=') {
			size_t n = strcspn(line + k + 1, "\n");
			snprintf(dst, len, "%.*s", (int)n, line + k + 1);
			return;
		}
}

int git_credential_fill(const char *url, const char *user, char *out_user, char *out_pass,
			size_t len)
{
	char input[CREDENTIAL_OUTPUT_MAX], output[CREDENTIAL_OUTPUT_MAX];
	int rc;

	out_user[0] = out_pass[0] = '\0';
	if (describe(url, user, NULL, input, sizeof(input)) < 0)
		return -1;
	rc = run_git_credential("fill", input, output, sizeof(output));
	if (rc == 0) {
		answer(output, "username", out_user, len);
		answer(output, "password", out_pass, len);
	}
	explicit_bzero(output, sizeof(output));
	return rc == 0 && out_pass[0] ? 0 : -1;
}

void git_credential_tell(const char *action, const char *url, const char *user,
			 const char *pass)
{
	char input[CREDENTIAL_OUTPUT_MAX];

	if (describe(url, user, pass, input, sizeof(input)) == 0)
		run_git_credential(action, input, NULL, 0);
	explicit_bzero(input, sizeof(input));
}
