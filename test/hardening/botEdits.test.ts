import { randomUUID } from "node:crypto";
import type { Probot } from "probot";
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from "vitest";
import { createDiskFileSource } from "../../src/adapters/files/diskFileSource.js";
import { renderDashboard } from "../../src/core/render/renderDashboard.js";
import { computeStatus } from "../../src/usecases/computeStatus.js";
import { loadConfig } from "../../src/usecases/loadConfig.js";
import { APP_LOGIN, startBot } from "../helpers/botHarness.js";
import { issuesEditedPayload } from "../helpers/botPayloads.js";
import { startGitHubStandIn, type GitHubStandIn } from "../helpers/githubStandIn.js";
import { EXAMPLE_DIR } from "../helpers/scratchExample.js";

// RELIABILITY 6: an edit of the dashboard by a bot is never a request, even when it ticks a box.
// (The bot's own edit usually *clears* boxes, so "ticks nothing new" would hide a missing bot check;
// here the bot's edit ticks one.)
let gh: GitHubStandIn;
let bot: Probot;
let dashboard: string;
let start = 0;
const tick = (body: string, dimension: string) => body.replace(`- [ ] Restore \`${dimension}\``, `- [x] Restore \`${dimension}\``);

beforeAll(async () => {
  gh = await startGitHubStandIn();
  const files = createDiskFileSource(EXAMPLE_DIR);
  dashboard = renderDashboard((await computeStatus({ files, config: await loadConfig(files) })).reports, { commit: "0".repeat(40) });
});
beforeEach(async () => {
  bot = await startBot(gh);
  start = gh.requests.length;
});
afterEach(() => gh.assertDone());
afterAll(() => gh.close());

it.each([
  ["another app (renovate[bot])", "renovate[bot]"],
  ["the tool itself", APP_LOGIN],
])("%s ticks a restore box on the dashboard: 0 requests", async (_who, sender) => {
  const ticked = tick(dashboard, "dim_user");
  expect(ticked).not.toBe(dashboard);
  await bot.receive({
    id: randomUUID(),
    name: "issues",
    payload: issuesEditedPayload({ body: ticked, from: dashboard, author: APP_LOGIN, sender, senderType: "Bot", issue: 12 }) as never,
  });
  expect(gh.requests.slice(start)).toEqual([]);
});
