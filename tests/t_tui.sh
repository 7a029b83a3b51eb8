#!/bin/sh
# t_tui.sh — the terminal UI driven by scripts (tests/tui/*.keys): keys in, screens out through
# curses on a virtual terminal (CASEFILE_TUI_SCRIPT), compared with tests/tui/*.screens.  Fixed
# clock, zone, locale and size; a watchdog against hangs.  CASEFILE_UPDATE_GOLDEN=1 rewrites
# the expected screens.
set -u
B=${CASEFILE_BIN:?}
S=${CASEFILE_SRC:?}/tests/tui
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
export CASEFILE_NOW=2019-06-05T12:00:00Z CASEFILE_RULES_DIR="$CASEFILE_SRC/store/deadline/rules"
export TZ=UTC LC_ALL=C.UTF-8 TERM=xterm-256color EDITOR="$S/fake_editor.sh"
export CASEFILE_AUTHOR="Test Runner <test@example.org>"
unset VISUAL NO_COLOR CASEFILE_DIR
fail=0
bad() { echo "FAIL: $*"; fail=1; }

C="$T/fixture" . "$S/fixture.sh"
for keys in "$S"/*.keys; do
	name=$(basename "$keys" .keys)
	rm -rf "$T/case" "$T/side" && cp -r "$T/fixture" "$T/case" && mkdir "$T/side" || exit 1
	# NAME.setup.sh, when there is one, adds to the case what only that script needs (report
	# versions, a second replica and its remote in $W, evidence files).
	if [ -f "$S/$name.setup.sh" ]; then
		C="$T/case" W="$T/side" sh "$S/$name.setup.sh" >"$T/setup.out" 2>&1 ||
			{ cat "$T/setup.out"; bad "$name: setup failed"; continue; }
	fi
	size=$(sed -n 's/^# size \([0-9]*x[0-9]*\)$/\1/p' "$keys" | head -1)
	CASEFILE_DIR="$T/case" CASEFILE_TUI_SCRIPT="$keys" CASEFILE_TUI_OUT="$T/$name.out" \
		CASEFILE_TUI_SIZE="${size:-80x24}" timeout 30 "$B" -C "$T/case" </dev/null \
		>"$T/stdout" 2>"$T/stderr"
	rc=$?
	[ $rc -eq 0 ] || { bad "$name: exit status $rc"; cat "$T/stderr"; continue; }
	[ -s "$T/stdout" ] && bad "$name: wrote to stdout without a terminal"
	python3 "$S/mask.py" "$T/case" <"$T/$name.out" >"$T/$name.screens" || bad "$name: mask"
	[ "${CASEFILE_UPDATE_GOLDEN:-}" = 1 ] && cp "$T/$name.screens" "$S/$name.screens"
	diff -u "$S/$name.screens" "$T/$name.screens" >"$T/diff" ||
		{ head -60 "$T/diff"; bad "$name: screens differ"; }
done

# The screens never carry a raw control character from the case: ESC, BEL and the bidi
# override show as visible escapes.
if grep -q "$(printf '\033')" "$T"/*.out || grep -q "$(printf '\007')" "$T"/*.out ||
	grep -q "$(printf '\342\200\256')" "$T"/*.out; then
	bad "a raw control character reached the screen"
fi
grep -q 'Hostile ^\[\[2J clear, ^\[\]0;pwned^G title, <U+202E>bidi<U+202C> end' \
	"$T/timeline.out" || bad "hostile summary not shown escaped"

# Without a script and without a terminal: one clear line, no curses, exit status 1.
"$B" -C "$T/fixture" </dev/null >"$T/out" 2>"$T/err"
[ $? -eq 1 ] || bad "no terminal: exit status not 1"
grep -q "needs a terminal" "$T/err" || bad "no terminal: $(cat "$T/err")"

# A script that never ends its modal prompt still ends: the watchdog is the last resort.
printf 'key :\ntype goto\n' >"$T/open.keys"
CASEFILE_TUI_SCRIPT="$T/open.keys" CASEFILE_TUI_OUT="$T/open.out" timeout 30 "$B" \
	-C "$T/fixture" </dev/null || bad "script ending inside a prompt did not quit"
exit $fail
