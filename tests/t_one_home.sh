#!/bin/sh
# t_one_home.sh — source checks for rules that must have exactly one home (issue 12):
# only store/time/ touches TZ; days_from_civil is written once; only export/git/ writes git;
# one home for the shared Markdown pieces, the -o writer and the HTML page;
# only store/text.c decides what text may show; every allocation goes through store/xalloc
# (one out-of-memory policy); no snprintf "%s" copies.
set -u
cd "${CASEFILE_SRC:-.}" || exit 1
fails=0
die() { echo "FAIL: $*"; fails=$((fails + 1)); }

# TZ set, unset, put or re-read outside store/time/: the zone of one computation leaks into
# another (and the three copies drifted: one kept an unknown zone, one forced UTC).
hits=$(grep -rnE '(setenv|unsetenv|putenv)\(\s*"TZ|tzset\(' --include='*.c' --include='*.h' \
	store export tui | grep -v '^store/time/')
[ -z "$hits" ] || die "TZ touched outside store/time/:
$hits"
# ...and store/time/ does it in one place (zone_enter / zone_leave).
n=$(grep -rlE '(setenv|unsetenv)\(\s*"TZ' store/time | wc -l)
[ "$n" -eq 1 ] || die "TZ set in $n files of store/time/ (want zone.c only)"

n=$(grep -rnE '^[a-z_0-9 ]*[ *]days_from_civil\(' --include='*.c' store export tui | wc -l)
d=$(grep -rnE 'int64_t cf_days_from_civil\(int' --include='*.c' store | wc -l)
[ "$n" -eq 0 ] && [ "$d" -eq 1 ] || die "days_from_civil defined more than once"

# malloc & co. only inside store/xalloc.c and store/strbuf.c (the wrappers themselves); the
# rest of the tree calls xmalloc, xcalloc, xrealloc, xstrdup, xstrndup, strbuf_*.
hits=$(grep -rnE '(^|[^a-z_0-9.>])(malloc|calloc|realloc|strdup|strndup|reallocarray)\(' \
	--include='*.c' --include='*.h' store export tui |
	grep -vE '^store/(xalloc|strbuf)\.[ch]:' | grep -vE ':[0-9]+:\s*(/?\*|//)')
[ -z "$hits" ] || die "allocation outside store/xalloc (use xmalloc & co.):
$hits"
# snprintf(dst, n, "%s", src) was standing in for a string type (92 of them): a bounded copy
# into a named-size field is cf_strlcpy, text of any length a strbuf.
hits=$(grep -rnE 'snprintf\([^,]+, [^,]+, "%s", ' --include='*.c' store export tui)
[ -z "$hits" ] || die "snprintf \"%s\" copy (use cf_strlcpy or a strbuf):
$hits"
# abort() is no out-of-memory policy either.
hits=$(grep -rn 'abort()' --include='*.c' store export tui | grep -vE 'no entropy|colliding ids')
[ -z "$hits" ] || die "abort() outside the one policy:
$hits"
# Commits, refs and repositories are written by export/git/ alone (its signatures pass
# git fsck --strict, its ref moves are compare-and-swap).
hits=$(grep -rnE 'git_(commit_create|reference_create|reference_delete|reference_set_target|reference_symbolic_create|repository_init|tag_create)' \
	--include='*.c' store export tui | grep -v '^export/git/')
[ -z "$hits" ] || die "git written outside export/git/:
$hits"
# Nor does libgit2 move a local ref on its own behalf during a transfer: fetch and push go
# through git_remote_download/git_remote_upload, and export/git/ then sets the tracking ref.
hits=$(grep -rnE 'git_remote_(fetch|push|update_tips|prune)\(|update_fetchhead *= *1' \
	--include='*.c' store export tui)
[ -z "$hits" ] || die "libgit2 left to move refs itself (use the git layer):
$hits"

# Fixed-size buffers in export/ and tui/ only where the size is a named constant with its
# reason (store/store.h's CF_*_LEN, export/git/repo.h, tui/tui.h, or the file's own): a bare
# number as an array size there fails (tests/array_sizes.py finds them; no exceptions).
hits=$(python3 tests/array_sizes.py export tui) || die "array_sizes.py failed"
[ -z "$hits" ] || die "an array sized by a bare number (name the constant, say why, or use a strbuf):
$hits"

# The pieces every report shares live in export/markdown.c, so the report files (the
# template engine, timeline, changes, custody) call it and never each other in a circle.
for f in md_banner render_banner show_when show_when_x show_count_x show_range_x \
	show_source_x render_as_of is_latest estimate_top; do
	where=$(grep -lE "^(void|int) $f\(" export/*.c | tr '\n' ' ')
	[ "$where" = "export/markdown.c " ] || die "$f defined in '$where', not export/markdown.c"
done
# One writer of -o files, one HTML page wrapper: nothing else in export/ or tui/ renames a
# temporary file into place or starts an HTML document.
hits=$(grep -rnE 'mkstemp\(' --include='*.c' export tui | grep -vE '^(export/outfile.c|tui/editor.c)')
[ -z "$hits" ] || die "an output file written outside export/outfile.c:
$hits"
n=$(grep -rl 'DOCTYPE html' --include='*.c' export tui | tr '\n' ' ')
[ "$n" = "export/html.c " ] || die "HTML page wrappers in: $n"
# Which characters may reach a terminal or a document is decided by store/text.c alone: no
# other UTF-8 decoder, no other list of controls, bidi or invisible characters.
rules='0x202[ae]|0x2066|0x200[bef]\b|0xfeff|0x9b\b|iswprint|iswcntrl|utf8proc_'
decoders='& ?0xc0\) == 0x80|& ?0xe0\) == 0xc0'
hits=$(grep -rniE "$rules|$decoders" --include='*.c' --include='*.h' store export tui |
	grep -v '^store/text\.')
[ -z "$hits" ] || die "text rules outside store/text.c:
$hits"

[ "$fails" -eq 0 ]
