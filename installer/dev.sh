#!/usr/bin/env bash
# One command each for the two things a developer does on a fresh Debian 12 machine:
#   bash installer/dev.sh run [--fullscreen]   install, build, start the kiosk with the sample content
#   bash installer/dev.sh test                 install, build, run every test (also under ASan+UBSan),
#                                              the sync and store tests under TSan, and the fuzzers briefly
# Both install the Debian packages they need first (installer/install-dependencies.sh).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jobs="${KIOSK_BUILD_JOBS:-2}"

build() {  # build DIR [cmake options...]
  local dir="$1"; shift
  cmake -S "$repo" -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKIOSK_WERROR=ON "$@"
  cmake --build "$dir" -j"$jobs"
}

build_targets() {  # build_targets DIR "cmake options" TARGET...: only what those tests need
  local dir="$1" options="$2"; shift 2
  # shellcheck disable=SC2086  # options are words
  cmake -S "$repo" -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo $options &&
    cmake --build "$dir" -j"$jobs" --target "$@"
}

stage_seconds() { echo "   ($1 took $((SECONDS - $2)) s)"; }  # stage_seconds NAME START

# A development kiosk: its own council key pair, data directory and configuration, made once.
make_dev_kiosk() {
  local home="$repo/build/dev-kiosk"
  # Rewritten when it predates the open311 destination (the keys and the data are kept).
  if [ ! -f "$home/kiosk.json" ] || ! grep -q '"open311"' "$home/kiosk.json"; then
    mkdir -p "$home/data"
    [ -f "$home/keys/council.pub" ] ||
      "$repo/build/kiosk/tools/kioskctl" keys generate --out-dir "$home/keys" >/dev/null
    cat >"$home/kiosk.json" <<JSON
{
  "kioskId": "dev-kiosk-1",
  "referencePrefix": "DEV",
  "packDirectory": "$repo/assets/packs/sample-district",
  "dataDirectory": "$home/data",
  "council": {
    "apiBaseUrl": "http://127.0.0.1:8787",
    "publicKey": "$(cat "$home/keys/council.pub")",
    "deviceToken": "dev-device-token",
    "webhookSecret": "whsec_ZGV2ZWxvcG1lbnQtb25seS13ZWJob29rLXNlY3JldA=="
  },
  "destinations": {
    "kiosk-api": { "type": "kiosk-api" },
    "open311": { "type": "open311", "apiKey": "test", "endpoint": "http://127.0.0.1:8788/" }
  },
  "network": { "heartbeatIntervalSeconds": 30, "firstSyncMaxDelaySeconds": 5 },
  "display": { "fullscreen": false }
}
JSON
  fi
  # Services the pack sends by email go to the local mail sink (start_demo_mailbox); a kiosk.json
  # made before the email destination existed gains it here.
  if [ "$(jq -r '.destinations.email.type // ""' "$home/kiosk.json")" != "email" ]; then
    # Added beside the other destinations, so the open311 one is kept.
    jq --arg ca "$home/mail-tls/ca.pem" '.destinations.email = {"type": "email",
        "smtpUrl": "smtp://127.0.0.1:8025", "from": "kiosk@dev-kiosk.example",
        "username": "dev-kiosk", "password": "dev-mail-password"}
      | .network.caBundle = $ca' "$home/kiosk.json" >"$home/kiosk.json.new"
    mv "$home/kiosk.json.new" "$home/kiosk.json"
  fi
  # Services the pack sends by signed webhook (housing-advice) go to the demo council's webhook
  # endpoint, which checks the signature with the council's secret and opens the sealed answers
  # (what it received: http://127.0.0.1:8787/admin/webhooks).
  if [ "$(jq -r '.destinations.webhook.type // ""' "$home/kiosk.json")" != "webhook" ]; then
    jq '.destinations.webhook = {"type": "webhook", "url": "http://127.0.0.1:8787/webhooks/forms",
        "secrets": "whsec_ZGV2ZWxvcG1lbnQtb25seS13ZWJob29rLXNlY3JldA==", "payload": "sealed-to-council"}' \
      "$home/kiosk.json" >"$home/kiosk.json.new"
    mv "$home/kiosk.json.new" "$home/kiosk.json"
  fi
  echo "$home/kiosk.json"
}

# A local mailbox for the email destination on 127.0.0.1:8025: the tests' SMTP server (STARTTLS
# with its own throwaway CA, which the dev config trusts), keeping each email in build/dev-kiosk/mail.
start_demo_mailbox() {  # start_demo_mailbox CONFIG
  local home; home="$(dirname "$1")"
  if (exec 3<>/dev/tcp/127.0.0.1/8025) 2>/dev/null; then
    echo "Something already listens on 127.0.0.1:8025; the kiosk will send its emails there."
    return
  fi
  rm -f "$home/mail.port"
  /usr/bin/python3 "$repo/tests/smtp_server/smtp_server.py" --port 8025 --port-file "$home/mail.port" \
    --tls-dir "$home/mail-tls" --out-dir "$home/mail" --username dev-kiosk --password dev-mail-password \
    >"$home/mail.log" 2>&1 &
  mailbox_pid=$!
  for _ in $(seq 1 100); do [ -s "$home/mail.port" ] && break; sleep 0.1; done
  echo "Demo mailbox: smtp://127.0.0.1:8025 (each email the kiosk sends: $home/mail/*.eml)"
}

# The whole loop on one machine: a local demo council on 127.0.0.1:8787 that takes the
# development kiosk's forms (it holds the dev kiosk's council key), stopped when the kiosk stops.
start_demo_council() {  # start_demo_council CONFIG
  local home; home="$(dirname "$1")"
  if (exec 3<>/dev/tcp/127.0.0.1/8787) 2>/dev/null; then
    echo "Something already listens on 127.0.0.1:8787; the kiosk will send its forms there."
    return
  fi
  "$repo/build/demo-council/tests/fake_council/fake-council" --port 8787 --port-file "$home/council.port" \
    --secret-key-file "$home/keys/council.key" --device-token dev-device-token \
    --webhook-secret "whsec_ZGV2ZWxvcG1lbnQtb25seS13ZWJob29rLXNlY3JldA==" \
    --state-file "$home/council-state.json" >"$home/council.log" 2>&1 &
  council_pid=$!
  echo "Demo council: http://127.0.0.1:8787 (what it received: http://127.0.0.1:8787/admin/received," \
    "signed webhooks: http://127.0.0.1:8787/admin/webhooks)"
}

# Services routed to "open311" (missed-bin in the sample pack) go to the Open311 replay server
# with the sample district's five services, on 127.0.0.1:8788, stopped when the kiosk stops.
start_demo_open311() {  # start_demo_open311 CONFIG
  local home; home="$(dirname "$1")"
  if (exec 3<>/dev/tcp/127.0.0.1/8788) 2>/dev/null; then
    echo "Something already listens on 127.0.0.1:8788; the kiosk will send Open311 reports there."
    return
  fi
  "$repo/build/demo-council/tests/open311_server/open311-server" --port 8788 \
    --data-dir "$repo/tests/open311_server/sample-district" --api-key test \
    --state-file "$home/open311-state.json" >"$home/open311.log" 2>&1 &
  open311_pid=$!
  echo "Demo Open311 server: http://127.0.0.1:8788 (what it received: http://127.0.0.1:8788/admin/requests)"
}

# Staff accounts for the development kiosk only, so a newcomer can try the staff screens at once.
make_demo_staff() {  # make_demo_staff CONFIG
  local kioskctl="$repo/build/kiosk/tools/kioskctl"
  if ! "$kioskctl" staff list --config "$1" | grep -q "Demo Admin"; then
    printf 'demo admin passphrase\ndemo admin passphrase\n' |
      "$kioskctl" staff add --role admin --name "Demo Admin" --config "$1" >/dev/null
    printf '2580\n2580\n' | "$kioskctl" staff add --role volunteer --name "Demo Volunteer" --config "$1" >/dev/null
  fi
  cat <<'TEXT'
Staff sign-in (development kiosk only): press and hold the top-left corner of the screen for
3 seconds, then choose
  "Demo Admin"      passphrase: demo admin passphrase
  "Demo Volunteer"  PIN: 2580
TEXT
}

case "${1:-}" in
  run)
    shift
    bash "$repo/installer/install-dependencies.sh"
    build "$repo/build" -DKIOSK_BUILD_TESTS=OFF  # the tests are not needed to run the kiosk
    # The demo council and Open311 server are the tests' servers: built on their own, without the
    # rest of the tests.
    build_targets "$repo/build/demo-council" "-DKIOSK_BUILD_TESTS=ON" fake-council open311-server >/dev/null
    config="$(make_dev_kiosk)"
    council_pid="" open311_pid="" mailbox_pid=""
    trap 'for pid in $council_pid $open311_pid $mailbox_pid; do kill "$pid" 2>/dev/null || true; done' EXIT
    start_demo_council "$config"
    start_demo_open311 "$config"
    start_demo_mailbox "$config"
    make_demo_staff "$config"
    status=0
    "$repo/build/kiosk/platform/council-kiosk" --config "$config" "$@" || status=$?
    exit "$status"
    ;;
  test)
    bash "$repo/installer/install-dependencies.sh"
    status=0
    echo "== Build with -Wall -Wextra -Werror and run every test"
    started=$SECONDS
    build "$repo/build/test"
    (cd "$repo/build/test" && ctest --output-on-failure -j"$jobs") || status=1
    stage_seconds "the -Werror stage" "$started"
    echo "== Build with AddressSanitizer + UndefinedBehaviorSanitizer and run every test again"
    started=$SECONDS
    build "$repo/build/test-asan" -DKIOSK_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
    (cd "$repo/build/test-asan" &&
      ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:suppressions=$repo/tests/asan.supp" \
      LSAN_OPTIONS="suppressions=$repo/tests/lsan.supp:print_suppressions=0" \
      UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1" \
      ctest --output-on-failure -j"$jobs") || status=1
    stage_seconds "the ASan stage" "$started"
    # The last two stages build only what their tests need, and a failed build marks the run
    # failed without stopping it, so one run still reports every stage.
    echo "== Build the sync and store tests with ThreadSanitizer and run them (the threaded code)"
    started=$SECONDS
    if build_targets "$repo/build/test-tsan" "-DKIOSK_TSAN=ON -DKIOSK_WERROR=ON" delivery_tests sync_tests store_tests; then
      (cd "$repo/build/test-tsan" &&
        TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" \
        ctest --output-on-failure -j"$jobs" -L '^(sync|store)$') || status=1
    else
      status=1
    fi
    stage_seconds "the TSan stage" "$started"
    echo "== Build the fuzz targets with clang and libFuzzer, fuzz each briefly and replay its regressions"
    started=$SECONDS
    if CC=clang CXX=clang++ build_targets "$repo/build/test-fuzz" \
      "-DKIOSK_FUZZ=ON -DKIOSK_WERROR=ON -DKIOSK_FUZZ_SECONDS=${KIOSK_FUZZ_SECONDS:-15}" fuzzers; then
      rm -f "$repo"/build/test-fuzz/tests/fuzz/work/*/summary.txt
      (cd "$repo/build/test-fuzz" && ctest --output-on-failure -j"$jobs" -L '^fuzz$') || status=1
      cat "$repo"/build/test-fuzz/tests/fuzz/work/*/summary.txt 2>/dev/null || true
    else
      status=1
    fi
    stage_seconds "the fuzz stage" "$started"
    exit "$status"
    ;;
  *)
    echo "usage: bash installer/dev.sh run [--fullscreen] | test" >&2
    exit 2
    ;;
esac
