import { spawn } from "node:child_process";
import { SYMBOLIC_LINK_NOT_FOLLOWED, type FileContent } from "../../core/project/projectSnapshot.js";
import type { FileSource } from "../../usecases/fileSource.js";
import { decodeText, MAX_FILE_BYTES } from "../files/decodeText.js";
import { runGit } from "./runGit.js";
import { pathListing } from "../files/pathListing.js";

interface TreeEntry {
  mode: string;
  oid: string;
}

/**
 * The files of one commit, read straight from git's object store (no second checkout): one
 * `ls-tree` for the listing, one long-lived `cat-file --batch` for the contents.
 *
 * Costs only what is asked for (a pull request's base derived from its head reads a handful of its
 * files and never lists it): the listing is taken at once (a commit that is not there fails here)
 * but without `--long`, whose object sizes make git open every blob (0.17 s of CPU on 10,000 loose
 * objects); a file's entry is found in the listing's text, the listing is split into a map only
 * when `list` or `glob` asks or after LOOKUPS_BEFORE_SPLIT reads (a full scan must not search the
 * text once per file), and `cat-file` starts at the first read. A blob's size comes from
 * `cat-file`'s header; one over MAX_FILE_BYTES is passed over, not held.
 */
export async function gitCommitFileSource(repo: string, rev: string): Promise<FileSource & { close(): void }> {
  const listing = (await runGit(repo, ["ls-tree", "-r", "-z", "--full-tree", rev])).stdout;
  // Split once something reads the whole commit (a listing, or more reads than a few lookups are worth).
  let entries: Map<string, TreeEntry> | null = null;
  let paths: Pick<FileSource, "list" | "glob"> | null = null;
  let lookups = 0;
  const split = () => (entries ??= treeEntries(listing));
  const listed = () => (paths ??= pathListing(split().keys()));
  const entryOf = (path: string) => {
    if (entries === null && ++lookups > LOOKUPS_BEFORE_SPLIT) split();
    return entries === null ? treeEntry(listing, path) : (entries.get(path) ?? null);
  };
  let batch: CatFileBatch | null = null;
  return {
    list: (dir) => listed().list(dir),
    glob: (patterns) => listed().glob(patterns),
    async read(path): Promise<FileContent | null> {
      const entry = entryOf(path);
      if (!entry) return null;
      if (entry.mode === "120000") return { kind: "unreadable", reason: SYMBOLIC_LINK_NOT_FOLLOWED };
      if (entry.mode === "160000") return { kind: "unreadable", reason: "git submodule" };
      batch ??= new CatFileBatch(repo);
      const blob = await batch.read(entry.oid);
      return decodeText(typeof blob === "number" ? new Uint8Array(blob) : blob);
    },
    close() {
      batch?.close();
    },
  };
}

/** Each lookup in the listing's text scans it: past this many, the listing is split into a map. */
export const LOOKUPS_BEFORE_SPLIT = 32;

// `ls-tree -z` records: "<mode> SP <type> SP <oid> TAB <path>", each ended by NUL; the path is verbatim.

/** Every blob (file or link) in the listing, by path. */
function treeEntries(listing: string): Map<string, TreeEntry> {
  const out = new Map<string, TreeEntry>();
  for (let start = 0; start < listing.length; ) {
    let end = listing.indexOf("\0", start);
    if (end < 0) end = listing.length;
    const tab = listing.indexOf("\t", start);
    if (tab >= 0 && tab < end) {
      const [mode, type, oid] = listing.slice(start, tab).split(" ");
      if (mode && oid && type === "blob") out.set(listing.slice(tab + 1, end), { mode, oid });
    }
    start = end + 1;
  }
  return out;
}

/** The blob (or link, or submodule) at `path`, found in the listing's text without splitting it. */
function treeEntry(listing: string, path: string): TreeEntry | null {
  const needle = `\t${path}\0`;
  for (let at = listing.indexOf(needle); at >= 0; at = listing.indexOf(needle, at + 1)) {
    const start = listing.lastIndexOf("\0", at) + 1;
    // The record's first tab must be this one: a path may hold a tab, so "\tb\0" may end "a\tb".
    if (listing.indexOf("\t", start) !== at) continue;
    const [mode, type, oid] = listing.slice(start, at).split(" ");
    if (!mode || !oid || type !== "blob") return null; // a submodule (a commit) is not a file here, as in the listing
    return { mode, oid };
  }
  return null;
}

/** `git cat-file --batch`: requests in, objects out, in order. An object over the size limit resolves to its size alone. */
class CatFileBatch {
  private readonly child;
  private buffer: Buffer = Buffer.alloc(0);
  /** Bytes of an oversized object (and its closing newline) still to pass over. */
  private skipping = 0;
  private readonly waiting: { resolve: (b: Buffer | number) => void; reject: (e: Error) => void }[] = [];

  constructor(repo: string) {
    this.child = spawn("git", ["cat-file", "--batch"], { cwd: repo, stdio: ["pipe", "pipe", "ignore"] });
    this.child.stdout.on("data", (chunk: Buffer) => {
      this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
      this.drain();
    });
    const fail = (error: Error) => {
      for (const w of this.waiting.splice(0)) w.reject(error);
    };
    this.child.on("error", fail);
    this.child.on("close", () => fail(new Error("git cat-file ended")));
  }

  read(oid: string): Promise<Buffer | number> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.child.stdin.write(`${oid}\n`);
    });
  }

  close(): void {
    this.child.stdin.end();
  }

  private drain(): void {
    for (;;) {
      if (this.skipping > 0) {
        const n = Math.min(this.skipping, this.buffer.length);
        this.skipping -= n;
        this.buffer = this.buffer.subarray(n);
        if (this.skipping > 0) return;
      }
      const newline = this.buffer.indexOf(10);
      if (newline < 0 || this.waiting.length === 0) return;
      const header = this.buffer.subarray(0, newline).toString("utf8");
      const size = Number(header.split(" ")[2]);
      if (header.endsWith(" missing") || Number.isNaN(size)) {
        this.buffer = this.buffer.subarray(newline + 1);
        this.waiting.shift()!.reject(new Error(`git object not found: ${header}`));
        continue;
      }
      if (size > MAX_FILE_BYTES) {
        this.buffer = this.buffer.subarray(newline + 1);
        this.skipping = size + 1;
        this.waiting.shift()!.resolve(size);
        continue;
      }
      if (this.buffer.length < newline + 1 + size + 1) return;
      const content = this.buffer.subarray(newline + 1, newline + 1 + size);
      this.buffer = this.buffer.subarray(newline + 1 + size + 1);
      this.waiting.shift()!.resolve(Buffer.from(content));
    }
  }
}
