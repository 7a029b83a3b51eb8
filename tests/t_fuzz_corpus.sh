#!/bin/sh
# t_fuzz_corpus.sh — every fuzz target (tests/fuzz/fuzz_NAME.c) run once over its corpus
# (tests/fuzz/corpus/NAME, kept in the repository; a crash `make fuzz` found is added there),
# built without libFuzzer by tests/fuzz/replay.c: the corpus as regression tests.
set -u
S=${CASEFILE_SRC:?}
D="$S/${BUILD:-build}/fuzz"
fail=0
n=0
for src in "$S"/tests/fuzz/fuzz_*.c; do
	t=$(basename "$src" .c)
	t=${t#fuzz_}
	[ -d "$S/tests/fuzz/corpus/$t" ] || { echo "FAIL: $t has no corpus"; fail=1; continue; }
	[ -x "$D/replay_$t" ] || { echo "FAIL: $D/replay_$t not built"; fail=1; continue; }
	"$D/replay_$t" "$S/tests/fuzz/corpus/$t" >"${TMPDIR:-/tmp}/fuzz.$$" 2>&1
	rc=$?
	[ $rc -eq 0 ] || { echo "FAIL: $t: exit status $rc"; cat "${TMPDIR:-/tmp}/fuzz.$$"; fail=1; }
	n=$((n + 1))
done
rm -f "${TMPDIR:-/tmp}/fuzz.$$"
[ $n -ge 4 ] || { echo "FAIL: only $n fuzz targets"; fail=1; }
exit $fail
