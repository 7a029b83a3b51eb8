#!/bin/sh
# t_completion.sh — shell completion from the command table (tui/cli/complete.c): the bash
# script that `make` generates is sourced and its function called with COMP_WORDS set, as bash
# does on Tab; it offers commands, verbs, options, choice values and the case's record ids.
# The zsh script runs in zsh (its function called with words/CURRENT set, compadd recording
# what it is given), the fish script in fish (`complete -C LINE`, fish's own Tab answer).
# `make deps` installs both shells; where one is absent its part is skipped, saying so.
set -u
B=${CASEFILE_BIN:?}
BUILD=${BUILD:-build}
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
unset CASEFILE_DIR
fails=0
die() { echo "FAIL: $*"; fails=$((fails + 1)); }
command -v bash >/dev/null || { echo "FAIL: no bash"; exit 1; }

case $BUILD in /*) ;; *) BUILD=$PWD/$BUILD ;; esac
SCRIPT="$BUILD/completion/casefile.bash"
[ -f "$SCRIPT" ] || die "make did not generate $SCRIPT"
"$B" completion bash | cmp -s - "$SCRIPT" || die "$SCRIPT differs from 'casefile completion bash'"
"$B" completion zsh | grep -q '^#compdef casefile' || die "completion zsh"
"$B" completion fish | grep -q '^complete -c casefile' || die "completion fish"
"$B" completion tcsh >/dev/null 2>&1; [ $? -eq 2 ] || die "completion tcsh: not exit 2"

"$B" init "$T/c" --title completion >/dev/null || die "init"
e1=$("$B" -C "$T/c" event add 2019-05-31 found --kind discovery)
e2=$("$B" -C "$T/c" event add 2019-06-10 said --kind statement)
t1=$("$B" -C "$T/c" task add count)

# tab WORDS...: what bash would offer for the last word (COMP_WORDS as bash sets them, the
# line split at '=' as bash does), one per line, sorted.
tab() {
	bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _casefile
		printf "%s\n" "${COMPREPLY[@]}" | sort' tab "$SCRIPT" "$B" "$@"
}
one_line() { tr '\n' ' ' | sed 's/ $//'; }

tab ev | one_line | grep -qx "event evidence" || die "commands: $(tab ev | one_line)"
tab "" | grep -qx deadlines || die "empty word lacks deadlines"
tab "" | grep -q "__complete" && die "the hidden command is offered"
for v in add edit list rm show; do
	tab task "" | grep -qx $v || die "verbs: $(tab task "" | one_line) lack $v"
done
[ "$(tab task "" | wc -l)" -eq "$("$B" task --help | sed -n '/^verbs:/,/^$/p' | grep -c '^  ')" ] ||
	die "verbs offered are not those of task --help: $(tab task "" | one_line)"
tab task list --s | one_line | grep -qx -- "--since= --status=" || die "options: $(tab task list --s)"
tab event list --k | grep -qx -- "--kind=" || die "event list --kind"
tab task list --k | grep -qx -- "--kind=" && die "task list offers --kind"
[ "$(tab task add --status d | one_line)" = "doing done" ] || die "--status d: $(tab task add --status d)"
# --opt=value, which bash splits into '--opt' '=' 'value'
[ "$(tab event list --kind = st | one_line)" = "statement" ] || die "--kind=st: $(tab event list --kind = st)"
tab event list --kind = | grep -qx discovery || die "--kind= lacks discovery"
[ "$(tab export briefing --profile c)" = "congressional" ] || die "--profile c"
[ "$(tab export timeline --format j)" = "jsonl" ] || die "timeline --format j: $(tab export timeline --format j)"
[ "$(tab export briefing --format j)" = "json" ] || die "briefing --format j"
[ "$(tab completion z)" = "zsh" ] || die "completion z"
tab rules enable "" | grep -qx federal || die "rules enable: no pack federal"
# Record ids of the open case (-C, or the case around the current directory).
[ "$(tab -C "$T/c" event show "" | one_line)" = "$(printf '%s\n' "$e1" "$e2" | sort | one_line)" ] ||
	die "event ids: $(tab -C "$T/c" event show "" | one_line)"
[ "$(cd "$T/c" && tab task edit "" )" = "$t1" ] || die "task ids in the case directory"
[ "$(tab -C "$T/c" event rm "$(echo "$e2" | cut -c1-3)")" = "$e2" ] || die "id by prefix"
tab -C "$T/c" log "" | grep -qx "$t1" || die "log ID: ids of every kind"
# Files and directories come from the shell.
tab import events "$T/" | grep -q . || die "import events FILE: no files"
tab -C "$T/" | grep -qx "$T/c" || die "-C DIR: $(tab -C "$T/")"

# ---- zsh: the generated _casefile, with compadd and _files recording their words.
ZSCRIPT="$BUILD/completion/_casefile"
ztab() {
	zsh -f -c 'script=$1; shift
		compdef() { : }
		_files() { print -r -- ":files${1:+ $1}" }
		compadd() {
			local nospace=
			[[ $1 == -S ]] && { nospace=" (no space)"; shift 2 }
			[[ $1 == -- ]] && shift
			local w; for w in "$@"; do print -r -- "$w$nospace"; done
		}
		source "$script"
		words=("$@"); CURRENT=$#words
		_casefile' ztab "$ZSCRIPT" "$B" "$@" | sort
}
if ! command -v zsh >/dev/null; then
	echo "SKIP: zsh completion (zsh is not installed; make deps installs it)"
else
	[ -f "$ZSCRIPT" ] || die "make did not generate $ZSCRIPT"
	[ "$(ztab ev | one_line)" = "event evidence" ] || die "zsh commands: $(ztab ev | one_line)"
	ztab task "" | grep -qx edit || die "zsh verbs: $(ztab task "" | one_line)"
	[ "$(ztab task list --s | one_line)" = "--since= (no space) --status= (no space)" ] ||
		die "zsh options: $(ztab task list --s | one_line)"
	[ "$(ztab task add --status d | one_line)" = "doing done" ] || die "zsh --status d"
	[ "$(ztab event list --kind=st)" = "--kind=statement" ] || die "zsh --kind=st: $(ztab event list --kind=st)"
	[ "$(ztab export briefing --format j)" = "json" ] || die "zsh briefing --format j"
	[ "$(ztab -C "$T/c" event show "" | one_line)" = "$(printf '%s\n' "$e1" "$e2" | sort | one_line)" ] ||
		die "zsh event ids: $(ztab -C "$T/c" event show "" | one_line)"
	[ "$(ztab import events "$T/")" = ":files" ] || die "zsh FILE: $(ztab import events "$T/")"
	[ "$(ztab -C "$T/")" = ":files -/" ] || die "zsh -C DIR: $(ztab -C "$T/")"
fi

# ---- fish: the generated script sourced, and fish asked what Tab offers on a line.
FSCRIPT="$BUILD/completion/casefile.fish"
ftab() {
	PATH="$(dirname "$B"):$PATH" fish --no-config -c 'source $argv[1]; complete -C"$argv[2]"' \
		"$FSCRIPT" "casefile $*" | cut -f1 | sort
}
if ! command -v fish >/dev/null; then
	echo "SKIP: fish completion (fish is not installed; make deps installs it)"
else
	[ -f "$FSCRIPT" ] || die "make did not generate $FSCRIPT"
	[ "$(ftab ev | one_line)" = "event evidence" ] || die "fish commands: $(ftab ev | one_line)"
	ftab "task " | grep -qx edit || die "fish verbs: $(ftab "task " | one_line)"
	[ "$(ftab task list --s | one_line)" = "--since= --status=" ] ||
		die "fish options: $(ftab task list --s | one_line)"
	[ "$(ftab task add --status d | one_line)" = "doing done" ] || die "fish --status d"
	[ "$(ftab event list --kind=st)" = "--kind=statement" ] || die "fish --kind=st: $(ftab event list --kind=st)"
	[ "$(ftab -C "$T/c" "event show " | one_line)" = "$(printf '%s\n' "$e1" "$e2" | sort | one_line)" ] ||
		die "fish event ids: $(ftab -C "$T/c" "event show " | one_line)"
	ftab import events "$T/" | grep -qx "$T/c/" || die "fish FILE: $(ftab import events "$T/" | one_line)"
fi

[ $fails -eq 0 ] && echo "completion: commands, verbs, options, values, ids, files (bash, zsh, fish)"
exit $((fails > 0))
