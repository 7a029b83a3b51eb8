/* pdf_flow.c — the blocks of a Markdown document (cmark-gfm's tree) laid out on PDF pages:
 * paragraphs and headings wrapped in any script (pango picks a font for each character, CJK
 * included), lists, quotes, code, and tables that break across pages with their header row
 * repeated.  Text goes to pango as text with attributes, never as markup: nothing in it is
 * interpreted. */
#include "export/pdf_internal.h"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>
#include <stdlib.h>
#include <string.h>

#include "store/strbuf.h"
#include "store/xalloc.h"

#define PAD 3.5     /* inside a table cell */
#define INDENT 16.0 /* a list item's or quote's text */
#define MARK_LEN 16 /* a list item's number and its dot */
/* A table's column widths come from its first rows (as many as a few pages): a 20,000-row
 * timeline is not measured twice over, and a table cut into pieces (md_stream) has them all in
 * its first piece. */
#define MEASURE_ROWS MD_TABLE_MEASURE_ROWS

/* Inline text being collected: the UTF-8 and pango's attributes over its byte ranges. */
struct inl {
	struct strbuf text;
	PangoAttrList *attrs;
};

static void attr(struct inl *in, PangoAttribute *a, size_t start)
{
	a->start_index = (guint)start;
	a->end_index = (guint)in->text.len;
	pango_attr_list_insert(in->attrs, a);
}

static void inlines(struct inl *in, cmark_node *n)
{
	for (cmark_node *c = cmark_node_first_child(n); c; c = cmark_node_next(c)) {
		size_t start = in->text.len;
		const char *lit = cmark_node_get_literal(c);
		switch (cmark_node_get_type(c)) {
		case CMARK_NODE_TEXT:
			strbuf_addstr(&in->text, lit ? lit : "");
			break;
		case CMARK_NODE_CODE:
			strbuf_addstr(&in->text, lit ? lit : "");
			attr(in, pango_attr_family_new(PDF_MONO), start);
			break;
		case CMARK_NODE_SOFTBREAK:
			strbuf_addch(&in->text, ' ');
			break;
		case CMARK_NODE_LINEBREAK:
			strbuf_addch(&in->text, '\n');
			break;
		case CMARK_NODE_EMPH:
			inlines(in, c);
			attr(in, pango_attr_style_new(PANGO_STYLE_ITALIC), start);
			break;
		case CMARK_NODE_STRONG:
			inlines(in, c);
			attr(in, pango_attr_weight_new(PANGO_WEIGHT_BOLD), start);
			break;
		case CMARK_NODE_LINK:
			inlines(in, c);
			attr(in, pango_attr_underline_new(PANGO_UNDERLINE_SINGLE), start);
			break;
		case CMARK_NODE_HTML_INLINE: /* dropped, as in the HTML page */
			break;
		default: /* images (their alt text), strikethrough, ... */
			inlines(in, c);
			break;
		}
	}
}

/* The layout of N's inline text in FAMILY at SIZE (BOLD), wrapped to WIDTH. */
static PangoLayout *inline_layout(struct pdf *p, cmark_node *n, const char *family,
				  double size, int bold, double width)
{
	struct inl in = { STRBUF_INIT, pango_attr_list_new() };
	PangoLayout *l;

	inlines(&in, n);
	l = pdf_layout(p, in.text.buf ? in.text.buf : "", in.attrs, family, size, bold, width);
	pango_attr_list_unref(in.attrs);
	strbuf_release(&in.text);
	return l;
}

static void block(struct pdf *p, cmark_node *n, double x);

static void children(struct pdf *p, cmark_node *n, double x)
{
	for (cmark_node *c = cmark_node_first_child(n); c; c = cmark_node_next(c))
		block(p, c, x);
}

static void heading(struct pdf *p, cmark_node *n, double x)
{
	static const double sizes[] = { 0, 16, 13, 11.5, 10.5, 10, 10 };
	int level = cmark_node_get_heading_level(n);
	double size = sizes[level >= 1 && level <= 6 ? level : 6];
	PangoLayout *l = inline_layout(p, n, PDF_SANS, size, 1, p->right - x);

	p->y += level <= 2 ? 8 : 5;
	/* Never alone at the bottom of a page: keep it with three lines of what follows. */
	if (!pdf_fits(p, pdf_line_height(p, size) + 3 * pdf_line_height(p, PDF_BODY_PT)) && p->y > p->top)
		pdf_new_page(p);
	pdf_flow(p, l, x, 4);
	g_object_unref(l);
}

static void list(struct pdf *p, cmark_node *n, double x)
{
	int ordered = cmark_node_get_list_type(n) == CMARK_ORDERED_LIST;
	int num = cmark_node_get_list_start(n);

	for (cmark_node *item = cmark_node_first_child(n); item; item = cmark_node_next(item)) {
		char mark[MARK_LEN];
		PangoLayout *l;
		if (!pdf_fits(p, pdf_line_height(p, PDF_BODY_PT)))
			pdf_new_page(p);
		snprintf(mark, sizeof(mark), ordered ? "%d." : "\xe2\x80\xa2", num++);
		l = pdf_layout(p, mark, NULL, PDF_SANS, PDF_BODY_PT, 0, 0);
		cairo_move_to(p->cr, x + 2, p->y);
		pango_cairo_show_layout(p->cr, l);
		g_object_unref(l);
		children(p, item, x + INDENT);
	}
	if (n != p->goes_on) /* the list ends in this piece */
		p->y += 3;
}

/* ---- tables ---------------------------------------------------------------------------- */

struct table {
	size_t nrows, ncols;
	cmark_node **rows;
	double *w;    /* column widths, borders to borders */
	int header;   /* the first row is the header */
};

/* A cell's natural width (its text on one line) and its narrowest (its longest word), with
 * the padding and the border. */
static void cell_widths(struct pdf *p, cmark_node *cell, int bold, double *nat, double *min)
{
	PangoLayout *l = inline_layout(p, cell, PDF_SANS, PDF_BODY_PT - 1, bold, 0);
	PangoRectangle r;

	pango_layout_get_extents(l, NULL, &r);
	*nat = (double)r.width / PANGO_SCALE + 2 * PAD + 1;
	pango_layout_set_wrap(l, PANGO_WRAP_WORD);
	pango_layout_set_width(l, 1);
	pango_layout_get_extents(l, NULL, &r);
	*min = (double)r.width / PANGO_SCALE + 2 * PAD + 1;
	g_object_unref(l);
}

/* Column widths filling AVAIL, as browsers lay out a table: each column its natural width
 * when all fit (scaled up); else each its longest word at least (no word cut while the
 * words fit), the rest of AVAIL shared by how much more each would take.  A long table's
 * widths come from its first MEASURE_ROWS rows. */
static void widths(struct pdf *p, struct table *t, double avail)
{
	double *need = xcalloc(2 * t->ncols, sizeof(double)), *min = need + t->ncols;
	double sum = 0, sum_min = 0;

	for (size_t r = 0; r < t->nrows && r < MEASURE_ROWS; r++) {
		size_t c = 0;
		for (cmark_node *cell = cmark_node_first_child(t->rows[r]); cell && c < t->ncols;
		     cell = cmark_node_next(cell), c++) {
			double nat, least;
			cell_widths(p, cell, t->header && r == 0, &nat, &least);
			if (nat > need[c])
				need[c] = nat;
			if (least > min[c])
				min[c] = least;
		}
	}
	for (size_t c = 0; c < t->ncols; c++) {
		sum += need[c];
		sum_min += min[c];
	}
	for (size_t c = 0; c < t->ncols; c++) {
		if (sum <= avail)
			t->w[c] = need[c] * avail / sum;
		else if (sum_min >= avail) /* words cut: no other way */
			t->w[c] = min[c] * avail / sum_min;
		else
			t->w[c] = min[c] + (need[c] - min[c]) * (avail - sum_min) / (sum - sum_min);
	}
	free(need);
}

/* Row R laid out: its cells wrapped to their columns into CELLS (at most TABLE_MAX_COLS), their number
 * into *N; returns the row's height. */
static double row_layout(struct pdf *p, const struct table *t, size_t r, PangoLayout **cells,
			 size_t *n)
{
	double h = 0;
	int head = t->header && r == 0;

	*n = 0;
	for (cmark_node *cell = cmark_node_first_child(t->rows[r]); cell && *n < t->ncols;
	     cell = cmark_node_next(cell)) {
		PangoRectangle e;
		PangoLayout *l = inline_layout(p, cell, PDF_SANS, PDF_BODY_PT - 1, head,
					       t->w[*n] - 2 * PAD);
		pango_layout_get_extents(l, NULL, &e);
		if ((double)e.height / PANGO_SCALE + 2 * PAD > h)
			h = (double)e.height / PANGO_SCALE + 2 * PAD;
		cells[(*n)++] = l;
	}
	return h;
}

/* Draws the N CELLS of a row H high at X, P->y (HEAD: shaded), frees them, moves down. */
static void row_draw(struct pdf *p, const struct table *t, PangoLayout **cells, size_t n,
		     double h, double x, int head)
{
	for (size_t c = 0; c < n; c++) {
		cairo_rectangle(p->cr, x, p->y, t->w[c], h);
		if (head) {
			cairo_set_source_rgb(p->cr, 0.9, 0.9, 0.9);
			cairo_fill_preserve(p->cr);
			cairo_set_source_rgb(p->cr, 0, 0, 0);
		}
		cairo_set_line_width(p->cr, 0.5);
		cairo_stroke(p->cr);
		cairo_move_to(p->cr, x + PAD, p->y + PAD);
		pango_cairo_show_layout(p->cr, cells[c]);
		x += t->w[c];
		g_object_unref(cells[c]);
	}
	p->y += h;
}

/* Row 0 (the header) drawn again at the top of a page the table continues on. */
static void header_again(struct pdf *p, const struct table *t, double x)
{
	PangoLayout *cells[TABLE_MAX_COLS];
	size_t n;
	double h = row_layout(p, t, 0, cells, &n);

	row_draw(p, t, cells, n, h, x, 1);
}

static double row_height(struct pdf *p, const struct table *t, size_t r)
{
	PangoLayout *cells[TABLE_MAX_COLS];
	size_t n;
	double h = row_layout(p, t, r, cells, &n);

	for (size_t c = 0; c < n; c++)
		g_object_unref(cells[c]);
	return h;
}

/* Where to cut cell L on this page: the end of the last of its lines that ends within ROOM
 * points below FROM (what earlier pages showed of it); at least one line past FROM, so that
 * every page shows more of it and a split always ends. */
static double cut_at(PangoLayout *l, double from, double room)
{
	PangoLayoutIter *it = pango_layout_get_iter(l);
	double cut = from;

	do {
		int y0, y1;
		pango_layout_iter_get_line_yrange(it, &y0, &y1);
		double end = (double)y1 / PANGO_SCALE;
		if (end <= from + 0.01)
			continue;
		if (end > from + room && cut > from)
			break;
		cut = end;
		if (end > from + room)
			break; /* one line taller than the room: it goes anyway */
	} while (pango_layout_iter_next_line(it));
	pango_layout_iter_free(it);
	return cut;
}

/* A row taller than a page (a very long cell): drawn a page at a time, each cell cut between
 * its lines and clipped to its box, "(row continued on the next page)" under each part but
 * the last, the header repeated above each continuation.  Nothing runs past the bottom. */
static void row_split(struct pdf *p, const struct table *t, PangoLayout **cells, size_t n,
		      double x, int head)
{
	double from[TABLE_MAX_COLS] = { 0 }, cut[TABLE_MAX_COLS], note_h = pdf_line_height(p, 7);

	for (;;) {
		double room = p->bottom - p->y - 2 * PAD - note_h - 2, piece = 0, cx = x;
		int more = 0;
		for (size_t c = 0; c < n; c++) {
			cut[c] = cut_at(cells[c], from[c], room);
			if (cut[c] - from[c] > piece)
				piece = cut[c] - from[c];
			more |= cut_at(cells[c], cut[c], 1e9) > cut[c]; /* a line after the cut */
		}
		for (size_t c = 0; c < n; c++) {
			cairo_rectangle(p->cr, cx, p->y, t->w[c], piece + 2 * PAD);
			cairo_set_line_width(p->cr, 0.5);
			cairo_stroke(p->cr);
			cairo_save(p->cr);
			cairo_rectangle(p->cr, cx, p->y + PAD, t->w[c], cut[c] - from[c]);
			cairo_clip(p->cr);
			cairo_move_to(p->cr, cx + PAD, p->y + PAD - from[c]);
			pango_cairo_show_layout(p->cr, cells[c]);
			cairo_restore(p->cr);
			cx += t->w[c];
			from[c] = cut[c];
		}
		p->y += piece + 2 * PAD;
		if (!more)
			break;
		PangoLayout *note = pdf_layout(p, "(row continued on the next page)", NULL,
					       PDF_SANS, 7, 0, 0);
		cairo_move_to(p->cr, x, p->y + 1);
		pango_cairo_show_layout(p->cr, note);
		g_object_unref(note);
		pdf_new_page(p);
		if (t->header && !head)
			header_again(p, t, x);
	}
	for (size_t c = 0; c < n; c++)
		g_object_unref(cells[c]);
}

static void table(struct pdf *p, cmark_node *n, double x)
{
	struct table t = { 0 };
	size_t cap = 0;

	t.ncols = cmark_gfm_extensions_get_table_columns(n);
	if (t.ncols > TABLE_MAX_COLS)
		t.ncols = TABLE_MAX_COLS;
	for (cmark_node *r = cmark_node_first_child(n); r; r = cmark_node_next(r)) {
		if (t.nrows == cap)
			t.rows = xreallocarray(t.rows, (cap = cap ? cap * 2 : 16), sizeof(*t.rows));
		t.rows[t.nrows++] = r;
	}
	if (!t.nrows || !t.ncols) {
		free(t.rows);
		return;
	}
	t.w = xcalloc(t.ncols, sizeof(double));
	t.header = cmark_gfm_extensions_get_table_row_is_header(t.rows[0]);
	if (n == p->goes_on_from) { /* the previous piece's table: its widths, its header drawn */
		memcpy(t.w, p->table_w, t.ncols * sizeof(double));
	} else {
		widths(p, &t, p->right - x);
		p->y += 2;
	}
	for (size_t r = n == p->goes_on_from ? 1 : 0; r < t.nrows; r++) {
		PangoLayout *cells[TABLE_MAX_COLS];
		size_t nc;
		double h = row_layout(p, &t, r, cells, &nc), need = h;
		if (t.header && r == 0 && t.nrows > 1) /* the header with its first row */
			need += row_height(p, &t, 1);
		/* A row that does not fit goes to the next page, under the header again; one
		 * taller than a whole page starts where it is, when a few lines fit, and is split
		 * across pages (row_split). */
		if (!pdf_fits(p, need) && p->y > p->top &&
		    !(h > p->bottom - p->top - row_height(p, &t, 0) &&
		      pdf_fits(p, 6 * pdf_line_height(p, PDF_BODY_PT)))) {
			pdf_new_page(p);
			if (t.header && r > 0)
				header_again(p, &t, x);
		}
		if (pdf_fits(p, h))
			row_draw(p, &t, cells, nc, h, x, t.header && r == 0);
		else
			row_split(p, &t, cells, nc, x, t.header && r == 0);
	}
	if (n == p->goes_on) /* the table goes on in the next piece */
		memcpy(p->table_w, t.w, t.ncols * sizeof(double));
	else
		p->y += 8;
	free(t.w);
	free(t.rows);
}

static void code_block(struct pdf *p, cmark_node *n, double x)
{
	const char *lit = cmark_node_get_literal(n);
	PangoLayout *l = pdf_layout(p, lit ? lit : "", NULL, PDF_MONO, PDF_BODY_PT - 1.5, 0,
				    p->right - x);
	pdf_flow(p, l, x + 6, 6);
	g_object_unref(l);
}

static void block(struct pdf *p, cmark_node *n, double x)
{
	const char *type = cmark_node_get_type_string(n);
	PangoLayout *l;

	switch (cmark_node_get_type(n)) {
	case CMARK_NODE_PARAGRAPH:
		l = inline_layout(p, n, PDF_SANS, PDF_BODY_PT, 0, p->right - x);
		pdf_flow(p, l, x, 5);
		g_object_unref(l);
		return;
	case CMARK_NODE_HEADING:
		heading(p, n, x);
		return;
	case CMARK_NODE_LIST:
		list(p, n, x);
		return;
	case CMARK_NODE_BLOCK_QUOTE:
		children(p, n, x + INDENT);
		return;
	case CMARK_NODE_CODE_BLOCK:
		code_block(p, n, x);
		return;
	case CMARK_NODE_THEMATIC_BREAK:
		cairo_set_line_width(p->cr, 0.5);
		cairo_move_to(p->cr, x, p->y + 4);
		cairo_line_to(p->cr, p->right, p->y + 4);
		cairo_stroke(p->cr);
		p->y += 10;
		return;
	case CMARK_NODE_HTML_BLOCK: /* dropped, as in the HTML page */
		return;
	default:
		if (type && !strcmp(type, "table"))
			table(p, n, x);
		else
			children(p, n, x);
	}
}

/* Whether node N is the kind of block a cut (md_stream's MD_TABLE, MD_LIST) goes through. */
static int cut_through(cmark_node *n, int kind)
{
	const char *type = n ? cmark_node_get_type_string(n) : NULL;

	if (kind == MD_LIST)
		return n && cmark_node_get_type(n) == CMARK_NODE_LIST;
	return type && !strcmp(type, "table");
}

int pdf_blocks(struct pdf *p, cmark_node *doc, int head, int tail)
{
	cmark_node *first = cmark_node_first_child(doc), *last = cmark_node_last_child(doc);

	if ((head && !cut_through(first, head)) || (tail && !cut_through(last, tail)))
		return -1;
	p->goes_on_from = head ? first : NULL;
	p->goes_on = tail ? last : NULL;
	children(p, doc, p->left);
	p->goes_on_from = p->goes_on = NULL;
	return 0;
}
