import { promisify } from "node:util";
import { gunzip } from "node:zlib";
import { SYMBOLIC_LINK_NOT_FOLLOWED, type FileContent } from "../../core/project/projectSnapshot.js";
import { UserError } from "../../core/userError.js";
import type { FileSource } from "../../usecases/fileSource.js";
import { decodeText } from "../files/decodeText.js";
import type { GitHubClient } from "./createOctokit.js";
import { readTarEntries, type TarContents, type TarEntry } from "./tarballEntries.js";
import { pathListing } from "../files/pathListing.js";

export interface TarballLimits {
  /** Bytes downloaded at most (the gzip archive). */
  maxArchiveBytes: number;
  /** Bytes after gunzip at most: a small archive can unpack to a lot. */
  maxUnpackedBytes: number;
}

const MIB = 1024 * 1024;
export const DEFAULT_TARBALL_LIMITS: TarballLimits = { maxArchiveBytes: 100 * MIB, maxUnpackedBytes: 500 * MIB };

export interface TarballFileSource extends FileSource {
  /** The commit the archive was made from (its global pax comment), when it says. */
  commit: string | null;
}

/**
 * A repository at one commit without a checkout: one archive download from the API (GitHub answers
 * with a redirect to its archive host, which fetch follows), unpacked in memory. Like a checkout
 * made by `git archive`, it lacks files marked `export-ignore` in `.gitattributes`.
 */
export async function openTarballFileSource(input: {
  octokit: GitHubClient;
  owner: string;
  repo: string;
  /** A commit id, branch or tag. */
  ref: string;
  limits?: TarballLimits;
}): Promise<TarballFileSource> {
  const limits = input.limits ?? DEFAULT_TARBALL_LIMITS;
  const archive = await downloadTarball(input, limits.maxArchiveBytes);
  return tarballFileSource(await unpackTarball(archive, limits.maxUnpackedBytes));
}

async function downloadTarball(input: { octokit: GitHubClient; owner: string; repo: string; ref: string }, limit: number): Promise<Uint8Array> {
  const what = `the archive of ${input.owner}/${input.repo} at ${input.ref}`;
  const response = await input.octokit.request("GET /repos/{owner}/{repo}/tarball/{ref}", {
    owner: input.owner,
    repo: input.repo,
    ref: input.ref,
    // A stream, so the size limit holds while downloading rather than after the whole body is in memory.
    request: { parseSuccessResponseBody: false },
  });
  const body = response.data as unknown;
  const declared = Number(response.headers["content-length"] ?? NaN);
  if (declared > limit) {
    if (body instanceof ReadableStream) await body.cancel();
    throw tooLarge(what, limit);
  }
  if (body instanceof ArrayBuffer) {
    if (body.byteLength > limit) throw tooLarge(what, limit);
    return new Uint8Array(body);
  }
  if (!(body instanceof ReadableStream)) throw new UserError(`${what}: GitHub sent no archive`);
  const reader = (body as ReadableStream<Uint8Array>).getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel();
      throw tooLarge(what, limit);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

const gunzipAsync = promisify(gunzip);

/** Unpacks a `.tar.gz` held in memory, refusing one that unpacks to more than `maxUnpackedBytes`. */
export async function unpackTarball(archive: Uint8Array, maxUnpackedBytes: number): Promise<TarContents> {
  let tar: Buffer;
  try {
    tar = await gunzipAsync(archive, { maxOutputLength: maxUnpackedBytes });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE" || error instanceof RangeError) {
      throw new UserError(`the repository archive unpacks to more than ${maxUnpackedBytes} bytes, over the limit`);
    }
    throw new UserError(`the repository archive is not gzip data: ${(error as Error).message}`);
  }
  return readTarEntries(tar);
}

/**
 * The archive's members as a FileSource. GitHub puts everything under one `owner-repo-sha/`
 * folder; paths are given relative to it, as a checkout would have them.
 */
export function tarballFileSource(contents: TarContents): TarballFileSource {
  const files = new Map<string, TarEntry>();
  const first = contents.entries[0]?.path ?? "";
  const root = first.includes("/") ? first.slice(0, first.indexOf("/") + 1) : `${first}/`;
  for (const entry of contents.entries) {
    if (!entry.path.startsWith(root)) continue;
    const path = entry.path.slice(root.length);
    // git never stores such paths; a crafted archive could, and they would alias real files.
    if (path === "" || path.startsWith("/") || path.split("/").some((part) => part === "" || part === "." || part === "..")) continue;
    files.set(path, { ...entry, path });
  }
  return {
    commit: contents.comment && /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/.test(contents.comment) ? contents.comment : null,
    ...pathListing(files.keys()),
    async read(path): Promise<FileContent | null> {
      const entry = files.get(path);
      if (!entry) return null;
      if (entry.kind === "symlink") return { kind: "unreadable", reason: SYMBOLIC_LINK_NOT_FOLLOWED };
      if (entry.kind === "other") return { kind: "unreadable", reason: entry.reason };
      return decodeText(entry.bytes);
    },
  };
}

function tooLarge(what: string, limit: number): UserError {
  return new UserError(`${what} is larger than ${limit} bytes, over the limit`);
}
