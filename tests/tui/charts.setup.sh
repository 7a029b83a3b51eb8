# charts.setup.sh — for the text charts: the fixture's estimates deleted a day after it and
# entered again the day after that, with a category of twelve revisions (more than the chart
# has rows), one whose estimate has no number yet and one whose name is hostile (escaped on
# the screen): as of 2019-06-06T18:00 the case has no estimate at all.
B=${CASEFILE_BIN:?}
export CASEFILE_NOW=2019-06-06T12:00:00Z
"$B" -C "$C" estimate list --json | python3 -c '
import json, sys
for e in json.load(sys.stdin): print(e["id"])' >"$C.ids" || exit 1
while read -r id; do
	"$B" -C "$C" estimate rm "$id" >/dev/null || exit 1
done <"$C.ids"
rm -f "$C.ids"
export CASEFILE_NOW=2019-06-07T12:00:00Z
est() { "$B" -C "$C" estimate add "$@" >/dev/null || exit 1; }
est --category "travelers affected" --unit people --high 99999 --as_of 2019-06-10 --source AP
est --category "travelers affected" --unit people --best 184000 --as_of 2020-09-21 --source OIG
est --category "plate images" --unit images --low 1000 --as_of 2019-06-11 --source press
i=1
while [ $i -le 12 ]; do
	est --category "records exposed" --unit records --low $((i * 1000)) --best $((i * 1500)) \
		--high $((i * 2500)) --as_of "2019-07-$(printf %02d $i)" --source "count $i"
	i=$((i + 1))
done
est --category "unknown count" --unit people --as_of 2019-06-20 --source "no number yet"
est --category "$(printf 'zz hostile \033[2J clear, \342\200\256bidi\342\200\254 end')" --unit people \
	--best 5 --as_of 2019-06-21
