/* custody.c — the chain-of-custody report, the export kind "custody": Markdown is the
 * canonical form, HTML is the exports' one page made from it (export/html.c), PDF its pages
 * laid out by export/pdf.c (tables broken across pages, headers repeated), JSON is built with
 * jansson.  Every piece of case text goes through the exports' escapers (export/escape.c). */
#include "export/internal.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

/* ---- Markdown ---- */

/* Inline Markdown text through the exports' escaper (export/escape.c); "(none)" when empty. */
static void md_text(FILE *o, const char *s)
{
	if (!s || !*s)
		fputs("(none)", o);
	else
		md_inline(o, s);
}

struct md_ctx {
	struct store *s;
	FILE *o;
	int item;
	int event;
	struct cf_err *err;
	int rc;
};

static void md_row(FILE *o, const char *label, const char *value)
{
	fprintf(o, "| %s | ", label);
	md_text(o, value);
	fputs(" |\n", o);
}

/* The chain column of an event: its correction's reason, or how it breaks the chain without
 * being recorded as a correction (store/custody.c); "" for an event in order. */
static void md_chain_note(FILE *o, const struct cf_custody_step *step)
{
	if (step->correction) {
		fputs("**Correction:** ", o);
		md_inline(o, step->correction);
		if (step->broken) {
			fputs(" (", o);
			md_inline(o, step->broken);
			fputc(')', o);
		}
	} else if (step->broken) {
		fputs("**Out of chain, not recorded as a correction:** ", o);
		md_inline(o, step->broken);
	}
}

static int md_event(const struct cf_custody_step *step, void *vctx)
{
	struct md_ctx *m = vctx;
	static const char *const cols[] = { "at", "action", "from", "handler", "location",
					    "reason" };

	fprintf(m->o, "| %d |", ++m->event);
	for (size_t i = 0; i < sizeof(cols) / sizeof(cols[0]); i++) {
		fputc(' ', m->o);
		md_text(m->o, cf_record_get(step->event, cols[i]));
		fputs(" |", m->o);
	}
	fputc(' ', m->o);
	md_chain_note(m->o, step);
	fputs(" |\n", m->o);
	return 0;
}

static int md_item(const struct cf_record *r, void *vctx)
{
	struct md_ctx *m = vctx;
	const char *size = cf_record_get(r, "size");
	char bytes[CF_NUM_LEN];

	fprintf(m->o, "## %d. ", ++m->item);
	md_text(m->o, cf_record_get(r, "description"));
	fputs("\n\n| Field | Value |\n|---|---|\n", m->o);
	md_row(m->o, "Evidence id", r->id);
	md_row(m->o, "Description", cf_record_get(r, "description"));
	md_row(m->o, "File", cf_record_get(r, "file"));
	md_row(m->o, "SHA-256", cf_record_get(r, "sha256"));
	snprintf(bytes, sizeof(bytes), "%s bytes", size ? size : "");
	md_row(m->o, "Size", size ? bytes : NULL);
	md_row(m->o, "Source", cf_record_get(r, "source"));
	md_row(m->o, "Collected by", cf_record_get(r, "collected_by"));
	md_row(m->o, "Collected at", cf_record_get(r, "collected_at"));
	md_row(m->o, "Current holder (the chain's last handler)", cf_record_get(r, "holder"));
	md_row(m->o, "Storage location", cf_record_get(r, "location"));
	md_row(m->o, "Visibility", cf_record_get(r, "visibility"));
	fputs("\nCustody events, in time order:\n\n"
	      "| # | Date and time (with zone) | Action | From | Handler | Location | Reason |"
	      " Chain |\n|---|---|---|---|---|---|---|---|\n", m->o);
	m->event = 0;
	m->rc = custody_walk(m->s, r->id, md_event, m, m->err);
	if (m->event == 0)
		fputs("| - | (no custody events recorded) | | | | | | |\n", m->o);
	fputc('\n', m->o);
	return m->rc < 0;
}

/* The Markdown report; BANNERS puts the marking first and last (the HTML page has its own). */
static int write_md(struct store *s, const struct cf_record *kase, FILE *o, int banners,
		    struct cf_err *err)
{
	struct md_ctx m = { s, o, 0, 0, err, 0 };
	const char *marking = cf_record_get(kase, "marking");
	int rc;

	if (banners) {
		md_banner(o, marking);
		fputc('\n', o);
	}
	fputs("# Chain of custody: ", o);
	md_text(o, cf_record_get(kase, "title"));
	fputs("\n\nEvidence log after NIST SP 800-61r2 section 3.2.2: for each item its "
	      "identifying information, who collected it and when, and every hand-off with "
	      "the handler, date and time with time zone, storage location and reason. Case "
	      "time zone: ", o);
	md_text(o, cf_record_get(kase, "tz"));
	fputs(".\n\n", o);
	rc = record_list(s, CF_EVIDENCE, NULL, md_item, &m, err);
	if (rc == 0 && m.rc < 0)
		rc = m.rc;
	if (rc == 0 && m.item == 0)
		fputs("No evidence recorded.\n\n", o);
	if (banners)
		md_banner(o, marking);
	return rc;
}

/* ---- HTML and PDF ---- */

struct doc {
	struct store *s;
	const struct cf_record *kase;
};

/* The Markdown without banners, for the exports' one page (export/html.c) and the PDF
 * (export/pdf.c): each draws the banners itself. */
static int doc_md(FILE *out, const void *ctx, struct cf_err *err)
{
	const struct doc *d = ctx;
	return write_md(d->s, d->kase, out, 0, err);
}

/* ---- JSON ---- */

static json_t *jstr(const char *v)
{
	return v ? json_string(v) : json_null();
}

static json_t *record_object(const struct cf_record *r)
{
	const struct cf_kind_info *ki = cf_kind_info(r->kind);
	json_t *o = json_object();

	json_object_set_new(o, "id", json_string(r->id));
	for (size_t i = 0; i < ki->nfields; i++)
		json_object_set_new(o, ki->fields[i].name, jstr(r->v[i]));
	return o;
}

struct json_ctx {
	struct store *s;
	json_t *items;
	json_t *events;
	struct cf_err *err;
	int rc;
};

static int json_event(const struct cf_custody_step *step, void *vctx)
{
	struct json_ctx *j = vctx;
	json_t *o = record_object(step->event);

	json_object_set_new(o, "out_of_chain", jstr(step->broken));
	json_array_append_new(j->events, o);
	return 0;
}

static int json_item(const struct cf_record *r, void *vctx)
{
	struct json_ctx *j = vctx;
	json_t *o = record_object(r);

	j->events = json_array();
	j->rc = custody_walk(j->s, r->id, json_event, j, j->err);
	json_object_set_new(o, "custody", j->events);
	json_array_append_new(j->items, o);
	return j->rc < 0;
}

static int write_json(struct store *s, const struct cf_record *kase, FILE *o,
		      struct cf_err *err)
{
	struct json_ctx j = { s, json_array(), NULL, err, 0 };
	json_t *root = json_object(), *c = json_object();
	int rc;

	json_object_set_new(c, "id", json_string(kase->id));
	json_object_set_new(c, "title", jstr(cf_record_get(kase, "title")));
	json_object_set_new(c, "marking", jstr(cf_record_get(kase, "marking")));
	json_object_set_new(c, "tz", jstr(cf_record_get(kase, "tz")));
	json_object_set_new(root, "report", json_string("chain-of-custody"));
	json_object_set_new(root, "case", c);
	json_object_set_new(root, "evidence", j.items);
	rc = record_list(s, CF_EVIDENCE, NULL, json_item, &j, err);
	if (rc == 0 && j.rc < 0)
		rc = j.rc;
	if (rc == 0 && json_dumpf(root, o, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
					   JSON_ENSURE_ASCII) < 0)
		rc = cf_error(err, CF_EIO, "cannot write the report");
	if (rc == 0)
		fputc('\n', o);
	json_decref(root);
	return rc;
}

int render_custody(FILE *out, struct store *s, enum export_format fmt, const struct pdf_opts *po,
		   struct cf_err *err)
{
	struct cf_record kase;
	int rc = case_get(s, &kase, err);

	if (rc == 0) {
		const struct doc d = { s, &kase };
		if (fmt == EXPORT_JSON)
			rc = write_json(s, &kase, out, err);
		else if (fmt == EXPORT_PDF)
			rc = render_pdf_page(out, po, doc_md, &d, err);
		else if (fmt == EXPORT_HTML)
			rc = render_html_page(out, cf_record_get(&kase, "marking"),
					      "Chain of custody", rget(&kase, "title"), doc_md, &d,
					      err);
		else
			rc = write_md(s, &kase, out, 1, err);
	}
	cf_record_release(&kase);
	if (rc == 0 && ferror(out))
		rc = cf_error(err, CF_EIO, "cannot write the report");
	return rc;
}
