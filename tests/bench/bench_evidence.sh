#!/bin/sh
# bench_evidence.sh — evidence hashing against sha256sum on the same file (speed and peak
# memory), and `casefile verify` on a 20,000-event case against the demo case.
# BENCH_MB sets the file size (default 1024).
set -u
B=${CASEFILE_BIN:-$PWD/${BUILD:-build}/casefile}
MB=${BENCH_MB:-1024}
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
export CASEFILE_AUTHOR=bench TZ=UTC

now() { date +%s.%N; }
calc() { awk "BEGIN { print $1 }"; }
peak() { # peak RSS in KiB of a command, via /usr/bin/time when present
	if [ -x /usr/bin/time ]; then /usr/bin/time -f %M -o "$T/rss" "$@" >/dev/null 2>&1;
		cat "$T/rss"; else "$@" >/dev/null 2>&1; echo "?"; fi
}

"$B" demo "$T/case" >/dev/null
head -c $((MB * 1048576)) /dev/urandom >"$T/img" 2>/dev/null || exit 1
cat "$T/img" >/dev/null # warm the page cache for both
t0=$(now); sha256sum "$T/img" >/dev/null; t1=$(now)
"$B" -C "$T/case" evidence add "$T/img" >/dev/null; t2=$(now)
base=$(calc "$t1 - $t0"); ours=$(calc "$t2 - $t1")
rss_base=$(peak sha256sum "$T/img"); rss_ours=$(peak "$B" -C "$T/case" evidence verify)
printf 'hash %d MiB: sha256sum %.2fs (%.0f MiB/s), casefile evidence add %.2fs (%.0f MiB/s),' \
	"$MB" "$base" "$(calc "$MB / $base")" "$ours" "$(calc "$MB / $ours")"
printf ' ratio %.2f\n' "$(calc "$ours / $base")"
echo "peak RSS: sha256sum ${rss_base} KiB, casefile evidence verify ${rss_ours} KiB"
rm -f "$T/img"

t0=$(now); "$B" -C "$T/case" verify >/dev/null 2>&1; t1=$(now)
base=$(calc "$t1 - $t0")
"$B" init "$T/big" --title bench >/dev/null
{ echo "message,datetime,timestamp_desc"
  i=0; while [ $i -lt 20000 ]; do
	echo "event $i,2019-05-31T$(printf %02d $((i / 3600 % 24))):$(printf %02d $((i / 60 % 60))):00Z,x"
	i=$((i + 1)); done; } >"$T/ev.csv"
"$B" -C "$T/big" import events "$T/ev.csv" >/dev/null || exit 1
t0=$(now); "$B" -C "$T/big" verify >/dev/null 2>&1; t1=$(now)
big=$(calc "$t1 - $t0")
printf 'verify: demo case %.3fs, 20000-event case %.3fs (ratio %.1f, %.1f us per record)\n' \
	"$base" "$big" "$(calc "$big / $base")" "$(calc "$big * 1000000 / 20000")"
