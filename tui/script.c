/* script.c — the test harness: keys and commands read from a script instead of a keyboard,
 * curses on a virtual terminal of a fixed size, and the screen text read back from curses
 * into a file to compare with expected screens (as tig's test tools do).
 *
 * Script lines: "type TEXT" (each character a key), "key NAME..." (named keys, as in
 * tui/actions.h), "resize COLSxROWS", "dump [LABEL]", "idle" (one idle tick: the check for
 * changes by other processes), "run PROGRAM ARG..." (another process changing the case: words
 * split at spaces, "$NAME" taken from the environment, fork and exec, waited for); blank lines
 * and lines starting with # are skipped. */
#include "tui/tui.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>
#include <wchar.h>

/* A harness script's line: a "type" line of text or a "key" line of key names; the scripts
 * in tests/tui/ stay far below. */
#define SCRIPT_LINE_LEN 4096
/* The words of a "run" line, the program's name included. */
#define SCRIPT_RUN_WORDS 32

struct script {
	FILE *in, *out, *times, *devnull;
	SCREEN *screen;
	char line[SCRIPT_LINE_LEN];
	const char *typing;  /* rest of a "type" line */
	char *keys;          /* rest of a "key" line */
	int lineno;
	struct timespec t0;  /* when the last key was handed out */
	struct timespec c0;  /* the process's CPU time then */
	int timing;
	int frames;
};

static double elapsed_ms(clockid_t clock, const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(clock, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

/* A key handed out: its frame is timed from now, in wall and CPU time. */
static void start_timing(struct script *sc)
{
	clock_gettime(CLOCK_MONOTONIC, &sc->t0);
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &sc->c0);
	sc->timing = 1;
}

int script_open(struct app *a, const char *path, struct cf_err *err)
{
	struct script *sc = xcalloc(1, sizeof(*sc));
	const char *out = getenv("CASEFILE_TUI_OUT"), *times = getenv("CASEFILE_TUI_TIMES");
	const char *size = getenv("CASEFILE_TUI_SIZE");
	int cols = 80, rows = 24;
	char buf[CF_NUM_LEN];

	if (!sc)
		return cf_error(err, CF_ERR, "out of memory");
	a->script = sc;
	if (!(sc->in = fopen(path, "r")))
		return cf_error(err, CF_EIO, "%s: %s", path, strerror(errno));
	if (!(sc->out = fopen(out && *out ? out : "/dev/stdout", "w")))
		return cf_error(err, CF_EIO, "%s: %s", out, strerror(errno));
	if (times && *times && !(sc->times = fopen(times, "w")))
		return cf_error(err, CF_EIO, "%s: %s", times, strerror(errno));
	if (size && sscanf(size, "%dx%d", &cols, &rows) != 2)
		return cf_error(err, CF_EINVAL, "CASEFILE_TUI_SIZE: '%s' is not COLSxROWS", size);
	if (!(sc->devnull = fopen("/dev/null", "r+")))
		return cf_error(err, CF_EIO, "/dev/null: %s", strerror(errno));
	/* No terminal at all: curses writes to /dev/null and its size comes from here. */
	snprintf(buf, sizeof(buf), "%d", cols);
	setenv("COLUMNS", buf, 1);
	snprintf(buf, sizeof(buf), "%d", rows);
	setenv("LINES", buf, 1);
	use_env(TRUE);
	sc->screen = newterm(getenv("TERM") && *getenv("TERM") ? getenv("TERM") : "xterm-256color",
			     sc->devnull, sc->devnull);
	if (!sc->screen)
		sc->screen = newterm("xterm", sc->devnull, sc->devnull);
	if (!sc->screen)
		return cf_error(err, CF_ERR, "cannot start curses for the script");
	resizeterm(rows, cols);
	return 0;
}

void script_close(struct app *a)
{
	struct script *sc = a->script;

	if (!sc)
		return;
	if (sc->screen) {
		if (!isendwin())
			endwin();
		delscreen(sc->screen);
	}
	if (sc->in)
		fclose(sc->in);
	if (sc->out)
		fclose(sc->out);
	if (sc->times)
		fclose(sc->times);
	if (sc->devnull)
		fclose(sc->devnull);
	free(sc);
	a->script = NULL;
}

/* The screen as text, read back from curses (what was last sent to the terminal). */
static void dump(struct app *a, const char *label)
{
	struct script *sc = a->script;
	int rows, cols;
	cchar_t cell;
	wchar_t wc[CCHARW_MAX + 1];
	attr_t attrs;
	short pair;
	char mb[MB_LEN_MAX * (CCHARW_MAX + 1) + 1];

	getmaxyx(curscr, rows, cols);
	fprintf(sc->out, "=== %s (%dx%d)\n", label && *label ? label : "screen", cols, rows);
	for (int y = 0; y < rows; y++) {
		char line[SCRIPT_LINE_LEN];
		size_t n = 0, keep = 0;
		for (int x = 0; x < cols; x++) {
			if (mvwin_wch(curscr, y, x, &cell) == ERR ||
			    getcchar(&cell, wc, &attrs, &pair, NULL) == ERR)
				continue;
			mbstate_t st;
			memset(&st, 0, sizeof(st));
			const wchar_t *p = wc;
			size_t m = wcsrtombs(mb, &p, sizeof(mb) - 1, &st);
			if (m == (size_t)-1 || m == 0)
				continue;
			if (n + m < sizeof(line) - 1) {
				memcpy(line + n, mb, m);
				n += m;
			}
			if (wc[0] != L' ')
				keep = n;
			int w = wcwidth(wc[0]);
			if (w == 2)
				x++; /* the second cell of a wide character */
		}
		fprintf(sc->out, "%.*s\n", (int)keep, line);
	}
	fflush(sc->out);
}

/* "run": another process, as in a second terminal.  No shell: words and $NAME only. */
static int run(struct script *sc, char *words)
{
	char *argv[SCRIPT_RUN_WORDS];
	int n = 0, status;
	pid_t pid;

	for (char *w = strtok(words, " "); w && n < SCRIPT_RUN_WORDS - 1; w = strtok(NULL, " "))
		argv[n++] = w[0] == '$' && getenv(w + 1) ? getenv(w + 1) : w;
	argv[n] = NULL;
	if (n == 0)
		return -1;
	fflush(sc->out);
	if ((pid = fork()) == 0) {
		int null = open("/dev/null", O_WRONLY);
		if (null >= 0) {
			dup2(null, STDOUT_FILENO);
			dup2(null, STDERR_FILENO);
		}
		execvp(argv[0], argv);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0)
		return -1;
	return 0;
}

static int fail(struct app *a, const char *what)
{
	struct script *sc = a->script;
	fprintf(sc->out, "script line %d: %s\n", sc->lineno, what);
	return -1;
}

int script_next(struct app *a, int *key)
{
	struct script *sc = a->script;

	for (;;) {
		if (sc->typing && *sc->typing) {
			wchar_t wc;
			mbstate_t st;
			memset(&st, 0, sizeof(st));
			size_t n = mbrtowc(&wc, sc->typing, strlen(sc->typing), &st);
			if (n == (size_t)-1 || n == (size_t)-2 || n == 0)
				return fail(a, "not valid text for this locale");
			sc->typing += n;
			*key = (int)wc;
			start_timing(sc);
			return 1;
		}
		if (sc->keys && *sc->keys) {
			char *name = sc->keys + strspn(sc->keys, " ");
			size_t n = strcspn(name, " ");
			sc->keys = name + n + (name[n] != '\0');
			name[n] = '\0';
			if (!*name)
				continue;
			if ((*key = tui_key_parse(name)) < 0)
				return fail(a, "unknown key name");
			start_timing(sc);
			return 1;
		}
		if (!fgets(sc->line, sizeof(sc->line), sc->in))
			return -1;
		sc->lineno++;
		sc->line[strcspn(sc->line, "\n")] = '\0';
		sc->typing = NULL;
		sc->keys = NULL;
		if (strncmp(sc->line, "type ", 5) == 0) {
			sc->typing = sc->line + 5;
		} else if (strncmp(sc->line, "key ", 4) == 0) {
			sc->keys = sc->line + 4;
		} else if (strncmp(sc->line, "resize ", 7) == 0) {
			int cols, rows;
			if (sscanf(sc->line + 7, "%dx%d", &cols, &rows) != 2)
				return fail(a, "resize wants COLSxROWS");
			resizeterm(rows, cols);
			*key = TUI_FKEY(KEY_RESIZE);
			return 1;
		} else if (strncmp(sc->line, "dump", 4) == 0) {
			/* Settle first (counts, positions), then dump the next frame. */
			sc->timing = 0;
			return 2;
		} else if (strcmp(sc->line, "idle") == 0) {
			return 3;
		} else if (strncmp(sc->line, "run ", 4) == 0) {
			if (run(sc, sc->line + 4) < 0)
				return fail(a, "the program failed");
		} else if (sc->line[0] && sc->line[0] != '#') {
			return fail(a, "unknown script command");
		}
	}
}

void script_frame_done(struct app *a)
{
	struct script *sc = a->script;

	/* CASEFILE_TUI_T0: the wall time (ns) the benchmark started us at, for the first frame. */
	const char *t0 = getenv("CASEFILE_TUI_T0");
	if (sc->frames++ == 0 && t0 && *t0 && sc->times) {
		struct timespec now;
		clock_gettime(CLOCK_REALTIME, &now);
		double ms = ((double)now.tv_sec * 1e9 + (double)now.tv_nsec - atof(t0)) / 1e6;
		fprintf(sc->times, "first-frame %.3f\n", ms);
	}
	if (sc->timing && sc->times)
		fprintf(sc->times, "%.3f %.3f\n", elapsed_ms(CLOCK_MONOTONIC, &sc->t0),
			elapsed_ms(CLOCK_PROCESS_CPUTIME_ID, &sc->c0));
	sc->timing = 0;
	if (strncmp(sc->line, "dump", 4) == 0 && !sc->typing && !sc->keys) {
		const char *label = sc->line + 4;
		dump(a, label + strspn(label, " "));
		sc->line[0] = '\0';
	}
}
