# fixture.sh — sourced by the TUI tests: builds the case $C the expected screens were made
# on.  Every list's sort keys differ, so no order depends on random ids (ids are masked).
B=${CASEFILE_BIN:?}
"$B" init "$C" --title "Harness case: lane camera breach" --codename TEST-LANE \
	--discovered 2019-05-31 --marking "CUI//SP-PRVCY" --tz America/New_York --federal-agency \
	>/dev/null || exit 1
"$B" -C "$C" case edit --status investigating --severity major --tlp amber >/dev/null
ev() { "$B" -C "$C" event add "$@" >/dev/null || exit 1; }
ev 2018-08/2019-01 "Images copied to the subcontractor's network" --kind exfiltration \
	--source "DHS OIG report OIG-20-71"
ev 2019-02 "Attack on the subcontractor (month known only)" --kind attack --source press
ev 2019-05-31 "CBP learns of the transfer" --kind discovery --source "AP, 2019-06-10"
ev 2019-05-31T14:02Z "Reasonable basis of a major incident" --kind decision --source demo
ev 2019-06-01 "Wide text: 旅客の画像 📷 über café" --kind other --source "東京 source"
ev 2019-06-02 "$(printf 'Hostile \033[2J clear, \033]0;pwned\007 title, \342\200\256bidi\342\200\254 end')" \
	--kind imported --source "$(printf 'attacker\033[31m log')"
ev 2019-06-10 "CBP makes the breach public" --kind statement --source "AP, 2019-06-10" \
	--details "$(printf 'First line of the details.\nSecond line: dark web monitoring.')"
ev 2019-06-10T16:00Z "Dark web monitoring finds nothing" --kind monitoring --source "AP"
ev 2020-09-21 "OIG report: 184,000 images" --kind investigation --source "OIG-20-71"
"$B" -C "$C" estimate add --category "travelers affected" --unit people --high 99999 \
	--as_of 2019-06-10 --source AP --reason "first figure" >/dev/null
"$B" -C "$C" estimate add --category "travelers affected" --unit people --best 184000 \
	--as_of 2020-09-21 --source OIG --reason "OIG count" >/dev/null
"$B" -C "$C" estimate add --category "plate images" --unit images --low 1000 \
	--as_of 2019-06-11 --source press >/dev/null
"$B" -C "$C" task add "Risk-of-harm assessment" --owner "privacy officer" --due 2019-06-14 \
	--priority p1 >/dev/null
"$B" -C "$C" task add "Confirm the count" --owner forensics --due 2019-06-21 --status doing \
	>/dev/null
"$B" -C "$C" task add "Old finished task" --owner counsel --due 2019-06-01 --status done \
	>/dev/null
"$B" -C "$C" note add "Learned of the transfer today." --at 2019-05-31T15:00Z \
	--author "IC" >/dev/null
"$B" -C "$C" note add "Statement out." --at 2019-06-10T18:00Z --author "IC" >/dev/null
"$B" -C "$C" evidence add --location "CBP custody" --description "Equipment removed" \
	--collected-by CBP --collected-at 2019-06-01T12:00-04:00 >/dev/null
"$B" -C "$C" deadlines >/dev/null
