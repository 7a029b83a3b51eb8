/* form.c — a form for adding or editing a record, generated from its kind's field table
 * (cf_kind_info): each field checked as it is left (cf_field_validate) and all of them again
 * on save; a wrong value is shown in the form and nothing is saved.  Long text goes to
 * $EDITOR. */
#include "tui/tui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ffield {
	const struct cf_field *f;
	struct lineedit le;
	char *orig;     /* the value when the form opened (edit), or NULL */
	char err[CF_LINE_LEN];
};

struct form {
	enum cf_kind kind;
	char id[CF_ID_LEN + 1]; /* "" for a new record */
	struct ffield fields[CF_MAX_FIELDS];
	int n, focus, top;
	char error[CF_LINE_LEN];
	form_saved_fn saved;
	void *ctx;
};

/* Fields a person does not type: set by casefile itself (entered, file hashes). */
static int automatic(enum cf_kind kind, const char *name, int adding)
{
	if (kind == CF_EVENT && strcmp(name, "entered") == 0)
		return 1;
	if (kind == CF_EVIDENCE)
		return strcmp(name, "sha256") == 0 || strcmp(name, "size") == 0 ||
		       (adding && strcmp(name, "holder") == 0);
	return 0;
}

int form_open(struct app *a, enum cf_kind kind, const char *id, form_saved_fn saved,
	      void *ctx)
{
	const struct cf_kind_info *ki = cf_kind_info(kind);
	struct form *f = xcalloc(1, sizeof(*f));
	struct cf_record r;

	if (!f)
		return cf_error(&a->err, CF_ERR, "out of memory");
	cf_record_init(&r, kind);
	if (id && record_get(a->s, kind, id, &r, &a->err) < 0) {
		free(f);
		return CF_ENOTFOUND;
	}
	f->kind = kind;
	cf_strlcpy(f->id, id ? id : "", sizeof(f->id));
	for (size_t i = 0; i < ki->nfields; i++) {
		if (automatic(kind, ki->fields[i].name, !id))
			continue;
		struct ffield *ff = &f->fields[f->n++];
		ff->f = &ki->fields[i];
		ff->orig = r.v[i] ? xstrdup(r.v[i]) : NULL;
		le_init(&ff->le, r.v[i]);
	}
	cf_record_release(&r);
	f->saved = saved;
	f->ctx = ctx;
	if (a->form)
		form_free(a->form);
	a->form = f;
	a->mode = MODE_FORM;
	return 0;
}

void form_free(struct form *f)
{
	if (!f)
		return;
	for (int i = 0; i < f->n; i++) {
		le_release(&f->fields[i].le);
		free(f->fields[i].orig);
	}
	free(f);
}

static void form_close(struct app *a)
{
	form_free(a->form);
	a->form = NULL;
	a->mode = MODE_NORMAL;
}

/* Checks one field: its type, and that a required one is not empty. */
static int check(struct form *f, struct ffield *ff)
{
	struct cf_err err;

	ff->err[0] = '\0';
	if (!ff->le.len) {
		if (ff->f->flags & CF_F_REQUIRED)
			snprintf(ff->err, sizeof(ff->err), "field '%s' is required", ff->f->name);
		else if (ff->orig && cf_field_keeps_value(f->kind, ff->f))
			snprintf(ff->err, sizeof(ff->err), "field '%s': " CF_FIELD_EMPTY_WHY,
				 ff->f->name); /* as `case edit --tz=` says */
		return ff->err[0] ? -1 : 0;
	}
	if (cf_field_validate(ff->f, ff->le.buf, &err) < 0) {
		cf_strlcpy(ff->err, err.msg, sizeof(ff->err));
		return -1;
	}
	return 0;
}

static struct ffield *field(struct form *f, const char *name)
{
	for (int i = 0; i < f->n; i++)
		if (strcmp(f->fields[i].f->name, name) == 0)
			return &f->fields[i];
	return NULL;
}

static const char *value(struct form *f, const char *name)
{
	struct ffield *ff = field(f, name);
	return ff && ff->le.len ? ff->le.buf : NULL;
}

/* A new evidence item is hashed from its file as it is added, with its first custody event. */
static int add_evidence(struct app *a, struct form *f, char id[CF_ID_LEN + 1])
{
	struct cf_evidence_in in = {
		.file = value(f, "file"),
		.location = value(f, "location"),
		.description = value(f, "description"),
		.collected_by = value(f, "collected_by"),
		.collected_at = value(f, "collected_at"),
		.source = value(f, "source"),
		.visibility = value(f, "visibility"),
	};
	return evidence_add(a->s, &in, id, &a->err);
}

static int add(struct app *a, struct form *f, char id[CF_ID_LEN + 1])
{
	struct cf_record r;
	int rc = 0;

	if (f->kind == CF_EVIDENCE)
		return add_evidence(a, f, id);
	cf_record_init(&r, f->kind);
	for (int i = 0; i < f->n && rc == 0; i++)
		if (f->fields[i].le.len)
			rc = cf_record_set(&r, f->fields[i].f->name, f->fields[i].le.buf, &a->err);
	if (rc == 0)
		rc = record_add(a->s, &r, &a->err);
	if (rc == 0)
		memcpy(id, r.id, CF_ID_LEN + 1);
	cf_record_release(&r);
	return rc;
}

/* A field this form changes that another process (the CLI, a sync) changed too since the form
 * opened: its value now goes under the field, becomes the value the form started from, and
 * the save stops.  Saving again means "mine over theirs", after seeing both.  1 when it did. */
static int changed_meanwhile(struct ffield *ff, const char *stored)
{
	if ((!stored && !ff->orig) || (stored && ff->orig && strcmp(stored, ff->orig) == 0))
		return 0;
	snprintf(ff->err, sizeof(ff->err), "changed meanwhile to '%.200s%s'", stored ? stored : "",
		 stored && strlen(stored) > 200 ? "..." : "");
	free(ff->orig);
	ff->orig = stored ? xstrdup(stored) : NULL;
	return 1;
}

/* Every changed field in one transaction: all of the edit is saved, or none of it; none of it
 * when a field it changes was changed by someone else since the form opened (CF_ECHANGED,
 * *NCHANGED of them, each shown under its field). */
static int edit(struct app *a, struct form *f, int *nchanged)
{
	const struct cf_kind_info *ki = cf_kind_info(f->kind);
	struct cf_record now;
	int rc = store_begin(a->s, &a->err);

	cf_record_init(&now, f->kind);
	if (rc == 0)
		rc = record_get(a->s, f->kind, f->id, &now, &a->err);
	for (int i = 0; i < f->n && rc == 0; i++) {
		struct ffield *ff = &f->fields[i];
		const char *mine = ff->le.len ? ff->le.buf : NULL;
		if ((!mine && !ff->orig) || (mine && ff->orig && strcmp(mine, ff->orig) == 0))
			continue;
		if (changed_meanwhile(ff, now.v[ff->f - ki->fields]) && (*nchanged)++ == 0)
			f->focus = i;
	}
	for (int i = 0; i < f->n && rc == 0 && !*nchanged; i++) {
		struct ffield *ff = &f->fields[i];
		const char *mine = ff->le.len ? ff->le.buf : NULL;
		if ((!mine && !ff->orig) || (mine && ff->orig && strcmp(mine, ff->orig) == 0))
			continue;
		rc = record_set(a->s, f->kind, f->id, ff->f->name, mine, &a->err);
	}
	cf_record_release(&now);
	if (rc == 0 && *nchanged)
		rc = CF_ECHANGED;
	if (rc == 0)
		rc = store_commit(a->s, &a->err);
	if (rc < 0)
		store_rollback(a->s);
	return rc;
}

static void save(struct app *a, struct form *f)
{
	const struct cf_kind_info *ki = cf_kind_info(f->kind);
	char id[CF_ID_LEN + 1];
	int bad = 0, first = -1, rc, changed = 0;

	for (int i = 0; i < f->n; i++)
		if (check(f, &f->fields[i]) < 0 && bad++ == 0)
			first = i;
	if (bad) {
		f->focus = first;
		snprintf(f->error, sizeof(f->error), "%d field%s to fix: nothing saved", bad,
			 bad == 1 ? "" : "s");
		return;
	}
	memcpy(id, f->id, sizeof(id));
	rc = f->id[0] ? edit(a, f, &changed) : add(a, f, id);
	if (rc == CF_ECHANGED) {
		snprintf(f->error, sizeof(f->error), "not saved: %d field%s changed meanwhile;"
			 " Enter saves yours, Esc cancels", changed, changed == 1 ? "" : "s");
		return;
	}
	if (rc < 0) {
		snprintf(f->error, sizeof(f->error), "not saved: %s", a->err.msg);
		return;
	}
	form_saved_fn saved = f->saved;
	void *ctx = f->ctx;
	int adding = !f->id[0];
	form_close(a);
	tui_message(a, 0, "%s %s %.*s", adding ? "added" : "saved", ki->title, CF_SHORT_ID, id);
	if (saved)
		saved(a, ctx, id);
	if (!a->msg[0] || strcmp(a->msg, "saved") == 0)
		tui_message(a, 0, "%s %s %.*s", adding ? "added" : "saved", ki->title, CF_SHORT_ID,
			    id);
}

static void cycle_choice(struct ffield *ff, int dir)
{
	int n = 0, at = -1;

	if (!ff->f->choices)
		return;
	for (; ff->f->choices[n]; n++)
		if (ff->le.len && strcmp(ff->f->choices[n], ff->le.buf) == 0)
			at = n;
	at = at < 0 ? (dir > 0 ? 0 : n - 1) : (at + dir + n) % n;
	le_set(&ff->le, ff->f->choices[at]);
	ff->err[0] = '\0';
}

static void run_editor(struct app *a, struct form *f, struct ffield *ff)
{
	struct cf_err err;
	char *text;

	if (tui_editor(a, ff->le.buf, &text, &err) < 0) {
		cf_strlcpy(f->error, err.msg, sizeof(f->error));
		return;
	}
	le_set(&ff->le, text);
	free(text);
	check(f, ff);
}

/* Whether any field differs from what the form opened with. */
static int changed(const struct form *f)
{
	for (int i = 0; i < f->n; i++) {
		const struct ffield *ff = &f->fields[i];
		const char *orig = ff->orig ? ff->orig : "";
		if (strcmp(ff->le.len ? ff->le.buf : "", orig) != 0)
			return 1;
	}
	return 0;
}

static void discard_yes(struct app *a, void *ctx)
{
	(void)ctx;
	form_close(a);
	tui_message(a, 0, "not saved: the changes were discarded");
}

void form_paste(struct app *a, struct form *f, const char *text)
{
	struct ffield *ff = &f->fields[f->focus];
	int long_text = (ff->f->flags & CF_F_LONG) != 0;

	le_paste(&ff->le, text, long_text);
	ff->err[0] = '\0';
	tui_message(a, 0, "pasted into '%s'%s", ff->f->name,
		    !long_text && strpbrk(text, "\r\n") ? " (its lines joined into one)" : "");
}

void form_key(struct app *a, struct form *f, int key)
{
	struct ffield *ff = &f->fields[f->focus];
	enum tui_action act = tui_action_for(CTX_FORM, key);

	f->error[0] = '\0';
	switch (act) {
	case ACT_FORM_NEXT:
	case ACT_FORM_PREV:
		check(f, ff);
		f->focus = (f->focus + (act == ACT_FORM_NEXT ? 1 : f->n - 1)) % f->n;
		return;
	case ACT_FORM_SAVE:
		save(a, f);
		return;
	case ACT_FORM_CANCEL:
		if (changed(f)) {
			tui_confirm(a, "discard the changes to this form?", discard_yes, NULL);
			return;
		}
		form_close(a);
		tui_message(a, 0, "not saved");
		return;
	case ACT_FORM_EDITOR:
		run_editor(a, f, ff);
		return;
	case ACT_FORM_CHOICE_NEXT:
	case ACT_FORM_CHOICE_PREV:
		cycle_choice(ff, act == ACT_FORM_CHOICE_NEXT ? 1 : -1);
		return;
	default:
		break;
	}
	if (strchr(ff->le.buf, '\n')) {
		snprintf(f->error, sizeof(f->error), "'%s' has several lines: C-e edits it in $EDITOR",
			 ff->f->name);
		return;
	}
	if (le_key(&ff->le, tui_action_for(CTX_EDIT, key), key))
		ff->err[0] = '\0';
}

/* A field's line, and up to two lines of its error under it. */
static int field_lines(const struct ffield *ff, int width)
{
	if (!ff->err[0])
		return 1;
	return tui_text_width(ff->err, 4 * width) > width ? 3 : 2;
}

void form_draw(struct app *a, struct form *f)
{
	const struct area *ar = &a->content;
	const struct cf_kind_info *ki = cf_kind_info(f->kind);
	struct ffield *cur = &f->fields[f->focus];
	char title[CF_PHRASE_LEN], hint[CF_LINE_LEN];
	int avail = ar->height - 3, y = ar->top + 1, lw = 18;

	for (int i = 0; i < ar->height; i++)
		tui_fill(ar->top + i, 0, ar->width, A_NORMAL);
	snprintf(title, sizeof(title), "%s %s %.*s   (* required)", f->id[0] ? "Edit" : "New",
		 ki->title, CF_SHORT_ID, f->id);
	tui_text(ar->top, 0, ar->width, title, a->style[ST_HEADER], 1);
	/* Scroll so the field with the cursor, and its error, are in view. */
	if (f->focus < f->top)
		f->top = f->focus;
	for (;;) {
		int used = 0;
		for (int i = f->top; i <= f->focus; i++)
			used += field_lines(&f->fields[i], ar->width - lw);
		if (used <= avail || f->top >= f->focus)
			break;
		f->top++;
	}
	for (int i = f->top; i < f->n && y < ar->top + 1 + avail; i++) {
		struct ffield *ff = &f->fields[i];
		char label[CF_PHRASE_LEN];
		attr_t at = i == f->focus ? a->style[ST_CURSOR] : A_NORMAL;
		snprintf(label, sizeof(label), "%s%s", ff->f->name,
			 ff->f->flags & CF_F_REQUIRED ? " *" : "");
		tui_text(y, 0, lw, label, i == f->focus ? A_BOLD : A_NORMAL, 1);
		if (i == f->focus) {
			a->cursor_x = le_draw(&ff->le, y, lw, ar->width - lw, at);
			a->cursor_y = y;
		} else {
			tui_text(y, lw, ar->width - lw, ff->le.buf, A_NORMAL, 1);
		}
		y++;
		if (ff->err[0] && y < ar->top + 1 + avail)
			y += tui_wrap(y, lw, ar->width - lw, ar->top + 1 + avail - y > 1 ? 2 : 1,
				      ff->err, a->style[ST_ERROR]);
	}
	if (f->error[0])
		tui_text(ar->top + ar->height - 2, 0, ar->width, f->error, a->style[ST_ERROR], 1);
	snprintf(hint, sizeof(hint), "%s: %s%s", cur->f->name, cur->f->help,
		 cur->f->flags & CF_F_LONG ? " (C-e: $EDITOR)" : "");
	if (cur->f->choices) {
		size_t k = strlen(hint);
		snprintf(hint + k, sizeof(hint) - k, "; C-n/C-p:");
		for (const char *const *c = cur->f->choices; *c; c++) {
			k = strlen(hint);
			snprintf(hint + k, sizeof(hint) - k, " %s", *c);
		}
	}
	tui_text(ar->top + ar->height - 1, 0, ar->width, hint, a->style[ST_DIM], 1);
}
