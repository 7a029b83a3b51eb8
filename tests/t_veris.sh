#!/bin/sh
# t_veris.sh — `export veris`: the demo case as a VERIS incident (golden file, byte-identical
# repeats), valid against the official schema kept in tests/veris/ (tests/veris/VERSION) for
# every profile, as of a past date and with hostile text; durations no finer than the times
# recorded; "Unknown" where the case cannot say; a case without a dated incident refused.
# CASEFILE_UPDATE_GOLDEN=1 rewrites the golden file.
set -u
B=$CASEFILE_BIN
S=$CASEFILE_SRC/tests/veris/verisc-merged.json
G=$CASEFILE_SRC/tests/golden/export/veris.json
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }
check() { python3 "$CASEFILE_SRC/tests/veris_check.py" "$S" "$@"; }
field() { # FILE PYTHON-EXPRESSION-ON-d: prints its value
	python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$@"
}

export CASEFILE_NOW=2020-10-01T12:00:00Z CASEFILE_RULES_DIR="$CASEFILE_SRC/store/deadline/rules"
"$B" demo "$tmp/case" >/dev/null || exit 1
C="$tmp/case"

# The validator itself must refuse a broken incident, or every check below proves nothing.
"$B" -C "$C" export veris >"$tmp/demo.json" || bad "export veris"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); del d["timeline"]
d["asset"]["cloud"]=["Sometimes"]; json.dump(d, open(sys.argv[2], "w"))' \
	"$tmp/demo.json" "$tmp/broken.json"
check "$tmp/broken.json" >"$tmp/broken.out" && bad "the validator accepted a broken incident"
grep -q "'timeline' is a required property" "$tmp/broken.out" &&
	grep -q "asset/cloud/0" "$tmp/broken.out" || bad "validator: $(cat "$tmp/broken.out")"

# The demo, every profile and a past "as of": valid, and the same bytes twice.
for args in "" "--profile public" "--profile congressional" "--as-of 2019-06-05"; do
	n=$(echo "x$args" | tr -c 'a-z0-9\n' '_')
	"$B" -C "$C" export veris $args >"$tmp/$n.json" 2>>"$tmp/warnings" || { bad "export veris $args"; continue; }
	"$B" -C "$C" export veris $args 2>/dev/null | cmp -s - "$tmp/$n.json" || bad "two exports differ: $args"
	check "$tmp/$n.json" || bad "not valid VERIS: export veris $args"
done
sed -E 's/\b[0-9abcdefghjkmnpqrstvwxyz]{20}\b/<id>/g' "$tmp/demo.json" >"$tmp/demo.norm"
[ "${CASEFILE_UPDATE_GOLDEN:-}" = 1 ] && cp "$tmp/demo.norm" "$G"
diff -u "$G" "$tmp/demo.norm" || bad "golden file differs: veris.json"
[ "$(field "$tmp/demo.json" 'd["schema_version"]')" = "$(sed -n '1s/^VERIS Community Schema \([0-9.]*\).*/\1/p' \
	"$CASEFILE_SRC/tests/veris/VERSION")" ] || bad "schema_version is not the fixture's version"
# Months apart at month precision; nothing finer invented for the attack-to-compromise time.
[ "$(field "$tmp/demo.json" 'd["timeline"]["discovery"]')" = "{'unit': 'Months', 'value': 9}" ] ||
	bad "discovery: $(field "$tmp/demo.json" 'd["timeline"]["discovery"]')"
[ "$(field "$tmp/demo.json" 'd["timeline"]["incident"]')" = "{'year': 2018, 'month': 8}" ] ||
	bad "incident date: $(field "$tmp/demo.json" 'd["timeline"]["incident"]')"

# As of 2019-06-05 the 184,000 revision did not exist: no amount of 184000.
grep -q 184000 "$tmp/x__as_of_2019_06_05.json" && bad "--as-of shows a later estimate"

# A case built here: times of different precisions, a data category named as a VERIS variety.
D="$tmp/d"
"$B" init "$D" --title "Clinic breach" --discovered 2020-03 >/dev/null || bad "init"
"$B" -C "$D" event add 2020-01-01T10:00Z "phishing mail opened" --kind attack \
	--actor 'Mallory <script>"' >/dev/null &&
"$B" -C "$D" event add 2020-01-01T12:30Z "mail server taken over" --kind compromise >/dev/null &&
"$B" -C "$D" event add 2020-01-03 "records copied out" --kind exfiltration >/dev/null &&
"$B" -C "$D" event add 2020-03-01 "server isolated" --kind containment >/dev/null &&
"$B" -C "$D" estimate add medical records --best 5000 --as-of 2020-03-02 >/dev/null &&
"$B" -C "$D" estimate add "$(printf 'x\033[31m\342\200\256y')" people --low 3 --as-of 2020-03-02 \
	>/dev/null || bad "case setup"
"$B" -C "$D" export veris >"$tmp/d.json" || bad "export veris (built case)"
check "$tmp/d.json" || bad "built case: not valid VERIS"
for want in "compromise {'unit': 'Hours', 'value': 2}" "exfiltration {'unit': 'Days', 'value': 1}" \
	"discovery {'unit': 'Months', 'value': 1}" "containment {'unit': 'Unknown'}"; do
	k=${want%% *}
	[ "$(field "$tmp/d.json" "d['timeline']['$k']")" = "${want#* }" ] ||
		bad "timeline.$k: $(field "$tmp/d.json" "d['timeline']['$k']"), want ${want#* }"
done
[ "$(field "$tmp/d.json" 'd["attribute"]["confidentiality"]["data"]')" = \
	"[{'variety': 'Medical', 'amount': 5000}, {'variety': 'Unknown'}]" ] ||
	bad "data: $(field "$tmp/d.json" 'd["attribute"]["confidentiality"]["data"]')"
grep -q 'Mallory <script>' "$tmp/d.json" || bad "the actor's words are not in the notes"
LC_ALL=C grep -q "$(printf '\033')" "$tmp/d.json" && bad "an escape character reached the file"
grep -q 'u202e' "$tmp/d.json" && bad "a bidi override reached the file"

# The sanitizer build (make check builds it) reads nothing out of bounds for this kind.
SAN=$CASEFILE_SRC/${BUILD:-build}/san/casefile-full
if [ -x "$SAN" ]; then
	"$SAN" -C "$C" export veris >"$tmp/san.json" 2>"$tmp/san.err" ||
		bad "sanitizer: $(tail -3 "$tmp/san.err")"
	cmp -s "$tmp/san.json" "$tmp/demo.json" || bad "the sanitizer build wrote other bytes"
fi

# No dated attack, compromise or exfiltration: refused, naming the field; -o leaves nothing.
E="$tmp/e"
"$B" init "$E" --title "Suspicion" >/dev/null &&
"$B" -C "$E" event add 2020-05-01 "odd login" --kind discovery >/dev/null || bad "setup e"
"$B" -C "$E" export veris -o "$tmp/e.json" 2>"$tmp/e.err" && bad "veris without an incident date"
grep -q "timeline.incident.year" "$tmp/e.err" || bad "error: $(cat "$tmp/e.err")"
[ -e "$tmp/e.json" ] && bad "a failed export left a file"
"$B" -C "$C" export veris --format md 2>"$tmp/f.err" && bad "veris --format md accepted"
grep -q "no md format" "$tmp/f.err" || bad "format error: $(cat "$tmp/f.err")"
exit $fail
