#!/bin/sh
# t_custody_chain.sh — the chain of custody holds together: a transfer comes from the current
# holder and is not dated before the last event, or it is refused with nothing stored, unless
# given as a correction with a reason, which the chain, the TUI's source and the custody report
# show as such; the holder is the chain's last handler, never typed; two replicas that hand
# the same item over concurrently end with the same chain, the same holder and the event
# that breaks it flagged, on both sides.
set -u
B=$CASEFILE_BIN
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }
C="$tmp/case"
cf() { "$B" -C "$C" "$@"; }
events() { cf custody list --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))'; }

"$B" init "$C" --title "Custody" --tz America/New_York >/dev/null || exit 1
id=$(cf evidence add --location "locker 1" --collected-by Ann --collected-at 2019-06-01T10:00) ||
	exit 1
cf evidence transfer "$id" --to Priya --at 2019-06-05T09:00 --reason imaging ||
	bad "a transfer after the last event was refused"

# Dated before the last event: refused, with the last event named, and nothing stored.
n=$(events)
cf evidence transfer "$id" --to Bob --at 2019-06-03T09:00 2>"$tmp/err" &&
	bad "a transfer dated before the last custody event was stored"
grep -q "before the event before it (2019-06-05T09:00:00-04:00)" "$tmp/err" &&
	grep -q -- "--correction REASON" "$tmp/err" || bad "refusal said: $(cat "$tmp/err")"
[ "$(events)" = "$n" ] || bad "a refused transfer left a custody event"
# Not from the current holder: refused the same way.
cf custody add "$id" Carol 2019-06-06T10:00 --from Ann 2>"$tmp/err" &&
	bad "a hand-off from someone who did not hold the item was stored"
grep -q "from 'Ann', but the item was held by 'Priya'" "$tmp/err" ||
	bad "not-from-holder refusal said: $(cat "$tmp/err")"
[ "$(events)" = "$n" ] || bad "a refused hand-off left a custody event"

# The holder is derived from the chain, not typed.
cf evidence edit "$id" --holder Mallory 2>"$tmp/err" && bad "the holder was set by hand"
grep -q "field 'holder' is derived" "$tmp/err" || bad "holder edit said: $(cat "$tmp/err")"
cf evidence show "$id" | grep -q "^holder *Priya\$" || bad "holder is not the last handler"
# What a custody event records is not edited afterwards.
last=$(cf custody list --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[-1]["id"])')
cf custody edit "$last" --at 2019-06-02T09:00 2>"$tmp/err" && bad "a custody time was edited"
grep -q "field 'at' records what happened" "$tmp/err" || bad "custody edit said: $(cat "$tmp/err")"

# As a correction, with its reason: stored, and shown as such everywhere.
cf evidence transfer "$id" --to Bob --at 2019-06-03T09:00 \
	--correction "paper log found in the lab" || bad "a correction was refused"
cf evidence transfer "$id" --to Bob --correction "" 2>/dev/null &&
	bad "an empty correction reason was taken"
cf evidence chain "$id" >"$tmp/chain"
grep -q "^  2\. 2019-06-03T09:00:00-04:00  transferred, from Ann, to Bob" "$tmp/chain" ||
	bad "the correction is not second in the chain: $(cat "$tmp/chain")"
grep -q "^     CORRECTION: paper log found in the lab" "$tmp/chain" ||
	bad "the chain does not say correction: $(cat "$tmp/chain")"
grep -q "^     OUT OF CHAIN, not recorded as a correction: from 'Ann', but the item was held by 'Bob'" \
	"$tmp/chain" || bad "the event the correction contradicts is not flagged: $(cat "$tmp/chain")"
cf export custody --format md -o "$tmp/c.md" || bad "custody report"
grep -q "| \*\*Correction:\*\* paper log found in the lab |" "$tmp/c.md" ||
	bad "the custody report does not show the correction"
cf export custody --format json -o "$tmp/c.json" || bad "custody report json"
python3 - "$tmp/c.json" <<'EOF' || bad "custody JSON: correction or out_of_chain missing"
import json, sys
ev = json.load(open(sys.argv[1]))["evidence"][0]["custody"]
assert ev[1]["correction"] == "paper log found in the lab", ev[1]
assert ev[1]["out_of_chain"] is None, ev[1]
assert "held by 'Bob'" in ev[2]["out_of_chain"], ev[2]
EOF

# Two replicas hand the same item over without seeing each other: both end with one chain.
A="$tmp/alice" Bo="$tmp/bob" S="$tmp/shared.git"
cfa() { CASEFILE_AUTHOR="Alice <alice@example.org>" "$B" -C "$A" "$@"; }
cfb() { CASEFILE_AUTHOR="Bob <bob@example.org>" "$B" -C "$Bo" "$@"; }
"$B" init "$A" --title "Shared" --tz UTC >/dev/null || exit 1
item=$(cfa evidence add --location safe --collected-by Ann --collected-at 2019-06-01T10:00Z)
cfa remote add origin "$S" && cfa sync >/dev/null || bad "first sync"
"$B" clone "$S" "$Bo" >/dev/null || bad "clone"
cfa evidence transfer "$item" --to Carol --at 2019-06-02T10:00Z || bad "alice's transfer"
cfb evidence transfer "$item" --to Dave --at 2019-06-03T10:00Z || bad "bob's transfer"
cfa sync >/dev/null && cfb sync >/dev/null && cfa sync >/dev/null || bad "syncs"
cfa evidence chain "$item" >"$tmp/a" || bad "alice's chain"
cfb evidence chain "$item" >"$tmp/b" || bad "bob's chain"
cmp -s "$tmp/a" "$tmp/b" || bad "the replicas' chains differ: $(diff "$tmp/a" "$tmp/b")"
grep -q "^holder *Dave\$" "$tmp/a" || bad "holder after sync: $(cat "$tmp/a")"
grep -q "^     OUT OF CHAIN, not recorded as a correction: from 'Ann', but the item was held by 'Carol'" \
	"$tmp/a" || bad "the concurrent hand-off is not flagged: $(cat "$tmp/a")"
cfa verify >/dev/null 2>&1 || bad "verify after the concurrent hand-offs"
exit $fail
