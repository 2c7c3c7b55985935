import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestRepo, type TestRepo } from "../helpers/gitRepo.js";
import { startGitHubStandIn } from "../helpers/githubStandIn.js";
import { plantedRefDbt } from "../helpers/plantedRefDbt.js";
import { workflowDispatchPayload } from "../helpers/pullRequestPayload.js";
import { removeRunnerDirs, runBundledAction } from "../helpers/runBundledAction.js";
import { EXAMPLE_DIR, REPO_ROOT } from "../helpers/scratchExample.js";
import { useStandIn } from "../helpers/useStandIn.js";

// The runner folders runBundledAction made (the outputs name files in them, read after each run).
afterAll(removeRunnerDirs);

// The bundled Action's `command: verify` on a dispatch (as the bot's `/unskip verify` starts it):
// real dbt on the example, the figures in the job summary; GitHub is never called.
const DBT = join(REPO_ROOT, ".venv", "bin", "dbt");

describe("the bundled Action's verify command", () => {
  const gh = useStandIn(startGitHubStandIn);
  let repo: TestRepo;
  let wrapperDir: string;
  beforeAll(async () => {
    repo = await createTestRepo(EXAMPLE_DIR);
    wrapperDir = await mkdtemp(join(tmpdir(), "dbt-unskip-planted-"));
  });
  afterAll(async () => {
    await repo.cleanup();
    await rm(wrapperDir, { recursive: true, force: true });
  });

  const dispatch = (dbt: string) =>
    runBundledAction({ workspace: repo.dir, gh, eventName: "workflow_dispatch", payload: workflowDispatchPayload({ command: "verify" }), inputs: { token: "", command: "verify", "dbt-command": dbt } });

  it("posts the figures to the job summary and succeeds when nothing could make a model wrongly ready", async () => {
    const run = await dispatch(DBT);
    expect(run.stdout).not.toContain("::error::");
    expect(run.code).toBe(0);
    expect(run.summary).toContain("## dbt-unskip verify (dbt 1.");
    expect(run.summary).toContain("No disagreement could make a model wrongly ready.");
    // 53 edges, all right: f_contract_revenue's `ref(var('contract_model', 'mas_contracts'))` is read with the var's default.
    expect(run.summary).toContain("| acme_warehouse | 29 | 53 | 0 | 0 | 0 | 20 | 0 | 0 | 0 | 0 | 0 |");
    const saved = JSON.parse(await readFile(run.outputs["report-path"]!, "utf8")) as { schema: string; safe: boolean };
    expect(saved).toMatchObject({ schema: "dbt-unskip/verify@1", safe: true });
    expect(run.calls).toEqual([]);
    expect(await repo.git("status", "--porcelain")).toBe("");
  });

  it("fails the job and lists the disagreement when dbt sees a ref the engine cannot (planted)", async () => {
    const wrapper = await plantedRefDbt(wrapperDir, DBT);
    const run = await dispatch(wrapper);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("::error::verify: 1 disagreement(s) between the static engine and dbt could make a model wrongly ready");
    expect(run.summary).toContain("**Some disagreements could make a model wrongly ready.**");
    expect(run.summary).toContain("- **wrongly ready**: `dbt/transform/gold/d_user.sql.skip` d_user: missed: dbt renders ref('f_daily_sales')");
    expect(run.calls).toEqual([]);
  });
});
