#!/bin/sh
# t_sealed.sh — sealed cases (export/seal.h): the demo sealed after it committed reports, then
# shared.  A plain git clone holds none of the demo's words (in any revision, message, tag or
# file name) and passes git fsck --strict; members read it back byte for byte; a non-member
# cannot; a flipped byte in an op file, a report or a key file is refused and named by sync
# and by verify; a removed member cannot read the next epoch, and their later operations are
# refused; init --sealed and seal refuse what they must.
set -u
B=$CASEFILE_BIN
tmp=$(mktemp -d) || exit 1
trap 'for z in 80x24 132x40; do tmux -L "casefile-sealed-$$-$z" kill-server 2>/dev/null; done
	rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }
idof() { grep -o 'cf1\.[0-9a-f.]*' "$1"; }
as() { who=$1; shift; CASEFILE_IDENTITY="$tmp/$who.id" CASEFILE_AUTHOR="$who <$who@example.org>" "$B" "$@"; }
flip() { python3 -c 'import sys
p, at = sys.argv[1], int(sys.argv[2]); b = bytearray(open(p, "rb").read())
b[at % len(b)] ^= 1; open(p, "wb").write(b)' "$1" "$2"; }
g() { git -c user.name=t -c user.email=t@example.org "$@"; }
for who in priya bob vic mal dan; do
	as $who id init >"$tmp/$who.pub" 2>/dev/null || bad "id init $who"
done
P="$tmp/p" S="$tmp/shared.git"

# ---- refusals before anything is made ----
CASEFILE_IDENTITY="$tmp/nobody" "$B" init "$tmp/x" --sealed 2>"$tmp/err" && bad "sealed without an identity"
grep -q "needs your identity" "$tmp/err" || bad "no identity said: $(cat "$tmp/err")"
[ -e "$tmp/x" ] && bad "init --sealed without an identity left a case behind"

# ---- the demo, with reports committed, sealed ----
as priya demo "$P" >/dev/null || bad "demo"
as priya -C "$P" seal 2>"$tmp/err" && bad "a case with no members was sealed"
grep -q "no members yet" "$tmp/err" || bad "no members said: $(cat "$tmp/err")"
as priya -C "$P" member add priya "$(idof "$tmp/priya.pub")" --role lead >/dev/null 2>&1 || bad "add priya"
as priya -C "$P" member add bob "$(idof "$tmp/bob.pub")" >/dev/null || bad "add bob"
as priya -C "$P" member add vic "$(idof "$tmp/vic.pub")" --role viewer >/dev/null || bad "add vic"
as bob -C "$P" seal 2>"$tmp/err" && bad "a member who is not a lead sealed the case"
grep -q "only a lead" "$tmp/err" || bad "not a lead said: $(cat "$tmp/err")"
as priya -C "$P" export briefing --commit >/dev/null 2>&1 || bad "commit a briefing"
as priya -C "$P" export briefing --profile sitrep --format html --commit >/dev/null 2>&1 ||
	bad "commit a sitrep"
as priya -C "$P" reports show briefing/sitrep/v1 >"$tmp/before.md" || bad "reports show before"
as priya -C "$P" seal >"$tmp/out" || bad "seal: $(cat "$tmp/out")"
grep -q "2 commits of its history rewritten" "$tmp/out" || bad "seal said: $(cat "$tmp/out")"
as priya -C "$P" seal 2>/dev/null && bad "sealed twice"
as priya -C "$P" reports show briefing/sitrep/v1 >"$tmp/after.md" || bad "reports show after"
cmp -s "$tmp/before.md" "$tmp/after.md" || bad "a report read back differs once sealed"
as priya -C "$P" export briefing --commit >"$tmp/out" 2>/dev/null || bad "commit again"
as priya -C "$P" event add 2019-07-01 "Zanzibar-quokka note written after sealing" >/dev/null ||
	bad "event add"
as priya -C "$P" export briefing --profile sitrep --commit >/dev/null 2>&1 || bad "sitrep v2"
as priya -C "$P" reports diff >"$tmp/diff" 2>&1 || bad "reports diff: $(cat "$tmp/diff")"
grep -q "^+.*Zanzibar-quokka" "$tmp/diff" || bad "reports diff of a sealed case: $(head -5 "$tmp/diff")"
grep -q "Binary" "$tmp/diff" && bad "reports diff compared ciphertext"
# The TUI's Reports screen (9) shows the sealed versions' text (v) and diff, in the demo's own
# time (a view of the case) as at 80x24 and 132x40.
if command -v tmux >/dev/null 2>&1; then
	# A server a size: a server that has just been killed can still hold its socket.
	tm() { tmux -L "casefile-sealed-$$-$size" -f /dev/null "$@"; }
	pane() { # PATTERN: shown within about 3 seconds
		i=0
		while [ $i -lt 30 ]; do
			tm capture-pane -p -t t >"$tmp/pane" 2>/dev/null
			grep -q -- "$1" "$tmp/pane" && return 0
			sleep 0.1; i=$((i + 1))
		done
		return 1
	}
	for size in 80x24 132x40; do
		tm new-session -d -s t -x "${size%x*}" -y "${size#*x}" "env CASEFILE_IDENTITY=$tmp/priya.id \
			CASEFILE_AUTHOR=priya TERM=xterm-256color LC_ALL=C.UTF-8 '$B' -C '$P'" || bad "tmux $size"
		pane "1 Dash" || bad "the TUI did not open at $size"
		tm send-keys -t t 9
		pane "briefing sitrep v2" || bad "no report versions at $size: $(cat "$tmp/pane")"
		# the diff's text, opened (where its lines fall depends on the layout)
		pane "^ *@@ -[0-9]" || bad "the sealed diff is not shown at $size: $(cat "$tmp/pane")"
		tm send-keys -t t v
		pane "Situation report" || bad "the sealed text is not shown at $size: $(cat "$tmp/pane")"
		grep -q "sealed for an epoch\|does not open" "$tmp/pane" && bad "TUI at $size: $(cat "$tmp/pane")"
		tm kill-server 2>/dev/null
	done
fi
as priya -C "$P" remote add origin "$S" && as priya -C "$P" sync >/dev/null || bad "sync"
as priya -C "$P" verify >"$tmp/out" 2>&1 || bad "verify of the sealed case: $(cat "$tmp/out")"

# ---- what a plain clone shows ----
git clone -q "$S" "$tmp/plain" 2>/dev/null || bad "git clone"
( cd "$tmp/plain" && git fsck --strict --no-dangling ) >"$tmp/out" 2>&1 || bad "fsck: $(cat "$tmp/out")"
git -C "$S" fsck --strict --no-dangling >"$tmp/out" 2>&1 || bad "fsck of the remote: $(cat "$tmp/out")"
[ "$(ls "$tmp/plain" | tr '\n' ' ')" = "keys members ops reports " ] || bad "top level: $(ls "$tmp/plain")"
# The public member list: role, fingerprint, identity, name.
for m in "lead .* priya$" "member .* bob$" "viewer .* vic$"; do
	grep -q "^$m" "$tmp/plain/members" || bad "members lacks '$m': $(cat "$tmp/plain/members")"
done
# Twenty words of the demo (and one written after sealing), searched everywhere git keeps
# text: every revision's files, messages, tags, names.
words="Perceptics license traveler subcontractor Customs biometric cyberattack unencrypted
passenger forensics jurisdiction BORDER-LANE PRVCY Facial Judiciary dark.web Secondary
vehicles Commander Massive Zanzibar-quokka"
g -C "$tmp/plain" log --all --format='%an %ae %s%n%b' >"$tmp/messages"
g -C "$tmp/plain" for-each-ref --format='%(refname) %(contents)' >>"$tmp/messages"
g -C "$tmp/plain" ls-tree -r --name-only HEAD >>"$tmp/messages"
n=0
for w in $words; do
	n=$((n + 1))
	hits=$(cd "$tmp/plain" && git grep -i -a -l -e "$w" $(git rev-list --all) -- | wc -l)
	[ "$hits" = 0 ] || bad "'$w' found in $hits files of a plain clone"
	grep -qi -e "$w" "$tmp/messages" && bad "'$w' in a message, ref or name"
done
[ $n = 21 ] || bad "$n words searched"
# Control: the same words are there in the unsealed demo's files (the search can fail).
as priya demo "$tmp/open" >/dev/null && as priya -C "$tmp/open" remote add origin "$tmp/o.git" &&
	as priya -C "$tmp/open" sync >/dev/null 2>&1
for w in Perceptics license traveler; do
	git -C "$tmp/open/casefile.git" grep -q -i -e "$w" main -- || bad "control: no '$w' unsealed"
done
grep -rq "Perceptics" "$tmp/plain/ops" "$tmp/plain/reports" && bad "plaintext under ops/ or reports/"
head -c 18 "$(ls -d "$tmp"/plain/ops/*/* | head -1)" | grep -q "^casefile-sealed 1 " ||
	bad "an op file is not sealed"

# ---- members read it back, others cannot ----
as priya -C "$P" export case --format json >"$tmp/priya.json" || bad "export priya"
for who in bob vic; do
	as $who clone "$S" "$tmp/$who" >/dev/null 2>&1 || bad "clone $who"
	as $who -C "$tmp/$who" export case --format json >"$tmp/$who.json" || bad "export $who"
	cmp -s "$tmp/priya.json" "$tmp/$who.json" || bad "$who's copy differs from priya's"
done
as mal clone "$S" "$tmp/mal" >/dev/null 2>"$tmp/err" && bad "a non-member cloned the case"
grep -q "sealed and your identity is not among its readers" "$tmp/err" ||
	bad "non-member said: $(cat "$tmp/err")"
[ -e "$tmp/mal" ] && bad "the failed clone left $tmp/mal"
as priya -C "$P" reports show main reports/briefing-sitrep.md >"$tmp/p.md" || bad "priya's show"
as bob -C "$tmp/bob" reports show main reports/briefing-sitrep.md >"$tmp/bob.md" || bad "bob's show"
cmp -s "$tmp/p.md" "$tmp/bob.md" || bad "bob reads another report"
grep -q "Perceptics\|traveler" "$tmp/bob.md" || bad "bob's report is not the sitrep"

# ---- a flipped byte, in each kind of sealed file ----
as priya -C "$P" event add 2019-07-01 "a second op file" >/dev/null && as priya -C "$P" sync >/dev/null ||
	bad "second sync"
rm -rf "$tmp/plain" && git clone -q "$S" "$tmp/plain" || bad "clone again"
opf=$(cd "$tmp/plain" && ls ops/*/* | tail -1)
keyf=$(cd "$tmp/plain" && ls keys/*/* | head -1)
repf=$(cd "$tmp/plain" && ls reports/* | head -1)
for f in "$opf" "$repf" "$keyf"; do
	rm -rf "$tmp/w" "$tmp/f.git" "$tmp/fb"
	git clone -q "$S" "$tmp/w" && flip "$tmp/w/$f" 300 &&
		g -C "$tmp/w" commit -qam "x" && git clone -q --bare "$tmp/w" "$tmp/f.git" ||
		bad "flip $f"
	# verify in a copy of priya's case whose repository holds the flipped file
	rm -rf "$tmp/pv" && cp -r "$P" "$tmp/pv" &&
		git -C "$tmp/w" push -q -f "$tmp/pv/casefile.git" HEAD:main 2>/dev/null || bad "copy"
	as priya -C "$tmp/pv" verify >"$tmp/out" 2>&1 && bad "verify passed with $f flipped"
	grep -q "$f" "$tmp/out" || bad "verify did not name $f: $(grep -v ok "$tmp/out" | head -3)"
	case $f in
	keys/*) continue ;; # a damaged key file: verify names it; sync cannot open that epoch
	esac
	as bob clone "$tmp/f.git" "$tmp/fb" >/dev/null 2>&1
	case $f in
	ops/*)
		as bob -C "$tmp/fb" quarantine list >"$tmp/q" 2>&1
		grep -q "$f.*does not open" "$tmp/q" || bad "flipped op file not set aside: $(cat "$tmp/q")" ;;
	reports/*)
		as bob -C "$tmp/fb" reports show HEAD~0 "$f" >/dev/null 2>"$tmp/err" &&
			bad "a flipped report was shown"
		grep -q "$f.*does not open" "$tmp/err" || bad "flipped report said: $(cat "$tmp/err")"
		as bob -C "$tmp/fb" quarantine list >"$tmp/q" 2>&1
		grep -q "^$f:0 .*does not open" "$tmp/q" || bad "flipped report not named at sync: $(cat "$tmp/q")" ;;
	esac
done

# ---- a removed member ----
as priya -C "$P" member add dan "$(idof "$tmp/dan.pub")" >/dev/null && as priya -C "$P" sync >/dev/null ||
	bad "add dan"
as dan clone "$S" "$tmp/dan" >/dev/null 2>&1 || bad "clone dan"
epochs_before=$(git -C "$S" ls-tree --name-only main keys/ | wc -l)
as bob -C "$tmp/bob" sync >/dev/null 2>&1 || bad "bob's sync before the removal"
as priya -C "$P" member rm dan >/dev/null || bad "rm dan"
as priya -C "$P" event add 2019-07-02 "Ouagadougou-pangolin written after dan left" >/dev/null
as priya -C "$P" sync >/dev/null || bad "sync the removal"
# bob writes before he has heard of the removal: his sync takes it in first, so his change is
# sealed for the members without dan
as bob -C "$tmp/bob" event add 2019-07-03 "Timbuktu-axolotl by bob, after dan left" >/dev/null &&
	as bob -C "$tmp/bob" sync >/dev/null 2>&1 || bad "bob's write after the removal"
epochs=$(git -C "$S" ls-tree --name-only main keys/ | wc -l)
[ "$epochs" -gt "$epochs_before" ] || bad "no new epoch after the removal ($epochs)"
newest=$(git -C "$S" ls-tree --name-only main keys/ | sort | tail -1)
dfp=$(grep -o 'fingerprint [0-9a-f-]*' "$tmp/dan.pub" | cut -d' ' -f2)
git -C "$S" ls-tree --name-only "main:$newest" | grep -q "$dfp" && bad "the new epoch is wrapped for dan"
git -C "$S" show main:members | grep -q " dan$" && bad "dan is still in the public member list"
as dan -C "$tmp/dan" sync >"$tmp/out" 2>&1 || bad "dan's sync: $(cat "$tmp/out")"
grep -q "not readable with your keys" "$tmp/out" || bad "dan's sync said: $(cat "$tmp/out")"
as dan -C "$tmp/dan" search "Ouagadougou" | grep -q . && bad "dan read the next epoch"
as dan -C "$tmp/dan" search "Timbuktu" | grep -q . && bad "dan read what bob wrote after the removal"
as priya -C "$P" search "Ouagadougou" | grep -q . || bad "priya cannot read her own event"
# dan lets himself write in his own copy; his operation is refused at priya's sync
sqlite3 "$tmp/dan/casefile.db" "UPDATE member SET deleted = 0" &&
	as dan -C "$tmp/dan" task add "dan after removal" >/dev/null || bad "dan's altered copy"
as dan -C "$tmp/dan" sync >/dev/null 2>&1 || bad "dan's push"
as priya -C "$P" sync >/dev/null 2>&1 || bad "priya's sync after dan's"
as priya -C "$P" quarantine list | grep -q "removed from the case" || bad "dan's op not refused"
as priya -C "$P" task list | grep -q "dan after removal" && bad "dan's op was applied"
# bob, still a member, reads everything priya wrote after the removal
as bob -C "$tmp/bob" sync >/dev/null 2>&1 || bad "bob's sync"
as bob -C "$tmp/bob" search "Ouagadougou" | grep -q . || bad "bob cannot read the new epoch"
as priya -C "$P" search "Timbuktu" | grep -q . || bad "priya cannot read what bob wrote"

# ---- seal refuses a case that already has a remote ----
as priya init "$tmp/q1" >/dev/null && as priya -C "$tmp/q1" remote add origin "$tmp/q1.git" &&
	as priya -C "$tmp/q1" sync >/dev/null || bad "q1"
as priya -C "$tmp/q1" seal 2>"$tmp/err" && bad "a shared case was sealed"
grep -q "already syncs with remote 'origin'" "$tmp/err" || bad "remote said: $(cat "$tmp/err")"
# init --sealed: sealed from its first commit
as priya init "$tmp/q2" --sealed --title "Kilimanjaro-armadillo" >/dev/null || bad "init --sealed"
[ "$(git -C "$tmp/q2/casefile.git" ls-tree --name-only main | tr '\n' ' ')" = "keys members " ] ||
	bad "init --sealed tree: $(git -C "$tmp/q2/casefile.git" ls-tree --name-only main)"

# A PDF report of a sealed case: its diff is its Markdown's (opened), one line for the PDF.
as priya -C "$P" export briefing --format pdf --commit >/dev/null 2>&1 || bad "a sealed PDF v1"
as priya -C "$P" event add 2019-07-03 "Okapi-lantern fact for the PDF" --visibility congress \
	>/dev/null || bad "event for the PDF"
as priya -C "$P" export briefing --format pdf --commit >/dev/null 2>&1 || bad "a sealed PDF v2"
as priya -C "$P" reports diff >"$tmp/diff" 2>&1 || bad "reports diff of a sealed PDF"
grep -q "^+.*Okapi-lantern" "$tmp/diff" || bad "sealed PDF diff: $(head -5 "$tmp/diff")"
grep -q "^reports/briefing-congressional.pdf: a PDF of reports/briefing-congressional.md: its diff is the one above$" \
	"$tmp/diff" || bad "sealed PDF: no note: $(tail -2 "$tmp/diff")"
grep -q "Binary" "$tmp/diff" && bad "sealed PDF: the bytes were compared"

exit $fail
