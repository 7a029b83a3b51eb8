#!/bin/sh
# t_travel_ties.sh — stepping onto a moment many changes share (a bulk import's second): the
# terminal UI says how many ("+N more"), and past 100 stops counting ("+99 or more") rather
# than reading every one of a million, as of (operations) and known at (records entered).
set -u
B=${CASEFILE_BIN:?}
G="${CASEFILE_SRC:?}/${BUILD:-build}/bench/gen_timeline"
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }

# step N AT: the status line after one ] from AT (as of, then known at), on a case of N events
# imported in one second.
step() {
	C="$T/c$1"
	CASEFILE_NOW=2026-01-01T00:00:00Z "$B" init "$C" --title ties --tz UTC \
		--discovered 2019-05-31 >/dev/null || bad "init"
	"$G" "$1" >"$T/ev.csv" || bad "gen_timeline"
	CASEFILE_NOW=2026-01-01T00:00:10Z "$B" -C "$C" import events "$T/ev.csv" >/dev/null ||
		bad "import $1"
	for q in as-of known-at; do
		printf 'key :\ntype %s 2026-01-01T00:00:05Z\nkey Enter\nkey ]\ndump step\n' $q \
			>"$T/keys"
		CASEFILE_TUI_SCRIPT="$T/keys" CASEFILE_TUI_OUT="$T/$q.$1" CASEFILE_TUI_SIZE=132x30 \
			timeout 60 "$B" -C "$C" </dev/null >/dev/null 2>&1 || bad "TUI $q $1: exit $?"
	done
}

step 150
for q in as-of known-at; do
	grep -q '2026-01-01T00:00:10Z (+99 or more)' "$T/$q.150" ||
		bad "$q, 150 at one second: $(grep -a 'more' "$T/$q.150" | head -2)"
done
step 40
for q in as-of known-at; do
	grep -q '2026-01-01T00:00:10Z (+39 more)' "$T/$q.40" ||
		bad "$q, 40 at one second: $(grep -a 'more' "$T/$q.40" | head -2)"
done

[ $fail = 0 ] && echo "time travel: a step onto a moment many changes share"
exit $fail
