#!/usr/bin/env bash
# The main job on the bundled example, on a scratch copy (the example in the repository is never
# changed): the readiness report, then `dbt build` of the active models on DuckDB.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/dbt-unskip-demo.XXXXXX")"
trap 'rm -rf "$work"' EXIT
cp -R "$root/examples/warehouse-migration/." "$work/"
rm -rf "$work/upstream"   # files the restore demo adds later; not part of the project yet

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

step "dbt-unskip status (static scan: no dbt, no warehouse)"
node "$root/dist/cli.js" status --root "$work"

step "dbt-unskip status --exact (dbt itself renders the paused models)"
node "$root/dist/cli.js" status --root "$work" --exact --json \
  | node -e 'const r=JSON.parse(require("fs").readFileSync(0,"utf8"));for(const m of r.models)console.log(`  ${m.status.padEnd(20)} ${m.name}  ${m.dependencies.map(d=>d.name+"="+d.status).join(", ")}`)'

step "dbt build of the active models on DuckDB"
(cd "$work/dbt" && DBT_UNSKIP_DUCKDB_PATH="$work/warehouse.duckdb" DBT_SEND_ANONYMOUS_USAGE_STATS=false \
  "$root/.venv/bin/dbt" build --profiles-dir . --project-dir . --quiet && echo "dbt build: all active models and tests passed")
