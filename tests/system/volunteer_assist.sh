#!/usr/bin/env bash
# A volunteer assisting: `kioskctl assist on` turns the session time limit off while the kiosk
# runs (WCAG 2.2.1), the form sent is marked assisted, and `assist off` brings the limit back.
# usage: volunteer_assist.sh COUNCIL_KIOSK KIOSKCTL E2E_CONFIG WORK_DIR
set -euo pipefail
kiosk="$1"; kioskctl="$2"; config="$3"; work="$4"
rm -rf "$work"; mkdir -p "$work/data"
kiosk_run() {  # kiosk_run SCRIPT
  "$kiosk" --headless --no-sync --config "$config" --data-dir "$work/data" --script "$1"
}

"$kioskctl" assist on --config "$config" --data-dir "$work/data"
[ -f "$work/data/volunteer-assisting" ] || { echo "FAIL: assist on left no flag"; exit 1; }
cat >"$work/assisted.txt" <<'SCRIPT'
tap "Touch the screen to start"
tap "English"
tap "Report a missed bin collection"
tap "Start now"
tap "Postcode"
type "ME14 1AA"
# Ten minutes without a touch: with a volunteer assisting, nobody is hurried.
wait 600
expect-not "Do you need more time?"
expect-screen question
tap "Find address"
tap "1 Acorn Way"
tap "Continue"
tap "General rubbish (black bin)"
tap "Continue"
tap "Day"
type "1"
tap "Month"
type "12"
tap "Year"
type "2025"
tap "Continue"
tap "Yes"
tap "Continue"
tap "Continue"
tap "Continue"
tap "Send"
expect "Your reference number"
SCRIPT
kiosk_run "$work/assisted.txt"
assisted="$(sqlite3 "$work/data/kiosk.db" "SELECT assisted FROM submissions")"
[ "$assisted" = "1" ] || { echo "FAIL: the form was not marked assisted ($assisted)"; exit 1; }

"$kioskctl" assist off --config "$config" --data-dir "$work/data"
[ ! -e "$work/data/volunteer-assisting" ] || { echo "FAIL: assist off left the flag"; exit 1; }
cat >"$work/alone.txt" <<'SCRIPT'
tap "Touch the screen to start"
tap "English"
tap "Report a missed bin collection"
wait 120
expect "Do you need more time?"
SCRIPT
kiosk_run "$work/alone.txt"
echo "PASS"
