import type { Context } from "probot";
import type { GitHubClient } from "../adapters/github/createOctokit.js";
import { GitHubApiError } from "../adapters/github/gitHubApiError.js";
import { writePermission } from "../adapters/github/writePermission.js";
import type { UnskipCommand } from "../core/chatOps/parseCommand.js";
import { answerCommands } from "../usecases/answerCommands.js";
import { computeStatus } from "../usecases/computeStatus.js";
import type { BotDependencies } from "./botDependencies.js";
import { dispatchCommand } from "./dispatchCommand.js";
import { readRepository } from "./readRepository.js";

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
 * The chat-ops flow (`usecases/answerCommands`) over GitHub: the permission asked of GitHub, the
 * project read as one archive of the default branch, dbt's work dispatched to the Action's workflow,
 * the answer one comment on the issue.
 */
export function answerOnIssue(
  request: CommandRequest,
  asked: readonly Exclude<UnskipCommand, { name: "help" }>[] | { answer: string },
  options: { failureSubject: string; onDispatched?: () => Promise<unknown>; onAllowed?: () => Promise<unknown> },
): Promise<void> {
  const { octokit, owner, repo, login, deps } = request;
  const defaultBranch = request.repository.default_branch;
  return answerCommands({
    login,
    defaultBranch,
    asked,
    failureSubject: options.failureSubject,
    onDispatched: options.onDispatched,
    onAllowed: options.onAllowed,
    log: request.log,
    ports: {
      writePermission: () => writePermission({ octokit, owner, repo, username: login }),
      async readiness() {
        const { files, config } = await readRepository({ octokit, owner, repo, ref: defaultBranch, limits: deps.settings.tarball });
        const { reports } = await computeStatus({ files, config, prepare: deps.prepareBuild });
        return { reports, commit: files.commit };
      },
      dispatch: (command, commit) => dispatchCommand({ octokit, owner, repo, defaultBranch, htmlUrl: request.repository.html_url, workflow: deps.settings.workflow, login, command, commit }),
      async reply(body) {
        await octokit.rest.issues.createComment({ owner, repo, issue_number: request.issueNumber, body });
      },
      failureMessage: (error) => (error instanceof GitHubApiError ? error.message : null),
    },
  });
}
