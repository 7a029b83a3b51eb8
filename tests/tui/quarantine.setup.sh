# quarantine.setup.sh — the case shared through a bare remote ($W/remote.git) that a hostile
# peer then writes to with plain git: a line that is not an operation, in a replica directory
# of its own, and the case's own ops/ file rewritten after the case wrote (and read) it.  The
# case's sync sets both aside and goes on.
B=${CASEFILE_BIN:?}
set -e
git init -q --bare "$W/remote.git"
"$B" -C "$C" remote add origin "$W/remote.git"
"$B" -C "$C" sync >/dev/null
git clone -q -b main "$W/remote.git" "$W/evil"
f=$(cd "$W/evil" && ls ops/*/*.jsonl | head -1)
sed -i 's/CBP learns of the transfer/CBP learns of nothing/' "$W/evil/$f"
mkdir -p "$W/evil/ops/zzzzzzzzzzzzzzzzzzzz"
echo 'this is not an operation' >"$W/evil/ops/zzzzzzzzzzzzzzzzzzzz/000000000001-000000000001.jsonl"
git -C "$W/evil" add -A
git -C "$W/evil" -c user.name=Mallory -c user.email=m@example.org commit -qm "poison"
git -C "$W/evil" push -q origin main
"$B" -C "$C" sync | grep -q "^2 received operations in quarantine, not applied"
