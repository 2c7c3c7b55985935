import { rm } from "node:fs/promises";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { DbtInstallation } from "../../src/adapters/dbt/findDbt.js";
import { createDiskFileSource } from "../../src/adapters/files/diskFileSource.js";
import { gitRemote } from "../../src/adapters/git/gitRemote.js";
import { runGit } from "../../src/adapters/git/runGit.js";
import { createOctokit } from "../../src/adapters/github/createOctokit.js";
import { restorePullRequests } from "../../src/adapters/github/restorePullRequests.js";
import { computeStatus } from "../../src/usecases/computeStatus.js";
import { loadConfig } from "../../src/usecases/loadConfig.js";
import { syncRestorePullRequests } from "../../src/usecases/syncRestorePullRequests.js";
import { fakeDbt, scriptDir } from "../helpers/fakeTools.js";
import type { TestRepo } from "../helpers/gitRepo.js";
import { startGitHubStandIn } from "../helpers/githubStandIn.js";
import { BOT, mergedExample, OWNER, PULLS, pull, REPO } from "../helpers/restorePullRequestRepo.js";
import { treeFingerprint } from "../helpers/treeFingerprint.js";
import { useStandIn } from "../helpers/useStandIn.js";
import { localTreePorts } from "../../src/adapters/localTreePorts.js";

// RELIABILITY 36: the Action's push run (restore PRs opened) leaves the runner's checkout as it found
// it: branch, HEAD, index and working tree. Real git with a bare remote, GitHub at the HTTP layer,
// a dbt that accepts everything (the checkout is under test, not dbt).
const github = useStandIn(startGitHubStandIn);
let dbt: DbtInstallation;
let repo: TestRepo;
let base: string;
let scripts: string;
beforeAll(async () => {
  scripts = await scriptDir();
  dbt = await fakeDbt(scripts, "dbt-accepts");
});
afterAll(() => rm(scripts, { recursive: true, force: true }));
beforeEach(async () => {
  ({ repo, base } = await mergedExample());
});
afterEach(() => repo.cleanup());

async function pushRun(): Promise<void> {
  github.expect(
    { method: "GET", path: PULLS, query: { state: "open", per_page: "100" }, response: [] },
    {
      method: "POST",
      path: PULLS,
      status: 201,
      response: pull(7, "migrate/dim_user", "b"),
    },
  );
  const files = createDiskFileSource(repo.dir);
  const config = await loadConfig(files);
  const { reports } = await computeStatus({ files, config });
  const result = await syncRestorePullRequests({
    ...localTreePorts,
    root: repo.dir,
    config,
    report: reports[0]!,
    baseBranch: "main",
    baseCommit: base,
    dbt,
    prs: restorePullRequests(createOctokit({ token: "t", baseUrl: github.url, serverErrorRetries: 0, rateLimitRetries: 0, waitUnitMs: 1 }), { owner: OWNER, repo: REPO }, BOT),
    remote: gitRemote(repo.dir),
    today: "2026-11-21",
    timeoutMs: 60_000,
    progress: () => {},
    dimension: "dim_user",
    workflowToken: true,
  });
  expect(result.dimensions.map((d) => [d.dimension, d.action, d.pr])).toEqual([["dim_user", "created", 7]]);
  expect((await runGit(repo.remote, ["rev-parse", "migrate/dim_user^"])).stdout.trim()).toBe(base);
}

describe("the checkout after a push run that opened a restore PR", () => {
  it("on a branch (as actions/checkout leaves a push): still on it, same HEAD, index and working tree", async () => {
    const before = await treeFingerprint(repo.dir);
    await pushRun();
    expect((await repo.git("symbolic-ref", "HEAD")).trim()).toBe("refs/heads/main");
    expect(await treeFingerprint(repo.dir)).toEqual(before);
  });

  it("detached (as actions/checkout leaves a pull request or a sha): still detached at the same commit", async () => {
    await repo.git("switch", "-q", "--detach", base);
    const before = await treeFingerprint(repo.dir);
    await pushRun();
    expect((await runGit(repo.dir, ["symbolic-ref", "-q", "HEAD"], { allowFailure: true })).code).not.toBe(0);
    expect(await treeFingerprint(repo.dir)).toEqual(before);
  });
});
