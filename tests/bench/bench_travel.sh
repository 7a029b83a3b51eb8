#!/bin/sh
# bench_travel.sh — time travel on cases of BENCH_TRAVEL_SIZES events (default "100000
# 1000000", from gen_timeline, imported niced on 2026-01-01, 120 events learned an hour apart
# from 2019-06-01 added at noon, then 120 events edited one a minute from 2026-01-02 00:01):
# `export case` as of the latest moment, as of a moment inside the edits (60 records folded from
# the log) and known at the latest moment, each against the same export now (the baseline, same
# run); each export's peak RSS (HTML and, up to 200,000 events, PDF too); `verify` against
# `export case`; the terminal UI's first frame at a moment against its first frame now (the
# script harness: one frame, then quit); a view opened in process and 1,000 steps (as of) or
# 30 (known at) to the next change, as of (through the edits) and known at (through the
# learned dates), the view moved to each as the UI does, and opened anew at each as before
# (tests/bench/travel_step.c).  Targets (issue 16): as-of within 1.5x of now; peak RSS of any
# export at most 64 MiB; first frame at a moment 100 ms; a step 5 ms p99; verify at most 2x
# export case (and each of its checks' time, from verify --timings).
set -u
B=${CASEFILE_BIN:-$PWD/${BUILD:-build}/casefile}
SIZES=${BENCH_TRAVEL_SIZES:-${BENCH_TRAVEL_ROWS:-100000 1000000}}
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

for ROWS in $SIZES; do
	C="$T/c$ROWS"
	CASEFILE_NOW=2026-01-01T00:00:00Z "$B" init "$C" --title bench --tz America/New_York \
		--discovered 2019-05-31 >/dev/null || exit 1
	"$BB/gen_timeline" "$ROWS" >"$T/ev.csv" || exit 1
	CASEFILE_NOW=2026-01-01T00:00:00Z nice -n 10 "$B" -C "$C" import events "$T/ev.csv" \
		>/dev/null || exit 1
	rm -f "$T/ev.csv"
	# 120 events learned one an hour from 2019-06-01, entered at noon (for known-at steps)
	i=1
	while [ $i -le 120 ]; do
		CASEFILE_NOW=$(printf '2026-01-01T12:%02d:%02dZ' $((i / 60)) $((i % 60))) \
			"$B" -C "$C" event add 2019-05-31 "learned $i" --learned \
			"$(printf '2019-06-%02dT%02d:00' $((1 + i / 24)) $((i % 24)))" >/dev/null || exit 1
		i=$((i + 1))
	done
	i=0
	for id in $("$B" -C "$C" event list --json --limit 120 | grep -o '"id": *"[a-z0-9]*"' | sed 's/.*"\([a-z0-9]*\)"$/\1/'); do
		i=$((i + 1))
		CASEFILE_NOW=$(printf '2026-01-02T%02d:%02d:00Z' $((i / 60)) $((i % 60))) \
			"$B" -C "$C" event edit "$id" --summary "edited $i" >/dev/null || exit 1
	done
	late=2100-01-01 mid=2026-01-02T01:00:30Z # the zone is the case's: Z says UTC

	base=$(timed "$B" -C "$C" export case)
	asof=$(timed "$B" -C "$C" export case --as-of $late)
	asofm=$(timed "$B" -C "$C" export case --as-of $mid)
	known=$(timed "$B" -C "$C" export case --known-at $late)
	printf 'result: travel %d events: export case %.2fs, --as-of latest %.2fs (ratio %.2f,' \
		"$ROWS" "$base" "$asof" "$(calc "$asof / $base")"
	printf ' target 1.5), --as-of inside the edits %.2fs (ratio %.2f), --known-at %.2fs' \
		"$asofm" "$(calc "$asofm / $base")" "$known"
	printf ' (ratio %.2f)\n' "$(calc "$known / $base")"
	printf 'result: travel %d events: peak RSS export case %s MiB, --as-of %s MiB,' "$ROWS" \
		"$(peak "$B" -C "$C" export case)" "$(peak "$B" -C "$C" export case --as-of $mid)"
	printf ' --known-at %s MiB, timeline csv %s MiB, briefing %s MiB (target 64)\n' \
		"$(peak "$B" -C "$C" export case --known-at $late)" \
		"$(peak "$B" -C "$C" export timeline)" "$(peak "$B" -C "$C" export briefing)"
	# HTML and PDF pages render their Markdown a piece at a time (export/md_stream.c); a PDF
	# is laid out twice, a page at a time held (export/pdf.c).  PDF only up to
	# BENCH_TRAVEL_PDF_MAX events: about 0.5 s per 1,000 events.
	printf 'result: travel %d events: peak RSS html briefing %s MiB, sitrep %s MiB,' "$ROWS" \
		"$(peak "$B" -C "$C" export briefing --format html)" \
		"$(peak "$B" -C "$C" export briefing --profile sitrep --format html --as-of $mid)"
	printf ' timeline %s MiB, timeline --known-at %s MiB (target 64)\n' \
		"$(peak "$B" -C "$C" export timeline --format html)" \
		"$(peak "$B" -C "$C" export timeline --format html --known-at $late)"
	if [ "$ROWS" -le "${BENCH_TRAVEL_PDF_MAX:-200000}" ]; then
		md=$(timed "$B" -C "$C" export timeline --format md)
		pdf=$(timed "$B" -C "$C" export timeline --format pdf)
		printf 'result: travel %d events: pdf timeline %.1fs (%.0fx the md %.2fs), peak RSS' \
			"$ROWS" "$pdf" "$(calc "$pdf / $md")" "$md"
		printf ' %s MiB (target 64)\n' "$(peak "$B" -C "$C" export timeline --format pdf)"
	fi
	t0=$(now); "$B" -C "$C" verify --timings >"$T/vt" 2>&1 || echo "failed: verify" >&2
	t1=$(now); ver=$(calc "$t1 - $t0")
	printf 'result: travel %d events: verify %.2fs, export case %.2fs (ratio %.2f, target 2),' \
		"$ROWS" "$ver" "$base" "$(calc "$ver / $base")"
	printf ' peak RSS %s MiB\n' "$(peak "$B" -C "$C" verify)"
	# Each check's time (verify --timings): the title's first words, then its time.
	printf 'result: travel %d events: verify by check:' "$ROWS"
	awk '/^[a-z]/ { n = $1 " " $2 } /^  took / { printf " %s %ss%s,", n, $2, \
		($4 == "(alongside" ? " (alongside)" : "") }' "$T/vt"
	echo
	printf 'dump first\n' >"$T/one.keys"
	frame() { CASEFILE_TUI_SCRIPT="$T/one.keys" CASEFILE_TUI_OUT="$T/one.out" \
		CASEFILE_TUI_SIZE=80x24 "$B" -C "$C" "$@" </dev/null; }
	f_now=$(timed frame --at now)
	f_past=$(timed frame --at $mid)
	printf 'result: travel %d events: TUI first frame now %.3fs, known at a moment %.3fs' \
		"$ROWS" "$f_now" "$f_past"
	printf ' (ratio %.1f, target 100 ms)\n' "$(calc "$f_past / $f_now")"
	# As of: 1,000 steps through the edits and back (a p99 of 100 would be their maximum);
	# known at: 300, each reading a screen of a moment before most records were learned.
	for q in as-of known-at; do
		t=2026-01-02T00:00:30Z n=1000 hows="move reopen"
		[ $q = known-at ] && t=2019-06-01T00:00:30Z n=300 hows=move
		for how in $hows; do
			set -- $("$BB/travel_step" "$C" $t $n $q $how)
			printf 'result: travel %d events: in process, a view %s a moment with its first' \
				"$ROWS" "$([ $q = as-of ] && echo as of || echo known at)"
			printf ' screen %s ms; a step to the next change (view %s) %s ms p50,' \
				"${1:-?}" "$([ $how = move ] && echo moved || echo opened anew)" "${2:-?}"
			printf ' %s ms p99, %s ms max (%s steps, target 5 ms p99); the step and' \
				"${3:-?}" "${4:-?}" "${5:-?}"
			printf ' the view put there, without the screen, %s ms p50, %s ms p99\n' \
				"${6:-?}" "${7:-?}"
		done
	done
	rm -rf "$C"
done
