#!/usr/bin/env bash
# "Check on something I reported" with the council's own status, end to end: a missed-bin
# report delivered to open311-server and a bulky-waste form delivered to the fake council are
# looked up at a headless kiosk running its sync thread. The kiosk shows its own record, then
# what each council system says: Open311's GET requests/{id} ("open": being dealt with) and the
# kiosk API's GET /v1/submissions/{key}/status (set to closed through the fake council's
# /admin/status). Offline (no sync thread) only the kiosk's own record shows.
#
# usage: council_status.sh KIOSK KIOSKCTL FAKE_COUNCIL OPEN311_SERVER SEALER WORK_DIR
set -euo pipefail

kiosk="$1"; kioskctl="$2"; fake_council="$3"; open311_server="$4"; sealer="$5"; work="$6"

fail() { echo "FAIL: $*" >&2; exit 1; }
source "$(dirname "$0")/reliability_lib.sh"
trap stop_servers EXIT

rm -rf "$work"; mkdir -p "$work/data" "$work/shots"
"$kioskctl" keys generate --out-dir "$work/keys" >/dev/null
start_council "$fake_council" "$work" 0
start_open311 "$open311_server" "$work" 0
open311_endpoint="http://127.0.0.1:$open311_port/"
smtp_url=""
mail_ca=""
write_config "$work/kiosk.json" "$work/data" "http://127.0.0.1:$council_port" "" 1 4
# A heartbeat a second after start tells the kiosk it is online although it has nothing to send.
sed -i 's/"pollIntervalSeconds": 30}/"pollIntervalSeconds": 30, "heartbeatIntervalSeconds": 1}/' "$work/kiosk.json"
grep -q '"heartbeatIntervalSeconds": 1' "$work/kiosk.json" || fail "could not set the heartbeat interval"

"$sealer" --config "$work/kiosk.json" --count 2 --services missed-bin,bulky-waste >"$work/acks" ||
  fail "sealing failed"
mapfile -t references < <(awk '/^ACK/ {print $2}' "$work/acks")
[ "${#references[@]}" = 2 ] || fail "expected two acknowledged forms, got ${#references[@]}"
"$kioskctl" sync --once --config "$work/kiosk.json" >"$work/sync.log" 2>&1 || fail "sync failed (see $work/sync.log)"
delivered="$(queue_count "$work/data/kiosk.db" delivered)"
[ "$delivered" = 2 ] || fail "expected both forms delivered, $delivered were"

# A caseworker closes the bulky-waste case.
bulky_key="$(awk '/^ACK/ {print $3}' "$work/acks" | sed -n 2p)"
curl -fsS -d "" "http://127.0.0.1:$council_port/admin/status/$bulky_key?status=closed&updatedAt=2026-12-01T09:30:00Z" \
  >/dev/null || fail "the fake council did not take the status"

look_up() {  # look_up REFERENCE: from the services screen, the lines that check one reference
  cat <<SCRIPT
tap "Check on something I reported"
tap "Reference number"
type "$1"
tap "Check"
expect "Your report has been sent to the council."
SCRIPT
}
start='tap "Touch the screen to start"
tap "English"'
{
  echo "wait-online 20"
  echo "$start"
  look_up "${references[0]}"
  echo 'expect "The council is dealing with it."'
  echo 'shot open311-open'
  echo 'tap "Back"'
  look_up "${references[1]}"
  echo 'expect "The council has finished dealing with it."'
  echo 'expect "Last updated 01/12/2026 at 09:30."'
  echo 'shot kiosk-api-closed'
} >"$work/online.txt"
"$kiosk" --headless --size 1920x1080 --sync --config "$work/kiosk.json" --script "$work/online.txt" \
  --screenshots "$work/shots" >"$work/online.log" 2>&1 || { cat "$work/online.log" >&2; fail "the online lookups"; }

# Offline: the kiosk's own record only, never a stale or made-up council status.
{
  echo "$start"
  look_up "${references[1]}"
  echo 'expect-not "The council has finished dealing with it."'
} >"$work/offline.txt"
"$kiosk" --headless --size 1920x1080 --no-sync --config "$work/kiosk.json" --script "$work/offline.txt" \
  >"$work/offline.log" 2>&1 || { cat "$work/offline.log" >&2; fail "the offline lookup"; }
echo "PASS: council status shown for Open311 (open) and the kiosk API (closed); none offline"
