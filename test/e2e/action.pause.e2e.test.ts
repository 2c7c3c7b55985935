import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runGit } from "../../src/adapters/git/runGit.js";
import { createTestRepo, type TestRepo } from "../helpers/gitRepo.js";
import { startGitHubStandIn } from "../helpers/githubStandIn.js";
import { OWNER, REPO, workflowDispatchPayload } from "../helpers/pullRequestPayload.js";
import { removeRunnerDirs, runBundledAction } from "../helpers/runBundledAction.js";
import { EXAMPLE_DIR, REPO_ROOT } from "../helpers/scratchExample.js";
import { useStandIn } from "../helpers/useStandIn.js";

// The runner folders runBundledAction made (the outputs name files in them, read after each run).
afterAll(removeRunnerDirs);

// The bundled Action on `command: pause` (what the bot dispatches for `/unskip pause`): real dbt, real git, GitHub stand-in.
const PULLS = `/repos/${OWNER}/${REPO}/pulls`;
const BOT = "github-actions[bot]";
const INPUTS = { token: "ghs_e2e", identity: BOT, "dbt-command": join(REPO_ROOT, ".venv", "bin", "dbt") };

describe("the bundled Action, command: pause", () => {
  const gh = useStandIn(startGitHubStandIn);
  let repo: TestRepo;
  let head: string;
  beforeAll(async () => {
    repo = await createTestRepo(EXAMPLE_DIR);
    head = (await repo.git("rev-parse", "HEAD")).trim();
    await repo.git("switch", "-q", "--detach", head); // as actions/checkout leaves it
  });
  afterAll(() => repo.cleanup());

  const dispatch = (inputs: Record<string, string>) => runBundledAction({ workspace: repo.dir, gh, eventName: "workflow_dispatch", payload: workflowDispatchPayload(inputs), inputs: { ...INPUTS, ...inputs } });

  it("opens a pause pull request: the named model and its dependents paused on <prefix>pause-<dim>, proven with dbt parse", async () => {
    let body = "";
    gh.expect({
      method: "POST",
      path: PULLS,
      body: (b: unknown) => {
        if ((b as { head: string }).head !== "migrate/pause-dim_product") return false;
        body = (b as { body: string }).body;
        return true;
      },
      status: 201,
      response: {
        number: 41,
        title: "t",
        body: "<!-- dbt-unskip:pause-pr -->",
        html_url: "https://github.test/pull/41",
        head: { ref: "migrate/pause-dim_product", repo: { full_name: `${OWNER}/${REPO}` } },
        user: { login: BOT },
      },
    });
    const run = await dispatch({ command: "pause", dimension: "dim_product", models: "f_transactions", "expected-sha": head });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(JSON.parse(run.outputs["pause-pr"]!)).toEqual({ dimension: "dim_product", pr: 41, action: "created", branch: "migrate/pause-dim_product" });
    expect(body.startsWith("<!-- dbt-unskip:pause-pr -->")).toBe(true);
    expect(body).toContain("| `f_transactions` | `dim_product` |");
    const pushed = (await runGit(repo.remote, ["rev-parse", "refs/heads/migrate/pause-dim_product"])).stdout.trim();
    expect((await runGit(repo.remote, ["rev-parse", `${pushed}^`])).stdout.trim()).toBe(head);
    expect((await runGit(repo.remote, ["show", "--name-only", "--format=", pushed])).stdout).toContain("dbt/transform/gold/f_transactions.sql.skip");
    // The runner's checkout is left as it was found.
    expect((await repo.git("rev-parse", "HEAD")).trim()).toBe(head);
    expect(await repo.git("status", "--porcelain")).toBe("");
  });

  it("an expected sha that moved: stops before anything", async () => {
    const run = await dispatch({ command: "pause", dimension: "dim_product", models: "f_transactions", "expected-sha": "0".repeat(40) });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`::error::the checkout is at ${head.slice(0, 12)}, not 000000000000 as the command expected`);
    expect(run.calls).toEqual([]);
  });
});
