#!/usr/bin/env bash
# Checks that every C++ source and header in kiosk/, sync/, include/ and tests/ is laid out as the
# committed .clang-format says, with Debian 12's clang-format 14 (other versions lay some code out
# differently). Saved fuzz inputs and build directories are not code and are skipped.
# Changes nothing: prints each file that is not formatted and exits 1 if there is any.
# To fix a file: clang-format-14 -i FILE
#
# usage: bash tests/check_format.sh [REPOSITORY_ROOT]
set -euo pipefail

root="$(cd "${1:-$(dirname "$0")/..}" && pwd)"
[ -f "$root/.clang-format" ] || { echo "check_format: no .clang-format in $root" >&2; exit 2; }

formatter=""
for candidate in clang-format-14 clang-format; do
  if command -v "$candidate" >/dev/null && [[ "$("$candidate" --version)" == *"version 14."* ]]; then
    formatter="$candidate"
    break
  fi
done
[ -n "$formatter" ] ||
  { echo "check_format: clang-format 14 not found; install the Debian package clang-format" >&2; exit 2; }

files=()
while IFS= read -r -d '' file; do files+=("$file"); done < <(
  cd "$root" && find kiosk sync include tests \
    -type d \( -path tests/fuzz/corpus -o -path tests/fuzz/regressions -o -name 'build*' -o -name CMakeFiles \) -prune \
    -o -type f \( -name '*.cpp' -o -name '*.cc' -o -name '*.h' -o -name '*.hpp' \) -print0 | sort -z)
[ "${#files[@]}" -gt 0 ] || { echo "check_format: no C++ files found under $root" >&2; exit 2; }

unformatted=()
for file in "${files[@]}"; do
  if ! (cd "$root" && "$formatter" --style=file --dry-run --Werror "$file" >/dev/null 2>&1); then
    unformatted+=("$file")
  fi
done

if [ "${#unformatted[@]}" -gt 0 ]; then
  echo "${#unformatted[@]} of ${#files[@]} C++ files are not formatted as .clang-format says ($formatter):"
  printf '  %s\n' "${unformatted[@]}"
  echo "Format each with: $formatter -i FILE"
  exit 1
fi
echo "All ${#files[@]} C++ files are formatted as .clang-format says ($formatter)."
