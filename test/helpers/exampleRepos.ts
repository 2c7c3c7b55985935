import { afterEach } from "vitest";
import { createTestRepo, type TestRepo } from "./gitRepo.js";
import { landMasContracts } from "./landMasContracts.js";
import { EXAMPLE_DIR } from "./scratchExample.js";

/**
 * Repositories for the tests of one file, each removed after its test: `example()` is the bundled
 * example at the root of a real git repository with a bare remote; `ready()` the same with
 * dim_contract's mas_contracts landed (dim_user's chain is ready); `seeded(folder)` one seeded from
 * another folder. Call it at the top level of a test file (it registers an `afterEach`).
 */
export function useExampleRepos(): { example(): Promise<TestRepo>; ready(): Promise<TestRepo>; seeded(folder: string): Promise<TestRepo> } {
  const repos: TestRepo[] = [];
  afterEach(async () => {
    for (const repo of repos.splice(0)) await repo.cleanup();
  });
  const seeded = async (folder: string) => {
    const repo = await createTestRepo(folder);
    repos.push(repo);
    return repo;
  };
  return {
    seeded,
    example: () => seeded(EXAMPLE_DIR),
    async ready() {
      const repo = await seeded(EXAMPLE_DIR);
      await landMasContracts(repo);
      return repo;
    },
  };
}
