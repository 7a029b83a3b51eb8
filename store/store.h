/* store.h — the case store: one SQLite database per case, every change an operation.
 * The only door into store/: tui/ and export/ include this and nothing else from here (it
 * brings store/text.h, the rules for untrusted text). */
#ifndef CASEFILE_STORE_H
#define CASEFILE_STORE_H

#include <limits.h> /* PATH_MAX, MB_LEN_MAX: sizes below are built on them */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "store/progress.h" /* the one progress reporter */
#include "store/strbuf.h" /* the one growing string */
#include "store/text.h"
#include "store/xalloc.h" /* the one allocation policy: out of memory ends the process */

#define CF_DB_NAME "casefile.db"
#define CF_ID_LEN 20     /* random ids, lowercase Crockford base32, 100 bits */
#define CF_SHORT_ID 8    /* as shown in lists, like git's abbreviated hashes */
#define CF_HASH_LEN 64   /* SHA-256 in hex */
#define CF_SIGNER_LEN 64 /* an Ed25519 public key in hex */
#define CF_SIG_LEN 128   /* an Ed25519 signature in hex */
/* Room for a time as text, the longest written: "2019-06-07T23:59:59.123-04:00" is 29 bytes;
 * 40 leaves room for a five-digit year and the NUL. */
#define CF_TIME_LEN 40
/* An error or status message: a path (PATH_MAX is 4096, but case paths run under 200 bytes)
 * and a sentence; longer is cut at a character boundary. */
#define CF_MSG_LEN 512
/* Fixed-size text buffers of export/, tui/ and sync, each size once with its reason (the rest
 * is strbuf; tests/t_one_home.sh refuses a bare number as an array size there). */
/* A name from one of casefile's tables (a kind, profile, format, status, unit): the longest,
 * "congressional", is 13 bytes. */
#define CF_NAME_LEN 16
/* A number or a version label as text: a 64-bit integer with sign and separators is 26
 * bytes, "1023.9 GiB" or "v12" far less. */
#define CF_NUM_LEN 32
/* A phrase inside a line (a label, a person, a title, a field name as shown): cut beyond at
 * a character boundary; whatever is drawn is clipped to the terminal's width anyway. */
#define CF_PHRASE_LEN 256
/* A line built for the terminal or a one-line message: 256 columns of up to 4 bytes each,
 * wider than any terminal it is drawn on (drawing clips it to the width). */
#define CF_LINE_LEN 1024
/* A path of ours under a directory given as a path (PATH_MAX): "/casefile.lock",
 * "/.ssh/id_ed25519.pub", a temporary name's suffix all fit in this much more. */
#define CF_PATH_EXTRA 104

/* Error codes: 0 is success, every failure is negative. */
enum cf_rc {
	CF_OK = 0,
	CF_ERR = -1,        /* generic: see message */
	CF_EINVAL = -2,     /* bad input (date, field, value) */
	CF_ENOTFOUND = -3,  /* no such record or case */
	CF_EAMBIGUOUS = -4, /* id prefix matches several records */
	CF_EDB = -5,        /* SQLite failed (corrupt, locked, read-only, ...) */
	CF_EIO = -6,        /* file system */
	CF_EFOREIGN = -7,   /* a file that is not a casefile database */
	CF_ETAMPER = -8,    /* integrity check failed */
	/* The case's git repository and its remotes (export/git, export/sync). */
	CF_EMOVED = -9,     /* a branch moved meanwhile (compare-and-swap lost) */
	CF_ENET = -10,      /* a remote could not be reached (network, path, server) */
	CF_EAUTH = -11,     /* credentials refused, or host key unknown or changed */
	CF_EREJECTED = -12, /* a push was refused, and still after every retry */
	CF_ECHANGED = -13,  /* the record changed since the caller read it: not overwritten */
	CF_EROFS = -14,     /* the case is read-only (a read-only mount, no write permission) */
	CF_ECANCELLED = -15, /* long work stopped when asked (Esc in the TUI): nothing changed */
};

/* Every fallible call fills one of these; messages are lowercase, no final period. */
struct cf_err {
	int code;
	char msg[CF_MSG_LEN];
};

int cf_error(struct cf_err *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Puts the formatted context before ERR's message ("FILE:LINE: field 'x': <message>") and
 * sets CODE; returns CODE.  (store/error.c) */
int cf_error_prefix(struct cf_err *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Reads one line of a text file (its newline kept) into *BUF (grown to at most MAX + 2 bytes;
 * free it once done), its length into *LEN.  1 = a line, 0 = end of file; CF_EINVAL naming
 * PATH:LINENO for a NUL byte or a line longer than MAX bytes, CF_EIO, CF_ERR (out of memory). */
int cf_line_read(FILE *f, const char *path, long lineno, size_t max, char **buf, size_t *cap,
		 size_t *len, struct cf_err *err);

/* ---- record kinds and their fields ------------------------------------------------------ */

enum cf_kind {
	CF_CASE,
	CF_EVENT,
	CF_ESTIMATE,
	CF_NOTICE,
	CF_EVIDENCE,
	CF_CUSTODY,
	CF_TASK,
	CF_NOTE,
	CF_MEMBER, /* who may sign the case's operations (store/member.c) */
	CF_KIND_COUNT
};

enum cf_ftype {
	CF_T_TEXT,   /* free text */
	CF_T_TIME,   /* a time with precision, or a period: see cf_when */
	CF_T_INT,    /* integer (counts) */
	CF_T_ENUM,   /* one of a fixed list of words */
	CF_T_REF,    /* id of another record */
};

enum cf_fflag {
	CF_F_REQUIRED = 1 << 0, /* must be set on add */
	CF_F_LONG = 1 << 1,     /* long text: edited in $EDITOR from the TUI */
	CF_F_LIST = 1 << 2,     /* shown as a column in lists */
	CF_F_DERIVED = 1 << 3,  /* kept by casefile from other records, never set by hand (the
				 * evidence holder, from the chain of custody: store/custody.c) */
};

struct cf_field {
	const char *name;
	enum cf_ftype type;
	int flags;
	const char *const *choices; /* CF_T_ENUM: NULL-terminated; NULL for others */
	const char *help;
};

struct cf_kind_info {
	enum cf_kind kind;
	const char *name;   /* command-line name: event, estimate, notice, ... */
	const char *table;  /* SQL table */
	const char *title;  /* human: "timeline event" */
	const struct cf_field *fields;
	size_t nfields;
};

const struct cf_kind_info *cf_kind_info(enum cf_kind kind);
/* Looks a kind up by its command-line name; NULL when unknown. */
const struct cf_kind_info *cf_kind_by_name(const char *name);
/* Index of a field within its kind, or -1. */
int cf_field_index(const struct cf_kind_info *ki, const char *name);
/* Checks one value against its field type; CF_EINVAL with a message naming the field. */
int cf_field_validate(const struct cf_field *f, const char *value, struct cf_err *err);
/* 1 when field F of KIND is never emptied by an edit (the case's time zone and clocks: an
 * empty value would silently move every due time that depends on it); the CLI and the TUI
 * refuse an empty value for it with CF_FIELD_EMPTY_WHY. */
int cf_field_keeps_value(enum cf_kind kind, const struct cf_field *f);
/* A notice status to filter by: one the deadline engine derives (overdue, due-soon, met, ...)
 * or a recorded one (pending, sent, ...); CF_EINVAL naming both lists otherwise.  A notice
 * filter on "status" (record_seek, record_list's match) keeps the notices whose engine
 * status or recorded status is the value (store/deadline/notices.c). */
int notice_status_check(const char *value, struct cf_err *err);
#define CF_FIELD_EMPTY_WHY "an empty value would unset it and move every due time that depends" \
	" on it: give a value"

/* A record: its id, kind and one string per field (NULL when unset), in the kind's order. */
#define CF_MAX_FIELDS 32
struct cf_record {
	enum cf_kind kind;
	char id[CF_ID_LEN + 1];
	int deleted;
	char *v[CF_MAX_FIELDS];
	char *conflicted; /* comma-separated field names with an unresolved conflict, or NULL */
};

void cf_record_init(struct cf_record *r, enum cf_kind kind);
void cf_record_release(struct cf_record *r);
/* DST a deep copy of SRC; CF_ERR (DST released) when out of memory. */
int cf_record_copy(struct cf_record *dst, const struct cf_record *src);
/* Sets field NAME to a copy of VALUE (NULL unsets); CF_EINVAL for an unknown field. */
int cf_record_set(struct cf_record *r, const char *name, const char *value, struct cf_err *err);
const char *cf_record_get(const struct cf_record *r, const char *name);

/* ---- time with precision ------------------------------------------------------------------ */

enum cf_precision {
	CF_P_YEAR = 1,
	CF_P_MONTH,
	CF_P_DAY,
	CF_P_MINUTE,
	CF_P_SECOND,
};

/* A parsed time as entered: "2019", "2019-06", "2019-05-31", "2019-05-31T14:02Z",
 * "2019-05-31T14:02:05-04:00", or a period "2018-08/2019-01".  [start, end) in UTC seconds:
 * "2019-06" covers the whole of June.  A time without a zone is read in the case's zone. */
struct cf_when {
	int64_t start;
	int64_t end;
	enum cf_precision precision;
	int is_period;
	int has_zone;
};

/* Parses TEXT; TZ names the zone for times without an offset (NULL = UTC). */
int cf_when_parse(const char *text, const char *tz, struct cf_when *out, struct cf_err *err);
/* UTC seconds -> "2019-05-31T14:02:05Z". buf at least 21 bytes. */
void cf_time_utc(int64_t t, char *buf, size_t len);
/* Current wall time in UTC as "YYYY-MM-DDTHH:MM:SS.mmmZ" (honours CASEFILE_NOW for tests). */
void cf_now_iso(char *buf, size_t len);
/* UTC seconds -> local time in zone TZ with its offset: "2019-05-31T12:02:05-04:00"
 * ("...Z" when the offset is zero; store/time/zone.c, the only code
 * that sets TZ).  BUF at least 26 bytes. */
void cf_time_zoned(int64_t t, const char *tz, char *buf, size_t len);
int64_t cf_now(void);

/* ---- the store ----------------------------------------------------------------------------- */

struct store;

struct cf_case_init {
	const char *title;
	const char *codename;
	const char *discovered;
	const char *marking;
	const char *tz;
	const char *clock; /* wall time stamped on the creating ops (NULL = now) */
	const char *rule_packs; /* deadline rule packs in force (NULL: the default, below) */
	const char *org_type;   /* "federal-agency", "company", ... (NULL: not said) */
	const struct cf_identity *identity; /* signs the creating ops (NULL: unsigned) */
};

/* Creates DIR (0700) and DIR/casefile.db (0600) with a new case.  Fails if a case exists.
 * Its rule_packs are CI->rule_packs, else the default: "federal" for a federal agency
 * (org_type federal-agency), "none" for any other (FISMA binds federal agencies only). */
int store_create(const char *dir, const struct cf_case_init *ci, const char *author,
		 struct store **out, struct cf_err *err);
/* Opens an existing case, migrating its schema forward.  CF_ENOTFOUND, CF_EFOREIGN, CF_EDB. */
int store_open(const char *dir, struct store **out, struct cf_err *err);
void store_close(struct store *s);
/* Why the case was opened read-only (store_open does so when it cannot be written: a
 * read-only mount, a CD, a directory or file without write permission), or NULL when it is
 * writable.  Every write of a read-only case fails with CF_EROFS saying this. */
const char *store_read_only(const struct store *s);
/* The nearest case directory at or above START; 0 and DIR filled, or CF_ENOTFOUND. */
int store_find_dir(const char *start, char *dir, size_t len, struct cf_err *err);

const char *store_dir(const struct store *s);
const char *store_replica(const struct store *s);
void store_set_author(struct store *s, const char *author);
const char *store_author(const struct store *s);
/* Where the store's long work (import, verify, hashing evidence) reports how far it is
 * (progress.h); SINK NULL, the default: nowhere. */
void store_set_progress(struct store *s, const struct progress_sink *sink);
const struct progress_sink *store_progress(const struct store *s);
/* The raw handle, for modules of store/ and for tests; never for tui/. */
struct sqlite3 *store_db(struct store *s);

/* Write transactions (BEGIN IMMEDIATE, retried while busy).  Nested calls are counted. */
int store_begin(struct store *s, struct cf_err *err);
int store_commit(struct store *s, struct cf_err *err);
void store_rollback(struct store *s);

/* ---- records ------------------------------------------------------------------------------- */

/* Adds R (r->id filled on success) and its create operation. */
int record_add(struct store *s, struct cf_record *r, struct cf_err *err);
/* Rules across fields (an estimate's low <= best <= high); CF_EINVAL naming the fields. */
int cf_record_check(const struct cf_record *r, struct cf_err *err);
/* Sets one field of record ID through an operation; no-op when the value is unchanged.
 * Called outside a transaction it also applies cf_record_check to the result; inside one
 * (several fields changed together) the caller checks the record before committing. */
int record_set(struct store *s, enum cf_kind kind, const char *id, const char *field,
	       const char *value, struct cf_err *err);
/* Deletes (an operation; the record stays readable in the log and with show --deleted). */
int record_delete(struct store *s, enum cf_kind kind, const char *id, struct cf_err *err);
/* Brings back a deleted record as it was, with an "@restore" operation. */
int record_restore(struct store *s, enum cf_kind kind, const char *id, struct cf_err *err);
/* Loads record ID (full id) into R (initialised here). */
int record_get(struct store *s, enum cf_kind kind, const char *id, struct cf_record *r,
	       struct cf_err *err);
/* Resolves a unique id prefix (at least 4 characters) to the full id. */
int record_resolve(struct store *s, enum cf_kind kind, const char *prefix,
		   char id[CF_ID_LEN + 1], struct cf_err *err);
/* The case record (there is exactly one). */
int case_get(struct store *s, struct cf_record *r, struct cf_err *err);
int case_set(struct store *s, const char *field, const char *value, struct cf_err *err);

/* Walks the live records of KIND in the kind's natural order (events by time, estimates by
 * category then as-of, ...).  Keyset pagination: pass the last row's cursor to continue.
 * CB returns non-zero to stop. */
typedef int (*record_cb)(const struct cf_record *r, void *ctx);
#define CF_PAGE_MATCH 4
struct cf_page {
	const char *after_key; /* sort key of the last row seen, NULL from the start */
	const char *after_id;
	int limit;             /* 0 = all */
	int include_deleted;
	const char *filter_field; /* optional equality filter */
	const char *filter_value;
	/* Further filters, all of which must hold (the CLI's list --kind, --status, --since, ...):
	 * field MATCH_FIELD[i] equal to MATCH_VALUE[i] (names from the kind table, else
	 * CF_EINVAL); with HAS_SINCE / HAS_UNTIL, the kind's time (kinds sorted by one time, see
	 * record_time_filterable; CF_EINVAL for others) at or after SINCE / before UNTIL (UTC seconds;
	 * a record whose time is unknown matches neither). */
	const char *match_field[CF_PAGE_MATCH];
	const char *match_value[CF_PAGE_MATCH];
	int has_since, has_until;
	int64_t since, until;
};
int record_list(struct store *s, enum cf_kind kind, const struct cf_page *page, record_cb cb,
		void *ctx, struct cf_err *err);
/* Number of live records of KIND. */
int64_t record_count(struct store *s, enum cf_kind kind);

/* The live records of KIND one at a time in the total order every document lists them in
 * (store/cursor.c): the kind's natural order (record_list's), then every field (times by start,
 * then end, in zone TZ; numbers as numbers; unset last), references last, then the id.  The
 * same order on every replica and at every moment, read from SQL in bounded memory.  Several
 * cursors may be open at once on one store; none may outlive it. */
struct record_cursor;
int record_cursor_open(struct store *s, enum cf_kind kind, const char *tz,
		       struct record_cursor **out, struct cf_err *err);
/* 1 with R filled (the caller releases it), 0 after the last, or a cf_rc with ERR set. */
int record_cursor_next(struct record_cursor *c, struct cf_record *r, struct cf_err *err);
void record_cursor_close(struct record_cursor *c);

/* ---- operations ---------------------------------------------------------------------------- */

struct cf_op {
	char id[CF_ID_LEN + 1];
	char replica[CF_ID_LEN + 1];
	int64_t rseq;    /* sequence within the replica, from 1 */
	int64_t lamport;
	enum cf_kind kind;
	char record[CF_ID_LEN + 1];
	char *field;     /* a field name, "@create" or "@delete" */
	char *old_value; /* NULL when none; JSON object of all fields for @delete */
	char *new_value; /* NULL when none; JSON object of all fields for @create */
	char *author;
	char at[CF_TIME_LEN]; /* wall time, UTC ISO 8601 with milliseconds */
	char prev[CF_HASH_LEN + 1]; /* hash of the replica's previous op ("" for the first) */
	char hash[CF_HASH_LEN + 1];
	/* Ed25519 (store/identity.h): the signer's public key and its signature of the
	 * canonical text, in hex; both "" for an operation made without an identity. */
	char signer[CF_SIGNER_LEN + 1];
	char sig[CF_SIG_LEN + 1];
};

void cf_op_release(struct cf_op *op);
/* The canonical text of OP (JSON, sorted keys, no hash nor signature, the signer's key when
 * signed): what is hashed and signed. */
char *cf_op_canonical(const struct cf_op *op);
/* SHA-256 of the canonical text, in hex, into OUT. */
int cf_op_hash(const struct cf_op *op, char out[CF_HASH_LEN + 1]);
/* 1 when OP is signed and its signature is its signer's over the canonical text. */
int cf_op_signature_holds(const struct cf_op *op);
/* "ok", "bad" (signed, but the signature does not hold) or "none" (unsigned). */
const char *cf_op_signature_state(const struct cf_op *op);
struct cf_identity;
/* Signs every operation this store makes from now on with ID (store/identity.h), copied;
 * NULL stops signing.  CF_ERR when out of memory. */
int store_set_identity(struct store *s, const struct cf_identity *id, struct cf_err *err);
/* Who signed OP, for a person: "signed by NAME FINGERPRINT" (a member, current or removed),
 * "signed FINGERPRINT" (no member has that key), "SIGNATURE DOES NOT HOLD: FINGERPRINT", or ""
 * when unsigned.  NAME comes from a peer: show it made safe. */
void store_signer_text(struct store *s, const struct cf_op *op, char *buf, size_t len);
/* The identity that signs (NULL: none). */
const struct cf_identity *store_identity(const struct store *s);

typedef int (*op_cb)(const struct cf_op *op, void *ctx);
/* Walks operations in log order (local sequence); RECORD (full id) filters when non-NULL. */
int op_list(struct store *s, const char *record, op_cb cb, void *ctx, struct cf_err *err);
/* The number of operations in S's log and the latest time among them (UTC ISO ms, "" when
 * none), from the index on time. */
int op_mark(struct store *s, char mark[CF_TIME_LEN], int64_t *count, struct cf_err *err);
/* Checks every replica's hash chain; fills ERR naming the first broken op. */
int op_verify_chain(struct store *s, struct cf_err *err);
/* The last operation on RECORD (full id) in log order, the one a later edit would follow, into
 * OP (release with cf_op_release).  CF_ENOTFOUND when the record has none. */
int op_last(struct store *s, const char *record, struct cf_op *op, struct cf_err *err);
/* For an edit made against what the caller last saw: 0 when RECORD's last operation is EXPECT
 * (its full id or a prefix of at least 4 characters), else CF_ECHANGED naming the operation
 * that came since (who, when).  Call it inside the edit's transaction. */
int op_expect_last(struct store *s, const char *record, const char *expect, struct cf_err *err);

/* The operation `undo` would take back: the one whose id starts with PREFIX, or (PREFIX NULL
 * or "") this replica's latest change that is neither an undo nor undone (into OP). */
int store_undo_target(struct store *s, const char *prefix, struct cf_op *op,
		      struct cf_err *err);
/* Takes that operation back with a new one: an edit set back to the value it replaced (refused
 * when the field changed since, unless FORCE), a create deleted, a delete restored.  UNDONE
 * (may be NULL; release it) gets the operation undone, UNDO_ID the new one's id. */
int store_undo(struct store *s, const char *prefix, int force, struct cf_op *undone,
	       char undo_id[CF_ID_LEN + 1], struct cf_err *err);

/* ---- search and import --------------------------------------------------------------------- */

struct cf_hit {
	enum cf_kind kind;
	const char *id;
	const char *when;    /* event time, note time, or NULL */
	const char *snippet; /* matched text with [ ] around hits */
};
typedef int (*hit_cb)(const struct cf_hit *hit, void *ctx);
/* Full-text search over timeline, notes and evidence (FTS5). */
int store_search(struct store *s, const char *query, int limit, hit_cb cb, void *ctx,
		 struct cf_err *err);

/* Imports a Timesketch CSV or JSONL timeline in one transaction; *count = events added.
 * A malformed row fails the whole import with "FILE:LINE: message". */
int import_events(struct store *s, const char *path, int64_t *count, struct cf_err *err);

/* Builds the 2019 CBP subcontractor breach demo case in DIR. */
int demo_create(const char *dir, const char *author, struct cf_err *err);

/* ---- deadlines: rule packs, the US federal calendar and the deadline engine ---------------
 * store/deadline/rules.c (rule files, casefile-rules(5)), store/time/calendar.c (business days),
 * store/deadline/deadline.c (the engine).  Rules are data: no legal number lives in the code. */

/* The unit of a rule's duration. */
enum cf_unit {
	CF_U_NONE,          /* soft rules: no fixed time */
	CF_U_HOURS,         /* exact: UTC seconds, so a DST change does not shift it */
	CF_U_DAYS,          /* calendar days in the case zone; ends at the end of the last day */
	CF_U_BUSINESS_DAYS, /* skips weekends and US federal holidays (observed dates) */
	CF_U_MONTHS,        /* the same date N months on (the month's last day when it has none) */
};

/* A condition on the case: VAR OP VALUE, e.g. "people.high >= 100000". */
enum cf_cond_var { CF_V_PEOPLE_LOW, CF_V_PEOPLE_BEST, CF_V_PEOPLE_HIGH, CF_V_SEVERITY,
		  /* the residents of the one jurisdiction with the most (HIPAA's media rule) */
		  CF_V_RESIDENTS_LOW, CF_V_RESIDENTS_BEST, CF_V_RESIDENTS_HIGH };
enum cf_cond_op { CF_OP_GE, CF_OP_GT, CF_OP_LE, CF_OP_LT, CF_OP_EQ, CF_OP_NE };
struct cf_cond {
	enum cf_cond_var var;
	enum cf_cond_op op;
	int64_t value;  /* a count, or for severity the index of its choice */
	char *text;     /* the condition as written, for display */
};

enum cf_rule_type { CF_RULE_DEADLINE, CF_RULE_ADVISORY };

#define CF_MAX_TRIGGERS 8
#define CF_MAX_CONDS 8
/* One rule (or advisory) of a pack, read-only once loaded. */
struct cf_rule {
	enum cf_rule_type type;
	char *id;         /* "PACK.NAME", e.g. "federal.cisa-1h" */
	char *pack;
	char *title;
	char *triggers[CF_MAX_TRIGGERS]; /* case clocks or "event:KIND"; the first set one wins */
	size_t ntriggers;
	int amount;       /* with unit; 0 for soft rules */
	enum cf_unit unit;
	int soft;         /* a warning with no fixed time ("without undue delay") */
	char *recipient;  /* recipients joined by "; " */
	char *contents;   /* required contents, one item per line */
	char *source;     /* the legal source */
	char *source_status; /* official, secondary, proposed or unverified */
	char *url;        /* where the source can be read, or NULL */
	char *verified;   /* "YYYY-MM-DD": when the rule was last checked against it, or NULL */
	char *caveat;     /* one line `deadlines` prints next to the rule, or NULL */
	char *jurisdiction; /* "US-TX", "GB": its people conditions count these residents only */
	char *calendar;   /* closure calendar whose days are not business days, or NULL */
	int due_minute;   /* day rules: the time of day it is due (minutes), -1 end of day */
	char *due_zone;   /* the zone of due_minute and of the days counted, NULL the case's */
	char *note;       /* optional */
	char *message;    /* advisories: text when the conditions hold */
	char *otherwise;  /* advisories: text when they do not (or cannot be told) */
	struct cf_cond conds[CF_MAX_CONDS]; /* all must hold */
	size_t nconds;
	char *file;       /* where it was defined */
	int line;
};

/* A loaded set of rules, from every rule directory. */
struct cf_rules;

/* Loads the rule directories: $CASEFILE_RULES_DIR if set, else CASEFILE_DATADIR "/rules";
 * then $XDG_CONFIG_HOME/casefile/rules (default ~/.config/casefile/rules), whose rules replace
 * shipped ones with the same id.  All or nothing: a malformed file fails the whole load with
 * "FILE:LINE: message" and *OUT stays NULL. */
int rules_load(struct cf_rules **out, struct cf_err *err);
/* The two directories rules_load reads, for messages: the shipped one and the user's ("" when
 * neither XDG_CONFIG_HOME nor HOME is set). */
void rules_dirs(char *shipped, size_t shipped_len, char *user, size_t user_len);
/* Where shipped data NAME ("rules", "templates") is: CASEFILE_DATADIR/NAME when it exists;
 * failing that, beside the binary: ../share/casefile/NAME for a relocated install, ../TREE
 * (its folder in the source tree) when run from the build tree (build/casefile).  OUT gets
 * the installed path when none exists; ../../TREE for the test binaries in build/tests/. */
void cf_shipped_dir(const char *name, const char *tree, char *out, size_t len);
/* Both directories of data NAME: the shipped one ($ENV when set, else cf_shipped_dir) and the
 * user's ($XDG_CONFIG_HOME/casefile/NAME, default ~/.config/casefile/NAME; "" when neither
 * XDG_CONFIG_HOME nor HOME is set). */
void cf_data_dirs(const char *name, const char *tree, const char *env, char *shipped,
		  size_t shipped_len, char *user, size_t user_len);
/* The same from an explicit list of directories (later ones override earlier ones); a missing
 * directory is skipped. */
int rules_load_dirs(const char *const *dirs, size_t ndirs, struct cf_rules **out,
		    struct cf_err *err);
/* Parses one file into a new set (for tests and checks). */
int rules_load_file(const char *path, struct cf_rules **out, struct cf_err *err);
void rules_free(struct cf_rules *rules);
size_t rules_count(const struct cf_rules *rules);
/* Rules sorted by id. */
const struct cf_rule *rules_at(const struct cf_rules *rules, size_t i);
const struct cf_rule *rules_find(const struct cf_rules *rules, const char *id);
/* Pack names, sorted; NULL past the end.  Description may be NULL. */
const char *rules_pack_at(const struct cf_rules *rules, size_t i, const char **description);
int rules_has_pack(const struct cf_rules *rules, const char *pack);
/* The closure of DATE ("YYYY-MM-DD") in CALENDAR: its source, or NULL when the day is not
 * closed (or the calendar is not defined). */
const char *rules_closure(const struct cf_rules *rules, const char *calendar, const char *date);
/* Is DAY (days since 1970-01-01) a business day of CALENDAR: not a weekend, a federal holiday
 * (unless the calendar says holidays = none), one of its own holidays (or their observed days)
 * nor a day it closes?  CALENDAR NULL: weekends and federal holidays only. */
int rules_business_day(const struct cf_rules *rules, const char *calendar, int64_t day);
/* The jurisdiction codes, NULL-terminated: the choices of an estimate's jurisdiction. */
extern const char *const cf_jurisdiction_codes[];
/* The name of a jurisdiction code ("US-TX" -> "Texas", "GB" -> "United Kingdom"), or NULL. */
const char *cf_jurisdiction_name(const char *code);
/* The U.S. jurisdictions (50 States, DC, PR, GU, VI): code I, NULL past the end. */
const char *cf_us_jurisdiction_at(size_t i);
/* "hours", "calendar days", "business days" or "" */
const char *cf_unit_name(enum cf_unit unit);

/* US federal holidays (5 U.S.C. 6103), computed for any year from 1971 with the observed
 * dates (Saturday -> Friday before, Sunday -> Monday after).  Name or NULL. */
const char *cf_federal_holiday(int year, int month, int day);
/* Not a Saturday, a Sunday or a federal holiday (observed). */
int cf_business_day(int year, int month, int day);
/* A holiday of a calendar other than the federal one (a State's legal holidays): a fixed date
 * (NTH 0: MONTH-DAY, observed on the Friday before when it falls on a Saturday and on the
 * Monday after when on a Sunday) or the NTH (1-4; -1 the last) WDAY (0 Sunday) of MONTH. */
struct cf_holiday_rule { int month, day, nth, wday; };
/* Is YEAR-MONTH-DAY the holiday H, or its observed day? */
int cf_holiday_rule_on(const struct cf_holiday_rule *h, int year, int month, int day);
/* Days since 1970-01-01 of a civil date, and back; weekday 0 = Sunday. */
int64_t cf_days_from_civil(int year, int month, int day);
/* The day (days since 1970-01-01) N months after YEAR-MONTH-DAY: the same date, or the last
 * day of that month when it is shorter (January 31 + 1 month = February 28 or 29). */
int64_t cf_days_add_months(int year, int month, int day, int n);
void cf_civil_from_days(int64_t days, int *year, int *month, int *day);
int cf_weekday(int64_t days);

enum cf_dl_status {
	CF_DL_UPCOMING,    /* more than 24 hours left */
	CF_DL_DUE_SOON,    /* due within 24 hours */
	CF_DL_OVERDUE,     /* past due, not sent */
	CF_DL_MET,         /* sent at or before the due time */
	CF_DL_MET_LATE,    /* sent after it */
	CF_DL_WAIVED,      /* the notice is waived (reason in its waiver field) */
	CF_DL_WARNING,     /* a soft rule in force: no fixed time, act without undue delay */
	CF_DL_NOT_STARTED, /* its conditions hold but no trigger clock is set yet */
	CF_DL_NOT_OWED,    /* a notice of a rule not in force now, neither sent nor waived */
};
/* "upcoming", "due-soon", "overdue", "met", "met-late", "waived", "warning", "not-started",
 * "not-owed" */
const char *cf_dl_status_name(enum cf_dl_status status);

/* One notification owed, as the engine computed it. Valid only during the callback. */
struct cf_deadline {
	const struct cf_rule *rule;
	enum cf_dl_status status;
	const char *trigger;    /* the clock or event kind that started it, or NULL */
	int64_t trigger_at;     /* UTC seconds */
	int has_due;            /* 0 for soft and not-started rules */
	int64_t due;            /* UTC seconds: the last second that is still on time */
	char due_utc[CF_TIME_LEN];   /* "2019-06-08T03:59:59Z" */
	char due_local[CF_TIME_LEN]; /* in the case zone: "2019-06-07T23:59:59-04:00" */
	const char *tz;         /* the case zone */
	int64_t left;           /* due - at, seconds (negative when overdue) */
	const char *notice_id;  /* the notice record, or NULL (soft rules have none) */
	int has_sent;
	int64_t sent;           /* UTC seconds */
	const char *waiver;     /* the reason when waived */
	const char *caveat;     /* e.g. "trigger known only to the month", or NULL */
	int by_hand;            /* a notice no rule in force makes due: RULE is made of the notice
				 * (id its `rule` field or "", pack "", title its recipient), the
				 * due time its own */
};
typedef int (*deadline_cb)(const struct cf_deadline *d, void *ctx);

/* The rules in force: those of the case's rule_packs ("federal" when unset). */

/* Computes the deadlines of the rules in force for the case as it stands, with statuses at AT
 * (UTC seconds), sorted by due time (soft and not-started last).  Read-only.  RULES may be
 * NULL: the default directories are loaded (rules_load).  CB returns non-zero to stop. */
int deadline_compute(struct store *s, const struct cf_rules *rules, int64_t at, deadline_cb cb,
		     void *ctx, struct cf_err *err);
/* The same, and first creates or updates one notice record per hard rule owed (matched on
 * its `rule` field; only `due` is changed on existing ones, and empty fields filled), in one
 * transaction through record_add/record_set, so every moved due time is an operation. */
int deadline_sync(struct store *s, const struct cf_rules *rules, int64_t at, deadline_cb cb,
		  void *ctx, struct cf_err *err);

/* Is PACK one of the names of a rule_packs value LIST ("federal,gdpr")? */
int deadline_pack_listed(const char *list, const char *pack);

/* Notices as the engine sees them at AT: the one source of every view's due times and
 * statuses.  A notice a rule in force makes due has the engine's due time; any other notice
 * (added by hand, or its rule no longer in force) its own; each the engine's status (overdue,
 * met, ...).  RULES may be NULL (rules_load).  Read-only; *OUT freed with notice_view_free. */
struct cf_notice_view;
int notice_view_load(struct store *s, const struct cf_rules *rules, int64_t at,
		     struct cf_notice_view **out, struct cf_err *err);
void notice_view_free(struct cf_notice_view *v);
/* The deadline of notice ID, or NULL (a deleted notice, or one the view does not hold). */
const struct cf_deadline *notice_view_find(const struct cf_notice_view *v, const char *id);
/* Every deadline of the view (rules in force and notices), as deadline_compute sorts them. */
size_t notice_view_count(const struct cf_notice_view *v);
const struct cf_deadline *notice_view_at(const struct cf_notice_view *v, size_t i);
/* R, a notice record read from the store, as every view shows it: `due` the view's due time
 * (in the case zone) and `status` the engine's status name ("overdue", "met", ...); the
 * recorded status is lost, so take it first when it is shown too.  Other records untouched. */
int notice_view_apply(const struct cf_notice_view *v, struct cf_record *r, struct cf_err *err);
/* A notice's deadline D (may be NULL: JSON null) as every JSON output gives it: {"status",
 * "due" (UTC), "due_local" (the case zone), "by_hand"}, the keys of `deadlines --json`. */
struct json_t;
struct json_t *notice_deadline_json(const struct cf_deadline *d);

/* An advisory from the rules in force, e.g. "major incident by definition". */
struct cf_advisory {
	const struct cf_rule *rule; /* the advisory rule, or NULL for the engine's own notes */
	const char *id;
	int holds;                  /* 1 the conditions hold, 0 they do not, -1 unknown */
	const char *message;
	const char *source;
};
typedef int (*advisory_cb)(const struct cf_advisory *a, void *ctx);
/* Advisories of the rules in force, in id order; then the engine's own (a pack named in
 * rule_packs that does not exist).  RULES may be NULL, as above. */
int deadline_advisories(struct store *s, const struct cf_rules *rules, advisory_cb cb,
			void *ctx, struct cf_err *err);
/* ---- evidence and chain of custody (store/evidence.c) --------------------------------------- */

/* SHA-256 of the file at PATH, streamed in fixed-size chunks (constant memory whatever the
 * size), in hex into HEX; its length in bytes into *SIZE.  CF_ENOTFOUND when it does not
 * exist, CF_EIO when it cannot be read or is not a regular file (a device, FIFO or socket is
 * refused without waiting on it). */
int cf_sha256_file(const char *path, char hex[CF_HASH_LEN + 1], int64_t *size,
		   struct cf_err *err);
/* The same, reporting how far it has come to SINK (NULL: nowhere); evidence_add and
 * evidence_verify report to the store's sink. */
int cf_sha256_file_progress(const char *path, char hex[CF_HASH_LEN + 1], int64_t *size,
			    const struct progress_sink *sink, struct cf_err *err);

/* What `evidence add` records.  Either FILE (hashed) or LOCATION (physical item) is needed.
 * Defaults: description = file name, collected_by = the store's author, collected_at = now
 * in the case zone with its offset; a time without a zone is read in the case zone. */
struct cf_evidence_in {
	const char *file;
	const char *location;
	const char *description;
	const char *collected_by;
	const char *collected_at;
	const char *source;
	const char *visibility;
	const char *reason;   /* of the first custody event (default "collected") */
};
/* Hashes the file (outside the write lock), then adds the evidence item and its first custody
 * event ("collected") in one transaction; the new item's id into ID. */
int evidence_add(struct store *s, const struct cf_evidence_in *in, char id[CF_ID_LEN + 1],
		 struct cf_err *err);

struct cf_transfer {
	const char *to;       /* the new holder (required) */
	const char *reason;
	const char *location; /* new storage location; NULL keeps the item's */
	const char *at;       /* default now, in the case zone */
	const char *action;   /* custody action, default "transferred" */
	const char *correction; /* why an event out of the chain's order is recorded anyway */
};
/* Records a custody event (handler TO, from the current holder) and updates the item's
 * location, in one transaction; the holder follows from the chain (store/custody.c).  An event
 * dated before the chain's last one is refused (CF_EINVAL, naming that event) unless
 * T->correction gives the reason it is recorded anyway. */
int evidence_transfer(struct store *s, const char *id, const struct cf_transfer *t,
		      struct cf_err *err);
/* ---- the chain of custody's rule (store/custody.c) ---- */

/* One event of a chain as custody_walk sees it. */
struct cf_custody_step {
	const struct cf_record *event;
	int n;                  /* its place in the chain, from 1 */
	const char *correction; /* the reason it was recorded as a correction, NULL if not one */
	const char *broken;     /* how it breaks the chain (not from the holder before it, or
				 * dated before the event before it), NULL when it does not; an
				 * event received from another replica that breaks the chain
				 * without a correction is kept, in its place, and flagged so */
};
typedef int (*custody_cb)(const struct cf_custody_step *step, void *ctx);
/* Walks the live custody events of evidence item EVIDENCE (full id) in chain order: time,
 * then the clock of their creation, then id (the same order on every replica). */
int custody_walk(struct store *s, const char *evidence, custody_cb cb, void *ctx,
		 struct cf_err *err);
/* The same, the events alone. */
int custody_chain(struct store *s, const char *evidence, record_cb cb, void *ctx,
		  struct cf_err *err);

enum cf_evcheck {
	CF_EV_MATCH,      /* the file hashes to the recorded SHA-256 and size */
	CF_EV_MISMATCH,   /* it does not: changed since collection */
	CF_EV_MISSING,    /* no file at the recorded path */
	CF_EV_UNREADABLE, /* there, but cannot be read (permissions, a directory, ...) */
	CF_EV_NOFILE,     /* a physical item: nothing to hash (not a failure) */
	CF_EV_ELSEWHERE,  /* its path was recorded by another replica: a fact of that machine,
			   * never opened here (not a failure) */
	CF_EV_COUNT
};
struct cf_evidence_check {
	const struct cf_record *item;
	enum cf_evcheck status;
	char actual[CF_HASH_LEN + 1]; /* the hash found, "" when none */
	int64_t actual_size;          /* -1 when not read */
	char detail[600];             /* what differed or why it could not be read */
};
const char *cf_evcheck_name(enum cf_evcheck status);
typedef int (*evcheck_cb)(const struct cf_evidence_check *c, void *ctx);
/* Re-hashes the file of item ID (full id), or of every live item when ID is NULL;
 * *FAILURES = items failing (mismatch, missing, unreadable).  Only paths this replica
 * recorded are opened: one recorded by another replica is CF_EV_ELSEWHERE. */
int evidence_verify(struct store *s, const char *id, evcheck_cb cb, void *ctx, int *failures,
		    struct cf_err *err);
/* The same for item ID with PATH, a copy the user names on this machine, instead of the
 * recorded path (CF_EINVAL without ID). */
int evidence_verify_file(struct store *s, const char *id, const char *path, evcheck_cb cb,
			 void *ctx, int *failures, struct cf_err *err);

/* ---- tamper evidence (store/verify.c; op_check_chains in store/ops.c) ------------------------ */

/* One discrepancy found by a check.  KIND is CF_KIND_COUNT and RECORD/FIELD/OP are NULL when
 * the problem is not about one record, field or operation. */
struct cf_problem {
	const char *check; /* "integrity", "chain", "head", "replay", "conflict", "sort", "fts",
			    * "git" */
	enum cf_kind kind;
	const char *record;
	const char *field;
	const char *op;
	const char *msg;   /* names what is wrong; may quote case text (untrusted) */
};
typedef int (*problem_cb)(const struct cf_problem *p, void *ctx);

/* Each check returns the number of problems found (each passed to CB), or a negative cf_rc
 * when it could not run.  */
/* PRAGMA integrity_check: every message SQLite gives is one problem. */
int verify_integrity(struct store *s, problem_cb cb, void *ctx, struct cf_err *err);
/* Every replica's hash chain: sequence gaps, broken links, content not matching its hash.
 * Reports every discrepancy, not just the first; *NOPS, *NREPLICAS counted (may be NULL). */
int op_check_chains(struct store *s, problem_cb cb, void *ctx, int64_t *nops,
		    int64_t *nreplicas, struct cf_err *err);
/* The head (last sequence and hash) of each replica, stored in the meta table with every
 * operation, against the log: catches operations cut from the end of a chain. */
int verify_heads(struct store *s, problem_cb cb, void *ctx, int64_t *nheads,
		 struct cf_err *err);
/* The record tables against a replay of the whole log into memory, row by row and field by
 * field, deleted flags included.  *NRECORDS = rows compared. */
int verify_replay(struct store *s, problem_cb cb, void *ctx, int64_t *nrecords,
		  struct cf_err *err);
/* The conflict table against a walk of every edited field's history (as sync settles it):
 * a conflict missing, invented or altered; and each record's conflicted column against its
 * unresolved fields.  *NFIELDS = fields walked. */
int verify_conflicts(struct store *s, problem_cb cb, void *ctx, int64_t *nfields,
		     struct cf_err *err);
/* Every row's sort key against the key its fields give.  *NROWS = rows compared. */
int verify_sort_keys(struct store *s, problem_cb cb, void *ctx, int64_t *nrows,
		     struct cf_err *err);
/* The full-text indexes (events, notes, evidence) against their tables, every row both ways
 * (FTS5 integrity-check): no sampling, so no bound to state. */
int verify_fts(struct store *s, problem_cb cb, void *ctx, struct cf_err *err);
/* op_check_chains, verify_integrity and verify_fts (when FTS is set), started on a second
 * connection in a thread of their own, to run on a second core alongside the replay
 * (store/verify_bg.c).  On a read-only case, or with an SQLite built without threads, they run
 * when first waited for instead.  Returns 0; *OUT is always to be freed with verify_bg_free. */
struct verify_bg;
int verify_bg_start(struct store *s, int fts, struct verify_bg **out, struct cf_err *err);
/* Each waits for them, then reports as op_check_chains / verify_integrity / verify_fts do;
 * *SECONDS = the time the check itself took. */
int verify_bg_chains(struct verify_bg *bg, problem_cb cb, void *ctx, int64_t *nops,
		     int64_t *nreplicas, double *seconds, struct cf_err *err);
int verify_bg_integrity(struct verify_bg *bg, problem_cb cb, void *ctx, double *seconds,
			struct cf_err *err);
int verify_bg_fts(struct verify_bg *bg, problem_cb cb, void *ctx, double *seconds,
		  struct cf_err *err);
void verify_bg_free(struct verify_bg *bg);
/* The operation with id ID (full id) into OP (release with cf_op_release); CF_ENOTFOUND. */
int op_find(struct store *s, const char *id, struct cf_op *op, struct cf_err *err);


/* ---- replay: the operation log rebuilt into tables ------------------------------------------ */

/* Applies OP (from this or another replica) to the record tables without writing a new op:
 * @create inserts, a field op sets the field, @delete marks deleted.  Used by sync and as-of. */
int op_apply(struct store *s, const struct cf_op *op, struct cf_err *err);
/* Copies into OP the op row itself (replayed ops keep their ids, clocks and hashes). */
int op_insert(struct store *s, const struct cf_op *op, struct cf_err *err);

/* A new in-memory store holding the case as it was known at AS_OF (UTC seconds): every op with
 * wall time <= AS_OF, replayed in (lamport, replica, op id) order.  Close with store_close. */
int store_as_of(struct store *s, int64_t as_of, struct store **out, struct cf_err *err);

/* ---- time travel: the case at a past moment, read-only (store/view.c) ------------------------
 * Two questions about the past (casefile(1), "TIME TRAVEL"):
 *   as of T     what the case file had recorded by T: the operations with wall time <= T;
 *   known at T  what had been learned by T: each record's own date (an event's learned, an
 *               estimate's as_of, a note's or custody event's at, an evidence item's
 *               collected_at; a notice sent after T shows as not yet sent), a record without
 *               one counting from the operation that created it.  The case record is always
 *               there, its clocks (discovered, aware, ...) after T unset.
 * Both may be given: what had been learned by KNOWN_AT among what was recorded by AS_OF. */
#define CF_NO_MOMENT INT64_MIN
struct cf_moment {
	int64_t as_of;    /* the last second included (UTC), or CF_NO_MOMENT */
	int64_t known_at; /* the same */
	char as_of_text[CF_TIME_LEN];    /* as given ("2019-06-05"), "" when not */
	char known_at_text[CF_TIME_LEN];
	char tz[64];      /* the case's zone the texts were read in, "" for UTC */
};
/* Reads AS_OF and KNOWN_AT (either NULL) in the case's zone into M: a day means its end
 * ("2019-06-05" is up to 23:59:59 that day), and so on for each precision.  CF_EINVAL
 * naming the option (--as-of, --known-at) for a bad time or a period. */
int cf_moment_parse(struct store *s, const char *as_of, const char *known_at,
		    struct cf_moment *m, struct cf_err *err);
/* "2019-06-05 (America/New_York), the case as recorded by 2019-06-06T03:59:59Z": the words
 * every view shows for M, into BUF. */
void cf_moment_describe(const struct cf_moment *m, char *buf, size_t len);
/* A new read-only in-memory store holding case S at M, rebuilt from S's operation log (see
 * above).  Every write to it fails with CF_EROFS naming the moment.  CF_ENOTFOUND when the
 * case did not exist yet at M.  Close with store_close. */
int store_view_open(struct store *s, const struct cf_moment *m, struct store **out,
		    struct cf_err *err);
/* View V of case S (made by store_view_open) moved to moment M, as store_view_open would make
 * it: the same answers, at the cost of what changed between the two moments (the records the
 * operations in between touched), not of a new view.  On error (CF_ENOTFOUND: the case did
 * not exist yet at M) V still shows its moment. */
int store_view_move(struct store *s, struct store *v, const struct cf_moment *m,
		    struct cf_err *err);
/* The moment a view shows, or NULL for the live case. */
const struct cf_moment *store_view(const struct store *s);
/* "Now" for S: a view's moment (known-at when given, else as-of), else the wall clock
 * (cf_now).  What every countdown and "days since" is computed at. */
int64_t store_now(const struct store *s);

/* A change to step to from a moment (store/view_step.c): as of, an operation; known at, a
 * record's own date (or its entering, when it has none). */
struct cf_change {
	int64_t at;               /* the moment it makes: the last second it covers (UTC) */
	char text[CF_TIME_LEN];   /* that moment as a time to give --as-of/--known-at */
	long count;               /* changes at that same moment (1 or more) */
	int more;                 /* more than count at that moment: counting stopped (100) */
	struct cf_op op;          /* as of: the last operation at that moment */
	enum cf_kind kind;        /* known at: the record, its own date's field (NULL: entered) */
	char record[CF_ID_LEN + 1];
	const char *field;
	char label[160];          /* and its first text (an event's summary), one line */
};
/* The next (DIR > 0) or previous (DIR < 0) change of case S (the live case) from moment M,
 * for the known-at question when M has a known-at moment, else for as-of.  0 and OUT filled
 * (release with cf_change_release); CF_ENOTFOUND when there is none that way. */
int store_view_step(struct store *s, const struct cf_moment *m, int dir, struct cf_change *out,
		    struct cf_err *err);
void cf_change_release(struct cf_change *c);

/* Stamps the wall time of the next operations (ISO 8601, UTC) instead of now; NULL restores.
 * For imports of past records, such as the demo case entered as it was learned. */
void store_set_clock(struct store *s, const char *iso);


/* ---- paging and watching, for screens (store/page.c) -----------------------------------------
 * A screen never loads a whole table: it seeks to a position and reads one page from there,
 * forwards or backwards, in the kind's natural order (the index on deleted, sort_key, id), so
 * any page costs the same whatever the size of the case. */

/* Where and how to read a page.  KEY/ID name a position in the order (a row's sort key and
 * id, as given to the callbacks below); KEY NULL means the start (forwards) or the end
 * (backwards).  INCLUSIVE includes the row at the position itself.  FILTER_FIELD, when set,
 * must be a field of the kind (CF_EINVAL otherwise); only rows whose value equals
 * FILTER_VALUE are read.  LIMIT 0 reads to the end. */
struct cf_seek {
	const char *key;
	const char *id;
	int backward;
	int inclusive;
	int limit;
	const char *filter_field;
	const char *filter_value;
};
/* Called with each row and its sort key (both valid only during the call). */
typedef int (*seek_cb)(const struct cf_record *r, const char *key, void *ctx);
/* Reads live records of KIND from the position in Q, in order (reversed when backward).
 * CB returns non-zero to stop.  0, CF_EINVAL (bad filter field) or CF_EDB. */
int record_seek(struct store *s, enum cf_kind kind, const struct cf_seek *q, seek_cb cb,
		void *ctx, struct cf_err *err);
/* The sort key of live record ID (malloc'd into *KEY).  CF_ENOTFOUND when it does not exist
 * or is deleted, CF_EDB; *KEY is NULL on error. */
int record_key(struct store *s, enum cf_kind kind, const char *id, char **key,
	       struct cf_err *err);
/* The number of live rows before (KEY, ID) in the order, under Q's filter (Q's key, id,
 * direction and limit are ignored; Q may be NULL); with KEY NULL, the number of rows.
 * Costs time in proportion to the answer: screens ask when idle.  Negative cf_rc on error. */
int64_t record_rank(struct store *s, enum cf_kind kind, const struct cf_seek *q,
		    const char *key, const char *id, struct cf_err *err);
/* The ids of the live records of KIND that start with PREFIX, in id order, at most LIMIT
 * (0: all): CB with each (non-zero stops).  For completing ids in a shell.  0 or CF_EDB. */
int record_ids(struct store *s, enum cf_kind kind, const char *prefix, int limit,
	       int (*cb)(const char *id, void *ctx), void *ctx, struct cf_err *err);
/* The position of time T (UTC seconds) in the order of a kind sorted by one time (event,
 * notice, task, evidence, note) as a sort key, into BUF (at least 32 bytes): seek there with
 * inclusive set to land on the first row at or after T.  CF_EINVAL for other kinds. */
int record_time_key(enum cf_kind kind, int64_t t, char *buf, size_t len);
/* Whether record_list takes a window (HAS_SINCE / HAS_UNTIL) for KIND: the kinds above, and
 * estimates (as_of) and custody events (at), whose rows are checked one by one. */
int record_time_filterable(enum cf_kind kind);

/* How the live records of KIND spread over time, for a density ruler (the TUI's Timeline):
 * KIND is one ordered by one time (record_time_key's kinds), Q's filter applies (Q may be
 * NULL; its position is ignored).  FIRST and LAST: the start of the first and of the last
 * dated record; COUNTS[0..N-1]: how many start in each of N equal parts of SPAN from FIRST;
 * DATED their sum, UNDATED those whose time is unknown.  Counts ranges of the kind's order
 * index: time in proportion to the rows, no record read.  0, CF_ENOTFOUND (none dated;
 * UNDATED not counted), CF_EINVAL (another kind, N < 1), CF_EDB. */
struct cf_density {
	int64_t first, last;
	int64_t span;  /* what the N parts share: LAST - FIRST + 1 seconds, N at the least */
	int64_t dated, undated;
};
int record_density(struct store *s, enum cf_kind kind, const struct cf_seek *q, int n,
		   int64_t *counts, struct cf_density *d, struct cf_err *err);

/* Operations by log sequence (1, 2, ... with no gaps: ops are never removed).  SEQ 0 means
 * the start (forwards) or the end (backwards). */
typedef int (*op_seek_cb)(const struct cf_op *op, int64_t seq, void *ctx);
int op_seek(struct store *s, int64_t seq, int backward, int inclusive, int limit,
	    op_seek_cb cb, void *ctx, struct cf_err *err);
/* The sequence of the last operation (so the number of operations); negative on error. */
int64_t op_last_seq(struct store *s, struct cf_err *err);

/* PRAGMA data_version: changes whenever another connection (another process) commits to
 * the case; a commit through S itself does not change it.  Cheap: poll it.  Negative cf_rc
 * on error. */
int64_t store_data_version(struct store *s, struct cf_err *err);

/* Search within one kind's order (event, note or evidence), for "next match" keys: the hits
 * of QUERY (same syntax as store_search) are collected once into a temporary table of this
 * connection (not the case), *COUNT set; then search_hit_next steps through them in the
 * kind's order from any position in O(log n).  A new search_hits replaces the previous one;
 * the hits do not follow later changes (search again).  CF_EINVAL for an empty query or
 * another kind. */
int search_hits(struct store *s, enum cf_kind kind, const char *query, int64_t *count,
		struct cf_err *err);
/* The first hit after (KEY, ID) (before it when BACKWARD; KEY NULL = from the start or the
 * end): its sort key (malloc'd into *KEY_OUT) and id.  CF_ENOTFOUND when there is none. */
int search_hit_next(struct store *s, const char *key, const char *id, int backward,
		    char **key_out, char id_out[CF_ID_LEN + 1], struct cf_err *err);

/* ---- sync: other replicas' operations, and conflicts (store/optext.c, store/receive.c,
 * store/conflict.c).  Git knows nothing of this: export/sync/sync.c moves the files. */

/* OP as one line of an ops/ file in git: its canonical JSON with the "hash" key in its sorted
 * place, ASCII only, no newline (malloc'd; NULL when out of memory). */
char *cf_op_line(const struct cf_op *op);
/* Parses one such line (LEN bytes, no newline) into OP (release with cf_op_release).
 * CF_EINVAL when it is not an operation; CF_ETAMPER when its hash does not match its contents
 * or the line is not byte for byte the canonical line of what it holds. */
int cf_op_parse(const char *text, size_t len, struct cf_op *op, struct cf_err *err);

/* Bounds of a received operation's numbers: far above any real case (an operation a
 * microsecond for 285 years), far below int64's end, so a clock moved past them by one peer
 * can neither overflow the next local change nor make its replicas refuse each other. */
#define CF_LAMPORT_MAX ((int64_t)1 << 53)
#define CF_RSEQ_MAX ((int64_t)1 << 53)
/* A received value (old, new, author) longer than this is out of range. */
#define CF_OP_VALUE_MAX (16u << 20)

struct cf_received {
	int64_t ops;         /* new operations written and applied */
	int64_t known;       /* already in the log (the same bytes), skipped */
	int64_t conflicts;   /* fields that became conflicted */
	int64_t set_aside;   /* received operations (or lines) left in quarantine this time */
	int64_t quarantined; /* entries in the quarantine after it (see quarantine_list) */
	/* Operations taken back out: a membership change arrived late, so a replay of the whole
	 * log would not take them (rejudge.c).  Reading their files again quarantines them. */
	int64_t retracted;
	int renewed; /* among them this replica's own: the case continues as a new replica */
	long bad;            /* always -1: a bad operation is quarantined, never an error */
};
/* Takes in N operations of any replicas, in any order.  Each is admitted when it hashes to
 * its contents, continues its replica's chain in the log (sequence, link, a clock that
 * advances), its clock is at most one past the highest clock admitted (every real operation
 * was made after one with the clock just below its own), its id is new, its record exists
 * and was created with a lower clock (but for a create), its field is one of the kind's and
 * its value valid.  Operations already
 * in the log (same bytes) are skipped.  One that fails a check for good is quarantined
 * (store/quarantine.c) with its file and line; one whose predecessor, clock or record is not
 * there waits in the quarantine too, and is taken in by a later receive once they are.  The
 * decision depends only on the operations, never on their order, so every replica makes the
 * same one.  The admitted are written, creates and deletes applied, and every field they touch
 * settled from its whole history: the last writer in (lamport, replica, op id) order wins, and
 * two edits of the field made without seeing each other register a conflict (the value that
 * lost is kept, the field marked).  One transaction; taking in the same operations again
 * changes nothing.  OUT may be NULL. */
int op_receive(struct store *s, const struct cf_op *ops, size_t n, struct cf_received *out,
	       struct cf_err *err);
/* The same in steps, for more operations than fit in memory at once: START begins the
 * transaction, STAGE takes one operation read from line LINE of file PATH (any order), REJECT
 * quarantines a line of PATH that is not an operation (REPLICA and RSEQ as far as known, NULL
 * and 0 otherwise; LINE 0 for a whole file; TEXT, LEN what was read), ADD stages a batch (lines
 * 1.. of "(received)"; *BAD always -1), FINISH admits, settles the fields and commits, ABORT
 * (instead of FINISH) rolls it all back. */
struct cf_receiver;
int op_receive_start(struct store *s, struct cf_receiver **out, struct cf_err *err);
int op_receive_stage(struct cf_receiver *r, const struct cf_op *op, const char *path,
		     int64_t line, struct cf_err *err);
int op_receive_reject(struct cf_receiver *r, const char *path, int64_t line,
		      const char *replica, int64_t rseq, const char *reason, const char *text,
		      size_t len, struct cf_err *err);
int op_receive_add(struct cf_receiver *r, const struct cf_op *ops, size_t n, long *bad,
		   struct cf_err *err);
int op_receive_finish(struct cf_receiver *r, struct cf_received *out, struct cf_err *err);
void op_receive_abort(struct cf_receiver *r);
/* The replica that created this case (its chain is in every remote of the case): 1 and
 * REPLICA filled, 0 when the log holds no case yet, or a negative cf_rc. */
int op_case_origin(struct store *s, char replica[CF_ID_LEN + 1], struct cf_err *err);
/* The last sequence number and hash of REPLICA in the log (0 and "" when it has none). */
int op_replica_head(struct store *s, const char *replica, int64_t *rseq,
		    char hash[CF_HASH_LEN + 1], struct cf_err *err);
/* Walks the operations of REPLICA after sequence AFTER, in sequence order. */
int op_list_replica(struct store *s, const char *replica, int64_t after, op_cb cb, void *ctx,
		    struct cf_err *err);

/* ---- quarantine: received operations set aside (store/quarantine.c) ---- */
struct cf_quarantined {
	const char *path;      /* the ops/ file it was read from */
	int64_t line;          /* its line there (from 1); 0 when the whole file is set aside */
	const char *replica;   /* NULL when not known */
	int64_t rseq, lamport; /* 0 when not known */
	const char *op;        /* its id, or NULL when the line is not an operation */
	const char *reason;    /* why: a check it fails for good, or what it waits for */
	const char *text;      /* the line as received (its first 4096 bytes), or NULL */
};
typedef int (*quarantine_cb)(const struct cf_quarantined *q, void *ctx);
/* Every entry, by file and line, to CB (NULL: only counted) until it returns non-zero; the
 * number of entries passed, or a negative cf_rc. */
int quarantine_list(struct store *s, quarantine_cb cb, void *ctx, struct cf_err *err);
/* The entries named by KEY: FILE:LINE, or an operation id or its prefix.  CF_ENOTFOUND. */
int quarantine_show(struct store *s, const char *key, quarantine_cb cb, void *ctx,
		    struct cf_err *err);
/* 1 when line LINE of PATH was set aside, else 0. */
int quarantine_has(struct store *s, const char *path, int64_t line);
/* Entries in the quarantine; negative when it cannot be read. */
int64_t quarantine_count(struct store *s);

/* A conflict: two edits of one field made without seeing each other.  OURS is the value the
 * case holds now (the winner of the replay), THEIRS the value that lost. */
/* The "field" of the conflict between a delete and an edit made without seeing it: kept is
 * "deleted", other the edited fields ("summary 'new text'; owner 'Bob'"). */
#define CF_CONFLICT_DELETE "@delete"
struct cf_conflict {
	enum cf_kind kind;
	const char *record;
	const char *field;
	const char *ours, *theirs;       /* NULL when unset */
	const char *ours_op, *theirs_op; /* the operations that wrote them */
	const char *ours_author, *theirs_author;
	int resolved;                    /* settled by a later edit of the field */
};
typedef int (*conflict_cb)(const struct cf_conflict *c, void *ctx);
/* Walks the conflicts of live records, and the delete conflicts of deleted ones, unresolved
 * ones only unless ALL, by kind, record and field.  OURS is the value the case keeps (shown as
 * "kept"), THEIRS the other.  CB returns non-zero to stop. */
int conflict_list(struct store *s, int all, conflict_cb cb, void *ctx, struct cf_err *err);
/* The record of an unresolved conflict on FIELD whose id starts with PREFIX (at least 4
 * characters): its kind and full id.  CF_ENOTFOUND, CF_EAMBIGUOUS. */
int conflict_find(struct store *s, const char *prefix, const char *field, enum cf_kind *kind,
		  char id[CF_ID_LEN + 1], struct cf_err *err);
enum cf_take { CF_TAKE_OURS, CF_TAKE_THEIRS, CF_TAKE_VALUE }; /* kept, other, a value */
/* Resolves the conflict on FIELD of record ID (full id) with a new operation setting the
 * field to ours, theirs, or VALUE (CF_TAKE_VALUE; "" or NULL unsets), written even when the
 * value does not change, so every replica sees the conflict settled. */
int conflict_resolve(struct store *s, enum cf_kind kind, const char *id, const char *field,
		     enum cf_take take, const char *value, struct cf_err *err);
/* FIELD CF_CONFLICT_DELETE (conflict_resolve hands it here): CF_TAKE_OURS keeps the record
 * deleted (a new delete that saw the edit), CF_TAKE_THEIRS restores it with the edit;
 * CF_EINVAL for a value. */
int delete_conflict_resolve(struct store *s, enum cf_kind kind, const char *id,
			    enum cf_take take, struct cf_err *err);

/* Creates DIR (0700) and DIR/casefile.db (0600) as a new replica with no case record yet:
 * what `casefile clone` fills by replaying another replica's operations. */
int store_create_replica(const char *dir, const char *author, struct store **out,
			 struct cf_err *err);

#endif
