/* error.c — filling the caller's struct cf_err: the one way store/ and export/ report a failure
 * (a code of enum cf_rc and a lowercase message, never printed from deep inside). */
#include "store/store.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int cf_error(struct cf_err *err, int code, const char *fmt, ...)
{
	va_list ap;

	if (err) {
		err->code = code;
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
		va_end(ap);
	}
	return code;
}

int cf_error_prefix(struct cf_err *err, int code, const char *fmt, ...)
{
	struct strbuf sb = STRBUF_INIT;
	va_list ap;

	if (!err)
		return code;
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	strbuf_addf(&sb, ": %s", err->msg);
	err->code = code;
	cf_strlcpy(err->msg, sb.buf, sizeof(err->msg));
	strbuf_release(&sb);
	return code;
}
