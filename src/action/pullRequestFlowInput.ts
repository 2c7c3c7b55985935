import { gitRemote } from "../adapters/git/gitRemote.js";
import type { GitHubClient } from "../adapters/github/createOctokit.js";
import { restorePullRequests } from "../adapters/github/restorePullRequests.js";
import { localTreePorts } from "../adapters/localTreePorts.js";
import type { UnskipConfig } from "../core/config/unskipConfig.js";
import type { PullRequestFlowInput } from "../usecases/restorePullRequestPort.js";
import type { ActionDbt } from "./actionDbt.js";
import type { ActionInputs } from "./actionInputs.js";
import { logFenced } from "./fencedLog.js";
import type { RepositoryEvent } from "./readEvent.js";

/**
 * The Action's adapters for the flows that open pull requests (restore, pause): the checkout at the
 * default branch's commit `head`, the tool's pull requests through the workflow's token, the remote
 * through git, dbt's words fenced in the log, and the checkout's disk, git work tree and scratch copies.
 */
export function pullRequestFlowInput(
  inputs: Pick<ActionInputs, "workspace" | "dbt">,
  from: { event: RepositoryEvent; head: string; octokit: GitHubClient; identity: string; config: UnskipConfig; dbt: ActionDbt },
): PullRequestFlowInput {
  const { event } = from;
  return {
    ...localTreePorts,
    root: inputs.workspace,
    config: from.config,
    baseBranch: event.defaultBranch,
    baseCommit: from.head,
    dbt: from.dbt.installation,
    dbtOptions: { profilesDir: inputs.dbt.profilesDir, target: inputs.dbt.target, extraEnv: inputs.dbt.env },
    prs: restorePullRequests(from.octokit, { owner: event.owner, repo: event.repo }, from.identity),
    remote: gitRemote(inputs.workspace),
    today: new Date().toISOString().slice(0, 10),
    timeoutMs: inputs.dbt.timeoutMs,
    signal: from.dbt.context.signal,
    progress: (line) => logFenced(line),
    secrets: from.dbt.secrets,
  };
}
