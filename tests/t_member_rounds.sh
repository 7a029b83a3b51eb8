#!/bin/sh
# t_member_rounds.sh — membership changes and offline work on three replicas converge.
# First a scripted case: a member removed while she works offline; a third replica takes her
# changes before the removal reaches it, then takes them back out when it does; her own
# replica too, which continues as a new replica, so that once she is added again her changes
# are taken everywhere.  Then seeded random rounds (tests/member_rounds.py): the replicas and
# a fresh clone agree byte for byte (export case, member list, quarantine) at every check.
set -u
B=$CASEFILE_BIN
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }
idof() { grep -o 'cf1\.[0-9a-f.]*' "$tmp/$1.pub"; }
as() { _as=$1; shift; CASEFILE_IDENTITY="$tmp/$_as.id" CASEFILE_AUTHOR="$_as <$_as@example.org>" "$B" "$@"; }
tasks() { as "$1" -C "$tmp/$1" task list 2>/dev/null | grep -c "carol offline"; }
for who in priya bob carol; do as $who id init >"$tmp/$who.pub" 2>/dev/null || bad "id init $who"; done
S="$tmp/shared.git"
as priya init "$tmp/priya" --title "Removal while offline" >/dev/null || bad "init"
as priya -C "$tmp/priya" member add bob "$(idof bob)" >/dev/null || bad "add bob"
as priya -C "$tmp/priya" member add carol "$(idof carol)" >/dev/null || bad "add carol"
as priya -C "$tmp/priya" remote add origin "$S" && as priya -C "$tmp/priya" sync >/dev/null || bad "sync"
for who in bob carol; do as $who clone "$S" "$tmp/$who" >/dev/null 2>&1 || bad "clone $who"; done

# Offline: carol writes three tasks while priya removes her.
for i in 1 2 3; do as carol -C "$tmp/carol" task add "carol offline $i" >/dev/null || bad "carol $i"; done
as priya -C "$tmp/priya" member rm carol >/dev/null || bad "member rm carol"
replica_before=$(sqlite3 "$tmp/carol/casefile.db" "SELECT value FROM meta WHERE key = 'replica'")
as carol -C "$tmp/carol" sync >/dev/null 2>&1 || bad "carol's sync"
as bob -C "$tmp/bob" sync >/dev/null 2>&1 || bad "bob's first sync"
[ "$(tasks bob)" = 3 ] || bad "bob, not yet told of the removal, holds $(tasks bob) of carol's tasks"
as priya -C "$tmp/priya" sync >/dev/null 2>&1 || bad "priya's sync"
as bob -C "$tmp/bob" sync >"$tmp/out" 2>&1 || bad "bob's second sync: $(cat "$tmp/out")"
grep -q "taken back out" "$tmp/out" || bad "bob's sync did not say what it took back: $(cat "$tmp/out")"
as carol -C "$tmp/carol" sync >"$tmp/out" 2>&1 || bad "carol's second sync"
grep -q "new replica" "$tmp/out" || bad "carol's sync did not say it renewed: $(cat "$tmp/out")"
as priya -C "$tmp/priya" sync >/dev/null 2>&1 || bad "priya's second sync"
# The tie at carol's first task (the same clock as the removal) goes by replica id: at
# least her later two are refused, and every replica refuses the same ones.
n=$(tasks priya)
[ "$n" -le 1 ] || bad "priya holds $n of carol's tasks made after her removal"
for who in bob carol; do
	[ "$(tasks $who)" = "$n" ] || bad "$who holds $(tasks $who) of carol's tasks, priya $n"
	as $who -C "$tmp/$who" verify >"$tmp/out" 2>&1 || bad "verify on $who: $(grep PROBLEM "$tmp/out")"
done
as bob -C "$tmp/bob" quarantine list | grep -q "removed from the case" ||
	bad "bob's quarantine does not name the removal"
replica_after=$(sqlite3 "$tmp/carol/casefile.db" "SELECT value FROM meta WHERE key = 'replica'")
[ "$replica_before" != "$replica_after" ] || bad "carol's cut replica was not renewed"

# Carol added again: her next change is taken everywhere, from her new replica.
as priya -C "$tmp/priya" member add carol-2 "$(idof carol)" >/dev/null || bad "add carol again"
as priya -C "$tmp/priya" sync >/dev/null 2>&1 && as carol -C "$tmp/carol" sync >/dev/null 2>&1 ||
	bad "sync the re-add"
as carol -C "$tmp/carol" task add "carol back" >/dev/null 2>"$tmp/err" || bad "carol back: $(cat "$tmp/err")"
for who in carol priya bob carol priya bob; do as $who -C "$tmp/$who" sync >/dev/null 2>&1 || bad "sync $who"; done
as priya clone "$S" "$tmp/fresh" >/dev/null 2>&1 || bad "fresh clone"
as priya -C "$tmp/priya" export case --format json -o "$tmp/ref.json" >/dev/null
for who in bob carol fresh; do
	as priya -C "$tmp/$who" export case --format json -o "$tmp/$who.json" >/dev/null
	cmp -s "$tmp/ref.json" "$tmp/$who.json" || bad "$who's case differs from priya's"
done
grep -q "carol back" "$tmp/ref.json" || bad "carol's change after her re-add was not taken"

# Seeded rounds: three in every run, thirty under make stress.
seeds="${ROUNDS_SEEDS:-1 2 3}"
[ "${CASEFILE_STRESS:-}" = 1 ] && seeds=$(seq 1 30)
refused=0
for seed in $seeds; do
	python3 "$CASEFILE_SRC/tests/member_rounds.py" "$seed" 100 10 >"$tmp/rounds" 2>&1 ||
		bad "$(cat "$tmp/rounds")"
	refused=$((refused + $(sed -n 's/^refused after removal: //p' "$tmp/rounds")))
done
[ "$refused" -gt 0 ] || bad "no round refused a change made after a removal: the rounds test nothing"
[ $fail -eq 0 ] && echo "ok: t_member_rounds (seeds $(echo $seeds | tr '\n' ' '), $refused refused after removal)"
exit $fail
