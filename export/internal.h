/* internal.h — private to export/: the document model a report is rendered from, and the
 * escapers every format goes through. */
#ifndef CASEFILE_EXPORT_INTERNAL_H
#define CASEFILE_EXPORT_INTERNAL_H

#include <stdint.h>
#include <stdio.h>

#include "export/export.h"

/* ---- the model: the case as one profile may see it, read in a total order ----------------- */

struct model {
	enum export_profile profile;
	struct cf_record kase;
	char mark[CF_TIME_LEN];                 /* latest op time included, UTC ISO ms ("" none) */
	int64_t nops;
	char as_of_shown[CF_PHRASE_LEN];         /* the "as of" line's words */
	char as_of_date[CF_TIME_LEN];           /* the date alone: "2019-06-05" */
	const char *tz;
	int64_t at;                    /* the moment notices' statuses are computed for */
	int64_t limit;                 /* with --as-of: nothing dated after it is shown; else 0 */
	int tlp_amber;
	struct cf_notice_view *notices; /* their due times and statuses (model_deadline) */
	struct store *s;               /* the store the model was read from (ops for changes) */
	const char *prev_mark, *prev_label;
	struct walk *changes;          /* the operations since prev_mark (changes_load) */
	struct progress prog;          /* rows read so far, to the case's progress sink */
	struct model_fault *fault;     /* the first read error of a cursor (model_failed) */
};

/* ---- reading the model: a cursor over one kind's records --------------------------------
 * The records of one kind the model's profile may see, in the model's total order, one at a
 * time, so that no renderer needs the whole case in memory:
 *	struct model_iter it;
 *	for (model_iter_open(&it, m, CF_EVENT); model_iter_next(&it);)
 *		use(it.r);
 *	model_iter_close(&it);
 * IT.r is the current record, IT.prev the one before it and IT.ahead the one after it (NULL
 * at either end), each valid until the next model_iter_next; IT.i is IT.r's position from 0.
 * A read error ends the walk early and is kept in the model (model_failed).  A renderer may
 * hold several cursors at once, over the same kind too. */
#define MODEL_ITER_BUFS 3 /* the record before, the current one, the one after */
struct model_iter {
	const struct cf_record *r, *prev, *ahead;
	size_t i;
	/* private to export/model.c */
	const struct model *m_;
	enum cf_kind kind_;
	struct record_cursor *cur_;
	struct cf_record buf_[MODEL_ITER_BUFS];
	size_t n_;
	int has_ahead_, done_;
};
void model_iter_open(struct model_iter *it, const struct model *m, enum cf_kind kind);
/* The next record (also in IT->r), or NULL at the end or on a read error. */
const struct cf_record *model_iter_next(struct model_iter *it);
void model_iter_close(struct model_iter *it);
/* Whether the profile may see any record of KIND. */
int model_any(const struct model *m, enum cf_kind kind);
/* The callback form: FN on each record of KIND (the cursor as above) until it returns
 * non-zero, which model_each returns; 0 after the last. */
typedef int (*model_fn)(const struct model_iter *it, void *ctx);
int model_each(const struct model *m, enum cf_kind kind, model_fn fn, void *ctx);
/* 0, or the first read error any cursor of M met (a cf_rc, ERR set): every export checks it
 * after rendering, so a walk cut short is never taken for a shorter case. */
int model_failed(const struct model *m, struct cf_err *err);

/* Reads S (already rebuilt as of a time, or the live case) for PROFILE, with the deadline
 * engine's view of the notices at AT.  Starts M->prog ("exporting the timeline: N rows",
 * records and operations read) on S's progress sink: the caller finishes or stops it once
 * the export is written. */
int model_load(struct store *s, const struct export_opts *o, int64_t at, struct model *m,
	       struct cf_err *err);
void model_release(struct model *m);
/* Notice N's due time and status as the engine has them at the model's moment, or NULL. */
const struct cf_deadline *model_deadline(const struct model *m, const struct cf_record *n);
/* Whether PROFILE may see R (its visibility and TLP; AMBER too when TLP_AMBER); NULL when
 * it may, else why not. */
const char *model_hidden(enum export_profile profile, int tlp_amber, const struct cf_record *r);
/* The product's own TLP: "TLP:CLEAR" (public), "TLP:GREEN" or "TLP:AMBER" (congressional). */
const char *model_tlp(const struct model *m);
/* Whether the case's marking is CUI ("CUI..." or "CONTROLLED..."), export/transmittal.c. */
int model_cui(const struct model *m);
/* Under a CUI marking, the banner's category and limited dissemination control ("" none). */
void cui_banner_parts(const struct model *m, char *category, char *ldc, size_t len);
/* Whether the federal pack is in force (the case's rule_packs; unset means federal). */
int model_federal(const struct model *m);
const char *rget(const struct cf_record *r, const char *field); /* "" when unset */
/* An operation mark (UTC ISO) as a time in zone TZ with its offset, "2019-06-10T22:00:00-04:00"
 * (a UTC date can be the next day there); -1 when MARK is empty or unreadable. */
int mark_local(const char *mark, const char *tz, char *buf, size_t len);

/* ---- escaping ------------------------------------------------------------------------------ */

enum {
	CLEAN_INLINE = 1 << 0, /* newlines and tabs become spaces, ends trimmed */
	CLEAN_KEEP_NL = 1 << 1, /* keep \n (block text, CSV cells) */
};
/* A copy of TEXT that is valid UTF-8 with nothing hidden (store/text.h's cf_text_class: C0
 * and C1 controls other than the kept ones, bidi controls, invisible, private-use and
 * unassigned code points): each such character becomes U+FFFD.  NULL -> "". */
char *x_clean(const char *text, int flags);

/* Markdown: inline text with every character that could start markup escaped (also the
 * table pipe), so that it renders as exactly the text. */
void md_inline(FILE *out, const char *text);
/* Markdown: a block of text (paragraphs split on blank lines), each line escaped. */
void md_block(FILE *out, const char *text);
/* HTML: text with & < > " ' escaped. */
void html_text(FILE *out, const char *text);
/* JSON: a string of TEXT (null for NULL); invalid UTF-8, which jansson refuses, is repaired
 * first (export/tabular.c). */
struct json_t *jtext(const char *text);
/* CSV: one cell, quoted when needed, formulas (= + - @ tab CR at the start) neutralised. */
void csv_cell(FILE *out, const char *text);

/* ---- renderers ------------------------------------------------------------------------------- */

/* Reads the operations after M->prev_mark up to M->mark, by record, for
 * changes_collect; nothing to read without a previous mark.  Freed by model_release. */
int changes_load(struct model *m, struct cf_err *err);
void changes_free(struct model *m);
void render_banner(FILE *out, const struct model *m);
/* The marking banner line: "**MARKING**" ("UNMARKED" when NULL or empty). */
void md_banner(FILE *out, const char *marking);
void render_as_of(FILE *out, const struct model *m);
void render_timeline_csv(FILE *out, const struct model *m);
void render_timeline_jsonl(FILE *out, const struct model *m);
void render_timeline_md(FILE *out, const struct model *m, int banners);
int render_case_json(FILE *out, const struct model *m, struct cf_err *err);
/* The case as a VERIS incident (export/veris.c); CF_EINVAL naming the field VERIS requires
 * and the case cannot give (the year the incident began). */
int render_veris(FILE *out, const struct model *m, struct cf_err *err);
/* Writes a document's Markdown (without banners) to OUT; 0 or a cf_rc with ERR set. */
typedef int (*md_writer)(FILE *out, const void *ctx, struct cf_err *err);
/* The Markdown MD writes (given CTX), handed to FN in pieces as it is written
 * (export/md_stream.c): each piece renders alone as its blocks render in the whole document,
 * except that a long table or tight list goes on from one piece to the next.  HEAD says the
 * piece's first block continues the previous piece's table (its header line and delimiter
 * row repeated: render only its body rows) or list; TAIL that its last block goes on in the
 * next piece.  A table's first piece holds at least MD_TABLE_MEASURE_ROWS rows.  0, or the
 * first error of MD or FN.  CASEFILE_RENDER=whole: one piece, the whole text (the
 * reference). */
enum { MD_TABLE = 1, MD_LIST = 2 };
#define MD_TABLE_MEASURE_ROWS 200 /* a PDF table's column widths come from its first rows */
struct md_piece {
	const char *text; /* NUL-terminated */
	size_t len;
	int head, tail;   /* 0, MD_TABLE or MD_LIST */
};
typedef int (*md_piece_fn)(const struct md_piece *pc, void *ctx, struct cf_err *err);
int md_stream(md_writer md, const void *ctx, md_piece_fn fn, void *fctx, struct cf_err *err);
/* Markdown parsed by cmark-gfm with the table extension, raw HTML dropped (export/html.c):
 * the one parser of the HTML and PDF pages. */
struct cmark_parser;
struct cmark_node;
struct md_doc {
	struct cmark_parser *parser;
	struct cmark_node *doc;
};
int md_doc_parse(struct md_doc *d, const char *md, struct cf_err *err);
void md_doc_release(struct md_doc *d);
/* ---- charts (export/chart.c): drawings in points, written as SVG or drawn by cairo ------ */

enum chart_op { CH_RECT, CH_LINE, CH_DASH, CH_DOT, CH_TEXT };
enum { CH_BLACK, CH_GRAY, CH_BLUE, CH_RED, CH_GREEN, CH_LIGHT };
struct chart_item {
	enum chart_op op;
	double x, y;   /* a rectangle's corner, a line's start, a dot's centre, text's baseline */
	double x2, y2; /* a rectangle's width and height, a line's end, a dot's radius in x2 */
	int color;     /* CH_BLACK, ... */
	double size;   /* text: points */
	int anchor;    /* text: -1 starts at x, 0 centred on it, 1 ends at it */
	char *text;    /* cleaned (x_clean), escaped by each writer */
};
struct chart {
	char *title, *caption;
	double width, height;
	struct chart_item *v;
	size_t n, cap;
};
/* The charts of a briefing: the timeline, then one per estimate category with numbers; their
 * count, the array into *OUT (charts_free). */
size_t charts_build(const struct model *m, struct chart **out);
void chart_release(struct chart *c);
void charts_free(struct chart *v, size_t n);
/* C as an HTML <figure> with an inline SVG and its caption, every text escaped. */
void chart_svg(FILE *out, const struct chart *c);

/* What a PDF page carries besides its Markdown: the banner, the document's metadata title
 * ("MARKING - WHAT: TITLE"), its date (ISO 8601, the export's "as of" moment), the paper. */
struct pdf_opts {
	const char *marking, *what, *title;
	const char *date;
	int a4; /* A4, else US Letter */
	const struct chart *charts; /* drawn after the text, under "Figures" */
	size_t ncharts;
};
/* The PDF of the Markdown MD writes (export/pdf.c): every page with the banners and "Page N
 * of M", tables broken across pages with their header repeated, the same bytes every time. */
int render_pdf_page(FILE *out, const struct pdf_opts *po, md_writer md, const void *ctx,
		    struct cf_err *err);
/* The one HTML page of every export: the Markdown MD writes (given CTX) rendered by cmark-gfm
 * into one self-contained page titled "MARKING - WHAT: TITLE" with MARKING ("UNMARKED" when
 * NULL or empty) as banners repeated on every printed page.  All text escaped. */
int render_html_page(FILE *out, const char *marking, const char *what, const char *title,
		     md_writer md, const void *ctx, struct cf_err *err);
/* The same with NCHARTS CHARTS as SVG figures after the text, under "Figures". */
int render_html_page_charts(FILE *out, const char *marking, const char *what,
			    const char *title, md_writer md, const void *ctx,
			    const struct chart *charts, size_t ncharts, struct cf_err *err);
/* The chain-of-custody report of case S (export/custody.c) in FMT: md, html, json or pdf
 * (on the pages PO describes; unused by the others). */
int render_custody(FILE *out, struct store *s, enum export_format fmt, const struct pdf_opts *po,
		   struct cf_err *err);

/* Whether the estimate at cursor IT is the latest of its category (the estimates are sorted
 * by category, then as-of date). */
int is_latest(const struct model_iter *it);

/* A time field as shown: "2018-08 to 2019-01" for periods, the text as entered otherwise. */
void show_when(FILE *out, const char *value);

/* The same pieces for any format: literal words written as they are, every value through
 * ESC (md_inline for Markdown, html_text for HTML, ...): the template engine's rich values. */
struct xout {
	FILE *f;
	void (*esc)(FILE *out, const char *text);
};
void show_when_x(const struct xout *o, const char *value);
/* "184,000" from "184000"; the text itself (escaped) when it is not a plain number. */
void show_count_x(const struct xout *o, const char *v);
/* An estimate's range in words: "10,000 to 99,999 images", "about 184,000 images". */
void show_range_x(const struct xout *o, const struct cf_record *estimate);
/* A record's sources ("; "-separated) without those dated after the model's "as of" moment;
 * any_source: whether one is left. */
void show_source_x(const struct xout *o, const struct model *m, const char *text);
int any_source(const struct model *m, const char *text);
/* The latest estimate in people with the largest bound (the briefing's headline) copied into
 * *TOP (released by the caller, found or not); whether there is one. */
int estimate_top(const struct model *m, struct cf_record *top);
int estimate_is_people(const struct cf_record *e);
/* A notice's recipient names individuals (travelers, data subjects); names Congress or a
 * committee (export/transmittal.c); the first notice of that recipient to Congress. */
int names_individuals(const struct cf_record *n);
int to_congress(const struct cf_record *n);
int first_to_congress(const struct model *m, const struct model_iter *it);
/* A describe line of record R, as "Changes since the previous briefing" shows it. */
void describe_x(const struct xout *o, const struct cf_record *r);
/* The items of "Changes since the previous briefing" (export/changes.c), in order: the case's
 * watched fields (PHRASE set, R NULL), then each record changed, then those withdrawn. */
struct change_item {
	char what[CF_PHRASE_LEN];    /* "New event", "Updated", "Withdrawn timeline event" */
	const char *phrase;          /* the case's field changed, in words; NULL for a record */
	struct cf_record r;          /* the record (a copy, owned), when PHRASE is NULL */
	char changed[CF_PHRASE_LEN]; /* the fields changed ("" for new records and notices) */
};
struct change_list {
	struct change_item *v;
	size_t n, cap;
};
void changes_collect(const struct model *m, struct change_list *out);
void change_list_release(struct change_list *l);
void changes_since(const struct model *m, char *buf, size_t len);

#endif
