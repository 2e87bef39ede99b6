#!/usr/bin/env bash
# The whole loop, as a library's kiosk lives it: residents send forms while the council cannot be
# reached, the forms wait sealed in the outbox, the council comes back, one sync delivers each
# exactly once, and the council can decrypt each to the answers the resident gave.
#
# usage: offline_then_deliver.sh KIOSK KIOSKCTL FAKE_COUNCIL WORK_DIR SCRIPT...
# Each SCRIPT is a headless kiosk script that completes one form. Its lines starting with
# "# sent-answer: " name a value the council must find in that form's decrypted answers.
# The pack sends missed-bin to the destination named "open311", moving-home to "email" and
# housing-advice to "webhook"; here those names are kiosk-api destinations, so all five forms
# reach the fake council (Open311, mail and webhooks themselves: tests/sync).
set -euo pipefail

kiosk="$1"; kioskctl="$2"; fake_council="$3"; work="$4"; shift 4
scripts=("$@")
expected_count=${#scripts[@]}

fail() { echo "FAIL: $*" >&2; exit 1; }
council_pid=""
cleanup() { if [ -n "$council_pid" ]; then kill "$council_pid" 2>/dev/null || true; wait "$council_pid" 2>/dev/null || true; fi; }
trap cleanup EXIT

rm -rf "$work"; mkdir -p "$work/data" "$work/shots"
"$kioskctl" keys generate --out-dir "$work/keys" >/dev/null
secret="whsec_c3lzdGVtLXRlc3Qtd2ViaG9vay1zZWNyZXQ="
write_config() {  # write_config API_URL
  cat >"$work/kiosk.json" <<JSON
{
  "kioskId": "system-test-kiosk",
  "referencePrefix": "E2E",
  "packDirectory": "$(cd "$(dirname "$0")/../../assets/packs/sample-district" && pwd)",
  "dataDirectory": "$work/data",
  "council": {"apiBaseUrl": "$1", "publicKey": "$(cat "$work/keys/council.pub")",
              "deviceToken": "system-test-token", "webhookSecret": "$secret"},
  "network": {"connectTimeoutSeconds": 2, "totalTimeoutSeconds": 10, "firstSyncMaxDelaySeconds": 0},
  "destinations": {"kiosk-api": {"type": "kiosk-api"}, "open311": {"type": "kiosk-api"},
                   "email": {"type": "kiosk-api"}, "webhook": {"type": "kiosk-api"}}
}
JSON
}
queue() { "$kioskctl" status --json --config "$work/kiosk.json" | jq -r ".queue.$1"; }

# 1. Nobody is listening on the council's address: five residents send forms.
write_config "http://127.0.0.1:9"
for script in "${scripts[@]}"; do
  "$kiosk" --headless --size 1920x1080 --config "$work/kiosk.json" --script "$script" \
    --screenshots "$work/shots/$(basename "$script" .txt)" --no-sync >"$work/kiosk.log" 2>&1 \
    || { cat "$work/kiosk.log" >&2; fail "script $script did not complete"; }
done
[ "$(queue sealed)" = "$expected_count" ] || fail "expected $expected_count sealed, got $(queue sealed)"

# 2. A sync attempt while the council is down delivers nothing and loses nothing.
"$kioskctl" sync --once --config "$work/kiosk.json" >/dev/null
[ "$(queue sealed)" = "$expected_count" ] || fail "a failed sync changed the queue: $(queue sealed) sealed"
[ "$(queue delivered)" = "0" ] || fail "delivered while the council was down"

# 3. The council comes back.
"$fake_council" --port 0 --port-file "$work/port" --secret-key-file "$work/keys/council.key" \
  --device-token system-test-token --webhook-secret "$secret" >"$work/council.log" 2>&1 &
council_pid=$!
for _ in $(seq 1 100); do [ -s "$work/port" ] && break; sleep 0.05; done
[ -s "$work/port" ] || fail "the fake council did not start"
api="http://127.0.0.1:$(cat "$work/port")"
write_config "$api"

"$kioskctl" sync --once --config "$work/kiosk.json" >/dev/null
[ "$(queue delivered)" = "$expected_count" ] || fail "expected $expected_count delivered, got $(queue delivered)"
[ "$(queue sealed)" = "0" ] || fail "$(queue sealed) still waiting after sync"

# 4. Syncing again sends nothing new.
"$kioskctl" sync --once --config "$work/kiosk.json" >/dev/null
received="$(curl -fsS "$api/admin/received")"
[ "$(jq length <<<"$received")" = "$expected_count" ] || fail "council holds $(jq length <<<"$received") forms"
[ "$(jq '[.[] | select(.receivedCount != 1)] | length' <<<"$received")" = "0" ] \
  || fail "a form reached the council more than once"
[ "$(curl -fsS "$api/admin/stats" | jq .requests)" = "$expected_count" ] || fail "sync sent requests again"

# 5. Each form decrypts to the answers that resident gave. A script naming no service or no
# answer would check nothing, so that fails as well.
for script in "${scripts[@]}"; do
  service="$(sed -n 's/^# service: //p' "$script")"
  [ -n "$service" ] || fail "$script has no '# service:' line"
  answers="$(jq -c --arg s "$service" '.[] | select(.serviceId == $s) | .answers' <<<"$received")"
  [ -n "$answers" ] || fail "no form for service $service at the council"
  checked=0
  while IFS= read -r value; do
    grep -qF -- "$value" <<<"$answers" || fail "$service: the council's copy lacks the answer '$value': $answers"
    checked=$((checked + 1))
  done < <(sed -n 's/^# sent-answer: //p' "$script")
  [ "$checked" -gt 0 ] || fail "$script names no '# sent-answer:' to look for at the council"
done
echo "PASS: $expected_count forms sealed offline, delivered once, decrypted to the answers given"
