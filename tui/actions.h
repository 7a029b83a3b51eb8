/* actions.h — every action of the terminal UI, declared once: its context, its name, its
 * default keys and its help.  The action enum, the key lookup, the `?` help screen and the
 * KEYS section of casefile(1) (`casefile tui --keys`) are all generated from this table.
 *
 * Keys are written as names, separated by spaces: a character ("j", "/", "?"), "C-x" for
 * Control-x, or one of Up Down Left Right PgUp PgDn Home End Enter Tab BTab Esc Space
 * Backspace Del F1.  Contexts: MAIN on every screen, LIST on screens with a list, FORM in a
 * record form, EDIT wherever text is typed (forms, the command line, the search prompt),
 * PROMPT in the command line and search prompt, CONFIRM when a yes/no question is asked. */
#ifndef CASEFILE_TUI_ACTIONS_H
#define CASEFILE_TUI_ACTIONS_H

#include <stdio.h>

#define TUI_ACTIONS(X) \
	X(DOWN, LIST, "down", "j Down C-n", "move down one row") \
	X(UP, LIST, "up", "k Up C-p", "move up one row") \
	X(PAGE_DOWN, LIST, "page-down", "PgDn C-f Space", "move down one page") \
	X(PAGE_UP, LIST, "page-up", "PgUp C-b", "move up one page") \
	X(FIRST, LIST, "first", "Home g", "go to the first row") \
	X(LAST, LIST, "last", "End G", "go to the last row") \
	X(DETAIL, LIST, "detail", "Enter", "show or hide the detail pane") \
	X(ADD, LIST, "add", "a", "add a record (a form; long text in $EDITOR)") \
	X(EDIT, LIST, "edit", "e", "edit the record under the cursor (dashboard: the case)") \
	X(DELETE, LIST, "delete", "d", "delete the record under the cursor (asks first)") \
	X(FILTER, LIST, "filter", "f", "timeline: only events of one kind (empty: all)") \
	X(RULER, LIST, "density-ruler", "r", "timeline: show or hide a density ruler of events over time") \
	X(SEARCH, LIST, "search", "/", "full-text search on every record screen (any part of a word)") \
	X(SEARCH_NEXT, LIST, "search-next", "n", "go to the next match") \
	X(SEARCH_PREV, LIST, "search-prev", "N", "go to the previous match") \
	X(MARK_SENT, LIST, "mark-sent", "s", "notifications: mark sent (asks the time; empty: now)") \
	X(MARK_ACK, LIST, "mark-acknowledged", "A", "notifications: mark acknowledged (asks the time)") \
	X(MARK_WAIVED, LIST, "mark-waived", "w", "notifications: mark waived (asks the reason)") \
	X(VERIFY, LIST, "verify", "c", "evidence: re-hash the item under the cursor") \
	X(VERIFY_ALL, LIST, "verify-all", "C", "evidence: re-hash every item (match, mismatch, missing)") \
	X(TRANSFER, LIST, "transfer", "T", "evidence: custody transfer (to whom, why, where)") \
	X(REPORT_MARK, LIST, "report-from", "m", \
	  "reports: diff from the version under the cursor (again: off)") \
	X(REPORT_TEXT, LIST, "report-text", "v", \
	  "reports: the version's text instead of the diff, and back") \
	X(RESOLVE_OURS, LIST, "resolve-kept", "K", "conflicts: keep the value the case holds (a new operation)") \
	X(RESOLVE_THEIRS, LIST, "resolve-other", "o", "conflicts: take the other value (a new operation)") \
	X(RESOLVE_VALUE, LIST, "resolve-value", "i", "conflicts: type the value to keep") \
	X(RESTORE, LIST, "restore", "R", \
	  "history: bring back the record deleted by the operation under the cursor (asks first)") \
	X(SCREEN_1, MAIN, "screen-1", "1", "dashboard") \
	X(SCREEN_2, MAIN, "screen-2", "2", "timeline") \
	X(SCREEN_3, MAIN, "screen-3", "3", "population estimates") \
	X(SCREEN_4, MAIN, "screen-4", "4", "notifications") \
	X(SCREEN_5, MAIN, "screen-5", "5", "evidence") \
	X(SCREEN_6, MAIN, "screen-6", "6", "tasks") \
	X(SCREEN_7, MAIN, "screen-7", "7", "log (the incident commander's notes)") \
	X(SCREEN_8, MAIN, "screen-8", "8", "history (the operation log)") \
	X(SCREEN_9, MAIN, "screen-9", "9", "reports (briefing versions and their diffs)") \
	X(SCREEN_10, MAIN, "screen-10", "0", "conflicts (after a sync)") \
	X(NEXT_SCREEN, MAIN, "next-screen", "Tab", "the next screen in the tab bar") \
	X(PREV_SCREEN, MAIN, "prev-screen", "BTab", "the previous screen in the tab bar") \
	X(COMMAND, MAIN, "command", ":", "command line: a screen name, goto DATE, sync [REMOTE], quit") \
	X(HELP, MAIN, "help", "? F1", "this help") \
	X(REDRAW, MAIN, "redraw", "C-l", "redraw the screen") \
	X(UNDO, MAIN, "undo", "u", "undo your last change (asks first, naming it; a new operation)") \
	X(TRAVEL, MAIN, "time-travel", "@", \
	  "the case at a past moment, read-only: asks :known-at DATE (or :as-of DATE); on History, " \
	  "as of the operation under the cursor; :now returns") \
	X(TRAVEL_PREV, MAIN, "change-prev", "[", \
	  "time travel: step to the previous change (an operation, or a learned date), saying what it did") \
	X(TRAVEL_NEXT, MAIN, "change-next", "]", "time travel: step to the next change") \
	X(BACK, MAIN, "back", "q", "back to the previous screen; quit on the first") \
	X(QUIT, MAIN, "quit", "Q", "quit at once") \
	X(FORM_NEXT, FORM, "form-next", "Tab Down", "next field") \
	X(FORM_PREV, FORM, "form-prev", "BTab Up", "previous field") \
	X(FORM_SAVE, FORM, "form-save", "Enter", "check every field, then save (not if one is wrong)") \
	X(FORM_CANCEL, FORM, "form-cancel", "Esc C-g", "close the form without saving") \
	X(FORM_EDITOR, FORM, "form-editor", "C-e", "edit the field in $EDITOR (multi-line text)") \
	X(FORM_CHOICE_NEXT, FORM, "form-choice-next", "C-n", "next choice (fields with choices)") \
	X(FORM_CHOICE_PREV, FORM, "form-choice-prev", "C-p", "previous choice") \
	X(EDIT_LEFT, EDIT, "edit-left", "Left", "cursor left") \
	X(EDIT_RIGHT, EDIT, "edit-right", "Right", "cursor right") \
	X(EDIT_HOME, EDIT, "edit-home", "Home C-a", "cursor to the start") \
	X(EDIT_END, EDIT, "edit-end", "End", "cursor to the end") \
	X(EDIT_BACKSPACE, EDIT, "edit-backspace", "Backspace", "delete before the cursor") \
	X(EDIT_DELETE, EDIT, "edit-delete", "Del C-d", "delete under the cursor") \
	X(EDIT_CLEAR, EDIT, "edit-clear", "C-u", "clear the text") \
	X(PROMPT_ENTER, PROMPT, "prompt-enter", "Enter", "run the command or search") \
	X(PROMPT_CANCEL, PROMPT, "prompt-cancel", "Esc C-g", "close the prompt") \
	X(CONFIRM_YES, CONFIRM, "confirm-yes", "y", "yes") \
	X(CONFIRM_NO, CONFIRM, "confirm-no", "n Esc", "no")

enum tui_context { CTX_MAIN, CTX_LIST, CTX_FORM, CTX_EDIT, CTX_PROMPT, CTX_CONFIRM, CTX_COUNT };

enum tui_action {
	ACT_NONE,
#define TUI_ACTION_ENUM(id, ctx, name, keys, help) ACT_##id,
	TUI_ACTIONS(TUI_ACTION_ENUM)
#undef TUI_ACTION_ENUM
	ACT_COUNT
};

struct tui_action_info {
	enum tui_action action;
	enum tui_context ctx;
	const char *name;
	const char *keys;
	const char *help;
};

/* Keys as read from curses in one space: a character is its code point, a function key
 * (KEY_DOWN, ...) is TUI_FKEY(code).  Enter, Backspace and the like are normalised. */
#define TUI_FKEY(code) (0x200000 | (code))
/* The terminal's bracketed-paste marks (ESC [ 200 ~ and ESC [ 201 ~), defined as keys so that
 * what comes between them is taken as text, never as keys. */
#define TUI_KEY_PASTE_BEGIN TUI_FKEY(KEY_MAX + 1)
#define TUI_KEY_PASTE_END TUI_FKEY(KEY_MAX + 2)

/* The table, in declaration order; ACT_NONE past the end. */
const struct tui_action_info *tui_action_at(int i);
/* The action KEY means in context CTX (MAIN and LIST are one keymap), or ACT_NONE. */
enum tui_action tui_action_for(enum tui_context ctx, int key);
/* A key name (as in the table, or the script harness) -> key, or -1. */
int tui_key_parse(const char *name);
/* The context's name in the help screen and the man page ("Moving and lists", ...). */
const char *tui_context_title(enum tui_context ctx);
/* The KEYS section of casefile(1) in roff, from the table. */
void tui_print_keys_roff(FILE *out);

#endif
