#!/usr/bin/env bash
# Staff on the kiosk, end to end, with the real kiosk, kioskctl and the fake council:
#  1. A volunteer signs in (hidden entry, PIN), helps a resident send a form, records help given
#     and signs out; the council receives the form with assisted=true and the volunteer's staff
#     id (never the name), and the help record.
#  2. An admin signs in, finds one form held back by the council (--reject-service), tries it
#     again, changes a setting, adds a volunteer and switches the account off, looks at the
#     charts and exports a bundle and the usage CSV to a USB folder;
#     `kioskctl bundle verify` and `bundle open` read it with the council key.
#  3. `kioskctl audit verify` passes, then fails, naming the row, after sqlite3 edits one.
#  4. Every staff screen passes the accessibility checks at 200 % text in high contrast too.
#  5. Nothing typed survives where it should not: the resident's free text, the PIN and the
#     passphrase appear in no file of the data directory (database, WAL), no log and no export.
#
# usage: staff_on_the_kiosk.sh KIOSK KIOSKCTL FAKE_COUNCIL WORK_DIR
set -euo pipefail

kiosk="$1"; kioskctl="$2"; fake_council="$3"; work="$4"
here="$(cd "$(dirname "$0")" && pwd)"
fail() { echo "FAIL: $*" >&2; exit 1; }
council_pid=""
cleanup() { if [ -n "$council_pid" ]; then kill "$council_pid" 2>/dev/null || true; wait "$council_pid" 2>/dev/null || true; fi; }
trap cleanup EXIT

pin="58317926"
passphrase="correct horse battery staple"
free_text="Blue gate code 4417"

rm -rf "$work"; mkdir -p "$work/data" "$work/usb/KIOSK-USB" "$work/shots"
"$kioskctl" keys generate --out-dir "$work/keys" >/dev/null
secret="whsec_c3RhZmYtdGVzdC13ZWJob29rLXNlY3JldA=="
"$fake_council" --port 0 --port-file "$work/port" --secret-key-file "$work/keys/council.key" \
  --device-token staff-test-token --webhook-secret "$secret" --reject-service fly-tipping \
  >"$work/council.log" 2>&1 &
council_pid=$!
for _ in $(seq 1 100); do [ -s "$work/port" ] && break; sleep 0.05; done
[ -s "$work/port" ] || fail "the fake council did not start"
api="http://127.0.0.1:$(cat "$work/port")"
# Every destination name the sample pack uses goes to the fake council: this test is about staff.
cat >"$work/kiosk.json" <<JSON
{
  "kioskId": "staff-test-kiosk",
  "referencePrefix": "E2E",
  "packDirectory": "$(cd "$here/../../assets/packs/sample-district" && pwd)",
  "dataDirectory": "$work/data",
  "council": {"apiBaseUrl": "$api", "publicKey": "$(cat "$work/keys/council.pub")",
              "deviceToken": "staff-test-token", "webhookSecret": "$secret"},
  "destinations": {"kiosk-api": {"type": "kiosk-api"}, "open311": {"type": "kiosk-api"},
                   "email": {"type": "kiosk-api"}, "webhook": {"type": "kiosk-api"}},
  "network": {"connectTimeoutSeconds": 2, "totalTimeoutSeconds": 10, "firstSyncMaxDelaySeconds": 0}
}
JSON
ctl() { "$kioskctl" "$@" --config "$work/kiosk.json"; }
KIOSK_EXTRA=()
run_kiosk() {  # run_kiosk NAME SCRIPT (KIOSK_EXTRA: more options)
  "$kiosk" --headless --size 1920x1080 --no-sync --check-accessibility "${KIOSK_EXTRA[@]}" --config "$work/kiosk.json" \
    --usb-root "$work/usb" --script "$2" --screenshots "$work/shots/$1" >"$work/$1.log" 2>&1 \
    || { cat "$work/$1.log" >&2; fail "the $1 script did not complete"; }
}

# Accounts, made as an admin would on the kiosk's own computer (the secret twice on stdin).
printf '%s\n%s\n' "$passphrase" "$passphrase" | ctl staff add --role admin --name "Sam Admin" >/dev/null
printf '%s\n%s\n' "$pin" "$pin" | ctl staff add --role volunteer --name "Priya Shah" >/dev/null
volunteer_id="$(ctl staff list | awk '/Priya Shah/ {print $1}')"
[[ "$volunteer_id" == stf-* ]] || fail "no staff id for the volunteer: $(ctl staff list)"

# ---- 1. the volunteer --------------------------------------------------------------------
run_kiosk volunteer "$here/staff/volunteer-helps-a-resident.txt"
ctl sync --once >/dev/null
received="$(curl -fsS "$api/admin/received")"
[ "$(jq length <<<"$received")" = 1 ] || fail "the council holds $(jq length <<<"$received") forms, not 1"
[ "$(jq -r '.[0].assisted' <<<"$received")" = true ] || fail "the form was not marked assisted: $received"
[ "$(jq -r '.[0].volunteerId' <<<"$received")" = "$volunteer_id" ] || fail "wrong volunteer id: $received"
help="$(curl -fsS "$api/admin/help-sessions")"
[ "$(jq length <<<"$help")" = 1 ] || fail "the council holds $(jq length <<<"$help") help records, not 1"
[ "$(jq -r '.[0].record.volunteerId // .[0].volunteerId' <<<"$help")" = "$volunteer_id" ] || fail "help record: $help"
[ "$(jq -r '.[0].record.topic // .[0].topic' <<<"$help")" = nhs-app ] || fail "help topic: $help"
grep -q "Priya" <<<"$received$help" && fail "the volunteer's name reached the council"

# ---- 2. the admin ------------------------------------------------------------------------
# A second resident reports fly-tipping, which this council holds back.
run_kiosk resident "$here/../e2e/fly-tipping.txt"
ctl sync --once >/dev/null
[ "$(ctl status --json | jq -r .queue.held_back)" = 1 ] || fail "expected one held-back form"
run_kiosk admin "$here/staff/admin-looks-after-the-kiosk.txt"
status="$(ctl status --json)"
[ "$(jq -r .queue.held_back <<<"$status")" = 0 ] || fail "Try again left the form held back: $status"
[ "$(jq -r .queue.sealed <<<"$status")" = 1 ] || fail "Try again did not put the form back in the queue: $status"
csv="$(ls "$work/usb/KIOSK-USB"/council-kiosk-usage-*.csv 2>/dev/null | head -1)"
[ -n "$csv" ] || fail "no usage CSV in the USB folder"
head -1 "$csv" | grep -q "^date,event,service_id,language,assisted,topic,count" || fail "usage CSV header: $(head -1 "$csv")"
grep -q "form_sent,missed-bin,en,yes" "$csv" || fail "the assisted missed-bin form is not in the usage CSV"
bundle="$(ls "$work/usb/KIOSK-USB"/council-kiosk-export-*.json 2>/dev/null | head -1)"
[ -n "$bundle" ] || fail "no bundle in the USB folder"
"$kioskctl" bundle verify "$bundle" >"$work/verify.txt" || fail "bundle verify: $(cat "$work/verify.txt")"
grep -q "staff-test-kiosk" "$work/verify.txt" || fail "bundle verify does not name the kiosk"
"$kioskctl" bundle open "$bundle" --council-key "$work/keys/council.key" >"$work/opened.jsonl" \
  || fail "bundle open failed"
[ "$(wc -l <"$work/opened.jsonl")" = 1 ] || fail "the bundle opened to $(wc -l <"$work/opened.jsonl") forms"
grep -q '"fly-tipping"' "$work/opened.jsonl" || fail "the opened bundle is not the fly-tipping form"
saved_idle="$(sqlite3 "$work/data/kiosk.db" "SELECT value FROM hub_settings WHERE key = 'idle_timeout_seconds'" 2>/dev/null || true)"
[ "$saved_idle" = 180 ] || fail "the setting was not saved (got '$saved_idle')"

# The council confirms it has the bundle: its form is never sent again, and that is audited.
ctl mark-delivered --bundle "$bundle" >/dev/null || fail "mark-delivered failed"
[ "$(ctl status --json | jq -r .queue.delivered_out_of_band)" = 1 ] || fail "the form was not marked out of band"

# ---- 3. the audit log --------------------------------------------------------------------
ctl audit verify >"$work/audit.txt" || fail "audit verify failed on an untouched log: $(cat "$work/audit.txt")"
ctl audit show --limit 100 >"$work/audit-show.txt"
ctl staff list | grep -q "Jo Bloggs.*\[disabled\]" || fail "the new volunteer is not switched off: $(ctl staff list)"
for action in sign_in_failed sign_in sign_out retry_held_back settings_changed export marked_delivered_out_of_band staff_added staff_disabled; do
  grep -q "$action" "$work/audit-show.txt" || fail "the audit log has no $action row"
done
sqlite3 "$work/data/kiosk.db" "DROP TRIGGER IF EXISTS audit_log_no_update;
  UPDATE audit_log SET detail = 'nothing happened' WHERE sequence = 2;" 2>"$work/sqlite.err" \
  || fail "could not edit the audit log: $(cat "$work/sqlite.err")"
if ctl audit verify >"$work/audit-bad.txt" 2>&1; then fail "audit verify passed after a row was edited"; fi
grep -q "2" "$work/audit-bad.txt" || fail "audit verify did not name the edited row: $(cat "$work/audit-bad.txt")"

# ---- 4. every staff screen at 200 % text in high contrast, with the accessibility checks ------
KIOSK_EXTRA=(--text-size 200 --high-contrast)
run_kiosk tour-200 "$here/staff/staff-screens-tour.txt"
KIOSK_EXTRA=()

# ---- 5. nothing typed left behind --------------------------------------------------------
for needle in "$free_text" "$pin" "$passphrase"; do
  if grep -rlaF -- "$needle" "$work/data" "$work/usb" "$work"/*.log "$work/verify.txt" >"$work/found.txt"; then
    fail "'$needle' found in: $(tr '\n' ' ' <"$work/found.txt")"
  fi
done
echo "PASS: staff on the kiosk: volunteer ($volunteer_id) assisted form and help record delivered," \
  "admin retried, saved a setting and exported; audit log checked; nothing typed left on disk"
