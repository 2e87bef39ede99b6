#!/usr/bin/env bash
# What the transcripts do not show: answers with a token and the token look-up, the state file
# across a restart, the date window and id filters, a wrong api_key, and the fault switches
# (--fail-first, --reset-after-commit, --delay-ms).
# usage: open311_server_test.sh OPEN311_SERVER WORK_DIR
set -euo pipefail
server="$1"; work="$2"
rm -rf "$work"; mkdir -p "$work"
pid=""
start() {
  rm -f "$work/port"
  "$server" --port 0 --port-file "$work/port" "$@" &
  pid=$!
  for _ in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.05; done
  [ -s "$work/port" ] || { echo "FAIL: open311-server did not start"; exit 1; }
  base="http://127.0.0.1:$(cat "$work/port")"
}
stop() { kill "$pid"; wait "$pid" || true; pid=""; }
trap '[ -z "$pid" ] || kill "$pid" 2>/dev/null || true' EXIT
fail() { echo "FAIL: $*"; exit 1; }
post_bin() { curl -s -w '\n%{http_code}' -X POST "$base/requests.$1" -d api_key="${2:-test}" -d service_code=BIN \
  --data-urlencode "address_string=1 High Street"; }

# Tokens: POST answers a token, GET tokens/{token} gives the id; the XML answer has the same shape.
start --answer-with-token --api-key s3cret --state-file "$work/state.json"
answer="$(post_bin json s3cret)"
[ "$(tail -n 1 <<<"$answer")" = 200 ] || fail "token POST: $answer"
token="$(head -n -1 <<<"$answer" | jq -r '.[0].token')"
[[ "$token" =~ ^[0-9a-f]{16}$ ]] || fail "no token in $answer"
[ "$(head -n -1 <<<"$answer" | jq -c '.[0] | keys')" = '["token"]' ] || fail "a token answer holds only the token: $answer"
lookup="$(curl -s "$base/tokens/$token.json")"
[ "$(jq -c '.[0]' <<<"$lookup")" = "{\"service_request_id\":0,\"token\":\"$token\"}" ] || fail "token look-up: $lookup"
curl -s "$base/tokens/$token.xml" | grep -q "<service_request_id>0</service_request_id>" || fail "XML token look-up"
[ "$(curl -s -o /dev/null -w '%{http_code}' "$base/tokens/0000000000000000.json")" = 404 ] || fail "unknown token"
post_bin xml s3cret | grep -q "<token>[0-9a-f]\{16\}</token>" || fail "XML token answer"

# A wrong api_key is refused and stores nothing.
answer="$(post_bin json test)"
[ "$(tail -n 1 <<<"$answer")" = 403 ] || fail "wrong api_key: $answer"

# The state file: both requests survive a restart, and the next id follows on.
stop
[ "$(jq '.requests | length' "$work/state.json")" = 2 ] || fail "state file: $(cat "$work/state.json")"
start --api-key s3cret --state-file "$work/state.json"
[ "$(curl -s "$base/requests.json" | jq -c '[.[].service_request_id]')" = '[0,1]' ] || fail "requests lost in a restart"
[ "$(post_bin json s3cret | head -n -1 | jq '.[0].service_request_id')" = 2 ] || fail "ids restarted"

# Filters: ids, service code, the date window.
[ "$(curl -s "$base/requests.json?service_request_id=0,2" | jq -c '[.[].service_request_id]')" = '[0,2]' ] || fail "id filter"
[ "$(curl -s "$base/requests.json?service_code=POT" | jq length)" = 0 ] || fail "service_code filter"
[ "$(curl -s "$base/requests.json?start_date=2000-01-01T00:00:00Z&end_date=2100-01-01T00:00:00%2B01:00" | jq length)" = 3 ] ||
  fail "a wide date window"
[ "$(curl -s "$base/requests.json?end_date=2000-01-01T00:00:00Z" | jq length)" = 0 ] || fail "a past end_date"
[ "$(curl -s -o /dev/null -w '%{http_code}' "$base/requests.json?start_date=yesterday")" = 400 ] || fail "a bad date"
[ "$(curl -s -o /dev/null -w '%{http_code}' "$base/services.json?jurisdiction_id=maidstone_gov")" = 200 ] ||
  fail "a valid jurisdiction_id"
[ "$(curl -s -o /dev/null -w '%{http_code}' "$base/services.json?jurisdiction_id=maidstone.gov.uk")" = 400 ] ||
  fail "a jurisdiction_id with dots"
stop

# --fail-first 2: two 503s, then the request goes through; only it is stored.
start --fail-first 2
[ "$(post_bin json | tail -n 1)" = 503 ] || fail "first POST not 503"
[ "$(post_bin json | tail -n 1)" = 503 ] || fail "second POST not 503"
[ "$(post_bin json | tail -n 1)" = 200 ] || fail "third POST not accepted"
[ "$(curl -s "$base/admin/requests" | jq length)" = 1 ] || fail "a 503 stored a request"
stop

# --reset-after-commit 1: the request is stored but its answer never arrives.
start --reset-after-commit 1
set +e
curl -s -o /dev/null -X POST "$base/requests.json" -d api_key=test -d service_code=BIN -d address_id=1
code=$?
set -e
[ "$code" -ne 0 ] || fail "the answer arrived whole after --reset-after-commit"
[ "$(curl -s "$base/admin/requests" | jq -c '[.[].id]')" = '[0]' ] || fail "the reset request was not stored"
[ "$(post_bin json | head -n -1 | jq '.[0].service_request_id')" = 1 ] || fail "the next POST after a reset"
stop

# --delay-ms 300: answers wait.
start --delay-ms 300
elapsed="$(curl -s -o /dev/null -w '%{time_total}' "$base/services.json")"
awk -v t="$elapsed" 'BEGIN { exit !(t >= 0.3) }' || fail "no delay: $elapsed s"
stop
echo "PASS"
