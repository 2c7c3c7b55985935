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
  const dir = join(base, "work");
  const remote = join(base, "origin.git");
  await mkdir(dir);
  await runGit(base, ["init", "-q", "--bare", "-b", "main", remote]);
  await runGit(dir, ["init", "-q", "-b", "main"]);
  await runGit(dir, ["remote", "add", "origin", remote]);
  const git = async (...args: string[]) => (await runGit(dir, args, { env: IDENTITY })).stdout;
  if (seedFrom) await cp(seedFrom, dir, { recursive: true });
  const repo: TestRepo = {
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
  if (seedFrom) {
    await repo.commit("initial");
    await git("push", "-q", "origin", "main");
  }
  return repo;
}
