#!/usr/bin/env bash
# The confirmation page's QR code, read by an independent decoder (zbar's zbarimg) from the
# kiosk's own screenshot, at 100 % and at 200 % in high contrast: it must hold the council's
# tracking address with the reference shown on the same page, and nothing else.
#
# usage: receipt_qr_code.sh KIOSK CONFIG SCRIPT WORK_DIR
set -euo pipefail
kiosk="$1"; config="$2"; script="$3"; work="$4"
fail() { echo "FAIL: $*" >&2; exit 1; }
command -v zbarimg >/dev/null || fail "zbarimg is missing: install zbar-tools (installer/install-dependencies.sh)"
rm -rf "$work"; mkdir -p "$work"
check() {  # check NAME [kiosk options...]
  local name="$1"; shift
  mkdir -p "$work/$name/data"
  "$kiosk" --headless --size 1920x1080 --no-sync --config "$config" --data-dir "$work/$name/data" \
    --script "$script" --screenshots "$work/$name/shots" "$@" >"$work/$name/kiosk.log" 2>&1 \
    || { cat "$work/$name/kiosk.log" >&2; fail "the $name run did not complete"; }
  local shot; shot="$(ls "$work/$name/shots"/*confirmation*.png | head -1)"
  local decoded; decoded="$(zbarimg --raw -q "$shot" 2>/dev/null || true)"
  [[ "$decoded" =~ ^https://sample-district\.example/track\?ref=E2E-[0-9A-Z]{4}-[0-9A-Z]{4}$ ]] \
    || fail "$name: the QR code reads '$decoded'"
  echo "$name: $decoded"
}
check standard
check large-high-contrast --text-size 200 --high-contrast
echo "PASS: the confirmation's QR code decodes to the tracking address with the reference"
