/* strbuf.h — the one growing string of casefile, after git's strbuf: text of any length built
 * piece by piece (JSON, paths, messages, report bodies) without a fixed-size buffer.
 *
 * SB.buf is never NULL and always NUL-terminated, even before the first append, so it can be
 * passed where a C string is wanted.  Growth goes through xalloc.h: appending cannot fail.
 *     struct strbuf sb = STRBUF_INIT;
 *     strbuf_addf(&sb, "%s/%s", dir, name);
 *     use(sb.buf);
 *     strbuf_release(&sb);                  or   char *s = strbuf_detach(&sb, NULL);  */
#ifndef CASEFILE_STRBUF_H
#define CASEFILE_STRBUF_H

#include <stdarg.h>
#include <stddef.h>

struct strbuf {
	char *buf;    /* the text, NUL-terminated; strbuf_slopbuf while nothing is allocated */
	size_t len;   /* bytes of text, without the terminating NUL */
	size_t alloc; /* bytes allocated; 0 while buf is the shared empty string */
};

extern char strbuf_slopbuf[1];
#define STRBUF_INIT { strbuf_slopbuf, 0, 0 }

/* Empty, with room for HINT bytes (0: allocate nothing yet). */
void strbuf_init(struct strbuf *sb, size_t hint);
/* Frees the text; SB is empty and usable again. */
void strbuf_release(struct strbuf *sb);
/* The text, now the caller's to free (never NULL); SB is empty again.  *LEN if LEN. */
char *strbuf_detach(struct strbuf *sb, size_t *len);
/* Room for EXTRA more bytes (plus the NUL) without another allocation. */
void strbuf_grow(struct strbuf *sb, size_t extra);
/* Cuts the text to LEN bytes (LEN <= sb->len). */
void strbuf_setlen(struct strbuf *sb, size_t len);
#define strbuf_reset(sb) strbuf_setlen((sb), 0)

void strbuf_add(struct strbuf *sb, const void *data, size_t len);
void strbuf_addstr(struct strbuf *sb, const char *s);
void strbuf_addch(struct strbuf *sb, int c);
void strbuf_addf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void strbuf_vaddf(struct strbuf *sb, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
/* Drops trailing spaces, tabs and newlines. */
void strbuf_rtrim(struct strbuf *sb);

#endif
