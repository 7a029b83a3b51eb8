/* test_sync.c — export/sync/sync.c and store/receive.c through the C API: three replicas make
 * seeded random offline changes and sync in random orders, and end with the same case,
 * every operation, and conflicts exactly where two edits of a field did not see each other;
 * tampered files, unreachable remotes and refused pushes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>
#include <git2.h>
#include <sqlite3.h>

#include "export/export.h"
#include "export/sync/ops_verify.h"
#include "export/sync/sync.h"
#include "store/store.h"
#include "tests/case_dump.h"
#include "tests/helpers.h"

#define NREP 3

struct edit {
	char record[CF_ID_LEN + 1];
	char field[16];
	int replica;
	int vc[NREP];
	char value[32];
};

struct world {
	char root[256];
	char dir[NREP][300];
	char shared[300];
	struct store *s[NREP];
	int vc[NREP][NREP];   /* what each replica has seen, per replica, in ops */
	int remote_vc[NREP];
	struct edit *edits;
	size_t nedits, cap;
	int64_t made;         /* operations made, the creating ones included */
	uint64_t rng;
	int counter;
	struct cf_err err;
};

static uint32_t rnd(struct world *w)
{
	w->rng = w->rng * 6364136223846793005ULL + 1442695040888963407ULL;
	return (uint32_t)(w->rng >> 33);
}

static int64_t count(struct store *s, const char *sql)
{
	sqlite3_stmt *st;
	int64_t n = -1;
	if (sqlite3_prepare_v2(store_db(s), sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

static void world_init(struct world *w, uint64_t seed)
{
	char tmp[512];
	struct sync_result res;

	memset(w, 0, sizeof(*w));
	w->rng = seed;
	tmpdir(tmp, sizeof(tmp));
	*strrchr(tmp, '/') = '\0';
	snprintf(w->root, sizeof(w->root), "%s", tmp);
	snprintf(w->shared, sizeof(w->shared), "%s/shared.git", w->root);
	for (int i = 0; i < NREP; i++)
		snprintf(w->dir[i], sizeof(w->dir[i]), "%s/r%d", w->root, i);
	assert_int_equal(store_create(w->dir[0], &(struct cf_case_init){ .title = "Shared" },
				      "replica 0", &w->s[0], &w->err), 0);
	w->made = count(w->s[0], "SELECT count(*) FROM op");
	assert_int_equal(sync_remote_add(w->s[0], "origin", w->shared, NULL, &w->err), 0);
	assert_int_equal(sync_run(w->s[0], NULL, NULL, NULL, &res, &w->err), 0);
	w->vc[0][0] = (int)w->made;
	memcpy(w->remote_vc, w->vc[0], sizeof(w->remote_vc));
	for (int i = 1; i < NREP; i++) {
		char who[32];
		snprintf(who, sizeof(who), "replica %d", i);
		assert_int_equal(sync_clone(w->shared, w->dir[i], NULL, who, NULL, NULL, NULL,
					    NULL, &res, &w->err), 0);
		assert_int_equal(res.ops_received, w->made);
		assert_int_equal(store_open(w->dir[i], &w->s[i], &w->err), 0);
		store_set_author(w->s[i], who);
		memcpy(w->vc[i], w->remote_vc, sizeof(w->vc[i]));
	}
}

static void world_free(struct world *w)
{
	for (int i = 0; i < NREP; i++)
		store_close(w->s[i]);
	free(w->edits);
	rmtree(w->dir[0]);
}

/* ---- random changes ---- */

struct pick {
	char ids[4096][CF_ID_LEN + 1];
	int n;
};

static int collect(const struct cf_record *r, void *ctx)
{
	struct pick *p = ctx;
	if (p->n < 4096)
		snprintf(p->ids[p->n++], CF_ID_LEN + 1, "%s", r->id);
	return 0;
}

static int collect_deleted(const struct cf_record *r, void *ctx)
{
	return r->deleted ? collect(r, ctx) : 0;
}

static void op_made(struct world *w, int r)
{
	w->vc[r][r]++;
	w->made++;
}

static void add_record(struct world *w, int r)
{
	struct cf_record rec;
	int task = rnd(w) % 3 == 0;
	char text[64];

	cf_record_init(&rec, task ? CF_TASK : CF_EVENT);
	snprintf(text, sizeof(text), "made by %d, #%d", r, ++w->counter);
	if (task) {
		cf_record_set(&rec, "title", text, &w->err);
	} else {
		cf_record_set(&rec, "occurred", "2019-05-31T12:00Z", &w->err);
		cf_record_set(&rec, "summary", text, &w->err);
	}
	assert_int_equal(record_add(w->s[r], &rec, &w->err), 0);
	cf_record_release(&rec);
	op_made(w, r);
}

static void edit_record(struct world *w, int r, struct pick *p, enum cf_kind kind)
{
	static const char *const event_fields[] = { "summary", "details", "source" };
	static const char *const task_fields[] = { "title", "owner" };
	const char *field = kind == CF_TASK ? task_fields[rnd(w) % 2] : event_fields[rnd(w) % 3];
	struct edit *e;

	if (w->nedits == w->cap) {
		w->cap = w->cap ? 2 * w->cap : 256;
		w->edits = realloc(w->edits, w->cap * sizeof(*w->edits));
		assert_non_null(w->edits);
	}
	e = &w->edits[w->nedits];
	snprintf(e->record, sizeof(e->record), "%s", p->ids[rnd(w) % p->n]);
	snprintf(e->field, sizeof(e->field), "%s", field);
	snprintf(e->value, sizeof(e->value), "v%d-%d", r, ++w->counter); /* never repeated */
	assert_int_equal(record_set(w->s[r], kind, e->record, field, e->value, &w->err), 0);
	op_made(w, r);
	e->replica = r;
	memcpy(e->vc, w->vc[r], sizeof(e->vc));
	w->nedits++;
}

static void change(struct world *w, int r)
{
	enum cf_kind kind = rnd(w) % 2 ? CF_TASK : CF_EVENT;
	struct pick *p = malloc(sizeof(*p));
	uint32_t what = rnd(w) % 10;

	assert_non_null(p);
	p->n = 0;
	assert_int_equal(record_list(w->s[r], kind, NULL, collect, p, &w->err), 0);
	if (what < 2 || p->n == 0)
		add_record(w, r);
	else if (what < 8)
		edit_record(w, r, p, kind);
	else if (what == 8) {
		assert_int_equal(record_delete(w->s[r], kind, p->ids[rnd(w) % p->n], &w->err), 0);
		op_made(w, r);
	} else {
		/* A record deleted here (perhaps by another replica) brought back: restores and
		 * deletes made concurrently settle the same way everywhere. */
		struct cf_page all = { .include_deleted = 1 };
		p->n = 0;
		assert_int_equal(record_list(w->s[r], kind, &all, collect_deleted, p, &w->err), 0);
		if (p->n) {
			assert_int_equal(record_restore(w->s[r], kind, p->ids[rnd(w) % p->n],
							&w->err), 0);
			op_made(w, r);
		}
	}
	free(p);
}

static void sync_one(struct world *w, int r)
{
	struct sync_result res;
	int rc = sync_run(w->s[r], NULL, NULL, NULL, &res, &w->err);

	if (rc < 0)
		fail_msg("replica %d: sync failed: %s", r, w->err.msg);
	for (int k = 0; k < NREP; k++) {
		int m = w->vc[r][k] > w->remote_vc[k] ? w->vc[r][k] : w->remote_vc[k];
		w->vc[r][k] = w->remote_vc[k] = m;
	}
}

/* ---- what must hold at the end ---- */

static int concurrent(const struct edit *a, const struct edit *b)
{
	int a_le = 1, b_le = 1;
	for (int k = 0; k < NREP; k++) {
		a_le &= a->vc[k] <= b->vc[k];
		b_le &= b->vc[k] <= a->vc[k];
	}
	return !a_le && !b_le;
}

static int by_key(const void *x, const void *y)
{
	return strcmp(x, y);
}

/* "RECORD FIELD" of every field two edits of which did not see each other, sorted. */
static size_t expected_conflicts(struct world *w, char (*out)[64], size_t cap)
{
	size_t n = 0;
	for (size_t i = 0; i < w->nedits; i++)
		for (size_t j = i + 1; j < w->nedits; j++) {
			const struct edit *a = &w->edits[i], *b = &w->edits[j];
			if (strcmp(a->record, b->record) || strcmp(a->field, b->field) ||
			    !concurrent(a, b))
				continue;
			if (n < cap)
				snprintf(out[n++], 64, "%s %s", a->record, a->field);
		}
	qsort(out, n, sizeof(*out), by_key);
	size_t u = 0;
	for (size_t i = 0; i < n; i++)
		if (u == 0 || strcmp(out[u - 1], out[i]) != 0)
			memmove(out[u++], out[i], 64);
	return u;
}

static void check_sound(struct store *s)
{
	struct cf_err err;
	assert_int_equal(op_check_chains(s, NULL, NULL, NULL, NULL, &err), 0);
	assert_int_equal(verify_heads(s, NULL, NULL, NULL, &err), 0);
	assert_int_equal(verify_replay(s, NULL, NULL, NULL, &err), 0);
	assert_int_equal(verify_conflicts(s, NULL, NULL, NULL, &err), 0);
	assert_int_equal(verify_sort_keys(s, NULL, NULL, NULL, &err), 0);
	assert_int_equal(verify_fts(s, NULL, NULL, &err), 0);
	assert_int_equal(export_check_git_ops(s, NULL, NULL, NULL, NULL, &err), 0);
}

static void test_three_replicas_converge(void **state)
{
	const char *env = getenv("CASEFILE_SEED");
	uint64_t seed = env ? strtoull(env, NULL, 10) : 20190531;
	char (*want)[64] = calloc(4096, 64);
	struct world *w = calloc(1, sizeof(*w));
	char *first, *conflicts0;
	size_t nwant;

	(void)state;
	assert_non_null(want);
	assert_non_null(w);
	printf("convergence seed %llu (CASEFILE_SEED to change)\n", (unsigned long long)seed);
	world_init(w, seed);
	for (int round = 0; round < 100; round++) {
		int r = (int)(rnd(w) % NREP), n = 1 + (int)(rnd(w) % 4);
		for (int i = 0; i < n; i++)
			change(w, r);
		if (rnd(w) % 3 != 0)
			sync_one(w, (int)(rnd(w) % NREP));
	}
	for (int pass = 0; pass < 2; pass++)
		for (int r = 0; r < NREP; r++)
			sync_one(w, r);

	first = export_case(w->s[0]);
	conflicts0 = dump(w->s[0], "SELECT record, field, ours, theirs, ours_op, theirs_op,"
			  " resolved FROM conflict ORDER BY record, field");
	for (int r = 0; r < NREP; r++) {
		char *mine = export_case(w->s[r]);
		char *conf = dump(w->s[r], "SELECT record, field, ours, theirs, ours_op, theirs_op,"
				  " resolved FROM conflict ORDER BY record, field");
		char *marks = dump(w->s[r], "SELECT id, conflicted FROM event UNION ALL"
				   " SELECT id, conflicted FROM task ORDER BY 1");
		char *marks0 = dump(w->s[0], "SELECT id, conflicted FROM event UNION ALL"
				    " SELECT id, conflicted FROM task ORDER BY 1");
		assert_string_equal(mine, first);
		assert_string_equal(conf, conflicts0);
		assert_string_equal(marks, marks0);
		assert_int_equal(count(w->s[r], "SELECT count(*) FROM op"), w->made);
		check_sound(w->s[r]);
		free(mine);
		free(conf);
		free(marks);
		free(marks0);
	}
	/* Conflicts exactly where two edits of one field did not see each other. */
	nwant = expected_conflicts(w, want, 4096);
	{
		char *got = dump(w->s[0], "SELECT record || ' ' || field FROM conflict"
				 " WHERE field <> '" CF_CONFLICT_DELETE "' ORDER BY 1");
		char *exp = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&exp, &len);
		for (size_t i = 0; i < nwant; i++)
			fprintf(f, "%s|\n", want[i]);
		fclose(f);
		assert_string_equal(got, exp);
		printf("%zu edits, %zu conflicted fields, %lld operations\n", w->nedits, nwant,
		       (long long)w->made);
		assert_true(nwant > 0); /* the seed must exercise conflicts */
		/* An edit a delete did not see is a conflict of a deleted record, between that
		 * delete and a field edit (store/conflict_delete.c), the same on every replica. */
		assert_int_equal(count(w->s[0], "SELECT count(*) FROM conflict c WHERE field ="
				       " '" CF_CONFLICT_DELETE "' AND NOT (ours_op IN (SELECT id FROM"
				       " op WHERE field = '@delete' AND record = c.record) AND"
				       " theirs_op IN (SELECT id FROM op WHERE record = c.record AND"
				       " substr(field, 1, 1) <> '@') AND (record IN (SELECT id FROM"
				       " event WHERE deleted = 1) OR record IN (SELECT id FROM task"
				       " WHERE deleted = 1)))"), 0);
		printf("%lld edit-delete conflicts\n", (long long)count(w->s[0], "SELECT count(*)"
		       " FROM conflict WHERE field = '" CF_CONFLICT_DELETE "'"));
		free(got);
		free(exp);
	}
	free(first);
	free(conflicts0);
	world_free(w);
	free(w);
	free(want);
}

/* ---- tampering, failures, races ---- */

/* Rewrites, in the bare repository at GITDIR, the first file under ops/ (on main) whose path
 * starts with PREFIX: one byte of its content changed, committed on top of main. */
static void tamper(const char *gitdir, const char *replica, char *path_out, size_t len)
{
	git_repository *repo;
	git_object *obj;
	git_tree *root, *ops, *sub;
	const git_tree_entry *e;
	git_blob *blob;
	git_signature *sig;
	git_commit *tip;
	git_tree_update up = { 0 };
	git_oid tree_id, commit_id;
	char *data;
	size_t n;
	char path[256];

	assert_int_equal(git_repository_open_bare(&repo, gitdir), 0);
	assert_int_equal(git_revparse_single(&obj, repo, "refs/heads/main"), 0);
	tip = (git_commit *)obj;
	assert_int_equal(git_commit_tree(&root, tip), 0);
	assert_int_equal(git_tree_lookup(&ops, repo, git_tree_entry_id(
				git_tree_entry_byname(root, "ops"))), 0);
	assert_int_equal(git_tree_lookup(&sub, repo, git_tree_entry_id(
				git_tree_entry_byname(ops, replica))), 0);
	e = git_tree_entry_byindex(sub, git_tree_entrycount(sub) - 1);
	snprintf(path, sizeof(path), "ops/%s/%s", replica, git_tree_entry_name(e));
	snprintf(path_out, len, "%s", path);
	assert_int_equal(git_blob_lookup(&blob, repo, git_tree_entry_id(e)), 0);
	n = (size_t)git_blob_rawsize(blob);
	data = malloc(n);
	memcpy(data, git_blob_rawcontent(blob), n);
	/* "author":"X..." -> "author":"Y...": still JSON, no longer what was hashed. */
	char *a = strstr(data, "\"author\":\"");
	assert_non_null(a);
	a[10] = a[10] == 'Z' ? 'Y' : 'Z';
	assert_int_equal(git_blob_create_from_buffer(&up.id, repo, data, n), 0);
	up.action = GIT_TREE_UPDATE_UPSERT;
	up.filemode = GIT_FILEMODE_BLOB;
	up.path = path;
	assert_int_equal(git_tree_create_updated(&tree_id, repo, root, 1, &up), 0);
	git_tree_free(root);
	assert_int_equal(git_tree_lookup(&root, repo, &tree_id), 0);
	git_signature_now(&sig, "Mallory", "m@example.org");
	const git_commit *parents[] = { tip };
	assert_int_equal(git_commit_create(&commit_id, repo, "refs/heads/main", sig, sig, NULL,
					   "edit\n", root, 1, parents), 0);
	git_signature_free(sig);
	free(data);
	git_blob_free(blob);
	git_tree_free(sub);
	git_tree_free(ops);
	git_tree_free(root);
	git_commit_free(tip);
	git_repository_free(repo);
}

static void add_note(struct store *s, const char *text)
{
	struct cf_record r;
	struct cf_err err;
	cf_record_init(&r, CF_NOTE);
	cf_record_set(&r, "text", text, &err);
	assert_int_equal(record_add(s, &r, &err), 0);
	cf_record_release(&r);
}

static void test_tampered_file_quarantined_naming_it(void **state)
{
	struct world *w = calloc(1, sizeof(*w));
	struct sync_result res;
	char path[256], sql[512];
	int64_t before;

	(void)state;
	world_init(w, 7);
	/* A file replica 1 has not seen yet, changed before it arrives. */
	add_note(w->s[0], "new fact");
	sync_one(w, 0);
	tamper(w->shared, store_replica(w->s[0]), path, sizeof(path));
	/* It is set aside, naming its file, and the sync goes on (store/quarantine.c). */
	before = count(w->s[1], "SELECT count(*) FROM op");
	assert_int_equal(sync_run(w->s[1], NULL, NULL, NULL, &res, &w->err), 0);
	assert_int_equal(res.quarantined, 1);
	assert_int_equal(count(w->s[1], "SELECT count(*) FROM op"), before);
	assert_int_equal(quarantine_list(w->s[1], NULL, NULL, &w->err), 1);
	assert_int_equal(count(w->s[1], "SELECT count(*) FROM quarantine WHERE reason LIKE"
			       " '%hash%' AND line = 1 AND path LIKE 'ops/%'"), 1);
	/* A file replica 0 already holds, changed afterwards on the remote: its version stays,
	 * the other is set aside beside it and named (tests/test_rewrite.c has the rest). */
	assert_int_equal(sync_run(w->s[0], NULL, NULL, NULL, &res, &w->err), 0);
	assert_int_equal(res.quarantined, 1);
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM quarantine WHERE line = 0 AND path"
		 " LIKE '%s.set-aside-%%' AND reason LIKE '%%rewritten after it was read%%'", path);
	assert_int_equal(count(w->s[0], sql), 1);
	check_sound(w->s[0]);
	world_free(w);
	free(w);
}

static void test_unreachable_remote_keeps_local_work(void **state)
{
	struct world *w = calloc(1, sizeof(*w));
	struct sync_result res;
	char bad[700];
	int64_t before;

	(void)state;
	world_init(w, 11);
	add_note(w->s[1], "written offline");
	before = count(w->s[1], "SELECT count(*) FROM op");
	snprintf(bad, sizeof(bad), "%s/no/such/dir/case.git", w->root);
	assert_int_equal(sync_remote_add(w->s[1], "away", bad, NULL, &w->err), 0);
	assert_int_equal(sync_run(w->s[1], "away", NULL, NULL, &res, &w->err), CF_ENET);
	assert_non_null(strstr(w->err.msg, "away"));
	assert_int_equal(count(w->s[1], "SELECT count(*) FROM op"), before);
	assert_int_equal(sync_run(w->s[1], "nowhere", NULL, NULL, &res, &w->err), CF_ENOTFOUND);
	/* The next sync with a reachable remote sends what was written offline. */
	assert_int_equal(sync_run(w->s[1], NULL, NULL, NULL, &res, &w->err), 0);
	assert_true(res.pushed);
	assert_int_equal(sync_run(w->s[2], NULL, NULL, NULL, &res, &w->err), 0);
	assert_int_equal(res.ops_received, 1);
	check_sound(w->s[1]);
	check_sound(w->s[2]);
	world_free(w);
	free(w);
}

/* A merge commit is made by the git layer: the author as reports get it (an email holding
 * '>' is cut there, not refused), two parents, and real git finds nothing to say. */
static void test_merge_commit_is_fsck_clean(void **state)
{
	struct world *w = calloc(1, sizeof(*w));
	struct sync_result res;
	char gd[700];
	git_repository *git;
	git_commit *tip;
	git_oid oid;

	(void)state;
	world_init(w, 19);
	add_note(w->s[1], "first");
	sync_one(w, 1);
	add_note(w->s[2], "second");
	store_set_author(w->s[2], "Ann Analyst <ann>x@example.org>");
	if (sync_run(w->s[2], NULL, NULL, NULL, &res, &w->err) < 0)
		fail_msg("merge: %s", w->err.msg);
	assert_int_equal(res.ops_received, 1);
	snprintf(gd, sizeof(gd), "%s/casefile.git", w->dir[2]);
	assert_int_equal(git_repository_open_bare(&git, gd), 0);
	assert_int_equal(git_reference_name_to_id(&oid, git, "refs/heads/main"), 0);
	assert_int_equal(git_commit_lookup(&tip, git, &oid), 0);
	assert_int_equal(git_commit_parentcount(tip), 2);
	assert_string_equal(git_commit_author(tip)->name, "Ann Analyst");
	assert_string_equal(git_commit_author(tip)->email, "ann");
	git_commit_free(tip);
	git_repository_free(git);
	assert_int_equal(run_git(gd, "fsck", "--strict", NULL), 0);
	assert_int_equal(run_git(w->shared, "fsck", "--strict", NULL), 0);
	check_sound(w->s[2]);
	world_free(w);
	free(w);
}

/* Passwords never shown; web URLs lose the user too (a token is given as one). */
static void test_url_shown_without_credentials(void **state)
{
	static const char *const cases[][2] = {
		{ "https://alice:pw@host.example/case.git", "https://host.example/case.git" },
		{ "https://ghp_token@host.example/case.git", "https://host.example/case.git" },
		{ "ssh://git:pw@host.example:2222/case.git", "ssh://git@host.example:2222/case.git" },
		{ "ssh://git@host.example/case.git", "ssh://git@host.example/case.git" },
		{ "git@host.example:case.git", "git@host.example:case.git" },
		{ "/srv/case.git", "/srv/case.git" },
		{ "https://host.example/a@b/case.git", "https://host.example/a@b/case.git" },
	};
	char buf[256];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		sync_url_shown(cases[i][0], buf, sizeof(buf));
		assert_string_equal(buf, cases[i][1]);
	}
}

struct race {
	struct world *w;
	int fired;
};

/* At replica 0's first push, replica 2 pushes first. */
static int push_first(const struct sync_progress *p, void *ctx)
{
	struct race *r = ctx;
	struct sync_result res;
	if (p->stage == SYNC_STAGE_PUSH && p->attempt == 1 && !r->fired) {
		r->fired = 1;
		add_note(r->w->s[2], "pushed in between");
		assert_int_equal(sync_run(r->w->s[2], NULL, NULL, NULL, &res, &r->w->err), 0);
	}
	return 0;
}

static void test_refused_push_is_retried(void **state)
{
	struct world *w = calloc(1, sizeof(*w));
	struct race race = { w, 0 };
	struct sync_result res;

	(void)state;
	world_init(w, 13);
	add_note(w->s[0], "mine");
	assert_int_equal(sync_run(w->s[0], NULL, push_first, &race, &res, &w->err), 0);
	assert_true(race.fired);
	assert_int_equal(res.attempts, 2);
	assert_true(res.pushed);
	assert_int_equal(res.ops_received, 1);
	assert_int_equal(sync_run(w->s[1], NULL, NULL, NULL, &res, &w->err), 0);
	assert_int_equal(res.ops_received, 2);
	assert_int_equal(sync_run(w->s[1], NULL, NULL, NULL, &res, &w->err), 0);
	assert_true(res.up_to_date);
	world_free(w);
	free(w);
}

static void test_resolve_settles_everywhere(void **state)
{
	struct world *w = calloc(1, sizeof(*w));
	struct pick *p = calloc(1, sizeof(*p));
	struct sync_result res;
	struct cf_record r;
	enum cf_kind kind;
	char id[CF_ID_LEN + 1];

	(void)state;
	world_init(w, 17);
	add_record(w, 0);
	sync_one(w, 0);
	sync_one(w, 1);
	assert_int_equal(record_list(w->s[1], CF_EVENT, NULL, collect, p, &w->err), 0);
	assert_int_equal(p->n, 1);
	assert_int_equal(record_set(w->s[0], CF_EVENT, p->ids[0], "source", "zero", &w->err), 0);
	assert_int_equal(record_set(w->s[1], CF_EVENT, p->ids[0], "source", "one", &w->err), 0);
	sync_one(w, 0);
	sync_one(w, 1);
	sync_one(w, 0);
	assert_int_equal(count(w->s[0], "SELECT count(*) FROM conflict WHERE resolved = 0"), 1);
	assert_int_equal(conflict_find(w->s[0], p->ids[0], "source", &kind, id, &w->err), 0);
	assert_int_equal(kind, CF_EVENT);
	assert_int_equal(conflict_find(w->s[0], p->ids[0], "summary", &kind, id, &w->err),
			 CF_ENOTFOUND);
	assert_int_equal(record_get(w->s[0], CF_EVENT, id, &r, &w->err), 0);
	assert_string_equal(r.conflicted, "source");
	cf_record_release(&r);
	assert_int_equal(conflict_resolve(w->s[0], kind, id, "source", CF_TAKE_THEIRS, NULL,
					  &w->err), 0);
	for (int i = 0; i < NREP; i++)
		sync_one(w, i);
	for (int i = 0; i < NREP; i++) {
		assert_int_equal(count(w->s[i], "SELECT count(*) FROM conflict WHERE resolved = 0"),
				 0);
		assert_int_equal(record_get(w->s[i], CF_EVENT, id, &r, &w->err), 0);
		assert_null(r.conflicted);
		cf_record_release(&r);
	}
	assert_int_equal(sync_run(w->s[2], NULL, NULL, NULL, &res, &w->err), 0);
	check_sound(w->s[2]);
	free(p);
	world_free(w);
	free(w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_three_replicas_converge),
		cmocka_unit_test(test_tampered_file_quarantined_naming_it),
		cmocka_unit_test(test_unreachable_remote_keeps_local_work),
		cmocka_unit_test(test_refused_push_is_retried),
		cmocka_unit_test(test_merge_commit_is_fsck_clean),
		cmocka_unit_test(test_url_shown_without_credentials),
		cmocka_unit_test(test_resolve_settles_everywhere),
	};
	int rc;

	git_libgit2_init();
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	git_libgit2_shutdown();
	return rc;
}
