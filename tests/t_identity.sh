#!/bin/sh
# t_identity.sh — `casefile id init|show`, and signed operations end to end: made by a user
# with an identity, shown by log, carried by sync and clone with their signatures, a signature
# altered on the remote refused at clone (quarantined, by file and line) and by verify.
set -u
B=$CASEFILE_BIN
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }
export CASEFILE_AUTHOR="Priya Raman <priya@example.org>"
export CASEFILE_IDENTITY="$tmp/priya/identity"

"$B" id show 2>"$tmp/err" && bad "id show without an identity succeeded"
grep -q "run casefile id init" "$tmp/err" || bad "id show said: $(cat "$tmp/err")"
"$B" id init >"$tmp/pub" 2>"$tmp/err" || bad "id init: $(cat "$tmp/err")"
grep -Eq '^Priya Raman <priya@example.org> cf1\.[0-9a-f]{64}\.[0-9a-f]{64} fingerprint [0-9a-f]{4}(-[0-9a-f]{4}){3}$' \
	"$tmp/pub" || bad "id init printed: $(cat "$tmp/pub")"
[ "$(stat -c %a "$CASEFILE_IDENTITY")" = 600 ] || bad "identity mode $(stat -c %a "$CASEFILE_IDENTITY")"
[ "$(stat -c %a "$tmp/priya")" = 700 ] || bad "identity directory mode"
[ "$("$B" id show)" = "$(cat "$tmp/pub")" ] || bad "id show differs from id init"
cp "$CASEFILE_IDENTITY" "$tmp/keep"
"$B" id init --name Mallory --email m@example.org 2>"$tmp/err" && bad "a second id init succeeded"
cmp -s "$CASEFILE_IDENTITY" "$tmp/keep" || bad "a second id init changed the identity"
"$B" id init --bogus 2>/dev/null; [ $? -eq 2 ] || bad "id init --bogus did not exit 2"
"$B" id --help | grep -q "^  init " || bad "id --help"
fp=$(sed 's/.* fingerprint //' "$tmp/pub")

# A case made before Priya had an identity (no members: signing is optional), then changed by
# her: her operations are signed, and log says by which key.
A="$tmp/a" Bo="$tmp/b" S="$tmp/shared.git"
CASEFILE_IDENTITY="$tmp/nobody/identity" "$B" init "$A" --title "Signed case" >/dev/null || bad "init"
"$B" -C "$A" event add 2019-05-31 "CBP learns of the breach" >/dev/null || bad "event add"
"$B" -C "$A" log >"$tmp/log"
[ "$(grep -c "\[signed $fp\]" "$tmp/log")" = "$(($(wc -l <"$tmp/log") - 1))" ] ||
	bad "log lines not all signed by $fp: $(cat "$tmp/log")"
"$B" -C "$A" log --json | python3 -c '
import json, sys
ops = json.load(sys.stdin)
assert ops[0]["signature"] == "none", ops[0]
assert all(o["signature"] == "ok" and len(o["signer"]) == 64 for o in ops[1:]), ops' ||
	bad "log --json signer/signature"

# Without an identity: unsigned, and said so in JSON.
CASEFILE_IDENTITY="$tmp/nobody/identity" "$B" -C "$A" task add "unsigned task" >/dev/null
"$B" -C "$A" log --json | python3 -c '
import json, sys
o = json.load(sys.stdin)[-1]
assert o["signature"] == "none" and o["signer"] is None, o' || bad "an unsigned op in log --json"

# An identity others can read is refused, naming the file.
chmod 644 "$CASEFILE_IDENTITY"
"$B" -C "$A" show >/dev/null 2>"$tmp/err" && bad "a readable identity was used"
grep -q "mode 644" "$tmp/err" || bad "readable identity said: $(cat "$tmp/err")"
chmod 600 "$CASEFILE_IDENTITY"

# Sync carries the signatures; the clone checks them.
"$B" -C "$A" remote add origin "$S" && "$B" -C "$A" sync >/dev/null || bad "sync"
grep -q '"signer":"' "$(git --git-dir="$S" rev-parse --git-dir)" 2>/dev/null
git clone -q "$S" "$tmp/plain" && grep -q '"sig":"[0-9a-f]\{128\}"' "$tmp"/plain/ops/*/*.jsonl ||
	bad "op files carry no signatures"
"$B" clone "$S" "$Bo" >/dev/null 2>"$tmp/err" || bad "clone: $(cat "$tmp/err")"
"$B" -C "$Bo" log --json | python3 -c '
import json, sys
ops = json.load(sys.stdin)
assert sum(o["signature"] == "ok" for o in ops) == len(ops) - 2, ops' ||
	bad "the clone lost signatures"
"$B" -C "$Bo" verify >"$tmp/out" 2>&1 || bad "verify of the clone: $(cat "$tmp/out")"

# A signature altered on the remote (the hash still matches: it does not cover the signature):
# the clone sets that operation aside by file and line, and keeps the rest.
f=$(ls "$tmp"/plain/ops/*/*.jsonl | head -1)
python3 - "$f" <<'PY'
import sys
p = sys.argv[1]
lines = open(p).read().splitlines(True)
i = max(n for n, l in enumerate(lines) if '"sig":"' in l)
k = lines[i].index('"sig":"') + 7
lines[i] = lines[i][:k] + ('1' if lines[i][k] == '0' else '0') + lines[i][k + 1:]
open(p, 'w').write(''.join(lines))
PY
git -C "$tmp/plain" commit -qam "forged" && git -C "$tmp/plain" push -q origin HEAD:main 2>/dev/null ||
	bad "push of the altered file"
"$B" clone "$S" "$tmp/c" >"$tmp/out" 2>&1
"$B" -C "$tmp/c" quarantine list >"$tmp/q" 2>&1
grep -q "signature does not hold" "$tmp/q" || bad "altered signature not quarantined: $(cat "$tmp/out" "$tmp/q")"

# verify names an altered signature in the database.
sqlite3 "$A/casefile.db" "UPDATE op SET sig = '00' || substr(sig, 3) WHERE rseq = 2" ||
	bad "sqlite3"
"$B" -C "$A" verify >"$tmp/out" 2>&1 && bad "verify passed an altered signature"
grep -q "signature does not hold" "$tmp/out" || bad "verify said: $(cat "$tmp/out")"

[ $fail -eq 0 ] && echo "t_identity: ok"
exit $fail
