# conflicts.setup.sh — the case shared through a bare remote with a second replica ($W/other);
# both change the same three fields without seeing each other, and the case's sync finds the
# conflicts.  Then the other replica adds a note, for the TUI's :sync to receive.
B=${CASEFILE_BIN:?}
set -e
git init -q --bare "$W/remote.git"
"$B" -C "$C" remote add origin "$W/remote.git"
"$B" -C "$C" sync >/dev/null
other() { CASEFILE_AUTHOR="Other Analyst <other@example.org>" "$B" -C "$W/other" "$@"; }
CASEFILE_AUTHOR="Other Analyst <other@example.org>" "$B" clone "$W/remote.git" "$W/other" \
	>/dev/null
t1=$("$B" -C "$C" task list | grep "Confirm the count" | cut -c1-8)
# One record (conflicts are listed by record, then field), and the case one operation ahead
# (its Lamport clock higher), so the case's values win the replay whatever the replica ids.
"$B" -C "$C" note add "Before the edits." --at 2019-06-05T11:00Z >/dev/null
"$B" -C "$C" task edit "$t1" --owner "forensics lead" >/dev/null
"$B" -C "$C" task edit "$t1" --priority p2 >/dev/null
"$B" -C "$C" task edit "$t1" --status blocked >/dev/null
other task edit "$t1" --owner "vendor team" >/dev/null
other task edit "$t1" --priority p3 >/dev/null
other task edit "$t1" --status done >/dev/null
other sync >/dev/null
"$B" -C "$C" sync >/dev/null
other note add "Vendor call at 10:00." --at 2019-06-05T14:00Z >/dev/null
other sync >/dev/null
