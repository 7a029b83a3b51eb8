#!/bin/sh
# t_lostupdate.sh — a script's edit never overwrites a change it has not seen: `edit ID
# --expect-op OP` saves only while OP is still the record's last operation (the last of
# `log ID --json`); otherwise it prints both values of every field it would set, saves
# nothing and exits 1.  (The TUI's form does the same: tests/tui/lostupdate.keys.)
set -u
B=${CASEFILE_BIN:?}
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
export CASEFILE_AUTHOR="Pat Example <pat@example.org>"
unset CASEFILE_DIR
fail=0
bad() { echo "FAIL: $*"; fail=1; }
C="$T/case"

"$B" init "$C" --title t >/dev/null 2>&1 || exit 1
id=$("$B" -C "$C" task add "Check the logs" --owner alice) || exit 1
last() { "$B" -C "$C" log "$id" --json | python3 -c \
	'import json, sys; print(json.load(sys.stdin)[-1]["op"])'; }
seen=$(last) && [ -n "$seen" ] || bad "log ID --json gives no last operation"

# Nothing changed since: saved, and the record's last operation moves on.
"$B" -C "$C" task edit "$id" --expect-op "$seen" --owner bob || bad "edit with a current op failed"
[ "$(last)" != "$seen" ] || bad "last_op did not move"

# Someone else's change came in between: both values shown, nothing saved, exit status 1.
"$B" -C "$C" log --json >"$T/before"
"$B" -C "$C" task edit "$id" --owner carol --expect-op "$seen" >"$T/out" 2>"$T/err"
[ $? -eq 1 ] || bad "stale --expect-op: exit status not 1"
grep -q "changed since operation $seen" "$T/err" || bad "stale: $(cat "$T/err")"
grep -q "owner: now 'bob', yours 'carol'" "$T/err" || bad "both values not shown: $(cat "$T/err")"
"$B" -C "$C" log --json >"$T/after"
cmp -s "$T/before" "$T/after" || bad "a stale edit changed the case"
"$B" -C "$C" task show "$id" | grep -q "owner *bob" || bad "bob's change was lost"

# The =form, a prefix of the id, and usage errors.
now=$(last)
"$B" -C "$C" task edit "$id" --expect-op="$(echo "$now" | cut -c1-8)" --status done ||
	bad "--expect-op=PREFIX refused"
"$B" -C "$C" task edit "$id" --owner x --expect-op 2>"$T/err"
[ $? -eq 2 ] || bad "--expect-op without a value: exit status not 2"
"$B" -C "$C" task edit "$id" --expect-op abc --owner x 2>"$T/err"
[ $? -eq 2 ] || bad "a 3-character op id was taken"
exit $fail
