import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findDbt, type DbtInstallation } from "../../src/adapters/dbt/findDbt.js";
import { plantedRefDbt } from "../helpers/plantedRefDbt.js";
import { runVerifyCommand } from "../helpers/runVerifyCommand.js";
import { REPO_ROOT, scratchExample } from "../helpers/scratchExample.js";

// `dbt-unskip verify` with the real, pinned dbt on a scratch copy of the bundled example.
let dbt: DbtInstallation;
let example: Awaited<ReturnType<typeof scratchExample>>;
let wrapperDir: string;

beforeAll(async () => {
  dbt = await findDbt({ repoRoot: REPO_ROOT });
  example = await scratchExample();
  wrapperDir = await mkdtemp(join(tmpdir(), "dbt-unskip-planted-"));
});
afterAll(async () => {
  await example?.cleanup();
  if (wrapperDir) await rm(wrapperDir, { recursive: true, force: true });
});

describe("dbt-unskip verify on the bundled example", () => {
  it("agrees with dbt: every edge found, none left dynamic, enabled-ness right, exit 0", async () => {
    const { code, result } = await runVerifyCommand(["--root", example.root, "--dbt", dbt.command], example.root);
    expect(result.dbtVersion).toBe(dbt.version);
    expect(result.projects).toHaveLength(1);
    const [report] = result.projects;
    expect(report).toMatchObject({
      project: "acme_warehouse",
      projectDir: "dbt",
      models: { compared: 29, paused: 9 },
      // dbt records 53 edges. f_contract_revenue's `ref(var('contract_model', 'mas_contracts'))` is one of
      // them: read with the var's default, as dbt's parse reads it (it was "dynamic" before var() was evaluated).
      edges: { right: 53, added: 0, missed: 0, dynamic: 0 },
      enabled: { right: 20, wrong: 0 },
      wronglyReady: 0,
    });
    expect(report!.disagreements).toEqual([]);
    expect(result.safe).toBe(true);
    expect(code).toBe(0);
  });

  it("catches a planted disagreement (dbt sees a ref the engine cannot) and exits 1", async () => {
    // A dbt that renders one more ref into paused d_user than its file says: the engine is made to misread it.
    const wrapper = await plantedRefDbt(wrapperDir, dbt.command);
    const { code, result } = await runVerifyCommand(["--root", example.root, "--dbt", wrapper], example.root);
    expect(result.safe).toBe(false);
    expect(code).toBe(1);
    const [report] = result.projects;
    expect(report!.edges.missed).toBe(1);
    expect(report!.disagreements).toEqual([
      {
        kind: "missed-edge",
        risk: "wrongly-ready",
        model: "d_user",
        file: "dbt/transform/gold/d_user.sql.skip",
        line: null,
        dependency: "ref('f_daily_sales')",
        reason: "missed: dbt renders ref('f_daily_sales'), which the file does not write out: a macro, var() or package builds it and the engine did not follow",
      },
    ]);
  });
});
