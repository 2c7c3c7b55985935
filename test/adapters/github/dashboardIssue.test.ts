import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createOctokit } from "../../../src/adapters/github/createOctokit.js";
import { createDashboardIssue, DASHBOARD_TITLE } from "../../../src/adapters/github/dashboardIssue.js";
import { DASHBOARD_MARKER } from "../../../src/core/render/renderDashboard.js";
import { callList, startGitHubStandIn } from "../../helpers/githubStandIn.js";
import { useStandIn } from "../../helpers/useStandIn.js";

const ISSUES = "/repos/acme/warehouse/issues";
const LIST = { method: "GET", path: ISSUES, query: { labels: "dbt-unskip", state: "all", sort: "created", direction: "asc", per_page: "100" } };
const ME = "dbt-unskip[bot]";
const BODY = `${DASHBOARD_MARKER}\n# dashboard\n`;
const issue = (number: number, extra: Record<string, unknown>) => ({
  number,
  title: DASHBOARD_TITLE,
  body: BODY,
  state: "open",
  user: { login: ME },
  html_url: `https://github.com/acme/warehouse/issues/${number}`,
  ...extra,
});

describe("the dashboard issue adapter (shared by the Action and the bot)", () => {
  const gh = useStandIn(startGitHubStandIn);
  const dashboard = (identity: string | (() => Promise<string>) = ME) =>
    createDashboardIssue({ octokit: createOctokit({ token: "t", baseUrl: gh.url, waitUnitMs: 0, spaceWrites: false, throttleId: randomUUID() }), owner: "acme", repo: "warehouse", identity });

  it("none yet: one listing, one create with the label", async () => {
    gh.expect(
      { ...LIST, response: [] },
      { method: "POST", path: ISSUES, body: { title: DASHBOARD_TITLE, body: BODY, labels: ["dbt-unskip"] }, status: 201, response: { number: 4, html_url: "https://github.com/acme/warehouse/issues/4" } },
    );
    expect(await dashboard().upsert({ body: BODY })).toEqual({ action: "created", number: 4, url: "https://github.com/acme/warehouse/issues/4" });
  });

  it("ours, same text (CRLF from GitHub is no change): unchanged, one call; the identity is asked lazily, once", async () => {
    let asked = 0;
    gh.expect({ ...LIST, response: [issue(4, { body: BODY.replace(/\n/g, "\r\n") })] });
    const before = gh.requests.length;
    expect(
      await dashboard(async () => {
        asked++;
        return ME;
      }).upsert({ body: BODY }),
    ).toEqual({ action: "unchanged", number: 4, url: "https://github.com/acme/warehouse/issues/4" });
    expect(gh.requests.length - before).toBe(1);
    expect(asked).toBe(1);
  });

  it("skips pull requests, a person's issue quoting the marker, and unmarked issues; prefers our open one over our closed one", async () => {
    gh.expect(
      {
        ...LIST,
        response: [
          issue(1, { state: "closed" }),
          issue(2, { user: { login: "octocat" } }),
          issue(3, {
            pull_request: {
              url: "https://api.github.com/repos/acme/warehouse/pulls/3",
              html_url: "https://github.com/acme/warehouse/pull/3",
              diff_url: "https://github.com/acme/warehouse/pull/3.diff",
              patch_url: "https://github.com/acme/warehouse/pull/3.patch",
            },
          }),
          issue(5, { body: "no marker" }),
          issue(6, { body: `${DASHBOARD_MARKER}\nold` }),
        ],
      },
      { method: "PATCH", path: `${ISSUES}/6`, body: { title: DASHBOARD_TITLE, body: BODY }, response: { number: 6 } },
    );
    expect(await dashboard().upsert({ body: BODY })).toMatchObject({ action: "updated", number: 6 });
  });

  it("a dashboard a person closed is kept up to date but not reopened, and no second one is made", async () => {
    gh.expect(
      { ...LIST, response: [issue(1, { state: "closed", body: `${DASHBOARD_MARKER}\nold` })] },
      { method: "PATCH", path: `${ISSUES}/1`, body: (b: unknown) => !("state" in (b as object)), response: { number: 1 } },
    );
    expect(await dashboard().upsert({ body: BODY })).toMatchObject({ action: "updated", number: 1 });
    gh.expect({ ...LIST, response: [issue(1, { state: "closed" })] });
    expect(await dashboard().find()).toMatchObject({ number: 1, open: false });
  });

  it("a token that may not write issues: `forbidden`, reported rather than thrown", async () => {
    gh.expect({ ...LIST, response: [] }, { method: "POST", path: ISSUES, status: 403, response: { message: "Resource not accessible by integration" } });
    const result = await dashboard().upsert({ body: BODY });
    expect(result).toMatchObject({ action: "forbidden", number: null });
    expect(callList(gh.requests.slice(-2))).toEqual([`GET ${ISSUES}?labels=dbt-unskip&state=all&sort=created&direction=asc&per_page=100`, `POST ${ISSUES}`]);
  });
});
