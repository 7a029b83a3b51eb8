/* list.c — a window of rows over a list of any length: each move reads only what comes into
 * view, by keyset from the row at the window's edge (store/page.c), never by offset. */
#include "tui/tui.h"

#include <stdlib.h>
#include <string.h>

void list_init(struct list *l, enum cf_kind kind, int ops)
{
	memset(l, 0, sizeof(*l));
	l->kind = kind;
	l->ops = ops;
	l->pos = -1;
	l->total = -1;
}

static void row_release(struct row *r)
{
	free(r->key);
	cf_record_release(&r->rec);
	cf_op_release(&r->op);
	memset(r, 0, sizeof(*r));
}

static void rows_free(struct row *rows, int n)
{
	for (int i = 0; i < n; i++)
		row_release(&rows[i]);
	free(rows);
}

void list_release(struct list *l)
{
	rows_free(l->rows, l->n);
	l->rows = NULL;
	l->n = 0;
}

struct fetch {
	struct row *out;
	int n, cap;
};

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static int record_row(const struct cf_record *r, const char *key, void *ctx)
{
	struct fetch *f = ctx;
	struct row *o = &f->out[f->n++];
	const struct cf_kind_info *ki = cf_kind_info(r->kind);

	o->key = xstrdup(key ? key : "");
	memcpy(o->id, r->id, sizeof(o->id));
	cf_record_init(&o->rec, r->kind);
	memcpy(o->rec.id, r->id, sizeof(o->rec.id));
	for (size_t i = 0; i < ki->nfields; i++)
		o->rec.v[i] = dup_or_null(r->v[i]);
	o->rec.conflicted = dup_or_null(r->conflicted);
	return f->n >= f->cap;
}

static int op_row(const struct cf_op *op, int64_t seq, void *ctx)
{
	struct fetch *f = ctx;
	struct row *o = &f->out[f->n++];

	o->seq = seq;
	memcpy(o->id, op->id, sizeof(o->id));
	o->op = *op;
	o->op.field = dup_or_null(op->field);
	o->op.old_value = dup_or_null(op->old_value);
	o->op.new_value = dup_or_null(op->new_value);
	o->op.author = dup_or_null(op->author);
	return f->n >= f->cap;
}

/* Reads up to LIMIT rows from FROM (NULL: the start, or the end when UP) in display order, or
 * against it when UP (rows nearest FROM first).  Operations show newest first. */
static int fetch(struct app *a, struct list *l, const struct row *from, int up, int inclusive,
		 int limit, struct fetch *f)
{
	int rc;

	f->n = 0;
	f->cap = limit;
	f->out = xcalloc((size_t)(limit > 0 ? limit : 1), sizeof(*f->out));
	if (!f->out)
		return cf_error(&a->err, CF_ERR, "out of memory");
	if (limit <= 0)
		return 0;
	if (l->ops) {
		rc = op_seek(a->s, from ? from->seq : 0, !up, inclusive, limit, op_row, f, &a->err);
		goto out;
	}
	struct cf_seek q = {
		.key = from ? from->key : NULL,
		.id = from ? from->id : NULL,
		.backward = up,
		.inclusive = inclusive,
		.limit = limit,
		.filter_field = l->filter_field,
		.filter_value = l->filter_value,
	};
	rc = record_seek(a->s, l->kind, &q, record_row, f, &a->err);
out:
	if (rc < 0) { /* nothing half-read is kept */
		rows_free(f->out, f->n);
		f->out = NULL;
		f->n = 0;
	}
	return rc;
}

/* Makes ALL[START .. START + height) the window (taking ownership of ALL), cursor CUR. */
static int window_set(struct list *l, struct row *all, int nall, int start, int cur)
{
	int keep = nall - start < l->height ? nall - start : l->height;
	struct row *rows = xcalloc((size_t)(l->height > 0 ? l->height : 1), sizeof(*rows));

	if (!rows) {
		rows_free(all, nall);
		return CF_ERR;
	}
	for (int i = 0; i < nall; i++) {
		if (i >= start && i < start + keep)
			rows[i - start] = all[i];
		else
			row_release(&all[i]);
	}
	free(all);
	list_release(l);
	l->rows = rows;
	l->n = keep < 0 ? 0 : keep;
	l->cur = cur < 0 ? 0 : (cur >= l->n ? (l->n ? l->n - 1 : 0) : cur);
	return 0;
}

/* The window's rows followed (or preceded, when BEFORE) by F's, as one new array. */
static struct row *join(struct list *l, struct fetch *f, int before, int *nall)
{
	struct row *all = xcalloc((size_t)(l->n + f->n + 1), sizeof(*all));
	int k = 0;

	if (!all)
		return NULL;
	if (before)
		for (int i = f->n - 1; i >= 0; i--)
			all[k++] = f->out[i];
	for (int i = 0; i < l->n; i++)
		all[k++] = l->rows[i];
	if (!before)
		for (int i = 0; i < f->n; i++)
			all[k++] = f->out[i];
	free(f->out);
	free(l->rows);
	l->rows = NULL;
	l->n = 0;
	*nall = k;
	return all;
}

int list_first(struct app *a, struct list *l)
{
	struct fetch f;
	int rc = fetch(a, l, NULL, 0, 0, l->height, &f);
	if (rc < 0)
		return rc;
	l->pos = 0;
	return window_set(l, f.out, f.n, 0, 0);
}

int list_last(struct app *a, struct list *l)
{
	struct fetch f;
	int rc = fetch(a, l, NULL, 1, 0, l->height, &f);
	if (rc < 0)
		return rc;
	for (int i = 0; i < f.n / 2; i++) {
		struct row t = f.out[i];
		f.out[i] = f.out[f.n - 1 - i];
		f.out[f.n - 1 - i] = t;
	}
	l->pos = l->total >= 0 ? l->total - f.n : -1;
	return window_set(l, f.out, f.n, 0, f.n - 1);
}

/* Scrolls the window by up to N rows (negative: up), the cursor kept on its screen line;
 * at the edge the cursor goes to the first or last row instead. */
static int list_page(struct app *a, struct list *l, int n)
{
	int up = n < 0, want = up ? -n : n, nall, line = l->cur, rc;
	struct fetch f;
	struct row *all;

	if (l->n == 0)
		return list_first(a, l);
	rc = fetch(a, l, up ? &l->rows[0] : &l->rows[l->n - 1], up, 0, want, &f);
	if (rc < 0)
		return rc;
	if (f.n == 0) {
		free(f.out);
		l->cur = up ? 0 : l->n - 1;
		return 0;
	}
	int got = f.n;
	if (!(all = join(l, &f, up, &nall)))
		return CF_ERR;
	int start = up ? 0 : nall - l->height;
	if (start < 0)
		start = 0;
	if (l->pos >= 0)
		l->pos += up ? -got : start;
	return window_set(l, all, nall, start, line);
}

int list_move(struct app *a, struct list *l, int n)
{
	int target = l->cur + n, nall, rc;
	struct fetch f;
	struct row *all;

	if (l->n == 0)
		return 0;
	if (target >= 0 && target < l->n) {
		l->cur = target;
		return 0;
	}
	int up = target < 0, need = up ? -target : target - (l->n - 1);
	rc = fetch(a, l, up ? &l->rows[0] : &l->rows[l->n - 1], up, 0, need, &f);
	if (rc < 0)
		return rc;
	int got = f.n;
	if (!(all = join(l, &f, up, &nall)))
		return CF_ERR;
	if (up) {
		if (l->pos >= 0)
			l->pos -= got;
		return window_set(l, all, nall, 0, got - need > 0 ? got - need : 0);
	}
	int start = nall - l->height > 0 ? nall - l->height : 0;
	if (l->pos >= 0)
		l->pos += start;
	return window_set(l, all, nall, start, nall - 1 - start);
}

int list_seek(struct app *a, struct list *l, const char *key, const char *id, int64_t seq,
	      int line)
{
	struct row at = { .key = (char *)key, .seq = seq };
	struct fetch back, fwd;
	struct row *all;
	int rc, k = 0;

	cf_strlcpy(at.id, id ? id : "", sizeof(at.id));
	if ((rc = fetch(a, l, &at, 1, 0, l->height - 1, &back)) < 0)
		return rc;
	if ((rc = fetch(a, l, &at, 0, 1, l->height, &fwd)) < 0 ||
	    !(all = xcalloc((size_t)(back.n + fwd.n + 1), sizeof(*all)))) {
		rows_free(back.out, back.n);
		rows_free(fwd.out, fwd.n);
		return rc < 0 ? rc : CF_ERR;
	}
	for (int i = back.n - 1; i >= 0; i--)
		all[k++] = back.out[i];
	for (int i = 0; i < fwd.n; i++)
		all[k++] = fwd.out[i];
	free(back.out);
	free(fwd.out);
	int cidx = fwd.n ? back.n : back.n - 1;
	int start = cidx - line > 0 ? cidx - line : 0;
	if (k - start < l->height)
		start = k - l->height > 0 ? k - l->height : 0;
	l->pos = -1;
	return window_set(l, all, k, start, cidx - start);
}

int list_reload(struct app *a, struct list *l)
{
	const struct row *c = list_cursor(l);
	char *key = NULL, *old_key, id[CF_ID_LEN + 1];
	int64_t seq;
	int rc, line = l->cur;

	l->total = -1;
	if (!c)
		return list_first(a, l);
	memcpy(id, c->id, sizeof(id));
	seq = c->seq;
	old_key = c->key ? xstrdup(c->key) : NULL;
	if (!l->ops && record_key(a->s, l->kind, id, &key, &a->err) < 0) {
		/* Gone: land where it was. */
		key = old_key;
		old_key = NULL;
	}
	rc = list_seek(a, l, key, id, seq, line);
	free(key);
	free(old_key);
	return rc;
}

int list_set_height(struct app *a, struct list *l, int height)
{
	if (height < 1)
		height = 1;
	if (height == l->height && l->rows)
		return 0;
	int first = !l->rows;
	l->height = height;
	if (first)
		return list_first(a, l);
	if (l->cur >= height)
		l->cur = height - 1;
	int64_t total = l->total;
	int rc = list_reload(a, l);
	l->total = total;
	return rc;
}

int list_key(struct app *a, struct list *l, enum tui_action act)
{
	int rc;

	switch (act) {
	case ACT_DOWN:
		rc = list_move(a, l, 1);
		break;
	case ACT_UP:
		rc = list_move(a, l, -1);
		break;
	case ACT_PAGE_DOWN:
		rc = list_page(a, l, l->height);
		break;
	case ACT_PAGE_UP:
		rc = list_page(a, l, -l->height);
		break;
	case ACT_FIRST:
		rc = list_first(a, l);
		break;
	case ACT_LAST:
		rc = list_last(a, l);
		break;
	default:
		return 0;
	}
	if (rc < 0)
		tui_message(a, 1, "%s", a->err.msg);
	return 1;
}

const struct row *list_cursor(const struct list *l)
{
	return l->n > 0 ? &l->rows[l->cur] : NULL;
}

int list_idle(struct app *a, struct list *l)
{
	struct cf_seek q = { .filter_field = l->filter_field, .filter_value = l->filter_value };

	if (l->total < 0) {
		l->total = l->ops ? op_last_seq(a->s, &a->err)
				  : record_rank(a->s, l->kind, &q, NULL, NULL, &a->err);
		return 1;
	}
	if (l->pos < 0 && l->n > 0) {
		l->pos = l->ops ? l->total - l->rows[0].seq
				: record_rank(a->s, l->kind, &q, l->rows[0].key, l->rows[0].id,
					      &a->err);
		return 1;
	}
	return 0;
}

void list_status(const struct list *l, char *buf, size_t len)
{
	char pos[CF_NUM_LEN] = "?", total[CF_NUM_LEN] = "?";

	if (l->n == 0) {
		snprintf(buf, len, "0/0");
		return;
	}
	if (l->pos >= 0)
		snprintf(pos, sizeof(pos), "%lld", (long long)(l->pos + l->cur + 1));
	if (l->total >= 0)
		snprintf(total, sizeof(total), "%lld", (long long)l->total);
	snprintf(buf, len, "%s/%s", pos, total);
}
