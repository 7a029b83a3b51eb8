# reports_pdf.setup.sh — a VERIS JSON committed, then the briefing as a PDF twice, a new fact
# between (each at its own clock), then as a PDF on A4 paper (the Markdown unchanged).
B=${CASEFILE_BIN:?}
CASEFILE_NOW=2019-06-05T12:00:00Z "$B" -C "$C" export veris --commit >/dev/null 2>&1 || exit 1
CASEFILE_NOW=2019-06-05T12:00:00Z "$B" -C "$C" export briefing --format pdf --commit \
	>/dev/null 2>&1 || exit 1
export CASEFILE_NOW=2019-06-06T12:00:00Z
"$B" -C "$C" event add 2019-06-05T09:30Z "Vendor confirms the copied images" \
	--kind investigation --visibility congress --key yes >/dev/null || exit 1
"$B" -C "$C" export briefing --format pdf --commit >/dev/null 2>&1 || exit 1
export CASEFILE_NOW=2019-06-06T13:00:00Z
"$B" -C "$C" export briefing --format pdf --paper a4 --commit >/dev/null 2>&1 || exit 1
