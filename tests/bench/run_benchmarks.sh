#!/usr/bin/env bash
# Builds Council Kiosk in Release (build/bench) and runs every benchmark: prints one table and
# writes build/bench/benchmark.json. The windowed figures (start-up in an X window, idle CPU and
# wake-ups) run on a private Xvfb display at 1920x1080, started by xvfb-run.
#
#   bash tests/bench/run_benchmarks.sh [kiosk-bench options, e.g. --only seal,delivery]
#
# Figures vary with what else the machine is doing: the table's first line gives the load
# average it was measured under. Needs xvfb, xdotool and x11-apps (xwd) besides the build's
# own packages.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="$repo/build/bench"
jobs="${KIOSK_BUILD_JOBS:-2}"

launcher=()
if command -v ccache >/dev/null; then
  launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
cmake -S "$repo" -B "$build" -DCMAKE_BUILD_TYPE=Release -DKIOSK_BUILD_TESTS=ON -DKIOSK_WERROR=ON "${launcher[@]}" >/dev/null
cmake --build "$build" -j"$jobs" --target kiosk-bench council-kiosk-drivers kioskctl fake-council

bench="$build/tests/bench/kiosk-bench"
json="$build/benchmark.json"
work="$build/bench-work"
for tool in xvfb-run xdotool xwd; do
  if ! command -v "$tool" >/dev/null; then
    echo "run_benchmarks.sh: $tool is missing; running without the windowed figures" >&2
    exec "$bench" --no-window --json "$json" --work-dir "$work" "$@"
  fi
done
# -nolisten tcp: nothing outside this machine can draw on the display.
exec xvfb-run --auto-servernum --server-args="-screen 0 1920x1080x24 -nolisten tcp" \
  "$bench" --json "$json" --work-dir "$work" "$@"
