/* test_page.c — store/page.c and search hits: pages from any position in both directions
 * agree with the whole ordered list, filters, ranks, op pages, data_version, and the density
 * of records over time. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "store/store.h"
#include "tests/helpers.h"

#define NEV 53

struct seen {
	char ids[NEV * 2][CF_ID_LEN + 1];
	char keys[NEV * 2][40];
	int n;
};

static int collect(const struct cf_record *r, const char *key, void *ctx)
{
	struct seen *s = ctx;
	snprintf(s->ids[s->n], sizeof(s->ids[0]), "%s", r->id);
	snprintf(s->keys[s->n], sizeof(s->keys[0]), "%s", key);
	s->n++;
	return 0;
}

/* A case with NEV events on a few days, several on the same time (ties broken by id), every
 * third one of kind "attack" mentioning "exfil". */
static struct store *make_case(char *dir, size_t len)
{
	struct cf_case_init ci = { .title = "paging" };
	struct store *s;
	struct cf_err err;

	tmpdir(dir, len);
	assert_int_equal(store_create(dir, &ci, "tester", &s, &err), 0);
	for (int i = 0; i < NEV; i++) {
		struct cf_record r;
		char when[32], summary[64];
		snprintf(when, sizeof(when), "2019-05-%02d", 1 + (i * 7) % 20);
		snprintf(summary, sizeof(summary), "event %d%s", i, i % 3 ? "" : " exfil");
		cf_record_init(&r, CF_EVENT);
		cf_record_set(&r, "occurred", when, &err);
		cf_record_set(&r, "summary", summary, &err);
		cf_record_set(&r, "kind", i % 3 ? "other" : "attack", &err);
		assert_int_equal(record_add(s, &r, &err), 0);
		cf_record_release(&r);
	}
	return s;
}

static void test_pages_forward_and_backward_match_the_whole_order(void **state)
{
	char dir[512];
	struct store *s = make_case(dir, sizeof(dir));
	struct seen all = { .n = 0 }, fwd = { .n = 0 }, back = { .n = 0 };
	struct cf_err err;

	struct cf_seek q = { 0 };
	assert_int_equal(record_seek(s, CF_EVENT, &q, collect, &all, &err), 0);
	assert_int_equal(all.n, NEV);
	for (int i = 1; i < all.n; i++)
		assert_true(strcmp(all.keys[i - 1], all.keys[i]) < 0 ||
			    (strcmp(all.keys[i - 1], all.keys[i]) == 0 &&
			     strcmp(all.ids[i - 1], all.ids[i]) < 0));

	/* Forward pages of 7, each from the last row of the previous page. */
	for (;;) {
		int before = fwd.n;
		struct cf_seek p = { .limit = 7 };
		if (fwd.n) {
			p.key = fwd.keys[fwd.n - 1];
			p.id = fwd.ids[fwd.n - 1];
		}
		assert_int_equal(record_seek(s, CF_EVENT, &p, collect, &fwd, &err), 0);
		if (fwd.n == before)
			break;
		assert_true(fwd.n - before <= 7);
	}
	assert_int_equal(fwd.n, NEV);
	for (int i = 0; i < NEV; i++)
		assert_string_equal(fwd.ids[i], all.ids[i]);

	/* Backward pages from the end give the reverse order. */
	for (;;) {
		int before = back.n;
		struct cf_seek p = { .limit = 5, .backward = 1 };
		if (back.n) {
			p.key = back.keys[back.n - 1];
			p.id = back.ids[back.n - 1];
		}
		assert_int_equal(record_seek(s, CF_EVENT, &p, collect, &back, &err), 0);
		if (back.n == before)
			break;
	}
	assert_int_equal(back.n, NEV);
	for (int i = 0; i < NEV; i++)
		assert_string_equal(back.ids[i], all.ids[NEV - 1 - i]);

	/* Inclusive starts at the row itself; rank counts the rows before it. */
	struct seen one = { .n = 0 };
	struct cf_seek inc = { .key = all.keys[20], .id = all.ids[20], .inclusive = 1, .limit = 1 };
	assert_int_equal(record_seek(s, CF_EVENT, &inc, collect, &one, &err), 0);
	assert_string_equal(one.ids[0], all.ids[20]);
	assert_int_equal(record_rank(s, CF_EVENT, NULL, all.keys[20], all.ids[20], &err), 20);
	assert_int_equal(record_rank(s, CF_EVENT, NULL, NULL, NULL, &err), NEV);

	char *key;
	assert_int_equal(record_key(s, CF_EVENT, all.ids[33], &key, &err), 0);
	assert_string_equal(key, all.keys[33]);
	free(key);
	assert_int_equal(record_delete(s, CF_EVENT, all.ids[33], &err), 0);
	assert_int_equal(record_key(s, CF_EVENT, all.ids[33], &key, &err), CF_ENOTFOUND);
	assert_null(key);
	assert_int_equal(record_rank(s, CF_EVENT, NULL, NULL, NULL, &err), NEV - 1);
	store_close(s);
	rmtree(dir);
}

static void test_filter_and_time_key(void **state)
{
	char dir[512];
	struct store *s = make_case(dir, sizeof(dir));
	struct seen got = { .n = 0 };
	struct cf_err err;
	char key[32];

	struct cf_seek q = { .filter_field = "kind", .filter_value = "attack" };
	assert_int_equal(record_seek(s, CF_EVENT, &q, collect, &got, &err), 0);
	assert_int_equal(got.n, (NEV + 2) / 3);
	assert_int_equal(record_rank(s, CF_EVENT, &q, NULL, NULL, &err), (NEV + 2) / 3);
	struct cf_seek bad = { .filter_field = "kind; DROP TABLE event", .filter_value = "x" };
	assert_int_equal(record_seek(s, CF_EVENT, &bad, collect, &got, &err), CF_EINVAL);

	/* The time key of 2019-05-10 lands on the first event of that day. */
	struct cf_when w;
	assert_int_equal(cf_when_parse("2019-05-10", NULL, &w, &err), 0);
	assert_int_equal(record_time_key(CF_EVENT, w.start, key, sizeof(key)), 0);
	assert_int_equal(record_time_key(CF_ESTIMATE, w.start, key, sizeof(key)) < 0, 1);
	assert_int_equal(record_time_key(CF_EVENT, w.start, key, sizeof(key)), 0);
	struct seen first = { .n = 0 };
	struct cf_seek at = { .key = key, .id = "", .inclusive = 1, .limit = 1 };
	assert_int_equal(record_seek(s, CF_EVENT, &at, collect, &first, &err), 0);
	struct cf_record r;
	assert_int_equal(record_get(s, CF_EVENT, first.ids[0], &r, &err), 0);
	assert_string_equal(cf_record_get(&r, "occurred"), "2019-05-10");
	cf_record_release(&r);
	store_close(s);
	rmtree(dir);
}

static int op_collect(const struct cf_op *op, int64_t seq, void *ctx)
{
	int64_t *v = ctx;
	v[++v[0]] = seq;
	return v[0] >= 9;
}

static void test_op_pages_and_last_seq(void **state)
{
	char dir[512];
	struct store *s = make_case(dir, sizeof(dir));
	struct cf_err err;
	int64_t last = op_last_seq(s, &err), v[16] = { 0 };

	assert_true(last > NEV);
	assert_int_equal(op_seek(s, 0, 1, 0, 3, op_collect, v, &err), 0);
	assert_int_equal(v[0], 3);
	assert_int_equal(v[1], last);
	assert_int_equal(v[3], last - 2);
	memset(v, 0, sizeof(v));
	assert_int_equal(op_seek(s, 10, 0, 1, 2, op_collect, v, &err), 0);
	assert_int_equal(v[1], 10);
	assert_int_equal(v[2], 11);
	memset(v, 0, sizeof(v));
	assert_int_equal(op_seek(s, 10, 0, 0, 0, op_collect, v, &err), 0);
	assert_int_equal(v[1], 11);
	store_close(s);
	rmtree(dir);
}

static void test_data_version_sees_another_connection(void **state)
{
	char dir[512];
	struct store *s = make_case(dir, sizeof(dir)), *other;
	struct cf_err err;
	int64_t v0 = store_data_version(s, &err);

	assert_true(v0 >= 0);
	assert_int_equal(case_set(s, "status", "contained", &err), 0);
	assert_int_equal(store_data_version(s, &err), v0); /* our own commit: unchanged */
	assert_int_equal(store_open(dir, &other, &err), 0);
	assert_int_equal(case_set(other, "status", "closed", &err), 0);
	store_close(other);
	assert_true(store_data_version(s, &err) != v0);
	store_close(s);
	rmtree(dir);
}

static void test_search_hits_step_in_order_and_wrap(void **state)
{
	char dir[512];
	struct store *s = make_case(dir, sizeof(dir));
	struct seen attacks = { .n = 0 };
	struct cf_err err;
	int64_t n;
	char *key = NULL, id[CF_ID_LEN + 1];

	struct cf_seek q = { .filter_field = "kind", .filter_value = "attack" };
	assert_int_equal(record_seek(s, CF_EVENT, &q, collect, &attacks, &err), 0);
	assert_int_equal(search_hits(s, CF_EVENT, "exfil", &n, &err), 0);
	assert_int_equal(n, attacks.n);
	/* Forward from the start visits every hit in order, then there is none. */
	for (int i = 0; i < attacks.n; i++) {
		char *next;
		assert_int_equal(search_hit_next(s, key, id, 0, &next, id, &err), 0);
		assert_string_equal(id, attacks.ids[i]);
		free(key);
		key = next;
	}
	char *none;
	assert_int_equal(search_hit_next(s, key, id, 0, &none, id, &err), CF_ENOTFOUND);
	/* Backward from the last hit gives the one before. */
	assert_int_equal(search_hit_next(s, key, id, 1, &none, id, &err), 0);
	assert_string_equal(id, attacks.ids[attacks.n - 2]);
	free(none);
	free(key);
	assert_int_equal(search_hits(s, CF_EVENT, "nosuchword", &n, &err), 0);
	assert_int_equal(n, 0);
	assert_int_equal(search_hits(s, CF_CASE, "x", &n, &err), CF_EINVAL);
	assert_int_equal(search_hits(s, CF_EVENT, "  ", &n, &err), CF_EINVAL);
	store_close(s);
	rmtree(dir);
}

/* The density of events over time: each event counted in the part of [first, last] its
 * start falls in (parts N equal slices of the span, a second each at the least), under a
 * filter too; the first and last starts; nothing dated, or a kind not ordered by a time. */
static void expect_density(struct store *s, const struct cf_seek *q, int n)
{
	struct seen all = { .n = 0 };
	struct cf_density d;
	struct cf_err err;
	int64_t got[64] = { 0 }, want[64] = { 0 }, t[NEV], first = INT64_MAX, last = INT64_MIN;

	assert_true(n <= 64);
	struct cf_seek every = { 0 };
	if (q) {
		every.filter_field = q->filter_field;
		every.filter_value = q->filter_value;
	}
	assert_int_equal(record_seek(s, CF_EVENT, &every, collect, &all, &err), 0);
	for (int i = 0; i < all.n; i++) {
		struct cf_record r;
		struct cf_when w;
		assert_int_equal(record_get(s, CF_EVENT, all.ids[i], &r, &err), 0);
		assert_int_equal(cf_when_parse(cf_record_get(&r, "occurred"), "UTC", &w, &err), 0);
		cf_record_release(&r);
		t[i] = w.start;
		first = t[i] < first ? t[i] : first;
		last = t[i] > last ? t[i] : last;
	}
	int64_t span = last - first + 1 > n ? last - first + 1 : n;
	for (int i = 0; i < all.n; i++)
		for (int k = 0; k < n; k++)
			if (t[i] >= first + span * k / n && t[i] < first + span * (k + 1) / n)
				want[k]++;
	assert_int_equal(record_density(s, CF_EVENT, q, n, got, &d, &err), 0);
	assert_int_equal(d.first, first);
	assert_int_equal(d.last, last);
	assert_int_equal(d.span, span);
	assert_int_equal(d.dated, all.n);
	assert_int_equal(d.undated, 0);
	for (int k = 0; k < n; k++)
		assert_int_equal(got[k], want[k]);
}

static void test_density_counts_each_record_in_its_part(void **state)
{
	char dir[512], empty[512];
	struct store *s = make_case(dir, sizeof(dir)), *e;
	struct cf_case_init ci = { .title = "empty" };
	struct cf_seek attacks = { .filter_field = "kind", .filter_value = "attack" };
	struct cf_density d;
	struct cf_err err;
	int64_t counts[8];

	(void)state;
	expect_density(s, NULL, 7);
	expect_density(s, NULL, 64);
	expect_density(s, &attacks, 5);
	/* Over a span shorter than the parts: a second each, the first record in the first. */
	struct cf_record r;
	cf_record_init(&r, CF_EVENT);
	cf_record_set(&r, "occurred", "2019-05-01T00:00:03Z", &err);
	cf_record_set(&r, "summary", "three seconds in", &err);
	cf_record_set(&r, "kind", "statement", &err);
	assert_int_equal(record_add(s, &r, &err), 0);
	cf_record_release(&r);
	struct cf_seek one = { .filter_field = "kind", .filter_value = "statement" };
	assert_int_equal(record_density(s, CF_EVENT, &one, 8, counts, &d, &err), 0);
	assert_int_equal(d.span, 8);
	assert_int_equal(d.dated, 1);
	assert_int_equal(counts[0], 1);
	assert_int_equal(record_density(s, CF_ESTIMATE, NULL, 8, counts, &d, &err), CF_EINVAL);
	assert_int_equal(record_density(s, CF_EVENT, NULL, 0, counts, &d, &err), CF_EINVAL);
	tmpdir(empty, sizeof(empty));
	assert_int_equal(store_create(empty, &ci, "tester", &e, &err), 0);
	assert_int_equal(record_density(e, CF_EVENT, NULL, 8, counts, &d, &err), CF_ENOTFOUND);
	assert_int_equal(d.dated, 0);
	store_close(e);
	rmtree(empty);
	store_close(s);
	rmtree(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pages_forward_and_backward_match_the_whole_order),
		cmocka_unit_test(test_filter_and_time_key),
		cmocka_unit_test(test_op_pages_and_last_seq),
		cmocka_unit_test(test_data_version_sees_another_connection),
		cmocka_unit_test(test_search_hits_step_in_order_and_wrap),
		cmocka_unit_test(test_density_counts_each_record_in_its_part),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
