/* member_history.c — who could sign at any moment of a case's clock.  An operation is judged
 * against the members as the membership operations before it (in clock order) left them, the
 * same answer a fresh clone gives by replaying the log; so a removal that arrives after a
 * change it precedes (made offline by the removed member) refuses that change on every
 * replica alike, and a change that precedes a removal it arrives after is taken everywhere.
 * The membership operations are few: they are kept in memory, in clock order. */
#include "store/identity.h"
#include "store/internal.h"
#include "store/member.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void member_history_free(struct member_history *h)
{
	for (size_t i = 0; i < h->n; i++)
		cf_op_release(&h->v[i]);
	free(h->v);
	memset(h, 0, sizeof(*h));
}

/* <0, 0, >0 as A's clock (lamport, replica, sequence) is before, equal to or after B's. */
int op_clock_cmp(const struct cf_op *a, const struct cf_op *b)
{
	int c;

	if (a->lamport != b->lamport)
		return a->lamport < b->lamport ? -1 : 1;
	if ((c = strcmp(a->replica, b->replica)) != 0)
		return c;
	return a->rseq < b->rseq ? -1 : a->rseq > b->rseq;
}

void member_history_add(struct member_history *h, const struct cf_op *op)
{
	size_t at = h->n;
	struct cf_op *c;

	if (h->n == h->cap) {
		size_t cap = h->cap ? 2 * h->cap : 16;
		h->v = xrealloc(h->v, cap * sizeof(*h->v));
		h->cap = cap;
	}
	while (at > 0 && op_clock_cmp(&h->v[at - 1], op) > 0)
		at--;
	memmove(&h->v[at + 1], &h->v[at], (h->n - at) * sizeof(*h->v));
	c = &h->v[at];
	*c = *op;
	c->field = xstrdup_or_null(op->field);
	c->old_value = xstrdup_or_null(op->old_value);
	c->new_value = xstrdup_or_null(op->new_value);
	c->author = xstrdup_or_null(op->author);
	h->n++;
}

void member_history_drop(struct member_history *h, const char *op_id)
{
	for (size_t i = 0; i < h->n; i++)
		if (strcmp(h->v[i].id, op_id) == 0) {
			cf_op_release(&h->v[i]);
			memmove(&h->v[i], &h->v[i + 1], (h->n - i - 1) * sizeof(*h->v));
			h->n--;
			return;
		}
}

int member_history_load(struct store *s, int whole_log, struct member_history *h,
			struct cf_err *err)
{
	/* Through the member table's ids and op_record, no scan of the whole log; verify, which
	 * trusts no table, reads the log by kind. */
	sqlite3_stmt *st = store_stmt(s, whole_log
				      ? "SELECT " OP_COLS " FROM op WHERE kind = ?1"
					" ORDER BY lamport, replica, rseq"
				      : "SELECT " OP_COLS " FROM op WHERE record IN"
					" (SELECT id FROM member) ORDER BY lamport, replica, rseq",
				      err);
	int rc = 0, step;

	memset(h, 0, sizeof(*h));
	if (!st)
		return CF_EDB;
	if (whole_log)
		sqlite3_bind_text(st, 1, cf_kind_info(CF_MEMBER)->name, -1, SQLITE_STATIC);
	while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
		struct cf_op op;
		if ((rc = op_from_row(&op, st, err)) == 0)
			member_history_add(h, &op);
		cf_op_release(&op);
	}
	sqlite3_reset(st);
	if (rc == 0 && step != SQLITE_DONE)
		rc = store_db_error(s, err, "read the membership operations");
	if (rc < 0)
		member_history_free(h);
	return rc;
}

/* Applies to MS the entries of H from FROM on whose clock is before OP's (all when OP is
 * NULL), each judged by member_rule in turn; the index of the first one not applied. */
static size_t advance(struct member_set *ms, const struct member_history *h, size_t from,
		      const struct cf_op *op)
{
	char why[CF_MSG_LEN / 2];
	size_t i;

	for (i = from; i < h->n && (!op || op_clock_cmp(&h->v[i], op) < 0); i++)
		if (!member_rule(ms, &h->v[i], why, sizeof(why)))
			member_set_apply(ms, &h->v[i]);
	return i;
}

void member_set_before(const struct member_history *h, const struct cf_op *op,
		       struct member_set *ms)
{
	memset(ms, 0, sizeof(*ms));
	advance(ms, h, 0, op);
}

/* The first removal in H of member record RECORD after OP's clock, or NULL. */
static const struct cf_op *removed_after(const struct member_history *h, const char *record,
					 const struct cf_op *op)
{
	if (h->n == 0 || op_clock_cmp(&h->v[h->n - 1], op) < 0)
		return NULL; /* the usual case: the operation comes after every membership change */
	for (size_t i = 0; i < h->n; i++)
		if (op_clock_cmp(&h->v[i], op) > 0 && strcmp(h->v[i].record, record) == 0 &&
		    strcmp(h->v[i].field, "@delete") == 0)
			return &h->v[i];
	return NULL;
}

/* member_rule for OP against THEN (the members at its clock), and the removals of H after it:
 * a removal with a later clock still refuses what the lead did not hold when making it, as a
 * removed member who has not heard of it (or says so) writes with low clocks. */
static int judge_then(const struct member_history *h, const struct member_set *then,
		      const struct cf_op *op, char *why, size_t len)
{
	const struct cf_op *removal;

	if (member_rule(then, op, why, len))
		return 1;
	for (size_t i = 0; op->signer[0] && i < then->n; i++) {
		const struct member *m = &then->v[i];
		if (m->removed || strcmp(m->signer, op->signer) != 0)
			continue;
		removal = removed_after(h, m->record, op);
		if (removal && !member_within_cutoff(removal->new_value, op)) {
			char fp[CF_FINGERPRINT_LEN + 1];
			cf_fingerprint_hex(op->signer, fp);
			snprintf(why, len, "signed by %s (%s), removed from the case (a removal with"
				 " a later clock, made without this change)", m->name, fp);
			return 1;
		}
	}
	return 0;
}

void member_cursor_init(struct member_cursor *c, const struct member_history *h)
{
	memset(c, 0, sizeof(*c));
	c->h = h;
}

void member_cursor_free(struct member_cursor *c)
{
	member_set_free(&c->set);
}

int member_cursor_judge(struct member_cursor *c, const struct cf_op *op, char *why, size_t len)
{
	/* An operation before those already applied (a later walk of a receive): start again. */
	if (c->at > 0 && op_clock_cmp(&c->h->v[c->at - 1], op) >= 0) {
		member_set_free(&c->set);
		c->at = 0;
	}
	c->at = advance(&c->set, c->h, c->at, op);
	return judge_then(c->h, &c->set, op, why, len);
}
