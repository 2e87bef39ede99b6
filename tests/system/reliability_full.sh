#!/usr/bin/env bash
# The reliability harness in full (CTest runs short versions labelled "reliability"):
#   crash torture    500 SIGKILLs of the sealing or delivering process delivering to the fake
#                    council, open311-server and the SMTP test server, then an exactly-once audit
#   network chaos    10,000 forms through chaos-proxy and the fake council's faults, 500 more
#                    through it as the configured HTTP proxy, 1,500 split between Open311 (through
#                    chaos-proxy), email and the council, and an Open311 server that cannot be
#                    searched
#   no hot loop      60 s with the council down, production retry policy, attempts counted
#   storage faults   a full tmpfs and libfiu I/O errors, 5 rounds of the random cases
#   soak             a million frames of a random resident on the headless kiosk (soak.sh)
# Builds what it needs, runs each, and prints one table. Takes about an hour on two cores.
#
# usage: bash tests/system/reliability_full.sh [BUILD_DIR]   (default: build, configured by
#        cmake -S . -B build as README says). Work files and logs go to BUILD_DIR/reliability-full.
set -uo pipefail

repo="$(cd "$(dirname "$0")/../.." && pwd)"
build="$(cd "${1:-$repo/build}" && pwd)" || { echo "no build directory: ${1:-$repo/build}" >&2; exit 2; }
here="$repo/tests/system"
out="$build/reliability-full"
mkdir -p "$out"

cmake --build "$build" -j"${KIOSK_BUILD_JOBS:-2}" --target council-kiosk kioskctl fake-council open311-server chaos-proxy \
  reliability-sealer reliability-syncer e2e_sealed_count >"$out/build.log" 2>&1 || { tail -20 "$out/build.log"; exit 2; }
bin() { find "$build" -type f -name "$1" -perm -u+x | head -1; }
sealer="$(bin reliability-sealer)"; syncer="$(bin reliability-syncer)"; proxy="$(bin chaos-proxy)"
council="$(bin fake-council)"; kioskctl="$(bin kioskctl)"; kiosk="$(bin council-kiosk)"; open311="$(bin open311-server)"

names=(); results=(); seconds=()
run() {  # run NAME COMMAND...
  local name="$1"; shift
  local start=$SECONDS
  echo "== $name: $*" >&2
  if "$@" >"$out/$name.log" 2>&1; then results+=(PASS); else results+=(FAIL); fi
  names+=("$name"); seconds+=($((SECONDS - start)))
  grep -E '^(SUMMARY|FAULTS|FAIL)' "$out/$name.log" | sed 's/^/   /' >&2
}

run crash-torture bash "$here/crash_torture.sh" "$sealer" "$kioskctl" "$council" "$open311" "$out/crash_torture" 500
run network-chaos bash "$here/network_chaos.sh" "$sealer" "$syncer" "$proxy" "$council" "$open311" "$kioskctl" \
  "$out/network_chaos" 10000 500 1500
run no-hot-loop bash "$here/no_hot_loop.sh" "$sealer" "$syncer" "$proxy" "$kioskctl" "$out/no_hot_loop" 60
run storage-faults bash "$here/storage_faults.sh" "$sealer" "$kiosk" "$kioskctl" "$out/storage_faults" 5
run soak env KIOSK_BINARY="$kiosk" SEALED_COUNT_BINARY="$(bin e2e_sealed_count)" SOAK_WORK_DIR="$out/soak" \
  bash "$here/soak.sh" "$build" 1000000

# One table: each check, its verdict and time, then its figures one per line.
figures() {  # figures LOG: the key=value pairs of its SUMMARY and FAULTS lines
  grep -hE '^(SUMMARY|FAULTS) ' "$1" | while read -r kind name rest; do
    printf '      %-14s %s\n' "$name" "$rest"
  done
}
echo
echo "Council Kiosk reliability, full run, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores"
printf '%-16s %-6s %8s\n' check result seconds
printf '%-16s %-6s %8s\n' ---------------- ------ --------
status=0
for i in "${!names[@]}"; do
  printf '%-16s %-6s %8s\n' "${names[$i]}" "${results[$i]}" "${seconds[$i]}"
  figures "$out/${names[$i]}.log"
  [ "${results[$i]}" = PASS ] || status=1
done
grep -h '^  ' "$out/storage-faults.log" | grep -E 'attempts=' | sed 's/^/    /' || true
echo "logs: $out"
exit "$status"
