/* export.h — the door into export/: briefings, timelines and the case as files, and their
 * versions in the case's git repository.  Writes to a FILE *; knows no curses. */
#ifndef CASEFILE_EXPORT_H
#define CASEFILE_EXPORT_H

#include <stdint.h>
#include <stdio.h>

#include "export/git/repo.h"
#include "store/store.h"

enum export_kind {
	EXPORT_BRIEFING, /* a briefing for one audience (profile) */
	EXPORT_TIMELINE, /* the timeline: Timesketch CSV / JSONL, or a Markdown table */
	EXPORT_CASE,     /* the whole case (as the profile may see it) as JSON */
	EXPORT_CUSTODY,  /* the chain-of-custody report of every evidence item (all profiles
			  * see it whole: it is the evidence log, SP 800-61r2 3.2.2) */
	EXPORT_VERIS,    /* the case as a VERIS incident (JSON), as the profile may see it */
};

enum export_format { EXPORT_MD, EXPORT_HTML, EXPORT_JSON, EXPORT_CSV, EXPORT_JSONL, EXPORT_PDF };

/* Audiences.  A record is shown to a profile by its visibility (unset = internal) and TLP:
 *   sitrep         everything (the response team);
 *   congressional  visibility congress or public, and TLP unset, CLEAR or GREEN (AMBER too
 *                  with export_opts.tlp_amber; never RED or AMBER+STRICT);
 *   public         visibility public, and TLP unset or CLEAR. */
enum export_profile { EXPORT_CONGRESSIONAL, EXPORT_SITREP, EXPORT_PUBLIC };

/* Names as on the command line: "briefing", "md", "congressional", ...; -1 when unknown. */
int export_kind_parse(const char *name);
int export_format_parse(const char *name);
int export_profile_parse(const char *name);
const char *export_kind_name(enum export_kind k);
const char *export_format_name(enum export_format f);
const char *export_profile_name(enum export_profile p);
struct export_opts;
/* The series a committed export belongs to (reports/KIND-SERIES.FORMAT, tag
 * briefing/SERIES/vN, trailer Casefile-Profile): the template's name when one renders it,
 * else the profile's. */
const char *export_series_name(const struct export_opts *o);
/* The default format of a kind (md, csv, json, md), and whether FORMAT fits KIND. */
enum export_format export_default_format(enum export_kind k);
int export_format_fits(enum export_kind k, enum export_format f);
/* The default profile of a kind: congressional for briefings, sitrep otherwise. */
enum export_profile export_default_profile(enum export_kind k);

struct export_opts {
	enum export_kind kind;
	enum export_profile profile;
	enum export_format format;
	/* "The case as known then": a time as casefile takes it ("2019-06-05" = the end of that
	 * day in the case's zone); the case is rebuilt from the operations up to it.  NULL = all
	 * operations (the "as of" is then the time of the latest one). */
	const char *as_of;
	/* "What had been learned by then" (store.h, "time travel"): each record's own dates.
	 * Either may be NULL; neither is needed when S is already a view (store_view_open). */
	const char *known_at;
	/* Briefings: the previous version, for "Changes since the previous briefing": its
	 * mark (UTC ISO time: the operations it showed) and a label such as "v2".  NULL = none. */
	const char *prev_mark;
	const char *prev_label;
	/* Briefings without PREV_MARK: called once, when the export's mark is known (the case has
	 * been read, not yet rendered), to find the previous version: fills PREV_MARK and LABEL
	 * and returns 0, returns CF_ENOTFOUND when there is none, or fails (< 0, ERR set), which
	 * fails the export.  NULL = no previous version.  Saves reading the case twice. */
	int (*find_prev)(const char *mark, char prev_mark[CF_TIME_LEN], char label[CF_NUM_LEN], void *ctx,
			 struct cf_err *err);
	void *find_prev_ctx;
	/* Congressional briefings: AMBER records too (`--tlp amber`); otherwise a product that
	 * leaves the agency holds only TLP:CLEAR and GREEN (and unmarked) records. */
	int tlp_amber;
	/* Called for each record the profile's visibility or TLP leaves out that a reader would
	 * miss (a key event, an estimate, an event bearing on the number affected), with why;
	 * NULL = not told. */
	void (*omitted)(const struct cf_record *r, const char *why, void *ctx);
	void *omitted_ctx;
	/* PDF: A4 paper, else US Letter. */
	int paper_a4;
	/* Briefings: rendered through this user template (tmpl_parse) instead of the profile's
	 * shipped one; the profile still chooses what may be seen.  NULL = the profile's. */
	const struct tmpl *tmpl;
	const char *tmpl_name; /* with TMPL: its name, the series its committed versions form */
};

/* What an export showed: its "as of" mark (the latest operation time it includes, UTC ISO
 * with milliseconds, "" for an empty log), the number of operations up to it, and the
 * previous version its changes section compared with. */
struct export_info {
	char mark[CF_TIME_LEN];
	int64_t nops;
	char prev_mark[CF_TIME_LEN], prev_label[CF_NUM_LEN]; /* the previous version compared with, "" none */
};

/* Writes the export O of case S to OUT.  Deterministic: the same case, options and previous
 * mark give the same bytes.  INFO (may be NULL) receives the mark.  CF_EINVAL for options
 * that do not fit (a format the kind has not, a bad --as-of). */
int export_write(struct store *s, const struct export_opts *o, FILE *out,
		 struct export_info *info, struct cf_err *err);

/* ---- templates (export/tmpl_*.c, casefile-templates(5)) ---------------------------------- */

/* A template writes one format, said by its file name's ending: NAME.md (Markdown: exported
 * as md, html or pdf), NAME.html (html only), NAME.csv (csv only). */
enum tmpl_type { TMPL_MD, TMPL_HTML, TMPL_CSV };
/* Bounds: a bigger template, a deeper nesting or a longer tag is refused when parsed. */
#define TMPL_MAX_BYTES (256 * 1024)
#define TMPL_MAX_DEPTH 16
#define TMPL_MAX_TAG 512
/* A template's name: letters, digits, '-' and '_', at most this long (no path: a name never
 * reaches a file outside the template directories). */
#define TMPL_NAME_LEN 64

struct tmpl;
/* Parses TEXT (LEN bytes) of type TYPE; FILE names it in errors, which read
 * "FILE:LINE:COLUMN: reason" (columns in characters, from 1).  CF_EINVAL on any error (an
 * unknown name, an unclosed section, a filter that does not apply, ...). */
int tmpl_parse(const char *file, const char *text, size_t len, enum tmpl_type type,
	       struct tmpl **out, struct cf_err *err);
void tmpl_free(struct tmpl *t);
enum tmpl_type tmpl_get_type(const struct tmpl *t);
/* The type of a file by its ending (".md", ".html", ".csv"); -1 for another. */
int tmpl_type_of(const char *path);
const char *tmpl_type_ext(enum tmpl_type type);
/* Whether an export in format F can be written from a template of TYPE. */
int tmpl_format_fits(enum tmpl_type type, enum export_format f);
/* Reads and parses the template file PATH (at most TMPL_MAX_BYTES, its type by its ending). */
int tmpl_load_file(const char *path, struct tmpl **out, struct cf_err *err);

/* Where templates are found, first first: the case's repository (templates/ on its main
 * branch, shared by sync), the user's ($XDG_CONFIG_HOME/casefile/templates, default
 * ~/.config), the shipped ones ($CASEFILE_TEMPLATES_DIR, else DATADIR/templates, else beside
 * the binary). */
enum tmpl_where { TMPL_IN_CASE, TMPL_IN_USER, TMPL_SHIPPED, TMPL_WHERE_COUNT };
const char *tmpl_where_name(enum tmpl_where w);
struct tmpl_entry {
	char name[TMPL_NAME_LEN + 1];
	enum tmpl_type type;
	enum tmpl_where where;
	char origin[PATH_MAX + CF_PATH_EXTRA]; /* a file's path, or "casefile.git:templates/F" */
	int shadowed; /* a template of the same name found earlier hides this one */
	size_t size;  /* in the case's repository: its size (read before its contents) */
};
/* The directories: DIRS[TMPL_IN_USER] and DIRS[TMPL_SHIPPED] ("" when unknown). */
void tmpl_dirs(char user[PATH_MAX], char shipped[PATH_MAX]);
/* Every template of the three places, in lookup order then by name, into CB (non-zero
 * stops).  CASE_DIR NULL: no case.  A file whose name is not a template's is skipped. */
typedef int (*tmpl_entry_cb)(const struct tmpl_entry *e, void *ctx);
int tmpl_list(const char *case_dir, tmpl_entry_cb cb, void *ctx, struct cf_err *err);
/* Finds NAME (the first in lookup order) and reads it: *TEXT (free it), *LEN, E.
 * CF_ENOTFOUND naming the places looked in; CF_EINVAL for a name that is not one. */
int tmpl_find(const char *case_dir, const char *name, char **text, size_t *len,
	      struct tmpl_entry *e, struct cf_err *err);
/* tmpl_find then tmpl_parse (errors naming the template's origin). */
int tmpl_open(const char *case_dir, const char *name, struct tmpl **out,
	      struct tmpl_entry *e, struct cf_err *err);
/* The shipped template NAME only (the built-in profiles are these). */
int tmpl_open_shipped(const char *name, struct tmpl **out, struct cf_err *err);

/* ---- an estimate category's revisions as numbers (export/series.c) ------------------------
 * The one source of what the briefing's chart of a category (export/chart.c) and the TUI's
 * Population chart (tui/chart.c) draw.  A category's estimates are added in as-of order (the
 * store's order and the export model's); each becomes a point. */

#define SERIES_RANGE_LEN 128 /* "10,000 to 99,999, best 50,000" */

struct series_point {
	char id[CF_ID_LEN + 1];
	char *as_of;                  /* as entered */
	long long low, best, high;    /* -1 when unset */
	long long bar_from, bar_to;   /* the bar drawn: low (or 0) up to high (or low); -1: none */
	long long at;                 /* where its words go: best, else high, else low (-1) */
	char range[SERIES_RANGE_LEN]; /* its numbers in words: "at least 1,000" */
};
struct series {
	struct series_point *v;
	size_t n, cap;
	long long max; /* the largest number of any point: the scale's top (0: nothing to draw) */
};
void series_add(struct series *s, const struct cf_record *estimate);
void series_release(struct series *s);
/* Tick K of N evenly spaced on the scale, from 0 to its top (both included). */
long long series_tick(const struct series *s, int k, int n);
/* A count with thousands separators: "184,000". */
void series_count_text(char *buf, size_t len, long long n);

/* ---- an output file (export/outfile.c): the one writer of every -o FILE ------------------- */

/* Every file casefile writes with case data in it (exports, reports, the custody report) is
 * created with this mode, whatever the umask: it may hold personal data. */
#define EXPORT_FILE_MODE 0600

/* A file being written: a temporary file beside PATH (same file system, so the rename is
 * atomic), mode EXPORT_FILE_MODE, renamed over PATH only when complete and on disk. */
struct export_file {
	char tmp[PATH_MAX + CF_PATH_EXTRA];
	const char *path;
	FILE *f; /* write here */
	int fd;
};
/* Creates the temporary file (so that a PATH that cannot be written fails before anything
 * else is done).  CF_EINVAL (path too long) or CF_EIO naming PATH; nothing left behind. */
int export_file_open(struct export_file *o, const char *path, struct cf_err *err);
/* Finishes the file: RC < 0 (what was written failed) or any write error removes the
 * temporary file and leaves PATH as it was (returning the error); otherwise flush, fsync,
 * rename over PATH, fsync the directory. */
int export_file_close(struct export_file *o, int rc, struct cf_err *err);

/* ---- versions in git (export/reports.c) -------------------------------------------------- */

/* A Reports screen needs no curses from here: open the repository with repo_open (CF_ENOTFOUND:
 * no version yet), list the versions with reports_log, show one with reports_changed_path and
 * repo_read (or a path from reports_path), and diff any two (by their oids) with
 * reports_diff_lines, which hands over typed, numbered lines already safe to draw.  Every
 * call only reads; the repository may be written meanwhile by another process (a commit, a
 * sync): read again to refresh. */

/* The reports/ path of an export: reports/KIND-PROFILE.FORMAT, e.g.
 * reports/briefing-congressional.md, reports/timeline-sitrep.csv (one path per kind, profile
 * and format: versions are commits). */
void reports_path(const struct export_opts *o, char *buf, size_t len);

/* The latest committed version of O's kind and profile whose mark is before MARK ("" or NULL
 * = the latest of all): its mark into PREV_MARK and its label ("v3") into LABEL.  Returns 0
 * when found, CF_ENOTFOUND when there is none (or no repository). */
int reports_previous(struct cf_repo *r, const struct export_opts *o, const char *mark,
		     char prev_mark[CF_TIME_LEN], char label[CF_NUM_LEN], struct cf_err *err);

struct reports_commit_out {
	char oid[CF_OID_HEX];
	char tag[CF_PHRASE_LEN];     /* briefings: the tag made ("briefing/congressional/v3"), else "" */
	int version;      /* 1, 2, ... per kind and profile */
	char path[PATH_MAX];
	int unchanged;    /* the report was already committed as is: no new version */
};

/* Exports O and commits it under reports/ on main (with the Markdown beside an HTML
 * briefing), the message naming the kind, profile, version and mark, with trailers
 * Casefile-Kind, Casefile-Profile, Casefile-Version, Casefile-As-Of, Casefile-Ops.  Each
 * briefing version is tagged.  "Changes since the previous briefing" is computed against the
 * previous committed version.  AUTHOR as repo_commit's. */
int reports_commit(struct store *s, struct cf_repo *r, const struct export_opts *o,
		   const char *author, struct reports_commit_out *out, struct cf_err *err);

/* PATH at REV (NULL = main) of report versions, as repo_read reads it; in a sealed case
 * (export/seal.h) opened with the keys of S's identity (CF_ETAMPER, CF_EAUTH naming PATH
 * when it cannot be). */
int reports_read(struct store *s, struct cf_repo *r, const char *rev, const char *path,
		 char **data, size_t *len, struct cf_err *err);

struct reports_version {
	char oid[CF_OID_HEX];
	char kind[CF_NAME_LEN], profile[TMPL_NAME_LEN + 1]; /* a profile's or a template's name */
	int version;
	char mark[CF_TIME_LEN];    /* the export's mark: its latest operation (UTC ISO ms) */
	char format[CF_NAME_LEN];  /* what it was exported as: "md", "pdf", ... ("" unknown) */
	int64_t time;     /* commit time, UTC seconds */
	char summary[CF_PHRASE_LEN]; /* the commit's first line */
};
typedef int (*reports_version_cb)(const struct reports_version *v, void *ctx);
/* The report versions (commits touching reports/), newest first, one call of CB each (a
 * Reports screen lists these).  KIND, PROFILE, VERSION and MARK come from the commit's
 * trailers (FORMAT from Casefile-Format, or for a version made before that trailer from the
 * message's "Export of PATH as FORMAT" line): a commit made by plain git has KIND "" and
 * VERSION 0.  A briefing version is also
 * the tag briefing/PROFILE/vVERSION.  The text fields are safe to draw (valid UTF-8, controls
 * and bidi overrides replaced by U+FFFD: a commit may come from anyone's clone).  CB
 * returning non-zero stops the walk (that value is returned).  0 with no call when there is
 * no version yet. */
int reports_log(struct cf_repo *r, reports_version_cb cb, void *ctx, struct cf_err *err);

/* ---- what changed between two versions: for the CLI and for a Reports screen ------------- */

enum reports_line_type {
	REPORTS_LINE_FILE,    /* a file header line: "diff --git a/P b/P", "--- a/P", "+++ b/P" */
	REPORTS_LINE_HUNK,    /* "@@ -12,7 +12,9 @@ ...": where the next lines are */
	REPORTS_LINE_CONTEXT, /* unchanged (in A and in B) */
	REPORTS_LINE_ADD,     /* only in B */
	REPORTS_LINE_DEL,     /* only in A */
	REPORTS_LINE_NOTE,    /* "\ No newline at end of file", binary-file notes */
};

/* One line of a unified diff.  TEXT (LEN bytes, NUL-terminated, no newline, without the
 * +/-/space prefix of the diff format) is safe to draw: valid UTF-8 with every control
 * character except tab, every C1 control and every bidi override replaced by U+FFFD (a
 * repository may come from anyone).  OLD_LINE / NEW_LINE: the line's number in A / in B
 * (from 1), 0 when it is not on that side or for header and note lines.  PATH: the report
 * file the line belongs to.  TEXT and PATH are valid only during the callback. */
struct reports_line {
	enum reports_line_type type;
	const char *path;
	const char *text;
	size_t len;
	int old_line, new_line;
};
typedef int (*reports_line_cb)(const struct reports_line *l, void *ctx);

/* The unified diff (3 lines of context) of reports/ from revision A to revision B, line by
 * line in order into CB.  A and B are anything repo_resolve takes (a version's oid from
 * reports_log, a tag "briefing/congressional/v2", "main~1").  B NULL = the latest version;
 * A NULL = the previous version of the same report (kind and profile) as B, and then only
 * that report's files are compared (a first version is compared with nothing: all added).
 * With both given, everything under reports/ is compared.  A == B gives no lines.
 * CB returning non-zero stops the walk and that value is returned.  CF_ENOTFOUND (message
 * naming it) for a revision that names no commit or when there is no version yet; CF_EIO
 * when libgit2 fails.  Reads only: nothing is written to the repository. */
int reports_diff_lines(struct store *s, struct cf_repo *r, const char *a, const char *b,
		       reports_line_cb cb,
		       void *ctx, struct cf_err *err);

/* reports_diff_lines printed to OUT as `git diff` prints it ("+", "-", " " prefixes);
 * COLOR adds ANSI colors (bold file headers, cyan hunks, green additions, red deletions). */
int reports_diff(struct store *s, struct cf_repo *r, const char *a, const char *b, int color,
		 FILE *out,
		 struct cf_err *err);

/* The files of reports/ that commit REV changed (first, in path order) into PATH; for
 * "reports show REV" without a path.  CF_ENOTFOUND when it changed none. */
int reports_changed_path(struct cf_repo *r, const char *rev, char *path, size_t len,
			 struct cf_err *err);

#endif
