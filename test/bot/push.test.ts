import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDiskFileSource } from "../../src/adapters/files/diskFileSource.js";
import { DASHBOARD_TITLE } from "../../src/adapters/github/dashboardIssue.js";
import { repositoryFileUrl } from "../../src/core/render/repositoryFileUrl.js";
import { renderDashboard } from "../../src/core/render/renderDashboard.js";
import { MERGE_MARKER } from "../../src/core/render/renderMergeComment.js";
import { RESTORE_PR_MARKER } from "../../src/core/render/renderRestorePullRequest.js";
import { computeStatus } from "../../src/usecases/computeStatus.js";
import { loadConfig } from "../../src/usecases/loadConfig.js";
import { gitTarball, startArchiveHost } from "../helpers/archiveHost.js";
import { APP_IDENTITY, APP_LOGIN, INSTALLATION_TOKEN, REPO_PATH, startBot, tarballDownload } from "../helpers/botHarness.js";
import { appPushPayload } from "../helpers/botPayloads.js";
import { callList, startGitHubStandIn } from "../helpers/githubStandIn.js";
import { createPullRequestRepo, type PullRequestRepo } from "../helpers/pullRequestRepo.js";
import { OWNER, REPO } from "../helpers/pullRequestPayload.js";
import { useStandIn } from "../helpers/useStandIn.js";

const OPEN_PULLS = { method: "GET", path: `${REPO_PATH}/pulls`, query: { state: "open", per_page: "100" } };
const DASHBOARDS = { method: "GET", path: `${REPO_PATH}/issues`, query: { labels: "dbt-unskip", state: "all", sort: "created", direction: "asc", per_page: "100" } };
const MERGE_COMMENTS = `${REPO_PATH}/issues/7/comments`;
const BOT_USER = { login: APP_LOGIN, type: "Bot" };
/** The Action's restore PR for dim_user, opened with the workflow token. */
const RESTORE_PR = {
  number: 31,
  title: "dbt-unskip: restore dim_user",
  body: `${RESTORE_PR_MARKER}\nRestores dim_user.`,
  html_url: `https://github.com/${OWNER}/${REPO}/pull/31`,
  head: { ref: "migrate/dim_user", repo: { full_name: `${OWNER}/${REPO}` } },
  user: { login: "github-actions[bot]", type: "Bot" },
};

describe("push to the default branch: the dashboard issue and the merged PR's comment", () => {
  const gh = useStandIn(startGitHubStandIn);
  const host = useStandIn(startArchiveHost);
  let pr: PullRequestRepo;
  let before: Buffer;
  let after: Buffer;
  let dashboardBody: string;
  beforeAll(async () => {
    pr = await createPullRequestRepo();
    [before, after] = await Promise.all([gitTarball(pr.repo.dir, pr.base, OWNER, REPO), gitTarball(pr.repo.dir, pr.head, OWNER, REPO)]);
    // What the Action's dashboard run renders for the same commit: its checkout, its restore PRs.
    await pr.checkout(pr.head);
    const files = createDiskFileSource(pr.repo.dir);
    const { reports } = await computeStatus({ files, config: await loadConfig(files) });
    dashboardBody = renderDashboard(reports, { commit: pr.head, restorePrs: new Map([["dim_user", 31]]), fileUrl: repositoryFileUrl(`https://github.com/${OWNER}/${REPO}`, pr.head) });
  });
  afterAll(() => pr.repo.cleanup());

  const merged = { number: 7, merged_at: "2026-11-20T10:00:00Z", base: { ref: "main" }, state: "closed" };

  it("first merge: creates the dashboard once (labelled, body as the Action renders it) and comments on the merged PR; a redelivery writes nothing", async () => {
    gh.expect(INSTALLATION_TOKEN);
    tarballDownload(gh, host, pr.head, after);
    gh.expect(
      { ...OPEN_PULLS, response: [RESTORE_PR] },
      APP_IDENTITY,
      { ...DASHBOARDS, response: [] },
      {
        method: "POST",
        path: `${REPO_PATH}/issues`,
        body: { title: DASHBOARD_TITLE, body: dashboardBody, labels: ["dbt-unskip"] },
        status: 201,
        response: { number: 12, html_url: `https://github.com/${OWNER}/${REPO}/issues/12` },
      },
    );
    gh.expect({ method: "GET", path: `${REPO_PATH}/commits/${pr.head}/pulls`, response: [merged] });
    tarballDownload(gh, host, pr.base, before);
    gh.expect({ method: "GET", path: MERGE_COMMENTS, response: [] }, { method: "POST", path: MERGE_COMMENTS, status: 201, response: { id: 900, html_url: "https://github.com/acme/warehouse/x" } });

    const bot = await startBot(gh);
    const payload = appPushPayload({ before: pr.base, after: pr.head });
    let start = gh.requests.length;
    await bot.receive({ id: randomUUID(), name: "push", payload: payload as never });
    const first = gh.requests.slice(start);
    expect(callList(first)).toEqual([
      "POST /app/installations/42/access_tokens",
      `GET ${REPO_PATH}/tarball/${pr.head}`,
      `GET ${REPO_PATH}/pulls?state=open&per_page=100`,
      `GET ${REPO_PATH}/issues?labels=dbt-unskip&state=all&sort=created&direction=asc&per_page=100`,
      "GET /app",
      `POST ${REPO_PATH}/issues`,
      `GET ${REPO_PATH}/commits/${pr.head}/pulls`,
      `GET ${REPO_PATH}/tarball/${pr.base}`,
      `GET ${MERGE_COMMENTS}?per_page=100&page=1`,
      `POST ${MERGE_COMMENTS}`,
    ]);
    expect(dashboardBody).toContain("- #31 restores `dim_user`");
    const mergeComment = (first.at(-1)!.body as { body: string }).body;
    await expect(mergeComment).toMatchFileSnapshot("__snapshots__/push.merge-comment.md");
    gh.assertDone();
    host.assertDone();

    // The same push delivered again (a new delivery id: not a duplicate, a rerun): reads only.
    tarballDownload(gh, host, pr.head, after);
    gh.expect(
      { ...OPEN_PULLS, response: [RESTORE_PR] },
      { ...DASHBOARDS, response: [{ number: 12, title: DASHBOARD_TITLE, body: dashboardBody, state: "open", user: BOT_USER, html_url: `https://github.com/${OWNER}/${REPO}/issues/12` }] },
      { method: "GET", path: `${REPO_PATH}/commits/${pr.head}/pulls`, response: [merged] },
    );
    tarballDownload(gh, host, pr.base, before);
    gh.expect({ method: "GET", path: MERGE_COMMENTS, response: [{ id: 900, body: mergeComment, user: BOT_USER, html_url: "https://github.com/acme/warehouse/x" }] });
    start = gh.requests.length;
    await bot.receive({ id: randomUUID(), name: "push", payload: payload as never });
    const second = gh.requests.slice(start);
    expect(second.map((r) => r.method)).toEqual(["GET", "GET", "GET", "GET", "GET", "GET"]);
  });

  it("a changed state edits the one dashboard in place (a person's issue quoting the marker is left alone); no merge comment when turned off", async () => {
    gh.expect(INSTALLATION_TOKEN);
    tarballDownload(gh, host, pr.head, after);
    gh.expect({ ...OPEN_PULLS, response: [RESTORE_PR] }, APP_IDENTITY, {
      ...DASHBOARDS,
      response: [
        { number: 3, title: "copy", body: `<!-- dbt-unskip:dashboard --> my notes`, state: "open", user: { login: "octocat", type: "User" }, html_url: "https://github.com/acme/warehouse/a" },
        { number: 12, title: DASHBOARD_TITLE, body: "<!-- dbt-unskip:dashboard -->\nold", state: "open", user: BOT_USER, html_url: "https://github.com/acme/warehouse/b" },
      ],
    });
    gh.expect({ method: "PATCH", path: `${REPO_PATH}/issues/12`, body: { title: DASHBOARD_TITLE, body: dashboardBody }, response: { number: 12 } });
    const bot = await startBot(gh, { mergeComment: false });
    await bot.receive({ id: randomUUID(), name: "push", payload: appPushPayload({ before: pr.base, after: pr.head }) as never });
  });

  it.each([
    ["a push to another branch", { before: "a".repeat(40), after: "b".repeat(40), ref: "refs/heads/feature" }],
    ["a tag", { before: "0".repeat(40), after: "b".repeat(40), ref: "refs/tags/v1" }],
    ["the default branch deleted", { before: "a".repeat(40), after: "0".repeat(40) }],
  ])("%s: 0 requests", async (_what, options) => {
    const bot = await startBot(gh);
    const start = gh.requests.length;
    await bot.receive({ id: randomUUID(), name: "push", payload: appPushPayload(options) as never });
    expect(gh.requests.length).toBe(start);
  });

  it("the merge comment is the Action's marker, so one app token shared with the Action keeps one comment", () => {
    expect(MERGE_MARKER).toBe("<!-- dbt-unskip:merge-ready -->");
  });
});
