#!/bin/sh
# t_deadlines.sh — `casefile rules` and `casefile deadlines` on the demo case: the JSON has the
# documented keys and dates, the notices are updated without duplicates, enable/disable edit
# rule_packs through an operation, and a broken user rule file stops with FILE:LINE.
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export CASEFILE_RULES_DIR="$CASEFILE_SRC/store/deadline/rules" XDG_CONFIG_HOME="$tmp/cfg"
cf() { "$CASEFILE_BIN" -C "$tmp/demo" "$@"; }
fail() { echo "FAIL: $*"; exit 1; }

"$CASEFILE_BIN" demo "$tmp/demo" >/dev/null
cf deadlines --at 2019-06-03T12:00Z --json >"$tmp/d.json"
python3 - "$tmp/d.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
by = {x["rule"]: x for x in d}
for x in d:
    for k in ("rule", "recipient", "due", "status", "source", "due_local", "title", "deadline"):
        assert k in x, (x["rule"], k)
assert by["federal.congress-7d"]["due_local"].startswith("2019-06-07T23:59:59"), by
assert by["federal.congress-7d"]["due"] == "2019-06-08T03:59:59Z"
assert by["federal.breach-report-30d"]["due_local"].startswith("2019-06-30"), by
assert by["federal.cisa-1h"]["status"] == "overdue"
assert by["federal.congress-7d"]["status"] == "upcoming"
assert by["federal.congress-supplemental"]["deadline"] == "soft"
assert by["federal.congress-supplemental"]["due"] is None
assert len(by["federal.breach-report-30d"]["contents"]) == 4
assert by["federal.congress-7d"]["notice"]
PY
# CISA, Congress, Inspector General, breach report: the demo's three and one made.
[ "$(cf notice list | wc -l)" -eq 4 ] || fail "notices duplicated"
cf deadlines >/dev/null
[ "$(cf notice list | wc -l)" -eq 4 ] || fail "notices duplicated on re-run"
cf notice list | grep -q "2019-06-07T23:59:59-04:00" || fail "notice due not recorded"

cf deadlines --advisories --json | grep -q "floor, not a ceiling" || fail "advisory"
cf deadlines --at 2019-06-03 | grep -q "^advisory: the 100,000-people threshold" || fail "text"

# enable / disable edit rule_packs through case_set, so the change is in the log.
cf rules enable gdpr >/dev/null
cf show --json | grep -q '"rule_packs": "federal,gdpr"' || fail "enable"
cf log | grep -q "rule_packs: federal -> federal,gdpr" || fail "enable not in the log"
cf deadlines --json | grep -q '"gdpr.art33-authority-72h"' || fail "gdpr not in force"
cf rules disable gdpr >/dev/null
cf show --json | grep -q '"rule_packs": "federal"' || fail "disable"
cf rules disable federal >/dev/null
cf show --json | grep -q '"rule_packs": "none"' || fail "disable the last pack"
cf deadlines | grep -q "no notification is owed" || fail "no pack, no deadline"
cf rules enable federal >/dev/null
cf show --json | grep -q '"rule_packs": "federal"' || fail "enable after none"
if cf rules enable no-such-pack 2>"$tmp/err"; then fail "unknown pack accepted"; fi
grep -q "no rule pack 'no-such-pack'" "$tmp/err" || fail "unknown pack message"

cf rules list | grep -q "^\* federal" || fail "list marks the pack in force"
cf rules show federal.breach-report-30d | grep -q "Pub. L. 113-283" || fail "show source"
cf rules show sec.8k-item105-4bd >"$tmp/show"
grep -q "^due at *17:30 America/New_York" "$tmp/show" || fail "show due_time/due_zone"
grep -q "^verified *2026-12-04" "$tmp/show" || fail "show verified"
grep -q "^url *https://" "$tmp/show" || fail "show url"
# A rule's caveat is printed next to it.
cf deadlines --at 2019-06-03 | grep -q "caveat: 1 hour from the incident's identification" ||
	fail "caveat not printed"

# A broken user rule file: FILE:LINE, exit 1, and nothing computed from a half-loaded set.
mkdir -p "$tmp/cfg/casefile/rules"
printf 'pack = federal\n[rule mine]\ntitle = x\nwithin = 2 weeks\n' \
	>"$tmp/cfg/casefile/rules/mine.rules"
if cf deadlines 2>"$tmp/err" >/dev/null; then fail "broken rules accepted"; fi
grep -q "mine.rules:4: within" "$tmp/err" || { cat "$tmp/err"; fail "no FILE:LINE"; }
cf rules check "$tmp/cfg/casefile/rules/mine.rules" 2>/dev/null && fail "check passed"
rm "$tmp/cfg/casefile/rules/mine.rules"

# A user rule with the same id replaces the shipped one.
printf 'pack = federal\n[rule congress-7d]\ntitle = Mine\ntrigger = major_basis\nwithin = 3 days\nrecipient = r\nsource = s\n' \
	>"$tmp/cfg/casefile/rules/mine.rules"
cf deadlines --json | grep -q '"due_local": "2019-06-03T23:59:59-04:00"' || fail "override"
# The issue's repro: 340 Texans and 620 Washingtonians, nobody else: no Colorado or Florida
# notice; Texas (250 or more) and Washington (more than 500) Attorneys General are owed.
s="$tmp/states"
"$CASEFILE_BIN" init "$s" --title "States" --tz America/Chicago --discovered 2024-03-08 >/dev/null
cs() { "$CASEFILE_BIN" -C "$s" "$@"; }
cs rules enable us-states >/dev/null
cs case edit --breach_determined 2024-03-20 >/dev/null
cs estimate add "people affected" people --high 340 --as-of 2024-03-21 --jurisdiction US-TX >/dev/null
cs estimate add "people affected" people --high 620 --as-of 2024-03-21 --jurisdiction US-WA >/dev/null
cs deadlines --at 2024-03-21 --json >"$tmp/s.json"
python3 - "$tmp/s.json" <<'PY'
import json, sys
by = {x["rule"]: x for x in json.load(open(sys.argv[1]))}
for gone in ("us-states.co-ag-30d", "us-states.fl-ag-30d", "us-states.co-residents-30d"):
    assert gone not in by, gone
assert by["us-states.tx-ag-30d"]["jurisdiction"] == "US-TX"
assert by["us-states.wa-ag-30d"]["status"] == "upcoming"
assert by["us-states.tx-individuals-60d"]["due_local"] == "2024-05-19T23:59:59-05:00", by
PY
cs show | grep -q "340 people (as of 2024-03-21), residents of Texas (US-TX)" ||
	fail "show: the estimate's jurisdiction"
if cs estimate add "people affected" people --high 9 --as-of 2024-03-21 --jurisdiction Texas \
	2>"$tmp/err" >/dev/null; then fail "a jurisdiction not a code was accepted"; fi
cs estimate add "people affected" people --high 2000 --as-of 2024-03-22 >/dev/null
cs deadlines --at 2024-03-21 | grep -q "residents of Colorado unknown: add an estimate" ||
	fail "unknown residents not said"
# init --packs: the packs in force from the start, no federal pack unless named; a pack that is
# not installed is refused before anything is made.
"$CASEFILE_BIN" init "$tmp/hc" --packs hipaa,us-states >/dev/null
"$CASEFILE_BIN" -C "$tmp/hc" show --json | grep -q '"rule_packs": "hipaa,us-states"' ||
	fail "init --packs"
if "$CASEFILE_BIN" init "$tmp/bad" --packs hipaa,nosuch 2>"$tmp/err"; then fail "bad pack"; fi
grep -q "no rule pack 'nosuch'" "$tmp/err" || fail "bad pack message"
[ -e "$tmp/bad" ] && fail "a refused init left a directory"
# Without --packs the federal pack is in force only for a federal agency (org_type).
packs() { "$CASEFILE_BIN" -C "$1" show --json | python3 -c \
	'import json,sys; d=json.load(sys.stdin); c=d.get("case", d); print(c.get("rule_packs"), c.get("org_type"))'; }
"$CASEFILE_BIN" init "$tmp/co" --discovered 2024-03-08 >/dev/null
[ "$(packs "$tmp/co")" = "none None" ] || fail "init: federal pack without a federal agency"
"$CASEFILE_BIN" -C "$tmp/co" deadlines --json | grep -q '"federal\.' && fail "federal rules owed"
"$CASEFILE_BIN" init "$tmp/fa" --discovered 2024-03-08 --federal-agency >/dev/null
[ "$(packs "$tmp/fa")" = "federal federal-agency" ] || fail "init --federal-agency"
"$CASEFILE_BIN" -C "$tmp/fa" deadlines --json | grep -q '"federal.breach-report-30d"' ||
	fail "a federal agency's case has no federal deadline"
"$CASEFILE_BIN" init "$tmp/ot" --org-type company >/dev/null
[ "$(packs "$tmp/ot")" = "none company" ] || fail "init --org-type company"
"$CASEFILE_BIN" init "$tmp/fp" --org-type federal-agency --packs hipaa >/dev/null
[ "$(packs "$tmp/fp")" = "hipaa federal-agency" ] || fail "--packs is kept as given"
if "$CASEFILE_BIN" init "$tmp/dis" --org-type company --federal-agency 2>"$tmp/err"; then
	fail "disagreeing --org-type and --federal-agency"; fi
grep -q "disagree" "$tmp/err" || fail "disagreement message"
[ -e "$tmp/dis" ] && fail "a refused init left a directory"
if "$CASEFILE_BIN" init "$tmp/badtype" --org-type agency 2>"$tmp/err"; then
	fail "an org_type not in the list"; fi
[ -e "$tmp/badtype" ] && fail "a refused --org-type left a directory"
"$CASEFILE_BIN" -C "$tmp/co" case edit --org-type federal-agency >/dev/null
[ "$(packs "$tmp/co")" = "none federal-agency" ] || fail "case edit --org-type"
"$CASEFILE_BIN" -C "$tmp/co" deadlines | grep -q "casefile.federal-agency" ||
	fail "no advisory: a federal agency's case without the federal pack"
"$CASEFILE_BIN" -C "$tmp/fa" deadlines | grep -q "casefile.federal-agency" &&
	fail "the advisory with the federal pack in force"
[ "$(packs "$tmp/demo")" = "federal federal-agency" ] || fail "the demo is a federal agency's case"

# rules coverage: every U.S. jurisdiction listed, covered or not, with verified dates.
cf rules coverage >"$tmp/cov"
grep -q "^U.S. jurisdictions: [0-9]* of 54 covered" "$tmp/cov" || fail "coverage count"
[ "$(grep -c '^  US-' "$tmp/cov")" -eq 54 ] || fail "coverage lists 54 jurisdictions"
grep -q "^  US-VI  U.S. Virgin Islands" "$tmp/cov" || fail "coverage: territories"
grep -q "us-states.tx-ag-30d .*2026-12-04" "$tmp/cov" || fail "coverage: verified date"
grep -q "federal.cisa-1h .*official" "$tmp/cov" || fail "coverage: regimes"
cf rules coverage --json >"$tmp/cov.json"
python3 - "$tmp/cov.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
us = [j for j in d["jurisdictions"] if j["code"].startswith("US-")]
assert len(us) == 54 and d["us_jurisdictions_total"] == 54, len(us)
assert d["us_jurisdictions_covered"] == sum(1 for j in us if j["rules"])
for j in d["jurisdictions"]:
    for r in j["rules"]:
        assert r["verified"] and r["status"] in ("official", "secondary", "proposed"), r
assert any(p["pack"] == "federal" and p["rules"] for p in d["regimes"])
PY
echo ok
