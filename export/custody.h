/* custody.h — the chain-of-custody report (SP 800-61r2 3.2.2 evidence log) for every evidence
 * item of a case, as Markdown, HTML or JSON, written to a stream. */
#ifndef CASEFILE_EXPORT_CUSTODY_H
#define CASEFILE_EXPORT_CUSTODY_H

#include <stdio.h>

#include "store/store.h"

enum custody_format {
	CUSTODY_MD,
	CUSTODY_HTML,
	CUSTODY_JSON,
};

/* "md", "markdown", "html", "json" -> *OUT; CF_EINVAL for anything else. */
int export_custody_format(const char *name, enum custody_format *out, struct cf_err *err);
/* Writes the report: per live evidence item its identifying information (description, file,
 * SHA-256, size, source), who collected it and when (with zone), the current holder and
 * location, then every custody event in time order (date and time with zone, action, from,
 * handler, location, reason).  All case text escaped for FMT.  Deterministic: the same case
 * gives the same bytes.  CF_EIO when OUT fails. */
int export_custody(struct store *s, FILE *out, enum custody_format fmt, struct cf_err *err);

#endif
