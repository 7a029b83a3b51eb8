#!/bin/sh
# t_list_filters.sh — `KIND list --kind/--status/--owner/--visibility/--since/--until`, text and
# --json, on a case built here: each filter keeps exactly the records it names, they combine,
# values are bound (never SQL), and a filter a kind lacks is an unknown option.
set -u
B=${CASEFILE_BIN:?}
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
unset CASEFILE_DIR
fails=0
die() { echo "FAIL: $*"; fails=$((fails + 1)); }
cf() { "$B" -C "$T/c" "$@"; }
# ids LIST-ARGS...: the summaries/titles the list prints, sorted, one line
names() { cf "$@" --json | sed -n 's/^ *"\(summary\|title\)": "\(.*\)",*$/\2/p' | sort | tr '\n' ' '; }

"$B" init "$T/c" --title filters --tz America/New_York >/dev/null || die "init"
cf event add 2019-05-31 "found" --kind discovery >/dev/null
cf event add 2019-06-10 "said" --kind statement --visibility public >/dev/null
cf event add 2019-06-30T23:30 "late june" --kind statement >/dev/null
cf event add 2019-07-01T01:00Z "still june in New York" --kind monitoring >/dev/null
cf event add 2018-08/2019-01 "copied" --kind exfiltration >/dev/null
cf task add "count" --owner forensics --status open --due 2019-06-21 >/dev/null
cf task add "assess" --owner "privacy office" --status done --due 2019-06-14 >/dev/null
cf task add "review" --owner counsel --status open >/dev/null
gone=$(cf task add "dropped" --owner forensics --status open)
cf task rm "$gone"

[ "$(names event list --kind statement)" = "late june said " ] || die "--kind: $(names event list --kind statement)"
[ "$(names event list --kind=statement --visibility public)" = "said " ] || die "--kind with --visibility"
[ "$(names task list --status open)" = "count review " ] || die "--status"
[ "$(names task list --owner forensics)" = "count " ] || die "--owner"
[ "$(names task list --owner forensics --all)" = "count dropped " ] || die "--owner --all"
[ "$(names task list --owner "privacy office" --status open)" = "" ] || die "--owner and --status"
# Times start in the case's zone; --until keeps all of the period it names; periods by start.
[ "$(names event list --since 2019-06)" = "late june said still june in New York " ] ||
	die "--since 2019-06: $(names event list --since 2019-06)"
[ "$(names event list --until 2019-06)" = "copied found late june said still june in New York " ] ||
	die "--until 2019-06: $(names event list --until 2019-06)"
[ "$(names event list --since 2019-06-01 --until 2019-06-10)" = "said " ] || die "since+until"
[ "$(names event list --since 2018-09)" != "" ] || die "--since 2018-09 finds nothing"
names event list --since 2018-09 | grep -q copied && die "--since kept a period that started before"
# A task without a due date has no time: not in a window.
[ "$(names task list --since 2019)" = "assess count " ] || die "task --since: $(names task list --since 2019)"
# Estimates (sorted by category first) and custody events (by item first) take the window too,
# by their own time (as_of, at), with --limit counting only what is kept.
cf estimate add "people, early" people 2019-06-01 --best 10 >/dev/null
cf estimate add "images, late" images 2019-07-02 --best 20 >/dev/null
cf estimate add "people, late" people 2019-06-20T23:30 --best 30 >/dev/null
[ "$(cf estimate list --since 2019-06-15 --json | sed -n 's/^ *"category": "\(.*\)",*$/\1/p' |
	sort | tr '\n' ' ')" = "images, late people, late " ] || die "estimate list --since"
[ "$(cf estimate list --until 2019-06 --json | sed -n 's/^ *"category": "\(.*\)",*$/\1/p' |
	sort | tr '\n' ' ')" = "people, early people, late " ] || die "estimate list --until 2019-06"
[ "$(cf estimate list --since 2019-06-15 --limit 1 | wc -l)" -eq 1 ] || die "estimate --limit"
ev=$(cf evidence add --location safe --collected-at 2019-06-01T09:00)
cf evidence transfer "$ev" --to Bob --at 2019-06-03T10:00 || die "transfer"
cf evidence transfer "$ev" --to Carol --at 2019-06-20T10:00 || die "transfer 2"
[ "$(cf custody list --since 2019-06-02 --until 2019-06-10 --json |
	sed -n 's/^ *"handler": "\(.*\)",*$/\1/p')" = "Bob" ] || die "custody list --since --until"
[ "$(cf custody list --since 2019-06-02 --json | sed -n 's/^ *"handler": "\(.*\)",*$/\1/p' |
	tr '\n' ' ')" = "Bob Carol " ] || die "custody list --since"
cf custody list --help | grep -q -- '--since' || die "custody list --help: no --since"
# The text form filters the same way.
[ "$(cf task list --owner forensics | wc -l)" -eq 1 ] || die "text list --owner"

# Values are data, never SQL.
[ "$(names task list --owner "forensics' OR '1'='1")" = "" ] || die "--owner value read as SQL"
# A bad value is refused, not an empty list; a filter the kind lacks is an unknown option.
cf task list --status finished >/dev/null 2>"$T/err" && die "--status finished accepted"
grep -q "not one of" "$T/err" || die "--status finished: $(cat "$T/err")"
cf event list --since "last week" >/dev/null 2>&1 && die "--since 'last week' accepted"
cf task list --kind x >/dev/null 2>"$T/err"; [ $? -eq 2 ] || die "task list --kind: not exit 2"
grep -q "unknown option '--kind'" "$T/err" || die "task list --kind: $(cat "$T/err")"
cf note list --kind x >/dev/null 2>&1; [ $? -eq 2 ] || die "note list --kind: not exit 2"
cf event list --help | grep -q -- '--kind WORD .*(collection|' || die "event list --help: --kind"
cf task list --help | grep -q -- '--kind' && die "task list --help offers --kind"

[ $fails -eq 0 ] && echo "list filters: kind, status, owner, visibility, since, until"
exit $((fails > 0))
