import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { makeDirs, writeFileAtomically, writeFilesAtomically } from "../../../src/adapters/files/writeFilesAtomically.js";

// The one replacing writer (state documents, the git index during a tree transaction, backfill
// state), beside the all-or-nothing set writer of `generate`; both write through a hidden temp file.
describe("writeFileAtomically", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "dbt-unskip-atomic-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("creates a file, replaces one, and leaves no temporary file", async () => {
    const path = join(dir, "MIGRATION.md");
    await writeFileAtomically(path, "one\n");
    expect(await readFile(path, "utf8")).toBe("one\n");
    await writeFileAtomically(path, Buffer.from("two\r\n"));
    expect(await readFile(path, "utf8")).toBe("two\r\n");
    expect(await readdir(dir)).toEqual(["MIGRATION.md"]);
  });

  it("keeps the permission bits of the file it replaces", async () => {
    const path = join(dir, "run.sh");
    await writeFile(path, "#!/bin/sh\n");
    await chmod(path, 0o750);
    await writeFileAtomically(path, "#!/bin/sh\necho hi\n");
    expect((await stat(path)).mode & 0o777).toBe(0o750);
  });

  it("on failure leaves what was there and removes its temporary file", async () => {
    // A non-empty folder at the destination: the final rename fails after the temp file was written.
    const path = join(dir, "target");
    await mkdir(path);
    await writeFile(join(path, "keep"), "kept");
    await expect(writeFileAtomically(path, "x")).rejects.toThrow();
    expect((await readdir(dir)).sort()).toEqual(["target"]);
    expect(await readFile(join(path, "keep"), "utf8")).toBe("kept");
  });
});

describe("writeFilesAtomically and makeDirs", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "dbt-unskip-atomic-set-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("never overwrites: an existing destination fails the whole set and removes what it made", async () => {
    await writeFile(join(dir, "b.sql"), "mine");
    await expect(
      writeFilesAtomically([
        { path: join(dir, "new", "a.sql"), content: "a" },
        { path: join(dir, "b.sql"), content: "b" },
      ]),
    ).rejects.toThrow(/appeared while generating/);
    expect(await readFile(join(dir, "b.sql"), "utf8")).toBe("mine");
    expect(await readdir(dir)).toEqual(["b.sql"]);
  });

  it("makeDirs records only the folders it created, outermost first", async () => {
    await mkdir(join(dir, "a"));
    const created: string[] = [];
    await makeDirs(join(dir, "a", "b", "c"), created);
    expect(created).toEqual([join(dir, "a", "b"), join(dir, "a", "b", "c")]);
  });
});
