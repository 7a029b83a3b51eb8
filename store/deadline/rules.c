/* rules.c — deadline rule packs: the rule set, loaded all or nothing from the shipped directory
 * and then the user's, which overrides by id; the parser is in rules_parse.c. */
#include "store/deadline/rules_internal.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef CASEFILE_DATADIR
#define CASEFILE_DATADIR "/usr/local/share/casefile"
#endif

static int oom(struct cf_err *err)
{
	return cf_error(err, CF_ERR, "out of memory");
}

static void rule_release(struct cf_rule *r)
{
	free(r->id);
	free(r->pack);
	free(r->title);
	for (size_t i = 0; i < r->ntriggers; i++)
		free(r->triggers[i]);
	free(r->recipient);
	free(r->contents);
	free(r->source);
	free(r->source_status);
	free(r->url);
	free(r->verified);
	free(r->caveat);
	free(r->jurisdiction);
	free(r->calendar);
	free(r->due_zone);
	free(r->note);
	free(r->message);
	free(r->otherwise);
	for (size_t i = 0; i < r->nconds; i++)
		free(r->conds[i].text);
	free(r->file);
}

void rules_entry_free(struct entry *e)
{
	if (e) {
		rule_release(&e->r);
		free(e);
	}
}

void rules_free(struct cf_rules *rules)
{
	if (!rules)
		return;
	for (size_t i = 0; i < rules->n; i++)
		rules_entry_free(rules->e[i]);
	for (size_t i = 0; i < rules->npacks; i++) {
		free(rules->packs[i].name);
		free(rules->packs[i].description);
	}
	rules_calendars_free(rules);
	free(rules->e);
	free(rules->packs);
	free(rules);
}

/* ---- the set -------------------------------------------------------------------------------- */

static int find_index(const struct cf_rules *set, const char *id)
{
	for (size_t i = 0; i < set->n; i++)
		if (strcmp(set->e[i]->r.id, id) == 0)
			return (int)i;
	return -1;
}

int rules_set_add(struct cf_rules *set, struct entry *e, struct cf_err *err)
{
	int i = find_index(set, e->r.id);

	if (i >= 0 && set->e[i]->layer == e->layer) {
		char msg[300];
		snprintf(msg, sizeof(msg), "'%s' is already defined at %s:%d", e->r.id,
			 set->e[i]->r.file, set->e[i]->r.line);
		return cf_error(err, CF_EINVAL, "%s:%d: %s", e->r.file, e->r.line, msg);
	}
	if (i >= 0) {
		rules_entry_free(set->e[i]);
		set->e[i] = e;
		return 0;
	}
	if (set->n == set->cap) {
		size_t cap = set->cap ? set->cap * 2 : 32;
		struct entry **grown = xrealloc(set->e, cap * sizeof(*grown));
		if (!grown)
			return oom(err);
		set->e = grown;
		set->cap = cap;
	}
	set->e[set->n++] = e;
	return 0;
}

int rules_set_pack(struct cf_rules *set, const char *name, const char *description,
		    struct cf_err *err)
{
	size_t i;

	for (i = 0; i < set->npacks; i++)
		if (strcmp(set->packs[i].name, name) == 0)
			break;
	if (i == set->npacks) {
		if (set->npacks == set->cappacks) {
			size_t cap = set->cappacks ? set->cappacks * 2 : 8;
			struct pack *grown = xrealloc(set->packs, cap * sizeof(*grown));
			if (!grown)
				return oom(err);
			set->packs = grown;
			set->cappacks = cap;
		}
		set->packs[i].name = xstrdup(name);
		set->packs[i].description = NULL;
		set->npacks++;
		if (!set->packs[i].name)
			return oom(err);
	}
	if (description) {
		free(set->packs[i].description);
		if (!(set->packs[i].description = xstrdup(description)))
			return oom(err);
	}
	return 0;
}

/* ---- loading -------------------------------------------------------------------------------- */

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int rules_suffix(const struct dirent *d)
{
	size_t n = strlen(d->d_name);
	return d->d_name[0] != '.' && n > 6 && strcmp(d->d_name + n - 6, ".rules") == 0;
}

static int load_dir(struct cf_rules *set, const char *dir, int layer, struct cf_err *err)
{
	struct dirent **names = NULL;
	int n = scandir(dir, &names, rules_suffix, by_name), rc = 0;

	if (n < 0)
		return errno == ENOENT || errno == ENOTDIR
			       ? 0
			       : cf_error(err, CF_EIO, "%s: %s", dir, strerror(errno));
	for (int i = 0; i < n; i++) {
		char path[4096];
		if (rc == 0) {
			snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
			rc = rules_parse_file(set, path, layer, err);
		}
		free(names[i]);
	}
	free(names);
	return rc;
}

static int cmp_entry(const void *a, const void *b)
{
	return strcmp((*(struct entry *const *)a)->r.id, (*(struct entry *const *)b)->r.id);
}

static int cmp_pack(const void *a, const void *b)
{
	return strcmp(((const struct pack *)a)->name, ((const struct pack *)b)->name);
}

/* Every calendar a rule names is defined by some file, every rule a sent: trigger names too. */
static int check_references(const struct cf_rules *set, struct cf_err *err)
{
	for (size_t i = 0; i < set->n; i++) {
		const struct cf_rule *r = &set->e[i]->r;
		for (size_t t = 0; t < r->ntriggers; t++) {
			const char *want = strncmp(r->triggers[t], "sent:", 5) ? NULL
					   : r->triggers[t] + 5;
			size_t j = 0;
			while (want && j < set->n && strcmp(set->e[j]->r.id, want))
				j++;
			if (want && j == set->n)
				return cf_error(err, CF_EINVAL, "%s:%d: trigger '%s': no rule %s",
						r->file, r->line, r->triggers[t], want);
		}
		if (r->calendar && !rules_has_calendar(set, r->calendar))
			return cf_error(err, CF_EINVAL, "%s:%d: calendar '%s' is not defined "
					"([calendar NAME] with closed = DATE SOURCE or holiday = "
					"RULE NAME lines)", r->file, r->line, r->calendar);
	}
	return 0;
}

static int finish_load(struct cf_rules *set, int rc, struct cf_rules **out, struct cf_err *err)
{
	if (rc == 0)
		rc = check_references(set, err);
	if (rc < 0) {
		rules_free(set);
		return rc;
	}
	if (set->n)
		qsort(set->e, set->n, sizeof(set->e[0]), cmp_entry);
	if (set->npacks)
		qsort(set->packs, set->npacks, sizeof(set->packs[0]), cmp_pack);
	*out = set;
	return 0;
}

int rules_load_dirs(const char *const *dirs, size_t ndirs, struct cf_rules **out,
		    struct cf_err *err)
{
	struct cf_rules *set = xcalloc(1, sizeof(*set));
	int rc = 0;

	*out = NULL;
	if (!set)
		return oom(err);
	for (size_t i = 0; rc == 0 && i < ndirs; i++)
		if (dirs[i])
			rc = load_dir(set, dirs[i], (int)i, err);
	return finish_load(set, rc, out, err);
}

int rules_load_file(const char *path, struct cf_rules **out, struct cf_err *err)
{
	struct cf_rules *set = xcalloc(1, sizeof(*set));

	*out = NULL;
	if (!set)
		return oom(err);
	return finish_load(set, rules_parse_file(set, path, 0, err), out, err);
}

void cf_shipped_dir(const char *name, const char *tree, char *out, size_t len)
{
	char exe[4096], beside[3][512];
	ssize_t n;

	snprintf(out, len, "%s/%s", CASEFILE_DATADIR, name);
	if (access(out, R_OK) == 0)
		return;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return;
	exe[n] = '\0';
	char *slash = strrchr(exe, '/');
	if (!slash)
		return;
	*slash = '\0';
	snprintf(beside[0], sizeof(beside[0]), "/../share/casefile/%s", name);
	snprintf(beside[1], sizeof(beside[1]), "/../%s", tree);
	snprintf(beside[2], sizeof(beside[2]), "/../../%s", tree); /* build/tests/test_x */
	for (size_t i = 0; i < 3; i++) {
		char probe[sizeof(exe) + sizeof(beside)];
		snprintf(probe, sizeof(probe), "%s%s", exe, beside[i]);
		if (access(probe, R_OK) == 0) {
			cf_strlcpy(out, probe, len);
			return;
		}
	}
}

void cf_data_dirs(const char *name, const char *tree, const char *env, char *shipped,
		  size_t shipped_len, char *user, size_t user_len)
{
	const char *dir = getenv(env), *xdg = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");

	if (dir && *dir)
		cf_strlcpy(shipped, dir, shipped_len);
	else
		cf_shipped_dir(name, tree, shipped, shipped_len);
	if (xdg && *xdg)
		snprintf(user, user_len, "%s/casefile/%s", xdg, name);
	else if (home && *home)
		snprintf(user, user_len, "%s/.config/casefile/%s", home, name);
	else if (user_len)
		user[0] = '\0';
}

void rules_dirs(char *shipped, size_t shipped_len, char *user, size_t user_len)
{
	cf_data_dirs("rules", "store/deadline/rules", "CASEFILE_RULES_DIR", shipped, shipped_len,
		     user, user_len);
}

int rules_load(struct cf_rules **out, struct cf_err *err)
{
	char shipped[4096], user[4096];
	const char *dirs[2] = { shipped, user };

	rules_dirs(shipped, sizeof(shipped), user, sizeof(user));
	return rules_load_dirs(dirs, user[0] ? 2 : 1, out, err);
}

size_t rules_count(const struct cf_rules *rules)
{
	return rules ? rules->n : 0;
}

const struct cf_rule *rules_at(const struct cf_rules *rules, size_t i)
{
	return rules && i < rules->n ? &rules->e[i]->r : NULL;
}

const struct cf_rule *rules_find(const struct cf_rules *rules, const char *id)
{
	int i = rules ? find_index(rules, id) : -1;
	return i < 0 ? NULL : &rules->e[i]->r;
}

const char *rules_pack_at(const struct cf_rules *rules, size_t i, const char **description)
{
	if (!rules || i >= rules->npacks)
		return NULL;
	if (description)
		*description = rules->packs[i].description;
	return rules->packs[i].name;
}

int rules_has_pack(const struct cf_rules *rules, const char *pack)
{
	for (size_t i = 0; rules && i < rules->npacks; i++)
		if (strcmp(rules->packs[i].name, pack) == 0)
			return 1;
	return 0;
}

const char *cf_unit_name(enum cf_unit unit)
{
	switch (unit) {
	case CF_U_HOURS:
		return "hours";
	case CF_U_DAYS:
		return "calendar days";
	case CF_U_BUSINESS_DAYS:
		return "business days";
	case CF_U_MONTHS:
		return "months";
	case CF_U_NONE:
		break;
	}
	return "";
}
