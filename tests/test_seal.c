/* test_seal.c — sealed files and key files (export/seal.c, export/seal_epoch.c): a file sealed
 * here opens to the same bytes and to nothing else; a flipped byte, a cut, another name or a
 * plaintext file are refused naming the file; an identity not among the readers gets 1 (no
 * key), not a damaged file; the first epoch is wrapped for every member, a later prepare needs
 * nothing more; what a sealed commit message keeps. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
/* cmocka wants the four above first */
#include <cmocka.h>

#include <git2.h>

#include "export/git/repo.h"
#include "export/seal.h"
#include "store/identity.h"
#include "tests/helpers.h"

struct fixture {
	char dir[512];
	struct cf_identity lead, stranger;
	struct store *s;
	struct cf_repo *r;
	struct seal *k;
	struct cf_err err;
};

static void make_id(struct fixture *f, struct cf_identity *id, const char *name)
{
	char path[700];

	snprintf(path, sizeof(path), "%s.%s.id", f->dir, name);
	assert_int_equal(cf_identity_create(path, name, "x@example.org", NULL, id, &f->err), 0);
}

/* A case made by LEAD (its first member), its first epoch's keys committed. */
static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct cf_case_init ci = {.title = "Sealed", .identity = NULL};
	struct repo_commit_opts o = {.message = "Seal the case"};
	const struct repo_change *ch;
	size_t n;

	git_libgit2_init();
	tmpdir(f->dir, sizeof(f->dir));
	make_id(f, &f->lead, "lead");
	make_id(f, &f->stranger, "stranger");
	ci.identity = &f->lead;
	assert_int_equal(store_create(f->dir, &ci, "Lead <lead@example.org>", &f->s, &f->err), 0);
	assert_int_equal(store_set_identity(f->s, &f->lead, &f->err), 0);
	assert_int_equal(repo_open(f->dir, 1, &f->r, &f->err), 0);
	assert_int_equal(seal_load(f->s, f->r, &f->k, &f->err), 0);
	assert_false(seal_is_sealed(f->k));
	assert_int_equal(seal_prepare(f->k, &ch, &n, &f->err), 0);
	assert_int_equal(n, 2); /* the key for the one member, the lead; the member list */
	assert_true(strncmp(ch[0].path, "keys/000000000001-", 18) == 0);
	assert_string_equal(ch[1].path, "members");
	assert_true(strncmp(ch[1].data, "casefile-members 1\nlead ", 24) == 0);
	assert_int_equal(repo_commit(f->r, ch, n, &o, NULL, &f->err), 0);
	seal_free(f->k);
	assert_int_equal(seal_load(f->s, f->r, &f->k, &f->err), 0);
	assert_true(seal_is_sealed(f->k));
	assert_int_equal(seal_prepare(f->k, &ch, &n, &f->err), 0);
	assert_int_equal(n, 0); /* the newest epoch serves, the list is current: nothing to do */
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	seal_free(f->k);
	repo_close(f->r);
	store_close(f->s);
	cf_identity_wipe(&f->lead);
	cf_identity_wipe(&f->stranger);
	rmtree(f->dir);
	free(f);
	git_libgit2_shutdown();
	return 0;
}

static const char text[] = "{\"a\":1}\n{\"b\":2}\n";
static const char path[] = "ops/aaaaaaaaaaaaaaaaaaaa/000000000001-000000000002.jsonl";

static void test_sealed_file_opens_to_the_same_bytes(void **state)
{
	struct fixture *f = *state;
	char *sealed, *plain;
	size_t slen, plen;

	assert_int_equal(seal_close_file(f->k, path, text, strlen(text), &sealed, &slen, &f->err),
			 0);
	assert_true(strncmp(sealed, SEAL_MAGIC, strlen(SEAL_MAGIC)) == 0);
	for (size_t i = 0; i + 3 <= slen; i++) /* no trace of the text */
		assert_false(memcmp(sealed + i, "\"a\"", 3) == 0);
	assert_int_equal(seal_open_file(f->k, path, sealed, slen, &plain, &plen, &f->err), 0);
	assert_int_equal(plen, strlen(text));
	assert_memory_equal(plain, text, plen);
	free(plain);
	free(sealed);
}

static void test_damaged_moved_or_plain_file_is_refused_naming_it(void **state)
{
	struct fixture *f = *state;
	char *sealed, *plain = NULL;
	size_t slen, plen;

	assert_int_equal(seal_close_file(f->k, path, text, strlen(text), &sealed, &slen, &f->err),
			 0);
	for (size_t at = 0; at < slen; at += 7) { /* every 7th byte, header included */
		sealed[at] ^= 1;
		assert_int_equal(seal_open_file(f->k, path, sealed, slen, &plain, &plen, &f->err),
				 CF_ETAMPER);
		assert_null(plain);
		assert_non_null(strstr(f->err.msg, path));
		sealed[at] ^= 1;
	}
	assert_int_equal(seal_open_file(f->k, path, sealed, slen - 1, &plain, &plen, &f->err),
			 CF_ETAMPER);
	assert_int_equal(seal_open_file(f->k,
					"ops/aaaaaaaaaaaaaaaaaaaa/000000000003-000000000004"
					".jsonl",
					sealed, slen, &plain, &plen, &f->err),
			 CF_ETAMPER);
	assert_non_null(strstr(f->err.msg, "moved from another name"));
	assert_int_equal(seal_open_file(f->k, path, text, strlen(text), &plain, &plen, &f->err),
			 CF_ETAMPER);
	assert_non_null(strstr(f->err.msg, "not a sealed file"));
	assert_int_equal(seal_open_file(f->k, path, sealed, slen, &plain, &plen, &f->err), 0);
	free(plain);
	free(sealed);
}

static void test_no_key_for_a_stranger_is_not_damage(void **state)
{
	struct fixture *f = *state;
	struct seal *other = NULL;
	char *sealed, *plain = NULL;
	size_t slen, plen;
	const struct repo_change *ch;
	size_t n;

	assert_int_equal(seal_close_file(f->k, path, text, strlen(text), &sealed, &slen, &f->err),
			 0);
	assert_int_equal(store_set_identity(f->s, &f->stranger, &f->err), 0);
	assert_int_equal(seal_load(f->s, f->r, &other, &f->err), 0);
	assert_int_equal(seal_open_file(other, path, sealed, slen, &plain, &plen, &f->err), 1);
	assert_null(plain);
	/* not a member: nothing chosen to write with, and sealing says why */
	assert_int_equal(seal_prepare(other, &ch, &n, &f->err), 1);
	assert_int_equal(seal_close_file(other, path, text, strlen(text), &plain, &plen, &f->err),
			 CF_EAUTH);
	assert_non_null(strstr(f->err.msg, "not a member who may write"));
	seal_free(other);
	assert_int_equal(store_set_identity(f->s, &f->lead, &f->err), 0);
	free(sealed);
}

static void test_sealed_messages_say_nothing_of_the_case(void **state)
{
	char *m;

	(void)state;
	m = seal_message("briefing sitrep v2 (as of 2019-06-10T00:00:00.000Z)\n\n"
			 "Export of reports/briefing-sitrep.md as md, as of 2019-06-01.\n\n"
			 "Casefile-Kind: briefing\nCasefile-Profile: sitrep\nCasefile-Version: 2\n"
			 "Casefile-As-Of: 2019-06-10T00:00:00.000Z\nCasefile-Ops: 57\n");
	assert_string_equal(m, "briefing sitrep v2 (as of 2019-06-10T00:00:00.000Z)\n\n"
			       "Casefile-Kind: briefing\nCasefile-Profile: sitrep\n"
			       "Casefile-Version: 2\nCasefile-As-Of: 2019-06-10T00:00:00.000Z\n"
			       "Casefile-Ops: 57\n");
	free(m);
	m = seal_message("Add 3 operations from Pat\n\nAdded: 3 timeline events.\n");
	assert_string_equal(m, "Add operations\n");
	free(m);
	m = seal_message(
	    "Merge origin/main: 2 operations from other replicas\n\nAdded: 2 tasks.\n");
	assert_string_equal(m, "Merge\n");
	free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_sealed_file_opens_to_the_same_bytes, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_damaged_moved_or_plain_file_is_refused_naming_it,
					    setup, teardown),
	    cmocka_unit_test_setup_teardown(test_no_key_for_a_stranger_is_not_damage, setup,
					    teardown),
	    cmocka_unit_test(test_sealed_messages_say_nothing_of_the_case),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
