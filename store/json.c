/* json.c — the two JSON texts written for every operation (the record and the canonical op),
 * built by hand: byte for byte what jansson writes with JSON_COMPACT | JSON_ENSURE_ASCII, at a
 * fraction of the cost, which matters when an import writes a million of them. */
#include "store/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cf_buf_str(struct strbuf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s);
	char *o;
	int32_t cp;

	/* Room for the worst case up front (every byte a six-character escape), then write
	 * straight into the buffer: this runs twice per byte of every operation. */
	strbuf_grow(b, n * 6 + 2);
	o = b->buf + b->len;
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
	b->len = (size_t)(o - b->buf);
}

void cf_buf_key(struct strbuf *b, int first, const char *key)
{
	if (!first)
		strbuf_addch(b, ',');
	cf_buf_str(b, key);
	strbuf_addch(b, ':');
}

void cf_buf_str_or_null(struct strbuf *b, const char *s)
{
	if (s)
		cf_buf_str(b, s);
	else
		strbuf_add(b, "null", 4);
}

void cf_buf_int(struct strbuf *b, long long v)
{
	char num[32];
	int n = snprintf(num, sizeof(num), "%lld", v);
	strbuf_add(b, num, (size_t)n);
}
