#!/bin/sh
# bench_export.sh — exports of a 20,000-event case against the time `casefile event list`
# takes to read the same events (the baseline), and a second briefing whose "changes since"
# section spans every event.  BENCH_EVENTS sets the size (default 20000).
set -u
B=${CASEFILE_BIN:-$PWD/${BUILD:-build}/casefile}
N=${BENCH_EVENTS:-20000}
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
export CASEFILE_AUTHOR=bench TZ=UTC

now() { date +%s.%N; }
calc() { awk "BEGIN { print $1 }"; }
timed() { t0=$(now); "$@" >/dev/null 2>&1 || echo "failed: $*" >&2; t1=$(now); calc "$t1 - $t0"; }

"$B" init "$T/big" --title bench --discovered 2019-05-31 >/dev/null
"$B" -C "$T/big" export briefing --profile sitrep --commit >/dev/null # v1: no events yet
{ echo "message,datetime,timestamp_desc"
  awk -v n="$N" 'BEGIN { for (i = 0; i < n; i++)
	printf "event %d | *x*,2019-05-31T%02d:%02d:%02dZ,x\n", i, i / 3600 % 24, i / 60 % 60, i % 60 }'
} >"$T/ev.csv"
"$B" -C "$T/big" import events "$T/ev.csv" >/dev/null || exit 1

base=$(timed "$B" -C "$T/big" event list)
printf 'result: baseline: event list of %d events %.3fs\n' "$N" "$base"
for args in "briefing --profile sitrep" "briefing --profile sitrep --format html" \
	"timeline" "timeline --format jsonl" "case" "briefing --profile sitrep --as-of 2030-01-01"; do
	t=$(timed "$B" -C "$T/big" export $args)
	printf 'result: export %-45s %.3fs  ratio %.1f\n' "$args" "$t" "$(calc "$t / $base")"
done
# PDF against the Markdown it is laid out from, both measured here.
for kind in "briefing --profile sitrep" "timeline"; do
	md=$(timed "$B" -C "$T/big" export $kind --format md)
	pdf=$(timed "$B" -C "$T/big" export $kind --format pdf -o "$T/out.pdf")
	printf 'result: export %s --format pdf %.3fs (%d pages), --format md %.3fs: ratio %.1f\n' \
		"$kind" "$pdf" "$(pdfinfo "$T/out.pdf" | sed -n 's/^Pages: *//p')" "$md" \
		"$(calc "$pdf / $md")"
done
t=$(timed "$B" -C "$T/big" export briefing --profile sitrep --commit)
printf 'result: export briefing --profile sitrep --commit (changes: %d events) %.3fs  ratio %.1f\n' \
	"$N" "$t" "$(calc "$t / $base")"
t=$(timed "$B" -C "$T/big" reports diff)
printf 'result: reports diff %.3fs  ratio %.1f\n' "$t" "$(calc "$t / $base")"
