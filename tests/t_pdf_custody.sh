#!/bin/sh
# t_pdf_custody.sh — `export custody --format pdf`: the chain-of-custody report as a PDF, its
# custody table broken across pages with the header row repeated, the banner and "Page N of
# M" on every page, the same bytes twice; and a table row taller than a page (a very long
# cell) split across pages, cut between lines, marked "(row continued on the next page)":
# every word of it on some page, nothing drawn past the bottom margin, and the export ends.
set -u
export CASEFILE_NOW=2019-07-01T12:00:00Z
B=$CASEFILE_BIN fail=0
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
bad() { echo "FAIL: $*"; fail=1; }
C="$tmp/case"
cf() { "$B" -C "$C" "$@"; }

. "$CASEFILE_SRC/tests/pdf_pages.sh"

# Words drawn below the body (Letter: 792 pt high, the body ends 64 pt above the bottom, the
# bottom banner under it): none but the banner and the page number.
below_body() { # FILE MARKING -> the words found there that are neither
	pdftotext -bbox "$1" - | sed -n 's/.*yMax="\([0-9.]*\)">\(.*\)<\/word>/\1 \2/p' |
		awk -v m="$2" 'BEGIN { n = split(m, w, " "); for (i = 1; i <= n; i++) ok[w[i]] = 1 }
			$1 > 728 + 2 && !($2 in ok) && $2 !~ /^(Page|of|[0-9]+)$/ { print $2 }'
}

"$B" init "$C" --title "Custody & <report>" --marking "CUI//SP-PRVCY" \
	--tz America/New_York >/dev/null || exit 1
id=$(cf evidence add --location "locker 1" --collected-by Ann --collected-at 2019-06-01T08:00 \
	--description "Disk image of the lane camera server") || exit 1
# 60 hand-offs: the custody table runs over pages.
i=0
while [ $i -lt 60 ]; do
	next=$([ $((i % 2)) -eq 0 ] && echo Priya || echo Ann)
	cf evidence transfer "$id" --to "$next" --at "2019-06-0$((2 + i / 24))T$(printf %02d $((i % 24))):00" \
		--location "shelf $i" --reason "hand-off number $i for imaging" >/dev/null ||
		{ bad "transfer $i"; break; }
	i=$((i + 1))
done
cf export custody --format pdf -o "$tmp/c.pdf" || bad "export custody --format pdf"
cf export custody --format pdf | cmp -s - "$tmp/c.pdf" || bad "two custody PDFs differ"
n=$(pages "$tmp/c.pdf")
[ "${n:-0}" -ge 3 ] || bad "60 custody events on only ${n:-0} pages"
each_page "$tmp/c.pdf" "CUI//SP-PRVCY"
pdftotext "$tmp/c.pdf" - | grep -q "Chain of custody: Custody & <report>" || bad "no title"
pdftotext "$tmp/c.pdf" - | tr -d " \n" | grep -q "hand-offnumber59forimaging" || bad "last event missing"
# From the second page on, the custody table's header row is at the top again.
i=2
while [ "$i" -le "${n:-0}" ]; do
	pdftotext -layout -f "$i" -l "$i" "$tmp/c.pdf" - | sed -n '2,6p' |
		grep -q 'Action.*From.*Handler' || bad "page $i: the custody table's header is not repeated"
	i=$((i + 1))
done
pdfinfo "$tmp/c.pdf" | grep -q "^Title: *CUI//SP-PRVCY - Chain of custody: Custody & <report>" ||
	bad "title: $(pdfinfo "$tmp/c.pdf" | grep Title)"
[ -z "$(below_body "$tmp/c.pdf" "CUI//SP-PRVCY")" ] || bad "custody: text below the body"

# A row taller than a page: a reason of 3,000 words, numbered so that none can go missing.
long=$(awk 'BEGIN { for (i = 1; i <= 3000; i++) printf "w%d ", i; print "THE-END" }')
cf evidence transfer "$id" --to Carol --at 2019-06-05T09:00 --reason "$long" >/dev/null ||
	bad "the long transfer"
timeout 120 "$B" -C "$C" export custody --format pdf -o "$tmp/tall.pdf" ||
	bad "custody with a tall row: no PDF in two minutes"
each_page "$tmp/tall.pdf" "CUI//SP-PRVCY"
pdftotext "$tmp/tall.pdf" - | grep -c "(row continued on the next page)" >"$tmp/k"
[ "$(cat "$tmp/k")" -ge 2 ] || bad "the tall row is not marked as continued ($(cat "$tmp/k"))"
pdftotext "$tmp/tall.pdf" - | tr ' ' '\n' | grep -c '^w[0-9]*$' >"$tmp/k"
[ "$(cat "$tmp/k")" = 3000 ] || bad "the tall row shows $(cat "$tmp/k") of its 3000 words"
pdftotext "$tmp/tall.pdf" - | grep -q "THE-END" || bad "the tall row's end is missing"
[ -z "$(below_body "$tmp/tall.pdf" "CUI//SP-PRVCY")" ] ||
	bad "the tall row runs past the bottom: $(below_body "$tmp/tall.pdf" "CUI//SP-PRVCY" | head -3)"
# The pages that continue it start with the table's header row again.
pdftotext -layout "$tmp/tall.pdf" - | grep -c 'Action.*From.*Handler' >"$tmp/k"
[ "$(cat "$tmp/k")" -ge "$(pages "$tmp/tall.pdf")" ] || bad "header not repeated over the tall row"

# The same in the timeline (another table): an event's summary of 3,000 words, A4.
cf event add 2019-06-03 "$long" >/dev/null || bad "long event"
cf export timeline --format pdf --paper a4 -o "$tmp/tl.pdf" || bad "timeline with a tall row"
each_page "$tmp/tl.pdf" "CUI//SP-PRVCY"
pdftotext "$tmp/tl.pdf" - | tr ' ' '\n' | grep -c '^w[0-9]*$' >"$tmp/k"
[ "$(cat "$tmp/k")" = 3000 ] || bad "timeline: the tall row shows $(cat "$tmp/k") of 3000 words"
# A4 is 841.89 pt high: the body ends at 777.89.
pdftotext -bbox "$tmp/tl.pdf" - | sed -n 's/.*yMax="\([0-9.]*\)">\(w[0-9]*\)<\/word>/\1/p' |
	awk '$1 > 779.9 { bad = 1 } END { exit bad }' || bad "timeline: a word below the body"

# A format the kind has not is still refused, naming it.
cf export custody --format csv 2>"$tmp/err" && bad "custody csv accepted"
grep -q "a custody has no csv format" "$tmp/err" || bad "custody csv said: $(cat "$tmp/err")"
exit $fail
