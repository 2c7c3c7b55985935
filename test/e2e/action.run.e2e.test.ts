import { copyFile, mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findDbt } from "../../src/adapters/dbt/findDbt.js";
import { spawnDbt } from "../../src/adapters/dbt/spawnDbt.js";
import { duckdbExecute, duckdbTables } from "../helpers/duckdb.js";
import { copyTestRepo, createTestRepo, type TestRepo } from "../helpers/gitRepo.js";
import { startGitHubStandIn } from "../helpers/githubStandIn.js";
import { landMasContracts } from "../helpers/landMasContracts.js";
import { pushPayload, workflowDispatchPayload } from "../helpers/pullRequestPayload.js";
import { restoreExample } from "../helpers/restoreExample.js";
import { removeRunnerDirs, runBundledAction } from "../helpers/runBundledAction.js";
import { EXAMPLE_DIR, REPO_ROOT } from "../helpers/scratchExample.js";
import { useStandIn } from "../helpers/useStandIn.js";

// The runner folders runBundledAction made (the outputs name files in them, read after each run).
afterAll(removeRunnerDirs);

// The bundled Action's `command: run`, after dim_user's restore PR was merged: real dbt, real DuckDB
// (the profile's default file, target/acme.duckdb under the project), real git; GitHub is never called.
const DBT = join(REPO_ROOT, ".venv", "bin", "dbt");
const INPUTS = { token: "", identity: "github-actions[bot]", "dbt-command": DBT, command: "run", dimension: "dim_user" };

/** What dbt writes in the repository for itself (ignored by git): each copy gets only the warehouse file back. */
const DBT_OWN = ["dbt/target", "dbt/logs"];
const WAREHOUSE = join("dbt", "target", "acme.duckdb");

describe("the bundled Action's run command: gated, then dbt for real", () => {
  const gh = useStandIn(startGitHubStandIn);
  // Prepared once and only read: every test changes its own copy (repository, remote and warehouse).
  let prepared: TestRepo;
  let merge: string;
  const copies: TestRepo[] = [];
  beforeAll(async () => {
    prepared = await createTestRepo(EXAMPLE_DIR);
    await landMasContracts(prepared);
    // The warehouse as the deploy of main leaves it: every active model built (the restored one not yet).
    const dbt = await findDbt({ repoRoot: REPO_ROOT });
    const built = await spawnDbt({ command: dbt.command, args: ["build", "--exclude", "resource_type:test"], projectDir: join(prepared.dir, "dbt"), timeoutMs: 300_000 });
    if (built.exitCode !== 0) throw new Error(`dbt build failed: ${built.otherOutput}`);
    // dim_user's restore pull request, merged.
    const outcome = await restoreExample(prepared, dbt);
    expect(outcome.result).toBe("restored");
    await prepared.git("switch", "-q", "main");
    await prepared.git("merge", "-q", "--no-ff", "-m", "Merge pull request #23 from acme/migrate/dim_user", "migrate/dim_user");
    merge = (await prepared.git("rev-parse", "HEAD")).trim();
    await prepared.git("switch", "-q", "--detach", merge); // as actions/checkout leaves it
  });
  afterAll(() => Promise.all([prepared, ...copies].map((repo) => repo?.cleanup())));

  /** A test's own checkout of the merge (and its remote), with its own copy of the deployed warehouse. */
  async function checkout(): Promise<{ repo: TestRepo; warehouse: string }> {
    const repo = await copyTestRepo(prepared, DBT_OWN);
    copies.push(repo);
    const warehouse = join(repo.dir, WAREHOUSE);
    await mkdir(join(repo.dir, "dbt", "target"), { recursive: true });
    await copyFile(join(prepared.dir, WAREHOUSE), warehouse);
    return { repo, warehouse };
  }

  const dispatch = (repo: TestRepo, inputs: Record<string, string>) =>
    runBundledAction({ workspace: repo.dir, gh, eventName: "workflow_dispatch", payload: workflowDispatchPayload({ command: "run", dimension: "dim_user" }), inputs: { ...INPUTS, ...inputs } });

  it("refused on a push, even confirmed; refused on a dispatch without the dimension typed again: no dbt, no GitHub", async () => {
    const { repo, warehouse } = await checkout();
    const before = await duckdbTables(warehouse);
    const push = await runBundledAction({ workspace: repo.dir, gh, eventName: "push", payload: pushPayload({ before: merge, after: merge }), inputs: { ...INPUTS, confirm: "dim_user" } });
    expect(push.code).toBe(1);
    expect(push.stdout).toContain("::error::command 'run' changes the warehouse, so it runs only from a manual dispatch (workflow_dispatch), never on push; nothing ran");
    for (const confirm of ["", "yes"]) {
      const run = await dispatch(repo, { confirm });
      expect(run.code).toBe(1);
      expect(run.stdout).toContain("::error::command 'run' needs the input 'confirm' to repeat the dimension's name exactly ('dim_user')");
      expect(run.stdout).not.toContain("dbt ");
      expect(run.summary).toBe("");
      expect(run.calls).toEqual([]);
    }
    const moved = await dispatch(repo, { confirm: "dim_user", "expected-sha": `${"0".repeat(39)}1` });
    expect(moved.code).toBe(1);
    expect(moved.stdout).toContain(`::error::the checkout is at ${merge.slice(0, 12)}, not 000000000000 as the command expected`);
    expect(await duckdbTables(warehouse)).toEqual(before);
    expect(before).not.toContain("main_gold.f_user_activity (BASE TABLE)");
  });

  it("confirmed on a dispatch: pre-flight, dbt run, dbt test, validation; the execution log in the job summary", async () => {
    const { repo, warehouse } = await checkout();
    const run = await dispatch(repo, { confirm: "dim_user", "expected-sha": merge });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.outputs["run-result"]).toBe("succeeded");
    expect(run.calls).toEqual([]);
    expect(run.summary).toContain("# Migration Execution: `dim_user`");
    expect(run.summary).toContain("**Status:** ✅ SUCCESS");
    for (const step of ["dbt parse", "Pre-check: dbt debug (connection)", "Pre-check: upstream relations exist", "dbt run", "Post-validation"]) {
      expect(run.summary).toMatch(new RegExp(`\\| ${step.replace(/[()]/g, "\\$&")} \\| \\d+\\.\\ds \\| ✅ \\|`));
    }
    expect(run.summary).toMatch(/\| `f_user_activity` \| success \| \d+\.\ds \| [\d,]+ \(counted\) \|/);
    expect(run.summary).not.toContain("How to roll back");
    // dbt's lines reach the log fenced, never as workflow commands.
    expect(run.stdout).toMatch(/::stop-commands::[0-9a-f]{32}\n==> dbt run\n::[0-9a-f]{32}::/);
    const saved = JSON.parse(await readFile(run.outputs["report-path"]!, "utf8"));
    expect(saved).toMatchObject({ schema: "dbt-unskip/run@1", run: { result: "succeeded", dimension: "dim_user", commit: expect.stringMatching(/^[0-9a-f]{40}$/) } });
    expect(await duckdbTables(warehouse)).toContain("main_gold.f_user_activity (BASE TABLE)");
  });

  it("a run that fails: the job fails and the summary offers the rollback, which is not run", async () => {
    const { repo, warehouse } = await checkout();
    // An upstream relation that exists (pre-flight passes) but lost the column the model reads.
    const [schema, type] = ((await duckdbExecute(warehouse, "select table_schema, table_type from information_schema.tables where table_name = 'mas_accounts'")) as [string, string][])[0]!;
    await duckdbExecute(warehouse, `create or replace ${type === "VIEW" ? "view" : "table"} "${schema}"."mas_accounts" as select 1 as unrelated`);
    const run = await dispatch(repo, { confirm: "dim_user" });
    expect(run.code).toBe(1);
    expect(run.outputs["run-result"]).toBe("failed");
    expect(run.stdout).toContain("::error::dim_user: the run failed; nothing was rolled back (the job summary says how)");
    expect(run.summary).toContain("**Status:** ❌ FAILED");
    expect(run.summary).toContain("## How to roll back");
    expect(run.summary).toContain(`On a checkout of \`${merge.slice(0, 12)}\``);
    expect(run.summary).toContain("`dbt-unskip plan --dimension dim_user --restored --out rollback-plan`");
    expect(run.summary).toContain("`dbt-unskip rollback --dimension dim_user`");
    // Nothing was rolled back: the restored file is still there, the tree clean.
    expect(await repo.git("status", "--porcelain")).toBe("");
    expect(await repo.git("ls-files", "dbt/transform/gold/f_user_activity.sql")).not.toBe("");
  });
});
