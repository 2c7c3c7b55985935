import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkPullRequestInCheckout, type CheckPullRequestInCheckoutInput } from "../../src/action/checkPullRequestInCheckout.js";
import { parsePullRequestEvent } from "../../src/action/pullRequestEvent.js";
import { createOctokit } from "../../src/adapters/github/createOctokit.js";
import { READINESS_MARKER } from "../../src/core/render/renderPullRequestComment.js";
import { callList, startGitHubStandIn } from "../helpers/githubStandIn.js";
import { createPullRequestRepo, type PullRequestRepo } from "../helpers/pullRequestRepo.js";
import { OWNER, pullRequestPayload, REPO } from "../helpers/pullRequestPayload.js";
import { useStandIn } from "../helpers/useStandIn.js";

const COMMENTS = `/repos/${OWNER}/${REPO}/issues/7/comments`;
const COMMENT = (id: number) => `/repos/${OWNER}/${REPO}/issues/comments/${id}`;
const VIEWER = { method: "POST", path: "/graphql", body: (b: unknown) => /viewer\s*\{\s*login/.test(String((b as { query?: string }).query)) };
const BOT = { login: "github-actions[bot]", type: "Bot" };
const SECONDARY = { message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again." };

describe("the pull_request path against a GitHub stand-in (real git, real example project)", () => {
  const gh = useStandIn(startGitHubStandIn);
  let pr: PullRequestRepo;
  beforeAll(async () => {
    pr = await createPullRequestRepo();
  });
  afterAll(() => pr.repo.cleanup());

  /** Runs the PR check on `headSha` as the Action wires it, and returns what it did and the calls it made. */
  async function run(headSha: string, options: Partial<CheckPullRequestInCheckoutInput> & { fork?: boolean } = {}) {
    await pr.checkout(headSha);
    const event = parsePullRequestEvent(pullRequestPayload({ action: "synchronize", baseSha: pr.base, headSha, ...(options.fork ? { forkOwner: "stranger" } : {}) }));
    const octokit = createOctokit({ token: "t", baseUrl: gh.url, waitUnitMs: 0, spaceWrites: false, throttleId: randomUUID() });
    const before = gh.requests.length;
    const result = await checkPullRequestInCheckout({ workspace: pr.repo.dir, event, octokit, mode: "changed", ...options });
    const requests = gh.requests.slice(before);
    return { result, requests, calls: callList(requests), writes: requests.filter((r) => r.method !== "GET" && r.path !== "/graphql") };
  }

  const stable = (body: string) => body.replaceAll(pr.base.slice(0, 7), "BASE").replaceAll(pr.head.slice(0, 7), "HEAD").replaceAll(pr.head2.slice(0, 7), "HEAD2");
  const ours = (id: number, body: string) => ({ id, body, user: BOT, html_url: `https://github.com/${OWNER}/${REPO}/pull/7#issuecomment-${id}` });

  let firstBody = "";

  it("first run: lists the comments, finds none, creates one (2 calls); the body says which models became ready and why", async () => {
    gh.expect({ method: "GET", path: COMMENTS, query: { per_page: "100", page: "1" }, response: [] }, { method: "POST", path: COMMENTS, status: 201, response: ours(101, "x") });
    const { result, calls, requests } = await run(pr.head);
    expect(calls).toEqual([`GET ${COMMENTS}?per_page=100&page=1`, `POST ${COMMENTS}`]);
    firstBody = (requests[1]!.body as { body: string }).body;
    expect(Object.keys(requests[1]!.body as object)).toEqual(["body"]);
    expect(firstBody).toBe(result.body);
    expect(firstBody.startsWith(`${READINESS_MARKER}\n### dbt-unskip: This PR makes 4 paused models ready\n`)).toBe(true);
    await expect(stable(firstBody)).toMatchFileSnapshot("__snapshots__/pull_request.comment.md");
    expect(result.comment).toEqual({ decision: "upsert", result: { action: "created", id: 101, url: expect.any(String) } });
    expect(result.diffs[0]!.newlyReady.map((m) => m.name)).toEqual(["d_account", "f_contract_revenue", "mas_user_contracts", "d_user"]);
  });

  it("rerun on the same commit: no write, 2 calls (comments + who am I)", async () => {
    gh.expect(
      { method: "GET", path: COMMENTS, response: [{ id: 5, body: "LGTM", user: { login: "octocat", type: "User" } }, ours(101, firstBody)] },
      { ...VIEWER, response: { data: { viewer: { login: "github-actions[bot]" } } } },
    );
    const { result, calls, writes } = await run(pr.head);
    expect(writes).toEqual([]);
    expect(calls).toHaveLength(2);
    expect(calls.length).toBeLessThanOrEqual(3);
    expect(result.comment).toMatchObject({ result: { action: "unchanged", id: 101 } });
  });

  it("rerun with the identity given: 1 call", async () => {
    gh.expect({ method: "GET", path: COMMENTS, response: [ours(101, firstBody)] });
    const { calls } = await run(pr.head, { identity: "github-actions[bot]" });
    expect(calls).toEqual([`GET ${COMMENTS}?per_page=100&page=1`]);
  });

  it("a new push that changes readiness edits the same comment in place", async () => {
    gh.expect(
      { method: "GET", path: COMMENTS, response: [ours(101, firstBody)] },
      { ...VIEWER, response: { data: { viewer: { login: "github-actions[bot]" } } } },
      { method: "PATCH", path: COMMENT(101), body: (b: unknown) => String((b as { body: string }).body).includes("This PR makes 5 paused models ready"), response: ours(101, "x") },
    );
    const { calls, result } = await run(pr.head2);
    expect(calls).toEqual([`GET ${COMMENTS}?per_page=100&page=1`, "POST /graphql", `PATCH ${COMMENT(101)}`]);
    expect(result.comment).toMatchObject({ result: { action: "updated", id: 101 } });
  });

  it("a human's comment that quotes the marker is never edited: the tool writes its own", async () => {
    const human = { id: 55, body: `I copied this:\n${firstBody}`, user: { login: "octocat", type: "User" }, html_url: `https://github.com/${OWNER}/${REPO}/pull/7#issuecomment-55` };
    gh.expect(
      { method: "GET", path: COMMENTS, response: [human] },
      { ...VIEWER, response: { data: { viewer: { login: "github-actions[bot]" } } } },
      { method: "POST", path: COMMENTS, status: 201, response: ours(102, "x") },
    );
    const { calls } = await run(pr.head);
    expect(calls).not.toContain(`PATCH ${COMMENT(55)}`);
    expect(calls.at(-1)).toBe(`POST ${COMMENTS}`);
  });

  it("an app token's identity comes from GraphQL viewer; the workflow bot's comment is then not ours", async () => {
    gh.expect(
      { method: "GET", path: COMMENTS, response: [ours(101, firstBody)] },
      { ...VIEWER, response: { data: { viewer: { login: "acme-unskip[bot]" } } } },
      { method: "POST", path: COMMENTS, status: 201, response: ours(103, "x") },
    );
    await run(pr.head);
  });

  it("when GitHub will not say who the token is, the workflow bot is assumed", async () => {
    gh.expect({ method: "GET", path: COMMENTS, response: [ours(101, firstBody)] }, { ...VIEWER, response: { data: null, errors: [{ type: "FORBIDDEN", message: "Resource not accessible by integration" }] } });
    const { result, writes } = await run(pr.head);
    expect(writes).toEqual([]);
    expect(result.comment).toMatchObject({ result: { action: "unchanged", id: 101 } });
  });

  it("a fork PR: no request at all, not even a read; the report is still produced", async () => {
    const { requests, result } = await run(pr.head, { fork: true, mode: "always" });
    expect(requests).toEqual([]);
    expect(result.comment).toEqual({ decision: "read-only" });
    expect(result.summary).toContain("This PR makes 4 paused models ready");
  });

  it("comment: never makes no request", async () => {
    const { requests, result } = await run(pr.head, { mode: "never" });
    expect(requests).toEqual([]);
    expect(result.comment).toEqual({ decision: "never" });
  });

  it("comment: changed, on a PR that changes nothing dbt reads: one read, no comment", async () => {
    gh.expect({ method: "GET", path: COMMENTS, response: [{ id: 5, body: "LGTM", user: { login: "octocat", type: "User" } }] });
    const { result, writes } = await run(pr.docsOnly);
    expect(result.changed).toBe(false);
    expect(writes).toEqual([]);
    expect(result.comment).toEqual({ decision: "update-only", result: { action: "absent", id: null, url: null } });
  });

  it("comment: changed keeps an existing comment up to date even when nothing changes now", async () => {
    gh.expect(
      { method: "GET", path: COMMENTS, response: [ours(101, firstBody)] },
      { ...VIEWER, response: { data: { viewer: { login: "github-actions[bot]" } } } },
      { method: "PATCH", path: COMMENT(101), body: (b: unknown) => String((b as { body: string }).body).includes("### dbt-unskip: No change in readiness\n"), response: ours(101, "x") },
    );
    await run(pr.docsOnly);
  });

  it("comment: always comments on a PR that changes nothing", async () => {
    gh.expect({ method: "GET", path: COMMENTS, response: [] }, { method: "POST", path: COMMENTS, status: 201, response: ours(104, "x") });
    await run(pr.docsOnly, { mode: "always" });
  });

  it("a 502 from GitHub is retried and the run goes on: 3 calls", async () => {
    gh.expect(
      { method: "GET", path: COMMENTS, status: 502, response: { message: "Bad Gateway" } },
      { method: "GET", path: COMMENTS, response: [] },
      { method: "POST", path: COMMENTS, status: 201, response: ours(105, "x") },
    );
    const { calls } = await run(pr.head);
    expect(calls).toEqual([`GET ${COMMENTS}?per_page=100&page=1`, `GET ${COMMENTS}?per_page=100&page=1`, `POST ${COMMENTS}`]);
  });

  it("a secondary rate limit on the write waits for Retry-After, then retries once: 3 calls", async () => {
    gh.expect(
      { method: "GET", path: COMMENTS, response: [] },
      { method: "POST", path: COMMENTS, status: 403, headers: { "retry-after": "2" }, response: SECONDARY },
      { method: "POST", path: COMMENTS, status: 201, response: ours(106, "x") },
    );
    const { calls, result } = await run(pr.head);
    expect(calls).toEqual([`GET ${COMMENTS}?per_page=100&page=1`, `POST ${COMMENTS}`, `POST ${COMMENTS}`]);
    expect(result.comment).toMatchObject({ result: { action: "created", id: 106 } });
  });

  it("a 404 (the PR is gone) is not retried: 1 call and a clear error", async () => {
    gh.expect({ method: "GET", path: COMMENTS, status: 404, response: { message: "Not Found" } });
    const before = gh.requests.length;
    await expect(run(pr.head)).rejects.toThrow(`GitHub API GET ${COMMENTS} failed (404): Not Found`);
    expect(gh.requests.length - before).toBe(1);
  });

  it("a 422 on the write is not retried: 2 calls and a clear error", async () => {
    gh.expect({ method: "GET", path: COMMENTS, response: [] }, { method: "POST", path: COMMENTS, status: 422, response: { message: "Validation Failed" } });
    const before = gh.requests.length;
    await expect(run(pr.head)).rejects.toThrow(/failed \(422\): Validation Failed/);
    expect(gh.requests.length - before).toBe(2);
  });

  it("a same-repo PR whose token may not write: reported, not fatal", async () => {
    gh.expect({ method: "GET", path: COMMENTS, response: [] }, { method: "POST", path: COMMENTS, status: 403, response: { message: "Resource not accessible by integration" } });
    const { result, calls } = await run(pr.head);
    expect(calls).toHaveLength(2);
    expect(result.comment).toMatchObject({ result: { action: "forbidden", message: expect.stringContaining("permissions: pull-requests: write") } });
  });
});
