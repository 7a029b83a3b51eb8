/* seal.h — sealed cases: the files a case commits (ops/ and reports/) encrypted for its
 * current members, so that the git host and everyone else who can read the repository sees
 * only ciphertext, the public key files and the member names.
 *
 * A case is sealed when its tree holds keys/.  Each epoch has a random 32-byte case key,
 * wrapped for each reader (every current member, viewers included) with libsodium's
 * crypto_box_seal to their X25519 key, in keys/EPOCH/FINGERPRINT, a text file signed with
 * Ed25519 by the member who wrote it.  A sealed file is "casefile-sealed 1 EPOCH\n", a
 * 24-byte nonce, and the contents encrypted with crypto_aead_xchacha20poly1305_ietf, whose
 * associated data is that header and the file's path (a file moved to another name does not
 * open).  Removing a member starts a new epoch, wrapped only for those who remain; a member
 * added later is given every epoch's key the writer holds.  Formats: casefile-format(5). */
#ifndef CASEFILE_SEAL_H
#define CASEFILE_SEAL_H

#include <stddef.h>

#include "store/store.h"

#define SEAL_KEYS "keys" /* the directory of key files at the root of the tree */
#define SEAL_MAGIC "casefile-sealed 1 "
/* An epoch: its 12-digit number, '-', the id of the replica that made it
 * ("000000000002-k3v9..."): two replicas that start one at once never clash. */
#define SEAL_EPOCH_LEN (12 + 1 + CF_ID_LEN)

struct cf_repo;
struct git_commit;
struct seal;

/* The sealing of repository R as its main branch says, for store S (its identity opens the
 * keys): *OUT is never NULL on success; seal_is_sealed says whether there is anything to do.
 * Commits added with seal_add_commit are looked in for keys too (a remote's tip). */
int seal_load(struct store *s, struct cf_repo *r, struct seal **out, struct cf_err *err);
void seal_free(struct seal *k);
int seal_is_sealed(const struct seal *k);
/* Another commit's keys/ (e.g. the remote's tip); when it has keys/, the case is sealed. */
int seal_add_commit(struct seal *k, struct git_commit *c, struct cf_err *err);
/* Whether the tree of commit C holds keys/ (1), or not (0). */
int seal_commit_sealed(struct cf_repo *r, struct git_commit *c);

/* Opens the sealed file PATH (DATA, LEN bytes) into *OUT (*OLEN bytes, NUL-terminated, freed
 * by the caller).  1 (and nothing in *OUT) when there is no key for its epoch to be had
 * here: sealed for others (a removed member reading a later epoch), or a key not yet given;
 * CF_ETAMPER naming PATH (and the key file) when it is not a sealed file, or does not open
 * with its epoch's key: damaged, or moved from another name. */
int seal_open_file(struct seal *k, const char *path, const char *data, size_t len, char **out,
		   size_t *olen, struct cf_err *err);
/* Seals DATA (LEN bytes) as file PATH under the current epoch into *OUT (freed by the
 * caller).  seal_prepare must have chosen the epoch. */
int seal_close_file(struct seal *k, const char *path, const char *data, size_t len, char **out,
		    size_t *olen, struct cf_err *err);

/* Before writing: chooses the epoch to write with, starting a new one when a reader of the
 * newest is no longer a member (or there is none yet), and wraps every epoch key held here
 * for members who lack it.  The key files to commit are in *CH (N of them), paths and contents
 * owned by K.  1 (nothing chosen) when this identity is not a member who may write: seal_close_file
 * then refuses, saying so. */
struct repo_change;
int seal_prepare(struct seal *k, const struct repo_change **ch, size_t *n, struct cf_err *err);

/* Verify's check of keys/ in R's main: every key file well formed and its signature
 * holding; CB is told of each that is not (PATH, why).  The number of key files, or <0. */
typedef void (*seal_problem_cb)(void *ctx, const char *path, const char *why);
int seal_check_keys(struct seal *k, seal_problem_cb cb, void *ctx, struct cf_err *err);

/* How many members the case of S has (*MEMBERS, those with a well-formed identity), and
 * whether S's identity is a lead among them (*LEAD). */
int seal_role(struct store *s, int *members, int *lead, struct cf_err *err);

/* What a commit or tag MESSAGE of a sealed case may say, as a new string: a report version's
 * first line (kind, profile, version, as-of) and its Casefile- trailers; "Merge", "Update
 * the case keys" or "Add operations" for the rest.  No title, summary or count of what
 * changed. */
char *seal_message(const char *message);

/* `casefile init --sealed` and `casefile seal`: seals the case of S, whose identity must
 * be a lead.  The first epoch's keys are committed; operations and reports already in git
 * are sealed by rewriting main and the report tags (refused once the case has a remote:
 * what was pushed stays readable there).  *REWRITTEN: the commits rewritten. */
int seal_case(struct store *s, int *rewritten, struct cf_err *err);

#endif
