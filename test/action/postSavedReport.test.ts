import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { postSavedReport } from "../../src/action/postSavedReport.js";
import { parseWorkflowRunEvent } from "../../src/action/workflowRunEvent.js";
import { createOctokit } from "../../src/adapters/github/createOctokit.js";
import { diffReadiness } from "../../src/core/readiness/diffReadiness.js";
import { SAVED_REPORT_SCHEMA, type SavedPullRequestReport } from "../../src/core/readiness/savedPullRequestReport.js";
import { renderPullRequestComment } from "../../src/core/render/renderPullRequestComment.js";
import { callList, startGitHubStandIn } from "../helpers/githubStandIn.js";
import { reportOf } from "../helpers/memoryProject.js";
import { useStandIn } from "../helpers/useStandIn.js";
import { workflowRunPayload } from "../helpers/workflowRunPayload.js";

const HEAD = "b".repeat(40);
const PULL = "/repos/acme/warehouse/pulls/7";
const COMMENTS = "/repos/acme/warehouse/issues/7/comments";

function report(): SavedPullRequestReport {
  const base = { "models/stg.sql": "select 1", "models/a.sql.skip": "{{ ref('x') }}" };
  const diff = diffReadiness({ base: reportOf(base), head: reportOf({ ...base, "models/x.sql": "select 1" }), changes: [{ status: "A", path: "models/x.sql" }] });
  return { schema: SAVED_REPORT_SCHEMA, pullRequest: { number: 7, baseSha: "a".repeat(40), headSha: HEAD }, changed: true, diffs: [diff] };
}

describe("postSavedReport: the workflow_run half of the fork recipe", () => {
  const gh = useStandIn(startGitHubStandIn);

  async function post(options: { headRepository?: string; event?: string; pullRequests?: number[]; saved?: SavedPullRequestReport } = {}) {
    const event = parseWorkflowRunEvent(workflowRunPayload({ headSha: HEAD, headRepository: options.headRepository ?? "stranger/warehouse", event: options.event, pullRequests: options.pullRequests }));
    const octokit = createOctokit({ token: "t", baseUrl: gh.url, waitUnitMs: 0, spaceWrites: false, throttleId: randomUUID() });
    const before = gh.requests.length;
    const outcome = await postSavedReport({ event, report: options.saved ?? report(), octokit, mode: "changed" });
    return { outcome, calls: callList(gh.requests.slice(before)) };
  }

  const pull = (sha: string, state = "open") => ({ number: 7, state, head: { sha }, base: { repo: { full_name: "acme/warehouse" } } });

  it("renders the report itself and keeps the comment: unchanged on a rerun (3 calls, no write)", async () => {
    const body = renderPullRequestComment({ diffs: report().diffs, baseSha: "a".repeat(40), headSha: HEAD });
    gh.expect(
      { method: "GET", path: PULL, response: pull(HEAD) },
      { method: "GET", path: COMMENTS, response: [{ id: 9, body, user: { login: "github-actions[bot]" }, html_url: "https://github.com/acme/warehouse/u" }] },
      { method: "POST", path: "/graphql", response: { data: { viewer: { login: "github-actions[bot]" } } } },
    );
    const { outcome, calls } = await post();
    expect(outcome).toEqual({ posted: true, number: 7, result: { action: "unchanged", id: 9, url: "https://github.com/acme/warehouse/u" } });
    expect(calls).toHaveLength(3);
  });

  it("the PR's head moved on: not posted (the newer run will), 1 call", async () => {
    gh.expect({ method: "GET", path: PULL, response: pull("c".repeat(40)) });
    expect((await post()).outcome).toEqual({ posted: false, reason: `PR #7's head is now cccccccccccc, not bbbbbbbbbbbb: the newer run will post` });
  });

  it("a closed PR is not commented on", async () => {
    gh.expect({ method: "GET", path: PULL, response: pull(HEAD, "closed") });
    expect((await post()).outcome).toEqual({ posted: false, reason: "PR #7 is closed" });
  });

  it.each([
    ["a report for another commit", { saved: { ...report(), pullRequest: { number: 7, baseSha: "a".repeat(40), headSha: "d".repeat(40) } } }, "the saved report is for another commit than the run's head_sha"],
    ["a PR number GitHub did not link to the run", { pullRequests: [8] }, "the saved report names PR #7, which is not among the run's pull requests"],
    ["a same-repository PR (its own run comments)", { headRepository: "acme/warehouse" }, "same-repository pull requests are commented on by their own pull_request run"],
    ["a run not triggered by a pull request", { event: "push" }, "the run was triggered by 'push', not pull_request"],
  ])("%s: refused before any request", async (_what, options, reason) => {
    const { outcome, calls } = await post(options);
    expect(outcome).toEqual({ posted: false, reason });
    expect(calls).toEqual([]);
  });
});
