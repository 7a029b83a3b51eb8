#!/bin/sh
# t_sync.sh — casefile remote/sync/clone/conflicts/resolve from the command line, with plain
# git as an outside client (clone, read, fsck --strict, a push to another branch), a tampered
# op file refused by name, an unreachable remote, and syncs killed with SIGKILL at random
# moments (seeded) that leave a case `casefile verify` passes and the next sync completes;
# a remote casefile makes is private and whole or absent; URLs shown without passwords.
set -u
B=$CASEFILE_BIN
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }
export CASEFILE_AUTHOR="Alice <alice@example.org>"
A="$tmp/alice" Bo="$tmp/bob" S="$tmp/shared.git"
cfa() { CASEFILE_AUTHOR="Alice <alice@example.org>" "$B" -C "$A" "$@"; }
cfb() { CASEFILE_AUTHOR="Bob <bob@example.org>" "$B" -C "$Bo" "$@"; }
export_json() { "$B" -C "$1" export case --format json; }

"$B" init "$A" --title "Shared case" --discovered 2019-05-31 >/dev/null || exit 1
cfa event add --occurred 2019-05-31T14:02Z --summary "CBP learns of the breach" >/dev/null
cfa remote add origin "$S" || bad "remote add"
cfa remote add mirror "file://$tmp/mirror.git" --branch casefile || bad "remote add --branch"
[ "$(cfa remote list)" = "$(printf 'mirror\tfile://%s/mirror.git\tcasefile\norigin\t%s\tmain' \
	"$tmp" "$S")" ] || bad "remote list: $(cfa remote list)"
cfa remote add origin "$S" 2>/dev/null && bad "a second remote named origin was added"
cfa remote add "bad name" "$S" 2>/dev/null && bad "a remote name with a space was taken"
# Names are bounded (CF_GIT_NAME_LEN) so every ref built from them fits: longer are refused.
long=$(printf 'r%.0s' $(seq 300))
cfa remote add "$long" "$S" 2>/dev/null && bad "a 300-byte remote name was taken"
cfa remote add longbranch "$S" --branch "$long" 2>/dev/null && bad "a 300-byte branch was taken"
cfa remote list | grep -q "^longbranch" && bad "the refused remote was kept"
cfa sync >"$tmp/out" || bad "first sync: $(cat "$tmp/out")"
grep -q "origin/main: sent 2 operations" "$tmp/out" || bad "first sync said: $(cat "$tmp/out")"
cfa sync mirror >/dev/null || bad "sync mirror"
[ -n "$(git --git-dir="$tmp/mirror.git" rev-parse --verify -q casefile)" ] ||
	bad "branch casefile missing on the mirror"
cfa remote rm mirror || bad "remote rm"
cfa remote rm mirror 2>/dev/null && bad "removing a missing remote succeeded"
cfa sync | grep -q "up to date" || bad "a second sync was not up to date"

# Plain git reads it: a checkout of main, op files as sorted-key JSON lines, fsck --strict.
git clone -q "$S" "$tmp/plain" 2>"$tmp/err" || bad "git clone: $(cat "$tmp/err")"
ls "$tmp"/plain/ops/*/*.jsonl >/dev/null 2>&1 || bad "no ops/REPLICA/*.jsonl in the checkout"
python3 - "$tmp"/plain/ops/*/*.jsonl <<'EOF' || bad "op files are not sorted-key JSON lines"
import json, sys
for path in sys.argv[1:]:
    data = open(path, 'rb').read()
    assert data.endswith(b'\n') and b'\r' not in data, path
    for line in data.decode('ascii').splitlines():
        o = json.loads(line)
        assert list(o) == sorted(o), path
        assert json.dumps(o, sort_keys=True, separators=(',', ':')) == line, path
EOF
git -C "$tmp/plain" log --format=%s | grep -q "^Add 2 operations from Alice" ||
	bad "commit message: $(git -C "$tmp/plain" log --format=%B)"
git --git-dir="$S" fsck --strict 2>"$tmp/err" || bad "fsck shared: $(cat "$tmp/err")"
git --git-dir="$A/casefile.git" fsck --strict 2>"$tmp/err" || bad "fsck alice: $(cat "$tmp/err")"

# Bob clones; both end with the same bytes.
"$B" clone "$S" "$Bo" >"$tmp/out" || bad "clone: $(cat "$tmp/out")"
grep -q "cloned 2 operations" "$tmp/out" || bad "clone said: $(cat "$tmp/out")"
[ "$(cfb remote list)" = "$(printf 'origin\t%s\tmain' "$S")" ] || bad "clone's remote"
[ "$(cfa show --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])' 2>/dev/null)" = \
  "$(cfb show --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])' 2>/dev/null)" ] ||
	bad "the clone has another case id"
export_json "$A" >"$tmp/a.json"; export_json "$Bo" >"$tmp/b.json"
cmp -s "$tmp/a.json" "$tmp/b.json" || bad "clone export differs"
"$B" clone "$S" "$Bo" 2>/dev/null && bad "clone into a non-empty directory succeeded"
"$B" clone "$tmp/nothing.git" "$tmp/c2" 2>/dev/null && bad "clone of nothing succeeded"
[ -e "$tmp/c2" ] && bad "a failed clone left its directory"

# Concurrent edits of one field: a conflict on both sides, the same winner, resolved once.
ev=$(cfa event list | head -1 | cut -c1-8)
cfa event edit "$ev" --summary "Alice's wording" >/dev/null
cfb event edit "$ev" --summary "Bob's wording" >/dev/null
cfb task add --title "Brief counsel" >/dev/null
cfa sync >/dev/null && cfb sync >"$tmp/out" && cfa sync >/dev/null || bad "conflicting syncs"
grep -q "1 new conflict" "$tmp/out" || bad "bob's sync did not report the conflict: $(cat "$tmp/out")"
cfa conflicts --json >"$tmp/ca.json"; cfb conflicts --json >"$tmp/cb.json"
cmp -s "$tmp/ca.json" "$tmp/cb.json" || bad "the two sides list other conflicts"
python3 - "$tmp/ca.json" <<'EOF' || bad "conflicts --json: $(cat "$tmp/ca.json")"
import json, sys
c = json.load(open(sys.argv[1]))
assert len(c) == 1 and c[0]["field"] == "summary" and c[0]["type"] == "event", c
assert {c[0]["ours"], c[0]["theirs"]} == {"Alice's wording", "Bob's wording"}, c
assert not c[0]["resolved"]
EOF
cfa conflicts | grep -q "summary" || bad "conflicts (text) does not list the field"
export_json "$A" >"$tmp/a.json"; export_json "$Bo" >"$tmp/b.json"
cmp -s "$tmp/a.json" "$tmp/b.json" || bad "exports differ after the conflict"
cfb resolve "$ev" summary --value "Agreed wording" >/dev/null || bad "resolve --value"
cfb resolve "$ev" summary --take ours 2>/dev/null && bad "resolved twice"
cfb resolve "$ev" summary --take nobody 2>/dev/null; [ $? -eq 2 ] || bad "bad --take: not a usage error"
cfb sync >/dev/null && cfa sync >/dev/null || bad "syncs after resolve"
[ -z "$(cfa conflicts)" ] || bad "alice still lists a conflict: $(cfa conflicts)"
cfa event show "$ev" | grep -q "Agreed wording" || bad "alice does not have the resolution"
[ "$(cfa conflicts --all --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["resolved"])')" = True ] ||
	bad "conflicts --all does not show it resolved"

# Another case (made with init, not clone) cannot be synced into this one.
"$B" init "$tmp/other" --title "Another case" >/dev/null
"$B" -C "$tmp/other" remote add origin "$S"
"$B" -C "$tmp/other" sync >/dev/null 2>"$tmp/err"; rc=$?
[ $rc -eq 1 ] || bad "syncing another case: exit $rc"
grep -q "another case" "$tmp/err" || bad "syncing another case: $(cat "$tmp/err")"
[ "$(git --git-dir="$S" ls-tree --name-only main:ops | wc -l)" -eq 2 ] ||
	bad "the other case's operations reached the remote"

# A push by plain git to another branch disturbs nothing.
git -C "$tmp/plain" checkout -q -b notes
echo "meeting notes" >"$tmp/plain/NOTES.txt"
git -C "$tmp/plain" add NOTES.txt
git -C "$tmp/plain" -c user.name=Carol -c user.email=c@example.org commit -qm "notes"
git -C "$tmp/plain" push -q origin notes 2>"$tmp/err" || bad "plain push: $(cat "$tmp/err")"
main_before=$(git --git-dir="$S" rev-parse main)
cfa sync | grep -q "up to date" || bad "sync after a push to another branch"
[ "$(git --git-dir="$S" rev-parse main)" = "$main_before" ] || bad "main moved"
git --git-dir="$A/casefile.git" cat-file -e main:NOTES.txt 2>/dev/null && bad "notes leaked into main"
cfa verify >/dev/null || bad "verify after the plain push"

# An unreachable remote: local work kept, the failure said, exit status 3; then it goes on.
cfa event add --occurred 2019-06-10 --summary "Made public" >/dev/null
cfa remote add away "ssh://casefile@127.0.0.1:1/case.git"
cfa sync away >"$tmp/out" 2>"$tmp/err"; rc=$?
[ $rc -eq 3 ] || bad "unreachable remote: exit $rc, not 3"
grep -q "fetch from away (ssh://casefile@127.0.0.1:1/case.git)" "$tmp/err" ||
	bad "unreachable remote message: $(cat "$tmp/err")"
cfa event list | grep -q "Made public" || bad "the offline event is gone"
cfa sync nosuch 2>/dev/null; [ $? -eq 1 ] || bad "an unknown remote did not fail"
cfa sync >/dev/null && cfb sync >/dev/null || bad "sync after the failure"
cfb event list | grep -q "Made public" || bad "bob did not get the event written offline"

# A tampered op file (edited with plain git and pushed) that bob has read before: the sync goes
# on, says so in a line of its output, and the other version is set aside beside the file,
# named by `quarantine list`.
cp -r "$S" "$tmp/evil.git"
git clone -q "$tmp/evil.git" "$tmp/evil"
f=$(cd "$tmp/evil" && ls ops/*/*.jsonl | head -1)
sed -i 's/CBP learns of the breach/CBP learns of nothing/' "$tmp/evil/$f"
git -C "$tmp/evil" -c user.name=Mallory -c user.email=m@example.org commit -qam "fix typo"
git -C "$tmp/evil" push -q origin main 2>/dev/null
cfb remote add evil "$tmp/evil.git"
cfb event add --occurred 2019-06-11 --summary "Sent despite the tampering" >/dev/null
cfb sync evil >"$tmp/out" 2>"$tmp/err"; rc=$?
[ $rc -eq 0 ] || bad "tampered file stopped the sync: exit $rc: $(cat "$tmp/err")"
grep -q "^1 received operation in quarantine, not applied (see casefile quarantine list)$" \
	"$tmp/out" || bad "sync: no quarantine line: $(cat "$tmp/out")"
cfb quarantine list >"$tmp/q" || bad "quarantine list after the tampered sync"
grep -q "^$f.set-aside-[0-9a-f]*:0  .*rewritten after it was read" "$tmp/q" ||
	bad "quarantine list does not name the rewritten file: $(cat "$tmp/q")"
git --git-dir="$tmp/evil.git" show main:"$f" | grep -q "CBP learns of the breach" ||
	bad "the remote did not get the file as written back"
cfb verify >/dev/null || bad "bob fails verify after setting the tampered file aside"
git -C "$tmp/evil" push -qf origin main 2>/dev/null # the tampered version again, for the clone
# A new clone of it is not stopped: the altered operation (and those after it in its
# replica's chain) are set aside, named by file and line, and the clone verifies.
"$B" clone "$tmp/evil.git" "$tmp/victim" >"$tmp/out" 2>"$tmp/err" ||
	bad "a clone of a tampered case failed: $(cat "$tmp/err")"
grep -q "in quarantine, not applied (see casefile quarantine list)" "$tmp/out" ||
	bad "clone: no quarantine line: $(cat "$tmp/out")"
"$B" -C "$tmp/victim" quarantine list >"$tmp/q" || bad "quarantine list"
grep -q "^$f:[0-9]*  operation [0-9a-z]*: its contents do not match its hash" "$tmp/q" ||
	bad "quarantine list does not name the tampered file: $(cat "$tmp/q")"
"$B" -C "$tmp/victim" quarantine show "$(head -1 "$tmp/q" | cut -d' ' -f1)" >"$tmp/q1" ||
	bad "quarantine show FILE:LINE"
grep -q "^received .*CBP learns of nothing" "$tmp/q1" || bad "quarantine show: $(cat "$tmp/q1")"
"$B" -C "$tmp/victim" verify >/dev/null || bad "the clone with a quarantine fails verify"
"$B" -C "$tmp/victim" quarantine show nosuchop 2>/dev/null && bad "quarantine show of nothing"

# SIGKILL at seeded random moments, on both the sending and the receiving side.
"${CASEFILE_SRC:-.}/${BUILD:-build}/bench/gen_timeline" 3000 >"$tmp/t.csv" || bad "gen_timeline"
cfa import events "$tmp/t.csv" >/dev/null || bad "import"
i=0
for delay in $(awk 'BEGIN { srand(531); for (i = 0; i < 8; i++) printf "%.3f ", rand() * 0.3 }'); do
	i=$((i + 1))
	if [ $((i % 2)) -eq 1 ]; then dir=$A; else dir=$Bo; fi
	# Started directly (not through a shell function) so that $! is casefile itself.
	"$B" -C "$dir" sync >/dev/null 2>&1 &
	pid=$!
	sleep "$delay"
	kill -9 $pid 2>/dev/null
	wait $pid 2>/dev/null
	"$B" -C "$dir" verify >"$tmp/verify" 2>&1 || bad "verify after kill $i ($delay s): $(grep -v ok "$tmp/verify")"
	git --git-dir="$dir/casefile.git" fsck --strict >"$tmp/err" 2>&1 || bad "fsck after kill $i: $(cat "$tmp/err"; ls -la "$dir/casefile.git" "$dir/casefile.git/refs/heads")"
done
# And at each point between two writes, on both sides (the sync kills itself there).
for point in written fetched replayed moved copied; do
	cfa event add --occurred 2019-06-11 --summary "before $point" >/dev/null
	cfb note add --text "bob before $point" >/dev/null
	for who in cfa cfb; do
		CASEFILE_TEST_KILL_AT=$point $who sync >/dev/null 2>&1
		[ $? -eq 137 ] || bad "$who sync did not die at '$point'"
		if [ $who = cfa ]; then dir=$A; else dir=$Bo; fi
		"$B" -C "$dir" verify >"$tmp/verify" 2>&1 || bad "verify after death at $point: $(grep -v ok "$tmp/verify")"
		$who sync >/dev/null 2>"$tmp/err" || bad "$who sync after death at $point: $(cat "$tmp/err")"
	done
done
cfa sync >/dev/null 2>"$tmp/err" || bad "alice's sync after the kills: $(cat "$tmp/err")"
cfb sync >/dev/null 2>"$tmp/err" || bad "bob's sync after the kills: $(cat "$tmp/err")"
cfa sync >/dev/null || bad "alice's last sync"
[ "$(cfb event list | wc -l)" = "$(cfa event list | wc -l)" ] || bad "event counts differ"
export_json "$A" >"$tmp/a.json"; export_json "$Bo" >"$tmp/b.json"
cmp -s "$tmp/a.json" "$tmp/b.json" || bad "exports differ after the kills"
cfa verify >/dev/null && cfb verify >/dev/null || bad "verify at the end"
git --git-dir="$S" fsck --strict 2>"$tmp/err" || bad "fsck shared at the end: $(cat "$tmp/err")"
# A remote casefile makes is private whatever the umask: directories 0700, files without any
# group or other bit (0600, or 0400 for objects), also after later pushes.
P="$tmp/private.git"
cfa remote add private "$P" || bad "remote add private"
(umask 022; cfa sync private >/dev/null 2>"$tmp/err") || bad "sync private: $(cat "$tmp/err")"
cfa note add --text "a second push" >/dev/null
(umask 022; cfa sync private >/dev/null 2>"$tmp/err") || bad "sync private again: $(cat "$tmp/err")"
[ "$(stat -c %a "$P")" = 700 ] || bad "the new remote is $(stat -c %a "$P"), not 700"
open=$(find "$P" -perm /077 | head -3)
[ -z "$open" ] || bad "group or other may read the new remote: $(ls -ld $open)"
git clone -q "$P" "$tmp/private-clone" 2>"$tmp/err" || bad "git clone private: $(cat "$tmp/err")"
git --git-dir="$P" fsck --strict 2>"$tmp/err" || bad "fsck private: $(cat "$tmp/err")"

# A first sync that dies before the new remote is complete leaves no remote at all (the next
# sync makes it), instead of a half-made one that fails every later sync and clone.
H="$tmp/half.git"
cfa remote add half "$H" || bad "remote add half"
CASEFILE_TEST_KILL_AT=copied cfa sync half >/dev/null 2>&1
[ $? -eq 137 ] || bad "the first sync to half did not die at 'copied'"
[ -e "$H" ] && bad "a first sync that died left a half-made remote: $(ls -la "$H")"
cfa sync half >/dev/null 2>"$tmp/err" || bad "sync half after the death: $(cat "$tmp/err")"
git clone -q "$H" "$tmp/half-clone" 2>"$tmp/err" || bad "git clone half: $(cat "$tmp/err")"
"$B" clone "$H" "$tmp/half-case" >/dev/null 2>"$tmp/err" || bad "clone half: $(cat "$tmp/err")"

# A URL is never shown with its password: remote list, and the error of a fetch that fails.
cfa remote add secret "https://alice:s3cr3t-pw@127.0.0.1:9/case.git" || bad "remote add secret"
cfa remote list >"$tmp/out" 2>&1
grep -q "s3cr3t" "$tmp/out" && bad "remote list shows the password: $(cat "$tmp/out")"
grep -q "https://127.0.0.1:9/case.git" "$tmp/out" || bad "remote list: $(cat "$tmp/out")"
cfa sync secret >"$tmp/out" 2>&1 && bad "sync to a closed port succeeded"
grep -q "s3cr3t" "$tmp/out" && bad "a failed fetch shows the password: $(cat "$tmp/out")"
grep -q "secret" "$tmp/out" || bad "the failed fetch does not name the remote: $(cat "$tmp/out")"
cfa remote rm secret || bad "remote rm secret"
exit $fail
