#!/usr/bin/env bash
# Installs the Node MCP test peers into DEST (the agent build runs it as target/mcp-node):
# copies package.json, package-lock.json and the *.mjs servers, and runs `npm ci` from the committed
# lock when the installed tree is missing or was made from another lock. Without node or npm it
# only says so: the tests that need the peers are then skipped (with CI=true they fail).
#
#   install.sh DEST
set -euo pipefail
src=$(cd "$(dirname "$0")" && pwd)
dest=${1:?usage: install.sh DEST}
mkdir -p "$dest"
cp "$src"/package.json "$src"/package-lock.json "$src"/*.mjs "$dest"/

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "mcp-node: node and npm are needed for the Node MCP peer tests; not found, not installing" >&2
  exit 0
fi
marker=$dest/node_modules/.fleetpulse-lock
if [[ -f $marker ]] && cmp -s "$src/package-lock.json" "$marker"; then
  exit 0
fi
if npm ci --no-audit --no-fund --prefer-offline --loglevel=error --prefix "$dest" >&2; then
  cp "$src/package-lock.json" "$marker"
  exit 0
fi
if [[ ${CI:-} == true ]]; then
  echo "mcp-node: npm ci failed (CI=true: failing the build)" >&2
  exit 1
fi
echo "mcp-node: npm ci failed; the Node MCP peer tests will be skipped" >&2
exit 0
