# deleteconflict.setup.sh — the case shared with a second replica ($W/other): the case deletes a
# task while the other replica edits it; the case's sync finds the edit its delete did not see.
B=${CASEFILE_BIN:?}
set -e
git init -q --bare "$W/remote.git"
"$B" -C "$C" remote add origin "$W/remote.git"
"$B" -C "$C" sync >/dev/null
other() { CASEFILE_AUTHOR="Other Analyst <other@example.org>" "$B" -C "$W/other" "$@"; }
CASEFILE_AUTHOR="Other Analyst <other@example.org>" "$B" clone "$W/remote.git" "$W/other" \
	>/dev/null
t1=$("$B" -C "$C" task list | grep "Confirm the count" | cut -c1-8)
"$B" -C "$C" task rm "$t1"
other task edit "$t1" --owner "vendor team" >/dev/null
other sync >/dev/null
"$B" -C "$C" sync >/dev/null
