# evidence.setup.sh — two evidence files hashed when added; then one is changed and the other
# removed, so verify finds a mismatch and a missing file.
B=${CASEFILE_BIN:?}
set -e
printf 'disk image of the lane 3 camera\n' >"$W/lane3.img"
printf 'vendor access log\n' >"$W/access.log"
"$B" -C "$C" evidence add "$W/lane3.img" --description "Lane 3 camera disk image" \
	--collected-by forensics --collected-at 2019-06-02T09:00-04:00 >/dev/null
"$B" -C "$C" evidence add "$W/access.log" --description "Vendor access log" \
	--collected-by forensics --collected-at 2019-06-03T09:00-04:00 >/dev/null
printf 'tampered\n' >>"$W/lane3.img"
rm "$W/access.log"
