#!/bin/sh
# t_progress_sync.sh — the one progress reporter (store/progress.h) also for sync, clone and
# exports: a line a sync stage ("sync: replaying operations: (N ops), done in M:SS") and one
# for an export ("exporting the timeline: (N rows), done in M:SS"), drawn on a terminal (in
# tmux), forced into a file by --progress, never with --quiet, nothing when redirected.
# CASEFILE_PROGRESS_DELAY=0 (as git's GIT_PROGRESS_DELAY) makes the line due at once, so
# the test does not depend on how fast the machine is.
set -u
B=${CASEFILE_BIN:?}
GEN="$CASEFILE_SRC/${BUILD:-build}/bench/gen_timeline"
[ -x "$GEN" ] || { echo "FAIL: $GEN not built"; exit 1; }
T=$(mktemp -d) || exit 1
SOCK="casefile-progress-sync-$$"
tm() { tmux -L "$SOCK" -f /dev/null "$@"; }
trap 'tm kill-server 2>/dev/null; rm -rf "$T"' EXIT
export LC_ALL=C.UTF-8 TZ=UTC CASEFILE_PROGRESS_DELAY=0
unset CASEFILE_DIR
fail=0
bad() { echo "FAIL: $*"; fail=1; }
ROWS=20000
lines() { tr '\r' '\n' <"$1"; }

"$GEN" $ROWS >"$T/t.csv" || exit 1
"$B" init "$T/a" --title a >/dev/null || exit 1
"$B" --quiet -C "$T/a" import events "$T/t.csv" >/dev/null || exit 1
git init -q --bare "$T/hub.git" || exit 1
"$B" -C "$T/a" remote add origin "$T/hub.git" || exit 1

# sync: writing the operations and pushing them, a line each, forced into a file.
"$B" --progress -C "$T/a" sync >"$T/s.out" 2>"$T/s.err" || bad "sync --progress: $(cat "$T/s.err")"
lines "$T/s.err" | grep -qE '^sync: writing operations: \([0-9]+ ops\), done in [0-9]+:[0-9][0-9] *$' ||
	bad "sync: no writing line: $(lines "$T/s.err" | head -5)"
lines "$T/s.err" | grep -qE '^sync: pushing objects: .*\([0-9]+ objects\), done in' ||
	bad "sync: no pushing line: $(lines "$T/s.err" | head -5)"
grep -q "sent" "$T/s.out" || bad "sync stdout: $(cat "$T/s.out")"

# clone: fetching and replaying every operation, a line each.
"$B" --progress clone "$T/hub.git" "$T/b" >"$T/c.out" 2>"$T/c.err" || bad "clone --progress: $(cat "$T/c.err")"
lines "$T/c.err" | grep -qE '^sync: fetching objects: .*\([0-9]+ objects\), done in' ||
	bad "clone: no fetching line: $(lines "$T/c.err" | head -5)"
lines "$T/c.err" | grep -qE '^sync: replaying operations: \([0-9]+ ops\), done in [0-9]+:[0-9][0-9] *$' ||
	bad "clone: no replaying line: $(lines "$T/c.err" | head -5)"

# Redirected, without --progress: nothing on stderr, the result on stdout.
"$B" clone "$T/hub.git" "$T/c" >"$T/c2.out" 2>"$T/c2.err" || bad "clone redirected"
[ ! -s "$T/c2.err" ] || bad "clone drew progress into a file: $(head -c 300 "$T/c2.err")"
grep -q "^cloned [0-9]* operations" "$T/c2.out" || bad "clone stdout: $(cat "$T/c2.out")"
"$B" -C "$T/b" note add --text "from b" >/dev/null && "$B" -C "$T/b" sync >/dev/null 2>&1
"$B" -C "$T/c" sync >"$T/s2.out" 2>"$T/s2.err" || bad "sync redirected"
[ ! -s "$T/s2.err" ] || bad "sync drew progress into a file: $(head -c 300 "$T/s2.err")"

# export: the rows read, then done; not when redirected.
"$B" --progress -C "$T/a" export timeline -o "$T/t.out.csv" 2>"$T/e.err" >/dev/null ||
	bad "export --progress: $(cat "$T/e.err")"
lines "$T/e.err" | grep -qE '^exporting the timeline: \([0-9]+ rows\), done in [0-9]+:[0-9][0-9] *$' ||
	bad "export: no progress line: $(lines "$T/e.err" | head -5)"
"$B" --progress -C "$T/a" export briefing --format=html -o "$T/b.html" 2>"$T/e2.err" >/dev/null ||
	bad "export briefing --progress"
lines "$T/e2.err" | grep -qE '^exporting the briefing: \([0-9]+ rows\), done in' ||
	bad "export briefing: no progress line: $(lines "$T/e2.err" | head -5)"
"$B" -C "$T/a" export timeline -o "$T/t2.csv" 2>"$T/e3.err" >/dev/null || bad "export redirected"
[ ! -s "$T/e3.err" ] || bad "export drew progress into a file: $(head -c 300 "$T/e3.err")"
cmp -s "$T/t.out.csv" "$T/t2.csv" || bad "the export differs with progress shown"

# On a terminal (tmux), as stderr is one: a clone's lines; and --quiet draws none.
if command -v tmux >/dev/null 2>&1; then
	tm new-session -d -s t -x 120 -y 20 \
		"'$B' clone '$T/hub.git' '$T/d' >'$T/d.out'; echo exit=\$? >'$T/d.rc'; sleep 60"
	i=0
	while [ ! -f "$T/d.rc" ] && [ $i -lt 1200 ]; do sleep 0.1; i=$((i + 1)); done
	tm capture-pane -p -t t >"$T/pane"
	[ "$(cat "$T/d.rc" 2>/dev/null)" = "exit=0" ] || bad "clone in tmux: $(cat "$T/d.rc" 2>/dev/null)"
	grep -qE '^sync: replaying operations: \([0-9]+ ops\), done in' "$T/pane" ||
		bad "tmux: no clone progress: $(cat "$T/pane")"
	tm new-session -d -s q -x 120 -y 20 \
		"'$B' --quiet -C '$T/a' export timeline -o '$T/q.csv'; echo exit=\$? >'$T/q.rc'; sleep 60"
	i=0
	while [ ! -f "$T/q.rc" ] && [ $i -lt 1200 ]; do sleep 0.1; i=$((i + 1)); done
	tm capture-pane -p -t q >"$T/pane"
	[ "$(cat "$T/q.rc" 2>/dev/null)" = "exit=0" ] || bad "--quiet export in tmux"
	! grep -q "exporting" "$T/pane" || bad "--quiet still drew progress: $(cat "$T/pane")"
else
	echo "SKIP: the terminal part (tmux is not installed; make deps installs it)"
fi
[ $fail -eq 0 ] && echo "progress: sync, clone and exports, on a terminal or forced, silent otherwise"
exit $fail
