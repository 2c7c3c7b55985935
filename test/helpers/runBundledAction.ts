import { type ChildProcess, execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { assertWebhook, knowsWebhook } from "./githubContract.js";
import { callList, type GitHubStandIn, type RecordedRequest } from "./githubStandIn.js";
import { gfmProblems } from "./gfmStructure.js";
import { parseMermaid } from "./parseMermaid.js";
import { OWNER, REPO } from "./pullRequestPayload.js";
import { bundleEnvironment } from "./bundleEnvironment.js";
import { describeProcessTrees, descendantsOf, forkServersOf } from "./processTree.js";
import { REPO_ROOT } from "./scratchExample.js";

/** The runner folders runBundledAction made itself (no `runnerDir` given), until removeRunnerDirs. */
const madeRunnerDirs = new Set<string>();

/**
 * Removes the runner folders runBundledAction made in this process (a test file's `afterAll`): they
 * outlive the run, because its outputs name files in them (`report-path` is in RUNNER_TEMP).
 */
export async function removeRunnerDirs(): Promise<void> {
  const dirs = [...madeRunnerDirs];
  madeRunnerDirs.clear();
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
}

export interface BundledRun {
  code: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  calls: string[];
  requests: RecordedRequest[];
}

/**
 * Runs the committed `dist/index.js` as the runner does: inputs and context in the environment
 * (nothing from this machine's own environment but PATH and HOME), GitHub at the stand-in.
 */
export async function runBundledAction(options: {
  workspace: string;
  gh: GitHubStandIn;
  eventName: string;
  payload: unknown;
  inputs?: Record<string, string>;
  /** The bundle to run (default: the committed `dist/index.js`); the benchmark runs a private copy of it. */
  bundle?: string;
  /**
   * The folder for the event file, outputs, summary and `runner-temp` (default: a new temporary
   * folder, removed by removeRunnerDirs); a test that must place a file in RUNNER_TEMP before the run names it.
   */
  runnerDir?: string;
  /**
   * Check what a person sees (default true): the job summary and every body sent to GitHub must be
   * well-formed GFM with diagrams mermaid parses (see gfmStructure.ts). The benchmark turns it off.
   */
  checkRendered?: boolean;
  /** Why this payload is not one GitHub sends (a hostile or broken event file); otherwise it must validate. */
  offContractPayload?: string;
  /**
   * Space writes as GitHub asks (the input `github-write-spacing: github`, the product's default).
   * Default false (`none`): the stand-in has no secondary rate limits, and a test waits on no clock.
   * The benchmark keeps the spacing, to time what a user waits.
   */
  spaceWrites?: boolean;
  /** Given the running Action's process as it starts (a test that signals it, as a cancelled run does). */
  started?: (child: ChildProcess) => void;
  /**
   * A bound on the run, for a test whose Action must end promptly (one it signals): an Action still
   * running after this long fails the test with what was still running (the Action's process tree
   * and this checkout's dbt fork servers, whose children run its dbt) and the Action's output so far;
   * then the Action and its children are killed. Not a timed assertion: far above any healthy run,
   * below the test's own timeout, which would say only that it timed out.
   */
  hangMs?: number;
}): Promise<BundledRun> {
  // The event file is what GitHub would deliver: held to the webhook description (schedule has none).
  if (!options.offContractPayload && knowsWebhook(options.eventName)) assertWebhook(options.eventName, options.payload);
  let dir = options.runnerDir;
  if (dir === undefined) {
    dir = await mkdtemp(join(tmpdir(), "dbt-unskip-runner-"));
    madeRunnerDirs.add(dir);
  }
  const runnerTemp = join(dir, "runner-temp");
  await mkdir(runnerTemp, { recursive: true });
  const files = { event: join(dir, "event.json"), output: join(dir, "output"), summary: join(dir, "summary.md") };
  await writeFile(files.event, JSON.stringify(options.payload));
  await writeFile(files.output, "");
  await writeFile(files.summary, "");
  const env: Record<string, string> = {
    // PATH and HOME, and the suite's shared dbt fork servers (forkServerSetup.ts).
    ...bundleEnvironment(),
    GITHUB_ACTIONS: "true",
    GITHUB_EVENT_NAME: options.eventName,
    GITHUB_EVENT_PATH: files.event,
    GITHUB_REPOSITORY: `${OWNER}/${REPO}`,
    GITHUB_WORKSPACE: options.workspace,
    GITHUB_API_URL: options.gh.url,
    GITHUB_GRAPHQL_URL: `${options.gh.url}/graphql`,
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    RUNNER_TEMP: runnerTemp,
  };
  // Every declared input, as the runner passes them: defaults unless the test says otherwise.
  const { parse } = await import("yaml");
  const action = parse(await readFile(join(REPO_ROOT, "action.yml"), "utf8")) as { inputs: Record<string, { default: string }> };
  for (const [name, input] of Object.entries(action.inputs)) env[`INPUT_${name.toUpperCase()}`] = input.default.includes("${{") ? "" : input.default;
  env["INPUT_GITHUB-WRITE-SPACING"] = options.spaceWrites ? "github" : "none";
  for (const [name, value] of Object.entries(options.inputs ?? {})) env[`INPUT_${name.toUpperCase()}`] = value;
  const before = options.gh.requests.length;
  let hung: string | null = null;
  const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    let watchdog: NodeJS.Timeout | undefined;
    const child = execFile(process.execPath, [options.bundle ?? join(REPO_ROOT, "dist", "index.js")], { cwd: options.workspace, env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 }, (error, out, err) => {
      clearTimeout(watchdog);
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout: out, stderr: err });
    });
    const hangMs = options.hangMs;
    if (hangMs !== undefined && child.pid !== undefined) {
      const pid = child.pid;
      watchdog = setTimeout(() => {
        hung = `the Action had not ended after ${hangMs / 1000} s; still running:\n${describeProcessTrees([pid, ...forkServersOf(REPO_ROOT)])}`;
        // Its children first (a dbt fork client's end makes the server end the dbt it forked).
        for (const below of descendantsOf([pid]).reverse()) {
          try {
            process.kill(below, "SIGKILL");
          } catch {
            /* already gone */
          }
        }
      }, hangMs);
    }
    options.started?.(child);
  });
  if (hung !== null) throw new Error(`${hung}\nthe Action's stdout:\n${stdout.slice(-8000)}\nits stderr:\n${stderr.slice(-8000)}`);
  const requests = options.gh.requests.slice(before);
  const summary = await readFile(files.summary, "utf8");
  if (options.checkRendered !== false) await expectRendered(summary, requests);
  return { code, stdout, stderr, outputs: parseOutputs(await readFile(files.output, "utf8")), summary, calls: callList(requests), requests };
}

/** The job summary and every Markdown body the run sent (comments, issues, pull requests), as GitHub renders them. */
async function expectRendered(summary: string, requests: readonly RecordedRequest[]): Promise<void> {
  const rendered = [{ what: "job summary", text: summary }];
  for (const r of requests) {
    const body = (r.body as { body?: unknown } | null | undefined)?.body;
    if (typeof body === "string" && (r.method === "POST" || r.method === "PATCH")) rendered.push({ what: `${r.method} ${r.path}`, text: body });
  }
  const problems: string[] = [];
  for (const { what, text } of rendered) {
    const found = gfmProblems(text);
    problems.push(...found.problems.map((p) => `${what}: ${p}`));
    for (const diagram of found.mermaid) await parseMermaid(diagram).catch((error: Error) => problems.push(`${what}: ${error.message.slice(0, 300)}`));
  }
  if (problems.length > 0) throw new Error(`what the run rendered is not well-formed:\n${problems.join("\n")}`);
}

function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  for (const match of text.matchAll(/^([^\n<]+)<<(\S+)\n([\s\S]*?)\n\2$/gm)) outputs[match[1]!] = match[3]!;
  return outputs;
}
