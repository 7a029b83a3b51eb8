#!/bin/sh
# t_tui_progress.sh — the TUI stays responsive during long work: while C re-hashes every
# evidence file (two sparse 16 GiB images: seconds of work), the status line shows the one
# progress line ending "; Esc stops"; resizing the terminal lays the frame out again at once
# (the line moves to the new bottom while the hashing goes on); a key typed meanwhile is kept
# for after; Esc stops the whole check, not just the file under way, and says so.
set -u
B=${CASEFILE_BIN:?}
command -v tmux >/dev/null 2>&1 || { echo "SKIP: tmux is not installed (make deps installs it)"; exit 0; }
T=$(mktemp -d) || exit 1
SOCK="casefile-tui-progress-$$"
tm() { tmux -L "$SOCK" -f /dev/null "$@"; }
trap 'tm kill-server 2>/dev/null; rm -rf "$T"' EXIT
export LC_ALL=C.UTF-8 TZ=UTC
unset CASEFILE_DIR
fail=0
bad() { echo "FAIL: $*"; fail=1; }
pane() { tm capture-pane -p -t u >"$T/pane" 2>/dev/null; }
# wait_for REGEX [TRIES]: until the pane shows it (0.05 s a try)
wait_for() {
	i=0
	while [ $i -lt "${2:-400}" ]; do
		pane; grep -qE "$1" "$T/pane" && return 0
		sleep 0.05; i=$((i + 1))
	done
	return 1
}

"$B" init "$T/e" --title e >/dev/null || exit 1
for n in 1 2; do
	echo "image $n" >"$T/disk$n.img"
	"$B" --quiet -C "$T/e" evidence add "$T/disk$n.img" >/dev/null || exit 1
	truncate -s 16G "$T/disk$n.img" || exit 1 # grown since: a mismatch, after a long read
done

tm new-session -d -s u -x 80 -y 24 "CASEFILE_PROGRESS_DELAY=0 \
	CASEFILE_RULES_DIR='$CASEFILE_SRC/store/deadline/rules' '$B' -C '$T/e'; echo exit=\$? >'$T/rc'; sleep 60"
wait_for "Dash" 200 || bad "the TUI did not start: $(cat "$T/pane")"
tm send-keys -t u 5 C
wait_for '^hashing evidence: +[0-9]+% \(' || bad "no progress line: $(cat "$T/pane")"
[ "$(wc -l <"$T/pane")" -eq 24 ] || bad "not 24 rows"

# Resized while it hashes: the frame at 120x40 at once, the progress line at the new bottom.
tm resize-window -t u -x 120 -y 40
wait_for '^hashing evidence: +[0-9]+% \(' 10 >/dev/null
ok=0 i=0
while [ $i -lt 200 ]; do
	pane
	if [ "$(wc -l <"$T/pane")" -eq 40 ] &&
		awk 'NR == 39 && /^hashing evidence: +[0-9]+% \(.*left; Esc stops/ { ok = 1 }
			END { exit !ok }' "$T/pane"; then
		ok=1; break
	fi
	sleep 0.05; i=$((i + 1))
done
[ $ok -eq 1 ] || bad "not laid out again at 120x40 while hashing: $(cat "$T/pane")"

# Esc stops the check: the file under way and the one after it, no verdict.
tm send-keys -t u Escape
wait_for 'evidence check stopped' 400 || bad "Esc did not stop the check: $(cat "$T/pane")"
grep -q 'verified:' "$T/pane" && bad "the check went on to a verdict: $(cat "$T/pane")"

# A key typed while it works (1: the dashboard) is kept and acted on after Esc stops it.
tm send-keys -t u C
wait_for '^hashing evidence: +[0-9]+% \(' || bad "C again: no progress: $(cat "$T/pane")"
tm send-keys -t u 1
sleep 0.5
grep -q 'Latest events' "$T/pane" && bad "the dashboard before the work ended"
tm send-keys -t u Escape
wait_for 'Latest events' 400 || bad "the key typed during the work was lost: $(cat "$T/pane")"
for i in 1 2 3 4 5; do
	[ -f "$T/rc" ] && break
	tm send-keys -t u q; sleep 0.3
done
[ "$(cat "$T/rc" 2>/dev/null)" = "exit=0" ] || bad "the TUI did not quit after: $(cat "$T/rc" 2>/dev/null)"
[ $fail -eq 0 ] && echo "tui progress: shown, resized, keys kept, Esc stops"
exit $fail
