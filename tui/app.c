/* app.c — the terminal UI's life: the terminal taken and always given back (exit, error,
 * signal), the one struct app, the input loop with its idle ticks (live refresh, countdowns),
 * and key dispatch by mode. */
#include "tui/tui.h"
#include "tui/frame.h"

#include <errno.h>
#include <limits.h>
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <term.h>
#include <unistd.h>
#include <wchar.h>

/* The one piece of global mutable state: signal handlers and atexit can reach nothing else. */
static struct app the_app;
/* The terminal's reset sequences (rmcup, cnorm, sgr0, the paste mode off): a few dozen
 * bytes in any terminfo entry. */
#define CRASH_RESET_LEN 256
static char crash_reset[CRASH_RESET_LEN];
static size_t crash_reset_len;

static void on_signal(int sig)
{
	the_app.signalled = sig;
}

/* A crash: put the terminal back with the bytes fetched at start (write is async-signal-safe,
 * curses is not), then die of the same signal. */
static void on_crash(int sig)
{
	if (crash_reset_len && write(STDOUT_FILENO, crash_reset, crash_reset_len) < 0)
		crash_reset_len = 0;
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Bracketed paste (xterm's mode 2004): the terminal marks pasted text, so that it is taken
 * as text and never run as keys. */
static const char paste_on[] = "\033[?2004h", paste_off[] = "\033[?2004l";
static int paste_mode;

static void restore_terminal(void)
{
	if (paste_mode) {
		fputs(paste_off, stdout);
		fflush(stdout);
		paste_mode = 0;
	}
	if (!isendwin())
		endwin();
}

static void keep_reset_bytes(void)
{
	static const char *const caps[] = { "sgr0", "cnorm", "rmkx", "rmcup" };
	for (size_t i = 0; i < sizeof(caps) / sizeof(caps[0]); i++) {
		const char *s = tigetstr(caps[i]);
		if (!s || s == (char *)-1)
			continue;
		size_t n = strlen(s);
		if (crash_reset_len + n < sizeof(crash_reset)) {
			memcpy(crash_reset + crash_reset_len, s, n);
			crash_reset_len += n;
		}
	}
	if (crash_reset_len + sizeof(paste_off) - 1 < sizeof(crash_reset)) {
		memcpy(crash_reset + crash_reset_len, paste_off, sizeof(paste_off) - 1);
		crash_reset_len += sizeof(paste_off) - 1;
	}
}

static void install_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGQUIT, &sa, NULL);
	sa.sa_handler = on_crash;
	sa.sa_flags = SA_RESETHAND;
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGFPE, &sa, NULL);
	sigaction(SIGABRT, &sa, NULL);
}

void tui_message(struct app *a, int error, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(a->msg, sizeof(a->msg), fmt, ap);
	va_end(ap);
	a->msg_error = error;
}

void *tui_screen_priv(struct app *a)
{
	return a->priv[a->cur];
}

void tui_case_changed(struct app *a)
{
	struct cf_record r;
	struct cf_err err;

	if (case_get(a->s, &r, &err) == 0) {
		cf_record_release(&a->kase);
		a->kase = r;
	} else {
		cf_record_release(&r);
	}
	for (size_t i = 0; i < tui_nscreens; i++)
		if (a->opened[i] && tui_screens[i]->reload)
			tui_screens[i]->reload(a, a->priv[i]);
}

static int open_screen(struct app *a, size_t i)
{
	if (a->opened[i])
		return 0;
	if (tui_screens[i]->open(a, &a->priv[i]) < 0) {
		tui_message(a, 1, "%s: %s", tui_screens[i]->title, a->err.msg);
		return -1;
	}
	a->opened[i] = 1;
	return 0;
}

int tui_switch(struct app *a, size_t i)
{
	if (i >= tui_nscreens || i == a->cur)
		return 0;
	if (open_screen(a, i) < 0)
		return -1;
	if (a->nback == sizeof(a->back) / sizeof(a->back[0])) {
		memmove(a->back, a->back + 1, sizeof(a->back) - sizeof(a->back[0]));
		a->nback--;
	}
	a->back[a->nback++] = a->cur;
	a->cur = i;
	return 0;
}

static void go_back(struct app *a)
{
	if (a->nback == 0) {
		a->quit = 1;
		return;
	}
	a->cur = a->back[--a->nback];
}

/* Another process committed to the case: show it, cursors kept on their records. */
static int poll_changes(struct app *a)
{
	struct cf_err err;
	int64_t v = store_data_version(a->live ? a->live : a->s, &err);

	if (v < 0 || v == a->data_version)
		return 0;
	a->data_version = v;
	if (a->live)
		tui_travel_refresh(a); /* the view again, at the same moment */
	else
		tui_case_changed(a);
	return 1;
}

static int idle_work(struct app *a)
{
	const struct screen_ops *ops = tui_screens[a->cur];
	return ops->idle ? ops->idle(a, a->priv[a->cur]) : 0;
}

/* Curses' keys in one space (tui/actions.h), Enter and Backspace in one spelling each. */
static int normalise(int rc, wint_t wch)
{
	if (rc == KEY_CODE_YES) {
		if (wch == KEY_ENTER)
			return '\n';
		return TUI_FKEY((int)wch);
	}
	if (wch == '\r')
		return '\n';
	if (wch == 127 || wch == 8)
		return TUI_FKEY(KEY_BACKSPACE);
	return (int)wch;
}

static char undo_target[CF_ID_LEN + 1]; /* the operation the u question named */

static void undo_yes(struct app *a, void *ctx)
{
	char undo_id[CF_ID_LEN + 1];
	struct cf_op undone;

	(void)ctx;
	if (store_undo(a->s, undo_target, 0, &undone, undo_id, &a->err) < 0) {
		tui_message(a, 1, "not undone: %s", a->err.msg);
		return;
	}
	tui_message(a, 0, "undone (u again steps further back)");
	cf_op_release(&undone);
	tui_case_changed(a);
}

/* u: names the change it would take back, and asks. */
static void undo_ask(struct app *a)
{
	struct cf_op op;
	char change[CF_PHRASE_LEN], q[CF_LINE_LEN];

	if (store_undo_target(a->s, NULL, &op, &a->err) < 0) {
		tui_message(a, 1, "%s", a->err.msg);
		return;
	}
	memcpy(undo_target, op.id, sizeof(undo_target));
	tui_op_change(&op, change, sizeof(change));
	snprintf(q, sizeof(q), "undo your last change, %s %.*s %s?", cf_kind_info(op.kind)->name,
		 CF_SHORT_ID, op.record, change);
	cf_op_release(&op);
	tui_confirm(a, q, undo_yes, NULL);
}

/* The actions that change the case: refused at a past moment, before any form opens. */
static int changes_case(enum tui_action act)
{
	switch (act) {
	case ACT_ADD: case ACT_EDIT: case ACT_DELETE: case ACT_MARK_SENT: case ACT_MARK_ACK:
	case ACT_MARK_WAIVED: case ACT_TRANSFER: case ACT_RESOLVE_OURS: case ACT_RESOLVE_THEIRS:
	case ACT_RESOLVE_VALUE: case ACT_RESTORE: case ACT_UNDO:
		return 1;
	default:
		return 0;
	}
}

static void main_key(struct app *a, int key)
{
	const struct screen_ops *ops = tui_screens[a->cur];
	enum tui_action act = tui_action_for(CTX_MAIN, key);

	if (a->live && changes_case(act)) {
		tui_message(a, 1, "read-only: this is the case at a past moment (:now returns to "
				  "the present)");
		return;
	}
	if (ops->key(a, a->priv[a->cur], act, key))
		return;
	switch (act) {
	case ACT_SCREEN_1: case ACT_SCREEN_2: case ACT_SCREEN_3: case ACT_SCREEN_4:
	case ACT_SCREEN_5: case ACT_SCREEN_6: case ACT_SCREEN_7: case ACT_SCREEN_8:
	case ACT_SCREEN_9: case ACT_SCREEN_10:
		if ((size_t)(act - ACT_SCREEN_1) < tui_nscreens)
			tui_switch(a, (size_t)(act - ACT_SCREEN_1));
		else
			tui_message(a, 1, "no screen %d", (int)(act - ACT_SCREEN_1 + 1) % 10);
		break;
	case ACT_NEXT_SCREEN:
		tui_switch(a, (a->cur + 1) % tui_nscreens);
		break;
	case ACT_PREV_SCREEN:
		tui_switch(a, (a->cur + tui_nscreens - 1) % tui_nscreens);
		break;
	case ACT_COMMAND:
		tui_prompt(a, ":", "", tui_command, NULL);
		break;
	case ACT_HELP:
		a->mode = MODE_HELP;
		a->help_top = 0;
		break;
	case ACT_REDRAW:
		clearok(curscr, TRUE);
		break;
	case ACT_UNDO:
		undo_ask(a);
		break;
	case ACT_TRAVEL:
		tui_travel_prompt(a);
		break;
	case ACT_TRAVEL_PREV:
	case ACT_TRAVEL_NEXT:
		tui_travel_step(a, act == ACT_TRAVEL_NEXT ? 1 : -1);
		break;
	case ACT_BACK:
		go_back(a);
		break;
	case ACT_QUIT:
		a->quit = 1;
		break;
	case ACT_NONE:
		if (key != TUI_FKEY(KEY_RESIZE))
			tui_message(a, 0, "no such key here: ? shows the keys");
		break;
	default:
		break;
	}
}

static int too_small(const struct app *a)
{
	return a->cols < TUI_MIN_COLS || a->rows < TUI_MIN_ROWS;
}

/* One key of a paste: kept as text (up to TUI_PASTE_MAX bytes), never acted on. */
static void paste_add(struct app *a, int key)
{
	char mb[MB_LEN_MAX];
	mbstate_t st;
	size_t n;

	if (key == '\t' || key == '\n' || (key >= 0x20 && !(key & 0x200000))) {
		memset(&st, 0, sizeof(st));
		n = wcrtomb(mb, (wchar_t)key, &st);
		if (n == (size_t)-1)
			return;
		if (a->paste_len + n + 1 > TUI_PASTE_MAX) {
			a->paste_cut = 1;
			return;
		}
		if (a->paste_len + n + 1 > a->paste_cap) {
			size_t cap = a->paste_cap ? a->paste_cap * 2 : 256;
			while (cap < a->paste_len + n + 1)
				cap *= 2;
			char *p = xrealloc(a->paste, cap);
			if (!p) {
				a->paste_cut = 1;
				return;
			}
			a->paste = p;
			a->paste_cap = cap;
		}
		memcpy(a->paste + a->paste_len, mb, n);
		a->paste_len += n;
		a->paste[a->paste_len] = '\0';
	}
}

/* The paste is complete: into the focused field or prompt as text; elsewhere it does
 * nothing, and says so. */
static void paste_done(struct app *a)
{
	const char *text = a->paste_len ? a->paste : "";

	a->pasting = 0;
	if (too_small(a))
		;
	else if (a->mode == MODE_FORM && a->form)
		form_paste(a, a->form, text);
	else if (a->mode == MODE_PROMPT)
		le_paste(&a->prompt, text, 0);
	else
		tui_message(a, 1, "pasted text ignored: paste into a form field or the : prompt");
	if (a->paste_cut)
		tui_message(a, 1, "the paste was cut at %d KiB", TUI_PASTE_MAX / 1024);
	a->paste_len = 0;
	a->paste_cut = 0;
	if (a->paste)
		a->paste[0] = '\0';
}

static void dispatch(struct app *a, int key)
{
	if (key == TUI_KEY_PASTE_BEGIN) {
		a->pasting = 1;
		a->paste_len = 0;
		a->paste_cut = 0;
		return;
	}
	if (key == TUI_KEY_PASTE_END) {
		if (a->pasting)
			paste_done(a);
		return;
	}
	if (a->pasting) {
		paste_add(a, key);
		return;
	}
	if (key == TUI_FKEY(KEY_RESIZE))
		return; /* the next frame lays everything out again, whatever the mode */
	if (too_small(a)) {
		/* The screen shows nothing to act on: only quitting (and resizing) does anything. */
		if (a->mode == MODE_NORMAL && tui_action_for(CTX_MAIN, key) == ACT_QUIT)
			a->quit = 1;
		return;
	}
	if (a->mode != MODE_PROMPT)
		a->msg[0] = '\0';
	switch (a->mode) {
	case MODE_PROMPT:
		prompt_key(a, key);
		break;
	case MODE_CONFIRM:
		confirm_key(a, key);
		break;
	case MODE_FORM:
		form_key(a, a->form, key);
		break;
	case MODE_HELP:
		help_key(a, key);
		break;
	case MODE_NORMAL:
		main_key(a, key);
		break;
	}
}

/* One key from the keyboard (or the harness); 0 when the wait timed out, -1 to quit. */
static int read_key(struct app *a, int *key)
{
	wint_t wch;
	int rc;

	if (a->script) {
		rc = script_next(a, key);
		if (rc == 2 || rc == 3) {
			poll_changes(a);
			while (idle_work(a))
				;
		}
		return rc == 2 || rc == 3 ? 0 : rc;
	}
	rc = get_wch(&wch);
	if (rc == ERR)
		return 0;
	*key = normalise(rc, wch);
	return 1;
}

static int loop(struct app *a)
{
	int key, rc;

	while (!a->quit && !a->signalled) {
		a->now = store_now(a->s); /* a view's moment when travelling */
		frame_draw(a);
		if (a->script)
			script_frame_done(a);
		rc = read_key(a, &key);
		if (rc < 0)
			break;
		if (rc == 0) {
			if (!a->script) {
				poll_changes(a);
				idle_work(a);
			}
			continue;
		}
		dispatch(a, key);
	}
	return 0;
}

/* TERM=dumb and the like: no cursor addressing, so no screen can be drawn. */
static int can_address_cursor(void)
{
	const char *cup = tigetstr("cup");
	return cup && cup != (char *)-1;
}

static int start_curses(struct app *a, struct cf_err *err)
{
	const char *script = getenv("CASEFILE_TUI_SCRIPT");

	if (script && *script) {
		if (script_open(a, script, err) < 0)
			return CF_ERR;
	} else {
		if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
			return cf_error(err, CF_EINVAL, "the terminal UI needs a terminal"
					" (for text output try 'casefile show')");
		if (!newterm(NULL, stdout, stdin))
			return cf_error(err, CF_ERR, "cannot start the terminal UI (TERM=%s)",
					getenv("TERM") ? getenv("TERM") : "");
		if (!can_address_cursor()) {
			endwin();
			return cf_error(err, CF_EINVAL,
					"the terminal UI needs a terminal that can move its cursor,"
					" and TERM=%s cannot (try TERM=xterm-256color; for text"
					" output 'casefile show')",
					getenv("TERM") && *getenv("TERM") ? getenv("TERM") : "(unset)");
		}
		fputs(paste_on, stdout);
		fflush(stdout);
		paste_mode = 1;
	}
	/* The paste marks as keys (in the harness too, where "key PasteBegin" sends them). */
	define_key("\033[200~", KEY_MAX + 1);
	define_key("\033[201~", KEY_MAX + 2);
	atexit(restore_terminal);
	keep_reset_bytes();
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	timeout(a->script ? -1 : 250);
	tui_styles_init(a);
	return 0;
}

static void close_all(struct app *a)
{
	for (size_t i = 0; i < tui_nscreens; i++)
		if (a->opened[i] && tui_screens[i]->close)
			tui_screens[i]->close(a, a->priv[i]);
	if (a->form)
		form_free(a->form);
	le_release(&a->prompt);
	free(a->paste);
	a->paste = NULL;
	cf_record_release(&a->kase);
	rules_free(a->rules);
	if (a->live) { /* the caller's store is the case itself */
		store_close(a->s);
		a->s = a->live;
		a->live = NULL;
	}
}

/* Keys typed while long work runs, read between two of its reports without waiting: a resize
 * is laid out by the frame drawn next (ncurses has resized the screen when it returns
 * KEY_RESIZE), Esc asks the work to stop, and any other key is put back, in order, for the
 * main loop once the work is over (up to TUI_KEYS_KEPT of them). */
static int poll_keys(struct app *a)
{
	struct {
		int rc;
		wint_t wch;
	} kept[TUI_KEYS_KEPT];
	int n = 0, stop = 0, rc;
	wint_t wch;

	if (a->script)
		return 0; /* the harness gives keys between frames only */
	timeout(0);
	while ((rc = get_wch(&wch)) != ERR) {
		int key = normalise(rc, wch);
		if (key == TUI_FKEY(KEY_RESIZE))
			continue;
		if (key == 27)
			stop = 1;
		else if (n < TUI_KEYS_KEPT)
			kept[n].rc = rc, kept[n++].wch = wch;
	}
	timeout(250);
	while (n-- > 0) /* ncurses gives back the last key put back first */
		if (kept[n].rc == KEY_CODE_YES)
			ungetch((int)kept[n].wch);
		else
			unget_wch(kept[n].wch);
	return stop;
}

/* The store's long work (hashing an evidence file as it is added or checked, a sync) shows
 * how far it has come in the status line: the line the CLI draws on stderr, redrawn with the
 * frame at the terminal's size of the moment.  Esc stops work that can stop (progress.h). */
static int show_progress(void *ctx, const struct progress_info *pi)
{
	struct app *a = ctx;
	struct strbuf line = STRBUF_INIT;
	int stop = pi->finished ? 0 : poll_keys(a);

	progress_format(pi, &line);
	if (pi->stoppable && !pi->finished)
		strbuf_addstr(&line, stop ? "; stopping" : "; Esc stops");
	tui_message(a, 0, "%s", line.buf);
	strbuf_release(&line);
	frame_draw(a);
	return stop;
}

int tui_run(struct store *s, const char *at)
{
	struct progress_sink sink = { show_progress, &the_app };

	struct app *a = &the_app;
	struct cf_err err = { 0 };
	int rc;

	memset(a, 0, sizeof(*a));
	a->s = s;
	if (case_get(s, &a->kase, &err) < 0) {
		fprintf(stderr, "casefile: %s\n", err.msg);
		return 1;
	}
	if (rules_load(&a->rules, &err) < 0)
		a->rules = NULL; /* the dashboard says why: deadlines are computed on demand */
	/* A historical case opens in its own time (--at, else the case's open_at). */
	if (!at)
		at = cf_record_get(&a->kase, "open_at");
	if (at && strcmp(at, "now") != 0 && tui_travel(a, 1, at) < 0) {
		fprintf(stderr, "casefile: --at: %s\n", a->msg);
		close_all(a);
		return 1;
	}
	a->data_version = store_data_version(s, &err);
	le_init(&a->prompt, "");
	install_signals();
	if (start_curses(a, &err) < 0) {
		close_all(a);
		fprintf(stderr, "casefile: %s\n", err.msg);
		return 1;
	}
	store_set_progress(s, &sink);
	rc = open_screen(a, 0);
	if (rc == 0)
		rc = loop(a);
	store_set_progress(s, NULL);
	snprintf(err.msg, sizeof(err.msg), "%.*s", (int)sizeof(err.msg) - 1, a->msg);
	close_all(a);
	script_close(a);
	restore_terminal();
	if (rc < 0) {
		fprintf(stderr, "casefile: %s\n", err.msg);
		return 1;
	}
	return a->signalled ? 128 + a->signalled : 0;
}
