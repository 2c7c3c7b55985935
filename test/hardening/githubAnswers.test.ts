import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createOctokit, type CreateOctokitOptions } from "../../src/adapters/github/createOctokit.js";
import { createDashboardIssue } from "../../src/adapters/github/dashboardIssue.js";
import { GitHubApiError } from "../../src/adapters/github/gitHubApiError.js";
import { octokitPolicy } from "../../src/adapters/github/octokitPolicy.js";
import { restorePullRequests } from "../../src/adapters/github/restorePullRequests.js";
import { createStickyComment } from "../../src/adapters/github/stickyComment.js";
import { DeliveryFailed } from "../../src/bot/app.js";
import { readBotSettings } from "../../src/bot/botSettings.js";
import { RESTORE_PR_MARKER } from "../../src/core/render/renderRestorePullRequest.js";
import { INSTALLATION_TOKEN, REPO_PATH, startBot } from "../helpers/botHarness.js";
import { appPullRequestPayload } from "../helpers/botPayloads.js";
import { callList, startGitHubStandIn } from "../helpers/githubStandIn.js";
import { alreadyExists } from "../helpers/restorePullRequestRepo.js";
import { useStandIn } from "../helpers/useStandIn.js";

// RELIABILITY 37 (issue #15 item 12), 16/17 (item 15) and 19 (item 17): GitHub's answers are not
// trusted further than they can be read, and the waits and the lookups are bounded as promised.

const OWNER = "acme";
const REPO = "warehouse";
const PULLS = `${REPO_PATH}/pulls`;
const COMMENTS = `${REPO_PATH}/issues/7/comments`;
const ME = "github-actions[bot]";

describe("GitHub answers: timeouts, unreadable answers, the 'already exists' fallback, the wait cap", () => {
  const gh = useStandIn(startGitHubStandIn);
  const client = (extra: Partial<CreateOctokitOptions> = {}) => createOctokit({ token: "t", baseUrl: gh.url, waitUnitMs: 0, spaceWrites: false, throttleId: randomUUID(), ...extra });

  describe("every request has a timeout (configurable), with no test waiting on a clock", () => {
    it("a stalled API: each attempt is abandoned at the timeout and retried within the bound, then a clear error", async () => {
      const timers: { ms: number; fire: () => void }[] = [];
      // The injected timer fires when the stand-in has the request and is holding it: a stalled answer.
      const startTimer = (ms: number, fire: () => void) => {
        timers.push({ ms, fire });
        return () => {};
      };
      gh.expect({ method: "GET", path: COMMENTS, hold: () => timers.at(-1)!.fire(), times: 2 });
      const before = gh.requests.length;
      const error = await client({ requestTimeoutSeconds: 7, serverErrorRetries: 1, startTimer })
        .rest.issues.listComments({ owner: OWNER, repo: REPO, issue_number: 7 })
        .catch((e: unknown) => e);
      expect(gh.requests.length - before).toBe(2);
      expect(timers.map((t) => t.ms)).toEqual([7000, 7000]);
      expect(error).toBeInstanceOf(GitHubApiError);
      expect((error as Error).message).toMatch(/GET \/repos\/acme\/warehouse\/issues\/7\/comments failed \(500\): no answer within 7 s \(timed out\)\./);
    });

    it("the timer is cancelled once GitHub answers", async () => {
      let cancelled = 0;
      gh.expect({ method: "GET", path: COMMENTS, response: [] });
      await client({ startTimer: () => () => void cancelled++ }).rest.issues.listComments({ owner: OWNER, repo: REPO, issue_number: 7 });
      expect(cancelled).toBe(1);
    });

    it("the bot's setting (UNSKIP_GITHUB_TIMEOUT) and the Action's input (github-timeout) set it; the default is 30 s", () => {
      expect(readBotSettings({}).githubTimeoutSeconds).toBe(30);
      expect(readBotSettings({ UNSKIP_GITHUB_TIMEOUT: "5" }).githubTimeoutSeconds).toBe(5);
      expect(() => readBotSettings({ UNSKIP_GITHUB_TIMEOUT: "soon" })).toThrow("UNSKIP_GITHUB_TIMEOUT: 'soon' is not a number of seconds");
      expect(octokitPolicy({}, { warn() {}, info() {} }).requestTimeoutMs).toBe(30_000);
    });

    it("the bot spaces writes as GitHub asks unless UNSKIP_GITHUB_WRITE_SPACING is none; the policy keeps plugin-throttling's spacing then", () => {
      expect(readBotSettings({}).spaceWrites).toBe(true);
      expect(readBotSettings({ UNSKIP_GITHUB_WRITE_SPACING: "none" }).spaceWrites).toBe(false);
      expect(() => readBotSettings({ UNSKIP_GITHUB_WRITE_SPACING: "off" })).toThrow("UNSKIP_GITHUB_WRITE_SPACING: 'off' is not github or none");
      const log = { warn() {}, info() {} };
      // No write/notifications groups of our own: plugin-throttling's defaults (1 s, 3 s) apply.
      expect(octokitPolicy({ spaceWrites: true }, log).throttle).not.toHaveProperty("write");
      expect(octokitPolicy({}, log).throttle).not.toHaveProperty("notifications");
      expect(octokitPolicy({ spaceWrites: false }, log).throttle).toHaveProperty("write");
    });
  });

  describe("an answer that could not be read is an error, never 'nothing there', and nothing is written on it", () => {
    it("a 200 whose body is not JSON: no 'no existing comment', no second comment posted", async () => {
      gh.expect({ method: "GET", path: COMMENTS, offContract: "a proxy's HTML page with status 200", rawBody: "<html><body>Service busy</body></html>" });
      const before = gh.requests.length;
      const sticky = createStickyComment({ octokit: client(), owner: OWNER, repo: REPO, issueNumber: 7, marker: "<!-- m -->", identity: ME });
      const error = await sticky.upsert("<!-- m -->\nhello", { createIfMissing: true }).catch((e: unknown) => e);
      expect((error as Error).message).toMatch(/^GitHub API GET \/repos\/acme\/warehouse\/issues\/7\/comments answered 200 with a body that is not JSON \("<html><body>Service busy/);
      expect(callList(gh.requests.slice(before))).toEqual([`GET ${COMMENTS}?per_page=100&page=1`]);
    });

    it("a listing in a type that is not JSON (octet-stream): no second dashboard issue", async () => {
      gh.expect({ method: "GET", path: `${REPO_PATH}/issues`, offContract: "a body GitHub never sends", rawBody: "\u0000\u0001", headers: { "content-type": "application/octet-stream" } });
      const before = gh.requests.length;
      const error = await createDashboardIssue({ octokit: client(), owner: OWNER, repo: REPO, identity: ME })
        .upsert({ body: "x" })
        .catch((e: unknown) => e);
      expect((error as Error).message).toMatch(/answered 200 with a body that is not JSON .*2 bytes of application\/octet-stream/);
      expect(gh.requests.slice(before).map((r) => r.method)).toEqual(["GET"]);
    });

    it("the bot: an answer of the wrong shape fails the delivery with a plain message, never a raw TypeError", async () => {
      const bot = await startBot(gh);
      gh.expect(INSTALLATION_TOKEN, {
        method: "GET",
        path: `${REPO_PATH}/compare/${"a".repeat(40)}...${"b".repeat(40)}`,
        offContract: "a comparison without its merge base",
        response: { status: "ahead", files: [] },
      });
      const failure = await bot
        .receive({ id: "delivery-1", name: "pull_request", payload: appPullRequestPayload({ action: "opened", baseSha: "a".repeat(40), headSha: "b".repeat(40) }) as never })
        .catch((e: unknown) => e);
      // What the webhook middleware puts in the HTTP 500 body: `${name}: ${message}` of the first error.
      const first = [...((failure as AggregateError).errors ?? [failure])][0] as Error;
      expect(first).toBeInstanceOf(DeliveryFailed);
      expect(`${first.name}: ${first.message}`).toBe("DeliveryFailed: dbt-unskip could not handle this pull_request delivery (delivery-1); the bot's log has the details");
      expect("status" in first).toBe(false);
    });
  });

  describe("'A pull request already exists': the fallback takes only the tool's own (marker AND author AND branch)", () => {
    const ALREADY = alreadyExists(PULLS);
    const FIND = { method: "GET", path: PULLS, query: { state: "open", head: "acme:migrate/dim_user", per_page: "10" } };
    const pull = (login: string, body: string) => ({
      number: 9,
      title: "restore",
      body,
      html_url: "https://github.com/acme/warehouse/pull/9",
      head: { ref: "migrate/dim_user", repo: { full_name: "acme/warehouse" } },
      user: { login },
    });
    const create = () => restorePullRequests(client(), { owner: OWNER, repo: REPO }, ME).create({ branch: "migrate/dim_user", base: "main", title: "t", body: `${RESTORE_PR_MARKER}\nb` });

    it("the tool's own: found and returned for updating (2 calls)", async () => {
      gh.expect(ALREADY, { ...FIND, response: [pull(ME, `${RESTORE_PR_MARKER}\nold`)] });
      expect(await create()).toMatchObject({ number: 9, created: false });
    });

    it.each([
      ["a person's PR from that branch", pull("octocat", "my own work")],
      ["a person's PR quoting the marker", pull("octocat", `${RESTORE_PR_MARKER} copied`)],
      ["a PR by the tool's login without the marker", pull(ME, "edited by hand, marker gone")],
    ])("%s: left alone (no write), and said", async (_name, found) => {
      gh.expect(ALREADY, { ...FIND, response: [found] });
      const before = gh.requests.length;
      const error = await create().catch((e: unknown) => e);
      expect((error as Error).message).toMatch(/^a pull request from migrate\/dim_user already exists \(#9, opened by .*\) and is not dbt-unskip's: it is left alone/);
      expect(gh.requests.slice(before).map((r) => r.method)).toEqual(["POST", "GET"]);
    });
  });

  describe("the rate-limit wait cap itself (120 s by default), with no real waiting", () => {
    const decide = octokitPolicy({ maxRateLimitWaitSeconds: 120 }, { warn() {}, info() {} }).onLimit("secondary rate limit");
    const request = { method: "GET", url: "/x" };

    it("waits for exactly the cap and just below it; refuses just above it", () => {
      expect(decide(119, request, {}, 0)).toBe(true);
      expect(decide(120, request, {}, 0)).toBe(true);
      expect(decide(121, request, {}, 0)).toBe(false);
      expect(octokitPolicy({ maxRateLimitWaitSeconds: 30 }, { warn() {}, info() {} }).onLimit("x")(31, request, {}, 0)).toBe(false);
    });

    it.each([
      ["retry-after just above the cap: 1 call", { "retry-after": "121" }, 1],
      ["retry-after at the cap: waited (0 ms per second in tests), 2 calls", { "retry-after": "120" }, 2],
    ])("%s", async (_name, headers, calls) => {
      gh.expect({ method: "GET", path: COMMENTS, status: 403, headers, response: { message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again." } });
      if (calls === 2) gh.expect({ method: "GET", path: COMMENTS, response: [] });
      const before = gh.requests.length;
      await client()
        .rest.issues.listComments({ owner: OWNER, repo: REPO, issue_number: 7 })
        .catch(() => undefined);
      expect(gh.requests.length - before).toBe(calls);
    });

    it.each([
      ["x-ratelimit-reset well past the cap: 1 call, a clear error", 600, 1],
      ["x-ratelimit-reset within the cap: 2 calls", 30, 2],
    ])("%s", async (_name, inSeconds, calls) => {
      const reset = String(Math.floor(Date.now() / 1000) + inSeconds);
      gh.expect({
        method: "GET",
        path: COMMENTS,
        status: 403,
        headers: { "x-ratelimit-remaining": "0", "x-ratelimit-limit": "5000", "x-ratelimit-reset": reset },
        response: { message: "API rate limit exceeded for installation ID 42." },
      });
      if (calls === 2) gh.expect({ method: "GET", path: COMMENTS, response: [] });
      const before = gh.requests.length;
      const error = await client()
        .rest.issues.listComments({ owner: OWNER, repo: REPO, issue_number: 7 })
        .catch((e: unknown) => e);
      expect(gh.requests.length - before).toBe(calls);
      if (calls === 1) expect((error as GitHubApiError).rateLimited).toBe(true);
    });
  });
});
