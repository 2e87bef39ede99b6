# Shared by the reliability scripts (crash_torture.sh, network_chaos.sh, storage_faults.sh) and
# offline_then_deliver.sh: the life cycle of the three servers a kiosk delivers to (the fake
# council for kiosk-api, open311-server for Open311, the SMTP test server for email), a kiosk
# configuration, and the exactly-once audit that compares what residents were told, what the
# kiosk's database holds and what each server stored.
# Source it; it expects `fail` to be defined by the caller or uses its own.

if ! declare -F fail >/dev/null; then
  fail() { echo "FAIL: $*" >&2; exit 1; }
fi

# A fixed webhook secret for the fake council and the kiosk; test only.
RELIABILITY_SECRET="whsec_cmVsaWFiaWxpdHktdGVzdC13ZWJob29rLXNlY3JldA=="
RELIABILITY_TOKEN="reliability-test-token"

council_pid=""

# wait_for_file PATH: port files appear once a server listens.
wait_for_file() {
  for _ in $(seq 1 200); do [ -s "$1" ] && return 0; sleep 0.05; done
  return 1
}

# start_council FAKE_COUNCIL WORK PORT [flags...]: PORT 0 picks a free one. With
# council_keeps_state=1 (the default) it keeps its deduplication state in
# WORK/council-state.json, so a restart with other fault flags still recognises every key it has
# seen; the file is rewritten on every submission, too slow for tens of thousands of forms.
# Sets council_pid and council_port.
council_keeps_state=1
start_council() {
  local binary="$1" work="$2" port="$3"; shift 3
  local state=()
  [ "$council_keeps_state" = 1 ] && state=(--state-file "$work/council-state.json")
  rm -f "$work/council.port"
  "$binary" --port "$port" --port-file "$work/council.port" --secret-key-file "$work/keys/council.key" \
    --device-token "$RELIABILITY_TOKEN" --webhook-secret "$RELIABILITY_SECRET" \
    "${state[@]}" "$@" >>"$work/council.log" 2>&1 &
  council_pid=$!
  wait_for_file "$work/council.port" || fail "the fake council did not start (see $work/council.log)"
  council_port="$(cat "$work/council.port")"
}

stop_council() {
  if [ -n "$council_pid" ]; then
    kill "$council_pid" 2>/dev/null || true
    wait "$council_pid" 2>/dev/null || true
    council_pid=""
  fi
}

# --- Open311 and email servers ----------------------------------------------------------------

RELIABILITY_OPEN311_KEY="reliability-open311-key"
RELIABILITY_MAIL_USER="reliability-kiosk"
RELIABILITY_MAIL_PASSWORD="reliability-mail-password"
OPEN311_SAMPLE_DISTRICT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../open311_server/sample-district" && pwd)"
SMTP_SERVER_SCRIPT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../smtp_server" && pwd)/smtp_server.py"

open311_pid=""
open311_admin=""
# start_open311 OPEN311_SERVER WORK PORT [flags...]: the Open311 replay server with the sample
# district's services. With open311_keeps_state=1 (the default) its reports live in
# WORK/open311-state.json, so a restart with other fault flags keeps them. Sets open311_pid,
# open311_port and open311_admin (the URL of its list of stored reports).
open311_keeps_state=1
start_open311() {
  local binary="$1" work="$2" port="$3"; shift 3
  local state=()
  [ "$open311_keeps_state" = 1 ] && state=(--state-file "$work/open311-state.json")
  rm -f "$work/open311.port"
  "$binary" --port "$port" --port-file "$work/open311.port" --data-dir "$OPEN311_SAMPLE_DISTRICT" \
    --api-key "$RELIABILITY_OPEN311_KEY" "${state[@]}" "$@" >>"$work/open311.log" 2>&1 &
  open311_pid=$!
  wait_for_file "$work/open311.port" || fail "open311-server did not start (see $work/open311.log)"
  open311_port="$(cat "$work/open311.port")"
  open311_admin="http://127.0.0.1:$open311_port/admin/requests"
}

stop_open311() {
  if [ -n "$open311_pid" ]; then
    kill "$open311_pid" 2>/dev/null || true
    wait "$open311_pid" 2>/dev/null || true
    open311_pid=""
  fi
  open311_admin=""
}

mailbox_pid=""
# start_mailbox WORK PORT [flags...]: the SMTP test server (STARTTLS and AUTH required) with a
# throwaway CA made once in WORK/mail-tls (WORK/mail-tls/ca.pem is the kiosk's network.caBundle);
# each message it accepts lands in WORK/mail. Sets mailbox_pid, mailbox_port and mail_dir.
start_mailbox() {
  local work="$1" port="$2"; shift 2
  rm -f "$work/mailbox.port"
  mail_dir="$work/mail"
  /usr/bin/python3 "$SMTP_SERVER_SCRIPT" --port "$port" --port-file "$work/mailbox.port" \
    --tls-dir "$work/mail-tls" --out-dir "$mail_dir" --username "$RELIABILITY_MAIL_USER" \
    --password "$RELIABILITY_MAIL_PASSWORD" "$@" >>"$work/mailbox.log" 2>&1 &
  mailbox_pid=$!
  wait_for_file "$work/mailbox.port" || fail "the SMTP test server did not start (see $work/mailbox.log)"
  mailbox_port="$(cat "$work/mailbox.port")"
}

stop_mailbox() {
  if [ -n "$mailbox_pid" ]; then
    kill "$mailbox_pid" 2>/dev/null || true
    wait "$mailbox_pid" 2>/dev/null || true
    mailbox_pid=""
  fi
}

# mailbox_forms DIR: "<reference> <submissionId>" for each message in DIR, read from its Subject
# ("<reference>: <title>") and its Message-ID (<submissionId@kiosk.council-kiosk>).
mailbox_forms() {
  /usr/bin/python3 - "$1" <<'PY'
import email, email.header, email.policy, glob, os, sys
for path in sorted(glob.glob(os.path.join(sys.argv[1], "*.eml"))):
    with open(path, "rb") as f:
        message = email.message_from_binary_file(f, policy=email.policy.default)
    subject = str(message["Subject"] or "")
    message_id = str(message["Message-ID"] or "").strip().strip("<>")
    print(subject.split(":", 1)[0].strip(), message_id.split("@", 1)[0])
PY
}

# open311_forms ADMIN_URL: "<reference> <submissionId>" for each report open311-server stored,
# the reference from the "Kiosk reference: <ref>" line of its description.
open311_forms() {
  curl -fsS "$1" | jq -r '.[] | [((.description // "") | capture("(^|\n)Kiosk reference: (?<r>[^\n]+)").r // "none"),
                               (.received["attribute[kiosk_submission_id]"] // "none")] | join(" ")'
}

# Real destinations for write_config: when open311_endpoint is set, "open311" is a real Open311
# destination there (with the test's api key); when smtp_url is set, "email" is a real email
# destination and the mailbox's CA is trusted through network.caBundle. Unset, both names go to
# the fake council, so the exactly-once audit counts every form in one place.
open311_endpoint=""
smtp_url=""
mail_ca=""

# write_config FILE DATA_DIR API_URL [PROXY [RETRY_BASE RETRY_CAP]]
write_config() {
  local file="$1" data="$2" api="$3" proxy="${4:-}" base="${5:-5}" cap="${6:-900}"
  local open311='{"type": "kiosk-api"}' mail='{"type": "kiosk-api"}'
  [ -n "$open311_endpoint" ] &&
    open311="{\"type\": \"open311\", \"apiKey\": \"$RELIABILITY_OPEN311_KEY\", \"endpoint\": \"$open311_endpoint\"}"
  [ -n "$smtp_url" ] &&
    mail="{\"type\": \"email\", \"smtpUrl\": \"$smtp_url\", \"from\": \"kiosk@reliability.example\",
           \"username\": \"$RELIABILITY_MAIL_USER\", \"password\": \"$RELIABILITY_MAIL_PASSWORD\"}"
  cat >"$file" <<JSON
{
  "kioskId": "reliability-kiosk",
  "referencePrefix": "REL",
  "packDirectory": "$(cd "$(dirname "${BASH_SOURCE[0]}")/../../assets/packs/sample-district" && pwd)",
  "dataDirectory": "$data",
  "council": {"apiBaseUrl": "$api", "publicKey": "$(cat "$(dirname "$file")/keys/council.pub")",
              "deviceToken": "$RELIABILITY_TOKEN", "webhookSecret": "$RELIABILITY_SECRET"},
  "destinations": {"kiosk-api": {"type": "kiosk-api"}, "open311": $open311, "email": $mail,
                   "webhook": {"type": "kiosk-api"}},
  "network": {"caBundle": "$mail_ca", "connectTimeoutSeconds": 2, "lowSpeedLimitBytesPerSecond": 10, "lowSpeedTimeSeconds": 2,
              "totalTimeoutSeconds": 8, "proxy": "$proxy", "retryBaseSeconds": $base,
              "retryCapSeconds": $cap, "firstSyncMaxDelaySeconds": 0, "pollIntervalSeconds": 30}
}
JSON
}

# integrity DB: prints SQLite's verdict ("ok" or the problems). A fresh process, like a kiosk
# restarting after the crash, so it also runs WAL recovery.
integrity() {
  sqlite3 -cmd ".timeout 10000" "$1" "PRAGMA integrity_check;" 2>&1 | tr '\n' ' ' | sed 's/ $//'
}

# queue_count DB STATE
queue_count() {
  sqlite3 -cmd ".timeout 10000" "$1" "SELECT count(*) FROM submissions WHERE state = '$2';"
}

# audit WORK DB API ACKS: the exactly-once audit. ACKS holds "ACK <reference> <submissionId>"
# lines, one for every confirmation a resident saw. Forms are looked for at the server their
# destination names: the fake council at API (kiosk-api, and every name not routed elsewhere),
# open311-server's stored reports when it runs (open311_admin), the mailbox when the kiosk has an
# email destination (smtp_url, mail_dir). Sets audit_* variables and writes the details to
# WORK/audit-*.txt. Rules:
#   lost        acknowledged, but missing from the database, not delivered, or not at the server
#               its destination names
#   duplicates  one reference or key stored more than once at the fake council, at two servers,
#               or under two keys; one reference acknowledged twice; a copy the kiosk's database
#               knows nothing of; an Open311 report stored twice that the kiosk did not flag as a
#               possible duplicate
#   each server holds at least one copy per database row (acknowledged or not)
# Counted and reported, not failures by themselves: audit_open311_duplicates (references stored
# more than once at open311-server; 0 is required where it can be searched, flagged ones are
# allowed where it cannot), audit_email_repeats (extra copies of a Message-ID in the mailbox,
# allowed by design: a mailbox drops repeats), audit_possible_duplicates (rows the kiosk flagged).
audit() {
  local work="$1" db="$2" api="$3" acks="$4"
  sqlite3 -cmd ".timeout 10000" -separator ' ' "$db" \
    "SELECT reference, submission_id, state, destination, possible_duplicate FROM submissions ORDER BY reference;" \
    >"$work/audit-db.txt"
  # "<reference> <key> <copies> <server>", one line per form and server.
  curl -fsS "$api/admin/received" | jq -r '.[] | "\(.reference) \(.submissionId) \(.receivedCount) council"' \
    >"$work/audit-servers.txt"
  local open311_to=council email_to=council
  if [ -n "${open311_admin:-}" ]; then
    open311_to=open311
    open311_forms "$open311_admin" | sort | uniq -c | awk '{print $2, $3, $1, "open311"}' >>"$work/audit-servers.txt"
  fi
  if [ -n "$smtp_url" ]; then
    email_to=mail
    mailbox_forms "$mail_dir" | sort | uniq -c | awk '{print $2, $3, $1, "mail"}' >>"$work/audit-servers.txt"
  fi
  sort -o "$work/audit-servers.txt" "$work/audit-servers.txt"
  awk '$4 == "council"' "$work/audit-servers.txt" >"$work/audit-council.txt"
  grep '^ACK ' "$acks" | awk '{print $2, $3}' | sort >"$work/audit-acks.txt" || true

  audit_acknowledged=$(wc -l <"$work/audit-acks.txt")
  audit_rows=$(wc -l <"$work/audit-db.txt")
  audit_delivered=$(awk '$3 == "delivered"' "$work/audit-db.txt" | wc -l)
  audit_sealed=$(awk '$3 == "sealed"' "$work/audit-db.txt" | wc -l)
  audit_held_back=$(awk '$3 == "held_back"' "$work/audit-db.txt" | wc -l)
  audit_possible_duplicates=$(awk '$5 == 1' "$work/audit-db.txt" | wc -l)
  audit_council=$(wc -l <"$work/audit-servers.txt")
  audit_resent=$(awk '$4 == "council" && $3 > 1' "$work/audit-servers.txt" | wc -l)
  audit_open311=$(awk '$4 == "open311"' "$work/audit-servers.txt" | wc -l)
  audit_open311_duplicates=$(awk '$4 == "open311" && $3 > 1' "$work/audit-servers.txt" | wc -l)
  audit_mail=$(awk '$4 == "mail"' "$work/audit-servers.txt" | wc -l)
  audit_email_repeats=$(awk '$4 == "mail" && $3 > 1 { n += $3 - 1 } END { print n + 0 }' "$work/audit-servers.txt")

  # Lost: an acknowledged reference whose (reference, key) is not delivered in the database or
  # not stored under the same key at the server its destination names.
  awk -v open311_to="$open311_to" -v email_to="$email_to" '
       FILENAME == ARGV[1] { key = $1 " " $2; state[key] = $3
                             server[key] = $4 == "open311" ? open311_to : $4 == "email" ? email_to : "council"; next }
       FILENAME == ARGV[2] { at[$1 " " $2 " " $4] = 1; next }
       { key = $1 " " $2; if (state[key] != "delivered" || !((key " " server[key]) in at)) print key }' \
    "$work/audit-db.txt" "$work/audit-servers.txt" "$work/audit-acks.txt" >"$work/audit-lost.txt"
  audit_lost=$(wc -l <"$work/audit-lost.txt")

  local repeated_refs repeated_keys repeated_acks phantom unflagged
  repeated_refs=$(awk '{print $1}' "$work/audit-servers.txt" | uniq -d | wc -l)
  repeated_keys=$(awk '{print $2}' "$work/audit-servers.txt" | sort | uniq -d | wc -l)
  repeated_acks=$(awk '{print $1}' "$work/audit-acks.txt" | uniq -d | wc -l)
  # At a server but not in the database (under that reference and key).
  phantom=$(awk 'FILENAME == ARGV[1] { db[$1 " " $2] = 1; next } !(($1 " " $2) in db)' \
    "$work/audit-db.txt" "$work/audit-servers.txt" | tee "$work/audit-phantom.txt" | wc -l)
  # Stored twice at open311-server while the kiosk's database says it cannot have been.
  unflagged=$(awk 'FILENAME == ARGV[1] { flagged[$1 " " $2] = $5; next }
                   $4 == "open311" && $3 > 1 && flagged[$1 " " $2] != 1' \
    "$work/audit-db.txt" "$work/audit-servers.txt" | tee "$work/audit-unflagged.txt" | wc -l)
  audit_duplicates=$((repeated_refs + repeated_keys + repeated_acks + phantom + unflagged))
  # Committed before the process died, never shown to a resident: must still go exactly once.
  audit_unacknowledged=$(awk 'FILENAME == ARGV[1] { acked[$1] = 1; next } !($1 in acked)' \
    "$work/audit-acks.txt" "$work/audit-db.txt" | wc -l)
  audit_stats="$(curl -fsS "$api/admin/stats" | jq -c .)"
}

# audit_ok: true when the audit found nothing wrong and the queue is empty. An audit of no
# acknowledged form proves nothing (a sealer that never sealed would pass it), so that fails too.
audit_ok() {
  [ "$audit_acknowledged" -gt 0 ] && [ "$audit_lost" = 0 ] && [ "$audit_duplicates" = 0 ] && [ "$audit_sealed" = 0 ] &&
    [ "$audit_held_back" = 0 ] && [ "$audit_council" = "$audit_rows" ] && [ "$audit_delivered" = "$audit_rows" ]
}

proxy_pid=""

# start_proxy CHAOS_PROXY WORK NAME [flags...]: statistics go to WORK/NAME-stats.json.
# Sets proxy_pid and proxy_port.
start_proxy() {
  local binary="$1" work="$2" name="$3"; shift 3
  rm -f "$work/$name.port" "$work/$name-stats.json"
  "$binary" --port-file "$work/$name.port" --stats-file "$work/$name-stats.json" "$@" >>"$work/$name.log" 2>&1 &
  proxy_pid=$!
  wait_for_file "$work/$name.port" || fail "the chaos proxy did not start (see $work/$name.log)"
  proxy_port="$(cat "$work/$name.port")"
}

# stop_proxy: SIGTERM makes it write its final statistics.
stop_proxy() {
  if [ -n "$proxy_pid" ]; then
    kill "$proxy_pid" 2>/dev/null || true
    wait "$proxy_pid" 2>/dev/null || true
    proxy_pid=""
  fi
}

stop_servers() { stop_proxy; stop_council; stop_open311; stop_mailbox; }
