# custody.setup.sh — an item whose chain holds a correction (a hand-off found later, dated
# before the last event) and, after it, the event it contradicts, flagged out of chain.
B=${CASEFILE_BIN:?}
set -e
id=$("$B" -C "$C" evidence add --location "Locker 7" --description "Lane 3 badge reader" \
	--collected-by forensics --collected-at 2019-06-02T09:00-04:00)
"$B" -C "$C" evidence transfer "$id" --to "OIG agent" --at 2019-06-05T09:00-04:00 >/dev/null
"$B" -C "$C" evidence transfer "$id" --to "lab technician" --at 2019-06-03T09:00-04:00 \
	--correction "paper log found later" >/dev/null
