/* line.c — one line of a text file the user gave (an import, a rule pack), read with a bound:
 * a NUL byte or a line without end (/dev/zero, a binary file) is an error naming FILE:LINE,
 * never a silently cut value or all of memory. */
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cf_line_read(FILE *f, const char *path, long lineno, size_t max, char **buf, size_t *cap,
		 size_t *len, struct cf_err *err)
{
	size_t n = 0;
	int c;

	*len = 0;
	while ((c = getc(f)) != EOF) {
		if (c == '\0')
			return cf_error(err, CF_EINVAL, "%s:%ld: a NUL byte: not a text file", path,
					lineno);
		if (n >= max)
			return cf_error(err, CF_EINVAL, "%s:%ld: line longer than %zu bytes", path,
					lineno, max);
		if (n + 2 > *cap) {
			size_t want = *cap ? *cap * 2 : 256;
			char *p;
			if (want > max + 2)
				want = max + 2;
			if (!(p = xrealloc(*buf, want)))
				return cf_error(err, CF_ERR, "out of memory");
			*buf = p;
			*cap = want;
		}
		(*buf)[n++] = (char)c;
		if (c == '\n')
			break;
	}
	if (ferror(f))
		return cf_error(err, CF_EIO, "%s:%ld: read error", path, lineno);
	if (n == 0)
		return 0;
	(*buf)[n] = '\0';
	*len = n;
	return 1;
}
