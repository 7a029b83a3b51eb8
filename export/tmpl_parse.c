/* tmpl_parse.c — the template language's parser (casefile-templates(5)): text, {{name}},
 * {{name|filter}}, {{#name cond...}}...{{/name}}, {{^name cond...}}...{{/name}},
 * {{?name cond...}}...{{/name}}, {{! note}}.
 * Every name is resolved here against what the export model has, so every mistake is an
 * error "FILE:LINE:COLUMN: reason" before anything is rendered; nothing here can name a file
 * or a command: there is no include, no unescaped value and no expression. */
#include "export/tmpl_internal.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

const char *const tmpl_top_names[TOP_COUNT] = {
	"banner", "as_of", "as_of_date", "tlp", "profile", "federal", "cui", "amber",
	"cui_category_banner", "cui_ldc_banner", "previous", "previous_as_of",
};

const struct tderived tmpl_derived[DV_COUNT] = {
	[DV_ID] = { "id", -1, -2, 0 },
	[DV_CITED] = { "cited", CF_EVENT, CF_ESTIMATE, 1 },
	[DV_RANGE] = { "range", CF_ESTIMATE, -2, 1 },
	[DV_PEOPLE] = { "people", CF_ESTIMATE, -2, 0 },
	[DV_LATEST] = { "latest", CF_ESTIMATE, -2, 0 },
	[DV_TOP] = { "top", CF_ESTIMATE, -2, 0 },
	[DV_UNCERTAIN] = { "uncertain", CF_ESTIMATE, -2, 0 },
	[DV_DUE] = { "deadline", CF_NOTICE, -2, 0 },
	[DV_STATE] = { "state", CF_NOTICE, -2, 0 },
	[DV_INDIVIDUALS] = { "individuals", CF_NOTICE, -2, 0 },
	[DV_CONGRESS] = { "congress", CF_NOTICE, -2, 0 },
	[DV_CONGRESS_FIRST] = { "congress_first", CF_NOTICE, -2, 0 },
	[DV_WHAT] = { "what", TS_CHANGE, -2, 0 },
	[DV_TEXT] = { "text", TS_CHANGE, -2, 1 },
	[DV_CHANGED] = { "changed", TS_CHANGE, -2, 0 },
	[DV_UPDATED] = { "updated", TS_CHANGE, -2, 0 },
};

static const struct {
	const char *name;
	int kind;
} lists[] = {
	{ "events", CF_EVENT }, { "estimates", CF_ESTIMATE }, { "notices", CF_NOTICE },
	{ "evidence", CF_EVIDENCE }, { "custody", CF_CUSTODY }, { "tasks", CF_TASK },
	{ "notes", CF_NOTE }, { "changes", TS_CHANGE },
};

static const char *const filter_names[] = { "", "block", "when", "upper", "count" };

int tmpl_list_kind(const char *name)
{
	for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++)
		if (!strcmp(lists[i].name, name))
			return lists[i].kind;
	return -1;
}

/* A frame of the scope stack while parsing: what names mean inside a section. */
struct pframe {
	int scope;     /* TS_TOP, a cf_kind or TS_CHANGE */
	int loop;      /* a loop over a list (@first... apply; no list loop inside) */
	const struct tnode *node;
};

struct parser {
	const char *file, *text, *end;
	enum tmpl_type type;
	struct pframe frames[TMPL_MAX_DEPTH + 1];
	int nframes;
	struct cf_err *err;
	struct tmpl *t;
};

/* The line and column (in characters, from 1) of P. */
static void where(const struct parser *ps, const char *p, int *line, int *col)
{
	*line = 1;
	*col = 1;
	for (const char *q = ps->text; q < p; q++) {
		if (*q == '\n') {
			++*line;
			*col = 1;
		} else if (((unsigned char)*q & 0xC0) != 0x80) {
			++*col;
		}
	}
}

__attribute__((format(printf, 3, 4))) static int fail(struct parser *ps, const char *at,
						      const char *fmt, ...)
{
	char msg[CF_MSG_LEN];
	va_list ap;
	int line, col;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	where(ps, at, &line, &col);
	return cf_error(ps->err, CF_EINVAL, "%s:%d:%d: %s", ps->file, line, col, msg);
}

static struct tnode *add_node(struct tnode *parent, enum tnode_type type)
{
	if (parent->nkids == parent->cap) {
		parent->cap = parent->cap ? parent->cap * 2 : 8;
		parent->kids = xrealloc(parent->kids, parent->cap * sizeof(*parent->kids));
	}
	memset(&parent->kids[parent->nkids], 0, sizeof(parent->kids[0]));
	parent->kids[parent->nkids].type = type;
	return &parent->kids[parent->nkids++];
}

static int is_name_char(char c, int first)
{
	return (c >= 'a' && c <= 'z') || c == '_' || (c == '@' && first) ||
	       (!first && ((c >= '0' && c <= '9') || c == '.'));
}

static int derived_of(int scope, const char *name)
{
	for (int i = 0; i < DV_COUNT; i++)
		if (!strcmp(tmpl_derived[i].name, name) &&
		    (tmpl_derived[i].kind == scope || tmpl_derived[i].kind2 == scope ||
		     (tmpl_derived[i].kind == -1 && scope >= 0 && scope < CF_KIND_COUNT)))
			return i;
	return -1;
}

/* NAME in the record scope SCOPE (a kind or TS_CHANGE) at LEVEL; 0 when found. */
static int in_scope(int scope, int level, const char *name, struct tname *out)
{
	int i;

	out->level = level;
	out->kind = scope;
	if ((i = derived_of(scope, name)) >= 0) {
		out->what = NM_DERIVED;
		out->idx = i;
		return 0;
	}
	if (scope == CF_EVIDENCE && !strcmp(name, "custody")) {
		out->what = NM_SUBLIST;
		out->kind = CF_CUSTODY;
		return 0;
	}
	if (scope >= 0 && scope < CF_KIND_COUNT &&
	    (i = cf_field_index(cf_kind_info((enum cf_kind)scope), name)) >= 0) {
		out->what = NM_FIELD;
		out->idx = i;
		return 0;
	}
	return -1;
}

static int resolve(struct parser *ps, const char *at, const char *name, struct tname *out)
{
	memset(out, 0, sizeof(*out));
	if (name[0] == '@') {
		static const char *const loop_names[] = { "@first", "@last", "@index" };
		for (int f = ps->nframes - 1; f >= 0; f--) {
			if (!ps->frames[f].loop)
				continue;
			for (int i = 0; i < 3; i++)
				if (!strcmp(name, loop_names[i])) {
					*out = (struct tname){ NM_LOOP, f, i, 0 };
					return 0;
				}
			return fail(ps, at, "unknown name '%s' (@first, @last, @index)", name);
		}
		return fail(ps, at, "'%s' outside a loop", name);
	}
	if (!strncmp(name, "case.", 5)) {
		if (in_scope(CF_CASE, -1, name + 5, out) == 0 && out->what == NM_FIELD)
			return 0;
		return fail(ps, at, "unknown case field '%s'", name + 5);
	}
	if (strchr(name, '.'))
		return fail(ps, at, "unknown name '%s' (only case.FIELD has a dot)", name);
	for (int f = ps->nframes - 1; f > 0; f--)
		if (in_scope(ps->frames[f].scope, f, name, out) == 0)
			return 0;
	for (int i = 0; i < TOP_COUNT; i++)
		if (!strcmp(tmpl_top_names[i], name)) {
			*out = (struct tname){ NM_TOP, 0, i, 0 };
			return 0;
		}
	if (!strcmp(name, "case")) {
		*out = (struct tname){ NM_CASE, 0, 0, CF_CASE };
		return 0;
	}
	if (tmpl_list_kind(name) != -1) {
		*out = (struct tname){ NM_LIST, 0, 0, tmpl_list_kind(name) };
		return 0;
	}
	return fail(ps, at, "unknown name '%s'", name);
}

/* The name at *P (advanced past it) into BUF; 0, or an error at *P. */
static int read_name(struct parser *ps, const char **p, const char *end, char *buf, size_t len)
{
	const char *s = *p;

	while (*p < end && is_name_char(**p, *p == s))
		++*p;
	if (*p == s)
		return fail(ps, s, "a name was expected (lowercase letters, digits, '_', '.')");
	if ((size_t)(*p - s) >= len)
		return fail(ps, s, "name too long");
	memcpy(buf, s, (size_t)(*p - s));
	buf[*p - s] = '\0';
	return 0;
}

static void skip_space(const char **p, const char *end)
{
	while (*p < end && (**p == ' ' || **p == '\t'))
		++*p;
}

/* The conditions after a section's name: FIELD=V1,V2 or FIELD!=V1,V2, space-separated, on
 * the fields of the list's records (scope KIND at level LEVEL). */
static int read_conds(struct parser *ps, struct tnode *n, const char *p, const char *end,
		      int kind, int level)
{
	char field[TMPL_NAME_LEN];

	for (skip_space(&p, end); p < end; skip_space(&p, end)) {
		const char *at = p;
		struct tcond *c;
		if (read_name(ps, &p, end, field, sizeof(field)) < 0)
			return -1;
		n->conds = xrealloc(n->conds, (n->nconds + 1) * sizeof(*n->conds));
		c = &n->conds[n->nconds++];
		memset(c, 0, sizeof(*c));
		if (in_scope(kind, level, field, &c->field) < 0 ||
		    (c->field.what == NM_DERIVED && tmpl_derived[c->field.idx].rich) ||
		    c->field.what == NM_SUBLIST)
			return fail(ps, at, "'%s' is not a field the records of this list have "
				    "(a condition is FIELD=VALUE,... or FIELD!=VALUE,...)", field);
		if (p < end && *p == '!') {
			c->neg = 1;
			p++;
		}
		if (p >= end || *p != '=')
			return fail(ps, p, "'=' or '!=' expected after '%s'", field);
		p++;
		do {
			const char *v = p;
			while (p < end && *p != ',' && *p != ' ' && *p != '\t' && *p != '"')
				p++;
			if (p < end && *p == '"')
				return fail(ps, p, "a value has no quotes (and no spaces)");
			c->vals = xrealloc(c->vals, (c->nvals + 1) * sizeof(*c->vals));
			c->vals[c->nvals++] = xstrndup(v, (size_t)(p - v));
		} while (p < end && *p == ',' && ++p);
	}
	return 0;
}

static int is_list(const struct tname *nm)
{
	return nm->what == NM_LIST || nm->what == NM_SUBLIST;
}

/* A section or inverted section opens: checks, then pushes its scope. */
static int open_section(struct parser *ps, struct tnode *n, const char *at, const char *rest,
			const char *end)
{
	struct pframe *f;

	if (is_list(&n->name) || n->name.what == NM_CASE) {
		int list_kind = n->name.kind;
		for (int i = 1; n->name.what == NM_LIST && i < ps->nframes; i++)
			if (ps->frames[i].loop)
				return fail(ps, at, "a loop over '%s' inside the loop over '%s' would "
					    "repeat the whole list for every record: not allowed",
					    n->text, ps->frames[i].node->text);
		if (n->name.what == NM_CASE && n->type != TN_SECTION)
			return fail(ps, at, "the case is always there: only {{#case}} opens it");
		skip_space(&rest, end);
		if (n->name.what == NM_CASE && rest < end)
			return fail(ps, rest, "only a list takes conditions");
		if (read_conds(ps, n, rest, end, list_kind, ps->nframes) < 0)
			return -1;
	} else {
		skip_space(&rest, end);
		if (rest < end)
			return fail(ps, rest, "only a list takes conditions");
		if (n->name.what == NM_LOOP && n->name.idx == 2)
			return fail(ps, at, "'@index' is a number: no section over it");
	}
	if (ps->nframes > TMPL_MAX_DEPTH)
		return fail(ps, at, "sections nested deeper than %d", TMPL_MAX_DEPTH);
	f = &ps->frames[ps->nframes++];
	f->node = n;
	f->loop = n->type == TN_SECTION && is_list(&n->name);
	/* Only a loop puts a record in scope ({{^list}} and {{?list}} show once, for none). */
	f->scope = (n->type == TN_SECTION && is_list(&n->name)) || n->name.what == NM_CASE
			   ? n->name.kind
			   : -3;
	return 0;
}

static int parse_filter(struct parser *ps, struct tnode *n, const char *p, const char *end)
{
	char name[TMPL_NAME_LEN];

	p++;
	skip_space(&p, end);
	if (read_name(ps, &p, end, name, sizeof(name)) < 0)
		return -1;
	for (int i = 1; i < (int)(sizeof(filter_names) / sizeof(filter_names[0])); i++)
		if (!strcmp(filter_names[i], name))
			n->filter = (enum tfilter)i;
	if (!n->filter)
		return fail(ps, p - strlen(name), "unknown filter '%s' (block, when, upper, count)",
			    name);
	if (n->name.what == NM_LOOP || (n->name.what == NM_DERIVED &&
					tmpl_derived[n->name.idx].rich))
		return fail(ps, p - strlen(name), "filter '%s' does not apply to '%s'", name,
			    n->text);
	skip_space(&p, end);
	return p < end ? fail(ps, p, "one filter only, then '}}'") : 0;
}

/* One tag's contents [P, END) (trimmed), at AT ("{{"); PARENT is the innermost section. */
static int tag(struct parser *ps, const char *at, const char *p, const char *end)
{
	struct tnode *parent = (struct tnode *)ps->frames[ps->nframes - 1].node;
	char name[TMPL_NAME_LEN];
	struct tnode *n;
	char sigil = p < end ? *p : '\0';

	switch (sigil) {
	case '!':
		return 0;
	case '>':
		return fail(ps, at, "no partials: a template cannot include a file");
	case '&': case '{':
		return fail(ps, at, "no unescaped values: every value is escaped by the engine");
	case '=':
		return fail(ps, at, "the delimiters cannot be changed");
	case '/': {
		const struct pframe *f = &ps->frames[ps->nframes - 1];
		p++;
		skip_space(&p, end);
		if (read_name(ps, &p, end, name, sizeof(name)) < 0)
			return -1;
		if (ps->nframes == 1)
			return fail(ps, at, "'{{/%s}}' closes no section", name);
		if (strcmp(f->node->text, name)) {
			char opened[CF_NUM_LEN * 2];
			snprintf(opened, sizeof(opened), "%d:%d", f->node->line, f->node->col);
			return fail(ps, at, "'{{/%s}}' where '%s' (opened at %s) must be closed",
				    name, f->node->text, opened);
		}
		skip_space(&p, end);
		if (p < end)
			return fail(ps, p, "nothing may follow the name in a closing tag");
		ps->nframes--;
		return 0;
	}
	case '#': case '^': case '?':
		p++;
		skip_space(&p, end);
		break;
	default:
		sigil = '\0';
	}
	n = add_node(parent, sigil == '#' ? TN_SECTION : sigil == '^' ? TN_INVERTED
			     : sigil == '?' ? TN_PRESENT : TN_VAR);
	where(ps, at, &n->line, &n->col);
	if (read_name(ps, &p, end, name, sizeof(name)) < 0)
		return -1;
	n->text = xstrdup(name);
	if (resolve(ps, at, name, &n->name) < 0)
		return -1;
	if (n->name.what == NM_LIST && n->name.kind == TS_CHANGE)
		ps->t->uses_changes = 1;
	if (sigil)
		return open_section(ps, n, at, p, end);
	if (is_list(&n->name) || n->name.what == NM_CASE)
		return fail(ps, at, "'%s' is a %s: use {{#%s}}...{{/%s}}", name,
			    n->name.what == NM_CASE ? "record" : "list", name, name);
	skip_space(&p, end);
	if (p < end && *p == '|')
		return parse_filter(ps, n, p, end);
	return p < end ? fail(ps, p, "unexpected '%c' in a tag", *p) : 0;
}

/* Whether the tag [AT, CLOSE) stands alone on its line (only spaces or tabs around it): its
 * line is then dropped from the output, newline included.  *LINE_START, *AFTER: the line's
 * start and the byte after it. */
static int standalone(const struct parser *ps, const char *seg, const char *at,
		      const char *close, const char **line_start, const char **after)
{
	const char *s = at, *e = close;

	while (s > ps->text && (s[-1] == ' ' || s[-1] == '\t'))
		s--;
	if (s < seg || (s > ps->text && s[-1] != '\n'))
		return 0;
	while (e < ps->end && (*e == ' ' || *e == '\t'))
		e++;
	if (e < ps->end && *e != '\n')
		return 0;
	*line_start = s;
	*after = e < ps->end ? e + 1 : e;
	return 1;
}

static void add_text(struct parser *ps, const char *s, size_t n)
{
	struct tnode *parent = (struct tnode *)ps->frames[ps->nframes - 1].node;
	struct tnode *t;

	if (!n)
		return;
	t = add_node(parent, TN_TEXT);
	t->text = xstrndup(s, n);
	t->len = n;
}

/* The template's own text must be valid UTF-8 with nothing hidden (no trojan source). */
static int check_text(struct parser *ps)
{
	for (const char *p = ps->text; p < ps->end;) {
		int32_t cp;
		int len = *p ? cf_text_decode(p, &cp) : 0;
		if (len == 0)
			return fail(ps, p, *p ? "invalid UTF-8" : "a NUL byte");
		if (cf_text_class(cp) != CF_TEXT_SHOWN && cp != '\n' && cp != '\t' && cp != '\r')
			return fail(ps, p, "a hidden or control character (U+%04X)", (unsigned)cp);
		p += len;
	}
	return 0;
}

/* The first "{{" (or "}}": C) in [P, END), or NULL. */
static const char *find2(const char *p, const char *end, char c)
{
	for (; p + 1 < end; p++)
		if (p[0] == c && p[1] == c)
			return p;
	return NULL;
}

static int parse(struct parser *ps)
{
	const char *seg = ps->text, *p = ps->text;

	if ((size_t)(ps->end - ps->text) > TMPL_MAX_BYTES)
		return cf_error(ps->err, CF_EINVAL, "%s:1:1: larger than %d bytes", ps->file,
				TMPL_MAX_BYTES);
	if (check_text(ps) < 0)
		return -1;
	while ((p = find2(p, ps->end, '{'))) {
		const char *close = find2(p + 2, ps->end, '}');
		const char *b = p + 2, *e, *ls, *after;
		int comment;
		if (!close)
			return fail(ps, p, "'{{' is never closed by '}}'");
		e = close;
		skip_space(&b, e);
		comment = b < e && *b == '!';
		if (close - p > TMPL_MAX_TAG && !comment) /* a comment only needs its end */
			return fail(ps, p, "a tag longer than %d bytes", TMPL_MAX_TAG);
		while (e > b && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		for (const char *q = b; !comment && q < e; q++)
			if (*q == '\n')
				return fail(ps, p, "a tag cannot span lines");
		close += 2;
		if (b < e && strchr("#^?/!", *b) && standalone(ps, seg, p, close, &ls, &after)) {
			add_text(ps, seg, (size_t)(ls - seg));
			seg = after;
		} else {
			add_text(ps, seg, (size_t)(p - seg));
			seg = close;
		}
		if (tag(ps, p, b, e) < 0)
			return -1;
		p = close;
	}
	add_text(ps, seg, (size_t)(ps->end - seg));
	if (ps->nframes > 1) {
		const struct tnode *n = ps->frames[ps->nframes - 1].node;
		return cf_error(ps->err, CF_EINVAL, "%s:%d:%d: section '%s' is never closed "
				"({{/%s}})", ps->file, n->line, n->col, n->text, n->text);
	}
	return 0;
}

static void node_release(struct tnode *n)
{
	for (size_t i = 0; i < n->nkids; i++)
		node_release(&n->kids[i]);
	for (size_t i = 0; i < n->nconds; i++) {
		for (size_t j = 0; j < n->conds[i].nvals; j++)
			free(n->conds[i].vals[j]);
		free(n->conds[i].vals);
	}
	free(n->conds);
	free(n->kids);
	free(n->text);
}

int tmpl_parse(const char *file, const char *text, size_t len, enum tmpl_type type,
	       struct tmpl **out, struct cf_err *err)
{
	struct parser ps = { file, text, text + len, type, { { TS_TOP, 0, NULL } }, 1, err, NULL };

	ps.t = xcalloc(1, sizeof(*ps.t));
	ps.t->type = type;
	ps.t->root.type = TN_SECTION;
	ps.frames[0].node = &ps.t->root;
	if (parse(&ps) < 0) {
		tmpl_free(ps.t);
		*out = NULL;
		return CF_EINVAL;
	}
	*out = ps.t;
	return 0;
}

void tmpl_free(struct tmpl *t)
{
	if (!t)
		return;
	node_release(&t->root);
	free(t);
}

enum tmpl_type tmpl_get_type(const struct tmpl *t)
{
	return t->type;
}
