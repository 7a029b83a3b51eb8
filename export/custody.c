/* custody.c — the chain-of-custody report: Markdown is the canonical form, HTML is rendered from
 * it by cmark-gfm, JSON is built with jansson.  Every piece of case text is escaped. */
#include "export/custody.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm-extension_api.h>
#include <cmark-gfm.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

int export_custody_format(const char *name, enum custody_format *out, struct cf_err *err)
{
	if (!strcmp(name, "md") || !strcmp(name, "markdown"))
		*out = CUSTODY_MD;
	else if (!strcmp(name, "html"))
		*out = CUSTODY_HTML;
	else if (!strcmp(name, "json"))
		*out = CUSTODY_JSON;
	else
		return cf_error(err, CF_EINVAL, "format '%s': use md, html or json", name);
	return 0;
}

/* ---- Markdown ---- */

/* Inline Markdown text: every character with a meaning inline (or in a GFM table) is
 * backslash-escaped, line breaks and other controls become spaces, so case text can neither
 * add markup nor break a table row. */
static void md_text(FILE *o, const char *s)
{
	static const char specials[] = "\\`*_[]<>&!|~#$";

	if (!s || !*s) {
		fputs("(none)", o);
		return;
	}
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p < 0x20 || *p == 0x7f)
			fputc(' ', o);
		else if (strchr(specials, *p))
			fprintf(o, "\\%c", *p);
		else
			fputc(*p, o);
	}
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

static int md_event(const struct cf_record *c, void *vctx)
{
	struct md_ctx *m = vctx;
	static const char *const cols[] = { "at", "action", "from", "handler", "location",
					    "reason" };

	fprintf(m->o, "| %d |", ++m->event);
	for (size_t i = 0; i < sizeof(cols) / sizeof(cols[0]); i++) {
		fputc(' ', m->o);
		md_text(m->o, cf_record_get(c, cols[i]));
		fputs(" |", m->o);
	}
	fputc('\n', m->o);
	return 0;
}

static int md_item(const struct cf_record *r, void *vctx)
{
	struct md_ctx *m = vctx;
	const char *size = cf_record_get(r, "size");
	char bytes[64];

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
	md_row(m->o, "Current holder", cf_record_get(r, "holder"));
	md_row(m->o, "Storage location", cf_record_get(r, "location"));
	md_row(m->o, "Visibility", cf_record_get(r, "visibility"));
	fputs("\nCustody events, in time order:\n\n"
	      "| # | Date and time (with zone) | Action | From | Handler | Location | Reason |\n"
	      "|---|---|---|---|---|---|---|\n", m->o);
	m->event = 0;
	m->rc = custody_chain(m->s, r->id, md_event, m, m->err);
	if (m->event == 0)
		fputs("| - | (no custody events recorded) | | | | | |\n", m->o);
	fputc('\n', m->o);
	return m->rc < 0;
}

static int write_md(struct store *s, const struct cf_record *kase, FILE *o, struct cf_err *err)
{
	struct md_ctx m = { s, o, 0, 0, err, 0 };
	const char *marking = cf_record_get(kase, "marking");
	int rc;

	if (marking) {
		fputs("**", o);
		md_text(o, marking);
		fputs("**\n\n", o);
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
	if (marking) {
		fputs("**", o);
		md_text(o, marking);
		fputs("**\n", o);
	}
	return rc;
}

/* ---- HTML ---- */

static void html_text(FILE *o, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", o); break;
		case '<': fputs("&lt;", o); break;
		case '>': fputs("&gt;", o); break;
		case '"': fputs("&quot;", o); break;
		case '\'': fputs("&#39;", o); break;
		default: fputc(*s, o); break;
		}
	}
}

/* Markdown -> HTML with the GFM table extension; raw HTML stays disabled (the default). */
static char *md_to_html(const char *md, size_t len)
{
	cmark_parser *p;
	cmark_syntax_extension *table;
	cmark_node *doc;
	char *html;

	cmark_gfm_core_extensions_ensure_registered();
	if (!(p = cmark_parser_new(CMARK_OPT_DEFAULT)))
		return NULL;
	if ((table = cmark_find_syntax_extension("table")))
		cmark_parser_attach_syntax_extension(p, table);
	cmark_parser_feed(p, md, len);
	doc = cmark_parser_finish(p);
	html = doc ? cmark_render_html(doc, CMARK_OPT_DEFAULT,
				       cmark_parser_get_syntax_extensions(p))
		   : NULL;
	if (doc)
		cmark_node_free(doc);
	cmark_parser_free(p);
	return html;
}

static int write_html(struct store *s, const struct cf_record *kase, FILE *o,
		      struct cf_err *err)
{
	char *md = NULL, *html;
	size_t len = 0;
	FILE *mem = open_memstream(&md, &len);
	int rc;

	if (!mem)
		return cf_error(err, CF_ERR, "out of memory");
	rc = write_md(s, kase, mem, err);
	if (fclose(mem) != 0 && rc == 0)
		rc = cf_error(err, CF_ERR, "out of memory");
	if (rc < 0) {
		free(md);
		return rc;
	}
	html = md_to_html(md, len);
	free(md);
	if (!html)
		return cf_error(err, CF_ERR, "markdown rendering failed");
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>"
	      "Chain of custody: ", o);
	html_text(o, cf_record_get(kase, "title"));
	fputs("</title>\n<style>body{font-family:sans-serif;max-width:70em;margin:1em auto}"
	      "table{border-collapse:collapse;margin-bottom:1em}"
	      "td,th{border:1px solid #888;padding:.2em .5em;text-align:left;"
	      "vertical-align:top}</style>\n</head>\n<body>\n", o);
	fputs(html, o);
	fputs("</body>\n</html>\n", o);
	free(html);
	return 0;
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

static int json_event(const struct cf_record *c, void *vctx)
{
	struct json_ctx *j = vctx;
	json_array_append_new(j->events, record_object(c));
	return 0;
}

static int json_item(const struct cf_record *r, void *vctx)
{
	struct json_ctx *j = vctx;
	json_t *o = record_object(r);

	j->events = json_array();
	j->rc = custody_chain(j->s, r->id, json_event, j, j->err);
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

int export_custody(struct store *s, FILE *out, enum custody_format fmt, struct cf_err *err)
{
	struct cf_record kase;
	int rc = case_get(s, &kase, err);

	if (rc == 0) {
		if (fmt == CUSTODY_JSON)
			rc = write_json(s, &kase, out, err);
		else if (fmt == CUSTODY_HTML)
			rc = write_html(s, &kase, out, err);
		else
			rc = write_md(s, &kase, out, err);
	}
	cf_record_release(&kase);
	if (rc == 0 && (fflush(out) != 0 || ferror(out)))
		rc = cf_error(err, CF_EIO, "cannot write the report");
	return rc;
}
