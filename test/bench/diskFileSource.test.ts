import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createDiskFileSource } from "../../src/adapters/files/diskFileSource.js";
import { MAX_FILE_BYTES } from "../../src/adapters/files/decodeText.js";

// What the disk file source answers for every kind of path. The benchmarks made its reads
// synchronous (the promise-based reads cost more than everything else the scan does with the
// files); these answers are what that change had to keep.

const root = mkdtempSync(join(tmpdir(), "dbt-unskip-disk-source-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

mkdirSync(join(root, "models", "sub"), { recursive: true });
writeFileSync(join(root, "models", "a.sql"), "select 1\n");
writeFileSync(join(root, "models", "sub", "b.sql.skip"), "\ufeffselect {{ ref('a') }}\n");
writeFileSync(join(root, "models", "binary.sql"), Buffer.from([0x73, 0x00, 0x71]));
writeFileSync(join(root, "models", "latin1.sql"), Buffer.from("select 1\n-- caf\xe9\n", "latin1"));
writeFileSync(join(root, "models", "huge.sql"), Buffer.alloc(MAX_FILE_BYTES + 1, 0x20));
writeFileSync(join(root, "models", ".hidden.yml"), "version: 2\n");
symlinkSync(join(root, "models", "a.sql"), join(root, "models", "link.sql"));
let fifo = false;
try {
  execFileSync("mkfifo", [join(root, "models", "pipe.sql")]);
  fifo = true;
} catch {
  // no mkfifo here: that case is skipped
}

describe("createDiskFileSource", () => {
  const files = createDiskFileSource(root);

  it("reads text, strips a byte-order mark, and says null for what does not exist", async () => {
    expect(await files.read("models/a.sql")).toEqual({ kind: "text", text: "select 1\n" });
    expect(await files.read("models/sub/b.sql.skip")).toEqual({ kind: "text", text: "select {{ ref('a') }}\n" });
    expect(await files.read("models/missing.sql")).toBeNull();
    expect(await files.read("models/a.sql/below")).toBeNull();
  });

  it("never follows a symbolic link and never reads what is not a regular file", async () => {
    expect(await files.read("models/link.sql")).toEqual({ kind: "unreadable", reason: "symbolic link (not followed)" });
    expect(await files.read("models/sub")).toEqual({ kind: "unreadable", reason: "not a regular file" });
    if (fifo) expect(await files.read("models/pipe.sql")).toEqual({ kind: "unreadable", reason: "not a regular file" });
  });

  it("says why binary, non-UTF-8 and oversized files are not read", async () => {
    expect(await files.read("models/binary.sql")).toEqual({ kind: "unreadable", reason: "binary file (contains NUL bytes)" });
    expect(await files.read("models/latin1.sql")).toEqual({ kind: "unreadable", reason: "not valid UTF-8 (line 2); save it as UTF-8" });
    expect(await files.read("models/huge.sql")).toEqual({
      kind: "unreadable",
      reason: `file is ${MAX_FILE_BYTES + 1} bytes, over the ${MAX_FILE_BYTES}-byte limit`,
    });
  });

  it("lists files recursively, dot files and links included, sorted, with the folder as prefix", async () => {
    const expected = ["models/.hidden.yml", "models/a.sql", "models/binary.sql", "models/huge.sql", "models/latin1.sql", "models/link.sql", ...(fifo ? ["models/pipe.sql"] : []), "models/sub/b.sql.skip"];
    const listed = await files.list("models");
    expect(listed.filter((p) => p !== "models/pipe.sql")).toEqual(expected.filter((p) => p !== "models/pipe.sql"));
    expect(await files.list("nowhere")).toEqual([]);
  });

  it("answers many reads at once, in any order, like one at a time", async () => {
    const paths = ["models/a.sql", "models/link.sql", "models/missing.sql", "models/sub/b.sql.skip"];
    const together = await Promise.all(Array.from({ length: 40 }, (_, i) => files.read(paths[i % paths.length]!)));
    const alone: unknown[] = [];
    for (let i = 0; i < 40; i++) alone.push(await files.read(paths[i % paths.length]!));
    expect(together).toEqual(alone);
  });
});
