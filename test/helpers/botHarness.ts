import { generateKeyPairSync, randomUUID } from "node:crypto";
import { Probot } from "probot";
import { afterAll, beforeAll, beforeEach } from "vitest";
import { createApp } from "../../src/bot/app.js";
import { DEFAULT_BOT_SETTINGS, type BotSettings } from "../../src/bot/botSettings.js";
import { createBotOctokit } from "../../src/bot/createBotOctokit.js";
import { gitTarball, startArchiveHost, type ArchiveHost } from "./archiveHost.js";
import { INSTALLATION_ID } from "./botPayloads.js";
import { createTestRepo, type TestRepo } from "./gitRepo.js";
import { assertWebhook } from "./githubContract.js";
import { startGitHubStandIn, type Expectation, type GitHubStandIn, type RecordedRequest } from "./githubStandIn.js";
import { OWNER, REPO } from "./pullRequestPayload.js";
import { EXAMPLE_DIR } from "./scratchExample.js";
import { useStandIn } from "./useStandIn.js";

/** An RSA key as GitHub issues them (PKCS#1 PEM), made once per test file. */
export const PRIVATE_KEY = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  privateKeyEncoding: { type: "pkcs1", format: "pem" },
  publicKeyEncoding: { type: "spki", format: "pem" },
}).privateKey;

export const APP_SLUG = "dbt-unskip";
export const APP_LOGIN = `${APP_SLUG}[bot]`;
export const REPO_PATH = `/repos/${OWNER}/${REPO}`;

/**
 * The app in a real Probot, configured as in production (app id and key: the installation token is
 * asked for over HTTP; the bot's Octokit with its bounded retries and throttling, waits shrunk to
 * milliseconds), every API call answered by the stand-in.
 */
export async function startBot(gh: GitHubStandIn, settings: Partial<BotSettings> = {}): Promise<Probot> {
  const probot = new Probot({
    appId: 1234,
    privateKey: PRIVATE_KEY,
    baseUrl: gh.url,
    logLevel: "fatal",
    Octokit: createBotOctokit({ waitUnitMs: 0, spaceWrites: false, throttleId: randomUUID() }),
  });
  await probot.load(createApp({ ...DEFAULT_BOT_SETTINGS, ...settings }));
  // Every delivery a test makes is one GitHub could send: its payload validates against the webhook description.
  const receive = probot.receive.bind(probot);
  probot.receive = async (event) => {
    assertWebhook(event.name, event.payload);
    return receive(event);
  };
  return probot;
}

/** The bot of each test of the enclosing `describe`, and what it asked of GitHub during that test. */
export interface BotPerTest {
  receive: Probot["receive"];
  /** The requests the stand-in received since the test's bot started. */
  made(): RecordedRequest[];
  /** Replaces this test's bot with one started with other settings. */
  restart(settings: Partial<BotSettings>): Promise<void>;
}

/** A fresh bot before every test (so no delivery is remembered from one test to the next). */
export function useBotPerTest(gh: GitHubStandIn): BotPerTest {
  let bot: Probot | undefined;
  let start = 0;
  beforeEach(async () => {
    bot = await startBot(gh);
    start = gh.requests.length;
  });
  return {
    receive: (event) => bot!.receive(event),
    made: () => gh.requests.slice(start),
    async restart(settings) {
      bot = await startBot(gh, settings);
    },
  };
}

/** The bundled example committed on `main` of a real repository, and `main` as GitHub's tarball endpoint serves it. */
export async function exampleOnMain(): Promise<{ repo: TestRepo; main: string; archive: Buffer }> {
  const repo = await createTestRepo(EXAMPLE_DIR);
  const main = (await repo.git("rev-parse", "HEAD")).trim();
  return { repo, main, archive: await gitTarball(repo.dir, main, OWNER, REPO) };
}

/**
 * What the bot's event tests share: GitHub's stand-in, the archive host, a fresh bot for each test,
 * and the example on `main` (exampleOnMain), made before the enclosing `describe`'s tests and removed
 * after them; `example`'s fields are there from its `beforeAll` hooks on.
 */
export function useBotOnExample(): { gh: GitHubStandIn; host: ArchiveHost; bot: BotPerTest; example: Readonly<Awaited<ReturnType<typeof exampleOnMain>>> } {
  const gh = useStandIn(startGitHubStandIn);
  const host = useStandIn(startArchiveHost);
  const bot = useBotPerTest(gh);
  const example = {} as Awaited<ReturnType<typeof exampleOnMain>>;
  beforeAll(async () => {
    Object.assign(example, await exampleOnMain());
  });
  afterAll(() => example.repo?.cleanup());
  return { gh, host, bot, example };
}

/** The installation token Probot asks for before its first call in a repository (then cached). */
export const INSTALLATION_TOKEN: Expectation = {
  method: "POST",
  path: `/app/installations/${INSTALLATION_ID}/access_tokens`,
  status: 201,
  response: { token: "ghs_installation_token", expires_at: "2099-01-01T00:00:00Z", permissions: {}, repository_selection: "all" },
};

/** `GET /app` with the app's JWT: who the app writes as (asked once per process). */
export const APP_IDENTITY: Expectation = { method: "GET", path: "/app", response: { id: 1234, slug: APP_SLUG, name: "dbt-unskip" } };

/** `GET .../tarball/{ref}` answered with a redirect to the archive host, which serves `archive`. */
export function tarballDownload(gh: GitHubStandIn, host: ArchiveHost, ref: string, archive: Uint8Array): void {
  const location = host.serve(`/${OWNER}/${REPO}/legacy.tar.gz/${ref}`, archive);
  gh.expect({ method: "GET", path: `${REPO_PATH}/tarball/${ref}`, status: 302, headers: { location } });
}

export function permission(login: string, level: "admin" | "write" | "read" | "none", roleName?: string): Expectation {
  return {
    method: "GET",
    path: `${REPO_PATH}/collaborators/${login}/permission`,
    response: { permission: level, role_name: roleName ?? level, user: { login, type: "User" } },
  };
}

export function reaction(commentId: number, content: "eyes" | "rocket"): Expectation {
  return { method: "POST", path: `${REPO_PATH}/issues/comments/${commentId}/reactions`, body: { content }, status: 201, response: { id: 1, content } };
}

/** A new comment on issue `issue`; the body is checked by `body` when given. */
export function replyOn(issue: number, body?: (text: string) => boolean): Expectation {
  return {
    method: "POST",
    path: `${REPO_PATH}/issues/${issue}/comments`,
    ...(body ? { body: (b: unknown) => body((b as { body: string }).body) } : {}),
    status: 201,
    response: { id: 5000 + issue, html_url: `https://github.com/${OWNER}/${REPO}/issues/${issue}#issuecomment-${5000 + issue}` },
  };
}
