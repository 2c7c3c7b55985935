import type { GitHubClient } from "./createOctokit.js";
import { GitHubApiError } from "./gitHubApiError.js";

export type DispatchResult = { ok: true } | { ok: false; status: number; message: string };

/**
 * Starts a run of a repository's workflow through its `workflow_dispatch` trigger. Not retried: a
 * retry after a lost answer would start the work twice. GitHub refuses inputs the workflow does not
 * declare, so only the given ones are sent.
 */
export async function dispatchWorkflow(input: {
  octokit: GitHubClient;
  owner: string;
  repo: string;
  /** The workflow's file name under `.github/workflows/`, or its id. */
  workflow: string;
  /** The branch the run starts on (and whose workflow file is used). */
  ref: string;
  inputs: Record<string, string>;
}): Promise<DispatchResult> {
  try {
    await input.octokit.request("POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches", {
      owner: input.owner,
      repo: input.repo,
      workflow_id: input.workflow,
      ref: input.ref,
      inputs: input.inputs,
      request: { retries: 0 },
    });
    return { ok: true };
  } catch (error) {
    if (!(error instanceof GitHubApiError) || error.status >= 500 || error.status === 0 || error.rateLimited) throw error;
    const hint =
      error.status === 404
        ? `there is no workflow \`.github/workflows/${input.workflow}\` on \`${input.ref}\` (or the app may not read it)`
        : error.status === 422
          ? `the workflow \`${input.workflow}\` has no \`workflow_dispatch\` trigger with the inputs ${Object.keys(input.inputs).join(", ")}`
          : error.status === 403
            ? "the app may not start workflows (it needs the Actions: write permission)"
            : "GitHub refused the dispatch";
    return { ok: false, status: error.status, message: `${hint}. GitHub said: ${error.message}` };
  }
}
