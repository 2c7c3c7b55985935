import type { GitHubClient } from "../adapters/github/createOctokit.js";
import { dispatchWorkflow } from "../adapters/github/dispatchWorkflow.js";
import { renderDispatched, renderFailure } from "../core/chatOps/renderReplies.js";
import type { DbtCommand } from "../usecases/answerCommands.js";

/**
 * Hands a command that needs dbt to the Action: a `workflow_dispatch` of its workflow on the default
 * branch with the inputs `command`, `dimension`, `models` and, for a restore, `expected-sha` (the
 * default branch's commit the names were checked against: the Action stops if its checkout is
 * elsewhere). Returns the reply to post.
 */
export async function dispatchCommand(input: {
  octokit: GitHubClient;
  owner: string;
  repo: string;
  defaultBranch: string;
  /** The repository's web address, to link its workflow runs. */
  htmlUrl: string;
  workflow: string;
  login: string;
  command: DbtCommand;
  /** The default branch's commit the command was checked against, when known. */
  commit: string | null;
}): Promise<{ ok: boolean; reply: string }> {
  const { command } = input;
  const expectedSha = command.name === "restore" || command.name === "pause" ? input.commit : null;
  const inputs: Record<string, string> = command.name === "verify" ? { command: "verify" } : { command: command.name, dimension: command.dimension };
  if ((command.name === "restore" || command.name === "pause") && command.models.length > 0) inputs.models = command.models.join(" ");
  if (expectedSha) inputs["expected-sha"] = expectedSha;
  const result = await dispatchWorkflow({ octokit: input.octokit, owner: input.owner, repo: input.repo, workflow: input.workflow, ref: input.defaultBranch, inputs });
  if (!result.ok) return { ok: false, reply: renderFailure(input.login, `starting the workflow for \`/unskip ${command.name}\``, result.message) };
  const runsUrl = `${input.htmlUrl}/actions/workflows/${encodeURIComponent(input.workflow)}`;
  return { ok: true, reply: renderDispatched(input.login, { command, workflow: input.workflow, ref: input.defaultBranch, runsUrl, expectedSha }) };
}
