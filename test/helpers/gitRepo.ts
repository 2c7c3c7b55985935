import { cp, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { runGit } from "../../src/adapters/git/runGit.js";

const IDENTITY = { GIT_AUTHOR_NAME: "Test Person", GIT_AUTHOR_EMAIL: "person@example.com", GIT_COMMITTER_NAME: "Test Person", GIT_COMMITTER_EMAIL: "person@example.com" };

export interface TestRepo {
  /** The working clone. */
  dir: string;
  /** The bare repository acting as `origin`. */
  remote: string;
  git(...args: string[]): Promise<string>;
  write(path: string, content: string): Promise<void>;
  /** Stage everything and commit; returns the new commit's sha. */
  commit(message: string): Promise<string>;
  cleanup(): Promise<void>;
}

/** A real git repository with a bare remote, optionally seeded from a folder, on branch main. */
export async function createTestRepo(seedFrom?: string): Promise<TestRepo> {
  const base = await mkdtemp(join(tmpdir(), "dbt-unskip-git-"));
  const repo = repoIn(base);
  await mkdir(repo.dir);
  await runGit(base, ["init", "-q", "--bare", "-b", "main", repo.remote]);
  await runGit(repo.dir, ["init", "-q", "-b", "main"]);
  await runGit(repo.dir, ["remote", "add", "origin", repo.remote]);
  if (seedFrom) await cp(seedFrom, repo.dir, { recursive: true });
  if (seedFrom) {
    await repo.commit("initial");
    await repo.git("push", "-q", "origin", "main");
  }
  return repo;
}

/**
 * A copy of a test repository (the clone and its bare remote) whose `origin` is the copy's remote:
 * one prepared repository serves several tests, each changing its own copy. `skip` leaves out
 * clone-relative paths (what git ignores and dbt writes for itself, such as `dbt/target`).
 */
export async function copyTestRepo(repo: TestRepo, skip: readonly string[] = []): Promise<TestRepo> {
  const base = await mkdtemp(join(tmpdir(), "dbt-unskip-git-"));
  const left = new Set(skip.map((path) => join(repo.dir, path)));
  await cp(dirname(repo.dir), base, { recursive: true, verbatimSymlinks: true, filter: (source) => !left.has(source) });
  const copy = repoIn(base);
  await copy.git("remote", "set-url", "origin", copy.remote);
  return copy;
}

/** The test repository whose clone is `base`/work and whose remote is `base`/origin.git. */
function repoIn(base: string): TestRepo {
  const dir = join(base, "work");
  const remote = join(base, "origin.git");
  const git = async (...args: string[]) => (await runGit(dir, args, { env: IDENTITY })).stdout;
  return {
    dir,
    remote,
    git,
    async write(path, content) {
      await mkdir(dirname(join(dir, path)), { recursive: true });
      await writeFile(join(dir, path), content);
    },
    async commit(message) {
      await git("add", "-A");
      await git("commit", "-q", "--allow-empty", "-m", message);
      return (await git("rev-parse", "HEAD")).trim();
    },
    cleanup: () => rm(base, { recursive: true, force: true }),
  };
}
