# headline.setup.sh — a case with many per-state estimates (people) beside a larger count of
# the whole breach, and deadlines enough to be cut: the dashboard at 80x24 must still show the
# largest people estimate and the overdue / due-soon counts, and say what it cut.
B=${CASEFILE_BIN:?}
set -e
for st in Alabama Alaska Arizona Arkansas California Colorado Connecticut Delaware Florida \
	Georgia Texas; do
	"$B" -C "$C" estimate add "$st residents" people 2019-06-04 --best 310 --high 340 >/dev/null
done
"$B" -C "$C" estimate add "patients affected" people 2019-06-04 --best 48213 >/dev/null
for n in 1 2 3 4 5 6 7 8; do
	"$B" -C "$C" notice add "State attorney general $n" --due 2019-06-0$n >/dev/null
done
