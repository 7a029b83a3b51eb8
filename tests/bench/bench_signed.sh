#!/bin/sh
# bench_signed.sh — `event add` on a signed case (an identity that signs, the case's members
# checked) against the same on an unsigned case, side by side in one run: ten rounds of 20 of
# each, alternating, so a busy moment of the machine weighs on both (target <= 1.5x).  Then the
# same with the signing key held by ssh-agent (id init --ssh-agent), against the key file.
set -u
B=${CASEFILE_BIN:?}
BB=${BENCH_BIN:?}
T=$(mktemp -d "${TMPDIR:-/tmp}/casefile-bench-XXXXXX") || exit 1
agent_pid=
trap '[ -n "$agent_pid" ] && kill "$agent_pid" 2>/dev/null; rm -rf "$T"' EXIT
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
med() { sort -n | awk '{ v[NR] = $1 }
	END { m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.2f", m }'; }

CASEFILE_IDENTITY="$T/none" "$B" init "$T/plain" --title unsigned >/dev/null || exit 1
CASEFILE_IDENTITY="$T/id" "$B" id init --name Bench --email bench@example.org >/dev/null 2>&1 ||
	exit 1
CASEFILE_IDENTITY="$T/id" "$B" init "$T/signed" --title signed >/dev/null || exit 1
: >"$T/rounds"
for r in 1 2 3 4 5 6 7 8 9 10; do
	set -- $(CASEFILE_IDENTITY="$T/id" "$BB/timecmd" 20 "$B" -C "$T/signed" event add \
		2019-05-31T14:02Z "bench event")
	a=$1
	set -- $(CASEFILE_IDENTITY="$T/none" "$BB/timecmd" 20 "$B" -C "$T/plain" event add \
		2019-05-31T14:02Z "bench event")
	echo "$a $1 $(ratio "$a" "$1")" >>"$T/rounds"
done
CASEFILE_IDENTITY="$T/id" "$B" -C "$T/signed" log --json | grep -c '"signature": "ok"' \
	>"$T/nsigned"
echo "result: event add, signed case      median $(cut -d' ' -f1 "$T/rounds" | med) ms;" \
	"unsigned $(cut -d' ' -f2 "$T/rounds" | med) ms side by side: signed is" \
	"$(cut -d' ' -f3 "$T/rounds" | med)x (target <= 1.5x; $(cat "$T/nsigned") signed ops)"

# The key in ssh-agent: one more round trip to the agent per operation.
command -v ssh-agent >/dev/null || { echo "result: event add, agent-signed: skipped (no ssh-agent)"; exit 0; }
ssh-agent -D -a "$T/agent.sock" >/dev/null 2>&1 &
agent_pid=$!
for i in 1 2 3 4 5 6 7 8 9 10; do [ -S "$T/agent.sock" ] && break; sleep 0.2; done
ssh-keygen -q -t ed25519 -N '' -f "$T/k" && SSH_AUTH_SOCK="$T/agent.sock" ssh-add -q "$T/k" 2>/dev/null &&
	SSH_AUTH_SOCK="$T/agent.sock" CASEFILE_IDENTITY="$T/aid" "$B" id init --ssh-agent \
		--name Bench --email bench@example.org >/dev/null 2>&1 &&
	SSH_AUTH_SOCK="$T/agent.sock" CASEFILE_IDENTITY="$T/aid" "$B" init "$T/agent" --title agent \
		>/dev/null || exit 1
: >"$T/arounds"
for r in 1 2 3 4 5 6 7 8 9 10; do
	set -- $(SSH_AUTH_SOCK="$T/agent.sock" CASEFILE_IDENTITY="$T/aid" "$BB/timecmd" 20 "$B" \
		-C "$T/agent" event add 2019-05-31T14:02Z "bench event")
	a=$1
	set -- $(CASEFILE_IDENTITY="$T/id" "$BB/timecmd" 20 "$B" -C "$T/signed" event add \
		2019-05-31T14:02Z "bench event")
	echo "$a $1 $(ratio "$a" "$1")" >>"$T/arounds"
done
echo "result: event add, ssh-agent key    median $(cut -d' ' -f1 "$T/arounds" | med) ms;" \
	"key file $(cut -d' ' -f2 "$T/arounds" | med) ms side by side: agent is" \
	"$(cut -d' ' -f3 "$T/arounds" | med)x"
