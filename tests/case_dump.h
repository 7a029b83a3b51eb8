/* case_dump.h — what the sync tests compare between replicas: a query's rows as text, and the
 * whole case as `export case --format json` writes it (the sitrep profile: everything). */
#ifndef CASEFILE_TEST_CASE_DUMP_H
#define CASEFILE_TEST_CASE_DUMP_H

#include <sqlite3.h>
#include <stdio.h>

#include "export/export.h"
#include "store/store.h"

/* The rows of SQL, each column followed by '|', NULL as "NULL"; the caller frees. */
static inline char *dump(struct store *s, const char *sql)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	sqlite3_stmt *st;

	assert_int_equal(sqlite3_prepare_v2(store_db(s), sql, -1, &st, NULL), SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		for (int i = 0; i < sqlite3_column_count(st); i++)
			fprintf(f, "%s|", sqlite3_column_text(st, i) ? (const char *)
					  sqlite3_column_text(st, i) : "NULL");
		fputc('\n', f);
	}
	sqlite3_finalize(st);
	fclose(f);
	return buf;
}

/* `export case --format json`, as bytes; the caller frees. */
static inline char *export_case(struct store *s)
{
	struct export_opts o = { .kind = EXPORT_CASE, .format = EXPORT_JSON };
	struct cf_err err;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	o.profile = export_default_profile(EXPORT_CASE);
	if (export_write(s, &o, f, NULL, &err) < 0)
		fail_msg("export case: %s", err.msg);
	fclose(f);
	return buf;
}

#endif
