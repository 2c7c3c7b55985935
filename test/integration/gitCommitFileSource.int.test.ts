import { symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gitCommitFileSource } from "../../src/adapters/git/gitCommitFileSource.js";
import { runGit } from "../../src/adapters/git/runGit.js";
import { decodeText, MAX_FILE_BYTES } from "../../src/adapters/files/decodeText.js";
import type { FileContent } from "../../src/core/project/projectSnapshot.js";
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

  it("answers as the full reading does (every blob's size from `ls-tree --long`, each read alone), for every path and the awkward ones", async () => {
    // Paths that a lookup in the listing's text could confuse, an object over the size limit read
    // between two others (the batch must stay in step), a submodule, binary and non-UTF-8 files.
    await repo.write("odd/a\tb.sql", "tab in the name");
    await repo.write("odd/b.sql", "plain b");
    await repo.write("odd/b.sql.skip", "b paused");
    await repo.write("odd/x/b.sql", "deeper b");
    await repo.write("odd/empty.sql", "");
    await repo.write("odd/big.sql", "x".repeat(MAX_FILE_BYTES + 10));
    await repo.write("odd/after_big.sql", "read after the big one");
    await writeFile(join(repo.dir, "odd/binary.sql"), Buffer.from([0x73, 0x00, 0x01]));
    await writeFile(join(repo.dir, "odd/latin1.sql"), Buffer.from([0x63, 0x61, 0x66, 0xe9]));
    await repo.git("update-index", "--add", "--cacheinfo", `160000,${first},odd/submodule`);
    const head = await repo.commit("awkward paths");
    const files = await gitCommitFileSource(repo.dir, head);
    try {
      const long = (await runGit(repo.dir, ["ls-tree", "-r", "-z", "--long", "--full-tree", head])).stdout;
      const expected = new Map<string, FileContent>();
      for (const record of long.split("\0")) {
        const tab = record.indexOf("\t");
        if (tab < 0) continue;
        const [mode, type, oid, size] = record.slice(0, tab).trim().split(/\s+/);
        if (type !== "blob") continue;
        const path = record.slice(tab + 1);
        if (mode === "120000") expected.set(path, { kind: "unreadable", reason: "symbolic link (not followed)" });
        else if (Number(size) > MAX_FILE_BYTES) expected.set(path, decodeText(new Uint8Array(Number(size))));
        else expected.set(path, decodeText(await catBlob(repo.dir, oid!)));
      }
      expect(expected.size).toBeGreaterThan(60);
      expect(await files.list("")).toEqual([...expected.keys()].sort());
      expect(await files.list("odd")).toEqual([...expected.keys()].filter((p) => p.startsWith("odd/")).sort());
      // In parallel, as readProjectSnapshot reads: answers come back in order through one cat-file.
      const paths = [...expected.keys()].sort();
      const got = await Promise.all(paths.map((p) => files.read(p)));
      expect(new Map(paths.map((p, i) => [p, got[i]]))).toEqual(expected);
      expect(expected.get("odd/big.sql")).toMatchObject({ kind: "unreadable" });
      expect(expected.get("odd/a\tb.sql")).toEqual({ kind: "text", text: "tab in the name" });
      for (const missing of ["odd/submodule", "b.sql", "odd/b", "odd", "odd/", "a\tb.sql", "odd/x"]) expect(await files.read(missing)).toBeNull();
      expect(await files.read("odd/after_big.sql")).toEqual({ kind: "text", text: "read after the big one" });
    } finally {
      files.close();
    }
  });

  it("fails at once on a commit that is not there (restore relies on it)", async () => {
    await expect(gitCommitFileSource(repo.dir, "0".repeat(40))).rejects.toThrow(/ls-tree/);
  });
});

async function catBlob(dir: string, oid: string): Promise<Uint8Array> {
  const { execFileSync } = await import("node:child_process");
  return new Uint8Array(execFileSync("git", ["cat-file", "blob", oid], { cwd: dir, maxBuffer: 64 * 1024 * 1024 }));
}
