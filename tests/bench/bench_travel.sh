#!/bin/sh
# bench_travel.sh — time travel on a case of BENCH_TRAVEL_ROWS events (default 100000, from
# gen_timeline; the import is niced): `export case` as of the latest moment and known at it
# against the same export now (the baseline, same run), each export's peak RSS, `verify` against
# `export case`, and the terminal UI's first frame at a moment against its first frame now
# (the script harness: one frame, then quit).  Targets (issue 16): as-of within 1.5x of now;
# peak RSS of any export at most 64 MiB; verify at most 2x export case.
set -u
B=${CASEFILE_BIN:-$PWD/${BUILD:-build}/casefile}
ROWS=${BENCH_TRAVEL_ROWS:-100000}
BB=${BENCH_BIN:-$PWD/${BUILD:-build}/bench}
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
export CASEFILE_AUTHOR=bench TZ=UTC LC_ALL=C.UTF-8
unset CASEFILE_NOW

now() { date +%s.%N; }
calc() { awk "BEGIN { print $1 }"; }
timed() { t0=$(now); "$@" >/dev/null 2>&1 || echo "failed: $*" >&2; t1=$(now); calc "$t1 - $t0"; }
peak() { # peak RSS in MiB, via /usr/bin/time when present
	if [ -x /usr/bin/time ]; then /usr/bin/time -f %M -o "$T/rss" "$@" >/dev/null 2>&1;
		calc "$(cat "$T/rss") / 1024"; else echo "?"; fi
}

"$B" init "$T/big" --title bench --tz America/New_York --discovered 2019-05-31 >/dev/null
"$BB/gen_timeline" "$ROWS" >"$T/ev.csv" || exit 1
nice -n 10 "$B" -C "$T/big" import events "$T/ev.csv" >/dev/null || exit 1
rm -f "$T/ev.csv"
late=2100-01-01

base=$(timed "$B" -C "$T/big" export case)
asof=$(timed "$B" -C "$T/big" export case --as-of $late)
known=$(timed "$B" -C "$T/big" export case --known-at $late)
printf 'result: travel %d events: export case %.2fs, --as-of %.2fs (ratio %.2f, target 1.5),' \
	"$ROWS" "$base" "$asof" "$(calc "$asof / $base")"
printf ' --known-at %.2fs (ratio %.2f)\n' "$known" "$(calc "$known / $base")"
printf 'result: travel %d events: peak RSS export case %s MiB, --as-of %s MiB, --known-at %s' \
	"$ROWS" "$(peak "$B" -C "$T/big" export case)" "$(peak "$B" -C "$T/big" export case \
	--as-of $late)" "$(peak "$B" -C "$T/big" export case --known-at $late)"
printf ' MiB, timeline csv %s MiB (target 64)\n' "$(peak "$B" -C "$T/big" export timeline)"
ver=$(timed "$B" -C "$T/big" verify)
printf 'result: travel %d events: verify %.2fs, export case %.2fs (ratio %.2f, target 2)\n' \
	"$ROWS" "$ver" "$base" "$(calc "$ver / $base")"
printf 'dump first\n' >"$T/one.keys"
frame() { CASEFILE_TUI_SCRIPT="$T/one.keys" CASEFILE_TUI_OUT="$T/one.out" \
	CASEFILE_TUI_SIZE=80x24 "$B" -C "$T/big" "$@" </dev/null; }
f_now=$(timed frame --at now)
f_past=$(timed frame --at 2019-06-01)
printf 'result: travel %d events: TUI first frame now %.3fs, at a moment %.3fs (ratio %.1f,' \
	"$ROWS" "$f_now" "$f_past" "$(calc "$f_past / $f_now")"
printf ' target 100 ms)\n'
