/* member.h — private to store/: the members of a case and the rule of who may sign. */
#ifndef CASEFILE_MEMBER_H
#define CASEFILE_MEMBER_H

#include "store/store.h"

struct member {
	char record[CF_ID_LEN + 1];
	char signer[CF_SIGNER_LEN + 1]; /* the signing key of its identity, "" when malformed */
	char name[128];                 /* as shown in messages; cut at a character */
	char role[8];                   /* lead, member or viewer */
	int removed;
	/* With REMOVED: the removal's "cutoff" (its new value), the operations of theirs the lead
	 * who removed them held: {"cutoff":{"REPLICA":LAST SEQUENCE,...}}.  Those stay valid; any
	 * other of theirs is refused, whatever its clock (member_rule). */
	char *cutoff;
};

/* The members as a list (a case has a handful): from the table, or built op by op. */
struct member_set {
	struct member *v;
	size_t n, cap;
};

void member_set_free(struct member_set *ms);
/* The members recorded in the case now (removed ones too). */
int member_set_load(struct store *s, struct member_set *ms, struct cf_err *err);
/* OP's effect on MS when OP changes a member; 0, or CF_ERR when out of memory. */
int member_set_apply(struct member_set *ms, const struct cf_op *op);
/* Whether OP may join a log whose members are MS: 0, or 1 with WHY saying why not.  Before
 * the first member anything goes, and the first must be its own signer and a lead; after,
 * every operation is signed by a current member who is not a viewer, and only a lead changes
 * membership. */
int member_rule(const struct member_set *ms, const struct cf_op *op, char *why, size_t len);
/* member_rule for a change made here (op_append_id), against the members as this write
 * transaction sees them; 0, or CF_EAUTH saying why and what to do. */
int member_check_local(struct store *s, const struct cf_op *op, struct cf_err *err);
/* 1 when this store's identity may change the case (member_rule on a change it would make),
 * 0 when not, <0 on a database error. */
int member_may_write(struct store *s);
/* The cutoff text for removing the member of public IDENTITY now: the last sequence this case
 * holds of every replica that holds an operation they signed.  Malloc'd, or NULL with ERR. */
char *member_cutoff_now(struct store *s, const char *identity, struct cf_err *err);
/* Whether OP is one of those CUTOFF (a removal's) keeps valid. */
int member_within_cutoff(const char *cutoff, const struct cf_op *op);
/* The signing key (hex) of member record RECORD in MS, or NULL. */
const char *member_signer_of(const struct member_set *ms, const char *record);
/* Makes ID the case's first member, a lead: a case made by someone with an identity is signed
 * from its first operation. */
struct cf_identity;
int member_add_creator(struct store *s, const struct cf_identity *id, struct cf_err *err);
/* The name of the member SIGNER (hex key) is or was, NULL when none. */
/* The membership operations of a case, in clock order (store/member_history.c). */
struct member_history {
	struct cf_op *v;
	size_t n, cap;
};
/* Those of the case's log: of the records in the member table, or (WHOLE_LOG) every one. */
int member_history_load(struct store *s, int whole_log, struct member_history *h,
			struct cf_err *err);
void member_history_free(struct member_history *h);
/* Keeps a copy of OP in clock order. */
void member_history_add(struct member_history *h, const struct cf_op *op);
void member_history_drop(struct member_history *h, const char *op_id);
/* MS: the members as the operations of H before OP's clock left them (all of H when OP is
 * NULL), each judged by member_rule in turn, as a fresh replay would. */
void member_set_before(const struct member_history *h, const struct cf_op *op,
		       struct member_set *ms);
/* member_rule for operations against the members at each one's clock, and the removals of H
 * after it (their cutoffs).  The members are advanced along H as the operations come in clock
 * order (verify, rejudge.c, a receive's walks), started again for one that comes before; the
 * cursor is reset (free, init) whenever H changes. */
struct member_cursor {
	const struct member_history *h;
	size_t at;
	struct member_set set;
};
void member_cursor_init(struct member_cursor *c, const struct member_history *h);
int member_cursor_judge(struct member_cursor *c, const struct cf_op *op, char *why, size_t len);
void member_cursor_free(struct member_cursor *c);

const char *member_name_of(const struct member_set *ms, const char *signer);

#endif
