#!/bin/sh
# t_edit_delete.sh — a record edited on one replica while another deleted it is a conflict on
# both sides (never an edit dropped at sync): listed by `conflicts` with the value the case
# keeps ("kept": deleted) and the other (the edit), settled by `resolve ID @delete` taking
# other (restored with the edit) or kept (deleted, with the edit seen), on every replica.
set -u
B=$CASEFILE_BIN
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }
A="$tmp/alice" Bo="$tmp/bob" S="$tmp/shared.git"
cfa() { CASEFILE_AUTHOR="Alice <alice@example.org>" "$B" -C "$A" "$@"; }
cfb() { CASEFILE_AUTHOR="Bob <bob@example.org>" "$B" -C "$Bo" "$@"; }
sync_all() { cfa sync >/dev/null && cfb sync >"$tmp/bsync" && cfa sync >/dev/null; }

"$B" init "$A" --title "Shared" >/dev/null || exit 1
t1=$(cfa task add --title "Call counsel") || exit 1
t2=$(cfa task add --title "Image the laptop") || exit 1
cfa remote add origin "$S" && cfa sync >/dev/null || bad "first sync"
"$B" clone "$S" "$Bo" >/dev/null || bad "clone"

# Alice deletes t1 while Bob edits it; Bob deletes t2 while Alice edits it.
cfa task rm "$t1" || bad "alice's delete"
cfb task edit "$t1" --owner Bob --title "Call outside counsel" || bad "bob's edit"
cfb task rm "$t2" || bad "bob's delete"
cfa task edit "$t2" --status doing || bad "alice's edit"
sync_all || bad "syncs"
grep -q "2 new conflicts" "$tmp/bsync" || bad "bob's sync said: $(cat "$tmp/bsync")"
cfa conflicts --json >"$tmp/ca.json"; cfb conflicts --json >"$tmp/cb.json"
cmp -s "$tmp/ca.json" "$tmp/cb.json" || bad "the replicas list other conflicts"
python3 - "$tmp/ca.json" "$t1" "$t2" <<'EOF' || bad "conflicts --json: $(cat "$tmp/ca.json")"
import json, sys
c = {x["id"]: x for x in json.load(open(sys.argv[1]))}
one, two = c[sys.argv[2]], c[sys.argv[3]]
assert len(c) == 2, c
for x in (one, two):
    assert x["field"] == "@delete" and x["type"] == "task" and not x["resolved"], x
    assert x["kept"] == "deleted" and x["ours"] == x["kept"] and x["theirs"] == x["other"], x
assert one["other"] == "title 'Call outside counsel'; owner 'Bob'", one
assert one["kept_author"] == "Alice <alice@example.org>", one
assert one["other_author"] == "Bob <bob@example.org>", one
assert two["other"] == "status 'doing'", two
EOF
cfa conflicts | grep -q "@delete  *kept (deleted\|@delete  *kept 'deleted'" ||
	bad "conflicts (text) does not say kept: $(cfa conflicts)"
cfa conflicts | grep -q "other 'title 'Call outside counsel'" ||
	bad "conflicts (text) does not show the other side: $(cfa conflicts)"
cfa task show "$t1" >/dev/null 2>&1 && [ -n "$(cfa task list | grep "$(echo "$t1" | cut -c1-8)")" ] &&
	bad "the deleted task is listed before the conflict is resolved"

# A value is no answer to a delete; other restores with the edit; kept stays deleted.
cfa resolve "$t1" @delete --value x 2>"$tmp/err" && bad "a value resolved a delete conflict"
grep -q "give --take kept" "$tmp/err" || bad "resolve --value said: $(cat "$tmp/err")"
cfb resolve "$t1" @delete --take other >/dev/null || bad "resolve --take other"
cfa resolve "$t2" @delete --take kept >/dev/null || bad "resolve --take kept"
cfa resolve "$t2" @delete --take kept 2>/dev/null && bad "resolved twice"
sync_all || bad "syncs after resolve"
for side in cfa cfb; do
	[ -z "$($side conflicts)" ] || bad "$side still lists a conflict: $($side conflicts)"
	$side task list --json >"$tmp/l.json"
	python3 - "$tmp/l.json" "$t1" "$t2" <<'EOF' || bad "$side after resolve: $(cat "$tmp/l.json")"
import json, sys
live = {x["id"]: x for x in json.load(open(sys.argv[1]))}
assert sys.argv[2] in live and sys.argv[3] not in live, live
assert live[sys.argv[2]]["title"] == "Call outside counsel", live
assert live[sys.argv[2]]["owner"] == "Bob", live
EOF
	[ -z "$($side conflicts --all)" ] ||
		bad "$side: a settled delete conflict is still listed: $($side conflicts --all)"
done
"$B" -C "$A" export case --format json >"$tmp/a.json"
"$B" -C "$Bo" export case --format json >"$tmp/b.json"
cmp -s "$tmp/a.json" "$tmp/b.json" || bad "the replicas' exports differ after resolving"
exit $fail
