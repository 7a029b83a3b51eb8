/* transmittal.c — what a briefing to Congress says about itself, as the template engine gives it
 * (export/templates/congressional.md lays it out): to whom (the recipients of the case's
 * notices to Congress, each once), and, under a CUI marking, the banner's parts for the CUI
 * designation indicator block. */
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

