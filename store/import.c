/* import.c — Timesketch timelines (CSV or JSONL) into events, all or nothing. */
#include "store/internal.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct import {
	struct store *s;
	const char *path;
	long line;
	int64_t count;
	char source[256];
};

/* Adds one event: MESSAGE, DATETIME, DESC required; ATTRS (a JSON object) holds the rest. */
static int import_one(struct import *im, const char *message, const char *datetime,
		      const char *desc, json_t *attrs, struct cf_err *err)
{
	struct cf_record r;
	struct cf_when w;
	char *json, *attr_text;
	int rc;

	if (!message || !*message)
		return cf_error(err, CF_EINVAL, "%s:%ld: field 'message' is missing", im->path,
				im->line);
	if (!datetime || !*datetime)
		return cf_error(err, CF_EINVAL, "%s:%ld: field 'datetime' is missing", im->path,
				im->line);
	if (!desc || !*desc)
		return cf_error(err, CF_EINVAL, "%s:%ld: field 'timestamp_desc' is missing",
				im->path, im->line);
	if (cf_when_parse(datetime, NULL, &w, err) < 0) {
		char why[sizeof(err->msg)];
		snprintf(why, sizeof(why), "%s", err->msg);
		return cf_error(err, CF_EINVAL, "%s:%ld: field 'datetime': %s", im->path, im->line,
				why);
	}
	json_object_set_new(attrs, "timestamp_desc", json_string(desc));
	attr_text = json_dumps(attrs, JSON_SORT_KEYS | JSON_COMPACT | JSON_ENSURE_ASCII);
	cf_record_init(&r, CF_EVENT);
	r.v[cf_field_index(cf_kind_info(CF_EVENT), "occurred")] = strdup(datetime);
	r.v[cf_field_index(cf_kind_info(CF_EVENT), "summary")] = strdup(message);
	r.v[cf_field_index(cf_kind_info(CF_EVENT), "kind")] = strdup("imported");
	r.v[cf_field_index(cf_kind_info(CF_EVENT), "source")] = strdup(im->source);
	r.v[cf_field_index(cf_kind_info(CF_EVENT), "attrs")] = attr_text;
	cf_new_id(r.id);
	json = record_to_json(&r);
	rc = record_insert_row(im->s, &r, err);
	if (!rc)
		rc = op_append(im->s, CF_EVENT, r.id, "@create", NULL, json, err);
	free(json);
	cf_record_release(&r);
	if (!rc)
		im->count++;
	return rc;
}

/* ---- CSV (RFC 4180: quoted fields may hold commas, quotes and newlines) ---- */

struct row {
	char **cell;
	size_t n, cap;
};

static void row_clear(struct row *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->cell[i]);
	r->n = 0;
}

static int row_push(struct row *r, char *text)
{
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 16;
		char **c = realloc(r->cell, cap * sizeof(*c));
		if (!c)
			return -1;
		r->cell = c;
		r->cap = cap;
	}
	r->cell[r->n++] = text;
	return 0;
}

/* Reads one record; 1 = got one, 0 = end of file, <0 = error (message in ERR). */
static int csv_read(FILE *f, struct import *im, struct row *row, struct cf_err *err)
{
	size_t cap = 256, len = 0;
	char *buf = malloc(cap);
	int c, quoted = 0, in_quotes = 0, any = 0;

	row_clear(row);
	if (!buf)
		return cf_error(err, CF_ERR, "out of memory");
	im->line++;
	for (;;) {
		c = getc(f);
		if (c == EOF) {
			if (in_quotes) {
				free(buf);
				return cf_error(err, CF_EINVAL, "%s:%ld: unterminated quoted field",
						im->path, im->line);
			}
			if (!any) {
				free(buf);
				return 0;
			}
			break;
		}
		any = 1;
		if (in_quotes) {
			if (c == '"') {
				int d = getc(f);
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
		if (c == '"' && len == 0 && !quoted) {
			in_quotes = quoted = 1;
			continue;
		}
		if (c == ',' || c == '\n') {
			if (len > 0 && buf[len - 1] == '\r' && c == '\n')
				len--;
			buf[len] = '\0';
			if (row_push(row, buf) < 0)
				return cf_error(err, CF_ERR, "out of memory");
			if (c == '\n')
				return 1;
			buf = malloc(cap = 256);
			if (!buf)
				return cf_error(err, CF_ERR, "out of memory");
			len = 0;
			quoted = 0;
			continue;
		}
add:
		if (len + 2 > cap) {
			char *b = realloc(buf, cap *= 2);
			if (!b) {
				free(buf);
				return cf_error(err, CF_ERR, "out of memory");
			}
			buf = b;
		}
		buf[len++] = (char)c;
	}
	buf[len] = '\0';
	if (row_push(row, buf) < 0)
		return cf_error(err, CF_ERR, "out of memory");
	return 1;
}

static int find_col(const struct row *h, const char *name)
{
	for (size_t i = 0; i < h->n; i++)
		if (strcmp(h->cell[i], name) == 0)
			return (int)i;
	return -1;
}

static int import_csv(FILE *f, struct import *im, struct cf_err *err)
{
	struct row head = { 0 }, row = { 0 };
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
	while ((rc = csv_read(f, im, &row, err)) > 0) {
		if (row.n == 1 && row.cell[0][0] == '\0')
			continue; /* blank line */
		if (row.n != head.n) {
			rc = cf_error(err, CF_EINVAL, "%s:%ld: %zu fields, the header has %zu",
				      im->path, im->line, row.n, head.n);
			break;
		}
		json_t *attrs = json_object();
		for (size_t i = 0; i < row.n; i++)
			if ((int)i != cm && (int)i != cd && (int)i != ct && row.cell[i][0])
				json_object_set_new(attrs, head.cell[i], json_string(row.cell[i]));
		rc = import_one(im, row.cell[cm], row.cell[cd], row.cell[ct], attrs, err);
		json_decref(attrs);
		if (rc < 0)
			break;
	}
out:
	row_clear(&head);
	row_clear(&row);
	free(head.cell);
	free(row.cell);
	return rc;
}

/* ---- JSONL: one object per line ---- */

static int import_jsonl(FILE *f, struct import *im, struct cf_err *err)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int rc = 0;

	while (rc == 0 && (n = getline(&line, &cap, f)) >= 0) {
		json_error_t jerr;
		json_t *o, *attrs;
		const char *key;
		json_t *val;

		im->line++;
		if (n == 0 || strspn(line, " \t\r\n") == (size_t)n)
			continue;
		o = json_loadb(line, (size_t)n, 0, &jerr);
		if (!json_is_object(o)) {
			json_decref(o);
			rc = cf_error(err, CF_EINVAL, "%s:%ld: not a JSON object (%s)", im->path,
				      im->line, jerr.text);
			break;
		}
		attrs = json_object();
		json_object_foreach(o, key, val) {
			if (!strcmp(key, "message") || !strcmp(key, "datetime") ||
			    !strcmp(key, "timestamp_desc"))
				continue;
			json_object_set(attrs, key, val);
		}
		rc = import_one(im, json_string_value(json_object_get(o, "message")),
				json_string_value(json_object_get(o, "datetime")),
				json_string_value(json_object_get(o, "timestamp_desc")), attrs, err);
		json_decref(attrs);
		json_decref(o);
	}
	free(line);
	return rc;
}

int import_events(struct store *s, const char *path, int64_t *count, struct cf_err *err)
{
	struct import im = { s, path, 0, 0, "" };
	const char *base = strrchr(path, '/');
	FILE *f = fopen(path, "r");
	int rc, c;

	*count = 0;
	if (!f)
		return cf_error(err, CF_EIO, "%s: %s", path, strerror(errno));
	snprintf(im.source, sizeof(im.source), "import: %s", base ? base + 1 : path);
	if ((rc = store_begin(s, err)) < 0) {
		fclose(f);
		return rc;
	}
	while ((c = getc(f)) == ' ' || c == '\n' || c == '\r' || c == '\t')
		;
	ungetc(c, f);
	rewind(f);
	rc = c == '{' ? import_jsonl(f, &im, err) : import_csv(f, &im, err);
	if (rc == 0 && ferror(f))
		rc = cf_error(err, CF_EIO, "%s: read error", path);
	fclose(f);
	if (rc < 0) {
		store_rollback(s);
		return rc;
	}
	if ((rc = store_commit(s, err)) < 0)
		return rc;
	*count = im.count;
	return 0;
}
