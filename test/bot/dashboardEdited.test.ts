import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { renderDashboard, tickedRestoreBoxes } from "../../src/core/render/renderDashboard.js";
import { createDiskFileSource } from "../../src/adapters/files/diskFileSource.js";
import { computeStatus } from "../../src/usecases/computeStatus.js";
import { loadConfig } from "../../src/usecases/loadConfig.js";
import { APP_IDENTITY, APP_LOGIN, INSTALLATION_TOKEN, permission, replyOn, REPO_PATH, tarballDownload, useBotOnExample } from "../helpers/botHarness.js";
import { issuesEditedPayload } from "../helpers/botPayloads.js";
import { callList } from "../helpers/githubStandIn.js";

const DISPATCH = `${REPO_PATH}/actions/workflows/dbt-unskip.yml/dispatches`;
const ISSUE = 12;

describe("issues.edited on the dashboard: a ticked box asks for that dimension's restore", () => {
  const { gh, host, bot, example } = useBotOnExample();
  const made = bot.made;
  let dashboard: string;
  const tick = (body: string, dimension: string) => body.replace(`- [ ] Restore \`${dimension}\``, `- [x] Restore \`${dimension}\``);

  beforeAll(async () => {
    const files = createDiskFileSource(example.repo.dir);
    dashboard = renderDashboard((await computeStatus({ files, config: await loadConfig(files) })).reports, { commit: example.main });
  });

  const edit = (options: Partial<Parameters<typeof issuesEditedPayload>[0]> & { body: string }, id: string = randomUUID()) =>
    bot.receive({ id, name: "issues", payload: issuesEditedPayload({ from: dashboard, author: APP_LOGIN, issue: ISSUE, ...options }) as never });

  it("a writer ticks dim_user: restore dispatched (with the commit it was checked at), the box cleared again, one reply", async () => {
    const ticked = tick(dashboard, "dim_user");
    expect(tickedRestoreBoxes(ticked)).toEqual(["dim_user"]);
    gh.expect(APP_IDENTITY, INSTALLATION_TOKEN, permission("octocat", "write"));
    tarballDownload(gh, host, "main", example.archive);
    gh.expect(
      { method: "POST", path: DISPATCH, status: 204, body: { ref: "main", inputs: { command: "restore", dimension: "dim_user", "expected-sha": example.main } } },
      { method: "PATCH", path: `${REPO_PATH}/issues/${ISSUE}`, body: { body: dashboard }, response: { number: ISSUE } },
      replyOn(ISSUE, (text) => text.startsWith("@octocat, asked the Action to **restore** `dim_user`")),
    );
    await edit({ body: ticked });
    expect(callList(made())).toEqual([
      "GET /app",
      "POST /app/installations/42/access_tokens",
      `GET ${REPO_PATH}/collaborators/octocat/permission`,
      `GET ${REPO_PATH}/tarball/main`,
      `POST ${DISPATCH}`,
      `PATCH ${REPO_PATH}/issues/${ISSUE}`,
      `POST ${REPO_PATH}/issues/${ISSUE}/comments`,
    ]);
  });

  it("the bot's own edit that clears the box comes back from a bot: 0 requests", async () => {
    await edit({ body: dashboard, from: tick(dashboard, "dim_user"), sender: APP_LOGIN, senderType: "Bot" });
    expect(made()).toEqual([]);
  });

  it.each([
    ["an edit that ticks nothing new", () => ({ body: tick(dashboard, "dim_user"), from: tick(dashboard, "dim_user") })],
    ["an edit of another issue (no dashboard marker)", () => ({ body: "- [x] Restore `dim_user` <!-- dbt-unskip:restore:dim_user -->", from: "" })],
  ])("%s: 0 requests", async (_what, options) => {
    await edit(options());
    expect(made()).toEqual([]);
  });

  it("a person's issue that copies the dashboard: only `who am I` is asked, nothing else happens", async () => {
    gh.expect(APP_IDENTITY);
    await edit({ body: tick(dashboard, "dim_user"), author: "octocat", authorType: "User" });
    expect(callList(made())).toEqual(["GET /app"]);
  });

  it("a reader ticks a box: refused with a reply; no dispatch, the body is not touched", async () => {
    gh.expect(
      APP_IDENTITY,
      INSTALLATION_TOKEN,
      permission("reader", "read"),
      replyOn(ISSUE, (text) => text.includes("@reader has read permission")),
    );
    await edit({ body: tick(dashboard, "dim_user"), sender: "reader" });
    expect(made()).toHaveLength(4);
  });

  it("a duplicate delivery is handled once", async () => {
    gh.expect(APP_IDENTITY, INSTALLATION_TOKEN, permission("octocat", "admin"));
    tarballDownload(gh, host, "main", example.archive);
    gh.expect({ method: "POST", path: DISPATCH, status: 204 }, { method: "PATCH", path: `${REPO_PATH}/issues/${ISSUE}`, response: {} }, replyOn(ISSUE));
    const id = randomUUID();
    await edit({ body: tick(dashboard, "dim_product") }, id);
    await edit({ body: tick(dashboard, "dim_product") }, id);
    expect(made()).toHaveLength(7);
  });
});
