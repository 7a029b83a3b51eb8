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
		cmocka_unit_test(test_invalid_utf8_is_replaced),
	};
	return cmocka_run_group_tests_name("json", tests, NULL, NULL);
}
