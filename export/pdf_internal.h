/* pdf_internal.h — private to export/pdf*.c: the page being laid out with pango.  The document
 * is laid out twice: the first pass counts its pages ("M" of "page N of M"), the second draws
 * each page on a cairo recording surface and plays it onto the PDF surface when it is full, so
 * that one page at a time is held, whatever the length. */
#ifndef CASEFILE_EXPORT_PDF_INTERNAL_H
#define CASEFILE_EXPORT_PDF_INTERNAL_H

#include <cairo.h>
#include <pango/pangocairo.h>

#include "export/internal.h"

struct cmark_node;

#define PDF_LH_CACHE 4 /* the font sizes of body text, headings and list items */
#define TABLE_MAX_COLS 64 /* columns laid out; more than any export writes (custody: 8) */

struct pdf {
	cairo_t *cr;              /* draws on the current page's recording surface */
	cairo_surface_t *rec;     /* the current page's recording */
	cairo_t *out;             /* the PDF surface, in the second pass (NULL in the first) */
	int pages;                /* the first pass's count of pages */
	PangoContext *pc;
	double width, height;     /* the paper, in points */
	double left, right;       /* the text column: x from LEFT to RIGHT */
	double top, bottom;       /* the body: y from TOP to BOTTOM */
	double y;                 /* where the next block goes */
	int page;                 /* the current page, from 1 */
	const char *marking;      /* the banner, "UNMARKED" when none */
	int failed;               /* out of memory in pango or cairo */
	double lh_size[PDF_LH_CACHE], lh[PDF_LH_CACHE]; /* line heights by size, measured once */
	/* A table or list cut between two pieces of the Markdown (md_stream): the piece's first
	 * block goes on from the previous piece's last, its last block goes on in the next; the
	 * table's column widths, kept from one piece to the next. */
	struct cmark_node *goes_on_from, *goes_on;
	double table_w[TABLE_MAX_COLS];
};

/* Fonts: the body, headings, monospace; sizes in points. */
#define PDF_SANS "Noto Sans, Noto Sans CJK SC, Noto Sans CJK JP, sans-serif"
#define PDF_MONO "Noto Sans Mono, Noto Sans Mono CJK SC, monospace"
#define PDF_BODY_PT 10.0

/* Starts a new page with its banners drawn, Y at its top (export/pdf.c). */
void pdf_new_page(struct pdf *p);
/* A layout of TEXT (with ATTRS, may be NULL) in FAMILY at SIZE points (BOLD), wrapped to
 * WIDTH points (0: no wrapping).  Never NULL (P->failed set instead, with an empty layout). */
PangoLayout *pdf_layout(struct pdf *p, const char *text, PangoAttrList *attrs,
			const char *family, double size, int bold, double width);
/* Places L's lines at X from P->y down, moving to a new page wherever the next line does not
 * fit; AFTER points of space below. */
void pdf_flow(struct pdf *p, PangoLayout *l, double x, double after);
/* The height of a line of the body font at SIZE points. */
double pdf_line_height(struct pdf *p, double size);
/* Whether H points fit below P->y on this page. */
int pdf_fits(const struct pdf *p, double h);

/* The Markdown document DOC, a piece of the page's Markdown, laid out from P->y
 * (export/pdf_flow.c); HEAD and TAIL as md_stream's pieces have them.  -1 when DOC's first
 * or last block is not the table or list a cut said. */
int pdf_blocks(struct pdf *p, struct cmark_node *doc, int head, int tail);

#endif
