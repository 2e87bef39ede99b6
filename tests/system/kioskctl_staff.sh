#!/usr/bin/env bash
# kioskctl staff and audit as a hub lead uses them: the first admin and a volunteer added with
# the secret piped in (never on the command line), mismatched and too-short secrets refused with
# nothing stored, a list without hashes, and audit verify passing, then naming the row that
# sqlite3 edited. The PIN and passphrase must appear in no output and nowhere in the database.
# usage: kioskctl_staff.sh KIOSKCTL WORK_DIR
set -euo pipefail
kioskctl="$1"; work="$2"
rm -rf "$work"; mkdir -p "$work"
fail() { echo "FAIL: $*"; exit 1; }
printf '{"kioskId": "staff-test", "dataDirectory": "%s/data"}\n' "$work" >"$work/kiosk.json"
cfg=(--config "$work/kiosk.json")
db="$work/data/kiosk.db"
pin="73920584"
passphrase="marigold terrace lantern"
out="$work/outputs.txt"; : >"$out"

# Runs kioskctl with stdin from the first argument, keeps stdout and stderr, returns its status.
run() {
  local input="$1"; shift
  local code=0
  printf '%b' "$input" | "$kioskctl" "$@" >"$work/last.txt" 2>&1 || code=$?
  cat "$work/last.txt" >>"$out"
  return $code
}

run '' staff list "${cfg[@]}" || fail "staff list on a new kiosk: $(cat "$work/last.txt")"
grep -q "No staff accounts yet" "$work/last.txt" || fail "empty list: $(cat "$work/last.txt")"

if run "$passphrase\nmarigold terrace lanterns\n" staff add --role admin --name "Hub Lead" "${cfg[@]}"; then
  fail "two different passphrases were accepted"
fi
grep -q "are different; nothing was saved" "$work/last.txt" || fail "mismatch message: $(cat "$work/last.txt")"
if run "too short\ntoo short\n" staff add --role admin --name "Hub Lead" "${cfg[@]}"; then
  fail "a 9-character passphrase was accepted"
fi
grep -q "at least 10 characters" "$work/last.txt" || fail "short passphrase message: $(cat "$work/last.txt")"
if run "$pin\n" staff add --role volunteer --name "Priya Shah" "${cfg[@]}"; then
  fail "a PIN typed once was accepted"
fi
if run "1234\n1234\n" staff add --role volunteer --name "Priya Shah" "${cfg[@]}"; then
  fail "the PIN 1234 was accepted"
fi
run '' staff list "${cfg[@]}"
grep -q "No staff accounts yet" "$work/last.txt" || fail "a refused account was stored: $(cat "$work/last.txt")"

run "$passphrase\n$passphrase\n" staff add --role admin --name "Hub Lead" "${cfg[@]}" \
  || fail "adding the admin: $(cat "$work/last.txt")"
grep -Eq "^Added admin 'Hub Lead' as stf-[0-9a-f]{12}\.$" "$work/last.txt" || fail "$(cat "$work/last.txt")"
run "$pin\r\n$pin\r\n" staff add --role volunteer --name "Priya Shah" "${cfg[@]}" \
  || fail "adding the volunteer: $(cat "$work/last.txt")"
volunteer_id="$(grep -Eo 'stf-[0-9a-f]{12}' "$work/last.txt")"

run '' staff list "${cfg[@]}" || fail "staff list"
grep -q "admin      Hub Lead" "$work/last.txt" || fail "list lacks the admin: $(cat "$work/last.txt")"
grep -q "$volunteer_id  volunteer  Priya Shah" "$work/last.txt" || fail "list lacks the volunteer: $(cat "$work/last.txt")"
if grep -q 'argon2' "$work/last.txt"; then fail "staff list shows a hash"; fi

# The hash is Argon2id at the product's cost for each role.
[ "$(sqlite3 "$db" "SELECT secret_hash FROM staff_accounts WHERE role = 'volunteer'" | cut -d'$' -f2,4)" = 'argon2id$m=65536,t=2,p=1' ] \
  || fail "volunteer hash: $(sqlite3 "$db" "SELECT substr(secret_hash, 1, 30) FROM staff_accounts")"
[ "$(sqlite3 "$db" "SELECT secret_hash FROM staff_accounts WHERE role = 'admin'" | cut -d'$' -f2,4)" = 'argon2id$m=262144,t=3,p=1' ] \
  || fail "admin hash"

run '' staff unlock "$volunteer_id" "${cfg[@]}" || fail "unlock: $(cat "$work/last.txt")"
grep -q "Unlocked 'Priya Shah'" "$work/last.txt" || fail "unlock message: $(cat "$work/last.txt")"
if run '' staff unlock stf-000000000000 "${cfg[@]}"; then fail "unlocking an unknown id succeeded"; fi

run '' audit verify "${cfg[@]}" || fail "audit verify on an untouched log: $(cat "$work/last.txt")"
[ "$(cat "$work/last.txt")" = "Audit log intact: 3 entries" ] || fail "$(cat "$work/last.txt")"
run '' audit show --limit 2 "${cfg[@]}" || fail "audit show"
[ "$(wc -l <"$work/last.txt")" -eq 2 ] || fail "audit show --limit 2: $(cat "$work/last.txt")"
grep -q "staff_unlocked" "$work/last.txt" || fail "audit show lacks the unlock: $(cat "$work/last.txt")"
grep -q "kioskctl:$(id -un)" "$work/last.txt" || fail "audit rows do not name who ran kioskctl"

# Nothing anywhere holds the secrets: outputs, the database, its WAL.
for secret in "$pin" "$passphrase"; do
  if grep -aqF "$secret" "$out"; then fail "kioskctl printed a secret"; fi
  for file in "$db" "$db-wal"; do
    if [ -e "$file" ] && grep -aqF "$secret" "$file"; then fail "a secret is in $(basename "$file")"; fi
  done
done

# Someone with sqlite3 drops the trigger and rewrites history: verify names the row.
sqlite3 "$db" "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET detail = 'nothing happened' WHERE sequence = 2;"
if run '' audit verify "${cfg[@]}"; then fail "audit verify passed an edited log"; fi
grep -q "Audit log NOT intact: Audit row 2 was edited" "$work/last.txt" || fail "verify message: $(cat "$work/last.txt")"
echo "PASS"
