#!/bin/sh
# t_templates.sh — briefing templates (casefile-templates(5)) through the real binary: every
# broken template of tests/templates/broken/ refused with its FILE:LINE:COLUMN error, the
# bounds, the shipped profiles found from the build tree, golden files of a template using
# every construct (md, html, pdf, csv), lookup order and shadowing (case repository, user,
# shipped) carried by sync, a hostile-text corpus through templates of every format with
# nothing unescaped, and no way for a template to reach a file or a command.
# CASEFILE_UPDATE_GOLDEN=1 rewrites the golden files.
set -u
B=$CASEFILE_BIN
S=$CASEFILE_SRC
T=$S/tests/templates
G=$S/tests/golden/templates
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }
export CASEFILE_NOW=2020-10-01T12:00:00Z CASEFILE_RULES_DIR="$S/store/deadline/rules"
export XDG_CONFIG_HOME="$tmp/cfg" HOME="$tmp/home"
unset CASEFILE_TEMPLATES_DIR
U="$XDG_CONFIG_HOME/casefile/templates"
mkdir -p "$U" "$HOME"
norm() { sed -E 's/\b[0-9abcdefghjkmnpqrstvwxyz]{20}\b/<id>/g'; }

# ---- broken templates: each refused with exactly its expected line, nothing on stdout ------
n=0
for f in "$T"/broken/*; do
	name=$(basename "$f")
	want=$(grep "^$name:" "$T/broken.expected")
	[ -n "$want" ] || { bad "no expected error for $name"; continue; }
	(cd "$T/broken" && "$B" templates check "$name") >"$tmp/out" 2>"$tmp/err"
	rc=$?
	[ $rc -eq 1 ] || bad "$name: exit status $rc, not 1"
	[ "$(cat "$tmp/err")" = "$want" ] || bad "$name: said '$(cat "$tmp/err")', not '$want'"
	[ -s "$tmp/out" ] && bad "$name: wrote to stdout"
	n=$((n + 1))
done
[ "$n" -ge 25 ] || bad "only $n broken templates"
# Several files: every one checked, the status says one failed.
"$B" templates check "$T/all.md" "$T/broken/unclosed.md" "$T/all-rows.csv" >"$tmp/out" \
	2>"$tmp/err" && bad "check of a broken file exited 0"
[ "$(wc -l <"$tmp/out")" = 2 ] && grep -q "unclosed.md:1:1: section 'events'" "$tmp/err" ||
	bad "check of three files: $(cat "$tmp/out" "$tmp/err")"
# Bounds: size, and a file that is not a template.
python3 -c "print('x' * 300000)" >"$tmp/big.md"
"$B" templates check "$tmp/big.md" 2>"$tmp/err" && bad "a 300 kB template was taken"
grep -q "big.md:1:1: larger than 262144 bytes" "$tmp/err" || bad "big: $(cat "$tmp/err")"
echo hi >"$tmp/notes.txt"
"$B" templates check "$tmp/notes.txt" 2>"$tmp/err" && bad "a .txt template was taken"
grep -q "ends in .md, .html or .csv" "$tmp/err" || bad "txt: $(cat "$tmp/err")"
"$B" templates check "$tmp/none.md" 2>"$tmp/err" && bad "a missing file was taken"
grep -q "none.md" "$tmp/err" || bad "missing: $(cat "$tmp/err")"

# ---- shipped templates: valid, found from the build tree, listed ---------------------------
for f in "$S"/export/templates/*; do
	"$B" templates check "$f" >/dev/null || bad "shipped $(basename "$f") does not check"
done
"$B" templates list >"$tmp/list" || bad "templates list"
grep -q "^public.md  *shipped  *.*export/templates/public.md$" "$tmp/list" ||
	bad "list lacks the shipped public: $(cat "$tmp/list")"

# ---- the demo case: golden files of a template using every construct -----------------------
"$B" demo "$tmp/case" >/dev/null || exit 1
C="$tmp/case"
cp "$T/all.md" "$T/all-page.html" "$T/all-rows.csv" "$U/"
golden() { # NAME ARGS...
	name=$1; shift
	"$B" -C "$C" export briefing "$@" >"$tmp/$name" 2>"$tmp/err" || {
		bad "export $*: $(cat "$tmp/err")"; return; }
	norm <"$tmp/$name" >"$tmp/$name.norm"
	[ "${CASEFILE_UPDATE_GOLDEN:-}" = 1 ] && cp "$tmp/$name.norm" "$G/$name"
	diff -u "$G/$name" "$tmp/$name.norm" >"$tmp/diff" || {
		head -30 "$tmp/diff"; bad "golden file differs: $name"; }
}
mkdir -p "$G"
golden all-sitrep.md --profile sitrep --template all
golden all-public.md --profile public --template all
golden all-sitrep.html --profile sitrep --template all --format html
golden all-page.html --profile sitrep --template all-page
golden all-rows.csv --profile sitrep --template all-rows
golden all-june5.md --profile sitrep --template all --as-of 2019-06-05
# The profile still chooses what may be seen: the internal event only in the sitrep.
grep -q "At least 19 of the images" "$tmp/all-sitrep.md" || bad "sitrep template lacks internal"
grep -q "At least 19 of the images" "$tmp/all-public.md" && bad "public template sees internal"
grep -q "184,000" "$tmp/all-june5.md" && bad "as of 2019-06-05 shows the 2020 revision"
# The engine puts the banner on top and bottom of every Markdown briefing.
[ "$(head -1 "$tmp/all-sitrep.md")" = "**CUI//SP-PRVCY**" ] &&
	[ "$(tail -1 "$tmp/all-sitrep.md")" = "**CUI//SP-PRVCY**" ] || bad "template md banners"
"$B" -C "$C" export briefing --template all --format pdf -o "$tmp/all.pdf" 2>/dev/null ||
	bad "template to pdf"
pdftotext -layout "$tmp/all.pdf" "$tmp/all.txt" && grep -q "Events" "$tmp/all.txt" &&
	grep -q "CUI//SP-PRVCY" "$tmp/all.txt" || bad "the PDF lacks the template's text or banner"
# Formats a template cannot write.
one_line() { # TEXT ARGS...
	want=$1; shift
	"$B" -C "$C" "$@" >"$tmp/bad.out" 2>"$tmp/bad.all" && bad "accepted: $*"
	grep -v "^casefile: warning: left out" "$tmp/bad.all" >"$tmp/bad.err"
	[ "$(wc -l <"$tmp/bad.err")" = 1 ] && grep -q -- "$want" "$tmp/bad.err" ||
		bad "$*: stderr was '$(cat "$tmp/bad.err")'"
	[ -s "$tmp/bad.out" ] && bad "$*: wrote to stdout"
}
one_line "a .csv template cannot write md" export briefing --template all-rows --format md
one_line "a .md template cannot write json" export briefing --template all --format json
one_line "a .html template cannot write pdf" export briefing --template all-page --format pdf
one_line "no template 'nope'" export briefing --template nope
# A templated briefing committed: its own series of versions (reports/briefing-NAME.md, tag
# briefing/NAME/vN), listed, diffed and shown like a profile's; in a copy of the case, as the
# event it adds would move the other checks' "as of".
cp -a "$C" "$tmp/series"
"$B" -C "$tmp/series" export briefing --template all --commit >"$tmp/c1" 2>/dev/null ||
	bad "commit a templated briefing"
grep -q "reports/briefing-all.md version 1 committed as .*, tag briefing/all/v1" "$tmp/c1" ||
	bad "the first templated commit said: $(cat "$tmp/c1")"
"$B" -C "$tmp/series" event add 2019-06-12 "Templated series fact" --visibility congress >/dev/null ||
	bad "event add"
"$B" -C "$tmp/series" export briefing --template all --commit >"$tmp/c2" 2>/dev/null ||
	bad "commit it again"
grep -q "tag briefing/all/v2" "$tmp/c2" || bad "the second templated commit said: $(cat "$tmp/c2")"
"$B" -C "$tmp/series" reports log >"$tmp/log" && grep -q "briefing all v2" "$tmp/log" &&
	grep -q "briefing all v1" "$tmp/log" || bad "reports log: $(cat "$tmp/log")"
"$B" -C "$tmp/series" reports diff briefing/all/v2 >"$tmp/diff" 2>/dev/null &&
	grep -q "^+.*Templated series fact" "$tmp/diff" || bad "reports diff: $(head -20 "$tmp/diff")"
"$B" -C "$tmp/series" reports show briefing/all/v1 >"$tmp/v1" 2>/dev/null &&
	! grep -q "Templated series fact" "$tmp/v1" || bad "reports show briefing/all/v1"

# A name is a name: no path reaches a file outside the template directories.
one_line "is not a template name" export briefing --template ../../../etc/passwd
one_line "is not a template name" export briefing --template /etc/passwd
one_line "is not a template name" templates show public.md
cp "$T/broken/partial.md" "$U/sneaky.md"
one_line "sneaky.md:1:10: no partials" export briefing --template sneaky
rm "$U/sneaky.md"

# ---- lookup order: the case's repository, then the user's, then the shipped ----------------
printf 'USER {{case.title}}\n' >"$U/public.md"
"$B" -C "$C" export briefing --template public 2>/dev/null | grep -q "^USER CBP" ||
	bad "the user's public template does not win over the shipped one"
# The public profile itself stays the shipped one, whatever the user's directory holds.
"$B" -C "$C" export briefing --profile public 2>/dev/null | norm |
	cmp -s - "$S/tests/golden/export/briefing-public.md" || bad "a user template changed the profile"
# A team shares templates in the case's repository (templates/ on main), carried by sync.
"$B" -C "$C" remote add origin "$tmp/shared.git" >/dev/null || bad "remote add"
"$B" -C "$C" sync >/dev/null 2>&1 || bad "first sync"
git clone -q "$tmp/shared.git" "$tmp/wc" 2>/dev/null || bad "git clone"
mkdir -p "$tmp/wc/templates"
printf 'CASE {{case.title}}\n' >"$tmp/wc/templates/public.md"
printf 'TEAM {{tlp}}\n' >"$tmp/wc/templates/team.md"
python3 -c "print('x' * 300000)" >"$tmp/wc/templates/huge.md"
git -C "$tmp/wc" add templates && git -C "$tmp/wc" -c user.name=t -c user.email=t@x \
	commit -qm "team templates" && git -C "$tmp/wc" push -q origin HEAD:main 2>/dev/null ||
	bad "push templates"
"$B" -C "$C" sync >/dev/null 2>&1 || bad "sync after the push"
"$B" -C "$C" templates list >"$tmp/list" 2>&1 || bad "list"
grep -q "^public.md  *case  *casefile.git:templates/public.md$" "$tmp/list" &&
	grep -q "^team.md  *case " "$tmp/list" &&
	grep -q "^public.md  *user  .*(hidden by the case one)$" "$tmp/list" &&
	grep -q "^public.md  *shipped .*(hidden by the case one)$" "$tmp/list" &&
	grep -q "^all.md  *user " "$tmp/list" || bad "list: $(cat "$tmp/list")"
# Order: case entries first, then user, then shipped.
[ "$(cut -c26-33 "$tmp/list" | uniq | tr -d ' ' | tr '\n' ' ')" = "case user shipped " ] ||
	bad "list order: $(cat "$tmp/list")"
"$B" -C "$C" export briefing --template public 2>/dev/null | grep -q "^CASE CBP" ||
	bad "the case's template does not win"
# A big one from the team is refused by its size, before its contents are read.
one_line "casefile.git:templates/huge.md:1:1: larger than 262144 bytes" \
	export briefing --template huge
"$B" -C "$C" templates show public 2>"$tmp/err" >"$tmp/shown"
[ "$(cat "$tmp/shown")" = 'CASE {{case.title}}' ] && grep -q "casefile.git:templates/public.md" \
	"$tmp/err" || bad "show: $(cat "$tmp/shown" "$tmp/err")"
# Another replica gets them by cloning.
"$B" clone "$tmp/shared.git" "$tmp/replica" >/dev/null 2>&1 || bad "clone"
"$B" -C "$tmp/replica" templates list 2>/dev/null | grep -q "^team.md  *case " ||
	bad "the clone lacks the team's template"
"$B" -C "$tmp/replica" export briefing --template team 2>/dev/null | grep -q "^TEAM TLP:GREEN" ||
	bad "the clone cannot export with the team's template"
# Without the case's one, the user's wins again; show copies a shipped one byte for byte.
rm "$U/public.md"
"$B" templates show public >"$tmp/copy.md" 2>/dev/null &&
	cmp -s "$tmp/copy.md" "$S/export/templates/public.md" || bad "show public is not the file"

# ---- hostile text through a template of every format: nothing unescaped --------------------
esc=$(printf '\033]0;pwned\007\033[2J')
rlo=$(printf '\342\200\256')
long=$(python3 -c "print('L' * 100000)")
hostile="<script>alert(1)</script> *x* [a](javascript:alert(1)) |p| {{case.title}} &amp; $esc $rlo"
cp -r "$C" "$tmp/h"
H="$tmp/h"
"$B" -C "$H" event add 2019-06-02 "$hostile" --visibility public --key yes --source "$long" \
	>/dev/null || bad "add hostile event"
"$B" -C "$H" event add 2019-06-03 '=HYPERLINK("http://evil.example/","x")' \
	--visibility public --source '@SUM(1+1)' --actor '+1' >/dev/null || bad "add formula event"
"$B" -C "$H" case edit --summary "$hostile
# heading
1. list" >/dev/null || bad "edit the case's summary"
for args in "md" "html" "pdf"; do
	"$B" -C "$H" export briefing --profile sitrep --template all --format "$args" \
		-o "$tmp/h-all.$args" 2>/dev/null || bad "hostile all $args"
done
"$B" -C "$H" export briefing --profile sitrep --template all-page -o "$tmp/h-page.html" \
	2>/dev/null || bad "hostile page"
"$B" -C "$H" export briefing --profile sitrep --template all-rows -o "$tmp/h-rows.csv" \
	2>/dev/null || bad "hostile rows"
pdftotext "$tmp/h-all.pdf" "$tmp/h-all.pdf.txt" || bad "pdftotext"
for f in "$tmp/h-all.md" "$tmp/h-all.html" "$tmp/h-all.pdf.txt" "$tmp/h-page.html" \
	"$tmp/h-rows.csv"; do
	LC_ALL=C grep -q "$(printf '\033')" "$f" && bad "raw escape character in $f"
	grep -q "$rlo" "$f" && bad "raw right-to-left override in $f"
	grep -q "pwned" "$f" || bad "the hostile text is missing from $f"
	grep -q "LLLLLLLLLL" "$f" || bad "the long source is missing from $f"
	grep -q "{{case.title}}" "$f" || bad "a value was read as a template in $f"
done
python3 "$S/tests/html_check.py" "$tmp/h-all.html" "$tmp/h-page.html" ||
	bad "templated HTML does not parse cleanly"
grep -q "<script>" "$tmp/h-all.html" "$tmp/h-page.html" && bad "raw <script> in HTML"
grep -q '&lt;script&gt;alert(1)&lt;/script&gt;' "$tmp/h-page.html" || bad "page: not escaped"
grep -q 'javascript:' "$tmp/h-all.html" && grep -q 'href="javascript' "$tmp/h-all.html" &&
	bad "a javascript: link in HTML"
grep -q '\\<script\\> alert(1)\\</script\\>\|\\<script\\>alert(1)\\</script\\>' "$tmp/h-all.md" ||
	bad "Markdown: <script> not escaped"
grep -q '\\\*x\\\*' "$tmp/h-all.md" || bad "Markdown: emphasis not escaped"
grep -q '\\|p\\|' "$tmp/h-all.md" || bad "Markdown: table pipe not escaped"
python3 - "$tmp/h-rows.csv" <<'EOF' || bad "CSV: a formula cell or a broken row"
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline='', encoding='utf-8')))
assert rows[0] == ['when', 'kind', 'summary', 'source', 'actor'], rows[0]
assert all(len(r) == 5 for r in rows), [len(r) for r in rows]
for r in rows[1:]:
    for cell in r:
        assert not cell or cell[0] not in '=+-@\t\r', cell
EOF
exit $fail
