#!/usr/bin/env bash
# Network chaos: thousands of sealed forms delivered by the kiosk's real SyncWorker through
# chaos-proxy, which resets connections before and after the council commits, delays, trickles,
# truncates and stalls answers, and answers in the council's place with captive-portal pages,
# 503s with Retry-After, 500s and 200s full of garbage; the fake council adds its own faults
# (503s, random 500s, resets after commit, truncated acknowledgements, captive portals).
# At the end every form must be delivered exactly once: the council holds one copy per key and
# the database says delivered for all, with nothing waiting or held back.
#
# Then a second batch goes through chaos-proxy acting as the HTTP proxy named in the kiosk's
# network.proxy setting (absolute-URI requests), to a council name only the proxy can resolve, so
# nothing can bypass it; a CONNECT tunnel through the same proxy is checked with curl.
#
# Then a batch split between the sample pack's three routes: missed-bin to open311-server through
# chaos-proxy (resets before and after the server commits, truncated, delayed and trickled
# answers, 503s; open311-server adds 503s and resets after commit of its own), moving-home by
# email straight to the SMTP test server (chaos-proxy speaks HTTP, not SMTP; the mailbox answers
# some messages with 451), fly-tipping to the fake council. open311-server can be searched, so
# every report must be there exactly once (counted by its "Kiosk reference: <ref>" line); each
# email at least once (repeats by Message-ID are counted, and a mailbox drops them). Captive
# portals, garbage 200s and gateway 500s are left out of this proxy: answered to a search, the
# open311 destination takes them for a server that cannot be searched (see the last part).
#
# Last, an Open311 server that cannot be searched (open311-server --no-request-search) and loses
# its first three answers after committing (--reset-after-commit 3): each of those reports is
# sent once more, reaches the server twice, and must be flagged possible_duplicate in the kiosk's
# database and counted in the summary; nothing is held back, nothing lost, nothing sent a third
# time.
#
# The worker runs with retryBaseSeconds 1 and retryCapSeconds 4: the production policy's shape
# (full jitter, Retry-After, the 1 s floor, stopping the round when the connection is at fault)
# at a scale that lets 10,000 forms finish in minutes. no_hot_loop.sh checks the production
# numbers (5 s base, 15 min cap).
#
# usage: network_chaos.sh SEALER SYNCER CHAOS_PROXY FAKE_COUNCIL OPEN311_SERVER KIOSKCTL WORK_DIR
#                         FORMS FORWARD_FORMS ROUTED_FORMS [SEED]
# Short mode (CTest): 500, 50 and 90 forms (30 per route). Full mode (reliability_full.sh):
# 10,000, 500 and 1,500. The unsearchable Open311 part is 30 forms in both.
set -euo pipefail

sealer="$1"; syncer="$2"; chaos_proxy="$3"; fake_council="$4"; open311_server="$5"; kioskctl="$6"; work="$7"
forms="$8"; forward_forms="$9"; routed_forms="${10}"; seed="${11:-$$}"
source "$(dirname "$0")/reliability_lib.sh"
council_keeps_state=0
open311_keeps_state=0
trap stop_servers EXIT
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY no_proxy NO_PROXY

if (( forms >= 5000 )); then
  # Each fault that concerns the whole connection costs the worker at least a second's pause,
  # so they are rarer here; 10,000 forms still meet each kind about a hundred times.
  faults="pass=88.8,delay=2,trickle=2,500=2,reset-before=0.8,reset-after=0.8,truncate=0.8,stall=0.2,portal=0.8,503=0.8,garbage=0.8"
  time_limit=3600
  council_faults=(--fail-first 5 --fail-fraction 0.01 --reset-after-commit 20 --truncate 10 --captive-portal 10)
else
  faults="pass=86.8,delay=3,trickle=3,500=4,reset-before=0.5,reset-after=0.5,truncate=0.5,stall=0.2,portal=0.5,503=0.5,garbage=0.5"
  time_limit=150
  council_faults=(--fail-first 2 --fail-fraction 0.01 --reset-after-commit 3 --truncate 2 --captive-portal 2)
fi

rm -rf "$work"; mkdir -p "$work/data" "$work/forward/data"
"$kioskctl" keys generate --out-dir "$work/keys" >/dev/null
cp -r "$work/keys" "$work/forward/keys"
start_seconds=$SECONDS

# 1. Residents seal the forms while the network is down.
write_config "$work/kiosk.json" "$work/data" "http://127.0.0.1:9"
"$sealer" --config "$work/kiosk.json" --count "$forms" --answer-bytes 200 --tag chaos >"$work/acks.txt" \
  || fail "sealing $forms forms failed: $(tail -2 "$work/acks.txt")"
seal_seconds=$((SECONDS - start_seconds))
db="$work/data/kiosk.db"
[ "$(queue_count "$db" sealed)" = "$forms" ] || fail "expected $forms sealed"

# 2. The network comes back, through the chaos proxy.
start_council "$fake_council" "$work" 0 "${council_faults[@]}" --seed "$seed"
start_proxy "$chaos_proxy" "$work" chaos --upstream "$council_port" --faults "$faults" --seed "$seed"
write_config "$work/kiosk.json" "$work/data" "http://127.0.0.1:$proxy_port" "" 1 4
sync_start=$SECONDS
"$syncer" --config "$work/kiosk.json" --seconds "$time_limit" --until-delivered "$forms" --progress-seconds 60 \
  >"$work/syncer.out" 2>&1 || true
sync_seconds=$((SECONDS - sync_start))
cat "$work/syncer.out"
stop_proxy
stats="$work/chaos-stats.json"
audit "$work" "$db" "http://127.0.0.1:$council_port" "$work/acks.txt"
fault_counts="$(jq -r '.faults | to_entries | map("\(.key)=\(.value)") | join(" ")' "$stats")"
proxy_requests="$(jq -r .requests "$stats")"
proxy_connections="$(jq -r .connections "$stats")"
echo "council: $audit_stats"
echo "SUMMARY network-chaos forms=$forms acknowledged=$audit_acknowledged delivered=$audit_delivered" \
  "council_keys=$audit_council resent=$audit_resent lost=$audit_lost duplicates=$audit_duplicates" \
  "waiting=$audit_sealed held_back=$audit_held_back proxy_requests=$proxy_requests" \
  "proxy_connections=$proxy_connections seal_seconds=$seal_seconds sync_seconds=$sync_seconds seed=$seed"
echo "FAULTS network-chaos $fault_counts council_faults='${council_faults[*]}'"
audit_ok || fail "network chaos: not every form was delivered exactly once (details in $work)"
[ "$audit_acknowledged" = "$forms" ] && [ "$audit_delivered" = "$forms" ] && [ "$audit_council" = "$forms" ] \
  || fail "network chaos: $forms sealed, $audit_delivered delivered, $audit_council at the council"
[ "$proxy_requests" -gt "$forms" ] || fail "the proxy saw only $proxy_requests requests: did traffic bypass it?"
stop_council

# 3. A batch through chaos-proxy as the configured HTTP proxy. "council.test" resolves nowhere:
# only the proxy knows it means this machine.
fwork="$work/forward"
start_council "$fake_council" "$fwork" 0 --fail-first 2 --reset-after-commit 2
write_config "$fwork/kiosk.json" "$fwork/data" "http://127.0.0.1:9"
"$sealer" --config "$fwork/kiosk.json" --count "$forward_forms" --tag forward >"$fwork/acks.txt" \
  || fail "sealing the forward-proxy batch failed"
start_proxy "$chaos_proxy" "$fwork" forward --forward --alias council.test --seed "$seed" \
  --faults "pass=92,reset-after=2,503=2,portal=2,truncate=1,trickle=1"
write_config "$fwork/kiosk.json" "$fwork/data" "http://council.test:$council_port" "http://127.0.0.1:$proxy_port" 1 4
"$syncer" --config "$fwork/kiosk.json" --seconds "$time_limit" --until-delivered "$forward_forms" \
  >"$fwork/syncer.out" 2>&1 || true
cat "$fwork/syncer.out"
tunnel="$(curl -sS --max-time 5 --proxytunnel -x "http://127.0.0.1:$proxy_port" "http://council.test:$council_port/v1/health" || true)"
stop_proxy
audit "$fwork" "$fwork/data/kiosk.db" "http://127.0.0.1:$council_port" "$fwork/acks.txt"
forwarded="$(jq -r '.other["forwarded-absolute-uri"] // 0' "$fwork/forward-stats.json")"
tunnels="$(jq -r '.other["connect-tunnels"] // 0' "$fwork/forward-stats.json")"
echo "SUMMARY forward-proxy forms=$forward_forms delivered=$audit_delivered council_keys=$audit_council" \
  "lost=$audit_lost duplicates=$audit_duplicates absolute_uri_requests=$forwarded connect_tunnels=$tunnels" \
  "faults='$(jq -r '.faults | to_entries | map(select(.value > 0)) | map("\(.key)=\(.value)") | join(" ")' "$fwork/forward-stats.json")'"
audit_ok && [ "$audit_delivered" = "$forward_forms" ] || fail "forward proxy: not every form was delivered exactly once"
[ "$forwarded" -ge "$forward_forms" ] || fail "only $forwarded requests went through the configured proxy"
[ "$tunnels" -ge 1 ] && grep -q '"ok"' <<<"$tunnel" || fail "a CONNECT tunnel through the proxy did not reach the council: $tunnel"
stop_council

# 4. Three routes: Open311 through chaos-proxy, email to the mailbox, the rest to the council.
rwork="$work/routed"
mkdir -p "$rwork/data"; cp -r "$work/keys" "$rwork/keys"
write_config "$rwork/kiosk.json" "$rwork/data" "http://127.0.0.1:9"
start_council "$fake_council" "$rwork" 0 --fail-first 2 --reset-after-commit 2
start_open311 "$open311_server" "$rwork" 0 --fail-first 2 --reset-after-commit 3
start_mailbox "$rwork" 0 --answer-451 3
start_proxy "$chaos_proxy" "$rwork" open311-chaos --upstream "$open311_port" --seed "$seed" \
  --faults "pass=78,reset-before=4,reset-after=6,truncate=4,delay=3,trickle=3,503=2"
open311_endpoint="http://127.0.0.1:$proxy_port/"; smtp_url="smtp://127.0.0.1:$mailbox_port"
mail_ca="$rwork/mail-tls/ca.pem"
write_config "$rwork/kiosk.json" "$rwork/data" "http://127.0.0.1:$council_port" "" 1 4
"$sealer" --config "$rwork/kiosk.json" --count "$routed_forms" --tag routed \
  --services missed-bin,moving-home,fly-tipping >"$rwork/acks.txt" || fail "sealing the routed batch failed"
"$syncer" --config "$rwork/kiosk.json" --seconds "$time_limit" --until-delivered "$routed_forms" \
  >"$rwork/syncer.out" 2>&1 || true
cat "$rwork/syncer.out"
stop_proxy
audit "$rwork" "$rwork/data/kiosk.db" "http://127.0.0.1:$council_port" "$rwork/acks.txt"
echo "SUMMARY routed forms=$routed_forms delivered=$audit_delivered lost=$audit_lost duplicates=$audit_duplicates" \
  "open311_reports=$audit_open311 open311_duplicates=$audit_open311_duplicates emails=$audit_mail" \
  "email_repeats=$audit_email_repeats council_forms=$(wc -l <"$rwork/audit-council.txt")" \
  "possible_duplicates=$audit_possible_duplicates waiting=$audit_sealed held_back=$audit_held_back" \
  "open311_proxy_requests=$(jq -r .requests "$rwork/open311-chaos-stats.json")" \
  "faults='$(jq -r '.faults | to_entries | map(select(.value > 0)) | map("\(.key)=\(.value)") | join(" ")' "$rwork/open311-chaos-stats.json")'"
audit_ok && [ "$audit_delivered" = "$routed_forms" ] || fail "routed batch: not every form was delivered exactly once (details in $rwork)"
[ "$audit_open311_duplicates" = 0 ] && [ "$audit_possible_duplicates" = 0 ] \
  || fail "routed batch: open311-server can be searched, yet $audit_open311_duplicates reports are there twice"
[ "$audit_open311" -gt 0 ] && [ "$audit_mail" -gt 0 ] || fail "routed batch: no Open311 report or no email arrived"
stop_servers

# 5. An Open311 server that cannot be searched and loses three answers after committing.
uwork="$work/unsearchable"
mkdir -p "$uwork/data"; cp -r "$work/keys" "$uwork/keys"
smtp_url=""; mail_ca=""
start_council "$fake_council" "$uwork" 0
start_open311 "$open311_server" "$uwork" 0 --no-request-search --reset-after-commit 3
open311_endpoint="http://127.0.0.1:$open311_port/"
write_config "$uwork/kiosk.json" "$uwork/data" "http://127.0.0.1:$council_port" "" 1 4
"$sealer" --config "$uwork/kiosk.json" --count 30 --tag unsearchable --services missed-bin,fly-tipping \
  >"$uwork/acks.txt" || fail "sealing the unsearchable batch failed"
"$syncer" --config "$uwork/kiosk.json" --seconds "$time_limit" --until-delivered 30 >"$uwork/syncer.out" 2>&1 || true
cat "$uwork/syncer.out"
audit "$uwork" "$uwork/data/kiosk.db" "http://127.0.0.1:$council_port" "$uwork/acks.txt"
status_duplicates="$("$kioskctl" status --json --config "$uwork/kiosk.json" | jq -r '.queue.possible_duplicates // "missing"')"
echo "SUMMARY open311-unsearchable forms=30 delivered=$audit_delivered lost=$audit_lost" \
  "open311_reports=$audit_open311 open311_duplicates=$audit_open311_duplicates" \
  "possible_duplicates=$audit_possible_duplicates status_possible_duplicates=$status_duplicates" \
  "unflagged_duplicates=$(wc -l <"$uwork/audit-unflagged.txt") waiting=$audit_sealed held_back=$audit_held_back"
audit_ok && [ "$audit_delivered" = 30 ] || fail "unsearchable Open311: not every form was delivered once (details in $uwork)"
[ "$audit_open311_duplicates" = 3 ] && [ "$audit_possible_duplicates" = 3 ] \
  || fail "unsearchable Open311: 3 answers were lost after commit, yet $audit_open311_duplicates reports are there twice and $audit_possible_duplicates are flagged"
[ "$status_duplicates" = 3 ] || fail "kioskctl status reports $status_duplicates possible duplicates, expected 3"
[ "$(awk '$4 == "open311" && $3 > 2' "$uwork/audit-servers.txt" | wc -l)" = 0 ] || fail "a report reached open311-server three times"
echo "PASS: $forms forms through the chaos proxy and $forward_forms through it as the configured HTTP proxy, each delivered exactly once;" \
  "$routed_forms split between Open311 (through the proxy), email and the council, none lost or twice at open311-server;" \
  "3 possible duplicates at an Open311 server that cannot be searched, flagged and counted"
