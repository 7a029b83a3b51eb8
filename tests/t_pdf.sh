#!/bin/sh
# t_pdf.sh — `--format pdf`: every page of every profile's briefing carries the marking at top
# and bottom and "Page N of M" (text extracted page by page with pdftotext); the same bytes
# twice; US Letter by default, A4 on request; a long timeline table breaks across pages with
# its header repeated; CJK and hostile text come out as the text, wrapped inside the margins;
# the small binary stays free of cairo and pango.
set -u
export CASEFILE_NOW=2020-10-01T12:00:00Z CASEFILE_RULES_DIR="$CASEFILE_SRC/store/deadline/rules"
B=$CASEFILE_BIN fail=0
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
bad() { echo "FAIL: $*"; fail=1; }

"$B" demo "$tmp/case" >/dev/null || exit 1
C="$tmp/case"

. "$CASEFILE_SRC/tests/pdf_pages.sh"

for p in congressional sitrep public; do
	"$B" -C "$C" export briefing --profile "$p" --format pdf -o "$tmp/$p.pdf" 2>/dev/null ||
		bad "export briefing --profile $p --format pdf"
	"$B" -C "$C" export briefing --profile "$p" --format pdf 2>/dev/null |
		cmp -s - "$tmp/$p.pdf" || bad "two PDFs of $p differ"
	each_page "$tmp/$p.pdf" "CUI//SP-PRVCY"
	pdfinfo "$tmp/$p.pdf" | grep -q "^Page size: *612 x 792 pts (letter)" || bad "$p: not Letter"
done
# No wall clock in the file: its dates are the case's last change (2020-09-21, 16:00 UTC).
pdfinfo "$tmp/congressional.pdf" | grep -q "^CreationDate: *Mon Sep 21 16:00:00 2020 UTC" ||
	bad "creation date: $(pdfinfo "$tmp/congressional.pdf" | grep CreationDate)"
pdftotext "$tmp/congressional.pdf" - | grep -q "Breach report to Congress" || bad "no title"
# As of a past date, the date is that moment.
"$B" -C "$C" export briefing --format pdf --as-of 2019-06-05 -o "$tmp/then.pdf" 2>/dev/null &&
	pdfinfo "$tmp/then.pdf" | grep -q "^CreationDate: *Thu Jun  6 03:59:59 2019 UTC" ||
	bad "as-of date: $(pdfinfo "$tmp/then.pdf" | grep CreationDate)"
"$B" -C "$C" export briefing --format pdf --paper a4 -o "$tmp/a4.pdf" 2>/dev/null &&
	pdfinfo "$tmp/a4.pdf" | grep -q "^Page size: *595.276 x 841.89 pts (A4)" || bad "not A4"
each_page "$tmp/a4.pdf" "CUI//SP-PRVCY"
"$B" -C "$C" export briefing --paper a4 2>"$tmp/err" && bad "--paper without pdf accepted"
grep -q "only a PDF has a paper size" "$tmp/err" || bad "paper error: $(cat "$tmp/err")"
"$B" -C "$C" export briefing --format pdf --paper a3 2>"$tmp/err" && bad "--paper a3 accepted"

# A case of 400 events, CJK, a long unbroken word and markup-like text: the timeline table
# runs over pages, each starting with the banner and the table's header row.
D="$tmp/d"
"$B" init "$D" --title 'Ünïcode <b>case</b> & 事件' >/dev/null || bad "init"
"$B" -C "$D" case edit --marking 'TLP:AMBER <i>' >/dev/null 2>&1 ||
	"$B" -C "$D" case set --marking 'TLP:AMBER <i>' >/dev/null 2>&1 || bad "marking"
{ echo "message,datetime,timestamp_desc"
  awk 'BEGIN { for (i = 0; i < 400; i++)
	printf "event %d <b>&amp; 日本語のテキストが正しく折り返されることを確認する</b>,2019-05-31T%02d:%02d:00Z,x\n",
		i, i / 60 % 24, i % 60 }'
  echo "$(printf 'W%.0s' $(seq 1 300)),2019-06-01T00:00:00Z,x"
} >"$tmp/ev.csv"
"$B" -C "$D" import events "$tmp/ev.csv" >/dev/null || bad "import"
"$B" -C "$D" export timeline --format pdf -o "$tmp/tl.pdf" || bad "export timeline pdf"
n=$(pages "$tmp/tl.pdf")
[ "${n:-0}" -ge 5 ] || bad "400 events on only ${n:-0} pages"
each_page "$tmp/tl.pdf" "TLP:AMBER <i>"
i=2
while [ "$i" -le "${n:-0}" ]; do
	pdftotext -layout -f "$i" -l "$i" "$tmp/tl.pdf" - | sed -n '2,4p' | grep -q 'When.*Kind.*Summary' ||
		bad "page $i: the table's header is not repeated"
	i=$((i + 1))
done
pdftotext "$tmp/tl.pdf" - | tr -d '\n ' | grep -q 'event399<b>&amp;日本語のテキストが正しく' ||
	bad "CJK or markup-like text not shown as written"
pdffonts "$tmp/tl.pdf" | grep -q 'CJK' || bad "no CJK font embedded"
# Nothing past the right margin: every word's box inside the page (612 pt wide).
pdftotext -bbox "$tmp/tl.pdf" - | sed -n 's/.*xMax="\([0-9.]*\)".*/\1/p' |
	awk '$1 > 541 { bad = 1 } END { exit bad }' || bad "text runs past the right margin"

# A committed PDF: the Markdown beside it, listed as a version, diffed through its Markdown.
R="$tmp/r"
cp -r "$C" "$R"
"$B" -C "$R" export briefing --format pdf --commit >"$tmp/c1" 2>/dev/null &&
	grep -q "reports/briefing-congressional.pdf version 1" "$tmp/c1" || bad "commit: $(cat "$tmp/c1")"
"$B" -C "$R" event add 2020-09-22 "a new fact for the record" --visibility congress >/dev/null
"$B" -C "$R" export briefing --format pdf --commit >/dev/null 2>&1 || bad "second commit"
[ "$(git -C "$("$B" -C "$R" git-dir)" show --stat --format= HEAD | grep -c 'reports/')" = 2 ] ||
	bad "the PDF and its Markdown are not committed together"
[ "$("$B" -C "$R" reports log | grep -c 'briefing congressional v')" = 2 ] || bad "reports log"
"$B" -C "$R" reports diff >"$tmp/diff" || bad "reports diff"
grep -q '^+- New event: 2020-09-22: a new fact for the record' "$tmp/diff" ||
	bad "the diff is not the Markdown's: $(head -20 "$tmp/diff")"
# The PDF's own bytes are not diffed: one line says its diff is its Markdown's.
grep -q 'Binary files' "$tmp/diff" && bad "the PDF's bytes were diffed"
[ "$(tail -1 "$tmp/diff")" = "reports/briefing-congressional.pdf: a PDF of reports/briefing-congressional.md: its diff is the one above" ] ||
	bad "no PDF note: $(tail -1 "$tmp/diff")"
"$B" -C "$R" reports log | head -1 | grep -q '^[0-9a-f]\{12\}  [0-9TZ:-]*  pdf    briefing congressional v2 ' ||
	bad "reports log does not say pdf: $("$B" -C "$R" reports log | head -1)"
# Only the paper changes: the Markdown is the same, and the note says the PDF alone differs.
"$B" -C "$R" export briefing --format pdf --paper a4 --commit >/dev/null 2>&1 || bad "a4 commit"
"$B" -C "$R" reports diff >"$tmp/diff" || bad "reports diff (a4)"
[ "$(cat "$tmp/diff")" = "reports/briefing-congressional.pdf: a PDF of reports/briefing-congressional.md, which did not change: the PDF differs in its layout or paper only" ] ||
	bad "a4 diff: $(head -5 "$tmp/diff")"
"$B" -C "$R" reports show briefing/congressional/v2 >"$tmp/show" &&
	grep -q "a new fact for the record" "$tmp/show" || bad "reports show: not the Markdown"

# The small binary has no cairo or pango; it hands PDF exports to casefile-full.
if command -v ldd >/dev/null; then
	ldd "$B" | grep -E 'cairo|pango' && bad "the small binary links cairo or pango"
fi
exit $fail
