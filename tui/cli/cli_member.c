/* cli_member.c — who may sign the case: member add NAME IDENTITY [--role], member list,
 * member rm NAME.  Each is an operation like any other change, so it syncs; the rule of who
 * may make it is the store's (store/member.c).  Store calls only: the small binary runs it. */
#include "store/identity.h"
#include "tui/cli/cli.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

struct found {
	const char *name;     /* looked for (NULL: none) */
	const char *identity; /* looked for (NULL: none) */
	char id[CF_ID_LEN + 1];
	char as[CF_IDENTITY_NAME_MAX + 1];
	int n;                /* live members seen */
};

static int find_member(const struct cf_record *r, void *ctx)
{
	struct found *f = ctx;
	const char *name = cf_record_get(r, "name"), *identity = cf_record_get(r, "identity");

	if (r->deleted)
		return 0;
	f->n++;
	if ((f->name && name && strcmp(f->name, name) == 0) ||
	    (f->identity && identity && strcmp(f->identity, identity) == 0)) {
		cf_strlcpy(f->id, r->id, sizeof(f->id));
		cf_strlcpy(f->as, name, sizeof(f->as));
	}
	return 0;
}

static int scan(struct cli *cli, struct found *f, const char *name, const char *identity)
{
	struct cf_page page = { .include_deleted = 0 };

	memset(f, 0, sizeof(*f));
	f->name = name;
	f->identity = identity;
	return record_list(cli->s, CF_MEMBER, &page, find_member, f, &cli->err);
}

static int add_one(struct cli *cli, const char *name, const char *identity, const char *role)
{
	struct cf_record r;
	int rc;

	cf_record_init(&r, CF_MEMBER);
	rc = cf_record_set(&r, "name", name, &cli->err);
	if (rc == 0)
		rc = cf_record_set(&r, "identity", identity, &cli->err);
	if (rc == 0)
		rc = cf_record_set(&r, "role", role, &cli->err);
	if (rc == 0)
		rc = record_add(cli->s, &r, &cli->err);
	cf_record_release(&r);
	return rc;
}

/* The first member is whoever starts signing: the user, as a lead. */
static int add_self_first(struct cli *cli, const char *identity)
{
	const struct cf_identity *me = store_identity(cli->s);
	char mine[CF_IDENTITY_PUBLIC_LEN + 1];

	if (!me)
		return cf_error(&cli->err, CF_EAUTH, "the case has no members yet, and you have no"
				" identity to start with: run casefile id init first");
	cf_identity_public(me, mine);
	if (strcmp(mine, identity) == 0)
		return 1; /* adding oneself: that add is the first */
	return add_one(cli, me->name, mine, "lead");
}

int cmd_member_add(struct cli *cli, const struct cli_args *a)
{
	const char *name = a->argv[0], *identity = a->argv[1];
	const char *role = cli_opt(a, "role") ? cli_opt(a, "role") : "member";
	unsigned char spk[crypto_sign_PUBLICKEYBYTES], bpk[crypto_box_PUBLICKEYBYTES];
	struct found f;
	int rc, self = 0;

	if (cf_identity_parse_public(identity, spk, bpk, &cli->err) < 0)
		return cli_bad_value(a, "%s: not a casefile identity (cf1. then two keys, as"
				     " casefile id show prints)", identity);
	if (store_begin(cli->s, &cli->err) < 0)
		return cli_fail(cli);
	if ((rc = scan(cli, &f, name, identity)) == 0 && f.id[0])
		rc = cf_error(&cli->err, CF_EINVAL, "%s is already a member (as %s)", name, f.as);
	if (rc == 0 && f.n == 0 && (self = add_self_first(cli, identity)) < 0)
		rc = self;
	if (rc == 0)
		rc = add_one(cli, name, identity, self == 1 ? "lead" : role);
	if (rc == 0)
		rc = store_commit(cli->s, &cli->err);
	if (rc < 0) {
		store_rollback(cli->s);
		return cli_fail(cli);
	}
	if (f.n == 0)
		puts("signing began: from now on only members' signed changes are accepted");
	cf_text_printf_safe(stdout, "added %s as %s", name, self == 1 ? "lead" : role);
	fputc('\n', stdout);
	return EXIT_OK;
}

static int print_member(const struct cf_record *r, void *ctx)
{
	json_t *array = ctx;
	const char *identity = cf_record_get(r, "identity");
	char signer[CF_SIGNER_LEN + 1] = "", fp[CF_FINGERPRINT_LEN + 1] = "";

	if (identity && strlen(identity) == CF_IDENTITY_PUBLIC_LEN) {
		cf_strlcpy(signer, identity + 4, sizeof(signer));
		cf_fingerprint_hex(signer, fp);
	}
	if (array) {
		json_t *o = json_object();
		json_object_set_new(o, "id", json_string(r->id));
		json_object_set_new(o, "name", json_string(cf_record_get(r, "name")));
		json_object_set_new(o, "role", json_string(cf_record_get(r, "role")));
		json_object_set_new(o, "identity", json_string(identity ? identity : ""));
		json_object_set_new(o, "fingerprint", json_string(fp));
		json_object_set_new(o, "removed", json_boolean(r->deleted));
		json_array_append_new(array, o);
		return 0;
	}
	printf("%-7s %-19s ", cf_record_get(r, "role"), fp[0] ? fp : "?");
	cf_text_put_safe(stdout, cf_record_get(r, "name"));
	if (r->deleted)
		fputs("  (removed)", stdout);
	fputc('\n', stdout);
	return 0;
}

int cmd_member_list(struct cli *cli, const struct cli_args *a)
{
	struct cf_page page = { .include_deleted = cli_flag(a, "all") };
	json_t *array = cli_flag(a, "json") ? json_array() : NULL;
	int rc = record_list(cli->s, CF_MEMBER, &page, print_member, array, &cli->err);

	if (rc == 0 && array)
		cli_put_json(array);
	else if (rc == 0 && record_count(cli->s, CF_MEMBER) == 0)
		puts("no members: anyone may change the case, signed or not (casefile member add"
		     " starts signing)");
	json_decref(array);
	return rc < 0 ? cli_fail(cli) : EXIT_OK;
}

int cmd_member_rm(struct cli *cli, const struct cli_args *a)
{
	struct found f;

	if (scan(cli, &f, a->argv[0], NULL) < 0)
		return cli_fail(cli);
	if (!f.id[0]) {
		cf_error(&cli->err, CF_ENOTFOUND, "%s is not a member (casefile member list)",
			 a->argv[0]);
		return cli_fail(cli);
	}
	if (record_delete(cli->s, CF_MEMBER, f.id, &cli->err) < 0)
		return cli_fail(cli);
	cf_text_printf_safe(stdout, "removed %s: their later changes are refused", f.as);
	fputc('\n', stdout);
	return EXIT_OK;
}
