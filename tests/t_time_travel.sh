#!/bin/sh
# t_time_travel.sh — the two questions about the past on every read command: --as-of T (what
# the case file had recorded by T, from operation times) and --known-at T (what had been
# learned by T, from each record's own dates), on a case written up after the fact: show,
# list, show of a record, search, log, deadlines (as if now were T), every export; read-only;
# bad times named; both together.
set -u
B=${CASEFILE_BIN:?}
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }
export CASEFILE_RULES_DIR="$CASEFILE_SRC/store/deadline/rules"
C="$T/case"
cf() { "$B" -C "$C" "$@"; }
# Written up on 2026-11-20, a week after the facts; one more fact on 2026-11-25.
export CASEFILE_NOW=2026-11-20T15:00:00Z
"$B" init "$C" --title "Clinic breach" --tz America/Chicago --discovered 2026-11-02 \
	>/dev/null || exit 1
cf case edit --major-basis 2026-11-12 >/dev/null || bad "case edit"
e1=$(cf event add 2026-11-02 "Intrusion found on the scanning server" --kind discovery \
	--learned 2026-11-02) || bad "event 1"
e2=$(cf event add 2026-11-01 "Staging host used for exfiltration" --learned 2026-11-09) ||
	bad "event 2"
e3=$(cf event add 2026-11-03 "Payroll files touched") || bad "event 3 (no learned date)"
cf estimate add "patients affected" people 2026-11-05 --high 4000 >/dev/null || bad "est 1"
cf estimate add "patients affected" people 2026-11-11 --high 48213 >/dev/null || bad "est 2"
n=$(cf notice add "State attorney general" --status sent --sent 2026-11-10) || bad "notice"
cf note add "Counsel engaged" --at 2026-11-03T10:00 >/dev/null || bad "note"
export CASEFILE_NOW=2026-11-25T15:00:00Z
cf event add 2026-11-24 "Attacker's ransom note received" --learned 2026-11-24 >/dev/null ||
	bad "event 4"
unset CASEFILE_NOW

# --as-of: the file did not exist on 2026-11-06, so the question is refused, naming it and
# pointing at --known-at; nothing is written.
before=$(cf log | wc -l)
cf export briefing --as-of 2026-11-06 >/dev/null 2>"$T/err" && bad "as-of before the case"
grep -q "did not exist yet" "$T/err" || bad "as-of before the case: $(cat "$T/err")"
grep -q -- "--known-at" "$T/err" || bad "the error does not point at --known-at"

# --known-at 2026-11-06: what had been learned by then.
k=--known-at=2026-11-06
cf event list $k >"$T/ev" || bad "event list $k"
grep -q "Intrusion found" "$T/ev" || bad "event learned before T missing"
grep -q "Staging host" "$T/ev" && bad "event learned after T listed"
grep -q "Payroll" "$T/ev" && bad "event without a learned date, entered after T, listed"
grep -q "ransom" "$T/ev" && bad "event entered later listed"
[ "$(wc -l <"$T/ev")" = 1 ] || bad "known-at event list: $(cat "$T/ev")"
cf estimate list $k | grep -q 4000 || bad "estimate as of 11-05 missing"
cf estimate list $k | grep -q 48213 && bad "estimate as of 11-11 listed"
cf note list $k | grep -q "Counsel" || bad "note dated 11-03 missing"
cf event show "$e1" $k >/dev/null || bad "event show of a known event"
cf event show "$e2" $k >/dev/null 2>&1 && bad "event show of an event not known yet"
cf search Staging $k | grep -q Staging && bad "search finds what was not known"
cf search Intrusion $k | grep -q Intrusion || bad "search misses what was known"
# The notice sent on 11-10 had not been sent on 11-06.
cf notice show "$n" $k --json >"$T/n.json" || bad "notice show $k"
grep -q '"status": "pending"' "$T/n.json" || bad "notice sent later not pending: $(cat "$T/n.json")"
grep -q '"sent": null' "$T/n.json" || bad "notice sent later shows its sent date"
cf notice show "$n" --known-at 2026-11-12 --json | grep -q '"status": "sent"' ||
	bad "notice sent by 11-12 not sent"
# The case: its clock started after T is unset; day counted at T; the moment named.
cf show $k >"$T/show" || bad "show $k"
grep -q "^major_basis" "$T/show" && bad "a clock started after T shown"
grep -q "^day  *5$" "$T/show" || bad "day at T: $(grep ^day "$T/show")"
grep -q "^moment .*2026-11-06 (America/Chicago), what had been learned by" "$T/show" ||
	bad "show names no moment"
cf show | grep -q "^moment" && bad "the live case names a moment"
cf show | grep -q "^major_basis" || bad "live case lost its clock"
# The log: the operations of the records known at T.
cf log $k >"$T/log" || bad "log $k"
grep -q Intrusion "$T/log" || bad "log misses a known record"
grep -q Staging "$T/log" && bad "log shows a record not known yet"
# Deadlines computed as if now were T.
cf deadlines $k >"$T/dl" || bad "deadlines $k"
grep -q "^deadlines at 2026-11-07T05:59:59Z" "$T/dl" || bad "deadlines not at T: $(head -1 "$T/dl")"
# Exports: the known-at view, byte-identical on repeat, differing from the present.
for kind in briefing timeline case custody; do
	cf export $kind $k >"$T/$kind.1" 2>/dev/null || bad "export $kind $k"
	cf export $kind $k >"$T/$kind.2" 2>/dev/null
	cmp -s "$T/$kind.1" "$T/$kind.2" || bad "export $kind $k not deterministic"
done
grep -q "Intrusion" "$T/timeline.1" || bad "timeline misses what was known"
grep -q "Staging" "$T/timeline.1" && bad "timeline shows what was not known"
grep -q "what had been learned by" "$T/briefing.1" || bad "briefing names no moment"
grep -q "48213\|48,213" "$T/case.1" && bad "case export shows a later estimate"
cf export case >"$T/case.now" && cmp -s "$T/case.1" "$T/case.now" && bad "known-at = now"

# --as-of on the file's own history: on 2026-11-22 the ransom note was not yet recorded.
cf event list --as-of 2026-11-22 >"$T/asof" || bad "event list --as-of"
grep -q "ransom" "$T/asof" && bad "as-of shows an op recorded later"
grep -q "Payroll" "$T/asof" || bad "as-of misses an op recorded before"
# Both: learned by 11-10 among what was recorded by 11-22.
cf event list --as-of 2026-11-22 --known-at 2026-11-10 >"$T/both" || bad "both"
grep -q "Staging" "$T/both" || bad "both: misses an event learned 11-09"
grep -q "ransom" "$T/both" && bad "both: shows an event recorded later"

# Bad moments: named, exit non-zero, nothing written.
cf event list --known-at 2026-13-01 >/dev/null 2>"$T/err" && bad "bad --known-at accepted"
grep -q -- "--known-at" "$T/err" || bad "bad --known-at not named: $(cat "$T/err")"
cf log --as-of 2026-11/2026-12 >/dev/null 2>"$T/err" && bad "a period accepted"
grep -q "not a period" "$T/err" || bad "period: $(cat "$T/err")"
cf event edit "$e1" --known-at 2026-11-06 --summary x >/dev/null 2>&1 &&
	bad "edit takes --known-at"
[ "$(cf log | wc -l)" = "$before" ] || bad "a read at a moment wrote to the case"

# Entered weeks later, learned an hour before the moment (in the case's zone): known by then,
# whether the view reads the few records learned by then or tests every row in its order.
CASEFILE_NOW=2026-12-01T12:00:00Z cf event add 2026-11-09 "Backup tapes missing" \
	--learned 2026-11-09T20:00 >/dev/null || bad "event 5"
for most in "" 0; do
	CASEFILE_KNOWN_CANDIDATES=$most cf event list --known-at 2026-11-09T21:00 | grep -q "tapes" ||
		bad "learned an hour before the moment, entered later: missing ($most)"
	CASEFILE_KNOWN_CANDIDATES=$most cf event list --known-at 2026-11-09T19:00 | grep -q "tapes" &&
		bad "learned an hour after the moment: listed ($most)"
done

[ $fail = 0 ] && echo "time travel: --as-of and --known-at on every read command"
exit $fail
