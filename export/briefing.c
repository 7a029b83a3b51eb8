/* briefing.c — the congressional briefing (the four contents of the FISMA breach report, then
 * timeline, notifications, actions, open questions) in Markdown.  The public statement is the
 * shipped template export/templates/public.md. */
#include "export/internal.h"

#include <stdlib.h>
#include <string.h>

static int kind_in(const struct cf_record *r, const char *const *kinds)
{
	for (; *kinds; kinds++)
		if (!strcmp(rget(r, "kind"), *kinds))
			return 1;
	return 0;
}

static void show_source(FILE *out, const struct model *m, const char *text)
{
	const struct xout o = { out, md_inline };
	show_source_x(&o, m, text);
}

static void event_item(FILE *out, const struct model *m, const struct cf_record *e)
{
	fputs("- ", out);
	show_when(out, cf_record_get(e, "occurred"));
	fputs(": ", out);
	md_inline(out, rget(e, "summary"));
	if (any_source(m, rget(e, "source"))) {
		fputs(" (source: ", out);
		show_source(out, m, rget(e, "source"));
		fputc(')', out);
	}
	fputc('\n', out);
}

/* Events of KINDS (NULL = key events), as a list; TEXT_NONE when there are none. */
static void event_list(FILE *out, const struct model *m, const char *const *kinds,
		       const char *none)
{
	size_t shown = 0;
	struct model_iter it;

	for (model_iter_open(&it, m, CF_EVENT); model_iter_next(&it);) {
		if (kinds ? !kind_in(it.r, kinds) : strcmp(rget(it.r, "key"), "yes") != 0)
			continue;
		event_item(out, m, it.r);
		shown++;
	}
	model_iter_close(&it);
	if (!shown)
		fprintf(out, "%s\n", none);
	fputc('\n', out);
}

/* The headline: the largest latest estimate in people first; counts in other units after it,
 * each labelled as not people, so that no reader takes images for individuals. */
static void estimate_headline(FILE *out, const struct model *m)
{
	struct model_iter it;
	struct cf_record top;
	int others = 0, found = estimate_top(m, &top);

	fputs("**Individuals affected:** ", out);
	if (found) {
		show_range(out, &top);
		fputs(" (", out);
		md_inline(out, rget(&top, "category"));
		fputs(", as of ", out);
		show_when(out, cf_record_get(&top, "as_of"));
		fputs(").", out);
	} else {
		fputs("not yet estimated in people as of this date.", out);
	}
	cf_record_release(&top);
	for (model_iter_open(&it, m, CF_ESTIMATE); model_iter_next(&it);) {
		const struct cf_record *e = it.r;
		if (!is_latest(&it) || estimate_is_people(e))
			continue;
		fputs(others++ ? "; " : "\n\n**Other counts, not of people:** ", out);
		show_range(out, e);
		fputs(" (", out);
		md_inline(out, rget(e, "category"));
		fputs(")", out);
	}
	model_iter_close(&it);
	fputs(others ? ".\n\n" : "\n\n", out);
}

static void estimate_row(FILE *out, const struct model *m, const struct cf_record *e)
{
	fputs("| ", out);
	md_inline(out, rget(e, "category"));
	fputs(" | ", out);
	show_range(out, e);
	if (!estimate_is_people(e))
		fputs(" (not people)", out);
	fputs(" | ", out);
	show_when(out, cf_record_get(e, "as_of"));
	fputs(" | ", out);
	md_inline(out, rget(e, "confidence"));
	fputs(" | ", out);
	md_inline(out, rget(e, "method"));
	fputs(" | ", out);
	show_source(out, m, rget(e, "source"));
	fputs(" |\n", out);
}

/* The latest estimate of each category, those in people first. */
static void estimate_table(FILE *out, const struct model *m)
{
	struct model_iter it;

	if (!model_any(m, CF_ESTIMATE)) {
		fputs("No estimate recorded as of this date.\n\n", out);
		return;
	}
	estimate_headline(out, m);
	fputs("| Category | Estimate | As of | Confidence | Method | Source |\n"
	      "|---|---|---|---|---|---|\n", out);
	for (int people = 1; people >= 0; people--) {
		for (model_iter_open(&it, m, CF_ESTIMATE); model_iter_next(&it);)
			if (is_latest(&it) && estimate_is_people(it.r) == people)
				estimate_row(out, m, it.r);
		model_iter_close(&it);
	}
	fputc('\n', out);
}

static void estimate_revisions(FILE *out, const struct model *m)
{
	struct model_iter it;
	size_t n = 0;

	fputs("Revisions of the estimates, oldest first:\n\n", out);
	for (model_iter_open(&it, m, CF_ESTIMATE); model_iter_next(&it); n++) {
		const struct cf_record *e = it.r;
		fputs("- ", out);
		md_inline(out, rget(e, "category"));
		fputs(", as of ", out);
		show_when(out, cf_record_get(e, "as_of"));
		fputs(": ", out);
		show_range(out, e);
		if (*rget(e, "reason")) {
			fputs(" (", out);
			md_inline(out, rget(e, "reason"));
			fputc(')', out);
		}
		fputc('\n', out);
	}
	model_iter_close(&it);
	if (!n)
		fputs("None.\n", out);
	fputc('\n', out);
}

static void case_text(FILE *out, const struct model *m, const char *field, const char *none)
{
	const char *v = cf_record_get(&m->kase, field);
	if (v && *v)
		md_block(out, v);
	else
		fputs(none, out);
	fputs("\n\n", out);
}

static const char *const how_kinds[] = {
	"collection", "compromise", "exfiltration", "attack", "discovery", NULL
};
/* Events that bear on how many were affected and on the harm (section 2). */
static const char *const harm_kinds[] = { "estimate", "disclosure", NULL };
static const char *const action_kinds[] = {
	"containment", "investigation", "notification", "statement", "monitoring", "decision",
	NULL
};

static void header(FILE *out, const struct model *m, const char *what)
{
	const struct cf_record *c = &m->kase;

	fprintf(out, "# %s: ", what);
	md_inline(out, rget(c, "title"));
	fputs("\n\n", out);
	if (m->profile != EXPORT_PUBLIC) {
		fputs("- **Case:** ", out);
		md_inline(out, *rget(c, "codename") ? rget(c, "codename") : "(no code name)");
		fputs(" (severity: ", out);
		md_inline(out, *rget(c, "severity") ? rget(c, "severity") : "not set");
		fputs("; status: ", out);
		md_inline(out, *rget(c, "status") ? rget(c, "status") : "not set");
		fputs(")\n- **Discovered:** ", out);
		show_when(out, cf_record_get(c, "discovered"));
		if (model_federal(m)) { /* a FISMA notion: only where the federal pack is in force */
			fputs("; **reasonable basis of a major incident:** ", out);
			show_when(out, cf_record_get(c, "major_basis"));
		}
		fputc('\n', out);
	}
	if (m->profile == EXPORT_CONGRESSIONAL)
		render_transmittal_md(out, m);
	fputs("- **As of:** ", out);
	md_inline(out, m->as_of_shown);
	fputs("\n- **Traffic Light Protocol:** ", out);
	fputs(model_tlp(m), out);
	fputs("\n\n", out);
	if (m->profile != EXPORT_PUBLIC)
		render_cui_block_md(out, m);
}

static void congressional(FILE *out, const struct model *m)
{
	header(out, m, "Breach report to Congress");
	render_changes_md(out, m);
	fputs("## 1. How the breach occurred, as known on ", out);
	md_inline(out, m->as_of_date);
	fputs("\n\n", out);
	case_text(out, m, "summary", "No summary recorded as of this date.");
	event_list(out, m, how_kinds, "No event recorded as of this date.");
	fputs("## 2. Individuals affected and the risk of harm\n\n", out);
	estimate_table(out, m);
	estimate_revisions(out, m);
	fputs("Events bearing on the number affected and the harm:\n\n", out);
	event_list(out, m, harm_kinds, "None recorded as of this date.");
	fputs("**Assessment of the risk of harm.** ", out);
	case_text(out, m, "harm", "Not yet recorded as of this date.");
	fputs("## 3. Circumstances delaying notice to individuals\n\n", out);
	case_text(out, m, "notice_delay", "**Not yet determined** as of this date: the case "
		  "records no circumstance that requires delaying notice to individuals, nor that "
		  "there is none (case field notice\\_delay).");
	fputs("## 4. Whether and when individuals will be notified\n\n", out);
	case_text(out, m, "notice_plan", "**Not yet determined** as of this date: the case "
		  "records no plan to notify the individuals affected (case field notice\\_plan).");
	render_notice_table(out, m, 1);
	fputs("## 5. Key timeline\n\n", out);
	event_list(out, m, NULL, "No key event recorded.");
	fputs("## 6. Notifications made and planned\n\n", out);
	render_notice_table(out, m, 0);
	fputs("## 7. Actions taken\n\n", out);
	event_list(out, m, action_kinds, "No action recorded.");
	fputs("## 8. Open questions\n\n", out);
	render_open_questions(out, m);
}

void render_briefing_md(FILE *out, const struct model *m, int banners)
{
	if (banners) {
		render_banner(out, m);
		fputc('\n', out);
	}
	congressional(out, m);
	fputs("---\n\n", out);
	render_as_of(out, m);
	fprintf(out, "Shows only records marked for Congress or the public, TLP unset, CLEAR, "
			"GREEN%s. This product is %s.\n\n", m->tlp_amber ? " or AMBER" : "",
			model_tlp(m));
	if (banners)
		render_banner(out, m);
}
