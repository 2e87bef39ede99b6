#!/usr/bin/env bash
# Soak test: `council-kiosk-drivers --headless --soak FRAMES` (tests/drivers/soak_driver.h) drives the
# real kiosk with a seeded random resident on the virtual clock: taps on whatever the last frame
# showed, taps anywhere, drags, typing in four scripts plus emoji and very long strings, physical
# keys, and waits from seconds to well past the session time limit. The kiosk fails the run on
# memory growth after warm-up, a stuck screen, text typed in an ended session still on screen, or
# sealed forms that do not match the confirmations shown. This script then looks at the database
# independently: PRAGMA integrity_check must say ok and the raw count of sealed rows must equal
# the confirmations the kiosk reported.
#
# usage: bash tests/system/soak.sh [BUILD_DIR] [FRAMES] [SEED]
#   BUILD_DIR  default build; the binaries are found in it (or given by KIOSK_BINARY and
#              SEALED_COUNT_BINARY, as CTest does)
#   FRAMES     default 1000000 (the full run: about 20 minutes in a Release build on two cores);
#              CTest's short mode uses 20000
#   SEED       default random; printed, and the same seed repeats the run
# Prints the kiosk's SOAK-MEMORY lines and SOAK summary, then one SUMMARY line. Exit 0 on success.
set -uo pipefail

repo="$(cd "$(dirname "$0")/../.." && pwd)"
build="$(cd "${1:-$repo/build}" && pwd)" || { echo "no build directory: ${1:-$repo/build}" >&2; exit 2; }
frames="${2:-1000000}"
seed="${3:-$(( (RANDOM << 15) | RANDOM ))}"
bin() { find "$build" -type f -name "$1" -perm -u+x | head -1; }
kiosk="${KIOSK_BINARY:-$(bin council-kiosk-drivers)}"
sealed_count="${SEALED_COUNT_BINARY:-$(bin e2e_sealed_count)}"
[ -x "$kiosk" ] && [ -x "$sealed_count" ] ||
  { echo "FAIL: build council-kiosk-drivers and e2e_sealed_count in $build first" >&2; exit 2; }
work="${SOAK_WORK_DIR:-$build/soak-work}"
rm -rf "$work"; mkdir -p "$work/data"
fail() { echo "FAIL: $* (seed $seed; logs in $work)" >&2; exit 1; }

echo "soak: $frames frames, seed $seed, $kiosk" >&2
"$kiosk" --headless --config "$repo/tests/e2e/kiosk-e2e.json" --data-dir "$work/data" --no-sync \
  --soak "$frames" --seed "$seed" >"$work/soak.log" 2>"$work/kiosk-stderr.log"
code=$?
cat "$work/soak.log"
grep -E '^SOAK FAILED|^council-kiosk: soak' "$work/kiosk-stderr.log" >&2
summary="$(grep '^SOAK ' "$work/soak.log" || true)"
[ -n "$summary" ] || fail "the kiosk printed no SOAK line (exit $code): $(tail -5 "$work/kiosk-stderr.log")"
[ "$code" = 0 ] || fail "the kiosk's own checks failed (exit $code)"

field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$summary"; }
db="$work/data/kiosk.db"
verdict="$(sqlite3 -cmd ".timeout 10000" "$db" "PRAGMA integrity_check;" 2>&1 | tr '\n' ' ' | sed 's/ $//')"
[ "$verdict" = ok ] || fail "integrity_check: $verdict"
sealed="$("$sealed_count" "$db")" || fail "cannot count sealed submissions in $db"
[ "$sealed" = "$(field confirmations)" ] ||
  fail "the database holds $sealed sealed forms, the kiosk showed $(field confirmations) confirmations"
[ "$(field frames)" -ge "$frames" ] || fail "only $(field frames) of $frames frames were drawn"
# The store and privacy checks hold trivially on a run that sealed nothing or never showed what
# it typed: such a run proves nothing, so it fails.
[ "$(field confirmations)" -gt 0 ] 2>/dev/null || fail "no form reached a confirmation: the store check compared nothing"
[ "$(field typed-seen)" -gt 0 ] 2>/dev/null ||
  fail "no typed text was ever shown on a page: the privacy check had nothing to find"

echo "SUMMARY soak frames=$(field frames) rendered=$(field rendered) seed=$seed sessions=$(field sessions)" \
  "forms-sealed=$sealed integrity=$verdict pss-start-kb=$(field pss-start-kb) pss-warm-kb=$(field pss-warm-kb)" \
  "pss-max-kb=$(field pss-max-kb) pss-end-kb=$(field pss-end-kb) longest-stay-s=$(field longest-stay-s)" \
  "elapsed-s=$(field elapsed-s)"
