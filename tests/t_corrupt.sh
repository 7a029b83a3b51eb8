#!/bin/sh
# t_corrupt.sh — a damaged database is an error, never a crash: seeded damaged copies of the
# demo case (bit flips, truncation, page damage, NULLs in every column, wrong types;
# tests/corrupt.py) each run through every read command and every TUI screen, under
# AddressSanitizer and UBSan (the build in $BUILD/san, `make san`; the plain binary when there is
# none, as in `make asan` where it is sanitized already).  Any exit status but 0, 1 and 2, a
# signal or a sanitizer report fails the test, naming the seed and copy that make it again.
# CASEFILE_STRESS=1 (make stress) runs 1,000 copies; make check runs fewer.
set -u
S=${CASEFILE_SRC:?}
B=${CASEFILE_BIN:?}
[ -x "$S/${BUILD:-build}/san/casefile" ] && B="$S/${BUILD:-build}/san/casefile"
COUNT=${CASEFILE_CORRUPT_COUNT:-$([ "${CASEFILE_STRESS:-}" = 1 ] && echo 1000 || echo 30)}
SEED=${CASEFILE_CORRUPT_SEED:-13}
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
export CASEFILE_NOW=2019-06-05T12:00:00Z CASEFILE_RULES_DIR="$S/store/deadline/rules"
export TERM=xterm-256color CASEFILE_TUI_SIZE=100x30
export ASAN_OPTIONS=detect_leaks=0:exitcode=86 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
unset CASEFILE_DIR
fail=0
echo "binary: $B; $COUNT copies, seed $SEED"

"$B" demo "$T/demo" >/dev/null 2>&1 || { echo "FAIL: demo"; exit 1; }
sqlite3 "$T/demo/casefile.db" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null || exit 1
cp "$T/demo/casefile.db" "$T/base.db" || exit 1
ev=$(sqlite3 "$T/base.db" 'SELECT id FROM event LIMIT 1')

# Every screen, the detail pane of its list and a page down; the help; quit.
cat >"$T/all.keys" <<'EOF'
key 1 2 Enter PgDn 3 Enter 4 Enter 5 Enter 6 Enter 7 Enter 8 Enter PgDn 9 Enter 0 Enter ?
dump
key q q q q q q q q q q q q
EOF

# Runs one command on the copy in $T/c; a crash or a sanitizer report is a failure.
run() {
	"$B" -C "$T/c" "$@" </dev/null >/dev/null 2>"$T/err"
	rc=$?
	if [ $rc -gt 2 ] || grep -q 'Sanitizer\|runtime error' "$T/err"; then
		echo "FAIL: $what: casefile $*: exit status $rc"
		grep -m 8 'ERROR\|runtime error\|#[0-9] ' "$T/err"
		fail=1
	fi
}

# Every read command and the TUI on the copy in $T/c.
run_all() {
	for cmd in show "show --json" "event list" "estimate list" "notice list" \
		"evidence list" "custody list" "task list" "note list" "event show $ev" log \
		"log --json" "search exfiltration" conflicts "conflicts --all --json" verify \
		"export briefing" "export timeline" "export case" "export case --format json" \
		"export custody" "deadlines --json" "reports log"; do
		# shellcheck disable=SC2086 # the words of each command
		run $cmd
	done
	CASEFILE_TUI_SCRIPT="$T/all.keys" CASEFILE_TUI_OUT="$T/tui.out" run tui
}

# The damage found by hand first (issue 13): NULL in op.kind, op.field, a head, conflict.kind.
for sql in "UPDATE op SET kind = NULL WHERE seq = 3" "UPDATE op SET field = NULL WHERE seq = 3" \
	"UPDATE meta SET value = NULL WHERE key LIKE 'head:%'" \
	"INSERT INTO conflict(record, kind, field) SELECT id, NULL, 'title' FROM case_info" \
	"UPDATE event SET sort_key = NULL" "UPDATE op SET lamport = 9223372036854775807" \
	"UPDATE event SET deleted = 'x'"; do
	rm -rf "$T/c" && mkdir "$T/c" || exit 1
	what=$(python3 "$S/tests/corrupt.py" "$T/base.db" "$T/c/casefile.db" --sql "$sql") ||
		{ echo "FAIL: corrupt.py --sql $sql"; exit 1; }
	run_all
done

i=0
while [ $i -lt "$COUNT" ]; do
	rm -rf "$T/c" && mkdir "$T/c" || exit 1
	what=$(python3 "$S/tests/corrupt.py" "$T/base.db" "$T/c/casefile.db" "$SEED" $i) ||
		{ echo "FAIL: corrupt.py $SEED $i"; exit 1; }
	run_all
	i=$((i + 1))
done
exit $fail
