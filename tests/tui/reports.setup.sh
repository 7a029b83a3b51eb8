# reports.setup.sh — two versions of the congressional briefing, a new fact between them
# (each committed at its own clock, so the second one has something to say).
B=${CASEFILE_BIN:?}
CASEFILE_NOW=2019-06-05T12:00:00Z "$B" -C "$C" export briefing --commit >/dev/null || exit 1
export CASEFILE_NOW=2019-06-06T12:00:00Z
"$B" -C "$C" event add 2019-06-05T09:30Z "Vendor confirms the copied images" \
	--kind investigation --visibility congress --key yes >/dev/null || exit 1
"$B" -C "$C" export briefing --commit >/dev/null || exit 1
