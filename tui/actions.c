/* actions.c — the key lookup, key names and the man page's key list, all read from the one
 * table of tui/actions.h. */
#include "tui/actions.h"

#include <curses.h>
#include <stdlib.h>
#include <string.h>

/* A key's name in the table ("Enter", "PgDn", "C-x"): a longer word names no key. */
#define KEY_NAME_LEN 16

static const struct tui_action_info table[] = {
#define TUI_ACTION_INFO(id, ctx, name, keys, help) { ACT_##id, CTX_##ctx, name, keys, help },
	TUI_ACTIONS(TUI_ACTION_INFO)
#undef TUI_ACTION_INFO
	{ ACT_NONE, CTX_COUNT, NULL, NULL, NULL },
};

static const struct {
	const char *name;
	int key;
} named[] = {
	{ "Up", TUI_FKEY(KEY_UP) },       { "Down", TUI_FKEY(KEY_DOWN) },
	{ "Left", TUI_FKEY(KEY_LEFT) },   { "Right", TUI_FKEY(KEY_RIGHT) },
	{ "PgUp", TUI_FKEY(KEY_PPAGE) },  { "PgDn", TUI_FKEY(KEY_NPAGE) },
	{ "Home", TUI_FKEY(KEY_HOME) },   { "End", TUI_FKEY(KEY_END) },
	{ "BTab", TUI_FKEY(KEY_BTAB) },   { "Backspace", TUI_FKEY(KEY_BACKSPACE) },
	{ "Del", TUI_FKEY(KEY_DC) },      { "F1", TUI_FKEY(KEY_F(1)) },
	{ "Enter", '\n' },                { "Tab", '\t' },
	{ "Esc", 27 },                    { "Space", ' ' },
	{ "PasteBegin", TUI_KEY_PASTE_BEGIN }, { "PasteEnd", TUI_KEY_PASTE_END },
};

const struct tui_action_info *tui_action_at(int i)
{
	return i >= 0 && (size_t)i < sizeof(table) / sizeof(table[0]) - 1 ? &table[i] : NULL;
}

int tui_key_parse(const char *name)
{
	size_t n = strlen(name);

	for (size_t i = 0; i < sizeof(named) / sizeof(named[0]); i++)
		if (strcmp(named[i].name, name) == 0)
			return named[i].key;
	if (n == 3 && name[0] == 'C' && name[1] == '-' && name[2] >= 'a' && name[2] <= 'z')
		return name[2] & 0x1f;
	if (n == 1 && (unsigned char)name[0] > ' ' && (unsigned char)name[0] < 0x7f)
		return (unsigned char)name[0];
	return -1;
}

/* Does the space-separated key list KEYS name KEY? */
static int keys_have(const char *keys, int key)
{
	char name[KEY_NAME_LEN];

	for (const char *p = keys; *p;) {
		size_t n = strcspn(p, " ");
		if (n < sizeof(name)) {
			memcpy(name, p, n);
			name[n] = '\0';
			if (tui_key_parse(name) == key)
				return 1;
		}
		p += n;
		p += strspn(p, " ");
	}
	return 0;
}

enum tui_action tui_action_for(enum tui_context ctx, int key)
{
	/* About fifty short entries: a scan costs far less than a frame. */
	for (const struct tui_action_info *a = table; a->name; a++) {
		int same = a->ctx == ctx ||
			   (ctx == CTX_MAIN && a->ctx == CTX_LIST) ||
			   (ctx == CTX_LIST && a->ctx == CTX_MAIN);
		if (same && keys_have(a->keys, key))
			return a->action;
	}
	return ACT_NONE;
}

const char *tui_context_title(enum tui_context ctx)
{
	static const char *const titles[CTX_COUNT] = {
		[CTX_MAIN] = "Screens",
		[CTX_LIST] = "Lists and records",
		[CTX_FORM] = "Forms",
		[CTX_EDIT] = "Typing text (forms, command line, search)",
		[CTX_PROMPT] = "Command line and search prompt",
		[CTX_CONFIRM] = "Questions",
	};
	return ctx < CTX_COUNT ? titles[ctx] : "";
}

/* Roff needs a backslash before a leading dot or quote and before every backslash. */
static void roff_text(FILE *out, const char *s)
{
	if (*s == '.' || *s == '\'')
		fputs("\\&", out);
	for (; *s; s++) {
		if (*s == '\\')
			fputs("\\e", out);
		else if (*s == '-')
			fputs("\\-", out);
		else
			fputc(*s, out);
	}
}

void tui_print_keys_roff(FILE *out)
{
	static const enum tui_context order[] = {
		CTX_LIST, CTX_MAIN, CTX_FORM, CTX_EDIT, CTX_PROMPT, CTX_CONFIRM,
	};
	for (size_t c = 0; c < sizeof(order) / sizeof(order[0]); c++) {
		fputs(".PP\n.I ", out);
		roff_text(out, tui_context_title(order[c]));
		fputs("\n", out);
		for (const struct tui_action_info *a = table; a->name; a++) {
			if (a->ctx != order[c])
				continue;
			fputs(".TP\n.B ", out);
			roff_text(out, a->keys);
			fputs("\n", out);
			roff_text(out, a->help);
			fputs(" (", out);
			roff_text(out, a->name);
			fputs(")\n", out);
		}
	}
}
