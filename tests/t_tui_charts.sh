#!/bin/sh
# t_tui_charts.sh — the TUI's Population chart draws the numbers the briefing's chart draws
# (one home: export/series.c): on the demo, for every estimate category, the scale and each
# revision's date and words on the screen are those of the HTML briefing's SVG figure.  And in
# a locale without UTF-8 the charts are ASCII (no box or block character reaches the screen).
set -u
B=${CASEFILE_BIN:?}
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
export CASEFILE_NOW=2020-10-01T12:00:00Z CASEFILE_RULES_DIR="$CASEFILE_SRC/store/deadline/rules"
export TZ=UTC LC_ALL=C.UTF-8 TERM=xterm-256color
unset VISUAL NO_COLOR CASEFILE_DIR
fail=0
bad() { echo "FAIL: $*"; fail=1; }

"$B" demo "$T/case" >/dev/null || exit 1
"$B" -C "$T/case" export briefing --profile sitrep --format html -o "$T/b.html" 2>/dev/null ||
	bad "export briefing html"
n=$("$B" -C "$T/case" estimate list | wc -l)
[ "$n" -ge 3 ] || bad "the demo has $n estimates"
{ echo "key 3"; i=0
  while [ $i -lt "$n" ]; do echo "dump row $i"; echo "key j"; i=$((i + 1)); done; } >"$T/k"
CASEFILE_TUI_SIZE=132x40 CASEFILE_TUI_SCRIPT="$T/k" CASEFILE_TUI_OUT="$T/out" timeout 30 \
	"$B" -C "$T/case" --at now </dev/null \
	>/dev/null 2>"$T/err" || { cat "$T/err"; bad "tui"; }

python3 - "$T/b.html" "$T/out" <<'PY' || bad "the TUI's chart and the briefing's differ"
import re, sys, html
page = open(sys.argv[1], encoding="utf-8").read()
svg = {}
for fig in re.findall(r'<figure class="chart">(.*?)</figure>', page, re.S):
    title = html.unescape(re.search(r"<title>(.*?)</title>", fig).group(1))
    if not title.startswith("Estimates: "):
        continue
    texts = [html.unescape(t) for t in re.findall(r"<text[^>]*>(.*?)</text>", fig)]
    # The scale (three ticks), then each revision's words and its date.
    svg[title[len("Estimates: "):]] = (texts[:3], list(zip(texts[4::2], texts[3::2])))
screens = open(sys.argv[2], encoding="utf-8").read().split("=== ")[1:]
seen = {}
for sc in screens:
    lines = sc.split("\n")
    i = next(k for k, l in enumerate(lines) if re.match(r"-- .* \(\w+\): \d+ revision", l))
    cat = re.match(r"-- (.*) \(\w+\): ", lines[i]).group(1)
    scale = lines[i + 1].split()
    rows = []
    for l in lines[i + 2:]:
        m = re.match(r"^[> ] (\S+) [ ·├─┤│●]*?([0-9an].*)$", l)
        if not m:
            break
        rows.append((m.group(1), m.group(2).strip()))
    seen[cat] = (scale, rows)
if not svg or set(seen) != set(svg):
    sys.exit("categories: TUI %s, briefing %s" % (sorted(seen), sorted(svg)))
for cat in svg:
    if seen[cat] != svg[cat]:
        sys.exit("%s: TUI %s, briefing %s" % (cat, seen[cat], svg[cat]))
print("ok:", len(svg), "categories")
PY

# Without UTF-8: the same chart in ASCII, and the ruler too.
printf 'key 3\ndump population\nkey 2 r\ndump ruler\n' >"$T/a"
LC_ALL=C CASEFILE_TUI_SCRIPT="$T/a" CASEFILE_TUI_OUT="$T/ascii" timeout 30 "$B" -C "$T/case" --at now \
	</dev/null >/dev/null 2>"$T/err" || { cat "$T/err"; bad "tui in the C locale"; }
LC_ALL=C grep -q "$(printf '\342\224')\|$(printf '\342\226')\|$(printf '\342\227')" "$T/ascii" &&
	bad "box or block characters in the C locale"
grep -q '^> 2019-06-10 \.  *\[-*\]  *\. 10,000 to 99,999$' "$T/ascii" ||
	bad "no ASCII bar: $(grep -m1 '2019-06-10 ' "$T/ascii")"
grep -q '^  2020-09-21 \.  *\.  *\* 184,000$' "$T/ascii" || bad "no ASCII best estimate"
grep -q '^\^ 2018-08-01  *2020-09-21$' "$T/ascii" || bad "no ASCII ruler mark"
exit $fail
