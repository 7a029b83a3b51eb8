#!/bin/sh
# t_tui_valgrind.sh — scripted TUI sessions (every screen, forms with a bad date, $EDITOR, a
# delete, search, filter, resize; reports, conflicts and :sync, evidence verify, notices) under
# valgrind: no definite leaks, no invalid reads or writes.  Skipped, saying so, when valgrind
# is not installed.
set -u
# The TUI lives in casefile-full: valgrind does not follow the small binary's exec into it.
B=$(dirname "${CASEFILE_BIN:?}")/casefile-full
S=${CASEFILE_SRC:?}/tests/tui
command -v valgrind >/dev/null 2>&1 || { echo "skip: valgrind is not installed"; exit 0; }
case ${BUILD:-} in *asan*) echo "skip: an AddressSanitizer build cannot run under valgrind"; exit 0 ;; esac
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
export CASEFILE_NOW=2019-06-05T12:00:00Z CASEFILE_RULES_DIR="$CASEFILE_SRC/store/rules"
export TZ=UTC LC_ALL=C.UTF-8 TERM=xterm-256color EDITOR="$S/fake_editor.sh"
unset VISUAL NO_COLOR CASEFILE_DIR
fail=0

C="$T/case" . "$S/fixture.sh"
for keys in forms timeline screens big; do
	size=$(sed -n 's/^# size \([0-9]*x[0-9]*\)$/\1/p' "$S/$keys.keys" | head -1)
	CASEFILE_TUI_SCRIPT="$S/$keys.keys" CASEFILE_TUI_OUT="$T/out" \
		CASEFILE_TUI_SIZE="${size:-80x24}" timeout 300 valgrind -q --error-exitcode=99 \
		--leak-check=full --errors-for-leak-kinds=definite --show-leak-kinds=definite \
		--track-fds=no "$B" -C "$T/case" </dev/null >"$T/stdout" 2>"$T/vg"
	rc=$?
	if [ $rc -ne 0 ]; then
		echo "FAIL: $keys under valgrind: exit status $rc"
		head -60 "$T/vg"
		fail=1
	fi
done
# The scripts that need more than the fixture (report versions, a second replica, evidence
# files): each on a fresh copy with its NAME.setup.sh, as t_tui.sh runs them.
for keys in reports conflicts evidence notices; do
	rm -rf "$T/copy" "$T/side" && cp -r "$T/case" "$T/copy" && mkdir "$T/side" || exit 1
	if [ -f "$S/$keys.setup.sh" ]; then
		CASEFILE_AUTHOR="Test Runner <test@example.org>" C="$T/copy" W="$T/side" \
			sh "$S/$keys.setup.sh" >"$T/setup" 2>&1 ||
			{ echo "FAIL: $keys: setup"; cat "$T/setup"; fail=1; continue; }
	fi
	CASEFILE_TUI_SCRIPT="$S/$keys.keys" CASEFILE_TUI_OUT="$T/out" timeout 300 valgrind -q \
		--error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
		--show-leak-kinds=definite --track-fds=no "$B" -C "$T/copy" </dev/null \
		>"$T/stdout" 2>"$T/vg"
	rc=$?
	if [ $rc -ne 0 ]; then
		echo "FAIL: $keys under valgrind: exit status $rc"
		head -60 "$T/vg"
		fail=1
	fi
done
exit $fail
