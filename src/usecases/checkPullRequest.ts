import type { UnskipConfig } from "../core/config/unskipConfig.js";
import type { PrepareBuild } from "./computeStatus.js";
import { type ConfigOverrides, loadConfig } from "./loadConfig.js";
import type { PullRequestSidesPort } from "./pullRequestSidesPort.js";
import { type CommentMode, type PullRequestReadinessResult, pullRequestReadiness } from "./pullRequestReadiness.js";
import type { StickyCommentPort } from "./stickyCommentPort.js";

export interface CheckPullRequestInput {
  pullRequest: { baseSha: string; headSha: string };
  sides: PullRequestSidesPort;
  /**
   * Which side the configuration is read from, and the entry point's overrides. The bot reads the
   * base, so a pull request cannot change how it is itself checked (docs/bot.md); the Action reads
   * its checkout (the head), as every step of a workflow does.
   */
  config: { side: "base" | "head"; path?: string | undefined; overrides?: ConfigOverrides };
  dimension?: string | undefined;
  mode: CommentMode;
  /** Null when nothing may be written (a fork's read-only token): the report goes elsewhere. */
  comments: StickyCommentPort | null;
  /** Says how the base was had (derived from the head, or read in full and why). */
  log?: { debug(message: string): void } | undefined;
  /** The caller writes a job summary and a report file (the Action; not the bot): see pullRequestReadiness. */
  jobSummary: boolean;
  /** For the head's scan: see pullRequestStatus (the Action reads properties YAML on a worker thread). */
  prepareHead?: PrepareBuild | undefined;
}

export interface CheckPullRequestOutput extends PullRequestReadinessResult {
  config: UnskipConfig;
}

/**
 * The pull request check, the same for the Action and the bot: both sides and the changes from the
 * port, the configuration from one side, readiness head against base, and the one sticky comment per
 * mode. The caller reports the result where its surface shows it (job summary, outputs, a log line).
 */
export async function checkPullRequest(input: CheckPullRequestInput): Promise<CheckPullRequestOutput> {
  const sides = await input.sides.open();
  try {
    const config = await loadConfig(sides[input.config.side], input.config.path, input.config.overrides);
    const result = await pullRequestReadiness({
      files: { base: sides.base, head: sides.head },
      changes: sides.changes,
      changesComplete: sides.changesComplete,
      log: input.log,
      config,
      dimension: input.dimension,
      pullRequest: input.pullRequest,
      mode: input.mode,
      comments: input.comments,
      jobSummary: input.jobSummary,
      prepareHead: input.prepareHead,
    });
    return { ...result, config };
  } finally {
    sides.close();
  }
}
