import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { copyFile } from "node:fs/promises";
import { join } from "node:path";
import { createTestRepo } from "../helpers/gitRepo.js";
import { startGitHubStandIn, type Expectation, type GitHubStandIn } from "../helpers/githubStandIn.js";
import { createPullRequestRepo } from "../helpers/pullRequestRepo.js";
import { OWNER, pullRequestPayload, pushPayload, REPO } from "../helpers/pullRequestPayload.js";
import { runBundledAction, type BundledRun } from "../helpers/runBundledAction.js";
import { EXAMPLE_DIR } from "../helpers/scratchExample.js";
import type { ApiScenario } from "./apiCallReport.js";
import { parseInvocationLog, summarizeInvocations, writeCountingDbt } from "./dbtInvocationLog.js";

// The GitHub API calls benchmark: the committed Action bundle (dist/index.js) run end to end, as the
// e2e tests run it (test/helpers/runBundledAction.ts: a child `node dist/index.js` with the
// runner's environment, real git, real dbt, GitHub at the HTTP stand-in), on the bundled example.
// Every request the Action makes is recorded by the stand-in and counted here. The stand-in answers
// only the requests each scenario declares, so anything else the Action asks shows up as a problem.
// Its `dbt-command` input (the e2e tests pass the pinned .venv/bin/dbt) is the counting wrapper of
// test/bench/dbtInvocationLog.ts around that same dbt: it runs dbt at the benchmark's niceness (the
// restores are most of the section's time) and says how many times the Action started dbt.

export const REPO_PREFIX = `/repos/${OWNER}/${REPO}`;
const COMMENTS = `${REPO_PREFIX}/issues/7/comments`;
const PULLS = `${REPO_PREFIX}/pulls`;
const BOT = "github-actions[bot]";
const DIMS = ["dim_account", "dim_contract", "dim_product", "dim_user"];

export interface ApiCallsResult {
  scenarios: ApiScenario[];
  totalMs: number;
  /** sha256 (12 hex digits) of the bundle run, and whether it is the one committed at HEAD. */
  bundleHash: string;
  committed: boolean;
}

/**
 * A private copy of dist/index.js: a rebuild of dist/ during the run must not change what is
 * measured halfway through.
 */
function copyBundle(repoRoot: string, work: string): { bundle: string; hash: string; committed: boolean } {
  const source = join(repoRoot, "dist", "index.js");
  const dir = join(work, "action");
  mkdirSync(dir, { recursive: true });
  const bundle = join(dir, "index.js");
  copyFileSync(source, bundle);
  writeFileSync(join(dir, "package.json"), '{ "type": "module" }\n');
  const bytes = readFileSync(bundle);
  let committed = false;
  try {
    // Only hash-object reads standard input: giving rev-parse the 2 MB bundle too ends in EPIPE.
    const git = (args: string[], input?: Buffer) => execFileSync("git", args, { cwd: repoRoot, encoding: "utf8", input }).trim();
    committed = git(["hash-object", "--stdin"], bytes) === git(["rev-parse", "HEAD:dist/index.js"]);
  } catch {
    /* not a git checkout: unknown, reported as not committed */
  }
  return { bundle, hash: createHash("sha256").update(bytes).digest("hex").slice(0, 12), committed };
}

function callsOf(run: BundledRun): string[] {
  return run.requests.map((r) => `${r.method} ${r.path}`);
}

/** Problems of one run: exit code, stderr, requests nobody expected, expected ones never made. */
function problemsOf(run: BundledRun, gh: GitHubStandIn): string[] {
  const problems: string[] = [];
  if (run.code !== 0) problems.push(`exit code ${run.code}: ${(run.stdout.match(/^::error::.*$/m)?.[0] ?? run.stderr).slice(0, 300)}`);
  for (const r of gh.unexpected.splice(0)) problems.push(`unexpected ${r.method} ${r.path}`);
  for (const p of gh.contractProblems.splice(0)) problems.push(`outside GitHub's description: ${p}`);
  for (const e of gh.pending()) problems.push(`expected but not made: ${e.method} ${e.path}`);
  // Forget what is left, so the next scenario starts clean.
  try {
    gh.assertDone();
  } catch {
    /* reported above */
  }
  return problems;
}

interface DbtCounter {
  command: string;
  reset(): void;
  /** `2 parse, 2 compile`: the dbt runs since the last reset. */
  runs(): string;
}

function dbtCounter(work: string, repoRoot: string, nice: number): DbtCounter {
  mkdirSync(work, { recursive: true });
  const log = join(work, "dbt-invocations.log");
  const command = join(work, "dbt-counting");
  writeCountingDbt({ path: command, realDbt: join(repoRoot, ".venv", "bin", "dbt"), log, nice });
  return {
    command,
    reset: () => writeFileSync(log, ""),
    runs: () => {
      const runs = existsSync(log) ? parseInvocationLog(readFileSync(log, "utf8")) : [];
      const text = [...summarizeInvocations(runs.filter((r) => r.command !== "--version"))].map(([c, s]) => `${s.count} ${c}`).join(", ");
      return text || "none";
    },
  };
}

export async function runApiScenarios(input: { repoRoot: string; work: string; nice: number; log: (message: string) => void }): Promise<ApiCallsResult> {
  const started = Date.now();
  const gh = await startGitHubStandIn();
  const scenarios: ApiScenario[] = [];
  const dbt = dbtCounter(input.work, input.repoRoot, input.nice);
  const { bundle, hash, committed } = copyBundle(input.repoRoot, input.work);
  try {
    await pullRequestScenarios(gh, scenarios, bundle, input.log);
    await pushScenarios(gh, scenarios, bundle, dbt, input.log);
  } finally {
    await gh.close();
  }
  return { scenarios, totalMs: Date.now() - started, bundleHash: hash, committed };
}

async function pullRequestScenarios(gh: GitHubStandIn, scenarios: ApiScenario[], bundle: string, log: (message: string) => void): Promise<void> {
  const pr = await createPullRequestRepo();
  try {
    const inputs = { token: "ghs_bench" };
    const run = async (name: string, target: number | null, headSha: string, action: "opened" | "synchronize", expectations: Expectation[], wanted: string, extraInputs: Record<string, string> = {}) => {
      await pr.checkout(headSha);
      gh.expect(...expectations);
      const result = await runBundledAction({
        workspace: pr.repo.dir,
        gh,
        eventName: "pull_request",
        payload: pullRequestPayload({ action, baseSha: pr.base, headSha }),
        inputs: { ...inputs, ...extraInputs },
        bundle,
        checkRendered: false,
        spaceWrites: true,
      });
      const problems = problemsOf(result, gh);
      const got = result.outputs["comment-action"] ?? "(no output)";
      if (got !== wanted) problems.push(`comment-action ${got}, expected ${wanted}`);
      scenarios.push({ name, calls: callsOf(result), target, outcome: `comment-action: ${got}`, problems });
      log(`api: ${name}: ${result.requests.length} requests${problems.length > 0 ? ` (PROBLEMS: ${problems.join("; ")})` : ""}`);
      return result;
    };

    const first = await run(
      "PR readiness comment: first run (opened)",
      null,
      pr.head,
      "opened",
      [
        { method: "GET", path: COMMENTS, response: [] },
        { method: "POST", path: COMMENTS, status: 201, response: { id: 301, html_url: "https://github.test/c/301" } },
      ],
      "created",
    );
    const posted = (first.requests.find((r) => r.method === "POST")?.body as { body?: string } | undefined)?.body ?? "";
    const existing = (body: string) => [{ id: 301, body, user: { login: BOT, type: "Bot" }, html_url: "https://github.test/c/301" }];
    const viewer = { method: "POST", path: "/graphql", response: { data: { viewer: { login: BOT } } } };

    await run("PR readiness comment: rerun, nothing changed", 3, pr.head, "synchronize", [{ method: "GET", path: COMMENTS, response: existing(posted) }, viewer], "unchanged");
    await run("PR readiness comment: rerun, nothing changed, `identity` input set", 3, pr.head, "synchronize", [{ method: "GET", path: COMMENTS, response: existing(posted) }], "unchanged", { identity: BOT });
    await run(
      "PR readiness comment: new commit that changes readiness",
      3,
      pr.head2,
      "synchronize",
      [{ method: "GET", path: COMMENTS, response: existing(posted) }, viewer, { method: "PATCH", path: `${REPO_PREFIX}/issues/comments/301`, response: { id: 301, html_url: "https://github.test/c/301" } }],
      "updated",
    );
  } finally {
    await pr.repo.cleanup();
  }
}

async function pushScenarios(gh: GitHubStandIn, scenarios: ApiScenario[], bundle: string, dbt: DbtCounter, log: (message: string) => void): Promise<void> {
  const repo = await createTestRepo(EXAMPLE_DIR);
  try {
    const inputs = { token: "ghs_bench", identity: BOT, "dbt-command": dbt.command };
    const base = (await repo.git("rev-parse", "HEAD")).trim();
    const land = async (from: string, to: string, message: string) => {
      await copyFile(join(repo.dir, from), join(repo.dir, to));
      const sha = await repo.commit(message);
      // HEAD, not the local main: after the first landing the checkout is detached, as the runner's is.
      await repo.git("push", "-q", "origin", "HEAD:refs/heads/main");
      await repo.git("switch", "-q", "--detach", sha); // as actions/checkout leaves it
      return sha;
    };
    const pulls: { number: number; title: string; body: string; html_url: string; head: { ref: string; repo: { full_name: string } }; user: { login: string } }[] = [];
    const pullOf = (number: number, branch: string, title: string, body: string) => ({
      number,
      title,
      body,
      html_url: `https://github.test/pull/${number}`,
      head: { ref: branch, repo: { full_name: `${OWNER}/${REPO}` } },
      user: { login: BOT },
    });
    const mergedPr = (sha: string, number: number) => ({ method: "GET", path: `${REPO_PREFIX}/commits/${sha}/pulls`, response: [{ number, merged_at: "2026-11-21T05:00:00Z", base: { ref: "main" } }] });
    let mergeComment = "";

    const run = async (name: string, before: string, after: string, expectations: Expectation[], wanted: string[]) => {
      gh.expect(...expectations);
      dbt.reset();
      const t = Date.now();
      const result = await runBundledAction({ workspace: repo.dir, gh, eventName: "push", payload: pushPayload({ before, after }), inputs, bundle, checkRendered: false, spaceWrites: true });
      const seconds = ((Date.now() - t) / 1000).toFixed(1);
      const problems = problemsOf(result, gh);
      let actions: string[] = [];
      try {
        actions = (JSON.parse(result.outputs["restore-prs"] ?? "[]") as { action: string }[]).map((p) => p.action);
      } catch {
        problems.push("restore-prs output is not JSON");
      }
      if (actions.join(",") !== wanted.join(",")) problems.push(`restore PRs ${actions.join(", ") || "none"}, expected ${wanted.join(", ")}`);
      scenarios.push({ name, calls: callsOf(result), target: null, outcome: `restore PRs: ${summarizeActions(actions)}; dbt runs: ${dbt.runs()}`, problems });
      log(`api: ${name}: ${result.requests.length} requests, dbt runs: ${dbt.runs()}, ${seconds} s${problems.length > 0 ? ` (PROBLEMS: ${problems.join("; ")})` : ""}`);
      return result;
    };

    // A merge to main lands mas_contracts: three models of three dimensions become ready, and every
    // dimension gets a restore PR.
    const merge = await land("upstream/silver/master/mas_contracts.sql", "dbt/transform/silver/master/mas_contracts.sql", "Merge pull request #12: land mas_contracts");
    const created = await run(
      "restore PRs: push of a merge to main (created)",
      base,
      merge,
      [
        { method: "GET", path: PULLS, query: { state: "open", per_page: "100" }, response: [] },
        ...DIMS.map((dim, i) => ({
          method: "POST",
          path: PULLS,
          body: (b: unknown) => (b as { head?: string }).head === `migrate/${dim}`,
          status: 201,
          response: pullOf(20 + i, `migrate/${dim}`, `migrate/${dim}`, "<!-- dbt-unskip:restore-pr -->"),
        })),
        mergedPr(merge, 12),
        { method: "GET", path: `${REPO_PREFIX}/issues/12/comments`, query: { per_page: "100", page: "1" }, response: [] },
        {
          method: "POST",
          path: `${REPO_PREFIX}/issues/12/comments`,
          body: (b: unknown) => {
            mergeComment = (b as { body: string }).body;
            return true;
          },
          status: 201,
          response: { id: 5, html_url: "https://github.com/acme/warehouse/x", body: "x", user: { login: BOT } },
        },
      ],
      DIMS.map(() => "created"),
    );
    // GitHub now holds the pull requests the Action opened, with the titles and bodies it sent.
    for (const request of created.requests.filter((r) => r.method === "POST" && r.path === PULLS)) {
      const b = request.body as { head: string; title: string; body: string };
      pulls.push(pullOf(20 + DIMS.indexOf(b.head.replace("migrate/", "")), b.head, b.title, b.body));
    }
    const comment12 = () => [{ id: 5, html_url: "https://github.com/acme/warehouse/x", user: { login: BOT }, body: mergeComment }];

    await run(
      "restore PRs: the same push again (unchanged)",
      base,
      merge,
      [
        { method: "GET", path: PULLS, query: { state: "open", per_page: "100" }, response: pulls },
        mergedPr(merge, 12),
        { method: "GET", path: `${REPO_PREFIX}/issues/12/comments`, query: { per_page: "100", page: "1" }, response: comment12() },
      ],
      DIMS.map(() => "unchanged"),
    );

    // A new commit on main (another merge: bronze.addresses declared, one more dim_user model ready):
    // every restore branch is rebuilt on it and its PR brought up to date.
    const merge2 = await land("upstream/bronze/sources_addresses.yml", "dbt/transform/bronze/sources_addresses.yml", "Merge pull request #13: declare bronze.addresses");
    await run(
      "restore PRs: push of a new base commit (updated)",
      merge,
      merge2,
      [
        { method: "GET", path: PULLS, query: { state: "open", per_page: "100" }, response: pulls },
        ...DIMS.map((_dim, i) => ({ method: "PATCH", path: `${PULLS}/${20 + i}`, response: pulls[i] })),
        mergedPr(merge2, 13),
        { method: "GET", path: `${REPO_PREFIX}/issues/13/comments`, query: { per_page: "100", page: "1" }, response: [] },
        { method: "POST", path: `${REPO_PREFIX}/issues/13/comments`, status: 201, response: { id: 6, html_url: "https://github.com/acme/warehouse/x", body: "x", user: { login: BOT } } },
      ],
      DIMS.map(() => "updated"),
    );
  } finally {
    await repo.cleanup();
  }
}

function summarizeActions(actions: string[]): string {
  if (actions.length === 0) return "none";
  const counts = new Map<string, number>();
  for (const a of actions) counts.set(a, (counts.get(a) ?? 0) + 1);
  return [...counts].map(([a, n]) => `${n} ${a}`).join(", ");
}
