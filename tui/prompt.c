/* prompt.c — the status line as a prompt (command line, search, filter), yes/no questions,
 * and the `:` commands: a screen's name, goto DATE, help, quit. */
#include "tui/frame.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void tui_prompt(struct app *a, const char *label, const char *initial, prompt_fn done,
		void *ctx)
{
	cf_strlcpy(a->prompt_label, label, sizeof(a->prompt_label));
	le_set(&a->prompt, initial);
	a->prompt_done = done;
	a->prompt_ctx = ctx;
	a->mode = MODE_PROMPT;
	a->msg[0] = '\0';
}

void tui_confirm(struct app *a, const char *question, confirm_fn yes, void *ctx)
{
	cf_strlcpy(a->confirm_text, question, sizeof(a->confirm_text));
	a->confirm_yes = yes;
	a->confirm_ctx = ctx;
	a->confirm_back = a->mode == MODE_FORM ? MODE_FORM : MODE_NORMAL;
	a->mode = MODE_CONFIRM;
}

void prompt_key(struct app *a, int key)
{
	enum tui_action act = tui_action_for(CTX_PROMPT, key);

	if (act == ACT_PROMPT_ENTER) {
		char *text = xstrdup(a->prompt.buf);
		a->mode = MODE_NORMAL;
		a->msg[0] = '\0';
		if (text)
			a->prompt_done(a, a->prompt_ctx, text);
		free(text);
		return;
	}
	if (act == ACT_PROMPT_CANCEL) {
		a->mode = MODE_NORMAL;
		return;
	}
	le_key(&a->prompt, tui_action_for(CTX_EDIT, key), key);
}

void confirm_key(struct app *a, int key)
{
	enum tui_action act = tui_action_for(CTX_CONFIRM, key);

	/* Back where the question was asked (a form stays open on "no"). */
	if (act == ACT_CONFIRM_YES) {
		a->mode = a->confirm_back;
		a->confirm_yes(a, a->confirm_ctx);
	} else if (act == ACT_CONFIRM_NO) {
		a->mode = a->confirm_back;
		tui_message(a, 0, "nothing changed");
	}
}

/* A screen by its name, its title or a unique prefix of either; -1 when none or several. */
static int screen_named(const char *word)
{
	size_t n = strlen(word);
	int found = -1;

	for (size_t i = 0; i < tui_nscreens; i++) {
		const struct screen_ops *o = tui_screens[i];
		if (strcasecmp(o->name, word) == 0 || strcasecmp(o->title, word) == 0)
			return (int)i;
		if (n && (strncasecmp(o->name, word, n) == 0 || strncasecmp(o->title, word, n) == 0)) {
			if (found >= 0)
				return -2;
			found = (int)i;
		}
	}
	return found;
}

static void go_to(struct app *a, const char *date)
{
	const char *tz = cf_record_get(&a->kase, "tz");
	struct cf_when w;
	struct cf_err err;
	size_t target = a->cur;

	if (!*date) {
		tui_message(a, 1, "goto needs a date, e.g. :goto 2019-05-31");
		return;
	}
	if (cf_when_parse(date, tz, &w, &err) < 0) {
		tui_message(a, 1, "%s", err.msg);
		return;
	}
	/* A screen without dates (the dashboard) sends the date to the timeline. */
	if (!tui_screens[target]->go_to) {
		for (target = 0; target < tui_nscreens; target++)
			if (tui_screens[target] == &scr_timeline)
				break;
		if (target == tui_nscreens || tui_switch(a, target) < 0)
			return;
	}
	tui_screens[a->cur]->go_to(a, a->priv[a->cur], w.start);
}

void tui_command(struct app *a, void *ctx, const char *text)
{
	char word[CF_PHRASE_LEN];
	const char *p = text + strspn(text, " "), *rest;
	size_t n = strcspn(p, " ");
	int i;

	if (n == 0)
		return;
	snprintf(word, sizeof(word), "%.*s", (int)n, p);
	rest = p + n;
	rest += strspn(rest, " ");
	if (strcmp(word, "q") == 0 || strcmp(word, "quit") == 0 || strcmp(word, "q!") == 0) {
		a->quit = 1;
	} else if (strcmp(word, "goto") == 0 || strcmp(word, "go") == 0) {
		go_to(a, rest);
	} else if (strcmp(word, "as-of") == 0 || strcmp(word, "known-at") == 0) {
		tui_travel(a, word[0] == 'k', rest);
	} else if (strcmp(word, "now") == 0) {
		tui_travel_now(a);
	} else if (strcmp(word, "sync") == 0) {
		tui_sync(a, rest);
	} else if (strcmp(word, "help") == 0) {
		a->mode = MODE_HELP;
		a->help_top = 0;
	} else if ((i = screen_named(word)) >= 0) {
		tui_switch(a, (size_t)i);
	} else {
		char names[CF_PHRASE_LEN] = "";
		for (size_t k = 0; k < tui_nscreens; k++) {
			strncat(names, tui_screens[k]->name, sizeof(names) - strlen(names) - 1);
			strncat(names, " ", sizeof(names) - strlen(names) - 1);
		}
		tui_message(a, 1, "%s command '%.60s' (try: %sgoto DATE, as-of DATE, known-at DATE, now, sync, quit)",
			    i == -2 ? "ambiguous" : "unknown", word, names);
	}
}
