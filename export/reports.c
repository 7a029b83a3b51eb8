/* reports.c — report versions in the case's git repository: each export committed under
 * reports/ with trailers naming its kind, profile, version and mark; briefings tagged;
 * versions listed and diffed with libgit2. */
#include "export/internal.h"
#include "export/seal.h"

#include <git2.h>
#include <stdlib.h>
#include <string.h>

const char *export_series_name(const struct export_opts *o)
{
	return o->tmpl && o->tmpl_name ? o->tmpl_name : export_profile_name(o->profile);
}

void reports_path(const struct export_opts *o, char *buf, size_t len)
{
	snprintf(buf, len, "reports/%s-%s.%s", export_kind_name(o->kind),
		 export_series_name(o), export_format_name(o->format));
}

/* Reads "Casefile-KEY: value" from a commit message into BUF ("" when absent). */
static void trailer(const char *msg, const char *key, char *buf, size_t len)
{
	size_t klen = strlen(key);

	buf[0] = '\0';
	for (const char *p = msg; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		if (strncmp(p, "Casefile-", 9) || strncmp(p + 9, key, klen) || p[9 + klen] != ':')
			continue;
		p += 9 + klen + 1;
		while (*p == ' ')
			p++;
		snprintf(buf, len, "%.*s", (int)strcspn(p, "\n"), p);
		return;
	}
}

/* BUF (LEN bytes) made valid UTF-8 without controls or bidi overrides, cut at a character
 * boundary if the replacements make it longer. */
static void clean_into(char *buf, size_t len)
{
	char *c = x_clean(buf, CLEAN_INLINE);
	size_t n = strlen(c);

	if (n >= len)
		n = cf_text_floor(c, len - 1); /* do not split a character */
	memcpy(buf, c, n);
	buf[n] = '\0';
	free(c);
}

/* The format in a version's "Export of reports/X as FORMAT[, as of ...]." line into BUF. */
static void message_format(const char *msg, char *buf, size_t len)
{
	const char *p = strstr(msg, "\nExport of reports/"), *as;

	buf[0] = '\0';
	if (!p)
		return;
	p++;
	if ((as = strstr(p, " as ")) && as < p + strcspn(p, "\n"))
		snprintf(buf, len, "%.*s", (int)strspn(as + 4, "abcdefghijklmnopqrstuvwxyz"),
			 as + 4);
}

struct log_ctx {
	reports_version_cb cb;
	void *ctx;
};

static int version_of(const struct repo_commit_info *c, void *vctx)
{
	struct log_ctx *l = vctx;
	struct reports_version v;
	char num[CF_NUM_LEN];

	memset(&v, 0, sizeof(v));
	memcpy(v.oid, c->oid, sizeof(v.oid));
	trailer(c->message, "Kind", v.kind, sizeof(v.kind));
	trailer(c->message, "Profile", v.profile, sizeof(v.profile));
	trailer(c->message, "Version", num, sizeof(num));
	trailer(c->message, "As-Of", v.mark, sizeof(v.mark));
	trailer(c->message, "Format", v.format, sizeof(v.format));
	if (!v.format[0] && v.kind[0]) /* made before the trailer: the message's own words */
		message_format(c->message, v.format, sizeof(v.format));
	v.version = atoi(num);
	v.time = c->time;
	cf_strlcpy(v.summary, c->summary, sizeof(v.summary));
	/* A commit may come from anyone's clone: what a screen draws is cleaned here. */
	clean_into(v.summary, sizeof(v.summary));
	clean_into(v.kind, sizeof(v.kind));
	clean_into(v.profile, sizeof(v.profile));
	clean_into(v.mark, sizeof(v.mark));
	clean_into(v.format, sizeof(v.format));
	return l->cb(&v, l->ctx);
}

int reports_log(struct cf_repo *r, reports_version_cb cb, void *ctx, struct cf_err *err)
{
	struct log_ctx l = { cb, ctx };
	return repo_log(r, NULL, "reports", version_of, &l, err);
}

struct prev_ctx {
	const char *kind, *profile, *before;
	int latest;             /* highest version number of this kind and profile */
	char mark[CF_TIME_LEN], label[CF_NUM_LEN];
	int found;
	struct cf_repo *r;
};

static int see_version(const struct reports_version *v, void *vctx)
{
	struct prev_ctx *p = vctx;

	if (strcmp(v->kind, p->kind) || strcmp(v->profile, p->profile))
		return 0;
	if (v->version > p->latest)
		p->latest = v->version;
	/* Newest first: the first one before the mark is the previous version. */
	if (!p->found && (!p->before || !*p->before || strcmp(v->mark, p->before) < 0)) {
		p->found = 1;
		memcpy(p->mark, v->mark, sizeof(p->mark));
		snprintf(p->label, sizeof(p->label), "v%d", v->version);
	}
	return 0;
}

int reports_previous(struct cf_repo *r, const struct export_opts *o, const char *mark,
		     char prev_mark[CF_TIME_LEN], char label[CF_NUM_LEN], struct cf_err *err)
{
	struct prev_ctx p = { export_kind_name(o->kind), export_series_name(o), mark,
			      0, "", "", 0, r };
	int rc = reports_log(r, see_version, &p, err);

	if (rc < 0)
		return rc;
	if (!p.found)
		return CF_ENOTFOUND;
	memcpy(prev_mark, p.mark, 32);
	memcpy(label, p.label, 32);
	return 0;
}

/* Renders O into a new buffer. */
static int render_buf(struct store *s, const struct export_opts *o, char **buf, size_t *len,
		      struct export_info *info, struct cf_err *err)
{
	FILE *f = open_memstream(buf, len);
	int rc;

	if (!f)
		return cf_error(err, CF_EIO, "memory stream: out of memory");
	rc = export_write(s, o, f, info, err);
	fclose(f);
	if (rc < 0) {
		free(*buf);
		*buf = NULL;
	}
	return rc;
}

static int read_opened(struct cf_repo *r, struct seal *k, const char *rev, const char *path,
		       char **data, size_t *len, struct cf_err *err);

static int same_as_committed(struct cf_repo *r, struct seal *k, const char *path,
			     const char *buf, size_t len)
{
	struct cf_err err;
	char *old;
	size_t olen;
	int same;

	if (read_opened(r, k, NULL, path, &old, &olen, &err) < 0)
		return 0;
	same = olen == len && memcmp(old, buf, len) == 0;
	free(old);
	return same;
}

/* repo_read, and the file opened when the case is sealed. */
static int read_opened(struct cf_repo *r, struct seal *k, const char *rev, const char *path,
		       char **data, size_t *len, struct cf_err *err)
{
	char *sealed;
	size_t slen;
	int rc;

	if ((rc = repo_read(r, rev, path, data, len, err)) < 0 || !seal_is_sealed(k))
		return rc;
	sealed = *data;
	slen = *len;
	rc = seal_open_file(k, path, sealed, slen, data, len, err);
	free(sealed);
	if (rc == 1)
		rc = cf_error(err, CF_EAUTH, "%s: sealed for an epoch whose key you were not given",
			      path);
	return rc;
}

int reports_read(struct store *s, struct cf_repo *r, const char *rev, const char *path,
		 char **data, size_t *len, struct cf_err *err)
{
	struct seal *k = NULL;
	int rc = seal_load(s, r, &k, err);

	if (rc == 0)
		rc = read_opened(r, k, rev, path, data, len, err);
	seal_free(k);
	return rc;
}

/* CH (N report files) committed as repo_commit does; in a sealed case each file sealed, and
 * the key files the epoch needs committed with them. */
static int commit_files(struct cf_repo *r, struct seal *k, const struct repo_change *ch,
			size_t n, const struct repo_commit_opts *co, char *oid, struct cf_err *err)
{
	const struct repo_change *keys;
	struct repo_change *all;
	size_t nkeys, m = 0;
	int rc;

	if (!seal_is_sealed(k))
		return repo_commit(r, ch, n, co, oid, err);
	if ((rc = seal_prepare(k, &keys, &nkeys, err)) < 0)
		return rc;
	if (rc == 1)
		nkeys = 0; /* seal_close_file says why not */
	all = xcalloc(n + nkeys, sizeof(*all));
	for (rc = 0; rc == 0 && m < n; m++) {
		all[m].path = ch[m].path;
		rc = seal_close_file(k, ch[m].path, ch[m].data, ch[m].len, (char **)&all[m].data,
				     &all[m].len, err);
	}
	for (size_t i = 0; rc == 0 && i < nkeys; i++)
		all[n + i] = keys[i];
	if (rc == 0)
		rc = repo_commit(r, all, n + nkeys, co, oid, err);
	for (size_t i = 0; i < n; i++)
		free((char *)all[i].data);
	free(all);
	return rc;
}

/* export_opts.find_prev for a commit: the versions of this kind and profile, read once,
 * give both the previous version and the highest version number. */
static int prev_for_commit(const char *mark, char prev_mark[CF_TIME_LEN], char label[CF_NUM_LEN], void *ctx,
			   struct cf_err *err)
{
	struct prev_ctx *p = ctx;
	int rc;

	p->before = mark;
	if ((rc = reports_log(p->r, see_version, p, err)) < 0)
		return rc;
	if (!p->found)
		return CF_ENOTFOUND;
	memcpy(prev_mark, p->mark, 32);
	memcpy(label, p->label, 32);
	return 0;
}

static int commit_versions(struct store *s, struct cf_repo *r, struct seal *k,
			   struct export_opts *o, const char *author, const char *tip,
			   struct reports_commit_out *out, struct cf_err *err)
{
	struct prev_ctx p = { export_kind_name(o->kind), export_series_name(o), NULL,
			      0, "", "", 0, r };
	struct repo_change ch[] = { { NULL, NULL, 0 }, { NULL, NULL, 0 } };
	struct export_opts md = *o;
	struct export_info info;
	char *buf = NULL, *mdbuf = NULL, *msg = NULL, mdpath[PATH_MAX];
	size_t len = 0, mdlen = 0, n = 1, mlen = 0;
	FILE *m;
	int rc;

	/* This export's mark decides which version is the previous one. */
	o->prev_mark = o->prev_label = NULL;
	o->find_prev = prev_for_commit;
	o->find_prev_ctx = &p;
	if ((rc = render_buf(s, o, &buf, &len, &info, err)) < 0)
		return rc;
	if (!p.before && (rc = prev_for_commit(info.mark, p.mark, p.label, &p, err)) < 0 &&
	    rc != CF_ENOTFOUND)
		goto out; /* not a briefing: the version number is still needed */
	rc = 0;
	reports_path(o, out->path, sizeof(out->path));
	ch[0] = (struct repo_change){ out->path, buf, len };
	if ((o->kind != EXPORT_TIMELINE && o->format == EXPORT_HTML) || o->format == EXPORT_PDF) {
		/* The Markdown goes beside the HTML or PDF: it is the form that diffs well. */
		md.format = EXPORT_MD;
		md.prev_mark = info.prev_mark[0] ? info.prev_mark : NULL;
		md.prev_label = info.prev_label;
		md.find_prev = NULL;
		if ((rc = render_buf(s, &md, &mdbuf, &mdlen, NULL, err)) < 0)
			goto out;
		reports_path(&md, mdpath, sizeof(mdpath));
		ch[n++] = (struct repo_change){ mdpath, mdbuf, mdlen };
	}
	if (same_as_committed(r, k, out->path, buf, len) &&
	    (n == 1 || same_as_committed(r, k, mdpath, mdbuf, mdlen))) {
		out->unchanged = 1;
		out->version = p.latest;
		cf_strlcpy(out->oid, tip, sizeof(out->oid));
		goto out;
	}
	out->version = p.latest + 1;
	if (!(m = open_memstream(&msg, &mlen))) {
		rc = cf_error(err, CF_EIO, "memory stream: out of memory");
		goto out;
	}
	fprintf(m, "%s %s v%d (as of %.19sZ)\n\n", export_kind_name(o->kind),
		export_series_name(o), out->version, info.mark[0] ? info.mark : "-");
	fprintf(m, "Export of %s as %s%s%s%s%s.\n\n", out->path, export_format_name(o->format),
		o->as_of ? ", as of " : "", o->as_of ? o->as_of : "",
		o->known_at ? ", known at " : "", o->known_at ? o->known_at : "");
	fprintf(m, "Casefile-Kind: %s\nCasefile-Profile: %s\nCasefile-Version: %d\n"
		   "Casefile-As-Of: %s\nCasefile-Ops: %lld\nCasefile-Format: %s\n",
		export_kind_name(o->kind), export_series_name(o), out->version, info.mark,
		(long long)info.nops, export_format_name(o->format));
	fclose(m);
	if (seal_is_sealed(k)) { /* the as-of and known-at a reader asked for are not said */
		char *sealed = seal_message(msg);
		free(msg);
		msg = sealed;
	}
	{
		struct repo_commit_opts co = { .message = msg, .author = author, .expect = tip };
		rc = commit_files(r, k, ch, n, &co, out->oid, err);
	}
	if (rc == 0 && o->kind == EXPORT_BRIEFING) {
		snprintf(out->tag, sizeof(out->tag), "briefing/%s/v%d",
			 export_series_name(o), out->version);
		rc = repo_tag(r, out->tag, out->oid, msg, author, 0, err);
	}
out:
	free(msg);
	free(mdbuf);
	free(buf);
	return rc;
}

int reports_commit(struct store *s, struct cf_repo *r, const struct export_opts *o,
		   const char *author, struct reports_commit_out *out, struct cf_err *err)
{
	struct seal *k = NULL;
	int rc = seal_load(s, r, &k, err);

	if (rc < 0)
		return rc;
	rc = CF_EMOVED;
	/* The version number is read from the branch; if another process commits meanwhile,
	 * the compare-and-swap fails and the version is worked out again. */
	for (int attempt = 0; attempt < 5 && rc == CF_EMOVED; attempt++) {
		struct export_opts copy = *o;
		char tip[CF_OID_HEX] = "";
		memset(out, 0, sizeof(*out));
		rc = repo_resolve(r, NULL, tip, err);
		if (rc < 0 && rc != CF_ENOTFOUND)
			break;
		if (rc == CF_ENOTFOUND)
			tip[0] = '\0';
		rc = commit_versions(s, r, k, &copy, author, tip, out, err);
	}
	seal_free(k);
	return rc < 0 ? rc : 0;
}
