#!/bin/sh
# t_charts.sh — the briefing's charts: in HTML an SVG figure each (the timeline, one per
# estimate category), strict-parsed, hostile text escaped in every label and title; in the
# PDF the same drawings under "Figures"; a long timeline shows its key events and says so.
set -u
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
B=$CASEFILE_BIN C="$tmp/case" fail=0
bad() { echo "FAIL: $*"; fail=1; }
CASEFILE_NOW=2020-10-01T12:00:00Z CASEFILE_RULES_DIR="$CASEFILE_SRC/store/deadline/rules" \
	"$B" demo "$C" >/dev/null || exit 1
export CASEFILE_NOW=2020-10-01T12:00:00Z CASEFILE_RULES_DIR="$CASEFILE_SRC/store/deadline/rules"

"$B" -C "$C" export briefing --format html >"$tmp/b.html" 2>/dev/null || bad "html"
[ "$(grep -c '<figure class="chart">' "$tmp/b.html")" = 3 ] || bad "demo: not 3 charts"
grep -q '<figcaption>11 of 11 dated events (all);' "$tmp/b.html" || bad "timeline caption"
grep -q '>10,000 to 99,999</text>' "$tmp/b.html" || bad "the first estimate's range label"
grep -q '>184,000</text>' "$tmp/b.html" || bad "the revision's best estimate label"
"$B" -C "$C" export briefing --format pdf -o "$tmp/b.pdf" 2>/dev/null || bad "pdf"
pdftotext "$tmp/b.pdf" - | grep -q '^Figures$' || bad "no Figures in the PDF"
pdftotext "$tmp/b.pdf" - | grep -q '11 of 11 dated events' || bad "no timeline chart in the PDF"
pdftotext "$tmp/b.pdf" - | grep -q 'Estimates: traveler and license-plate images' ||
	bad "no estimate chart in the PDF"
# Timelines and the plain Markdown have no figures.
"$B" -C "$C" export timeline --format html | grep -q '<svg' && bad "a timeline export has a chart"

# Hostile text in every label: event summaries, estimate categories, notice recipients.
H="$tmp/h"
"$B" init "$H" --title '<svg onload=alert(1)>' --discovered 2020-01-05 >/dev/null || bad "init"
evil='</text></svg><script>alert(1)</script> & "q" '"'"'x'"'"' <img src=x onerror=alert(2)>'
"$B" -C "$H" event add 2020-01-01/2020-01-03 "$evil" --kind attack --visibility congress >/dev/null &&
"$B" -C "$H" event add 2020-01-04 "$(printf 'bidi \342\200\256 esc \033[31m')" --visibility congress \
	>/dev/null &&
"$B" -C "$H" estimate add "$evil" people --low 1 --high 5 --as-of 2020-01-06 \
	--visibility congress >/dev/null &&
"$B" -C "$H" notice add "$evil" --due 2020-01-09 --visibility congress >/dev/null ||
	bad "hostile setup"
"$B" -C "$H" export briefing --format html >"$tmp/h.html" 2>/dev/null || bad "hostile html"
[ "$(grep -c '<figure class="chart">' "$tmp/h.html")" = 2 ] || bad "hostile: not 2 charts"
python3 "$CASEFILE_SRC/tests/html_check.py" "$tmp/h.html" || bad "hostile HTML does not parse"
grep -q '<script\|<img\|<svg onload' "$tmp/h.html" && bad "hostile markup reached the HTML"
sed -n '/<figure/,/<\/figure>/p' "$tmp/h.html" | grep -q '&lt;/text&gt;&lt;/svg&gt;&lt;script' ||
	bad "hostile label not shown escaped"
LC_ALL=C grep -q "$(printf '\342\200\256')" "$tmp/h.html" && bad "a bidi override reached the HTML"
"$B" -C "$H" export briefing --format pdf -o "$tmp/h.pdf" 2>/dev/null || bad "hostile pdf"
pdftotext "$tmp/h.pdf" - | grep -q '</text></svg><script>' || bad "hostile label not in the PDF as text"

# More than 40 dated events: the key events only, and the caption says so.
K="$tmp/k"
"$B" init "$K" --title k >/dev/null
{ echo "message,datetime,timestamp_desc"
  awk 'BEGIN { for (i = 0; i < 45; i++) printf "e%d,2019-05-%02dT00:00:00Z,x\n", i, i % 28 + 1 }'
} >"$tmp/ev.csv"
"$B" -C "$K" import events "$tmp/ev.csv" >/dev/null || bad "import"
"$B" -C "$K" event add 2019-06-01 "the key one" --key yes >/dev/null
"$B" -C "$K" export briefing --profile sitrep --format html >"$tmp/k.html" || bad "k html"
grep -q '<figcaption>1 of 46 dated events (key events);' "$tmp/k.html" ||
	bad "long timeline caption: $(grep -o '<figcaption>[^<]*' "$tmp/k.html" | head -1)"
exit $fail
