#!/usr/bin/env bash
# No hot loop: with the council down, the kiosk's real SyncWorker, with the production retry
# policy (5 s base, 15 min cap, full jitter, 1 s floor), must back off rather than hammer the
# network, however many forms are waiting. Two kiosks with a queue each run side by side for
# SECONDS of wall time:
#   - one reaches the council through chaos-proxy --down, which resets every connection as soon
#     as it is accepted and times each one: the attempts are counted on the wire;
#   - one points at a loopback port where nothing listens (connection refused): its attempts are
#     counted from the database (each attempt adds one to a submission's attempts).
# Each count must not exceed the most attempts the policy allowed in SECONDS in any of 200,000
# simulated outages (reliability-syncer --simulate-policy, built on the same Backoff class).
#
# usage: no_hot_loop.sh SEALER SYNCER CHAOS_PROXY KIOSKCTL WORK_DIR SECONDS [QUEUE]
# Short mode (CTest): 30 s. Full mode (reliability_full.sh): 60 s.
set -euo pipefail

sealer="$1"; syncer="$2"; chaos_proxy="$3"; kioskctl="$4"; work="$5"; seconds="$6"; queue="${7:-100}"
source "$(dirname "$0")/reliability_lib.sh"
trap stop_servers EXIT
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY no_proxy NO_PROXY

rm -rf "$work"; mkdir -p "$work/proxied/data" "$work/refused/data"
"$kioskctl" keys generate --out-dir "$work/proxied/keys" >/dev/null
cp -r "$work/proxied/keys" "$work/refused/keys"
for kiosk in proxied refused; do
  write_config "$work/$kiosk/kiosk.json" "$work/$kiosk/data" "http://127.0.0.1:9"
  "$sealer" --config "$work/$kiosk/kiosk.json" --count "$queue" --tag "$kiosk" >"$work/$kiosk/acks.txt" \
    || fail "sealing the queue failed"
done

start_proxy "$chaos_proxy" "$work" down --down
refused_port=9  # discard: nothing listens there on these machines (offline_then_deliver.sh relies on it too)
write_config "$work/proxied/kiosk.json" "$work/proxied/data" "http://127.0.0.1:$proxy_port" "" 5 900
write_config "$work/refused/kiosk.json" "$work/refused/data" "http://127.0.0.1:$refused_port" "" 5 900

"$syncer" --config "$work/proxied/kiosk.json" --seconds "$seconds" >"$work/proxied/syncer.out" 2>&1 &
proxied_pid=$!
"$syncer" --config "$work/refused/kiosk.json" --seconds "$seconds" >"$work/refused/syncer.out" 2>&1 &
refused_pid=$!
"$syncer" --simulate-policy --seconds "$seconds" --base 5 --cap 900 --runs 200000 >"$work/policy.out"
wait "$proxied_pid" || fail "the proxied worker failed: $(cat "$work/proxied/syncer.out")"
wait "$refused_pid" || fail "the refused worker failed: $(cat "$work/refused/syncer.out")"
stop_proxy

policy_mean="$(sed -n 's/^POLICY mean=\([0-9.]*\) .*/\1/p' "$work/policy.out")"
policy_max="$(sed -n 's/^POLICY .* max=\([0-9]*\) .*/\1/p' "$work/policy.out")"
stats="$work/down-stats.json"
wire_attempts="$(jq -r .connections "$stats")"
intervals="$(jq -r '.acceptTimes | [range(1; length) as $i | (.[$i] - .[$i - 1]) * 10 | round / 10] | map(tostring) | join(",")' "$stats")"
proxied_recorded="$(sqlite3 "$work/proxied/data/kiosk.db" "SELECT sum(attempts) FROM submissions")"
refused_attempts="$(sqlite3 "$work/refused/data/kiosk.db" "SELECT sum(attempts) FROM submissions")"
rate() { awk -v n="$1" -v s="$seconds" 'BEGIN { printf "%.3f", n / s }'; }

echo "proxied: $(head -1 "$work/proxied/syncer.out"); intervals between attempts (s): $intervals"
echo "refused: $(head -1 "$work/refused/syncer.out")"
echo "SUMMARY no-hot-loop seconds=$seconds queue=$queue wire_attempts=$wire_attempts" \
  "wire_requests_per_second=$(rate "$wire_attempts") refused_attempts=$refused_attempts" \
  "refused_requests_per_second=$(rate "$refused_attempts") policy_mean=$policy_mean policy_max=$policy_max"

[ "$wire_attempts" -ge 1 ] && [ "$refused_attempts" -ge 1 ] || fail "a worker never tried to deliver"
[ "$proxied_recorded" = "$wire_attempts" ] \
  || fail "the database recorded $proxied_recorded attempts but the proxy saw $wire_attempts connections"
[ "$wire_attempts" -le "$policy_max" ] \
  || fail "hot loop: $wire_attempts attempts in $seconds s through the proxy; the policy allows at most $policy_max (mean $policy_mean)"
[ "$refused_attempts" -le "$policy_max" ] \
  || fail "hot loop: $refused_attempts attempts in $seconds s against a refused port; the policy allows at most $policy_max (mean $policy_mean)"
[ "$(queue_count "$work/proxied/data/kiosk.db" sealed)" = "$queue" ] || fail "forms left the queue while the council was down"
echo "PASS: $wire_attempts and $refused_attempts attempts in $seconds s with the council down (policy: at most $policy_max, mean $policy_mean)"
