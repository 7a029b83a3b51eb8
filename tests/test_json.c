/* test_json.c — the hand-written JSON of operations and records is byte for byte what jansson
 * writes, so op hashes do not depend on which of the two wrote them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "store/internal.h"

static const char *const samples[] = {
	"", "plain", "quote \" backslash \\ slash /", "tab\tnewline\ncr\rbell\x07 del\x7f",
	"\x01\x1f", "caf\xc3\xa9", "\xe2\x80\xae bidi override", "emoji \xf0\x9f\x98\x80 end",
	"{\"nested\":\"json \\\"text\\\"\"}", "\xef\xbf\xbd", "backspace\b formfeed\f",
};

static void test_strings_match_jansson(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
		struct strbuf b = STRBUF_INIT;
		json_t *j = json_string(samples[i]);
		char *want = json_dumps(j, JSON_ENCODE_ANY | JSON_COMPACT | JSON_ENSURE_ASCII);
		char *got;

		cf_buf_str(&b, samples[i]);
		got = strbuf_detach(&b, NULL);
		assert_non_null(want);
		if (strcmp(want, got) != 0)
			fail_msg("sample %zu: jansson %s, ours %s", i, want, got);
		free(want);
		free(got);
		json_decref(j);
	}
}

static void test_canonical_op_matches_jansson(void **state)
{
	struct cf_op op;
	json_t *o = json_object();
	char *want, *got;

	(void)state;
	memset(&op, 0, sizeof(op));
	strcpy(op.id, "0123456789abcdefghjk");
	strcpy(op.replica, "zzzzzzzzzzzzzzzzzzzz");
	strcpy(op.record, "abcdabcdabcdabcdabcd");
	strcpy(op.at, "2019-05-31T14:02:05.000Z");
	strcpy(op.prev, "");
	op.rseq = 42;
	op.lamport = 1234567890123LL;
	op.kind = CF_EVENT;
	op.field = "@create";
	op.new_value = (char *)samples[8];
	op.author = "Jos\xc3\xa9 <j@example.org>";
	json_object_set_new(o, "at", json_string(op.at));
	json_object_set_new(o, "author", json_string(op.author));
	json_object_set_new(o, "field", json_string(op.field));
	json_object_set_new(o, "id", json_string(op.id));
	json_object_set_new(o, "kind", json_string("event"));
	json_object_set_new(o, "lamport", json_integer(op.lamport));
	json_object_set_new(o, "new", json_string(op.new_value));
	json_object_set_new(o, "old", json_null());
	json_object_set_new(o, "prev", json_string(op.prev));
	json_object_set_new(o, "record", json_string(op.record));
	json_object_set_new(o, "replica", json_string(op.replica));
	json_object_set_new(o, "rseq", json_integer(op.rseq));
	want = json_dumps(o, JSON_SORT_KEYS | JSON_COMPACT | JSON_ENSURE_ASCII);
	got = cf_op_canonical(&op);
	assert_string_equal(got, want);
	free(want);
	free(got);
	json_decref(o);
}

static void test_record_json_has_sorted_set_fields(void **state)
{
	struct cf_record r;
	struct cf_err err;
	char *got;

	(void)state;
	cf_record_init(&r, CF_EVENT);
	cf_record_set(&r, "summary", "caf\xc3\xa9 \"x\"", &err);
	cf_record_set(&r, "occurred", "2019", &err);
	cf_record_set(&r, "actor", "CBP", &err);
	got = record_to_json(&r);
	assert_string_equal(got, "{\"actor\":\"CBP\",\"occurred\":\"2019\","
				 "\"summary\":\"caf\\u00E9 \\\"x\\\"\"}");
	free(got);
	cf_record_release(&r);
}

/* Each record JSON read by record_from_json (its hand-written fast path, or jansson) against
 * jansson alone: the same fields with the same values, or the same refusal. */
static const char *const records[] = {
	"{}", " { } ", "{\"summary\":\"plain\"}",
	"{\"actor\":\"CBP\",\"occurred\":\"2019\",\"summary\":\"caf\\u00E9 \\\"x\\\"\"}",
	"{ \"summary\" : \"tab\\tnl\\ncr\\rbs\\bff\\f sl\\/ bsl\\\\\" ,\n\"actor\":\"\"}",
	"{\"summary\":\"emoji \\ud83d\\ude00 end \\u20AC \\u007f\"}",
	"{\"summary\":\"a\",\"summary\":\"b\"}",  /* the last one wins */
	"{\"summary\":\"raw caf\xc3\xa9\"}",       /* raw UTF-8: jansson's to read */
	"{\"summary\":\"raw del \x7f\"}",
	/* refused, each by jansson's message */
	"{\"summary\":\"lone \\ud83d\"}", "{\"summary\":\"low \\ude00\"}",
	"{\"summary\":\"nul \\u0000\"}", "{\"summary\":\"bad \\x\"}", "{\"summary\":\"ctl \x01\"}",
	"{\"summary\":\"bad utf8 \xff\"}", "{\"summary\":1}", "{\"nosuchfield\":\"x\"}",
	"{\"summary\":\"x\"} trailing", "{\"summary\":\"x\",}", "[\"summary\"]", "", "{",
	"{\"summary\":\"unterminated}", "{\"summary\" \"x\"}", "{\"a\":{\"b\":\"c\"}}",
};

static int count_pair(const char *key, const char *value, void *ctx)
{
	(void)value;
	(void)ctx;
	return strcmp(key, "nosuchfield") == 0 ? -1 : 0;
}

static void test_record_json_reads_as_jansson_does(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(records) / sizeof(records[0]); i++) {
		struct cf_record got, want;
		struct cf_err e1 = { 0 }, e2 = { 0 };
		json_t *o = json_loads(records[i], 0, NULL), *v;
		const char *key;
		int rc = 0, ok = json_is_object(o);

		cf_record_init(&got, CF_EVENT);
		cf_record_init(&want, CF_EVENT);
		json_object_foreach(o, key, v) {
			if (!json_is_string(v) || cf_record_set(&want, key, json_string_value(v),
								&e2) < 0)
				ok = 0;
		}
		/* The first seven are casefile's own shape: the hand-written path reads them. */
		if ((cf_json_flat_object(records[i], count_pair, NULL) == 0) != (i < 7))
			fail_msg("record %zu: the fast path %s it", i, i < 7 ? "left" : "took");
		rc = record_from_json(&got, records[i], &e1);
		if ((rc == 0) != ok)
			fail_msg("record %zu: ours %d (%s), jansson %s", i, rc, e1.msg,
				 ok ? "reads it" : "refuses it");
		for (size_t f = 0; ok && f < cf_kind_info(CF_EVENT)->nfields; f++) {
			const char *a = got.v[f], *b = want.v[f];
			if ((a || b) && (!a || !b || strcmp(a, b) != 0))
				fail_msg("record %zu field %zu: ours '%s', jansson '%s'", i, f,
					 a ? a : "(unset)", b ? b : "(unset)");
		}
		json_decref(o);
		cf_record_release(&got);
		cf_record_release(&want);
	}
}

static void test_invalid_utf8_is_replaced(void **state)
{
	char *fixed = cf_text_fix("a\xff" "b\xc3");

	(void)state;
	assert_false(cf_text_valid("a\xff"));
	assert_false(cf_text_valid("\xed\xa0\x80")); /* a lone surrogate */
	assert_false(cf_text_valid("\xc0\xaf"));     /* overlong */
	assert_true(cf_text_valid("\xf0\x9f\x98\x80"));
	assert_string_equal(fixed, "a\xef\xbf\xbd" "b\xef\xbf\xbd");
	free(fixed);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strings_match_jansson),
		cmocka_unit_test(test_canonical_op_matches_jansson),
		cmocka_unit_test(test_record_json_has_sorted_set_fields),
		cmocka_unit_test(test_record_json_reads_as_jansson_does),
		cmocka_unit_test(test_invalid_utf8_is_replaced),
	};
	return cmocka_run_group_tests_name("json", tests, NULL, NULL);
}
