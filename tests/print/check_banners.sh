#!/bin/sh
# check_banners.sh — by hand, not in `make check` (it needs Chromium and poppler-utils):
# prints the demo's HTML exports to PDF with headless Chromium and checks that every printed
# page starts and ends with the marking banner.  Usage: sh tests/print/check_banners.sh
set -u
B=${CASEFILE_BIN:-$PWD/${BUILD:-build}/casefile}
command -v chromium >/dev/null && command -v pdftotext >/dev/null ||
	{ echo "needs chromium and pdftotext (apt-get install chromium poppler-utils)"; exit 2; }
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
"$B" demo "$T/case" >/dev/null || exit 1
fail=0
for args in "briefing --profile sitrep" "briefing --profile congressional" \
	"timeline --format html" "custody"; do
	name=$(echo "$args" | tr ' ' '_')
	case $args in *html*) fmt= ;; *) fmt="--format html" ;; esac
	# shellcheck disable=SC2086
	"$B" -C "$T/case" export $args $fmt >"$T/$name.html" || { fail=1; continue; }
	chromium --headless --no-sandbox --disable-gpu --no-pdf-header-footer \
		--print-to-pdf="$T/$name.pdf" "file://$T/$name.html" >/dev/null 2>&1
	pages=$(pdfinfo "$T/$name.pdf" 2>/dev/null | awk '/^Pages:/ { print $2 }')
	[ -n "$pages" ] || { echo "$args: no PDF"; fail=1; continue; }
	for p in $(seq 1 "$pages"); do
		text=$(pdftotext -f "$p" -l "$p" -layout "$T/$name.pdf" - | tr -d '\f' |
			awk 'NF { sub(/^ +/, ""); sub(/ +$/, ""); print }')
		first=$(printf '%s\n' "$text" | head -1) last=$(printf '%s\n' "$text" | tail -1)
		[ "$first" = "CUI//SP-PRVCY" ] && [ "$last" = "CUI//SP-PRVCY" ] ||
			{ echo "$args: page $p of $pages: first '$first', last '$last'"; fail=1; }
	done
	echo "$args: $pages printed pages checked"
done
exit $fail
