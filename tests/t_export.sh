#!/bin/sh
# t_export.sh — exports through the real binary on the demo case: golden files for every
# profile and format, byte-identical repeats, --as-of, strict HTML parsing, hostile text
# inert in every format.  CASEFILE_UPDATE_GOLDEN=1 rewrites the golden files.
set -u
B=$CASEFILE_BIN
G=$CASEFILE_SRC/tests/golden/export
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }

# Fixed "now": the demo's automatic 'entered' stamps are then the same on every run.
export CASEFILE_NOW=2020-10-01T12:00:00Z CASEFILE_RULES_DIR="$CASEFILE_SRC/store/deadline/rules"
"$B" demo "$tmp/case" >/dev/null || exit 1
C="$tmp/case"

# Ids are random: the golden copies have them replaced (outputs never sort by id).
norm() { sed -E 's/\b[0-9abcdefghjkmnpqrstvwxyz]{20}\b/<id>/g'; }

golden() { # NAME EXPORT-ARGS...
	name=$1; shift
	"$B" -C "$C" export "$@" >"$tmp/$name" || { bad "export $*"; return; }
	"$B" -C "$C" export "$@" >"$tmp/$name.again"
	cmp -s "$tmp/$name" "$tmp/$name.again" || bad "two exports differ: $name"
	norm <"$tmp/$name" >"$tmp/$name.norm"
	[ "${CASEFILE_UPDATE_GOLDEN:-}" = 1 ] && cp "$tmp/$name.norm" "$G/$name"
	diff -u "$G/$name" "$tmp/$name.norm" >"$tmp/diff" || {
		head -30 "$tmp/diff"; bad "golden file differs: $name"; }
}

for p in congressional sitrep public; do
	for f in md html json; do
		golden "briefing-$p.$f" briefing --profile "$p" --format "$f"
	done
done
golden briefing-congressional-2019-06-05.md briefing --as-of 2019-06-05
golden timeline.csv timeline
golden timeline.jsonl timeline --format jsonl
golden timeline.md timeline --format md
golden timeline.html timeline --format html
golden case.json case
golden case-public.json case --profile public

# -o writes the same bytes as stdout.
"$B" -C "$C" export briefing -o "$tmp/o.md" &&
	cmp -s "$tmp/o.md" "$tmp/briefing-congressional.md" ||
	bad "-o differs from stdout"

# Every page carries the marking at top and bottom.
for f in "$tmp"/briefing-*.md; do
	[ "$(head -1 "$f")" = "**CUI//SP-PRVCY**" ] && [ "$(tail -1 "$f")" = "**CUI//SP-PRVCY**" ] ||
		bad "banner missing in $f"
done
for f in "$tmp"/*.html; do
	[ "$(grep -c 'class="banner' "$f")" = 2 ] || bad "banner missing in $f"
done

# As of June 5, 2019: nothing learned on June 10 or later, and not the 184,000 revision.
for prof in congressional sitrep public; do
	"$B" -C "$C" export briefing --profile $prof --as-of 2019-06-05 >"$tmp/june5.md"
	for gone in "184,000" "184000" "makes the breach public" "99,999" "Dark-web monitoring" \
		"removes from service" "Facial images"; do
		grep -q "$gone" "$tmp/june5.md" && bad "as of 2019-06-05 ($prof) shows '$gone'"
	done
done
grep -q "CBP learns" "$tmp/june5.md" || bad "as of 2019-06-05 lost what was known on May 31"
"$B" -C "$C" export case --as-of 2019-06-05 >"$tmp/june5.json"
grep -q 184000 "$tmp/june5.json" && bad "case as of 2019-06-05 has the 184,000 revision"
"$B" -C "$C" export case --as-of 2019-06-10 | grep -q '"99999"' ||
	bad "case as of 2019-06-10 lacks the June 10 estimate"
"$B" -C "$C" export briefing --as-of 2018-01-01 >/dev/null 2>&1 && bad "as of before the case"
"$B" -C "$C" export briefing --as-of 2019-13-01 >/dev/null 2>&1 && bad "bad --as-of accepted"
"$B" -C "$C" export case --format md >/dev/null 2>&1 && bad "case accepted the md format"

# Bad input: one line naming the problem, a non-zero exit, nothing written or committed.
one_line() { # EXPECTED-TEXT ARGS...: fails, prints one line on stderr holding the text
	want=$1; shift
	"$B" -C "$C" "$@" >"$tmp/bad.out" 2>"$tmp/bad.all" && bad "accepted: $*"
	# (besides the warnings naming the demo's internal records a briefing leaves out)
	grep -v "^casefile: warning: left out of this" "$tmp/bad.all" >"$tmp/bad.err"
	[ "$(wc -l <"$tmp/bad.err")" = 1 ] && grep -q -- "$want" "$tmp/bad.err" ||
		bad "$*: stderr was '$(cat "$tmp/bad.err")'"
	[ -s "$tmp/bad.out" ] && bad "$*: wrote to stdout"
}
# A wrong command line: what is wrong, then the usage line.
usage_error() { # EXPECTED-TEXT ARGS...
	want=$1; shift
	"$B" -C "$C" "$@" >"$tmp/bad.out" 2>"$tmp/bad.err"
	[ $? -eq 2 ] || bad "$*: exit status is not 2"
	[ "$(wc -l <"$tmp/bad.err")" = 2 ] && head -1 "$tmp/bad.err" | grep -q -- "$want" &&
		sed -n 2p "$tmp/bad.err" | grep -q "^usage: casefile export" ||
		bad "$*: stderr was '$(cat "$tmp/bad.err")'"
	[ -s "$tmp/bad.out" ] && bad "$*: wrote to stdout"
}
usage_error "unknown verb 'nope'" export nope
one_line "unknown profile 'congress'" export briefing --profile congress
one_line "unknown format 'docx'" export briefing --format docx
one_line "a briefing has no csv format" export briefing --format csv
one_line "a timeline has no json format" export timeline --format json
one_line "bad time '2019-13-01'" export briefing --as-of 2019-13-01
one_line "bad time 'yesterday'" export timeline --as-of yesterday
usage_error "needs a value" export briefing --as-of
usage_error "unknown option '--profil'" export briefing --profil sitrep
mkdir "$tmp/out" && echo keep >"$tmp/out/r.md"
one_line "$tmp/nodir/r.md" export briefing -o "$tmp/nodir/r.md"
one_line "$tmp/nodir/r.md" export briefing --commit -o "$tmp/nodir/r.md"
[ -e "$C/casefile.git" ] && bad "a failed --commit -o made a repository or a version"
one_line "bad time" export briefing --as-of 2019-02-30 -o "$tmp/out/r.md"
one_line "bad time" export briefing --commit --as-of nope -o "$tmp/out/r.md"
mkdir "$tmp/out/adir"
one_line "Is a directory" export briefing -o "$tmp/out/adir"
rmdir "$tmp/out/adir"
[ "$(cat "$tmp/out/r.md")" = keep ] || bad "a failed export changed the -o file"
[ "$(ls "$tmp/out")" = r.md ] || bad "a failed export left files: $(ls "$tmp/out")"
"$B" -C "$C" export briefing -o "$tmp/out/r.md" && cmp -s "$tmp/out/r.md" \
	"$tmp/briefing-congressional.md" || bad "-o over an existing file"
[ "$(ls "$tmp/out")" = r.md ] || bad "-o left a temporary file: $(ls "$tmp/out")"

# Profiles filter: the internal event and the internal notice stay in the sitrep.
grep -q "At least 19 of the images" "$tmp/briefing-sitrep.md" || bad "sitrep lacks internal"
grep -q "At least 19 of the images" "$tmp/briefing-congressional.md" && bad "congress sees internal"
grep -q "CISA" "$tmp/briefing-congressional.md" && bad "congress sees the internal CISA notice"
grep -q "biometric pilot" "$tmp/briefing-public.md" && bad "public sees a congress-only event"
grep -q "Tasks" "$tmp/briefing-public.md" && bad "public sees tasks"
grep -q '"harm"' "$tmp/case-public.json" && bad "public case JSON has internal case fields"
grep -q "not public" "$tmp/briefing-public.md" && bad "public statement has the case summary"

# TLP filters end to end: RED and AMBER+STRICT stay in the team, GREEN is not public.
cp -r "$C" "$tmp/tlp"
for t in red amber+strict green clear; do
	"$B" -C "$tmp/tlp" event add 2019-06-04 "tlp $t fact" --tlp "$t" --visibility public \
		--key yes >/dev/null || bad "add tlp $t event"
done
"$B" -C "$tmp/tlp" export briefing --profile sitrep >"$tmp/tlp.sitrep"
"$B" -C "$tmp/tlp" export briefing --profile congressional >"$tmp/tlp.congress"
"$B" -C "$tmp/tlp" export briefing --profile public >"$tmp/tlp.public"
grep -q "tlp red fact .* public, TLP:RED |" "$tmp/tlp.sitrep" || bad "sitrep lacks TLP:RED"
for t in red amber+strict green clear; do
	grep -q "tlp $t fact" "$tmp/tlp.sitrep" || bad "sitrep lacks tlp $t"
done
grep -q "tlp red fact\|tlp amber+strict fact" "$tmp/tlp.congress" && bad "congress sees RED"
grep -q "tlp green fact" "$tmp/tlp.congress" || bad "congress lacks tlp green"
grep -q "tlp green fact\|tlp red fact" "$tmp/tlp.public" && bad "public sees TLP:GREEN"
grep -q "tlp clear fact" "$tmp/tlp.public" || bad "public lacks tlp clear"
python3 "$CASEFILE_SRC/tests/html_check.py" --self-test || bad "html_check.py passes broken HTML"
python3 "$CASEFILE_SRC/tests/html_check.py" "$tmp"/*.html || bad "HTML does not parse cleanly"
# The print banners are the layout table's header and footer groups (repeated on each page).
grep -q '^<thead><tr><td><p class="banner top">CUI//SP-PRVCY</p></td></tr></thead>$' \
	"$tmp/briefing-sitrep.html" || bad "HTML top banner is not a repeating table header"
grep -q '^<tfoot><tr><td><p class="banner bottom">CUI//SP-PRVCY</p></td></tr></tfoot>$' \
	"$tmp/briefing-sitrep.html" || bad "HTML bottom banner is not a repeating table footer"

# Determinism does not hang on the ids, the machine's zone or locale: a second demo made and
# exported elsewhere gives the same bytes (tabular formats carry ids: compared without them).
TZ=Asia/Tokyo "$B" demo "$tmp/case2" >/dev/null || bad "second demo"
for args in "briefing" "briefing --profile sitrep" "briefing --profile public --format html" \
	"briefing --as-of 2019-06-05" "timeline --format md" "timeline" "timeline --format jsonl" \
	"case"; do
	# shellcheck disable=SC2086
	TZ=Pacific/Kiritimati LC_ALL=C "$B" -C "$tmp/case2" export $args | norm >"$tmp/other" ||
		bad "export $args in the second demo"
	# shellcheck disable=SC2086
	"$B" -C "$C" export $args | norm | cmp -s - "$tmp/other" ||
		bad "export $args differs with other ids, zone and locale"
done

# ---- hostile text ------------------------------------------------------------------------
esc=$(printf '\033]0;pwned\007\033[2J')
rlo=$(printf '\342\200\256')
hostile="<script>alert(1)</script> *x* [a](javascript:alert(1)) |p| &amp; $esc $rlo"
"$B" -C "$C" event add 2019-06-02 "$hostile" --visibility public --key yes --details "# heading
<img src=x onerror=alert(1)>
1. list
    code" >/dev/null || bad "add hostile event"
"$B" -C "$C" event add 2019-06-03 '=HYPERLINK("http://evil.example/","x")' --visibility public \
	--source '@SUM(1+1)' --actor '+1' --details '-2+3' >/dev/null || bad "add formula event"
"$B" -C "$C" event add 2019-06-04 "$(printf '\t=1+1')" --visibility public \
	--source "$(printf '\r@SUM(2)')" --actor "$(printf '\r\n=cmd|x')" >/dev/null ||
	bad "add tab/CR formula event"
for p in congressional sitrep public; do
	for f in md html json; do
		"$B" -C "$C" export briefing --profile $p --format $f >"$tmp/h-$p.$f" ||
			bad "export $p $f"
	done
done
"$B" -C "$C" evidence add --location "shelf $rlo 3" --description "$hostile" >/dev/null ||
	bad "add hostile evidence"
for f in md html json; do
	"$B" -C "$C" export custody --format $f >"$tmp/h-custody.$f" || bad "export custody $f"
done
[ "$(head -1 "$tmp/h-custody.md")" = "**CUI//SP-PRVCY**" ] &&
	[ "$(tail -1 "$tmp/h-custody.md")" = "**CUI//SP-PRVCY**" ] || bad "custody md banners"
grep -q '^<tfoot><tr><td><p class="banner bottom">CUI//SP-PRVCY</p>' "$tmp/h-custody.html" ||
	bad "custody HTML lacks the repeating banners"
"$B" -C "$C" export timeline >"$tmp/h.csv"
"$B" -C "$C" export timeline --format jsonl >"$tmp/h.jsonl"
"$B" -C "$C" export case >"$tmp/h.json"
for f in "$tmp"/h-* "$tmp"/h.*; do
	LC_ALL=C grep -q "$(printf '\033')" "$f" && bad "raw escape character in $f"
	LC_ALL=C grep -q "$rlo" "$f" && bad "raw right-to-left override in $f"
	LC_ALL=C grep -q "$(printf '\007')" "$f" && bad "raw BEL in $f"
done
for f in "$tmp"/h-*.md; do
	grep -q '<script>' "$f" && bad "unescaped <script> in $f"
	grep -q '^# heading' "$f" && bad "details became a heading in $f"
done
grep -q 'script' "$tmp/h-public.md" || bad "hostile event not exported at all"
for f in "$tmp"/h-*.html; do
	grep -qi '<script' "$f" && bad "<script> element in $f"
	grep -qi '<img' "$f" && bad "<img> element in $f"
	grep -q 'href=' "$f" && bad "a link in $f"
done
python3 "$CASEFILE_SRC/tests/html_check.py" "$tmp"/h-*.html || bad "hostile HTML does not parse"
python3 - "$tmp/h.csv" <<'PY' || bad "CSV formula or structure"
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))
head = rows[0]
assert head[:3] == ["message", "datetime", "timestamp_desc"], head
assert all(len(r) == len(head) for r in rows), "ragged rows"
ts = head.index("timestamp")
for r in rows[1:]:
    for i, cell in enumerate(r):
        if i != ts and cell[:1] in ("=", "+", "-", "@", "\t"):
            sys.exit(f"formula cell {cell!r}")
assert any(c.startswith("'=HYPERLINK") for r in rows for c in r), "formula text lost"
assert any(c == "'\t=1+1" for r in rows for c in r), "tab formula not neutralised"
assert any(c == "'@SUM(2)" for r in rows for c in r), "CR formula not neutralised"
assert head[-2:] == ["id", "marking"] and all(r[-1] == "CUI//SP-PRVCY" for r in rows[1:])
PY
python3 - "$tmp/h.json" "$tmp/h-sitrep.json" "$tmp/h.jsonl" <<'PY' || bad "JSON does not parse"
import json, sys
for p in sys.argv[1:3]:
    d = json.load(open(p))
    assert any("<script>" in e["summary"] for e in d["events"]), "text not kept exactly"
for line in open(sys.argv[3]):
    json.loads(line)
PY

# One pipeline: every kind (custody too) in every format it has, --format F and --format=F,
# to stdout and with -o; every -o file is mode 600 under umask 022 (they hold case data), the
# same bytes as stdout, also with --commit.
mkdir "$tmp/modes"
for ka in briefing:md briefing:html briefing:json timeline:csv timeline:jsonl timeline:md \
	timeline:html case:json custody:md custody:html custody:json; do
	k=${ka%%:*} f=${ka#*:} o="$tmp/modes/$k.$f"
	"$B" -C "$C" export "$k" --format="$f" >"$tmp/modes/stdout" 2>"$tmp/err" ||
		bad "export $k --format=$f: $(cat "$tmp/err")"
	(umask 022; "$B" -C "$C" export "$k" --format "$f" -o "$o") 2>"$tmp/err" ||
		bad "export $k --format $f -o: $(cat "$tmp/err")"
	[ "$(stat -c %a "$o" 2>/dev/null)" = 600 ] || bad "export $k $f -o: mode $(stat -c %a "$o")"
	cmp -s "$o" "$tmp/modes/stdout" || bad "export $k $f: -o differs from stdout"
done
cp -r "$C" "$tmp/modes/case"
(umask 022; "$B" -C "$tmp/modes/case" export custody --commit -o "$tmp/modes/c.md") \
	>"$tmp/modes/said" 2>&1 || bad "export custody --commit -o: $(cat "$tmp/modes/said")"
grep -q "reports/custody-sitrep.md version 1 committed" "$tmp/modes/said" ||
	bad "custody --commit said: $(cat "$tmp/modes/said")"
[ "$(stat -c %a "$tmp/modes/c.md")" = 600 ] || bad "custody --commit -o: mode not 600"
"$B" -C "$C" export custody --format csv >/dev/null 2>&1 && bad "custody took --format csv"

exit $fail
