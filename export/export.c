/* export.c — one export: the options checked, the case read (rebuilt from the operation log
 * when "as of" a past time), the model rendered in the asked format. */
#include "export/tmpl_internal.h"

#include <stdlib.h>
#include <string.h>

static const char *const kind_names[] = { "briefing", "timeline", "case", "custody", "veris",
					       NULL };
static const char *const format_names[] = { "md", "html", "json", "csv", "jsonl", "pdf",
						 NULL };
static const char *const profile_names[] = { "congressional", "sitrep", "public", NULL };

static int find(const char *const *names, const char *name)
{
	for (int i = 0; name && names[i]; i++)
		if (!strcmp(names[i], name))
			return i;
	return -1;
}

int export_kind_parse(const char *name)
{
	return find(kind_names, name);
}

int export_format_parse(const char *name)
{
	return find(format_names, name);
}

int export_profile_parse(const char *name)
{
	return find(profile_names, name);
}

const char *export_kind_name(enum export_kind k)
{
	return kind_names[k];
}

const char *export_format_name(enum export_format f)
{
	return format_names[f];
}

const char *export_profile_name(enum export_profile p)
{
	return profile_names[p];
}

enum export_format export_default_format(enum export_kind k)
{
	return k == EXPORT_BRIEFING || k == EXPORT_CUSTODY ? EXPORT_MD
	       : k == EXPORT_TIMELINE			 ? EXPORT_CSV
							 : EXPORT_JSON;
}

enum export_profile export_default_profile(enum export_kind k)
{
	return k == EXPORT_BRIEFING ? EXPORT_CONGRESSIONAL : EXPORT_SITREP;
}

int export_format_fits(enum export_kind k, enum export_format f)
{
	switch (k) {
	case EXPORT_BRIEFING:
		return f == EXPORT_MD || f == EXPORT_HTML || f == EXPORT_JSON || f == EXPORT_PDF;
	case EXPORT_TIMELINE:
		return f == EXPORT_CSV || f == EXPORT_JSONL || f == EXPORT_MD || f == EXPORT_HTML ||
		       f == EXPORT_PDF;
	case EXPORT_CASE:
		return f == EXPORT_JSON;
	case EXPORT_CUSTODY:
		return f == EXPORT_MD || f == EXPORT_HTML || f == EXPORT_JSON || f == EXPORT_PDF;
	case EXPORT_VERIS:
		return f == EXPORT_JSON;
	}
	return 0;
}

/* A briefing's Markdown through template T: the engine, not the template, puts the marking
 * banner at the top and the bottom, so no template can leave it out. */
static int render_tmpl_md(FILE *out, const struct model *m, const struct tmpl *t, int banners,
			  struct cf_err *err)
{
	int rc;

	if (banners) {
		render_banner(out, m);
		fputc('\n', out);
	}
	if ((rc = tmpl_render(t, m, out, err)) < 0)
		return rc;
	if (banners)
		render_banner(out, m);
	return 0;
}

static int render_md(FILE *out, const struct model *m, enum export_kind k,
		     const struct tmpl *t, int banners, struct cf_err *err)
{
	if (k == EXPORT_BRIEFING) /* every briefing has its template (profile_template) */
		return render_tmpl_md(out, m, t, banners, err);
	render_timeline_md(out, m, banners);
	return 0;
}

/* What render_html_page's Markdown writer gets. */
struct page {
	const struct model *m;
	enum export_kind kind;
	const struct tmpl *t;
};

static const char *title_word(const struct model *m, enum export_kind k)
{
	if (k == EXPORT_TIMELINE)
		return "Timeline";
	return m->profile == EXPORT_SITREP ? "Situation report"
	       : m->profile == EXPORT_PUBLIC ? "Public statement" : "Breach report to Congress";
}

/* The Markdown of M (without banners: the page has its own) for render_html_page. */
static int page_md(FILE *out, const void *ctx, struct cf_err *err)
{
	const struct page *pg = ctx;
	int rc = render_md(out, pg->m, pg->kind, pg->t, 0, err);

	return rc < 0 ? rc : model_failed(pg->m, err);
}

static void shown_as_of(struct model *m, const struct cf_moment *mo)
{
	char local[CF_TIME_LEN];

	if (mo) {
		/* The date part is section 1's "as known on". */
		snprintf(m->as_of_date, sizeof(m->as_of_date), "%.10s",
			 mo->known_at != CF_NO_MOMENT ? mo->known_at_text : mo->as_of_text);
		cf_moment_describe(mo, m->as_of_shown, sizeof(m->as_of_shown));
	} else if (mark_local(m->mark, m->tz, local, sizeof(local)) == 0) {
		snprintf(m->as_of_date, sizeof(m->as_of_date), "%.10s", local);
		snprintf(m->as_of_shown, sizeof(m->as_of_shown),
			 "%s, the latest recorded change", local);
	} else {
		snprintf(m->as_of_date, sizeof(m->as_of_date), "this date");
		snprintf(m->as_of_shown, sizeof(m->as_of_shown), "no recorded change");
	}
}

/* A PDF's page options for M: its banner, WHAT and title, the paper, and its date, which is
 * the moment it shows (into DATE), never the wall clock. */
static void pdf_opts_for(const struct model *m, const struct export_opts *o, const char *what,
			 char date[CF_TIME_LEN], struct pdf_opts *po)
{
	*po = (struct pdf_opts){ cf_record_get(&m->kase, "marking"), what,
				 rget(&m->kase, "title"), date, o->paper_a4, NULL, 0 };
	if (m->limit)
		cf_time_utc(m->limit, date, CF_TIME_LEN);
	else
		snprintf(date, CF_TIME_LEN, "%.19sZ", m->mark[0] ? m->mark : "1970-01-01T00:00:00");
}

static int render(FILE *out, struct model *m, const struct export_opts *o, struct cf_err *err)
{
	char date[CF_TIME_LEN];

	if (o->kind == EXPORT_CUSTODY) {
		struct pdf_opts po;
		pdf_opts_for(m, o, "Chain of custody", date, &po);
		return render_custody(out, m->s, o->format, &po, err);
	}
	if (o->kind == EXPORT_VERIS)
		return render_veris(out, m, err);
	/* A template of HTML or CSV writes the whole file itself. */
	if (o->tmpl && tmpl_get_type(o->tmpl) != TMPL_MD)
		return tmpl_render(o->tmpl, m, out, err);
	switch (o->format) {
	case EXPORT_MD:
		return render_md(out, m, o->kind, o->tmpl, 1, err);
	case EXPORT_HTML: {
		const struct page pg = { m, o->kind, o->tmpl };
		struct chart *ch = NULL;
		size_t nch = o->kind == EXPORT_BRIEFING ? charts_build(m, &ch) : 0;
		int rc = render_html_page_charts(out, cf_record_get(&m->kase, "marking"),
						 title_word(m, o->kind), rget(&m->kase, "title"),
						 page_md, &pg, ch, nch, err);
		charts_free(ch, nch);
		return rc;
	}
	case EXPORT_PDF: {
		const struct page pg = { m, o->kind, o->tmpl };
		struct pdf_opts po;
		int rc;
		pdf_opts_for(m, o, title_word(m, o->kind), date, &po);
		if (o->kind == EXPORT_BRIEFING)
			po.ncharts = charts_build(m, (struct chart **)&po.charts);
		rc = render_pdf_page(out, &po, page_md, &pg, err);
		charts_free((struct chart *)po.charts, po.ncharts);
		return rc;
	}
	case EXPORT_JSON:
		return render_case_json(out, m, err);
	case EXPORT_CSV:
		render_timeline_csv(out, m);
		return 0;
	case EXPORT_JSONL:
		render_timeline_jsonl(out, m);
		return 0;
	}
	return cf_error(err, CF_EINVAL, "unknown format");
}

/* The previous version through O's callback, now that the model's mark is known. */
static int previous(struct model *m, const struct export_opts *o, char prev_mark[CF_TIME_LEN],
		    char prev_label[CF_NUM_LEN], struct cf_err *err)
{
	int rc;

	if (o->kind != EXPORT_BRIEFING || o->prev_mark || !o->find_prev)
		return 0;
	rc = o->find_prev(m->mark, prev_mark, prev_label, o->find_prev_ctx, err);
	if (rc == 0) {
		m->prev_mark = prev_mark;
		m->prev_label = prev_label;
	}
	return rc == CF_ENOTFOUND ? 0 : rc;
}

/* The profiles written in the template language: their briefings in Markdown, HTML and PDF
 * are the shipped templates of their names (export/templates/, DATADIR/templates). */
static int profile_template(const struct export_opts *o, struct tmpl **t, struct cf_err *err)
{
	*t = NULL;
	if (o->tmpl || o->kind != EXPORT_BRIEFING || !tmpl_format_fits(TMPL_MD, o->format))
		return 0;
	return tmpl_open_shipped(export_profile_name(o->profile), t, err);
}

static int export_model(struct store *s, const struct export_opts *o, FILE *out,
			struct export_info *info, struct cf_err *err);

int export_write(struct store *s, const struct export_opts *o_in, FILE *out,
		 struct export_info *info, struct cf_err *err)
{
	struct export_opts o = *o_in;
	struct tmpl *t;
	int rc;

	if ((rc = profile_template(o_in, &t, err)) < 0)
		return rc;
	if (t)
		o.tmpl = t;
	rc = export_model(s, &o, out, info, err);
	tmpl_free(t);
	return rc;
}

static int export_model(struct store *s, const struct export_opts *o, FILE *out,
			struct export_info *info, struct cf_err *err)
{
	struct store *mem = NULL, *src = s;
	struct model m;
	char prev_mark[CF_TIME_LEN], prev_label[CF_NUM_LEN];
	int rc;

	if (o->tmpl && o->kind != EXPORT_BRIEFING)
		return cf_error(err, CF_EINVAL, "only a briefing is written from a template");
	if (o->tmpl && !tmpl_format_fits(tmpl_get_type(o->tmpl), o->format))
		return cf_error(err, CF_EINVAL, "a %s template cannot write %s (a .md template "
				"writes md, html or pdf; .html html; .csv csv)",
				tmpl_type_ext(tmpl_get_type(o->tmpl)), export_format_name(o->format));
	if (!o->tmpl && !export_format_fits(o->kind, o->format))
		return cf_error(err, CF_EINVAL, "a %s has no %s format", export_kind_name(o->kind),
				export_format_name(o->format));
	/* A moment not yet applied (the command line applies it when it opens the case). */
	if ((o->as_of || o->known_at) && !store_view(s)) {
		struct cf_moment mo;
		if ((rc = cf_moment_parse(s, o->as_of, o->known_at, &mo, err)) < 0 ||
		    (rc = store_view_open(s, &mo, &mem, err)) < 0)
			return rc;
		store_set_progress(mem, store_progress(s));
		src = mem;
	}
	/* Statuses at the moment viewed, or now (the moment the export is made). */
	rc = model_load(src, o, store_now(src), &m, err);
	if (rc == 0) {
		m.prev_mark = o->prev_mark;
		m.prev_label = o->prev_label;
		rc = previous(&m, o, prev_mark, prev_label, err);
	}
	if (rc == 0) {
		shown_as_of(&m, store_view(src));
		if (o->kind == EXPORT_BRIEFING)
			rc = changes_load(&m, err);
		if (rc == 0)
			rc = render(out, &m, o, err);
		if (rc == 0)
			rc = model_failed(&m, err);
		if (info) {
			memcpy(info->mark, m.mark, sizeof(info->mark));
			info->nops = m.nops;
			cf_strlcpy(info->prev_mark, m.prev_mark, sizeof(info->prev_mark));
			cf_strlcpy(info->prev_label, m.prev_label, sizeof(info->prev_label));
		}
	}
	if (rc == 0 && ferror(out))
		rc = cf_error(err, CF_EIO, "write failed");
	if (rc == 0)
		progress_finish(&m.prog);
	else
		progress_stop(&m.prog);
	model_release(&m);
	store_close(mem);
	return rc;
}
