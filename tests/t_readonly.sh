#!/bin/sh
# t_readonly.sh — a case that cannot be written (a read-only mount, a copy on a CD, an evidence
# locker's copy without write permission) opens read-only: every read command, exports to
# stdout and the TUI (with a READ-ONLY banner) work; every write fails saying why and changes
# nothing.  Tests run as root, whom permission bits do not stop: the mode bits count too.  The
# read-only mount is tried with mount(8) (a tmpfs remounted ro) and skipped, saying so, where
# this process may not mount.
set -u
B=${CASEFILE_BIN:?}
S=${CASEFILE_SRC:?}
T=$(mktemp -d) || exit 1
M="$T/mnt"
cleanup() { umount "$M" 2>/dev/null; chmod -R u+w "$T" 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT
export CASEFILE_NOW=2019-06-05T12:00:00Z CASEFILE_RULES_DIR="$S/store/deadline/rules"
export CASEFILE_AUTHOR="Pat Example <pat@example.org>" TERM=xterm-256color
unset CASEFILE_DIR
fail=0
bad() { echo "FAIL: $*"; fail=1; }

"$B" demo "$T/demo" >/dev/null 2>&1 || { echo "FAIL: demo"; exit 1; }
# At the present: the demo opens in its own time, where the TUI refuses changes before a form.
"$B" -C "$T/demo" case edit --open-at "" >/dev/null || { echo "FAIL: open_at"; exit 1; }
task=$("$B" -C "$T/demo" task list | awk 'NR == 1 { print $1 }')

# CASE (read-only by now) serves every read and refuses every write, naming WHY.
check() {
	C=$1 why=$2
	sum=$(cat "$C"/casefile.db* | cksum)
	for cmd in show "show --json" "event list" "task list --json" "task show $task" log \
		"log --json" verify "search camera" conflicts "export briefing" "export case" \
		"export case --format json" "export custody" deadlines "deadlines --json"; do
		# shellcheck disable=SC2086 # the words of each command
		"$B" -C "$C" $cmd >"$T/out" 2>"$T/err" || bad "$C: $cmd: $(cat "$T/err")"
	done
	for cmd in "event add 2019-06-01 Read-only_test" "task edit $task --owner x" \
		"task rm $task" "case edit --status closed" "note add hello"; do
		# shellcheck disable=SC2086
		"$B" -C "$C" $cmd >"$T/out" 2>"$T/err"
		[ $? -eq 1 ] || bad "$C: $cmd: not refused"
		grep -q "the case is read-only ($why" "$T/err" || bad "$C: $cmd: $(cat "$T/err")"
	done
	printf 'message,datetime,timestamp_desc\nm,2019-06-01,x\n' >"$T/t.csv"
	"$B" -C "$C" import events "$T/t.csv" 2>"$T/err" && bad "$C: import not refused"
	grep -q "read-only" "$T/err" || bad "$C: import: $(cat "$T/err")"
	printf 'key 6 a\ntype Read-only task\nkey Enter\ndump\nkey Esc q q q q q q\n' >"$T/ro.keys"
	CASEFILE_TUI_SCRIPT="$T/ro.keys" CASEFILE_TUI_OUT="$T/ro.out" CASEFILE_TUI_SIZE=160x30 \
		timeout 30 "$B" -C "$C" </dev/null >/dev/null 2>"$T/err" || bad "$C: tui failed"
	grep -q "READ-ONLY: $why" "$T/ro.out" || bad "$C: no read-only banner: $(head -3 "$T/ro.out")"
	grep -q "not saved: the case is read-only" "$T/ro.out" || bad "$C: tui form saved?"
	[ "$(cat "$C"/casefile.db* | cksum)" = "$sum" ] || bad "$C: the database changed"
}

# The whole directory without write permission (an evidence locker's copy).
cp -r "$T/demo" "$T/locker" && chmod a-w "$T/locker" "$T"/locker/* || exit 1
check "$T/locker" "$T/locker has no write permission"
# The database file alone without write permission.
cp -r "$T/demo" "$T/file" && chmod a-w "$T"/file/casefile.db || exit 1
check "$T/file" "$T/file/casefile.db has no write permission"

# A read-only file system, with the write-ahead log copied along and without it (a case
# checkpointed and copied to a CD): SQLite cannot make its -shm file there.
mkdir "$M" || exit 1
if mount -t tmpfs casefile-ro "$M" 2>/dev/null; then
	cp -r "$T/demo" "$M/wal" && cp -r "$T/demo" "$M/cd" || exit 1
	sqlite3 "$M/cd/casefile.db" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null &&
		rm -f "$M"/cd/casefile.db-* || exit 1
	mount -o remount,ro "$M" || exit 1
	check "$M/wal" "$M/wal is on a read-only file system"
	check "$M/cd" "$M/cd is on a read-only file system"
else
	echo "note: cannot mount here: the read-only file system case was not run"
fi

# Writable again: writes work (the mode bits were the reason).
chmod u+w "$T/file/casefile.db"
"$B" -C "$T/file" note add "writable again" >/dev/null || bad "writable case refused a write"
exit $fail
