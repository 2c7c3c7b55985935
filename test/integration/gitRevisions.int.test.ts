import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkPullRequestInCheckout } from "../../src/action/checkPullRequestInCheckout.js";
import { parsePullRequestEvent } from "../../src/action/pullRequestEvent.js";
import { runGit } from "../../src/adapters/git/runGit.js";
import { changedFiles, checkoutState, resolveBaseRevision } from "../../src/adapters/git/gitRevisions.js";
import { createTestRepo, type TestRepo } from "../helpers/gitRepo.js";
import { placeMasContracts } from "../helpers/landMasContracts.js";
import { createPullRequestRepo, type PullRequestRepo } from "../helpers/pullRequestRepo.js";
import { pullRequestPayload } from "../helpers/pullRequestPayload.js";
import { EXAMPLE_DIR } from "../helpers/scratchExample.js";

describe("git revisions for the PR path", () => {
  let pr: PullRequestRepo;
  beforeAll(async () => {
    pr = await createPullRequestRepo();
  });
  afterAll(() => pr.repo.cleanup());

  it("changed files as data: added, modified, deleted, renamed, odd names", async () => {
    const repo = await createTestRepo();
    try {
      await repo.write("keep.sql", "select 1\n".repeat(20));
      await repo.write("gone.sql", "select 2");
      await repo.write("edit.sql", "select 3");
      const from = await repo.commit("one");
      await repo.git("mv", "keep.sql", "keep.sql.skip");
      await repo.git("rm", "-q", "gone.sql");
      await repo.write("edit.sql", "select 4");
      await repo.write("a dir/new\nline.sql", "select 5");
      const to = await repo.commit("two");
      expect(await changedFiles(repo.dir, from, to)).toEqual([
        { status: "A", path: "a dir/new\nline.sql" },
        { status: "M", path: "edit.sql" },
        { status: "D", path: "gone.sql" },
        { status: "R", from: "keep.sql", path: "keep.sql.skip" },
      ]);
    } finally {
      await repo.cleanup();
    }
  });

  it("with full history, the merge base: commits that landed on main meanwhile are not the PR's", async () => {
    await pr.repo.git("checkout", "-q", "main");
    await pr.repo.write("dbt/transform/gold/f_main_only.sql", "select 1");
    const mainMoved = await pr.repo.commit("meanwhile on main");
    try {
      await pr.checkout(pr.head);
      const base = await resolveBaseRevision(pr.repo.dir, mainMoved, pr.head);
      expect(base).toEqual({ rev: pr.base, approximate: false, fetched: false });
      expect(await changedFiles(pr.repo.dir, base.rev, pr.head)).toEqual([{ status: "A", path: "dbt/transform/silver/master/mas_contracts.sql" }]);
    } finally {
      await pr.repo.git("checkout", "-q", "main");
      await pr.repo.git("reset", "-q", "--hard", pr.base);
    }
  });

  it("on the merge commit actions/checkout makes, the base is its first parent", async () => {
    await pr.repo.git("checkout", "-q", "--detach", pr.base);
    await pr.repo.git("merge", "-q", "--no-ff", "-m", "Merge head into base", pr.head);
    const merge = (await pr.repo.git("rev-parse", "HEAD")).trim();
    const base = await resolveBaseRevision(pr.repo.dir, pr.base, merge);
    expect(base.rev).toBe(pr.base);
    expect(await changedFiles(pr.repo.dir, base.rev, merge)).toEqual([{ status: "A", path: "dbt/transform/silver/master/mas_contracts.sql" }]);
  });

  it("a depth-1 clone: the base commit is fetched, and compared with as it is", async () => {
    const dir = await mkdtemp(join(tmpdir(), "dbt-unskip-shallow-"));
    try {
      await runGit(dir, ["clone", "-q", "--depth=1", "--branch", "land-contracts", `file://${pr.repo.remote}`, "work"]);
      const work = join(dir, "work");
      const { head } = await checkoutState(work);
      expect(head).toBe(pr.head2);
      const base = await resolveBaseRevision(work, pr.base, head);
      expect(base).toEqual({ rev: pr.base, approximate: true, fetched: true });
      expect((await changedFiles(work, base.rev, head)).map((c) => c.path)).toEqual(["dbt/transform/bronze/sources_addresses.yml", "dbt/transform/silver/master/mas_contracts.sql"]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("a base commit that cannot be had: a clear error", async () => {
    await expect(resolveBaseRevision(pr.repo.dir, "f".repeat(40), "HEAD")).rejects.toThrow(
      "the PR's base commit ffffffffffff is not in the checkout and could not be fetched; use actions/checkout with fetch-depth: 0",
    );
  });

  it("not a git checkout: a clear error", async () => {
    const dir = await mkdtemp(join(tmpdir(), "dbt-unskip-nogit-"));
    try {
      await expect(checkoutState(dir)).rejects.toThrow("is not a git checkout: a pull_request run needs actions/checkout before dbt-unskip");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("working-directory below the repository root", () => {
  let repo: TestRepo;
  let base: string;
  let head: string;
  beforeAll(async () => {
    repo = await createTestRepo();
    await cp(EXAMPLE_DIR, join(repo.dir, "warehouse"), { recursive: true });
    await repo.write("other/dbt_project.yml", "name: other\n");
    base = await repo.commit("initial");
    await placeMasContracts(join(repo.dir, "warehouse"));
    await repo.write("other/models/x.sql", "select 1");
    head = await repo.commit("land mas_contracts");
  });
  afterAll(() => repo.cleanup());

  it("reads the base below the same folder and counts only changes inside it", async () => {
    const event = parsePullRequestEvent(pullRequestPayload({ action: "opened", baseSha: base, headSha: head }));
    const result = await checkPullRequestInCheckout({ workspace: join(repo.dir, "warehouse"), event, octokit: null, mode: "never" });
    expect(result.diffs.map((d) => d.project.dir)).toEqual(["dbt"]);
    expect(result.diffs[0]!.newlyReady.map((m) => [m.name, m.file, m.because[0]])).toEqual([
      ["d_account", "dbt/transform/gold/account/d_account.sql.skip", expect.objectContaining({ file: "dbt/transform/silver/master/mas_contracts.sql" })],
      ["f_contract_revenue", "dbt/transform/gold/f_contract_revenue.sql.skip", expect.objectContaining({ file: "dbt/transform/silver/master/mas_contracts.sql" })],
      ["mas_user_contracts", "dbt/transform/silver/master/mas_user_contracts.sql.skip", expect.objectContaining({ file: "dbt/transform/silver/master/mas_contracts.sql" })],
      ["d_user", "dbt/transform/gold/d_user.sql.skip", expect.objectContaining({ file: "dbt/transform/silver/master/mas_contracts.sql" })],
    ]);
  });

  it("a project the base does not have yet: compared with nothing", async () => {
    await repo.git("checkout", "-q", "-b", "new-project", head);
    await cp(EXAMPLE_DIR, join(repo.dir, "fresh"), { recursive: true });
    const withFresh = await repo.commit("add a project");
    const event = parsePullRequestEvent(pullRequestPayload({ action: "opened", baseSha: head, headSha: withFresh }));
    const result = await checkPullRequestInCheckout({ workspace: join(repo.dir, "fresh"), event, octokit: null, mode: "never" });
    expect(result.diffs[0]!.newlyReady.map((m) => m.name).sort()).toEqual(["f_contract_channels", "f_product_margin", "f_user_activity"]);
    expect(result.diffs[0]!.newlyReady[0]!.because[0]).toMatchObject({ kind: "new-paused-file", change: "A" });
  });
});
