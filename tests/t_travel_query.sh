#!/bin/sh
# t_travel_query.sh — a past moment read as a query (store/view_query.c) gives the same bytes as
# the replay of the log into memory (CASEFILE_VIEW=replay, the reference) on a case whose records
# change after the moments asked: edits, an undo, a delete and a restore, a concurrent edit by
# two replicas settled by sync (a conflict), an edit before its record's creation by a replica
# whose clock is behind, notices sent and acknowledged later.  Every export kind that reads
# records, as of and known at, at moments between each change; and the views differ (the test
# cannot pass with every moment showing the same case).  Then a view moved to each moment, as the
# terminal UI steps (store_view_move: opened at the first change and moved through every change
# up to the moment, CASEFILE_VIEW=moved, or from the last one down, moved-back), gives the bytes
# of a view opened there, at every change of the case and between them.  Last, the terminal UI
# steps with ] through every change and back with [, as of and known at: its screens (each
# moment, what its change did, the timeline there) are those of the reference, where every
# moment is replayed and every learned date found by reading every record (CASEFILE_VIEW=replay).
set -u
B=${CASEFILE_BIN:?}
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }
export CASEFILE_RULES_DIR="$CASEFILE_SRC/store/deadline/rules"
at() { CASEFILE_NOW=$1; export CASEFILE_NOW; }
cf() { dir=$1; shift; CASEFILE_AUTHOR="$dir <$dir@example.org>" "$B" -C "$T/$dir" "$@"; }
id_of() { sed -n 's/.*\b\([0-9a-z]\{20\}\)\b.*/\1/p' | head -1; }

at 2026-03-01T10:00:00Z
"$B" init "$T/a" --title "Query and replay" --tz Europe/Paris --discovered 2026-03-01 \
	>/dev/null || exit 1
e1=$(cf a event add 2026-02-27 "Phish opened" --learned 2026-03-01 | id_of)
e2=$(cf a event add 2026-02-28 "Beacon seen" --learned 2026-03-01 --kind compromise | id_of)
n1=$(cf a notice add "Regulator" --due 2026-03-04 | id_of)
cf a estimate add "customers" people 2026-03-01 --high 900 >/dev/null || bad "estimate"
[ -n "$e1" ] && [ -n "$e2" ] && [ -n "$n1" ] || bad "ids: $e1 $e2 $n1"
cf a remote add origin "$T/shared.git" >/dev/null || bad "remote"
cf a sync >/dev/null || bad "sync a"
at 2026-03-02T09:00:00Z
"$B" clone "$T/shared.git" "$T/b" >/dev/null || bad "clone"
# Both edit the same event's summary before syncing: a conflict that sync settles.
at 2026-03-02T10:00:00Z
cf a event edit "$e1" --summary "Phish opened by finance" >/dev/null || bad "edit a"
at 2026-03-02T10:05:00Z
cf b event edit "$e1" --summary "Phish opened by HR" --learned 2026-03-02 >/dev/null ||
	bad "edit b"
cf b sync >/dev/null || bad "sync b"
at 2026-03-02T11:00:00Z
cf a sync >/dev/null || bad "sync a 2"
# An edit, then its undo; a delete and a restore; a notice sent, then acknowledged.
at 2026-03-03T08:00:00Z
cf a event edit "$e2" --summary "Beacon to 203.0.113.9" >/dev/null || bad "edit e2"
at 2026-03-03T09:00:00Z
cf a undo >/dev/null || bad "undo"
at 2026-03-03T12:00:00Z
cf a event rm "$e2" >/dev/null || bad "rm"
at 2026-03-04T12:00:00Z
cf a event restore "$e2" >/dev/null || bad "restore"
cf a notice edit "$n1" --sent 2026-03-04T11:00 >/dev/null || bad "sent"
at 2026-03-05T12:00:00Z
cf a notice edit "$n1" --acknowledged 2026-03-05T10:00 >/dev/null || bad "ack"
cf a estimate add "customers" people 2026-03-05 --best 1200 --high 1500 >/dev/null ||
	bad "estimate 2"
# Replica b's clock runs a day behind: its event is created "before" a's edits of it arrive.
at 2026-03-02T12:00:00Z
cf b sync >/dev/null || bad "sync b 2"
e3=$(cf b event add 2026-03-01 "Found by b, clock behind" --learned 2026-03-01 | id_of)
cf b event edit "$e3" --details "late detail" >/dev/null || bad "edit e3"
cf b sync >/dev/null || bad "sync b 3"
at 2026-03-06T12:00:00Z
cf a sync >/dev/null || bad "sync a 3"
unset CASEFILE_NOW

n=0
for t in 2026-03-01T12:00 2026-03-02T11:30 2026-03-02T13:00 2026-03-03T08:30 2026-03-03T10:00 \
	2026-03-03T13:00 2026-03-04T13:00 2026-03-05T13:00 2026-03-07; do
	for q in --as-of --known-at; do
		for what in "case" "timeline --format csv" "briefing --profile sitrep" "veris"; do
			# shellcheck disable=SC2086
			cf a export $what $q "$t" >"$T/query" 2>"$T/qerr"; qr=$?
			# shellcheck disable=SC2086
			CASEFILE_VIEW=replay cf a export $what $q "$t" >"$T/replay" 2>"$T/rerr"; rr=$?
			[ $qr = $rr ] || bad "export $what $q $t: exit $qr as a query, $rr replayed"
			cmp -s "$T/query" "$T/replay" && cmp -s "$T/qerr" "$T/rerr" || {
				diff "$T/replay" "$T/query" | head -6
				bad "export $what $q $t: the query differs from the replay"; }
			[ "$what" = case ] && cksum <"$T/query" >>"$T/sums"
			n=$((n + 1))
		done
	done
	cf a log --as-of "$t" >"$T/query" 2>&1
	CASEFILE_VIEW=replay cf a log --as-of "$t" >"$T/replay" 2>&1
	[ "$(wc -l <"$T/query")" = "$(wc -l <"$T/replay")" ] || bad "log --as-of $t: another count"
done
[ $n = 72 ] || bad "comparisons: $n"
[ "$(sort -u "$T/sums" | wc -l)" -ge 12 ] || bad "only $(sort -u "$T/sums" | wc -l) views differ"

n=0
: >"$T/sums"
for t in $(cf a log | cut -c1-19 | sort -u | sed 's/$/Z/') 2026-03-02T11:30 2026-03-03T10:00 \
	2026-03-07 2026-02-01; do
	for q in --as-of --known-at; do
		for what in "case" "timeline --format csv"; do
			# shellcheck disable=SC2086
			cf a export $what $q "$t" >"$T/query" 2>&1; qr=$?
			for how in moved moved-back; do
				# shellcheck disable=SC2086
				CASEFILE_VIEW=$how cf a export $what $q "$t" >"$T/moved" 2>&1; mr=$?
				[ $qr = $mr ] && cmp -s "$T/query" "$T/moved" || {
					diff "$T/query" "$T/moved" | head -6
					bad "export $what $q $t: $how (exit $mr) differs from a new view"; }
				n=$((n + 1))
			done
			[ "$what" = case ] && cksum <"$T/query" >>"$T/sums"
		done
	done
done
[ $n -ge 64 ] || bad "moved comparisons: $n"
[ "$(sort -u "$T/sums" | wc -l)" -ge 16 ] || bad "only $(sort -u "$T/sums" | wc -l) moved views differ"

for q in as-of known-at; do
	{ printf 'key :\ntype %s 2026-03-01T11:30\nkey Enter\nkey 2\n' $q
	  i=0; while [ $i -lt 12 ]; do printf 'key ]\ndump next %s\n' $i; i=$((i + 1)); done
	  while [ $i -lt 24 ]; do printf 'key [\ndump back %s\n' $i; i=$((i + 1)); done
	} >"$T/$q.keys"
	for how in query replay; do
		CASEFILE_NOW=2026-03-08T12:00:00Z CASEFILE_VIEW=$how CASEFILE_TUI_SCRIPT="$T/$q.keys" \
			CASEFILE_TUI_OUT="$T/$q.$how" CASEFILE_TUI_SIZE=100x30 timeout 60 "$B" -C "$T/a" \
			</dev/null >/dev/null 2>&1 || bad "terminal UI $q ($how): exit $?"
	done
	cmp -s "$T/$q.query" "$T/$q.replay" || { diff "$T/$q.replay" "$T/$q.query" | head -10
		bad "terminal UI, stepping $q: the screens differ from the reference"; }
	n=$(grep -c '^AS OF\|^KNOWN AT' "$T/$q.query")
	[ "$n" = 24 ] || bad "terminal UI, stepping $q: $n of 24 screens at a moment"
	n=$(grep '^AS OF\|^KNOWN AT' "$T/$q.query" | sort -u | wc -l)
	[ "$n" -ge "$([ $q = as-of ] && echo 8 || echo 4)" ] ||
		bad "terminal UI, stepping $q: only $n moments"
done
exit $fail
