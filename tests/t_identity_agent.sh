#!/bin/sh
# t_identity_agent.sh — `id init --ssh-agent`: operations signed by an Ed25519 key that
# ssh-agent holds (no signing secret on disk), checked like any other signature; an agent that
# is gone, has dropped the key, or answers out of protocol stops the change with a message and
# stores nothing.
set -u
B=$CASEFILE_BIN
command -v ssh-agent >/dev/null && command -v ssh-add >/dev/null || {
	echo "skip: ssh-agent not installed"; exit 0; }
tmp=$(mktemp -d) || exit 1
agent_pid=
trap '[ -n "$agent_pid" ] && kill "$agent_pid" 2>/dev/null; rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }
export CASEFILE_AUTHOR="Priya Raman <priya@example.org>"
export CASEFILE_IDENTITY="$tmp/id/identity"

SSH_AUTH_SOCK="$tmp/agent.sock" ssh-agent -D -a "$tmp/agent.sock" >/dev/null 2>&1 &
agent_pid=$!
export SSH_AUTH_SOCK="$tmp/agent.sock"
for i in 1 2 3 4 5 6 7 8 9 10; do [ -S "$SSH_AUTH_SOCK" ] && break; sleep 0.2; done
ssh-keygen -q -t ed25519 -N '' -C "priya-laptop" -f "$tmp/k1" || bad "ssh-keygen"
ssh-keygen -q -t ed25519 -N '' -C "priya-token" -f "$tmp/k2" || bad "ssh-keygen"
ssh-keygen -q -t ecdsa -N '' -C "not-ed25519" -f "$tmp/k3" || bad "ssh-keygen"

# An agent with no Ed25519 key: said so.
ssh-add -q "$tmp/k3" 2>/dev/null || bad "ssh-add k3"
"$B" id init --ssh-agent 2>"$tmp/err" && bad "id init --ssh-agent with no Ed25519 key succeeded"
grep -q "holds 0 Ed25519 keys" "$tmp/err" || bad "no Ed25519 key said: $(cat "$tmp/err")"
[ -e "$CASEFILE_IDENTITY" ] && bad "a failed id init left an identity"

# Two keys: one must be chosen, by comment or by ssh-add -l's fingerprint.
ssh-add -q "$tmp/k1" "$tmp/k2" 2>/dev/null || bad "ssh-add k1 k2"
"$B" id init --ssh-agent 2>"$tmp/err" && bad "id init with two agent keys and no --key succeeded"
grep -q "choose one with --key" "$tmp/err" || bad "two keys said: $(cat "$tmp/err")"
grep -q "priya-token" "$tmp/err" || bad "the keys are not listed: $(cat "$tmp/err")"
"$B" id init --ssh-agent --key nobody 2>"$tmp/err" && bad "--key nobody succeeded"
"$B" id init --key priya-laptop 2>/dev/null; [ $? -eq 2 ] || bad "--key without --ssh-agent"
sshfp=$(ssh-keygen -lf "$tmp/k1.pub" | awk '{print $2}')
"$B" id init --ssh-agent --key "$sshfp" >"$tmp/pub" 2>"$tmp/err" ||
	bad "id init --ssh-agent --key $sshfp: $(cat "$tmp/err")"
grep -q "held by ssh-agent" "$tmp/err" || bad "id init did not say where the key is"
grep -q "^sign-agent [0-9a-f]\{64\}$" "$CASEFILE_IDENTITY" || bad "identity has no sign-agent line"
grep -q "^sign-secret" "$CASEFILE_IDENTITY" && bad "an agent identity stored a signing secret"
# The identity's signing key is the agent key's public half.
python3 - "$tmp/k1.pub" "$tmp/pub" <<'PY' || bad "the identity's key is not k1's"
import base64, sys
blob = base64.b64decode(open(sys.argv[1]).read().split()[1])
pub = open(sys.argv[2]).read().split(" cf1.")[1].split(".")[0]
assert blob[-32:].hex() == pub, (blob[-32:].hex(), pub)
PY
fp=$(sed 's/.* fingerprint //' "$tmp/pub")
[ "$("$B" id show 2>/dev/null)" = "$(cat "$tmp/pub")" ] || bad "id show differs from id init"

# Operations are signed by the agent and check like any others.
A="$tmp/a"
"$B" init "$A" --title "Agent-signed case" >/dev/null 2>"$tmp/err" || bad "init: $(cat "$tmp/err")"
"$B" -C "$A" event add 2019-05-31 "CBP learns of the breach" >/dev/null 2>"$tmp/err" ||
	bad "event add: $(cat "$tmp/err")"
"$B" -C "$A" log >"$tmp/log"
grep -q "CBP learns.*$fp\|$fp.*CBP learns" "$tmp/log" || grep -q "$fp" "$tmp/log" ||
	bad "log does not name $fp: $(cat "$tmp/log")"
"$B" -C "$A" log --json | python3 -c '
import json, sys
ops = json.load(sys.stdin)
assert ops and all(o["signature"] == "ok" for o in ops), ops' || bad "agent signatures do not hold"
"$B" -C "$A" verify >"$tmp/out" 2>&1 || bad "verify: $(cat "$tmp/out")"
n=$("$B" -C "$A" log --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')

# The key dropped from the agent: refused, nothing stored.
ssh-add -q -d "$tmp/k1.pub" 2>/dev/null || bad "ssh-add -d"
"$B" -C "$A" task add "call the contractor" >/dev/null 2>"$tmp/err" &&
	bad "a change signed by a dropped key succeeded"
grep -q "ssh-agent refused to sign" "$tmp/err" || bad "dropped key said: $(cat "$tmp/err")"
ssh-add -q "$tmp/k1" 2>/dev/null
# No agent at all.
SSH_AUTH_SOCK= "$B" -C "$A" task add "call the contractor" >/dev/null 2>"$tmp/err" &&
	bad "a change with no agent succeeded"
grep -q "SSH_AUTH_SOCK is not set" "$tmp/err" || bad "no agent said: $(cat "$tmp/err")"

# An agent that answers out of protocol: a bad signature, a huge length, a wrong reply type.
for mode in badsig huge wrongtype; do
	python3 - "$tmp/fake-$mode.sock" "$mode" "$tmp/k1.pub" <<'PY' &
import base64, os, socket, struct, sys
path, mode = sys.argv[1], sys.argv[2]
blob = base64.b64decode(open(sys.argv[3]).read().split()[1])
s = socket.socket(socket.AF_UNIX); s.bind(path); s.listen(1)
c, _ = s.accept()
def msg(b): return struct.pack(">I", len(b)) + b
def sstr(b): return struct.pack(">I", len(b)) + b
while True:
    h = c.recv(4)
    if len(h) < 4: break
    n = struct.unpack(">I", h)[0]; body = b""
    while len(body) < n: body += c.recv(n - len(body))
    if body[0] == 13:
        if mode == "huge": c.sendall(struct.pack(">I", 0x7fffffff)); break
        if mode == "wrongtype": c.sendall(msg(bytes([12]) + struct.pack(">I", 0))); continue
        sig = sstr(b"ssh-ed25519") + sstr(b"\x01" * 64)
        c.sendall(msg(bytes([14]) + sstr(sig)))
    else:
        c.sendall(msg(bytes([5])))
PY
	fake=$!
	for i in 1 2 3 4 5 6 7 8 9 10; do [ -S "$tmp/fake-$mode.sock" ] && break; sleep 0.2; done
	SSH_AUTH_SOCK="$tmp/fake-$mode.sock" "$B" -C "$A" task add "call the contractor" \
		>/dev/null 2>"$tmp/err" && bad "an agent answering $mode was believed"
	case $mode in
	badsig) grep -q "does not hold" "$tmp/err" ;;
	huge) grep -q "out of protocol" "$tmp/err" ;;
	wrongtype) grep -q "out of protocol" "$tmp/err" ;;
	esac || bad "agent answering $mode said: $(cat "$tmp/err")"
	kill $fake 2>/dev/null; wait $fake 2>/dev/null
done
m=$("$B" -C "$A" log --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
[ "$m" = "$n" ] || bad "failed signatures stored operations ($n before, $m after)"
"$B" -C "$A" task list 2>/dev/null | grep -q "call the contractor" && bad "a refused task was stored"

[ $fail -eq 0 ] && echo "ok: t_identity_agent"
exit $fail
