#!/usr/bin/env bash
# Replays every recorded transcript (transcripts/NN_*.txt: the curl command on the first line, then
# the raw answer of mySociety's open311-adapter) against a fresh open311-server, in file order, so
# the ids the POSTs get (0, 1, 2) are the ones recorded, and compares:
#   - the status code;
#   - the Content-Type header line, name included ("Content-type" in file 22);
#   - the body. Normalised first, in both: every W3C datetime (YYYY-MM-DDTHH:MM:SSZ) becomes DATE,
#     as the server stamps requests with the time they arrive. JSON bodies are then compared as JSON
#     values with sorted keys and must have the same byte length: the recorded server prints keys
#     in Perl's random hash order, which changes between runs but never the layout or the length.
#     XML and plain-text bodies must be byte-identical. Ids and tokens need no normalising: the
#     server numbers from 0 and no transcript shows a token.
# Each case also checks that its curl arguments are the recorded command line, so the table cannot
# drift from the transcripts; a transcript without a case, or a case without a transcript, fails.
# usage: replay_transcripts_test.sh OPEN311_SERVER TRANSCRIPT_DIR WORK_DIR
set -euo pipefail
server="$1"; transcripts="$2"; work="$3"
rm -rf "$work"; mkdir -p "$work"
"$server" --port 0 --port-file "$work/port" &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true' EXIT
for _ in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.05; done
[ -s "$work/port" ] || { echo "FAIL: open311-server did not start"; exit 1; }
base="http://127.0.0.1:$(cat "$work/port")"
recorded_base="http://127.0.0.1:15313"

declare -a cases=()
declare -A case_args=()
# add NAME CURL_ARGS... with URL standing for the recorded server's address.
add() {
  local name="$1"; shift
  cases+=("$name")
  case_args[$name]="$(printf '%q ' "$@")"
}
add 01_get_services_xml URL/services.xml
add 02_get_services_json URL/services.json
add 03_get_service_def_POT_xml URL/services/POT.xml
add 04_get_service_def_MISSED_json URL/services/MISSED.json
add 05_get_service_def_unknown_json URL/services/NOPE.json
add 06_post_ok_multivalue_repeated_json -X POST URL/requests.json --data-urlencode api_key=test \
  -d service_code=MISSED --data-urlencode "address_string=1 High Street, Maidstone ME14 1XX" \
  --data-urlencode "attribute[containers]=refuse" --data-urlencode "attribute[containers]=food" \
  -d first_name=Alex -d last_name=Smith --data-urlencode email=alex@example.com \
  --data-urlencode "description=Bin not collected"
add 07_post_multivalue_bracket_form_rejected_json -X POST URL/requests.json --data-urlencode api_key=test \
  -d service_code=MISSED -d lat=51.2724 -d long=0.5229 --data-urlencode "attribute[containers][]=refuse"
add 08_post_ok_latlong_xml -X POST URL/requests.xml --data-urlencode api_key=test -d service_code=POT \
  -d lat=51.2724 -d long=0.5229 --data-urlencode "attribute[depth]=10" --data-urlencode "attribute[shape]=circle"
add 09_post_ok_address_id_xml -X POST URL/requests.xml --data-urlencode api_key=test -d service_code=BIN \
  -d address_id=200003651234
add 10_post_missing_api_key_json -X POST URL/requests.json -d service_code=BIN -d lat=51.27 -d long=0.52
add 11_post_missing_location_json -X POST URL/requests.json -d api_key=test -d service_code=BIN
add 12_post_missing_required_attr_xml -X POST URL/requests.xml -d api_key=test -d service_code=POT \
  -d lat=51.27 -d long=0.52
add 13_post_bad_number_json -X POST URL/requests.json -d api_key=test -d service_code=POT -d lat=51.27 \
  -d long=0.52 --data-urlencode "attribute[depth]=deep"
add 14_post_bad_singlevalue_json -X POST URL/requests.json -d api_key=test -d service_code=POT -d lat=51.27 \
  -d long=0.52 --data-urlencode "attribute[depth]=3" --data-urlencode "attribute[shape]=hexagon"
add 15_post_unknown_service_xml -X POST URL/requests.xml -d api_key=test -d service_code=NOPE -d lat=51.27 \
  -d long=0.52
add 16_post_jurisdiction_with_dots_json -X POST URL/requests.json -d api_key=test \
  -d jurisdiction_id=maidstone.gov.uk -d service_code=BIN -d lat=51.27 -d long=0.52
add 17_get_requests_json URL/requests.json
add 18_get_requests_filter_xml "URL/requests.xml?service_code=POT"
add 19_get_request_0_json URL/requests/0.json
add 20_get_request_missing_json URL/requests/999.json
add 21_get_bad_extension URL/services.html
add 22_get_discovery_json URL/discovery.json
add 23_get_token_json URL/tokens/abc.json

failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

for file in "$transcripts"/[0-9]*.txt; do
  name="$(basename "$file" .txt)"
  [ -n "${case_args[$name]+set}" ] || fail "transcript $name has no case in this test"
done

dates='s/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z/DATE/g'
identical=0
for name in "${cases[@]}"; do
  file="$transcripts/$name.txt"
  [ -f "$file" ] || { fail "case $name has no transcript"; continue; }
  eval "args=(${case_args[$name]})"
  recorded_args=("${args[@]//URL/$recorded_base}")
  [ "$(head -n 1 "$file")" = "# curl ${recorded_args[*]}" ] ||
    fail "$name: the case's curl arguments are not the recorded command: # curl ${recorded_args[*]}"

  sed -n '2p' "$file" | tr -d '\r' | awk '{print $2}' >"$work/$name.recorded-status"
  grep -i -m1 '^content-type:' "$file" | tr -d '\r' >"$work/$name.recorded-type"
  sed -n '/^\r$/,$p' "$file" | tail -n +2 >"$work/$name.recorded-body"

  status="$(curl -s -o "$work/$name.body" -D "$work/$name.headers" -w '%{http_code}' "${args[@]//URL/$base}")"
  grep -i -m1 '^content-type:' "$work/$name.headers" | tr -d '\r' >"$work/$name.type" || true

  [ "$status" = "$(cat "$work/$name.recorded-status")" ] ||
    fail "$name: status $status, recorded $(cat "$work/$name.recorded-status")"
  cmp -s "$work/$name.type" "$work/$name.recorded-type" ||
    fail "$name: '$(cat "$work/$name.type")', recorded '$(cat "$work/$name.recorded-type")'"
  if cmp -s "$work/$name.body" "$work/$name.recorded-body"; then
    identical=$((identical + 1))
    continue
  fi
  sed -E "$dates" "$work/$name.body" >"$work/$name.body.n"
  sed -E "$dates" "$work/$name.recorded-body" >"$work/$name.recorded-body.n"
  if [[ "$(cat "$work/$name.type")" == *json* ]]; then
    if ! diff <(jq -S . "$work/$name.recorded-body.n") <(jq -S . "$work/$name.body.n") >"$work/$name.diff"; then
      fail "$name: the JSON differs:"; cat "$work/$name.diff"
    elif [ "$(wc -c <"$work/$name.body")" != "$(wc -c <"$work/$name.recorded-body")" ]; then
      fail "$name: same JSON but $(wc -c <"$work/$name.body") bytes, recorded $(wc -c <"$work/$name.recorded-body")"
    fi
  elif ! diff "$work/$name.recorded-body.n" "$work/$name.body.n" >"$work/$name.diff"; then
    fail "$name: the body differs:"; cat "$work/$name.diff"
  fi
done

# The repeated key arrived as two values of one attribute, and only the three accepted POSTs were stored.
admin="$(curl -s "$base/admin/requests")"
[ "$(jq -c '.[0].received["attribute[containers]"]' <<<"$admin")" = '["refuse","food"]' ] ||
  fail "the repeated attribute[containers] was not kept as two values: $(jq -c '.[0].received' <<<"$admin")"
[ "$(jq -c '[.[].id]' <<<"$admin")" = '[0,1,2]' ] || fail "stored ids: $(jq -c '[.[].id]' <<<"$admin")"
[ "$(jq -r '.[1].received.lat' <<<"$admin")" = "51.2724" ] || fail "lat was not kept for /admin/requests"

echo "${#cases[@]} transcripts replayed, $identical bodies byte-identical before any normalising"
[ "$failures" -eq 0 ] || { echo "FAILED: $failures"; exit 1; }
echo "PASS"
