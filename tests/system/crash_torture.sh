#!/usr/bin/env bash
# Crash torture: a sealing process and a delivering process share one kiosk data directory, and
# one of them is killed with SIGKILL at a random moment, again and again. The forms take the
# sample pack's routes to three real servers over loopback: missed-bin to open311-server (the
# sample district), moving-home by email to the SMTP test server (STARTTLS, AUTH), fly-tipping to
# the fake council. Kills land while forms are being sealed, between a seal's commit and the
# resident seeing the reference, while a form is on its way to a server, and after a server
# committed but before the kiosk recorded it. The council's and open311-server's fault flags
# change every few iterations (slow answers, resets after commit, random 500s, truncated answers,
# captive portals, 503s); the mailbox answers its first messages with 451.
#
# After every kill SQLite's integrity_check must say ok. At the end the queue is drained and the
# audit (reliability_lib.sh) must find every acknowledged form delivered, at the server its
# service names: once at the council (it deduplicates by key), once at open311-server (counted by
# the "Kiosk reference: <ref>" line of each report's description: it can be searched, so 0
# duplicates), and at least once in the mailbox (counted by Message-ID: a kill after the server's
# 250 and before the kiosk recorded it sends the message again, which a mailbox drops as a
# repeat; such repeats are counted and reported). Nothing may be lost, nothing may be at a server
# the kiosk does not know, and nothing may be left waiting.
#
# usage: crash_torture.sh SEALER KIOSKCTL FAKE_COUNCIL OPEN311_SERVER WORK_DIR KILLS [SEED]
# Iterates until KILLS kills have landed (a kill that comes after its process finished does not
# count). Short mode (CTest) uses 20 kills, the full run (reliability_full.sh) 500.
set -euo pipefail

sealer="$1"; kioskctl="$2"; fake_council="$3"; open311_server="$4"; work="$5"; target_kills="$6"
seed="${7:-$$}"
source "$(dirname "$0")/reliability_lib.sh"
trap stop_servers EXIT
RANDOM=$seed

rm -rf "$work"; mkdir -p "$work/data" "$work/iteration"
"$kioskctl" keys generate --out-dir "$work/keys" >/dev/null
db="$work/data/kiosk.db"
acks="$work/acks.txt"; : >"$acks"

# Council fault phases, cycled through; each starts a fresh council process that reloads its
# deduplication state. A small delay keeps each request in flight long enough to be killed in.
phases=(
  "--delay-ms 5"
  "--delay-ms 30"
  "--delay-ms 10 --reset-after-commit 4"
  "--delay-ms 5 --fail-fraction 0.3"
  "--delay-ms 5 --truncate 2 --captive-portal 2 --fail-first 2"
)
# open311-server's phases, alongside; it keeps its reports in a state file across restarts.
open311_phases=(
  "--delay-ms 5"
  "--delay-ms 30"
  "--delay-ms 10 --reset-after-commit 2"
  "--delay-ms 5 --fail-first 2"
  "--delay-ms 20 --reset-after-commit 1"
)
services="missed-bin,moving-home,fly-tipping"
phase_length=$(( target_kills / 20 )); [ "$phase_length" -ge 2 ] || phase_length=2
start_council "$fake_council" "$work" 0 ${phases[0]}
start_open311 "$open311_server" "$work" 0 ${open311_phases[0]}
# The mailbox runs throughout (it numbers its files from 1 when started).
start_mailbox "$work" 0 --answer-451 2
api="http://127.0.0.1:$council_port"
open311_endpoint="http://127.0.0.1:$open311_port/"
smtp_url="smtp://127.0.0.1:$mailbox_port"
mail_ca="$work/mail-tls/ca.pem"
write_config "$work/kiosk.json" "$work/data" "$api"
"$kioskctl" status --config "$work/kiosk.json" >/dev/null  # creates and migrates the database

# How long each process lives here (a sanitizer build or a busy machine starts slower): kill
# delays are drawn over start-up plus the work, so most kills land while it is working.
# The quickest of three runs: the first pays for cold caches. A sealer run seals at most 8 forms.
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
startup_ms=1000000; sealer_window_ms=1000000
for _ in 1 2 3; do
  t0=$(now_ms); "$kioskctl" status --config "$work/kiosk.json" >/dev/null
  elapsed=$(( $(now_ms) - t0 )); (( elapsed < startup_ms )) && startup_ms=$elapsed
  t0=$(now_ms)
  "$sealer" --config "$work/kiosk.json" --count 8 --pause-ms 4 --ack-delay-ms 3 --tag calibration \
    --services "$services" >>"$acks"
  elapsed=$(( $(now_ms) - t0 )); (( elapsed < sealer_window_ms )) && sealer_window_ms=$elapsed
done
# Most runs seal fewer than 8 forms, and the measurement includes starting `date` twice.
sealer_window_ms=$(( sealer_window_ms * 2 / 3 + 1 ))
delivery_window_ms=$(( startup_ms + 120 ))
echo "kill windows: sealer 0-${sealer_window_ms} ms, delivery 5-$((5 + delivery_window_ms)) ms (start-up ${startup_ms} ms)"

# A pause without starting a process (sleep, awk): on a loaded machine a fork and exec can take
# longer than a short sealer lives, and the kill would always come too late. read -t on a pipe
# that never has data is bash's own timer.
exec {pause_fd}<> <(:)

kills=0; sealer_kills=0; delivery_kills=0; missed=0; integrity_failures=0
committed_unacknowledged=0; between_commit_and_ack=0
start_seconds=$SECONDS

for ((i = 0; kills < target_kills && i < 2 * target_kills + 20; i++)); do
  if (( i > 0 && i % phase_length == 0 )); then
    stop_council
    start_council "$fake_council" "$work" "$council_port" ${phases[$(( (i / phase_length) % ${#phases[@]} ))]}
    stop_open311
    start_open311 "$open311_server" "$work" "$open311_port" \
      ${open311_phases[$(( (i / phase_length) % ${#open311_phases[@]} ))]}
  fi
  rows_before=$(sqlite3 -cmd ".timeout 10000" "$db" "SELECT count(*) FROM submissions" 2>/dev/null || echo 0)
  out="$work/iteration/sealer.out"
  # Emptied here, not by the child's redirection: a kill that lands before the child has opened
  # the file would otherwise leave the last iteration's ACK lines to be counted a second time.
  : >"$out"

  count=$(( 1 + RANDOM % 8 ))
  "$sealer" --config "$work/kiosk.json" --count "$count" --pause-ms 4 --ack-delay-ms 3 \
    --seed "$RANDOM$RANDOM" --tag "i$i" --services "$services" >"$out" 2>"$work/iteration/sealer.err" &
  sealer_pid=$!
  "$kioskctl" sync --once --config "$work/kiosk.json" >"$work/iteration/sync.out" 2>&1 &
  sync_pid=$!

  if (( RANDOM % 2 == 0 )); then
    victim=$sealer_pid; victim_name=sealer; delay_ms=$(( RANDOM % sealer_window_ms ))
  else
    victim=$sync_pid; victim_name=delivery; delay_ms=$(( 5 + RANDOM % delivery_window_ms ))
  fi
  printf -v delay_seconds '%d.%03d' $((delay_ms / 1000)) $((delay_ms % 1000))
  read -r -t "$delay_seconds" -u "$pause_fd" || true
  if kill -9 "$victim" 2>/dev/null; then
    kills=$((kills + 1))
    if [ "$victim_name" = sealer ]; then sealer_kills=$((sealer_kills + 1)); else delivery_kills=$((delivery_kills + 1)); fi
  else
    missed=$((missed + 1))  # it had already finished
  fi
  wait "$sealer_pid" 2>/dev/null || true
  wait "$sync_pid" 2>/dev/null || true

  verdict="$(integrity "$db")"
  if [ "$verdict" != "ok" ]; then
    integrity_failures=$((integrity_failures + 1))
    echo "integrity_check after iteration $i ($victim_name killed after ${delay_ms} ms): $verdict" >&2
    cp "$db"* "$work/" 2>/dev/null || true
  fi

  # Only whole lines count: a line cut short by the kill was never fully shown.
  new_acks=$(grep -c '^ACK [^ ]* [^ ]*$' "$out" || true)
  grep '^ACK [^ ]* [^ ]*$' "$out" >>"$acks" || true
  rows_after=$(sqlite3 -cmd ".timeout 10000" "$db" "SELECT count(*) FROM submissions")
  unacknowledged=$(( rows_after - rows_before - new_acks ))
  if (( unacknowledged < 0 )); then
    echo "iteration $i: $new_acks acknowledged but only $((rows_after - rows_before)) rows added" >&2
    integrity_failures=$((integrity_failures + 1))
  fi
  committed_unacknowledged=$((committed_unacknowledged + unacknowledged))
  if [ "$victim_name" = sealer ] && (( unacknowledged > 0 )); then between_commit_and_ack=$((between_commit_and_ack + 1)); fi
done

# Drain: well-behaved servers, then sync until nothing waits.
stop_council
start_council "$fake_council" "$work" "$council_port"
stop_open311
start_open311 "$open311_server" "$work" "$open311_port"
for _ in $(seq 1 20); do
  "$kioskctl" sync --once --config "$work/kiosk.json" >"$work/drain.out" 2>&1 || true
  [ "$(queue_count "$db" sealed)" = 0 ] && break
  sleep 1
done
verdict="$(integrity "$db")"
[ "$verdict" = ok ] || integrity_failures=$((integrity_failures + 1))

audit "$work" "$db" "$api" "$acks"
echo "council: $audit_stats; resent keys (receivedCount > 1): $audit_resent"
echo "SUMMARY crash-torture iterations=$i kills=$kills sealer_kills=$sealer_kills" \
  "delivery_kills=$delivery_kills missed_kills=$missed killed_between_commit_and_ack=$between_commit_and_ack" \
  "acknowledged=$audit_acknowledged committed_unacknowledged=$committed_unacknowledged rows=$audit_rows" \
  "delivered=$audit_delivered server_copies=$audit_council resent=$audit_resent lost=$audit_lost" \
  "duplicates=$audit_duplicates open311_reports=$audit_open311 open311_duplicates=$audit_open311_duplicates" \
  "emails=$audit_mail email_repeats=$audit_email_repeats possible_duplicates=$audit_possible_duplicates" \
  "integrity_failures=$integrity_failures waiting=$audit_sealed" \
  "held_back=$audit_held_back seconds=$((SECONDS - start_seconds)) seed=$seed"
if [ "$integrity_failures" != 0 ] || ! audit_ok || [ "$audit_open311_duplicates" != 0 ]; then
  [ -s "$work/audit-unflagged.txt" ] && { echo "stored twice at open311-server:"; head "$work/audit-unflagged.txt"; }
  [ -s "$work/audit-lost.txt" ] && { echo "lost:"; head "$work/audit-lost.txt"; }
  [ -s "$work/audit-phantom.txt" ] && { echo "at the council but not in the database:"; head "$work/audit-phantom.txt"; }
  fail "crash torture found a violation (details in $work)"
fi
[ "$kills" -ge "$target_kills" ] || fail "only $kills of $target_kills kills landed in $i iterations: the delays do not match the processes' lifetimes"
[ "$audit_open311" -gt 0 ] && [ "$audit_mail" -gt 0 ] || fail "the run delivered $audit_open311 Open311 reports and $audit_mail emails: each route must carry forms"
echo "PASS: $kills kills, $audit_acknowledged acknowledged forms delivered (council and open311-server exactly once, $audit_email_repeats repeated emails dropped by Message-ID)"
