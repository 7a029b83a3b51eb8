#!/bin/sh
# t_export_stream.sh — HTML and PDF pages render their Markdown piece by piece as it is written
# (export/md_stream.c), byte for byte as the whole document rendered at once
# (CASEFILE_RENDER=whole, the reference).  On the demo and on a case of 700 more events whose
# text holds pipes, HTML specials, Markdown starters, Unicode and ties, every briefing profile,
# the template using every construct (ordered and nested lists), the timeline and the custody
# report, in HTML and PDF, now, --as-of and --known-at; each also cut into many small pieces
# (CASEFILE_RENDER=BYTES), and the pieces counted, so that tables and lists were cut.
set -u
B=${CASEFILE_BIN:?}
S=${CASEFILE_SRC:?}
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
fail=0
bad() { echo "FAIL: $*"; fail=1; }
export TZ=UTC CASEFILE_RULES_DIR="$S/store/deadline/rules"
export XDG_CONFIG_HOME="$T/cfg" HOME="$T/home"
unset CASEFILE_TEMPLATES_DIR
mkdir -p "$HOME" "$XDG_CONFIG_HOME/casefile/templates"
cp "$S/tests/templates/all.md" "$XDG_CONFIG_HOME/casefile/templates/"

CASEFILE_NOW=2026-01-01T00:00:00Z "$B" demo "$T/demo" >/dev/null || exit 1
cp -r "$T/demo" "$T/big"
# 700 events in 350 ties of two, text made to look like Markdown and HTML at the start of a
# line and inside it: a cut in the wrong place, or a row rendered out of its table, shows.
python3 - "$T/ev.csv" <<'EOF' || exit 1
import csv, sys, time
starts = ["- dash", "1. one", "# hash", "> quote", "| pipe |", "```fence", "<div>",
          "* star", "---", "    indented", "<!-- open", "[ref]: /x", "Ünïcødé 漢字 🙂 مرحبا",
          "plain"]
with open(sys.argv[1], "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["message", "timestamp", "datetime", "timestamp_desc"])
    for i in range(700):
        t = 1559260800 + (i // 2) * 3600
        msg = "%s %d a|b <b>&amp;</b> `code` *em* _u_ \\ <script>x</script> %s" % (
            starts[i % len(starts)], i, "long " * (i % 40))
        if i % 97 == 0:
            msg += "\nsecond line\n\nafter a blank"
        w.writerow([msg, t * 1000000, time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(t)),
                    "Event Recorded"])
EOF
CASEFILE_NOW=2026-01-01T00:00:00Z "$B" -C "$T/big" import events "$T/ev.csv" >/dev/null ||
	bad "import"
id=$("$B" -C "$T/big" event list --json --limit 1 | grep -o '"id": *"[a-z0-9]*"' |
	sed 's/.*"\([a-z0-9]*\)"$/\1/')
CASEFILE_NOW=2026-01-02T00:00:00Z "$B" -C "$T/big" event edit "$id" --summary "| later |" \
	>/dev/null || bad "edit"
CASEFILE_NOW=2026-01-02T00:00:00Z "$B" -C "$T/big" event add 2019-06-01 "# added <later>" \
	--visibility public --key yes >/dev/null || bad "add"

# EXPORT ARGS...: the export streamed, cut small and whole must be the same bytes.
n=0
same() {
	c=$1
	shift
	"$B" -C "$c" export "$@" >"$T/a" 2>/dev/null || { bad "$c: export $*"; return; }
	CASEFILE_RENDER=whole "$B" -C "$c" export "$@" >"$T/b" 2>/dev/null ||
		{ bad "$c: export $* (whole)"; return; }
	CASEFILE_RENDER=300 "$B" -C "$c" export "$@" >"$T/c" 2>"$T/err" ||
		{ bad "$c: export $* (small pieces)"; return; }
	grep "render:" "$T/err" >>"$T/pieces"
	cmp -s "$T/a" "$T/b" || bad "$(basename "$c"): export $*: streamed differs from whole"
	cmp -s "$T/c" "$T/b" || bad "$(basename "$c"): export $*: small pieces differ from whole"
	[ -s "$T/b" ] || bad "$c: export $*: empty"
	n=$((n + 1))
}
for c in "$T/demo" "$T/big"; do
	for moment in "" "--as-of 2026-01-01T12:00" "--known-at 2019-06-05T12:00"; do
		for what in "briefing" "briefing --profile sitrep" "briefing --profile public" \
			"briefing --profile sitrep --template all" "timeline" "custody"; do
			for f in html pdf; do
				# shellcheck disable=SC2086
				same "$c" $what --format $f $moment
			done
		done
	done
done
[ "$n" = 72 ] || bad "$n exports compared, not 72"
# The small pieces went through tables and lists: the check above is not of one piece.
awk '{ p += $3; t += $5; l += $8 } END { exit !(p > 300 && t >= 6 && l >= 6) }' "$T/pieces" ||
	bad "too few cuts: $(awk '{ p += $3; t += $5; l += $8 } END { print p, t, l }' "$T/pieces")"
# The big case's timeline is one table in the HTML, every row once.
"$B" -C "$T/big" export timeline --format html >"$T/a" 2>/dev/null
[ "$(grep -c '<table>' "$T/a")" = 1 ] || bad "timeline html: $(grep -c '<table>' "$T/a") tables"
[ "$(grep -c '^<tr>' "$T/a")" -ge 714 ] || bad "timeline html: $(grep -c '^<tr>' "$T/a") rows"
exit $fail
