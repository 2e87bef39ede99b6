#!/usr/bin/env bash
# kioskctl stats: the CSV export a council officer opens in a spreadsheet, and the readable
# summary, on a kiosk whose counters and help sessions were written straight into its database.
# usage: kioskctl_stats.sh KIOSKCTL WORK_DIR   (needs the sqlite3 command-line tool)
set -euo pipefail
kioskctl="$1"; work="$2"
fail() { echo "FAIL: $*"; exit 1; }
rm -rf "$work"; mkdir -p "$work"
printf '{"kioskId": "stats-test", "dataDirectory": "%s/data", "council": {}}\n' "$work" >"$work/kiosk.json"
"$kioskctl" status --config "$work/kiosk.json" >/dev/null  # creates and migrates the database
db="$work/data/kiosk.db"

today=$(( $(date -u +%s) / 86400 ))
now_ms=$(( $(date -u +%s) * 1000 ))
today_date=$(date -u +%F)
yesterday_date=$(date -u -d "@$(( (today - 1) * 86400 ))" +%F)
sqlite3 "$db" <<SQL
INSERT INTO usage_daily (day, kind, service_id, language, assisted, count) VALUES
  ($today, 'form_sent', 'missed-bin', 'pl', 1, 2),
  ($today, 'form_sent', 'missed-bin', 'en', 0, 3),
  ($today, 'service_started', 'missed-bin', 'en', 0, 7),
  ($((today - 1)), 'session_started', '', '', 0, 9),
  ($((today - 40)), 'session_started', '', '', 0, 1000);
INSERT INTO help_sessions (help_session_id, volunteer_id, topic, minutes, outcome, language,
  recorded_at_ms, request_body, next_attempt_at_ms) VALUES
  ('6f1c2b1e-0d8a-4c52-9b7e-3f0a1d2c4e5f', 'stf-3f9a1c2b7d0e', 'nhs-app', 20, 'done', NULL, $now_ms, X'7B7D', $now_ms);
SQL

"$kioskctl" stats --csv --days 7 --config "$work/kiosk.json" >"$work/stats.csv"
expected="date,event,service_id,language,assisted,topic,count
$yesterday_date,session_started,,,,,9
$today_date,form_sent,missed-bin,en,no,,3
$today_date,form_sent,missed-bin,pl,yes,,2
$today_date,help_session,,,,nhs-app,1
$today_date,service_started,missed-bin,en,,,7"
[ "$(tr -d '\r' <"$work/stats.csv")" = "$expected" ] || fail "unexpected CSV: $(cat -A "$work/stats.csv")"
# RFC 4180 line ends, and nothing about the volunteer.
[ "$(grep -c $'\r$' "$work/stats.csv")" = 6 ] || fail "the CSV lines do not end in CRLF"
if grep -q "stf-" "$work/stats.csv"; then fail "the CSV names a volunteer"; fi
# The 40-day-old sessions come in with a longer window.
"$kioskctl" stats --csv --days 60 --config "$work/kiosk.json" | grep -q ",session_started,,,,,1000" \
  || fail "--days 60 left out older counts"

summary="$("$kioskctl" stats --config "$work/kiosk.json")"
grep -qF "forms sent:       5 (2 with a volunteer, 40%)" <<<"$summary" || fail "summary: $summary"
grep -qF "missed-bin: 7 / 0 / 5" <<<"$summary" || fail "summary: $summary"
grep -qF "nhs-app: 1" <<<"$summary" || fail "summary: $summary"

status="$("$kioskctl" status --json --config "$work/kiosk.json")"
[ "$(jq -c '.helpSessions | {sealed, delivered, held_back}' <<<"$status")" = '{"sealed":1,"delivered":0,"held_back":0}' ] \
  || fail "status: $status"
if "$kioskctl" stats --days 0 --config "$work/kiosk.json" 2>/dev/null; then fail "--days 0 was accepted"; fi
echo "PASS"
