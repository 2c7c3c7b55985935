import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { COMMIT_TRAILER } from "../../src/core/restore/restoreOutcome.js";
import { readRestoreCommit } from "../../src/usecases/readRestoreCommit.js";
import { createTestRepo, type TestRepo } from "../helpers/gitRepo.js";
import { localWorkTree } from "../../src/adapters/git/localWorkTree.js";

// readRestoreCommit reads the commit through git adapters (latestCommitMatching, changedFiles,
// fileAtRevision): paths relative to the root, which may lie below the repository's top level.
describe("readRestoreCommit", () => {
  let repo: TestRepo | undefined;
  afterEach(async () => {
    await repo?.cleanup();
    repo = undefined;
  });

  it("below the top level: the root's renames in the message's order with their text, the state document before and after, nothing outside the root", async () => {
    repo = await createTestRepo();
    await repo.write("warehouse/models/b model.sql.skip", "select 'b'\n");
    await repo.write("warehouse/models/a.sql.skip", "select 'a'\n");
    await repo.write("warehouse/models/c.sql.skip", "select 'c'\n");
    await repo.write("warehouse/dims/DIM_X_STATE.md", "before\n");
    await repo.write("elsewhere/d.sql.skip", "select 'd'\n");
    await repo.commit("paused");
    await repo.git("mv", "warehouse/models/b model.sql.skip", "warehouse/models/b model.sql");
    await repo.git("mv", "warehouse/models/a.sql.skip", "warehouse/models/a.sql");
    await repo.git("mv", "elsewhere/d.sql.skip", "elsewhere/d.sql");
    await repo.write("warehouse/dims/DIM_X_STATE.md", "after\n");
    const message = ["resume: dim_x migration (2 models)", "", "- models/b model.sql (was .skip): ready", "- models/a.sql (was .skip): needs b", "", COMMIT_TRAILER].join("\n");
    const sha = await repo.commit(message);
    // A later commit that is not a restore of dim_x is passed over.
    await repo.write("warehouse/other.txt", "x\n");
    await repo.commit(`resume: dim_y migration (0 models)\n\n${COMMIT_TRAILER}`);

    const commit = await readRestoreCommit(localWorkTree, join(repo.dir, "warehouse"), "dim_x");

    expect(commit).toEqual({
      sha,
      files: [
        { from: "models/b model.sql.skip", to: "models/b model.sql", because: "ready", text: "select 'b'\n" },
        { from: "models/a.sql.skip", to: "models/a.sql", because: "needs b", text: "select 'a'\n" },
      ],
      stateDocument: { path: "dims/DIM_X_STATE.md", previousText: "before\n", afterText: "after\n" },
      gitPrefix: "warehouse/",
    });
  });

  it("no restore commit of the dimension, or no commit at all: null", async () => {
    repo = await createTestRepo();
    expect(await readRestoreCommit(localWorkTree, repo.dir, "dim_x")).toBeNull();
    await repo.write("a.txt", "a\n");
    await repo.commit("resume: dim_x migration (1 model), without the tool's trailer");
    expect(await readRestoreCommit(localWorkTree, repo.dir, "dim_x")).toBeNull();
  });
});
