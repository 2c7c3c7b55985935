import { spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { gitTarball, startArchiveHost } from "../helpers/archiveHost.js";
import { INSTALLATION_TOKEN, permission, reaction, replyOn, tarballDownload } from "../helpers/botHarness.js";
import { issueCommentPayload } from "../helpers/botPayloads.js";
import { botProcessEnvironment, signWebhook, startBotProcess, stopBotProcess } from "../helpers/botProcess.js";
import { createTestRepo } from "../helpers/gitRepo.js";
import { startGitHubStandIn } from "../helpers/githubStandIn.js";
import { OWNER, REPO } from "../helpers/pullRequestPayload.js";
import { CLI_BUNDLE } from "../helpers/runBundledCli.js";
import { useStandIn } from "../helpers/useStandIn.js";
import { type GeneratedProject, generateProject } from "../bench/generateProject.js";
import { preparePullRequest, pullRequestEnvironment } from "../bench/prReportSection.js";
import { REPO_ROOT } from "../helpers/scratchExample.js";

// The built CLI reads a large project's properties YAML on a worker thread (dist/propertiesWorker.js,
// src/adapters/threads/propertiesThread.ts): it must start from the bundle's own folder and give the
// same report as with worker threads off. `--cpu-prof` writes one profile per thread that ran.

// About 0.7 MB of properties YAML per 1,000 real-shaped models (BENCHMARKS.md): 3,000 are over the 2 MB
// threshold (2.17 MB with this seed). Generated once, on first use, and only read: the tests that
// need a repository copy it.
const overThreshold = (() => {
  const scratch = mkdtempSync(join(tmpdir(), "dbt-unskip-properties-thread-project-"));
  let project: GeneratedProject | undefined;
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  return () => {
    project ??= generateProject({ dir: join(scratch, "real"), models: 3000, seed: 20261121, shape: "real" });
    return project;
  };
})();

describe("the bundled CLI: properties YAML on a worker thread", () => {
  const scratch = mkdtempSync(join(tmpdir(), "dbt-unskip-properties-thread-e2e-"));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  function status(root: string, threads: string | undefined, profiles: string) {
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "" };
    if (threads !== undefined) env.DBT_UNSKIP_THREADS = threads;
    const result = spawnSync(process.execPath, ["--cpu-prof", "--cpu-prof-dir", profiles, CLI_BUNDLE, "status", "--json", "--root", root], { encoding: "utf8", env, maxBuffer: 64 * 1024 * 1024 });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr, threads: readdirSync(profiles).length };
  }

  it("a real-shaped project with over 2 MB of properties YAML: two threads, the same report as one", () => {
    const project = overThreshold();
    const threaded = status(project.dir, undefined, join(scratch, "p-threaded"));
    const single = status(project.dir, "0", join(scratch, "p-single"));
    expect(threaded.code, threaded.stderr).toBe(0);
    expect(single.code, single.stderr).toBe(0);
    expect(threaded.threads).toBe(2);
    expect(single.threads).toBe(1);
    expect(threaded.stdout).toBe(single.stdout);
    expect(JSON.parse(threaded.stdout).summary.paused).toBe(300);
  });

  it("one properties file of anchors and flow maps that needs some 60x its size to parse: read on the worker, exit 0, the same report", () => {
    // A bound on the worker's old generation (64 MB + 3x the YAML) killed it mid-file: the CLI waited
    // two minutes for its answers, printed the report, then died of the worker's unhandled error (exit 1).
    const dir = join(scratch, "anchored");
    mkdirSync(join(dir, "models"), { recursive: true });
    writeFileSync(join(dir, "dbt_project.yml"), "name: p\nprofile: p\n");
    writeFileSync(join(dir, "models", "a.sql"), "select 1\n");
    const lines = ["version: 2", "x-defaults: &tests", "  - not_null", "  - unique", "models:"];
    for (let i = 0; i < 2700; i++) {
      lines.push(`  - name: m${i}`, `    config: {materialized: table, tags: [a, b], meta: {owner: "x", n: ${i}}}`, "    description: >", `      ${"long description text ".repeat(15)}`, "    columns:");
      for (let c = 0; c < 5; c++) lines.push(`      - {name: c${c}, description: "column ${c} of m${i}", tests: *tests}`);
    }
    writeFileSync(join(dir, "models", "schema.yml"), `${lines.join("\n")}\n`);
    const threaded = status(dir, undefined, join(scratch, "p-anchored"));
    const single = status(dir, "0", join(scratch, "p-anchored-single"));
    expect(threaded.code, threaded.stderr).toBe(0);
    expect(threaded.stderr).toBe("");
    expect(threaded.threads).toBe(2);
    expect(threaded.stdout).toBe(single.stdout);
  });

  it("a small project: no worker thread", () => {
    const project = generateProject({ dir: join(scratch, "small"), models: 300, seed: 20261121, shape: "real" });
    const run = status(project.dir, undefined, join(scratch, "p-small"));
    expect(run.code, run.stderr).toBe(0);
    expect(run.threads).toBe(1);
  });
});

// The Action's pull_request path reads the head's properties YAML on the worker too (the head's scan in
// src/usecases/pullRequestStatus.ts, started by src/action/checkPullRequestInCheckout.ts).
describe("the bundled Action on a pull request: the head's properties YAML on a worker thread", () => {
  const scratch = mkdtempSync(join(tmpdir(), "dbt-unskip-properties-thread-pr-e2e-"));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it("a real-shaped PR over the threshold: two threads, the same report (job summary and outputs) as one", () => {
    const project = overThreshold();
    const checkout = preparePullRequest(project.dir, join(scratch, "pr"));
    const bundle = join(dirname(CLI_BUNDLE), "index.js");
    const run = (threads: string | undefined, name: string) => {
      const runnerDir = join(scratch, `runner-${name}`);
      const env = pullRequestEnvironment(REPO_ROOT, checkout, runnerDir);
      if (threads !== undefined) env.DBT_UNSKIP_THREADS = threads;
      const profiles = join(scratch, `p-${name}`);
      const result = spawnSync(process.execPath, ["--cpu-prof", "--cpu-prof-dir", profiles, bundle], { cwd: checkout.workspace, encoding: "utf8", env, maxBuffer: 64 * 1024 * 1024 });
      return {
        code: result.status,
        stderr: `${result.stdout}${result.stderr}`,
        summary: readFileSync(join(runnerDir, "summary.md"), "utf8"),
        // The outputs name the report file, under the runner's folder: compared without it, and the file itself.
        output: readFileSync(join(runnerDir, "output"), "utf8")
          .split(runnerDir)
          .join("RUNNER")
          .replace(/ghadelimiter_[\w-]+/g, "D"),
        report: readFileSync(join(runnerDir, "temp", "dbt-unskip", "pull-request-readiness.json"), "utf8"),
        threads: readdirSync(profiles).length,
      };
    };
    const threaded = run(undefined, "threaded");
    const single = run("0", "single");
    expect(threaded.code, threaded.stderr).toBe(0);
    expect(single.code, single.stderr).toBe(0);
    expect(single.summary).toContain(checkout.headSha.slice(0, 7));
    expect(threaded.threads).toBe(2);
    expect(single.threads).toBe(1);
    expect(threaded.summary).toBe(single.summary);
    expect(threaded.output).toBe(single.output);
    expect(threaded.output).toContain("RUNNER/temp/dbt-unskip/pull-request-readiness.json");
    expect(threaded.report).toBe(single.report);
  });
});

// The bundled bot (dist/bot.js) scans through the same ports (src/bot/app.ts: BotDependencies.prepareBuild):
// it must find dist/propertiesWorker.js beside itself and answer as it does with worker threads off.
describe("the bundled bot: a large project's properties YAML on a worker thread", () => {
  const gh = useStandIn(startGitHubStandIn);
  const host = useStandIn(startArchiveHost);
  const scratch = mkdtempSync(join(tmpdir(), "dbt-unskip-properties-thread-bot-e2e-"));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it("`/unskip status` on a real-shaped repository over the threshold: two threads, the same reply as one", async () => {
    const project = overThreshold();
    const repo = await createTestRepo(project.dir);
    try {
      const main = (await repo.git("rev-parse", "HEAD")).trim();
      const archive = await gitTarball(repo.dir, main, OWNER, REPO);
      const run = async (threads: string | undefined, name: string) => {
        const profiles = join(scratch, `p-${name}`);
        const env = botProcessEnvironment(gh.url);
        if (threads !== undefined) env.DBT_UNSKIP_THREADS = threads;
        const { child, url } = await startBotProcess(scratch, env, ["--cpu-prof", "--cpu-prof-dir", profiles]);
        let reply = "";
        try {
          gh.expect(INSTALLATION_TOKEN, reaction(9003, "eyes"), permission("octocat", "write"));
          tarballDownload(gh, host, "main", archive);
          gh.expect(replyOn(7));
          const before = gh.requests.length;
          const body = JSON.stringify(issueCommentPayload({ body: "/unskip status", commentId: 9003 }));
          const headers = { "content-type": "application/json", "x-github-event": "issue_comment", "x-github-delivery": randomUUID(), "x-hub-signature-256": signWebhook(body) };
          expect((await fetch(url, { method: "POST", body, headers })).status).toBe(200);
          gh.assertDone();
          host.assertDone();
          reply = (gh.requests.slice(before).at(-1)!.body as { body: string }).body;
        } finally {
          await stopBotProcess(child);
        }
        // One CPU profile per thread that ran, written as the process exits.
        return { reply, threads: readdirSync(profiles).length };
      };
      const threaded = await run(undefined, "bot-threaded");
      const single = await run("0", "bot-single");
      expect(single.reply).toContain(`readiness at \`main\` (\`${main.slice(0, 12)}\`)`);
      expect(threaded.threads).toBe(2);
      expect(single.threads).toBe(1);
      expect(threaded.reply).toBe(single.reply);
    } finally {
      await repo.cleanup();
    }
  });
});
