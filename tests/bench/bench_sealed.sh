#!/bin/sh
# bench_sealed.sh — sync of 10,000 new operations on a sealed case against the same on an
# unsealed one, side by side in one run (target <= 2x): both cases made with the same
# identity (so both sign), both importing the same 9,999 events; then a second replica of
# each receives them.  SEALED_ROUNDS (default 3) rounds, alternating, medians reported.
set -u
B=${CASEFILE_BIN:?}
BB=${BENCH_BIN:?}
ROUNDS=${SEALED_ROUNDS:-3}
T=$(mktemp -d "${TMPDIR:-/tmp}/casefile-bench-XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
export CASEFILE_AUTHOR="Bench <bench@example.org>" CASEFILE_IDENTITY="$T/id"

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
med() { sort -n | awk '{ v[NR] = $1 }
	END { m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.3f", m }'; }

"$B" id init --name Bench --email bench@example.org >/dev/null 2>&1 || exit 1
"$BB/gen_timeline" 9999 >"$T/10k.csv" || exit 1
: >"$T/send"
: >"$T/recv"
for r in $(seq 1 "$ROUNDS"); do
	for kind in sealed plain; do
		d="$T/$kind$r"
		if [ $kind = sealed ]; then
			"$B" init "$d" --sealed --title bench >/dev/null || exit 1
		else
			"$B" init "$d" --title bench >/dev/null || exit 1
		fi
		"$B" -C "$d" remote add origin "$d.git" && "$B" -C "$d" sync >/dev/null &&
			"$B" clone "$d.git" "$d.copy" >/dev/null || exit 1
		"$B" -C "$d" import events "$T/10k.csv" >/dev/null || exit 1
		a=$(now)
		"$B" -C "$d" sync >"$T/out.$kind" || exit 1
		b=$(now)
		"$B" -C "$d.copy" sync >"$T/in.$kind" || exit 1
		c=$(now)
		eval "s_$kind=\$(secs \$a \$b) r_$kind=\$(secs \$b \$c)"
	done
	grep -q "sent 9999 operations" "$T/out.sealed" && grep -q "received 9999" "$T/in.sealed" ||
		{ cat "$T/out.sealed" "$T/in.sealed"; exit 1; }
	echo "$s_sealed $s_plain $(ratio "$s_sealed" "$s_plain")" >>"$T/send"
	echo "$r_sealed $r_plain $(ratio "$r_sealed" "$r_plain")" >>"$T/recv"
done
git -C "$T/sealed1.git" show "main:$(git -C "$T/sealed1.git" ls-tree -r --name-only main ops | tail -1)" |
	head -c 18 | grep -q "^casefile-sealed 1 " || { echo "the sealed case's op files are not sealed"; exit 1; }
echo "result: sync sending 10,000 new ops, sealed median $(cut -d' ' -f1 "$T/send" | med)s;" \
	"unsealed $(cut -d' ' -f2 "$T/send" | med)s side by side: sealed is" \
	"$(cut -d' ' -f3 "$T/send" | med)x (target <= 2x)"
echo "result: sync receiving 10,000 new ops, sealed median $(cut -d' ' -f1 "$T/recv" | med)s;" \
	"unsealed $(cut -d' ' -f2 "$T/recv" | med)s side by side: sealed is" \
	"$(cut -d' ' -f3 "$T/recv" | med)x (target <= 2x)"
