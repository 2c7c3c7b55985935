import type { UnskipConfig } from "../core/config/unskipConfig.js";
import type { PauseOutcome } from "../core/pause/pauseOutcome.js";
import { PAUSE_PR_MARKER, pausePrTitle, renderPausePullRequest } from "../core/render/renderPausePullRequest.js";
import { redactDeep } from "../core/warehouseRun/redactSecrets.js";
import { flowTreeInput } from "./flowTreeInput.js";
import { pauseDimension } from "./pauseDimension.js";
import type { PullRequestFlowInput } from "./restorePullRequestPort.js";

export interface PausePullRequestResult {
  /** `created`/`updated`: the PR shows the pause. `nothing-to-pause`: dbt parse is green, nothing written. `human-commits`: a person committed to the branch, left alone. `base-moved`: not pushed. `failed`: see error. */
  /** `interrupted`: the run was cancelled (nothing of the pause kept, nothing pushed). */
  action: "created" | "updated" | "nothing-to-pause" | "human-commits" | "base-moved" | "interrupted" | "failed";
  pr: number | null;
  branch: string;
  error: string | null;
  outcome: PauseOutcome | null;
}

/** The branch of a dimension's pause pull request: apart from its restore branch (`<prefix><dim>`). */
export function pauseBranch(config: Pick<UnskipConfig, "branchPrefix">, dimension: string): string {
  return `${config.branchPrefix}pause-${dimension}`;
}

/**
 * `/unskip pause` on GitHub: the pause is made and proven (dbt parse) on a branch off the default
 * branch's commit, pushed with a lease, and shown in a pull request, the way restore pull requests
 * are. A branch holding a person's commits is never force-pushed.
 */
export async function openPausePullRequest(
  input: Omit<PullRequestFlowInput, "prs"> & {
    dimension: string;
    models?: string[] | undefined;
    prs: Pick<PullRequestFlowInput["prs"], "create" | "update">;
  },
): Promise<PausePullRequestResult> {
  const branch = pauseBranch(input.config, input.dimension);
  const result: PausePullRequestResult = { action: "failed", pr: null, branch, error: null, outcome: null };
  const remoteHead = await input.remote.head(branch);
  if (remoteHead) {
    await input.remote.fetch(branch);
    const foreign = await input.remote.foreignCommits(await input.remote.mergeBase(input.baseCommit, remoteHead), remoteHead);
    if (foreign.length > 0) {
      result.action = "human-commits";
      result.error = `${branch} has commits the tool did not make (${foreign.map((c) => c.slice(0, 12)).join(", ")}); it is never force-pushed`;
      return result;
    }
  }
  await input.git.deleteBranchIfAny(input.root, branch);
  let pushedOk = false;
  try {
    const outcome = redactDeep(await pauseDimension({ ...flowTreeInput(input), config: input.config, dimension: input.dimension, models: input.models, dryRun: false, branch }), input.secrets ?? []);
    result.outcome = outcome;
    if (outcome.result === "nothing-to-pause") {
      result.action = "nothing-to-pause";
      return result;
    }
    if (outcome.result === "interrupted" || (outcome.result === "paused" && input.signal?.aborted)) {
      // Cancelled: nothing goes to GitHub half way (a pause already committed stays on the local branch).
      result.action = "interrupted";
      result.error = outcome.result === "interrupted" ? outcome.error : `the run was cancelled after the pause was committed on the local ${branch}; nothing was pushed`;
      return result;
    }
    if (outcome.result !== "paused") {
      result.error = outcome.error ?? `pause ended with ${outcome.result}`;
      return result;
    }
    const baseNow = await input.remote.head(input.baseBranch);
    if (baseNow !== input.baseCommit) {
      result.action = "base-moved";
      result.error = `not pushing ${branch}: ${input.baseBranch} moved from ${input.baseCommit.slice(0, 12)} to ${baseNow ? baseNow.slice(0, 12) : "(deleted)"} while dbt ran; ask again`;
      return result;
    }
    const pushed = await input.remote.pushWithLease(branch, remoteHead);
    if (!pushed.ok) {
      result.error = `push of ${branch} failed; the local branch is kept: ${pushed.reason}`;
      return result;
    }
    pushedOk = true;
    const title = pausePrTitle(outcome);
    const body = renderPausePullRequest(outcome);
    const pr = await input.prs.create({ branch, base: input.baseBranch, title, body });
    result.pr = pr.number;
    if (!pr.created) {
      // An open PR on the branch already: the tool's own is brought up to date; a person's is left alone.
      if (!pr.body.includes(PAUSE_PR_MARKER)) {
        result.error = `pull request #${pr.number} on ${branch} is not the tool's; its body was left alone`;
        return result;
      }
      if (pr.body !== body || pr.title !== title) await input.prs.update(pr.number, { title, body });
    }
    result.action = pr.created ? "created" : "updated";
    return result;
  } catch (error) {
    result.action = "failed";
    result.error = (error as Error).message;
    return result;
  } finally {
    await input.git.switchDetached(input.root, input.baseCommit).catch(() => {});
    if (pushedOk) await input.git.deleteBranchIfAny(input.root, branch);
  }
}
