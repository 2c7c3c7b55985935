import { appendFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestRepo, type TestRepo } from "../helpers/gitRepo.js";
import { startGitHubStandIn } from "../helpers/githubStandIn.js";
import { landMasContracts } from "../helpers/landMasContracts.js";
import { OWNER, REPO, workflowDispatchPayload } from "../helpers/pullRequestPayload.js";
import { removeRunnerDirs, runBundledAction } from "../helpers/runBundledAction.js";
import { EXAMPLE_DIR, REPO_ROOT } from "../helpers/scratchExample.js";
import { treeFingerprint } from "../helpers/treeFingerprint.js";
import { useStandIn } from "../helpers/useStandIn.js";

// The runner folders runBundledAction made (the outputs name files in them, read after each run).
afterAll(removeRunnerDirs);

// A cancelled workflow run, as the runner cancels it: SIGINT to the Action's process while the real
// dbt parses (the restored d_user's Jinja never ends on its own, so the signal always lands while
// dbt is starting or parsing: no clock). The run must say it was cancelled, not that a model failed.
const PULLS = `/repos/${OWNER}/${REPO}/pulls`;
const HANG = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}\n";

describe("the bundled Action, cancelled while dbt runs", () => {
  const gh = useStandIn(startGitHubStandIn);
  let repo: TestRepo;
  let merge: string;
  beforeAll(async () => {
    repo = await createTestRepo(EXAMPLE_DIR);
    await landMasContracts(repo);
    await appendFile(join(repo.dir, "dbt/transform/gold/d_user.sql.skip"), HANG);
    merge = await repo.commit("d_user: a parse that never ends");
    await repo.git("push", "-q", "origin", "main");
    await repo.git("switch", "-q", "--detach", merge); // as actions/checkout leaves it
  });
  afterAll(() => repo.cleanup());

  it("SIGINT during dbt parse: 'cancelled' in the log and the job summary, no model named as failed, nothing pushed, the checkout as it was", async () => {
    gh.expect({ method: "GET", path: PULLS, query: { state: "open", per_page: "100" }, response: [] });
    const before = await treeFingerprint(repo.dir);
    const run = await runBundledAction({
      workspace: repo.dir,
      gh,
      eventName: "workflow_dispatch",
      payload: workflowDispatchPayload({ command: "restore", dimension: "dim_user" }),
      inputs: { token: "ghs_e2e", identity: "github-actions[bot]", "dbt-command": join(REPO_ROOT, ".venv", "bin", "dbt"), command: "restore", dimension: "dim_user", "expected-sha": merge },
      // A cancel must end the run promptly (the runner kills it 10 s after its SIGINT); one that did
      // not fails with the process tree and the Action's output, not as a bare test timeout.
      hangMs: 120_000,
      started: (child) => {
        let out = "";
        const onData = (chunk: Buffer | string) => {
          out += chunk.toString();
          if (!out.includes("dbt parse with 3 restored models")) return;
          child.stdout?.off("data", onData);
          child.kill("SIGINT");
        };
        child.stdout?.on("data", onData);
      },
    });
    gh.assertDone();

    expect(run.code).toBe(1);
    expect(run.stdout).toContain("::warning::The workflow run was cancelled (SIGINT)");
    expect(run.stdout).toContain("::error::cancelled: The workflow run was cancelled (SIGINT) while dbt-unskip (restore) ran");
    expect(run.stdout).not.toMatch(/::error::dim_user|was killed|internal error/);
    expect(run.summary).toContain("## dbt-unskip: cancelled");
    expect(run.summary).toContain("Cancelled while restoring `dim_user`");
    expect(run.summary).not.toMatch(/CAUTION|No restore pull request|fix it/);
    expect(JSON.parse(run.outputs["restore-prs"]!)).toEqual([{ project: "dbt", dimension: "dim_user", pr: null, action: "interrupted", branch: "migrate/dim_user" }]);
    expect(run.calls).toEqual([`GET ${PULLS}?state=open&per_page=100`]);
    expect(await treeFingerprint(repo.dir)).toEqual(before);
    expect(await repo.git("for-each-ref", "--format=%(refname)", "refs/heads/migrate")).toBe("");
  });
});
