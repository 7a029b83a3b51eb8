/* repo.h — the case's git repository DIR/casefile.git, written with libgit2 and no work tree:
 * commits built from in-memory trees, refs moved by compare-and-swap.  Shared by the report
 * versions (reports/) and by sync (ops/).  Knows nothing of reports or operations.
 *
 * The repository is bare; its HEAD names refs/heads/main, so `git clone DIR/casefile.git`
 * checks out main.  Every object written here passes `git fsck --strict`. */
#ifndef CASEFILE_REPO_H
#define CASEFILE_REPO_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

#define CF_GIT_DIR "casefile.git"           /* under the case directory */
#define CF_GIT_MAIN "refs/heads/main"       /* the branch HEAD names */
#define CF_OID_HEX 41                       /* 40 hex digits and a NUL */
/* A remote's or branch's name: git sets no limit, casefile refuses longer ones (remote add)
 * so that every ref built from them fits CF_GIT_REF_LEN. */
#define CF_GIT_NAME_LEN 256
/* A full ref built from two names: "refs/remotes/" NAME "/" BRANCH, or a config key
 * "remote." NAME ".casefilebranch". */
#define CF_GIT_REF_LEN (2 * CF_GIT_NAME_LEN + 32)
/* A remote's URL: a path (file:// or a directory) at most, ssh and https ones are shorter. */
#define CF_URL_LEN (PATH_MAX + CF_PATH_EXTRA)

struct git_repository;
struct cf_repo;

/* Opens DIR/casefile.git (DIR = the case directory); when CREATE and it does not exist,
 * creates it bare with HEAD -> refs/heads/main (directories 0700).  CF_ENOTFOUND when it does
 * not exist and !CREATE; CF_EIO otherwise.  Leaves nothing open on error. */
int repo_open(const char *case_dir, int create, struct cf_repo **out, struct cf_err *err);
/* Makes PATH (missing, or an empty directory) a new bare repository whose HEAD names
 * refs/heads/BRANCH, private whatever the umask: directories 0700, files 0600 (objects
 * written into it later keep that only under the same umask 077: see sync_local.c).
 * Opened into *OUT.  CF_EIO when it cannot be made. */
int repo_create_private(const char *path, const char *branch, struct cf_repo **out,
			struct cf_err *err);
/* Opens the repository at PATH itself (a bare one, or a work tree with PATH/.git; no search
 * upwards), e.g. a remote that is a directory.  CF_ENOTFOUND when there is none. */
int repo_open_path(const char *path, struct cf_repo **out, struct cf_err *err);
void repo_close(struct cf_repo *r);
/* The repository's path (DIR/casefile.git, as given). */
const char *repo_path(const struct cf_repo *r);
/* The libgit2 handle, for what this header does not wrap (fetch, push, merges).  Owned by R. */
struct git_repository *repo_git(struct cf_repo *r);

/* One change to the tree: DATA (LEN bytes) becomes the file at PATH, or, when DATA is NULL,
 * PATH is removed (removing a missing path is not an error).  PATH is relative, '/'-separated,
 * without empty, ".", ".." or ".git" components. */
struct repo_change {
	const char *path;
	const char *data;
	size_t len;
};

struct repo_commit_opts {
	const char *message;  /* required; a final newline is added when missing */
	const char *author;   /* "Name <email>", or "Name" (email unknown@casefile.invalid);
			       * NULL = "casefile" */
	int64_t when;         /* commit time, UTC seconds; 0 = cf_now() */
	const char *ref;      /* branch to move; NULL = CF_GIT_MAIN */
	/* Compare-and-swap: when non-NULL, the commit is made only if the branch tip is this
	 * commit ("" = the branch must not exist yet); otherwise CF_EMOVED, nothing changed.
	 * When NULL, the changes are re-applied on the new tip if the branch moves meanwhile
	 * (up to RETRIES times, default 3) — right for changes that do not depend on the tip. */
	const char *expect;
	int retries;
	const char *merge_parent; /* optional second parent (hex oid), for merges */
	/* Optional: the whole tree (hex oid, already written, e.g. by a merge) to commit as is;
	 * CHANGES must then be empty. */
	const char *tree;
	int allow_empty;          /* commit even when the tree does not change */
};

/* Commits CHANGES (N of them; later entries win for the same path) on top of the branch,
 * creating it if needed.  OID_OUT (may be NULL) receives the new commit, or the unchanged tip
 * when nothing changed and !allow_empty (then the return is 1, not 0).  Nothing is written to
 * the branch on error; objects written before the error are unreachable and harmless. */
int repo_commit(struct cf_repo *r, const struct repo_change *changes, size_t n,
		const struct repo_commit_opts *o, char oid_out[CF_OID_HEX], struct cf_err *err);

/* Moves REF (a full name, NULL = main) to commit TO (hex), only if its tip is still EXPECT
 * (hex; NULL or "" = the ref must not exist yet): CF_EMOVED when it is not.  LOG goes to the
 * reflog. */
int repo_move_ref(struct cf_repo *r, const char *ref, const char *expect, const char *to,
		  const char *log, struct cf_err *err);
/* Sets REF (a full name; a tracking ref such as refs/remotes/origin/main) to TO (hex)
 * whatever it held, or deletes it when TO is NULL (deleting a missing ref is no error). */
int repo_set_ref(struct cf_repo *r, const char *ref, const char *to, const char *log,
		 struct cf_err *err);

/* Serialises the writers of R between processes for as long as it is held (nested calls are
 * counted); repo_commit takes it itself.  See gitdir_lock. */
int repo_lock(struct cf_repo *r, struct cf_err *err);
void repo_unlock(struct cf_repo *r);
/* An exclusive flock on GITDIR/casefile.lock (waits for the holder), dropped by the kernel
 * when the holder dies; once held, ref lock files left by a killed writer are removed.
 * *FD is what gitdir_unlock releases. */
int gitdir_lock(const char *gitdir, int *fd, struct cf_err *err);
void gitdir_unlock(int fd);

/* Resolves REV (anything git rev-parse takes: a branch, tag, oid, "main~1"; NULL = the main
 * branch) to a commit id.  CF_ENOTFOUND when it names nothing (or the branch is empty). */
int repo_resolve(struct cf_repo *r, const char *rev, char oid_out[CF_OID_HEX],
		 struct cf_err *err);

/* Reads PATH at REV (NULL = main) into a new NUL-terminated buffer (*DATA, freed by the
 * caller; *LEN without the NUL).  CF_ENOTFOUND when the path or revision does not exist. */
int repo_read(struct cf_repo *r, const char *rev, const char *path, char **data, size_t *len,
	      struct cf_err *err);

/* Walks the files (blobs) under directory PREFIX ("" or NULL = all) at REV (NULL = main), in
 * path order.  CB gets the full path and the blob id; non-zero stops the walk (and is
 * returned).  An empty branch or a missing prefix walks nothing and returns 0. */
typedef int (*repo_file_cb)(const char *path, const char *blob_oid, void *ctx);
/* The size of blob BLOB_OID (hex) from its header, without reading its contents (a file from
 * anyone's clone may be of any size).  CF_ENOTFOUND or CF_EIO. */
int repo_blob_size(struct cf_repo *r, const char *blob_oid, size_t *size, struct cf_err *err);
int repo_files(struct cf_repo *r, const char *rev, const char *prefix, repo_file_cb cb,
	       void *ctx, struct cf_err *err);

struct repo_commit_info {
	char oid[CF_OID_HEX];
	char parent[CF_OID_HEX];  /* first parent, "" for the root commit */
	int64_t time;             /* committer time, UTC seconds */
	const char *author;       /* "Name <email>" */
	const char *summary;      /* first line of the message */
	const char *message;      /* the whole message */
};

/* Walks the commits reachable from REV (NULL = main), newest first (time, then topological),
 * that change anything under PREFIX ("" or NULL = every commit) compared with their first
 * parent.  CB returns non-zero to stop (and that value is returned).  An empty branch walks
 * nothing and returns 0. */
typedef int (*repo_log_cb)(const struct repo_commit_info *c, void *ctx);
int repo_log(struct cf_repo *r, const char *rev, const char *prefix, repo_log_cb cb, void *ctx,
	     struct cf_err *err);

/* Creates the annotated tag NAME (refs/tags/NAME) on commit OID with MESSAGE and TAGGER
 * (as repo_commit's author) at WHEN (0 = now).  CF_EINVAL for a bad name; an existing tag
 * with that name is an error (CF_ERR), never moved. */
int repo_tag(struct cf_repo *r, const char *name, const char *oid, const char *message,
	     const char *tagger, int64_t when, struct cf_err *err);

/* Copies R's main branch and the tags on it into a new repository at PATH (made as
 * repo_create_private makes one), every file through BLOB (0: *OUT, *OLEN replace it, freed
 * here; 1: kept as is; <0 stops, with ERR) and every commit and tag message through MSG (a
 * new string, freed here), with EXTRA (NEXTRA changes) in every tree; authors, committers and
 * times kept.  *NCOMMITS: the commits rewritten.  On error PATH may be left half made: the
 * caller removes it. */
typedef int (*repo_blob_fn)(void *ctx, const char *path, const char *data, size_t len,
			    char **out, size_t *olen, struct cf_err *err);
typedef char *(*repo_msg_fn)(void *ctx, const char *message);
int repo_rewrite(struct cf_repo *r, const char *path, const struct repo_change *extra,
		 size_t nextra, repo_blob_fn blob, repo_msg_fn msg, void *ctx, int *ncommits,
		 struct cf_err *err);

#endif
