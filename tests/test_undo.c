/* test_undo.c — store/undo.c: a change taken back by a new operation (an edit set back, a
 * create deleted, a delete restored), run again it steps further back, a field changed since
 * is not overwritten, and the log replays to the same tables. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "store/store.h"
#include "tests/helpers.h"

struct fixture {
	char dir[512];
	struct store *s;
	struct cf_err err;
	char task[CF_ID_LEN + 1];
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct cf_record r;

	assert_non_null(f);
	tmpdir(f->dir, sizeof(f->dir));
	if (store_create(f->dir, &(struct cf_case_init){ .title = "t" }, "Alice <a@example.org>",
			 &f->s, &f->err) < 0)
		fail_msg("store_create: %s", f->err.msg);
	cf_record_init(&r, CF_TASK);
	assert_int_equal(cf_record_set(&r, "title", "Call counsel", &f->err), 0);
	assert_int_equal(record_add(f->s, &r, &f->err), 0);
	memcpy(f->task, r.id, sizeof(f->task));
	cf_record_release(&r);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	store_close(f->s);
	rmtree(f->dir);
	free(f);
	return 0;
}

static char *title(struct fixture *f, int *deleted)
{
	struct cf_record r;
	char *t;

	assert_int_equal(record_get(f->s, CF_TASK, f->task, &r, &f->err), 0);
	t = strdup(cf_record_get(&r, "title") ? cf_record_get(&r, "title") : "");
	*deleted = r.deleted;
	cf_record_release(&r);
	return t;
}

static void sound(struct fixture *f)
{
	assert_int_equal(op_check_chains(f->s, NULL, NULL, NULL, NULL, &f->err), 0);
	assert_int_equal(verify_replay(f->s, NULL, NULL, NULL, &f->err), 0);
}

static void test_undo_steps_back_through_edit_then_create(void **state)
{
	struct fixture *f = *state;
	struct cf_op undone;
	char undo_id[CF_ID_LEN + 1];
	int deleted;
	char *t;

	assert_int_equal(record_set(f->s, CF_TASK, f->task, "title", "Call outside counsel",
				    &f->err), 0);
	/* The edit first. */
	assert_int_equal(store_undo(f->s, NULL, 0, &undone, undo_id, &f->err), 0);
	assert_string_equal(undone.field, "title");
	cf_op_release(&undone);
	t = title(f, &deleted);
	assert_string_equal(t, "Call counsel");
	assert_false(deleted);
	free(t);
	/* Run again: not a redo, the create before it (the task deleted). */
	assert_int_equal(store_undo(f->s, NULL, 0, &undone, undo_id, &f->err), 0);
	assert_string_equal(undone.field, "@create");
	cf_op_release(&undone);
	t = title(f, &deleted);
	assert_true(deleted);
	free(t);
	/* Nothing of ours is left to undo. */
	assert_int_equal(store_undo(f->s, NULL, 0, NULL, undo_id, &f->err), CF_ENOTFOUND);
	sound(f);
}

static void test_delete_restored_by_undo_and_by_restore(void **state)
{
	struct fixture *f = *state;
	char undo_id[CF_ID_LEN + 1];
	int deleted;
	char *t;

	assert_int_equal(record_delete(f->s, CF_TASK, f->task, &f->err), 0);
	assert_int_equal(store_undo(f->s, NULL, 0, NULL, undo_id, &f->err), 0);
	t = title(f, &deleted);
	assert_false(deleted);
	assert_string_equal(t, "Call counsel");
	free(t);
	assert_int_equal(record_delete(f->s, CF_TASK, f->task, &f->err), 0);
	assert_int_equal(record_restore(f->s, CF_TASK, f->task, &f->err), 0);
	t = title(f, &deleted);
	assert_false(deleted);
	free(t);
	/* A live record cannot be restored; the log says nothing happened. */
	assert_int_equal(record_restore(f->s, CF_TASK, f->task, &f->err), CF_EINVAL);
	assert_non_null(strstr(f->err.msg, "not deleted"));
	sound(f);
}

static void test_undo_does_not_overwrite_a_later_change(void **state)
{
	struct fixture *f = *state;
	struct cf_op first;
	char undo_id[CF_ID_LEN + 1], prefix[9];
	int deleted;
	char *t;

	assert_int_equal(record_set(f->s, CF_TASK, f->task, "title", "A", &f->err), 0);
	assert_int_equal(store_undo_target(f->s, NULL, &first, &f->err), 0);
	memcpy(prefix, first.id, 8);
	prefix[8] = '\0';
	cf_op_release(&first);
	assert_int_equal(record_set(f->s, CF_TASK, f->task, "title", "B", &f->err), 0);
	/* Undoing the first edit by its id would overwrite B: refused, nothing written. */
	assert_int_equal(store_undo(f->s, prefix, 0, NULL, undo_id, &f->err), CF_EINVAL);
	assert_non_null(strstr(f->err.msg, "changed since"));
	t = title(f, &deleted);
	assert_string_equal(t, "B");
	free(t);
	/* Forced, it sets the value the first edit replaced. */
	assert_int_equal(store_undo(f->s, prefix, 1, NULL, undo_id, &f->err), 0);
	t = title(f, &deleted);
	assert_string_equal(t, "Call counsel");
	free(t);
	assert_int_equal(store_undo(f->s, "zzzzzzzz", 0, NULL, undo_id, &f->err), CF_ENOTFOUND);
	assert_int_equal(store_undo(f->s, "ab", 0, NULL, undo_id, &f->err), CF_EINVAL);
	sound(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_undo_steps_back_through_edit_then_create,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_delete_restored_by_undo_and_by_restore, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_undo_does_not_overwrite_a_later_change, setup,
						teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
