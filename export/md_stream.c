/* md_stream.c — the Markdown a report writes, handed on in pieces as it is written, so that
 * the HTML and PDF pages stream: each piece renders alone as its blocks render in the whole
 * document, and no page holds the whole text or its whole parse tree (issue 16).
 *
 * A piece ends at a blank line that nothing can run across: outside a fenced code block or a
 * raw HTML block that spans blank lines, and before a line at the margin that cannot continue
 * what came before (not indented, not a list item, which would make a list loose).  A long
 * table or tight list is cut between its rows or items: the next piece starts again with the
 * table's header line and delimiter row, which the page renders only once (MD_PIECE_HEAD /
 * md_piece's HEAD and TAIL say so).  With CASEFILE_RENDER=whole the text is one piece: the
 * whole document at once, as before, kept as the reference the tests compare with;
 * CASEFILE_RENDER=BYTES cuts pieces of about BYTES (tests: many cuts in a small case) and
 * counts them on stderr. */
#define _GNU_SOURCE /* fopencookie */
#include "export/internal.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "store/strbuf.h"

#define MD_PIECE_BYTES (64 * 1024) /* a piece is cut at the first place it may be past this */
#define FENCE_LEN 8 /* a code fence's marker, up to 7 of its characters: a longer fence closes
		     * on 7 or more, where CommonMark wants as many (none of ours is that long) */

enum mode { M_NONE, M_TABLE, M_LIST };

struct mds {
	struct strbuf buf;   /* the piece being collected */
	struct strbuf line;  /* a line not yet ended */
	md_piece_fn fn;
	void *fctx;
	struct cf_err *err;
	int rc;              /* the first error of FN */
	int whole;           /* no cuts: the reference */
	size_t piece_bytes;  /* a piece is cut at the first place it may be past this */
	size_t pieces, cuts[MD_LIST + 1]; /* counted for CASEFILE_RENDER=BYTES (tests): pieces, cuts */
	int head;            /* the piece continues the previous one's container (MD_TABLE...) */
	enum mode mode;
	int list_kind;       /* a list's marker: '-', '*', '+', or '.' / ')' + 256 */
	int loose;           /* a blank line inside the list: it is not cut any more */
	size_t rows;         /* rows or items in this piece */
	size_t prev_off;     /* where the previous line starts in BUF (a table's header) */
	int prev_pipe;       /* the previous line starts with '|' */
	struct strbuf header; /* a table's header line and delimiter row, repeated in each piece */
	int after_blank;     /* the previous line was blank */
	char fence[FENCE_LEN];       /* an open code fence's marker ("```", "~~~~"); "" none */
	const char *html_end; /* an open raw HTML block's end marker */
};

static int blank(const char *l, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (l[i] != ' ' && l[i] != '\t' && l[i] != '\n' && l[i] != '\r')
			return 0;
	return 1;
}

/* A thematic break: three or more of one of - * _ and nothing else but spaces. */
static int rule_line(const char *l, size_t n)
{
	int count = 0;
	char c = 0;

	for (size_t i = 0; i < n && l[i] != '\n'; i++) {
		if (l[i] == ' ' || l[i] == '\t')
			continue;
		if (!c && strchr("-*_", l[i]))
			c = l[i];
		if (l[i] != c)
			return 0;
		count++;
	}
	return count >= 3;
}

/* A list item at the margin ("- x", "12. x"): its marker kind (see struct mds), else 0. */
static int list_item(const char *l, size_t n)
{
	size_t i = 0;

	if (n >= 2 && strchr("-*+", l[0]) && (l[1] == ' ' || l[1] == '\t'))
		return rule_line(l, n) ? 0 : l[0];
	while (i < n && i < 10 && l[i] >= '0' && l[i] <= '9')
		i++;
	if (i >= 1 && i <= 9 && i + 1 < n && (l[i] == '.' || l[i] == ')') &&
	    (l[i + 1] == ' ' || l[i + 1] == '\t'))
		return 256 + l[i];
	return 0;
}

/* A table's delimiter row: only | : - and spaces, with a - and a |. */
static int delimiter_row(const char *l, size_t n)
{
	int dash = 0, pipe = 0;

	for (size_t i = 0; i < n && l[i] != '\n'; i++) {
		if (!strchr("|:- \t\r", l[i]))
			return 0;
		dash |= l[i] == '-';
		pipe |= l[i] == '|';
	}
	return dash && pipe;
}

/* Up to three spaces of indentation before a block's first character. */
static size_t lead(const char *l, size_t n)
{
	size_t i = 0;

	while (i < n && i < 3 && l[i] == ' ')
		i++;
	return i;
}

/* A code fence opening at L ("```", "~~~"): its marker into FENCE. */
static int fence_open(const char *l, size_t n, char fence[FENCE_LEN])
{
	size_t i = lead(l, n), k = i;

	if (i >= n || (l[i] != '`' && l[i] != '~'))
		return 0;
	while (k < n && l[k] == l[i])
		k++;
	if (k - i < 3 || (l[i] == '`' && memchr(l + k, '`', n - k)))
		return 0;
	memset(fence, 0, FENCE_LEN);
	memset(fence, l[i], k - i < FENCE_LEN - 1 ? k - i : FENCE_LEN - 1);
	return 1;
}

static int fence_close(const char *l, size_t n, const char *fence)
{
	size_t i = lead(l, n), k = i;

	while (k < n && l[k] == fence[0])
		k++;
	return k - i >= strlen(fence) && blank(l + k, n - k);
}

/* The raw HTML blocks that run across blank lines (CommonMark's kinds 1 to 5): the end
 * marker of the one L opens, or NULL. */
static const char *html_open(const char *l, size_t n)
{
	static const char *const tags[] = { "script", "pre", "style", "textarea" };
	static const char *const ends[] = { "</script>", "</pre>", "</style>", "</textarea>" };
	size_t i = lead(l, n);

	if (i >= n || l[i] != '<')
		return NULL;
	l += i + 1;
	n -= i + 1;
	for (size_t t = 0; t < 4; t++) {
		size_t k = strlen(tags[t]);
		if (n >= k && !strncasecmp(l, tags[t], k) &&
		    (n == k || strchr(" \t\n\r>", l[k])))
			return ends[t];
	}
	if (n >= 3 && !strncmp(l, "!--", 3))
		return "-->";
	if (n >= 1 && l[0] == '?')
		return "?>";
	if (n >= 8 && !strncmp(l, "![CDATA[", 8))
		return "]]>";
	if (n >= 2 && l[0] == '!' && ((l[1] >= 'A' && l[1] <= 'Z') || (l[1] >= 'a' && l[1] <= 'z')))
		return ">";
	return NULL;
}

static int has_end(const char *l, size_t n, const char *end)
{
	size_t k = strlen(end);

	for (size_t i = 0; i + k <= n; i++)
		if (!strncasecmp(l + i, end, k))
			return 1;
	return 0;
}

/* The piece collected so far handed on; TAIL: its last block goes on in the next piece. */
static void flush(struct mds *s, int tail)
{
	struct md_piece pc = { s->buf.buf, s->buf.len, s->head, tail };

	if (!s->rc && (s->buf.len || s->head))
		s->rc = s->fn(&pc, s->fctx, s->err);
	s->pieces++;
	s->cuts[tail]++;
	strbuf_reset(&s->buf);
	s->head = tail;
	s->rows = 0;
}

/* The container cut before the line being added: the next piece repeats a table's header. */
static void cut_container(struct mds *s)
{
	flush(s, s->mode == M_TABLE ? MD_TABLE : MD_LIST);
	if (s->mode == M_TABLE)
		strbuf_add(&s->buf, s->header.buf, s->header.len);
}

/* L (N bytes, its newline included when it has one) taken into the piece: a cut before it
 * where one may go, then the state after it. */
static void add_line(struct mds *s, const char *l, size_t n)
{
	int item, full = s->buf.len >= s->piece_bytes;

	if (s->whole) {
		strbuf_add(&s->buf, l, n);
		return;
	}
	if (s->fence[0] || s->html_end) {
		if (s->fence[0] ? fence_close(l, n, s->fence) : has_end(l, n, s->html_end))
			s->fence[0] = '\0', s->html_end = NULL;
		strbuf_add(&s->buf, l, n);
		s->after_blank = s->prev_pipe = 0;
		return;
	}
	if (blank(l, n)) {
		strbuf_add(&s->buf, l, n);
		if (s->mode == M_TABLE)
			s->mode = M_NONE;
		s->after_blank = 1;
		s->prev_pipe = 0;
		return;
	}
	item = list_item(l, n);
	if (s->mode == M_TABLE && l[0] == '|') {
		if (full && s->rows >= MD_TABLE_MEASURE_ROWS)
			cut_container(s);
		s->rows++;
	} else if (s->mode == M_LIST && item == s->list_kind && !s->after_blank && !s->loose) {
		if (full && s->rows >= 2)
			cut_container(s);
		s->rows++;
	} else if (s->mode == M_LIST && (l[0] == ' ' || l[0] == '\t' || item == s->list_kind)) {
		s->loose |= s->after_blank; /* an item's second paragraph, or a loose item */
	} else {
		s->mode = M_NONE;
		/* After a blank line, at the margin, and not what a list would take in. */
		if (full && s->after_blank && l[0] != ' ' && l[0] != '\t' && !item)
			flush(s, 0);
		if (item) {
			s->mode = M_LIST;
			s->list_kind = item;
			s->loose = 0;
			s->rows = 1;
		}
	}
	if (s->mode != M_TABLE && s->prev_pipe && delimiter_row(l, n)) {
		s->mode = M_TABLE;
		s->rows = 0;
		strbuf_reset(&s->header);
		strbuf_add(&s->header, s->buf.buf + s->prev_off, s->buf.len - s->prev_off);
		strbuf_add(&s->header, l, n);
		if (!n || l[n - 1] != '\n')
			strbuf_addch(&s->header, '\n');
	} else if (s->mode == M_NONE && fence_open(l, n, s->fence)) {
		;
	} else if (s->mode == M_NONE) {
		s->html_end = html_open(l, n);
	}
	s->prev_off = s->buf.len;
	strbuf_add(&s->buf, l, n);
	s->prev_pipe = l[0] == '|';
	s->after_blank = 0;
}

static ssize_t sink_write(void *cookie, const char *data, size_t len)
{
	struct mds *s = cookie;
	size_t done = 0;

	while (done < len) {
		const char *nl = memchr(data + done, '\n', len - done);
		size_t n = nl ? (size_t)(nl - (data + done)) + 1 : len - done;
		if (!nl) {
			strbuf_add(&s->line, data + done, n);
		} else if (s->line.len) {
			strbuf_add(&s->line, data + done, n);
			add_line(s, s->line.buf, s->line.len);
			strbuf_reset(&s->line);
		} else {
			add_line(s, data + done, n);
		}
		done += n;
	}
	return (ssize_t)len;
}

int md_stream(md_writer md, const void *ctx, md_piece_fn fn, void *fctx, struct cf_err *err)
{
	const char *how = getenv("CASEFILE_RENDER");
	long bytes = how && *how >= '1' && *how <= '9' ? atol(how) : 0;
	struct mds s = { .buf = STRBUF_INIT, .line = STRBUF_INIT, .header = STRBUF_INIT,
			 .fn = fn, .fctx = fctx, .err = err,
			 .whole = how && !strcmp(how, "whole"),
			 .piece_bytes = bytes > 0 ? (size_t)bytes : MD_PIECE_BYTES };
	cookie_io_functions_t io = { NULL, sink_write, NULL, NULL };
	FILE *f = fopencookie(&s, "w", io);
	int rc;

	if (!f)
		return cf_error(err, CF_ERR, "out of memory");
	/* Pieces of about MD_PIECE_BYTES: the stream's own buffer need not be larger. */
	rc = md(f, ctx, err);
	if (fclose(f) != 0 && rc == 0)
		rc = cf_error(err, CF_ERR, "out of memory");
	if (rc == 0 && s.line.len)
		add_line(&s, s.line.buf, s.line.len);
	if (rc == 0)
		flush(&s, 0);
	if (rc == 0)
		rc = s.rc;
	if (bytes > 0) /* the tests' check that the pieces they compare were cut */
		fprintf(stderr, "casefile: render: %zu pieces, %zu in tables, %zu in lists\n",
			s.pieces, s.cuts[MD_TABLE], s.cuts[MD_LIST]);
	strbuf_release(&s.buf);
	strbuf_release(&s.line);
	strbuf_release(&s.header);
	return rc;
}
