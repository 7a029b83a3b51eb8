#!/bin/sh
# t_verify_merge.sh — verify reads the tables and the replay side by side in id order
# (store/verify.c) and checks conflicted flags only on the rows that have one or should
# (store/verify_index.c): rows added before the first id and after the last, a row lost in
# the middle, a row whose id is not text, a field edited, and a flag cleared from a record
# with an open conflict are each named; --timings says how long each check took.
set -u
B=$CASEFILE_BIN
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }
A="$tmp/alice" Bo="$tmp/bob" S="$tmp/shared.git"
cfa() { CASEFILE_AUTHOR="Alice <alice@example.org>" "$B" -C "$A" "$@"; }
cfb() { CASEFILE_AUTHOR="Bob <bob@example.org>" "$B" -C "$Bo" "$@"; }

"$B" init "$A" --title "Shared" >/dev/null || exit 1
for i in 1 2 3 4 5 6; do cfa task add --title "task $i" >/dev/null || exit 1; done
t=$(cfa task add --title "Call counsel") || exit 1
cfa remote add origin "$S" && cfa sync >/dev/null || bad "first sync"
"$B" clone "$S" "$Bo" >/dev/null || bad "clone"
cfa task edit "$t" --title "Call the lawyer" >/dev/null || bad "alice's edit"
cfb task edit "$t" --title "Call outside counsel" >/dev/null || bad "bob's edit"
cfa sync >/dev/null && cfb sync >/dev/null && cfa sync >/dev/null || bad "syncs"
[ "$(sqlite3 "$A/casefile.db" "SELECT conflicted FROM task WHERE id = '$t'")" = title ] ||
	bad "no open conflict on the title"

cfa verify --timings >"$tmp/out" 2>&1 || { cat "$tmp/out"; bad "a clean case fails"; }
# Every check that ran says how long it took, and the whole too.
[ "$(grep -c '^  took [0-9]*\.[0-9][0-9] s\( (alongside the checks above)\)\{0,1\}$' "$tmp/out")" -eq "$(grep -c '^[a-z]' "$tmp/out" |
	awk '{ print $1 - 2 }')" ] || { cat "$tmp/out"; bad "a check without its time"; }
grep -q '^verify took [0-9]*\.[0-9][0-9] s$' "$tmp/out" || bad "no total time"
# The chains and SQLite's own checks ran in their thread, after the others in the report.
[ "$(grep -c '(alongside the checks above)$' "$tmp/out")" -eq 3 ] || bad "not alongside"
cfa verify >"$tmp/out" 2>&1 && ! grep -q took "$tmp/out" || bad "times without --timings"

# The flag of a record with an open conflict, cleared: the only row the scan must not skip.
cp -r "$A" "$tmp/c1"
sqlite3 "$tmp/c1/casefile.db" "UPDATE task SET conflicted = NULL WHERE id = '$t'"
"$B" -C "$tmp/c1" verify >"$tmp/out" 2>&1 && bad "a cleared conflicted flag passes"
grep -q "PROBLEM \[task $t field conflicted\] .*conflicted is '' in the table, the log gives 'title'" \
	"$tmp/out" || { cat "$tmp/out"; bad "the cleared flag is not named"; }

# Rows added at both ends, one lost in the middle, one edited at the end, one without a text
# id: each named once, and nothing else (the merge stays in step).
cp -r "$A" "$tmp/c2"
set -- $(sqlite3 "$tmp/c2/casefile.db" "SELECT id FROM task ORDER BY id")
mid=$4 last=$7
sqlite3 "$tmp/c2/casefile.db" "INSERT INTO task(id, sort_key, title) VALUES ('0000', '~', 'a');
	INSERT INTO task(id, sort_key, title) VALUES ('zzzz', '~', 'z');
	INSERT INTO task(id, sort_key, title) VALUES (NULL, '~', 'n');
	DELETE FROM task WHERE id = '$mid';
	UPDATE task SET owner = 'mallory' WHERE id = '$last'" || bad "sqlite3"
"$B" -C "$tmp/c2" verify >"$tmp/out" 2>&1 && bad "tampered rows pass"
for want in "\[task 0000\] task 0000: in the table but not created by any operation" \
	"\[task zzzz\] task zzzz: in the table but not created by any operation" \
	"\[task $mid\] task $mid: created by the log but missing from the table" \
	"\[task $last field owner\] .*the table has 'mallory', the log gives (unset)" \
	"task: a row in the table whose id is not text"; do
	[ "$(grep -c "PROBLEM $want" "$tmp/out")" -eq 1 ] ||
		{ cat "$tmp/out"; bad "not named once: $want"; }
done
[ "$(grep -c "PROBLEM.*replay\|PROBLEM \[task\|PROBLEM task" "$tmp/out")" -eq 5 ] ||
	{ cat "$tmp/out"; bad "other problems with the records than the five made"; }
exit $fail
