# Shared by the reliability scripts (crash_torture.sh, network_chaos.sh, storage_faults.sh):
# the fake council's life cycle, a kiosk configuration, and the exactly-once audit that compares
# what residents were told, what the kiosk's database holds and what the council stored.
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

# write_config FILE DATA_DIR API_URL [PROXY [RETRY_BASE RETRY_CAP]]
# write_config: every destination name the sample pack uses goes to the fake council, so the
# exactly-once audit counts every form in one place.
write_config() {
  local file="$1" data="$2" api="$3" proxy="${4:-}" base="${5:-5}" cap="${6:-900}"
  cat >"$file" <<JSON
{
  "kioskId": "reliability-kiosk",
  "referencePrefix": "REL",
  "packDirectory": "$(cd "$(dirname "${BASH_SOURCE[0]}")/../../assets/packs/sample-district" && pwd)",
  "dataDirectory": "$data",
  "council": {"apiBaseUrl": "$api", "publicKey": "$(cat "$(dirname "$file")/keys/council.pub")",
              "deviceToken": "$RELIABILITY_TOKEN", "webhookSecret": "$RELIABILITY_SECRET"},
  "destinations": {"kiosk-api": {"type": "kiosk-api"}, "open311": {"type": "kiosk-api"},
                   "email": {"type": "kiosk-api"}, "webhook": {"type": "kiosk-api"}},
  "network": {"connectTimeoutSeconds": 2, "lowSpeedLimitBytesPerSecond": 10, "lowSpeedTimeSeconds": 2,
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
# lines, one for every confirmation a resident saw. Sets audit_* variables and writes the
# details to WORK/audit-*.txt. Rules:
#   lost        acknowledged, but missing from the database, not delivered, or not at the council
#   duplicates  one reference or key stored more than once at the council, one reference
#               acknowledged twice, or a council copy the kiosk's database knows nothing of
#   the council holds exactly one copy per database row (acknowledged or not)
audit() {
  local work="$1" db="$2" api="$3" acks="$4"
  sqlite3 -cmd ".timeout 10000" -separator ' ' "$db" \
    "SELECT reference, submission_id, state FROM submissions ORDER BY reference;" >"$work/audit-db.txt"
  curl -fsS "$api/admin/received" | jq -r '.[] | "\(.reference) \(.submissionId) \(.receivedCount)"' \
    | sort >"$work/audit-council.txt"
  grep '^ACK ' "$acks" | awk '{print $2, $3}' | sort >"$work/audit-acks.txt" || true

  audit_acknowledged=$(wc -l <"$work/audit-acks.txt")
  audit_rows=$(wc -l <"$work/audit-db.txt")
  audit_delivered=$(awk '$3 == "delivered"' "$work/audit-db.txt" | wc -l)
  audit_sealed=$(awk '$3 == "sealed"' "$work/audit-db.txt" | wc -l)
  audit_held_back=$(awk '$3 == "held_back"' "$work/audit-db.txt" | wc -l)
  audit_council=$(wc -l <"$work/audit-council.txt")
  audit_resent=$(awk '$3 > 1' "$work/audit-council.txt" | wc -l)

  # Lost: an acknowledged reference whose (reference, key) is not delivered in the database or
  # not stored at the council under the same key.
  awk 'FILENAME == ARGV[1] { db[$1 " " $2] = $3; next }
       FILENAME == ARGV[2] { council[$1 " " $2] = 1; next }
       { key = $1 " " $2; if (db[key] != "delivered" || !(key in council)) print key }' \
    "$work/audit-db.txt" "$work/audit-council.txt" "$work/audit-acks.txt" >"$work/audit-lost.txt"
  audit_lost=$(wc -l <"$work/audit-lost.txt")

  local repeated_refs repeated_keys repeated_acks phantom
  repeated_refs=$(awk '{print $1}' "$work/audit-council.txt" | uniq -d | wc -l)
  repeated_keys=$(awk '{print $2}' "$work/audit-council.txt" | sort | uniq -d | wc -l)
  repeated_acks=$(awk '{print $1}' "$work/audit-acks.txt" | uniq -d | wc -l)
  # At the council but not in the database (under that reference and key).
  phantom=$(awk 'FILENAME == ARGV[1] { db[$1 " " $2] = 1; next } !(($1 " " $2) in db)' \
    "$work/audit-db.txt" "$work/audit-council.txt" | tee "$work/audit-phantom.txt" | wc -l)
  audit_duplicates=$((repeated_refs + repeated_keys + repeated_acks + phantom))
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

stop_servers() { stop_proxy; stop_council; }
