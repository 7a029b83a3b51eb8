#!/bin/sh
# t_concurrency.sh — two shells each running `casefile event add` N times at once, each add a
# whole process that opens, writes and closes the case: every add succeeds, nothing is said on
# stderr ("database is locked" above all), and the case ends with 2N events and a sound chain.
# N is 150 in make check and 2,000 in make stress (CASEFILE_STRESS=1).
set -u
B=${CASEFILE_BIN:?}
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
N=150
[ -n "${CASEFILE_STRESS:-}" ] && [ "$CASEFILE_STRESS" != 0 ] && N=2000
"$B" init "$T/case" --title concurrency >/dev/null || { echo "FAIL: init"; exit 1; }

writer() { # NAME: adds N events, counting failures
	i=0 bad=0
	while [ $i -lt $N ]; do
		"$B" -C "$T/case" event add 2019-05-31T14:02Z "$1 event $i" >/dev/null \
			2>>"$T/$1.err" || bad=$((bad + 1))
		i=$((i + 1))
	done
	echo $bad >"$T/$1.bad"
}
writer a & pa=$!
writer b & pb=$!
wait $pa $pb
fails=0
for w in a b; do
	[ "$(cat "$T/$w.bad")" = 0 ] || { echo "FAIL: writer $w: $(cat "$T/$w.bad") adds failed"; fails=1; }
	[ -s "$T/$w.err" ] && { echo "FAIL: writer $w said:"; sort "$T/$w.err" | uniq -c | head; fails=1; }
done
n=$("$B" -C "$T/case" event list | wc -l)
[ "$n" -eq $((2 * N)) ] || { echo "FAIL: $n events, want $((2 * N))"; fails=1; }
"$B" -C "$T/case" verify >"$T/verify" 2>&1 || { cat "$T/verify"; fails=1; }
[ $fails -eq 0 ] || exit 1
echo "concurrency: 2 x $N adds, each its own process, all stored, nothing on stderr"
