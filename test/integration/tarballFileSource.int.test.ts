import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gitCommitFileSource } from "../../src/adapters/git/gitCommitFileSource.js";
import { createOctokit } from "../../src/adapters/github/createOctokit.js";
import { GitHubApiError } from "../../src/adapters/github/gitHubApiError.js";
import { openTarballFileSource, tarballFileSource, unpackTarball } from "../../src/adapters/github/tarballFileSource.js";
import { computeStatus } from "../../src/usecases/computeStatus.js";
import type { FileSource } from "../../src/usecases/fileSource.js";
import { loadConfig } from "../../src/usecases/loadConfig.js";
import { gitTarball, startArchiveHost } from "../helpers/archiveHost.js";
import { createTestRepo, type TestRepo } from "../helpers/gitRepo.js";
import { startGitHubStandIn } from "../helpers/githubStandIn.js";
import { EXAMPLE_DIR } from "../helpers/scratchExample.js";
import { useStandIn } from "../helpers/useStandIn.js";

const LONG = `dbt/transform/silver/${"very_long_folder_name_/".repeat(6)}stg_long_name.sql`;

/** Every file's listing and contents, as a use case sees them. */
async function snapshot(files: FileSource): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const path of await files.list("")) out[path] = await files.read(path);
  return out;
}

describe("the tarball FileSource against real archives", () => {
  let repo: TestRepo;
  let sha: string;
  beforeAll(async () => {
    repo = await createTestRepo(EXAMPLE_DIR);
    await repo.write(LONG, "select 1 as id\n");
    await repo.write("dbt/transform/gold/d_ünïcode name.sql.skip", "select * from {{ ref('stg_long_name') }}\n");
    await symlink("../../../../etc/passwd", join(repo.dir, "dbt/transform/gold/linked.sql"));
    sha = await repo.commit("long, non-ASCII and symlinked files");
  });
  afterAll(() => repo.cleanup());

  it("a `git archive` tarball (what GitHub serves) reads exactly as git's object store does, and gives the same readiness", async () => {
    const fromTarball = tarballFileSource(await unpackTarball(await gitTarball(repo.dir, sha, "acme", "warehouse"), 64 * 1024 * 1024));
    const fromGit = await gitCommitFileSource(repo.dir, sha);
    try {
      expect(fromTarball.commit).toBe(sha);
      expect(await fromTarball.list("")).toEqual(await fromGit.list(""));
      expect(await fromTarball.list("")).toContain(LONG);
      expect(await snapshot(fromTarball)).toEqual(await snapshot(fromGit));
      expect(await fromTarball.read("dbt/transform/gold/linked.sql")).toEqual({ kind: "unreadable", reason: "symbolic link (not followed)" });
      expect(await fromTarball.glob(["dbt/transform/**/*.sql"])).toEqual(await fromGit.glob(["dbt/transform/**/*.sql"]));
      const config = await loadConfig(fromTarball);
      expect(await computeStatus({ files: fromTarball, config })).toEqual(await computeStatus({ files: fromGit, config: await loadConfig(fromGit) }));
    } finally {
      fromGit.close();
    }
  });

  describe("archives from the system tar in each format", () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), "dbt-unskip-tar-"));
      const top = join(dir, "acme-warehouse-abc1234");
      await mkdir(join(top, ...LONG.split("/").slice(0, -1)), { recursive: true });
      await writeFile(join(top, LONG), "select 1 as id\n");
      await writeFile(join(top, "short.sql"), "select 2\n");
      await symlink("short.sql", join(top, "link.sql"));
    });
    afterAll(() => rm(dir, { recursive: true, force: true }));

    it.each(["gnu", "posix", "ustar", "oldgnu"])("--format=%s: long names, symlinks", async (format) => {
      const archive = join(dir, `${format}.tar.gz`);
      await promisify(execFile)("tar", [`--format=${format}`, "-czf", archive, "-C", dir, "acme-warehouse-abc1234"]);
      const files = tarballFileSource(await unpackTarball(await readFile(archive), 1024 * 1024));
      expect(await files.list("")).toEqual([LONG, "link.sql", "short.sql"].sort());
      expect(await files.read(LONG)).toEqual({ kind: "text", text: "select 1 as id\n" });
      expect(await files.read("link.sql")).toEqual({ kind: "unreadable", reason: "symbolic link (not followed)" });
    });
  });

  describe("downloading through the API (a redirect to the archive host, as GitHub answers)", () => {
    const gh = useStandIn(startGitHubStandIn);
    const host = useStandIn(startArchiveHost);
    let archive: Buffer;
    const TARBALL = (ref: string) => `/repos/acme/warehouse/tarball/${ref}`;
    beforeAll(async () => {
      archive = await gitTarball(repo.dir, sha, "acme", "warehouse");
    });
    const octokit = () => createOctokit({ token: "ghs_secret", baseUrl: gh.url, waitUnitMs: 0, spaceWrites: false, throttleId: randomUUID() });
    const redirect = (ref: string, options?: { chunked?: boolean }) => {
      const location = host.serve(`/acme/warehouse/legacy.tar.gz/${ref}`, archive, 1, options);
      gh.expect({ method: "GET", path: TARBALL(ref), status: 302, headers: { location } });
    };

    it("follows the redirect, downloads once, and never sends the token to the archive host", async () => {
      redirect(sha);
      const files = await openTarballFileSource({ octokit: octokit(), owner: "acme", repo: "warehouse", ref: sha });
      expect(files.commit).toBe(sha);
      expect(await files.list("dbt/transform/gold")).toContain("dbt/transform/gold/linked.sql");
      expect(host.requests.at(-1)!.headers.authorization).toBeUndefined();
      expect(gh.requests.at(-1)!.headers.authorization).toBe("token ghs_secret");
    });

    it("refuses an archive over the size limit, whether or not its size is declared", async () => {
      const limits = { maxArchiveBytes: 1000, maxUnpackedBytes: 1024 * 1024 };
      redirect("main");
      await expect(openTarballFileSource({ octokit: octokit(), owner: "acme", repo: "warehouse", ref: "main", limits })).rejects.toThrow(/larger than 1000 bytes/);
      redirect("main", { chunked: true });
      await expect(openTarballFileSource({ octokit: octokit(), owner: "acme", repo: "warehouse", ref: "main", limits })).rejects.toThrow(/larger than 1000 bytes/);
    });

    it("an unknown ref is GitHub's 404, said as such", async () => {
      gh.expect({ method: "GET", path: TARBALL("nope"), status: 404, response: { message: "Not Found" } });
      const error = await openTarballFileSource({ octokit: octokit(), owner: "acme", repo: "warehouse", ref: "nope" }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(GitHubApiError);
      expect((error as GitHubApiError).status).toBe(404);
    });
  });
});
