#!/bin/sh
# t_cli.sh — the real binary on bad input: one clear line on stderr, a non-zero exit, and the
# case exactly as it was (operation log and lists compared before and after).
set -u
B=${CASEFILE_BIN:?}
T=$(mktemp -d) || exit 1
trap 'chmod -R u+rwX "$T" 2>/dev/null; rm -rf "$T"' EXIT
export CASEFILE_AUTHOR="Pat Example <pat@example.org>"
unset CASEFILE_DIR
fails=0
C="$T/case"

die() { echo "FAIL: $*"; fails=$((fails + 1)); }

snapshot() {
	{ "$B" -C "$C" log --json; for k in event estimate notice evidence custody task note; do
		"$B" -C "$C" $k list --json --all; done; "$B" -C "$C" show --json; } >"$1" 2>&1
}

# expect_fail NAME PATTERN CMD...: CMD fails, says one line matching PATTERN, changes nothing.
expect_fail() {
	name=$1 pat=$2; shift 2
	snapshot "$T/before"
	"$@" >"$T/out" 2>"$T/err"; rc=$?
	snapshot "$T/after"
	[ $rc -ne 0 ] || die "$name: exit status 0"
	[ "$(wc -l <"$T/err")" -eq 1 ] || { die "$name: stderr is not one line:"; cat "$T/err"; }
	grep -q -- "$pat" "$T/err" || die "$name: stderr '$(cat "$T/err")' lacks '$pat'"
	grep -q '^casefile: ' "$T/err" || die "$name: stderr does not start 'casefile: '"
	cmp -s "$T/before" "$T/after" || die "$name: the case changed"
}

# expect_usage NAME PATTERN CMD...: CMD exits 2 saying what is wrong (PATTERN) on the first
# line and the command's usage line on the second, and changes nothing.
expect_usage() {
	name=$1 pat=$2; shift 2
	snapshot "$T/before"
	"$@" >"$T/out" 2>"$T/err"; rc=$?
	snapshot "$T/after"
	[ $rc -eq 2 ] || die "$name: exit status $rc, not 2"
	[ "$(wc -l <"$T/err")" -eq 2 ] || { die "$name: stderr is not two lines:"; cat "$T/err"; }
	head -1 "$T/err" | grep -q -- "^casefile: .*$pat" || die "$name: '$(head -1 "$T/err")' lacks '$pat'"
	sed -n 2p "$T/err" | grep -q '^usage: casefile ' || die "$name: no usage line"
	cmp -s "$T/before" "$T/after" || die "$name: the case changed"
}

"$B" init "$C" --title "Test case" --discovered 2019-05-31 >/dev/null || die "init"
id=$("$B" -C "$C" event add 2019-05-31 "CBP learns of the breach" --kind discovery) ||
	die "event add"
[ ${#id} -eq 20 ] || die "add printed '$id', not an id"

# Author comes from CASEFILE_AUTHOR.
"$B" -C "$C" log --json | grep -q '"author": "Pat Example <pat@example.org>"' ||
	die "author not taken from CASEFILE_AUTHOR"
# Prefix, edit with old and new in the log, JSON fields.
"$B" -C "$C" event edit "$(echo "$id" | cut -c1-6)" --summary "CBP learns" || die "edit by prefix"
"$B" -C "$C" log "$id" --json | grep -q '"old": "CBP learns of the breach"' || die "old value"
"$B" -C "$C" event list --json | grep -q '"occurred": "2019-05-31"' || die "occurred in json"
for f in '"op"' '"record"' '"kind"' '"field"' '"old"' '"new"' '"author"' '"at"' '"lamport"' \
	'"replica"' '"rseq"' '"prev"' '"hash"'; do
	"$B" -C "$C" log --json | grep -q "$f:" || die "log --json lacks $f"
done
"$B" -C "$C" estimate add "travelers" people --best 99999 --as-of 2019-06-10 >/dev/null ||
	die "estimate add"
for f in category unit low best high as_of; do
	"$B" -C "$C" estimate list --json | grep -q "\"$f\":" || die "estimate list lacks $f"
done

expect_fail "bad date" "2019-02-30" "$B" -C "$C" event add 2019-02-30 "impossible day"
expect_fail "bad date in edit" "occurred" "$B" -C "$C" event edit "$id" --occurred 2019-13
expect_fail "bad enum" "not one of" "$B" -C "$C" event add 2019 x --kind burglary
expect_fail "bad number" "whole number" "$B" -C "$C" estimate add x people --best lots \
	--as-of 2019
expect_fail "unknown id" "no timeline event" "$B" -C "$C" event show zzzzzz
expect_fail "unknown id rm" "no timeline event" "$B" -C "$C" event rm zzzzzz
expect_fail "short id" "at least 4" "$B" -C "$C" event rm 1
expect_usage "unknown field" "unknown option '--colour'" "$B" -C "$C" event add 2019 x --colour red
expect_fail "missing field" "required" "$B" -C "$C" event add --summary "no time"
expect_fail "unknown command" "unknown command" "$B" -C "$C" frobnicate
expect_fail "missing case" "no case" "$B" -C "$T/nowhere" show
expect_fail "missing case (env)" "no case" env CASEFILE_DIR="$T/nowhere" "$B" event list
(cd "$T" && expect_fail "no case above" "no case found" "$B" show)

# An ambiguous prefix: import enough events that two ids share their first 4 characters (in a
# case of their own, so the snapshots of the later checks stay small).
main_case=$C C="$T/many"
"$B" init "$C" --title "Many events" >/dev/null || die "init many"
awk 'BEGIN { print "message,datetime,timestamp_desc,host";
	for (i = 0; i < 6000; i++) printf "row %d,2019-05-%02dT10:00:00Z,Event,h%d\n", i, i % 28 + 1, i }' \
	>"$T/many.csv"
"$B" -C "$C" import events "$T/many.csv" | grep -q "imported 6000 events" || die "import 6000"
dup=$("$B" -C "$C" event list --json | sed -n 's/^ *"id": "\(....\).*/\1/p' | sort | uniq -d |
	head -1)
[ -n "$dup" ] || die "no shared 4-character prefix among 6000 ids"
expect_fail "ambiguous id" "ambiguous" "$B" -C "$C" event rm "$dup"
expect_fail "ambiguous id (log)" "ambiguous" "$B" -C "$C" log "$dup"
C=$main_case

# A malformed import row names FILE:LINE and imports nothing.
printf 'message,datetime,timestamp_desc\nfine,2019-01-01,x\n"multi\nline",2019-01-02,x\nbad,2019-02-30,x\n' \
	>"$T/bad.csv"
expect_fail "malformed row" "bad.csv:5:" "$B" -C "$C" import events "$T/bad.csv"
printf '{"message":"a","datetime":"2019","timestamp_desc":"x"}\n{"message":' >"$T/bad.jsonl"
expect_fail "malformed jsonl" "bad.jsonl:2:" "$B" -C "$C" import events "$T/bad.jsonl"
expect_fail "missing import file" "nope.csv" "$B" -C "$C" import events "$T/nope.csv"

# Import: a directory, a key of the wrong type, a line that is JSON but not an object.
expect_fail "import a directory" "is a directory" "$B" -C "$C" import events "$T"
printf '{"message":5,"datetime":"2019-01-01T00:00:00Z","timestamp_desc":"x"}\n' >"$T/num.jsonl"
expect_fail "jsonl number" "num.jsonl:1: field 'message' is not a string" \
	"$B" -C "$C" import events "$T/num.jsonl"
printf '{"message":"a","datetime":"2019","timestamp_desc":"x"}\n[1]\n' >"$T/arr.jsonl"
expect_fail "jsonl array" "arr.jsonl:2: not a JSON object$" "$B" -C "$C" import events "$T/arr.jsonl"

# Time zones come from the zone database; an unknown name is refused, not read as UTC.
expect_fail "unknown zone" "not a time zone" "$B" -C "$C" case edit --tz Mars/Olympus
expect_fail "zone directory" "not a time zone" "$B" -C "$C" case edit --tz America
expect_fail "zone.tab" "not a time zone" "$B" -C "$C" case edit --tz zone.tab
expect_fail "init with unknown zone" "not a time zone" "$B" init "$T/newcase" --tz Nowhere/X
[ -e "$T/newcase" ] && die "init with a bad zone left a directory"
expect_fail "init with a bad date" "2019-02-30" "$B" init "$T/newcase" --discovered 2019-02-30
[ -e "$T/newcase" ] && die "init with a bad date left a directory"
"$B" -C "$C" case edit --tz Europe/Paris || die "a real zone is refused"
"$B" -C "$C" case edit --tz America/New_York || die "zone back"

# An estimate's bounds are ordered, on add and on edit (checked once all fields are set).
expect_fail "low above high" "low <= best <= high" \
	"$B" -C "$C" estimate add x people --as-of 2019 --low 5 --high 3
eid=$("$B" -C "$C" estimate add x people --as-of 2019 --low 100 --high 200) || die "estimate"
"$B" -C "$C" estimate edit "$eid" --low 300 --high 400 || die "moving both bounds up refused"
expect_fail "best below low" "field 'best' (50) is below field 'low' (300)" \
	"$B" -C "$C" estimate edit "$eid" --best 50

# A custody event names a live evidence item (a unique prefix will do).
expect_fail "custody of nothing" "no evidence item" \
	"$B" -C "$C" custody add zzzzzzzzzzzzzzzzzzzz Bob 2019-06-01
evid=$("$B" -C "$C" evidence add --location "locker 1") || die "evidence add"
cid=$("$B" -C "$C" custody add "$(echo "$evid" | cut -c1-6)" Bob 2029-06-01) ||
	die "custody add by evidence prefix"
"$B" -C "$C" custody show "$cid" --json | grep -q "\"evidence\": \"$evid\"" ||
	die "custody prefix not resolved to the full id"
"$B" -C "$C" evidence rm "$evid" || die "evidence rm"
expect_fail "custody of a deleted item" "is deleted" \
	"$B" -C "$C" custody add "$evid" Carol 2019-06-02

# Unknown arguments are usage errors, not ignored.
expect_usage "show --bogus" "unknown option '--bogus'" "$B" -C "$C" show --bogus
expect_usage "event show --bogus" "unknown option '--bogus'" "$B" -C "$C" event show "$id" --bogus
expect_fail "list --limit x" "whole number" "$B" -C "$C" event list --limit x

# Corrupt and foreign database files are refused and left as they were.
mkdir -p "$T/corrupt" "$T/foreign"
head -c 8192 /dev/urandom >"$T/corrupt/casefile.db"
cp "$T/corrupt/casefile.db" "$T/corrupt.orig"
"$B" -C "$T/corrupt" show >/dev/null 2>"$T/err" && die "corrupt file accepted"
[ "$(wc -l <"$T/err")" -eq 1 ] && grep -q "not a casefile database" "$T/err" ||
	die "corrupt: $(cat "$T/err")"
cmp -s "$T/corrupt/casefile.db" "$T/corrupt.orig" || die "corrupt file was changed"
sqlite3 "$T/foreign/casefile.db" "CREATE TABLE photos(x); INSERT INTO photos VALUES (1);"
cp "$T/foreign/casefile.db" "$T/foreign.orig"
"$B" -C "$T/foreign" event add 2019 x >/dev/null 2>"$T/err" && die "foreign db accepted"
[ "$(wc -l <"$T/err")" -eq 1 ] && grep -q "not a casefile database" "$T/err" ||
	die "foreign: $(cat "$T/err")"
cmp -s "$T/foreign/casefile.db" "$T/foreign.orig" || die "foreign database was changed"
[ -e "$T/foreign/casefile.db-wal" ] && die "foreign database got a WAL file"
expect_fail "init over a case" "already exists" "$B" init "$C"

# A read-only case directory: root ignores permissions, so run as nobody when root.
as_user=""
if [ "$(id -u)" -eq 0 ]; then
	command -v setpriv >/dev/null && as_user="setpriv --reuid=nobody --regid=nogroup --clear-groups"
	chown -R nobody "$C" && chmod 711 "$T"
fi
if [ "$(id -u)" -ne 0 ] || [ -n "$as_user" ]; then
	chmod 500 "$C"
	expect_fail "read-only directory" "the case is read-only" $as_user "$B" -C "$C" event add 2019 x
	chmod 700 "$C"; chmod 400 "$C/casefile.db"
	expect_fail "read-only database" "casefile.db has no write permission" $as_user "$B" -C "$C" note add hi
	chmod 600 "$C/casefile.db"
	[ "$(id -u)" -eq 0 ] && chown -R root "$C"
else
	die "cannot test a read-only directory as root without setpriv"
fi

# Usage errors exit 2, failures 1.
"$B" -C "$C" event list --bogus >/dev/null 2>&1; [ $? -eq 2 ] || die "usage error is not 2"
"$B" -C "$C" event show zzzzzz >/dev/null 2>&1; [ $? -eq 1 ] || die "failure is not 1"
"$B" -C "$C" search "CBP" | grep -q "CBP" || die "search"

[ $fails -eq 0 ] || { echo "$fails failures"; exit 1; }
echo "cli: all bad input refused cleanly"
