#!/bin/sh
# t_no_silent.sh — no silent change: an empty value for the case's zone or a clock (`case edit
# --tz=`) is refused with a clear error and changes nothing (it used to move every due time
# to UTC).
set -u
B=${CASEFILE_BIN:?}
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }
export CASEFILE_RULES_DIR="$CASEFILE_SRC/store/deadline/rules" CASEFILE_NOW=2026-12-01T12:00:00Z
C="$T/case"
cf() { "$B" -C "$C" "$@"; }
"$B" init "$C" --title "Zone case" --tz America/New_York >/dev/null || exit 1
cf case edit --discovered 2026-11-16 --major-basis 2026-11-16 >/dev/null || bad "case edit"
cf deadlines >/dev/null || bad "deadlines"
cf notice list >"$T/before"
ops=$(cf log --json | grep -c '"op"')
for opt in --tz= --discovered= --major-basis=; do
	cf case edit "$opt" 2>"$T/err" && bad "$opt accepted"
	grep -q "an empty value would unset it" "$T/err" || bad "$opt: $(cat "$T/err")"
done
cf notice list | cmp -s - "$T/before" || bad "a refused edit changed the notices"
[ "$(cf log --json | grep -c '"op"')" = "$ops" ] || bad "a refused edit wrote an operation"
cf show --json | grep -q '"tz": "America/New_York"' || bad "the zone changed"
cf case edit --summary "" >/dev/null || bad "an optional text field cannot be unset"
[ $fail = 0 ] && echo "no silent change: empty zone and clocks refused"
exit $fail
