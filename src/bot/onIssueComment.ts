import type { Context } from "probot";
import type { GitHubClient } from "../adapters/github/createOctokit.js";
import { GitHubApiError } from "../adapters/github/gitHubApiError.js";
import { writePermission } from "../adapters/github/writePermission.js";
import { filterReport } from "../core/readiness/filterReport.js";
import { UserError } from "../core/userError.js";
import { computeStatus } from "../usecases/computeStatus.js";
import type { BotDependencies } from "./botDependencies.js";
import { checkCommandTargets } from "./checkCommandTargets.js";
import { dispatchCommand } from "./dispatchCommand.js";
import { parseCommand } from "./parseCommand.js";
import { readRepository } from "./readRepository.js";
import { renderFailure, renderHelp, renderRefused, renderRejected, renderStatusReply } from "./renderReplies.js";

/**
 * Chat-ops: `/unskip ...` on the first line of a new comment. Seen: an eyes reaction. Then, in this
 * order and stopping at the first "no": write permission (asked of GitHub, failing closed), names,
 * names against the project at the default branch. Work that needs dbt is dispatched to the Action
 * (a rocket reaction); everything is answered with one reply.
 */
export async function onIssueComment(context: Context<"issue_comment.created">, deps: BotDependencies): Promise<void> {
  const { comment, issue, repository, sender } = context.payload;
  // Bots never command the tool: no loops with its own replies, nor with another bot's.
  if (comment.user?.type === "Bot" || sender.type === "Bot") return;
  const parsed = parseCommand(comment.body);
  if (parsed.kind === "none") return;

  const owner = repository.owner.login;
  const repo = repository.name;
  const octokit = context.octokit as GitHubClient;
  const login = comment.user?.login ?? sender.login;
  const reply = (body: string) => octokit.rest.issues.createComment({ owner, repo, issue_number: issue.number, body });
  // A reaction is a courtesy: one GitHub refuses must not stop the command.
  const react = (content: "eyes" | "rocket") =>
    octokit.rest.reactions.createForIssueComment({ owner, repo, comment_id: comment.id, content }).catch((error: unknown) => {
      if (!(error instanceof GitHubApiError)) throw error;
      context.log.warn(`could not react ${content}: ${error.message}`);
    });

  await react("eyes");
  const permission = await writePermission({ octokit, owner, repo, username: login });
  if (!permission.allowed) {
    context.log.info(`${owner}/${repo}#${issue.number}: /unskip from ${login} refused (${permission.reason})`);
    await reply(renderRefused(login, permission.reason));
    return;
  }
  if (parsed.kind === "invalid") {
    await reply(renderHelp(login, parsed.message));
    return;
  }
  const { command } = parsed;
  if (command.name === "help") {
    await reply(renderHelp(login));
    return;
  }

  const defaultBranch = repository.default_branch;
  try {
    const { files, config } = await readRepository({ octokit, owner, repo, ref: defaultBranch, limits: deps.settings.tarball });
    const { reports } = await computeStatus({ files, config });
    const check = checkCommandTargets(command, reports);
    if (!check.ok) {
      await reply(renderRejected(login, check.message));
      return;
    }
    if (command.name === "status") {
      const shown = command.dimension ? reports.map((r) => filterReport(r, command.dimension!)).filter((r) => r.dimensions.length > 0) : reports;
      await reply(renderStatusReply(login, shown, { ref: defaultBranch, commit: files.commit }));
      return;
    }
    const dispatched = await dispatchCommand({ octokit, owner, repo, defaultBranch, htmlUrl: repository.html_url, workflow: deps.settings.workflow, login, command, commit: files.commit });
    if (dispatched.ok) await react("rocket");
    await reply(dispatched.reply);
  } catch (error) {
    // Said where it was asked: a command that fails silently gets asked again and again.
    if (!(error instanceof UserError || error instanceof GitHubApiError)) throw error;
    await reply(renderFailure(login, `\`/unskip ${command.name}\``, error.message));
  }
}
