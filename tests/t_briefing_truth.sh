#!/bin/sh
# t_briefing_truth.sh — a briefing says exactly what is known: notices' statuses from the
# deadline engine, people before other units (labelled), nothing dated after --as-of, a
# warning naming key records the profile leaves out, TLP:AMBER records only with --tlp amber
# and the product's TLP printed, federal wording only under the federal pack, and a visible
# "not yet determined" for the statutory contents the case does not give yet.
set -u
B=${CASEFILE_BIN:?}
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }
export CASEFILE_RULES_DIR="$CASEFILE_SRC/store/deadline/rules" CASEFILE_NOW=2026-12-01T12:00:00Z
C="$T/case"
cf() { "$B" -C "$C" "$@"; }
"$B" init "$C" --title "Clinic breach" --tz America/Chicago --federal-agency >/dev/null || exit 1
cf case edit --discovered 2026-11-02 --major-basis 2026-11-02 >/dev/null || bad "case edit"
cf estimate add "scanned images" images 2026-11-20 --best 184000 --visibility congress \
	>/dev/null || bad "estimate images"
cf estimate add "patients affected" people 2026-11-20 --high 48213 --visibility congress \
	>/dev/null || bad "estimate people"
cf estimate add "patients, revised" people 2026-12-20 --best 90000 --visibility congress \
	>/dev/null || bad "estimate later"
cf event add 2026-11-02 "Intrusion found on the scanning server" --kind discovery --key yes \
	--visibility congress --source "SOC ticket 2026-11-02; vendor report 2026-12-15" \
	>/dev/null || bad "event"
cf event add 2026-11-03 "Attacker identified" --key yes >/dev/null || bad "internal key event"
a=$(cf event add 2026-11-04 "Exfiltration confirmed" --key yes --visibility congress \
	--tlp amber) || bad "amber event"
cf deadlines >/dev/null || bad "deadlines"
for n in $(cf notice list | cut -c1-8); do cf notice edit "$n" --visibility congress; done

cf export briefing --as-of 2026-12-01 >"$T/b.md" 2>"$T/err" || bad "export briefing"
# Statuses: the engine's (the 7-day notice is overdue on 2026-12-01, not "pending").
grep -q "federal.congress-7d | 2026-11-09T23:59:59-06:00 | overdue" "$T/b.md" ||
	bad "notice status not the engine's"
grep -q "| pending |" "$T/b.md" && bad "a recorded status shown instead of the engine's"
# People first; the images labelled as not people.
grep -q "^\*\*Individuals affected:\*\* at most 48,213 people (patients affected" "$T/b.md" ||
	bad "headline is not the largest people estimate"
grep -q "^\*\*Other counts, not of people:\*\* about 184,000 images" "$T/b.md" ||
	bad "other units not labelled"
# Nothing dated after the as-of moment: the later estimate and the later source.
grep -q "90,000" "$T/b.md" && bad "an estimate dated after --as-of is shown"
grep -q "vendor report" "$T/b.md" && bad "a source dated after --as-of is cited"
grep -q "SOC ticket 2026-11-02" "$T/b.md" || bad "the earlier source is not cited"
# Left out, with a warning naming them: the internal key event and the AMBER one.
grep -q "Attacker identified" "$T/b.md" && bad "an internal key event reached Congress"
grep -q "Exfiltration confirmed" "$T/b.md" && bad "an AMBER record reached Congress"
grep -q "warning: left out.*'Attacker identified' (its visibility" "$T/err" ||
	bad "no warning for the internal key event"
grep -q "warning: left out.*$(echo "$a" | cut -c1-8) 'Exfiltration confirmed' (it is TLP:AMBER" \
	"$T/err" || bad "no warning for the AMBER key event"
grep -q "TLP:GREEN" "$T/b.md" || bad "the product's TLP is not printed"
cf export briefing --as-of 2026-12-01 --tlp amber >"$T/amber.md" 2>/dev/null || bad "--tlp amber"
grep -q "Exfiltration confirmed" "$T/amber.md" || bad "--tlp amber leaves the AMBER record out"
grep -q "This product is TLP:AMBER" "$T/amber.md" || bad "--tlp amber: product TLP not AMBER"
cf export briefing --profile public --tlp amber >/dev/null 2>&1 && bad "public accepted --tlp amber"
# The statutory contents not yet given say so.
grep -q "^\*\*Not yet determined\*\* as of this date: the case records no circumstance" \
	"$T/b.md" || bad "section 3 does not say it is not yet determined"
cf case edit --notice-delay "Law enforcement asked for a 30-day delay." >/dev/null
cf export briefing >"$T/c.md" 2>/dev/null
grep -q "^Law enforcement asked for a 30-day delay." "$T/c.md" || bad "notice_delay not printed"
# Federal wording only under the federal pack.
grep -q "reasonable basis of a major incident" "$T/b.md" || bad "federal wording missing"
cf case edit --rule-packs hipaa >/dev/null
cf export briefing >"$T/h.md" 2>/dev/null
grep -q "reasonable basis of a major incident" "$T/h.md" && bad "federal wording in a HIPAA case"
[ $fail = 0 ] && echo "briefing: engine statuses, people first, as-of, TLP, warnings, contents"
exit $fail
