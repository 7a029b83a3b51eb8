#!/bin/sh
# t_tui_valgrind.sh — scripted TUI sessions (every screen, forms with a bad date, $EDITOR, a
# delete, search, filter, resize; reports, conflicts and :sync, evidence verify, notices) under
# valgrind: no definite leaks, no invalid reads or writes.  Skipped, saying so, when valgrind
# is not installed.
set -u
# The TUI lives in casefile-full: valgrind does not follow the small binary's exec into it.
# (Not $B: fixture.sh sets that to the small binary, which builds the case.)
FULL=$(dirname "${CASEFILE_BIN:?}")/casefile-full
S=${CASEFILE_SRC:?}/tests/tui
command -v valgrind >/dev/null 2>&1 || { echo "skip: valgrind is not installed"; exit 0; }
case ${BUILD:-} in *asan*) echo "skip: an AddressSanitizer build cannot run under valgrind"; exit 0 ;; esac
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
export CASEFILE_NOW=2019-06-05T12:00:00Z CASEFILE_RULES_DIR="$CASEFILE_SRC/store/deadline/rules"
export TZ=UTC LC_ALL=C.UTF-8 TERM=xterm-256color EDITOR="$S/fake_editor.sh"
unset VISUAL NO_COLOR CASEFILE_DIR
fail=0

# Runs KEYS on CASE under valgrind (at SIZE, when given); a failure is reported, not fatal.
run_vg() { # KEYS CASE [SIZE]
	if [ -n "${3:-}" ]; then export CASEFILE_TUI_SIZE="$3"; else unset CASEFILE_TUI_SIZE; fi
	CASEFILE_TUI_SCRIPT="$S/$1.keys" CASEFILE_TUI_OUT="$T/out" timeout 300 valgrind -q \
		--error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
		--show-leak-kinds=definite --track-fds=no "$FULL" -C "$2" </dev/null \
		>"$T/stdout" 2>"$T/vg"
	rc=$?
	if [ $rc -ne 0 ]; then
		echo "FAIL: $1 under valgrind: exit status $rc"
		head -60 "$T/vg"
		fail=1
	fi
}

C="$T/case" . "$S/fixture.sh"
for keys in forms timeline screens big; do
	size=$(sed -n 's/^# size \([0-9]*x[0-9]*\)$/\1/p' "$S/$keys.keys" | head -1)
	run_vg "$keys" "$T/case" "${size:-80x24}"
done
# The scripts that need more than the fixture (report versions, a second replica, evidence
# files): each on a fresh copy with its NAME.setup.sh, as t_tui.sh runs them.
for keys in reports reports_pdf conflicts evidence notices charts; do
	rm -rf "$T/copy" "$T/side" && cp -r "$T/case" "$T/copy" && mkdir "$T/side" || exit 1
	if [ -f "$S/$keys.setup.sh" ]; then
		CASEFILE_AUTHOR="Test Runner <test@example.org>" C="$T/copy" W="$T/side" \
			sh "$S/$keys.setup.sh" >"$T/setup" 2>&1 ||
			{ echo "FAIL: $keys: setup"; cat "$T/setup"; fail=1; continue; }
	fi
	run_vg "$keys" "$T/copy"
done
exit $fail
