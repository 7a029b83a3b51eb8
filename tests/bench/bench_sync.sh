#!/bin/sh
# bench_sync.sh — sync through a local remote, against baselines measured here, in one run:
#   a sync sending 10,000 new operations     vs git push of the same commits (target <= 1 s)
#   a sync with nothing new                  vs git fetch with nothing new (target <= 100 ms)
#   clone and replay of a ROWS-event case    vs casefile import events of the same CSV
#                                              (target <= 3x)
# SYNC_ROWS (default BENCH_ROWS, else 1000000) sets the size of the cloned case.
set -u
ROWS=${SYNC_ROWS:-${BENCH_ROWS:-1000000}}
B=${CASEFILE_BIN:?}
BB=${BENCH_BIN:?}
T=$(mktemp -d "${TMPDIR:-/tmp}/casefile-bench-XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
export CASEFILE_AUTHOR="Bench <bench@example.org>"

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

# 10,000 new operations: 9,999 imported events and the case's own.
"$BB/gen_timeline" 9999 >"$T/10k.csv" || exit 1
"$B" init "$T/a" --title bench >/dev/null || exit 1
"$B" -C "$T/a" import events "$T/10k.csv" >/dev/null || exit 1
"$B" -C "$T/a" remote add origin "$T/shared.git" || exit 1
a=$(now)
"$B" -C "$T/a" sync >"$T/out" || exit 1
b=$(now)
t_sync=$(secs "$a" "$b")
cat "$T/out"
git init -q --bare "$T/plain.git"
a=$(now)
git --git-dir="$T/a/casefile.git" push -q "$T/plain.git" main 2>/dev/null || exit 1
b=$(now)
t_push=$(secs "$a" "$b")
echo "result: sync of 10,000 new ops        ${t_sync}s  git push of the same ${t_push}s" \
	" ratio $(ratio "$t_sync" "$t_push")x (target <= 1 s)"

# Nothing new, a whole process each time.
set -- $("$BB/timecmd" 50 "$B" -C "$T/a" sync)
echo "result: sync with nothing new         median ${1} ms  p95 ${2} ms (target <= 100 ms)"
git --git-dir="$T/a/casefile.git" remote add plain "$T/plain.git"
set -- $("$BB/timecmd" 50 git --git-dir="$T/a/casefile.git" fetch -q plain)
echo "result:   (git fetch, nothing new)    median ${1} ms  p95 ${2} ms"

# Clone and replay of a ROWS-event case, against importing the same events.
echo "generating a $ROWS-row Timesketch CSV"
"$BB/gen_timeline" "$ROWS" >"$T/big.csv" || exit 1
"$B" init "$T/big" --title bench >/dev/null || exit 1
a=$(now)
"$B" -C "$T/big" import events "$T/big.csv" >/dev/null || exit 1
b=$(now)
t_import=$(secs "$a" "$b")
"$B" -C "$T/big" remote add origin "$T/big.git" || exit 1
a=$(now)
"$B" -C "$T/big" sync >/dev/null || exit 1
b=$(now)
t_first=$(secs "$a" "$b")
a=$(now)
"$B" clone "$T/big.git" "$T/copy" >/dev/null || exit 1
b=$(now)
t_clone=$(secs "$a" "$b")
"$B" -C "$T/big" export case --format json | md5sum >"$T/sum.big"
"$B" -C "$T/copy" export case --format json | md5sum >"$T/sum.copy"
cmp -s "$T/sum.big" "$T/sum.copy" || { echo "the clone differs"; exit 1; }
echo "  first sync of the $ROWS-event case (writing every op file): ${t_first}s," \
	"repository $(du -sk "$T/big.git" | cut -f1) KB"
echo "result: clone of ${ROWS} events       ${t_clone}s  import ${t_import}s" \
	" ratio $(ratio "$t_clone" "$t_import")x (target <= 3x)"
