/* id.c — record and operation ids: 100 random bits from the kernel, lowercase base32,
 * so any short prefix is as unique as a git abbreviation. */
#include "store/internal.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

/* Kernel randomness read 4 KiB at a time (an import makes two ids per row), emptied in the
 * child of a fork so a parent and child never hand out the same bytes.  (An atfork handler,
 * not a getpid() per id: that was 1% of an import.) */
static unsigned char pool[4096];
static size_t pool_left;
static int atfork_set;

static void pool_forget(void)
{
	pool_left = 0;
}

static void fill_pool(void)
{
	size_t got = 0;

	while (got < sizeof(pool)) {
		ssize_t n = getrandom(pool + got, sizeof(pool) - got, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			abort(); /* no entropy: refuse to make colliding ids */
		}
		got += (size_t)n;
	}
	pool_left = sizeof(pool);
}

void cf_new_id(char out[CF_ID_LEN + 1])
{
	static const char alphabet[] = "0123456789abcdefghjkmnpqrstvwxyz";
	const unsigned char *raw;

	if (!atfork_set) {
		if (pthread_atfork(NULL, NULL, pool_forget) != 0)
			abort(); /* a forked child would reuse the pool: colliding ids */
		atfork_set = 1;
	}
	if (pool_left < CF_ID_LEN)
		fill_pool();
	raw = pool + sizeof(pool) - pool_left;
	for (size_t i = 0; i < CF_ID_LEN; i++)
		out[i] = alphabet[raw[i] & 31];
	memset((void *)raw, 0, CF_ID_LEN);
	pool_left -= CF_ID_LEN;
	out[CF_ID_LEN] = '\0';
}

static int id_cmp(const void *a, const void *b)
{
	return memcmp(a, b, CF_ID_LEN);
}

char (*cf_new_ids_sorted(size_t n))[CF_ID_LEN + 1]
{
	char (*ids)[CF_ID_LEN + 1] = xmalloc((n ? n : 1) * sizeof(*ids));

	if (!ids)
		return NULL;
	for (size_t i = 0; i < n; i++)
		cf_new_id(ids[i]);
	qsort(ids, n, sizeof(*ids), id_cmp);
	return ids;
}
