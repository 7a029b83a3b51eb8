#!/bin/sh
# t_reports.sh — briefing versions in the case's git repository: commit, tag, "Changes since
# the previous briefing" after new facts, reports log/show/diff, and plain git as a reader
# (clone, log, show both versions, fsck --strict).
set -u
B=$CASEFILE_BIN
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }
export CASEFILE_AUTHOR="Liaison <liaison@example.org>"
"$B" demo "$tmp/case" >/dev/null || exit 1
C="$tmp/case"
cf() { "$B" -C "$C" "$@"; }

gd=$(cf git-dir) || bad "git-dir"
[ "$gd" = "$C/casefile.git" ] || bad "git-dir printed '$gd'"
[ "$(git --git-dir="$gd" symbolic-ref HEAD)" = refs/heads/main ] || bad "HEAD is not main"
[ "$(git --git-dir="$gd" rev-parse --is-bare-repository)" = true ] || bad "not bare"

cf export briefing --as-of 2019-06-05 --commit >"$tmp/out1" || bad "commit v1"
grep -q "version 1" "$tmp/out1" || bad "v1 not reported: $(cat "$tmp/out1")"
cf export briefing --commit >"$tmp/out2" || bad "commit v2"
grep -q "briefing/congressional/v2" "$tmp/out2" || bad "v2 not tagged: $(cat "$tmp/out2")"
# Committing the same report again makes no new version.
cf export briefing --commit | grep -q unchanged || bad "an unchanged report made a version"
cf export briefing --profile sitrep --format html --commit -o "$tmp/sitrep.html" >/dev/null ||
	bad "commit sitrep html"
cf reports show HEAD reports/briefing-sitrep.html | cmp -s - "$tmp/sitrep.html" ||
	bad "--commit -o: the file differs from what was committed"

# New facts, then a third congressional version.
cf event add 2020-10-02 "Subcontractor confirms the count of affected travelers" \
	--visibility congress --key yes --kind investigation >/dev/null || bad "add event"
cf estimate add "travelers affected" people --best 120000 --low 100000 --high 184000 \
	--as-of 2020-10-02 --reason "count confirmed by the subcontractor" \
	--visibility congress --confidence medium >/dev/null || bad "add estimate"
n=$(cf notice list | grep "breach-report-30d" | cut -c1-8)
cf notice edit "$n" --status sent --sent 2020-10-02 >/dev/null || bad "notice sent"
e=$(cf event list | grep "fewer than 100,000 people had" | cut -c1-8)
cf event rm "$e" || bad "rm event"
cf export briefing --commit >"$tmp/out3" || bad "commit v3"
cf reports show briefing/congressional/v3 >"$tmp/v3.md" || bad "reports show v3"
# A plain export now (same mark as v3) compares with v2 as v3 did: the same bytes.
cf export briefing | cmp -s - "$tmp/v3.md" || bad "export after the commit differs from v3"
sed -n '/^## Changes since/,/^## 1\./p' "$tmp/v3.md" >"$tmp/changes"
grep -q "^Since v2" "$tmp/changes" || bad "changes not against v2"
grep -q "New event: 2020-10-02: Subcontractor confirms" "$tmp/changes" || bad "new event missing"
grep -q "Revised estimate: travelers affected" "$tmp/changes" || bad "revised estimate missing"
grep -q "Notification sent: Congress" "$tmp/changes" || bad "notification sent missing"
grep -q "Withdrawn timeline event: 2019-06-10: Officials" "$tmp/changes" || bad "withdrawn"
grep -q "DHS OIG" "$tmp/changes" && bad "old facts listed as changes"
[ "$(grep -c '^- ' "$tmp/changes")" = 4 ] || { cat "$tmp/changes"; bad "changes list size"; }

# reports diff: by default the last version against the previous one of the same report.
cf reports diff >"$tmp/diff" || bad "reports diff"
grep -q '^+- New event: 2020-10-02: Subcontractor confirms' "$tmp/diff" ||
	bad "diff lacks the new event"
grep -q '^-Since v1' "$tmp/diff" || bad "diff lacks the old changes line"
grep -q 'sitrep' "$tmp/diff" && bad "default diff mixes in the sitrep"
cf reports diff briefing/congressional/v1 briefing/congressional/v3 | grep -q '^+.*184,000' ||
	bad "diff v1 v3"
cf reports log >"$tmp/log" || bad "reports log"
[ "$(wc -l <"$tmp/log")" = 4 ] || { cat "$tmp/log"; bad "reports log: $(wc -l <"$tmp/log")"; }
head -1 "$tmp/log" | grep -q "briefing congressional v3" || bad "log is not newest first"
cf reports show HEAD reports/briefing-sitrep.md | grep -q "Situation report" ||
	bad "show REV PATH"
cf reports show nosuchrev >/dev/null 2>&1 && bad "show of a bad revision succeeded"

# Plain git reads it all.
git --git-dir="$gd" fsck --strict >/dev/null 2>&1 || bad "git fsck --strict"
git clone -q "$gd" "$tmp/clone" 2>/dev/null || bad "git clone"
cmp -s "$tmp/clone/reports/briefing-congressional.md" "$tmp/v3.md" || bad "clone lacks v3"
[ -f "$tmp/clone/reports/briefing-sitrep.html" ] || bad "clone lacks the sitrep"
[ "$(git -C "$tmp/clone" log --oneline | wc -l)" = 4 ] || bad "git log count"
git -C "$tmp/clone" fetch -q --tags 2>/dev/null
git -C "$tmp/clone" show briefing/congressional/v1:reports/briefing-congressional.md \
	>"$tmp/v1.md" 2>/dev/null || bad "git show v1"
grep -q "As of:\*\* 2019-06-05" "$tmp/v1.md" || bad "v1 is not the June 5 briefing"
git -C "$tmp/clone" show briefing/congressional/v2:reports/briefing-congressional.md |
	grep -q "184,000" || bad "git show v2"
[ "$(git -C "$tmp/clone" tag | wc -l)" = 4 ] || bad "tags: $(git -C "$tmp/clone" tag)"
git -C "$tmp/clone" log -1 --format=%B | grep -q "^Casefile-Version: 3" || bad "trailers"

# A repository may come from someone else: what it holds reaches the terminal inert.
# A hostile commit pushed with plain git (escape sequences in a report and in the message).
esc=$(printf '\033]0;pwned\007\033[2J')
printf '# hostile %s\nline two %s\n' "$esc" "$(printf '\342\200\256')" \
	>"$tmp/clone/reports/briefing-congressional.md"
git -C "$tmp/clone" -c user.name=x -c user.email=x@example.org commit -qam "evil $esc" &&
	git -C "$tmp/clone" push -q origin main 2>/dev/null || bad "push a hostile commit"
tty_run() { # runs casefile on a pseudo-terminal, its output into $tmp/tty
	script -qec "$B -C $C $*" /dev/null >"$tmp/tty" 2>&1 </dev/null
}
for cmd in "reports log" "reports diff" "reports show HEAD" \
	"reports show HEAD reports/briefing-congressional.md"; do
	NO_COLOR=1 tty_run "$cmd" || bad "$cmd on a terminal"
	LC_ALL=C grep -q "$(printf '\033')" "$tmp/tty" && bad "$cmd: raw escape on a terminal"
	LC_ALL=C grep -q "$(printf '\007')" "$tmp/tty" && bad "$cmd: raw BEL on a terminal"
	LC_ALL=C grep -q "$(printf '\342\200\256')" "$tmp/tty" && bad "$cmd: raw RLO"
	grep -q "hostile\|evil" "$tmp/tty" || bad "$cmd: the hostile text is not shown at all"
done
# With colors: the only escape sequences are casefile's own SGR colors.
NO_COLOR= tty_run "reports diff" || bad "colored diff"
LC_ALL=C grep -q "$(printf '\033')\[3[12]m" "$tmp/tty" || bad "diff not colored on a terminal"
sed "s/$(printf '\033')\[[0-9;]*m//g" "$tmp/tty" | LC_ALL=C grep -q "$(printf '\033')" &&
	bad "diff: an escape sequence other than a color"
# Into a pipe, show gives the exact bytes committed.
cf reports show HEAD reports/briefing-congressional.md |
	cmp -s - "$tmp/clone/reports/briefing-congressional.md" || bad "show into a pipe: bytes"
exit $fail
