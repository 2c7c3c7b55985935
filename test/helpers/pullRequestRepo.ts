import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { createTestRepo, type TestRepo } from "./gitRepo.js";
import { landMasContracts } from "./landMasContracts.js";
import { EXAMPLE_DIR } from "./scratchExample.js";

export interface PullRequestRepo {
  repo: TestRepo;
  /** `main`: the bundled example as it is. */
  base: string;
  /** A PR commit that lands `mas_contracts` (mas_user_contracts → d_user, and d_account, become ready). */
  head: string;
  /** A later push to the same PR that also declares `bronze.addresses` (mas_user_addresses becomes ready). */
  head2: string;
  /** A PR that touches nothing dbt reads. */
  docsOnly: string;
  checkout(sha: string): Promise<void>;
}

/** The example project in a real git repository with a bare remote, and branches for pull requests. */
export async function createPullRequestRepo(): Promise<PullRequestRepo> {
  const repo = await createTestRepo(EXAMPLE_DIR);
  const base = (await repo.git("rev-parse", "HEAD")).trim();
  await repo.git("checkout", "-q", "-b", "land-contracts");
  const head = await landMasContracts(repo, "Land mas_contracts from dim_contract");
  await repo.write("dbt/transform/bronze/sources_addresses.yml", await readFile(join(EXAMPLE_DIR, "upstream/bronze/sources_addresses.yml"), "utf8"));
  const head2 = await repo.commit("Declare bronze.addresses");
  await repo.git("push", "-q", "origin", "land-contracts");
  await repo.git("checkout", "-q", "-b", "docs", base);
  await repo.write("NOTES.md", "Nothing dbt reads.\n");
  const docsOnly = await repo.commit("Notes");
  await repo.git("push", "-q", "origin", "docs");
  return {
    repo,
    base,
    head,
    head2,
    docsOnly,
    async checkout(sha) {
      await repo.git("checkout", "-q", "--detach", sha);
    },
  };
}
