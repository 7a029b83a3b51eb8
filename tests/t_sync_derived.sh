#!/bin/sh
# t_sync_derived.sh — operations received by sync move derived state as local edits do: a clock
# moved on one replica moves the notices' recorded due times on the other in the sync itself
# (no `casefile deadlines` run), and a notice sent there is met here; a filter on a notice's
# status takes the engine's words (overdue, met, ...) as every view shows them.
set -u
B=${CASEFILE_BIN:?}
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }
export CASEFILE_RULES_DIR="$CASEFILE_SRC/store/deadline/rules" CASEFILE_NOW=2026-12-01T12:00:00Z
A="$T/alice" Bo="$T/bob" S="$T/shared.git"
cfa() { CASEFILE_AUTHOR="Alice <alice@example.org>" "$B" -C "$A" "$@"; }
cfb() { CASEFILE_AUTHOR="Bob <bob@example.org>" "$B" -C "$Bo" "$@"; }
# The recorded due times (the column every list sorts by), read without the engine.
recorded() { sqlite3 "$1/casefile.db" "SELECT recipient || ' ' || coalesce(due, '-') FROM notice
	WHERE deleted = 0 ORDER BY recipient"; }

"$B" init "$A" --title "Clinic breach" --tz America/Chicago --packs federal >/dev/null || exit 1
cfa case edit --discovered 2026-11-02 --major-basis 2026-11-02 >/dev/null || bad "case edit"
cfa deadlines >/dev/null || bad "deadlines"
cfa remote add origin "$S" && cfa sync >/dev/null || bad "first sync"
"$B" clone "$S" "$Bo" >/dev/null || bad "clone"

# Alice moves the zone while Bob moves the clock, neither seeing the other: each derives due
# times from half of the change.  The syncs bring both halves together, and each replica
# derives them again in the sync itself: the recorded due times (the column every list sorts
# by) are the engine's, on both sides, with no `casefile deadlines` run and no conflict left.
cfa case edit --tz America/New_York >/dev/null || bad "moving the zone"
cfb case edit --major-basis 2026-11-16 >/dev/null || bad "moving the clock"
cfa sync >/dev/null && cfb sync >/dev/null && cfa sync >/dev/null && cfb sync >/dev/null ||
	bad "syncs of the moved zone and clock"
for side in "$A" "$Bo"; do
	recorded "$side" >"$T/rec"
	"$B" -C "$side" notice list --json | python3 -c 'import json,sys
for n in sorted(json.load(sys.stdin), key=lambda n: n["recipient"]):
    print(n["recipient"] + " " + ((n.get("deadline") or {}).get("due_local") or "-"))' >"$T/eng"
	cmp -s "$T/rec" "$T/eng" || bad "$side: recorded due times are not the engine's: $(diff "$T/rec" "$T/eng")"
	grep -q "2026-11-23T23:59:59-05:00" "$T/rec" || bad "$side: no due time in the new zone and clock: $(cat "$T/rec")"
	[ -z "$("$B" -C "$side" conflicts)" ] || bad "$side: conflicts left: $("$B" -C "$side" conflicts)"
done
cfb notice list --json >"$T/b.json" && cfa notice list --json >"$T/a.json" || bad "notice list"
cmp -s "$T/a.json" "$T/b.json" || bad "the replicas' notice lists differ after sync"

# Bob sends one; after Alice's sync it is met there, and the filters use the engine's status.
n=$(cfb notice list --status overdue | grep congress-7d | cut -c1-8)
[ -n "$n" ] || bad "notice list --status overdue found nothing: $(cfb notice list)"
cfb notice list --status pending >/dev/null || bad "a recorded status is no longer a filter"
cfb notice list --status bogus 2>"$T/err" && bad "--status bogus accepted"
grep -q "overdue" "$T/err" || bad "--status bogus said: $(cat "$T/err")"
cfb notice edit "$n" --status sent --sent 2026-11-05T10:00-06:00 >/dev/null || bad "sent"
cfb sync >/dev/null && cfa sync >/dev/null || bad "sync of the sent notice"
cfa notice list --status met | grep -q "^$n" || bad "alice's list --status met: $(cfa notice list)"
cfa notice list --status overdue | grep -q "^$n" && bad "a met notice is still overdue at alice"
exit $fail
