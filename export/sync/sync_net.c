/* sync_net.c — remotes and the wire: remote NAME kept in the case repository's config, fetch
 * and push through libgit2 with credentials (ssh agent, then key files; https from the
 * environment, a bounded number of tries) and host keys checked against known_hosts. */
#include "export/sync/sync_internal.h"

#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *git_msg(void)
{
	const git_error *e = git_error_last();
	return e && e->message ? e->message : "unknown error";
}

/* libgit2's last message about remote C, with the URL in it (if any) as it may be shown. */
static const char *remote_msg(struct sync_ctx *c)
{
	const char *m = git_msg(), *at;
	size_t n = strlen(c->url), o = 0;

	while (n && (at = strstr(m, c->url)) && o < sizeof(c->gitmsg) - 1) {
		o += (size_t)snprintf(c->gitmsg + o, sizeof(c->gitmsg) - o, "%.*s%s",
				      (int)(at - m), m, c->shown);
		m = at + n;
	}
	if (o < sizeof(c->gitmsg) - 1)
		cf_strlcpy(c->gitmsg + o, m, sizeof(c->gitmsg) - o);
	return c->gitmsg;
}

/* ---- remotes ---- */

/* remote.NAME.url from the repository's config, into BUF; GIT_ENOTFOUND when there is none.
 * Read directly: git_remote_lookup leaks memory in libgit2 1.5 (its config regex, pcre2). */
static int remote_url(git_repository *git, const char *name, char *buf, size_t len)
{
	git_config *cfg = NULL;
	git_buf b = { 0 };
	char key[CF_GIT_REF_LEN];
	int rc;

	snprintf(key, sizeof(key), "remote.%s.url", name);
	if ((rc = git_repository_config_snapshot(&cfg, git)) == 0 &&
	    (rc = git_config_get_string_buf(&b, cfg, key)) == 0)
		cf_strlcpy(buf, b.ptr, len);
	git_buf_dispose(&b);
	git_config_free(cfg);
	return rc;
}

static int branch_ok(const char *branch)
{
	char ref[CF_GIT_REF_LEN];
	int valid = 0;

	if (strlen(branch) >= CF_GIT_NAME_LEN)
		return 0; /* every ref built from it must fit CF_GIT_REF_LEN */
	snprintf(ref, sizeof(ref), "refs/heads/%s", branch);
	return git_reference_name_is_valid(&valid, ref) == 0 && valid;
}

static int open_repo(struct store *s, int create, struct cf_repo **r, struct cf_err *err)
{
	return repo_open(store_dir(s), create, r, err);
}

int sync_remote_add(struct store *s, const char *name, const char *url, const char *branch,
		    struct cf_err *err)
{
	struct cf_repo *r;
	git_config *cfg = NULL;
	char fetch[2 * CF_GIT_REF_LEN], key[CF_URL_LEN];
	int valid = 0, rc;

	if (!branch)
		branch = SYNC_DEFAULT_BRANCH;
	if (git_remote_name_is_valid(&valid, name) < 0 || !valid || strlen(name) >= CF_GIT_NAME_LEN)
		return cf_error(err, CF_EINVAL, "'%s': not a valid remote name", name);
	if (!url || !*url || strchr(url, '\n'))
		return cf_error(err, CF_EINVAL, "remote '%s': give a URL or a path", name);
	if (!branch_ok(branch))
		return cf_error(err, CF_EINVAL, "'%s': not a valid branch name", branch);
	if ((rc = open_repo(s, 1, &r, err)) < 0)
		return rc;
	snprintf(fetch, sizeof(fetch), "+refs/heads/%s:refs/remotes/%s/%s", branch, name, branch);
	if (remote_url(repo_git(r), name, key, sizeof(key)) == 0)
		rc = cf_error(err, CF_ERR, "remote '%s' exists already", name);
	else if (git_repository_config(&cfg, repo_git(r)) < 0)
		rc = cf_error(err, CF_EIO, "remote '%s': %s", name, git_msg());
	/* What git remote add writes, plus the branch. */
	for (int i = 0; rc == 0 && i < 3; i++) {
		static const char *const what[] = { "url", "fetch", "casefilebranch" };
		const char *value = i == 0 ? url : i == 1 ? fetch : branch;
		snprintf(key, sizeof(key), "remote.%s.%s", name, what[i]);
		if (git_config_set_string(cfg, key, value) < 0)
			rc = cf_error(err, CF_EIO, "remote '%s': %s", name, git_msg());
	}
	git_config_free(cfg);
	repo_close(r);
	return rc;
}

static void remote_branch(git_repository *git, const char *name, char *buf, size_t len);

int sync_remote_rm(struct store *s, const char *name, struct cf_err *err)
{
	static const char *const keys[] = { "url", "fetch", "casefilebranch" };
	struct cf_repo *r;
	git_config *cfg = NULL;
	char key[CF_GIT_REF_LEN], url[CF_URL_LEN], branch[CF_GIT_NAME_LEN];
	int rc = open_repo(s, 0, &r, err);

	if (rc == CF_ENOTFOUND)
		return cf_error(err, CF_ENOTFOUND, "no remote '%s'", name);
	if (rc < 0)
		return rc;
	if (remote_url(repo_git(r), name, url, sizeof(url)) < 0)
		rc = cf_error(err, CF_ENOTFOUND, "no remote '%s'", name);
	else if (git_repository_config(&cfg, repo_git(r)) < 0)
		rc = cf_error(err, CF_EIO, "remote '%s': %s", name, git_msg());
	if (rc == 0) {
		/* Its tracking ref, then its keys (one by one: git_remote_delete leaks, as
		 * remote_url says). */
		remote_branch(repo_git(r), name, branch, sizeof(branch));
		snprintf(key, sizeof(key), "refs/remotes/%s/%s", name, branch);
		rc = repo_set_ref(r, key, NULL, NULL, err);
	}
	for (size_t i = 0; rc == 0 && i < sizeof(keys) / sizeof(keys[0]); i++) {
		snprintf(key, sizeof(key), "remote.%s.%s", name, keys[i]);
		int d = git_config_delete_entry(cfg, key);
		if (d < 0 && d != GIT_ENOTFOUND)
			rc = cf_error(err, CF_EIO, "remote '%s': %s", name, git_msg());
	}
	git_config_free(cfg);
	repo_close(r);
	return rc;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names of the remotes that have a url, sorted (*N of them, each malloc'd). */
static int remote_names(git_repository *git, char ***out, size_t *n, struct cf_err *err)
{
	git_config *cfg = NULL;
	git_config_iterator *it = NULL;
	git_config_entry *e;
	char **v = NULL;
	int rc = 0;

	*out = NULL;
	*n = 0;
	if (git_repository_config_snapshot(&cfg, git) < 0 ||
	    git_config_iterator_new(&it, cfg) < 0) {
		git_config_free(cfg);
		return cf_error(err, CF_EIO, "remotes: %s", git_msg());
	}
	while (rc == 0 && git_config_next(&e, it) == 0) {
		size_t len = strlen(e->name);
		char **more;
		if (strncmp(e->name, "remote.", 7) || len < 12 || strcmp(e->name + len - 4, ".url"))
			continue;
		if (!(more = xrealloc(v, (*n + 1) * sizeof(*v))) ||
		    !(more[*n] = xstrndup(e->name + 7, len - 11))) {
			v = more ? more : v;
			rc = cf_error(err, CF_ERR, "out of memory");
			break;
		}
		v = more;
		(*n)++;
	}
	git_config_iterator_free(it);
	git_config_free(cfg);
	qsort(v, *n, sizeof(*v), by_name);
	*out = v;
	return rc;
}
/* The branch remote NAME syncs with, into BUF. */
static void remote_branch(git_repository *git, const char *name, char *buf, size_t len)
{
	git_config *cfg = NULL;
	git_buf b = { 0 };
	char key[CF_GIT_REF_LEN];

	cf_strlcpy(buf, SYNC_DEFAULT_BRANCH, len);
	snprintf(key, sizeof(key), "remote.%s.casefilebranch", name);
	if (git_repository_config_snapshot(&cfg, git) == 0 &&
	    git_config_get_string_buf(&b, cfg, key) == 0 && branch_ok(b.ptr))
		cf_strlcpy(buf, b.ptr, len);
	git_buf_dispose(&b);
	git_config_free(cfg);
}

int sync_remote_list(struct store *s, sync_remote_cb cb, void *ctx, struct cf_err *err)
{
	struct cf_repo *r;
	char **names = NULL;
	size_t n = 0;
	int rc = open_repo(s, 0, &r, err), stop = 0;

	if (rc == CF_ENOTFOUND)
		return 0;
	if (rc < 0)
		return rc;
	rc = remote_names(repo_git(r), &names, &n, err);
	for (size_t i = 0; rc == 0 && !stop && i < n; i++) {
		char branch[CF_GIT_NAME_LEN], url[CF_URL_LEN], shown[CF_URL_LEN];
		struct sync_remote sr;
		if (remote_url(repo_git(r), names[i], url, sizeof(url)) < 0)
			continue;
		remote_branch(repo_git(r), names[i], branch, sizeof(branch));
		sr.name = names[i];
		sync_url_shown(url, shown, sizeof(shown));
		sr.url = shown;
		sr.branch = branch;
		stop = cb(&sr, ctx);
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	repo_close(r);
	return rc;
}

/* ---- where a URL points ---- */

void sync_url_shown(const char *url, char *buf, size_t len)
{
	const char *scheme = strstr(url, "://"), *host, *at, *colon;
	int web;

	if (!scheme || !(at = memchr(scheme + 3, '@', strcspn(scheme + 3, "/?#")))) {
		cf_strlcpy(buf, url, len);
		return;
	}
	host = scheme + 3;
	web = !strncmp(url, "http://", 7) || !strncmp(url, "https://", 8);
	colon = memchr(host, ':', (size_t)(at - host));
	/* Keep "scheme://", then the user unless it is a web URL, then "@host...". */
	snprintf(buf, len, "%.*s%.*s%s", (int)(host - url), url,
		 web ? 0 : (int)((colon ? colon : at) - host), host, web ? at + 1 : at);
}

/* A local path (or file://): no scheme and no scp-like "host:" before the first '/'. */
static int is_local(const char *url)
{
	const char *colon = strchr(url, ':'), *slash = strchr(url, '/');

	if (!strncmp(url, "file://", 7))
		return 1;
	return !colon || (slash && slash < colon);
}

/* The host and port of an ssh URL (ssh://[user@]host[:port]/path, [user@]host:path). */
static void parse_host(struct sync_ctx *c)
{
	struct ssh_url u;

	c->host[0] = '\0';
	c->port = 22;
	if (is_local(c->url) || ssh_url_split(c->url, &u) < 0)
		return;
	cf_strlcpy(c->host, u.host, sizeof(c->host));
	if (u.port > 0)
		c->port = u.port;
}

/* ~/.ssh/config applied to the URL (ssh_config.c). */
static int ssh_config(struct sync_ctx *c, struct cf_err *err)
{
	const char *home = getenv("HOME");
	char path[PATH_MAX];

	if (!home || !*home || (size_t)snprintf(path, sizeof(path), "%s/.ssh/config", home) >=
				       sizeof(path))
		return 0;
	return ssh_apply_config(c, path, err);
}

int net_lookup(struct sync_ctx *c, const char *name, struct cf_err *err)
{
	int rc = remote_url(c->git, name, c->url, sizeof(c->url));

	if (rc == GIT_ENOTFOUND)
		return cf_error(err, CF_ENOTFOUND, "no remote '%s' (add one with casefile remote add"
				" NAME URL)", name);
	if (rc < 0)
		return cf_error(err, CF_EIO, "remote '%s': %s", name, git_msg());
	cf_strlcpy(c->remote, name, sizeof(c->remote));
	sync_url_shown(c->url, c->shown, sizeof(c->shown));
	remote_branch(c->git, name, c->branch, sizeof(c->branch));
	snprintf(c->tracking, sizeof(c->tracking), "refs/remotes/%s/%s", c->remote, c->branch);
	snprintf(c->res->remote_branch, sizeof(c->res->remote_branch), "%s/%s", c->remote,
		 c->branch);
	parse_host(c);
	return ssh_config(c, err);
}

/* ---- credentials and host keys ---- */

static void user_name(const char *from_url, char *buf, size_t len)
{
	struct passwd *pw;
	const char *u = getenv("USER");

	if (from_url && *from_url)
		cf_strlcpy(buf, from_url, len);
	else if ((pw = getpwuid(getuid())) && pw->pw_name)
		cf_strlcpy(buf, pw->pw_name, len);
	else
		cf_strlcpy(buf, u && *u ? u : "git", len);
}

/* The next ssh credential: the agent first (when SSH_AUTH_SOCK is set), then the host's
 * IdentityFile keys from ~/.ssh/config, then ~/.ssh/id_ed25519, id_ecdsa, id_rsa that exist.
 * 1 when none is left. */
static int next_ssh_key(struct sync_ctx *c, git_credential **out, const char *user)
{
	static const char *const keys[] = { "id_ed25519", "id_ecdsa", "id_rsa" };
	const int nkeys = (int)(sizeof(keys) / sizeof(keys[0]));
	const char *home = getenv("HOME"), *sock = getenv("SSH_AUTH_SOCK");
	char priv[PATH_MAX + CF_PATH_EXTRA];

	while (c->cred_step < 1 + c->ssh.nidentity + nkeys) {
		int step = c->cred_step++;
		if (step == 0) {
			if (sock && *sock && git_credential_ssh_key_from_agent(out, user) == 0)
				return 0;
			continue;
		}
		if (step <= c->ssh.nidentity)
			cf_strlcpy(priv, c->ssh.identity[step - 1], sizeof(priv));
		else if (!home ||
			 (size_t)snprintf(priv, sizeof(priv), "%s/.ssh/%s", home,
					  keys[step - 1 - c->ssh.nidentity]) >= sizeof(priv))
			continue;
		if (ssh_key_credential(c, out, user, priv) == 0)
			return 0;
	}
	return 1;
}

static int fail_auth(struct sync_ctx *c, const char *fmt, const char *arg)
{
	size_t n;

	c->auth_failed = 1;
	snprintf(c->net_msg, sizeof(c->net_msg), fmt, arg);
	/* Why a key was passed over (its passphrase could not be asked), when one was. */
	n = strlen(c->net_msg);
	cf_strlcpy(c->net_msg + n, c->key_msg, sizeof(c->net_msg) - n);
	git_error_set_str(GIT_ERROR_NET, c->net_msg);
	return GIT_EAUTH;
}

/* Tells git's credential helpers how the pair they gave fared (ACTION approve or reject; NULL
 * when the server never judged it), and forgets it. */
static void helper_done(struct sync_ctx *c, const char *action)
{
	if (!c->helper_user[0])
		return;
	if (action)
		git_credential_tell(action, c->url, c->helper_user, c->helper_pass);
	explicit_bzero(c->helper_user, sizeof(c->helper_user));
	explicit_bzero(c->helper_pass, sizeof(c->helper_pass));
}

static int credentials(git_credential **out, const char *url, const char *user_from_url,
		       unsigned int allowed, void *payload)
{
	struct sync_ctx *c = payload;
	const char *user_env = getenv("CASEFILE_GIT_USERNAME");
	const char *pass = getenv("CASEFILE_GIT_PASSWORD");
	char user[CF_PHRASE_LEN];

	(void)url;
	if (++c->cred_tries > SYNC_MAX_CREDENTIALS)
		return fail_auth(c, "%s: credentials refused too many times", c->remote);
	user_name(user_from_url, user, sizeof(user));
	if (allowed & GIT_CREDENTIAL_USERNAME)
		return git_credential_username_new(out, user);
	if (allowed & GIT_CREDENTIAL_SSH_KEY) {
		if (next_ssh_key(c, out, user) == 0)
			return 0;
		return fail_auth(c, "%s: no ssh key was accepted (tried the ssh agent, the"
				 " IdentityFile keys of ~/.ssh/config and ~/.ssh/id_ed25519,"
				 " id_ecdsa, id_rsa)", c->remote);
	}
	if (allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT) {
		/* One try with what the environment gives: a refused token is not retried. */
		if (pass && *pass && c->cred_step++ == 0)
			return git_credential_userpass_plaintext_new(
				out, user_env && *user_env ? user_env : user, pass);
		/* Else git's credential helpers, once; a pair refused is rejected, so they
		 * forget it. */
		if (!(pass && *pass) && c->helper_user[0])
			helper_done(c, "reject");
		else if (!(pass && *pass) && c->cred_step++ == 0 &&
			 git_credential_fill(c->url, user_from_url, c->helper_user, c->helper_pass,
					     sizeof(c->helper_user)) == 0)
			return git_credential_userpass_plaintext_new(out, c->helper_user,
								     c->helper_pass);
		return fail_auth(c, "%s: the server asks for a user name and password, and"
				 " neither git's credential helpers (git config credential.helper)"
				 " nor CASEFILE_GIT_USERNAME and CASEFILE_GIT_PASSWORD gave one"
				 " it takes", c->remote);
	}
	return fail_auth(c, "%s: no way to authenticate that the server accepts", c->remote);
}

static int certificate(git_cert *cert, int valid, const char *host, void *payload)
{
	struct sync_ctx *c = payload;
	struct cf_err e;

	if (cert->cert_type == GIT_CERT_HOSTKEY_LIBSSH2) {
		if (hosts_check(c->host[0] ? c->host : host, c->port,
				(const git_cert_hostkey *)cert, &e) == 0)
			return 0;
		c->auth_failed = 1;
		cf_strlcpy(c->net_msg, e.msg, sizeof(c->net_msg));
		git_error_set_str(GIT_ERROR_SSH, c->net_msg);
		return GIT_ECERTIFICATE;
	}
	if (valid)
		return 0;
	c->auth_failed = 1;
	snprintf(c->net_msg, sizeof(c->net_msg), "%s: the server's certificate is not trusted",
		 host ? host : c->remote);
	git_error_set_str(GIT_ERROR_SSL, c->net_msg);
	return GIT_ECERTIFICATE;
}

static int fetch_progress(const git_indexer_progress *p, void *payload)
{
	struct sync_ctx *c = payload;
	return sync_stage(c, SYNC_STAGE_FETCH, p->received_objects, p->total_objects);
}

static int push_progress(unsigned int current, unsigned int total, size_t bytes, void *payload)
{
	struct sync_ctx *c = payload;
	(void)bytes;
	return sync_stage(c, SYNC_STAGE_PUSH, current, total);
}

static int push_ref(const char *refname, const char *status, void *payload)
{
	struct sync_ctx *c = payload;
	(void)refname;
	if (status) {
		c->rejected = 1;
		cf_strlcpy(c->reject_msg, status, sizeof(c->reject_msg));
	}
	return 0;
}

void net_callbacks(struct sync_ctx *c, git_remote_callbacks *cb)
{
	git_remote_init_callbacks(cb, GIT_REMOTE_CALLBACKS_VERSION);
	cb->credentials = credentials;
	cb->certificate_check = certificate;
	cb->transfer_progress = fetch_progress;
	cb->push_transfer_progress = push_progress;
	cb->push_update_reference = push_ref;
	cb->payload = c;
}

/* ---- fetch and push ---- */

/* The proxy an http(s) remote goes through, as libgit2's GIT_PROXY_AUTO picks it (the
 * remote's or http.proxy in git's configuration, else the environment), as host[:port] into
 * OUT: never its user name or password.  "" when none. */
static void proxy_shown(struct sync_ctx *c, char *out, size_t len)
{
	git_config *cfg = NULL;
	git_buf buf = GIT_BUF_INIT;
	char key[CF_GIT_REF_LEN + 16];
	const char *p = NULL, *at, *scheme;
	int https = strncmp(c->url, "https://", 8) == 0;

	out[0] = '\0';
	if (!https && strncmp(c->url, "http://", 7) != 0)
		return;
	snprintf(key, sizeof(key), "remote.%s.proxy", c->remote);
	if (git_repository_config_snapshot(&cfg, c->git) == 0 &&
	    (git_config_get_string_buf(&buf, cfg, key) == 0 ||
	     git_config_get_string_buf(&buf, cfg, "http.proxy") == 0))
		p = buf.ptr;
	if (!p || !*p)
		p = getenv(https ? "https_proxy" : "http_proxy");
	if (!p || !*p)
		p = getenv(https ? "HTTPS_PROXY" : "HTTP_PROXY");
	if (p && *p) {
		scheme = strstr(p, "://");
		p = scheme ? scheme + 3 : p;
		if ((at = strrchr(p, '@')))
			p = at + 1;
		snprintf(out, len, "%.*s", (int)strcspn(p, "/"), p);
	}
	git_buf_dispose(&buf);
	git_config_free(cfg);
}

/* What went wrong talking to the remote, in one line. */
static int net_error(struct sync_ctx *c, const char *what, struct cf_err *err)
{
	char proxy[CF_PHRASE_LEN];

	if (c->cancelled)
		return cf_error(err, CF_ERR, "cancelled");
	if (c->auth_failed)
		return cf_error(err, CF_EAUTH, "%s %s (%s): %s", what, c->remote, c->shown,
				c->net_msg);
	proxy_shown(c, proxy, sizeof(proxy));
	if (proxy[0])
		return cf_error(err, CF_ENET, "%s %s (%s) through the proxy %s: %s", what,
				c->remote, c->shown, proxy, remote_msg(c));
	return cf_error(err, CF_ENET, "%s %s (%s): %s", what, c->remote, c->shown,
			remote_msg(c));
}

static int lookup(struct sync_ctx *c, git_remote **rem, struct cf_err *err)
{
	git_remote_create_options o;

	/* git's GIT_SSL_CAINFO: a CA bundle of one's own (a company's TLS inspection, a
	 * self-signed server), as git honours it. */
	if (getenv("GIT_SSL_CAINFO") && *getenv("GIT_SSL_CAINFO") &&
	    git_libgit2_opts(GIT_OPT_SET_SSL_CERT_LOCATIONS, getenv("GIT_SSL_CAINFO"), NULL) < 0)
		return cf_error(err, CF_EINVAL, "GIT_SSL_CAINFO '%s': %s", getenv("GIT_SSL_CAINFO"),
				remote_msg(c));
	/* Anonymous, from the URL read at the start: no config regex (see remote_url). */
	git_remote_create_options_init(&o, GIT_REMOTE_CREATE_OPTIONS_VERSION);
	o.repository = c->git;
	o.flags = GIT_REMOTE_CREATE_SKIP_INSTEADOF | GIT_REMOTE_CREATE_SKIP_DEFAULT_FETCHSPEC;
	if (git_remote_create_with_opts(rem, c->url, &o) < 0)
		return cf_error(err, CF_ENET, "remote %s: '%s': %s", c->remote, c->shown,
				remote_msg(c));
	c->cred_tries = c->cred_step = c->auth_failed = 0;
	c->net_msg[0] = '\0';
	return 0;
}

/* A local remote is written by this process (libgit2's local transport): it takes the same
 * lock as the remote's own casefile would, so a push killed midway blocks no one after. */
static int lock_local(struct sync_ctx *c, int *fd, struct cf_err *err)
{
	const char *path = strncmp(c->url, "file://", 7) ? c->url : c->url + 7;
	char gitdir[CF_URL_LEN + sizeof("/.git")];
	struct stat st;

	*fd = -1;
	if (!is_local(c->url) || c->remote_new)
		return 0; /* a remote still to be made (sync_local.c) is ours alone */
	snprintf(gitdir, sizeof(gitdir), "%s/.git", path);
	if (stat(gitdir, &st) != 0 || !S_ISDIR(st.st_mode))
		cf_strlcpy(gitdir, path, sizeof(gitdir));
	return gitdir_lock(gitdir, fd, err);
}

/* What a refused push says, when the server gave no reason of its own. */
static int refused(struct sync_ctx *c, struct cf_err *err)
{
	if (!c->reject_msg[0])
		cf_strlcpy(c->reject_msg, remote_msg(c), sizeof(c->reject_msg));
	return cf_error(err, CF_EREJECTED, "push to %s (%s) refused: %s", c->remote, c->shown,
			c->reject_msg);
}

/* Pushes main to BRANCH.  git_remote_upload, not git_remote_push: the latter would then let
 * libgit2 update local refs itself (update_tips); every local ref moves in export/git/. */
static int push(struct sync_ctx *c, git_remote *rem, struct cf_err *err)
{
	git_push_options po;
	struct strbuf spec = STRBUF_INIT;
	char *specs[] = { NULL };
	git_strarray refspecs = { specs, 1 };
	int rc, lock = -1;

	if ((rc = lock_local(c, &lock, err)) < 0)
		return rc;
	c->rejected = 0;
	c->reject_msg[0] = '\0';
	if (is_local(c->url)) {
		rc = local_push(c, err);
		gitdir_unlock(lock);
		return rc;
	}
	strbuf_addf(&spec, "%s:refs/heads/%s", CF_GIT_MAIN, c->branch);
	specs[0] = spec.buf;
	git_push_options_init(&po, GIT_PUSH_OPTIONS_VERSION);
	net_callbacks(c, &po.callbacks);
	po.proxy_opts.type = GIT_PROXY_AUTO; /* http.proxy, then https_proxy, as git */
	rc = git_remote_upload(rem, &refspecs, &po);
	git_remote_disconnect(rem);
	gitdir_unlock(lock);
	strbuf_release(&spec);
	if (rc == GIT_ENONFASTFORWARD || (rc == 0 && c->rejected))
		return refused(c, err);
	return rc < 0 ? net_error(c, "push to", err) : 0;
}

/* The tip of refs/heads/BRANCH as the remote advertised it, into HEX ("" when it has none). */
static int advertised(struct sync_ctx *c, git_remote *rem, char hex[CF_OID_HEX])
{
	const git_remote_head **heads;
	struct strbuf want = STRBUF_INIT;
	size_t n;
	int rc;

	hex[0] = '\0';
	strbuf_addf(&want, "refs/heads/%s", c->branch);
	if ((rc = git_remote_ls(&heads, &n, rem)) == 0)
		for (size_t i = 0; i < n; i++)
			if (strcmp(heads[i]->name, want.buf) == 0)
				git_oid_tostr(hex, CF_OID_HEX, &heads[i]->oid);
	strbuf_release(&want);
	return rc;
}

/* Fetches the remote's BRANCH: its objects only (git_remote_download, a refspec with no
 * destination, no FETCH_HEAD), then the git layer sets the tracking ref to the tip the remote
 * advertised, or deletes it when the remote has no such branch, as local_fetch does. */
static int fetch(struct sync_ctx *c, git_remote *rem, struct cf_err *err)
{
	git_fetch_options fo;
	struct strbuf spec = STRBUF_INIT;
	char *specs[] = { NULL }, tip[CF_OID_HEX];
	git_strarray refspecs = { specs, 1 };
	int rc;

	if (is_local(c->url))
		return local_fetch(c, err);
	strbuf_addf(&spec, "refs/heads/%s", c->branch);
	specs[0] = spec.buf;
	git_fetch_options_init(&fo, GIT_FETCH_OPTIONS_VERSION);
	net_callbacks(c, &fo.callbacks);
	fo.proxy_opts.type = GIT_PROXY_AUTO;
	fo.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE;
	fo.update_fetchhead = 0;
	rc = git_remote_download(rem, &refspecs, &fo);
	if (rc == 0)
		rc = advertised(c, rem, tip);
	git_remote_disconnect(rem);
	strbuf_release(&spec);
	if (rc < 0)
		return net_error(c, "fetch from", err);
	return repo_set_ref(c->repo, c->tracking, tip[0] ? tip : NULL, "casefile: fetch", err);
}

/* One fetch (the remote's BRANCH into the tracking ref) or push (main to BRANCH). */
static int transfer(struct sync_ctx *c, int to_remote, struct cf_err *err)
{
	git_remote *rem = NULL;
	int rc;

	if ((rc = lookup(c, &rem, err)) < 0)
		return rc;
	rc = to_remote ? push(c, rem, err) : fetch(c, rem, err);
	helper_done(c, rc == 0 ? "approve" : c->auth_failed ? "reject" : NULL);
	git_remote_free(rem);
	return rc;
}

int net_fetch(struct sync_ctx *c, struct cf_err *err)
{
	return transfer(c, 0, err);
}

int net_push(struct sync_ctx *c, struct cf_err *err)
{
	return transfer(c, 1, err);
}
