#!/bin/sh
# t_sync_https.sh — sync and clone over https against a real local server (git http-backend
# behind TLS with a certificate from a self-signed CA, basic authentication): the CA given
# with GIT_SSL_CAINFO, credentials from git's credential helper (approved after use, rejected
# when refused), an untrusted certificate and a wrong password refused with exit status 3; and
# through an HTTP CONNECT proxy named by https_proxy or git's http.proxy (tests/connect_proxy.py
# logs each tunnel), a dead proxy refused with a message.
set -u
B=$CASEFILE_BIN
tmp=$(mktemp -d) || exit 1
server_pid= proxy_pid=
cleanup() {
	[ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null
	[ -n "$proxy_pid" ] && kill "$proxy_pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
skip() { echo "SKIP: $*"; exit 0; }
fail=0
bad() { echo "FAIL: $*"; fail=1; }
command -v openssl >/dev/null || skip "no openssl"

# A CA, and the server's certificate for 127.0.0.1 signed by it.
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=casefile test CA" \
	-keyout "$tmp/ca.key" -out "$tmp/ca.pem" 2>/dev/null || skip "openssl cannot make a CA"
openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout "$tmp/srv.key" \
	-out "$tmp/srv.csr" 2>/dev/null || bad "server key"
printf 'subjectAltName=DNS:127.0.0.1,IP:127.0.0.1\n' >"$tmp/ext"
openssl x509 -req -in "$tmp/srv.csr" -CA "$tmp/ca.pem" -CAkey "$tmp/ca.key" -CAcreateserial \
	-days 2 -extfile "$tmp/ext" -out "$tmp/srv.pem" 2>/dev/null || bad "server certificate"
mkdir -p "$tmp/root"
git init -q --bare "$tmp/root/case.git" && git --git-dir="$tmp/root/case.git" \
	config http.receivepack true && git --git-dir="$tmp/root/case.git" symbolic-ref HEAD \
	refs/heads/main || bad "bare repository"
python3 "$CASEFILE_SRC/tests/https_git_server.py" "$tmp/root" "$tmp/srv.pem" "$tmp/srv.key" \
	alice "s3cret words" "$tmp/port" 2>"$tmp/server.log" &
server_pid=$!
for i in $(seq 1 50); do [ -s "$tmp/port" ] && break; sleep 0.1; done
[ -s "$tmp/port" ] || skip "the test server did not start: $(cat "$tmp/server.log")"
URL="https://127.0.0.1:$(cat "$tmp/port")/case.git"

# git's own configuration, in a home of the test's: a store helper holding the password.
export HOME="$tmp/home" GIT_CONFIG_NOSYSTEM=1 CASEFILE_AUTHOR="Alice <alice@example.org>"
unset CASEFILE_GIT_USERNAME CASEFILE_GIT_PASSWORD GIT_ASKPASS SSH_ASKPASS
mkdir -p "$HOME"
git config --global credential.helper "store --file=$tmp/credentials"
printf 'https://alice:s3cret%%20words@127.0.0.1:%s\n' "$(cat "$tmp/port")" >"$tmp/credentials"
A="$tmp/alice"
"$B" init "$A" --title "Over https" >/dev/null || exit 1
"$B" -C "$A" event add --occurred 2019-05-31 --summary "first fact" >/dev/null
"$B" -C "$A" remote add origin "$URL" || bad "remote add"

# Without the CA: the certificate is not trusted.
setsid "$B" -C "$A" sync </dev/null >/dev/null 2>"$tmp/err"; rc=$?
[ $rc -eq 3 ] || bad "an untrusted certificate: exit $rc ($(cat "$tmp/err"))"
grep -qi "certificate" "$tmp/err" || bad "an untrusted certificate said: $(cat "$tmp/err")"

# With it: the helper's password, sync and clone, both ends the same.
export GIT_SSL_CAINFO="$tmp/ca.pem"
setsid "$B" -C "$A" sync </dev/null >"$tmp/out" 2>"$tmp/err" ||
	bad "sync over https: $(cat "$tmp/err")"
git --git-dir="$tmp/root/case.git" fsck --strict 2>"$tmp/err" || bad "fsck: $(cat "$tmp/err")"
setsid "$B" clone "$URL" "$tmp/bob" </dev/null >/dev/null 2>"$tmp/err" ||
	bad "clone over https: $(cat "$tmp/err")"
"$B" -C "$A" export case --format json >"$tmp/a.json"
"$B" -C "$tmp/bob" export case --format json >"$tmp/b.json" 2>/dev/null
cmp -s "$tmp/a.json" "$tmp/b.json" || bad "the https clone differs"
"$B" -C "$A" remote list | grep -q "s3cret" && bad "remote list shows the password"

# Through a proxy: named by https_proxy, then by git's http.proxy; every tunnel is logged.
unset NO_PROXY no_proxy HTTP_PROXY http_proxy HTTPS_PROXY https_proxy ALL_PROXY all_proxy
python3 "$CASEFILE_SRC/tests/connect_proxy.py" "$tmp/proxy.log" "$tmp/pport" 2>"$tmp/proxy.err" &
proxy_pid=$!
for i in $(seq 1 50); do [ -s "$tmp/pport" ] && break; sleep 0.1; done
PROXY="http://127.0.0.1:$(cat "$tmp/pport")"
"$B" -C "$A" note add --text "sent through a proxy" >/dev/null
https_proxy=$PROXY setsid "$B" -C "$A" sync </dev/null >/dev/null 2>"$tmp/err" ||
	bad "sync through https_proxy: $(cat "$tmp/err")"
grep -q "^CONNECT 127.0.0.1:$(cat "$tmp/port")$" "$tmp/proxy.log" 2>/dev/null ||
	bad "the sync did not go through https_proxy ($(cat "$tmp/proxy.log" 2>/dev/null))"
: >"$tmp/proxy.log"
git config --global http.proxy "http://someone:pr0xy-secret@${PROXY#http://}"
setsid "$B" clone "$URL" "$tmp/carol" </dev/null >/dev/null 2>"$tmp/err" ||
	bad "clone through http.proxy: $(cat "$tmp/err")"
grep -q "^CONNECT 127.0.0.1:" "$tmp/proxy.log" 2>/dev/null ||
	bad "the clone did not go through http.proxy"
"$B" -C "$tmp/carol" export case --format json >"$tmp/c.json" 2>/dev/null
"$B" -C "$A" export case --format json >"$tmp/a.json"
cmp -s "$tmp/a.json" "$tmp/c.json" || bad "the clone through the proxy differs"
kill "$proxy_pid" 2>/dev/null; wait "$proxy_pid" 2>/dev/null; proxy_pid=
"$B" -C "$A" note add --text "the proxy is down" >/dev/null
setsid "$B" -C "$A" sync </dev/null >/dev/null 2>"$tmp/err" && bad "a sync through a dead proxy succeeded"
grep -q "through the proxy 127.0.0.1:$(cat "$tmp/pport")" "$tmp/err" ||
	bad "a dead proxy said: $(cat "$tmp/err")"
grep -q "pr0xy-secret" "$tmp/err" && bad "an error shows the proxy's password"
git config --global --unset http.proxy

# A wrong password in the helper: refused, exit 3, and the helper told to forget it.
printf 'https://alice:wrong@127.0.0.1:%s\n' "$(cat "$tmp/port")" >"$tmp/credentials"
"$B" -C "$A" note add --text "after the password changed" >/dev/null
setsid "$B" -C "$A" sync </dev/null >/dev/null 2>"$tmp/err"; rc=$?
[ $rc -eq 3 ] || bad "a wrong password: exit $rc ($(cat "$tmp/err"))"
grep -q "credential" "$tmp/err" || bad "a wrong password said: $(cat "$tmp/err")"
grep -q "wrong" "$tmp/credentials" && bad "the refused password was not rejected from the helper"
grep -q "s3cret" "$tmp/err" && bad "an error shows the password"
exit $fail
