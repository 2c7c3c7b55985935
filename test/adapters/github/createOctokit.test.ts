import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createOctokit, type CreateOctokitOptions } from "../../../src/adapters/github/createOctokit.js";
import { GitHubApiError } from "../../../src/adapters/github/gitHubApiError.js";
import { callList, startGitHubStandIn } from "../../helpers/githubStandIn.js";
import { useStandIn } from "../../helpers/useStandIn.js";

const SECONDARY = { message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again." };
const PATH = "/repos/acme/warehouse/issues/7/comments";

describe("createOctokit: bounded retries, rate limits honoured, clear errors", () => {
  const gh = useStandIn(startGitHubStandIn);

  // Production settings except the unit of waiting (1 ms instead of 1 s) and a fresh throttle queue.
  const client = (extra: Partial<CreateOctokitOptions> = {}) => createOctokit({ token: "t0ken", baseUrl: gh.url, waitUnitMs: 0, spaceWrites: false, throttleId: randomUUID(), ...extra });
  const list = (octokit: ReturnType<typeof client>) => octokit.rest.issues.listComments({ owner: "acme", repo: "warehouse", issue_number: 7 });

  it("sends the token and talks to the given base URL", async () => {
    gh.expect({ method: "GET", path: PATH, response: [] });
    const before = gh.requests.length;
    await list(client());
    const [request] = gh.requests.slice(before);
    expect(request?.headers.authorization).toBe("token t0ken");
    expect(request?.headers["user-agent"]).toMatch(/^dbt-unskip/);
  });

  it("retries a 502 and succeeds: two calls", async () => {
    gh.expect({ method: "GET", path: PATH, status: 502, response: { message: "Bad Gateway" } }, { method: "GET", path: PATH, response: [{ id: 1 }] });
    const before = gh.requests.length;
    const { data } = await list(client());
    expect(data).toMatchObject([{ id: 1 }]);
    expect(gh.requests.length - before).toBe(2);
  });

  it("gives up on a lasting 5xx after 1 + 3 calls, with a clear error", async () => {
    gh.expect({ method: "GET", path: PATH, status: 503, response: { message: "Service Unavailable" }, times: 4 });
    const before = gh.requests.length;
    const error = await list(client()).catch((e: unknown) => e);
    expect(gh.requests.length - before).toBe(4);
    expect(error).toBeInstanceOf(GitHubApiError);
    expect((error as Error).message).toMatch(/^GitHub API GET \/repos\/acme\/warehouse\/issues\/7\/comments failed \(503\): Service Unavailable.*run again later\.$/);
  });

  it("the retry bound is a setting", async () => {
    gh.expect({ method: "GET", path: PATH, status: 500, response: { message: "boom" }, times: 2 });
    const before = gh.requests.length;
    await expect(list(client({ serverErrorRetries: 1 }))).rejects.toThrow(/failed \(500\)/);
    expect(gh.requests.length - before).toBe(2);
  });

  // Each status on an operation GitHub's description lists it for (a comment's 422 is a validation failure).
  it.each([404, 422, 401, 400, 410])("never retries a %i: one call", async (status) => {
    gh.expect({ method: "POST", path: PATH, status, response: { message: "No" } });
    const before = gh.requests.length;
    const error = await client()
      .rest.issues.createComment({ owner: "acme", repo: "warehouse", issue_number: 7, body: "x" })
      .catch((e: unknown) => e);
    expect(gh.requests.length - before).toBe(1);
    expect((error as GitHubApiError).status).toBe(status);
  });

  it("never retries a 409 (GitHub's answer for an empty repository's commit): one call", async () => {
    const path = `/repos/acme/warehouse/commits/${"a".repeat(40)}/pulls`;
    gh.expect({ method: "GET", path, status: 409, response: { message: "Git Repository is empty." } });
    const before = gh.requests.length;
    const error = await client()
      .rest.repos.listPullRequestsAssociatedWithCommit({ owner: "acme", repo: "warehouse", commit_sha: "a".repeat(40) })
      .catch((e: unknown) => e);
    expect(gh.requests.length - before).toBe(1);
    expect((error as GitHubApiError).status).toBe(409);
  });

  it("a secondary rate limit (403 with Retry-After) waits as asked, then retries and succeeds", async () => {
    gh.expect({ method: "POST", path: PATH, status: 403, headers: { "retry-after": "30" }, response: SECONDARY }, { method: "POST", path: PATH, status: 201, response: { id: 9 } });
    const before = gh.requests.length;
    const said: string[] = [];
    const log = { debug() {}, info: (m: string) => said.push(m), warn: (m: string) => said.push(m), error() {} };
    const { data } = await client({ log }).rest.issues.createComment({ owner: "acme", repo: "warehouse", issue_number: 7, body: "x" });
    expect(data).toMatchObject({ id: 9 });
    expect(gh.requests.length - before).toBe(2);
    expect(said.join("\n")).toMatch(/secondary rate limit on POST .*: waiting 30 s as GitHub asks \(retry 1 of 2\)/);
  });

  it("a lasting secondary rate limit: 1 + 2 calls, then a clear error", async () => {
    gh.expect({ method: "GET", path: PATH, status: 403, headers: { "retry-after": "1" }, response: SECONDARY, times: 3 });
    const before = gh.requests.length;
    const error = await list(client()).catch((e: unknown) => e);
    expect(gh.requests.length - before).toBe(3);
    expect(error).toBeInstanceOf(GitHubApiError);
    expect((error as GitHubApiError).rateLimited).toBe(true);
    expect((error as Error).message).toContain("rate limit held after 2 retries");
  });

  it("a secondary rate limit asking for a longer wait than allowed fails at once", async () => {
    gh.expect({ method: "GET", path: PATH, status: 429, headers: { "retry-after": "3600" }, response: SECONDARY });
    const before = gh.requests.length;
    await expect(list(client())).rejects.toThrow(/rate limit/);
    expect(gh.requests.length - before).toBe(1);
  });

  it("a 403 that is not a rate limit is not retried, and says what permission is missing", async () => {
    gh.expect({ method: "POST", path: PATH, status: 403, response: { message: "Resource not accessible by integration" } });
    const before = gh.requests.length;
    const error = await client()
      .rest.issues.createComment({ owner: "acme", repo: "warehouse", issue_number: 7, body: "x" })
      .catch((e: unknown) => e);
    expect(gh.requests.length - before).toBe(1);
    expect((error as Error).message).toContain("permissions: pull-requests: write");
  });

  it("GraphQL goes to /graphql beside the REST base URL", async () => {
    gh.expect({ method: "POST", path: "/graphql", body: { query: "{ viewer { login } }" }, response: { data: { viewer: { login: "github-actions[bot]" } } } });
    const result = await client().graphql<{ viewer: { login: string } }>("{ viewer { login } }");
    expect(result.viewer.login).toBe("github-actions[bot]");
    expect(callList(gh.requests).at(-1)).toBe("POST /graphql");
  });
});
