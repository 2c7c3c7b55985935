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
import type { UnskipCommand } from "./parseCommand.js";
import { readRepository } from "./readRepository.js";
import { renderFailure, renderRefused, renderRejected, renderStatusReply } from "./renderReplies.js";

/** Where a person asked (a comment, the dashboard) and who: what every chat-ops answer needs. */
export interface CommandRequest {
  octokit: GitHubClient;
  owner: string;
  repo: string;
  /** The issue or pull request asked on: the answer is one comment there. */
  issueNumber: number;
  repository: { default_branch: string; html_url: string };
  login: string;
  deps: BotDependencies;
  log: { info(message: string): void };
}

/** The request of an event asked on an issue (a comment, an edit of the dashboard), by `login`; logged as `owner/repo#number: …`. */
export function commandRequest(context: Context<"issue_comment.created"> | Context<"issues.edited">, deps: BotDependencies, login: string): CommandRequest {
  const { repository, issue } = context.payload;
  const owner = repository.owner.login;
  const repo = repository.name;
  return {
    octokit: context.octokit as GitHubClient,
    owner,
    repo,
    issueNumber: issue.number,
    repository,
    login,
    deps,
    log: { info: (message) => context.log.info(`${owner}/${repo}#${issue.number}: ${message}`) },
  };
}

/**
 * The one chat-ops flow of the comment and dashboard-edit handlers, in this order and stopping at the
 * first "no": write permission (asked of GitHub, failing closed), then (unless the answer needs no
 * project: help, a command that did not parse) the project read once at the
 * default branch, then for each command its names checked against it and the answer (a status reply,
 * or the work dispatched to the Action). Then one comment on the issue: the replies in the order of
 * the commands, or the refusal.
 */
export async function answerCommands(
  request: CommandRequest,
  /** The commands asked for, or the answer that needs no project (help, a command that did not parse). */
  asked: readonly Exclude<UnskipCommand, { name: "help" }>[] | { answer: string },
  options: {
    /** How a failure names what was asked (`/unskip restore`, "the restore request"). */
    failureSubject: string;
    /** After a dispatch GitHub accepted (the rocket reaction). */
    onDispatched?: () => Promise<unknown>;
    /** When the person may write, before the reply is posted (the dashboard's boxes cleared). */
    onAllowed?: () => Promise<unknown>;
  },
): Promise<void> {
  const { octokit, owner, repo, issueNumber } = request;
  const refusal = await checkWritePermission(request);
  let body: string;
  if (refusal !== null) body = refusal;
  else {
    const replies = "answer" in asked ? [asked.answer] : await answerEach(request, asked, options);
    await options.onAllowed?.();
    body = replies.join("\n");
  }
  await octokit.rest.issues.createComment({ owner, repo, issue_number: issueNumber, body });
}

/** The project read once at the default branch, then each command checked and answered (a status reply, or dispatched). */
async function answerEach(request: CommandRequest, asked: readonly Exclude<UnskipCommand, { name: "help" }>[], options: { failureSubject: string; onDispatched?: () => Promise<unknown> }): Promise<string[]> {
  const { octokit, owner, repo, login } = request;
  const defaultBranch = request.repository.default_branch;
  const replies: string[] = [];
  try {
    const { files, config } = await readRepository({ octokit, owner, repo, ref: defaultBranch, limits: request.deps.settings.tarball });
    const { reports } = await computeStatus({ files, config });
    for (const command of asked) {
      const check = checkCommandTargets(command, reports);
      if (!check.ok) {
        replies.push(renderRejected(login, check.message));
        continue;
      }
      if (command.name === "status") {
        const shown = command.dimension ? reports.map((r) => filterReport(r, command.dimension!)).filter((r) => r.dimensions.length > 0) : reports;
        replies.push(renderStatusReply(login, shown, { ref: defaultBranch, commit: files.commit }));
        continue;
      }
      const dispatched = await dispatchCommand({ octokit, owner, repo, defaultBranch, htmlUrl: request.repository.html_url, workflow: request.deps.settings.workflow, login, command, commit: files.commit });
      if (dispatched.ok) await options.onDispatched?.();
      replies.push(dispatched.reply);
    }
  } catch (error) {
    // Said where it was asked: a command that fails silently gets asked again and again.
    if (!(error instanceof UserError || error instanceof GitHubApiError)) throw error;
    replies.push(renderFailure(login, options.failureSubject, error.message));
  }
  return replies;
}

/** The refusal to post when `login` may not write to the repository (asked of GitHub, failing closed), or null. */
async function checkWritePermission(request: Pick<CommandRequest, "octokit" | "owner" | "repo" | "login" | "log">): Promise<string | null> {
  const { octokit, owner, repo, login } = request;
  const permission = await writePermission({ octokit, owner, repo, username: login });
  if (permission.allowed) return null;
  request.log.info(`${owner}/${repo}: ${login} may not write (${permission.reason}); refused`);
  return renderRefused(login, permission.reason);
}
