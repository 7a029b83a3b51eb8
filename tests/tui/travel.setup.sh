# travel.setup.sh — events entered on June 5 with the dates they were learned, for the
# known-at steps.
B=${CASEFILE_BIN:?}
"$B" -C "$C" event add 2019-06-01T09:00Z "Learned on June 2" --kind other --learned 2019-06-02 \
	>/dev/null || exit 1
"$B" -C "$C" event add 2019-06-08 "Learned on June 9" --kind other --learned 2019-06-09 \
	>/dev/null || exit 1
