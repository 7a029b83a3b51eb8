#!/bin/sh
# t_wal.sh — the write-ahead log is kept between commands but stays small: many one-record
# commands never let it pass 256 KiB plus one command's pages, a large import leaves it empty,
# and whatever it holds is read back by the next command and by sqlite3.
set -u
B=${CASEFILE_BIN:?}
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
fails=0
die() { echo "FAIL: $*"; fails=$((fails + 1)); }
walsize() { if [ -f "$T/c/casefile.db-wal" ]; then wc -c <"$T/c/casefile.db-wal"; else echo 0; fi; }

"$B" init "$T/c" --title wal >/dev/null || exit 1
max=0
for i in $(seq 1 60); do
	"$B" -C "$T/c" event add 2019-05-31T14:02Z "event $i" >/dev/null || die "add $i"
	n=$(walsize)
	[ "$n" -gt "$max" ] && max=$n
done
# 256 KiB kept, plus at most one command's frames (an add writes about 15 pages).
[ "$max" -le $((256 * 1024 + 40 * 4120)) ] || die "the log grew to $max bytes"
[ "$max" -gt 0 ] || die "the log was never kept (every close checkpointed)"
[ "$("$B" -C "$T/c" event list | grep -c 'event ')" -eq 60 ] || die "not 60 events"
# sqlite3, another program, sees what is only in the log.
[ "$(sqlite3 "$T/c/casefile.db" "SELECT count(*) FROM event WHERE summary LIKE 'event %'")" = 60 ] ||
	die "sqlite3 does not see the 60 events"

# A big transaction is folded in when its command ends.
awk 'BEGIN { print "message,datetime,timestamp_desc";
	for (i = 0; i < 5000; i++) printf "row %d,2019-06-01T00:00:%02dZ,x\n", i, i % 60 }' \
	>"$T/rows.csv"
"$B" -C "$T/c" import events "$T/rows.csv" >/dev/null || die "import"
[ "$(walsize)" -eq 0 ] || die "after the import the log holds $(walsize) bytes"
"$B" -C "$T/c" verify >/dev/null || die "verify after the import"

[ $fails -eq 0 ] || { echo "$fails failures"; exit 1; }
echo "wal: kept at most $max bytes over 60 adds, empty after an import"
