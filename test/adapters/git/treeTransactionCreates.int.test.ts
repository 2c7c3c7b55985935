import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { applyTreeChange } from "../../../src/adapters/git/treeTransaction.js";
import { TreeTransactionAborted, type TreeStep } from "../../../src/usecases/workTree.js";
import { createTestRepo, type TestRepo } from "../../helpers/gitRepo.js";
import { treeFingerprint } from "../../helpers/treeFingerprint.js";

// Real git, no dbt: the `creates` part of the shared tree transaction (a pause's first state document).
const repos: TestRepo[] = [];
afterEach(async () => {
  for (const repo of repos.splice(0)) await repo.cleanup();
});

async function repoWithModel(): Promise<TestRepo> {
  const repo = await createTestRepo();
  repos.push(repo);
  await repo.write("models/a.sql", "select 1\n");
  await repo.commit("a");
  return repo;
}

const DOC = "dimensions/dim_new/DIM_NEW_MIGRATION_STATE.md";
const IDENTITY = { GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@example.com", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@example.com" };
const change = (message = "pause") => ({
  renames: [{ from: "models/a.sql", to: "models/a.sql.skip" }],
  edits: [],
  creates: [{ path: DOC, text: "# dim_new Migration State\n" }],
  commit: { message, branch: "migrate/dim_new", createBranch: true, env: IDENTITY },
});

describe("applyTreeChange creates new files", () => {
  it("the new file is committed with the renames, written in the tree, and nothing else changes", async () => {
    const repo = await repoWithModel();
    const result = await applyTreeChange(repo.dir, change());
    expect(result.edits).toEqual([{ path: DOC, committed: true, problem: null }]);
    expect((await repo.git("show", "--name-status", "--format=", "-M", "HEAD")).trim().split("\n").sort()).toEqual([`A\t${DOC}`, "R100\tmodels/a.sql\tmodels/a.sql.skip"]);
    expect(await readFile(join(repo.dir, DOC), "utf8")).toBe("# dim_new Migration State\n");
    expect(await repo.git("status", "--porcelain")).toBe("");
  });

  it.each(["branch", "index", "rename", "state-document"] as TreeStep[])("an interrupt at %s: the file and its new folders are gone, tree/index/HEAD/branches as they were", async (at) => {
    const repo = await repoWithModel();
    const before = await treeFingerprint(repo.dir);
    const controller = new AbortController();
    const run = applyTreeChange(repo.dir, change(), {
      signal: controller.signal,
      onStep: (step) => {
        if (step === at) queueMicrotask(() => controller.abort());
      },
    });
    await expect(run).rejects.toBeInstanceOf(TreeTransactionAborted);
    expect(await treeFingerprint(repo.dir)).toEqual(before);
    expect(existsSync(join(repo.dir, "dimensions"))).toBe(false);
  });

  it("a file that exists (committed or not) is never written over: refused before anything is done", async () => {
    const repo = await repoWithModel();
    await repo.write(DOC, "a person's draft\n");
    const before = await treeFingerprint(repo.dir);
    await expect(applyTreeChange(repo.dir, change())).rejects.toThrow(`${DOC} exists already`);
    expect(await treeFingerprint(repo.dir)).toEqual(before);
  });

  it("a folder on the way that is a symbolic link (committed as one) is refused before anything is done: nothing written through it, outside the repository or not", async () => {
    // Seen on a corpus copy: `dimensions` a committed link to a folder outside the repository; pause
    // wrote its new state document there and committed a `dimensions/` folder over the link.
    const repo = await repoWithModel();
    const outside = await mkdtemp(join(tmpdir(), "dbt-unskip-outside-"));
    try {
      await symlink(outside, join(repo.dir, "dimensions"));
      await repo.commit("dimensions is a link");
      const before = await treeFingerprint(repo.dir);
      await expect(applyTreeChange(repo.dir, change())).rejects.toThrow("dimensions is a symbolic link: dbt-unskip does not write through links; nothing was changed");
      expect(await treeFingerprint(repo.dir)).toEqual(before);
      expect(await readdir(outside)).toEqual([]);
    } finally {
      await rm(outside, { recursive: true, force: true });
    }
  });

  it("the same for a rename whose folder is a link", async () => {
    const repo = await repoWithModel();
    await repo.write("real/b.sql", "select 2\n");
    await symlink("../real", join(repo.dir, "models", "linked"));
    await repo.commit("models/linked is a link");
    const before = await treeFingerprint(repo.dir);
    await expect(applyTreeChange(repo.dir, { ...change(), creates: [], renames: [{ from: "models/linked/b.sql", to: "models/linked/b.sql.skip" }] })).rejects.toThrow("models/linked is a symbolic link");
    expect(await treeFingerprint(repo.dir)).toEqual(before);
  });
});
