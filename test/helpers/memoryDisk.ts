import { dirname } from "node:path";
import { pathListing } from "../../src/adapters/files/pathListing.js";
import type { LocalFiles } from "../../src/usecases/localFiles.js";

/**
 * A `LocalFiles` stand-in held in memory: `files` maps absolute paths to text (their folders exist
 * too), `links` maps a folder to where its symbolic link points. Records what was asked, so a test
 * can say the use case went through the port and nowhere else.
 */
export function memoryDisk(files: Record<string, string>, links: Record<string, string> = {}): LocalFiles & { texts: Map<string, string>; asked: string[] } {
  const texts = new Map(Object.entries(files));
  const asked: string[] = [];
  const folders = () => {
    const all = new Set<string>(Object.keys(links));
    for (const path of texts.keys()) for (let dir = dirname(path); !all.has(dir); dir = dirname(dir)) all.add(dir);
    return all;
  };
  const follow = (path: string): string => {
    for (const [from, to] of Object.entries(links)) {
      if (path === from || path.startsWith(`${from}/`)) return to + path.slice(from.length);
    }
    return path;
  };
  const exists = (path: string) => texts.has(path) || folders().has(path);
  const missing = (path: string) => Object.assign(new Error(`ENOENT: ${path}`), { code: "ENOENT" });
  return {
    texts,
    asked,
    tree(root) {
      asked.push(`tree ${root}`);
      const prefix = `${root.replace(/\/+$/, "")}/`;
      const under = () => [...texts.keys()].filter((p) => p.startsWith(prefix)).map((p) => p.slice(prefix.length));
      const read = (path: string) => {
        const text = texts.get(prefix + path);
        return text === undefined ? null : { kind: "text" as const, text };
      };
      return {
        list: (dir) => pathListing(under()).list(dir),
        glob: (patterns) => pathListing(under()).glob(patterns),
        read: async (path) => read(path),
        readSync: read,
      };
    },
    async exists(path) {
      asked.push(`exists ${path}`);
      return exists(path);
    },
    async realpath(path) {
      asked.push(`realpath ${path}`);
      if (!exists(path)) throw missing(path);
      return follow(path);
    },
    async stat(path) {
      asked.push(`stat ${path}`);
      const text = texts.get(path);
      return text === undefined ? null : { size: Buffer.byteLength(text), mtimeMs: 0 };
    },
    async readText(path) {
      asked.push(`readText ${path}`);
      return texts.get(path) ?? null;
    },
    async readBytes(path) {
      asked.push(`readBytes ${path}`);
      const text = texts.get(path);
      if (text === undefined) throw missing(path);
      return Buffer.from(text);
    },
    async replaceText(path, text) {
      asked.push(`replaceText ${path}`);
      texts.set(path, text);
    },
    async remove(path) {
      asked.push(`remove ${path}`);
      texts.delete(path);
    },
  };
}
