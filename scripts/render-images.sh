#!/usr/bin/env bash
# Draws the example's dashboard issue and a restore pull request as images in docs/images/, the way
# GitHub shows them (GFM, alerts, Mermaid), with Debian's Chromium (`apt-get install chromium`).
# Not part of `npm test`: it needs dbt (scripts/setup.sh) and a browser no npm package downloads.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
command -v chromium >/dev/null || { echo "render-images: needs Debian's chromium (apt-get install chromium)" >&2; exit 2; }
# Inside the repository, so the bundle finds node_modules.
mkdir -p node_modules/.cache
work=$(mktemp -d -p "$PWD/node_modules/.cache" render-images.XXXXXX)
trap 'rm -rf "$work"' EXIT
npx esbuild scripts/render-images/renderBodies.ts --bundle --platform=node --format=esm --packages=external --log-level=warning --outfile="$work/bodies.mjs"
node "$work/bodies.mjs" "$work"
mkdir -p docs/images/.pages
shoot() { # NAME TITLE HEIGHT
  node scripts/render-images/toHtml.mjs "$work/$1.md" "docs/images/.pages/$1.html" "$2"
  chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --force-device-scale-factor=1 \
    --allow-file-access-from-files --virtual-time-budget=8000 --window-size="914,$3" \
    --screenshot="docs/images/$1.png" "file://$PWD/docs/images/.pages/$1.html" 2>/dev/null
  cp "$work/$1.md" "docs/images/$1.md"
}
shoot dashboard "dbt-unskip: migration dashboard" "${DASHBOARD_HEIGHT:-1900}"
shoot restore-pr "$(cat "$work/restore-pr.title")" "${RESTORE_HEIGHT:-2900}"
rm -rf docs/images/.pages
echo "docs/images/dashboard.png, docs/images/restore-pr.png"
