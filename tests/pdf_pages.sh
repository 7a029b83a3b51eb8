# pdf_pages.sh — sourced by the PDF tests (t_pdf.sh, t_pdf_custody.sh): the page count of a
# PDF, and the check every page must pass: the marking banner first and last, "Page N of M"
# under it (M the real count), its text extracted page by page with pdftotext.  Needs $tmp
# and bad().
pages() { pdfinfo "$1" | sed -n 's/^Pages: *//p'; }

each_page() { # FILE MARKING
	n=$(pages "$1"); [ "${n:-0}" -ge 1 ] || { bad "$1: no pages"; return; }
	i=1
	while [ "$i" -le "$n" ]; do
		pdftotext -layout -f "$i" -l "$i" "$1" "$tmp/page.txt"
		sed '/^[[:space:]]*$/d; s/^[[:space:]]*//; s/[[:space:]]*$//' "$tmp/page.txt" \
			| tr -d '\f' >"$tmp/p"
		[ "$(head -1 "$tmp/p")" = "$2" ] || bad "$1 page $i: top line '$(head -1 "$tmp/p")'"
		[ "$(tail -2 "$tmp/p" | head -1)" = "$2" ] || bad "$1 page $i: no bottom banner"
		[ "$(tail -1 "$tmp/p")" = "Page $i of $n" ] ||
			bad "$1 page $i: '$(tail -1 "$tmp/p")', want 'Page $i of $n'"
		i=$((i + 1))
	done
}
