#!/usr/bin/env bash
# kioskctl open311 services and draft against the Open311 replay server: the services listed, the
# draft's questions, choices and mapping, the unedited draft refused by pack lint for exactly the
# parts it says to edit, and the edited draft accepted in a copy of the sample pack.
# usage: kioskctl_open311.sh KIOSKCTL OPEN311_SERVER SAMPLE_PACK WORK_DIR
set -euo pipefail
kioskctl="$1"; server="$2"; sample_pack="$3"; work="$4"
rm -rf "$work"; mkdir -p "$work"
"$server" --port 0 --port-file "$work/port" --api-key s3cret &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true' EXIT
for _ in $(seq 100); do [ -s "$work/port" ] && break; sleep 0.05; done
[ -s "$work/port" ] || { echo "FAIL: open311-server did not start"; exit 1; }
url="http://127.0.0.1:$(cat "$work/port")"
fail() { echo "FAIL: $*"; exit 1; }

printf 's3cret\n' >"$work/api.key"
"$kioskctl" open311 services "$url/" --jurisdiction-id maidstone --api-key-file "$work/api.key" >"$work/services.out"
grep -Eq '^CODE +NAME +GROUP +METADATA$' "$work/services.out" || fail "no header: $(cat "$work/services.out")"
grep -Eq '^POT +Pothole Repairs +highways +true$' "$work/services.out" || fail "POT: $(cat "$work/services.out")"
grep -Eq '^BIN +Bin Enforcement +sanitation +false$' "$work/services.out" || fail "BIN: $(cat "$work/services.out")"
grep -Eq '^MISSED +Missed bin +waste +true$' "$work/services.out" || fail "MISSED: $(cat "$work/services.out")"
grep -q '^4 services' "$work/services.out" || fail "count: $(cat "$work/services.out")"
grep -q s3cret "$work/services.out" && fail "the api key was printed"

# A server error is explained with the server's own error list, and the command fails.
if "$kioskctl" open311 services "$url" --jurisdiction-id maidstone.gov.uk 2>"$work/bad.err"; then
  fail "a 400 was taken for a list"
fi
grep -q "answered HTTP 400 to GET services.json" "$work/bad.err" || fail "$(cat "$work/bad.err")"
grep -q "isn't a valid identifier" "$work/bad.err" || fail "the server's errors were not shown: $(cat "$work/bad.err")"
if "$kioskctl" open311 draft "$url" NOPE 2>"$work/nope.err"; then fail "a draft for an unknown service"; fi
grep -q "has no service 'NOPE'" "$work/nope.err" || fail "$(cat "$work/nope.err")"

"$kioskctl" open311 draft "$url" POT >"$work/pot.json"
"$kioskctl" open311 draft "$url" MISSED >"$work/missed.json"
[ "$(jq -r 'keys_unsorted | first' "$work/pot.json")" = draft ] || fail "the draft does not say it is a draft first"
jq -e '.draft | startswith("DRAFT")' "$work/pot.json" >/dev/null || fail "no DRAFT marker"
[ "$(jq -c '[.form.pages[].id]' "$work/pot.json")" = '["address","depth","shape","description"]' ] ||
  fail "POT pages: $(jq -c '[.form.pages[].id]' "$work/pot.json")"
[ "$(jq -c '.form.pages[1].question | [.type, .required, .label.en]' "$work/pot.json")" = \
  '["whole-number",true,"depth of pothole, in centimetres"]' ] || fail "depth: $(jq -c '.form.pages[1]' "$work/pot.json")"
[ "$(jq -c '.form.pages[2].question | [.type, .required, [.choices[] | .value, .label.en]]' "$work/pot.json")" = \
  '["one-choice",false,["circle","Circle","square","Square","triangle","Triangle"]]' ] ||
  fail "shape: $(jq -c '.form.pages[2]' "$work/pot.json")"
[ "$(jq -c '.destinationMapping | [.service_code, [.attributes[] | [.question, .attribute]]]' "$work/pot.json")" = \
  '["POT",[["depth","depth"],["shape","shape"]]]' ] || fail "POT mapping: $(jq -c .destinationMapping "$work/pot.json")"
jq -e '.toEdit | any(contains("whole number"))' "$work/pot.json" >/dev/null || fail "the number note is missing"
[ "$(jq -c '.form.pages[1].question | [.type, .required, [.choices[].value]]' "$work/missed.json")" = \
  '["several-choices",true,["food","recycling","refuse"]]' ] || fail "containers: $(jq -c '.form.pages[1]' "$work/missed.json")"
jq -e '.destinationMapping.attributes[0].sends | contains("repeated key")' "$work/missed.json" >/dev/null ||
  fail "the multivaluelist mapping does not say how to send it"

# Into a copy of the sample pack as printed: lint refuses only the service's council placeholder.
pack="$work/pack"
cp -r "$sample_pack" "$pack"
jq '.form' "$work/pot.json" >"$pack/forms/open311-pot.json"
jq '.files.forms += ["forms/open311-pot.json"]' "$sample_pack/manifest.json" >"$pack/manifest.json"
jq --slurpfile draft "$work/pot.json" '.services += [$draft[0].service]' "$sample_pack/services.json" >"$pack/services.json"
if "$kioskctl" pack lint "$pack" >"$work/lint1.out" 2>&1; then fail "the unedited council was accepted"; fi
cat "$work/lint1.out"
grep -q "has 1 problem:" "$work/lint1.out" || fail "more than the council placeholder needs editing"
grep -q "services.json /services/5/council" "$work/lint1.out" || fail "the problem is not the council"

# With the council chosen (the one edit lint insists on) the pack is accepted.
jq --slurpfile draft "$work/pot.json" '.services += [$draft[0].service | .council = "county"]' \
  "$sample_pack/services.json" >"$pack/services.json"
"$kioskctl" pack lint "$pack" >"$work/lint2.out" 2>&1 || fail "lint: $(cat "$work/lint2.out")"
grep -q "6 services, 6 forms" "$work/lint2.out" || fail "$(cat "$work/lint2.out")"
echo "PASS"
