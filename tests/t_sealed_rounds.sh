#!/bin/sh
# t_sealed_rounds.sh — three replicas of a sealed case (priya the lead, bob and carol members)
# converge byte for byte (`export case --format json`) over seeded rounds of writes and syncs
# through a bare remote, while priya adds and removes a fourth member, dan, every few rounds
# (each removal a new epoch).  After the
# last round every replica syncs until nothing moves; their exports, quarantines (empty) and
# the remote's fsck are checked, and dan, removed at the end, reads none of the last epoch.
# CASEFILE_SEED (default 1) and CASEFILE_ROUNDS (default 100; make stress: 300 rounds of
# seeds 1-4) vary it.
set -u
B=$CASEFILE_BIN
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }
idof() { grep -o 'cf1\.[0-9a-f.]*' "$1"; }
as() { who=$1; shift; CASEFILE_IDENTITY="$tmp/$who.id" CASEFILE_AUTHOR="$who <$who@example.org>" "$B" "$@"; }
for who in priya bob carol dan; do
	as $who id init >"$tmp/$who.pub" 2>/dev/null || bad "id init $who"
done
S="$tmp/shared.git"

run_seed() {
	seed=$1 rounds=$2
	rm -rf "$tmp/priya" "$tmp/bob" "$tmp/carol" "$tmp/dan" "$S"
	as priya init "$tmp/priya" --sealed --title "Rounds $seed" >/dev/null || bad "init $seed"
	as priya -C "$tmp/priya" member add bob "$(idof "$tmp/bob.pub")" >/dev/null &&
		as priya -C "$tmp/priya" member add carol "$(idof "$tmp/carol.pub")" >/dev/null &&
		as priya -C "$tmp/priya" remote add origin "$S" &&
		as priya -C "$tmp/priya" sync >/dev/null || bad "share $seed"
	for who in bob carol; do
		as $who clone "$S" "$tmp/$who" >/dev/null 2>&1 || bad "clone $who ($seed)"
	done
	# The plan: one line a round, "WHO WHAT WORD", from the seed alone.
	awk -v seed="$seed" -v n="$rounds" 'BEGIN { srand(seed)
		split("priya bob carol", who, " ")
		split("event task note codename", what, " ")
		split("alpha bravo charlie delta echo foxtrot golf hotel india juliet", w, " ")
		for (i = 1; i <= n; i++) {
			if (i % 9 == 0) { print "priya dan " i; continue }
			print who[1 + int(rand() * 3)], what[1 + int(rand() * 4)], w[1 + int(rand() * 10)] i
		} }' >"$tmp/plan"
	dan=0
	while read -r who what word; do
		d="$tmp/$who"
		case $what in
		event) as $who -C "$d" event add 2019-06-01T12:00Z "seen $word" >/dev/null ;;
		task) as $who -C "$d" task add "do $word" >/dev/null ;;
		note) as $who -C "$d" note add "noted $word" >/dev/null ;;
		codename) as $who -C "$d" case edit --codename "$word" >/dev/null ;;
		dan)
			if [ $dan = 0 ]; then
				as priya -C "$d" member add dan "$(idof "$tmp/dan.pub")" >/dev/null; dan=1
			else
				as priya -C "$d" member rm dan >/dev/null; dan=0
			fi ;;
		esac || bad "round $word: $who $what ($seed)"
		as $who -C "$d" sync >"$tmp/out" 2>&1 || bad "round $word: $who's sync ($seed): $(cat "$tmp/out")"
	done <"$tmp/plan"
	if [ $dan = 1 ]; then # dan reads, is removed, and the last epoch is not his
		as dan clone "$S" "$tmp/dan" >/dev/null 2>&1 || bad "clone dan ($seed)"
		as priya -C "$tmp/priya" member rm dan >/dev/null || bad "rm dan ($seed)"
		as priya -C "$tmp/priya" event add 2019-06-02 "after dan quetzal$seed" >/dev/null
	fi
	for pass in 1 2; do
		for who in priya bob carol; do
			as $who -C "$tmp/$who" sync >"$tmp/out" 2>&1 || bad "final sync $who ($seed): $(cat "$tmp/out")"
		done
	done
	for who in priya bob carol; do
		as $who -C "$tmp/$who" export case --format json >"$tmp/$who.json" || bad "export $who"
		as $who -C "$tmp/$who" quarantine list >"$tmp/q" 2>&1
		grep -q "^nothing in quarantine" "$tmp/q" || bad "quarantine of $who ($seed): $(head -3 "$tmp/q")"
	done
	cmp -s "$tmp/priya.json" "$tmp/bob.json" && cmp -s "$tmp/priya.json" "$tmp/carol.json" ||
		bad "seed $seed: the replicas differ"
	grep -q "seen\|do \|noted" "$tmp/priya.json" || bad "seed $seed: nothing was written"
	git -C "$S" fsck --strict --no-dangling >"$tmp/out" 2>&1 || bad "fsck ($seed): $(cat "$tmp/out")"
	[ "$(git -C "$S" ls-tree --name-only main keys/ | wc -l)" -ge 2 ] || bad "seed $seed: one epoch only"
	if [ -d "$tmp/dan" ]; then
		as dan -C "$tmp/dan" sync >/dev/null 2>&1
		as dan -C "$tmp/dan" search "quetzal$seed" | grep -q . && bad "seed $seed: dan read after removal"
	fi
	return 0
}

if [ "${CASEFILE_STRESS:-}" = 1 ]; then
	for seed in 1 2 3 4; do run_seed $seed 300; done
else
	run_seed "${CASEFILE_SEED:-1}" "${CASEFILE_ROUNDS:-100}"
fi
exit $fail
