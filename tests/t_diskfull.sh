#!/bin/sh
# t_diskfull.sh — a real full disk (a small tmpfs) during a first sync or a clone leaves
# nothing half-made: the remote being created, the case's own repository and a clone's
# directory; after space is freed, the next sync and a clone work with nothing deleted by hand.
# Needs to mount a tmpfs (root, as in the container and CI); says SKIP and passes otherwise.
set -u
B=${CASEFILE_BIN:?}
S=${CASEFILE_SRC:?}
T=$(mktemp -d) || exit 1
M="$T/full"
mkdir "$M"
if ! mount -t tmpfs -o size=200k tmpfs "$M" 2>/dev/null; then
	echo "SKIP: cannot mount a tmpfs here (not root?)"
	rm -rf "$T"
	exit 0
fi
trap 'umount "$M"; rm -rf "$T"' EXIT
export CASEFILE_AUTHOR="Test Runner <test@example.org>"
unset CASEFILE_DIR
fail=0
bad() { echo "FAIL: $*"; fail=1; }
resize() { mount -o remount,size="$1" "$M" || { echo "FAIL: remount"; exit 1; }; }
# Fills $M to leave about $1 KiB.
fill() {
	avail=$(df -k --output=avail "$M" | tail -1)
	dd if=/dev/zero of="$M/filler" bs=1k count=$((avail - $1)) 2>/dev/null
}

"$B" demo "$T/case" >/dev/null || exit 1
"$S/${BUILD:-build}/bench/gen_timeline" 3000 >"$T/t.csv" || exit 1
"$B" -C "$T/case" import events "$T/t.csv" >/dev/null || exit 1
n=$("$B" -C "$T/case" log --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')

# 1. The first sync to a new remote on a disk that fills: no remote left behind, a clear
# error; with room, the same command makes it, and a clone takes every operation.
"$B" -C "$T/case" remote add origin "$M/remote.git"
"$B" -C "$T/case" sync >"$T/out" 2>"$T/err"; rc=$?
[ $rc -ne 0 ] || bad "sync to a full disk succeeded"
grep -q "No space left on device" "$T/err" || bad "full remote: $(cat "$T/err")"
[ -z "$(ls -A "$M")" ] || bad "a half-made remote was left: $(ls -A "$M")"
resize 30m
"$B" -C "$T/case" sync >"$T/out" 2>"$T/err" || bad "sync after freeing space: $(cat "$T/err")"
"$B" clone "$M/remote.git" "$T/clone1" >"$T/out" 2>"$T/err" ||
	bad "clone after the full disk: $(cat "$T/err")"
grep -q "^cloned $n operations" "$T/out" || bad "clone: $(cat "$T/out")"

# 2. A clone into a disk that fills: nothing left where it was going; with room, the same
# clone into the same place works.
rm -rf "$M/remote.git"
cp -r "$T/case/casefile.git" "$T/remote.git"
fill 1500
"$B" clone "$T/remote.git" "$M/clone" >"$T/out" 2>"$T/err"; rc=$?
[ $rc -ne 0 ] || bad "clone into a full disk succeeded"
grep -q "disk is full\|No space left" "$T/err" || bad "full clone: $(cat "$T/err")"
[ ! -e "$M/clone" ] || bad "a half-made clone was left: $(ls -A "$M/clone")"
rm -f "$M/filler"
"$B" clone "$T/remote.git" "$M/clone" >"$T/out" 2>"$T/err" ||
	bad "clone after freeing space: $(cat "$T/err")"
rm -rf "$M/clone"

# 3. The case itself on the disk that fills, at its first sync (its own repository): a clear
# error, the case intact; with room, the next sync sends everything and verify is clean.
cp -r "$T/case" "$M/case" || exit 1
rm -rf "$M/case/casefile.git"
"$B" -C "$M/case" remote add origin "$T/remote3.git"
fill 150
"$B" -C "$M/case" sync >"$T/out" 2>"$T/err"; rc=$?
[ $rc -ne 0 ] || bad "sync of a case on a full disk succeeded"
grep -q "No space left on device" "$T/err" || bad "full case: $(cat "$T/err")"
rm -f "$M/filler"
"$B" -C "$M/case" sync >"$T/out" 2>"$T/err" || bad "sync after freeing space: $(cat "$T/err")"
grep -q "sent $n operations" "$T/out" || bad "the next sync: $(cat "$T/out")"
"$B" -C "$M/case" verify >"$T/out" 2>&1 || bad "verify after the full disk: $(tail -5 "$T/out")"
"$B" clone "$T/remote3.git" "$T/clone3" >/dev/null 2>"$T/err" || bad "clone: $(cat "$T/err")"
"$B" -C "$T/clone3" export case --format json >"$T/a.json" &&
	"$B" -C "$M/case" export case --format json >"$T/b.json" &&
	cmp -s "$T/a.json" "$T/b.json" || bad "the clone's export differs from the case's"
exit $fail
