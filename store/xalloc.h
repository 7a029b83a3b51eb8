/* xalloc.h — the one allocation policy of casefile: running out of memory ends the process.
 *
 * Every allocation goes through these wrappers (never malloc/calloc/realloc/strdup directly;
 * tests/t_one_home.sh checks).  When the C library returns NULL they print "casefile: out of
 * memory" on stderr and exit with status 1, as git's xmalloc does.  Why die rather than return
 * an error: a case manager that cannot get a few hundred bytes cannot do anything useful with
 * an error path either, and an error path that is never run is where the bugs live (three
 * different policies had grown here: an error, abort(), and an unchecked strdup).  It is safe:
 * every change is one SQLite transaction, which a process that exits mid-way leaves rolled
 * back; the TUI's atexit handler restores the terminal first.  Sizes are overflow-checked. */
#ifndef CASEFILE_XALLOC_H
#define CASEFILE_XALLOC_H

#include <stdarg.h>
#include <stddef.h>

void *xmalloc(size_t size);
/* Zeroed N * SIZE bytes; an overflowing product is out of memory too. */
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t size);
/* realloc of N * SIZE bytes, overflow-checked (OpenBSD's reallocarray). */
void *xreallocarray(void *p, size_t n, size_t size);
char *xstrdup(const char *s);
/* At most N bytes of S, always terminated. */
char *xstrndup(const char *s, size_t n);
/* NULL stays NULL: for optional fields. */
char *xstrdup_or_null(const char *s);
/* A printf-formatted string, allocated. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/* Ends the process after a failed allocation of SIZE bytes: the message, then exit(1). */
void xalloc_die(size_t size) __attribute__((noreturn));

/* Bounded copy of SRC into DST[SIZE], always terminated (SIZE 0: nothing written), for the
 * fixed-size fields whose size is a named constant (ids, hashes, short labels); cut at a UTF-8
 * character boundary; SRC NULL copies as "".  1 when SRC was cut short. */
int cf_strlcpy(char *dst, const char *src, size_t size);

#endif
