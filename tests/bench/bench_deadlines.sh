#!/bin/sh
# bench_deadlines.sh — `casefile deadlines` (rule packs loaded, engine, notice sync) against
# `casefile notice list` (open the case, list records) as the baseline, on the demo case and on
# a case with BENCH_ROWS events (default 1,000,000, from gen_timeline), every pack enabled (the 54
# U.S. jurisdictions among them), estimates by jurisdiction and a rule triggered by an event kind.
# BENCH_RUNS sets the number of runs of each (default 30).  Target: deadlines < 2x notice list.
set -u
B=${CASEFILE_BIN:-$PWD/${BUILD:-build}/casefile}
SRC=${CASEFILE_SRC:-$PWD}
RUNS=${BENCH_RUNS:-30}
ROWS=${BENCH_ROWS:-1000000}
BB=${BENCH_BIN:-$PWD/${BUILD:-build}/bench}
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
export CASEFILE_AUTHOR=bench TZ=UTC CASEFILE_RULES_DIR="$SRC/store/deadline/rules" XDG_CONFIG_HOME="$T/cfg"

now() { date +%s.%N; }
calc() { awk "BEGIN { print $1 }"; }
runs() { # seconds for RUNS runs of a command
	t0=$(now); i=0
	while [ $i -lt "$RUNS" ]; do "$@" >/dev/null 2>&1 || exit 1; i=$((i + 1)); done
	t1=$(now); calc "$t1 - $t0"
}
report() {
	printf '%s: notice list %.1f ms, deadlines %.1f ms per run (ratio %.2f)\n' "$1" \
		"$(calc "$2 * 1000 / $RUNS")" "$(calc "$3 * 1000 / $RUNS")" "$(calc "$3 / $2")"
}

"$B" demo "$T/demo" >/dev/null
"$B" -C "$T/demo" deadlines >/dev/null # the first run creates the notices
base=$(runs "$B" -C "$T/demo" notice list)
ours=$(runs "$B" -C "$T/demo" deadlines --json)
report "demo case" "$base" "$ours"

"$B" init "$T/big" --title bench --tz America/New_York --discovered 2019-05-31 >/dev/null
"$BB/gen_timeline" "$ROWS" >"$T/ev.csv" || exit 1
"$B" -C "$T/big" import events "$T/ev.csv" >/dev/null || exit 1
for j in US-TX US-WA US-CA US-NY; do
	"$B" -C "$T/big" estimate add people people --high 2000 --as-of 2019-06-01 --jurisdiction $j \
		>/dev/null || exit 1
done
mkdir -p "$T/cfg/casefile/rules"
printf 'pack = bench\n[rule imported-1h]\ntitle = t\ntrigger = event:imported\nwithin = 1 hour\nrecipient = r\nsource = s\n' \
	>"$T/cfg/casefile/rules/bench.rules"
for p in federal gdpr hipaa sec nydfs us-states dfars circia ftc banking uk-gdpr canada australia \
	nis2 dora bench; do "$B" -C "$T/big" rules enable $p >/dev/null; done
"$B" -C "$T/big" case edit --aware 2019-05-31 --breach-determined 2019-06-01 >/dev/null 2>&1
"$B" -C "$T/big" deadlines >/dev/null
base=$(runs "$B" -C "$T/big" notice list)
ours=$(runs "$B" -C "$T/big" deadlines --json)
report "$ROWS events, all packs" "$base" "$ours"
echo "result: deadlines / notice list on $ROWS events: $(calc "$ours / $base")x (target < 2)"
