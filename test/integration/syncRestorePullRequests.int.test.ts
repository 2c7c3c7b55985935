import { chmod, copyFile, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { findDbt, type DbtInstallation } from "../../src/adapters/dbt/findDbt.js";
import { createDiskFileSource } from "../../src/adapters/files/diskFileSource.js";
import { gitRemote } from "../../src/adapters/git/gitRemote.js";
import { runGit } from "../../src/adapters/git/runGit.js";
import { createOctokit } from "../../src/adapters/github/createOctokit.js";
import { restorePullRequests } from "../../src/adapters/github/restorePullRequests.js";
import { RESTORE_PR_MARKER } from "../../src/core/render/renderRestorePullRequest.js";
import { computeStatus } from "../../src/usecases/computeStatus.js";
import { loadConfig } from "../../src/usecases/loadConfig.js";
import { syncRestorePullRequests } from "../../src/usecases/syncRestorePullRequests.js";
import { createTestRepo, type TestRepo } from "../helpers/gitRepo.js";
import { startGitHubStandIn, type GitHubStandIn } from "../helpers/githubStandIn.js";
import { EXAMPLE_DIR, REPO_ROOT } from "../helpers/scratchExample.js";

// The push path with real dbt, real git (a bare remote) and GitHub answered at the HTTP layer.
const OWNER = "acme";
const REPO = "warehouse";
const BOT = "github-actions[bot]";
const PULLS = `/repos/${OWNER}/${REPO}/pulls`;

let dbt: DbtInstallation;
let github: GitHubStandIn;
let repo: TestRepo;
let base: string;

beforeAll(async () => {
  dbt = await findDbt({ repoRoot: REPO_ROOT });
  github = await startGitHubStandIn();
});
afterAll(() => github.close());
beforeEach(async () => {
  repo = await createTestRepo(EXAMPLE_DIR);
  await copyFile(join(repo.dir, "upstream/silver/master/mas_contracts.sql"), join(repo.dir, "dbt/transform/silver/master/mas_contracts.sql"));
  base = await repo.commit("dim_contract: add mas_contracts");
  await repo.git("push", "-q", "origin", "main");
});
afterEach(async () => {
  github.assertDone();
  await repo.cleanup();
});

function pull(number: number, branch: string, body: string, login = BOT) {
  return { number, title: `restore ${branch}`, body, html_url: `https://github.test/${OWNER}/${REPO}/pull/${number}`, head: { ref: branch, repo: { full_name: `${OWNER}/${REPO}` } }, user: { login } };
}

async function sync(dimension?: string) {
  const files = createDiskFileSource(repo.dir);
  const config = await loadConfig(files);
  const { reports } = await computeStatus({ files, config });
  const octokit = createOctokit({ token: "t", baseUrl: github.url, serverErrorRetries: 0, rateLimitRetries: 0, waitUnitMs: 1 });
  return syncRestorePullRequests({
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
    progress: () => {},
    dimension,
    workflowToken: true,
  });
}

const remoteHead = async (branch: string) => (await runGit(repo.remote, ["rev-parse", "--verify", "--quiet", `refs/heads/${branch}`], { allowFailure: true })).stdout.trim();

describe("restore pull requests after a merge", () => {
  it("creates the branch and the PR, then a rerun on the same commit runs nothing and writes nothing", async () => {
    let created: { body: string; title: string } | null = null;
    github.expect(
      { method: "GET", path: PULLS, query: { state: "open", per_page: "100" }, response: [] },
      {
        method: "POST",
        path: PULLS,
        body: (b: unknown) => {
          created = b as { body: string; title: string };
          return (b as { head: string; base: string }).head === "migrate/dim_user" && (b as { base: string }).base === "main";
        },
        status: 201,
        response: pull(7, "migrate/dim_user", "(body)"),
      },
    );
    const first = await sync("dim_user");
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
    github.assertDone();

    // Same commit again: one read, no dbt, no push, no write.
    github.expect({ method: "GET", path: PULLS, query: { state: "open", per_page: "100" }, response: [pull(7, "migrate/dim_user", created!.body)] });
    const requestsBefore = github.requests.length;
    const second = await sync("dim_user");
    expect(second.dimensions.map((d) => [d.action, d.outcome])).toEqual([["unchanged", null]]);
    expect(github.requests.length - requestsBefore).toBe(1);
    expect(await remoteHead("migrate/dim_user")).toBe(pushed);
  });

  it("a human commit on the tool's branch stops force-pushes and says so in the PR", async () => {
    github.expect(
      { method: "GET", path: PULLS, query: { state: "open", per_page: "100" }, response: [] },
      { method: "POST", path: PULLS, status: 201, response: pull(8, "migrate/dim_user", "(body)") },
    );
    await sync("dim_user");
    github.assertDone();
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
      { method: "GET", path: PULLS, query: { state: "open", per_page: "100" }, response: [pull(8, "migrate/dim_user", `${RESTORE_PR_MARKER}\nbody`)] },
      { method: "PATCH", path: `${PULLS}/8`, body: (b: unknown) => ((patched = (b as { body: string }).body), true), response: pull(8, "migrate/dim_user", "x") },
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
      { method: "POST", path: PULLS, status: 422, response: { message: "Validation Failed", errors: [{ message: "A pull request already exists for acme:migrate/dim_user." }] } },
      { method: "GET", path: PULLS, query: { state: "open", head: "acme:migrate/dim_user", per_page: "10" }, response: [pull(9, "migrate/dim_user", "old body")] },
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
    github.expect(
      { method: "GET", path: PULLS, query: { state: "open", per_page: "100" }, response: [] },
      { method: "POST", path: PULLS, status: 201, response: pull(11, "migrate/dim_product", "(body)") },
    );
    const retried = await sync("dim_product");
    expect(retried.dimensions.map((d) => [d.action, d.pr, d.error])).toEqual([["created", 11, null]]);
    expect(await repo.git("branch", "--list", "migrate/dim_product")).toBe("");
  });

  it("closes the tool's restore PRs whose dimension has nothing ready, and never a person's", async () => {
    // Every paused model was restored by hand: nothing is ready anywhere.
    for (const file of (await repo.git("ls-files", "*.skip")).trim().split("\n")) await repo.git("rm", "-q", file);
    base = await repo.commit("restore everything by hand");
    const open = [
      pull(3, "migrate/dim_account", `${RESTORE_PR_MARKER}\nold`),
      pull(4, "migrate/dim_gone", `${RESTORE_PR_MARKER}\nold`, "a-person"),
      pull(5, "feature/x", "not ours"),
    ];
    // A run restricted to one dimension never closes other dimensions' PRs.
    github.expect({ method: "GET", path: PULLS, query: { state: "open", per_page: "100" }, response: open });
    expect(await sync("dim_user")).toEqual({ dimensions: [], closed: [] });
    github.assertDone();

    github.expect(
      { method: "GET", path: PULLS, query: { state: "open", per_page: "100" }, response: open },
      { method: "POST", path: `/repos/${OWNER}/${REPO}/issues/3/comments`, body: (b: unknown) => /^Closing: dim_account has no paused model ready/.test((b as { body: string }).body), status: 201, response: { id: 1 } },
      { method: "PATCH", path: `${PULLS}/3`, body: { state: "closed" }, response: pull(3, "migrate/dim_account", "x") },
    );
    const result = await sync();
    expect(result).toEqual({ dimensions: [], closed: [{ number: 3, dimension: "dim_account" }] });
  });
});
