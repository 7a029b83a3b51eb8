/* xalloc.c — allocation that cannot fail: out of memory ends the process (xalloc.h says why). */
#include "store/xalloc.h"
#include "store/text.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void xalloc_die(size_t size)
{
	char msg[80];
	int n = snprintf(msg, sizeof(msg), "casefile: out of memory (allocating %zu bytes)\n",
			 size);

	/* write(2), not stdio: stderr's buffer may itself need memory.  Nothing to do if even
	 * that fails: the exit status still says it. */
	if (n > 0 && write(STDERR_FILENO, msg, (size_t)n) < 0)
		n = 0;
	exit(1);
}

void *xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);

	if (!p)
		xalloc_die(size);
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p;

	if (size && n > SIZE_MAX / size)
		xalloc_die(SIZE_MAX);
	p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		xalloc_die(n * size);
	return p;
}

void *xrealloc(void *p, size_t size)
{
	void *q = realloc(p, size ? size : 1);

	if (!q)
		xalloc_die(size);
	return q;
}

void *xreallocarray(void *p, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		xalloc_die(SIZE_MAX);
	return xrealloc(p, n * size);
}

char *xstrndup(const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *p = xmalloc(len + 1);

	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, SIZE_MAX);
}

char *xstrdup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

char *xvasprintf(const char *fmt, va_list ap)
{
	va_list cp;
	int n;
	char *p;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0) /* an encoding error: the text is not representable; keep it empty */
		return xstrdup("");
	p = xmalloc((size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	p = xvasprintf(fmt, ap);
	va_end(ap);
	return p;
}

int cf_strlcpy(char *dst, const char *src, size_t size)
{
	size_t len;

	if (!src) /* a NULL column or field copies as empty, never a crash */
		src = "";
	len = strlen(src);

	if (size == 0)
		return len > 0;
	if (len >= size) {
		/* cut before a whole UTF-8 character, never inside one */
		len = cf_text_floor(src, size - 1);
		memmove(dst, src, len);
		dst[len] = '\0';
		return 1;
	}
	memmove(dst, src, len + 1);
	return 0;
}
