#!/usr/bin/env bash
# The main job on the bundled example, on a scratch copy (the example in the repository is never
# changed): the readiness report, then `dbt build` of the active models on DuckDB, a restore, its
# plan, a run with checks, and a rollback. Before the restore, a pause: the other half of the lifecycle.
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

# The pause: the team migrated mas_user_contracts and d_user before dim_contract's mas_contracts
# landed, so dbt parse fails on them. dbt-unskip pause proves in a scratch copy which models to pause
# (and what depends on them), renames them to .skip, updates the state document and commits.
git_demo mv dbt/transform/silver/master/mas_user_contracts.sql.skip dbt/transform/silver/master/mas_user_contracts.sql
git_demo mv dbt/transform/gold/d_user.sql.skip dbt/transform/gold/d_user.sql
git_demo commit -q -m "dim_user: migrate mas_user_contracts and d_user (their upstream is not there yet)"

step "dbt-unskip pause --dimension dim_user --dry-run (what would be paused and why; nothing changes)"
node "$root/dist/cli.js" pause --root "$work" --dimension dim_user --dry-run

step "dbt-unskip pause --dimension dim_user --yes (dbt parse in a scratch copy until green, then git mv to .skip, the state document, one commit)"
node "$root/dist/cli.js" pause --root "$work" --dimension dim_user --yes
git_demo log -1 --stat --format='%h %s%n%n%b' | cat

step "dbt-unskip status --dimension dim_user: the paused models are blocked on mas_contracts"
node "$root/dist/cli.js" status --root "$work" --dimension dim_user

cp -R "$root/examples/warehouse-migration/upstream/silver/master/mas_contracts.sql" "$work/dbt/transform/silver/master/"
git_demo add -A && git_demo commit -q -m "dim_contract: migrate mas_contracts"

step "dim_contract just landed mas_contracts: what is ready in dim_user now?"
node "$root/dist/cli.js" status --root "$work" --dimension dim_user

step "dbt-unskip restore --dimension dim_user --yes (real dbt parse and compile, then one commit)"
node "$root/dist/cli.js" restore --root "$work" --dimension dim_user --yes

step "the commit on migrate/dim_user"
git_demo log -1 --stat --format='%h %s%n%n%b' | cat

# The second runbook: plan, run with checks, and a rollback that leaves everything as it was.
export DBT_UNSKIP_DUCKDB_PATH="$work/warehouse.duckdb" DBT_SEND_ANONYMOUS_USAGE_STATS=false
restore_commit="$(git_demo rev-parse HEAD)"
tables() {
  "$root/.venv/bin/python" -c 'import duckdb, sys; c = duckdb.connect(sys.argv[1], read_only=True); print("\n".join(sorted(f"{s}.{n}" for s, n in c.execute("select table_schema, table_name from information_schema.tables").fetchall())))' "$DBT_UNSKIP_DUCKDB_PATH"
}

step "dbt-unskip plan --dimension dim_user --out plan/ (dbt parses a scratch copy: relations, dependents, tests, risk)"
node "$root/dist/cli.js" plan --root "$work" --dimension dim_user --out "$work/plan"
echo "rollback.sql:"
sed 's/^/  /' "$work/plan/rollback.sql"

step "dbt-unskip run --dimension dim_user --yes, before dim_contract's deploy has built mas_contracts: pre-flight stops it"
if node "$root/dist/cli.js" run --root "$work" --dimension dim_user --yes > "$work/preflight.md"; then
  echo "expected the pre-flight check to fail" >&2
  exit 1
fi
grep -E 'PRE-FLIGHT|missing|build it first' "$work/preflight.md"

step "dim_contract's deploy builds mas_contracts; then dbt-unskip run: dbt debug, upstream check, dbt run, dbt test, validation"
(cd "$work/dbt" && "$root/.venv/bin/dbt" run --select mas_contracts --profiles-dir . --project-dir . --quiet)
tables > "$work/tables-before-run.txt"
node "$root/dist/cli.js" run --root "$work" --dimension dim_user --yes

step "dbt-unskip rollback --dimension dim_user --yes (drops through dbt what the restore created, re-skips the files)"
node "$root/dist/cli.js" rollback --root "$work" --dimension dim_user --yes
tables > "$work/tables-after-rollback.txt"
if diff -u "$work/tables-before-run.txt" "$work/tables-after-rollback.txt"; then
  echo "warehouse: exactly the relations it had before the run ($(wc -l < "$work/tables-after-rollback.txt") tables and views)"
else
  echo "warehouse differs after the rollback" >&2
  exit 1
fi
if git_demo diff --quiet "$restore_commit^" -- && git_demo diff --cached --quiet "$restore_commit^" --; then
  echo "tree and index: exactly as before the restore (the rollback is staged, ready to commit)"
else
  echo "tree differs after the rollback" >&2
  exit 1
fi
