/* reports_diff.c — what changed between two report versions: a unified diff of reports/
 * made by libgit2, as typed lines for a screen (reports_diff_lines) or printed for a terminal
 * (reports_diff); either way safe to show. */
#include "export/internal.h"
#include "export/seal.h"

#include <git2.h>
#include <stdlib.h>
#include <string.h>

struct pick {
	int want;            /* index wanted in the version list, newest = 0 */
	int seen;
	char oid[CF_OID_HEX];
};

static int pick_version(const struct repo_commit_info *c, void *vctx)
{
	struct pick *p = vctx;
	if (p->seen++ == p->want) {
		memcpy(p->oid, c->oid, sizeof(p->oid));
		return 1;
	}
	return 0;
}

struct same_ctx {
	char kind[CF_NAME_LEN], profile[TMPL_NAME_LEN + 1]; /* a profile's or a template's */
	int seen;
	char oid[CF_OID_HEX];
};

static int trailer_is(const char *msg, const char *key, const char *value)
{
	char want[CF_PHRASE_LEN];
	snprintf(want, sizeof(want), "\nCasefile-%s: %s\n", key, value);
	return strstr(msg, want) != NULL;
}

static void trailer_copy(const char *msg, const char *key, char *buf, size_t len)
{
	char k[CF_PHRASE_LEN];
	const char *p;

	snprintf(k, sizeof(k), "\nCasefile-%s: ", key);
	buf[0] = '\0';
	if ((p = strstr(msg, k)))
		snprintf(buf, len, "%.*s", (int)strcspn(p + strlen(k), "\n"), p + strlen(k));
}

/* The first commit is the version itself: remember its kind and profile; then find the
 * next older version of the same kind and profile. */
static int same_kind(const struct repo_commit_info *c, void *vctx)
{
	struct same_ctx *s = vctx;

	if (s->seen++ == 0) {
		trailer_copy(c->message, "Kind", s->kind, sizeof(s->kind));
		trailer_copy(c->message, "Profile", s->profile, sizeof(s->profile));
		return !s->kind[0]; /* not a casefile version: stop, diff against nothing */
	}
	if (trailer_is(c->message, "Kind", s->kind) &&
	    trailer_is(c->message, "Profile", s->profile)) {
		memcpy(s->oid, c->oid, sizeof(s->oid));
		return 1;
	}
	return 0;
}

/* The previous version of the same report as commit OID ("" when none), and the pathspec
 * of that report's files ("reports/KIND-PROFILE.*"). */
static int previous_same(struct cf_repo *r, const char *oid, char out[CF_OID_HEX], char *spec,
			 size_t len, struct cf_err *err)
{
	struct same_ctx s = { "", "", 0, "" };
	int rc = repo_log(r, oid, "reports", same_kind, &s, err);

	if (rc < 0)
		return rc;
	memcpy(out, s.oid, CF_OID_HEX);
	if (s.kind[0])
		snprintf(spec, len, "reports/%s-%s.*", s.kind, s.profile);
	return 0;
}

static int tree_of(struct cf_repo *r, const char *oid, git_tree **tree, struct cf_err *err)
{
	git_oid id;
	git_commit *c = NULL;

	*tree = NULL;
	if (!oid || !*oid)
		return 0; /* the empty tree */
	if (git_oid_fromstr(&id, oid) < 0 || git_commit_lookup(&c, repo_git(r), &id) < 0 ||
	    git_commit_tree(tree, c) < 0) {
		git_commit_free(c);
		return cf_error(err, CF_ENOTFOUND, "no commit %.12s", oid);
	}
	git_commit_free(c);
	return 0;
}

struct lines_ctx {
	reports_line_cb cb;
	void *ctx;
	int stopped;       /* the callback's non-zero return */
	int failed;        /* out of memory */
	git_diff *diff;    /* to look for a PDF's Markdown among the files compared */
};

/* Hands one line (TEXT, LEN bytes, no newline) to the callback, cleaned for a screen. */
static int emit(struct lines_ctx *c, enum reports_line_type type, const char *path,
		const char *text, size_t len, int old_line, int new_line)
{
	struct reports_line l = { type, path, NULL, 0, old_line, new_line };
	char *raw, *clean;
	int rc;

	/* Report text may come from a clone of someone else's repository: no raw controls. */
	if (!(raw = xstrndup(text, len))) {
		c->failed = 1;
		return -1;
	}
	clean = x_clean(raw, 0);
	free(raw);
	l.text = clean;
	l.len = strlen(clean);
	rc = c->cb(&l, c->ctx);
	free(clean);
	if (rc) {
		c->stopped = rc;
		return -1; /* stops libgit2's walk */
	}
	return 0;
}

static int has_suffix(const char *p, const char *suffix)
{
	size_t n = strlen(p), k = strlen(suffix);
	return n > k && !strcmp(p + n - k, suffix);
}

/* A PDF report is its Markdown laid out (reports_commit commits both): its diff is the
 * Markdown's, shown before it (paths sort ".md" first), so the PDF's own bytes are not
 * diffed; one note says so, or that the Markdown did not change (the paper, the layout). */
static int pdf_note(struct lines_ctx *c, const char *path)
{
	char md[PATH_MAX], note[PATH_MAX + CF_PHRASE_LEN];
	int with_md = 0;

	snprintf(md, sizeof(md), "%.*s.md", (int)(strlen(path) - 4), path);
	for (size_t i = 0; i < git_diff_num_deltas(c->diff); i++) {
		const git_diff_delta *d = git_diff_get_delta(c->diff, i);
		with_md |= (d->new_file.path && !strcmp(d->new_file.path, md)) ||
			   (d->old_file.path && !strcmp(d->old_file.path, md));
	}
	snprintf(note, sizeof(note), with_md ? "%s: a PDF of %s: its diff is the one above"
					     : "%s: a PDF of %s, which did not change: the PDF "
					       "differs in its layout or paper only", path, md);
	return emit(c, REPORTS_LINE_NOTE, path, note, strlen(note), 0, 0);
}

static int on_line(const git_diff_delta *d, const git_diff_hunk *h, const git_diff_line *l,
		   void *vctx)
{
	static const char no_newline[] = "\\ No newline at end of file";
	struct lines_ctx *c = vctx;
	const char *path = d->new_file.path ? d->new_file.path : d->old_file.path;
	const char *p = l->content, *end = l->content + l->content_len;
	size_t n = l->content_len;
	enum reports_line_type type;

	(void)h;
	if (has_suffix(path, ".pdf") && !strncmp(path, "reports/", 8))
		return l->origin == GIT_DIFF_LINE_FILE_HDR ? pdf_note(c, path) : 0;
	switch (l->origin) {
	case GIT_DIFF_LINE_FILE_HDR: /* several lines in one: one callback each */
		while (p < end) {
			const char *nl = memchr(p, '\n', (size_t)(end - p));
			size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
			if (emit(c, REPORTS_LINE_FILE, path, p, len, 0, 0) < 0)
				return -1;
			p += len + 1;
		}
		return 0;
	case GIT_DIFF_LINE_HUNK_HDR: type = REPORTS_LINE_HUNK; break;
	case GIT_DIFF_LINE_CONTEXT: type = REPORTS_LINE_CONTEXT; break;
	case GIT_DIFF_LINE_ADDITION: type = REPORTS_LINE_ADD; break;
	case GIT_DIFF_LINE_DELETION: type = REPORTS_LINE_DEL; break;
	case GIT_DIFF_LINE_CONTEXT_EOFNL:
	case GIT_DIFF_LINE_ADD_EOFNL:
	case GIT_DIFF_LINE_DEL_EOFNL:
		return emit(c, REPORTS_LINE_NOTE, path, no_newline, sizeof(no_newline) - 1, 0, 0);
	default: /* binary notes */
		type = REPORTS_LINE_NOTE;
		break;
	}
	if (n && p[n - 1] == '\n')
		n--;
	return emit(c, type, path, p, n, l->old_lineno > 0 ? l->old_lineno : 0,
		    l->new_lineno > 0 ? l->new_lineno : 0);
}

/* A blob of a sealed case opened (the empty text for a missing side, ID all zeros). */
static int open_side(struct cf_repo *r, struct seal *k, const char *path, const git_oid *id,
		     char **text, size_t *len, struct cf_err *err)
{
	git_blob *blob = NULL;
	int rc;

	*text = NULL;
	*len = 0;
	if (git_oid_is_zero(id))
		return 0;
	if (git_blob_lookup(&blob, repo_git(r), id) < 0)
		return cf_error(err, CF_EIO, "%s: cannot read the file in git", path);
	rc = seal_open_file(k, path, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob),
			    text, len, err);
	git_blob_free(blob);
	if (rc == 1)
		rc = cf_error(err, CF_EAUTH, "%s: sealed for an epoch whose key you were not given",
			      path);
	return rc;
}

/* DIFF of a sealed case printed file by file, each side opened first: git's own diff would
 * compare ciphertext. */
static int print_sealed(struct cf_repo *r, struct seal *k, git_diff *diff,
			const git_diff_options *opts, struct lines_ctx *lc, struct cf_err *err)
{
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < git_diff_num_deltas(diff); i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);
		char *old = NULL, *new = NULL;
		size_t olen, nlen;
		git_patch *patch = NULL;

		if ((rc = open_side(r, k, d->old_file.path, &d->old_file.id, &old, &olen, err)) ==
			    0 &&
		    (rc = open_side(r, k, d->new_file.path, &d->new_file.id, &new, &nlen, err)) ==
			    0 &&
		    (git_patch_from_buffers(&patch, old, olen, d->old_file.path, new, nlen,
					    d->new_file.path, opts) < 0 ||
		     git_patch_print(patch, on_line, lc) < 0))
			rc = lc->stopped   ? lc->stopped
			     : lc->failed ? cf_error(err, CF_ERR, "out of memory")
					  : cf_error(err, CF_EIO, "diff of %s", d->new_file.path);
		git_patch_free(patch);
		free(old);
		free(new);
	}
	return rc;
}

int reports_diff_lines(struct store *s, struct cf_repo *r, const char *a, const char *b,
		       reports_line_cb cb, void *ctx, struct cf_err *err)
{
	struct seal *k = NULL;
	char ob[CF_OID_HEX] = "", oa[CF_OID_HEX] = "";
	git_tree *ta = NULL, *tb = NULL;
	git_diff *diff = NULL;
	git_diff_options opts;
	char *spec = "reports", spec_buf[CF_PHRASE_LEN] = "";
	struct lines_ctx lc = { cb, ctx, 0, 0, NULL };
	int rc;

	if (b) {
		if ((rc = repo_resolve(r, b, ob, err)) < 0)
			return rc;
	} else {
		struct pick p = { 0, 0, "" };
		if ((rc = repo_log(r, NULL, "reports", pick_version, &p, err)) < 0)
			return rc;
		if (!p.oid[0])
			return cf_error(err, CF_ENOTFOUND, "no report version yet");
		memcpy(ob, p.oid, sizeof(ob));
	}
	if (a)
		rc = repo_resolve(r, a, oa, err);
	else
		rc = previous_same(r, ob, oa, spec_buf, sizeof(spec_buf), err);
	if (rc < 0)
		return rc;
	if (spec_buf[0])
		spec = spec_buf;
	if ((rc = tree_of(r, oa, &ta, err)) < 0 || (rc = tree_of(r, ob, &tb, err)) < 0)
		goto out;
	git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
	opts.pathspec.strings = &spec;
	opts.pathspec.count = 1;
	if (s && (rc = seal_load(s, r, &k, err)) < 0)
		goto out;
	if (seal_is_sealed(k) && git_diff_tree_to_tree(&diff, repo_git(r), ta, tb, &opts) == 0) {
		lc.diff = diff;
		rc = print_sealed(r, k, diff, &opts, &lc, err);
	} else if (git_diff_tree_to_tree(&diff, repo_git(r), ta, tb, &opts) < 0 ||
		   (lc.diff = diff, git_diff_print(diff, GIT_DIFF_FORMAT_PATCH, on_line, &lc)) < 0) {
		const git_error *e = git_error_last();
		if (lc.stopped)
			rc = lc.stopped;
		else if (lc.failed)
			rc = cf_error(err, CF_ERR, "out of memory");
		else
			rc = cf_error(err, CF_EIO, "diff: %s",
				      e && e->message ? e->message : "failed");
	}
out:
	seal_free(k);
	git_diff_free(diff);
	git_tree_free(ta);
	git_tree_free(tb);
	return rc;
}

struct print_ctx {
	FILE *out;
	int color;
};

static int print_line(const struct reports_line *l, void *vctx)
{
	static const char *const colors[] = {
		[REPORTS_LINE_FILE] = "\033[1m", [REPORTS_LINE_HUNK] = "\033[36m",
		[REPORTS_LINE_CONTEXT] = NULL, [REPORTS_LINE_ADD] = "\033[32m",
		[REPORTS_LINE_DEL] = "\033[31m", [REPORTS_LINE_NOTE] = NULL,
	};
	static const char prefix[] = { [REPORTS_LINE_CONTEXT] = ' ', [REPORTS_LINE_ADD] = '+',
				       [REPORTS_LINE_DEL] = '-', [REPORTS_LINE_NOTE] = 0 };
	const struct print_ctx *p = vctx;
	const char *color = p->color ? colors[l->type] : NULL;

	if (color)
		fputs(color, p->out);
	if (l->type < sizeof(prefix) && prefix[l->type])
		fputc(prefix[l->type], p->out);
	fwrite(l->text, 1, l->len, p->out);
	fputs(color ? "\033[m\n" : "\n", p->out);
	return 0;
}

int reports_diff(struct store *s, struct cf_repo *r, const char *a, const char *b, int color,
		 FILE *out, struct cf_err *err)
{
	struct print_ctx pc = { out, color };
	return reports_diff_lines(s, r, a, b, print_line, &pc, err);
}

int reports_changed_path(struct cf_repo *r, const char *rev, char *path, size_t len,
			 struct cf_err *err)
{
	char oid[CF_OID_HEX], parent[CF_OID_HEX] = "";
	git_tree *ta = NULL, *tb = NULL;
	git_diff *diff = NULL;
	git_commit *c = NULL;
	git_oid id;
	int rc;

	if ((rc = repo_resolve(r, rev, oid, err)) < 0)
		return rc;
	git_oid_fromstr(&id, oid);
	if (git_commit_lookup(&c, repo_git(r), &id) == 0 && git_commit_parentcount(c) > 0)
		git_oid_tostr(parent, sizeof(parent), git_commit_parent_id(c, 0));
	git_commit_free(c);
	if ((rc = tree_of(r, parent, &ta, err)) < 0 || (rc = tree_of(r, oid, &tb, err)) < 0)
		goto out;
	rc = cf_error(err, CF_ENOTFOUND, "%s changed no report", rev ? rev : "main");
	if (git_diff_tree_to_tree(&diff, repo_git(r), ta, tb, NULL) < 0)
		goto out;
	/* Deltas come in path order; the Markdown is preferred, being the canonical form. */
	for (size_t i = 0; i < git_diff_num_deltas(diff); i++) {
		const char *p = git_diff_get_delta(diff, i)->new_file.path;
		if (strncmp(p, "reports/", 8) || git_diff_get_delta(diff, i)->status ==
						     GIT_DELTA_DELETED)
			continue;
		if (rc < 0 || has_suffix(p, ".md")) {
			cf_strlcpy(path, p, len);
			rc = 0;
		}
	}
out:
	git_diff_free(diff);
	git_tree_free(ta);
	git_tree_free(tb);
	return rc;
}
