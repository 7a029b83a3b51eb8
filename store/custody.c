/* custody.c — the chain of custody's one rule and its one reading: each event comes from the
 * holder before it and is not dated before it, unless recorded as a correction with a reason;
 * the item's holder is derived from the chain (the last event's handler), never typed. */
#include "store/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* A time of the chain as seconds; INT64_MIN when it does not parse (it then sorts first and
 * is never "before" anything). */
static int64_t when_of(struct store *s, const char *text)
{
	struct cf_when w;
	struct cf_err e;

	return text && cf_when_parse(text, s->tz, &w, &e) == 0 ? w.start : INT64_MIN;
}

/* How EV breaks the chain after PREV (NULL: EV is the first): into WHY, "" when it does not. */
static void chain_break(struct store *s, const struct cf_record *prev,
			const struct cf_record *ev, char *why, size_t len)
{
	const char *held = prev ? cf_record_get(prev, "handler") : NULL;
	const char *from = cf_record_get(ev, "from");
	int64_t t0 = prev ? when_of(s, cf_record_get(prev, "at")) : INT64_MIN;
	int64_t t1 = when_of(s, cf_record_get(ev, "at"));

	why[0] = '\0';
	if (!prev)
		return;
	if (t0 != INT64_MIN && t1 != INT64_MIN && t1 < t0)
		snprintf(why, len, "dated %.40s, before the event before it (%.40s)",
			 cf_record_get(ev, "at"), cf_record_get(prev, "at"));
	else if (from && held && !same(from, held))
		snprintf(why, len, "from '%.80s', but the item was held by '%.80s'", from, held);
}

/* Chain order: time, then the order the events were created in (their create operation's
 * clock, the same on every replica), then id.  Never the local insertion order. */
static const char chain_sql[] =
	"SELECT c.id FROM custody c WHERE c.evidence = ?1 AND c.deleted = 0"
	" ORDER BY c.sort_key, (SELECT min(lamport) FROM op WHERE op.record = c.id"
	" AND op.field = '@create'), c.id";

int custody_walk(struct store *s, const char *evidence, custody_cb cb, void *ctx,
		 struct cf_err *err)
{
	struct cf_record prev, r;
	struct cf_custody_step step;
	char why[CF_PHRASE_LEN];
	sqlite3_stmt *st;
	int rc = 0, sq, stop = 0, n = 0;

	/* Own statement, not the cache: the callback may use the store. */
	if (sqlite3_prepare_v2(s->db, chain_sql, -1, &st, NULL) != SQLITE_OK)
		return store_db_error(s, err, "read custody chain");
	sqlite3_bind_text(st, 1, evidence, -1, SQLITE_STATIC);
	cf_record_init(&prev, CF_CUSTODY);
	while (!stop && (sq = sqlite3_step(st)) == SQLITE_ROW) {
		char id[CF_ID_LEN + 1];
		if ((rc = col_copy(id, sizeof(id), st, 0, err)) < 0 ||
		    (rc = record_get(s, CF_CUSTODY, id, &r, err)) < 0)
			break;
		chain_break(s, n ? &prev : NULL, &r, why, sizeof(why));
		step.event = &r;
		step.n = ++n;
		step.correction = cf_record_get(&r, "correction");
		step.broken = why[0] ? why : NULL;
		stop = cb ? cb(&step, ctx) : 0;
		cf_record_release(&prev);
		prev = r;
	}
	cf_record_release(&prev);
	if (rc == 0 && !stop && sq != SQLITE_DONE)
		rc = store_db_error(s, err, "read custody chain");
	sqlite3_finalize(st);
	return rc;
}

struct chain_ctx {
	record_cb cb;
	void *ctx;
};

static int chain_step(const struct cf_custody_step *step, void *vctx)
{
	struct chain_ctx *c = vctx;
	return c->cb(step->event, c->ctx);
}

int custody_chain(struct store *s, const char *evidence, record_cb cb, void *ctx,
		  struct cf_err *err)
{
	struct chain_ctx c = { cb, ctx };
	return custody_walk(s, evidence, chain_step, &c, err);
}

/* The chain's last event, and the last one not after a moment (the event a new one at that
 * moment follows); each with no id when there is none. */
struct chain_ends {
	struct store *s;
	int64_t at;
	struct cf_record last, before;
};

static int ends_step(const struct cf_custody_step *step, void *ctx)
{
	struct chain_ends *e = ctx;

	cf_record_release(&e->last);
	if (cf_record_copy(&e->last, step->event) < 0)
		return 1;
	if (when_of(e->s, cf_record_get(step->event, "at")) <= e->at) {
		cf_record_release(&e->before);
		if (cf_record_copy(&e->before, step->event) < 0)
			return 1;
	}
	return 0;
}

static int chain_ends(struct store *s, const char *evidence, int64_t at, struct chain_ends *e,
		      struct cf_err *err)
{
	e->s = s;
	e->at = at;
	cf_record_init(&e->last, CF_CUSTODY);
	cf_record_init(&e->before, CF_CUSTODY);
	return custody_walk(s, evidence, ends_step, e, err);
}

static void chain_ends_release(struct chain_ends *e)
{
	cf_record_release(&e->last);
	cf_record_release(&e->before);
}

int custody_check_add(struct store *s, struct cf_record *ev, struct cf_err *err)
{
	const char *evidence = cf_record_get(ev, "evidence");
	struct chain_ends e;
	char why[CF_PHRASE_LEN];
	int rc;

	if (!evidence)
		return 0; /* the required-field check names it */
	if ((rc = chain_ends(s, evidence, when_of(s, cf_record_get(ev, "at")), &e, err)) < 0 ||
	    !e.last.id[0])
		goto out;
	/* It comes from whoever held the item at its moment, unless the caller says otherwise. */
	if (!cf_record_get(ev, "from") && e.before.id[0] &&
	    (rc = cf_record_set(ev, "from", cf_record_get(&e.before, "handler"), err)) < 0)
		goto out;
	chain_break(s, &e.last, ev, why, sizeof(why));
	if (why[0] && !cf_record_get(ev, "correction"))
		rc = cf_error(err, CF_EINVAL,
			      "custody event of evidence item '%.*s' refused: %s (its last custody"
			      " event, %.*s, %s to %s at %s); a transfer must come from the current"
			      " holder and be later than the last event: to record it anyway, give"
			      " --correction REASON",
			      CF_SHORT_ID, evidence, why, CF_SHORT_ID, e.last.id,
			      cf_record_get(&e.last, "action") ? cf_record_get(&e.last, "action")
							       : "custody",
			      cf_record_get(&e.last, "handler"), cf_record_get(&e.last, "at"));
out:
	chain_ends_release(&e);
	return rc;
}

int custody_check_set(struct store *s, const struct cf_kind_info *ki, int idx,
		      struct cf_err *err)
{
	static const char *const chain_fields[] = { "evidence", "handler", "from", "at" };
	const char *name = ki->fields[idx].name;

	if (s->deriving)
		return 0;
	if (ki->fields[idx].flags & CF_F_DERIVED)
		return cf_error(err, CF_EINVAL, "%s: field '%s' is derived (the chain of custody's"
				" last handler), never set by hand: record a transfer"
				" (evidence transfer ID --to WHO)", ki->title, name);
	if (ki->kind != CF_CUSTODY)
		return 0;
	for (size_t i = 0; i < sizeof(chain_fields) / sizeof(chain_fields[0]); i++)
		if (strcmp(name, chain_fields[i]) == 0)
			return cf_error(err, CF_EINVAL, "custody event: field '%s' records what"
					" happened and is not edited: record what really happened"
					" as a new event (evidence transfer ID ... --correction"
					" REASON), or delete this one", name);
	return 0;
}

/* Sets HOLDER of item ID to its chain's last handler when it differs. */
static int derive_one(struct store *s, const char *id, const char *holder,
		      struct cf_err *err)
{
	struct chain_ends e;
	int rc = chain_ends(s, id, INT64_MIN, &e, err);
	const char *want = e.last.id[0] ? cf_record_get(&e.last, "handler") : NULL;

	if (rc == 0 && !same(holder, want))
		rc = record_set(s, CF_EVIDENCE, id, "holder", want, err);
	chain_ends_release(&e);
	return rc;
}

int custody_derive_item(struct store *s, const char *id, struct cf_err *err)
{
	struct cf_record ev;
	int rc, was = s->deriving;

	if ((rc = record_get(s, CF_EVIDENCE, id, &ev, err)) < 0)
		return rc;
	s->deriving = 1;
	rc = derive_one(s, id, cf_record_get(&ev, "holder"), err);
	s->deriving = was;
	cf_record_release(&ev);
	return rc;
}

int custody_derive(struct store *s, struct cf_err *err)
{
	sqlite3_stmt *st;
	int rc = 0, sq;

	if (sqlite3_prepare_v2(s->db, "SELECT id, holder FROM evidence WHERE deleted = 0"
			       " ORDER BY id", -1, &st, NULL) != SQLITE_OK)
		return store_db_error(s, err, "read evidence");
	while (rc == 0 && (sq = sqlite3_step(st)) == SQLITE_ROW) {
		char id[CF_ID_LEN + 1];
		if ((rc = col_copy(id, sizeof(id), st, 0, err)) == 0)
			rc = derive_one(s, id, (const char *)sqlite3_column_text(st, 1), err);
	}
	if (rc == 0 && sq != SQLITE_DONE)
		rc = store_db_error(s, err, "read evidence");
	sqlite3_finalize(st);
	return rc;
}
