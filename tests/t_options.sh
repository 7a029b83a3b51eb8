#!/bin/sh
# t_options.sh — the one command table and option parser (tui/cli/main.c, tui/cli/opt.c): every
# command and verb answers -h/--help with its usage (exit 0, nothing written), takes --opt VALUE,
# --opt=VALUE and "--", refuses an unknown option with exit 2 and its usage line, and never puts
# a default in place of a missing argument.  Run on both binaries.
set -u
B=${CASEFILE_BIN:?}
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
unset CASEFILE_DIR
fails=0
C="$T/case"
die() { echo "FAIL: $*"; fails=$((fails + 1)); }

snapshot() {
	{ "$B" -C "$C" log --json; for k in event estimate notice evidence custody task note; do
		"$B" -C "$C" $k list --json --all; done; "$B" -C "$C" show --json
		ls -a "$C"; } >"$1" 2>&1
}

"$B" init "$C" --title "Options" --discovered 2019-05-31 >/dev/null || die "init"
"$B" -C "$C" task add "first task" >/dev/null || die "task add"

# Every command and verb of the table, as `casefile --help` lists them.
"$B" --help >"$T/help" || die "casefile --help"
# (the help text starts in column 42, or on the next line when the verbs are longer)
awk '/^  [a-z]/ {
	s = (length($0) > 41 && substr($0, 40, 2) == "  ") ? substr($0, 1, 41) : $0
	n = split(s, f, " "); print f[1], (f[2] ~ /^[a-z|]+$/ ? f[2] : "") }' "$T/help" >"$T/cmds"
[ "$(wc -l <"$T/cmds")" -ge 25 ] || die "casefile --help lists $(wc -l <"$T/cmds") commands"
grep -q '^export briefing|timeline|case|custody|veris$' "$T/cmds" || die "export's verbs not listed"
[ "$(grep -c '^  export ' "$T/help")" -eq 1 ] || die "export is listed twice"

snapshot "$T/before"
for bin in "$B" "${B}-full"; do
	while read -r cmd verbs; do
		for v in "" $(echo "$verbs" | tr '|' ' '); do
			for h in -h --help; do
				(cd "$T" && "$bin" -C "$C" $cmd $v $h) >"$T/out" 2>"$T/err"
				[ $? -eq 0 ] || die "$cmd $v $h: exit status not 0: $(cat "$T/err")"
				[ -s "$T/err" ] && die "$cmd $v $h: wrote to stderr: $(cat "$T/err")"
				head -1 "$T/out" | grep -q "^usage: casefile $cmd" ||
					die "$cmd $v $h: no usage line: $(head -1 "$T/out")"
			done
			[ -z "$v" ] && [ -n "$verbs" ] && continue
			# An unknown option: exit 2, the verb's usage line, nothing run.
			(cd "$T" && "$bin" -C "$C" $cmd $v --no-such-option) >"$T/out" 2>"$T/err"
			rc=$?
			[ $rc -eq 2 ] || die "$cmd $v --no-such-option: exit status $rc"
			grep -q "unknown option '--no-such-option'" "$T/err" &&
				sed -n 2p "$T/err" | grep -q "^usage: casefile $cmd${v:+ $v}" ||
				die "$cmd $v --no-such-option: stderr $(cat "$T/err")"
			[ -s "$T/out" ] && die "$cmd $v --no-such-option: wrote to stdout"
		done
	done <"$T/cmds"
done
snapshot "$T/after"
cmp -s "$T/before" "$T/after" || die "--help or an unknown option changed the case"
[ "$(ls "$T")" = "after
before
case
cmds
err
help
out" ] || die "--help or an unknown option created files: $(ls "$T")"

# The lines the issue quotes.
"$B" -C "$C" task add -h | grep -q '^usage: casefile task add TITLE' || die "task add -h"
"$B" -C "$C" task list | grep -q -- ' -h' && die "task add -h created a task titled -h"
"$B" -C "$C" event add --help | grep -q -- '--occurred TIME' || die "event add --help: fields"
"$B" -C "$C" deadlines --help | grep -q -- '--at DATETIME' || die "deadlines --help"
"$B" -C "$C" export --help | grep -q 'custody' || die "export --help"
"$B" -C "$C" export custody --help | grep -q -- '-o, --output FILE' || die "export custody --help"
"$B" help task | grep -q '^usage: casefile task VERB' || die "casefile help task"

# --opt VALUE, --opt=VALUE, and -- before words that look like options.
id=$("$B" -C "$C" note add -- "-x") || die "note add -- -x"
"$B" -C "$C" note show "$id" | grep -q '^text *-x$' || die "note -x not stored as its text"
id=$("$B" -C "$C" task add "second" --owner=alice --due 2019-06-10) || die "--owner=alice"
"$B" -C "$C" task show "$id" --json | grep -q '"owner": "alice"' || die "--owner=alice not stored"
"$B" -C "$C" task edit "$id" --owner= || die "--owner= (unset)"
"$B" -C "$C" task show "$id" --json | grep -q '"owner": null' || die "--owner= did not unset"
"$B" -C "$C" deadlines --at=2019-06-05T12:00Z --json >/dev/null || die "deadlines --at=T"
"$B" -C "$C" export briefing --format=html -o "$T/b.html" || die "export --format=html -o"
grep -q '<html' "$T/b.html" || die "briefing --format=html is not HTML"
rm -f "$T/b.html"
"$B" -C "$C" task list --json=yes >/dev/null 2>"$T/err"
[ $? -eq 2 ] && grep -q "takes no value" "$T/err" || die "--json=yes accepted"

# A missing required argument is an error, never a default.
mkdir "$T/empty"
(cd "$T/empty" && "$B" init) >/dev/null 2>"$T/err"
[ $? -eq 2 ] || die "init with no DIR: exit status not 2"
grep -q "missing argument: DIR" "$T/err" || die "init with no DIR: $(cat "$T/err")"
[ -z "$(ls -A "$T/empty")" ] || die "init with no DIR created $(ls -A "$T/empty")"
(cd "$T/empty" && "$B" demo) >/dev/null 2>"$T/err"
[ $? -eq 2 ] && grep -q "missing argument: DIR" "$T/err" || die "demo with no DIR"
for args in "search" "task show" "task edit" "event rm" "import events" \
	"rules show" "resolve x" "export custody extra"; do
	"$B" -C "$C" $args >/dev/null 2>"$T/err"
	[ $? -eq 2 ] || die "$args: exit status not 2"
	sed -n 2p "$T/err" | grep -q '^usage: casefile' || die "$args: no usage line: $(cat "$T/err")"
done
"$B" -C "$C" task edit "$id" 2>"$T/err"
[ $? -eq 2 ] && grep -q "nothing to change" "$T/err" || die "edit with no field"

# Arguments are shown safely in the errors: no raw escape or bell from the command line.
esc=$(printf '\033]0;pwned\007')
"$B" "x$esc" 2>"$T/err"; [ $? -eq 2 ] || die "unknown command: exit status"
"$B" -C "$C" task list "--$esc" 2>>"$T/err"
"$B" -C "$C" task add "$esc" "--o$esc=1" 2>>"$T/err"
"$B" "-$esc" 2>>"$T/err"
[ "$(wc -l <"$T/err")" -ge 4 ] || die "the errors are missing: $(cat "$T/err")"
LC_ALL=C grep -q "$(printf '[\033\007]')" "$T/err" && die "an error echoed a raw control byte"

[ $fails -eq 0 ] && echo "options: help, --opt=value, --, unknown options and missing arguments"
exit $((fails > 0))
