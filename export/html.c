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
	"figure.chart{margin:1em 0}figure.chart svg{max-width:100%;height:auto}"
	"figcaption{font-size:.85em;color:#444}\n"
	"h1{font-size:1.6em}h2{font-size:1.25em;margin-top:1.4em}\n"
	"@page{margin:1.6cm 1.8cm}\n"
	"@media print{body{max-width:none;padding:0;font-size:11pt}"
	"thead{display:table-header-group}tfoot{display:table-footer-group}"
	".content tr,.content li,figure{break-inside:avoid}h2{break-after:avoid}}\n";

int md_doc_parse(struct md_doc *d, const char *md, struct cf_err *err)
{
	cmark_syntax_extension *table;

	cmark_gfm_core_extensions_ensure_registered();
	d->doc = NULL;
	if (!(d->parser = cmark_parser_new(CMARK_OPT_DEFAULT | CMARK_OPT_SAFE)))
		return cf_error(err, CF_ERR, "out of memory");
	table = cmark_find_syntax_extension("table");
	if (!table || !cmark_parser_attach_syntax_extension(d->parser, table)) {
		md_doc_release(d);
		return cf_error(err, CF_ERR, "cmark-gfm: no table extension");
	}
	cmark_parser_feed(d->parser, md, strlen(md));
	if (!(d->doc = cmark_parser_finish(d->parser))) {
		md_doc_release(d);
		return cf_error(err, CF_ERR, "cmark-gfm: parsing failed");
	}
	return 0;
}

void md_doc_release(struct md_doc *d)
{
	if (d->doc)
		cmark_node_free(d->doc);
	if (d->parser)
		cmark_parser_free(d->parser);
	d->doc = NULL;
	d->parser = NULL;
}

/* What a piece's HTML loses when its table or list goes on from the previous piece (HEAD)
 * or into the next (TAIL): the page renders one table, one list, exactly as the whole
 * document would.  NULL when the HTML is not what the cut expects. */
static const char *trim_head(const char *html, int head)
{
	const char *p;

	if (head == MD_TABLE)
		return (p = strstr(html, "<tbody>\n")) ? p + strlen("<tbody>\n") : NULL;
	if (head == MD_LIST && (!strncmp(html, "<ul>\n", 5) || !strncmp(html, "<ol", 3)))
		return (p = strchr(html, '\n')) ? p + 1 : NULL;
	return head ? NULL : html;
}

static const char *trim_tail(const char *html, const char *end, int tail)
{
	static const char table_end[] = "</tbody>\n</table>\n";
	size_t n = (size_t)(end - html), k = strlen(table_end);

	if (tail == MD_TABLE)
		return n >= k && !memcmp(end - k, table_end, k) ? end - k : NULL;
	if (tail == MD_LIST)
		return n >= 6 && (!memcmp(end - 6, "</ul>\n", 6) || !memcmp(end - 6, "</ol>\n", 6))
			       ? end - 6 : NULL;
	return tail ? NULL : end;
}

/* One piece of the Markdown (md_stream) rendered by cmark-gfm onto OUT (CTX). */
static int html_piece(const struct md_piece *pc, void *ctx, struct cf_err *err)
{
	FILE *out = ctx;
	struct md_doc d;
	const char *from, *to = NULL;
	char *html;
	int rc = 0;

	if (md_doc_parse(&d, pc->text, err) < 0)
		return err->code;
	html = cmark_render_html(d.doc, CMARK_OPT_DEFAULT | CMARK_OPT_SAFE,
				 cmark_parser_get_syntax_extensions(d.parser));
	md_doc_release(&d);
	if (!html)
		return cf_error(err, CF_ERR, "cmark-gfm: rendering failed");
	from = trim_head(html, pc->head);
	if (from)
		to = trim_tail(from, from + strlen(from), pc->tail);
	if (!to) /* a cut md_stream made where cmark-gfm saw no table or list: a bug */
		rc = cf_error(err, CF_ERR, "HTML: a Markdown piece cut inside a %s that is not one",
			      pc->head == MD_TABLE || pc->tail == MD_TABLE ? "table" : "list");
	else if (fwrite(from, 1, (size_t)(to - from), out) != (size_t)(to - from))
		rc = cf_error(err, CF_EIO, "HTML: cannot write");
	cmark_get_default_mem_allocator()->free(html);
	return rc;
}

/* The page, its Markdown (MD given CTX) rendered piece by piece as it is written. */
static int page(FILE *out, const char *marking, const char *what, const char *title,
		md_writer md, const void *ctx, const struct chart *charts, size_t ncharts,
		struct cf_err *err)
{
	int rc;

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
	if ((rc = md_stream(md, ctx, html_piece, out, err)) < 0)
		return rc;
	if (ncharts)
		fputs("<h2>Figures</h2>\n", out);
	for (size_t i = 0; i < ncharts; i++)
		chart_svg(out, &charts[i]);
	fputs("</div></td></tr></tbody>\n</table>\n</body>\n</html>\n", out);
	return 0;
}

int render_html_page_charts(FILE *out, const char *marking, const char *what,
			    const char *title, md_writer md, const void *ctx,
			    const struct chart *charts, size_t ncharts, struct cf_err *err)
{
	return page(out, marking, what, title, md, ctx, charts, ncharts, err);
}

int render_html_page(FILE *out, const char *marking, const char *what, const char *title,
		     md_writer md, const void *ctx, struct cf_err *err)
{
	return render_html_page_charts(out, marking, what, title, md, ctx, NULL, 0, err);
}
