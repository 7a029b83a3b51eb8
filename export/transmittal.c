/* transmittal.c — what a briefing to Congress says about itself: to whom (the recipients of the
 * case's notices to Congress), from whom, the point of contact and the transmittal date (case
 * fields), and, under a CUI marking, the CUI designation indicator block.  An unset field is
 * said to be not yet recorded, naming the case field that holds it. */
#include "export/internal.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* WORD (lowercase ASCII) in TEXT, whatever the case of TEXT. */
static int has_word(const char *text, const char *word)
{
	size_t n = strlen(word);

	for (; *text; text++)
		if (strncasecmp(text, word, n) == 0)
			return 1;
	return 0;
}

/* A notice to Congress: its recipient names Congress or a committee. */
int to_congress(const struct cf_record *n)
{
	const char *r = cf_record_get(n, "recipient");
	return r && (has_word(r, "congress") || has_word(r, "committee"));
}

int first_to_congress(const struct model *m, const struct model_iter *it)
{
	const char *r = cf_record_get(it->r, "recipient");
	struct model_iter before;
	int seen = 0;

	if (!to_congress(it->r))
		return 0;
	/* each recipient once */
	for (model_iter_open(&before, m, CF_NOTICE); !seen && model_iter_next(&before) &&
						     before.i < it->i;)
		seen = to_congress(before.r) && !strcmp(cf_record_get(before.r, "recipient"), r);
	model_iter_close(&before);
	return !seen;
}

static void addressees(FILE *out, const struct model *m)
{
	struct model_iter it;
	size_t shown = 0;

	for (model_iter_open(&it, m, CF_NOTICE); model_iter_next(&it);) {
		if (!first_to_congress(m, &it))
			continue;
		fputs(shown++ ? "; " : "", out);
		md_inline(out, cf_record_get(it.r, "recipient"));
	}
	model_iter_close(&it);
	if (!shown)
		fputs("**not yet determined** (the case records no notice to Congress or a "
		      "committee)", out);
}

static void field_or_missing(FILE *out, const struct model *m, const char *field)
{
	const char *v = cf_record_get(&m->kase, field);

	if (v && *v) {
		md_inline(out, v);
		return;
	}
	fputs("**not yet recorded** (case field ", out);
	md_inline(out, field);
	fputc(')', out);
}

void render_transmittal_md(FILE *out, const struct model *m)
{
	fputs("- **To:** ", out);
	addressees(out, m);
	fputs("\n- **From:** ", out);
	field_or_missing(out, m, "sending_official");
	fputs("\n- **Point of contact:** ", out);
	field_or_missing(out, m, "poc");
	fputs("\n- **Transmittal date:** ", out);
	field_or_missing(out, m, "transmittal");
	fputc('\n', out);
}

/* The part of a CUI banner ("CUI//SP-PRVCY//FEDCON") after its Nth "//" up to the next one,
 * copied into BUF; "" when there is none. */
static void banner_part(const char *banner, int nth, char *buf, size_t len)
{
	const char *p = banner, *end;

	buf[0] = '\0';
	for (int i = 0; i < nth && p; i++)
		if ((p = strstr(p, "//")))
			p += 2;
	if (!p || !*p)
		return;
	end = strstr(p, "//");
	snprintf(buf, len, "%.*s", (int)(end ? (size_t)(end - p) : strlen(p)), p);
}

/* A line of the block: the case field, else what the banner says (so labelled), else a
 * visible "not yet recorded". */
static void cui_line(FILE *out, const struct model *m, const char *label, const char *field,
		     const char *from_banner, const char *none)
{
	const char *v = cf_record_get(&m->kase, field);

	fprintf(out, "> %s: ", label);
	if (v && *v)
		md_inline(out, v);
	else if (from_banner && *from_banner) {
		md_inline(out, from_banner);
		fputs(" (from the banner)", out);
	} else {
		fputs(none, out);
		fputs(" (case field ", out);
		md_inline(out, field);
		fputc(')', out);
	}
	fputs("  \n", out);
}

int model_cui(const struct model *m)
{
	const char *mark = cf_record_get(&m->kase, "marking");
	return mark && (!strncmp(mark, "CUI", 3) || !strncmp(mark, "CONTROLLED", 10));
}

void cui_banner_parts(const struct model *m, char *category, char *ldc, size_t len)
{
	const char *mark = cf_record_get(&m->kase, "marking");

	category[0] = ldc[0] = '\0';
	if (!model_cui(m))
		return;
	banner_part(mark, 1, category, len);
	banner_part(mark, 2, ldc, len);
}

void render_cui_block_md(FILE *out, const struct model *m)
{
	char category[CF_PHRASE_LEN], ldc[CF_PHRASE_LEN]; /* parts of a banner: short words */

	if (!model_cui(m))
		return;
	cui_banner_parts(m, category, ldc, sizeof(category));
	/* The designation indicator of 32 CFR 2002.20 as NARA's CUI Marking Handbook lays it out:
	 * the designating agency, the categories, dissemination controls, a point of contact. */
	fputs("> **CUI designation indicator**  \n", out);
	cui_line(out, m, "Controlled by", "cui_controlled_by", NULL, "**not yet recorded**");
	cui_line(out, m, "CUI Category", "cui_category", category, "**not yet recorded**");
	cui_line(out, m, "Limited Dissemination Control", "cui_dissemination", ldc,
		 "none in the banner");
	cui_line(out, m, "POC", "poc", NULL, "**not yet recorded**");
	fputc('\n', out);
}
