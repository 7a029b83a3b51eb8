/* test_store.c — the case store: records round-trip, every change is an operation, the hash
 * chain holds, schemas migrate forward, bad input changes nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>
#include <sqlite3.h>

#include "store/internal.h"
#include "store/store.h"
#include "tests/helpers.h"

static struct store *new_case(char *dir, size_t len)
{
	struct store *s = NULL;
	struct cf_err err;

	tmpdir(dir, len);
	if (store_create(dir, &(struct cf_case_init){ .title = "t" }, "Alice <a@example.org>", &s,
			 &err) < 0)
		fail_msg("store_create: %s", err.msg);
	return s;
}

static int count_ops(const struct cf_op *op, void *ctx)
{
	(void)op;
	(*(int *)ctx)++;
	return 0;
}

static int nops(struct store *s)
{
	struct cf_err err;
	int n = 0;
	assert_int_equal(op_list(s, NULL, count_ops, &n, &err), 0);
	return n;
}

/* Keeps a copy of the last op seen. */
static int keep_last(const struct cf_op *op, void *ctx)
{
	struct cf_op *last = ctx;
	cf_op_release(last);
	*last = *op;
	last->field = op->field ? strdup(op->field) : NULL;
	last->old_value = op->old_value ? strdup(op->old_value) : NULL;
	last->new_value = op->new_value ? strdup(op->new_value) : NULL;
	last->author = op->author ? strdup(op->author) : NULL;
	return 0;
}

static void last_op(struct store *s, const char *record, struct cf_op *op)
{
	struct cf_err err;
	memset(op, 0, sizeof(*op));
	assert_int_equal(op_list(s, record, keep_last, op, &err), 0);
	assert_non_null(op->field);
}

/* A valid value for field F, different for each SALT, exercising quoting and non-ASCII. */
static void value_for(const struct cf_field *f, int idx, int salt, const char *ref, char *buf,
		      size_t len)
{
	size_t n = 0;

	switch (f->type) {
	case CF_T_TEXT:
		snprintf(buf, len, "%s #%d: a, \"quoted\"\nsecond line \xc3\xa9 '%%s'", f->name,
			 salt);
		break;
	case CF_T_TIME:
		snprintf(buf, len, salt ? "2020-02-%02d" : "2019-05-%02dT14:02Z", idx + 1);
		break;
	case CF_T_INT:
		snprintf(buf, len, "%d", salt ? 100 + idx : 184000 + idx); /* low <= best <= high */
		break;
	case CF_T_ENUM:
		while (f->choices[n])
			n++;
		snprintf(buf, len, "%s", salt ? f->choices[0] : f->choices[n - 1]);
		break;
	case CF_T_REF:
		snprintf(buf, len, "%s", ref);
		break;
	}
}

static void fill_record(struct cf_record *r, enum cf_kind kind, const char *ref)
{
	const struct cf_kind_info *ki = cf_kind_info(kind);
	struct cf_err err;
	char v[256];

	cf_record_init(r, kind);
	for (size_t i = 0; i < ki->nfields; i++) {
		value_for(&ki->fields[i], (int)i, 0, ref, v, sizeof(v));
		assert_int_equal(cf_record_set(r, ki->fields[i].name, v, &err), 0);
	}
}

/* Field IDX of KI is not set by hand (a derived field, or what a custody event records):
 * record_set refuses it, changing nothing. */
static int set_by_hand_refused(struct store *s, const struct cf_kind_info *ki, const char *id,
			       int idx, const char *v)
{
	static const char *const chain[] = { "evidence", "handler", "from", "at" };
	const char *name = ki->fields[idx].name;
	struct cf_err err;
	int refused = (ki->fields[idx].flags & CF_F_DERIVED) != 0;

	for (size_t i = 0; ki->kind == CF_CUSTODY && i < sizeof(chain) / sizeof(chain[0]); i++)
		refused |= strcmp(name, chain[i]) == 0;
	if (refused)
		assert_int_equal(record_set(s, ki->kind, id, name, v, &err), CF_EINVAL);
	return refused;
}

/* A live evidence item for custody events to refer to; its id into REF. */
static void evidence_for_refs(struct store *s, char ref[CF_ID_LEN + 1])
{
	struct cf_record r;
	struct cf_err err;

	cf_record_init(&r, CF_EVIDENCE);
	cf_record_set(&r, "description", "referred to", &err);
	assert_int_equal(record_add(s, &r, &err), 0);
	memcpy(ref, r.id, CF_ID_LEN + 1);
	cf_record_release(&r);
}

static void test_every_kind_roundtrips_every_field(void **state)
{
	char dir[256], ref[CF_ID_LEN + 1] = "";
	struct store *s = new_case(dir, sizeof(dir));
	struct cf_err err;
	struct cf_op op;

	(void)state;
	evidence_for_refs(s, ref);
	/* Members are records too, but adding one starts signing: test_member.c. */
	for (int k = CF_EVENT; k < CF_MEMBER; k++) {
		const struct cf_kind_info *ki = cf_kind_info((enum cf_kind)k);
		struct cf_record r, back;
		json_t *created;

		fill_record(&r, (enum cf_kind)k, ref);
		assert_int_equal(record_add(s, &r, &err), 0);
		assert_int_equal(strlen(r.id), CF_ID_LEN);
		assert_int_equal(record_get(s, (enum cf_kind)k, r.id, &back, &err), 0);
		last_op(s, r.id, &op);
		assert_string_equal(op.field, "@create");
		assert_null(op.old_value);
		created = json_loads(op.new_value, 0, NULL);
		assert_non_null(created);
		for (size_t i = 0; i < ki->nfields; i++) {
			const char *name = ki->fields[i].name;
			if (ki->fields[i].flags & CF_F_DERIVED) {
				/* never typed: the evidence holder comes from its chain */
				assert_null(json_object_get(created, name));
				continue;
			}
			assert_non_null(back.v[i]);
			if (strcmp(back.v[i], r.v[i]) != 0)
				fail_msg("%s.%s: '%s' came back as '%s'", ki->name, name, r.v[i],
					 back.v[i]);
			assert_string_equal(json_string_value(json_object_get(created, name)),
					    r.v[i]);
		}
		assert_int_equal(back.deleted, 0);
		json_decref(created);
		cf_op_release(&op);
		cf_record_release(&r);
		cf_record_release(&back);
	}
	assert_int_equal(op_verify_chain(s, &err), 0);
	store_close(s);
	rmtree(dir);
}

static void test_case_record_roundtrips_every_field(void **state)
{
	char dir[256], v[256];
	struct store *s = new_case(dir, sizeof(dir));
	const struct cf_kind_info *ki = cf_kind_info(CF_CASE);
	struct cf_record c;
	struct cf_err err;

	(void)state;
	for (size_t i = 0; i < ki->nfields; i++) {
		value_for(&ki->fields[i], (int)i, 0, "", v, sizeof(v));
		if (strcmp(ki->fields[i].name, "tz") == 0)
			snprintf(v, sizeof(v), "America/New_York");
		assert_int_equal(case_set(s, ki->fields[i].name, v, &err), 0);
	}
	store_close(s);
	assert_int_equal(store_open(dir, &s, &err), 0);
	assert_int_equal(case_get(s, &c, &err), 0);
	for (size_t i = 0; i < ki->nfields; i++) {
		value_for(&ki->fields[i], (int)i, 0, "", v, sizeof(v));
		if (strcmp(ki->fields[i].name, "tz") == 0)
			snprintf(v, sizeof(v), "America/New_York");
		assert_non_null(c.v[i]);
		assert_string_equal(c.v[i], v);
	}
	cf_record_release(&c);
	store_close(s);
	rmtree(dir);
}

static void test_every_edit_and_delete_leaves_old_and_new(void **state)
{
	char dir[256], ref[CF_ID_LEN + 1] = "", ref2[CF_ID_LEN + 1], v[256];
	struct store *s = new_case(dir, sizeof(dir));
	struct cf_err err;
	struct cf_op op;

	(void)state;
	evidence_for_refs(s, ref);
	evidence_for_refs(s, ref2);
	/* Members are records too, but adding one starts signing: test_member.c. */
	for (int k = CF_EVENT; k < CF_MEMBER; k++) {
		const struct cf_kind_info *ki = cf_kind_info((enum cf_kind)k);
		struct cf_record r, back;
		char *before;

		fill_record(&r, (enum cf_kind)k, ref);
		assert_int_equal(record_add(s, &r, &err), 0);
		for (size_t i = 0; i < ki->nfields; i++) {
			value_for(&ki->fields[i], (int)i, 1, ref2, v, sizeof(v));
			if (set_by_hand_refused(s, ki, r.id, (int)i, v))
				continue;
			if (record_set(s, (enum cf_kind)k, r.id, ki->fields[i].name, v, &err) < 0)
				fail_msg("%s.%s = '%s': %s", ki->name, ki->fields[i].name, v,
					 err.msg);
			last_op(s, r.id, &op);
			assert_string_equal(op.field, ki->fields[i].name);
			assert_string_equal(op.old_value, r.v[i]);
			assert_string_equal(op.new_value, v);
			assert_string_equal(op.author, "Alice <a@example.org>");
			assert_int_equal(op.kind, k);
			cf_op_release(&op);
		}
		/* Unsetting an optional field is a change too: new is null. */
		for (size_t i = 0; i < ki->nfields; i++) {
			if (ki->fields[i].flags & CF_F_REQUIRED)
				continue;
			assert_int_equal(record_set(s, (enum cf_kind)k, r.id, ki->fields[i].name,
						    NULL, &err), 0);
			last_op(s, r.id, &op);
			assert_string_equal(op.field, ki->fields[i].name);
			assert_non_null(op.old_value);
			assert_null(op.new_value);
			cf_op_release(&op);
			break;
		}
		assert_int_equal(record_get(s, (enum cf_kind)k, r.id, &back, &err), 0);
		before = NULL;
		{
			json_t *o = json_object();
			for (size_t i = 0; i < ki->nfields; i++)
				if (back.v[i])
					json_object_set_new(o, ki->fields[i].name,
							    json_string(back.v[i]));
			before = json_dumps(o, JSON_SORT_KEYS | JSON_COMPACT | JSON_ENSURE_ASCII);
			json_decref(o);
		}
		cf_record_release(&back);
		assert_int_equal(record_delete(s, (enum cf_kind)k, r.id, &err), 0);
		last_op(s, r.id, &op);
		assert_string_equal(op.field, "@delete");
		assert_string_equal(op.old_value, before);
		assert_null(op.new_value);
		cf_op_release(&op);
		free(before);
		/* Deleted, yet still readable; not counted; not deletable twice. */
		assert_int_equal(record_get(s, (enum cf_kind)k, r.id, &back, &err), 0);
		assert_int_equal(back.deleted, 1);
		cf_record_release(&back);
		assert_int_equal(record_count(s, (enum cf_kind)k), k == CF_EVIDENCE ? 2 : 0);
		assert_int_equal(record_delete(s, (enum cf_kind)k, r.id, &err), CF_ENOTFOUND);
		{
			/* a field set by hand (a custody event's evidence is not) */
			int f = k == CF_CUSTODY ? cf_field_index(ki, "reason") : 0;
			value_for(&ki->fields[f], f, 1, ref, v, sizeof(v));
			assert_int_equal(record_set(s, (enum cf_kind)k, r.id, ki->fields[f].name, v,
						    &err), CF_ENOTFOUND);
		}
		cf_record_release(&r);
	}
	assert_int_equal(op_verify_chain(s, &err), 0);
	store_close(s);
	rmtree(dir);
}

static void test_custody_must_refer_to_a_live_evidence_item(void **state)
{
	char dir[256], ref[CF_ID_LEN + 1];
	struct store *s = new_case(dir, sizeof(dir));
	struct cf_record c;
	struct cf_err err;
	int before;

	(void)state;
	evidence_for_refs(s, ref);
	before = nops(s);
	cf_record_init(&c, CF_CUSTODY);
	cf_record_set(&c, "evidence", "0123456789abcdefghjk", &err);
	cf_record_set(&c, "handler", "Bob", &err);
	cf_record_set(&c, "at", "2019-06-01", &err);
	assert_int_equal(record_add(s, &c, &err), CF_EINVAL);
	assert_non_null(strstr(err.msg, "field 'evidence': no evidence item"));
	cf_record_set(&c, "evidence", ref, &err);
	assert_int_equal(record_add(s, &c, &err), 0);
	assert_int_equal(record_set(s, CF_CUSTODY, c.id, "evidence", "zzzz", &err), CF_EINVAL);
	assert_int_equal(record_delete(s, CF_EVIDENCE, ref, &err), 0);
	before = nops(s);
	cf_record_release(&c);
	cf_record_init(&c, CF_CUSTODY);
	cf_record_set(&c, "evidence", ref, &err);
	cf_record_set(&c, "handler", "Carol", &err);
	cf_record_set(&c, "at", "2019-06-02", &err);
	assert_int_equal(record_add(s, &c, &err), CF_EINVAL);
	assert_non_null(strstr(err.msg, "is deleted"));
	assert_int_equal(nops(s), before);
	cf_record_release(&c);
	store_close(s);
	rmtree(dir);
}

static void test_unchanged_edit_writes_no_operation(void **state)
{
	char dir[256];
	struct store *s = new_case(dir, sizeof(dir));
	struct cf_record r;
	struct cf_err err;
	int before;

	(void)state;
	cf_record_init(&r, CF_TASK);
	cf_record_set(&r, "title", "call CISA", &err);
	assert_int_equal(record_add(s, &r, &err), 0);
	before = nops(s);
	assert_int_equal(record_set(s, CF_TASK, r.id, "title", "call CISA", &err), 0);
	assert_int_equal(nops(s), before);
	cf_record_release(&r);
	store_close(s);
	rmtree(dir);
}

static int collect_best(const struct cf_record *r, void *ctx)
{
	char *out = ctx;
	strcat(out, cf_record_get(r, "best") ? cf_record_get(r, "best") : "?");
	strcat(out, ";");
	return 0;
}

static void test_estimate_revision_keeps_history(void **state)
{
	char dir[256], seen[256] = "";
	struct store *s = new_case(dir, sizeof(dir));
	struct cf_record a, b;
	struct cf_err err;

	(void)state;
	cf_record_init(&a, CF_ESTIMATE);
	cf_record_set(&a, "category", "images", &err);
	cf_record_set(&a, "unit", "images", &err);
	cf_record_set(&a, "best", "100000", &err);
	cf_record_set(&a, "as_of", "2019-06-10", &err);
	cf_record_init(&b, CF_ESTIMATE);
	cf_record_set(&b, "category", "images", &err);
	cf_record_set(&b, "unit", "images", &err);
	cf_record_set(&b, "best", "184000", &err);
	cf_record_set(&b, "as_of", "2020-09-21", &err);
	assert_int_equal(record_add(s, &b, &err), 0);
	assert_int_equal(record_add(s, &a, &err), 0);
	assert_int_equal(record_list(s, CF_ESTIMATE, NULL, collect_best, seen, &err), 0);
	assert_string_equal(seen, "100000;184000;");
	cf_record_release(&a);
	cf_record_release(&b);
	store_close(s);
	rmtree(dir);
}

static void people_estimate(struct cf_record *r, const char *low, const char *best,
			    const char *high)
{
	struct cf_err err;

	cf_record_init(r, CF_ESTIMATE);
	cf_record_set(r, "category", "people", &err);
	cf_record_set(r, "unit", "people", &err);
	cf_record_set(r, "as_of", "2019-06-10", &err);
	cf_record_set(r, "low", low, &err);
	cf_record_set(r, "best", best, &err);
	cf_record_set(r, "high", high, &err);
}

static void test_estimate_bounds_are_ordered_and_not_negative(void **state)
{
	static const char *const bad[][3] = {
		{ "5", NULL, "3" }, { "5", "4", NULL }, { NULL, "9", "8" }, { "-1", NULL, NULL },
	};
	char dir[256];
	struct store *s = new_case(dir, sizeof(dir));
	struct cf_record r;
	struct cf_err err;
	int before = nops(s);

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		people_estimate(&r, bad[i][0], bad[i][1], bad[i][2]);
		assert_int_equal(record_add(s, &r, &err), CF_EINVAL);
		assert_non_null(strstr(err.msg, "estimate: field"));
		cf_record_release(&r);
	}
	assert_int_equal(nops(s), before);
	people_estimate(&r, "100", NULL, "200");
	assert_int_equal(record_add(s, &r, &err), 0);
	before = nops(s);
	/* Alone, an edit is checked against the other fields... */
	assert_int_equal(record_set(s, CF_ESTIMATE, r.id, "low", "300", &err), CF_EINVAL);
	assert_non_null(strstr(err.msg, "'high' (200) is below field 'low' (300)"));
	assert_int_equal(nops(s), before);
	/* ...in a transaction the caller checks once every field is set. */
	assert_int_equal(store_begin(s, &err), 0);
	assert_int_equal(record_set(s, CF_ESTIMATE, r.id, "low", "300", &err), 0);
	assert_int_equal(record_set(s, CF_ESTIMATE, r.id, "high", "400", &err), 0);
	assert_int_equal(store_commit(s, &err), 0);
	assert_int_equal(nops(s), before + 2);
	assert_int_equal(record_set(s, CF_ESTIMATE, r.id, "best", "350", &err), 0);
	cf_record_release(&r);
	store_close(s);
	rmtree(dir);
}

static void test_case_zone_must_be_in_the_zone_database(void **state)
{
	static const char *const bad[] = { "Mars/Olympus", "America", "zone.tab", "../etc/passwd",
					   "/etc/localtime" };
	char dir[256];
	struct store *s = new_case(dir, sizeof(dir)), *t = NULL;
	struct cf_err err;
	struct cf_record c;
	int before = nops(s);

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(case_set(s, "tz", bad[i], &err), CF_EINVAL);
		assert_non_null(strstr(err.msg, "not a time zone"));
	}
	assert_int_equal(nops(s), before);
	assert_int_equal(case_set(s, "tz", "Asia/Kolkata", &err), 0);
	assert_int_equal(case_set(s, "tz", "UTC", &err), 0);
	assert_int_equal(case_get(s, &c, &err), 0);
	assert_string_equal(cf_record_get(&c, "tz"), "UTC");
	cf_record_release(&c);
	store_close(s);
	rmtree(dir);
	/* A new case with an unknown zone is not created at all. */
	tmpdir(dir, sizeof(dir));
	assert_int_equal(store_create(dir, &(struct cf_case_init){ .title = "t", .tz = "X/Y" }, "me",
				      &t, &err), CF_EINVAL);
	assert_null(t);
	assert_int_equal(store_open(dir, &t, &err), CF_ENOTFOUND);
	rmtree(dir);
}

static void test_invalid_values_are_rejected_with_nothing_written(void **state)
{
	static const char *const bad[][3] = {
		{ "event", "occurred", "2019-02-30" },
		{ "event", "occurred", "yesterday" },
		{ "event", "kind", "burglary" },
		{ "estimate", "best", "about 100" },
		{ "estimate", "unit", "faces" },
		{ "task", "due", "2019-13" },
		{ "notice", "status", "maybe" },
	};
	char dir[256];
	struct store *s = new_case(dir, sizeof(dir));
	struct cf_record r;
	struct cf_err err;
	int before = nops(s);

	(void)state;
	cf_record_init(&r, CF_TASK);
	cf_record_set(&r, "title", "x", &err);
	assert_int_equal(record_add(s, &r, &err), 0);
	before = nops(s);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const struct cf_kind_info *ki = cf_kind_by_name(bad[i][0]);
		struct cf_record x;
		fill_record(&x, ki->kind, "");
		cf_record_set(&x, bad[i][1], bad[i][2], &err);
		assert_int_equal(record_add(s, &x, &err), CF_EINVAL);
		assert_non_null(strstr(err.msg, bad[i][1]));
		cf_record_release(&x);
	}
	/* A required field cannot be unset; an unknown field is refused. */
	assert_int_equal(record_set(s, CF_TASK, r.id, "title", NULL, &err), CF_EINVAL);
	assert_int_equal(record_set(s, CF_TASK, r.id, "colour", "red", &err), CF_EINVAL);
	assert_int_equal(record_set(s, CF_TASK, r.id, "due", "2019-02-29", &err), CF_EINVAL);
	assert_int_equal(nops(s), before);
	assert_int_equal(record_count(s, CF_EVENT), 0);
	cf_record_release(&r);
	store_close(s);
	rmtree(dir);
}

/* Ids come from a pool of kernel randomness: a forked child must not hand out the ids its
 * parent still has in the pool (the crash test's children add events). */
static void test_forked_child_makes_other_ids(void **state)
{
	char mine[CF_ID_LEN + 1], theirs[CF_ID_LEN + 1] = "";
	int fds[2], status;
	pid_t pid;

	(void)state;
	cf_new_id(mine); /* the pool is filled now */
	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		char id[CF_ID_LEN + 1];
		cf_new_id(id);
		_exit(write(fds[1], id, CF_ID_LEN) == CF_ID_LEN ? 0 : 1);
	}
	close(fds[1]);
	assert_int_equal(read(fds[0], theirs, CF_ID_LEN), CF_ID_LEN);
	close(fds[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	cf_new_id(mine); /* the parent's next id, the one the child would have taken */
	assert_string_not_equal(mine, theirs);
}

static void test_id_prefix_resolves_and_refuses_ambiguity(void **state)
{
	char dir[256], id[CF_ID_LEN + 1], prefix[8];
	struct store *s = new_case(dir, sizeof(dir));
	struct cf_record r;
	struct cf_err err;
	struct cf_op op = { 0 };

	(void)state;
	cf_record_init(&r, CF_NOTE);
	cf_record_set(&r, "text", "x", &err);
	assert_int_equal(record_add(s, &r, &err), 0);
	snprintf(prefix, sizeof(prefix), "%.6s", r.id);
	assert_int_equal(record_resolve(s, CF_NOTE, prefix, id, &err), 0);
	assert_string_equal(id, r.id);
	assert_int_equal(record_resolve(s, CF_NOTE, "abc", id, &err), CF_EINVAL);
	assert_int_equal(record_resolve(s, CF_EVENT, prefix, id, &err), CF_ENOTFOUND);
	/* A second note whose id shares the prefix, as replay from another replica could bring. */
	snprintf(op.id, sizeof(op.id), "%s", "0000000000000000000z");
	snprintf(op.record, sizeof(op.record), "%.6s%s", r.id, "zzzzzzzzzzzzzz");
	op.kind = CF_NOTE;
	op.field = "@create";
	op.new_value = "{\"text\":\"twin\"}";
	assert_int_equal(store_begin(s, &err), 0);
	assert_int_equal(op_apply(s, &op, &err), 0);
	assert_int_equal(store_commit(s, &err), 0);
	assert_int_equal(record_resolve(s, CF_NOTE, prefix, id, &err), CF_EAMBIGUOUS);
	assert_non_null(strstr(err.msg, "ambiguous"));
	assert_int_equal(record_resolve(s, CF_NOTE, r.id, id, &err), 0);
	cf_record_release(&r);
	store_close(s);
	rmtree(dir);
}

static void test_hash_chain_detects_a_tampered_op(void **state)
{
	static const char *const tamper[] = {
		"UPDATE op SET new = '{\"summary\":\"nothing happened\"}' WHERE rseq = 3",
		"UPDATE op SET author = 'Mallory' WHERE rseq = 2",
		"UPDATE op SET at = '2001-01-01T00:00:00.000Z' WHERE rseq = 4",
		"DELETE FROM op WHERE rseq = 3",
		"UPDATE op SET prev = '' WHERE rseq = 4",
	};
	(void)state;
	for (size_t t = 0; t < sizeof(tamper) / sizeof(tamper[0]); t++) {
		char dir[256];
		struct store *s = new_case(dir, sizeof(dir));
		struct cf_record r;
		struct cf_err err;

		cf_record_init(&r, CF_EVENT);
		cf_record_set(&r, "occurred", "2019-05-31", &err);
		cf_record_set(&r, "summary", "discovery", &err);
		assert_int_equal(record_add(s, &r, &err), 0);
		assert_int_equal(record_set(s, CF_EVENT, r.id, "summary", "found", &err), 0);
		assert_int_equal(record_set(s, CF_EVENT, r.id, "summary", "found it", &err), 0);
		assert_int_equal(op_verify_chain(s, &err), 0);
		assert_int_equal(sqlite3_exec(store_db(s), tamper[t], NULL, NULL, NULL), SQLITE_OK);
		assert_int_equal(sqlite3_changes(store_db(s)), 1);
		assert_int_equal(op_verify_chain(s, &err), CF_ETAMPER);
		assert_non_null(strstr(err.msg, store_replica(s)));
		cf_record_release(&r);
		store_close(s);
		rmtree(dir);
	}
}

static int user_version(const char *path)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	int v = -1;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

static void make_case_dir(char *dir, size_t len, char *db, size_t dblen)
{
	tmpdir(dir, len);
	assert_int_equal(mkdir(dir, 0700), 0);
	snprintf(db, dblen, "%s/%s", dir, CF_DB_NAME);
}

static void test_empty_file_at_version_0_migrates(void **state)
{
	char dir[256], db[300];
	struct store *s;
	struct cf_record r;
	struct cf_err err;
	FILE *f;

	(void)state;
	make_case_dir(dir, sizeof(dir), db, sizeof(db));
	f = fopen(db, "w");
	assert_non_null(f);
	fclose(f);
	assert_int_equal(user_version(db), 0);
	assert_int_equal(store_open(dir, &s, &err), 0);
	assert_true(user_version(db) >= 3);
	assert_int_equal(strlen(store_replica(s)), CF_ID_LEN);
	cf_record_init(&r, CF_NOTE);
	cf_record_set(&r, "text", "first", &err);
	assert_int_equal(record_add(s, &r, &err), 0);
	assert_int_equal(op_verify_chain(s, &err), 0);
	cf_record_release(&r);
	store_close(s);
	rmtree(dir);
}

static int count_hits(const struct cf_hit *hit, void *ctx)
{
	(void)hit;
	(*(int *)ctx)++;
	return 0;
}

/* Version 1 as first shipped: no conflict table, full-text entries written by triggers. */
static const char v1_again[] =
	"DROP TABLE conflict;"
	"CREATE TRIGGER event_fts_ai AFTER INSERT ON event BEGIN"
	" INSERT INTO event_fts(rowid, summary, details, source, actor)"
	" VALUES (new.rowid, new.summary, new.details, new.source, new.actor); END;"
	"CREATE TRIGGER note_fts_ai AFTER INSERT ON note BEGIN"
	" INSERT INTO note_fts(rowid, text, author) VALUES (new.rowid, new.text, new.author); END;"
	"CREATE TRIGGER evidence_fts_ai AFTER INSERT ON evidence BEGIN"
	" INSERT INTO evidence_fts(rowid, description, location, source)"
	" VALUES (new.rowid, new.description, new.location, new.source); END;"
	"PRAGMA user_version = 1;";

static void test_version_1_migrates_forward_keeping_records(void **state)
{
	char dir[256], db[300], id[CF_ID_LEN + 1];
	struct store *s = new_case(dir, sizeof(dir));
	struct cf_record r;
	struct cf_err err;
	int hits = 0;

	(void)state;
	snprintf(db, sizeof(db), "%s/%s", dir, CF_DB_NAME);
	cf_record_init(&r, CF_NOTE);
	cf_record_set(&r, "text", "kept walrus", &err);
	assert_int_equal(record_add(s, &r, &err), 0);
	memcpy(id, r.id, sizeof(id));
	cf_record_release(&r);
	assert_int_equal(sqlite3_exec(store_db(s), v1_again, NULL, NULL, NULL), SQLITE_OK);
	store_close(s);
	assert_int_equal(user_version(db), 1);
	assert_int_equal(store_open(dir, &s, &err), 0);
	assert_true(user_version(db) >= 3);
	assert_int_equal(sqlite3_exec(store_db(s), "SELECT count(*) FROM conflict", NULL, NULL,
				      NULL), SQLITE_OK);
	assert_int_equal(record_get(s, CF_NOTE, id, &r, &err), 0);
	assert_string_equal(cf_record_get(&r, "text"), "kept walrus");
	cf_record_release(&r);
	/* A note added after the migration is indexed once, not twice (trigger and code). */
	cf_record_init(&r, CF_NOTE);
	cf_record_set(&r, "text", "new walrus", &err);
	assert_int_equal(record_add(s, &r, &err), 0);
	cf_record_release(&r);
	assert_int_equal(store_search(s, "walrus", 0, count_hits, &hits, &err), 0);
	assert_int_equal(hits, 2);
	store_close(s);
	rmtree(dir);
}

static void test_newer_schema_is_refused(void **state)
{
	char dir[256];
	struct store *s = new_case(dir, sizeof(dir));
	struct cf_err err;

	(void)state;
	assert_int_equal(sqlite3_exec(store_db(s), "PRAGMA user_version = 99", NULL, NULL, NULL),
			 SQLITE_OK);
	store_close(s);
	assert_int_equal(store_open(dir, &s, &err), CF_EDB);
	assert_non_null(strstr(err.msg, "newer"));
	rmtree(dir);
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static void test_foreign_and_corrupt_files_are_refused_untouched(void **state)
{
	char dir[256], db[300];
	struct store *s;
	struct cf_err err;
	sqlite3 *raw;
	size_t n1, n2;
	char *before, *after;
	FILE *f;

	(void)state;
	make_case_dir(dir, sizeof(dir), db, sizeof(db));
	assert_int_equal(sqlite3_open(db, &raw), SQLITE_OK);
	assert_int_equal(sqlite3_exec(raw, "CREATE TABLE photos(x); INSERT INTO photos VALUES(1)",
				      NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(raw);
	before = slurp(db, &n1);
	assert_int_equal(store_open(dir, &s, &err), CF_EFOREIGN);
	assert_non_null(strstr(err.msg, "not a casefile database"));
	after = slurp(db, &n2);
	assert_int_equal(n1, n2);
	assert_memory_equal(before, after, n1);
	free(before);
	free(after);

	f = fopen(db, "wb");
	for (int i = 0; i < 4096; i++)
		fputc((i * 7919) & 0xff, f);
	fclose(f);
	before = slurp(db, &n1);
	assert_int_equal(store_open(dir, &s, &err), CF_EFOREIGN);
	after = slurp(db, &n2);
	assert_int_equal(n1, n2);
	assert_memory_equal(before, after, n1);
	free(before);
	free(after);
	rmtree(dir);
}

static void test_missing_case_and_existing_case(void **state)
{
	char dir[256];
	struct store *s = NULL, *again = NULL;
	struct cf_err err;
	struct stat sb;
	char db[300];

	(void)state;
	tmpdir(dir, sizeof(dir));
	assert_int_equal(store_open(dir, &s, &err), CF_ENOTFOUND);
	s = new_case(dir, sizeof(dir));
	snprintf(db, sizeof(db), "%s/%s", dir, CF_DB_NAME);
	assert_int_equal(stat(dir, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0700);
	assert_int_equal(stat(db, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	assert_int_equal(store_create(dir, &(struct cf_case_init){ .title = "x" }, "me", &again,
				      &err), CF_EINVAL);
	assert_non_null(strstr(err.msg, "already exists"));
	store_close(s);
	rmtree(dir);
}

static void test_nested_transactions_roll_back_together(void **state)
{
	char dir[256];
	struct store *s = new_case(dir, sizeof(dir));
	struct cf_record a;
	struct cf_err err;
	int before = nops(s);

	(void)state;
	assert_int_equal(store_begin(s, &err), 0);
	cf_record_init(&a, CF_NOTE);
	cf_record_set(&a, "text", "one", &err);
	assert_int_equal(record_add(s, &a, &err), 0);
	store_rollback(s);
	assert_int_equal(nops(s), before);
	assert_int_equal(record_count(s, CF_NOTE), 0);
	cf_record_release(&a);
	store_close(s);
	rmtree(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_kind_roundtrips_every_field),
		cmocka_unit_test(test_forked_child_makes_other_ids),
		cmocka_unit_test(test_case_record_roundtrips_every_field),
		cmocka_unit_test(test_every_edit_and_delete_leaves_old_and_new),
		cmocka_unit_test(test_unchanged_edit_writes_no_operation),
		cmocka_unit_test(test_custody_must_refer_to_a_live_evidence_item),
		cmocka_unit_test(test_estimate_revision_keeps_history),
		cmocka_unit_test(test_invalid_values_are_rejected_with_nothing_written),
		cmocka_unit_test(test_estimate_bounds_are_ordered_and_not_negative),
		cmocka_unit_test(test_case_zone_must_be_in_the_zone_database),
		cmocka_unit_test(test_id_prefix_resolves_and_refuses_ambiguity),
		cmocka_unit_test(test_hash_chain_detects_a_tampered_op),
		cmocka_unit_test(test_empty_file_at_version_0_migrates),
		cmocka_unit_test(test_version_1_migrates_forward_keeping_records),
		cmocka_unit_test(test_newer_schema_is_refused),
		cmocka_unit_test(test_foreign_and_corrupt_files_are_refused_untouched),
		cmocka_unit_test(test_missing_case_and_existing_case),
		cmocka_unit_test(test_nested_transactions_roll_back_together),
	};
	return cmocka_run_group_tests_name("store", tests, NULL, NULL);
}
