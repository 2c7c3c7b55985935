import { spawn } from "node:child_process";
import type { FileContent } from "../../core/project/projectSnapshot.js";
import type { FileSource } from "../../usecases/fileSource.js";
import { decodeText, MAX_FILE_BYTES } from "../files/decodeText.js";
import { runGit } from "./runGit.js";
import { pathListing } from "../files/pathListing.js";

interface TreeEntry {
  mode: string;
  oid: string;
  size: number;
}

/**
 * The files of one commit, read straight from git's object store (no second checkout): one
 * `ls-tree` for the listing, one long-lived `cat-file --batch` for the contents.
 */
export async function gitCommitFileSource(repo: string, rev: string): Promise<FileSource & { close(): void }> {
  const listing = await runGit(repo, ["ls-tree", "-r", "-z", "--long", "--full-tree", rev]);
  const tree = new Map<string, TreeEntry>();
  for (const record of listing.stdout.split("\0")) {
    // "<mode> <type> <oid> <size>\t<path>"
    const tab = record.indexOf("\t");
    if (tab < 0) continue;
    const [mode, type, oid, size] = record.slice(0, tab).trim().split(/\s+/);
    if (type !== "blob" || !mode || !oid) continue;
    tree.set(record.slice(tab + 1), { mode, oid, size: Number(size) });
  }
  const batch = new CatFileBatch(repo);
  return {
    ...pathListing(tree.keys()),
    async read(path): Promise<FileContent | null> {
      const entry = tree.get(path);
      if (!entry) return null;
      if (entry.mode === "120000") return { kind: "unreadable", reason: "symbolic link (not followed)" };
      if (entry.mode === "160000") return { kind: "unreadable", reason: "git submodule" };
      if (entry.size > MAX_FILE_BYTES) return decodeText(new Uint8Array(entry.size));
      return decodeText(await batch.read(entry.oid));
    },
    close() {
      batch.close();
    },
  };
}

/** `git cat-file --batch`: requests in, objects out, in order. */
class CatFileBatch {
  private readonly child;
  private buffer = Buffer.alloc(0);
  private readonly waiting: { resolve: (b: Buffer) => void; reject: (e: Error) => void }[] = [];

  constructor(repo: string) {
    this.child = spawn("git", ["cat-file", "--batch"], { cwd: repo, stdio: ["pipe", "pipe", "ignore"] });
    this.child.stdout.on("data", (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.drain();
    });
    const fail = (error: Error) => {
      for (const w of this.waiting.splice(0)) w.reject(error);
    };
    this.child.on("error", fail);
    this.child.on("close", () => fail(new Error("git cat-file ended")));
  }

  read(oid: string): Promise<Buffer> {
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
      const newline = this.buffer.indexOf(10);
      if (newline < 0 || this.waiting.length === 0) return;
      const header = this.buffer.subarray(0, newline).toString("utf8");
      const size = Number(header.split(" ")[2]);
      if (header.endsWith(" missing") || Number.isNaN(size)) {
        this.buffer = this.buffer.subarray(newline + 1);
        this.waiting.shift()!.reject(new Error(`git object not found: ${header}`));
        continue;
      }
      if (this.buffer.length < newline + 1 + size + 1) return;
      const content = this.buffer.subarray(newline + 1, newline + 1 + size);
      this.buffer = this.buffer.subarray(newline + 1 + size + 1);
      this.waiting.shift()!.resolve(Buffer.from(content));
    }
  }
}
