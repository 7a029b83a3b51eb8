/* pdf.c — the PDF of an export: its canonical Markdown laid out in the process with pango,
 * twice (the first pass counts the pages), each page recorded, then played onto a cairo PDF
 * surface (US Letter or A4) as soon as it is full, with the marking banner at the top and
 * bottom of every page and "Page N of M" under it: a page at a time in memory; deterministic bytes
 * (the metadata dates are the export's "as of" moment, never the wall clock).  The blocks
 * themselves are export/pdf_flow.c. */
#include "export/pdf_internal.h"

#include <cairo-pdf.h>
#include <cmark-gfm.h>
#include <stdlib.h>
#include <string.h>

#include "store/xalloc.h"

#define BANNER_PT 10.0
#define PAGENO_PT 8.0
#define PAGENO_LEN 64 /* "Page 2147483647 of 2147483647" */
#define TITLE_LEN 512 /* the metadata title, "MARKING - WHAT: TITLE", cut there */

int pdf_fits(const struct pdf *p, double h)
{
	return p->y + h <= p->bottom + 0.01;
}

double pdf_line_height(struct pdf *p, double size)
{
	PangoLayout *l;
	PangoRectangle r;
	size_t i;

	for (i = 0; i < PDF_LH_CACHE && p->lh_size[i] > 0; i++)
		if (p->lh_size[i] == size)
			return p->lh[i];
	l = pdf_layout(p, "Ag", NULL, PDF_SANS, size, 0, 0);
	pango_layout_get_extents(l, NULL, &r);
	g_object_unref(l);
	if (i < PDF_LH_CACHE) {
		p->lh_size[i] = size;
		p->lh[i] = (double)r.height / PANGO_SCALE;
	}
	return (double)r.height / PANGO_SCALE;
}

PangoLayout *pdf_layout(struct pdf *p, const char *text, PangoAttrList *attrs,
			const char *family, double size, int bold, double width)
{
	PangoLayout *l = pango_layout_new(p->pc);
	PangoFontDescription *fd = pango_font_description_from_string(family);

	if (!l || !fd) {
		p->failed = 1;
		if (fd)
			pango_font_description_free(fd);
		return l;
	}
	pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
	pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
	pango_layout_set_font_description(l, fd);
	pango_font_description_free(fd);
	if (width > 0) {
		pango_layout_set_width(l, (int)(width * PANGO_SCALE));
		pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	}
	pango_layout_set_text(l, text, -1);
	if (attrs)
		pango_layout_set_attributes(l, attrs);
	return l;
}

void pdf_flow(struct pdf *p, PangoLayout *l, double x, double after)
{
	PangoLayoutIter *it = pango_layout_get_iter(l);

	do {
		PangoRectangle ink, logical;
		PangoLayoutLine *line = pango_layout_iter_get_line_readonly(it);
		double h, base;
		pango_layout_iter_get_line_extents(it, &ink, &logical);
		h = (double)logical.height / PANGO_SCALE;
		base = (double)(pango_layout_iter_get_baseline(it) - logical.y) / PANGO_SCALE;
		if (!pdf_fits(p, h) && p->y > p->top)
			pdf_new_page(p);
		cairo_move_to(p->cr, x + (double)logical.x / PANGO_SCALE, p->y + base);
		pango_cairo_show_layout_line(p->cr, line);
		p->y += h;
	} while (pango_layout_iter_next_line(it));
	pango_layout_iter_free(it);
	p->y += after;
}

/* TEXT centred on CR's page with its first line's top at Y. */
static void centred(struct pdf *p, cairo_t *cr, const char *text, double size, int bold,
		    double y)
{
	PangoLayout *l = pdf_layout(p, text, NULL, PDF_SANS, size, bold, p->right - p->left);

	pango_layout_set_alignment(l, PANGO_ALIGN_CENTER);
	cairo_move_to(cr, p->left, y);
	pango_cairo_show_layout(cr, l);
	g_object_unref(l);
}

static void rule(struct pdf *p, double y)
{
	cairo_set_line_width(p->cr, 0.6);
	cairo_move_to(p->cr, p->left, y);
	cairo_line_to(p->cr, p->right, y);
	cairo_stroke(p->cr);
}

/* The current page finished: in the second pass played onto the PDF with "Page N of M"
 * under it; then its recording dropped, so that no more than a page is held. */
static void page_done(struct pdf *p)
{
	char n[PAGENO_LEN];

	if (!p->rec)
		return;
	cairo_destroy(p->cr);
	p->cr = NULL;
	if (p->out) {
		cairo_set_source_surface(p->out, p->rec, 0, 0);
		cairo_paint(p->out);
		cairo_set_source_rgb(p->out, 0, 0, 0);
		snprintf(n, sizeof(n), "Page %d of %d", p->page, p->pages);
		centred(p, p->out, n, PAGENO_PT, 0, p->bottom + 28);
		cairo_show_page(p->out);
	}
	cairo_surface_destroy(p->rec);
	p->rec = NULL;
}

void pdf_new_page(struct pdf *p)
{
	cairo_rectangle_t page = { 0, 0, p->width, p->height };

	page_done(p);
	p->page++;
	p->rec = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, &page);
	p->cr = cairo_create(p->rec);
	p->y = p->top;
	cairo_set_source_rgb(p->cr, 0, 0, 0);
	centred(p, p->cr, p->marking, BANNER_PT, 1, 28);
	rule(p, p->top - 10);
	rule(p, p->bottom + 8);
	centred(p, p->cr, p->marking, BANNER_PT, 1, p->bottom + 12);
}

static cairo_status_t to_file(void *closure, const unsigned char *data, unsigned int len)
{
	return fwrite(data, 1, len, closure) == len ? CAIRO_STATUS_SUCCESS
						    : CAIRO_STATUS_WRITE_ERROR;
}

static const double rgb[][3] = { { 0, 0, 0 },		 { 0.73, 0.73, 0.73 },
				 { 0.23, 0.435, 0.714 }, { 0.753, 0.224, 0.169 },
				 { 0.18, 0.545, 0.341 }, { 0.894, 0.894, 0.894 } };

static void chart_item(struct pdf *p, const struct chart_item *it, double x0, double y0)
{
	const double *c = rgb[it->color];
	PangoLayout *l;
	PangoRectangle r;

	cairo_set_source_rgb(p->cr, c[0], c[1], c[2]);
	switch (it->op) {
	case CH_RECT:
		cairo_rectangle(p->cr, x0 + it->x, y0 + it->y, it->x2, it->y2);
		cairo_set_source_rgba(p->cr, c[0], c[1], c[2], 0.55);
		cairo_fill_preserve(p->cr);
		cairo_set_source_rgb(p->cr, c[0], c[1], c[2]);
		cairo_set_line_width(p->cr, 0.5);
		cairo_stroke(p->cr);
		break;
	case CH_LINE:
	case CH_DASH:
		cairo_set_line_width(p->cr, it->op == CH_DASH ? 1 : 0.7);
		cairo_set_dash(p->cr, (const double[]){ 3, 2 }, it->op == CH_DASH ? 2 : 0, 0);
		cairo_move_to(p->cr, x0 + it->x, y0 + it->y);
		cairo_line_to(p->cr, x0 + it->x2, y0 + it->y2);
		cairo_stroke(p->cr);
		cairo_set_dash(p->cr, NULL, 0, 0);
		break;
	case CH_DOT:
		cairo_new_path(p->cr); /* not joined to where the last text ended */
		cairo_arc(p->cr, x0 + it->x, y0 + it->y, it->x2, 0, 6.283185307179586);
		cairo_fill(p->cr);
		break;
	case CH_TEXT: /* placed by its baseline, as in SVG */
		l = pdf_layout(p, it->text, NULL, PDF_SANS, it->size, 0, 0);
		pango_layout_get_extents(l, NULL, &r);
		cairo_move_to(p->cr, x0 + it->x - (it->anchor < 0 ? 0 : it->anchor > 0 ?
			      (double)r.width / PANGO_SCALE : (double)r.width / PANGO_SCALE / 2),
			      y0 + it->y - (double)pango_layout_get_baseline(l) / PANGO_SCALE);
		pango_cairo_show_layout(p->cr, l);
		g_object_unref(l);
		break;
	}
}

/* The charts under "Figures", each whole on a page with its caption under it. */
static void figures(struct pdf *p, const struct chart *charts, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct chart *c = &charts[i];
		PangoLayout *title = pdf_layout(p, i ? c->title : "Figures", NULL, PDF_SANS,
						i ? 10.5 : 13, 1, p->right - p->left);
		PangoLayout *cap = pdf_layout(p, c->caption, NULL, PDF_SANS, 8, 0,
					      p->right - p->left);
		double scale = (p->right - p->left) / c->width;
		if (!pdf_fits(p, c->height * scale + 60) && p->y > p->top)
			pdf_new_page(p);
		p->y += 8;
		pdf_flow(p, title, p->left, 4);
		if (!i) {
			g_object_unref(title);
			title = pdf_layout(p, c->title, NULL, PDF_SANS, 10.5, 1, p->right - p->left);
			pdf_flow(p, title, p->left, 4);
		}
		cairo_save(p->cr);
		cairo_translate(p->cr, p->left, p->y);
		cairo_scale(p->cr, scale, scale);
		for (size_t k = 0; k < c->n; k++)
			chart_item(p, &c->v[k], 0, 0);
		cairo_restore(p->cr);
		p->y += c->height * scale + 2;
		pdf_flow(p, cap, p->left, 8);
		g_object_unref(title);
		g_object_unref(cap);
	}
}

/* One piece of the Markdown (md_stream) laid out on the pages of P (CTX). */
static int pdf_piece(const struct md_piece *pc, void *ctx, struct cf_err *err)
{
	struct pdf *p = ctx;
	struct md_doc d;
	char *clean = x_clean(pc->text, CLEAN_KEEP_NL); /* pango takes valid UTF-8 only */
	int rc;

	if (!clean)
		return cf_error(err, CF_ERR, "out of memory");
	rc = md_doc_parse(&d, clean, err);
	free(clean);
	if (rc < 0)
		return rc;
	if (pdf_blocks(p, d.doc, pc->head, pc->tail) < 0) /* a cut where cmark saw none: a bug */
		rc = cf_error(err, CF_ERR, "PDF: a Markdown piece cut inside a %s that is not one",
			      pc->head == MD_TABLE || pc->tail == MD_TABLE ? "table" : "list");
	md_doc_release(&d);
	return rc;
}

/* The Markdown MD writes (given CTX) laid out and written to OUT as a PDF titled TITLE,
 * dated DATE. */
static int write_pdf(struct pdf *p, md_writer md, const void *ctx, FILE *out, const char *title,
		     const char *date, const struct chart *charts, size_t ncharts,
		     struct cf_err *err)
{
	cairo_surface_t *s = cairo_pdf_surface_create_for_stream(to_file, out, p->width,
								 p->height);
	PangoFontMap *fm = pango_cairo_font_map_new();
	cairo_font_options_t *fo = cairo_font_options_create();
	int rc = 0;

	cairo_pdf_surface_restrict_to_version(s, CAIRO_PDF_VERSION_1_5);
	/* Explicit, so that cairo puts no wall-clock date in the file. */
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, title);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "casefile");
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE, date);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_MOD_DATE, date);
	/* Points are PDF units; no hinting, so the layout is the same on any screen setup. */
	pango_cairo_font_map_set_resolution(PANGO_CAIRO_FONT_MAP(fm), 72.0);
	p->pc = pango_font_map_create_context(fm);
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	pango_cairo_context_set_font_options(p->pc, fo);
	/* Laid out twice: the first pass counts the pages ("of M"), the second writes them. */
	for (int pass = 0; pass < 2 && rc == 0; pass++) {
		if (pass) {
			p->pages = p->page;
			p->page = 0;
			p->out = cairo_create(s);
		}
		pdf_new_page(p);
		rc = md_stream(md, ctx, pdf_piece, p, err);
		if (rc == 0)
			figures(p, charts, ncharts);
		page_done(p);
	}
	if (rc == 0 && p->page != p->pages) /* the case changed between the passes */
		rc = cf_error(err, CF_ECHANGED, "PDF: the case changed while it was written (%d "
			      "pages, then %d): export it again", p->pages, p->page);
	if (p->out)
		cairo_destroy(p->out);
	cairo_surface_finish(s);
	if (rc == 0 && (p->failed || cairo_surface_status(s) != CAIRO_STATUS_SUCCESS))
		rc = cf_error(err, ferror(out) ? CF_EIO : CF_ERR, "PDF: %s",
			      p->failed ? "out of memory"
					: cairo_status_to_string(cairo_surface_status(s)));
	cairo_surface_destroy(s);
	g_object_unref(p->pc);
	g_object_unref(fm);
	cairo_font_options_destroy(fo);
	return rc;
}

int render_pdf_page(FILE *out, const struct pdf_opts *po, md_writer md, const void *ctx,
		    struct cf_err *err)
{
	struct pdf p = { 0 };
	char title[TITLE_LEN];

	p.width = po->a4 ? 595.276 : 612.0;
	p.height = po->a4 ? 841.89 : 792.0;
	p.left = 72;
	p.right = p.width - 72;
	p.top = 64;
	p.bottom = p.height - 64;
	p.marking = po->marking && *po->marking ? po->marking : "UNMARKED";
	snprintf(title, sizeof(title), "%s - %s: %s", p.marking, po->what, po->title);
	return write_pdf(&p, md, ctx, out, title, po->date, po->charts, po->ncharts, err);
}
