/* test_identity.c — the user's keys (store/identity.c) and signed operations: made, read
 * back, refused when damaged or readable by others; a signature that does not hold is refused
 * by the op parser and named by the chain check. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "store/identity.h"
#include "store/internal.h"
#include "tests/helpers.h"

#include <sys/stat.h>

static void path_in(char *dir, char *path, size_t len)
{
	tmpdir(dir, 512);
	snprintf(path, len, "%s/conf/casefile/identity", dir);
}

static void test_create_then_load(void **state)
{
	char dir[512], path[700];
	struct cf_identity a, b;
	struct cf_err err;
	struct stat sb;

	(void)state;
	path_in(dir, path, sizeof(path));
	assert_int_equal(cf_identity_create(path, "Priya Raman", "priya@example.org", NULL, &a, &err), 0);
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	assert_int_equal(cf_identity_load(path, &b, &err), 1);
	assert_string_equal(b.name, "Priya Raman");
	assert_string_equal(b.email, "priya@example.org");
	assert_memory_equal(a.sign_pk, b.sign_pk, sizeof(a.sign_pk));
	assert_memory_equal(a.box_pk, b.box_pk, sizeof(a.box_pk));
	/* Never overwritten: the second init fails and the keys stay. */
	assert_int_equal(cf_identity_create(path, "Mallory", "m@example.org", NULL, &b, &err), CF_EINVAL);
	assert_non_null(strstr(err.msg, "never overwritten"));
	assert_int_equal(cf_identity_load(path, &b, &err), 1);
	assert_memory_equal(a.sign_sk, b.sign_sk, sizeof(a.sign_sk));
	rmtree(dir);
}

static void test_absent_is_none(void **state)
{
	char dir[512], path[700];
	struct cf_identity id;
	struct cf_err err;

	(void)state;
	path_in(dir, path, sizeof(path));
	assert_int_equal(cf_identity_load(path, &id, &err), 0);
	rmtree(dir);
}

static void write_file(const char *path, const char *text, mode_t mode)
{
	FILE *f;
	char dir[700], *slash;

	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	*slash = '\0';
	slash = strrchr(dir, '/');
	*slash = '\0';
	mkdir(dir, 0700);
	*slash = '/';
	mkdir(dir, 0700);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	chmod(path, mode);
}

static void test_refuses_readable_and_damaged(void **state)
{
	char dir[512], path[700];
	struct cf_identity id;
	struct cf_err err;

	(void)state;
	path_in(dir, path, sizeof(path));
	assert_int_equal(cf_identity_create(path, "P", "p@example.org", NULL, &id, &err), 0);
	chmod(path, 0644);
	assert_int_equal(cf_identity_load(path, &id, &err), CF_EINVAL);
	assert_non_null(strstr(err.msg, "mode 644"));
	unlink(path);
	write_file(path, "name P\nemail p@example.org\nsign-secret 00zz\nbox-secret 00\n", 0600);
	assert_int_equal(cf_identity_load(path, &id, &err), CF_EINVAL);
	assert_non_null(strstr(err.msg, ":3: sign-secret"));
	unlink(path);
	write_file(path, "name P\nemail p@example.org\n", 0600);
	assert_int_equal(cf_identity_load(path, &id, &err), CF_EINVAL);
	assert_non_null(strstr(err.msg, "incomplete"));
	rmtree(dir);
}

static void test_public_token_round_trip(void **state)
{
	char dir[512], path[700], pub[CF_IDENTITY_PUBLIC_LEN + 1];
	unsigned char spk[crypto_sign_PUBLICKEYBYTES], bpk[crypto_box_PUBLICKEYBYTES];
	struct cf_identity id;
	struct cf_err err;

	(void)state;
	path_in(dir, path, sizeof(path));
	assert_int_equal(cf_identity_create(path, "P", "p@example.org", NULL, &id, &err), 0);
	cf_identity_public(&id, pub);
	assert_int_equal(strlen(pub), CF_IDENTITY_PUBLIC_LEN);
	assert_int_equal(cf_identity_parse_public(pub, spk, bpk, &err), 0);
	assert_memory_equal(spk, id.sign_pk, sizeof(spk));
	assert_memory_equal(bpk, id.box_pk, sizeof(bpk));
	pub[10] = 'X';
	assert_int_equal(cf_identity_parse_public(pub, spk, bpk, &err), CF_EINVAL);
	assert_int_equal(cf_identity_parse_public("cf1.short", spk, bpk, &err), CF_EINVAL);
	rmtree(dir);
}

/* An op made by a store holding ID, as sync writes it. */
static char *signed_line(const struct cf_identity *id, struct cf_op *op)
{
	memset(op, 0, sizeof(*op));
	snprintf(op->id, sizeof(op->id), "aaaaaaaaaaaaaaaaaaaa");
	snprintf(op->replica, sizeof(op->replica), "bbbbbbbbbbbbbbbbbbbb");
	snprintf(op->record, sizeof(op->record), "cccccccccccccccccccc");
	op->rseq = op->lamport = 1;
	op->kind = CF_TASK;
	op->field = "title";
	op->new_value = "check the contractor's network";
	op->author = "Priya Raman <priya@example.org>";
	snprintf(op->at, sizeof(op->at), "2019-06-05T12:00:00.000Z");
	if (id) {
		struct cf_err err;
		char *text;
		sodium_bin2hex(op->signer, sizeof(op->signer), id->sign_pk, sizeof(id->sign_pk));
		text = cf_op_canonical(op);
		assert_int_equal(cf_sign_hex(id, text, strlen(text), op->sig, &err), 0);
		free(text);
	}
	assert_int_equal(cf_op_hash(op, op->hash), 0);
	return cf_op_line(op);
}

static void test_signed_op_parses_and_tamper_is_refused(void **state)
{
	char dir[512], path[700], *line, *at;
	struct cf_identity id;
	struct cf_op op, back;
	struct cf_err err;

	(void)state;
	path_in(dir, path, sizeof(path));
	assert_int_equal(cf_identity_create(path, "P", "p@example.org", NULL, &id, &err), 0);
	line = signed_line(&id, &op);
	assert_non_null(strstr(line, "\"signer\":"));
	assert_int_equal(cf_op_parse(line, strlen(line), &back, &err), 0);
	assert_string_equal(back.signer, op.signer);
	assert_string_equal(cf_op_signature_state(&back), "ok");
	cf_op_release(&back);
	/* One hex digit of the signature changed: the hash still matches, the signature not. */
	at = strstr(line, "\"sig\":\"") + 7;
	*at = *at == '0' ? '1' : '0';
	assert_int_equal(cf_op_parse(line, strlen(line), &back, &err), CF_ETAMPER);
	assert_non_null(strstr(err.msg, "signature does not hold"));
	free(line);
	/* Unsigned (before signing began) still reads; a signer without a signature does not. */
	line = signed_line(NULL, &op);
	assert_null(strstr(line, "signer"));
	assert_int_equal(cf_op_parse(line, strlen(line), &back, &err), 0);
	assert_string_equal(cf_op_signature_state(&back), "none");
	cf_op_release(&back);
	free(line);
	rmtree(dir);
}

static void test_store_signs_and_chain_check_names_bad_signature(void **state)
{
	char dir[512], path[700];
	struct cf_case_init ci = { .title = "Signed", .tz = "UTC" };
	struct cf_identity id;
	struct cf_record r;
	struct store *s;
	struct cf_err err;

	(void)state;
	path_in(dir, path, sizeof(path));
	assert_int_equal(cf_identity_create(path, "P", "p@example.org", NULL, &id, &err), 0);
	assert_int_equal(store_create(dir, &ci, "P <p@example.org>", &s, &err), 0);
	assert_int_equal(store_set_identity(s, &id, &err), 0);
	cf_record_init(&r, CF_TASK);
	assert_int_equal(cf_record_set(&r, "title", "sign me", &err), 0);
	assert_int_equal(record_add(s, &r, &err), 0);
	cf_record_release(&r);
	assert_int_equal(op_verify_chain(s, &err), 0);
	assert_int_equal(sqlite3_exec(store_db(s), "UPDATE op SET sig = '00' || substr(sig, 3)"
				      " WHERE signer IS NOT NULL", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(op_verify_chain(s, &err), CF_ETAMPER);
	assert_non_null(strstr(err.msg, "signature does not hold"));
	store_close(s);
	rmtree(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create_then_load),
		cmocka_unit_test(test_absent_is_none),
		cmocka_unit_test(test_refuses_readable_and_damaged),
		cmocka_unit_test(test_public_token_round_trip),
		cmocka_unit_test(test_signed_op_parses_and_tamper_is_refused),
		cmocka_unit_test(test_store_signs_and_chain_check_names_bad_signature),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
