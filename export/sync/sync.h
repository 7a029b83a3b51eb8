/* sync.h — team sharing through git: the case's operations written to DIR/casefile.git as
 * append-only files under ops/REPLICA/, exchanged with remotes (local paths, file://, ssh://,
 * user@host:path, https://), and the other replicas' operations replayed into the case.
 * The TUI and the CLI call only this.  The ops/ format is in casefile-format(5). */
#ifndef CASEFILE_SYNC_H
#define CASEFILE_SYNC_H

#include <stddef.h>
#include <stdint.h>

#include "export/git/repo.h" /* CF_OID_HEX, CF_GIT_REF_LEN */
#include "store/store.h"

#define SYNC_DEFAULT_REMOTE "origin"
#define SYNC_DEFAULT_BRANCH "main"
#define SYNC_OPS_PER_FILE 10000 /* a batch larger than this is split into several files */

/* ---- remotes (kept in DIR/casefile.git/config: remote.NAME.url, remote.NAME.casefilebranch)
 */
struct sync_remote {
	const char *name;
	const char *url;
	const char *branch;
};
typedef int (*sync_remote_cb)(const struct sync_remote *r, void *ctx);

/* Adds remote NAME at URL, syncing with its branch BRANCH (NULL = main).  CF_EINVAL for a bad
 * name, URL or branch; CF_ERR when NAME exists.  Creates DIR/casefile.git when missing. */
int sync_remote_add(struct store *s, const char *name, const char *url, const char *branch,
		    struct cf_err *err);
/* Removes remote NAME (CF_ENOTFOUND when there is none); the case itself is untouched. */
int sync_remote_rm(struct store *s, const char *name, struct cf_err *err);
/* URL as it may be shown (lists, messages, logs): a password in it (scheme://user:pass@host)
 * removed, and for http(s) the user too (tokens are given as user names), as git shows them;
 * into BUF (LEN bytes, truncated). */
void sync_url_shown(const char *url, char *buf, size_t len);

/* Walks the remotes in name order, each URL as sync_url_shown gives it; none (or no
 * repository yet) walks nothing. */
int sync_remote_list(struct store *s, sync_remote_cb cb, void *ctx, struct cf_err *err);

/* ---- sync ---- */

enum sync_stage {
	SYNC_STAGE_WRITE,   /* local operations into ops/ files, committed on main */
	SYNC_STAGE_FETCH,   /* the remote's branch fetched (DONE/TOTAL: objects) */
	SYNC_STAGE_MERGE,   /* the two histories joined */
	SYNC_STAGE_REPLAY,  /* the other replicas' new operations into the case */
	SYNC_STAGE_PUSH,    /* main pushed to the remote's branch (DONE/TOTAL: objects) */
	SYNC_STAGE_RETRY,   /* the push was refused (someone pushed first): again from fetch */
};
/* "write", "fetch", "merge", "replay", "push", "retry" */
const char *sync_stage_name(enum sync_stage stage);

struct sync_progress {
	enum sync_stage stage;
	const char *remote;
	int64_t done, total; /* counts for the stage; TOTAL 0 when unknown */
	int attempt;         /* 1 for the first try, 2 after one refused push, ... */
};
/* Called at each stage and as objects move; returning non-zero cancels the sync (CF_ERR,
 * "cancelled"), leaving the case as it was before the stage.  Whatever CB is, the stages are
 * also reported to the case's progress sink (store_set_progress), one line a stage. */
typedef int (*sync_progress_cb)(const struct sync_progress *p, void *ctx);

struct sync_result {
	int64_t ops_written;   /* local operations written to ops/ files */
	int64_t files_written;
	int64_t ops_received;  /* other replicas' operations replayed into the case */
	int64_t conflicts;     /* fields newly conflicted by them */
	int64_t quarantined;   /* received operations set aside (casefile quarantine list) */
	int64_t retracted;     /* taken back out: a late membership change refuses them */
	int renewed;           /* this case's own chain was cut: it continues as a new replica */
	int64_t unreadable;    /* sealed files of an epoch whose key this identity lacks */
	int attempts;          /* pushes tried (1 when the first was accepted) */
	int pushed;            /* the remote's branch moved */
	int up_to_date;        /* nothing new in either direction */
	char tip[CF_OID_HEX];          /* main after the sync, hex */
	char remote_branch[CF_GIT_REF_LEN];  /* "NAME/BRANCH" */
};

/* Syncs the case with REMOTE (NULL = origin): writes the local operations not yet in git,
 * commits, fetches the remote's branch, joins the histories (ops/ files are per replica, so
 * they never conflict; an ops/ file that differs between the two sides is refused), replays
 * the other replicas' new operations (store's op_receive), moves main, pushes, and when the
 * push is refused because someone pushed first, does it again (a few times).
 * Any failure leaves the case and main consistent; the next sync picks up from there.
 * CF_ENET, CF_EAUTH, CF_EREJECTED, CF_ETAMPER (naming the file) or another cf_rc, with
 * ERR saying what failed.  CB may be NULL.  RES is filled as far as the sync went. */
int sync_run(struct store *s, const char *remote, sync_progress_cb cb, void *ctx,
	     struct sync_result *res, struct cf_err *err);

/* Makes DIR (which must not exist, or be empty) a new replica of the case at URL (its BRANCH,
 * NULL = main): a new replica id, remote origin, and the whole case rebuilt by replaying
 * every operation; ID (NULL: none) signs its operations and opens a sealed case's keys.
 * If it fails before anything was replayed, DIR is removed again; after
 * that, `casefile sync` in DIR completes it.  SINK (NULL: none) is the new case's progress
 * sink, as store_set_progress gives an open case's to sync_run. */
struct cf_identity;
int sync_clone(const char *url, const char *dir, const char *branch, const char *author,
	       const struct cf_identity *id, const struct progress_sink *sink,
	       sync_progress_cb cb, void *ctx, struct sync_result *res, struct cf_err *err);

#endif
