/* fuzz_markdown.c — case text through the export templates and Markdown (export/): the input
 * becomes the case title, an event's summary and details and a note, then the briefing (every
 * profile, Markdown and HTML through cmark-gfm), the timeline table and the case as JSON are
 * written; all rolled back after. */
#include "tests/fuzz/fuzz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export/export.h"

static void put(struct store *s, enum cf_kind kind, const char *field, const char *text)
{
	struct cf_record r;
	struct cf_err err;

	cf_record_init(&r, kind);
	if (kind == CF_EVENT) {
		cf_record_set(&r, "occurred", "2019-06-01", &err);
		cf_record_set(&r, "details", text, &err);
	}
	if (cf_record_set(&r, field, text, &err) == 0)
		record_add(s, &r, &err);
	cf_record_release(&r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct export_opts opts[] = {
		{ .kind = EXPORT_BRIEFING, .profile = EXPORT_CONGRESSIONAL, .format = EXPORT_MD },
		{ .kind = EXPORT_BRIEFING, .profile = EXPORT_SITREP, .format = EXPORT_HTML },
		{ .kind = EXPORT_TIMELINE, .profile = EXPORT_SITREP, .format = EXPORT_MD },
		{ .kind = EXPORT_TIMELINE, .profile = EXPORT_SITREP, .format = EXPORT_CSV },
		{ .kind = EXPORT_CASE, .profile = EXPORT_SITREP, .format = EXPORT_JSON },
	};
	struct store *s = fuzz_store();
	struct cf_record c;
	struct cf_err err;
	char *text = malloc(size + 1);
	FILE *out = fopen("/dev/null", "w");

	if (!s || !text || !out || store_begin(s, &err) < 0)
		goto out;
	memcpy(text, data, size);
	text[size] = '\0';
	if (case_get(s, &c, &err) == 0) {
		record_set(s, CF_CASE, c.id, "title", text, &err);
		record_set(s, CF_CASE, c.id, "summary", text, &err);
		cf_record_release(&c);
	}
	put(s, CF_EVENT, "summary", text);
	put(s, CF_NOTE, "text", text);
	for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
		export_write(s, &opts[i], out, NULL, &err);
	store_rollback(s);
out:
	if (out)
		fclose(out);
	free(text);
	return 0;
}
