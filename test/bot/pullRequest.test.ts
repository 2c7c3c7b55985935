import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkPullRequestInCheckout } from "../../src/action/checkPullRequestInCheckout.js";
import { parsePullRequestEvent } from "../../src/action/pullRequestEvent.js";
import { createOctokit } from "../../src/adapters/github/createOctokit.js";
import { READINESS_MARKER } from "../../src/core/render/renderPullRequestComment.js";
import { gitTarball, startArchiveHost } from "../helpers/archiveHost.js";
import { APP_IDENTITY, APP_LOGIN, INSTALLATION_TOKEN, REPO_PATH, startBot, tarballDownload } from "../helpers/botHarness.js";
import { appPullRequestPayload } from "../helpers/botPayloads.js";
import { callList, startGitHubStandIn } from "../helpers/githubStandIn.js";
import { createPullRequestRepo, type PullRequestRepo } from "../helpers/pullRequestRepo.js";
import { OWNER, pullRequestPayload, REPO } from "../helpers/pullRequestPayload.js";
import { useStandIn } from "../helpers/useStandIn.js";

const COMMENTS = `${REPO_PATH}/issues/7/comments`;
const BOT_USER = { login: APP_LOGIN, type: "Bot" };

/** What GitHub's compare API says for `base...head`: the merge base and the changed files, from git itself. */
async function compareResponse(pr: PullRequestRepo, base: string, head: string): Promise<Record<string, unknown>> {
  const mergeBase = (await pr.repo.git("merge-base", base, head)).trim();
  const fields = (await pr.repo.git("diff", "--name-status", "-z", "-M", mergeBase, head)).split("\0").filter(Boolean);
  const files: Record<string, string>[] = [];
  for (let i = 0; i < fields.length; ) {
    const code = fields[i++]!;
    if (code.startsWith("R")) files.push({ status: "renamed", previous_filename: fields[i++]!, filename: fields[i++]! });
    else files.push({ status: { A: "added", D: "removed" }[code[0] as "A" | "D"] ?? "modified", filename: fields[i++]! });
  }
  return { merge_base_commit: { sha: mergeBase }, base_commit: { sha: base }, status: "ahead", files };
}

describe("pull_request: the bot writes the Action's comment, byte for byte (tarballs instead of a checkout)", () => {
  const gh = useStandIn(startGitHubStandIn);
  const host = useStandIn(startArchiveHost);
  let pr: PullRequestRepo;
  const archives = new Map<string, Buffer>();
  beforeAll(async () => {
    pr = await createPullRequestRepo();
    for (const sha of [pr.base, pr.head, pr.head2]) archives.set(sha, await gitTarball(pr.repo.dir, sha, OWNER, REPO));
  });
  afterAll(() => pr.repo.cleanup());

  /** The Action's path for the same repository state: the checkout at `head`, the base from git. */
  async function actionComment(head: string): Promise<string> {
    await pr.checkout(head);
    const event = parsePullRequestEvent(pullRequestPayload({ action: "synchronize", baseSha: pr.base, headSha: head }));
    const octokit = createOctokit({ token: "t", baseUrl: gh.url, waitUnitMs: 0, spaceWrites: false, throttleId: randomUUID() });
    gh.expect({ method: "GET", path: COMMENTS, response: [] }, { method: "POST", path: COMMENTS, status: 201, response: { id: 1, html_url: "https://github.com/acme/warehouse/x" } });
    const before = gh.requests.length;
    // Written as the app: a workflow that uses the app's token (actions/create-github-app-token).
    await checkPullRequestInCheckout({ workspace: pr.repo.dir, event, octokit, mode: "changed", identity: APP_LOGIN });
    gh.assertDone();
    return (gh.requests.slice(before).at(-1)!.body as { body: string }).body;
  }

  /** The bot's reads for one pull_request delivery, up to (not including) its comment write. */
  async function expectBotReads(head: string, existing: unknown[]): Promise<void> {
    gh.expect(INSTALLATION_TOKEN, { method: "GET", path: `${REPO_PATH}/compare/${pr.base}...${head}`, response: await compareResponse(pr, pr.base, head) });
    tarballDownload(gh, host, pr.base, archives.get(pr.base)!);
    tarballDownload(gh, host, head, archives.get(head)!);
    gh.expect(APP_IDENTITY, { method: "GET", path: COMMENTS, query: { per_page: "100", page: "1" }, response: existing });
  }

  const deliver = async (head: string, action: "opened" | "synchronize" = "synchronize") => {
    const bot = await startBot(gh);
    const before = gh.requests.length;
    await bot.receive({ id: randomUUID(), name: "pull_request", payload: appPullRequestPayload({ action, baseSha: pr.base, headSha: head }) as never });
    return gh.requests.slice(before);
  };

  it("opened: compare, two archives (merge base and head), who am I, the comments, one new comment; its body is the Action's", async () => {
    const expected = await actionComment(pr.head);
    await expectBotReads(pr.head, []);
    gh.expect({ method: "POST", path: COMMENTS, status: 201, response: { id: 77, html_url: "https://github.com/acme/warehouse/pull/7#issuecomment-77" } });
    const requests = await deliver(pr.head, "opened");
    expect(callList(requests)).toEqual([
      "POST /app/installations/42/access_tokens",
      `GET ${REPO_PATH}/compare/${pr.base}...${pr.head}`,
      `GET ${REPO_PATH}/tarball/${pr.base}`,
      `GET ${REPO_PATH}/tarball/${pr.head}`,
      "GET /app",
      `GET ${COMMENTS}?per_page=100&page=1`,
      `POST ${COMMENTS}`,
    ]);
    const written = (requests.at(-1)!.body as { body: string }).body;
    expect(written.startsWith(`${READINESS_MARKER}\n### dbt-unskip: This PR makes 4 paused models ready\n`)).toBe(true);
    expect(Buffer.from(written).equals(Buffer.from(expected))).toBe(true);
  });

  it("the same state again (the Action already wrote the comment as the app): found by marker and author, unchanged, no write", async () => {
    const expected = await actionComment(pr.head);
    await expectBotReads(pr.head, [{ id: 77, body: expected, user: BOT_USER, html_url: "https://github.com/acme/warehouse/x" }]);
    const requests = await deliver(pr.head);
    expect(requests.filter((r) => r.method !== "GET" && r.path !== "/app/installations/42/access_tokens")).toEqual([]);
    expect(requests).toHaveLength(6);
  });

  it("a second push: the one comment is edited in place to exactly what the Action would now say; a person's comment quoting the marker is left alone", async () => {
    const old = await actionComment(pr.head);
    const expected = await actionComment(pr.head2);
    expect(expected).not.toBe(old);
    await expectBotReads(pr.head2, [
      { id: 5, body: `quoting ${READINESS_MARKER}`, user: { login: "octocat", type: "User" }, html_url: "https://github.com/acme/warehouse/y" },
      { id: 77, body: old, user: BOT_USER, html_url: "https://github.com/acme/warehouse/x" },
    ]);
    gh.expect({ method: "PATCH", path: `${REPO_PATH}/issues/comments/77`, body: { body: expected }, response: { id: 77, html_url: "https://github.com/acme/warehouse/x" } });
    const requests = await deliver(pr.head2);
    expect(callList(requests).at(-1)).toBe(`PATCH ${REPO_PATH}/issues/comments/77`);
  });

  it("the base branch moved on after the PR branched: both compare the head with the merge base, and still agree byte for byte", async () => {
    await pr.repo.git("checkout", "-q", "main");
    await pr.repo.write("dbt/transform/gold/later_on_main.sql", "select 1 as id\n");
    const movedBase = await pr.repo.commit("meanwhile on main");
    try {
      await pr.checkout(pr.head);
      const event = parsePullRequestEvent(pullRequestPayload({ action: "synchronize", baseSha: movedBase, headSha: pr.head }));
      gh.expect({ method: "GET", path: COMMENTS, response: [] }, { method: "POST", path: COMMENTS, status: 201, response: { id: 1, html_url: "https://github.com/acme/warehouse/x" } });
      const before = gh.requests.length;
      const octokit = createOctokit({ token: "t", baseUrl: gh.url, waitUnitMs: 0, spaceWrites: false, throttleId: randomUUID() });
      await checkPullRequestInCheckout({ workspace: pr.repo.dir, event, octokit, mode: "changed", identity: APP_LOGIN });
      const expected = (gh.requests.slice(before).at(-1)!.body as { body: string }).body;
      gh.assertDone();

      const compare = await compareResponse(pr, movedBase, pr.head);
      expect((compare.merge_base_commit as { sha: string }).sha).toBe(pr.base);
      gh.expect(INSTALLATION_TOKEN, { method: "GET", path: `${REPO_PATH}/compare/${movedBase}...${pr.head}`, response: compare });
      tarballDownload(gh, host, pr.base, archives.get(pr.base)!);
      tarballDownload(gh, host, pr.head, archives.get(pr.head)!);
      gh.expect(APP_IDENTITY, { method: "GET", path: COMMENTS, response: [] }, { method: "POST", path: COMMENTS, status: 201, response: { id: 78, html_url: "https://github.com/acme/warehouse/x" } });
      const bot = await startBot(gh);
      const start = gh.requests.length;
      await bot.receive({ id: randomUUID(), name: "pull_request", payload: appPullRequestPayload({ action: "synchronize", baseSha: movedBase, headSha: pr.head }) as never });
      expect((gh.requests.slice(start).at(-1)!.body as { body: string }).body).toBe(expected);
    } finally {
      await pr.repo.git("checkout", "-q", "main");
      await pr.repo.git("reset", "-q", "--hard", pr.base);
    }
  });

  it("a PR that changes nothing dbt reads: no comment created (mode `changed`, as the Action's default)", async () => {
    gh.expect(INSTALLATION_TOKEN, { method: "GET", path: `${REPO_PATH}/compare/${pr.base}...${pr.docsOnly}`, response: await compareResponse(pr, pr.base, pr.docsOnly) });
    tarballDownload(gh, host, pr.base, archives.get(pr.base)!);
    tarballDownload(gh, host, pr.docsOnly, await gitTarball(pr.repo.dir, pr.docsOnly, OWNER, REPO));
    gh.expect(APP_IDENTITY, { method: "GET", path: COMMENTS, response: [] });
    const requests = await deliver(pr.docsOnly);
    expect(requests.filter((r) => r.method === "POST" && r.path.endsWith("/comments"))).toEqual([]);
  });

  it("pull_request.closed is not subscribed: 0 requests", async () => {
    const bot = await startBot(gh);
    const before = gh.requests.length;
    await bot.receive({ id: randomUUID(), name: "pull_request", payload: appPullRequestPayload({ action: "closed", baseSha: pr.base, headSha: pr.head }) as never });
    expect(gh.requests.length).toBe(before);
  });
});
