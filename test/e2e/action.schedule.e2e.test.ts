import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DASHBOARD_MARKER } from "../../src/core/render/renderDashboard.js";
import { createTestRepo, type TestRepo } from "../helpers/gitRepo.js";
import { startGitHubStandIn } from "../helpers/githubStandIn.js";
import { OWNER, REPO, workflowDispatchPayload } from "../helpers/pullRequestPayload.js";
import { removeRunnerDirs, runBundledAction, type BundledRun } from "../helpers/runBundledAction.js";
import { EXAMPLE_DIR } from "../helpers/scratchExample.js";
import { useStandIn } from "../helpers/useStandIn.js";

// The runner folders runBundledAction made (the outputs name files in them, read after each run).
afterAll(removeRunnerDirs);

// The dashboard issue on schedule and dispatch, through the bundle, GitHub at the stand-in.
const BOT = "github-actions[bot]";
const ISSUES = `/repos/${OWNER}/${REPO}/issues`;
const LIST_PRS = { method: "GET", path: `/repos/${OWNER}/${REPO}/pulls`, query: { state: "open", per_page: "100" }, response: [] };
const LIST_ISSUES = (response: unknown[]) => ({ method: "GET", path: ISSUES, query: { labels: "dbt-unskip", state: "all", sort: "created", direction: "asc", per_page: "100" }, response });

describe("the bundled Action on schedule and dispatch: one dashboard issue", () => {
  const gh = useStandIn(startGitHubStandIn);
  let repo: TestRepo;
  let body = "";
  let created: BundledRun;
  // The scheduled run that creates the dashboard, made once here: its test reads the run, and the
  // other tests start from the issue it wrote (no test reads what another test did).
  beforeAll(async () => {
    repo = await createTestRepo(EXAMPLE_DIR);
    gh.expect(LIST_PRS, LIST_ISSUES([]), {
      method: "POST",
      path: ISSUES,
      body: (b: unknown) => {
        body = (b as { body: string }).body;
        return (b as { labels: string[] }).labels[0] === "dbt-unskip";
      },
      status: 201,
      response: { number: 3, html_url: "https://github.test/issues/3" },
    });
    created = await runBundledAction({ workspace: repo.dir, gh, eventName: "schedule", payload: { schedule: "0 6 * * *" }, inputs: { token: "ghs_x", identity: BOT } });
    gh.assertDone();
  });
  afterAll(() => repo.cleanup());
  const issue = () => ({ number: 3, title: "dbt-unskip: migration dashboard", body, html_url: "https://github.test/issues/3", state: "open", user: { login: BOT } });

  it("a scheduled run creates the dashboard with every dimension, ready boxes and root causes", async () => {
    const run = created;
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.outputs["dashboard-issue"]).toBe("3");
    expect(JSON.parse(run.outputs["dimensions-with-work"]!)).toEqual(["dim_contract", "dim_product", "dim_user"]);
    expect(body.startsWith(DASHBOARD_MARKER)).toBe(true);
    expect(body).toContain("- [ ] Restore `dim_user`: 1 ready (`f_user_activity`) <!-- dbt-unskip:restore:dim_user -->");
    expect(body).toContain(
      "**Expected from `dim_contract`**: 1 root cause, 4 paused models blocked\n\n| missing | kind | blocks |\n| --- | --- | --- |\n| `mas_contracts` | ref | 4: `d_account`, `d_user`, `f_contract_revenue`, `mas_user_contracts` |",
    );
    expect(body).toContain("```mermaid\nflowchart LR\n");
  });

  it("the same commit again: two reads, no write", async () => {
    gh.expect(LIST_PRS, LIST_ISSUES([issue()]));
    const run = await runBundledAction({ workspace: repo.dir, gh, eventName: "schedule", payload: { schedule: "0 6 * * *" }, inputs: { token: "ghs_x", identity: BOT } });
    expect(run.code).toBe(0);
    expect(run.requests.filter((r) => r.method !== "GET")).toEqual([]);
    expect(run.requests).toHaveLength(2);
  });

  it("a dispatch after a change edits it; a person's issue quoting the marker is left alone", async () => {
    // The change on a copy of the repository, so the checkout the other tests run in stays as the dashboard saw it.
    const changed = await createTestRepo(EXAMPLE_DIR);
    await changed.write("dbt/transform/silver/master/mas_contracts.sql", "select 1 as contract_id, 1 as user_id\n");
    await changed.commit("land mas_contracts");
    let edited = "";
    gh.expect(LIST_PRS, LIST_ISSUES([{ ...issue(), number: 1, user: { login: "a-person" } }, issue()]), {
      method: "PATCH",
      path: `${ISSUES}/3`,
      body: (b: unknown) => {
        edited = (b as { body: string }).body;
        return true;
      },
      response: { number: 3, html_url: "https://github.test/issues/3" },
    });
    try {
      const run = await runBundledAction({
        workspace: changed.dir,
        gh,
        eventName: "workflow_dispatch",
        payload: workflowDispatchPayload({ command: "status" }),
        inputs: { token: "ghs_x", identity: BOT, command: "status" },
      });
      expect(run.code).toBe(0);
      expect(edited).toContain("- [ ] Restore `dim_user`: 3 ready (");
      expect(edited).not.toBe(body);
    } finally {
      await changed.cleanup();
    }
  });
});
