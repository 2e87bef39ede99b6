#!/usr/bin/env bash
# kioskctl status on a kiosk that has sealed nothing yet, and its exit code when the pack lint
# fails: what an admin's monitoring script relies on.
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
[ "$(jq -c .queue <<<"$status")" = '{"delivered":0,"held_back":0,"sealed":0}' ] || { echo "FAIL: $status"; exit 1; }
[ "$(jq -r .lastError <<<"$status")" = "null" ] || { echo "FAIL: $status"; exit 1; }
if "$kioskctl" status --config "$work/missing.json" 2>/dev/null; then echo "FAIL: a missing config was accepted"; exit 1; fi
echo "PASS"
