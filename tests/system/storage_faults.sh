#!/usr/bin/env bash
# Storage faults on a real file system, beyond what tests/store's fault VFS covers inside SQLite:
#
# (a) Disk full. The data directory lives on a 2 MB tmpfs. Forms are sealed until the disk is
#     full, the rest of the space is taken by a filler file, and a resident then sends a form
#     with the headless kiosk: it must show "Your form has not been sent" and no reference.
#     Every form acknowledged before must still be there, integrity_check must say ok, and once
#     space is freed sealing works again, in the kiosk too. Where mounting a tmpfs is not
#     allowed, libfiu makes every pwrite fail with ENOSPC instead (said in the summary).
# (b) I/O errors with libfiu (fiu-run -x): fdatasync failing always, pwrite failing at random,
#     write and fsync failing. Sealing must report failure (the kiosk shows the seal-failed
#     screen), nothing acknowledged may be lost, and integrity_check must say ok afterwards.
#     A seal reported as failed whose row is nevertheless there when the database is opened
#     again is counted as "reappeared": the resident was told the form was not sent.
#
# usage: storage_faults.sh SEALER KIOSK KIOSKCTL WORK_DIR [ROUNDS]
# ROUNDS repeats the random libfiu cases with other seeds (short mode 1, full mode 5).
set -euo pipefail

sealer="$1"; kiosk="$2"; kioskctl="$3"; work="$4"; rounds="${5:-1}"
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/reliability_lib.sh"
mounted=""
cleanup() { if [ -n "$mounted" ]; then umount "$mounted" 2>/dev/null || umount -l "$mounted" 2>/dev/null || true; fi; }
trap cleanup EXIT
# libfiu's preloaded wrappers and AddressSanitizer's interceptors crash each other, so the
# libfiu cases only run with an ordinary build; the sanitizer build still runs the tmpfs case.
asan=0
# (Not `ldd | grep -q`: under pipefail, ldd killed by SIGPIPE after an early match reads as "no".)
case "$(ldd "$sealer" 2>/dev/null)" in *libasan*) asan=1 ;; esac

umount "$work/mnt" 2>/dev/null || true  # left mounted by a run that was killed
rm -rf "$work"; mkdir -p "$work"
"$kioskctl" keys generate --out-dir "$work/keys" >/dev/null
failures=0
check() {  # check CONDITION-TEXT RESULT
  if [ "$2" != ok ]; then echo "FAIL: $1: $2" >&2; failures=$((failures + 1)); fi
}

# run_kiosk NAME DATA_DIR SCRIPT [fiu-run args...]: the headless kiosk sends one form.
run_kiosk() {
  local name="$1" data="$2" script="$3"; shift 3
  local command=("$kiosk" --headless --size 1920x1080 --no-sync --config "$work/kiosk.json" --data-dir "$data"
                 --script "$script" --screenshots "$work/shots/$name")
  if [ $# -gt 0 ]; then command=(fiu-run -x "$@" "${command[@]}"); fi
  "${command[@]}" >"$work/$name.log" 2>&1
}

# acked_present DB ACKS: "ok" when every acknowledged reference is in the database under its key.
acked_present() {
  local missing
  sqlite3 -cmd ".timeout 10000" -separator ' ' "$1" "SELECT reference, submission_id FROM submissions" \
    >"$work/present.txt" 2>&1 || true
  missing=$(awk 'FILENAME == ARGV[1] { have[$1 " " $2] = 1; next } $1 == "ACK" && !(($2 " " $3) in have)' \
    "$work/present.txt" "$2" | wc -l)
  if [ "$missing" = 0 ]; then echo ok; else echo "$missing acknowledged forms missing"; fi
}

write_config "$work/kiosk.json" "$work/data" ""

# ---- (a) disk full ------------------------------------------------------------------------
mnt="$work/mnt"; mkdir -p "$mnt"
if mount -t tmpfs -o size=2m tmpfs "$mnt" 2>"$work/mount.err"; then
  mounted="$mnt"; disk_method="tmpfs 2 MB"
  full_fiu=()
elif [ "$asan" = 1 ]; then
  echo "SUMMARY disk-full skipped=no-tmpfs-and-AddressSanitizer-build (mount: $(head -1 "$work/mount.err"))"
  echo "PASS: nothing to run here without a tmpfs; the ordinary build uses libfiu instead"
  exit 0
else
  disk_method="libfiu ENOSPC (mount not permitted: $(head -1 "$work/mount.err"))"
  full_fiu=(-c "enable name=posix/io/rw/pwrite,failinfo=28")
fi
data="$mnt/data"; mkdir -p "$data"
full_acks="$work/full-acks.txt"
"$sealer" --config "$work/kiosk.json" --data-dir "$data" --count 3 --tag before >"$full_acks" || fail "sealing before the disk filled failed"
if [ -n "$mounted" ]; then
  # Something else (logs, a download) takes all but 384 KB; forms fill that; the filler then
  # takes whatever SQLite left. Freeing the filler later gives back more than the forms hold, as
  # a checkpoint needs: every page still in the WAL is copied into the database file.
  available=$(df -B1 --output=avail "$mnt" | tail -1)
  head -c $(( available - 384 * 1024 )) /dev/zero >"$mnt/filler"
  "$sealer" --config "$work/kiosk.json" --data-dir "$data" --count 0 --answer-bytes 4096 --tag fill >>"$full_acks" || true
  # A failed seal leaves its WAL frames' space allocated, and a smaller seal fits there: fill
  # with the smallest forms too, so no form the kiosk makes can fit.
  "$sealer" --config "$work/kiosk.json" --data-dir "$data" --count 0 --answer-bytes 0 --tag fill-small >>"$full_acks" || true
  dd if=/dev/zero of="$mnt/filler-rest" bs=4096 >/dev/null 2>&1 || true
  fill_failure="$(grep '^FAIL' "$full_acks" | tail -1 | awk '{print $2}')"
else
  fiu-run -x "${full_fiu[@]}" "$sealer" --config "$work/kiosk.json" --data-dir "$data" --count 3 --keep-going \
    --tag fill >>"$full_acks" || true
  fill_failure="$(grep '^FAIL' "$full_acks" | tail -1 | awk '{print $2}')"
fi
full_acked=$(grep -c '^ACK ' "$full_acks" || true)
check "sealing on a full disk reports disk_full" "$([ "$fill_failure" = disk_full ] && echo ok || echo "reported '$fill_failure'")"
check "integrity while the disk is full" "$(integrity "$data/kiosk.db")"

# A resident sends a form on the full disk.
if [ -n "$mounted" ]; then run_kiosk full-send "$data" "$here/send-when-storage-fails.txt" && kiosk_full=ok || kiosk_full="script failed"
else run_kiosk full-send "$data" "$here/send-when-storage-fails.txt" "${full_fiu[@]}" && kiosk_full=ok || kiosk_full="script failed"; fi
check "the kiosk shows the seal-failed screen on a full disk" "$kiosk_full"
kiosk_full_reason="$(grep -o 'could not be sealed ([a-z_]*' "$work/full-send.log" | head -1 | sed 's/.*(//')"
[ -n "$kiosk_full_reason" ] || kiosk_full_reason="$(grep -o 'cannot be opened ([a-z_]*' "$work/full-send.log" | head -1 | sed 's/.*(/open: /')"
check "nothing acknowledged lost on a full disk" "$(acked_present "$data/kiosk.db" "$full_acks")"
rows_full=$(sqlite3 -cmd ".timeout 10000" "$data/kiosk.db" "SELECT count(*) FROM submissions")
check "no row from a failed seal on a full disk" "$([ "$rows_full" = "$full_acked" ] && echo ok || echo "$rows_full rows for $full_acked acknowledged")"

# Space comes back.
rm -f "$mnt/filler" "$mnt/filler-rest"
"$sealer" --config "$work/kiosk.json" --data-dir "$data" --count 3 --tag after >>"$full_acks" && after=ok || after="sealing failed"
check "sealing works again once space is freed" "$after"
run_kiosk full-recovered "$data" "$here/send-when-storage-works.txt" && kiosk_recovered=ok || kiosk_recovered="script failed"
check "the kiosk seals again once space is freed" "$kiosk_recovered"
check "integrity after the disk was freed" "$(integrity "$data/kiosk.db")"
check "nothing acknowledged lost after the disk was freed" "$(acked_present "$data/kiosk.db" "$full_acks")"
# A kiosk that starts while the disk is full cannot even open its database (opening makes the
# WAL's shared-memory file): Send shows the same screen. (tests/ui checks that the next Send after
# space is freed works without a restart.)
kiosk_start="not run"
if [ -n "$mounted" ]; then
  dd if=/dev/zero of="$mnt/filler" bs=4096 >/dev/null 2>&1 || true
  run_kiosk full-start "$data" "$here/send-when-storage-fails.txt" && kiosk_start=ok || kiosk_start="script failed"
  check "a kiosk started on a full disk shows the seal-failed screen" "$kiosk_start"
  grep -q 'cannot be opened' "$work/full-start.log" && kiosk_start="ok (database could not open)"
  rm -f "$mnt/filler"
  check "integrity after a kiosk started on a full disk" "$(integrity "$data/kiosk.db")"
  check "nothing acknowledged lost after a kiosk started on a full disk" "$(acked_present "$data/kiosk.db" "$full_acks")"
fi
full_acked=$(grep -c '^ACK ' "$full_acks" || true)
echo "SUMMARY disk-full method='$disk_method' acknowledged=$full_acked failed_with=$fill_failure" \
  "kiosk_seal_failed_screen=$kiosk_full kiosk_reason=${kiosk_full_reason:-none} kiosk_after_freeing=$kiosk_recovered" \
  "kiosk_started_on_full_disk='$kiosk_start'" \
  "lost=$( [ "$(acked_present "$data/kiosk.db" "$full_acks")" = ok ] && echo 0 || echo some)" \
  "integrity=$(integrity "$data/kiosk.db")"
cleanup; mounted=""

# ---- (b) I/O errors with libfiu ------------------------------------------------------------
if [ "$asan" = 1 ]; then
  echo "SUMMARY io-errors skipped=AddressSanitizer-build (libfiu's preload and ASan do not mix; the ordinary build runs them)"
  [ "$failures" = 0 ] || fail "$failures storage fault checks failed (details in $work)"
  echo "PASS: storage faults: disk full ($disk_method) loses nothing acknowledged"
  exit 0
fi
data="$work/fiu-data"
fiu_acks="$work/fiu-acks.txt"
"$sealer" --config "$work/kiosk.json" --data-dir "$data" --count 5 --tag before >"$fiu_acks" || fail "sealing before the faults failed"
reported_failed=0; reappeared=0; table=""
# fiu_case NAME ATTEMPTS FIU-COMMAND: seals ATTEMPTS forms with the fault on, then checks.
fiu_case() {
  local name="$1" attempts="$2" command="$3"
  local rows_before out acked failed rows_after
  rows_before=$(sqlite3 -cmd ".timeout 10000" "$data/kiosk.db" "SELECT count(*) FROM submissions")
  out="$work/fiu-$name.txt"
  fiu-run -x -c "$command" "$sealer" --config "$work/kiosk.json" --data-dir "$data" --count "$attempts" \
    --keep-going --tag "$name" >"$out" 2>&1 || true
  check "the sealer finished under $name" "$(grep -q '^DONE ' "$out" && echo ok || echo "it crashed: $(tail -1 "$out")")"
  grep '^ACK ' "$out" >>"$fiu_acks" || true
  acked=$(grep -c '^ACK ' "$out" || true)
  failed=$(grep -c '^FAIL ' "$out" || true)
  check "integrity after $name" "$(integrity "$data/kiosk.db")"
  check "nothing acknowledged lost after $name" "$(acked_present "$data/kiosk.db" "$fiu_acks")"
  rows_after=$(sqlite3 -cmd ".timeout 10000" "$data/kiosk.db" "SELECT count(*) FROM submissions")
  local extra=$(( rows_after - rows_before - acked ))
  reported_failed=$((reported_failed + failed)); reappeared=$((reappeared + extra))
  local codes
  codes="$( (grep '^FAIL ' "$out" || true) | awk '{print $2}' | sort | uniq -c | awk '{printf "%s%s=%s", sep, $2, $1; sep=","}')"
  table+="$(printf '  %-44s attempts=%-3s acknowledged=%-3s failed=%-3s (%s) reappeared=%s\n' "$name" "$attempts" "$acked" "$failed" "${codes:-none}" "$extra")"$'\n'
}
fiu_case fdatasync-always 5 "enable name=posix/io/sync/fdatasync"
fiu_case fsync-always 5 "enable name=posix/io/sync/fsync"
fiu_case write-random-0.5 10 "enable_random name=posix/io/rw/write,probability=0.5"
for ((r = 0; r < rounds; r++)); do
  fiu_case "pwrite-random-0.05-round$r" 30 "enable_random name=posix/io/rw/pwrite,probability=0.05"
  fiu_case "pwrite-random-0.3-round$r" 10 "enable_random name=posix/io/rw/pwrite,probability=0.3"
done
check "fdatasync failing makes every seal fail" \
  "$(grep -q '^ACK ' "$work/fiu-fdatasync-always.txt" && echo "a seal was acknowledged without a sync" || echo ok)"

# The kiosk itself, with every fdatasync failing: the resident sees the seal-failed screen.
run_kiosk fiu-send "$data" "$here/send-when-storage-fails.txt" -c "enable name=posix/io/sync/fdatasync" \
  && kiosk_fiu=ok || kiosk_fiu="script failed"
check "the kiosk shows the seal-failed screen when fdatasync fails" "$kiosk_fiu"
kiosk_fiu_reason="$(grep -o 'could not be sealed ([a-z_]*' "$work/fiu-send.log" | head -1 | sed 's/.*(//')"

"$sealer" --config "$work/kiosk.json" --data-dir "$data" --count 3 --tag after >>"$fiu_acks" && after=ok || after="sealing failed"
check "sealing works again without faults" "$after"
check "integrity at the end" "$(integrity "$data/kiosk.db")"
check "nothing acknowledged lost at the end" "$(acked_present "$data/kiosk.db" "$fiu_acks")"
printf 'libfiu cases:\n%s' "$table"
echo "SUMMARY io-errors acknowledged=$(grep -c '^ACK ' "$fiu_acks") reported_failed=$reported_failed" \
  "reappeared=$reappeared kiosk_seal_failed_screen=$kiosk_fiu kiosk_reason=${kiosk_fiu_reason:-none}" \
  "integrity=$(integrity "$data/kiosk.db") lost=$( [ "$(acked_present "$data/kiosk.db" "$fiu_acks")" = ok ] && echo 0 || echo some)"
[ "$failures" = 0 ] || fail "$failures storage fault checks failed (details in $work)"
echo "PASS: storage faults: disk full ($disk_method) and libfiu I/O errors lose nothing acknowledged"
