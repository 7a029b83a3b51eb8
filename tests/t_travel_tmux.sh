#!/bin/sh
# t_travel_tmux.sh — time travel in a real terminal (tmux), on the wall clock (no CASEFILE_NOW):
# the demo opens as `make run` opens it, inside the incident five days after discovery, with a
# banner naming the moment and how to return, at 80x24 and at 160x50; ] steps to the next
# change and says what it did; a change is refused; :now returns to the present; --at opens
# any case at a moment, and a bad one is refused before the terminal is taken.
set -u
B=${CASEFILE_BIN:?}
command -v tmux >/dev/null 2>&1 || { echo "skip: tmux is not installed"; exit 0; }
T=$(mktemp -d) || exit 1
SOCK="casefile-travel-$$-0"
n=0
tm() { tmux -L "$SOCK" -f /dev/null "$@"; }
trap 'tm kill-server 2>/dev/null; rm -rf "$T"' EXIT
export CASEFILE_RULES_DIR="$CASEFILE_SRC/store/deadline/rules" LC_ALL=C.UTF-8 TZ=UTC
unset CASEFILE_DIR CASEFILE_NOW
fail=0
bad() { echo "FAIL: $*"; fail=1; }

"$B" demo "$T/demo" >/dev/null || exit 1

wait_for() { # PATTERN: the pane shows it within about 3 seconds
	i=0
	while [ $i -lt 30 ]; do
		tm capture-pane -p -t t >"$T/pane" 2>/dev/null
		grep -q -- "$1" "$T/pane" && return 0
		sleep 0.1; i=$((i + 1))
	done
	return 1
}

start() { # COLSxROWS ARGS...: the TUI on the demo, as make run starts it
	size=$1; shift
	tm kill-server 2>/dev/null
	n=$((n + 1)); SOCK="casefile-travel-$$-$n"
	tm new-session -d -s t -x "${size%x*}" -y "${size#*x}" \
		"env TERM=screen-256color CASEFILE_RULES_DIR='$CASEFILE_RULES_DIR' \
		'$B' -C '$T/demo' $*; echo exited \$?; sleep 30" || { bad "tmux new-session"; return 1; }
}

for size in 80x24 160x50; do
	start $size
	wait_for "1 Dash" || { bad "$size: the dashboard did not open: $(cat "$T/pane")"; continue; }
	grep -q "^KNOWN AT 2019-06-05T12:00 America/New_York | read-only | :now returns" "$T/pane" ||
		bad "$size: no time-travel banner: $(head -3 "$T/pane")"
	grep -q "^5 days since discovery (2019-05-31)" "$T/pane" ||
		bad "$size: not five days after discovery: $(cat "$T/pane")"
	grep -q "OVERDUE *5d 11h ago *Report the incident to CISA" "$T/pane" ||
		bad "$size: the CISA countdown is not at the moment: $(cat "$T/pane")"
	grep -q "[0-9][0-9][0-9]d" "$T/pane" && bad "$size: a countdown of years: $(cat "$T/pane")"
	grep -q "due in *2d 11h *Notify Congress" "$T/pane" ||
		bad "$size: the 7-day notice is not 2d 11h away"
	# Every screen carries the banner.
	for k in 2 3 4 5 6 7 8 9 0; do
		tm send-keys -t t "$k"
		sleep 0.2
		wait_for "^KNOWN AT 2019-06-05T12:00" || bad "$size: screen $k has no banner"
	done
	tm send-keys -t t 1
	tm send-keys -t t ']'
	wait_for "^KNOWN AT 2019-06-10 America/New_York" ||
		bad "$size: ] did not step to June 10: $(head -3 "$T/pane")"
	grep -q "2019-06-10.*learned event" "$T/pane" || bad "$size: ] did not say what changed"
	grep -q "^10 days since discovery" "$T/pane" || bad "$size: the dashboard did not move"
	tm send-keys -t t e
	wait_for "read-only: this is the case at a past moment" || bad "$size: e not refused"
	tm send-keys -t t : n o w Enter
	wait_for "back at the present" || bad "$size: :now did not return"
	grep -q "^KNOWN AT\|^AS OF" "$T/pane" && bad "$size: the banner stayed at the present"
	tm send-keys -t t Q
	wait_for "exited 0" || bad "$size: the TUI did not exit: $(cat "$T/pane")"
done

# --at opens any case at a moment; --at now at the present.
start 80x24 --at 2019-06-01
wait_for "^KNOWN AT 2019-06-01 America/New_York" || bad "--at: $(head -3 "$T/pane")"
tm send-keys -t t Q
start 80x24 --at now
wait_for "1 Dash" || bad "--at now did not open"
grep -q "^KNOWN AT" "$T/pane" && bad "--at now opened in the past"
tm send-keys -t t Q
# A bad moment: one line naming it, status 1, the terminal never taken.
"$B" -C "$T/demo" --at 2019-02-30 </dev/null >"$T/out" 2>"$T/err" && bad "--at 2019-02-30 taken"
grep -q "^casefile: --at: .*2019-02-30" "$T/err" || bad "--at bad: $(cat "$T/err")"
"$B" -C "$T/demo" --at 2019-06-01 show >/dev/null 2>&1 && bad "--at with a command taken"
[ $fail = 0 ] && echo "time travel in tmux: the demo in its own time, banner, steps, :now, --at"
exit $fail
