#!/usr/bin/env bash
# The main job on the bundled example, on a scratch copy (the example in the repository is never
# changed): the readiness report, then `dbt build` of the active models on DuckDB.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/dbt-unskip-demo.XXXXXX")"
trap 'rm -rf "$work"' EXIT
cp -R "$root/examples/warehouse-migration/." "$work/"
# upstream/ holds files the restore demo adds later; it is outside the dbt project.

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

step "dbt-unskip status (static scan: no dbt, no warehouse)"
node "$root/dist/cli.js" status --root "$work"

step "dbt-unskip status --exact (dbt itself renders the paused models)"
node "$root/dist/cli.js" status --root "$work" --exact --json \
  | node -e 'const r=JSON.parse(require("fs").readFileSync(0,"utf8"));for(const m of r.models)console.log(`  ${m.status.padEnd(20)} ${m.name}  ${m.dependencies.map(d=>d.name+"="+d.status).join(", ")}`)'

step "dbt build of the active models on DuckDB"
(cd "$work/dbt" && DBT_UNSKIP_DUCKDB_PATH="$work/warehouse.duckdb" DBT_SEND_ANONYMOUS_USAGE_STATS=false \
  "$root/.venv/bin/dbt" build --profiles-dir . --project-dir . --quiet && echo "dbt build: all active models and tests passed")

# The restore: dim_contract lands mas_contracts, which the paused dim_user chain waits for.
git_demo() { git -C "$work" -c user.name="Demo Person" -c user.email="demo@example.com" "$@"; }
git_demo init -q -b main
git_demo add -A && git_demo commit -q -m "migration state before the restore"
cp -R "$root/examples/warehouse-migration/upstream/silver/master/mas_contracts.sql" "$work/dbt/transform/silver/master/"
git_demo add -A && git_demo commit -q -m "dim_contract: migrate mas_contracts"

step "dim_contract just landed mas_contracts: what is ready in dim_user now?"
node "$root/dist/cli.js" status --root "$work" --dimension dim_user

step "dbt-unskip restore --dimension dim_user --yes (real dbt parse and compile, then one commit)"
node "$root/dist/cli.js" restore --root "$work" --dimension dim_user --yes

step "the commit on migrate/dim_user"
git_demo log -1 --stat --format='%h %s%n%n%b' | cat
