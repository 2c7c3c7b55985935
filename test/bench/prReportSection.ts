// The PR report against one `status` (issue #17 item 3: a pull request costs one scan, not two).
// Each generated project is copied into a real git repository with a pull request on it (models
// paused and restored by renames, a properties file and a state document edited, a model added);
// the Action bundle (dist/index.js) checks that pull request as the runner runs it (event file,
// inputs in the environment, no token: the report goes to the job summary), and `status --json`
// runs on the same checkout, the two interleaved run by run so both see the same machine.
import { execFileSync } from "node:child_process";
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { parse } from "yaml";
import { pullRequestPayload, OWNER, REPO } from "../helpers/pullRequestPayload.js";
import { JOB_SUMMARY_LIMIT_BYTES } from "../../src/core/render/jobSummary.js";
import { markdownTable, megabytes, ratio, ratioAgainst, seconds, series, sizeLabel, thousands, type BenchSection, type Series } from "./benchContext.js";
import { MODEL_PATH, PROJECT_DIR } from "./generateProject.js";
import type { Measurement } from "./measureCommand.js";

/** Issue 17 item 3: the PR report costs at most this many times one `status` (CPU, real shape, 10k). */
const PR_RATIO_TARGET = 1.3;

/** What the pull request changes, by kind (counts). */
export const PR_CHANGES = { paused: 5, restored: 3, yamlEdited: 1, stateEdited: 1, added: 1 };

export interface PullRequestCheckout {
  workspace: string;
  baseSha: string;
  headSha: string;
  changedFiles: number;
}

const git = (cwd: string, ...args: string[]) => execFileSync("git", args, { cwd, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 }).trim();

/** The project at `root` as the base commit of a repository in `workspace`, and a pull request on it checked out. */
export function preparePullRequest(root: string, workspace: string): PullRequestCheckout {
  rmSync(workspace, { recursive: true, force: true, maxRetries: 5 });
  cpSync(root, workspace, { recursive: true });
  git(workspace, "init", "-q", "-b", "main");
  git(workspace, "config", "user.email", "bench@example.com");
  git(workspace, "config", "user.name", "bench");
  git(workspace, "config", "commit.gpgsign", "false");
  // No automatic gc in the background: it would run beside the measured commands.
  git(workspace, "config", "gc.auto", "0");
  git(workspace, "add", "-A");
  git(workspace, "commit", "-q", "-m", "base");
  const baseSha = git(workspace, "rev-parse", "HEAD");
  git(workspace, "checkout", "-q", "-b", "pr");
  const modelDir = join(PROJECT_DIR, MODEL_PATH);
  const files = walk(join(workspace, modelDir)).map((p) => join(modelDir, p).split("\\").join("/"));
  const every = <T>(items: T[], n: number) => items.filter((_, i) => i % Math.max(1, Math.floor(items.length / n)) === 0).slice(0, n);
  for (const f of every(
    files.filter((p) => p.endsWith(".sql")),
    PR_CHANGES.paused,
  ))
    git(workspace, "mv", f, `${f}.skip`);
  for (const f of every(
    files.filter((p) => p.endsWith(".sql.skip")),
    PR_CHANGES.restored,
  ))
    git(workspace, "mv", f, f.slice(0, -".skip".length));
  const yaml = files.find((p) => p.endsWith(".yml"));
  if (yaml) writeFileSync(join(workspace, yaml), `${readFileSync(join(workspace, yaml), "utf8")}\n# reviewed\n`);
  const state = walk(workspace).find((p) => p.endsWith("_STATE.md"));
  if (state) writeFileSync(join(workspace, state), `${readFileSync(join(workspace, state), "utf8")}\n<!-- reviewed -->\n`);
  const someModel = files.find((p) => p.endsWith(".sql"))!;
  const name = someModel.slice(someModel.lastIndexOf("/") + 1, -".sql".length);
  writeFileSync(join(workspace, modelDir, "pr_added_model.sql"), `select * from {{ ref('${name}') }}\n`);
  git(workspace, "add", "-A");
  git(workspace, "commit", "-q", "-m", "pull request");
  const headSha = git(workspace, "rev-parse", "HEAD");
  const changedFiles = git(workspace, "diff", "--name-only", "-M", baseSha, headSha).split("\n").filter(Boolean).length;
  return { workspace, baseSha, headSha, changedFiles };
}

function walk(dir: string): string[] {
  const out: string[] = [];
  const go = (d: string) => {
    for (const name of readdirSync(d)) {
      if (name === ".git") continue;
      const full = join(d, name);
      if (statSync(full).isDirectory()) go(full);
      else out.push(relative(dir, full));
    }
  };
  go(dir);
  return out.sort();
}

/** The runner's environment for a `pull_request` run of the Action on `checkout` (no token: nothing is written to GitHub). */
export function pullRequestEnvironment(repoRoot: string, checkout: PullRequestCheckout, runnerDir: string): NodeJS.ProcessEnv {
  mkdirSync(join(runnerDir, "temp"), { recursive: true });
  const event = join(runnerDir, "event.json");
  writeFileSync(event, JSON.stringify(pullRequestPayload({ action: "synchronize", baseSha: checkout.baseSha, headSha: checkout.headSha })));
  writeFileSync(join(runnerDir, "output"), "");
  writeFileSync(join(runnerDir, "summary.md"), "");
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? "",
    GITHUB_ACTIONS: "true",
    GITHUB_EVENT_NAME: "pull_request",
    GITHUB_EVENT_PATH: event,
    GITHUB_REPOSITORY: `${OWNER}/${REPO}`,
    GITHUB_WORKSPACE: checkout.workspace,
    GITHUB_API_URL: "http://127.0.0.1:9",
    GITHUB_GRAPHQL_URL: "http://127.0.0.1:9/graphql",
    GITHUB_OUTPUT: join(runnerDir, "output"),
    GITHUB_STEP_SUMMARY: join(runnerDir, "summary.md"),
    RUNNER_TEMP: join(runnerDir, "temp"),
  };
  const action = parse(readFileSync(join(repoRoot, "action.yml"), "utf8")) as { inputs: Record<string, { default: string }> };
  for (const [name, input] of Object.entries(action.inputs)) env[`INPUT_${name.toUpperCase()}`] = input.default.includes("${{") ? "" : input.default;
  env.INPUT_TOKEN = "";
  env.INPUT_COMMENT = "never";
  return env;
}

/**
 * What is wrong with the warm-up runs, or null: each must exit 0, and the Action's job summary must be
 * one GitHub shows (at most 1 MiB) and name the head commit (its last line does, cut or not).
 */
export function warmUpProblem(warm: readonly Pick<Measurement, "exitCode" | "stderrTail">[], summary: string, headSha: string): string | null {
  if (warm.some((m) => m.exitCode !== 0)) {
    return `a warm-up run failed (exit codes ${warm.map((m) => m.exitCode).join(", ")}): ${warm
      .map((m) => m.stderrTail.trim().split("\n").slice(-3).join(" / "))
      .filter(Boolean)
      .join(" // ")}`;
  }
  const bytes = Buffer.byteLength(summary);
  if (bytes === 0) return "the Action exited 0 and wrote no job summary";
  if (bytes > JOB_SUMMARY_LIMIT_BYTES) return `the Action's job summary is ${bytes.toLocaleString("en-US")} bytes, over GitHub's 1 MiB: GitHub would show none of it`;
  if (!summary.includes(headSha.slice(0, 7))) {
    return `the Action's job summary (${bytes.toLocaleString("en-US")} bytes) does not name the head commit ${headSha.slice(0, 7)}; it ends: ${JSON.stringify(summary.trimEnd().split("\n").slice(-2).join(" / ").slice(-300))}`;
  }
  return null;
}

interface PrRow {
  size: number;
  changedFiles: number;
  /** The warm-up's job summary: its size and whether it was cut to GitHub's limit. */
  summary: { bytes: number; cut: boolean };
  pr: Series;
  status: Series;
}

export const prReportSection: BenchSection = async (ctx) => {
  const bundle = join(ctx.work, "pr-action", "index.js");
  mkdirSync(join(ctx.work, "pr-action"), { recursive: true });
  copyFileSync(join(ctx.options.repoRoot, "dist", "index.js"), bundle);
  // As in dist/: the worker the Action starts for a head with much properties YAML sits beside it
  // (src/adapters/threads/propertiesThread.ts); without it the head's YAML is read on the main thread.
  for (const name of ["propertiesWorker.js", "package.json"]) {
    if (existsSync(join(ctx.options.repoRoot, "dist", name))) copyFileSync(join(ctx.options.repoRoot, "dist", name), join(ctx.work, "pr-action", name));
  }
  const rows: PrRow[] = [];
  for (const project of ctx.projects) {
    const checkout = preparePullRequest(project.root, join(ctx.work, `pr-${project.size}`));
    const runnerDir = join(ctx.work, `pr-runner-${project.size}`);
    const env = pullRequestEnvironment(ctx.options.repoRoot, checkout, runnerDir);
    const projectRoot = checkout.workspace;
    const statusOut = join(ctx.work, `pr-status-${project.size}.json`);
    const runPr = () => ctx.measure({ command: ctx.options.node, args: [bundle], cwd: checkout.workspace, env, stdoutFile: join(runnerDir, "stdout.txt") });
    const runStatus = () => ctx.measure({ command: ctx.options.node, args: [ctx.cli, "status", "--json", "--root", projectRoot], cwd: projectRoot, stdoutFile: statusOut });
    const label = `PR report ${sizeLabel(project.size)}`;
    // Warm-up of each, checked: the Action must have written its report.
    const warm = [await runPr(), await runStatus()];
    const summary = readFileSync(join(runnerDir, "summary.md"), "utf8");
    const problem = warmUpProblem(warm, summary, checkout.headSha);
    if (problem) {
      ctx.failures.push(`${label}: ${problem}`);
      continue;
    }
    const prRuns: Measurement[] = [];
    const statusRuns: Measurement[] = [];
    for (let i = 0; i < ctx.options.reps; i++) {
      prRuns.push(await runPr());
      statusRuns.push(await runStatus());
    }
    if ([...prRuns, ...statusRuns].some((m) => m.exitCode !== 0)) {
      ctx.failures.push(`${label}: a run failed`);
      continue;
    }
    const row = { size: project.size, changedFiles: checkout.changedFiles, summary: { bytes: Buffer.byteLength(summary), cut: summary.includes("✂️") }, pr: series(prRuns), status: series(statusRuns) };
    rows.push(row);
    ctx.log(
      `${label}: ${seconds(row.pr.wall.median)} wall, CPU ${row.pr.cpu ? seconds(row.pr.cpu.median) : "n/m"}; status ${seconds(row.status.wall.median)}, CPU ${row.status.cpu ? seconds(row.status.cpu.median) : "n/m"}`,
    );
    rmSync(statusOut, { force: true });
    if (!ctx.options.keep) rmSync(checkout.workspace, { recursive: true, force: true, maxRetries: 5 });
  }
  const cpuRatio = (r: PrRow) => (r.pr.cpu && r.status.cpu ? r.pr.cpu.median / r.status.cpu.median : null);
  const ten = rows.find((r) => r.size === 10_000);
  if (ten && ctx.options.shape === "real") {
    const x = cpuRatio(ten);
    ctx.results.targets.push({
      target: `PR report ≤ ${PR_RATIO_TARGET}× one status (10k, real shape, CPU)`,
      measured: x === null ? "n/m" : `${ratioAgainst(x, PR_RATIO_TARGET)} (${seconds(ten.pr.cpu!.median)} vs ${seconds(ten.status.cpu!.median)} CPU; wall ${ratio(ten.pr.wall.median / ten.status.wall.median)})`,
      met: x === null ? null : x <= PR_RATIO_TARGET,
    });
  }
  const table = markdownTable(
    ["models", "files changed", "job summary", "PR report: wall", "CPU", "peak RSS", "status: wall", "CPU", "PR report / status: CPU", "wall"],
    rows.map((r) => {
      const x = cpuRatio(r);
      return [
        thousands(r.size),
        String(r.changedFiles),
        `${Math.round(r.summary.bytes / 1000).toLocaleString("en-US")} kB${r.summary.cut ? " (cut)" : ""}`,
        `${seconds(r.pr.wall.median)} (${seconds(r.pr.wall.min)}–${seconds(r.pr.wall.max)})`,
        r.pr.cpu ? seconds(r.pr.cpu.median) : "n/m",
        r.pr.rss ? megabytes(r.pr.rss.median) : "n/m",
        `${seconds(r.status.wall.median)} (${seconds(r.status.wall.min)}–${seconds(r.status.wall.max)})`,
        r.status.cpu ? seconds(r.status.cpu.median) : "n/m",
        x === null ? "n/m" : ratioAgainst(x, PR_RATIO_TARGET),
        ratio(r.pr.wall.median / r.status.wall.median),
      ];
    }),
    ["r", "r", "r", "r", "r", "r", "r", "r", "r", "r"],
  );
  return {
    title: `PR report: one scan, not two (Node ${ctx.machine.node})`,
    body: [
      `The Action bundle (\`dist/index.js\`, a private copy) checking a pull request as the runner runs it: each generated project committed as the base of a real git repository, a pull request on it checked out (${PR_CHANGES.paused} models paused and ${PR_CHANGES.restored} restored by renames, a properties file and a state document edited, a model added), the event file and the action's inputs in the environment, no token (the report goes to the job summary; nothing to GitHub), \`comment: never\`. Beside it, \`status --json\` on the same checkout, the two interleaved run by run (${ctx.options.reps} each after one warm-up of each, which is checked to have written a job summary GitHub shows: at most 1 MiB, naming the head commit; its size is in the table, "cut" when the report was over the limit). The PR report reads the head once and derives the base from it and the changed files (src/usecases/pullRequestStatus.ts); git's own work (merge base, diff, the base's tree listing, the changed files' contents) is in its CPU time. The ratio is judged on CPU time, which other processes on a shared machine distort least.`,
      "",
      table,
    ].join("\n"),
  };
};
