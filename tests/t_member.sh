#!/bin/sh
# t_member.sh — membership: who may sign a case's changes.  The creator with an identity is its
# first lead; `member add/list/rm`; a non-member, a viewer, an unsigned change and a removed
# member are refused here, and — forged by a peer whose own copy was altered to let them
# through — quarantined at sync by name, and flagged by verify.
set -u
B=$CASEFILE_BIN
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }
idof() { grep -o 'cf1\.[0-9a-f.]*' "$1"; }
as() { who=$1; shift; CASEFILE_IDENTITY="$tmp/$who.id" CASEFILE_AUTHOR="$who <$who@example.org>" "$B" "$@"; }
for who in priya bob mal vic; do
	as $who id init >"$tmp/$who.pub" 2>/dev/null || bad "id init $who"
done
P="$tmp/p" S="$tmp/shared.git"

as priya init "$P" --title "Members" >/dev/null || bad "init"
as priya -C "$P" member list >"$tmp/out"
grep -q "^lead .* priya$" "$tmp/out" || bad "the creator is not the first lead: $(cat "$tmp/out")"
as priya -C "$P" member add bob "$(idof "$tmp/bob.pub")" >/dev/null || bad "member add bob"
as priya -C "$P" member add vic "$(idof "$tmp/vic.pub")" --role viewer >/dev/null || bad "add vic"
as priya -C "$P" member add bob "$(idof "$tmp/bob.pub")" 2>/dev/null && bad "bob added twice"
as priya -C "$P" member add x not-an-identity 2>"$tmp/err" && bad "a bad identity was taken"
grep -q "not a casefile identity" "$tmp/err" || bad "bad identity said: $(cat "$tmp/err")"

# Here: who may change what.
as bob -C "$P" task add "by bob" >/dev/null || bad "a member could not add a task"
as mal -C "$P" task add "by mal" 2>"$tmp/err" && bad "a non-member's change was made"
grep -q "not a member" "$tmp/err" || bad "non-member said: $(cat "$tmp/err")"
as vic -C "$P" task add "by vic" 2>"$tmp/err" && bad "a viewer's change was made"
grep -q "a viewer" "$tmp/err" || bad "viewer said: $(cat "$tmp/err")"
CASEFILE_IDENTITY="$tmp/none" "$B" -C "$P" task add "unsigned" 2>"$tmp/err" &&
	bad "an unsigned change was made after signing began"
grep -q "unsigned" "$tmp/err" || bad "unsigned said: $(cat "$tmp/err")"
as bob -C "$P" member add mal "$(idof "$tmp/mal.pub")" 2>"$tmp/err" && bad "a member added a member"
grep -q "only a lead" "$tmp/err" || bad "member add by a member said: $(cat "$tmp/err")"
[ "$(as vic -C "$P" task list | grep -c "by bob")" = 1 ] || bad "a viewer cannot read"

# Peers: each clone, then alters their own copy so that it lets them write, and pushes.
as priya -C "$P" remote add origin "$S" && as priya -C "$P" sync >/dev/null || bad "sync"
for who in bob mal vic; do as $who clone "$S" "$tmp/$who" >/dev/null 2>&1 || bad "clone $who"; done
as priya -C "$P" member rm bob >/dev/null || bad "member rm bob"
as priya -C "$P" sync >/dev/null && as bob -C "$tmp/bob" sync >/dev/null || bad "sync the removal"
as bob -C "$tmp/bob" task add "bob after removal" 2>/dev/null && bad "a removed member wrote"
sqlite3 "$tmp/bob/casefile.db" "UPDATE member SET deleted = 0" &&
	as bob -C "$tmp/bob" task add "bob after removal" >/dev/null || bad "bob's altered copy"
sqlite3 "$tmp/mal/casefile.db" "DELETE FROM member" &&
	CASEFILE_AUTHOR="priya <priya@example.org>" CASEFILE_IDENTITY="$tmp/mal.id" \
	"$B" -C "$tmp/mal" task add "forged under priya's name" >/dev/null || bad "mal's altered copy"
sqlite3 "$tmp/vic/casefile.db" "UPDATE member SET role = 'member'" &&
	as vic -C "$tmp/vic" task add "by the viewer" >/dev/null || bad "vic's altered copy"
for who in bob mal vic; do as $who -C "$tmp/$who" sync >/dev/null 2>&1 || bad "push $who"; done
as priya -C "$P" sync >"$tmp/out" 2>&1 || bad "priya's sync: $(cat "$tmp/out")"
as priya -C "$P" quarantine list >"$tmp/q"
grep -q "removed from the case" "$tmp/q" || bad "removed member's op not quarantined: $(cat "$tmp/q")"
grep -q "not a member of the case" "$tmp/q" || bad "forged op not quarantined: $(cat "$tmp/q")"
grep -q "a viewer" "$tmp/q" || bad "viewer's op not quarantined: $(cat "$tmp/q")"
as priya -C "$P" task list >"$tmp/tasks"
grep -q "forged\|after removal\|by the viewer" "$tmp/tasks" && bad "a refused op was applied"
as priya -C "$P" verify >"$tmp/out" 2>&1 || bad "priya's copy fails verify: $(cat "$tmp/out")"
# A fresh clone decides the same.
"$B" clone "$S" "$tmp/fresh" >/dev/null 2>&1 || bad "fresh clone"
[ "$("$B" -C "$tmp/fresh" quarantine list | wc -l)" = "$(wc -l <"$tmp/q")" ] ||
	bad "a fresh clone quarantined otherwise"
[ "$("$B" -C "$tmp/fresh" export case --format json | sed '/"operations"/d;/"mark"/d')" = \
  "$(as priya -C "$P" export case --format json | sed '/"operations"/d;/"mark"/d')" ] ||
	bad "the fresh clone and priya differ"
# verify names what mal's altered copy holds.
CASEFILE_IDENTITY="$tmp/mal.id" "$B" -C "$tmp/mal" verify >"$tmp/out" 2>&1 &&
	bad "verify passed mal's forged op"
grep -q "not a member of the case" "$tmp/out" || bad "verify said: $(cat "$tmp/out")"

[ $fail -eq 0 ] && echo "t_member: ok"
exit $fail
