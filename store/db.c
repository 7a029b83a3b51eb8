/* db.c — opening, creating and migrating a case database; transactions; statement cache. */
#include "store/internal.h"
#include "store/kinds.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The write-ahead log is left beside the database up to this size (four or five one-record
 * commands); past it, closing folds it in.  Every process that opens the case first reads the
 * log back: at 4 MiB that made `event add` 1.3 ms slower, at 128 KiB to 1 MiB it was the same. */
#define WAL_KEEP_BYTES (256L << 10)

int bind_text(sqlite3_stmt *st, int idx, const char *v)
{
	return v ? sqlite3_bind_text(st, idx, v, -1, SQLITE_TRANSIENT) : sqlite3_bind_null(st, idx);
}

int store_db_error(struct store *s, struct cf_err *err, const char *what)
{
	int rc = sqlite3_errcode(s->db);
	const char *msg = sqlite3_errmsg(s->db);
	if (rc == SQLITE_NOTADB)
		return cf_error(err, CF_EFOREIGN, "%s/%s: not a casefile database", s->dir,
				CF_DB_NAME);
	if (rc == SQLITE_READONLY || rc == SQLITE_CANTOPEN || rc == SQLITE_PERM)
		return cf_error(err, CF_EDB, "%s: %s: %s (check permissions)", s->dir, what, msg);
	return cf_error(err, CF_EDB, "%s: %s", what, msg);
}

sqlite3_stmt *store_stmt(struct store *s, const char *sql, struct cf_err *err)
{
	size_t slot = ((uintptr_t)sql >> 3) % STMT_CACHE;

	for (size_t i = 0; i < STMT_CACHE; i++) {
		size_t k = (slot + i) % STMT_CACHE;
		if (s->cache[k].sql == sql) {
			sqlite3_reset(s->cache[k].stmt);
			sqlite3_clear_bindings(s->cache[k].stmt);
			return s->cache[k].stmt;
		}
		if (!s->cache[k].sql) {
			sqlite3_stmt *st;
			if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st,
					       NULL) != SQLITE_OK) {
				store_db_error(s, err, "prepare");
				return NULL;
			}
			s->cache[k].sql = sql;
			s->cache[k].stmt = st;
			return st;
		}
	}
	cf_error(err, CF_ERR, "statement cache full");
	return NULL;
}

static int exec(struct store *s, const char *sql, struct cf_err *err)
{
	if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return store_db_error(s, err, sql);
	return 0;
}

/* ---- transactions ---- */

int store_begin(struct store *s, struct cf_err *err)
{
	if (s->read_only)
		return store_ro_error(s, err);
	if (s->txn_depth++ > 0)
		return 0;
	s->head_valid = 0;
	s->members_valid = 0;
	/* busy_timeout covers BEGIN IMMEDIATE; loop in case a long writer outlasts it. */
	for (int tries = 0; tries < 20; tries++) {
		int rc = sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
		if (rc == SQLITE_OK)
			return 0;
		if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED)
			break;
	}
	s->txn_depth--;
	return store_db_error(s, err, "begin transaction");
}

int store_commit(struct store *s, struct cf_err *err)
{
	if (s->txn_depth <= 0)
		return cf_error(err, CF_ERR, "commit without a transaction");
	/* A reader who may not write (a viewer, or no identity in a signed case) leaves the
	 * recorded due times to the members: every view computes them on read anyway. */
	if (s->txn_depth == 1 && (s->facts_dirty || s->custody_dirty) && !s->deriving &&
	    member_may_write(s) == 1) {
		int rc = 0;
		s->deriving = 1;
		if (s->custody_dirty)
			rc = custody_derive(s, err);
		if (rc == 0 && s->facts_dirty)
			rc = deadline_derive(s, err);
		s->deriving = 0;
		s->facts_dirty = 0;
		s->custody_dirty = 0;
		if (rc < 0) {
			store_rollback(s);
			return rc;
		}
	}
	if (--s->txn_depth > 0)
		return 0;
	if (op_flush_head(s, err) < 0) {
		s->txn_depth = 1;
		store_rollback(s);
		return CF_EDB;
	}
	s->head_valid = 0;
	s->members_valid = 0;
	for (int tries = 0; tries < 20; tries++) {
		int rc = sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
		if (rc == SQLITE_OK)
			return 0;
		if (rc != SQLITE_BUSY)
			break;
	}
	store_db_error(s, err, "commit");
	sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	return CF_EDB;
}

void store_rollback(struct store *s)
{
	if (s->txn_depth <= 0)
		return;
	s->txn_depth = 0;
	s->head_valid = 0;
	s->members_valid = 0;
	s->head_dirty = 0;
	s->facts_dirty = 0;
	s->custody_dirty = 0;
	sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

/* ---- schema ---- */

static const char schema_meta[] =
	"CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
	"CREATE TABLE op(seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,"
	" replica TEXT NOT NULL, rseq INTEGER NOT NULL, lamport INTEGER NOT NULL,"
	" kind TEXT NOT NULL, record TEXT NOT NULL, field TEXT NOT NULL, old TEXT, new TEXT,"
	" author TEXT NOT NULL, at TEXT NOT NULL, prev TEXT NOT NULL, hash TEXT NOT NULL,"
	" UNIQUE(replica, rseq));"
	"CREATE INDEX op_record ON op(record, seq);"
	"CREATE INDEX op_clock ON op(lamport);";

static const char schema_fts[] =
	"CREATE VIRTUAL TABLE event_fts USING fts5(summary, details, source, actor,"
	" content='event', content_rowid='rowid');"
	"CREATE TRIGGER event_fts_ai AFTER INSERT ON event BEGIN"
	" INSERT INTO event_fts(rowid, summary, details, source, actor)"
	" VALUES (new.rowid, new.summary, new.details, new.source, new.actor); END;"
	"CREATE TRIGGER event_fts_au AFTER UPDATE OF summary, details, source, actor ON event BEGIN"
	" INSERT INTO event_fts(event_fts, rowid, summary, details, source, actor)"
	" VALUES ('delete', old.rowid, old.summary, old.details, old.source, old.actor);"
	" INSERT INTO event_fts(rowid, summary, details, source, actor)"
	" VALUES (new.rowid, new.summary, new.details, new.source, new.actor); END;"
	"CREATE VIRTUAL TABLE note_fts USING fts5(text, author, content='note',"
	" content_rowid='rowid');"
	"CREATE TRIGGER note_fts_ai AFTER INSERT ON note BEGIN"
	" INSERT INTO note_fts(rowid, text, author) VALUES (new.rowid, new.text, new.author); END;"
	"CREATE TRIGGER note_fts_au AFTER UPDATE OF text, author ON note BEGIN"
	" INSERT INTO note_fts(note_fts, rowid, text, author)"
	" VALUES ('delete', old.rowid, old.text, old.author);"
	" INSERT INTO note_fts(rowid, text, author) VALUES (new.rowid, new.text, new.author); END;"
	"CREATE VIRTUAL TABLE evidence_fts USING fts5(description, location, source,"
	" content='evidence', content_rowid='rowid');"
	"CREATE TRIGGER evidence_fts_ai AFTER INSERT ON evidence BEGIN"
	" INSERT INTO evidence_fts(rowid, description, location, source)"
	" VALUES (new.rowid, new.description, new.location, new.source); END;"
	"CREATE TRIGGER evidence_fts_au AFTER UPDATE OF description, location, source ON evidence"
	" BEGIN INSERT INTO evidence_fts(evidence_fts, rowid, description, location, source)"
	" VALUES ('delete', old.rowid, old.description, old.location, old.source);"
	" INSERT INTO evidence_fts(rowid, description, location, source)"
	" VALUES (new.rowid, new.description, new.location, new.source); END;";

/* Version 1: the whole first schema.  Later versions append to this list, never edit it. */
static int migrate_v1(struct store *s, struct cf_err *err)
{
	int rc = exec(s, schema_meta, err);
	for (int k = 0; rc == 0 && k < CF_KIND_COUNT; k++)
		rc = exec(s, kind_sql((enum cf_kind)k)->create, err);
	if (rc == 0)
		rc = exec(s, schema_fts, err);
	return rc;
}

/* Version 2: the conflict register used by sync (record, field, losing value). */
static int migrate_v2(struct store *s, struct cf_err *err)
{
	return exec(s,
		    "CREATE TABLE conflict(record TEXT NOT NULL, kind TEXT NOT NULL,"
		    " field TEXT NOT NULL, ours TEXT, theirs TEXT, ours_op TEXT, theirs_op TEXT,"
		    " resolved INTEGER NOT NULL DEFAULT 0, PRIMARY KEY(record, field))",
		    err);
}

/* Version 3: each replica's chain head kept in meta ('head:REPLICA' = "RSEQ HASH"), written
 * with every operation from now on; cases made before start from the log as it stands. */
static int migrate_v3(struct store *s, struct cf_err *err)
{
	return exec(s,
		    "INSERT OR REPLACE INTO meta(key, value) SELECT 'head:' || replica,"
		    " rseq || ' ' || hash FROM op o"
		    " WHERE rseq = (SELECT max(rseq) FROM op WHERE replica = o.replica)",
		    err);
}

/* A column and the statement that adds it: the schema's own literals, never user text. */
struct add_column {
	const char *name;
	const char *sql;
};

/* Adds each column of ADD (N of them) to TABLE when it is missing: databases made by a later
 * version have it already from migrate_v1's table definitions (store/kinds.c). */
static int add_columns(struct store *s, const char *table, const struct add_column *add,
		       size_t n, struct cf_err *err)
{
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < n; i++) {
		sqlite3_stmt *st = store_stmt(s, "SELECT count(*) FROM pragma_table_info(?1)"
					      " WHERE name = ?2", err);
		int have;
		if (!st)
			return CF_EDB;
		sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, add[i].name, -1, SQLITE_STATIC);
		have = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) > 0;
		sqlite3_reset(st);
		if (!have)
			rc = exec(s, add[i].sql, err);
	}
	return rc;
}
#define ADD_COLUMNS(s, table, add, err) \
	add_columns(s, table, add, sizeof(add) / sizeof((add)[0]), err)

/* Version 4 (export): the case fields the breach report to Congress asks for (risk of harm,
 * delay of notice, notice plan).  Databases made by this version already have the columns
 * from migrate_v1's table definitions, so each is added only when missing. */
static int migrate_v4(struct store *s, struct cf_err *err)
{
	static const struct add_column add[] = {
		{ "harm", "ALTER TABLE case_info ADD COLUMN \"harm\" TEXT" },
		{ "notice_delay", "ALTER TABLE case_info ADD COLUMN \"notice_delay\" TEXT" },
		{ "notice_plan", "ALTER TABLE case_info ADD COLUMN \"notice_plan\" TEXT" },
	};
	return ADD_COLUMNS(s, "case_info", add, err);
}

/* Version 5: the full-text indexes are kept from C (fts.c) instead of by AFTER INSERT
 * triggers, so a bulk import indexes its rows in one statement at the end.  With a trigger,
 * FTS5 flushes its pending terms at every statement of a transaction: 40x slower imports. */
static int migrate_v5(struct store *s, struct cf_err *err)
{
	return exec(s,
		    "DROP TRIGGER event_fts_ai; DROP TRIGGER note_fts_ai;"
		    " DROP TRIGGER evidence_fts_ai;",
		    err);
}

/* Version 6: the timeline filtered by kind (the TUI's `f`) reads a page from an index too,
 * instead of walking every event to find the few of one kind.  IF NOT EXISTS: a case put back
 * to an older version number (as the migration tests do) may have it already. */
static int migrate_v6(struct store *s, struct cf_err *err)
{
	return exec(s, "CREATE INDEX IF NOT EXISTS event_kind_order"
		       " ON event(deleted, kind, sort_key, id);", err);
}

/* Version 7 (rules): an estimate names the jurisdiction whose residents it counts (US-TX),
 * so a State's rule tests that State's residents.  Added only when missing, as in v4. */
static int migrate_v7(struct store *s, struct cf_err *err)
{
	static const struct add_column add[] = {
		{ "jurisdiction", "ALTER TABLE estimate ADD COLUMN \"jurisdiction\" TEXT" },
	};
	return ADD_COLUMNS(s, "estimate", add, err);
}

/* Version 8: which operations of this replica were undos, and what each undid (store/undo.c),
 * so `undo` run again steps further back.  This replica's own memory: never synced. */
static int migrate_v8(struct store *s, struct cf_err *err)
{
	return exec(s, "CREATE TABLE IF NOT EXISTS undo(op TEXT PRIMARY KEY,"
		       " undid TEXT NOT NULL);", err);
}

/* Version 9: operations received from other replicas but set aside (store/quarantine.c):
 * where each was read (file and line), why, and its text as received. */
static int migrate_v9(struct store *s, struct cf_err *err)
{
	return exec(s, "CREATE TABLE IF NOT EXISTS quarantine(path TEXT NOT NULL,"
		       " line INTEGER NOT NULL, replica TEXT, rseq INTEGER, lamport INTEGER,"
		       " op TEXT, reason TEXT NOT NULL, text TEXT, PRIMARY KEY(path, line))", err);
}

/* Version 10: full-text search over every kind with text (events, estimates, notices, evidence,
 * custody, tasks, notes), by trigrams, so that any substring of three characters or more, in
 * any script (CJK has no spaces between words), is found through the index; shorter terms are
 * matched by LIKE on the same tables (store/search.c).  The word indexes of version 1 go. */
static const char schema_fts_v10[] =
	"DROP TRIGGER IF EXISTS event_fts_au; DROP TRIGGER IF EXISTS note_fts_au;"
	" DROP TRIGGER IF EXISTS evidence_fts_au; DROP TRIGGER IF EXISTS estimate_fts_au;"
	" DROP TRIGGER IF EXISTS notice_fts_au; DROP TRIGGER IF EXISTS custody_fts_au;"
	" DROP TRIGGER IF EXISTS task_fts_au;"
	" DROP TABLE IF EXISTS event_fts; DROP TABLE IF EXISTS note_fts;"
	" DROP TABLE IF EXISTS evidence_fts; DROP TABLE IF EXISTS estimate_fts;"
	" DROP TABLE IF EXISTS notice_fts; DROP TABLE IF EXISTS custody_fts;"
	" DROP TABLE IF EXISTS task_fts;"
	"CREATE VIRTUAL TABLE event_fts USING fts5(summary, details, source, actor,"
	" content='event',"
	" content_rowid='rowid', tokenize='trigram');"
	"CREATE TRIGGER event_fts_au AFTER UPDATE OF summary, details, source, actor ON event BEGIN"
	" INSERT INTO event_fts(event_fts, rowid, summary, details, source, actor)"
	" VALUES ('delete', old.rowid, old.summary, old.details, old.source, old.actor);"
	" INSERT INTO event_fts(rowid, summary, details, source, actor) VALUES (new.rowid,"
	" new.summary, new.details, new.source, new.actor); END;"
	"INSERT INTO event_fts(event_fts) VALUES ('rebuild');"
	"CREATE VIRTUAL TABLE estimate_fts USING fts5(category, method, source, reason,"
	" content='estimate',"
	" content_rowid='rowid', tokenize='trigram');"
	"CREATE TRIGGER estimate_fts_au AFTER UPDATE OF category, method, source, reason ON"
	" estimate BEGIN"
	" INSERT INTO estimate_fts(estimate_fts, rowid, category, method, source, reason)"
	" VALUES ('delete', old.rowid, old.category, old.method, old.source, old.reason);"
	" INSERT INTO estimate_fts(rowid, category, method, source, reason) VALUES"
	" (new.rowid, new.category, new.method, new.source, new.reason); END;"
	"INSERT INTO estimate_fts(estimate_fts) VALUES ('rebuild');"
	"CREATE VIRTUAL TABLE notice_fts USING fts5(recipient, rule, channel, reference,"
	" waiver, contents, source, content='notice',"
	" content_rowid='rowid', tokenize='trigram');"
	"CREATE TRIGGER notice_fts_au AFTER UPDATE OF recipient, rule, channel, reference,"
	" waiver, contents, source ON notice BEGIN"
	" INSERT INTO notice_fts(notice_fts, rowid, recipient, rule, channel, reference,"
	" waiver, contents, source)"
	" VALUES ('delete', old.rowid, old.recipient, old.rule, old.channel, old.reference,"
	" old.waiver, old.contents, old.source);"
	" INSERT INTO notice_fts(rowid, recipient, rule, channel, reference, waiver,"
	" contents, source) VALUES (new.rowid, new.recipient, new.rule, new.channel,"
	" new.reference, new.waiver, new.contents, new.source); END;"
	"INSERT INTO notice_fts(notice_fts) VALUES ('rebuild');"
	"CREATE VIRTUAL TABLE evidence_fts USING fts5(description, location, source,"
	" collected_by, holder, content='evidence',"
	" content_rowid='rowid', tokenize='trigram');"
	"CREATE TRIGGER evidence_fts_au AFTER UPDATE OF description, location, source,"
	" collected_by, holder ON evidence BEGIN"
	" INSERT INTO evidence_fts(evidence_fts, rowid, description, location, source,"
	" collected_by, holder)"
	" VALUES ('delete', old.rowid, old.description, old.location, old.source,"
	" old.collected_by, old.holder);"
	" INSERT INTO evidence_fts(rowid, description, location, source, collected_by,"
	" holder) VALUES (new.rowid, new.description, new.location, new.source,"
	" new.collected_by, new.holder); END;"
	"INSERT INTO evidence_fts(evidence_fts) VALUES ('rebuild');"
	"CREATE VIRTUAL TABLE custody_fts USING fts5(handler, \"from\", location, reason,"
	" content='custody',"
	" content_rowid='rowid', tokenize='trigram');"
	"CREATE TRIGGER custody_fts_au AFTER UPDATE OF handler, \"from\", location, reason"
	" ON custody BEGIN"
	" INSERT INTO custody_fts(custody_fts, rowid, handler, \"from\", location, reason)"
	" VALUES ('delete', old.rowid, old.handler, old.\"from\", old.location, old.reason);"
	" INSERT INTO custody_fts(rowid, handler, \"from\", location, reason) VALUES"
	" (new.rowid, new.handler, new.\"from\", new.location, new.reason); END;"
	"INSERT INTO custody_fts(custody_fts) VALUES ('rebuild');"
	"CREATE VIRTUAL TABLE task_fts USING fts5(title, owner, details, content='task',"
	" content_rowid='rowid', tokenize='trigram');"
	"CREATE TRIGGER task_fts_au AFTER UPDATE OF title, owner, details ON task BEGIN"
	" INSERT INTO task_fts(task_fts, rowid, title, owner, details)"
	" VALUES ('delete', old.rowid, old.title, old.owner, old.details);"
	" INSERT INTO task_fts(rowid, title, owner, details) VALUES (new.rowid, new.title,"
	" new.owner, new.details); END;"
	"INSERT INTO task_fts(task_fts) VALUES ('rebuild');"
	"CREATE VIRTUAL TABLE note_fts USING fts5(text, author, source, content='note',"
	" content_rowid='rowid', tokenize='trigram');"
	"CREATE TRIGGER note_fts_au AFTER UPDATE OF text, author, source ON note BEGIN"
	" INSERT INTO note_fts(note_fts, rowid, text, author, source)"
	" VALUES ('delete', old.rowid, old.text, old.author, old.source);"
	" INSERT INTO note_fts(rowid, text, author, source) VALUES (new.rowid, new.text,"
	" new.author, new.source); END;"
	"INSERT INTO note_fts(note_fts) VALUES ('rebuild');";

static int migrate_v10(struct store *s, struct cf_err *err)
{
	return exec(s, schema_fts_v10, err);
}

/* Version 11 (one truth): a custody event's correction (why it breaks the chain's order), and
 * the case fields a briefing's heading and CUI designation indicator need. */
static int migrate_v11(struct store *s, struct cf_err *err)
{
	static const struct add_column custody[] = {
		{ "correction", "ALTER TABLE custody ADD COLUMN \"correction\" TEXT" },
	};
	static const struct add_column kase[] = {
		{ "sending_official",
		  "ALTER TABLE case_info ADD COLUMN \"sending_official\" TEXT" },
		{ "poc", "ALTER TABLE case_info ADD COLUMN \"poc\" TEXT" },
		{ "transmittal", "ALTER TABLE case_info ADD COLUMN \"transmittal\" TEXT" },
		{ "cui_controlled_by",
		  "ALTER TABLE case_info ADD COLUMN \"cui_controlled_by\" TEXT" },
		{ "cui_category", "ALTER TABLE case_info ADD COLUMN \"cui_category\" TEXT" },
		{ "cui_dissemination",
		  "ALTER TABLE case_info ADD COLUMN \"cui_dissemination\" TEXT" },
		/* rules (i15): the organisation's type, in the kind table with no migration */
		{ "org_type", "ALTER TABLE case_info ADD COLUMN \"org_type\" TEXT" },
	};
	int rc = ADD_COLUMNS(s, "custody", custody, err);
	return rc < 0 ? rc : ADD_COLUMNS(s, "case_info", kase, err);
}

/* Version 12 (time travel): the moment a historical case opens at in the terminal UI (case
 * field open_at), and operations by wall time, so that stepping to the previous or next change
 * from a moment is an index seek, not a walk of the whole log. */
static int migrate_v12(struct store *s, struct cf_err *err)
{
	static const struct add_column kase[] = {
		{ "open_at", "ALTER TABLE case_info ADD COLUMN \"open_at\" TEXT" },
	};
	int rc = ADD_COLUMNS(s, "case_info", kase, err);
	return rc < 0 ? rc : exec(s, "CREATE INDEX IF NOT EXISTS op_at ON op(at);", err);
}

/* Version 13 (signed operations): the signer's Ed25519 key and its signature, NULL for an
 * operation made without an identity (every one before signing began). */
static int migrate_v13(struct store *s, struct cf_err *err)
{
	static const struct add_column add[] = {
		{ "signer", "ALTER TABLE op ADD COLUMN signer TEXT" },
		{ "sig", "ALTER TABLE op ADD COLUMN sig TEXT" },
	};
	return ADD_COLUMNS(s, "op", add, err);
}

/* Version 14 (membership): the members of the case, who may sign its operations
 * (store/member.c).  Made only when missing: migrate_v1 makes it for a new case. */
static int migrate_v14(struct store *s, struct cf_err *err)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT 1 FROM sqlite_master WHERE type = 'table'"
				      " AND name = 'member'", err);
	int have;

	if (!st)
		return CF_EDB;
	have = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	return have ? 0 : exec(s, kind_sql(CF_MEMBER)->create, err);
}

/* Version 15 (time travel): each kind's own date (an event's learned, an estimate's as_of, ...)
 * indexed where it is set, so that stepping through what had been learned reads the records
 * that have one, not every record (store/view_step.c). */
static int migrate_v15(struct store *s, struct cf_err *err)
{
	return exec(s, "CREATE INDEX IF NOT EXISTS event_learned ON event(learned)"
		       " WHERE learned IS NOT NULL;"
		       "CREATE INDEX IF NOT EXISTS estimate_as_of ON estimate(as_of)"
		       " WHERE as_of IS NOT NULL;"
		       "CREATE INDEX IF NOT EXISTS evidence_collected_at ON evidence(collected_at)"
		       " WHERE collected_at IS NOT NULL;"
		       "CREATE INDEX IF NOT EXISTS custody_at ON custody(at) WHERE at IS NOT NULL;"
		       "CREATE INDEX IF NOT EXISTS note_at ON note(at) WHERE at IS NOT NULL;"
		       "CREATE INDEX IF NOT EXISTS notice_sent ON notice(sent) WHERE sent IS NOT NULL;",
		    err);
}

static int (*const migrations[])(struct store *, struct cf_err *) = {
	migrate_v1, migrate_v2, migrate_v3, migrate_v4, migrate_v5, migrate_v6, migrate_v7,
	migrate_v8, migrate_v9, migrate_v10, migrate_v11, migrate_v12, migrate_v13,
	migrate_v14, migrate_v15,
};
#define SCHEMA_VERSION ((int)(sizeof(migrations) / sizeof(migrations[0])))

static int pragma_int(struct store *s, const char *sql, int *out)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
	if (rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		*out = sqlite3_column_int(st, 0);
	else
		rc = rc == SQLITE_OK ? sqlite3_errcode(s->db) : rc;
	sqlite3_finalize(st);
	return rc == SQLITE_OK ? 0 : -1;
}

/* Reads the schema version; refuses, without writing anything, a file that is not ours
 * (another program's database, a corrupt file) or one from a newer casefile. */
static int schema_check_version(struct store *s, int *version, struct cf_err *err)
{
	int app = 0, tables = 0;

	if (pragma_int(s, "PRAGMA user_version", version) < 0 ||
	    pragma_int(s, "PRAGMA application_id", &app) < 0 ||
	    pragma_int(s, "SELECT count(*) FROM sqlite_master", &tables) < 0)
		return store_db_error(s, err, "read schema version");
	if (app != CF_APPLICATION_ID && (*version != 0 || tables != 0))
		return cf_error(err, CF_EFOREIGN, "%s/%s: not a casefile database", s->dir,
				CF_DB_NAME);
	if (*version > SCHEMA_VERSION)
		return cf_error(err, CF_EDB,
				"%s/%s: schema version %d is newer than this casefile (%d)", s->dir,
				CF_DB_NAME, *version, SCHEMA_VERSION);
	return 0;
}

static int schema_check(struct store *s, struct cf_err *err)
{
	int version;
	return schema_check_version(s, &version, err);
}

int store_schema_migrate(struct store *s, struct cf_err *err)
{
	int version = 0, rc;
	char sql[64];

	if ((rc = schema_check_version(s, &version, err)) < 0)
		return rc;
	if (version == SCHEMA_VERSION)
		return 0;
	if ((rc = store_begin(s, err)) < 0)
		return rc;
	for (int v = version; v < SCHEMA_VERSION; v++)
		if ((rc = migrations[v](s, err)) < 0)
			goto fail;
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", SCHEMA_VERSION);
	if ((rc = exec(s, sql, err)) < 0)
		goto fail;
	snprintf(sql, sizeof(sql), "PRAGMA application_id = %d", CF_APPLICATION_ID);
	if ((rc = exec(s, sql, err)) < 0)
		goto fail;
	return store_commit(s, err);
fail:
	store_rollback(s);
	return rc;
}

/* ---- open and create ---- */

/* Write-ahead log: readers never block the writer.  Set only once the file is known to be
 * ours, since switching a foreign database to WAL would rewrite its header.
 *
 * Each commit is synced to the log (synchronous FULL): a record the command line said it
 * added survives a power cut.  The log is not checkpointed at every close (that was three
 * more fsyncs, half of a one-record command); store_close folds it into the database once
 * it passes WAL_KEEP_BYTES, so the next process has little to read back. */
static int set_wal(struct store *s, struct cf_err *err)
{
	if (sqlite3_exec(s->db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL) != SQLITE_OK)
		return store_db_error(s, err, "set journal mode");
	s->wal_mode = 1;
	sqlite3_db_config(s->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
	return exec(s, "PRAGMA synchronous = FULL", err);
}

/* A read-only case: opened read-only; when SQLite cannot read it so (a WAL database whose -shm
 * file cannot be made, on a CD) and no write-ahead log holds changes, as immutable. */
static int open_read_only(struct store *s, const char *path)
{
	int flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI;
	char wal[PATH_MAX + 8], uri[3 * PATH_MAX + 32];
	struct stat sb;
	size_t n = 0;
	int rc = sqlite3_open_v2(path, &s->db, flags & ~SQLITE_OPEN_URI, NULL);

	if (rc == SQLITE_OK &&
	    sqlite3_exec(s->db, "SELECT count(*) FROM sqlite_master", NULL, NULL, NULL) == SQLITE_OK)
		return SQLITE_OK;
	snprintf(wal, sizeof(wal), "%s-wal", path);
	if (stat(wal, &sb) == 0 && sb.st_size > 0)
		return rc == SQLITE_OK ? SQLITE_CANTOPEN : rc;
	sqlite3_close(s->db);
	s->db = NULL;
	n = (size_t)snprintf(uri, sizeof(uri), "file:");
	for (const unsigned char *p = (const unsigned char *)path; *p && n + 4 < sizeof(uri); p++)
		n += (size_t)(strchr("?#%", *p) || *p < 0x21 || *p > 0x7e
				      ? snprintf(uri + n, sizeof(uri) - n, "%%%02X", *p)
				      : snprintf(uri + n, sizeof(uri) - n, "%c", *p));
	snprintf(uri + n, sizeof(uri) - n, "?immutable=1");
	return sqlite3_open_v2(uri, &s->db, flags, NULL);
}

static int open_db(const char *dir, int create, struct store **out, struct cf_err *err)
{
	char path[PATH_MAX];
	struct store *s;
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);

	if (snprintf(path, sizeof(path), "%s/%s", dir, CF_DB_NAME) >= (int)sizeof(path))
		return cf_error(err, CF_EINVAL, "%s: path too long", dir);
	if (!create && access(path, F_OK) != 0)
		return cf_error(err, CF_ENOTFOUND, "%s: no case here (no %s)", dir, CF_DB_NAME);
	if (!create && access(path, R_OK) != 0)
		return cf_error(err, CF_EIO, "%s: %s", path, strerror(errno));
	s = xcalloc(1, sizeof(*s));
	if (!s)
		return cf_error(err, CF_ERR, "out of memory");
	s->dir = xstrdup(dir);
	/* A case that cannot be written (SQLite's write-ahead log lives beside the database, so
	 * the directory counts too) opens read-only rather than failing at its first write. */
	if (!create && store_readonly_reason(dir, s->ro_why, sizeof(s->ro_why))) {
		s->read_only = 1;
		flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX;
	}
	if (s->read_only ? open_read_only(s, path) != SQLITE_OK
			 : sqlite3_open_v2(path, &s->db, flags, NULL) != SQLITE_OK) {
		int rc = cf_error(err, CF_EDB, "%s: %s", path,
				  s->db ? sqlite3_errmsg(s->db) : "cannot open");
		store_close(s);
		return rc;
	}
	sqlite3_extended_result_codes(s->db, 0);
	sqlite3_busy_timeout(s->db, 10000);
	sqlite3_db_config(s->db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	sqlite3_db_config(s->db, SQLITE_DBCONFIG_ENABLE_FKEY, 1, NULL);
	if (exec(s, "PRAGMA foreign_keys = ON", err) < 0 ||
	    (create && set_wal(s, err) < 0)) {
		int rc = store_db_error(s, err, path);
		store_close(s);
		return rc;
	}
	*out = s;
	return 0;
}

/* A database migrated up from an empty file has no replica yet: it gets one, so it opens. */
static int new_replica(struct store *s, struct cf_err *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = store_begin(s, err)) < 0)
		return rc;
	cf_new_id(s->replica);
	st = store_stmt(s, "INSERT OR IGNORE INTO meta(key, value) VALUES ('replica', ?1)", err);
	if (!st) {
		store_rollback(s);
		return CF_EDB;
	}
	sqlite3_bind_text(st, 1, s->replica, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE) {
		rc = store_db_error(s, err, "write replica id");
		store_rollback(s);
		return rc;
	}
	sqlite3_reset(st);
	return store_commit(s, err);
}

static int load_meta(struct store *s, struct cf_err *err)
{
	sqlite3_stmt *st = store_stmt(s, "SELECT value FROM meta WHERE key = 'replica'", err);
	if (!st)
		return CF_EDB;
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_reset(st);
		return new_replica(s, err);
	}
	if (col_copy(s->replica, sizeof(s->replica), st, 0, err) < 0) {
		sqlite3_reset(st);
		return CF_EDB;
	}
	sqlite3_reset(st);
	st = store_stmt(s, "SELECT tz FROM case_info LIMIT 1", err);
	if (!st)
		return CF_EDB;
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		s->tz = xstrdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	return 0;
}

int store_open(const char *dir, struct store **out, struct cf_err *err)
{
	struct store *s = NULL;
	int rc = open_db(dir, 0, &s, err);

	if (rc < 0)
		return rc;
	if ((rc = schema_check(s, err)) < 0 || (!s->read_only && (rc = set_wal(s, err)) < 0) ||
	    (rc = store_schema_migrate(s, err)) < 0 || (rc = load_meta(s, err)) < 0) {
		store_close(s);
		return rc;
	}
	*out = s;
	return 0;
}

int cf_mkdir_private(const char *dir, struct cf_err *err)
{
	char path[PATH_MAX];

	if (mkdir(dir, 0700) == 0 || errno == EEXIST)
		return 0;
	/* Create missing parents, as mkdir -p, so $XDG_DATA_HOME/casefile/demo works. */
	cf_strlcpy(path, dir, sizeof(path));
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0700) < 0 && errno != EEXIST)
			return cf_error(err, CF_EIO, "%s: %s", path, strerror(errno));
		*p = '/';
	}
	if (mkdir(dir, 0700) < 0 && errno != EEXIST)
		return cf_error(err, CF_EIO, "%s: %s", dir, strerror(errno));
	return 0;
}

static int make_case_dir(const char *dir, struct cf_err *err)
{
	char path[PATH_MAX];
	struct stat sb;
	int rc;

	if ((rc = cf_mkdir_private(dir, err)) < 0)
		return rc;
	if (stat(dir, &sb) < 0 || !S_ISDIR(sb.st_mode))
		return cf_error(err, CF_EIO, "%s: not a directory", dir);
	if (chmod(dir, 0700) < 0)
		return cf_error(err, CF_EIO, "%s: %s", dir, strerror(errno));
	snprintf(path, sizeof(path), "%s/%s", dir, CF_DB_NAME);
	if (access(path, F_OK) == 0)
		return cf_error(err, CF_EINVAL, "%s: a case already exists here", dir);
	/* Create the file 0600 before SQLite does, so personal data is never world-readable. */
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd < 0)
		return cf_error(err, CF_EIO, "%s: %s", path, strerror(errno));
	close(fd);
	return 0;
}

/* make_case_dir succeeded, so the database file is ours: leave nothing half-made. */
static void unlink_db(const char *dir)
{
	char path[PATH_MAX];

	for (size_t i = 0; i < 3; i++) {
		static const char *const suffix[] = { "", "-wal", "-shm" };
		snprintf(path, sizeof(path), "%s/%s%s", dir, CF_DB_NAME, suffix[i]);
		unlink(path);
	}
}

/* The values of a new case, checked before anything is made on disk: a bad --tz or
 * --discovered leaves no directory behind. */
static int check_case_init(const struct cf_case_init *ci, struct cf_err *err)
{
	const struct cf_kind_info *ki = cf_kind_info(CF_CASE);
	const char *const given[][2] = {
		{ "title", ci->title }, { "codename", ci->codename },
		{ "discovered", ci->discovered }, { "marking", ci->marking }, { "tz", ci->tz },
		{ "rule_packs", ci->rule_packs }, { "org_type", ci->org_type },
	};

	for (size_t i = 0; i < sizeof(given) / sizeof(given[0]); i++) {
		int idx = cf_field_index(ki, given[i][0]);
		if (idx >= 0 && cf_field_validate(&ki->fields[idx], given[i][1], err) < 0)
			return CF_EINVAL;
	}
	return 0;
}

int store_create(const char *dir, const struct cf_case_init *ci, const char *author,
		 struct store **out, struct cf_err *err)
{
	struct store *s = NULL;
	struct cf_record c;
	int rc;
	mode_t old_mask;

	if ((rc = check_case_init(ci, err)) < 0 || (rc = make_case_dir(dir, err)) < 0)
		return rc;
	old_mask = umask(077); /* the -wal and -shm files too */
	rc = open_db(dir, 1, &s, err);
	umask(old_mask);
	if (rc < 0)
		goto fail_unlink;
	if ((rc = store_schema_migrate(s, err)) < 0)
		goto fail;
	cf_new_id(s->replica);
	store_set_author(s, author);
	store_set_clock(s, ci->clock);
	if (ci->identity && (rc = store_set_identity(s, ci->identity, err)) < 0)
		goto fail;
	if (ci->tz)
		s->tz = xstrdup(ci->tz);

	cf_record_init(&c, CF_CASE);
	rc = cf_record_set(&c, "title", ci->title ? ci->title : "Untitled case", err);
	if (!rc && ci->codename)
		rc = cf_record_set(&c, "codename", ci->codename, err);
	if (!rc && ci->discovered)
		rc = cf_record_set(&c, "discovered", ci->discovered, err);
	if (!rc)
		rc = cf_record_set(&c, "marking", ci->marking ? ci->marking : "CUI//SP-PRVCY", err);
	if (!rc)
		rc = cf_record_set(&c, "tz", ci->tz ? ci->tz : "UTC", err);
	if (!rc)
		rc = cf_record_set(&c, "status", "investigating", err);
	if (!rc && ci->org_type)
		rc = cf_record_set(&c, "org_type", ci->org_type, err);
	if (!rc)
		rc = cf_record_set(&c, "rule_packs", ci->rule_packs ? ci->rule_packs : ci->org_type &&
				   !strcmp(ci->org_type, "federal-agency") ? "federal" : "none", err);
	if (!rc)
		rc = store_begin(s, err);
	if (!rc) {
		sqlite3_stmt *st = store_stmt(s, "INSERT INTO meta(key, value) VALUES ('replica', ?1)",
					      err);
		if (!st)
			rc = CF_EDB;
		else if (bind_text(st, 1, s->replica), sqlite3_step(st) != SQLITE_DONE)
			rc = store_db_error(s, err, "write replica id");
		if (!rc)
			rc = record_add(s, &c, err);
		if (!rc && ci->identity)
			rc = member_add_creator(s, ci->identity, err);
		if (!rc)
			rc = store_commit(s, err);
		else
			store_rollback(s);
	}
	cf_record_release(&c);
	store_set_clock(s, NULL);
	if (rc < 0)
		goto fail;
	*out = s;
	return 0;
fail:
	store_close(s);
fail_unlink:
	unlink_db(dir);
	return rc;
}

int store_create_replica(const char *dir, const char *author, struct store **out,
			 struct cf_err *err)
{
	struct store *s = NULL;
	mode_t old_mask;
	int rc;

	if ((rc = make_case_dir(dir, err)) < 0)
		return rc;
	old_mask = umask(077);
	rc = open_db(dir, 1, &s, err);
	umask(old_mask);
	if (rc == 0 && (rc = store_schema_migrate(s, err)) == 0 &&
	    (rc = new_replica(s, err)) == 0) {
		store_set_author(s, author);
		*out = s;
		return 0;
	}
	store_close(s);
	unlink_db(dir);
	return rc;
}

/* Folds a log grown past WAL_KEEP_BYTES into the database and empties it.  Waits at most a
 * moment for other processes: if one is busy, a later close will do it. */
static void fold_wal(struct store *s)
{
	char path[PATH_MAX];
	struct stat sb;

	if (snprintf(path, sizeof(path), "%s/%s-wal", s->dir, CF_DB_NAME) >= (int)sizeof(path) ||
	    stat(path, &sb) < 0 || sb.st_size <= WAL_KEEP_BYTES)
		return;
	sqlite3_busy_timeout(s->db, 250);
	sqlite3_wal_checkpoint_v2(s->db, "main", SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
}

void store_close(struct store *s)
{
	if (!s)
		return;
	view_query_release(s);
	for (size_t i = 0; i < STMT_CACHE; i++)
		if (s->cache[i].stmt)
			sqlite3_finalize(s->cache[i].stmt);
	if (s->db && s->wal_mode)
		fold_wal(s);
	if (s->db)
		sqlite3_close(s->db);
	free(s->dir);
	free(s->author);
	free(s->tz);
	free(s->clock);
	free(s->view);
	rules_free(s->rules);
	store_set_identity(s, NULL, NULL);
	member_set_free(&s->members);
	free(s);
}

int store_find_dir(const char *start, char *dir, size_t len, struct cf_err *err)
{
	char path[PATH_MAX], probe[PATH_MAX + 32];

	if (!realpath(start, path))
		return cf_error(err, CF_ENOTFOUND, "%s: %s", start, strerror(errno));
	for (;;) {
		snprintf(probe, sizeof(probe), "%s/%s", path, CF_DB_NAME);
		if (access(probe, F_OK) == 0) {
			cf_strlcpy(dir, path, len);
			return 0;
		}
		char *slash = strrchr(path, '/');
		if (!slash || slash == path) {
			if (strcmp(path, "/") == 0)
				break;
			snprintf(path, sizeof(path), "/");
			continue;
		}
		*slash = '\0';
	}
	return cf_error(err, CF_ENOTFOUND,
			"no case found here or above (use -C DIR, CASEFILE_DIR, or casefile init)");
}

const char *store_dir(const struct store *s) { return s->dir; }
const char *store_replica(const struct store *s) { return s->replica; }
const char *store_author(const struct store *s) { return s->author ? s->author : "unknown"; }
struct sqlite3 *store_db(struct store *s) { return s->db; }

void store_set_clock(struct store *s, const char *iso)
{
	free(s->clock);
	s->clock = iso ? xstrdup(iso) : NULL;
}

static int open_private(const char *name, struct store **out, struct cf_err *err)
{
	struct store *s = xcalloc(1, sizeof(*s));
	int rc;

	s->dir = xstrdup(":memory:");
	if (sqlite3_open_v2(name, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
	    SQLITE_OK) {
		store_close(s);
		return cf_error(err, CF_EDB, "cannot open an in-memory database");
	}
	if ((rc = store_schema_migrate(s, err)) < 0) {
		store_close(s);
		return rc;
	}
	*out = s;
	return 0;
}

int store_open_memory(struct store **out, struct cf_err *err)
{
	return open_private(":memory:", out, err);
}

int store_open_scratch(struct store **out, struct cf_err *err)
{
	/* SQLite's private temporary database: pages past its cache go to a file deleted on
	 * close, so a replay of the whole log holds a few MiB, not the case. */
	return open_private("", out, err);
}

int store_scratch_by_id(struct store *s, struct cf_err *err)
{
	for (int k = 0; k < CF_KIND_COUNT; k++)
		if (exec(s, kind_sql((enum cf_kind)k)->drop_order, err) < 0)
			return CF_EDB;
	return exec(s, "DROP INDEX IF EXISTS event_kind_order", err);
}

void store_set_progress(struct store *s, const struct progress_sink *sink)
{
	s->progress = sink ? *sink : (struct progress_sink){ 0 };
}

const struct progress_sink *store_progress(const struct store *s)
{
	return &s->progress;
}

void store_set_author(struct store *s, const char *author)
{
	free(s->author);
	s->author = author ? xstrdup(author) : NULL;
}
