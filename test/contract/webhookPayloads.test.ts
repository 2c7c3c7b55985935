import { describe, expect, it } from "vitest";
import { appPullRequestPayload, appPushPayload, issueCommentPayload, issuesEditedPayload } from "../helpers/botPayloads.js";
import { checkWebhook, completeWebhook, knowsWebhook } from "../helpers/githubContract.js";
import { pullRequestPayload, pushPayload, workflowDispatchPayload } from "../helpers/pullRequestPayload.js";
import { workflowRunPayload } from "../helpers/workflowRunPayload.js";

// Every event and action the product handles, as the tests build it, validates against GitHub's
// webhook description (@octokit/openapi-webhooks, pinned). The bot harness and the bundled Action
// runner check each payload they are given the same way; this file shows the coverage in one place.

const BASE = "a".repeat(40);
const HEAD = "b".repeat(40);

describe("test payloads are ones GitHub sends", () => {
  it.each(["opened", "synchronize", "reopened", "closed"] as const)("pull_request.%s (same repository, fork, app installation)", (action) => {
    expect(checkWebhook("pull_request", pullRequestPayload({ action, baseSha: BASE, headSha: HEAD }))).toEqual([]);
    expect(checkWebhook("pull_request", pullRequestPayload({ action, baseSha: BASE, headSha: HEAD, forkOwner: "mallory" }))).toEqual([]);
    expect(checkWebhook("pull_request", appPullRequestPayload({ action, baseSha: BASE, headSha: HEAD }))).toEqual([]);
  });

  it("push (the Action's and the app's)", () => {
    expect(checkWebhook("push", pushPayload({ before: BASE, after: HEAD }))).toEqual([]);
    expect(checkWebhook("push", appPushPayload({ before: BASE, after: HEAD }))).toEqual([]);
  });

  it.each(["created", "edited"] as const)("issue_comment.%s, on an issue and on a pull request, by a person and by a bot", (action) => {
    expect(checkWebhook("issue_comment", issueCommentPayload({ body: "/unskip status", action }))).toEqual([]);
    expect(checkWebhook("issue_comment", issueCommentPayload({ body: "/unskip status", action, onPullRequest: true, login: "renovate[bot]", userType: "Bot" }))).toEqual([]);
  });

  it("issues.edited (a dashboard box ticked)", () => {
    expect(checkWebhook("issues", issuesEditedPayload({ body: "- [x] a", from: "- [ ] a", author: "dbt-unskip[bot]" }))).toEqual([]);
  });

  it("workflow_run.completed (the fork recipe's second half) and workflow_dispatch", () => {
    expect(checkWebhook("workflow_run", workflowRunPayload({ headSha: HEAD, headRepository: "mallory/warehouse", pullRequests: [7] }))).toEqual([]);
    expect(checkWebhook("workflow_dispatch", workflowDispatchPayload({ command: "restore", dimension: "dim_user" }))).toEqual([]);
  });

  it("an event the product ignores (release.published), built from the description alone", () => {
    expect(checkWebhook("release", completeWebhook("release", { action: "published" }))).toEqual([]);
  });

  it("schedule is not a webhook: GitHub's webhook description has no such event (the Action reads only its name)", () => {
    expect(knowsWebhook("schedule")).toBe(false);
    expect(knowsWebhook("workflow_dispatch")).toBe(true);
  });
});
