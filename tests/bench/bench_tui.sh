#!/bin/sh
# bench_tui.sh — the terminal UI on a 1,000,000-event case (BENCH_ROWS) against the same on
# the small demo case, in one run: time to the first frame (target < 100 ms), a navigation key
# (PgDn, PgUp, End, Home, j, k, search next) to its finished frame (target p99 < 5 ms), and
# resident memory (target < 30 MB).  Keys come from the test harness (CASEFILE_TUI_SCRIPT),
# frames are drawn by curses to a virtual terminal; CASEFILE_TUI_TIMES records each key.
set -u
ROWS=${BENCH_ROWS:-1000000}
B=${CASEFILE_BIN:?}
BB=${BENCH_BIN:?}
T=$(mktemp -d "${TMPDIR:-/tmp}/casefile-bench-tui-XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
export CASEFILE_RULES_DIR="$PWD/store/deadline/rules" TERM=xterm-256color LC_ALL=C.UTF-8
unset NO_COLOR CASEFILE_DIR

echo "building a $ROWS-event case"
"$BB/gen_timeline" "$ROWS" >"$T/timeline.csv" || exit 1
"$B" init "$T/big" --title "TUI bench" --discovered 2018-08-01 >/dev/null || exit 1
"$B" -C "$T/big" import events "$T/timeline.csv" >/dev/null || exit 1
rm -f "$T/timeline.csv"
"$B" demo "$T/small" >/dev/null || exit 1

# The navigation script: pages both ways, ends, rows, then a search and its next matches.
{
	echo "key 2"
	i=0; while [ $i -lt 100 ]; do echo "key PgDn"; i=$((i + 1)); done
	echo "key End"
	i=0; while [ $i -lt 100 ]; do echo "key PgUp"; i=$((i + 1)); done
	echo "key Home"
	i=0; while [ $i -lt 200 ]; do echo "key j"; i=$((i + 1)); done
	i=0; while [ $i -lt 200 ]; do echo "key k"; i=$((i + 1)); done
	echo "key G"; echo "key g"
	echo "key /"; echo "type login"; echo "key Enter"
	i=0; while [ $i -lt 100 ]; do echo "key n"; i=$((i + 1)); done
	i=0; while [ $i -lt 50 ]; do echo "key N"; i=$((i + 1)); done
} >"$T/nav.keys"
# Lines of the times file: 1 the screen switch, 2-605 moves, 606-612 the search prompt
# ("/", five letters, Enter: building the hits), 613-762 search next and previous.
SEARCH=606

# first FRAME_CASE: median of 5 first frames (the dashboard), in ms.
first() {
	: >"$T/first"
	for i in 1 2 3 4 5; do
		: >"$T/empty.keys"
		CASEFILE_TUI_T0=$(date +%s%N) CASEFILE_TUI_SCRIPT="$T/empty.keys" \
			CASEFILE_TUI_OUT=/dev/null CASEFILE_TUI_TIMES="$T/t" "$B" -C "$1" </dev/null
		sed -n 's/^first-frame //p' "$T/t" >>"$T/first"
	done
	sort -n "$T/first" | sed -n 3p
}

# pct FILE COLUMN P: the P-quantile of a column of FILE.
pct() { sort -n -k "$2" "$1" | awk -v c="$2" -v p="$3" '{ a[NR] = $c }
	END { i = int(NR * p + 0.999); if (i < 1) i = 1; printf "%.2f", a[i] }'; }

# nav CASE: runs the script; prints wall p50, p99, max and CPU p99 of the moves, the same of
# search next, the resident size in KB, the search build time and the number of keys.
nav() {
	CASEFILE_TUI_SCRIPT="$T/nav.keys" CASEFILE_TUI_OUT=/dev/null CASEFILE_TUI_TIMES="$T/t" \
		/usr/bin/time -f "%M" -o "$T/rss" "$B" -C "$1" </dev/null || return 1
	grep -v '^first' "$T/t" >"$T/times"
	awk -v s=$SEARCH 'NR > 1 && NR < s' "$T/times" >"$T/moves"
	awk -v s=$SEARCH 'NR >= s + 7' "$T/times" >"$T/next"
	echo "$(pct "$T/moves" 1 0.5) $(pct "$T/moves" 1 0.99) $(pct "$T/moves" 1 1)" \
		"$(pct "$T/moves" 2 0.99)" \
		"$(pct "$T/next" 1 0.5) $(pct "$T/next" 1 0.99) $(pct "$T/next" 1 1)" \
		"$(pct "$T/next" 2 0.99)" \
		"$(cat "$T/rss") $(sed -n "$((SEARCH + 6))p" "$T/times" | cut -d' ' -f1)" \
		"$(wc -l <"$T/times")"
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }

f_big=$(first "$T/big"); f_small=$(first "$T/small")
echo "result: tui first frame ($ROWS events)  ${f_big} ms   demo case ${f_small} ms" \
	" ratio $(ratio "$f_big" "$f_small")x (target < 100 ms)"
set -- $(nav "$T/big"); big="$*"
set -- $(nav "$T/small"); small="$*"
set -- $small
s99=$2 scpu=$4 sn99=$6 sncpu=$8 srss=$9
set -- $big
echo "  ${11} keys on the big case; building the search hits took ${10} ms"
echo "result: tui navigation key ($ROWS events) p50 $1 ms  p99 $2 ms  max $3 ms  (cpu p99 $4 ms);" \
	"demo p99 $s99 ms (cpu $scpu)  ratio $(ratio "$2" "$s99")x (target p99 < 5 ms)"
echo "result: tui search next ($ROWS events)    p50 $5 ms  p99 $6 ms  max $7 ms  (cpu p99 $8 ms);" \
	"demo p99 $sn99 ms (cpu $sncpu)"
echo "result: tui resident memory ($ROWS events) $(($9 / 1024)) MB  demo $((srss / 1024)) MB" \
	" ratio $(ratio "$9" "$srss")x (target < 30 MB)"
echo "  (load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores: wall times include" \
	"waiting for a core; cpu times do not)"
