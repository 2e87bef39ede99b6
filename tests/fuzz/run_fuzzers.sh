#!/usr/bin/env bash
# The full fuzzing run: configures a clang build in build/fuzz (KIOSK_FUZZ=ON), builds every fuzz
# target, fuzzes each for SECONDS (default 300) and then replays its saved regressions.
#   bash tests/fuzz/run_fuzzers.sh [SECONDS] [TARGET...]      e.g.  bash tests/fuzz/run_fuzzers.sh 300
# Prints per target: executions, new corpus entries, crashes. Exits 1 when any target failed.
# The working corpora grow in build/fuzz/tests/fuzz/work/<target>/corpus across runs; copy an
# input that found a new bug into tests/fuzz/regressions/<target>/ once it is fixed.
set -uo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
seconds="${1:-300}"
shift || true
build="$repo/build/fuzz"
jobs="${KIOSK_BUILD_JOBS:-2}"

launcher=()
if command -v ccache >/dev/null; then launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache); fi
CC=clang CXX=clang++ cmake -S "$repo" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DKIOSK_FUZZ=ON \
  -DKIOSK_FUZZ_SECONDS="$seconds" "${launcher[@]}" >/dev/null || exit 1
cmake --build "$build" -j"$jobs" --target fuzzers || exit 1

targets=("$@")
if [ "${#targets[@]}" -eq 0 ]; then
  mapfile -t targets < <(sed -n 's/^set(KIOSK_FUZZ_TARGETS \(.*\))$/\1/p' "$repo/tests/fuzz/targets.cmake" | tr ' ' '\n')
fi

status=0
summary=()
for name in "${targets[@]}"; do
  dictionary="$repo/tests/fuzz/dictionaries/$name.dict"
  [ -f "$dictionary" ] || dictionary=""
  echo "== fuzz_$name for $seconds s"
  output="$(bash "$repo/tests/fuzz/run_fuzzer.sh" fuzz "$build/tests/fuzz/fuzz_$name" "$seconds" \
    "$repo/tests/fuzz/corpus/$name" "$build/tests/fuzz/work/$name" "$dictionary")" || status=1
  echo "$output"
  replay="$(bash "$repo/tests/fuzz/run_fuzzer.sh" replay "$build/tests/fuzz/fuzz_$name" \
    "$repo/tests/fuzz/regressions/$name" 2>/dev/null | tail -n 1)" || status=1
  summary+=("$(tail -n 1 <<<"$output"); $replay")
done

echo "== summary"
printf '%s\n' "${summary[@]}"
exit "$status"
