#!/usr/bin/env bash
# Installs every Debian 12 package Council Kiosk needs to build, run and test.
# Safe to run again: apt-get skips what is already there.
set -euo pipefail

packages=(
  build-essential cmake pkg-config git
  libsdl2-dev libimgui-dev libstb-dev libfreetype-dev
  libsqlite3-dev sqlite3
  libcurl4-openssl-dev
  libsodium-dev
  libqrencode-dev zbar-tools
  libcups2-dev cups printer-driver-cups-pdf poppler-utils
  libcli11-dev
  nlohmann-json3-dev
  catch2
  libcpp-httplib-dev
  libharfbuzz-dev libharfbuzz-bin libespeak-ng-dev espeak-ng-data
  fonts-noto-core
  clang libclang-rt-dev fiu-utils
  clang-format
  xvfb xdotool x11-apps
  jq curl
  python3-aiosmtpd openssl
)

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi

export DEBIAN_FRONTEND=noninteractive
# Another apt or dpkg run (unattended upgrades, a second terminal) holds the dpkg lock for a
# while: wait for it, up to ten minutes, rather than fail.
wait_for_lock=(-o DPkg::Lock::Timeout=600)
"${sudo_cmd[@]}" apt-get "${wait_for_lock[@]}" update
"${sudo_cmd[@]}" apt-get "${wait_for_lock[@]}" install -y --no-install-recommends "${packages[@]}"

# The webhook test checks the kiosk's signatures with the npm Standard Webhooks library, so it
# needs npm. Debian's npm brings Debian's nodejs; a machine that already has Node.js from
# elsewhere (with its own npm) keeps it, since the two packages conflict.
if ! command -v npm >/dev/null; then
  "${sudo_cmd[@]}" apt-get "${wait_for_lock[@]}" install -y --no-install-recommends npm
fi
