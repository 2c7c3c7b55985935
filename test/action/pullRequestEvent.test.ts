import { describe, expect, it } from "vitest";
import { parsePullRequestEvent } from "../../src/action/pullRequestEvent.js";
import { parseWorkflowRunEvent } from "../../src/action/workflowRunEvent.js";
import { pullRequestPayload } from "../helpers/pullRequestPayload.js";
import { workflowRunPayload } from "../helpers/workflowRunPayload.js";

const BASE = "1".repeat(40);
const HEAD = "2".repeat(40);

describe("parsePullRequestEvent (real payloads from @octokit/webhooks-examples)", () => {
  it("a same-repository PR can be written to", () => {
    expect(parsePullRequestEvent(pullRequestPayload({ action: "opened", baseSha: BASE, headSha: HEAD }))).toEqual({
      action: "opened",
      number: 7,
      owner: "acme",
      repo: "warehouse",
      baseSha: BASE,
      headSha: HEAD,
      headRepository: "acme/warehouse",
      readOnly: null,
    });
  });

  it("a fork, a deleted fork and Dependabot are read-only", () => {
    expect(parsePullRequestEvent(pullRequestPayload({ action: "synchronize", baseSha: BASE, headSha: HEAD, forkOwner: "stranger" })).readOnly).toBe("the pull request comes from a fork (stranger/warehouse)");
    const gone = pullRequestPayload({ action: "reopened", baseSha: BASE, headSha: HEAD });
    gone.pull_request.head.repo = null;
    expect(parsePullRequestEvent(gone)).toMatchObject({ headRepository: null, readOnly: "the pull request's head repository was deleted" });
    expect(parsePullRequestEvent(pullRequestPayload({ action: "opened", baseSha: BASE, headSha: HEAD, sender: "dependabot[bot]" })).readOnly).toMatch(/Dependabot/);
  });

  it("refuses a payload whose fields are not what GitHub sends", () => {
    const bad = (mutate: (p: Record<string, any>) => void) => {
      const payload = pullRequestPayload({ action: "opened", baseSha: BASE, headSha: HEAD });
      mutate(payload);
      return () => parsePullRequestEvent(payload);
    };
    expect(bad((p) => (p.pull_request.number = "7; rm -rf /"))).toThrow("the pull_request event payload has no valid pull_request.number");
    expect(bad((p) => (p.pull_request.head.sha = "--upload-pack=evil"))).toThrow("pull_request.head.sha");
    expect(bad((p) => (p.pull_request.base.repo.full_name = "../x"))).toThrow("pull_request.base.repo.full_name");
    expect(() => parsePullRequestEvent({})).toThrow(/pull_request\.number/);
  });
});

describe("parseWorkflowRunEvent", () => {
  it("takes the head commit and repository from GitHub's payload", () => {
    expect(parseWorkflowRunEvent(workflowRunPayload({ headSha: HEAD, headRepository: "stranger/warehouse", pullRequests: [7] }))).toEqual({
      owner: "acme",
      repo: "warehouse",
      triggeringEvent: "pull_request",
      headSha: HEAD,
      headRepository: "stranger/warehouse",
      pullRequestNumbers: [7],
    });
  });

  it("refuses a payload without a commit id", () => {
    expect(() => parseWorkflowRunEvent(workflowRunPayload({ headSha: "main", headRepository: "x/y" }))).toThrow("workflow_run.head_sha");
  });
});
