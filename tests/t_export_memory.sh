#!/bin/sh
# t_export_memory.sh — exports stream: a 200,000-event case exported under `ulimit -v` 150 MB,
# now and at past moments (--as-of, --known-at), as case JSON, timeline CSV, Markdown and HTML;
# a 15,000-event timeline as PDF under 250 MB.
# Before the model read records through cursors (export/model.c, store/cursor.c) and moments
# became queries (store/view_query.c), the same exports needed 210 MB (timeline) to 1.1 GB
# (case --as-of) of memory on this case and died of it under this limit.  The limit bites: the
# replay into memory, kept as the reference (CASEFILE_VIEW=replay), is refused under it.
set -u
B=${CASEFILE_BIN:?}
BUILD=${BUILD:-build}
ROWS=${CASEFILE_MEM_ROWS:-200000}
LIMIT_KB=150000
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }
export TZ=UTC CASEFILE_AUTHOR="Mem Test <mem@example.org>"

# The case: ROWS events imported on 2026-01-01, then on 2026-01-02 one renamed, one deleted
# and one added, so that a moment between the two days folds those records from the log.
CASEFILE_NOW=2026-01-01T00:00:00Z "$B" init "$T/c" --title "Memory" --tz America/New_York \
	--discovered 2019-05-31 >/dev/null || exit 1
"$CASEFILE_SRC/$BUILD/bench/gen_timeline" "$ROWS" >"$T/ev.csv" || exit 1
CASEFILE_NOW=2026-01-01T00:00:00Z nice -n 5 "$B" -C "$T/c" import events "$T/ev.csv" \
	>/dev/null || exit 1
rm -f "$T/ev.csv"
ids=$("$B" -C "$T/c" event list --json --limit 2 | grep -o '"id": *"[a-z0-9]*"' | head -2 |
	sed 's/.*"\([a-z0-9]*\)"$/\1/')
first=$(echo "$ids" | sed -n 1p); second=$(echo "$ids" | sed -n 2p)
[ -n "$first" ] && [ -n "$second" ] || bad "no event ids: $ids"
export CASEFILE_NOW=2026-01-02T00:00:00Z
"$B" -C "$T/c" event edit "$first" --summary "Renamed later" >/dev/null || bad "edit"
"$B" -C "$T/c" event rm "$second" >/dev/null || bad "delete"
"$B" -C "$T/c" event add 2019-06-01 "Added later" >/dev/null || bad "add"
unset CASEFILE_NOW

# EXPORT ARGS...: under the limit, into $T/out; fails the test on a non-zero exit.
limited() { (ulimit -v $LIMIT_KB && exec "$B" -C "$T/c" "$@") >"$T/out" 2>"$T/err"; }
run() {
	limited "$@" || { bad "$* under ulimit -v $LIMIT_KB: $(head -c 300 "$T/err")"; return 1; }
}
count() { grep -c "$1" "$T/out"; }

run export case --format json &&
	{ [ "$(count '"occurred":')" = "$ROWS" ] || bad "case json: $(count '"occurred":') events"
	  grep -q "Renamed later" "$T/out" || bad "case json: not the current values"; }
run export case --format json --as-of 2026-01-01T12:00 &&
	{ [ "$(count '"occurred":')" = "$ROWS" ] || bad "case --as-of: $(count '"occurred":') events"
	  grep -q "Renamed later\|Added later" "$T/out" && bad "case --as-of shows later changes"; }
# Known at noon on the first day: the imported events (entered then), not the one added later.
run export case --format json --known-at 2026-01-01T12:00 &&
	{ [ "$(count '"occurred":')" = $((ROWS - 1)) ] ||
		bad "case --known-at: $(count '"occurred":') events, not $((ROWS - 1))"
	  grep -q "Added later" "$T/out" && bad "case --known-at shows what was learned later"; }
run export timeline --format csv &&
	{ [ "$(wc -l <"$T/out")" = $((ROWS + 1)) ] || bad "timeline csv: $(wc -l <"$T/out") lines"; }
run export timeline --format md &&
	{ [ "$(count '^| ')" = $((ROWS + 1)) ] || bad "timeline md: $(count '^| ') rows"; }
run export timeline --format md --known-at 2026-01-01T12:00 &&
	{ [ "$(count '^| ')" = "$ROWS" ] || bad "md --known-at: $(count '^| ') rows"; }
# HTML renders its Markdown a piece at a time (export/md_stream.c): it needed 502 MiB here.
run export timeline --format html &&
	{ [ "$(count '^<tr>')" = $((ROWS + 1)) ] || bad "timeline html: $(count '^<tr>') rows"
	  [ "$(count '<table>')" = 1 ] || bad "timeline html: $(count '<table>') tables"; }
run export briefing --profile sitrep --format html --as-of 2026-01-01T12:00 &&
	{ grep -q "</html>" "$T/out" || bad "sitrep html --as-of: not the whole page"; }

# The limit is below what holding the case in memory takes (at the full size).
[ "$ROWS" -ge 200000 ] || exit $fail
CASEFILE_VIEW=replay limited export case --format json --as-of 2026-01-01T12:00 &&
	bad "the replay into memory fit under ulimit -v $LIMIT_KB: the limit proves nothing"
grep -q "out of memory" "$T/err" || bad "the replay failed for another reason: $(head -c 300 "$T/err")"
(CASEFILE_RENDER=whole limited export timeline --format html) 2>/dev/null &&
	bad "the whole HTML document fit under ulimit -v $LIMIT_KB: the limit proves nothing"

# PDF: laid out twice, a page at a time held (export/pdf.c); it kept every page's drawing to
# the end, 280 MiB for a timeline of 20,000 events, and died under this limit at 15,000.
PDF_ROWS=15000 PDF_LIMIT_KB=250000
CASEFILE_NOW=2026-01-01T00:00:00Z "$B" init "$T/p" --title "PDF" --tz America/New_York \
	--discovered 2019-05-31 >/dev/null || exit 1
"$CASEFILE_SRC/$BUILD/bench/gen_timeline" "$PDF_ROWS" >"$T/ev.csv" || exit 1
CASEFILE_NOW=2026-01-01T00:00:00Z "$B" -C "$T/p" import events "$T/ev.csv" >/dev/null || exit 1
(ulimit -v $PDF_LIMIT_KB && exec "$B" -C "$T/p" export timeline --format pdf) >"$T/out.pdf" \
	2>"$T/err" || bad "timeline pdf under ulimit -v $PDF_LIMIT_KB: $(head -c 300 "$T/err")"
pdfinfo "$T/out.pdf" 2>/dev/null | grep -q "^Pages: *[1-9][0-9][0-9]" ||
	bad "timeline pdf: $(pdfinfo "$T/out.pdf" 2>&1 | grep Pages)"
exit $fail
