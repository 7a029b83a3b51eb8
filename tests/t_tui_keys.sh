#!/bin/sh
# t_tui_keys.sh — the KEYS list in casefile(1) is the one generated from tui/actions.h
# (`casefile tui --keys`; `make man-keys` rewrites it), and names every action of the table.
set -u
B=${CASEFILE_BIN:?}
M=${CASEFILE_SRC:?}/man/casefile.1
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
fail=0

"$B" tui --keys >"$T/generated" || { echo "FAIL: tui --keys"; exit 1; }
sed -n '/^\.\\" BEGIN KEYS/,/^\.\\" END KEYS/p' "$M" | sed '1d;$d' >"$T/man"
[ -s "$T/man" ] || { echo "FAIL: no KEYS markers in casefile(1)"; exit 1; }
diff -u "$T/man" "$T/generated" || { echo "FAIL: casefile(1) keys differ: run make man-keys"; fail=1; }

# Every action declared in tui/actions.h appears, by name, in the list.
sed -n 's/^[[:space:]]*X([A-Z_0-9]*, [A-Z]*, "\([a-z0-9-]*\)".*/\1/p' \
	"$CASEFILE_SRC/tui/actions.h" >"$T/names"
n=$(wc -l <"$T/names")
[ "$n" -gt 40 ] || { echo "FAIL: only $n actions read from actions.h"; fail=1; }
while read -r name; do
	esc=$(printf '%s' "$name" | sed 's/-/\\\\-/g')
	grep -q "($esc)\$" "$T/generated" || { echo "FAIL: action $name missing"; fail=1; }
done <"$T/names"
"$B" tui --nonsense >/dev/null 2>&1
[ $? -eq 2 ] || { echo "FAIL: tui --nonsense is not a usage error"; fail=1; }
exit $fail
