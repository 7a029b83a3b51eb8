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

/* ---- reading: the flat objects casefile writes ---- */

static int hex4(const char *s)
{
	int v = 0;

	for (int i = 0; i < 4; i++) {
		char c = s[i];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return -1;
	}
	return v;
}

static void add_utf8(struct strbuf *b, int32_t cp)
{
	if (cp < 0x80) {
		strbuf_addch(b, cp);
	} else if (cp < 0x800) {
		strbuf_addch(b, 0xc0 | (cp >> 6));
		strbuf_addch(b, 0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		strbuf_addch(b, 0xe0 | (cp >> 12));
		strbuf_addch(b, 0x80 | ((cp >> 6) & 0x3f));
		strbuf_addch(b, 0x80 | (cp & 0x3f));
	} else {
		strbuf_addch(b, 0xf0 | (cp >> 18));
		strbuf_addch(b, 0x80 | ((cp >> 12) & 0x3f));
		strbuf_addch(b, 0x80 | ((cp >> 6) & 0x3f));
		strbuf_addch(b, 0x80 | (cp & 0x3f));
	}
}

/* The \u escape at *P (past the "\u"), a surrogate pair taken whole; -1 for what jansson
 * refuses (a lone surrogate) or keeps only with JSON_ALLOW_NUL (\u0000). */
static int32_t flat_escape_u(const char **p)
{
	int32_t cp = hex4(*p), lo;

	if (cp <= 0 || (cp >= 0xdc00 && cp <= 0xdfff))
		return -1;
	*p += 4;
	if (cp < 0xd800 || cp > 0xdbff)
		return cp;
	if ((*p)[0] != '\\' || (*p)[1] != 'u' || (lo = hex4(*p + 2)) < 0xdc00 || lo > 0xdfff)
		return -1;
	*p += 6;
	return 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
}

/* The JSON string at *P (past its opening quote) into B, NUL-terminated; *P past its closing
 * quote.  -1 for anything left to jansson: a byte outside printable ASCII (which casefile's
 * own JSON never holds, being written with every other character escaped), a bad escape. */
static int flat_string(const char **p, struct strbuf *b)
{
	static const char plain[] = "\"\\/bfnrt", decoded[] = "\"\\/\b\f\n\r\t";
	const char *s = *p;

	strbuf_setlen(b, 0);
	for (;;) {
		const char *run = s, *e;
		unsigned char c;
		int32_t cp;
		/* A run of plain characters, copied at once. */
		while ((c = (unsigned char)*s) >= 0x20 && c <= 0x7e && c != '"' && c != '\\')
			s++;
		strbuf_add(b, run, (size_t)(s - run));
		s++;
		if (c == '"')
			break;
		if (c != '\\') {
			return -1;
		} else if (*s == 'u') {
			s++;
			if ((cp = flat_escape_u(&s)) < 0)
				return -1;
			add_utf8(b, cp);
		} else if (*s && (e = strchr(plain, *s))) {
			strbuf_addch(b, decoded[e - plain]);
			s++;
		} else {
			return -1;
		}
	}
	*p = s;
	return 0;
}

static const char *skip_space(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	return p;
}

int cf_json_flat_object(const char *json, int (*each)(const char *key, const char *value,
							void *ctx), void *ctx)
{
	struct strbuf key = STRBUF_INIT, value = STRBUF_INIT;
	const char *p = skip_space(json);
	int rc = -1;

	if (*p++ != '{')
		goto out;
	p = skip_space(p);
	if (*p == '}') {
		rc = *skip_space(p + 1) ? -1 : 0;
		goto out;
	}
	for (;;) {
		if (*p++ != '"' || flat_string(&p, &key) < 0)
			goto out;
		p = skip_space(p);
		if (*p++ != ':')
			goto out;
		p = skip_space(p);
		if (*p++ != '"' || flat_string(&p, &value) < 0 ||
		    each(key.buf, value.buf, ctx) < 0)
			goto out;
		p = skip_space(p);
		if (*p == '}')
			break;
		if (*p++ != ',')
			goto out;
		p = skip_space(p);
	}
	rc = *skip_space(p + 1) ? -1 : 0;
out:
	strbuf_release(&key);
	strbuf_release(&value);
	return rc;
}
