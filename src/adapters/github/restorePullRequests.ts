import { RESTORE_PR_MARKER } from "../../core/render/renderRestorePullRequest.js";
import type { RestorePullRequest, RestorePullRequestPort } from "../../usecases/restorePullRequestPort.js";
import type { GitHubClient } from "./createOctokit.js";
import { GitHubApiError } from "./gitHubApiError.js";

interface PullLike {
  number: number;
  title: string;
  body?: string | null;
  html_url: string;
  head: { ref: string; repo?: { full_name?: string } | null };
  user?: { login?: string } | null;
}

/**
 * The tool's restore pull requests in one repository. A pull request counts as the tool's only when
 * its head branch is in this repository under the prefix, its body holds the marker, and the tool
 * opened it: a person's pull request is never edited or closed.
 */
export function restorePullRequests(octokit: GitHubClient, repo: { owner: string; repo: string }, identity: string): RestorePullRequestPort {
  const fullName = `${repo.owner}/${repo.repo}`;
  const toPr = (pull: PullLike): RestorePullRequest => ({
    number: pull.number,
    branch: pull.head.ref,
    title: pull.title,
    body: pull.body ?? "",
    url: pull.html_url,
  });
  const isOurs = (pull: PullLike, prefix: string) => pull.head.ref.startsWith(prefix) && pull.head.repo?.full_name === fullName && (pull.body ?? "").includes(RESTORE_PR_MARKER) && pull.user?.login === identity;
  const findOpen = async (branch: string) => {
    const { data } = await octokit.rest.pulls.list({ ...repo, state: "open", head: `${repo.owner}:${branch}`, per_page: 10 });
    return (data as PullLike[]).find((pull) => pull.head.ref === branch) ?? null;
  };
  return {
    async listOpen(prefix) {
      const pulls = (await octokit.paginate(octokit.rest.pulls.list, { ...repo, state: "open", per_page: 100 })) as PullLike[];
      return pulls.filter((pull) => isOurs(pull, prefix)).map(toPr);
    },
    async create({ branch, base, title, body }) {
      try {
        const { data } = await octokit.rest.pulls.create({ ...repo, head: branch, base, title, body, maintainer_can_modify: false });
        return { ...toPr(data as PullLike), created: true };
      } catch (error) {
        // A retried request that GitHub had already accepted, or a racing run: find it and go on.
        // Only the tool's own (marker AND author AND this repository's branch, as everywhere else): a
        // person's pull request from that branch is never edited.
        if (error instanceof GitHubApiError && error.status === 422 && /already exists/i.test(error.message)) {
          const found = await findOpen(branch);
          if (found && isOurs(found, branch)) return { ...toPr(found), created: false };
          if (found) {
            throw new Error(
              `a pull request from ${branch} already exists (#${found.number}, opened by ${found.user?.login ?? "someone"}) and is not dbt-unskip's: it is left alone; close it or remove the branch for dbt-unskip to open its own`,
            );
          }
        }
        throw error;
      }
    },
    async update(number, { title, body }) {
      await octokit.rest.pulls.update({ ...repo, pull_number: number, title, body });
    },
    async close(number, comment) {
      await octokit.rest.issues.createComment({ ...repo, issue_number: number, body: comment });
      await octokit.rest.pulls.update({ ...repo, pull_number: number, state: "closed" });
    },
  };
}
