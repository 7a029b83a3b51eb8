#!/bin/sh
# t_tui_tmux.sh — the TUI in a real terminal (tmux, detached: no terminal or stdin needed):
# the demo case opens, NO_COLOR leaves no colour codes, a resize redraws, a hostile event
# (ESC [2J, an OSC title, bidi overrides) neither clears nor retitles the screen and shows
# escaped, another process's change shows within a second with the cursor kept, q restores
# the terminal; the text charts (Population's, the Timeline's density ruler) draw at 80x24 and
# 132x40.
set -u
B=${CASEFILE_BIN:?}
command -v tmux >/dev/null 2>&1 || { echo "skip: tmux is not installed"; exit 0; }
T=$(mktemp -d) || exit 1
SOCK="casefile-test-$$-0"
n=0
tm() { tmux -L "$SOCK" -f /dev/null "$@"; }
trap 'tm kill-server 2>/dev/null; rm -rf "$T"' EXIT
export CASEFILE_RULES_DIR="$CASEFILE_SRC/store/deadline/rules" CASEFILE_NOW=2019-06-05T12:00:00Z
export LC_ALL=C.UTF-8 TZ=UTC
unset CASEFILE_DIR
fail=0
bad() { echo "FAIL: $*"; fail=1; }

"$B" demo "$T/demo" >/dev/null || exit 1
# The live case (the demo opens in its own time: t_travel_tmux.sh).
"$B" -C "$T/demo" case edit --open-at "" >/dev/null || exit 1
"$B" -C "$T/demo" event add 2019-06-02 \
	"$(printf 'Hostile \033[2J\033]0;pwned\007 \342\200\256evil\342\200\254 end')" \
	--kind imported >/dev/null || exit 1

# wait_for PATTERN: the pane shows PATTERN within about 10 seconds (a loaded machine), and
# then the screen is left to settle (two captures alike) so that what is checked next is the
# whole frame, not one drawn halfway.
wait_for() {
	i=0
	while [ $i -lt 100 ]; do
		tm capture-pane -p -t t >"$T/pane" 2>/dev/null
		if grep -q -- "$1" "$T/pane"; then
			j=0
			while [ $j -lt 20 ]; do
				sleep 0.1
				tm capture-pane -p -t t >"$T/pane2" 2>/dev/null
				cmp -s "$T/pane" "$T/pane2" && return 0
				mv "$T/pane2" "$T/pane"; j=$((j + 1))
			done
			grep -q -- "$1" "$T/pane"
			return
		fi
		sleep 0.1; i=$((i + 1))
	done
	return 1
}

start() { # ENV... : opens the TUI on the demo case at 80x24
	tm kill-server 2>/dev/null
	n=$((n + 1)); SOCK="casefile-test-$$-$n" # a fresh server: the old one may still be ending
	tm new-session -d -s t -x 80 -y 24 \
		"env $* TERM=screen-256color CASEFILE_RULES_DIR='$CASEFILE_RULES_DIR' \
		CASEFILE_NOW=$CASEFILE_NOW '$B' -C '$T/demo'; echo exited \$?; sleep 30" ||
		{ bad "tmux new-session"; return 1; }
}

# Colours, then none with NO_COLOR.
start
wait_for "1 Dash" || bad "the dashboard did not open: $(cat "$T/pane")"
grep -q "CBP subcontractor breach" "$T/pane" || bad "no case title on the dashboard"
tm capture-pane -p -e -t t >"$T/colour"
grep -q "$(printf '\033')\[[0-9;]*3[0-7]m\|$(printf '\033')\[[0-9;]*38;5" "$T/colour" ||
	bad "no colour codes without NO_COLOR (the NO_COLOR check below could not fail)"
start NO_COLOR=1
wait_for "1 Dash" || bad "NO_COLOR: the dashboard did not open"
tm capture-pane -p -e -t t >"$T/mono"
grep -q "$(printf '\033')\[[0-9;]*3[0-7]m\|$(printf '\033')\[[0-9;]*38;5\|$(printf '\033')\[[0-9;]*4[0-7]m" \
	"$T/mono" && bad "colour codes with NO_COLOR"
grep -q "$(printf '\033')\[[0-9;]*7m" "$T/mono" || bad "NO_COLOR: no reverse video for the banner"

# The timeline, down to the hostile event: the screen stays whole and the title untouched.
tm send-keys -t t 2
wait_for "when  *kind" || bad "no timeline"
tm send-keys -t t j j j j j j j j j j j
sleep 0.3
tm send-keys -t t /
tm send-keys -t t -l "hostile"
tm send-keys -t t Enter
wait_for 'Hostile ^\[\[2J^\[\]0;pwned^G <U+202E>evil<U+202C> end' ||
	bad "the hostile summary is not shown escaped: $(cat "$T/pane")"
grep -q "1 Dash" "$T/pane" || bad "the tab bar is gone (screen cleared?)"
grep -q "CUI//SP-PRVCY" "$T/pane" || bad "the banner is gone (screen cleared?)"
title=$(tm display-message -p -t t '#{pane_title}')
case $title in *pwned*) bad "the window was retitled: $title" ;; esac

# Resize: the tab bar gets full names, the frame is laid out again.
tm resize-window -t t -x 132 -y 40
wait_for "1 Dashboard" || bad "no redraw at 132x40: $(cat "$T/pane")"
[ "$(grep -c 'CUI//SP-PRVCY' "$T/pane")" -eq 2 ] || bad "banners not top and bottom at 132x40"
tm resize-window -t t -x 60 -y 20
wait_for "terminal too small" || bad "no 'too small' at 60x20"
tm resize-window -t t -x 80 -y 24
wait_for "1 Dash" || bad "no redraw back at 80x24"

# Another process adds an event just after the cursor's: it shows within a second (no key),
# and the cursor stays on the hostile event.
"$B" -C "$T/demo" event add 2019-06-03 "Added by another process" --kind other >/dev/null
sleep 1.2
tm capture-pane -p -t t >"$T/pane"
grep -q "Added by another process" "$T/pane" ||
	bad "the change did not show within a second: $(cat "$T/pane")"
grep -q '^> .*Hostile' "$T/pane" || bad "the cursor left its record after the change"

# q, q: back to the dashboard, then quit; the terminal is back out of the alternate screen.
tm send-keys -t t q q
wait_for "exited 0" || bad "the TUI did not exit with status 0: $(cat "$T/pane")"
[ "$(tm display-message -p -t t '#{alternate_on}')" = 0 ] ||
	bad "still in the alternate screen after quitting"

# A paste (tmux's bracketed paste, as a terminal sends one) goes into the field as text: three
# lines into a task's title are one line, and the pasted letters run nothing. Outside a form it
# does nothing but say so; Esc on the changed form asks first.
start
wait_for "1 Dash" || bad "paste: the dashboard did not open"
tm send-keys -t t 6
wait_for "6 Tasks" || bad "paste: no tasks screen"
tm send-keys -t t a
wait_for "New task" || bad "paste: no form"
tm set-buffer -b p "$(printf 'Call counsel\nd\ny')"
tm paste-buffer -p -b p -t t
wait_for "Call counsel d y" || bad "paste: the lines were not joined in the title: $(cat "$T/pane")"
grep -q "New task" "$T/pane" || bad "paste: the form was closed by the paste"
tm send-keys -t t Escape
wait_for "discard the changes" || bad "paste: Esc on a changed form did not ask: $(cat "$T/pane")"
tm send-keys -t t y
wait_for "changes were discarded" || bad "paste: the form was not discarded on y"
tm set-buffer -b p "dy"
tm paste-buffer -p -b p -t t
wait_for "pasted text ignored" || bad "paste outside a form: $(cat "$T/pane")"
grep -q "delete" "$T/pane" && bad "paste outside a form ran its letters as keys"
tm send-keys -t t q q
wait_for "exited 0" || bad "paste: the TUI did not exit"

# A terminal that cannot move its cursor (TERM=dumb) is refused with a clear message.
tm kill-server 2>/dev/null
n=$((n + 1)); SOCK="casefile-test-$$-$n"
tm new-session -d -s t -x 80 -y 24 "env TERM=dumb CASEFILE_RULES_DIR='$CASEFILE_RULES_DIR' \
	'$B' -C '$T/demo'; echo exited \$?; sleep 30" || bad "tmux new-session (dumb)"
wait_for "exited 1" || bad "TERM=dumb: not refused with status 1: $(cat "$T/pane")"
grep -q "can move its cursor" "$T/pane" ||
	bad "TERM=dumb: no clear message: $(cat "$T/pane")"

# The text charts on a real terminal: Population's chart of the cursor's category at 80x24 and
# at 132x40 (box characters, the numbers in words), the Timeline's density ruler (r).
start
wait_for "1 Dash" || bad "charts: the dashboard did not open"
tm send-keys -t t 3
wait_for "revisions; ├─┤ low to high" || bad "charts: no Population chart: $(cat "$T/pane")"
grep -q '^> 2019-06-10 .*├─*┤.* 10,000 to 99,999$' "$T/pane" ||
	bad "charts: no bar for the first revision at 80x24: $(cat "$T/pane")"
tm resize-window -t t -x 132 -y 40
wait_for "3 Population" || bad "charts: no redraw at 132x40"
grep -q '^  2020-09-21 .*● 184,000$' "$T/pane" ||
	bad "charts: no best estimate at 132x40: $(cat "$T/pane")"
tm send-keys -t t 2 r
wait_for "events over time: [0-9]* dated" || bad "charts: no density ruler: $(cat "$T/pane")"
grep -q '^\^ 2018-08-01  *2020-09-21$' "$T/pane" || bad "charts: no ruler dates and mark"
tm send-keys -t t r
wait_for "density ruler hidden" || bad "charts: r did not hide the ruler"
grep -q "events over time" "$T/pane" && bad "charts: the ruler is still drawn"
tm send-keys -t t q q q
wait_for "exited 0" || bad "charts: the TUI did not exit"

# A signal (SIGTERM) also gives the terminal back.
start
wait_for "1 Dash" || bad "the dashboard did not open again"
pid=$(tm display-message -p -t t '#{pane_pid}')
tui=$(pgrep -P "$pid" -x 'casefile(-full)?' | head -1)
[ -n "$tui" ] && kill -TERM "$tui" || bad "no TUI process under the pane to signal"
wait_for "exited 143" || bad "the TUI did not end with status 143 on SIGTERM: $(cat "$T/pane")"
[ "$(tm display-message -p -t t '#{alternate_on}')" = 0 ] ||
	bad "still in the alternate screen after SIGTERM"
[ "$(tm display-message -p -t t '#{cursor_flag}')" = 1 ] || bad "cursor left hidden after SIGTERM"
exit $fail
