/* pdf_internal.h — private to export/pdf*.c: the page being laid out with pango on a cairo PDF
 * surface.  Every document is laid out twice with the same code: a first pass that only counts
 * the pages (DRAW 0), then the real one, which knows "page N of M". */
#ifndef CASEFILE_EXPORT_PDF_INTERNAL_H
#define CASEFILE_EXPORT_PDF_INTERNAL_H

#include <cairo.h>
#include <pango/pangocairo.h>

#include "export/internal.h"

struct cmark_node;

struct pdf {
	cairo_t *cr;
	PangoContext *pc;
	double width, height;     /* the paper, in points */
	double left, right;       /* the text column: x from LEFT to RIGHT */
	double top, bottom;       /* the body: y from TOP to BOTTOM */
	double y;                 /* where the next block goes */
	int page, pages;          /* the current page (from 1) and, when drawing, the total */
	int draw;                 /* 0: measuring pass, nothing drawn */
	const char *marking;      /* the banner, "UNMARKED" when none */
	int failed;               /* out of memory in pango or cairo */
};

/* Fonts: the body, headings, monospace; sizes in points. */
#define PDF_SANS "Noto Sans, Noto Sans CJK SC, Noto Sans CJK JP, sans-serif"
#define PDF_MONO "Noto Sans Mono, Noto Sans Mono CJK SC, monospace"
#define PDF_BODY_PT 10.0

/* Starts a new page: the previous one shown, banners and "Page N of M" drawn on the new one,
 * Y at its top (export/pdf.c). */
void pdf_new_page(struct pdf *p);
/* A layout of TEXT (with ATTRS, may be NULL) in FAMILY at SIZE points (BOLD), wrapped to
 * WIDTH points (0: no wrapping).  Never NULL (P->failed set instead, with an empty layout). */
PangoLayout *pdf_layout(struct pdf *p, const char *text, PangoAttrList *attrs,
			const char *family, double size, int bold, double width);
/* Places L's lines at X from P->y down, moving to a new page wherever the next line does not
 * fit; AFTER points of space below. */
void pdf_flow(struct pdf *p, PangoLayout *l, double x, double after);
/* Whether H points fit below P->y on this page. */
int pdf_fits(const struct pdf *p, double h);

/* The Markdown document DOC laid out from the top of the first page (export/pdf_flow.c). */
void pdf_blocks(struct pdf *p, struct cmark_node *doc);

#endif
