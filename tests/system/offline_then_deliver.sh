#!/usr/bin/env bash
# The whole loop, as a library's kiosk lives it: residents send forms while no server can be
# reached, the forms wait sealed in the outbox, the servers come back, one sync delivers each
# exactly once to the server its service names, and each arrives with the answers the resident
# gave. The sample pack's routes are real here: missed-bin goes to open311-server (the sample
# district's services, GET /admin/requests), moving-home by email to the SMTP test server
# (STARTTLS and AUTH, its throwaway CA trusted through network.caBundle), the other three to the
# fake council (decrypted with the council's key, GET /admin/received).
#
# usage: offline_then_deliver.sh KIOSK KIOSKCTL FAKE_COUNCIL OPEN311_SERVER WORK_DIR SCRIPT...
# Each SCRIPT is a headless kiosk script that completes one form. Its lines starting with
# "# sent-answer: " name a value the server must hold in that form's copy (for an email, the
# decoded message; answers written as JSON fragments, such as "manual":true, are looked for
# only in the council's JSON).
# The pack sends housing-advice to the destination named "webhook"; here that name is a
# kiosk-api destination, so it reaches the fake council (signed webhooks themselves: tests/sync).
set -euo pipefail

kiosk="$1"; kioskctl="$2"; fake_council="$3"; open311_server="$4"; work="$5"; shift 5
scripts=("$@")
expected_count=${#scripts[@]}

fail() { echo "FAIL: $*" >&2; exit 1; }
source "$(dirname "$0")/reliability_lib.sh"
council_pid=""
trap stop_servers EXIT

rm -rf "$work"; mkdir -p "$work/data" "$work/shots"
"$kioskctl" keys generate --out-dir "$work/keys" >/dev/null
secret="whsec_c3lzdGVtLXRlc3Qtd2ViaG9vay1zZWNyZXQ="
write_kiosk_config() {  # write_kiosk_config API_URL OPEN311_URL SMTP_URL
  cat >"$work/kiosk.json" <<JSON
{
  "kioskId": "system-test-kiosk",
  "referencePrefix": "E2E",
  "packDirectory": "$(cd "$(dirname "$0")/../../assets/packs/sample-district" && pwd)",
  "dataDirectory": "$work/data",
  "council": {"apiBaseUrl": "$1", "publicKey": "$(cat "$work/keys/council.pub")",
              "deviceToken": "system-test-token", "webhookSecret": "$secret"},
  "network": {"connectTimeoutSeconds": 2, "totalTimeoutSeconds": 10, "firstSyncMaxDelaySeconds": 0,
              "caBundle": "$work/mail-tls/ca.pem"},
  "destinations": {"kiosk-api": {"type": "kiosk-api"},
                   "open311": {"type": "open311", "apiKey": "$RELIABILITY_OPEN311_KEY", "endpoint": "$2"},
                   "email": {"type": "email", "smtpUrl": "$3", "from": "kiosk@system-test.example",
                             "username": "$RELIABILITY_MAIL_USER", "password": "$RELIABILITY_MAIL_PASSWORD"},
                   "webhook": {"type": "kiosk-api"}}
}
JSON
}
queue() { "$kioskctl" status --json --config "$work/kiosk.json" | jq -r ".queue.$1"; }

# 1. Nobody is listening on any server's address: five residents send forms.
write_kiosk_config "http://127.0.0.1:9" "http://127.0.0.1:9/" "smtp://127.0.0.1:9"
for script in "${scripts[@]}"; do
  "$kiosk" --headless --size 1920x1080 --config "$work/kiosk.json" --script "$script" \
    --screenshots "$work/shots/$(basename "$script" .txt)" --no-sync >"$work/kiosk.log" 2>&1 \
    || { cat "$work/kiosk.log" >&2; fail "script $script did not complete"; }
done
[ "$(queue sealed)" = "$expected_count" ] || fail "expected $expected_count sealed, got $(queue sealed)"

# 2. A sync attempt while the servers are down delivers nothing and loses nothing.
"$kioskctl" sync --once --config "$work/kiosk.json" >/dev/null
[ "$(queue sealed)" = "$expected_count" ] || fail "a failed sync changed the queue: $(queue sealed) sealed"
[ "$(queue delivered)" = "0" ] || fail "delivered while the council was down"

# 3. The servers come back.
"$fake_council" --port 0 --port-file "$work/port" --secret-key-file "$work/keys/council.key" \
  --device-token system-test-token --webhook-secret "$secret" >"$work/council.log" 2>&1 &
council_pid=$!
for _ in $(seq 1 100); do [ -s "$work/port" ] && break; sleep 0.05; done
[ -s "$work/port" ] || fail "the fake council did not start"
api="http://127.0.0.1:$(cat "$work/port")"
open311_keeps_state=0
start_open311 "$open311_server" "$work" 0
start_mailbox "$work" 0
write_kiosk_config "$api" "http://127.0.0.1:$open311_port/" "smtp://127.0.0.1:$mailbox_port"

"$kioskctl" sync --once --config "$work/kiosk.json" >/dev/null
[ "$(queue delivered)" = "$expected_count" ] || fail "expected $expected_count delivered, got $(queue delivered)"
[ "$(queue sealed)" = "0" ] || fail "$(queue sealed) still waiting after sync"

# 4. Syncing again sends nothing new. Each server holds exactly the forms routed to it, once.
"$kioskctl" sync --once --config "$work/kiosk.json" >/dev/null
route() { sed -n 's/^# service: //p' "$1"; }
council_count=0
for script in "${scripts[@]}"; do
  case "$(route "$script")" in missed-bin | moving-home) ;; *) council_count=$((council_count + 1)) ;; esac
done
received="$(curl -fsS "$api/admin/received")"
[ "$(jq length <<<"$received")" = "$council_count" ] || fail "council holds $(jq length <<<"$received") forms, expected $council_count"
[ "$(jq '[.[] | select(.receivedCount != 1)] | length' <<<"$received")" = "0" ] \
  || fail "a form reached the council more than once"
[ "$(curl -fsS "$api/admin/stats" | jq .requests)" = "$council_count" ] || fail "sync sent requests again"
reports="$(curl -fsS "$open311_admin")"
[ "$(jq length <<<"$reports")" = "1" ] || fail "open311-server holds $(jq length <<<"$reports") reports, expected 1"
mails=("$mail_dir"/*.eml)
[ -e "${mails[0]}" ] && [ "${#mails[@]}" = 1 ] || fail "the mailbox holds ${#mails[@]} messages, expected 1"
references="$(sqlite3 -separator ' ' "$work/data/kiosk.db" "SELECT service_id, reference FROM submissions")"
reference_of() { awk -v s="$1" '$1 == s { print $2 }' <<<"$references"; }

# 5. Each form holds the answers that resident gave, at its server. A script naming no service or
# no answer would check nothing, so that fails as well.
for script in "${scripts[@]}"; do
  service="$(route "$script")"
  [ -n "$service" ] || fail "$script has no '# service:' line"
  case "$service" in
    missed-bin)
      [ "$(open311_forms "$open311_admin" | awk '{print $1}')" = "$(reference_of missed-bin)" ] \
        || fail "open311-server's report does not carry the line 'Kiosk reference: $(reference_of missed-bin)'"
      copy="$(jq -c --arg s MISSED_BIN '.[] | select(.service_code == $s)' <<<"$reports")"
      where="open311-server" ;;
    moving-home)
      [ "$(mailbox_forms "$mail_dir" | awk '{print $1}')" = "$(reference_of moving-home)" ] \
        || fail "the email's subject does not start with $(reference_of moving-home)"
      jq -e '.tls == true and .login == "'"$RELIABILITY_MAIL_USER"'"' "${mails[0]%.eml}.json" >/dev/null \
        || fail "the email did not arrive over TLS with the kiosk's login: $(cat "${mails[0]%.eml}.json")"
      copy="$(/usr/bin/python3 -c 'import email, email.policy, sys
m = email.message_from_binary_file(open(sys.argv[1], "rb"), policy=email.policy.default)
print("\n".join(part.get_content() for part in m.walk() if part.get_content_maintype() == "text"))' "${mails[0]}")"
      where="the mailbox" ;;
    *)
      copy="$(jq -c --arg s "$service" '.[] | select(.serviceId == $s) | .answers' <<<"$received")"
      where="the council" ;;
  esac
  [ -n "$copy" ] || fail "no form for service $service at $where"
  checked=0
  while IFS= read -r value; do
    [ "$where" = "the mailbox" ] && [[ "$value" == *'":'* ]] && continue
    grep -qF -- "$value" <<<"$copy" || fail "$service: the copy at $where lacks the answer '$value'"
    checked=$((checked + 1))
  done < <(sed -n 's/^# sent-answer: //p' "$script")
  [ "$checked" -gt 0 ] || fail "$script names no '# sent-answer:' to look for at $where"
done
echo "PASS: $expected_count forms sealed offline, delivered once each (council $council_count," \
  "open311-server 1, mailbox 1), each holding the answers given"
