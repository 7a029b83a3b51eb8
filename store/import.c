/* import.c — Timesketch timelines (CSV or JSONL) into events, all or nothing. */
#include "store/internal.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* A record (a CSV row, quoted newlines included, or a JSONL line) longer than this is not a
 * timeline: the bound keeps /dev/zero or a disk image from filling memory. */
#define IMPORT_RECORD_MAX (1 << 20)

struct import {
	struct store *s;
	const char *path;
	long line;
	int64_t count;
	char source[256];
	char entered[CF_TIME_LEN];
	int f_occurred, f_summary, f_kind, f_source, f_attrs, f_entered; /* field indexes */
	/* Ids handed out in sorted order, a batch at a time, records' and operations' apart. */
	char (*rec_ids)[CF_ID_LEN + 1], (*op_ids)[CF_ID_LEN + 1];
	size_t ids_left, batch, cur; /* CUR: the size of the batch in hand */
	FILE *f;
	struct progress prog; /* bytes of the file read, rows imported */
};

/* Rows between two progress reports: its file position costs a system call. */
#define IMPORT_PROGRESS_ROWS 1024
/* The first batch of ids is this small, so that the first rows go in (and the first progress
 * report is due) at once: a whole file's batch, 1.2 million ids for 600,000 rows, took 1.6 s
 * to make and sort on a loaded machine before the first row (tests/t_progress_tmux.sh). */
#define IMPORT_FIRST_IDS 16384

/* The next record and op ids.  Random ids in random order make every insert into the id
 * indexes land on another page; sorted, each batch goes in as one sweep (200,000 rows:
 * 7.3-9.1 s before, 6.6-6.9 s after).  A batch is about as many ids as the file has rows. */
static int next_ids(struct import *im, char rec[CF_ID_LEN + 1], char op[CF_ID_LEN + 1])
{
	size_t i;

	if (im->ids_left == 0) {
		im->cur = im->rec_ids || im->batch < IMPORT_FIRST_IDS ? im->batch : IMPORT_FIRST_IDS;
		free(im->rec_ids);
		free(im->op_ids);
		im->rec_ids = cf_new_ids_sorted(im->cur);
		im->op_ids = cf_new_ids_sorted(im->cur);
		if (!im->rec_ids || !im->op_ids)
			return -1;
		im->ids_left = im->cur;
	}
	i = im->cur - im->ids_left--;
	memcpy(rec, im->rec_ids[i], CF_ID_LEN + 1);
	memcpy(op, im->op_ids[i], CF_ID_LEN + 1);
	return 0;
}

/* Adds one event: MESSAGE, DATETIME, DESC required; ATTR_TEXT (a JSON object, taken over)
 * holds the rest.  Its full-text entry is written at the end of the import. */
static int import_one(struct import *im, const char *message, const char *datetime,
		      const char *desc, char *attr_text, struct cf_err *err)
{
	struct cf_record r;
	struct cf_when w;
	char *json, op_id[CF_ID_LEN + 1];
	int rc;

	cf_record_init(&r, CF_EVENT);
	r.v[im->f_attrs] = attr_text;
	if (!message || !*message)
		rc = cf_error(err, CF_EINVAL, "%s:%ld: field 'message' is missing", im->path,
			      im->line);
	else if (!datetime || !*datetime)
		rc = cf_error(err, CF_EINVAL, "%s:%ld: field 'datetime' is missing", im->path,
			      im->line);
	else if (!desc || !*desc)
		rc = cf_error(err, CF_EINVAL, "%s:%ld: field 'timestamp_desc' is missing",
			      im->path, im->line);
	else
		rc = 0;
	if (rc == 0 && cf_when_parse(datetime, NULL, &w, err) < 0)
		rc = cf_error_prefix(err, CF_EINVAL, "%s:%ld: field 'datetime'", im->path,
				     im->line);
	if (rc < 0 || !attr_text) {
		cf_record_release(&r);
		return rc < 0 ? rc : cf_error(err, CF_ERR, "out of memory");
	}
	r.v[im->f_occurred] = xstrdup(datetime);
	r.v[im->f_summary] = cf_text_valid(message) ? xstrdup(message) : cf_text_fix(message);
	r.v[im->f_kind] = xstrdup("imported");
	r.v[im->f_source] = xstrdup(im->source);
	r.v[im->f_entered] = xstrdup(im->entered);
	json = next_ids(im, r.id, op_id) == 0 ? record_to_json(&r) : NULL;
	rc = json ? record_insert_row(im->s, &r, err) : cf_error(err, CF_ERR, "out of memory");
	if (!rc)
		rc = op_append_id(im->s, op_id, CF_EVENT, r.id, "@create", NULL, json, err);
	free(json);
	cf_record_release(&r);
	if (!rc && ++im->count % IMPORT_PROGRESS_ROWS == 0) {
		off_t at = ftello(im->f);
		progress_update(&im->prog, at > 0 ? (uint64_t)at : 0, (uint64_t)im->count);
	}
	return rc;
}

/* ---- CSV (RFC 4180: quoted fields may hold commas, quotes and newlines) ---- */

/* One record's cells, NUL-terminated one after another in one buffer that is kept from row
 * to row: no allocation per cell.  cell[] is filled once the record is complete. */
struct row {
	char *text;
	size_t len, tcap;
	size_t *off;
	char **cell;
	size_t n, cap;
};

static void row_free(struct row *r)
{
	free(r->text);
	free(r->off);
	free(r->cell);
}

static void row_putc(struct row *r, char c)
{
	if (r->len == r->tcap) {
		r->tcap = r->tcap ? r->tcap * 2 : 1024;
		r->text = xrealloc(r->text, r->tcap);
	}
	r->text[r->len++] = c;
}

/* Ends the cell that began at START (its NUL goes after it); the next begins after that. */
static void row_end_cell(struct row *r, size_t start)
{
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 16;
		r->off = xreallocarray(r->off, r->cap, sizeof(*r->off));
		r->cell = xreallocarray(r->cell, r->cap, sizeof(*r->cell));
	}
	r->off[r->n++] = start;
	row_putc(r, '\0');
}

static void row_done(struct row *r)
{
	for (size_t i = 0; i < r->n; i++)
		r->cell[i] = r->text + r->off[i];
}

/* Reads one record; 1 = got one, 0 = end of file, <0 = error (message in ERR). */
static int csv_read(FILE *f, struct import *im, struct row *row, struct cf_err *err)
{
	size_t start = 0;
	int c, quoted = 0, in_quotes = 0, any = 0;

	row->n = row->len = 0;
	im->line++;
	for (;;) {
		c = getc_unlocked(f);
		if (c == EOF) {
			if (in_quotes)
				return cf_error(err, CF_EINVAL, "%s:%ld: unterminated quoted field",
						im->path, im->line);
			if (!any)
				return 0;
			break;
		}
		any = 1;
		if (c == '\0')
			return cf_error(err, CF_EINVAL, "%s:%ld: a NUL byte: not a text file",
					im->path, im->line);
		if (row->len >= IMPORT_RECORD_MAX)
			return cf_error(err, CF_EINVAL, "%s:%ld: record longer than %d bytes",
					im->path, im->line, IMPORT_RECORD_MAX);
		if (in_quotes) {
			if (c == '"') {
				int d = getc_unlocked(f);
				if (d == '"')
					goto add;
				in_quotes = 0;
				if (d == EOF)
					continue;
				ungetc(d, f);
				continue;
			}
			if (c == '\n')
				im->line++;
			goto add;
		}
		if (c == '"' && row->len == start && !quoted) {
			in_quotes = quoted = 1;
			continue;
		}
		if (c == ',' || c == '\n') {
			if (c == '\n' && row->len > start && row->text[row->len - 1] == '\r')
				row->len--;
			row_end_cell(row, start);
			if (c == '\n') {
				row_done(row);
				return 1;
			}
			start = row->len;
			quoted = 0;
			continue;
		}
add:
		row_putc(row, (char)c);
	}
	row_end_cell(row, start);
	row_done(row);
	return 1;
}

static int find_col(const struct row *h, const char *name)
{
	for (size_t i = 0; i < h->n; i++)
		if (strcmp(h->cell[i], name) == 0)
			return (int)i;
	return -1;
}

/* The columns kept as attributes (all but message and datetime), sorted by name so the
 * attribute text is canonical JSON; for a repeated name the last non-empty cell wins. */
static size_t *attr_order(const struct row *head, int cm, int cd)
{
	size_t *order = xmalloc((head->n + 1) * sizeof(*order)), n = 0;

	for (size_t i = 0; i < head->n; i++) {
		size_t j;
		if ((int)i == cm || (int)i == cd)
			continue;
		for (j = n++; j > 0 && strcmp(head->cell[order[j - 1]], head->cell[i]) > 0; j--)
			order[j] = order[j - 1];
		order[j] = i;
	}
	order[n] = (size_t)-1;
	return order;
}

static void put_text(struct strbuf *b, const char *text)
{
	char *fixed;

	if (cf_text_valid(text)) {
		cf_buf_str(b, text);
		return;
	}
	fixed = cf_text_fix(text);
	cf_buf_str(b, fixed ? fixed : "");
	free(fixed);
}

static char *csv_attrs(const struct row *head, const struct row *row, const size_t *order)
{
	struct strbuf b = STRBUF_INIT;
	int first = 1;

	strbuf_addch(&b, '{');
	for (size_t k = 0; order[k] != (size_t)-1; k++) {
		const char *name = head->cell[order[k]], *value = NULL;
		for (; order[k] != (size_t)-1 && strcmp(head->cell[order[k]], name) == 0; k++)
			if (row->cell[order[k]][0])
				value = row->cell[order[k]];
		k--;
		if (!value)
			continue;
		if (!first)
			strbuf_addch(&b, ',');
		put_text(&b, name);
		strbuf_addch(&b, ':');
		put_text(&b, value);
		first = 0;
	}
	strbuf_addch(&b, '}');
	return strbuf_detach(&b, NULL);
}

static int import_csv(FILE *f, struct import *im, struct cf_err *err)
{
	struct row head = { 0 }, row = { 0 };
	size_t *order = NULL;
	int rc, cm, cd, ct;

	rc = csv_read(f, im, &head, err);
	if (rc <= 0) {
		rc = rc < 0 ? rc : cf_error(err, CF_EINVAL, "%s:1: empty file", im->path);
		goto out;
	}
	if (head.n && strncmp(head.cell[0], "\xEF\xBB\xBF", 3) == 0) /* UTF-8 byte order mark */
		memmove(head.cell[0], head.cell[0] + 3, strlen(head.cell[0]) - 2);
	cm = find_col(&head, "message");
	cd = find_col(&head, "datetime");
	ct = find_col(&head, "timestamp_desc");
	if (cm < 0 || cd < 0 || ct < 0) {
		rc = cf_error(err, CF_EINVAL,
			      "%s:1: header must name the columns message, datetime and timestamp_desc",
			      im->path);
		goto out;
	}
	order = attr_order(&head, cm, cd);
	while ((rc = csv_read(f, im, &row, err)) > 0) {
		if (row.n == 1 && row.cell[0][0] == '\0')
			continue; /* blank line */
		if (row.n != head.n) {
			rc = cf_error(err, CF_EINVAL, "%s:%ld: %zu fields, the header has %zu",
				      im->path, im->line, row.n, head.n);
			break;
		}
		rc = import_one(im, row.cell[cm], row.cell[cd], row.cell[ct],
				csv_attrs(&head, &row, order), err);
		if (rc < 0)
			break;
	}
out:
	free(order);
	row_free(&head);
	row_free(&row);
	return rc;
}

/* ---- JSONL: one object per line ---- */

/* The three Timesketch keys, when present, must be strings: a number is not "missing". */
static int jsonl_strings(json_t *o, const struct import *im, struct cf_err *err)
{
	static const char *const keys[] = { "message", "datetime", "timestamp_desc" };

	for (size_t i = 0; i < 3; i++) {
		json_t *v = json_object_get(o, keys[i]);
		if (v && !json_is_string(v))
			return cf_error(err, CF_EINVAL, "%s:%ld: field '%s' is not a string",
					im->path, im->line, keys[i]);
	}
	return 0;
}

static int import_jsonl(FILE *f, struct import *im, struct cf_err *err)
{
	char *line = NULL;
	size_t cap = 0, n;
	int rc = 0;

	while (rc == 0 &&
	       (rc = cf_line_read(f, im->path, im->line + 1, IMPORT_RECORD_MAX, &line, &cap, &n,
				  err)) > 0) {
		json_error_t jerr;
		json_t *o, *attrs;
		const char *key;
		json_t *val;

		rc = 0;
		im->line++;
		if (n == 0 || strspn(line, " \t\r\n") == n)
			continue;
		o = json_loadb(line, n, 0, &jerr);
		if (!o) {
			rc = cf_error(err, CF_EINVAL, "%s:%ld: not valid JSON (%s)", im->path,
				      im->line, jerr.text);
			break;
		}
		if (!json_is_object(o)) {
			json_decref(o);
			rc = cf_error(err, CF_EINVAL, "%s:%ld: not a JSON object", im->path, im->line);
			break;
		}
		if ((rc = jsonl_strings(o, im, err)) < 0) {
			json_decref(o);
			break;
		}
		attrs = json_object();
		json_object_foreach(o, key, val) {
			if (!strcmp(key, "message") || !strcmp(key, "datetime"))
				continue;
			json_object_set(attrs, key, val);
		}
		if (json_is_string(json_object_get(o, "timestamp_desc")))
			json_object_set(attrs, "timestamp_desc",
					json_object_get(o, "timestamp_desc"));
		rc = import_one(im, json_string_value(json_object_get(o, "message")),
				json_string_value(json_object_get(o, "datetime")),
				json_string_value(json_object_get(o, "timestamp_desc")),
				json_dumps(attrs, JSON_SORT_KEYS | JSON_COMPACT | JSON_ENSURE_ASCII),
				err);
		json_decref(attrs);
		json_decref(o);
	}
	free(line);
	return rc;
}

/* The operation and its row are written per event; the full-text entries of all imported
 * events in one statement at the end (per-row FTS5 inserts flush at every statement). */
static int import_file(FILE *f, struct import *im, struct cf_err *err)
{
	int64_t last = fts_max_rowid(im->s, CF_EVENT);
	int c, rc;

	while ((c = getc(f)) == ' ' || c == '\n' || c == '\r' || c == '\t')
		;
	rewind(f);
	im->s->fts_defer = 1;
	rc = c == '{' ? import_jsonl(f, im, err) : import_csv(f, im, err);
	im->s->fts_defer = 0;
	im->prog.info.count = (uint64_t)im->count; /* all of them, not the last report's */
	if (rc == 0)
		progress_finish(&im->prog); /* the rows are in; the index is a phase of its own */
	else
		progress_stop(&im->prog);
	if (rc == 0 && ferror(f))
		rc = cf_error(err, CF_EIO, "%s: read error", im->path);
	if (rc == 0)
		rc = fts_index_after(im->s, CF_EVENT, last, err);
	return rc;
}

int import_events(struct store *s, const char *path, int64_t *count, struct cf_err *err)
{
	const struct cf_kind_info *ki = cf_kind_info(CF_EVENT);
	const char *base = strrchr(path, '/');
	FILE *f = fopen(path, "r");
	struct import im = { .s = s, .path = path, .f = f };
	int rc;

	struct stat sb = { 0 };

	*count = 0;
	if (!f)
		return cf_error(err, CF_EIO, "%s: %s", path, strerror(errno));
	if (fstat(fileno(f), &sb) == 0 && S_ISDIR(sb.st_mode)) {
		fclose(f);
		return cf_error(err, CF_EIO, "%s: is a directory", path);
	}
	/* A Timesketch row is rarely under 100 bytes: a batch then covers the whole file, up to
	 * a million rows (42 MB of ids). */
	im.batch = (size_t)(sb.st_size > 0 ? sb.st_size / 100 : 0) + 64;
	if (im.batch > 1000000)
		im.batch = 1000000;
	snprintf(im.source, sizeof(im.source), "import: %s", base ? base + 1 : path);
	cf_now_iso(im.entered, sizeof(im.entered));
	im.entered[16] = '\0'; /* minute precision, as event add */
	strcat(im.entered, "Z");
	im.f_occurred = cf_field_index(ki, "occurred");
	im.f_summary = cf_field_index(ki, "summary");
	im.f_kind = cf_field_index(ki, "kind");
	im.f_source = cf_field_index(ki, "source");
	im.f_attrs = cf_field_index(ki, "attrs");
	im.f_entered = cf_field_index(ki, "entered");
	/* A large page cache for the random-order index inserts of big imports. */
	sqlite3_exec(s->db, "PRAGMA cache_size = -524288", NULL, NULL, NULL);
	progress_start(&im.prog, &s->progress, "importing events",
		       sb.st_size > 0 ? (uint64_t)sb.st_size : 0, "rows");
	if ((rc = store_begin(s, err)) == 0) {
		rc = import_file(f, &im, err);
		if (rc < 0)
			store_rollback(s);
		else
			rc = store_commit(s, err);
	}

	sqlite3_exec(s->db, "PRAGMA cache_size = -2000", NULL, NULL, NULL);
	free(im.rec_ids);
	free(im.op_ids);
	fclose(f);
	if (rc < 0)
		return rc;
	*count = im.count;
	return 0;
}
