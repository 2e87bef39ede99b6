#!/usr/bin/env bash
# kioskctl status on a kiosk that has sealed nothing yet, and sync --once refusing a configuration
# it cannot deliver with: what an admin's monitoring script relies on.
# usage: kioskctl_status.sh KIOSKCTL WORK_DIR
set -euo pipefail
kioskctl="$1"; work="$2"
rm -rf "$work"; mkdir -p "$work"
"$kioskctl" keys generate --out-dir "$work/keys" >/dev/null
[ "$(stat -c %a "$work/keys/council.key")" = "600" ] || { echo "FAIL: the secret key is readable by others"; exit 1; }
printf '{"kioskId": "status-test", "dataDirectory": "%s/data", "council": {"publicKey": "%s"}}\n' \
  "$work" "$(cat "$work/keys/council.pub")" >"$work/kiosk.json"
status="$("$kioskctl" status --json --config "$work/kiosk.json")"
[ "$(jq -r .kioskId <<<"$status")" = "status-test" ] || { echo "FAIL: $status"; exit 1; }
[ "$(jq -c .queue <<<"$status")" = '{"delivered":0,"delivered_out_of_band":0,"held_back":0,"possible_duplicates":0,"sealed":0}' ] || { echo "FAIL: $status"; exit 1; }
[ "$(jq -r .lastError <<<"$status")" = "null" ] || { echo "FAIL: $status"; exit 1; }
if "$kioskctl" status --config "$work/missing.json" 2>/dev/null; then echo "FAIL: a missing config was accepted"; exit 1; fi

# A sync that cannot even try because the configuration lacks the webhook secret says why and fails.
printf '{"kioskId": "status-test", "dataDirectory": "%s/data", "council": {"apiBaseUrl": "http://127.0.0.1:9", "publicKey": "%s"}}\n' \
  "$work" "$(cat "$work/keys/council.pub")" >"$work/no-secret.json"
if "$kioskctl" sync --once --config "$work/no-secret.json" >"$work/sync.out"; then
  echo "FAIL: sync --once succeeded without a webhook secret"; exit 1
fi
grep -q "last error: council.webhookSecret" "$work/sync.out" || { echo "FAIL: $(cat "$work/sync.out")"; exit 1; }
echo "PASS"
