/* sync_internal.h — private to export/sync*.c: one sync's state, shared by the stages
 * (sync.c), the ops/ files (sync_ops.c), the tree join (sync_merge.c), the network
 * (sync_net.c) and the host keys (sync_hosts.c). */
#ifndef CASEFILE_SYNC_INTERNAL_H
#define CASEFILE_SYNC_INTERNAL_H

#include <git2.h>
#include <limits.h>

#include "export/git/repo.h"
#include "export/seal.h"
#include "export/sync/sync.h"

#define SYNC_MAX_ATTEMPTS 5  /* pushes tried before giving up with CF_EREJECTED */
#define SYNC_MAX_CREDENTIALS 6 /* credentials offered to one server before giving up */
#define SSH_MAX_IDENTITIES 8   /* IdentityFile lines kept per host (ssh allows more) */

/* What ~/.ssh/config says of one host (ssh_config.c): "" / 0 where it says nothing. */
struct ssh_host_config {
	char hostname[CF_PHRASE_LEN];
	char user[CF_PHRASE_LEN];
	int port;
	char identity[SSH_MAX_IDENTITIES][PATH_MAX];
	int nidentity;
};
/* Reads the ssh config file PATH for HOST (the name in the URL, maybe an alias) into H; 0 also
 * when there is no file, or CF_EINVAL naming PATH:LINE for a line it cannot read. */
int ssh_config_for(const char *path, const char *host, struct ssh_host_config *h,
		   struct cf_err *err);
/* git credential fill for an http(s) URL (USER: the URL's user name, or NULL): 0 with the user
 * name and password the helpers (or the user, on a terminal) gave, -1 when none. */
int git_credential_fill(const char *url, const char *user, char *out_user, char *out_pass,
			size_t len);
/* git credential approve or reject (ACTION) of that pair. */
void git_credential_tell(const char *action, const char *url, const char *user,
			 const char *pass);
/* The parts of an ssh URL: ssh://[user@]host[:port]/path or [user@]host:path, the host maybe
 * an address in brackets ([::1]); PORT 0 when the URL names none. */
struct ssh_url {
	char user[CF_PHRASE_LEN], host[CF_PHRASE_LEN], path[PATH_MAX];
	int port;
	int scp;       /* the scp-like form */
	int bracketed; /* the host was in brackets */
};
/* 0 and U filled; -1 when URL is not an ssh URL. */
int ssh_url_split(const char *url, struct ssh_url *u);
struct sync_ctx;
/* Rewrites C's ssh URL by what CONFIG (the ssh config file) says of its host: HostName, Port,
 * User (the URL's own user and port win); C's host and port follow, and C->ssh keeps the
 * IdentityFile lines.  Not an ssh URL: nothing changes. */
int ssh_apply_config(struct sync_ctx *c, const char *config, struct cf_err *err);
/* Offers the key file PRIV for USER: 0 and *OUT; 1 to go on to the next (no such file, or
 * encrypted with no terminal to ask its passphrase on: C->key_msg says so). */
int ssh_key_credential(struct sync_ctx *c, git_credential **out, const char *user,
		       const char *priv);
/* What a replay took in, in words, for the merge commit's body: a few lines of counts by
 * kind; cut beyond (the operations themselves are in the ops/ files). */
#define SYNC_WORDS_LEN 2048

struct sync_ctx {
	struct store *s;
	struct cf_repo *repo;
	git_repository *git;
	char remote[CF_GIT_NAME_LEN];
	char url[CF_URL_LEN];
	char shown[CF_URL_LEN]; /* URL without credentials: the only form put in a message */
	char branch[CF_GIT_NAME_LEN];
	char tracking[CF_GIT_REF_LEN]; /* refs/remotes/NAME/BRANCH */
	sync_progress_cb cb;
	void *cbctx;
	struct sync_result *res;
	int attempt;
	int cancelled;
	struct progress prog; /* the stage under way, to the case's progress sink */
	int prog_on;
	enum sync_stage prog_stage;
	/* The network: credentials offered so far, and why the last step failed. */
	int cred_tries, cred_step;
	int auth_failed;
	char net_msg[CF_MSG_LEN];
	char gitmsg[CF_LINE_LEN];  /* libgit2's message with the URL as shown (sync_net.c) */
	char host[CF_PHRASE_LEN];
	int port;
	struct ssh_host_config ssh; /* ~/.ssh/config for the URL's host */
	/* https: the pair git's credential helpers gave (git_credential.c), to approve once the
	 * server took it or reject when it did not; wiped after. */
	char helper_user[CF_PHRASE_LEN];
	char helper_pass[CF_LINE_LEN];
	char key_msg[CF_MSG_LEN];          /* why a key file was not offered (no passphrase) */
	int rejected;
	int remote_new; /* a local remote that does not exist yet: made by the first push */
	char reject_msg[CF_MSG_LEN];
	/* What the last replay took in, for the merge commit's message. */
	int64_t received;
	char words[SYNC_WORDS_LEN];
	/* The case's sealing (export/seal.h): keys from main and the remote's tip. */
	struct seal *seal;
};

/* For the crash tests: the process kills itself (SIGKILL) at point NAME when the environment
 * variable CASEFILE_TEST_KILL_AT names it ("written", "fetched", "replayed", "moved",
 * "copied"), so each window between two writes is tested, not only those a timer hits. */
void sync_crash_point(const char *name);

/* Removes PATH and everything under it (nothing followed through symbolic links). */
void sync_rmtree(const char *path);

/* Reports a stage; non-zero when the caller cancelled. */
int sync_stage(struct sync_ctx *c, enum sync_stage stage, int64_t done, int64_t total);

/* sync_ops.c: writes the local operations not yet in main's ops/ (committed on main). */
int ops_write_local(struct sync_ctx *c, struct cf_err *err);
/* Reads the ops/ files of TREE that LOCAL (may be NULL) does not hold with the same contents,
 * or that hold operations the case lacks, into the case (op_receive). */
int ops_receive_tree(struct sync_ctx *c, git_tree *tree, git_tree *local, struct cf_err *err);
/* The text of ops/ file PATH (BLOB) into *TEXT (NUL-terminated, freed by the caller): opened
 * when the case is sealed (seal_open_file: 1 when sealed for an epoch whose key is not held
 * here, CF_ETAMPER naming PATH when it does not open), else copied. */
int ops_file_open(struct sync_ctx *c, const char *path, git_blob *blob, char **text,
		  size_t *len, struct cf_err *err);
/* CF_EINVAL when REMOTE's ops/ hold operations but not the chain of this case's creator:
 * another case, which must not be mixed into this one (nor this one pushed into it). */
int ops_same_case(struct sync_ctx *c, git_commit *remote, struct cf_err *err);

/* sync_merge.c: main (LOCAL) joined with the remote's tip (REMOTE); either may be NULL.
 * *HOW: JOIN_LOCAL (the remote has nothing we lack), JOIN_REMOTE (a fast-forward keeps all of
 * ours), or JOIN_MERGE with the joined tree in *TREE.  CF_ETAMPER naming an ops/ file that
 * differs between the two sides. */
enum { JOIN_LOCAL, JOIN_REMOTE, JOIN_MERGE };
int sync_join(struct sync_ctx *c, git_commit *local, git_commit *remote, git_oid *tree,
	      int *how, struct cf_err *err);
/* The ops/ subtree of a commit (NULL when there is none). */
git_tree *ops_tree_of(git_repository *git, git_commit *commit);

/* sync_net.c */
int net_lookup(struct sync_ctx *c, const char *name, struct cf_err *err);
int net_fetch(struct sync_ctx *c, struct cf_err *err);
int net_push(struct sync_ctx *c, struct cf_err *err);
void net_callbacks(struct sync_ctx *c, git_remote_callbacks *cb);

/* sync_local.c: the same for a remote that is a directory, copying objects as they are.  A
 * path that does not exist yet (its parent does) is fetched as empty and made by the first
 * push, whole or not at all: a private repository (directories 0700, files 0600 or 0400,
 * whatever the umask) built beside it and renamed into place once its branch is set. */
int local_fetch(struct sync_ctx *c, struct cf_err *err);
int local_push(struct sync_ctx *c, struct cf_err *err);

/* sync_hosts.c: HOST (port PORT) and its key against known_hosts; 0 when known and matching,
 * CF_EAUTH with the reason otherwise. */
int hosts_check(const char *host, int port, const git_cert_hostkey *key, struct cf_err *err);

#endif
