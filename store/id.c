/* id.c — record and operation ids: 100 random bits from the kernel, lowercase base32,
 * so any short prefix is as unique as a git abbreviation. */
#include "store/internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

void cf_new_id(char out[CF_ID_LEN + 1])
{
	static const char alphabet[] = "0123456789abcdefghjkmnpqrstvwxyz";
	unsigned char raw[CF_ID_LEN];
	size_t got = 0;

	while (got < sizeof(raw)) {
		ssize_t n = getrandom(raw + got, sizeof(raw) - got, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			abort(); /* no entropy: refuse to make colliding ids */
		}
		got += (size_t)n;
	}
	for (size_t i = 0; i < CF_ID_LEN; i++)
		out[i] = alphabet[raw[i] & 31];
	out[CF_ID_LEN] = '\0';
}
