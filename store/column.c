/* column.c — reading values back from the database.  Every value is untrusted: a damaged file
 * (or a hand edit) can hold NULL where the schema says NOT NULL, any type in any column and any
 * number, so each read says what it needs and a value that does not fit is an error. */
#include "store/internal.h"

#include <stdlib.h>
#include <string.h>

static int damaged(sqlite3_stmt *st, int col, struct cf_err *err, const char *what)
{
	const char *table = sqlite3_column_table_name(st, col);
	const char *name = sqlite3_column_origin_name(st, col);

	if (!name)
		name = sqlite3_column_name(st, col);
	return cf_error(err, CF_EDB, "damaged database: %s%s%s %s (run casefile verify)",
			table ? table : "", table ? "." : "", name ? name : "?", what);
}

/* NULL text: out of memory, or a NULL the schema forbids. */
static int no_text(sqlite3_stmt *st, int col, struct cf_err *err)
{
	if (sqlite3_errcode(sqlite3_db_handle(st)) == SQLITE_NOMEM)
		return cf_error(err, CF_ERR, "out of memory");
	return damaged(st, col, err, "is NULL where a value is required");
}

const char *col_text(sqlite3_stmt *st, int col, struct cf_err *err)
{
	const char *t = (const char *)sqlite3_column_text(st, col);

	if (!t)
		no_text(st, col, err);
	return t;
}

int col_copy(char *dst, size_t len, sqlite3_stmt *st, int col, struct cf_err *err)
{
	const char *t = (const char *)sqlite3_column_text(st, col);
	size_t n;

	dst[0] = '\0';
	if (!t)
		return no_text(st, col, err);
	if ((n = strlen(t)) >= len)
		return damaged(st, col, err, "is longer than it can be");
	memcpy(dst, t, n + 1);
	return 0;
}

int col_copy_or_empty(char *dst, size_t len, sqlite3_stmt *st, int col, struct cf_err *err)
{
	dst[0] = '\0';
	return sqlite3_column_type(st, col) == SQLITE_NULL ? 0 : col_copy(dst, len, st, col, err);
}

int col_dup(char **out, sqlite3_stmt *st, int col, int required, struct cf_err *err)
{
	const char *t;

	*out = NULL;
	if (!required && sqlite3_column_type(st, col) == SQLITE_NULL)
		return 0;
	if (!(t = (const char *)sqlite3_column_text(st, col)))
		return no_text(st, col, err);
	if (!(*out = xstrdup(t)))
		return cf_error(err, CF_ERR, "out of memory");
	return 0;
}

int col_int(int64_t *out, sqlite3_stmt *st, int col, int64_t min, int64_t max,
	    struct cf_err *err)
{
	*out = 0;
	if (sqlite3_column_type(st, col) != SQLITE_INTEGER)
		return damaged(st, col, err, "is not a whole number");
	*out = sqlite3_column_int64(st, col);
	if (*out < min || *out > max) {
		*out = 0;
		return damaged(st, col, err, "is out of range");
	}
	return 0;
}
