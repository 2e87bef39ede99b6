#!/usr/bin/env bash
# The offline kiosk's way out: forms sealed while the council cannot be reached are exported to a
# "USB stick" with kioskctl, checked and opened with the council key, a flipped byte is caught and
# named, delivered from another machine's configuration to the council exactly once however often
# that is repeated, and finally marked delivered out of band on the kiosk.
#
# usage: export_bundle.sh SEALER KIOSKCTL FAKE_COUNCIL WORK_DIR
set -euo pipefail

sealer="$1"; kioskctl="$2"; fake_council="$3"; work="$4"
count=4

fail() { echo "FAIL: $*" >&2; exit 1; }
council_pid=""
cleanup() { if [ -n "$council_pid" ]; then kill "$council_pid" 2>/dev/null || true; wait "$council_pid" 2>/dev/null || true; fi; }
trap cleanup EXIT

rm -rf "$work"; mkdir -p "$work/data" "$work/usb"
"$kioskctl" keys generate --out-dir "$work/keys" >/dev/null
secret="whsec_c3lzdGVtLXRlc3Qtd2ViaG9vay1zZWNyZXQ="
write_config() {  # write_config FILE API_URL
  cat >"$1" <<JSON
{
  "kioskId": "export-test-kiosk",
  "referencePrefix": "EXP",
  "dataDirectory": "$work/data",
  "council": {"apiBaseUrl": "$2", "publicKey": "$(cat "$work/keys/council.pub")",
              "deviceToken": "system-test-token", "webhookSecret": "$secret"},
  "network": {"connectTimeoutSeconds": 2, "totalTimeoutSeconds": 10, "firstSyncMaxDelaySeconds": 0}
}
JSON
}
write_config "$work/kiosk.json" "http://127.0.0.1:9"
queue() { "$kioskctl" status --json --config "$work/kiosk.json" | jq -r ".queue.$1"; }

# 1. Forms sealed while offline.
"$sealer" --config "$work/kiosk.json" --count "$count" --tag export-run >"$work/sealed.txt"
[ "$(grep -c '^ACK ' "$work/sealed.txt")" = "$count" ] || fail "sealing: $(cat "$work/sealed.txt")"
[ "$(queue sealed)" = "$count" ] || fail "expected $count sealed, got $(queue sealed)"

# 2. The device's identity, and the export.
"$kioskctl" device show --config "$work/kiosk.json" >"$work/device.txt"
fingerprint="$(sed -n 's/^  fingerprint: *//p' "$work/device.txt")"
[[ "$fingerprint" =~ ^[0-9A-F]{4}\ [0-9A-F]{4}\ [0-9A-F]{4}\ [0-9A-F]{4}$ ]] || fail "device show: $(cat "$work/device.txt")"
[ "$(stat -c %a "$work/data/device-signing.key")" = "600" ] || fail "the device signing key is readable by others"
"$kioskctl" export --to "$work/usb" --config "$work/kiosk.json" >"$work/export.txt" || fail "export: $(cat "$work/export.txt")"
grep -q "^Exported $count forms" "$work/export.txt" || fail "export said: $(cat "$work/export.txt")"
bundles=("$work"/usb/*.json)
[ "${#bundles[@]}" = 1 ] || fail "expected one bundle on the stick, found ${#bundles[@]}"
bundle="${bundles[0]}"
[ -z "$(find "$work/usb" -name '.*')" ] || fail "a temporary file was left on the stick"
[ "$(queue sealed)" = "$count" ] || fail "exporting changed the queue"

# 3. verify names the kiosk and its fingerprint.
"$kioskctl" bundle verify "$bundle" >"$work/verify.txt" || fail "verify refused a good bundle: $(cat "$work/verify.txt")"
grep -q "kiosk: *export-test-kiosk" "$work/verify.txt" || fail "verify: $(cat "$work/verify.txt")"
grep -qF "fingerprint: $fingerprint" "$work/verify.txt" || fail "verify shows another fingerprint: $(cat "$work/verify.txt")"
grep -q "items: *$count " "$work/verify.txt" || fail "verify: $(cat "$work/verify.txt")"

# 4. open shows the answers with the council key, one JSON line per form.
"$kioskctl" bundle open "$bundle" --council-key "$work/keys/council.key" >"$work/opened.jsonl"
[ "$(wc -l <"$work/opened.jsonl")" = "$count" ] || fail "open gave $(wc -l <"$work/opened.jsonl") lines"
[ "$(jq -r .answers.run "$work/opened.jsonl" | sort -u)" = "export-run" ] || fail "the answers are not there: $(head -1 "$work/opened.jsonl")"
while read -r _ reference submission_id; do
  [ "$(jq -r --arg id "$submission_id" 'select(.submissionId == $id) | .reference' "$work/opened.jsonl")" = "$reference" ] \
    || fail "$reference is missing from the opened bundle"
done < <(grep '^ACK ' "$work/sealed.txt")

# 5. A flipped byte in one item's bytes: verify fails and names that form.
second_id="$(sed -n '2s/^ACK [^ ]* //p' "$work/sealed.txt")"
second_reference="$(sed -n '2s/^ACK \([^ ]*\) .*/\1/p' "$work/sealed.txt")"
jq --arg id "$second_id" '(.items[] | select(.submissionId == $id) | .sealedPayload) |=
    (if startswith("A") then "B" + .[1:] else "A" + .[1:] end)' "$bundle" >"$work/tampered.json"
if "$kioskctl" bundle verify "$work/tampered.json" 2>"$work/tampered.txt"; then fail "verify accepted a changed bundle"; fi
grep -qF "item $second_reference ($second_id)" "$work/tampered.txt" || fail "verify did not name the changed form: $(cat "$work/tampered.txt")"
if "$kioskctl" bundle deliver "$work/tampered.json" --config "$work/kiosk.json" >/dev/null 2>&1; then
  fail "deliver sent a changed bundle"
fi

# 6. Delivered from a connected machine to the council; twice, with no duplicates.
"$fake_council" --port 0 --port-file "$work/port" --secret-key-file "$work/keys/council.key" \
  --device-token system-test-token --webhook-secret "$secret" >"$work/council.log" 2>&1 &
council_pid=$!
for _ in $(seq 1 100); do [ -s "$work/port" ] && break; sleep 0.05; done
[ -s "$work/port" ] || fail "the fake council did not start"
api="http://127.0.0.1:$(cat "$work/port")"
write_config "$work/office.json" "$api"
"$kioskctl" bundle deliver "$bundle" --config "$work/office.json" >"$work/deliver1.txt" || fail "deliver: $(cat "$work/deliver1.txt")"
[ "$(grep -c ': delivered (council reference' "$work/deliver1.txt")" = "$count" ] || fail "deliver: $(cat "$work/deliver1.txt")"
"$kioskctl" bundle deliver "$bundle" --config "$work/office.json" >"$work/deliver2.txt" || fail "deliver again: $(cat "$work/deliver2.txt")"
[ "$(grep -c ': already there' "$work/deliver2.txt")" = "$count" ] || fail "deliver again: $(cat "$work/deliver2.txt")"
received="$(curl -fsS "$api/admin/received")"
[ "$(jq length <<<"$received")" = "$count" ] || fail "the council holds $(jq length <<<"$received") forms, expected $count"
[ "$(jq -r '[.[].submissionId] | unique | length' <<<"$received")" = "$count" ] || fail "a form is at the council twice"
[ "$(jq -r '.[].answers.run' <<<"$received" | sort -u)" = "export-run" ] || fail "the council could not read the answers"

# 7. Back at the kiosk: marked delivered out of band, never sent again.
"$kioskctl" mark-delivered --bundle "$bundle" --config "$work/kiosk.json" >"$work/mark.txt" || fail "mark-delivered: $(cat "$work/mark.txt")"
[ "$(queue delivered_out_of_band)" = "$count" ] || fail "expected $count delivered out of band, got $(queue delivered_out_of_band)"
[ "$(queue sealed)" = "0" ] || fail "$(queue sealed) still waiting after mark-delivered"
write_config "$work/kiosk.json" "$api"
"$kioskctl" sync --once --config "$work/kiosk.json" >/dev/null
[ "$(curl -fsS "$api/admin/stats" | jq .requests)" = "$((count * 2))" ] || fail "the kiosk sent forms already delivered out of band"
echo "PASS: $count forms exported, verified, opened, a changed byte named, delivered once, marked delivered out of band"
