#!/usr/bin/env bash
# Installs the webhook receiver and its pinned Standard Webhooks library into DEST (a build
# directory), fresh from the npm registry every time: an empty cache and no node_modules left
# from before, so an unreachable registry fails this step instead of passing on stale files.
#   install.sh DEST
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
dest="${1:?usage: install.sh DEST}"
if ! command -v npm >/dev/null; then
  echo "npm is not installed: run installer/install-dependencies.sh" >&2
  exit 1
fi
rm -rf "$dest"
mkdir -p "$dest"
cp "$here/package.json" "$here/package-lock.json" "$here/receiver.js" "$dest/"
cd "$dest"
npm install --no-audit --no-fund --cache "$dest/.npm-cache" --prefer-online
test -f node_modules/standardwebhooks/package.json
node -e 'const { Webhook } = require("standardwebhooks"); if (typeof Webhook !== "function") process.exit(1);'
echo "standardwebhooks $(node -p 'require("standardwebhooks/package.json").version') installed in $dest"
