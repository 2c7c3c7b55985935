import { readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDiskFileSource } from "../../src/adapters/files/diskFileSource.js";
import { findDbt } from "../../src/adapters/dbt/findDbt.js";
import { spawnDbt, type DbtRunResult } from "../../src/adapters/dbt/spawnDbt.js";
import { DEFAULT_CONFIG } from "../../src/core/config/unskipConfig.js";
import { buildProject } from "../../src/core/project/buildProject.js";
import { analyzeReadiness } from "../../src/core/readiness/analyzeReadiness.js";
import type { ReadinessReport } from "../../src/core/readiness/readinessReport.js";
import { readProjectSnapshot } from "../../src/usecases/readProjectSnapshot.js";
import { REPO_ROOT, scratchExample } from "../helpers/scratchExample.js";

// src/core/readiness/fileNameRules.ts against the pinned dbt: paused models of the example named as
// dbt ignores or takes as another resource are not called ready, and once restored dbt parse shows
// why (one parse for all of them); a name dbt accepts (a leading digit) stays ready and dbt reads it.
const SQL = "select * from {{ ref('d_date') }}\n";
const FILES = {
  ".hidden_x": "transform/gold/.hidden_x.sql", // dbt lists [!.#~]*.sql: never read
  scratch_zz: "transform/gold/scratch_zz.sql", // .dbtignore: transform/**/scratch_*.sql
  country_codes: "transform/gold/country_codes.sql", // a seed's name
  D_Date: "transform/gold/D_Date.sql", // d_date in another case
  "1abc": "transform/gold/1abc.sql", // accepted
};

let example: Awaited<ReturnType<typeof scratchExample>>;
let report: ReadinessReport;
let parse: DbtRunResult;

beforeAll(async () => {
  example = await scratchExample();
  for (const file of Object.values(FILES)) await writeFile(join(example.dbtDir, `${file}.skip`), SQL);
  const built = buildProject(await readProjectSnapshot(createDiskFileSource(example.dbtDir), ""));
  if ("problem" in built) throw new Error(built.problem.message);
  report = analyzeReadiness({ project: built.project, stateDocuments: [], config: DEFAULT_CONFIG });
  for (const file of Object.values(FILES)) await rename(join(example.dbtDir, `${file}.skip`), join(example.dbtDir, file));
  const dbt = await findDbt({ repoRoot: REPO_ROOT });
  parse = await spawnDbt({
    command: dbt.command,
    args: ["parse", "--no-partial-parse"],
    projectDir: example.dbtDir,
    profilesDir: example.dbtDir,
    timeoutMs: 300_000,
    setEnv: { DBT_UNSKIP_DUCKDB_PATH: join(example.root, "acme.duckdb") },
  });
}, 600_000);
afterAll(async () => {
  await example?.cleanup();
});

describe("paused models named as dbt ignores or takes as another resource (pinned dbt)", () => {
  it("status: each needs investigation; the accepted name is ready", () => {
    const status = Object.fromEntries(report.models.filter((m) => m.name in FILES).map((m) => [m.name, m.status]));
    expect(status).toEqual({ ".hidden_x": "needs-investigation", scratch_zz: "needs-investigation", country_codes: "needs-investigation", D_Date: "needs-investigation", "1abc": "ready" });
  });

  it("restored, dbt parse passes but ignores two, warns of the seed's name, and takes D_Date and d_date as two models of one table", async () => {
    const log = [...parse.events.map((e) => e.msg), parse.otherOutput].join("\n");
    expect(parse.exitCode, log).toBe(0);
    const manifest = JSON.parse(await readFile(join(example.dbtDir, "target", "manifest.json"), "utf8")) as { nodes: Record<string, { name: string; original_file_path: string; relation_name: string | null }> };
    const nodes = Object.values(manifest.nodes);
    const byFile = (file: string) => nodes.filter((n) => n.original_file_path === file).map((n) => n.name);
    expect(byFile(FILES[".hidden_x"])).toEqual([]);
    expect(byFile(FILES.scratch_zz)).toEqual([]);
    expect(byFile(FILES["1abc"])).toEqual(["1abc"]);
    expect(log).toContain("Found resources with the same name 'country_codes'");
    const relations = nodes.filter((n) => n.name === "D_Date" || n.name === "d_date").map((n) => n.relation_name?.toLowerCase());
    expect(relations).toHaveLength(2);
    expect(relations[0]).toBe(relations[1]);
  });
});
