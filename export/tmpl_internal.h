/* tmpl_internal.h — private to export/tmpl_*.c: a parsed template (casefile-templates(5)) as
 * a tree of nodes whose every name was resolved against the export model when parsed, so a
 * template that parses cannot ask for anything the engine does not have. */
#ifndef CASEFILE_TMPL_INTERNAL_H
#define CASEFILE_TMPL_INTERNAL_H

#include "export/internal.h"

/* {{name}}, {{#name}} (a loop over a list, else once when present), {{^name}} (once when
 * absent or no record matches), {{?name}} (once when present or some record matches). */
enum tnode_type { TN_TEXT, TN_VAR, TN_SECTION, TN_INVERTED, TN_PRESENT };
enum tfilter { TF_NONE, TF_BLOCK, TF_WHEN, TF_UPPER, TF_COUNT };

/* What a name is, found when parsing.  Scopes: the top (the document), a record of a kind
 * (the case, a loop's record) or a change (a loop over changes). */
enum tscope { TS_TOP = -1, TS_CHANGE = CF_KIND_COUNT };
enum tname_what {
	NM_TOP,     /* a document value: IDX into tmpl_top_names */
	NM_CASE,    /* the case (an object: a section over it, or case.FIELD) */
	NM_LIST,    /* a list of records of kind IDX (or TS_CHANGE): events, estimates, ... */
	NM_FIELD,   /* field IDX of the record at LEVEL (or of the case, LEVEL -1) */
	NM_DERIVED, /* a value computed for the record at LEVEL: IDX into tmpl_derived */
	NM_SUBLIST, /* evidence's custody: the custody records of the evidence at LEVEL */
	NM_LOOP,    /* @first, @last, @index of the loop at LEVEL */
};
struct tname {
	enum tname_what what;
	int level; /* index of the frame in the render stack (0 = the top) */
	int idx;
	int kind;  /* the kind of the record named (NM_FIELD/NM_DERIVED), or a list's kind */
};

/* FIELD=V1,V2 (NEG: FIELD!=V1,V2): a record is kept when its field is (is not) one of VALS. */
struct tcond {
	struct tname field;
	int neg;
	char **vals;
	size_t nvals;
};

struct tnode {
	enum tnode_type type;
	int line, col;
	char *text; /* TN_TEXT: the bytes; otherwise the name as written */
	size_t len;
	struct tname name;
	enum tfilter filter;
	struct tcond *conds;
	size_t nconds;
	struct tnode *kids;
	size_t nkids, cap;
};

struct tmpl {
	enum tmpl_type type;
	struct tnode root; /* a section holding the whole template */
	unsigned uses_changes : 1;
};

/* Names of the document's values (NM_TOP), in their index order. */
enum {
	TOP_BANNER, TOP_AS_OF, TOP_AS_OF_DATE, TOP_TLP, TOP_PROFILE, TOP_FEDERAL, TOP_CUI,
	TOP_AMBER, TOP_CUI_CATEGORY_BANNER, TOP_CUI_LDC_BANNER, TOP_PREVIOUS, TOP_PREVIOUS_AS_OF,
	TOP_COUNT
};
extern const char *const tmpl_top_names[TOP_COUNT];

/* Values computed per record (NM_DERIVED): for KIND (-1 = every kind with a record id). */
enum {
	DV_ID, DV_CITED, DV_RANGE, DV_PEOPLE, DV_LATEST, DV_TOP, DV_UNCERTAIN, DV_DUE, DV_STATE,
	DV_INDIVIDUALS, DV_CONGRESS, DV_CONGRESS_FIRST, DV_WHAT, DV_TEXT, DV_CHANGED, DV_UPDATED,
	DV_COUNT
};
struct tderived {
	const char *name;
	int kind;     /* a cf_kind, TS_CHANGE, or -1 for any record */
	int kind2;    /* a second kind it applies to, or -2 */
	int rich;     /* written in parts (each part escaped): no filter applies */
};
extern const struct tderived tmpl_derived[DV_COUNT];

/* The lists a template loops over, by name: their kind (TS_CHANGE for changes). */
int tmpl_list_kind(const char *name);

/* Renders T over model M to OUT; 0 or a cf_rc with ERR set (export/tmpl_render.c). */
int tmpl_render(const struct tmpl *t, const struct model *m, FILE *out, struct cf_err *err);

#endif
