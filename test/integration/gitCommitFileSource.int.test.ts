import { symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gitCommitFileSource, LOOKUPS_BEFORE_SPLIT } from "../../src/adapters/git/gitCommitFileSource.js";
import { runGit } from "../../src/adapters/git/runGit.js";
import { decodeText, MAX_FILE_BYTES } from "../../src/adapters/files/decodeText.js";
import type { FileContent } from "../../src/core/project/projectSnapshot.js";
import type { FileSource } from "../../src/usecases/fileSource.js";
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

  it("answers as the full reading does (every blob's size from `ls-tree --long`, each read alone): by lookups, listed, and past the lookups", async () => {
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
    // A submodule (a gitlink) is staged by hand after the files: `add -A` would drop it (nothing is checked out there).
    await repo.git("add", "-A");
    await repo.git("update-index", "--add", "--cacheinfo", `160000,${first},odd/submodule`);
    await repo.git("commit", "-q", "-m", "awkward paths");
    const head = (await repo.git("rev-parse", "HEAD")).trim();
    expect(await repo.git("ls-tree", head, "odd/submodule")).toContain("160000 commit");
    const long = (await runGit(repo.dir, ["ls-tree", "-r", "-z", "--long", "--full-tree", head])).stdout;
    const expected = new Map<string, FileContent | null>();
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
    const paths = [...expected.keys()].sort();
    expect(paths.length).toBeGreaterThan(2 * LOOKUPS_BEFORE_SPLIT);
    expect(expected.get("odd/big.sql")).toMatchObject({ kind: "unreadable" });
    expect(expected.get("odd/a\tb.sql")).toEqual({ kind: "text", text: "tab in the name" });
    const missing = ["odd/submodule", "b.sql", "odd/b", "odd", "odd/", "a\tb.sql", "odd/x", "dbt/transform/gold/evil.sql"];
    for (const path of missing) expected.set(path, null);
    const readAll = async (files: FileSource, which: string[]) => {
      // In parallel, as readProjectSnapshot reads: answers come back in order through one cat-file.
      const got = await Promise.all(which.map((p) => files.read(p)));
      return new Map(which.map((p, i) => [p, got[i]]));
    };
    const only = (which: string[]) => new Map(which.map((p) => [p, expected.get(p)]));

    // A few reads, no listing (a derived PR base): each entry found in the listing's text.
    const few = [...paths.filter((p) => p.startsWith("odd/")), ...missing];
    expect(few.length).toBeLessThanOrEqual(LOOKUPS_BEFORE_SPLIT);
    const lookedUp = await gitCommitFileSource(repo.dir, head);
    try {
      expect(await readAll(lookedUp, few)).toEqual(only(few));
      expect(await lookedUp.read("odd/after_big.sql")).toEqual({ kind: "text", text: "read after the big one" });
    } finally {
      lookedUp.close();
    }
    // Listed first (a full scan): every entry from the split listing.
    const listed = await gitCommitFileSource(repo.dir, head);
    try {
      expect(await listed.list("")).toEqual(paths);
      expect(await listed.list("odd")).toEqual(paths.filter((p) => p.startsWith("odd/")));
      expect(await readAll(listed, [...paths, ...missing])).toEqual(expected);
    } finally {
      listed.close();
    }
    // Many reads and no listing: split past the lookups, the same answers on both sides of it.
    const many = await gitCommitFileSource(repo.dir, head);
    try {
      expect(await readAll(many, [...few, ...paths])).toEqual(only([...few, ...paths]));
    } finally {
      many.close();
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
