import { execFile } from "node:child_process";
import { copyFile, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { findDbt, type DbtInstallation } from "../../src/adapters/dbt/findDbt.js";
import { spawnDbt, type DbtRunResult } from "../../src/adapters/dbt/spawnDbt.js";
import type { GenerateOutcome } from "../../src/core/generate/generateOutcome.js";
import type { GenerateInput } from "../../src/usecases/generateFromCsv.js";
import { generateSeed } from "../helpers/generateSeed.js";
import { copyTestRepo, createTestRepo, type TestRepo } from "../helpers/gitRepo.js";
import { modelStatus } from "../helpers/modelStatus.js";
import { EXAMPLE_DIR, REPO_ROOT } from "../helpers/scratchExample.js";
import { treeFingerprint } from "../helpers/treeFingerprint.js";

// Real dbt and DuckDB on a copy of the example in a git repository. The generated SQL runs only
// through dbt (`dbt seed`, `dbt test`, `dbt show --inline`), as a user would run it. dbt writes its
// target/ and logs/ outside the repository, so the tree fingerprint sees only what generate did.
// What every test starts from (the seeds loaded, the staging models f_signups_by_channel reads built)
// is made once with dbt (beforeAll) and only read: each test works on its own copy of that repository
// and warehouse file.
const run = promisify(execFile);
let dbt: DbtInstallation;
let seeded: Warehouse;
beforeAll(async () => {
  dbt = await findDbt({ repoRoot: REPO_ROOT });
  const repo = await createTestRepo(EXAMPLE_DIR);
  seeded = await warehouseIn(repo, await mkdtemp(join(tmpdir(), "dbt-unskip-generate-int-")));
  expectSuccess(await seeded.dbt(["seed"]));
  expectSuccess(await seeded.dbt(["run", "--select", "stg_users_web", "stg_users_app"]));
});
afterAll(async () => {
  await seeded?.repo.cleanup();
  if (seeded) await rm(seeded.scratch, { recursive: true, force: true });
});
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

interface Warehouse {
  repo: TestRepo;
  scratch: string;
  dbtDir: string;
  database: string;
  dbt(args: string[]): Promise<DbtRunResult>;
  /** Rows of a query run through `dbt show --inline` (the SQL as a user would paste it). */
  show(sql: string, options?: { raw?: boolean }): Promise<Record<string, unknown>[]>;
  /** Reads the DuckDB file directly (dbt is not running then). */
  query(sql: string): Promise<unknown[][]>;
}

/** A test's own copy of the seeded repository and warehouse (dbt's target/ and logs/ are not copied: its dbt starts without them). */
async function warehouse(): Promise<Warehouse> {
  const repo = await copyTestRepo(seeded.repo);
  const scratch = await mkdtemp(join(tmpdir(), "dbt-unskip-generate-int-"));
  cleanups.push(repo.cleanup, () => rm(scratch, { recursive: true, force: true }));
  await copyFile(seeded.database, join(scratch, "acme.duckdb"));
  return warehouseIn(repo, scratch);
}

function warehouseIn(repo: TestRepo, scratch: string): Warehouse {
  const dbtDir = join(repo.dir, "dbt");
  const database = join(scratch, "acme.duckdb");
  const w: Warehouse = {
    repo,
    scratch,
    dbtDir,
    database,
    dbt: (args) =>
      spawnDbt({
        command: dbt.command,
        args,
        projectDir: dbtDir,
        profilesDir: dbtDir,
        timeoutMs: 300_000,
        setEnv: { DBT_UNSKIP_DUCKDB_PATH: database, DBT_TARGET_PATH: join(scratch, "target"), DBT_LOG_PATH: join(scratch, "logs") },
      }),
    async show(sql, options = {}) {
      // --limit -1: the SQL runs as written (dbt does not wrap it in a LIMIT subquery), so DDL works too.
      const result = await w.dbt(["show", "--inline", sql, "--output", "json", ...(options.raw ? ["--limit", "-1"] : ["--limit", "1000"])]);
      expectSuccess(result);
      const event = result.events.find((e) => e.name === "ShowNode");
      return JSON.parse(String(event?.data.preview ?? "[]")) as Record<string, unknown>[];
    },
    async query(sql) {
      const python = join(REPO_ROOT, ".venv", "bin", "python");
      const script = "import duckdb, json, sys\nc = duckdb.connect(sys.argv[1], read_only=True)\nprint(json.dumps(c.execute(sys.argv[2]).fetchall(), default=str))";
      const { stdout } = await run(python, ["-c", script, database, sql]);
      return JSON.parse(stdout) as unknown[][];
    },
  };
  return w;
}

function expectSuccess(result: DbtRunResult): void {
  if (result.exitCode !== 0) {
    const errors = result.events.filter((e) => e.level === "error").map((e) => e.msg);
    throw new Error(`dbt ${result.invocation.slice(1, 3).join(" ")} exited ${result.exitCode}: ${errors.join("\n")}\n${result.otherOutput}`);
  }
}

const TABLES = "select table_schema, table_name from information_schema.tables order by 1, 2";
const SCHEMAS = "select distinct schema_name from information_schema.schemata order by 1";

/** What exists before generate (the seeds and the staging models f_signups_by_channel reads, as the seeded warehouse has them). */
async function baseline(w: Warehouse): Promise<{ tables: unknown[][]; schemas: unknown[][]; tree: Record<string, string> }> {
  return { tables: await w.query(TABLES), schemas: await w.query(SCHEMAS), tree: await treeFingerprint(w.repo.dir) };
}

const statusOf = (w: Warehouse, model: string) => modelStatus(w.repo.dir, model);

async function generate(w: Warehouse, csv: string, input: Partial<GenerateInput>): Promise<GenerateOutcome> {
  const csvPath = join(w.scratch, "users_store.csv");
  await writeFile(csvPath, csv);
  return generateSeed(w.repo.dir, csvPath, input);
}

const fileOf = (w: Warehouse, outcome: GenerateOutcome, role: string) => join(w.repo.dir, outcome.files.find((f) => f.role === role)!.path);

/** Runs the paused model's own SQL against the warehouse: it only works once what it needs is there. */
async function pausedModelRows(w: Warehouse): Promise<Record<string, unknown>[]> {
  const sql = await readFile(join(w.dbtDir, "transform/gold/f_signups_by_channel.sql.skip"), "utf8");
  return w.show(sql);
}

// The store feed, shaped like the web and app sign-ups the paused model unions with.
const STORE_CSV = [
  "user_id,email,first_name,last_name,country_code,signup_at,marketing_opt_in,store_code",
  "9001,ana@example.com,Ana,García,ES,2026-10-02 10:15:00,Y,007",
  '9002,bob@example.com,Bob,"O""Neil",PT,2026-10-03 11:00:00,N,012',
  "9003,cy@example.com,Cy,,ES,2026-11-04 09:30:00,Y,120",
  "",
].join("\r\n");

describe("generate with real dbt and DuckDB", () => {
  it("a seed: dbt seed loads it, its tests and the validation pass, f_signups_by_channel becomes ready and runs; the rollback leaves database and tree as they were", async () => {
    const w = await warehouse();
    const before = await baseline(w);
    expect(await statusOf(w, "f_signups_by_channel")).toBe("blocked");

    const outcome = await generate(w, STORE_CSV, {});
    expect(outcome.readiness.newlyReady.map((m) => m.name)).toEqual(["f_signups_by_channel"]);
    expect(await statusOf(w, "f_signups_by_channel")).toBe("ready");

    expectSuccess(await w.dbt(["seed", "--select", "stg_users_store"]));
    expectSuccess(await w.dbt(["test", "--select", "stg_users_store"]));
    const checks = await w.show(await readFile(fileOf(w, outcome, "validate"), "utf8"));
    expect(checks.length).toBeGreaterThan(2);
    expect(checks.filter((c) => c.ok !== true)).toEqual([]);
    expect(checks[0]).toEqual({ check_name: "row count", expected: 3, actual: 3, ok: true });
    // The inferred types, and the leading zeros kept.
    expect(await w.query("select column_name, data_type from information_schema.columns where table_name = 'stg_users_store' and column_name in ('user_id', 'signup_at', 'store_code') order by 1")).toEqual([
      ["signup_at", "TIMESTAMP"],
      ["store_code", "VARCHAR"],
      ["user_id", "SMALLINT"],
    ]);
    expect(await w.query("select store_code from main_reference.stg_users_store order by 1")).toEqual([["007"], ["012"], ["120"]]);

    const rows = await pausedModelRows(w);
    expect(rows.filter((r) => r.signup_channel === "store").map((r) => r.signups)).toEqual([2, 1]);

    await w.show(await readFile(fileOf(w, outcome, "rollback-sql"), "utf8"), { raw: true });
    await run("sh", [fileOf(w, outcome, "rollback-script")]);
    expect(await w.query(TABLES)).toEqual(before.tables);
    expect(await treeFingerprint(w.repo.dir)).toEqual(before.tree);
  });

  it('a source with an ephemeral model: the load (DD/MM dates, "" vs empty, odd column names) runs through dbt, tests and validation pass, the model becomes ready; the rollback removes only that table', async () => {
    const w = await warehouse();
    const before = await baseline(w);
    const csv = [
      'user_id,email,signup_at,joined,nickname,"a""b","x y; drop table t --"',
      '9001,ana@example.com,2026-10-02 10:15:00,13/01/2024,"",1,p',
      "9002,bob@example.com,2026-10-03 11:00:00,05/02/2024,,2,q",
      "",
    ].join("\n");
    const outcome = await generate(w, csv, { name: "users_store", mode: "source", sourceName: "store_feed", model: "stg_users_store" });
    expect(outcome.columns.find((c) => c.name === "joined")).toMatchObject({ sqlType: "DATE", inferred: { kind: "date", format: "DD/MM/YYYY" } });
    expect(outcome.readiness.newlyReady.map((m) => m.name)).toEqual(["f_signups_by_channel"]);
    expect(await statusOf(w, "f_signups_by_channel")).toBe("ready");

    await w.show(await readFile(fileOf(w, outcome, "load"), "utf8"), { raw: true });
    expectSuccess(await w.dbt(["test", "--select", "source:store_feed.users_store"]));
    const checks = await w.show(await readFile(fileOf(w, outcome, "validate"), "utf8"));
    expect(checks.filter((c) => c.ok !== true)).toEqual([]);
    expect(checks.map((c) => c.check_name)).toContain('no nulls in a"b');

    expect(await w.query('select "user_id", "joined", "nickname", "nickname" is null, "a""b", "x y; drop table t --" from store_feed.users_store order by 1')).toEqual([
      [9001, "2024-01-13", "", false, 1, "p"],
      [9002, "2024-02-05", null, true, 2, "q"],
    ]);
    // The ephemeral model resolves ref('stg_users_store') to the source, and the paused model runs on it.
    expect(await w.show("select count(*) as n from {{ ref('stg_users_store') }}")).toEqual([{ n: 2 }]);
    expect((await pausedModelRows(w)).some((r) => r.signup_channel === "store")).toBe(true);

    await w.show(await readFile(fileOf(w, outcome, "rollback-sql"), "utf8"), { raw: true });
    await run("sh", [fileOf(w, outcome, "rollback-script")]);
    expect(await w.query(TABLES)).toEqual(before.tables);
    // The schema the load created stays (documented: other tables could live there).
    expect(await w.query(SCHEMAS)).toEqual([...before.schemas, ["store_feed"]].sort((a, b) => String(a[0]).localeCompare(String(b[0]))));
    expect(await treeFingerprint(w.repo.dir)).toEqual(before.tree);
  });

  it("a source load whose insert fails half-way leaves no table behind, and the rerun loads (CRLF file, one transaction)", async () => {
    const w = await warehouse(); // seeded, the staging models built
    const rows = ["user_id,email,signup_at", "9001,ana@example.com,2026-10-02 10:15:00", "9002,bob@example.com,2026-10-03 11:00:00", ""];
    const outcome = await generate(w, rows.join("\r\n"), { name: "users_store", mode: "source", sourceName: "store_feed", model: "stg_users_store" });
    const load = await readFile(fileOf(w, outcome, "load"), "utf8");
    // The file changes after generate read it: a row the typed insert cannot cast. CREATE TABLE has
    // run by the time the insert fails.
    const csvPath = join(w.scratch, "users_store.csv");
    await writeFile(csvPath, [...rows.slice(0, -1), "9003,cy@example.com,not a timestamp", ""].join("\r\n"));
    const failed = await w.dbt(["show", "--inline", load, "--output", "json", "--limit", "-1"]);
    expect(failed.exitCode).not.toBe(0);
    expect(
      failed.events
        .filter((e) => e.level === "error")
        .map((e) => e.msg)
        .join("\n"),
    ).toMatch(/not a timestamp/);
    expect(await w.query("select table_name from information_schema.tables where table_schema = 'store_feed'")).toEqual([]);

    // The file put right, the same load again: it runs, and loads every row once.
    await writeFile(csvPath, rows.join("\r\n"));
    await w.show(load, { raw: true });
    expect(await w.query('select "user_id", "email", cast("signup_at" as varchar) from store_feed.users_store order by 1')).toEqual([
      [9001, "ana@example.com", "2026-10-02 10:15:00"],
      [9002, "bob@example.com", "2026-10-03 11:00:00"],
    ]);
    // A third run refuses (the table exists: a load never appends), and the rows stay as they were.
    expect((await w.dbt(["show", "--inline", load, "--output", "json", "--limit", "-1"])).exitCode).not.toBe(0);
    expect(await w.query("select count(*) from store_feed.users_store")).toEqual([[2]]);
  });
});
