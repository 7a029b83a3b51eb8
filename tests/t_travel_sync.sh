#!/bin/sh
# t_travel_sync.sh — the past is the same on every replica: a case built by three replicas
# through sync (each writing at other times, one entering facts learned days before), then
# `export case --as-of T` and `--known-at T` for a set of moments are byte-identical on all
# three and equal to a reference: a fresh clone, which replays the whole log from the op files
# in git from scratch, and reads each moment by replaying its log into memory (CASEFILE_VIEW=
# replay) where the replicas read it as a query over their records and log (store/view_query.c).
# Also a moment before the case, and one between the replicas' writes.
set -u
B=${CASEFILE_BIN:?}
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }
export CASEFILE_RULES_DIR="$CASEFILE_SRC/store/deadline/rules"
S="$T/shared.git"
at() { CASEFILE_NOW=$1; export CASEFILE_NOW; }
cf() { dir=$1; shift; CASEFILE_AUTHOR="$dir <$dir@example.org>" "$B" -C "$T/$dir" "$@"; }

# Alice opens the case on 2026-11-02 and syncs; Bob and Carol clone.
at 2026-11-02T14:00:00Z
"$B" init "$T/alice" --title "Three replicas" --tz America/Chicago --discovered 2026-11-02 \
	>/dev/null || exit 1
cf alice event add 2026-11-02 "Intrusion found" --kind discovery --learned 2026-11-02 \
	>/dev/null || bad "alice event"
cf alice remote add origin "$S" || bad "remote add"
cf alice sync >/dev/null || bad "alice sync"
"$B" clone "$S" "$T/bob" >/dev/null || bad "bob clone"
"$B" clone "$S" "$T/carol" >/dev/null || bad "carol clone"
# Bob, on 11-04, writes up what was learned on 11-01 and 11-03; Carol, on 11-06, an estimate
# as of 11-05 and a task; Alice, on 11-07, a revision and a note dated 11-06.
at 2026-11-04T16:00:00Z
cf bob event add 2026-10-30 "Phishing mail opened" --learned 2026-11-01 >/dev/null || bad "bob 1"
e=$(cf bob event add 2026-11-03 "Exfiltration confirmed" --learned 2026-11-03) || bad "bob 2"
cf bob sync >/dev/null || bad "bob sync"
at 2026-11-06T18:30:00Z
cf carol sync >/dev/null || bad "carol sync 1"
cf carol estimate add "patients" people 2026-11-05 --high 5000 >/dev/null || bad "carol est"
cf carol task add "Call counsel" --owner carol >/dev/null || bad "carol task"
cf carol event edit "$e" --summary "Exfiltration confirmed (2 GB)" >/dev/null ||
	bad "carol edit"
cf carol sync >/dev/null || bad "carol sync 2"
at 2026-11-07T09:00:00Z
cf alice sync >/dev/null || bad "alice sync 2"
cf alice estimate add "patients" people 2026-11-07 --high 48213 >/dev/null || bad "alice est"
cf alice note add "Counsel engaged" --at 2026-11-06T10:00 >/dev/null || bad "alice note"
cf alice sync >/dev/null || bad "alice sync 3"
unset CASEFILE_NOW
for r in bob carol alice bob carol; do cf $r sync >/dev/null || bad "$r final sync"; done
"$B" clone "$S" "$T/reference" >/dev/null || bad "reference clone"

same() { # WHAT ARGS...: the export on every replica, compared with the reference's
	what=$1; shift
	CASEFILE_VIEW=replay cf reference export case "$@" >"$T/ref.json" 2>"$T/err" || {
		bad "$what: reference: $(cat "$T/err")"; return; }
	cksum <"$T/ref.json" >>"$T/sums"
	for r in alice bob carol; do
		cf $r export case "$@" >"$T/$r.json" 2>"$T/err" || { bad "$what: $r: $(cat "$T/err")"; continue; }
		cmp -s "$T/ref.json" "$T/$r.json" || {
			diff "$T/ref.json" "$T/$r.json" | head -10; bad "$what: $r differs from the reference"; }
	done
}
same "now"
n=0
for t in 2026-11-02 2026-11-03T12:00 2026-11-04 2026-11-05 2026-11-06T12:00 2026-11-06 \
	2026-11-07 2026-12-01; do
	same "--as-of $t" --as-of "$t"
	same "--known-at $t" --known-at "$t"
	same "both $t" --as-of "$t" --known-at 2026-11-03
	n=$((n + 1))
done
[ $n = 8 ] || bad "moments: $n"
# The moments are not all the same view (the comparisons above could not pass by accident).
[ "$(sort -u "$T/sums" | wc -l)" -ge 12 ] || bad "only $(sort -u "$T/sums" | wc -l) views differ"

# The two questions differ where they should: on 11-03 the file held only Alice's event, but
# Bob's two facts (entered on 11-04) had been learned.
cf reference export case --as-of 2026-11-03 >"$T/asof.json" || bad "as-of 11-03"
cf reference export case --known-at 2026-11-03 >"$T/known.json" || bad "known-at 11-03"
grep -q "Phishing" "$T/asof.json" && bad "as of 11-03 shows what was recorded on 11-04"
grep -q "Phishing" "$T/known.json" || bad "known at 11-03 misses what was learned on 11-01"
grep -q "Exfiltration confirmed (2 GB)" "$T/known.json" ||
	bad "known at: not the latest recorded values"
grep -q "48213" "$T/known.json" && bad "known at 11-03 shows an estimate as of 11-07"
cf reference export case --as-of 2026-11-01 >/dev/null 2>"$T/err" && bad "as of before the case"
grep -q "did not exist yet" "$T/err" || bad "before the case: $(cat "$T/err")"

[ $fail = 0 ] && echo "time travel on three replicas: as-of and known-at exports identical to a replay"
exit $fail
