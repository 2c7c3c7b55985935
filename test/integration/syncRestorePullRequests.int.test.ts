import { execFileSync } from "node:child_process";
import { chmod, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { findDbt, type DbtInstallation } from "../../src/adapters/dbt/findDbt.js";
import { createDiskFileSource } from "../../src/adapters/files/diskFileSource.js";
import { gitRemote } from "../../src/adapters/git/gitRemote.js";
import { runGit } from "../../src/adapters/git/runGit.js";
import { createOctokit } from "../../src/adapters/github/createOctokit.js";
import { restorePullRequests } from "../../src/adapters/github/restorePullRequests.js";
import { renderPlanForPullRequest } from "../../src/core/plan/renderPlanForPullRequest.js";
import { RESTORE_PR_MARKER } from "../../src/core/render/renderRestorePullRequest.js";
import { computeStatus } from "../../src/usecases/computeStatus.js";
import { loadConfig } from "../../src/usecases/loadConfig.js";
import { planDimension } from "../../src/usecases/planDimension.js";
import { syncRestorePullRequests } from "../../src/usecases/syncRestorePullRequests.js";
import { copyTestRepo, type TestRepo } from "../helpers/gitRepo.js";
import { startGitHubStandIn } from "../helpers/githubStandIn.js";
import { alreadyExists, BOT, mergedExample, OWNER, PULLS, pull, REPO } from "../helpers/restorePullRequestRepo.js";
import { REPO_ROOT } from "../helpers/scratchExample.js";
import { useStandIn } from "../helpers/useStandIn.js";
import { localTreePorts } from "../../src/adapters/localTreePorts.js";

// The push path with real dbt, real git (a bare remote) and GitHub answered at the HTTP layer.
const github = useStandIn(startGitHubStandIn);
let dbt: DbtInstallation;
let repo: TestRepo;
let base: string;

/**
 * The first run after the merge, made once (beforeAll) and only read: GitHub said no PR was open,
 * the tool restored dim_user, pushed migrate/dim_user and created PR 7. The tests that start from
 * there work on their own copy of its repository (clone and remote).
 */
let firstRun: { repo: TestRepo; base: string; result: Awaited<ReturnType<typeof sync>>; created: { body: string; title: string } | null; headAndBase: boolean };

beforeAll(async () => {
  dbt = await findDbt({ repoRoot: REPO_ROOT });
  ({ repo, base } = await mergedExample());
  let created: { body: string; title: string } | null = null;
  let headAndBase = false;
  github.expect(
    { method: "GET", path: PULLS, query: { state: "open", per_page: "100" }, response: [] },
    {
      method: "POST",
      path: PULLS,
      body: (b: unknown) => {
        created = b as { body: string; title: string };
        headAndBase = (b as { head: string; base: string }).head === "migrate/dim_user" && (b as { base: string }).base === "main";
        return true;
      },
      status: 201,
      response: pull(7, "migrate/dim_user", "(body)"),
    },
  );
  const result = await sync("dim_user");
  github.assertDone();
  firstRun = { repo, base, result, created, headAndBase };
});
afterAll(() => firstRun?.repo.cleanup());
beforeEach(async () => {
  ({ repo, base } = await mergedExample());
});
afterEach(() => repo.cleanup());

/** This test's own copy of the repository the first run left (see firstRun). */
async function afterFirstRun(): Promise<void> {
  await repo.cleanup();
  repo = await copyTestRepo(firstRun.repo);
  base = firstRun.base;
}

/** GitHub answers that no PR is open, then creates PR `number` for migrate/dim_user; returns what the tool sent as the body. */
function expectCreated(number: number): () => string {
  let body = "";
  github.expect(
    { method: "GET", path: PULLS, query: { state: "open", per_page: "100" }, response: [] },
    {
      method: "POST",
      path: PULLS,
      body: (b: unknown) => {
        body = (b as { body: string }).body;
        return true;
      },
      status: 201,
      response: pull(number, "migrate/dim_user", "(body)"),
    },
  );
  return () => body;
}

type SyncInput = Parameters<typeof syncRestorePullRequests>[0];

async function sync(dimension?: string, extraSections?: SyncInput["extraSections"], progress: (line: string) => void = () => {}, more: Partial<SyncInput> = {}) {
  const files = createDiskFileSource(repo.dir);
  const config = await loadConfig(files);
  const { reports } = await computeStatus({ files, config });
  const octokit = createOctokit({ token: "t", baseUrl: github.url, serverErrorRetries: 0, rateLimitRetries: 0, waitUnitMs: 0, spaceWrites: false });
  return syncRestorePullRequests({
    ...localTreePorts,
    root: repo.dir,
    config,
    report: reports[0]!,
    baseBranch: "main",
    baseCommit: base,
    dbt,
    prs: restorePullRequests(octokit, { owner: OWNER, repo: REPO }, BOT),
    remote: gitRemote(repo.dir),
    today: "2026-11-21",
    timeoutMs: 300_000,
    progress,
    dimension,
    workflowToken: true,
    extraSections,
    ...more,
  });
}

const remoteHead = async (branch: string) => (await runGit(repo.remote, ["rev-parse", "--verify", "--quiet", `refs/heads/${branch}`], { allowFailure: true })).stdout.trim();

describe("restore pull requests after a merge", () => {
  it("a secret that reaches dbt's error text is redacted in the PR body and the result (RELIABILITY 15)", async () => {
    const SECRET = "hunter2-not-for-github";
    // A ready model of dim_user whose parse fails with a message quoting a passed-through credential.
    await repo.write("dbt/transform/gold/f_leaky.sql.skip", "{{ config(tags=['dim_user']) }}\n{{ exceptions.raise_compiler_error('cannot log in with ' ~ env_var('WAREHOUSE_PASSWORD', 'none')) }}\nselect 1 as x\n");
    base = await repo.commit("A paused model whose error quotes a credential");
    await repo.git("push", "-q", "origin", "main");
    const body = expectCreated(9);
    process.env.WAREHOUSE_PASSWORD = SECRET;
    try {
      const result = await sync("dim_user", undefined, () => {}, { dbtOptions: { extraEnv: ["WAREHOUSE_PASSWORD"] }, secrets: [SECRET] });
      expect(result.dimensions.map((d) => [d.action, d.pr])).toEqual([["created", 9]]);
      // The model was re-skipped with dbt's reason, and the reason is in the body without the value.
      expect(body()).toContain("f_leaky.sql");
      expect(body()).toContain("cannot log in with");
      expect(body()).not.toContain(SECRET);
      expect(JSON.stringify(result)).not.toContain(SECRET);
    } finally {
      delete process.env.WAREHOUSE_PASSWORD;
    }
  });

  it("a migration plan that cannot be made never holds the PR back: the body says so in a note", async () => {
    const body = expectCreated(8);
    const rooms: number[] = [];
    const result = await sync("dim_user", async (outcome, { room }) => {
      rooms.push(room);
      // Called with the restore committed and its branch checked out.
      expect((await repo.git("log", "-1", "--format=%s")).startsWith(`resume: ${outcome.dimension} migration (`)).toBe(true);
      throw new Error("dbt parse timed out");
    });
    expect(result.dimensions.map((d) => [d.action, d.pr, d.error])).toEqual([["created", 8, null]]);
    expect(rooms).toHaveLength(1);
    expect(rooms[0]).toBeGreaterThan(60_000);
    expect(rooms[0]).toBeLessThan(65_536);
    expect(body()).toContain("> [!NOTE]\n> The migration plan could not be made here; on this branch, `dbt-unskip plan --dimension dim_user --restored` shows it.");
    expect((await repo.git("rev-parse", "HEAD")).trim()).toBe(base);
  });

  it("the plan in the PR body takes the restore's own manifest, and is the plan its own parse of the branch makes", async () => {
    const body = expectCreated(7);
    let rendered = "";
    const result = await sync("dim_user", async (outcome, { room, proven }) => {
      // The restore's last parse had exactly the committed files restored: its manifest is handed on.
      expect(proven).not.toBeNull();
      expect(proven!.commit).toBe(outcome.commit!.sha);
      const config = await loadConfig(createDiskFileSource(repo.dir));
      const common = { root: repo.dir, config, dimension: outcome.dimension, basis: "restored" as const, dbt: { dbt, timeoutMs: 300_000 }, secrets: [] };
      const reusedLines: string[] = [];
      const reused = await planDimension({ ...localTreePorts, ...common, proven, progress: (line) => reusedLines.push(line) });
      expect(reusedLines.some((l) => l.startsWith("dbt parse"))).toBe(false);
      const parsedLines: string[] = [];
      const parsed = await planDimension({ ...localTreePorts, ...common, progress: (line) => parsedLines.push(line) });
      expect(parsedLines.some((l) => l.startsWith("dbt parse"))).toBe(true);
      // The manifest shapes the plan (adapter, models), so a wrong one could not pass unseen.
      expect(parsed.models.length).toBeGreaterThan(0);
      expect(parsed.adapter).not.toBeNull();
      expect(reused).toEqual(parsed);
      expect(renderPlanForPullRequest(reused, { room })).toBe(renderPlanForPullRequest(parsed, { room }));
      // A tree that is no longer the proof's (a file added to the project) is parsed again.
      await writeFile(join(repo.dir, "dbt/transform/gold/f_added_later.sql"), "select 1 as x\n");
      const changedLines: string[] = [];
      await planDimension({ ...localTreePorts, ...common, proven, progress: (line) => changedLines.push(line) });
      expect(changedLines.some((l) => l.startsWith("dbt parse"))).toBe(true);
      await rm(join(repo.dir, "dbt/transform/gold/f_added_later.sql"));
      rendered = renderPlanForPullRequest(reused, { room });
      return [rendered];
    });
    expect(result.dimensions.map((d) => [d.action, d.pr, d.error])).toEqual([["created", 7, null]]);
    expect(rendered).not.toBe("");
    expect(body()).toContain(rendered);
  });

  it("creates the branch and the PR, then a rerun on the same commit runs nothing and writes nothing", async () => {
    // The first run (made once, see firstRun); this test reads it, then reruns in its own copy.
    await afterFirstRun();
    const first = firstRun.result;
    const created = firstRun.created as { body: string; title: string } | null;
    expect(firstRun.headAndBase).toBe(true);
    expect(first.dimensions.map((d) => [d.dimension, d.action, d.pr, d.error])).toEqual([["dim_user", "created", 7, null]]);
    const pushed = await remoteHead("migrate/dim_user");
    expect(pushed).not.toBe("");
    expect((await runGit(repo.remote, ["rev-parse", `${pushed}^`])).stdout.trim()).toBe(base);
    expect(created!.title).toBe("dbt-unskip: restore 3 paused models of dim_user");
    expect(created!.body.startsWith(`${RESTORE_PR_MARKER}\n<!-- dbt-unskip:dimension:dim_user -->\n`)).toBe(true);
    expect(created!.body).toContain("| `mas_user_contracts` | `dbt/transform/silver/master/mas_user_contracts.sql` | needed by d_user |");
    expect(created!.body).toContain("git mv -- 'dbt/transform/gold/d_user.sql' 'dbt/transform/gold/d_user.sql.skip'");
    expect(created!.body).toContain("GitHub does not start other workflows for it");
    // The runner's checkout is back on the commit it was given, clean, without the local branch.
    expect((await repo.git("rev-parse", "HEAD")).trim()).toBe(base);
    expect(await repo.git("status", "--porcelain")).toBe("");
    expect(await repo.git("branch", "--list", "migrate/dim_user")).toBe("");

    // Same commit again: one read, no dbt, no push, no write.
    github.expect({ method: "GET", path: PULLS, query: { state: "open", per_page: "100" }, response: [pull(7, "migrate/dim_user", created!.body)] });
    const requestsBefore = github.requests.length;
    const second = await sync("dim_user");
    expect(second.dimensions.map((d) => [d.action, d.outcome])).toEqual([["unchanged", null]]);
    expect(github.requests.length - requestsBefore).toBe(1);
    expect(await remoteHead("migrate/dim_user")).toBe(pushed);
  });

  it("a human commit on the tool's branch stops force-pushes and says so in the PR", async () => {
    // The tool's branch and PR as the first run left them (made once, see firstRun): this test's own copy.
    await afterFirstRun();
    // A person adds a commit to the branch.
    await repo.git("fetch", "-q", "origin", "migrate/dim_user");
    await repo.git("switch", "-q", "-c", "person", "FETCH_HEAD");
    await repo.write("dbt/transform/gold/d_user.sql", "-- reviewed by a person\nselect 1 as user_id\n");
    const human = await repo.commit("tweak d_user by hand");
    await repo.git("push", "-q", "origin", "person:migrate/dim_user");
    await repo.git("switch", "-q", "--detach", base);
    // The default branch moves on, so the tool would otherwise rebuild the branch.
    await repo.write("README.md", "moved on\n");
    base = await repo.commit("unrelated change on main");
    await repo.git("push", "-q", "origin", "HEAD:main");

    let patched = "";
    github.expect(
      { method: "GET", path: PULLS, query: { state: "open", per_page: "100" }, response: [pull(7, "migrate/dim_user", `${RESTORE_PR_MARKER}\nbody`)] },
      {
        method: "PATCH",
        path: `${PULLS}/7`,
        body: (b: unknown) => {
          patched = (b as { body: string }).body;
          return true;
        },
        response: pull(7, "migrate/dim_user", "x"),
      },
    );
    const result = await sync("dim_user");
    expect(result.dimensions.map((d) => d.action)).toEqual(["human-commits"]);
    expect(await remoteHead("migrate/dim_user")).toBe(human);
    expect(patched).toContain(`This branch has commits that dbt-unskip did not make (${human.slice(0, 12)}), so the tool no longer updates it.`);
  });

  it("two runs racing on one branch: the loser's push fails cleanly, and a rerun converges", async () => {
    // Another run pushed the branch after this one looked (it saw no branch).
    await repo.git("push", "-q", "origin", `${base}:refs/heads/migrate/dim_user`);
    await repo.git("switch", "-q", "--detach", base);
    await repo.commit("this run's restore commit");
    const lease = await gitRemote(repo.dir).pushWithLease("migrate/dim_user", null);
    await repo.git("switch", "-q", "--detach", base);
    expect(lease.ok).toBe(false);
    expect(!lease.ok && lease.reason).toMatch(/stale info|rejected|already exists/);
    expect(await remoteHead("migrate/dim_user")).toBe(base);

    // The rerun sees the branch, takes it over with the lease it read, and opens the PR.
    github.expect(
      { method: "GET", path: PULLS, query: { state: "open", per_page: "100" }, response: [] },
      alreadyExists(PULLS),
      { method: "GET", path: PULLS, query: { state: "open", head: "acme:migrate/dim_user", per_page: "10" }, response: [pull(9, "migrate/dim_user", `${RESTORE_PR_MARKER}\nold body`)] },
      { method: "PATCH", path: `${PULLS}/9`, response: pull(9, "migrate/dim_user", "new") },
    );
    const result = await sync("dim_user");
    expect(result.dimensions.map((d) => [d.action, d.pr, d.error])).toEqual([["updated", 9, null]]);
    expect((await runGit(repo.remote, ["rev-parse", "migrate/dim_user^"])).stdout.trim()).toBe(base);
  });

  it("a push that fails: the error is reported, the local branch kept, no PR write; the next run converges", async () => {
    const hook = join(repo.remote, "hooks", "pre-receive");
    await writeFile(hook, "#!/bin/sh\necho 'remote: refused by test hook' >&2\nexit 1\n");
    await chmod(hook, 0o755);
    github.expect({ method: "GET", path: PULLS, query: { state: "open", per_page: "100" }, response: [] });
    const before = github.requests.length;
    const failed = await sync("dim_product");
    expect(failed.dimensions.map((d) => [d.action, d.pr])).toEqual([["failed", null]]);
    expect(failed.dimensions[0]!.error).toMatch(/^push of migrate\/dim_product failed; the local branch is kept and the next run retries: .*pre-receive hook declined/);
    expect(github.requests.slice(before).filter((r) => r.method !== "GET")).toEqual([]);
    expect((await repo.git("branch", "--list", "migrate/dim_product")).trim()).toBe("migrate/dim_product");
    expect(await remoteHead("migrate/dim_product")).toBe("");
    github.assertDone();

    await rm(hook);
    github.expect({ method: "GET", path: PULLS, query: { state: "open", per_page: "100" }, response: [] }, { method: "POST", path: PULLS, status: 201, response: pull(11, "migrate/dim_product", "(body)") });
    const retried = await sync("dim_product");
    expect(retried.dimensions.map((d) => [d.action, d.pr, d.error])).toEqual([["created", 11, null]]);
    expect(await repo.git("branch", "--list", "migrate/dim_product")).toBe("");
  });

  it("the default branch moves while the restore runs: nothing pushed, no PR write, the local branch kept; the next run converges", async () => {
    // Someone merges to main on the remote while dbt runs (the progress line comes just before it).
    // Synchronous on purpose: the move has happened before the restore goes on, whatever the load.
    let moved = "";
    const progress = (line: string) => {
      if (moved || line !== "dim_user: restoring on migrate/dim_user") return;
      const env = { ...process.env, GIT_AUTHOR_NAME: "Other Person", GIT_AUTHOR_EMAIL: "other@example.com", GIT_COMMITTER_NAME: "Other Person", GIT_COMMITTER_EMAIL: "other@example.com" };
      moved = execFileSync("git", ["commit-tree", `${base}^{tree}`, "-p", base, "-m", "Merge pull request #13"], { cwd: repo.remote, env, encoding: "utf8" }).trim();
      execFileSync("git", ["update-ref", "refs/heads/main", moved, base], { cwd: repo.remote });
    };
    github.expect({ method: "GET", path: PULLS, query: { state: "open", per_page: "100" }, response: [] });
    const before = github.requests.length;
    const held = await sync("dim_user", undefined, progress);
    expect(moved).not.toBe("");
    expect(held.dimensions.map((d) => [d.action, d.pr, d.outcome?.result, d.error])).toEqual([
      [
        "base-moved",
        null,
        "restored",
        `not pushing migrate/dim_user: the base branch main moved from ${base.slice(0, 12)} to ${moved.slice(0, 12)} while the restore ran; the local branch is kept and the next run rebuilds it`,
      ],
    ]);
    // Nothing reached the remote, nothing was written to GitHub.
    expect((await runGit(repo.remote, ["for-each-ref", "--format=%(refname) %(objectname)", "refs/heads"])).stdout).toBe(`refs/heads/main ${moved}\n`);
    expect(github.requests.slice(before).filter((r) => r.method !== "GET")).toEqual([]);
    github.assertDone();
    // The restore stays on the local branch (built on the old base); the checkout is back on it, clean.
    expect((await repo.git("rev-parse", "migrate/dim_user^")).trim()).toBe(base);
    expect((await repo.git("rev-parse", "HEAD")).trim()).toBe(base);
    expect(await repo.git("status", "--porcelain")).toBe("");

    // The run for the new head (checked out as actions/checkout does) rebuilds it and opens the PR.
    await repo.git("fetch", "-q", "origin", "main");
    await repo.git("switch", "-q", "--detach", moved);
    base = moved;
    github.expect({ method: "GET", path: PULLS, query: { state: "open", per_page: "100" }, response: [] }, { method: "POST", path: PULLS, status: 201, response: pull(12, "migrate/dim_user", "(body)") });
    const next = await sync("dim_user");
    expect(next.dimensions.map((d) => [d.action, d.pr, d.error])).toEqual([["created", 12, null]]);
    expect((await runGit(repo.remote, ["rev-parse", "migrate/dim_user^"])).stdout.trim()).toBe(moved);
    expect(await repo.git("branch", "--list", "migrate/dim_user")).toBe("");
  });

  it("closes the tool's restore PRs whose dimension has nothing ready, and never a person's", async () => {
    // Every paused model was restored by hand: nothing is ready anywhere.
    for (const file of (await repo.git("ls-files", "*.skip")).trim().split("\n")) await repo.git("rm", "-q", file);
    base = await repo.commit("restore everything by hand");
    const open = [pull(3, "migrate/dim_account", `${RESTORE_PR_MARKER}\nold`), pull(4, "migrate/dim_gone", `${RESTORE_PR_MARKER}\nold`, "a-person"), pull(5, "feature/x", "not ours")];
    // A run restricted to one dimension never closes other dimensions' PRs.
    github.expect({ method: "GET", path: PULLS, query: { state: "open", per_page: "100" }, response: open });
    expect(await sync("dim_user")).toEqual({ dimensions: [], closed: [] });
    github.assertDone();

    github.expect(
      { method: "GET", path: PULLS, query: { state: "open", per_page: "100" }, response: open },
      {
        method: "POST",
        path: `/repos/${OWNER}/${REPO}/issues/3/comments`,
        body: (b: unknown) => /^Closing: dim_account has no paused model ready/.test((b as { body: string }).body),
        status: 201,
        response: { id: 1 },
      },
      { method: "PATCH", path: `${PULLS}/3`, body: { state: "closed" }, response: pull(3, "migrate/dim_account", "x") },
    );
    const result = await sync();
    expect(result).toEqual({ dimensions: [], closed: [{ number: 3, dimension: "dim_account" }] });
  });
});
