import { randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BotSettings } from "../../src/bot/botSettings.js";
import { gitTarball, startArchiveHost } from "../helpers/archiveHost.js";
import { APP_IDENTITY, INSTALLATION_TOKEN, permission, reaction, replyOn, REPO_PATH, startBot, tarballDownload } from "../helpers/botHarness.js";
import { appPullRequestPayload, appPushPayload, issueCommentPayload } from "../helpers/botPayloads.js";
import type { RecordedRequest } from "../helpers/githubStandIn.js";
import { startGitHubStandIn } from "../helpers/githubStandIn.js";
import { createPullRequestRepo, type PullRequestRepo } from "../helpers/pullRequestRepo.js";
import { OWNER, REPO } from "../helpers/pullRequestPayload.js";
import { useStandIn } from "../helpers/useStandIn.js";
import { buildWorkerBundle } from "../helpers/workerBundle.js";

// The bot's scans read properties YAML on a worker thread as the Action's do (BotDependencies.prepareBuild,
// given to computeStatus and to the PR check): every delivery that scans must write exactly what it writes
// with the worker turned off (DBT_UNSKIP_THREADS=0 gives `propertiesThread: { enabled: false }`).
// A low threshold instead of a 2 MB project: every scan starts the real worker, which notes each run in a file.
describe("the bot with the properties worker thread: the same requests and bodies as without", () => {
  const gh = useStandIn(startGitHubStandIn);
  const host = useStandIn(startArchiveHost);
  const scratch = mkdtempSync(join(tmpdir(), "dbt-unskip-bot-thread-"));
  const runs = join(scratch, "worker-runs.txt");
  let worker: Awaited<ReturnType<typeof buildWorkerBundle>>;
  let pr: PullRequestRepo;
  const archives = new Map<string, Buffer>();
  beforeAll(async () => {
    // Noted before the worker answers (the main thread ends the worker once it has the answers).
    const note = join(scratch, "note.mjs");
    writeFileSync(note, `import { appendFileSync } from "node:fs";\nimport { workerData } from "node:worker_threads";\nappendFileSync(${JSON.stringify(runs)}, workerData.shares + "\\n");\n`);
    worker = await buildWorkerBundle(`import ${JSON.stringify(note)};\nimport "./src/adapters/threads/propertiesWorker.ts";\n`);
    pr = await createPullRequestRepo();
    for (const sha of [pr.base, pr.head]) archives.set(sha, await gitTarball(pr.repo.dir, sha, OWNER, REPO));
  });
  afterAll(async () => {
    await worker?.cleanup();
    await pr?.repo.cleanup();
    rmSync(scratch, { recursive: true, force: true });
  });

  const THREADED: Partial<BotSettings> = { propertiesThread: { workerFile: "", minBytes: 1 } };
  const SINGLE: Partial<BotSettings> = { propertiesThread: { enabled: false } };
  const workerRuns = () => (existsSync(runs) ? readFileSync(runs, "utf8").split("\n").filter(Boolean).map(Number) : []);

  /** One delivery to a fresh bot with `settings`: what it asked of GitHub and wrote, and how many worker runs it started. */
  async function deliver(settings: Partial<BotSettings>, expect_: () => void, event: { name: string; payload: unknown }) {
    expect_();
    const bot = await startBot(gh, settings.propertiesThread?.workerFile === "" ? { propertiesThread: { ...settings.propertiesThread, workerFile: worker.path } } : settings);
    const before = gh.requests.length;
    const started = workerRuns().length;
    await bot.receive({ id: randomUUID(), name: event.name, payload: event.payload } as never);
    gh.assertDone();
    host.assertDone();
    const made = gh.requests.slice(before).map((r: RecordedRequest) => ({ method: r.method, path: r.path, body: r.body }));
    return { made, workerRuns: workerRuns().slice(started) };
  }

  async function expectSame(expect_: () => void, event: { name: string; payload: unknown }, scans: number) {
    const threaded = await deliver(THREADED, expect_, event);
    const single = await deliver(SINGLE, expect_, event);
    // The worker read YAML files for each scan of the threaded bot, and never for the other.
    expect(threaded.workerRuns).toHaveLength(scans);
    for (const files of threaded.workerRuns) expect(files).toBeGreaterThan(0);
    expect(single.workerRuns).toEqual([]);
    expect(threaded.made.some((r) => r.method !== "GET")).toBe(true);
    expect(JSON.stringify(threaded.made)).toBe(JSON.stringify(single.made));
  }

  const COMMENTS = `${REPO_PATH}/issues/7/comments`;

  it("pull_request: the head's scan on the worker (the PR check's prepareHead); the same comment", async () => {
    const mergeBase = (await pr.repo.git("merge-base", pr.base, pr.head)).trim();
    const names = (await pr.repo.git("diff", "--name-status", "-z", mergeBase, pr.head)).split("\0").filter(Boolean);
    const files: Record<string, string>[] = [];
    for (let i = 0; i < names.length; i += 2) files.push({ status: { A: "added", D: "removed" }[names[i]![0] as "A" | "D"] ?? "modified", filename: names[i + 1]! });
    const compare = { merge_base_commit: { sha: mergeBase }, base_commit: { sha: pr.base }, status: "ahead", files };
    const expectations = () => {
      gh.expect(INSTALLATION_TOKEN, { method: "GET", path: `${REPO_PATH}/compare/${pr.base}...${pr.head}`, response: compare });
      tarballDownload(gh, host, pr.base, archives.get(pr.base)!);
      tarballDownload(gh, host, pr.head, archives.get(pr.head)!);
      gh.expect(APP_IDENTITY, { method: "GET", path: COMMENTS, response: [] }, { method: "POST", path: COMMENTS, status: 201, response: { id: 77, html_url: "https://github.com/acme/warehouse/x" } });
    };
    await expectSame(expectations, { name: "pull_request", payload: appPullRequestPayload({ action: "opened", baseSha: pr.base, headSha: pr.head }) }, 1);
  });

  it("push to the default branch: the dashboard's scan and the scan before the merge; the same dashboard and merge comment", async () => {
    const merged = { number: 7, merged_at: "2026-11-20T10:00:00Z", base: { ref: "main" }, state: "closed" };
    const expectations = () => {
      gh.expect(INSTALLATION_TOKEN);
      tarballDownload(gh, host, pr.head, archives.get(pr.head)!);
      gh.expect(
        { method: "GET", path: `${REPO_PATH}/pulls`, response: [] },
        APP_IDENTITY,
        { method: "GET", path: `${REPO_PATH}/issues`, response: [] },
        { method: "POST", path: `${REPO_PATH}/issues`, status: 201, response: { number: 12, html_url: `https://github.com/${OWNER}/${REPO}/issues/12` } },
        { method: "GET", path: `${REPO_PATH}/commits/${pr.head}/pulls`, response: [merged] },
      );
      tarballDownload(gh, host, pr.base, archives.get(pr.base)!);
      gh.expect({ method: "GET", path: COMMENTS, response: [] }, { method: "POST", path: COMMENTS, status: 201, response: { id: 900, html_url: "https://github.com/acme/warehouse/x" } });
    };
    await expectSame(expectations, { name: "push", payload: appPushPayload({ before: pr.base, after: pr.head }) }, 2);
  });

  it("`/unskip status`: the scan of the default branch; the same reply", async () => {
    const expectations = () => {
      gh.expect(INSTALLATION_TOKEN, reaction(9001, "eyes"), permission("octocat", "write"));
      tarballDownload(gh, host, "main", archives.get(pr.base)!);
      gh.expect(replyOn(7));
    };
    await expectSame(expectations, { name: "issue_comment", payload: issueCommentPayload({ body: "/unskip status", commentId: 9001 }) }, 1);
  });
});
