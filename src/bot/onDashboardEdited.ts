import type { Context } from "probot";
import type { GitHubClient } from "../adapters/github/createOctokit.js";
import { GitHubApiError } from "../adapters/github/gitHubApiError.js";
import { writePermission } from "../adapters/github/writePermission.js";
import { DASHBOARD_MARKER, tickedRestoreBoxes } from "../core/render/renderDashboard.js";
import { UserError } from "../core/userError.js";
import { computeStatus } from "../usecases/computeStatus.js";
import type { BotDependencies } from "./botDependencies.js";
import { checkCommandTargets } from "./checkCommandTargets.js";
import { dispatchCommand } from "./dispatchCommand.js";
import { readRepository } from "./readRepository.js";
import { renderFailure, renderRefused, renderRejected } from "./renderReplies.js";
import { untickRestoreBoxes } from "./untickRestoreBoxes.js";

/**
 * A person ticked restore boxes on the dashboard: the same as `/unskip restore <dimension>` for each
 * newly ticked box, then the boxes are cleared again (the bot's own edit comes back as an event from
 * a bot, and is ignored). Only boxes ticked by this edit count, so editing some other line of the
 * dashboard never asks for a restore twice.
 */
export async function onDashboardEdited(context: Context<"issues.edited">, deps: BotDependencies): Promise<void> {
  const { issue, changes, sender, repository } = context.payload;
  const body = issue.body ?? "";
  if (sender.type === "Bot" || changes.body === undefined || !body.includes(DASHBOARD_MARKER)) return;
  const before = new Set(tickedRestoreBoxes(changes.body.from ?? ""));
  const ticked = tickedRestoreBoxes(body).filter((dimension) => !before.has(dimension));
  if (ticked.length === 0) return;
  // Only the tool's own dashboard: a person's issue that quotes the marker asks for nothing.
  if (issue.user?.login.toLowerCase() !== (await deps.identity()).toLowerCase()) return;

  const owner = repository.owner.login;
  const repo = repository.name;
  const octokit = context.octokit as GitHubClient;
  const login = sender.login;
  const reply = (text: string) => octokit.rest.issues.createComment({ owner, repo, issue_number: issue.number, body: text });
  const permission = await writePermission({ octokit, owner, repo, username: login });
  if (!permission.allowed) {
    await reply(renderRefused(login, permission.reason));
    return;
  }

  const defaultBranch = repository.default_branch;
  const replies: string[] = [];
  try {
    const { files, config } = await readRepository({ octokit, owner, repo, ref: defaultBranch, limits: deps.settings.tarball });
    const { reports } = await computeStatus({ files, config });
    for (const dimension of ticked) {
      const command = { name: "restore" as const, dimension, models: [] };
      const check = checkCommandTargets(command, reports);
      if (!check.ok) {
        replies.push(renderRejected(login, check.message));
        continue;
      }
      const dispatched = await dispatchCommand({ octokit, owner, repo, defaultBranch, htmlUrl: repository.html_url, workflow: deps.settings.workflow, login, command, commit: files.commit });
      replies.push(dispatched.reply);
    }
  } catch (error) {
    if (!(error instanceof UserError || error instanceof GitHubApiError)) throw error;
    replies.push(renderFailure(login, "the restore request", error.message));
  }
  await octokit.rest.issues.update({ owner, repo, issue_number: issue.number, body: untickRestoreBoxes(body, ticked) });
  await reply(replies.join("\n"));
}
