/* markdown.c — the Markdown pieces every report shares (briefing, sitrep, timeline, changes,
 * custody): the marking banner, the "as of" line, times and estimate ranges as shown, the
 * notifications table and the open questions.  Each report file calls these, never each
 * other. */
#include "export/internal.h"

#include <stdlib.h>
#include <string.h>

void md_banner(FILE *out, const char *marking)
{
	fputs("**", out);
	md_inline(out, marking && *marking ? marking : "UNMARKED");
	fputs("**\n", out);
}

void render_banner(FILE *out, const struct model *m)
{
	md_banner(out, cf_record_get(&m->kase, "marking"));
}

void show_when(FILE *out, const char *value)
{
	const char *slash = value ? strchr(value, '/') : NULL;
	char *start;

	if (!value || !*value) {
		fputs("unknown", out);
		return;
	}
	if (!slash) {
		md_inline(out, value);
		return;
	}
	start = xstrndup(value, (size_t)(slash - value));
	md_inline(out, start);
	fputs(" to ", out);
	md_inline(out, slash + 1);
	free(start);
}

/* "184,000" from "184000"; the text itself when it is not a plain number. */
static void show_count(FILE *out, const char *v)
{
	size_t n = strlen(v), lead;

	if (!n || strspn(v, "0123456789") != n) {
		md_inline(out, v);
		return;
	}
	lead = n % 3 ? n % 3 : 3;
	fwrite(v, 1, lead, out);
	for (size_t i = lead; i < n; i += 3) {
		fputc(',', out);
		fwrite(v + i, 1, 3, out);
	}
}

/* An estimate's range in words: "10,000 to 99,999 images", "about 184,000 images". */
void show_range(FILE *out, const struct cf_record *e)
{
	const char *lo = rget(e, "low"), *best = rget(e, "best"), *hi = rget(e, "high");

	if (*lo && *hi) {
		show_count(out, lo);
		fputs(" to ", out);
		show_count(out, hi);
		if (*best) {
			fputs(", best estimate ", out);
			show_count(out, best);
		}
	} else if (*best) {
		fputs("about ", out);
		show_count(out, best);
		if (*lo || *hi) {
			fputs(*lo ? " (at least " : " (at most ", out);
			show_count(out, *lo ? lo : hi);
			fputs(")", out);
		}
	} else if (*hi) {
		fputs("at most ", out);
		show_count(out, hi);
	} else if (*lo) {
		fputs("at least ", out);
		show_count(out, lo);
	} else {
		fputs("not yet estimated", out);
	}
	fputc(' ', out);
	md_inline(out, rget(e, "unit"));
}

void render_as_of(FILE *out, const struct model *m)
{
	fputs("*As of ", out);
	md_inline(out, m->as_of_shown);
	fputs(".*\n\n", out);
}

/* The latest estimate of each category (the list is sorted by category, then as-of). */
int is_latest(const struct model_iter *it)
{
	return !it->ahead || strcmp(rget(it->r, "category"), rget(it->ahead, "category")) != 0;
}

static int names_individuals(const struct cf_record *n)
{
	const char *r = rget(n, "recipient");
	return strstr(r, "ndividual") || strstr(r, "ravelers") || strstr(r, "ata subjects");
}

/* Due time and status as the deadline engine has them at the briefing's moment. */
static void notice_row(FILE *out, const struct model *m, const struct cf_record *n)
{
	const struct cf_deadline *d = model_deadline(m, n);

	fputs("| ", out);
	md_inline(out, rget(n, "recipient"));
	fputs(" | ", out);
	md_inline(out, rget(n, "rule"));
	fputs(" | ", out);
	if (d && d->has_due)
		show_when(out, d->due_local);
	else
		fputs("not set", out);
	fputs(" | ", out);
	md_inline(out, d ? cf_dl_status_name(d->status) : rget(n, "status"));
	fputs(" | ", out);
	if (cf_record_get(n, "sent"))
		show_when(out, cf_record_get(n, "sent"));
	fputs(" | ", out);
	md_inline(out, rget(n, "reference"));
	fputs(" |\n", out);
}

void render_notice_table(FILE *out, const struct model *m, int individuals_only)
{
	struct model_iter it;
	size_t shown = 0;

	for (model_iter_open(&it, m, CF_NOTICE); model_iter_next(&it);) {
		if (individuals_only && !names_individuals(it.r))
			continue;
		if (!shown++)
			fputs("| Recipient | Rule | Due | Status | Sent | Reference |\n"
			      "|---|---|---|---|---|---|\n", out);
		notice_row(out, m, it.r);
	}
	model_iter_close(&it);
	if (!shown)
		fputs(individuals_only ? "No notification of individuals is recorded.\n"
				       : "No notification recorded.\n", out);
	fputc('\n', out);
}

/* What is not known yet: uncertain estimates, missing required contents, open tasks the
 * audience may see. */
void render_open_questions(FILE *out, const struct model *m)
{
	struct model_iter it;
	size_t shown = 0;

	for (model_iter_open(&it, m, CF_ESTIMATE); model_iter_next(&it);) {
		const struct cf_record *r = it.r;
		if (!is_latest(&it) || (!strcmp(rget(r, "confidence"), "high") &&
					 *rget(r, "best")))
			continue;
		fputs("- The number of ", out);
		md_inline(out, rget(r, "category"));
		fputs(" is uncertain: ", out);
		show_range(out, r);
		fputs(*rget(r, "confidence") ? " (confidence: " : " (confidence not stated", out);
		md_inline(out, rget(r, "confidence"));
		fputs(").\n", out);
		shown++;
	}
	model_iter_close(&it);
	if (m->profile != EXPORT_PUBLIC) {
		static const char *const need[][2] = {
			{ "harm", "The assessment of the risk of harm is not yet recorded." },
			{ "notice_plan", "Whether and when individuals will be notified is not yet "
					 "decided." },
		};
		for (size_t i = 0; i < 2; i++)
			if (!*rget(&m->kase, need[i][0]) && ++shown)
				fprintf(out, "- %s\n", need[i][1]);
	}
	for (model_iter_open(&it, m, CF_TASK); model_iter_next(&it);) {
		const struct cf_record *t = it.r;
		const char *st = rget(t, "status");
		if (strcmp(st, "open") && strcmp(st, "doing") && strcmp(st, "blocked"))
			continue;
		fputs("- Open task: ", out);
		md_inline(out, rget(t, "title"));
		fputs(" (", out);
		md_inline(out, *rget(t, "owner") ? rget(t, "owner") : "no owner");
		if (*rget(t, "due")) {
			fputs(", due ", out);
			show_when(out, rget(t, "due"));
		}
		fputs(")\n", out);
		shown++;
	}
	model_iter_close(&it);
	if (!shown)
		fputs("None recorded.\n", out);
	fputc('\n', out);
}
