import type { Context } from "probot";
import { GitHubApiError } from "../adapters/github/gitHubApiError.js";
import { answerOnIssue, commandRequest } from "./commandRequest.js";
import type { BotDependencies } from "./botDependencies.js";
import { parseCommand } from "../core/chatOps/parseCommand.js";
import { renderHelp } from "../core/chatOps/renderReplies.js";

/**
 * Chat-ops: `/unskip ...` on the first line of a new comment. Seen: an eyes reaction. Then the one
 * chat-ops flow (`usecases/answerCommands`: write permission, names, names against the project at the default
 * branch, stopping at the first "no"). Work that needs dbt is dispatched to the Action (a rocket
 * reaction); everything is answered with one reply.
 */
export async function onIssueComment(context: Context<"issue_comment.created">, deps: BotDependencies): Promise<void> {
  const { comment, sender } = context.payload;
  // Bots never command the tool: no loops with its own replies, nor with another bot's.
  if (comment.user?.type === "Bot" || sender.type === "Bot") return;
  const parsed = parseCommand(comment.body);
  if (parsed.kind === "none") return;

  const login = comment.user?.login ?? sender.login;
  const request = commandRequest(context, deps, login);
  const { octokit, owner, repo } = request;
  // A reaction is a courtesy: one GitHub refuses must not stop the command.
  const react = (content: "eyes" | "rocket") =>
    octokit.rest.reactions.createForIssueComment({ owner, repo, comment_id: comment.id, content }).catch((error: unknown) => {
      if (!(error instanceof GitHubApiError)) throw error;
      context.log.warn(`could not react ${content}: ${error.message}`);
    });

  await react("eyes");
  const asked = parsed.kind === "invalid" ? { answer: renderHelp(login, parsed.message) } : parsed.command.name === "help" ? { answer: renderHelp(login) } : [parsed.command];
  await answerOnIssue(request, asked, {
    failureSubject: parsed.kind === "command" ? `\`/unskip ${parsed.command.name}\`` : "",
    onDispatched: () => react("rocket"),
  });
}
