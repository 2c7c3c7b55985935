import { mkdir, rename, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDiskFileSource } from "../../src/adapters/files/diskFileSource.js";
import { findDbt, type DbtInstallation } from "../../src/adapters/dbt/findDbt.js";
import { spawnDbt, type DbtRunResult } from "../../src/adapters/dbt/spawnDbt.js";
import { DEFAULT_CONFIG } from "../../src/core/config/unskipConfig.js";
import { buildProject } from "../../src/core/project/buildProject.js";
import { analyzeReadiness } from "../../src/core/readiness/analyzeReadiness.js";
import type { ReadinessReport } from "../../src/core/readiness/readinessReport.js";
import { readProjectSnapshot } from "../../src/usecases/readProjectSnapshot.js";
import { REPO_ROOT, scratchExample } from "../helpers/scratchExample.js";

// The other side of src/core/readiness/fileNameRules.ts: an active file dbt never reads for its
// name (dbt lists `[!.#~]*.<ext>`, and leaves out what `.dbtignore` matches) provides nothing to a
// paused model. Each case is a provider (a model, a seed, a snapshot, a source's YAML, a model
// version, a macro) and a paused model that needs it. On one copy of the example the providers are
// named as dbt reads them: every paused model is ready, and restored together dbt parse and compile
// pass. On another they are named with '.', '#' or '~' first (or as `.dbtignore` matches): none is
// ready, and each restored alone dbt parse (for the macro: compile --select) fails on it.

interface Case {
  paused: string;
  /** The provider's files (under the dbt project folder) for a name start `pre` ("" or an unread one). */
  files: (pre: string) => Record<string, string>;
  sql: (pre: string) => string;
  /** What status says once the provider is unread. */
  unread: "blocked" | "needs-investigation";
  dbtSays: (pre: string) => RegExp;
  /** dbt parse passes a call of an undefined macro: compile (what restore runs next) fails on it. */
  dbtFails?: "compile";
}

const H = "transform/unread";
const CASES: Case[] = [
  {
    paused: "p_model",
    files: (pre) => ({ [`${H}/${pre}x_model.sql`]: "select 1 as id\n" }),
    sql: (pre) => `select * from {{ ref('${pre}x_model') }}\n`,
    unread: "blocked",
    dbtSays: (pre) => new RegExp(`node named '${pre}x_model' which was not found`),
  },
  {
    // The example's .dbtignore holds `transform/**/scratch_*.sql`.
    paused: "p_ignored",
    files: (pre) => ({ [`${H}/${pre}x_ignored.sql`]: "select 1 as id\n" }),
    sql: (pre) => `select * from {{ ref('${pre}x_ignored') }}\n`,
    unread: "blocked",
    dbtSays: (pre) => new RegExp(`node named '${pre}x_ignored' which was not found`),
  },
  {
    paused: "p_seed",
    files: (pre) => ({ [`reference_data/${pre}x_seed.csv`]: "id\n1\n" }),
    sql: (pre) => `select * from {{ ref('${pre}x_seed') }}\n`,
    unread: "blocked",
    dbtSays: (pre) => new RegExp(`node named '${pre}x_seed' which was not found`),
  },
  {
    paused: "p_snap",
    files: (pre) => ({
      [`snapshots/${pre}snap_hidden.sql`]:
        "{% snapshot snap_hidden %}\n{{ config(unique_key='product_id', strategy='check', check_cols=['list_price']) }}\nselect * from {{ source('bronze', 'products') }}\n{% endsnapshot %}\n",
    }),
    sql: () => "select * from {{ ref('snap_hidden') }}\n",
    unread: "blocked",
    dbtSays: () => /node named 'snap_hidden' which was not found/,
  },
  {
    paused: "p_src",
    files: (pre) => ({ [`${H}/${pre}legacy_sources.yml`]: "version: 2\nsources:\n  - name: legacy\n    tables:\n      - name: t1\n" }),
    sql: () => "select * from {{ source('legacy', 't1') }}\n",
    unread: "blocked",
    dbtSays: () => /source named 'legacy\.t1' which was not found/,
  },
  {
    paused: "p_version",
    files: (pre) => ({
      [`${H}/_vm.yml`]: `version: 2\nmodels:\n  - name: vm\n    latest_version: 2\n    versions:\n      - v: 1\n      - v: 2\n        defined_in: ${pre === "" ? "" : `"${pre}`}vm_v2${pre === "" ? "" : '"'}\n`,
      [`${H}/vm_v1.sql`]: "select 1 as id\n",
      [`${H}/${pre}vm_v2.sql`]: "select 2 as id\n",
    }),
    sql: () => "select * from {{ ref('vm') }}\n",
    unread: "blocked",
    dbtSays: () => /node named 'vm' which was not found/,
  },
  {
    paused: "p_macro",
    files: (pre) => ({ [`macros/${pre}hidden_macro.sql`]: "{% macro d_date_relation() %}{{ ref('d_date') }}{% endmacro %}\n" }),
    sql: () => "select * from {{ d_date_relation() }}\n",
    unread: "needs-investigation",
    dbtSays: () => /'d_date_relation' is undefined/,
    dbtFails: "compile",
  },
];
// One unread start per case, so that each of the three is seen by dbt (and a `.dbtignore` pattern's).
const UNREAD_START: Record<string, string> = { p_model: "#", p_ignored: "scratch_", p_seed: ".", p_snap: ".", p_src: ".", p_version: "~", p_macro: "." };

let dbt: DbtInstallation;
const cleanups: (() => Promise<void>)[] = [];

async function exampleWith(pre: (paused: string) => string): Promise<{ dbtDir: string; root: string; report: ReadinessReport }> {
  const example = await scratchExample();
  cleanups.push(example.cleanup);
  for (const c of CASES) {
    const files = { ...c.files(pre(c.paused)), [`${H}/${c.paused}.sql.skip`]: c.sql(pre(c.paused)) };
    for (const [file, text] of Object.entries(files)) {
      await mkdir(dirname(join(example.dbtDir, file)), { recursive: true });
      await writeFile(join(example.dbtDir, file), text);
    }
  }
  const built = buildProject(await readProjectSnapshot(createDiskFileSource(example.dbtDir), ""));
  if ("problem" in built) throw new Error(built.problem.message);
  return { dbtDir: example.dbtDir, root: example.root, report: analyzeReadiness({ project: built.project, stateDocuments: [], config: DEFAULT_CONFIG }) };
}

function dbtIn(example: { dbtDir: string; root: string }, args: string[]): Promise<DbtRunResult> {
  return spawnDbt({
    command: dbt.command,
    args: [...args, "--no-partial-parse"],
    projectDir: example.dbtDir,
    profilesDir: example.dbtDir,
    timeoutMs: 300_000,
    setEnv: { DBT_UNSKIP_DUCKDB_PATH: join(example.root, "acme.duckdb") },
  });
}

const restore = (example: { dbtDir: string }, paused: string) => rename(join(example.dbtDir, H, `${paused}.sql.skip`), join(example.dbtDir, H, `${paused}.sql`));
const output = (result: DbtRunResult) => [...result.events.map((e) => e.msg), result.otherOutput].join("\n");
const statusOf = (report: ReadinessReport) => Object.fromEntries(report.models.filter((m) => CASES.some((c) => c.paused === m.name)).map((m) => [m.name, m.status]));

beforeAll(async () => {
  dbt = await findDbt({ repoRoot: REPO_ROOT });
});
afterAll(async () => {
  for (const cleanup of cleanups) await cleanup();
});

describe("active files dbt never reads for their name provide nothing (pinned dbt)", () => {
  it("named as dbt reads them: every paused model is ready, and restored together dbt parse and compile --select pass", async () => {
    const example = await exampleWith(() => "");
    expect(statusOf(example.report)).toEqual(Object.fromEntries(CASES.map((c) => [c.paused, "ready"])));
    for (const c of CASES) await restore(example, c.paused);
    const parse = await dbtIn(example, ["parse"]);
    expect(parse.exitCode, output(parse)).toBe(0);
    const compile = await dbtIn(example, ["compile", "--select", ...CASES.map((c) => c.paused)]);
    expect(compile.exitCode, output(compile)).toBe(0);
  }, 600_000);

  it("named with '.', '#' or '~', or as .dbtignore matches: none is ready, and each restored alone dbt parse (the macro's: compile) fails on it", async () => {
    const example = await exampleWith((paused) => UNREAD_START[paused]!);
    expect(statusOf(example.report)).toEqual(Object.fromEntries(CASES.map((c) => [c.paused, c.unread])));
    for (const c of CASES) {
      await restore(example, c.paused);
      const parse = await dbtIn(example, c.dbtFails === "compile" ? ["compile", "--select", c.paused] : ["parse"]);
      const text = output(parse);
      expect(parse.exitCode, `${c.paused}: ${text}`).not.toBe(0);
      expect(text).toContain(c.paused);
      expect(text).toMatch(c.dbtSays(UNREAD_START[c.paused]!));
      await rename(join(example.dbtDir, H, `${c.paused}.sql`), join(example.dbtDir, H, `${c.paused}.sql.skip`));
    }
  }, 900_000);
});
