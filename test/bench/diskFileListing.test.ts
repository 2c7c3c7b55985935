import { execFileSync } from "node:child_process";
import fc from "fast-check";
import fg from "fast-glob";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createDiskFileSource } from "../../src/adapters/files/diskFileSource.js";
import { MAX_FILE_BYTES } from "../../src/adapters/files/decodeText.js";

// The disk file source lists with its own directory walk (fast-glob cost 50 ms of a 10,000-model
// scan) and reads the files it listed as regular in one native call. Both must answer exactly as
// before: the listing as fast-glob's `**/*` with the same options, every read as an `lstat` + strict
// decode of the bytes (a fresh source, which has listed nothing, still reads that way).

const scratch = mkdtempSync(join(tmpdir(), "dbt-unskip-disk-listing-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/**
 * The listing as it was: fast-glob, links listed and not followed. No folder is ignored by name any
 * more (dbt 1.11 walks a model path's node_modules, .venv, .git too: diskFileSource.ts).
 */
async function fastGlobList(root: string, dir: string): Promise<string[]> {
  const entries = await fg("**/*", {
    cwd: join(root, dir),
    dot: true,
    onlyFiles: false,
    objectMode: true,
    followSymbolicLinks: false,
    suppressErrors: true,
  });
  const prefix = dir === "" || dir === "." ? "" : `${dir.replace(/\/+$/, "")}/`;
  return entries
    .filter((entry) => entry.dirent.isFile() || entry.dirent.isSymbolicLink())
    .map((entry) => prefix + entry.path)
    .sort();
}

function mkfifo(path: string): boolean {
  try {
    execFileSync("mkfifo", [path]);
    return true;
  } catch {
    return false;
  }
}

let made = 0;
function tree(files: Record<string, string | Buffer>): string {
  const root = join(scratch, `t${++made}`);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(root, path, ".."), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

describe("disk listing", () => {
  it("lists what fast-glob listed, on a tree of awkward names and kinds", async () => {
    const root = tree({
      "m/a.sql": "select 1",
      "m/.git": "gitdir: elsewhere", // a worktree's .git file: listed, as dbt's walk sees it
      "m/node_modules": "x",
      "m/sub/.git/HEAD": "ref",
      "m/sub/node_modules/p/x.sql": "x",
      "m/.venv/lib/y.sql": "y",
      "m/.venvx/z.sql": "z",
      "m/.hidden/h.sql": "h",
      "m/.dot": "d",
      "m/g[1].sql": "g",
      "m/h*.sql": "h",
      "m/sp ace.sql": "s",
      "m/ünï.sql": "u",
      "m/deep/er/still/x.yml": "a: 1",
    });
    symlinkSync(join(root, "m", "deep"), join(root, "m", "linkdir"));
    symlinkSync(join(root, "m", "a.sql"), join(root, "m", "link.sql"));
    symlinkSync("nowhere", join(root, "m", "dangling"));
    symlinkSync("..", join(root, "m", "deep", "loop"));
    mkfifo(join(root, "m", "pipe"));
    const files = createDiskFileSource(root);
    for (const dir of ["m", "m/", "m/deep", "", ".", "missing", "m/a.sql"]) {
      expect(await files.list(dir), dir).toEqual(await fastGlobList(root, dir));
    }
  });

  it("lists what fast-glob listed, on random trees", async () => {
    const name = fc.constantFrom("a.sql", "b.yml", ".git", "node_modules", ".venv", "x", ".d", "sub", "c.sql.skip", "[y]", "z*");
    const paths = fc.uniqueArray(
      fc.array(name, { minLength: 1, maxLength: 4 }).map((parts) => parts.join("/")),
      { maxLength: 12 },
    );
    await fc.assert(
      fc.asyncProperty(paths, async (list) => {
        const root = join(scratch, `r${++made}`);
        mkdirSync(root, { recursive: true });
        for (const path of list) {
          try {
            mkdirSync(join(root, path, ".."), { recursive: true });
            writeFileSync(join(root, path), path);
          } catch {
            // a path that is a folder in another entry: skipped
          }
        }
        const files = createDiskFileSource(root);
        expect(await files.list("")).toEqual(await fastGlobList(root, ""));
      }),
      { numRuns: 150 },
    );
  });
});

describe("disk reads of listed files", () => {
  const bom = "\ufeff";
  const root = tree({
    "m/plain.sql": "select {{ ref('a') }}\n",
    "m/bom.sql": `${bom}select 1`,
    "m/two-boms.sql": `${bom}${bom}select 1`,
    "m/only-bom.sql": bom,
    "m/empty.sql": "",
    "m/nul-early.sql": Buffer.from([0x73, 0x00, 0x71]),
    "m/nul-late.sql": Buffer.concat([Buffer.alloc(9000, 0x61), Buffer.from([0x00, 0x62])]),
    "m/latin1.sql": Buffer.from("select 1\n-- caf\xe9\n", "latin1"),
    "m/surrogate.sql": Buffer.from([0x61, 0xed, 0xa0, 0x80, 0x62]),
    "m/overlong.sql": Buffer.from([0x61, 0xc0, 0xaf]),
    "m/truncated.sql": Buffer.from([0x61, 0xe2, 0x82]),
    "m/replacement-char.sql": "valid \ufffd text",
    "m/unicode.sql": "ünïcødé ✓ 𝄞",
    "m/huge.sql": Buffer.alloc(MAX_FILE_BYTES + 1, 0x20),
    "m/big-multibyte.sql": "✓".repeat(Math.floor(MAX_FILE_BYTES / 3) + 2),
    "m/limit.sql": Buffer.alloc(MAX_FILE_BYTES, 0x61),
    "m/crlf.sql": "a\r\nb\r\n",
  });
  symlinkSync(join(root, "m", "plain.sql"), join(root, "m", "link.sql"));
  mkfifo(join(root, "m", "pipe.sql"));

  it("gives, for every listed path, what a source that listed nothing gives", async () => {
    const listing = createDiskFileSource(root);
    const paths = await listing.list("m");
    expect(paths.length).toBeGreaterThan(15);
    for (const path of paths) expect(await listing.read(path), path).toEqual(await createDiskFileSource(root).read(path));
  });

  it("still never follows a link, nor hangs on a FIFO, put in a listed file's place", async () => {
    const dir = tree({ "m/a.sql": "select 1", "m/b.sql": "select 2", "m/c.sql": "select 3", "m/target.sql": "secret" });
    const files = createDiskFileSource(dir);
    expect(await files.list("m")).toEqual(["m/a.sql", "m/b.sql", "m/c.sql", "m/target.sql"]);
    unlinkSync(join(dir, "m", "a.sql"));
    symlinkSync(join(dir, "m", "target.sql"), join(dir, "m", "a.sql"));
    expect(await files.read("m/a.sql")).toEqual({ kind: "unreadable", reason: "symbolic link (not followed)" });
    unlinkSync(join(dir, "m", "b.sql"));
    if (mkfifo(join(dir, "m", "b.sql"))) expect(await files.read("m/b.sql")).toEqual({ kind: "unreadable", reason: "not a regular file" });
    unlinkSync(join(dir, "m", "c.sql"));
    expect(await files.read("m/c.sql")).toBeNull();
  });
});
