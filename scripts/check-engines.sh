#!/usr/bin/env bash
# npm run check:engines — the engines range of package.json against the dependencies: a clean install
# of package-lock.json under Node 24 (in a temporary copy) must print no EBADENGINE warning; under
# this machine's Node, dependencies that exclude it are listed (they install and run, npm only warns),
# and sessiond itself must accept both. --loglevel=warn on every npm: `npm run -s` passes its silence on
# to child npm processes through the environment, which would hide the very warnings looked for.
set -uo pipefail
cd "$(dirname "$0")/.."

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp package.json package-lock.json "$tmp/"

status=0
echo "engines.node of sessiond: $(node -p 'require("./package.json").engines.node')"

log24="$tmp/node24.log"
( cd "$tmp" && npx -y -p node@24 -- npm ci --no-audit --no-fund --loglevel=warn >"$log24" 2>&1 ) || { cat "$log24"; echo 'npm ci under Node 24 failed'; exit 1; }
node24=$(cd "$tmp" && npx -y -p node@24 -- node --version)
warned24=$(grep -oE "package: '[^']+'" "$log24" | sed "s/package: //; s/'//g" | sort -u)
if [ -n "$warned24" ]; then
  echo "Node $node24: EBADENGINE for:"; echo "$warned24" | sed 's/^/  /'
  status=1
else
  echo "Node $node24: npm ci of package-lock.json prints no EBADENGINE warning"
fi

rm -rf "$tmp/node_modules"
here=$(node --version)
warned=$(cd "$tmp" && npm ci --dry-run --no-audit --no-fund --loglevel=warn 2>&1 | grep -oE "package: '[^']+'" | sed "s/package: //; s/'//g" | sort -u)
if echo "$warned" | grep -q '^sessiond@'; then
  echo "Node $here: sessiond's own engines range excludes it"; status=1
elif [ -n "$warned" ]; then
  echo "Node $here: supported; these dependencies declare engines without it (npm warns, they work):"
  echo "$warned" | sed 's/^/  /'
else
  echo "Node $here: no EBADENGINE warning"
fi
exit $status
