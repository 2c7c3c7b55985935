import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runGit } from "../../src/adapters/git/runGit.js";
import { copyTestRepo, createTestRepo, type TestRepo } from "../helpers/gitRepo.js";
import { startGitHubStandIn } from "../helpers/githubStandIn.js";
import { landMasContracts } from "../helpers/landMasContracts.js";
import { OWNER, pushPayload, REPO, workflowDispatchPayload } from "../helpers/pullRequestPayload.js";
import { removeRunnerDirs, runBundledAction, type BundledRun } from "../helpers/runBundledAction.js";
import { EXAMPLE_DIR, REPO_ROOT } from "../helpers/scratchExample.js";
import { useStandIn } from "../helpers/useStandIn.js";

// The runner folders runBundledAction made (the outputs name files in them, read after each run).
afterAll(removeRunnerDirs);

// The bundled Action on a merge to main and on a dispatch: real dbt, real git, GitHub stand-in.
const PULLS = `/repos/${OWNER}/${REPO}/pulls`;
const BOT = "github-actions[bot]";
const INPUTS = { token: "ghs_e2e", identity: BOT, "dbt-command": join(REPO_ROOT, ".venv", "bin", "dbt") };
/** What dbt writes in the repository for itself (ignored by git): not copied, each copy's dbt starts without it. */
const DBT_OWN = ["dbt/target", "dbt/logs"];

describe("the bundled Action after a merge, and on dispatch", () => {
  const gh = useStandIn(startGitHubStandIn);
  let repo: TestRepo;
  let base: string;
  let merge: string;
  let first: BundledRun;
  let mergeComment = "";
  const bodies: Record<string, string> = {};
  const pull = (number: number, branch: string) => ({
    number,
    title: branch,
    body: "<!-- dbt-unskip:restore-pr -->",
    html_url: `https://github.test/pull/${number}`,
    head: { ref: branch, repo: { full_name: `${OWNER}/${REPO}` } },
    user: { login: BOT },
  });
  const dims = ["dim_account", "dim_contract", "dim_product", "dim_user"];
  beforeAll(async () => {
    repo = await createTestRepo(EXAMPLE_DIR);
    base = (await repo.git("rev-parse", "HEAD")).trim();
    merge = await landMasContracts(repo, "Merge pull request #12: land mas_contracts");
    await repo.git("push", "-q", "origin", "main");
    await repo.git("switch", "-q", "--detach", merge); // as actions/checkout leaves it
  });
  // The prepared merge is only read; what a run changes (the checkout, the remote) is a copy's.
  const copies: TestRepo[] = [];
  afterAll(() => Promise.all([repo, ...copies].map((r) => r?.cleanup())));
  /** A test's own copy of a prepared repository and its remote. */
  async function copyOf(prepared: TestRepo): Promise<TestRepo> {
    const copy = await copyTestRepo(prepared, DBT_OWN);
    copies.push(copy);
    return copy;
  }

  describe("after the first run on the merge", () => {
    // The checkout and remote the first run left: its test reads them, the others each change a copy.
    let pushed: TestRepo;
    beforeAll(async () => {
      pushed = await copyOf(repo);
      // The first run on the merge, made once here: the test below reads it, and the tests of a second
      // push and of a closed PR start from the branches it pushed (no test reads what another test did).
      gh.expect(
        { method: "GET", path: PULLS, query: { state: "open", per_page: "100" }, response: [] },
        ...dims.map((dim, i) => ({
          method: "POST",
          path: PULLS,
          body: (b: unknown) => {
            if ((b as { head: string }).head !== `migrate/${dim}`) return false;
            bodies[dim] = (b as { body: string }).body;
            return true;
          },
          status: 201,
          response: pull(20 + i, `migrate/${dim}`),
        })),
        { method: "GET", path: `/repos/${OWNER}/${REPO}/commits/${merge}/pulls`, response: [{ number: 12, merged_at: "2026-11-21T05:00:00Z", base: { ref: "main" } }] },
        { method: "GET", path: `/repos/${OWNER}/${REPO}/issues/12/comments`, query: { per_page: "100", page: "1" }, response: [] },
        {
          method: "POST",
          path: `/repos/${OWNER}/${REPO}/issues/12/comments`,
          body: (b: unknown) => {
            mergeComment = (b as { body: string }).body;
            return true;
          },
          status: 201,
          response: { id: 5, html_url: "https://github.com/acme/warehouse/x", body: "x", user: { login: BOT } },
        },
      );
      first = await runBundledAction({ workspace: pushed.dir, gh, eventName: "push", payload: pushPayload({ before: base, after: merge }), inputs: INPUTS });
      gh.assertDone();
    });

    // Four restores (dbt parse + compile each) and four plans for the PR bodies (one dbt parse each).
    it("push: one restore PR per dimension with ready models, and the merged PR told what it made ready", async () => {
      const run = first;
      const repo = pushed;
      expect(run.stderr).toBe("");
      expect(run.code).toBe(0);
      expect(JSON.parse(run.outputs["restore-prs"]!)).toEqual(dims.map((dim, i) => ({ project: "dbt", dimension: dim, pr: 20 + i, action: "created", branch: `migrate/${dim}` })));
      for (const dim of dims) expect((await runGit(repo.remote, ["rev-parse", `migrate/${dim}^`])).stdout.trim()).toBe(merge);
      expect(mergeComment).toBe(mergeCommentBody());
      expect(run.summary).toContain("| `dim_user` | created | #23 |");
      // Each PR body carries the restore's migration plan: models, relations, risk, rollback artefacts.
      const body = bodies.dim_user!;
      expect(body.length).toBeLessThanOrEqual(65_536);
      // The verdict first: the CI note and the risk come before the list of models.
      expect(body.indexOf("## Risk: ")).toBeLessThan(body.indexOf("### Restored, in restore order"));
      expect(body).toMatch(/^## Risk: (🟢 Low|🟡 Medium|🔴 High)$/m);
      expect(body).toMatch(/Basis: the models restored by commit [0-9a-f]{12}/);
      expect(body).toContain('- **Creates:** `"acme"."main_gold"."f_user_activity"` (`table`)');
      expect(body).toContain("<details><summary>rollback.sql: drops what a run of these models created, dependents first</summary>");
      expect(body).toContain('DROP TABLE IF EXISTS "acme"."main_gold"."f_user_activity";');
      // rollback.sh embeds the whole state document: named by its command, never inlined.
      expect(body).not.toMatch(/#!\/bin\/sh/);
      expect(body).toContain("`dbt-unskip plan --dimension dim_user --restored --out DIR`");
      expect(body).toContain("`dbt-unskip rollback --dimension dim_user`");
      expect(body.match(/<summary>Rollback<\/summary>/g)).toHaveLength(1);
      for (const dim of dims) expect(bodies[dim]).toMatch(/^## Risk: /m);
      // Each plan takes the manifest of its restore's own last parse (the same tree): no second parse.
      expect(run.stdout.match(/dbt's manifest of the restore's own parse \(the same files, the same settings\): no second parse/g)).toHaveLength(dims.length);
      expect(run.stdout).not.toContain("(scratch copy)");
      expect(await repo.git("status", "--porcelain")).toBe("");
    }, 300_000);

    it("the same push again: no dbt, no push, no write, three reads", async () => {
      const repo = await copyOf(pushed);
      gh.expect(
        { method: "GET", path: PULLS, query: { state: "open", per_page: "100" }, response: dims.map((dim, i) => pull(20 + i, `migrate/${dim}`)) },
        { method: "GET", path: `/repos/${OWNER}/${REPO}/commits/${merge}/pulls`, response: [{ number: 12, merged_at: "2026-11-21T05:00:00Z", base: { ref: "main" } }] },
        {
          method: "GET",
          path: `/repos/${OWNER}/${REPO}/issues/12/comments`,
          query: { per_page: "100", page: "1" },
          response: [{ id: 5, html_url: "https://github.com/acme/warehouse/x", user: { login: BOT }, body: mergeCommentBody() }],
        },
      );
      const heads = await runGit(repo.remote, ["for-each-ref", "--format=%(objectname) %(refname)", "refs/heads/migrate"]);
      const run = await runBundledAction({ workspace: repo.dir, gh, eventName: "push", payload: pushPayload({ before: base, after: merge }), inputs: INPUTS });
      expect(run.code).toBe(0);
      expect(run.requests.map((r) => `${r.method} ${r.path}`)).toEqual([`GET ${PULLS}`, `GET /repos/${OWNER}/${REPO}/commits/${merge}/pulls`, `GET /repos/${OWNER}/${REPO}/issues/12/comments`]);
      expect(JSON.parse(run.outputs["restore-prs"]!).map((p: { action: string }) => p.action)).toEqual(["unchanged", "unchanged", "unchanged", "unchanged"]);
      expect(await runGit(repo.remote, ["for-each-ref", "--format=%(objectname) %(refname)", "refs/heads/migrate"])).toEqual(heads);
    });

    it("dispatch restore of one dimension whose PR was closed by hand: rebuilt and reopened", async () => {
      const repo = await copyOf(pushed);
      gh.expect(
        { method: "GET", path: PULLS, query: { state: "open", per_page: "100" }, response: [] },
        { method: "POST", path: PULLS, body: (b: unknown) => (b as { head: string }).head === "migrate/dim_product", status: 201, response: pull(30, "migrate/dim_product") },
      );
      const run = await runBundledAction({
        workspace: repo.dir,
        gh,
        eventName: "workflow_dispatch",
        payload: workflowDispatchPayload({ command: "restore", dimension: "dim_product" }),
        inputs: { ...INPUTS, command: "restore", dimension: "dim_product", "expected-sha": merge },
      });
      expect(run.code).toBe(0);
      expect(JSON.parse(run.outputs["restore-prs"]!)).toEqual([{ project: "dbt", dimension: "dim_product", pr: 30, action: "created", branch: "migrate/dim_product" }]);
    });
  });

  it("a push to another branch does nothing", async () => {
    const run = await runBundledAction({ workspace: repo.dir, gh, eventName: "push", payload: pushPayload({ before: base, after: merge, ref: "refs/heads/feature" }), inputs: INPUTS });
    expect(run.code).toBe(0);
    expect(run.calls).toEqual([]);
  });

  it("dispatch restore with an expected sha that moved: stops before anything", async () => {
    const run = await runBundledAction({
      workspace: repo.dir,
      gh,
      eventName: "workflow_dispatch",
      payload: workflowDispatchPayload({ command: "restore", dimension: "dim_product" }),
      inputs: { ...INPUTS, command: "restore", dimension: "dim_product", "expected-sha": base },
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`::error::the checkout is at ${merge.slice(0, 12)}, not ${base.slice(0, 12)} as the command expected`);
    expect(run.calls).toEqual([]);
  });

  it("dispatch plan: the migration plan in the job summary, no request to GitHub", async () => {
    const run = await runBundledAction({
      workspace: repo.dir,
      gh,
      eventName: "workflow_dispatch",
      payload: workflowDispatchPayload({ command: "plan", dimension: "dim_user" }),
      inputs: { ...INPUTS, command: "plan", dimension: "dim_user" },
    });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.calls).toEqual([]);
    for (const model of ["f_user_activity", "mas_user_contracts", "d_user"]) expect(run.summary).toContain(`\`${model}\``);
    expect(run.summary).toMatch(/rollback/i);
  });

  it("dispatch rollback: refused with how to do it, nothing touched", async () => {
    const run = await runBundledAction({
      workspace: repo.dir,
      gh,
      eventName: "workflow_dispatch",
      payload: workflowDispatchPayload({ command: "rollback", dimension: "dim_user" }),
      inputs: { ...INPUTS, command: "rollback", dimension: "dim_user" },
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("::error::rollback is not run from a workflow");
    expect(run.calls).toEqual([]);
    expect(await repo.git("status", "--porcelain")).toBe("");
  });
});

/** The merge comment the Action writes for this merge: a line per dimension in restore order, with its PR. */
function mergeCommentBody(): string {
  return [
    "<!-- dbt-unskip:merge-ready -->",
    "### dbt-unskip: this merge made 4 paused models ready",
    "",
    "- `dim_account`: #20 restores `d_account`",
    // ref(var('contract_model', 'mas_contracts')) in f_contract_revenue: the var's default, which the merge added.
    "- `dim_contract`: #21 restores `f_contract_revenue`",
    "- `dim_user`: #23 restores `mas_user_contracts`, `d_user`",
    "",
    `Progress of every dimension: [the dashboard issue](https://github.com/${OWNER}/${REPO}/issues?q=is%3Aissue%20is%3Aopen%20label%3Adbt-unskip%20%22migration%20dashboard%22).`,
    "",
  ].join("\n");
}
