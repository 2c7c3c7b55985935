import { spawnSync } from "node:child_process";
import { chmod, copyFile, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { findDbt, type DbtInstallation } from "../../src/adapters/dbt/findDbt.js";
import { runSqlThroughDbt } from "../../src/adapters/dbt/runSqlThroughDbt.js";
import { createDiskFileSource } from "../../src/adapters/files/diskFileSource.js";
import { planFiles } from "../../src/core/plan/planFiles.js";
import { qualifiedName } from "../../src/core/plan/relationName.js";
import { rollbackStatements } from "../../src/core/plan/rollbackSql.js";
import type { MigrationPlan } from "../../src/core/plan/types.js";
import { base64Forms } from "../../src/core/warehouseRun/redactSecrets.js";
import { renderRunReport } from "../../src/core/warehouseRun/renderRunReport.js";
import { loadConfig } from "../../src/usecases/loadConfig.js";
import { planDimension } from "../../src/usecases/planDimension.js";
import { rollbackDimension } from "../../src/usecases/rollbackDimension.js";
import { runDimension } from "../../src/usecases/runDimension.js";
import { duckdbExecute, duckdbTables } from "../helpers/duckdb.js";
import { copyDeployedWarehouse, WAREHOUSE_FILE } from "../helpers/deployedWarehouse.js";
import { copyTestRepo, createTestRepo, type TestRepo } from "../helpers/gitRepo.js";
import { landMasContracts } from "../helpers/landMasContracts.js";
import { restoreExample } from "../helpers/restoreExample.js";
import { EXAMPLE_DIR, REPO_ROOT, scratchExample } from "../helpers/scratchExample.js";
import { treeFingerprint } from "../helpers/treeFingerprint.js";
import { localTreePorts } from "../../src/adapters/localTreePorts.js";
import { localWarehouseDbt } from "../../src/adapters/localWarehouseDbt.js";

/** What run and rollback take as ports: the real tree ports and dbt in the project. */
const localPorts = { ...localTreePorts, warehouse: localWarehouseDbt };

// Real dbt, real DuckDB, real git, on copies of the bundled example. The warehouse file lives outside
// the repository; one built warehouse is copied per test (same file name: DuckDB names the database
// after it).
//
// dim_user's successful path is prepared once, read-only (beforeAll): the example repository with
// mas_contracts landed, its plan, the same repository restored, then run against a copy of the built
// warehouse. A test that changes a repository or a warehouse changes its own copy of one of those.

let dbt: DbtInstallation;
let template: string;
let work: string;
const repos: TestRepo[] = [];

/** dim_user's successful path, made once (see above); tests copy what they change. */
interface Prepared {
  /** The example with mas_contracts landed, nothing restored. */
  landed: TestRepo;
  /** `tree` of `landed`. */
  landedTree: Record<string, string>;
  /** The tables of the built warehouse (the template). */
  tablesBefore: string[];
  /** dim_user's plan, made on `landed`, and its files written to `planOut`. */
  plan: MigrationPlan;
  landedTreeAfterPlan: Record<string, string>;
  planOut: string;
  /** `landed` after a restore of dim_user, before any run. */
  restored: TestRepo;
  /** `restored` after runDimension succeeded against `ranWarehouse` (its own copy of the template). */
  ran: TestRepo;
  ranWarehouse: string;
  run: Awaited<ReturnType<typeof runDimension>>;
  confirmed: MigrationPlan | null;
  progress: string[];
}
let prepared: Prepared;

beforeAll(async () => {
  dbt = await findDbt({ repoRoot: REPO_ROOT });
  work = await mkdtemp(join(tmpdir(), "dbt-unskip-run-"));
  // The warehouse as dim_contract's deploy leaves it: every active model built, mas_contracts included.
  template = join(work, "template", WAREHOUSE_FILE);
  await copyDeployedWarehouse(dbt, template);
  prepared = await prepareDimUser();
});
afterEach(async () => {
  for (const repo of repos.splice(0)) await repo.cleanup();
});
afterAll(async () => {
  for (const repo of prepared ? [prepared.landed, prepared.restored, prepared.ran] : []) await repo.cleanup();
  await rm(work, { recursive: true, force: true });
});

async function warehouse(): Promise<string> {
  const dir = await mkdtemp(join(work, "wh-"));
  await copyFile(template, join(dir, "warehouse.duckdb"));
  return join(dir, "warehouse.duckdb");
}

const dbtFor = (db: string, env: Record<string, string> = {}) => ({ dbt, timeoutMs: 300_000, setEnv: { DBT_UNSKIP_DUCKDB_PATH: db, ...env } });

async function exampleRepo(): Promise<TestRepo> {
  const repo = await createTestRepo(EXAMPLE_DIR);
  repos.push(repo);
  await landMasContracts(repo);
  return repo;
}

/** What dbt writes in the repository for itself (ignored by git): not copied, each copy's dbt starts without it. */
const DBT_OWN = ["dbt/target", "dbt/logs"];

/** A test's own copy of a prepared repository. */
async function copyOf(repo: TestRepo): Promise<TestRepo> {
  const copy = await copyTestRepo(repo, DBT_OWN);
  repos.push(copy);
  return copy;
}

/** A test's own copy of a warehouse file (same file name). */
async function warehouseCopy(db: string): Promise<string> {
  const dir = await mkdtemp(join(work, "wh-"));
  await copyFile(db, join(dir, "warehouse.duckdb"));
  return join(dir, "warehouse.duckdb");
}

async function prepareDimUser(): Promise<Prepared> {
  const landed = await createTestRepo(EXAMPLE_DIR);
  await landMasContracts(landed);
  const landedTree = await tree(landed.dir);
  const tablesBefore = await duckdbTables(template);
  const config = await loadConfig(createDiskFileSource(landed.dir));
  const planDb = await warehouse();
  const plan = await planDimension({ ...localTreePorts, root: landed.dir, config, dimension: "dim_user", dbt: dbtFor(planDb), secrets: [], progress: () => {} });
  const landedTreeAfterPlan = await tree(landed.dir);
  const planOut = await mkdtemp(join(work, "plan-"));
  for (const [name, content] of Object.entries(planFiles(plan))) await writeFile(join(planOut, name), content);
  await chmod(join(planOut, "rollback.sh"), 0o755);

  const restored = await copyTestRepo(landed, DBT_OWN);
  await restore(restored);
  const ran = await copyTestRepo(restored, DBT_OWN);
  const ranWarehouse = await warehouse();
  const progress: string[] = [];
  let confirmed: MigrationPlan | null = null;
  const run = await runDimension({
    ...localPorts,
    root: ran.dir,
    config,
    dimension: "dim_user",
    dbt: dbtFor(ranWarehouse),
    secrets: [],
    confirm: async (p) => {
      confirmed = p;
      return true;
    },
    progress: (line) => progress.push(line),
  });
  return { landed, landedTree, tablesBefore, plan, landedTreeAfterPlan, planOut, restored, ran, ranWarehouse, run, confirmed, progress };
}

async function restore(repo: TestRepo) {
  const outcome = await restoreExample(repo, dbt);
  expect(outcome.result).toBe("restored");
  return outcome;
}

/** The files, the index and nothing dbt writes for itself (target/, logs/ are ignored by git). */
async function tree(dir: string): Promise<Record<string, string>> {
  const all = await treeFingerprint(dir);
  return Object.fromEntries(Object.entries(all).filter(([k]) => !/^dbt\/(target|logs)\//.test(k) && !["(git status)", "(git HEAD)", "(git branch)"].includes(k)));
}

const RESTORED_TABLES = ["main_gold.d_user (BASE TABLE)", "main_gold.f_user_activity (BASE TABLE)", "main_silver.mas_user_contracts (BASE TABLE)"];
const added = (after: string[], before: string[]) => after.filter((t) => !before.includes(t));

describe("plan, run and rollback with real dbt and DuckDB", () => {
  it("plan → restore → run passes validation; the plan's rollback.sql drops exactly what was created and rollback.sh restores the tree", async () => {
    // Planned on the landed example, restored, run: prepared once (prepareDimUser); this test checks
    // each step's result, then undoes the run in its own copies of the run's repository and warehouse.
    const { plan, run, progress, tablesBefore, planOut: out } = prepared;
    const before = prepared.landedTree;
    expect(prepared.landedTreeAfterPlan).toEqual(before); // planning touches nothing
    expect(plan.basis).toEqual({ kind: "ready" });
    expect(plan.adapter).toBe("duckdb");
    expect(plan.models.map((m) => [m.name, m.materialization, m.relation])).toEqual([
      ["f_user_activity", "table", '"warehouse"."main_gold"."f_user_activity"'],
      ["mas_user_contracts", "table", '"warehouse"."main_silver"."mas_user_contracts"'],
      ["d_user", "table", '"warehouse"."main_gold"."d_user"'],
    ]);
    const dUser = plan.models.find((m) => m.name === "d_user")!;
    expect(dUser.tests.sort()).toEqual(["not_null_d_user_user_id", "unique_d_user_user_id"]);
    expect(dUser.uniqueKey).toEqual(["user_id"]);
    expect(plan.models.find((m) => m.name === "mas_user_contracts")!.dependents.inBatch).toEqual(["d_user"]);
    expect(dUser.dependsOn.map((d) => [d.name, d.inBatch])).toEqual([
      ["mas_user_contracts", true],
      ["mas_users", false],
    ]);
    expect(plan.risk.level).toBe("medium");
    expect(plan.stayingPaused.map((s) => s.name).sort()).toEqual(["f_signups_by_channel", "mas_user_addresses"]);

    const repo = await copyOf(prepared.ran);
    const db = await warehouseCopy(prepared.ranWarehouse);
    const confirmed = prepared.confirmed as MigrationPlan | null;
    expect(run.error).toBeNull();
    expect(run.result).toBe("succeeded");
    expect(confirmed!.basis.kind).toBe("restored");
    expect(run.steps.map((s) => [s.step, s.status])).toEqual([
      ["dbt parse", "ok"],
      ["Pre-check: dbt debug (connection)", "ok"],
      ["Pre-check: upstream relations exist", "ok"],
      ["dbt run", "ok"],
      ["dbt test", "ok"],
      ["Post-validation", "ok"],
    ]);
    expect(
      run.upstream
        .filter((u) => u.present === true)
        .map((u) => u.name)
        .sort(),
    ).toEqual(["f_transactions", "f_user_logins_daily", "mas_accounts", "mas_contracts", "mas_users"]);
    expect(run.existedBefore).toEqual([]);
    expect(run.tests.map((t) => [t.name, t.status]).sort()).toEqual([
      ["not_null_d_user_user_id", "pass"],
      ["unique_d_user_user_id", "pass"],
    ]);
    expect(run.validation.map((v) => [v.model, v.kind, v.status])).toEqual([
      ["f_user_activity", "row_count", "ok"],
      ["mas_user_contracts", "row_count", "ok"],
      ["d_user", "row_count", "ok"],
      ["d_user", "null_key", "ok"],
    ]);
    // DuckDB reports no rows_affected: the figure is the validation count, and it is right.
    const [[users]] = (await duckdbExecute(db, "select count(*) from main_gold.d_user")) as [[number]];
    expect(run.models.map((m) => [m.name, m.status, m.rowsFrom])).toEqual([
      ["f_user_activity", "success", "count"],
      ["mas_user_contracts", "success", "count"],
      ["d_user", "success", "count"],
    ]);
    expect(run.models.find((m) => m.name === "d_user")!.rows).toBe(users);
    expect(progress.some((l) => /OK created sql table model main_gold\.d_user/.test(l))).toBe(true);
    expect(progress.some((l) => /PASS unique_d_user_user_id/.test(l))).toBe(true);
    expect(added(await duckdbTables(db), tablesBefore)).toEqual(RESTORED_TABLES);

    // rollback.sql, as a person runs it in a SQL client, removes exactly those three.
    await duckdbExecute(db, await readFile(join(out, "rollback.sql"), "utf8"));
    expect(await duckdbTables(db)).toEqual(tablesBefore);
    // rollback.sh, made before the restore, puts files, state document and index back.
    const first = spawnSync("/bin/sh", [join(out, "rollback.sh")], { cwd: repo.dir, encoding: "utf8" });
    expect(first.stderr).toBe("");
    expect(first.status).toBe(0);
    expect(await tree(repo.dir)).toEqual(before);
    const second = spawnSync("/bin/sh", [join(out, "rollback.sh")], { cwd: repo.dir, encoding: "utf8" });
    expect(second.status).toBe(0);
    expect(second.stdout).toContain("nothing to do");
    expect(await tree(repo.dir)).toEqual(before);
  });

  it("rollback: refuses while a restored file is edited; then drops through dbt exactly what was created and re-skips; a second rollback changes nothing", async () => {
    // Restored and run (prepared once): this test's own copies of that repository and warehouse.
    const repo = await copyOf(prepared.ran);
    const db = await warehouseCopy(prepared.ranWarehouse);
    const config = await loadConfig(createDiskFileSource(repo.dir));
    const before = prepared.landedTree;
    const { tablesBefore, run } = prepared;
    expect(run.result).toBe("succeeded");
    const tablesAfterRun = await duckdbTables(db);

    const edited = join(repo.dir, "dbt/transform/gold/d_user.sql");
    const original = await readFile(edited, "utf8");
    await writeFile(edited, `${original}-- a person's change\n`);
    let asked = false;
    const refused = await rollbackDimension({ ...localPorts, root: repo.dir, config, dimension: "dim_user", dbt: dbtFor(db), secrets: [], confirm: async () => (asked = true), progress: () => {} });
    expect(refused.result).toBe("refused");
    expect(refused.error).toContain("dbt/transform/gold/d_user.sql changed since the restore");
    expect(asked).toBe(false);
    expect(await duckdbTables(db)).toEqual(tablesAfterRun);
    await writeFile(edited, original);

    let statements: string[] = [];
    const outcome = await rollbackDimension({
      ...localPorts,
      root: repo.dir,
      config,
      dimension: "dim_user",
      dbt: dbtFor(db),
      secrets: [],
      confirm: async (s) => {
        statements = s.statements.map((x) => x.sql);
        return true;
      },
      progress: () => {},
    });
    expect(outcome.error).toBeNull();
    expect(outcome.result).toBe("rolled-back");
    expect(statements).toEqual([
      'DROP TABLE IF EXISTS "warehouse"."main_gold"."d_user"',
      'DROP TABLE IF EXISTS "warehouse"."main_silver"."mas_user_contracts"',
      'DROP TABLE IF EXISTS "warehouse"."main_gold"."f_user_activity"',
    ]);
    expect(await duckdbTables(db)).toEqual(tablesBefore);
    expect(await tree(repo.dir)).toEqual(before);

    const again = await rollbackDimension({ ...localPorts, root: repo.dir, config, dimension: "dim_user", dbt: dbtFor(db), secrets: [], confirm: async () => true, progress: () => {} });
    expect(again.result).toBe("rolled-back");
    expect(again.script).toContain("nothing to do");
    expect(await duckdbTables(db)).toEqual(tablesBefore);
    expect(await tree(repo.dir)).toEqual(before);
  });

  it("a failing run offers the rollback and never runs it; a token in dbt's error (plain and base64) is redacted", async () => {
    const repo = await exampleRepo();
    const token = "tok_9f8e7d6c5b4a3f2e1d0c";
    const encoded = Buffer.from(`svc:${token}`).toString("base64");
    // Fails at run time only (dbt compile is happy): DuckDB cannot cast the token to a number and
    // prints the string it was given, token and all.
    const chain = join(repo.dir, "dbt/transform/silver/master/mas_user_contracts.sql.skip");
    await writeFile(chain, `${await readFile(chain, "utf8")}where cast('{{ env_var("ACME_WAREHOUSE_TOKEN", "0") }}|${encoded}' as integer) = 1\n`);
    await repo.commit("mas_user_contracts: a filter that breaks at run time");
    const db = await warehouse();
    const tablesBefore = await duckdbTables(db);
    await restore(repo);
    const progress: string[] = [];
    const run = await runDimension({
      ...localPorts,
      root: repo.dir,
      config: await loadConfig(createDiskFileSource(repo.dir)),
      dimension: "dim_user",
      dbt: dbtFor(db, { ACME_WAREHOUSE_TOKEN: token }),
      secrets: [token],
      confirm: async () => true,
      progress: (line) => progress.push(line),
    });
    expect(run.result).toBe("failed");
    expect(run.rollbackCommand).toBe("dbt-unskip rollback --dimension dim_user");
    expect(run.models.map((m) => [m.name, m.status])).toEqual([
      ["f_user_activity", "success"],
      ["mas_user_contracts", "error"],
      ["d_user", "skipped"],
    ]);
    expect(run.steps.filter((s) => s.status === "skipped").map((s) => s.step)).toEqual(["dbt test", "Post-validation"]);
    // Nothing was rolled back: the files stay restored, what ran stays in the warehouse.
    expect(await readFile(join(repo.dir, "dbt/transform/gold/d_user.sql"), "utf8")).toContain("portfolio");
    expect(added(await duckdbTables(db), tablesBefore)).toEqual(["main_gold.f_user_activity (BASE TABLE)"]);
    // dbt itself wrote the token out; our report and progress do not.
    expect(await readFile(join(repo.dir, "dbt/target/run_results.json"), "utf8")).toContain(token);
    const shown = [JSON.stringify(run), renderRunReport(run), progress.join("\n")].join("\n");
    expect(shown).not.toContain(token);
    for (const form of base64Forms(token)) expect(shown).not.toContain(form);
    expect(run.models.find((m) => m.name === "mas_user_contracts")!.message).toContain("***");
  });

  it("pre-flight: a missing upstream relation stops the run before dbt run, naming it", async () => {
    // Restored (prepared once), not run: this test's own copy.
    const repo = await copyOf(prepared.restored);
    const db = await warehouse();
    await duckdbExecute(db, "drop table main_silver.mas_contracts");
    const tablesBefore = await duckdbTables(db);
    const run = await runDimension({
      ...localPorts,
      root: repo.dir,
      config: await loadConfig(createDiskFileSource(repo.dir)),
      dimension: "dim_user",
      dbt: dbtFor(db),
      secrets: [],
      confirm: async () => true,
      progress: () => {},
    });
    expect(run.result).toBe("preflight-failed");
    expect(run.steps.map((s) => [s.step, s.status])).toEqual([
      ["dbt parse", "ok"],
      ["Pre-check: dbt debug (connection)", "ok"],
      ["Pre-check: upstream relations exist", "failed"],
    ]);
    expect(run.error).toBe("missing: mas_contracts");
    expect(run.upstream.find((u) => u.name === "mas_contracts")).toEqual({ name: "mas_contracts", relation: '"warehouse"."main_silver"."mas_contracts"', present: false });
    expect(run.rollbackCommand).toBeNull();
    expect(await duckdbTables(db)).toEqual(tablesBefore);
    expect(renderRunReport(run)).toContain('`mas_contracts` (`"warehouse"."main_silver"."mas_contracts"`): build it first');
  });

  it("RELIABILITY 13: a DROP through dbt removes only its target, whatever quotes, dots or Jinja the names hold", async () => {
    const example = await scratchExample();
    try {
      const db = await warehouse();
      const names = ['we"ird', "a.b", "x{{ y }}", "sp ace", "plain"];
      await duckdbExecute(db, `create schema odd; ${['"we""ird"', '"a.b"', '"x{{ y }}"', '"sp ace"', '"plain"'].map((q) => `create table odd.${q} as select 1 as x;`).join(" ")}`);
      const ctx = { ...dbtFor(db), projectDir: example.dbtDir };
      const drop = names.slice(0, 3).map((name) => ({ name, materialization: "table", relation: qualifiedName("duckdb", { parts: ["warehouse", "odd", name] }) }));
      for (const statement of rollbackStatements(drop)) expect(await runSqlThroughDbt(ctx, statement.sql)).toEqual({ ok: true });
      const left = (await duckdbTables(db)).filter((t) => t.startsWith("odd."));
      expect(left).toEqual(["odd.plain (BASE TABLE)", "odd.sp ace (BASE TABLE)"]);
    } finally {
      await example.cleanup();
    }
  });
});
