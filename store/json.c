/* json.c — the two JSON texts written for every operation (the record and the canonical op),
 * built by hand: byte for byte what jansson writes with JSON_COMPACT | JSON_ENSURE_ASCII, at a
 * fraction of the cost, which matters when an import writes a million of them. */
#include "store/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void grow(struct cf_buf *b, size_t need)
{
	size_t cap;
	char *p;

	if (b->oom || b->len + need + 1 <= b->cap)
		return;
	cap = b->cap ? b->cap : 256;
	while (cap < b->len + need + 1)
		cap *= 2;
	p = realloc(b->p, cap);
	if (!p) {
		b->oom = 1;
		return;
	}
	b->p = p;
	b->cap = cap;
}

void cf_buf_put(struct cf_buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap)
		grow(b, n);
	if (b->oom)
		return;
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void cf_buf_putc(struct cf_buf *b, char c)
{
	cf_buf_put(b, &c, 1);
}

char *cf_buf_take(struct cf_buf *b)
{
	char *p = b->oom ? NULL : b->p;
	if (b->oom)
		free(b->p);
	else if (!p)
		p = strdup("");
	memset(b, 0, sizeof(*b));
	return p;
}

void cf_buf_str(struct cf_buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s);
	char *o;
	int32_t cp;

	/* Room for the worst case up front (every byte a six-character escape), then write
	 * straight into the buffer: this runs twice per byte of every operation. */
	grow(b, n * 6 + 2);
	if (b->oom)
		return;
	o = b->p + b->len;
	*o++ = '"';
	while (*p) {
		int len;

		if (*p >= 0x20 && *p < 0x80 && *p != '"' && *p != '\\') {
			*o++ = (char)*p++;
			continue;
		}
		*o++ = '\\';
		switch (*p) {
		case '"': *o++ = '"'; p++; continue;
		case '\\': *o++ = '\\'; p++; continue;
		case '\b': *o++ = 'b'; p++; continue;
		case '\f': *o++ = 'f'; p++; continue;
		case '\n': *o++ = 'n'; p++; continue;
		case '\r': *o++ = 'r'; p++; continue;
		case '\t': *o++ = 't'; p++; continue;
		}
		len = cf_text_decode((const char *)p, &cp);
		if (len == 0) {
			cp = 0xFFFD; /* never stored (input is checked), but never invalid JSON */
			len = 1;
		}
		p += len;
		if (cp >= 0x10000) {
			unsigned v = cp - 0x10000, hi = 0xD800 | (v >> 10);
			cp = 0xDC00 | (v & 0x3FF);
			*o++ = 'u';
			for (int k = 12; k >= 0; k -= 4)
				*o++ = hex[(hi >> k) & 15];
			*o++ = '\\';
		}
		*o++ = 'u';
		for (int k = 12; k >= 0; k -= 4)
			*o++ = hex[(cp >> k) & 15];
	}
	*o++ = '"';
	*o = '\0';
	b->len = (size_t)(o - b->p);
}

void cf_buf_key(struct cf_buf *b, int first, const char *key)
{
	if (!first)
		cf_buf_putc(b, ',');
	cf_buf_str(b, key);
	cf_buf_putc(b, ':');
}

void cf_buf_str_or_null(struct cf_buf *b, const char *s)
{
	if (s)
		cf_buf_str(b, s);
	else
		cf_buf_put(b, "null", 4);
}

void cf_buf_int(struct cf_buf *b, long long v)
{
	char num[32];
	int n = snprintf(num, sizeof(num), "%lld", v);
	cf_buf_put(b, num, (size_t)n);
}
