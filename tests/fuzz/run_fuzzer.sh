#!/usr/bin/env bash
# Runs one libFuzzer target; used by the CTest tests in this directory and by run_fuzzers.sh.
#   run_fuzzer.sh fuzz FUZZER SECONDS SEED_DIR WORK_DIR [DICTIONARY]
#       Fuzzes for SECONDS. New inputs go to WORK_DIR/corpus (seeded with a copy of SEED_DIR, so
#       the repository's corpus never changes during a run); a crashing input is saved in
#       WORK_DIR/artifacts. Prints one summary line (also kept in WORK_DIR/summary.txt):
#       executions, new corpus entries, crashes.
#   run_fuzzer.sh replay FUZZER DIR
#       Runs every file in DIR once (libFuzzer runs file arguments once and does not fuzz).
set -uo pipefail

mode="$1"
fuzzer="$2"
name="$(basename "$fuzzer")"

case "$mode" in
  replay)
    dir="$3"
    mapfile -t inputs < <(find "$dir" -type f 2>/dev/null | sort)
    if [ "${#inputs[@]}" -eq 0 ]; then
      echo "$name: no saved inputs in $dir"
      exit 0
    fi
    "$fuzzer" -rss_limit_mb=2048 -timeout=10 "${inputs[@]}"
    status=$?
    echo "$name: replayed ${#inputs[@]} inputs, exit status $status"
    exit "$status"
    ;;
  fuzz)
    seconds="$3"
    seeds="$4"
    work="$5"
    dictionary="${6:-}"
    mkdir -p "$work/corpus" "$work/artifacts"
    cp -n "$seeds"/* "$work/corpus/" 2>/dev/null || true
    before=$(find "$work/corpus" -type f | wc -l)
    crashes_before=$(find "$work/artifacts" -type f | wc -l)
    options=(-max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1
             -artifact_prefix="$work/artifacts/")
    if [ -n "$dictionary" ]; then options+=(-dict="$dictionary"); fi
    log="$work/last-run.log"
    started=$SECONDS
    "$fuzzer" "${options[@]}" "$work/corpus" "$seeds" >"$log" 2>&1
    status=$?
    elapsed=$((SECONDS - started))
    after=$(find "$work/corpus" -type f | wc -l)
    crashes=$(( $(find "$work/artifacts" -type f | wc -l) - crashes_before ))
    executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    if [ "$status" -ne 0 ]; then
      tail -n 60 "$log"
    fi
    if [ "$crashes" -gt 0 ]; then
      echo "$name: crashing inputs are in $work/artifacts; keep each in tests/fuzz/regressions/ once fixed"
    fi
    echo "$name: ${executions:-?} executions in ${elapsed} s, $((after - before)) new corpus entries," \
      "$crashes crashes (log: $log)" | tee "$work/summary.txt"
    exit "$status"
    ;;
  *)
    echo "usage: run_fuzzer.sh fuzz FUZZER SECONDS SEED_DIR WORK_DIR [DICTIONARY] | replay FUZZER DIR" >&2
    exit 2
    ;;
esac
