#!/bin/sh
# t_sync_ssh.sh — sync and clone over ssh:// against a real sshd on 127.0.0.1 (its own config,
# host key and port, run as the test user): a key file, then the ssh agent; an unknown host,
# a changed host key and a refused key fail with exit status 3 and say why.  Skipped, with
# the reason printed, where sshd cannot run.
set -u
B=$CASEFILE_BIN
tmp=$(mktemp -d) || exit 1
sshd_pid= agent_pid=
cleanup() {
	[ -n "$sshd_pid" ] && kill "$sshd_pid" 2>/dev/null
	[ -n "$agent_pid" ] && kill "$agent_pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
skip() { echo "SKIP: $*"; exit 0; }
fail=0
bad() { echo "FAIL: $*"; fail=1; }

SSHD=/usr/sbin/sshd
[ -x "$SSHD" ] || skip "no $SSHD (openssh-server is not installed)"
command -v ssh-keygen >/dev/null && command -v ssh >/dev/null || skip "no ssh client"
# Run as root, sshd wants its privilege-separation directory.
if [ "$(id -u)" = 0 ] && [ ! -d /run/sshd ]; then
	mkdir -p -m 0755 /run/sshd 2>/dev/null || skip "running as root and /run/sshd cannot be made"
fi

H="$tmp/home"
mkdir -p "$H/.ssh" "$tmp/auth" && chmod 700 "$H/.ssh"
ssh-keygen -q -t ed25519 -N "" -f "$tmp/hostkey" || skip "ssh-keygen failed"
ssh-keygen -q -t ed25519 -N "" -f "$H/.ssh/id_ed25519" || skip "ssh-keygen failed"
ssh-keygen -q -t ed25519 -N "" -f "$tmp/otherkey" || skip "ssh-keygen failed"
cp "$H/.ssh/id_ed25519.pub" "$tmp/auth/authorized_keys"
user=$(id -un)

port=$((20000 + $$ % 20000))
for try in 1 2 3 4 5; do
	cat >"$tmp/sshd_config" <<EOF
Port $port
ListenAddress 127.0.0.1
HostKey $tmp/hostkey
PidFile $tmp/sshd.pid
AuthorizedKeysFile $tmp/auth/authorized_keys
StrictModes no
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
PermitRootLogin prohibit-password
LogLevel ERROR
EOF
	"$SSHD" -f "$tmp/sshd_config" -D -e 2>"$tmp/sshd.log" &
	sshd_pid=$!
	up=0
	for i in $(seq 1 50); do
		if HOME="$H" ssh -F /dev/null -p "$port" -i "$H/.ssh/id_ed25519" -o BatchMode=yes \
			-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null \
			"$user@127.0.0.1" true 2>/dev/null; then
			up=1; break
		fi
		kill -0 "$sshd_pid" 2>/dev/null || break
		sleep 0.1
	done
	[ $up = 1 ] && break
	kill "$sshd_pid" 2>/dev/null; wait "$sshd_pid" 2>/dev/null; sshd_pid=
	port=$((port + 1))
done
[ -n "$sshd_pid" ] || skip "sshd does not start here: $(tail -3 "$tmp/sshd.log")"
echo "[127.0.0.1]:$port $(cut -d' ' -f1,2 "$tmp/hostkey.pub")" >"$H/.ssh/known_hosts"

git init -q --bare --initial-branch=main "$tmp/srv.git" 2>/dev/null || {
	git init -q --bare "$tmp/srv.git" && git --git-dir="$tmp/srv.git" symbolic-ref HEAD refs/heads/main; }
URL="ssh://$user@127.0.0.1:$port$tmp/srv.git"
export HOME="$H" CASEFILE_AUTHOR="Alice <alice@example.org>"
# libgit2 1.5's ssh transport leaks the known_hosts list it loads for every connection
# (libssh2_knownhost_init under git_remote_connect_ext, seen with valgrind): under make asan,
# leak checking stays on for every other test of sync, which runs the same code locally.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
unset SSH_AUTH_SOCK
A="$tmp/alice"
"$B" init "$A" --title "Over ssh" >/dev/null || exit 1
"$B" -C "$A" event add --occurred 2019-05-31 --summary "first fact" >/dev/null
"$B" -C "$A" remote add origin "$URL"

# A key file in ~/.ssh, the host in known_hosts.
"$B" -C "$A" sync >"$tmp/out" 2>"$tmp/err" || bad "sync over ssh (key file): $(cat "$tmp/err")"
git --git-dir="$tmp/srv.git" fsck --strict 2>"$tmp/err" || bad "fsck: $(cat "$tmp/err")"
# The fetch moved no ref inside libgit2: no FETCH_HEAD, and the tracking ref is the one the
# git layer set to the server's tip.
[ -e "$A/casefile.git/FETCH_HEAD" ] && bad "the network fetch wrote FETCH_HEAD (libgit2 moved refs)"
"$B" -C "$A" sync >/dev/null 2>"$tmp/err" || bad "second sync over ssh: $(cat "$tmp/err")"
srv_tip=$(git --git-dir="$tmp/srv.git" rev-parse refs/heads/main)
trk_tip=$(git --git-dir="$A/casefile.git" rev-parse refs/remotes/origin/main 2>/dev/null)
[ "$srv_tip" = "$trk_tip" ] || bad "tracking ref $trk_tip is not the server's main $srv_tip"
"$B" clone "$URL" "$tmp/bob" >/dev/null 2>"$tmp/err" || bad "clone over ssh: $(cat "$tmp/err")"
"$B" -C "$A" export case --format json >"$tmp/a.json"
"$B" -C "$tmp/bob" export case --format json >"$tmp/b.json" 2>/dev/null
cmp -s "$tmp/a.json" "$tmp/b.json" || bad "the ssh clone differs"

# The agent, with no key file left.
eval "$(ssh-agent -s)" >/dev/null && agent_pid=$SSH_AGENT_PID
mv "$H/.ssh/id_ed25519" "$tmp/id_moved"
mv "$H/.ssh/id_ed25519.pub" "$tmp/id_moved.pub"
if [ -n "$agent_pid" ] && ssh-add -q "$tmp/id_moved" 2>/dev/null; then
	"$B" -C "$tmp/bob" note add --text "through the agent" >/dev/null
	"$B" -C "$tmp/bob" sync >/dev/null 2>"$tmp/err" || bad "sync through the agent: $(cat "$tmp/err")"
	"$B" -C "$A" sync >/dev/null 2>&1
else
	echo "SKIP: agent part (ssh-agent or ssh-add failed)"
fi
kill "$agent_pid" 2>/dev/null; agent_pid=
unset SSH_AUTH_SOCK SSH_AGENT_PID

# A key the server does not accept: refused after a bounded number of tries.
cp "$tmp/otherkey" "$H/.ssh/id_ed25519"
"$B" -C "$A" sync >/dev/null 2>"$tmp/err"; rc=$?
[ $rc -eq 3 ] || bad "a refused key: exit $rc, not 3 ($(cat "$tmp/err"))"
grep -q "ssh key" "$tmp/err" || bad "a refused key: $(cat "$tmp/err")"
cp "$tmp/id_moved" "$H/.ssh/id_ed25519"

# An unknown host, and a host whose key changed.
mv "$H/.ssh/known_hosts" "$tmp/kh"
"$B" -C "$A" sync >/dev/null 2>"$tmp/err"; rc=$?
[ $rc -eq 3 ] || bad "unknown host: exit $rc"
grep -q "not in known_hosts" "$tmp/err" || bad "unknown host: $(cat "$tmp/err")"
echo "[127.0.0.1]:$port $(cut -d' ' -f1,2 "$tmp/otherkey.pub")" >"$H/.ssh/known_hosts"
"$B" -C "$A" sync >/dev/null 2>"$tmp/err"; rc=$?
[ $rc -eq 3 ] || bad "changed host key: exit $rc"
grep -q "does not match known_hosts" "$tmp/err" || bad "changed host key: $(cat "$tmp/err")"
mv "$tmp/kh" "$H/.ssh/known_hosts"
"$B" -C "$A" event list | grep -q "first fact" || bad "local work lost after the failures"
"$B" -C "$A" sync >/dev/null 2>"$tmp/err" || bad "sync after the failures: $(cat "$tmp/err")"
# ~/.ssh/config: a host alias with HostName, Port, User and an IdentityFile outside ~/.ssh
# (the default key moved away), the scp-like URL form, as git and ssh read it.
mv "$H/.ssh/id_ed25519" "$tmp/aliaskey"
cat >"$H/.ssh/config" <<EOF
# the case's server
Host other-*  !casefile-srv
    Port 1
Host casefile-srv
    HostName 127.0.0.1
    Port $port
    User $user
    IdentityFile $tmp/aliaskey
Host *
    Port 2
EOF
"$B" -C "$A" remote add alias "casefile-srv:$tmp/srv.git" || bad "remote add alias"
"$B" -C "$A" note add --text "through the alias" >/dev/null
"$B" -C "$A" sync alias >/dev/null 2>"$tmp/err" || bad "sync through ~/.ssh/config: $(cat "$tmp/err")"
"$B" clone "ssh://casefile-srv$tmp/srv.git" "$tmp/carol" >/dev/null 2>"$tmp/err" ||
	bad "clone through ~/.ssh/config: $(cat "$tmp/err")"
"$B" -C "$tmp/carol" note list | grep -q "through the alias" || bad "the alias clone lacks the note"
"$B" -C "$A" remote list | grep -q "casefile-srv:" || bad "remote list shows another URL"

# A key with a passphrase, no agent and no terminal to ask on: refused, saying what to do.
ssh-keygen -q -t ed25519 -N "secret words" -f "$tmp/lockedkey" || bad "ssh-keygen"
cp "$tmp/lockedkey.pub" "$tmp/auth/authorized_keys"
sed -i "s|IdentityFile .*|IdentityFile $tmp/lockedkey|" "$H/.ssh/config"
setsid "$B" -C "$A" sync alias </dev/null >/dev/null 2>"$tmp/err"; rc=$?
[ $rc -eq 3 ] || bad "a locked key without a terminal: exit $rc ($(cat "$tmp/err"))"
grep -q "needs its passphrase and there is no terminal" "$tmp/err" ||
	bad "a locked key without a terminal said: $(cat "$tmp/err")"
exit $fail
