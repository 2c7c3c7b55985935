import { symlink } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gitCommitFileSource } from "../../src/adapters/git/gitCommitFileSource.js";
import { buildProject } from "../../src/core/project/buildProject.js";
import { readProjectSnapshot } from "../../src/usecases/readProjectSnapshot.js";
import { createTestRepo, type TestRepo } from "../helpers/gitRepo.js";
import { EXAMPLE_DIR } from "../helpers/scratchExample.js";

describe("reading a commit through git (no checkout)", () => {
  let repo: TestRepo;
  let first: string;
  beforeAll(async () => {
    repo = await createTestRepo(EXAMPLE_DIR);
    first = (await repo.git("rev-parse", "HEAD")).trim();
    await repo.write("dbt/transform/gold/new_model.sql", "select 1");
    await symlink("/etc/passwd", join(repo.dir, "dbt/transform/gold/evil.sql.skip"));
    await repo.commit("second");
  });
  afterAll(() => repo.cleanup());

  it("sees each commit's own files and contents", async () => {
    const atFirst = await gitCommitFileSource(repo.dir, first);
    const atHead = await gitCommitFileSource(repo.dir, "HEAD");
    try {
      expect(await atFirst.read("dbt/transform/gold/new_model.sql")).toBeNull();
      expect(await atHead.read("dbt/transform/gold/new_model.sql")).toEqual({ kind: "text", text: "select 1" });
      expect(await atHead.read("dbt/transform/gold/evil.sql.skip")).toEqual({ kind: "unreadable", reason: "symbolic link (not followed)" });
      expect(await atHead.glob(["dimensions/*/*_STATE.md"])).toHaveLength(3);
    } finally {
      atFirst.close();
      atHead.close();
    }
  });

  it("gives the same project as the working tree, read in parallel through one cat-file", async () => {
    const files = await gitCommitFileSource(repo.dir, first);
    try {
      const built = buildProject(await readProjectSnapshot(files, "dbt"));
      if ("problem" in built) throw new Error(built.problem.message);
      expect(built.project.models.filter((m) => m.state === "active")).toHaveLength(20);
      expect(built.project.models.filter((m) => m.state === "paused")).toHaveLength(9);
    } finally {
      files.close();
    }
  });
});
