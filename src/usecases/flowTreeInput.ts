import type { PullRequestFlowInput } from "./restorePullRequestPort.js";

/**
 * What a pull-request flow hands its restore or pause as it got it: the ports, the checkout, dbt and
 * its settings, the day, the signal and the progress, and yes to every question (nobody is at a
 * terminal in the Action). One place, so the restore PRs and the pause PR run dbt alike.
 */
export function flowTreeInput(input: Omit<PullRequestFlowInput, "prs">) {
  return {
    disk: input.disk,
    git: input.git,
    scratch: input.scratch,
    root: input.root,
    ...input.dbtOptions,
    dbt: input.dbt,
    timeoutMs: input.timeoutMs,
    today: input.today,
    confirm: async () => true,
    signal: input.signal,
    progress: input.progress,
  };
}
