/* fuzz_template.c — the template language (export/tmpl_*.c): the input parsed as a Markdown,
 * an HTML and a CSV template; each that parses is rendered over a case with a record of every
 * kind (the sitrep sees them all), in every format it can write.  No input may crash, hang or
 * leak: a template that does not parse is an error, never a surprise.  All rolled back. */
#include "tests/fuzz/fuzz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export/export.h"

/* A record of KIND with FIELDS ("name", "value", ..., NULL); its id into ID when not NULL. */
static void add(struct store *s, enum cf_kind kind, const char *const *fields, char *id)
{
	struct cf_record r;
	struct cf_err err;

	cf_record_init(&r, kind);
	for (; *fields; fields += 2)
		cf_record_set(&r, fields[0], fields[1], &err);
	if (record_add(s, &r, &err) == 0 && id)
		memcpy(id, r.id, CF_ID_LEN + 1);
	cf_record_release(&r);
}

static void records(struct store *s)
{
	char ev[CF_ID_LEN + 1] = "";

	add(s, CF_ESTIMATE, (const char *const[]){ "category", "travelers", "unit", "people",
		"low", "10000", "high", "99999", "as_of", "2019-06-01", NULL }, NULL);
	add(s, CF_NOTICE, (const char *const[]){ "recipient", "Congress: committees",
		"due", "2019-06-07", NULL }, NULL);
	add(s, CF_EVIDENCE, (const char *const[]){ "description", "disk image",
		"location", "locker 3", NULL }, ev);
	if (ev[0])
		add(s, CF_CUSTODY, (const char *const[]){ "evidence", ev, "action", "collected",
			"handler", "IC", "at", "2019-06-01", NULL }, NULL);
	add(s, CF_TASK, (const char *const[]){ "title", "Assess harm", "status", "open", NULL },
	    NULL);
	add(s, CF_NOTE, (const char *const[]){ "text", "Learned of it", "at", "2019-06-01",
		NULL }, NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum export_format formats[] = { EXPORT_MD, EXPORT_HTML, EXPORT_CSV };
	struct store *s = fuzz_store();
	struct cf_err err;
	FILE *out = fopen("/dev/null", "w");

	if (!s || !out || store_begin(s, &err) < 0)
		goto out;
	records(s);
	for (int type = TMPL_MD; type <= TMPL_CSV; type++) {
		struct tmpl *t;
		if (tmpl_parse("fuzz", (const char *)data, size, (enum tmpl_type)type, &t, &err) < 0)
			continue;
		for (size_t f = 0; f < sizeof(formats) / sizeof(formats[0]); f++) {
			struct export_opts o = { .kind = EXPORT_BRIEFING, .profile = EXPORT_SITREP,
						 .format = formats[f], .tmpl = t };
			if (tmpl_format_fits((enum tmpl_type)type, formats[f]))
				export_write(s, &o, out, NULL, &err);
		}
		tmpl_free(t);
	}
	store_rollback(s);
out:
	if (out)
		fclose(out);
	return 0;
}
