#!/usr/bin/env bash
# Every test: lint and format check (Biome), type check, the committed dist/ matches a fresh build,
# then all test tiers.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup-lint.sh
npx biome ci .
npx tsc --noEmit
node scripts/build.mjs --check
npx vitest run
