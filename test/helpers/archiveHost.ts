import { execFile } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { promisify } from "node:util";

/**
 * GitHub's archive host (codeload.github.com) at the HTTP layer: the API answers
 * `GET /repos/{o}/{r}/tarball/{ref}` with a redirect here, and this serves the bytes. Each archive
 * is declared with how many downloads it answers; every request is recorded, and `assertDone()`
 * fails on a download left pending or one nobody declared.
 */
export interface ArchiveHost {
  url: string;
  /** Serves `bytes` at `path` for `times` downloads (default 1); returns the full URL to redirect to. */
  serve(path: string, bytes: Uint8Array, times?: number, options?: { chunked?: boolean }): string;
  readonly requests: { path: string; headers: Record<string, string | string[] | undefined> }[];
  assertDone(): void;
  close(): Promise<void>;
}

export async function startArchiveHost(): Promise<ArchiveHost> {
  const archives = new Map<string, { bytes: Uint8Array; left: number; chunked: boolean }>();
  const requests: ArchiveHost["requests"] = [];
  const unexpected: string[] = [];
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://archive-host").pathname;
    requests.push({ path, headers: req.headers });
    const archive = archives.get(path);
    if (!archive || archive.left <= 0) {
      unexpected.push(path);
      res.writeHead(404).end();
      return;
    }
    archive.left--;
    // Chunked: no Content-Length, so only a limit counted while reading can stop a large download.
    res.writeHead(200, { "content-type": "application/x-gzip", ...(archive.chunked ? {} : { "content-length": String(archive.bytes.byteLength) }) });
    if (archive.chunked) {
      for (let at = 0; at < archive.bytes.byteLength; at += 16_384) res.write(Buffer.from(archive.bytes.subarray(at, at + 16_384)));
      res.end();
    } else {
      res.end(Buffer.from(archive.bytes));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    serve(path, bytes, times = 1, options = {}) {
      const entry = archives.get(path);
      archives.set(path, { bytes, left: (entry?.left ?? 0) + times, chunked: options.chunked ?? false });
      return `${url}${path}`;
    },
    requests,
    assertDone() {
      const pending = [...archives].filter(([, a]) => a.left > 0).map(([p]) => `pending download: ${p}`);
      const surprises = unexpected.splice(0).map((p) => `unexpected download: ${p}`);
      archives.clear();
      if (pending.length + surprises.length > 0) throw new Error(`archive host:\n  ${[...pending, ...surprises].join("\n  ")}`);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** The archive GitHub would serve for `sha`: `git archive` (what GitHub runs), under `owner-repo-sha7/`. */
export async function gitTarball(repoDir: string, sha: string, owner: string, repo: string): Promise<Buffer> {
  const { stdout } = await promisify(execFile)("git", ["archive", "--format=tar.gz", `--prefix=${owner}-${repo}-${sha.slice(0, 7)}/`, sha], {
    cwd: repoDir,
    encoding: "buffer",
    maxBuffer: 256 * 1024 * 1024,
  });
  return stdout;
}
