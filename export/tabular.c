/* tabular.c — the timeline for tools (Timesketch CSV and JSONL) and for people (a Markdown
 * table), and the whole case as JSON. */
#include "export/internal.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

json_t *jtext(const char *text)
{
	json_t *j;
	char *clean;

	if (!text)
		return json_null();
	if ((j = json_string(text)))
		return j;
	clean = x_clean(text, CLEAN_KEEP_NL);
	j = json_string(clean);
	free(clean);
	return j ? j : json_null();
}

static const char *const precision_names[] = {
	"", "year", "month", "day", "minute", "second"
};

/* Timesketch's columns for event E: datetime (ISO 8601 with offset), timestamp (epoch
 * microseconds), and the start and end of a period. */
struct tl_times {
	char datetime[CF_TIME_LEN], end[CF_TIME_LEN], timestamp[CF_TIME_LEN];
	const char *precision;
};

static void iso_offset(int64_t t, char *buf, size_t len)
{
	char utc[CF_TIME_LEN];
	cf_time_utc(t, utc, sizeof(utc));
	snprintf(buf, len, "%.19s+00:00", utc); /* to the second: "2019-06-05T12:00:00" */
}

static void tl_times(const struct model *m, const struct cf_record *e, struct tl_times *t)
{
	struct cf_when w;
	struct cf_err err;

	memset(t, 0, sizeof(*t));
	t->precision = "";
	if (cf_when_parse(rget(e, "occurred"), m->tz, &w, &err) < 0)
		return;
	iso_offset(w.start, t->datetime, sizeof(t->datetime));
	snprintf(t->timestamp, sizeof(t->timestamp), "%lld", (long long)w.start * 1000000LL);
	if (w.is_period)
		iso_offset(w.end, t->end, sizeof(t->end));
	t->precision = precision_names[w.precision];
}

static const char *const tl_fields[] = {
	"occurred", "learned", "kind", "source", "actor", "key", "visibility", "tlp", "details",
	"attrs", NULL
};

void render_timeline_csv(FILE *out, const struct model *m)
{
	struct model_iter it;

	fputs("message,datetime,timestamp_desc,timestamp,period_end,precision", out);
	for (const char *const *f = tl_fields; *f; f++)
		fprintf(out, ",%s", *f);
	fputs(",id,marking\n", out);
	for (model_iter_open(&it, m, CF_EVENT); model_iter_next(&it);) {
		const struct cf_record *e = it.r;
		struct tl_times t;
		tl_times(m, e, &t);
		csv_cell(out, rget(e, "summary"));
		fputc(',', out);
		csv_cell(out, t.datetime);
		fputs(",Occurred,", out);
		fputs(t.timestamp, out); /* digits only: no quoting, no formula guard */
		fputc(',', out);
		csv_cell(out, t.end);
		fputc(',', out);
		csv_cell(out, t.precision);
		for (const char *const *f = tl_fields; *f; f++) {
			fputc(',', out);
			csv_cell(out, rget(e, *f));
		}
		fputc(',', out);
		csv_cell(out, e->id);
		fputc(',', out); /* the case's marking travels with every row */
		csv_cell(out, rget(&m->kase, "marking"));
		fputs("\n", out);
	}
	model_iter_close(&it);
}

static json_t *record_obj(const struct cf_record *r)
{
	const struct cf_kind_info *ki = cf_kind_info(r->kind);
	json_t *o = json_object();

	json_object_set_new(o, "id", json_string(r->id));
	for (size_t i = 0; i < ki->nfields; i++)
		json_object_set_new(o, ki->fields[i].name, jtext(r->v[i]));
	return o;
}

static void dump(FILE *out, json_t *j, size_t flags)
{
	char *text = json_dumps(j, flags | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);
	if (text) {
		fputs(text, out);
		free(text);
	}
}

void render_timeline_jsonl(FILE *out, const struct model *m)
{
	struct model_iter it;

	for (model_iter_open(&it, m, CF_EVENT); model_iter_next(&it);) {
		const struct cf_record *e = it.r;
		struct tl_times t;
		json_t *o = json_object();
		tl_times(m, e, &t);
		json_object_set_new(o, "message", jtext(rget(e, "summary")));
		json_object_set_new(o, "datetime", json_string(t.datetime));
		json_object_set_new(o, "timestamp_desc", json_string("Occurred"));
		json_object_set_new(o, "timestamp",
				    t.timestamp[0] ? json_integer(atoll(t.timestamp)) : json_null());
		json_object_set_new(o, "period_end", t.end[0] ? json_string(t.end) : json_null());
		json_object_set_new(o, "precision", json_string(t.precision));
		for (const char *const *f = tl_fields; *f; f++)
			json_object_set_new(o, *f, jtext(cf_record_get(e, *f)));
		json_object_set_new(o, "id", json_string(e->id));
		json_object_set_new(o, "marking", jtext(cf_record_get(&m->kase, "marking")));
		dump(out, o, JSON_COMPACT);
		fputc('\n', out);
		json_decref(o);
	}
	model_iter_close(&it);
}

void render_timeline_md(FILE *out, const struct model *m, int banners)
{
	struct model_iter it;

	if (banners) {
		render_banner(out, m);
		fputc('\n', out);
	}
	fputs("# Timeline: ", out);
	md_inline(out, rget(&m->kase, "title"));
	fputs("\n\n| When | Kind | Summary | Source |\n|---|---|---|---|\n", out);
	for (model_iter_open(&it, m, CF_EVENT); model_iter_next(&it);) {
		const struct cf_record *e = it.r;
		fputs("| ", out);
		show_when(out, rget(e, "occurred"));
		fputs(" | ", out);
		md_inline(out, rget(e, "kind"));
		fputs(" | ", out);
		md_inline(out, rget(e, "summary"));
		fputs(" | ", out);
		md_inline(out, rget(e, "source"));
		fputs(" |\n", out);
	}
	model_iter_close(&it);
	fputs("\n---\n\n", out);
	render_as_of(out, m);
	if (banners)
		render_banner(out, m);
}

/* V as JSON_INDENT(2) text DEPTH levels down in a document: every line after the first
 * indented 2 * DEPTH spaces more, as jansson writes a nested value (JSON text has no raw
 * newline inside a string).  V is released. */
static void put_nested(FILE *out, json_t *v, int depth)
{
	char *text = json_dumps(v, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII |
					   JSON_ENCODE_ANY);

	json_decref(v);
	if (!text)
		return;
	for (const char *p = text; *p; p++) {
		fputc(*p, out);
		if (*p == '\n')
			fprintf(out, "%*s", 2 * depth, "");
	}
	free(text);
}

/* One member of the document's top object: "KEY": V (released). */
static void put_member(FILE *out, size_t *n, const char *key, json_t *v)
{
	fprintf(out, "%s\"%s\": ", (*n)++ ? ",\n  " : "{\n  ", key);
	put_nested(out, v, 1);
}

static const char *const list_names[CF_KIND_COUNT] = {
	[CF_EVENT] = "events", [CF_ESTIMATE] = "estimates", [CF_NOTICE] = "notices",
	[CF_EVIDENCE] = "evidence", [CF_CUSTODY] = "custody", [CF_TASK] = "tasks",
	[CF_NOTE] = "notes", [CF_MEMBER] = "members",
};

int render_case_json(FILE *out, const struct model *m, struct cf_err *err)
{
	size_t n = 0;

	(void)err;
	put_member(out, &n, "casefile_export", json_string("case"));
	put_member(out, &n, "format_version", json_integer(1));
	put_member(out, &n, "profile", json_string(export_profile_name(m->profile)));
	put_member(out, &n, "marking", jtext(cf_record_get(&m->kase, "marking")));
	put_member(out, &n, "as_of", jtext(m->as_of_shown));
	put_member(out, &n, "mark", json_string(m->mark));
	put_member(out, &n, "operations", json_integer(m->nops));
	if (m->profile == EXPORT_PUBLIC) { /* the case's own fields are not marked public */
		json_t *c = json_object();
		json_object_set_new(c, "id", json_string(m->kase.id));
		json_object_set_new(c, "title", jtext(cf_record_get(&m->kase, "title")));
		json_object_set_new(c, "marking", jtext(cf_record_get(&m->kase, "marking")));
		put_member(out, &n, "case", c);
	} else {
		put_member(out, &n, "case", record_obj(&m->kase));
	}
	for (int k = CF_EVENT; k < CF_KIND_COUNT; k++) {
		struct model_iter it;
		size_t items = 0;
		/* Who may sign is the team's business: only in the team's own export. */
		if (k == CF_MEMBER && m->profile != EXPORT_SITREP)
			continue;
		fprintf(out, ",\n  \"%s\": [", list_names[k]);
		for (model_iter_open(&it, m, (enum cf_kind)k); model_iter_next(&it);) {
			json_t *o = record_obj(it.r);
			if (k == CF_NOTICE)
				json_object_set_new(o, "deadline",
						    notice_deadline_json(model_deadline(m, it.r)));
			fputs(items++ ? ",\n    " : "\n    ", out);
			put_nested(out, o, 2);
		}
		model_iter_close(&it);
		fputs(items ? "\n  ]" : "]", out);
	}
	fputs("\n}\n", out);
	return 0;
}
