/* sitrep.c — the internal situation report: everything the team holds, tasks and evidence
 * included, as Markdown tables. */
#include "export/internal.h"

#include <string.h>

static void cell(FILE *out, const char *v)
{
	fputs(" ", out);
	md_inline(out, v ? v : "");
	fputs(" |", out);
}

static void when_cell(FILE *out, const char *v)
{
	fputs(" ", out);
	if (v && *v)
		show_when(out, v);
	fputs(" |", out);
}

/* Who may see R: its visibility ("internal" when unset) and, when set, its TLP, so the team
 * sees why a record is missing from a briefing. */
static void visibility_cell(FILE *out, const struct cf_record *r)
{
	const char *tlp = rget(r, "tlp");

	fputs(" ", out);
	md_inline(out, *rget(r, "visibility") ? rget(r, "visibility") : "internal");
	if (*tlp) {
		char up[CF_TIME_LEN];
		size_t i;
		for (i = 0; tlp[i] && i + 1 < sizeof(up); i++)
			up[i] = (char)(tlp[i] >= 'a' && tlp[i] <= 'z' ? tlp[i] - 'a' + 'A' : tlp[i]);
		up[i] = '\0';
		fputs(", TLP:", out);
		md_inline(out, up);
	}
	fputs(" |", out);
}

static void situation(FILE *out, const struct model *m)
{
	static const char *const clocks[][2] = {
		{ "discovered", "Discovered" }, { "aware", "Aware" },
		{ "major_basis", "Reasonable basis of a major incident" },
		{ "major_determined", "Major incident determined" },
		{ "materiality_determined", "Materiality determined" },
		{ "breach_determined", "Breach determined" },
	};
	const struct cf_record *c = &m->kase;

	fputs("## Situation\n\n| Field | Value |\n|---|---|\n", out);
	fputs("| Code name |", out);
	cell(out, rget(c, "codename"));
	fputs("\n| Status |", out);
	cell(out, rget(c, "status"));
	fputs("\n| Severity |", out);
	cell(out, rget(c, "severity"));
	fputs("\n| TLP |", out);
	cell(out, rget(c, "tlp"));
	fputs("\n| Lead |", out);
	cell(out, rget(c, "lead"));
	fputs("\n| Time zone |", out);
	cell(out, rget(c, "tz"));
	fputc('\n', out);
	for (size_t i = 0; i < sizeof(clocks) / sizeof(clocks[0]); i++) {
		if (!*rget(c, clocks[i][0]))
			continue;
		fprintf(out, "| %s |", clocks[i][1]);
		when_cell(out, rget(c, clocks[i][0]));
		fputc('\n', out);
	}
	fputs("\n", out);
	if (*rget(c, "summary")) {
		md_block(out, rget(c, "summary"));
		fputs("\n\n", out);
	}
}

static void population(FILE *out, const struct model *m)
{
	struct model_iter it;

	fputs("## Population estimates\n\n", out);
	if (!model_any(m, CF_ESTIMATE)) {
		fputs("None recorded.\n\n", out);
	} else {
		fputs("| Category | Estimate | As of | Confidence | Method | Reason | Visibility |"
		      " Latest |\n|---|---|---|---|---|---|---|---|\n", out);
		for (model_iter_open(&it, m, CF_ESTIMATE); model_iter_next(&it);) {
			const struct cf_record *e = it.r;
			fputs("|", out);
			cell(out, rget(e, "category"));
			fputs(" ", out);
			show_range(out, e);
			fputs(" |", out);
			when_cell(out, rget(e, "as_of"));
			cell(out, rget(e, "confidence"));
			cell(out, rget(e, "method"));
			cell(out, rget(e, "reason"));
			cell(out, *rget(e, "visibility") ? rget(e, "visibility") : "internal");
			cell(out, is_latest(&it) ? "yes" : "");
			fputc('\n', out);
		}
		model_iter_close(&it);
		fputc('\n', out);
	}
	fputs("**Risk of harm.** ", out);
	if (*rget(&m->kase, "harm"))
		md_block(out, rget(&m->kase, "harm"));
	else
		fputs("Not yet recorded.", out);
	fputs("\n\n**Delay of notice to individuals.** ", out);
	if (*rget(&m->kase, "notice_delay"))
		md_block(out, rget(&m->kase, "notice_delay"));
	else
		fputs("None recorded.", out);
	fputs("\n\n**Notice to individuals.** ", out);
	if (*rget(&m->kase, "notice_plan"))
		md_block(out, rget(&m->kase, "notice_plan"));
	else
		fputs("Not yet decided.", out);
	fputs("\n\n", out);
}

static void timeline(FILE *out, const struct model *m)
{
	struct model_iter it;

	fputs("## Timeline\n\n", out);
	if (!model_any(m, CF_EVENT)) {
		fputs("None recorded.\n\n", out);
		return;
	}
	fputs("| When | Kind | Summary | Learned | Source | Key | Visibility |\n"
	      "|---|---|---|---|---|---|---|\n", out);
	for (model_iter_open(&it, m, CF_EVENT); model_iter_next(&it);) {
		const struct cf_record *e = it.r;
		fputs("|", out);
		when_cell(out, rget(e, "occurred"));
		cell(out, rget(e, "kind"));
		cell(out, rget(e, "summary"));
		when_cell(out, rget(e, "learned"));
		cell(out, rget(e, "source"));
		cell(out, rget(e, "key"));
		visibility_cell(out, e);
		fputc('\n', out);
	}
	model_iter_close(&it);
	fputc('\n', out);
}

static void tasks(FILE *out, const struct model *m)
{
	struct model_iter it;

	fputs("## Tasks\n\n", out);
	if (!model_any(m, CF_TASK)) {
		fputs("None recorded.\n\n", out);
		return;
	}
	fputs("| Task | Owner | Due | Status | Priority |\n|---|---|---|---|---|\n", out);
	for (model_iter_open(&it, m, CF_TASK); model_iter_next(&it);) {
		const struct cf_record *t = it.r;
		fputs("|", out);
		cell(out, rget(t, "title"));
		cell(out, rget(t, "owner"));
		when_cell(out, rget(t, "due"));
		cell(out, rget(t, "status"));
		cell(out, rget(t, "priority"));
		fputc('\n', out);
	}
	model_iter_close(&it);
	fputc('\n', out);
}

static void custody_of(FILE *out, const struct model *m, const char *evidence_id)
{
	struct model_iter it;

	for (model_iter_open(&it, m, CF_CUSTODY); model_iter_next(&it);) {
		const struct cf_record *c = it.r;
		if (strcmp(rget(c, "evidence"), evidence_id) != 0)
			continue;
		fputs("  - ", out);
		show_when(out, rget(c, "at"));
		fputs(": ", out);
		md_inline(out, rget(c, "action"));
		fputs(" by ", out);
		md_inline(out, rget(c, "handler"));
		if (*rget(c, "location")) {
			fputs(" at ", out);
			md_inline(out, rget(c, "location"));
		}
		fputc('\n', out);
	}
	model_iter_close(&it);
}

static void evidence(FILE *out, const struct model *m)
{
	struct model_iter it;

	fputs("## Evidence\n\n", out);
	if (!model_any(m, CF_EVIDENCE))
		fputs("None recorded.\n", out);
	for (model_iter_open(&it, m, CF_EVIDENCE); model_iter_next(&it);) {
		const struct cf_record *e = it.r;
		fputs("- ", out);
		md_inline(out, rget(e, "description"));
		fputs(" (collected ", out);
		show_when(out, rget(e, "collected_at"));
		fputs(" by ", out);
		md_inline(out, *rget(e, "collected_by") ? rget(e, "collected_by") : "unknown");
		fputs("; held by ", out);
		md_inline(out, *rget(e, "holder") ? rget(e, "holder") : "unknown");
		fputs("; location: ", out);
		md_inline(out, *rget(e, "location") ? rget(e, "location") : "unknown");
		if (*rget(e, "sha256")) {
			fputs("; SHA-256 ", out);
			md_inline(out, rget(e, "sha256"));
		}
		fputs(")\n", out);
		custody_of(out, m, e->id);
	}
	model_iter_close(&it);
	fputc('\n', out);
}

static void notes(FILE *out, const struct model *m)
{
	struct model_iter it;

	fputs("## Log\n\n", out);
	if (!model_any(m, CF_NOTE))
		fputs("None recorded.\n", out);
	for (model_iter_open(&it, m, CF_NOTE); model_iter_next(&it);) {
		const struct cf_record *n = it.r;
		fputs("- ", out);
		show_when(out, rget(n, "at"));
		fputs(", ", out);
		md_inline(out, rget(n, "author"));
		fputs(": ", out);
		md_inline(out, rget(n, "text"));
		fputc('\n', out);
	}
	model_iter_close(&it);
	fputc('\n', out);
}

void render_sitrep_md(FILE *out, const struct model *m, int banners)
{
	if (banners) {
		render_banner(out, m);
		fputc('\n', out);
	}
	fputs("# Situation report: ", out);
	md_inline(out, rget(&m->kase, "title"));
	fputs("\n\n- **As of:** ", out);
	md_inline(out, m->as_of_shown);
	fputs("\n- **Internal:** the response team only; not for release.\n\n", out);
	render_changes_md(out, m);
	situation(out, m);
	population(out, m);
	fputs("## Notifications\n\n", out);
	render_notice_table(out, m, 0);
	timeline(out, m);
	tasks(out, m);
	evidence(out, m);
	notes(out, m);
	fputs("## Open questions\n\n", out);
	render_open_questions(out, m);
	fputs("---\n\n", out);
	render_as_of(out, m);
	if (banners)
		render_banner(out, m);
}
