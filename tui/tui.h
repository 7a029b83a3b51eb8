/* tui.h — the terminal UI's one header: the application state, the screen interface, and the
 * shared pieces every screen uses (drawing untrusted text, paged lists, forms, prompts).
 *
 * Adding a screen (e.g. Reports or Conflicts) is one new file and one table entry:
 *   1. write tui/screens/scr_NAME.c defining `const struct screen_ops scr_NAME = { ... }` (see
 *      struct screen_ops below; scr_tasks.c is a small record list, scr_history.c a list of
 *      something other than records, scr_dashboard.c a screen without a list);
 *   2. declare it with the others below and add it to the table in tui/screens.c at its
 *      place in the tab bar.  Its number key (1..9, then 0), its tab label and its `:NAME`
 *      command all follow from its position and names in that table.
 * A screen keeps its state in the pointer it allocates in open and frees in close; the only
 * other state is struct app. */
#ifndef CASEFILE_TUI_H
#define CASEFILE_TUI_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include <curses.h>

#include "export/export.h"
#include "store/store.h"
#include "tui/actions.h"

#define TUI_MIN_COLS 80
#define TUI_MIN_ROWS 24
#define TUI_MAX_SCREENS 10 /* number keys 1..9, 0 */
/* A paste longer than this (a whole file by mistake) keeps its first 1 MiB: far more than any
 * field holds, and a bound on what one keystroke can make us allocate. */
#define TUI_PASTE_MAX (1024 * 1024)
/* Keys typed while long work runs, kept for after it: more than anyone types ahead. */
#define TUI_KEYS_KEPT 64
/* Screens q goes back through: the oldest is forgotten beyond (app.c). */
#define TUI_BACK_MAX 32
/* Columns of a record screen's list (struct rec_screen_def.ncols): the widest has 7. */
#define TUI_MAX_COLUMNS 16

struct app;

/* ---- screens ------------------------------------------------------------------------------ */

/* The area a screen draws in: rows top .. top + height - 1, columns 0 .. width - 1. */
struct area {
	int top, height, width;
};

struct screen_ops {
	const char *name;       /* `:NAME` command, lowercase: "timeline" */
	const char *title;      /* tab label: "Timeline" */
	const char *short_title;/* tab label when the bar is narrow: "Time" */
	/* Called the first time the screen is shown; allocates *PRIV.  0 or a negative cf_rc
	 * with a->err filled (the TUI shows the message and stays on the previous screen). */
	int (*open)(struct app *a, void **priv);
	void (*close)(struct app *a, void *priv);
	/* Draws the screen inside AR.  Must not read more than a page from the store. */
	void (*draw)(struct app *a, void *priv, const struct area *ar);
	/* An action (or, when ACT_NONE, the raw KEY): 1 when handled, 0 to let the app try. */
	int (*key)(struct app *a, void *priv, enum tui_action act, int key);
	/* The case changed (another process, or a save here): reread, keeping the cursor on the
	 * same record.  May be NULL. */
	void (*reload)(struct app *a, void *priv);
	/* Idle work after the frame (counting rows for "row N of M"); 1 if it changed what is
	 * shown.  May be NULL. */
	int (*idle)(struct app *a, void *priv);
	/* `:goto DATE` (UTC seconds): 0, or negative with a->msg set.  May be NULL. */
	int (*go_to)(struct app *a, void *priv, int64_t t);
	/* Text for the right of the status line ("12/1000000"), into BUF.  May be NULL. */
	void (*status)(struct app *a, void *priv, char *buf, size_t len);
	/* The status line's key hints when nothing else is shown: only keys that work here. */
	const char *hints;
};
/* The hints of every record screen: full-text search, add, edit work on each. */
#define TUI_RECORD_HINTS "? help  : command  / search  a add  e edit  d delete  q back"

extern const struct screen_ops scr_dashboard, scr_timeline, scr_population, scr_notices,
	scr_evidence, scr_tasks, scr_log, scr_history;
extern const struct screen_ops scr_reports, scr_conflicts;
/* The tab bar, in order (tui/screens.c). */
extern const struct screen_ops *const tui_screens[];
extern const size_t tui_nscreens;

/* ---- text editing (tui/lineedit.c) --------------------------------------------------------- */

struct lineedit {
	char *buf; /* UTF-8, NUL-terminated */
	size_t len, cap;
	size_t cur; /* byte offset of the cursor, on a character boundary */
};

void le_init(struct lineedit *le, const char *text);
void le_release(struct lineedit *le);
void le_set(struct lineedit *le, const char *text);
/* Applies an EDIT action, or inserts the printable character KEY; 1 when handled. */
int le_key(struct lineedit *le, enum tui_action act, int key);
/* Inserts pasted UTF-8 TEXT at the cursor as text: each character as le_key would take it,
 * line breaks kept when KEEP_LINES, else each run of them made one space. */
void le_paste(struct lineedit *le, const char *text, int keep_lines);
/* Draws the text at (Y, X) in WIDTH cells, scrolled so the cursor shows; returns the
 * cursor's column. */
int le_draw(struct lineedit *le, int y, int x, int width, attr_t attr);

/* ---- the application ----------------------------------------------------------------------- */

enum tui_mode {
	MODE_NORMAL,
	MODE_PROMPT,  /* the command line or a search prompt in the status line */
	MODE_CONFIRM, /* a yes/no question in the status line */
	MODE_FORM,    /* a record form over the screen */
	MODE_HELP,    /* the help screen */
};

enum tui_style {
	ST_NORMAL, ST_BANNER, ST_TAB, ST_TAB_ACTIVE, ST_HEADER, ST_CURSOR, ST_DIM,
	ST_OVERDUE, ST_SOON, ST_OK, ST_ERROR, ST_ESCAPE,
	ST_DIFF_FILE, ST_DIFF_HUNK, ST_DIFF_ADD, ST_DIFF_DEL, /* the Reports screen's diff */
	ST_TRAVEL, /* the time-travel banner */
	ST_COUNT
};

struct form;
struct script;

/* What a prompt's Enter does, and a yes/no question's "yes". */
typedef void (*prompt_fn)(struct app *a, void *ctx, const char *text);
typedef void (*confirm_fn)(struct app *a, void *ctx);

struct app {
	struct store *s;        /* what every screen reads: the case, or a view of it at a moment */
	struct store *live;     /* the case itself while S is a view (tui/travel.c), else NULL */
	struct cf_rules *rules; /* deadline rules, loaded once; NULL when none load */
	struct cf_record kase;  /* the case record, reread when the case changes */
	int64_t data_version;
	int64_t now;            /* the time of this frame (cf_now) */

	void *priv[TUI_MAX_SCREENS];
	int opened[TUI_MAX_SCREENS];
	size_t cur;
	size_t back[TUI_BACK_MAX];        /* screens to go back to with q */
	size_t nback;

	int rows, cols;
	int color;
	attr_t style[ST_COUNT];
	enum tui_mode mode;
	int quit;
	volatile sig_atomic_t signalled; /* set by the signal handler, nothing else */

	char msg[CF_MSG_LEN];          /* the status line message, until the next key */
	int msg_error;

	struct lineedit prompt;
	char prompt_label[CF_PHRASE_LEN];
	prompt_fn prompt_done;
	void *prompt_ctx;
	confirm_fn confirm_yes;
	void *confirm_ctx;
	enum tui_mode confirm_back; /* the mode the question was asked from (a form, or normal) */
	char confirm_text[CF_PHRASE_LEN];
	struct form *form;
	int help_top;

	struct script *script;  /* the test harness, or NULL */
	int pasting;            /* between the terminal's paste marks */
	char *paste;            /* what was pasted so far (UTF-8), up to TUI_PASTE_MAX bytes */
	size_t paste_len, paste_cap;
	int paste_cut;          /* more than TUI_PASTE_MAX bytes came: the rest was dropped */
	struct cf_err err;
	int cursor_y, cursor_x; /* where the text cursor goes, or -1 */
	struct area content;    /* this frame's screen area (under the tab bar) */
};

/* Sets the status line message (printf-style); ERROR shows it as an error. */
void tui_message(struct app *a, int error, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void tui_prompt(struct app *a, const char *label, const char *initial, prompt_fn done,
		void *ctx);
void tui_confirm(struct app *a, const char *question, confirm_fn yes, void *ctx);
/* What operation OP changed, in words: "field: old -> new", "created: LABEL", "deleted:
 * LABEL", "restored: LABEL"; values cut at their first line break (tui/screens/scr_history.c). */
void tui_op_change(const struct cf_op *op, char *buf, size_t len);
/* The current screen's state and the screen with that name. */
void *tui_screen_priv(struct app *a);
/* Rereads the case record and tells every open screen (after a save, or another process). */
void tui_case_changed(struct app *a);
/* Switches to screen I (remembered for q); opens it the first time. */
int tui_switch(struct app *a, size_t i);

/* ---- time travel (tui/travel.c) ------------------------------------------------------------ */

/* Every screen at the moment TEXT (in the case's zone): as of it (what the file had recorded)
 * or, with KNOWN, known at it (what had been learned); read-only.  0, or -1 with the message. */
int tui_travel(struct app *a, int known, const char *text);
/* The case changed (another process): the view again, at the same moment. */
void tui_travel_refresh(struct app *a);
/* Back to the present (the case itself, writable). */
void tui_travel_now(struct app *a);
/* To the previous (DIR < 0) or next change of the question being asked, saying what it did. */
void tui_travel_step(struct app *a, int dir);
/* The command line, started with "known-at " (or "as-of " when that is being asked). */
void tui_travel_prompt(struct app *a);
/* The banner naming the moment and how to return, into BUF; "" at the present. */
void tui_travel_banner(struct app *a, char *buf, size_t len);

/* Runs the TUI on an open store until the user quits: 0; 1 with a message on stderr (after
 * the terminal is restored); 128 + N when ended by signal N (SIGINT, SIGTERM, SIGHUP). */
int tui_run(struct store *s, const char *at);

/* ---- drawing untrusted text (tui/draw.c) ------------------------------------------------- */

/* Draws TEXT at (Y, X), at most WIDTH cells, sanitized: controls, C1 codes, ESC and bidi
 * controls appear as visible escapes (as in the CLI), wide characters take two cells, a
 * character that would not fit is left out.  Pads with spaces to WIDTH when PAD.  Newlines
 * show as ^J.  Returns the cells used. */
int tui_text(int y, int x, int width, const char *text, attr_t attr, int pad);
/* The cells TEXT takes when drawn (up to MAX; pass a large MAX for all). */
int tui_text_width(const char *text, int max);
/* The bytes of the longest prefix of TEXT (up to END) that tui_text draws in WIDTH cells,
 * broken after a space when there is one (how tui_wrap breaks lines). */
size_t tui_text_fit(const char *text, const char *end, int width);
/* Draws TEXT wrapped at spaces into ROWS lines of WIDTH from (Y, X), newlines breaking lines;
 * returns the lines used. */
int tui_wrap(int y, int x, int width, int rows, const char *text, attr_t attr);
/* A right-aligned or truncated fixed-width cell: "2019-05-31", "?", ... */
void tui_fill(int y, int x, int width, attr_t attr);
/* A time value as entered, periods as ranges: "2018-08/2019-01" -> "2018-08..2019-01". */
void tui_when_text(const char *value, char *buf, size_t len);
/* "3d 04h", "45m", "2741d 14h" for a number of seconds (its absolute value). */
void tui_duration(int64_t secs, char *buf, size_t len);
/* The styles (colors, or monochrome attributes with NO_COLOR). */
void tui_styles_init(struct app *a);

/* ---- paged lists (tui/list.c) ---------------------------------------------------------------
 * A window of rows read from the store around a position; never more than two screens of
 * rows in memory, whatever the size of the case. */

struct row {
	char *key;               /* sort key (records) */
	char id[CF_ID_LEN + 1];  /* record or op id */
	int64_t seq;             /* op sequence (history) */
	struct cf_record rec;
	struct cf_op op;
};

struct list {
	enum cf_kind kind;
	int ops;                 /* rows are operations, newest first */
	const char *filter_field;/* optional equality filter (record lists) */
	char filter_value[CF_PHRASE_LEN];
	struct row *rows;        /* the rows shown, in order */
	int n, height;
	int cur;                 /* index of the cursor in rows */
	int64_t pos;             /* position of rows[0] in the whole list, -1 unknown */
	int64_t total;           /* rows in the whole list, -1 unknown */
};

void list_init(struct list *l, enum cf_kind kind, int ops);
void list_release(struct list *l);
/* Reads the first page. */
int list_first(struct app *a, struct list *l);
int list_last(struct app *a, struct list *l);
/* Moves the cursor N rows (negative: up), reading what comes into view. */
int list_move(struct app *a, struct list *l, int n);
/* Shows the rows around position (KEY, ID) — inclusive: the row there, or the next one —
 * with it on screen line LINE. */
int list_seek(struct app *a, struct list *l, const char *key, const char *id, int64_t seq,
	      int line);
/* Rereads the window around the cursor's record (its new position if it moved; where it was
 * if it is gone), at the same screen line. */
int list_reload(struct app *a, struct list *l);
/* Sets the number of rows shown (resize), rereading around the cursor when it changed. */
int list_set_height(struct app *a, struct list *l, int height);
/* The list keys (up, down, pages, first, last); 1 when ACT was one of them. */
int list_key(struct app *a, struct list *l, enum tui_action act);
const struct row *list_cursor(const struct list *l);
/* Counts rows and the window's position when unknown: 1 when it did. */
int list_idle(struct app *a, struct list *l);
/* "12/1000" (or "12/?"), for the status line. */
void list_status(const struct list *l, char *buf, size_t len);

/* ---- record screens (tui/records.c): a list of one kind with columns and a detail pane ---- */

struct column {
	const char *field;   /* the field shown, or NULL for the extra column */
	const char *header;
	int width;           /* cells, or 0 to share the rest (by weight) */
	int weight;
};

struct rec_screen_def {
	enum cf_kind kind;
	const struct column *cols;
	size_t ncols;
	int searchable;      /* `/` with full-text search (every record kind has an index) */
	int filterable;      /* `f` filters on the field FILTER_FIELD */
	const char *filter_field;
	/* Extra lines for the detail pane after the fields (custody chain, revisions), or NULL;
	 * returns lines used. */
	int (*detail_extra)(struct app *a, const struct cf_record *r, int y, int width, int rows);
	int extra_first;     /* the extra lines go before the fields */
	/* The text of the extra column (a column whose field is NULL), or NULL. */
	void (*extra_cell)(struct app *a, const struct cf_record *r, char *buf, size_t len);
	/* A screen's own keys, tried after the list keys and before the others (PRIV is the
	 * record screen's; its own state is rec_state(PRIV)): 1 when handled.  May be NULL. */
	int (*own_key)(struct app *a, void *priv, enum tui_action act);
	/* Rewrites the rows read before each draw, as the record is shown (a notice's due time
	 * and status from the deadline engine), or NULL. */
	void (*shown)(struct app *a, struct row *rows, int n);
	/* A band between the list and the detail pane (Population's chart, Timeline's density
	 * ruler), or NULL: BAND_ROWS gives its height for a screen area HEIGHT rows high (0:
	 * none this frame), BAND_DRAW draws it at Y once the list is read (PRIV as own_key's). */
	int (*band_rows)(struct app *a, void *priv, int height);
	void (*band_draw)(struct app *a, void *priv, int y, int width, int rows);
	size_t state_size;   /* bytes of zeroed state for the screen's own use (rec_state) */
	void (*state_release)(void *state); /* frees what the state holds; may be NULL */
};

int rec_open(struct app *a, const struct rec_screen_def *def, void **priv);
void rec_close(struct app *a, void *priv);
void rec_draw(struct app *a, void *priv, const struct area *ar);
int rec_key(struct app *a, void *priv, enum tui_action act, int key);
void rec_reload(struct app *a, void *priv);
int rec_idle(struct app *a, void *priv);
int rec_go_to(struct app *a, void *priv, int64_t t);
void rec_status(struct app *a, void *priv, char *buf, size_t len);
/* Moves the screen's cursor to record ID (after an add). */
void rec_show_id(struct app *a, void *priv, const char *id);
/* The record under the cursor, or NULL (valid until the list moves or is read again). */
const struct cf_record *rec_cursor(void *priv);
/* The screen's own state (state_size bytes), or NULL when it has none. */
void *rec_state(void *priv);
/* The screen's list (its filter, its rows). */
const struct list *rec_list(void *priv);

/* ---- charts drawn as text (tui/chart.c) ------------------------------------------------- */

/* An estimate category's revisions S (export.h's series, the numbers the briefing's chart
 * draws) in ROWS lines of WIDTH from Y: a title line naming TITLE, the scale (0, half, top),
 * then one row per revision in as-of order: its date, its bar from low to high with the best
 * estimate marked, its numbers in words.  CUR (an index of S, or -1) is highlighted and kept
 * in view when there are more revisions than rows.  No revision, or none with a number, is
 * said in words. */
void tui_chart_series(struct app *a, const struct series *s, const char *title, int cur,
		      int y, int width, int rows);
/* The counts of a density ruler: S from record_density, COUNTS one per column (N). */
struct tui_density {
	struct cf_density s;
	int64_t *counts;
	int n;
};
/* D as a ruler in ROWS (up to 3) lines of WIDTH from Y: a title line (WHAT over time, how
 * many, the time a column stands for), a block a column as high as its count, and the first
 * and last dates with ^ under CUR's column (a time, INT64_MIN: none). */
void tui_chart_density(struct app *a, const struct tui_density *d, const char *what,
		       int64_t cur, int y, int width, int rows);

/* ---- lists held in memory and scrolled text (tui/scroll.c) ---------------------------------
 * For what is not a table of the store: report versions, their diffs, conflicts. */

struct scroll {
	int n;       /* rows */
	int cur;     /* the cursor's row (with CURSOR), else unused */
	int top;     /* the first row shown */
	int height;  /* rows shown */
	int cursor;  /* 1: a cursor moves; 0: the view itself scrolls */
};

/* Sets the rows and the height, keeping the cursor and the top in range and in view. */
void scroll_fit(struct scroll *sc, int n, int height);
/* The list keys (up, down, pages, first, last) on SC; 1 when ACT was one of them. */
int scroll_key(struct scroll *sc, enum tui_action act);
/* "12/40" (the cursor's row, or the last row shown), for the status line. */
void scroll_status(const struct scroll *sc, char *buf, size_t len);

/* `:sync [NAME]` (tui/sync.c): syncs with the remote, its stages in the status line, then the
 * outcome there; every screen is reread. */
void tui_sync(struct app *a, const char *remote);

/* ---- forms (tui/form.c) ----------------------------------------------------------------- */

/* Called after a successful save with the record's id. */
typedef void (*form_saved_fn)(struct app *a, void *ctx, const char *id);
/* Opens a form over the screen for a new record of KIND (ID NULL) or to edit record ID; the
 * fields are the kind's (cf_kind_info), minus those set automatically. */
int form_open(struct app *a, enum cf_kind kind, const char *id, form_saved_fn saved,
	      void *ctx);
void form_free(struct form *f);
void form_draw(struct app *a, struct form *f);
void form_key(struct app *a, struct form *f, int key);
/* Pasted TEXT into the focused field: kept multi-line in a long-text field, joined into one
 * line elsewhere. */
void form_paste(struct app *a, struct form *f, const char *text);

/* Runs $VISUAL, $EDITOR or vi on a private temporary file holding TEXT (fork and exec, the
 * terminal handed over and taken back); the new text (malloc'd) into *OUT.  0 or a negative
 * cf_rc with ERR filled. */
int tui_editor(struct app *a, const char *text, char **out, struct cf_err *err);

/* ---- the test harness (tui/script.c) --------------------------------------------------------
 * CASEFILE_TUI_SCRIPT=FILE: keys and commands from FILE instead of the keyboard, screens
 * written to CASEFILE_TUI_OUT, on a virtual terminal of CASEFILE_TUI_SIZE (default 80x24). */

int script_open(struct app *a, const char *path, struct cf_err *err);
void script_close(struct app *a);
/* The next key (1), or 0 when the script only did a command (redraw and ask again), or -1
 * at its end (quit). */
int script_next(struct app *a, int *key);
/* After each frame: records how long the key took (CASEFILE_TUI_TIMES). */
void script_frame_done(struct app *a);

#endif
