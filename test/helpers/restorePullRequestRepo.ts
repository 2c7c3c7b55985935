import { createTestRepo, type TestRepo } from "./gitRepo.js";
import { landMasContracts } from "./landMasContracts.js";
import { EXAMPLE_DIR } from "./scratchExample.js";

// What the tests of the push path (restore pull requests after a merge) share: the repository the
// Action's runner holds, and GitHub's answers about the tool's pull requests.
export const OWNER = "acme";
export const REPO = "warehouse";
export const BOT = "github-actions[bot]";
export const PULLS = `/repos/${OWNER}/${REPO}/pulls`;

/** The example with dim_contract's mas_contracts landed on main and pushed to its bare remote; `base` is that commit. */
export async function mergedExample(): Promise<{ repo: TestRepo; base: string }> {
  const repo = await createTestRepo(EXAMPLE_DIR);
  const base = await landMasContracts(repo);
  await repo.git("push", "-q", "origin", "main");
  return { repo, base };
}

/** A pull request as GitHub lists and returns it. */
export function pull(number: number, branch: string, body: string, login = BOT) {
  return { number, title: `restore ${branch}`, body, html_url: `https://github.test/${OWNER}/${REPO}/pull/${number}`, head: { ref: branch, repo: { full_name: `${OWNER}/${REPO}` } }, user: { login } };
}

/** GitHub's 422 when a pull request for that head already exists. */
export function alreadyExists(path: string) {
  return {
    method: "POST",
    path,
    status: 422,
    response: {
      message: "Validation Failed",
      errors: [{ resource: "PullRequest", code: "custom", message: "A pull request already exists for acme:migrate/dim_user." }],
      documentation_url: "https://docs.github.com/rest/pulls/pulls#create-a-pull-request",
    },
  };
}
