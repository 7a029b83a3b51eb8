#!/bin/sh
# t_text.sh — one rule for hidden characters (store/text.c), through the real binaries: a record
# holding a character of each hidden class is escaped by the CLI's show and list, by the TUI's
# screen, and hidden or escaped in every export format; a command line's raw ESC and BEL are
# never echoed to the terminal.  test_text.c proves the same for every code point in-process.
set -u
B=${CASEFILE_BIN:?}
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
export CASEFILE_NOW=2019-06-05T12:00:00Z CASEFILE_RULES_DIR="$CASEFILE_SRC/store/deadline/rules"
export TZ=UTC LC_ALL=C.UTF-8 TERM=xterm-256color
unset CASEFILE_DIR NO_COLOR
fail=0
bad() { echo "FAIL: $*"; fail=1; }

# One character of each hidden class: name, its UTF-8 (printf octal), the terminal's escape,
# its JSON escape ("-": JSON keeps DEL as it is, a character that JSON allows and that
# terminals ignore).
SAMPLES='ESC \033 ^[ \u001b
BEL \007 ^G \u0007
DEL \177 ^? -
C1-CSI \302\233 <U+009B> \u009b
RLO \342\200\256 <U+202E> \u202e
ZWSP \342\200\213 <U+200B> \u200b
BOM \357\273\277 <U+FEFF> \ufeff
TAG-A \363\240\201\201 <U+E0041> \udb40\udc41
PUA \356\200\200 <U+E000> \ue000
UNASSIGNED \315\270 <U+0378> \u0378'

text=""
while read -r name bytes _ _; do
	text="$text [$name:$(printf "$bytes")]"
done <<EOF
$SAMPLES
EOF

# FILE LABEL: no sample's raw bytes in FILE.
no_raw() {
	while read -r name bytes _ _; do
		LC_ALL=C grep -qF "$(printf "$bytes")" "$1" && bad "$2: raw $name"
	done <<EOF
$SAMPLES
EOF
}
# FILE LABEL FIELD: each sample's escape in FIELD (3: terminal, 4: JSON) is in FILE.
has_escapes() {
	while read -r name bytes term json; do
		want=$term
		[ "$3" = 4 ] && want=$json
		[ "$want" = - ] && continue
		grep -qiF -- "[$name:$want]" "$1" || bad "$2: no $want for $name"
	done <<EOF
$SAMPLES
EOF
}

C="$T/case"
"$B" init "$C" --title "Text rules" --tz UTC >/dev/null || exit 1
id=$("$B" -C "$C" event add 2019-06-02 "Hostile$text" --visibility public --key yes --kind attack \
	--details "Details$text") || { bad "event add"; exit 1; }

# The CLI: show and list.
"$B" -C "$C" event show "$id" >"$T/show" || bad "event show"
no_raw "$T/show" "event show"
has_escapes "$T/show" "event show" 3
"$B" -C "$C" event list >"$T/list" || bad "event list"
no_raw "$T/list" "event list"
grep -qF '[RLO:<U+202E>]' "$T/list" || bad "event list: no <U+202E>"

# The exports: Markdown, HTML and CSV show U+FFFD; JSON keeps the code point as an escape.
"$B" -C "$C" export briefing --profile congressional --format md >"$T/x.md" || bad "export md"
"$B" -C "$C" export briefing --profile congressional --format html >"$T/x.html" || bad "export html"
"$B" -C "$C" export timeline --format md >"$T/x.tl.md" || bad "export timeline md"
"$B" -C "$C" export timeline --format csv >"$T/x.csv" || bad "export csv"
"$B" -C "$C" export timeline --format jsonl >"$T/x.jsonl" || bad "export jsonl"
"$B" -C "$C" export case --format json >"$T/x.json" || bad "export json"
for f in md tl.md html csv; do
	no_raw "$T/x.$f" "export $f"
done
# JSON holds only ASCII (DEL aside): every other character as a \u escape.
for f in jsonl json; do
	LC_ALL=C grep -q "[^ -~$(printf '\177')]" "$T/x.$f" && bad "export $f: not ASCII"
done
for f in md tl.md html csv; do
	while read -r name _; do
		grep -qF "$name:�" "$T/x.$f" || bad "export $f: $name not shown as U+FFFD"
	done <<EOF
$SAMPLES
EOF
done
has_escapes "$T/x.json" "export json" 4
has_escapes "$T/x.jsonl" "export jsonl" 4

# The TUI: the timeline screen, wide enough for the whole summary.
printf 'key 2\ndump timeline\nkey Enter\ndump detail\n' >"$T/keys"
CASEFILE_TUI_SCRIPT="$T/keys" CASEFILE_TUI_OUT="$T/tui" CASEFILE_TUI_SIZE=240x24 \
	timeout 30 "$B" -C "$C" </dev/null >/dev/null 2>"$T/err" || bad "tui: $(cat "$T/err")"
no_raw "$T/tui" "tui"
has_escapes "$T/tui" "tui" 3

# Command lines: what was typed is quoted back escaped, never raw.
"$B" "$(printf 'x\033[2J\007')" >"$T/out" 2>"$T/err" && bad "unknown command accepted"
"$B" -C "$C" event add 2019 x "--$(printf '\033]0;t\007')" >>"$T/out" 2>>"$T/err" &&
	bad "unknown option accepted"
"$B" -C "$C" event add 2019 x --kind "$(printf '\033[31mred')" >>"$T/out" 2>>"$T/err" &&
	bad "bad value accepted"
"$B" -C "$T/$(printf 'none\033[2J')" show >>"$T/out" 2>>"$T/err" && bad "missing case opened"
"$B" init "$T/$(printf 'new\033[2Jcase')" >>"$T/out" 2>>"$T/err" || bad "init odd name"
for f in out err; do
	LC_ALL=C grep -q "$(printf '\033')" "$T/$f" && bad "raw ESC on std$f: $(cat -v "$T/$f")"
	LC_ALL=C grep -q "$(printf '\007')" "$T/$f" && bad "raw BEL on std$f: $(cat -v "$T/$f")"
done
grep -qF "unknown command 'x^[[2J^G'" "$T/err" || bad "unknown command not escaped: $(cat "$T/err")"
grep -qF "^[]0;t^G" "$T/err" || bad "unknown option not escaped"
grep -qF "^[[31mred" "$T/err" || bad "bad value not escaped"
grep -qF "none^[[2J" "$T/err" || bad "case path not escaped"
grep -qF "new^[[2Jcase" "$T/out" || bad "init's path not escaped"
exit $fail
