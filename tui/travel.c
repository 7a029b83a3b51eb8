/* travel.c — time travel in the terminal UI: every screen shows the case at a past moment
 * (store_view_open, the one place a moment is applied), read-only, under a banner naming the
 * moment and how to return; [ and ] step to the previous and next change and say what it did. */
#include "tui/frame.h"

#include <stdio.h>
#include <string.h>

/* The case itself: the live store, whether or not a view is shown. */
static struct store *live(struct app *a)
{
	return a->live ? a->live : a->s;
}

/* Shows the case at M instead of what is shown now; 0, or -1 with the message set (and the
 * moment shown unchanged).  A view already shown is moved there (store_view_move: a step
 * costs what changed in between, not a new view). */
static int travel_to(struct app *a, const struct cf_moment *m)
{
	struct store *v;

	if (a->live) {
		if (store_view_move(a->live, a->s, m, &a->err) < 0) {
			tui_message(a, 1, "%s", a->err.msg);
			return -1;
		}
	} else if (store_view_open(a->s, m, &v, &a->err) < 0) {
		tui_message(a, 1, "%s", a->err.msg);
		return -1;
	} else {
		a->live = a->s;
		a->s = v;
	}
	a->now = store_now(a->s);
	tui_case_changed(a);
	return 0;
}

int tui_travel(struct app *a, int known, const char *text)
{
	struct cf_moment m;
	char words[CF_LINE_LEN];

	text += strspn(text, " ");
	if (!*text) {
		tui_message(a, 1, "%s needs a date, e.g. :%s 2019-06-05T12:00 (:now returns)",
			    known ? "known-at" : "as-of", known ? "known-at" : "as-of");
		return -1;
	}
	if (cf_moment_parse(live(a), known ? NULL : text, known ? text : NULL, &m, &a->err) < 0) {
		tui_message(a, 1, "%s", a->err.msg);
		return -1;
	}
	if (travel_to(a, &m) < 0)
		return -1;
	cf_moment_describe(&m, words, sizeof(words));
	tui_message(a, 0, "viewing %s: read-only; [ ] step through changes, :now returns", words);
	return 0;
}

void tui_travel_refresh(struct app *a)
{
	struct cf_moment m;

	if (!store_view(a->s))
		return;
	m = *store_view(a->s);
	travel_to(a, &m);
}

void tui_travel_now(struct app *a)
{
	if (!a->live) {
		tui_message(a, 0, "already at the present");
		return;
	}
	store_close(a->s);
	a->s = a->live;
	a->live = NULL;
	a->now = cf_now();
	tui_case_changed(a);
	tui_message(a, 0, "back at the present");
}

/* What change C did, in words, into BUF. */
static void change_words(const struct cf_change *c, int known, char *buf, size_t len)
{
	char what[2 * CF_PHRASE_LEN]; /* a change in words: a phrase and a label */
	const char *kind = cf_kind_info(known ? c->kind : c->op.kind)->name;

	if (known)
		snprintf(what, sizeof(what), "%s %s %.*s: %s", c->field ? c->field : "entered", kind,
			 CF_SHORT_ID, c->record, c->label);
	else {
		char change[CF_PHRASE_LEN];
		tui_op_change(&c->op, change, sizeof(change));
		snprintf(what, sizeof(what), "%s %.*s %s", kind, CF_SHORT_ID, c->op.record, change);
	}
	if (c->count > 1) /* the count first: the line may be cut */
		snprintf(buf, len, "%s (+%ld%s more): %s", c->text, c->count - 1,
			 c->more ? " or" : "", what);
	else
		snprintf(buf, len, "%s: %s", c->text, what);
}

void tui_travel_step(struct app *a, int dir)
{
	const struct cf_moment *cur = store_view(a->s);
	struct cf_moment m;
	struct cf_change c;
	char words[CF_LINE_LEN];
	int known;

	if (!cur) {
		tui_message(a, 1, "[ and ] step through the past: first :as-of DATE or :known-at DATE"
				  " (or @)");
		return;
	}
	m = *cur;
	known = m.known_at != CF_NO_MOMENT;
	if (store_view_step(live(a), &m, dir, &c, &a->err) < 0) {
		tui_message(a, 1, "%s", a->err.msg);
		return;
	}
	if (known && c.field) {
		m.known_at = c.at; /* the record's own date, as entered */
		cf_strlcpy(m.known_at_text, c.text, sizeof(m.known_at_text));
	} else if (known) {
		m.known_at = c.at; /* when it was entered, in the case's zone */
		cf_time_zoned(c.at, m.tz[0] ? m.tz : NULL, m.known_at_text, sizeof(m.known_at_text));
		cf_strlcpy(c.text, m.known_at_text, sizeof(c.text));
	} else {
		m.as_of = c.at; /* shown in the case's zone */
		cf_time_zoned(c.at, m.tz[0] ? m.tz : NULL, m.as_of_text, sizeof(m.as_of_text));
		cf_strlcpy(c.text, m.as_of_text, sizeof(c.text));
	}
	change_words(&c, known, words, sizeof(words));
	cf_change_release(&c);
	if (travel_to(a, &m) == 0)
		tui_message(a, 0, "%s", words);
}

void tui_travel_prompt(struct app *a)
{
	const struct cf_moment *m = store_view(a->s);

	tui_prompt(a, ":", m && m->known_at == CF_NO_MOMENT ? "as-of " : "known-at ",
		   tui_command, NULL);
}

/* The moment's text as given, with the case's zone when the text names none. */
static void moment_text(const char *text, const char *tz, char *buf, size_t len)
{
	struct cf_when w;
	int zoned = cf_when_parse(text, NULL, &w, NULL) == 0 && w.has_zone;

	snprintf(buf, len, "%s%s%s", text, zoned ? "" : " ", zoned ? "" : *tz ? tz : "UTC");
}

void tui_travel_banner(struct app *a, char *buf, size_t len)
{
	const struct cf_moment *m = store_view(a->s);
	char k[CF_PHRASE_LEN], o[CF_PHRASE_LEN];

	buf[0] = '\0';
	if (!m)
		return;
	if (m->known_at != CF_NO_MOMENT)
		moment_text(m->known_at_text, m->tz, k, sizeof(k));
	if (m->as_of != CF_NO_MOMENT)
		moment_text(m->as_of_text, m->tz, o, sizeof(o));
	if (m->known_at != CF_NO_MOMENT && m->as_of != CF_NO_MOMENT)
		snprintf(buf, len, "KNOWN AT %s OF AS OF %s", k, o);
	else
		snprintf(buf, len, "%s %s", m->known_at != CF_NO_MOMENT ? "KNOWN AT" : "AS OF",
			 m->known_at != CF_NO_MOMENT ? k : o);
	strncat(buf, " | read-only | :now returns | [ ] step", len - strlen(buf) - 1);
}
