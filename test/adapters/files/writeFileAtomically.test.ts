import { chmod, mkdir, readdir, readFile, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { makeDirs, writeFileAtomically, writeFilesAtomically } from "../../../src/adapters/files/writeFilesAtomically.js";
import { useTempDir } from "../../helpers/useTempDir.js";

// The one replacing writer (state documents, the git index during a tree transaction, backfill
// state), beside the all-or-nothing set writer of `generate`; both write through a hidden temp file.
describe("writeFileAtomically", () => {
  const tmp = useTempDir("dbt-unskip-atomic-");

  it("creates a file, replaces one, and leaves no temporary file", async () => {
    const dir = tmp();
    const path = join(dir, "MIGRATION.md");
    await writeFileAtomically(path, "one\n");
    expect(await readFile(path, "utf8")).toBe("one\n");
    await writeFileAtomically(path, Buffer.from("two\r\n"));
    expect(await readFile(path, "utf8")).toBe("two\r\n");
    expect(await readdir(dir)).toEqual(["MIGRATION.md"]);
  });

  it("keeps the permission bits of the file it replaces", async () => {
    const dir = tmp();
    const path = join(dir, "run.sh");
    await writeFile(path, "#!/bin/sh\n");
    await chmod(path, 0o750);
    await writeFileAtomically(path, "#!/bin/sh\necho hi\n");
    expect((await stat(path)).mode & 0o777).toBe(0o750);
  });

  it("on failure leaves what was there and removes its temporary file", async () => {
    const dir = tmp();
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
  const tmp = useTempDir("dbt-unskip-atomic-set-");

  it("never overwrites: an existing destination fails the whole set and removes what it made", async () => {
    const dir = tmp();
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
    const dir = tmp();
    await mkdir(join(dir, "a"));
    const created: string[] = [];
    await makeDirs(join(dir, "a", "b", "c"), created);
    expect(created).toEqual([join(dir, "a", "b"), join(dir, "a", "b", "c")]);
  });
});
