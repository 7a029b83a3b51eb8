/* repo.c — libgit2 plumbing for DIR/casefile.git: a bare repository opened or made, commits
 * from in-memory trees moved onto a branch by compare-and-swap, and tags (reading back:
 * repo_read.c; refs: repo_refs.c; the lock: repo_lock.c). */
#include "export/git/repo_internal.h"

#include <errno.h>
#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>


int repo_lock(struct cf_repo *r, struct cf_err *err)
{
	int rc = 0;

	if (r->lock_depth == 0 && (rc = gitdir_lock(r->path, &r->lock_fd, err)) < 0)
		return rc;
	r->lock_depth++;
	return 0;
}

void repo_unlock(struct cf_repo *r)
{
	if (r->lock_depth > 0 && --r->lock_depth == 0) {
		gitdir_unlock(r->lock_fd);
		r->lock_fd = -1;
	}
}

int repo_git_fail(struct cf_err *err, int code, const char *context)
{
	const git_error *e = git_error_last();
	int saved = errno; /* libgit2 leaves no message for some failed writes (a full disk) */

	if (e && e->message && e->message[0])
		return cf_error(err, code, "%s: %s", context, e->message);
	return cf_error(err, code, "%s: %s", context, saved ? strerror(saved) : "git error");
}

int repo_open(const char *case_dir, int create, struct cf_repo **out, struct cf_err *err)
{
	git_repository_init_options io;
	struct cf_repo *r;
	struct stat st;
	int rc;

	*out = NULL;
	r = xcalloc(1, sizeof(*r));
	if (!r)
		return cf_error(err, CF_ERR, "out of memory");
	if ((size_t)snprintf(r->path, sizeof(r->path), "%s/%s", case_dir, CF_GIT_DIR) >=
	    sizeof(r->path)) {
		free(r);
		return cf_error(err, CF_EINVAL, "case directory path too long");
	}
	if (stat(r->path, &st) != 0) {
		if (!create) {
			rc = cf_error(err, CF_ENOTFOUND, "'%s': no case repository yet", r->path);
			free(r);
			return rc;
		}
		git_repository_init_options_init(&io, GIT_REPOSITORY_INIT_OPTIONS_VERSION);
		io.flags = GIT_REPOSITORY_INIT_BARE | GIT_REPOSITORY_INIT_NO_REINIT |
			   GIT_REPOSITORY_INIT_MKPATH;
		io.mode = GIT_REPOSITORY_INIT_SHARED_UMASK;
		io.initial_head = "main";
		io.description = "casefile case repository: reports/ and ops/ on branch main\n";
		/* mkdir first so the directory is 0700 whatever the umask (personal data). */
		if (mkdir(r->path, 0700) != 0 && errno != EEXIST) {
			rc = cf_error(err, CF_EIO, "'%s': cannot create: %s", r->path,
				      strerror(errno));
			free(r);
			return rc;
		}
		rc = git_repository_init_ext(&r->git, r->path, &io);
		if (rc == GIT_EEXISTS) /* another process created it first */
			rc = git_repository_open_bare(&r->git, r->path);
	} else {
		rc = git_repository_open_bare(&r->git, r->path);
	}
	if (rc < 0) {
		repo_git_fail(err, CF_EIO, r->path);
		free(r);
		return err->code;
	}
	*out = r;
	return 0;
}

void repo_close(struct cf_repo *r)
{
	if (!r)
		return;
	if (r->lock_depth > 0)
		gitdir_unlock(r->lock_fd);
	git_repository_free(r->git);
	free(r);
}

const char *repo_path(const struct cf_repo *r)
{
	return r->path;
}

struct git_repository *repo_git(struct cf_repo *r)
{
	return r->git;
}

/* "Name <email>" or "Name" -> a signature at WHEN (UTC). */
static int make_signature(git_signature **out, const char *who, int64_t when, struct cf_err *err)
{
	char name[CF_PHRASE_LEN], email[CF_PHRASE_LEN] = "";
	const char *lt, *gt;
	size_t n;

	if (!who || !*who)
		who = "casefile";
	lt = strchr(who, '<');
	gt = lt ? strchr(lt, '>') : NULL;
	n = lt && gt ? (size_t)(lt - who) : strlen(who);
	while (n > 0 && who[n - 1] == ' ')
		n--;
	snprintf(name, sizeof(name), "%.*s", (int)(n < sizeof(name) ? n : sizeof(name) - 1), who);
	if (lt && gt)
		snprintf(email, sizeof(email), "%.*s", (int)(gt - lt - 1), lt + 1);
	/* '<', '>' and newlines would break the object header; fsck rejects them. */
	for (char *p = name; *p; p++)
		if (*p == '<' || *p == '>' || *p == '\n' || *p == '\r')
			*p = ' ';
	for (char *p = email; *p; p++)
		if (*p == '<' || *p == '>' || *p == '\n' || *p == '\r' || *p == ' ')
			*p = '_';
	if (!name[0])
		snprintf(name, sizeof(name), "casefile");
	/* Git objects need an email; a name alone gets a placeholder that cannot be mailed. */
	if (!email[0])
		snprintf(email, sizeof(email), "unknown@casefile.invalid");
	if (git_signature_new(out, name, email, (git_time_t)(when ? when : cf_now()), 0) < 0)
		return repo_git_fail(err, CF_EINVAL, "author");
	return 0;
}

/* Rejects paths git would refuse to check out (or fsck would flag). */
static int check_path(const char *path, struct cf_err *err)
{
	const char *p = path, *slash;

	if (!path || !*path || *path == '/')
		return cf_error(err, CF_EINVAL, "path '%s': must be relative", path ? path : "");
	for (;;) {
		size_t n;
		slash = strchr(p, '/');
		n = slash ? (size_t)(slash - p) : strlen(p);
		if (n == 0 || (n == 1 && p[0] == '.') || (n == 2 && !strncmp(p, "..", 2)) ||
		    (n == 4 && !strncasecmp(p, ".git", 4)))
			return cf_error(err, CF_EINVAL, "path '%s': bad component", path);
		if (!slash)
			return 0;
		p = slash + 1;
	}
}

static int cmp_update(const void *a, const void *b)
{
	return strcmp(((const git_tree_update *)a)->path, ((const git_tree_update *)b)->path);
}

/* Writes the blobs and the updated tree of BASE (NULL = empty) into TREE_OUT. */
int repo_build_tree(struct cf_repo *r, git_tree *base, const struct repo_change *ch, size_t n,
		    git_oid *tree_out, struct cf_err *err)
{
	git_tree_update *up = NULL;
	size_t m = 0;
	int rc = 0;

	if (n && !(up = xcalloc(n, sizeof(*up))))
		return cf_error(err, CF_ERR, "out of memory");
	for (size_t i = 0; i < n; i++) {
		size_t j;
		if ((rc = check_path(ch[i].path, err)) < 0)
			goto out;
		/* Later changes to the same path win: keep one update per path. */
		for (j = 0; j < m && strcmp(up[j].path, ch[i].path) != 0; j++)
			;
		if (j == m)
			m++;
		up[j].path = ch[i].path;
		up[j].action = ch[i].data ? GIT_TREE_UPDATE_UPSERT : GIT_TREE_UPDATE_REMOVE;
		up[j].filemode = GIT_FILEMODE_BLOB;
		if (ch[i].data &&
		    git_blob_create_from_buffer(&up[j].id, r->git, ch[i].data, ch[i].len) < 0) {
			rc = repo_git_fail(err, CF_EIO, ch[i].path);
			goto out;
		}
	}
	/* Removing what is not there is not an error for us (it is for libgit2). */
	for (size_t i = 0; i < m;) {
		git_tree_entry *e = NULL;
		if (up[i].action == GIT_TREE_UPDATE_REMOVE &&
		    (!base || git_tree_entry_bypath(&e, base, up[i].path) < 0)) {
			up[i] = up[--m];
			continue;
		}
		git_tree_entry_free(e);
		i++;
	}
	qsort(up, m, sizeof(*up), cmp_update);
	if (git_tree_create_updated(tree_out, r->git, base, m, up) < 0)
		rc = repo_git_fail(err, CF_EIO, "write tree");
out:
	free(up);
	return rc;
}

static int lookup_tip(struct cf_repo *r, const char *ref, git_commit **tip, struct cf_err *err)
{
	git_oid oid;
	int rc = git_reference_name_to_id(&oid, r->git, ref);

	*tip = NULL;
	if (rc == GIT_ENOTFOUND)
		return 0;
	if (rc < 0 || git_commit_lookup(tip, r->git, &oid) < 0)
		return repo_git_fail(err, CF_EIO, ref);
	return 0;
}

static char *with_newline(const char *msg)
{
	size_t n = strlen(msg);
	char *out = xmalloc(n + 2);
	if (!out)
		return NULL;
	memcpy(out, msg, n + 1);
	if (n == 0 || msg[n - 1] != '\n') {
		out[n] = '\n';
		out[n + 1] = '\0';
	}
	return out;
}

/* One attempt: build on the current tip, then move the ref only if it is still that tip.
 * Returns 0, 1 (nothing to commit), CF_EMOVED (lost the race) or another error. */
static int commit_once(struct cf_repo *r, const struct repo_change *ch, size_t n,
		       const struct repo_commit_opts *o, const char *ref, git_oid *out,
		       struct cf_err *err)
{
	git_commit *tip = NULL, *merge = NULL;
	git_tree *base = NULL, *tree = NULL;
	git_signature *sig = NULL;
	const git_commit *parents[2];
	size_t nparents = 0;
	git_oid tree_id, mid;
	char *msg = NULL, hex[CF_OID_HEX];
	int rc;

	if ((rc = lookup_tip(r, ref, &tip, err)) < 0)
		return rc;
	if (o->expect) {
		if (tip)
			git_oid_tostr(hex, sizeof(hex), git_commit_id(tip));
		if ((!tip && o->expect[0]) || (tip && strcmp(hex, o->expect) != 0)) {
			rc = cf_error(err, CF_EMOVED, "'%s' moved: expected %.12s", ref,
				      o->expect[0] ? o->expect : "no branch");
			goto out;
		}
	}
	if (tip) {
		parents[nparents++] = tip;
		if (git_commit_tree(&base, tip) < 0) {
			rc = repo_git_fail(err, CF_EIO, "read tree");
			goto out;
		}
	}
	if (o->merge_parent) {
		if (git_oid_fromstr(&mid, o->merge_parent) < 0 ||
		    git_commit_lookup(&merge, r->git, &mid) < 0) {
			rc = repo_git_fail(err, CF_ENOTFOUND, "merge parent");
			goto out;
		}
		parents[nparents++] = merge;
	}
	if (o->tree && (n || git_oid_fromstr(&tree_id, o->tree) < 0)) {
		rc = cf_error(err, CF_EINVAL, "commit: a tree and changes, or a bad tree id");
		goto out;
	}
	if (!o->tree && (rc = repo_build_tree(r, base, ch, n, &tree_id, err)) < 0)
		goto out;
	if (tip && !merge && !o->allow_empty && git_oid_equal(&tree_id, git_tree_id(base))) {
		git_oid_cpy(out, git_commit_id(tip));
		rc = 1;
		goto out;
	}
	if (git_tree_lookup(&tree, r->git, &tree_id) < 0) {
		rc = repo_git_fail(err, CF_EIO, "read tree");
		goto out;
	}
	if ((rc = make_signature(&sig, o->author, o->when, err)) < 0)
		goto out;
	if (!(msg = with_newline(o->message))) {
		rc = cf_error(err, CF_ERR, "out of memory");
		goto out;
	}
	if (git_commit_create(out, r->git, NULL, sig, sig, NULL, msg, tree, nparents, parents) <
	    0) {
		rc = repo_git_fail(err, CF_EIO, "write commit");
		goto out;
	}
	rc = repo_cas(r->git, ref, tip ? git_commit_id(tip) : NULL, out, "casefile: commit", err);
out:
	free(msg);
	git_signature_free(sig);
	git_tree_free(tree);
	git_tree_free(base);
	git_commit_free(merge);
	git_commit_free(tip);
	return rc;
}

int repo_commit(struct cf_repo *r, const struct repo_change *changes, size_t n,
		const struct repo_commit_opts *o, char oid_out[CF_OID_HEX], struct cf_err *err)
{
	const char *ref = o->ref ? o->ref : CF_GIT_MAIN;
	int tries = o->expect ? 1 : 1 + (o->retries > 0 ? o->retries : 3);
	git_oid oid;
	int rc = CF_EMOVED;

	if (!o->message || !*o->message)
		return cf_error(err, CF_EINVAL, "commit: empty message");
	if (git_reference_name_is_valid(&rc, ref) < 0 || !rc)
		return cf_error(err, CF_EINVAL, "'%s': not a valid branch name", ref);
	if ((rc = repo_lock(r, err)) < 0)
		return rc;
	for (int i = 0; i < tries; i++) {
		rc = commit_once(r, changes, n, o, ref, &oid, err);
		if (rc != CF_EMOVED)
			break;
	}
	repo_unlock(r);
	if (rc >= 0 && oid_out)
		git_oid_tostr(oid_out, CF_OID_HEX, &oid);
	return rc;
}

int repo_tag(struct cf_repo *r, const char *name, const char *oid, const char *message,
	     const char *tagger, int64_t when, struct cf_err *err)
{
	git_signature *sig = NULL;
	git_object *target = NULL;
	git_oid id, tag_id;
	char ref[CF_GIT_REF_LEN], *msg = NULL;
	int valid = 0, rc;

	snprintf(ref, sizeof(ref), "refs/tags/%s", name);
	if (git_reference_name_is_valid(&valid, ref) < 0 || !valid)
		return cf_error(err, CF_EINVAL, "'%s': not a valid tag name", name);
	if (git_oid_fromstr(&id, oid) < 0 ||
	    git_object_lookup(&target, r->git, &id, GIT_OBJECT_COMMIT) < 0)
		return cf_error(err, CF_ENOTFOUND, "tag '%s': no commit %.12s", name, oid);
	if ((rc = make_signature(&sig, tagger, when, err)) < 0)
		goto out;
	if (!(msg = with_newline(message && *message ? message : name))) {
		rc = cf_error(err, CF_ERR, "out of memory");
		goto out;
	}
	rc = git_tag_create(&tag_id, r->git, name, target, sig, msg, 0);
	if (rc == GIT_EEXISTS)
		rc = cf_error(err, CF_ERR, "tag '%s' exists already", name);
	else if (rc < 0)
		rc = repo_git_fail(err, CF_EIO, name);
out:
	free(msg);
	git_signature_free(sig);
	git_object_free(target);
	return rc;
}
