/* html.c — HTML made from the canonical Markdown by cmark-gfm (with the table extension; raw
 * HTML dropped), wrapped in one self-contained page whose banners print on every page. */
#include "export/internal.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <stdlib.h>
#include <string.h>

/* In print, the banners are the header and footer groups of a one-cell layout table: browsers
 * repeat those on every printed page and lay the content out between them (fixed elements,
 * the other way, repeat too but cover the content at each page's top and bottom). */
static const char style[] =
	"body{font-family:Georgia,'Times New Roman',serif;max-width:52em;margin:0 auto;"
	"padding:0 1em;line-height:1.45;color:#111;background:#fff}\n"
	"table.page{width:100%;border-collapse:collapse;margin:0}\n"
	"table.page>thead>tr>td,table.page>tfoot>tr>td,table.page>tbody>tr>td{border:0;"
	"padding:0}\n"
	".banner{font-family:Arial,Helvetica,sans-serif;font-weight:bold;text-align:center;"
	"letter-spacing:.05em;padding:.3em 0;margin:0}\n"
	".banner.top{border-bottom:1px solid #444}\n"
	".banner.bottom{border-top:1px solid #444}\n"
	".content{padding:1em 0}\n"
	".content table{border-collapse:collapse;margin:.5em 0 1em;width:100%}\n"
	".content th,.content td{border:1px solid #999;padding:.25em .45em;vertical-align:top;"
	"text-align:left}\n"
	".content th{background:#eee}\n"
	"h1{font-size:1.6em}h2{font-size:1.25em;margin-top:1.4em}\n"
	"@page{margin:1.6cm 1.8cm}\n"
	"@media print{body{max-width:none;padding:0;font-size:11pt}"
	"thead{display:table-header-group}tfoot{display:table-footer-group}"
	".content tr,.content li{break-inside:avoid}h2{break-after:avoid}}\n";

/* The Markdown rendered by cmark-gfm into a string owned by cmark's allocator. */
static char *markdown_html(const char *md, struct cf_err *err)
{
	const int opts = CMARK_OPT_DEFAULT | CMARK_OPT_SAFE;
	cmark_parser *p;
	cmark_syntax_extension *table;
	cmark_node *doc = NULL;
	char *html = NULL;

	cmark_gfm_core_extensions_ensure_registered();
	if (!(p = cmark_parser_new(opts))) {
		cf_error(err, CF_ERR, "out of memory");
		return NULL;
	}
	table = cmark_find_syntax_extension("table");
	if (!table || !cmark_parser_attach_syntax_extension(p, table)) {
		cf_error(err, CF_ERR, "cmark-gfm: no table extension");
		goto out;
	}
	cmark_parser_feed(p, md, strlen(md));
	if ((doc = cmark_parser_finish(p)))
		html = cmark_render_html(doc, opts, cmark_parser_get_syntax_extensions(p));
	if (!html)
		cf_error(err, CF_ERR, "cmark-gfm: rendering failed");
out:
	if (doc)
		cmark_node_free(doc);
	cmark_parser_free(p);
	return html;
}

/* MD, a Markdown string, made into the page. */
static int page(FILE *out, const char *marking, const char *what, const char *title,
		const char *md, struct cf_err *err)
{
	char *body = markdown_html(md, err);

	if (!body)
		return err->code;
	if (!marking || !*marking)
		marking = "UNMARKED";
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	      "<title>", out);
	html_text(out, marking);
	fputs(" - ", out);
	html_text(out, what);
	fputs(": ", out);
	html_text(out, title ? title : "");
	fputs("</title>\n<style>\n", out);
	fputs(style, out);
	fputs("</style>\n</head>\n<body>\n<table class=\"page\" role=\"presentation\">\n"
	      "<thead><tr><td><p class=\"banner top\">", out);
	html_text(out, marking);
	fputs("</p></td></tr></thead>\n<tfoot><tr><td><p class=\"banner bottom\">", out);
	html_text(out, marking);
	fputs("</p></td></tr></tfoot>\n<tbody><tr><td><div class=\"content\">\n", out);
	fputs(body, out);
	fputs("</div></td></tr></tbody>\n</table>\n</body>\n</html>\n", out);
	cmark_get_default_mem_allocator()->free(body);
	return 0;
}

int render_html_page(FILE *out, const char *marking, const char *what, const char *title,
		     md_writer md, const void *ctx, struct cf_err *err)
{
	char *text = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);
	int rc;

	if (!mem)
		return cf_error(err, CF_ERR, "out of memory");
	rc = md(mem, ctx, err);
	if (fclose(mem) != 0 && rc == 0)
		rc = cf_error(err, CF_ERR, "out of memory");
	if (rc == 0)
		rc = page(out, marking, what, title, text, err);
	free(text);
	return rc;
}
