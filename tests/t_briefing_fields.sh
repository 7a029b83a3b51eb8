#!/bin/sh
# t_briefing_fields.sh — a briefing to Congress says to whom (the recipients of the case's
# notices to Congress), from whom, the point of contact and the transmittal date (case fields,
# each "not yet recorded" while unset), and under a CUI marking carries the CUI designation
# indicator block (Controlled by, CUI Category, Limited Dissemination Control, POC).
set -u
B=${CASEFILE_BIN:?}
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }
export CASEFILE_RULES_DIR="$CASEFILE_SRC/store/deadline/rules" CASEFILE_NOW=2026-12-01T12:00:00Z
C="$T/case"
cf() { "$B" -C "$C" "$@"; }
brief() { cf export briefing "$@" 2>/dev/null; }

"$B" init "$C" --title "Clinic breach" --tz America/Chicago --marking "CUI//SP-PRVCY//FEDCON" \
	>/dev/null || exit 1
cf notice add "House Committee on Oversight and Reform" --visibility congress >/dev/null
cf notice add "Senate Committee on Homeland Security and Governmental Affairs" \
	--visibility congress >/dev/null
cf notice add "CISA" --visibility congress >/dev/null
cf notice add "House Committee on Oversight and Reform" --visibility congress >/dev/null

brief >"$T/b.md" || bad "export briefing"
to="House Committee on Oversight and Reform; Senate Committee on Homeland Security"
grep -q "^- \*\*To:\*\* $to and Governmental Affairs\$" "$T/b.md" ||
	bad "addressees: $(grep 'To:' "$T/b.md")"
grep -q "^- \*\*From:\*\* \*\*not yet recorded\*\* (case field sending\\\\_official)\$" "$T/b.md" ||
	bad "unset sender: $(grep 'From:' "$T/b.md")"
grep -q "^- \*\*Transmittal date:\*\* \*\*not yet recorded\*\*" "$T/b.md" || bad "unset date"
grep -q "^> \*\*CUI designation indicator\*\*" "$T/b.md" || bad "no CUI designation indicator"
grep -q "^> Controlled by: \*\*not yet recorded\*\* (case field cui\\\\_controlled\\\\_by)" \
	"$T/b.md" || bad "controlled by (unset): $(grep 'Controlled by' "$T/b.md")"
grep -q "^> CUI Category: SP-PRVCY (from the banner)" "$T/b.md" || bad "category from banner"
grep -q "^> Limited Dissemination Control: FEDCON (from the banner)" "$T/b.md" || bad "LDC"

cf case edit --sending-official "Jane Roe, Chief Information Officer" \
	--poc "John Doe, Office of Legislative Affairs, 202-555-0100" --transmittal 2026-12-02 \
	--cui-controlled-by "Department of Health, Office of the CIO" --cui-category PRVCY/HLTH \
	>/dev/null || bad "case edit of the briefing fields"
brief >"$T/b.md" || bad "export briefing (fields set)"
grep -q "^- \*\*From:\*\* Jane Roe, Chief Information Officer\$" "$T/b.md" || bad "sender"
grep -q "^- \*\*Point of contact:\*\* John Doe, Office of Legislative Affairs, 202-555-0100\$" \
	"$T/b.md" || bad "point of contact"
grep -q "^- \*\*Transmittal date:\*\* 2026-12-02\$" "$T/b.md" || bad "transmittal date"
grep -q "^> Controlled by: Department of Health, Office of the CIO" "$T/b.md" || bad "controlled by"
grep -q "^> CUI Category: PRVCY/HLTH  \$" "$T/b.md" || bad "category field"
grep -q "^> POC: John Doe, Office of Legislative Affairs, 202-555-0100" "$T/b.md" || bad "CUI POC"
brief --format json | python3 -c 'import json,sys; c=json.load(sys.stdin)["case"];
assert c["sending_official"] == "Jane Roe, Chief Information Officer", c
assert c["transmittal"] == "2026-12-02", c' || bad "briefing JSON: the fields"
# A public statement names no addressee and carries no CUI block; no marking, no block.
brief --profile public >"$T/p.md"
grep -q "To:\|CUI designation" "$T/p.md" && bad "public statement with transmittal lines"
cf case edit --marking "" >/dev/null 2>&1 || cf case edit --marking=none >/dev/null
brief >"$T/n.md"
grep -q "CUI designation" "$T/n.md" && bad "a CUI block without a CUI marking"
exit $fail
