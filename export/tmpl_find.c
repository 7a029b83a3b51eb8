/* tmpl_find.c — where templates are found, first first: the case's repository (templates/ on
 * its main branch, which sync carries to every replica), the user's directory, the shipped
 * one; and a template file read and parsed within its bounds. */
#include "export/tmpl_internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const type_exts[] = { ".md", ".html", ".csv" };
static const char *const where_names[TMPL_WHERE_COUNT] = { "case", "user", "shipped" };

const char *tmpl_where_name(enum tmpl_where w)
{
	return where_names[w];
}

const char *tmpl_type_ext(enum tmpl_type type)
{
	return type_exts[type];
}

int tmpl_type_of(const char *path)
{
	size_t n = strlen(path);

	for (int i = 0; i < 3; i++) {
		size_t e = strlen(type_exts[i]);
		if (n > e && !strcmp(path + n - e, type_exts[i]))
			return i;
	}
	return -1;
}

int tmpl_format_fits(enum tmpl_type type, enum export_format f)
{
	switch (type) {
	case TMPL_MD:
		return f == EXPORT_MD || f == EXPORT_HTML || f == EXPORT_PDF;
	case TMPL_HTML:
		return f == EXPORT_HTML;
	case TMPL_CSV:
		return f == EXPORT_CSV;
	}
	return 0;
}

/* Whether NAME is a template's name (no path, no dot). */
static int name_ok(const char *name, size_t n)
{
	if (!n || n > TMPL_NAME_LEN)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((name[i] >= 'a' && name[i] <= 'z') || (name[i] >= 'A' && name[i] <= 'Z') ||
		      (name[i] >= '0' && name[i] <= '9') || name[i] == '-' || name[i] == '_'))
			return 0;
	return 1;
}

/* FILE ("NAME.md") as a template's name and type; -1 when it is not one. */
static int split_file(const char *file, char name[TMPL_NAME_LEN + 1])
{
	int type = tmpl_type_of(file);
	size_t n;

	if (type < 0)
		return -1;
	n = strlen(file) - strlen(type_exts[type]);
	if (!name_ok(file, n))
		return -1;
	memcpy(name, file, n);
	name[n] = '\0';
	return type;
}

void tmpl_dirs(char user[PATH_MAX], char shipped[PATH_MAX])
{
	cf_data_dirs("templates", "export/templates", "CASEFILE_TEMPLATES_DIR", shipped, PATH_MAX,
		     user, PATH_MAX);
}

struct found {
	struct tmpl_entry *v;
	size_t n, cap;
};

static void found_add(struct found *f, const char *name, int type, enum tmpl_where w,
		      const char *origin)
{
	struct tmpl_entry *e;

	if (f->n == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 16;
		f->v = xrealloc(f->v, f->cap * sizeof(*f->v));
	}
	e = &f->v[f->n++];
	memset(e, 0, sizeof(*e));
	cf_strlcpy(e->name, name, sizeof(e->name));
	e->type = (enum tmpl_type)type;
	e->where = w;
	cf_strlcpy(e->origin, origin, sizeof(e->origin));
}

struct in_repo {
	struct found *f;
	struct cf_repo *r;
	struct cf_err *err;
};

static int from_repo(const char *path, const char *blob, void *ctx)
{
	struct in_repo *ir = ctx;
	char name[TMPL_NAME_LEN + 1], origin[PATH_MAX];
	const char *file = path + strlen("templates/");
	int type = strchr(file, '/') ? -1 : split_file(file, name);

	if (type >= 0) {
		snprintf(origin, sizeof(origin), CF_GIT_DIR ":%s", path);
		found_add(ir->f, name, type, TMPL_IN_CASE, origin);
		/* Its size from the object's header: a big one is refused unread. */
		int rc = repo_blob_size(ir->r, blob, &ir->f->v[ir->f->n - 1].size, ir->err);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int in_case(const char *case_dir, struct found *f, struct cf_err *err)
{
	struct cf_repo *r;
	int rc;

	if (!case_dir)
		return 0;
	if ((rc = repo_open(case_dir, 0, &r, err)) == CF_ENOTFOUND)
		return 0; /* no repository yet: no shared template */
	if (rc < 0)
		return rc;
	{
		struct in_repo ir = { f, r, err };
		rc = repo_files(r, NULL, "templates", from_repo, &ir, err);
	}
	repo_close(r);
	return rc < 0 ? rc : 0;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void in_dir(const char *dir, enum tmpl_where w, struct found *f)
{
	DIR *d = dir[0] ? opendir(dir) : NULL;
	struct dirent *de;
	char **names = NULL;
	size_t n = 0;

	if (!d)
		return; /* a missing directory holds no template */
	while ((de = readdir(d))) {
		char name[TMPL_NAME_LEN + 1];
		if (split_file(de->d_name, name) < 0)
			continue;
		names = xreallocarray(names, n + 1, sizeof(*names));
		names[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(*names), cmp_name);
	for (size_t i = 0; i < n; i++) {
		char name[TMPL_NAME_LEN + 1], origin[PATH_MAX + CF_PATH_EXTRA];
		int type = split_file(names[i], name);
		snprintf(origin, sizeof(origin), "%s/%s", dir, names[i]);
		found_add(f, name, type, w, origin);
		free(names[i]);
	}
	free(names);
}

/* Every template of the three places in lookup order, shadowed ones marked. */
static int collect(const char *case_dir, struct found *f, struct cf_err *err)
{
	char user[PATH_MAX], shipped[PATH_MAX];
	int rc;

	memset(f, 0, sizeof(*f));
	tmpl_dirs(user, shipped);
	if ((rc = in_case(case_dir, f, err)) < 0)
		return rc;
	in_dir(user, TMPL_IN_USER, f);
	in_dir(shipped, TMPL_SHIPPED, f);
	for (size_t i = 0; i < f->n; i++)
		for (size_t j = 0; j < i && !f->v[i].shadowed; j++)
			if (!strcmp(f->v[i].name, f->v[j].name) && f->v[j].where != f->v[i].where)
				f->v[i].shadowed = 1;
	return 0;
}

int tmpl_list(const char *case_dir, tmpl_entry_cb cb, void *ctx, struct cf_err *err)
{
	struct found f;
	int rc = collect(case_dir, &f, err);

	for (size_t i = 0; rc == 0 && i < f.n; i++)
		rc = cb(&f.v[i], ctx);
	free(f.v);
	return rc;
}

/* Reads an open file of at most TMPL_MAX_BYTES; CF_EINVAL naming PATH when larger. */
static int read_bounded(int fd, const char *path, char **text, size_t *len, struct cf_err *err)
{
	struct stat st;
	char *buf;
	size_t n = 0;

	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
		return cf_error(err, CF_EIO, "%s: not a readable file", path);
	if (st.st_size > TMPL_MAX_BYTES)
		return cf_error(err, CF_EINVAL, "%s:1:1: larger than %d bytes", path,
				TMPL_MAX_BYTES);
	buf = xmalloc(TMPL_MAX_BYTES + 2);
	for (;;) {
		ssize_t got = read(fd, buf + n, TMPL_MAX_BYTES + 1 - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			free(buf);
			return cf_error(err, CF_EIO, "%s: %s", path, strerror(errno));
		}
		if (got == 0 || (n += (size_t)got) > TMPL_MAX_BYTES)
			break;
	}
	if (n > TMPL_MAX_BYTES) { /* grew while read */
		free(buf);
		return cf_error(err, CF_EINVAL, "%s:1:1: larger than %d bytes", path,
				TMPL_MAX_BYTES);
	}
	buf[n] = '\0';
	*text = buf;
	*len = n;
	return 0;
}

static int read_file(const char *path, char **text, size_t *len, struct cf_err *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK), rc;

	if (fd < 0)
		return cf_error(err, errno == ENOENT ? CF_ENOTFOUND : CF_EIO, "%s: %s", path,
				strerror(errno));
	rc = read_bounded(fd, path, text, len, err);
	close(fd);
	return rc;
}

int tmpl_load_file(const char *path, struct tmpl **out, struct cf_err *err)
{
	int type = tmpl_type_of(path), rc;
	char *text;
	size_t len;

	*out = NULL;
	if (type < 0)
		return cf_error(err, CF_EINVAL, "%s: a template's name ends in .md, .html or .csv "
				"(the format it writes)", path);
	if ((rc = read_file(path, &text, &len, err)) < 0)
		return rc;
	rc = tmpl_parse(path, text, len, (enum tmpl_type)type, out, err);
	free(text);
	return rc;
}

static int read_entry(const char *case_dir, const struct tmpl_entry *e, char **text,
		      size_t *len, struct cf_err *err)
{
	struct cf_repo *r;
	int rc;

	if (e->where != TMPL_IN_CASE)
		return read_file(e->origin, text, len, err);
	if (e->size > TMPL_MAX_BYTES)
		return cf_error(err, CF_EINVAL, "%s:1:1: larger than %d bytes", e->origin,
				TMPL_MAX_BYTES);
	if ((rc = repo_open(case_dir, 0, &r, err)) < 0)
		return rc;
	rc = repo_read(r, NULL, e->origin + strlen(CF_GIT_DIR ":"), text, len, err);
	repo_close(r);
	if (rc == 0 && *len > TMPL_MAX_BYTES) {
		free(*text);
		return cf_error(err, CF_EINVAL, "%s:1:1: larger than %d bytes", e->origin,
				TMPL_MAX_BYTES);
	}
	return rc;
}

/* The first template named NAME in the places from FIRST on. */
static int find_from(const char *case_dir, const char *name, enum tmpl_where first,
		     char **text, size_t *len, struct tmpl_entry *out, struct cf_err *err)
{
	struct found f;
	const struct tmpl_entry *hit = NULL;
	char user[PATH_MAX], shipped[PATH_MAX];
	int rc;

	if (!name_ok(name, strlen(name)))
		return cf_error(err, CF_EINVAL, "'%s' is not a template name (letters, digits, "
				"'-' and '_'; no path and no ending)", name);
	if ((rc = collect(first == TMPL_IN_CASE ? case_dir : NULL, &f, err)) < 0)
		return rc;
	for (size_t i = 0; i < f.n; i++) {
		if (f.v[i].where < first || strcmp(f.v[i].name, name))
			continue;
		if (hit && hit->where == f.v[i].where) {
			rc = cf_error(err, CF_EINVAL, "%s and %s: two templates named '%s' in one "
				      "place; rename one", hit->origin, f.v[i].origin, name);
			break;
		}
		if (!hit)
			hit = &f.v[i];
	}
	if (rc == 0 && !hit) {
		tmpl_dirs(user, shipped);
		if (first == TMPL_SHIPPED)
			rc = cf_error(err, CF_ENOTFOUND, "no shipped template '%s' in %s (make "
				      "install, or set CASEFILE_TEMPLATES_DIR)", name, shipped);
		else
			rc = cf_error(err, CF_ENOTFOUND, "no template '%s' (looked in the case's "
				      "templates/, %s and %s)", name,
				      user[0] ? user : "(no user directory)", shipped);
	}
	if (rc == 0) {
		*out = *hit;
		rc = read_entry(case_dir, hit, text, len, err);
	}
	free(f.v);
	return rc;
}

int tmpl_find(const char *case_dir, const char *name, char **text, size_t *len,
	      struct tmpl_entry *e, struct cf_err *err)
{
	return find_from(case_dir, name, TMPL_IN_CASE, text, len, e, err);
}

static int open_from(const char *case_dir, const char *name, enum tmpl_where first,
		     struct tmpl **out, struct tmpl_entry *e, struct cf_err *err)
{
	char *text;
	size_t len;
	int rc;

	*out = NULL;
	if ((rc = find_from(case_dir, name, first, &text, &len, e, err)) < 0)
		return rc;
	rc = tmpl_parse(e->origin, text, len, e->type, out, err);
	free(text);
	return rc;
}

int tmpl_open(const char *case_dir, const char *name, struct tmpl **out,
	      struct tmpl_entry *e, struct cf_err *err)
{
	return open_from(case_dir, name, TMPL_IN_CASE, out, e, err);
}

int tmpl_open_shipped(const char *name, struct tmpl **out, struct cf_err *err)
{
	struct tmpl_entry e;

	return open_from(NULL, name, TMPL_SHIPPED, out, &e, err);
}
