/* test_member.c — the one rule of who may sign (store/member.c), op by op: before the first
 * member anything goes; the first must be its own signer and a lead; then every change is
 * signed by a current member who is not a viewer, and only a lead changes membership. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "store/identity.h"
#include "store/internal.h"
#include "tests/helpers.h"

struct people {
	char dir[512];
	struct cf_identity lead, member, viewer, stranger;
};

static void make(struct people *p, struct cf_identity *id, const char *name)
{
	char path[700];
	struct cf_err err;

	snprintf(path, sizeof(path), "%s/%s.id", p->dir, name);
	assert_int_equal(cf_identity_create(path, name, "x@example.org", NULL, id, &err), 0);
}

static int setup(void **state)
{
	struct people *p = calloc(1, sizeof(*p));

	tmpdir(p->dir, sizeof(p->dir));
	make(p, &p->lead, "lead");
	make(p, &p->member, "member");
	make(p, &p->viewer, "viewer");
	make(p, &p->stranger, "stranger");
	*state = p;
	return 0;
}

static int teardown(void **state)
{
	struct people *p = *state;
	rmtree(p->dir);
	free(p);
	return 0;
}

/* An operation on KIND by SIGNER (NULL: unsigned); VALUE is the new value or created fields. */
static void op_by(struct cf_op *op, const struct cf_identity *signer, enum cf_kind kind,
		  const char *record, const char *field, const char *value)
{
	memset(op, 0, sizeof(*op));
	op->kind = kind;
	snprintf(op->record, sizeof(op->record), "%s", record);
	op->field = (char *)field;
	op->new_value = (char *)value;
	if (signer)
		sodium_bin2hex(op->signer, sizeof(op->signer), signer->sign_pk,
			       sizeof(signer->sign_pk));
}

static char *member_fields(const struct cf_identity *id, const char *role)
{
	char pub[CF_IDENTITY_PUBLIC_LEN + 1];
	static char buf[512];

	cf_identity_public(id, pub);
	snprintf(buf, sizeof(buf), "{\"identity\":\"%s\",\"name\":\"%s\",\"role\":\"%s\"}", pub,
		 id->name, role);
	return buf;
}

/* Applies OP to MS when the rule lets it in; returns the rule's answer. */
static int admit(struct member_set *ms, const struct cf_op *op, char *why)
{
	int refused = member_rule(ms, op, why, 256);
	if (!refused)
		assert_int_equal(member_set_apply(ms, op), 0);
	return refused;
}

static void test_the_rule(void **state)
{
	struct people *p = *state;
	struct member_set ms = { 0 };
	struct cf_op op;
	char why[256];

	/* No members: unsigned changes go in, and so does a stranger's. */
	op_by(&op, NULL, CF_TASK, "t1", "@create", "{}");
	assert_int_equal(admit(&ms, &op, why), 0);
	/* The first member added by someone else's key, or not as a lead, is refused. */
	op_by(&op, &p->stranger, CF_MEMBER, "m0", "@create", member_fields(&p->lead, "lead"));
	assert_int_equal(admit(&ms, &op, why), 1);
	assert_non_null(strstr(why, "own key"));
	op_by(&op, &p->lead, CF_MEMBER, "m0", "@create", member_fields(&p->lead, "member"));
	assert_int_equal(admit(&ms, &op, why), 1);
	assert_non_null(strstr(why, "must be a lead"));
	/* The lead starts signing, then adds a member and a viewer. */
	op_by(&op, &p->lead, CF_MEMBER, "m1", "@create", member_fields(&p->lead, "lead"));
	assert_int_equal(admit(&ms, &op, why), 0);
	op_by(&op, &p->lead, CF_MEMBER, "m2", "@create", member_fields(&p->member, "member"));
	assert_int_equal(admit(&ms, &op, why), 0);
	op_by(&op, &p->lead, CF_MEMBER, "m3", "@create", member_fields(&p->viewer, "viewer"));
	assert_int_equal(admit(&ms, &op, why), 0);
	/* From now on. */
	op_by(&op, NULL, CF_TASK, "t1", "title", "x");
	assert_int_equal(admit(&ms, &op, why), 1);
	assert_non_null(strstr(why, "unsigned"));
	op_by(&op, &p->stranger, CF_TASK, "t1", "title", "x");
	assert_int_equal(admit(&ms, &op, why), 1);
	assert_non_null(strstr(why, "not a member"));
	op_by(&op, &p->viewer, CF_TASK, "t1", "title", "x");
	assert_int_equal(admit(&ms, &op, why), 1);
	assert_non_null(strstr(why, "a viewer"));
	op_by(&op, &p->member, CF_TASK, "t1", "title", "x");
	assert_int_equal(admit(&ms, &op, why), 0);
	op_by(&op, &p->member, CF_MEMBER, "m4", "@create", member_fields(&p->stranger, "lead"));
	assert_int_equal(admit(&ms, &op, why), 1);
	assert_non_null(strstr(why, "only a lead"));
	/* A viewer made a member writes; a removed member does not; restored, writes again. */
	op_by(&op, &p->lead, CF_MEMBER, "m3", "role", "member");
	assert_int_equal(admit(&ms, &op, why), 0);
	op_by(&op, &p->viewer, CF_TASK, "t1", "title", "y");
	assert_int_equal(admit(&ms, &op, why), 0);
	op_by(&op, &p->lead, CF_MEMBER, "m2", "@delete", NULL);
	assert_int_equal(admit(&ms, &op, why), 0);
	op_by(&op, &p->member, CF_TASK, "t1", "title", "z");
	assert_int_equal(admit(&ms, &op, why), 1);
	assert_non_null(strstr(why, "removed"));
	op_by(&op, &p->lead, CF_MEMBER, "m2", "@restore", NULL);
	assert_int_equal(admit(&ms, &op, why), 0);
	op_by(&op, &p->member, CF_TASK, "t1", "title", "z");
	assert_int_equal(admit(&ms, &op, why), 0);
	member_set_free(&ms);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_the_rule, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
