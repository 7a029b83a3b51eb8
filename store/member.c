/* member.c — who may sign a case's operations: the one rule, applied to a local change before
 * it is written (op_append_id), to a received operation before it is admitted (admit.c), and
 * to the whole log from its start by verify.  Members are records of the kind `member`; the
 * first one, its own signer and a lead, is when signing begins. */
#include "store/identity.h"
#include "store/internal.h"
#include "store/member.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void member_set_free(struct member_set *ms)
{
	for (size_t i = 0; i < ms->n; i++)
		free(ms->v[i].cutoff);
	free(ms->v);
	memset(ms, 0, sizeof(*ms));
}

static struct member *find_record(struct member_set *ms, const char *record)
{
	for (size_t i = 0; i < ms->n; i++)
		if (strcmp(ms->v[i].record, record) == 0)
			return &ms->v[i];
	return NULL;
}

static const struct member *find_signer(const struct member_set *ms, const char *signer)
{
	const struct member *removed = NULL;

	/* One key may have been removed and added again: the current entry wins. */
	for (size_t i = 0; i < ms->n; i++)
		if (strcmp(ms->v[i].signer, signer) == 0) {
			if (!ms->v[i].removed)
				return &ms->v[i];
			removed = &ms->v[i];
		}
	return removed;
}

/* The signing key (hex) of a public identity token, "" when it is not one. */
static void signer_of(const char *identity, char out[CF_SIGNER_LEN + 1])
{
	unsigned char spk[crypto_sign_PUBLICKEYBYTES], bpk[crypto_box_PUBLICKEYBYTES];

	out[0] = '\0';
	if (identity && cf_identity_parse_public(identity, spk, bpk, NULL) == 0)
		sodium_bin2hex(out, CF_SIGNER_LEN + 1, spk, sizeof(spk));
}

static void set_field(struct member *m, const char *field, const char *value)
{
	if (strcmp(field, "name") == 0)
		cf_strlcpy(m->name, value, sizeof(m->name));
	else if (strcmp(field, "role") == 0)
		cf_strlcpy(m->role, value, sizeof(m->role));
	else if (strcmp(field, "identity") == 0)
		signer_of(value, m->signer);
}

static int add(struct member_set *ms, const char *record, const char *fields)
{
	json_t *o = fields ? json_loads(fields, 0, NULL) : NULL;
	struct member *m;

	if (ms->n == ms->cap) {
		size_t cap = ms->cap ? 2 * ms->cap : 8;
		struct member *v = xrealloc(ms->v, cap * sizeof(*v));
		if (!v) {
			json_decref(o);
			return CF_ERR;
		}
		ms->v = v;
		ms->cap = cap;
	}
	m = &ms->v[ms->n++];
	memset(m, 0, sizeof(*m));
	cf_strlcpy(m->record, record, sizeof(m->record));
	if (json_is_object(o)) {
		const char *key;
		json_t *v;
		json_object_foreach(o, key, v)
			if (json_is_string(v))
				set_field(m, key, json_string_value(v));
	}
	json_decref(o);
	return 0;
}

int member_set_apply(struct member_set *ms, const struct cf_op *op)
{
	struct member *m;

	if (op->kind != CF_MEMBER)
		return 0;
	if (strcmp(op->field, "@create") == 0)
		return add(ms, op->record, op->new_value);
	if (!(m = find_record(ms, op->record)))
		return 0;
	if (strcmp(op->field, "@delete") == 0 || strcmp(op->field, "@restore") == 0) {
		m->removed = op->field[1] == 'd';
		free(m->cutoff);
		m->cutoff = m->removed ? xstrdup_or_null(op->new_value) : NULL;
	} else
		set_field(m, op->field, op->new_value ? op->new_value : "");
	return 0;
}

static int refuse(char *why, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int refuse(char *why, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, len, fmt, ap);
	va_end(ap);
	return 1;
}

/* The first member: made by its own key, as a lead. */
static int check_first(const struct cf_op *op, char *why, size_t len)
{
	struct member first = { 0 };
	struct member_set one = { &first, 0, 1 };

	if (add(&one, op->record, op->new_value) < 0)
		return refuse(why, len, "out of memory");
	if (!op->signer[0] || strcmp(first.signer, op->signer) != 0)
		return refuse(why, len, "the first member of a case must be added by that"
			      " member's own key");
	if (strcmp(first.role, "lead") != 0)
		return refuse(why, len, "the first member of a case must be a lead");
	return 0;
}

int member_within_cutoff(const char *cutoff, const struct cf_op *op)
{
	json_t *o = cutoff ? json_loads(cutoff, 0, NULL) : NULL;
	json_t *n = json_object_get(json_object_get(o, "cutoff"), op->replica);
	int in = json_is_integer(n) && op->rseq <= json_integer_value(n);

	json_decref(o);
	return in;
}

int member_rule(const struct member_set *ms, const struct cf_op *op, char *why, size_t len)
{
	const struct member *m;
	char fp[CF_FINGERPRINT_LEN + 1];

	why[0] = '\0';
	if (ms->n == 0)
		return op->kind == CF_MEMBER && strcmp(op->field, "@create") == 0
			       ? check_first(op, why, len) : 0;
	if (!op->signer[0])
		return refuse(why, len, "unsigned, and signing began with the case's first member");
	cf_fingerprint_hex(op->signer, fp);
	if (!(m = find_signer(ms, op->signer)))
		return refuse(why, len, "signed by %s, a key that is not a member of the case",
			      fp[0] ? fp : "a malformed key");
	if (m->removed && !member_within_cutoff(m->cutoff, op))
		return refuse(why, len, "signed by %s (%s), removed from the case", m->name, fp);
	if (strcmp(m->role, "viewer") == 0)
		return refuse(why, len, "signed by %s (%s), a viewer: viewers do not change the case",
			      m->name, fp);
	if (op->kind == CF_MEMBER && strcmp(m->role, "lead") != 0)
		return refuse(why, len, "only a lead changes who is a member (%s is a %s)", m->name,
			      m->role);
	return 0;
}

const char *member_signer_of(const struct member_set *ms, const char *record)
{
	for (size_t i = 0; i < ms->n; i++)
		if (strcmp(ms->v[i].record, record) == 0)
			return ms->v[i].signer;
	return NULL;
}

char *member_cutoff_now(struct store *s, const char *identity, struct cf_err *err)
{
	char signer[CF_SIGNER_LEN + 1];

	/* Once, at a removal: a scan of the log is fine. */
	sqlite3_stmt *st = store_stmt(s, "SELECT replica, max(rseq) FROM op WHERE replica IN"
				      " (SELECT DISTINCT replica FROM op WHERE signer = ?1)"
				      " GROUP BY replica ORDER BY replica", err);
	json_t *cut = json_object(), *o = json_object();
	char *text = NULL;
	int step;

	if (!st)
		goto out;
	signer_of(identity, signer);
	sqlite3_bind_text(st, 1, signer, -1, SQLITE_STATIC);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *replica = (const char *)sqlite3_column_text(st, 0);
		if (replica)
			json_object_set_new(cut, replica, json_integer(sqlite3_column_int64(st, 1)));
	}
	sqlite3_reset(st);
	if (step != SQLITE_DONE) {
		store_db_error(s, err, "read the removed member's operations");
		goto out;
	}
	json_object_set(o, "cutoff", cut);
	text = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	if (!text)
		cf_error(err, CF_ERR, "out of memory");
out:
	json_decref(cut);
	json_decref(o);
	return text;
}

int member_set_load(struct store *s, struct member_set *ms, struct cf_err *err)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT id, name, identity, role, deleted FROM member"
				      " ORDER BY rowid", err);
	int step;

	memset(ms, 0, sizeof(*ms));
	if (!st)
		return CF_EDB;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		struct member *m;
		const char *id = (const char *)sqlite3_column_text(st, 0);

		if (!id || add(ms, id, NULL) < 0) {
			sqlite3_reset(st);
			member_set_free(ms);
			return cf_error(err, id ? CF_ERR : CF_EDB, id ? "out of memory"
						  : "a member without an id: run casefile verify");
		}
		m = &ms->v[ms->n - 1];
		for (int c = 1; c <= 3; c++) {
			const char *v = (const char *)sqlite3_column_text(st, c);
			set_field(m, c == 1 ? "name" : c == 2 ? "identity" : "role", v ? v : "");
		}
		m->removed = sqlite3_column_int(st, 4) != 0;
	}
	sqlite3_reset(st);
	if (step != SQLITE_DONE) {
		member_set_free(ms);
		return store_db_error(s, err, "read members");
	}
	return 0;
}

static int load_cached(struct store *s, struct cf_err *err)
{
	int rc;

	if (s->members_valid)
		return 0;
	member_set_free(&s->members);
	if ((rc = member_set_load(s, &s->members, err)) < 0)
		return rc;
	s->members_valid = 1;
	return 0;
}

int member_may_write(struct store *s)
{
	struct cf_op probe = { .kind = CF_NOTICE, .field = "due" };
	char why[CF_MSG_LEN / 2];

	if (load_cached(s, NULL) < 0)
		return CF_EDB;
	if (s->identity)
		sodium_bin2hex(probe.signer, sizeof(probe.signer), s->identity->sign_pk,
			       sizeof(s->identity->sign_pk));
	return member_rule(&s->members, &probe, why, sizeof(why)) == 0;
}

int member_check_local(struct store *s, const struct cf_op *op, struct cf_err *err)
{
	char why[CF_MSG_LEN / 2];
	int rc;

	if ((rc = load_cached(s, err)) < 0)
		return rc;
	if (member_rule(&s->members, op, why, sizeof(why)))
		return cf_error(err, CF_EAUTH, "this change cannot be made: %s (%s)", why,
				!op->signer[0] ? "run casefile id init, then ask a lead of the case"
						 " to add you with casefile member add"
					       : "ask a lead of the case: casefile member list");
	return member_set_apply(&s->members, op) < 0 ? cf_error(err, CF_ERR, "out of memory")
						      : 0;
}

const char *member_name_of(const struct member_set *ms, const char *signer)
{
	const struct member *m = signer && signer[0] ? find_signer(ms, signer) : NULL;
	return m ? m->name : NULL;
}

int member_add_creator(struct store *s, const struct cf_identity *id, struct cf_err *err)
{
	char pub[CF_IDENTITY_PUBLIC_LEN + 1];
	struct cf_record r;
	int rc;

	cf_identity_public(id, pub);
	cf_record_init(&r, CF_MEMBER);
	rc = cf_record_set(&r, "name", id->name, err);
	if (rc == 0)
		rc = cf_record_set(&r, "identity", pub, err);
	if (rc == 0)
		rc = cf_record_set(&r, "role", "lead", err);
	if (rc == 0)
		rc = record_add(s, &r, err);
	cf_record_release(&r);
	return rc;
}

void store_signer_text(struct store *s, const struct cf_op *op, char *buf, size_t len)
{
	char fp[CF_FINGERPRINT_LEN + 1];
	const char *name;

	buf[0] = '\0';
	if (!op->signer[0])
		return;
	cf_fingerprint_hex(op->signer, fp);
	if (!cf_op_signature_holds(op)) {
		snprintf(buf, len, "SIGNATURE DOES NOT HOLD: %s", fp[0] ? fp : "malformed key");
		return;
	}
	name = load_cached(s, NULL) == 0 ? member_name_of(&s->members, op->signer) : NULL;
	if (name)
		snprintf(buf, len, "signed by %s %s", name, fp);
	else
		snprintf(buf, len, "signed %s", fp);
}
