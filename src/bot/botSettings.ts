import { WORKFLOW_TOKEN_LOGIN } from "../adapters/github/resolveIdentity.js";
import { DEFAULT_TARBALL_LIMITS, type TarballLimits } from "../adapters/github/tarballFileSource.js";
import { type PropertiesThreadOptions, threadsAllowed } from "../adapters/threads/propertiesThread.js";
import { UserError } from "../core/userError.js";
import type { CommentMode } from "../usecases/pullRequestReadiness.js";

/** What the bot does, beyond what each repository's `.github/dbt-unskip.yml` says. */
export interface BotSettings {
  /** The Action's workflow file (under `.github/workflows/`) that work needing dbt is dispatched to. */
  workflow: string;
  /** When to write the PR readiness comment (as the Action's `comment` input). */
  comment: CommentMode;
  /** Comment "this merge made N models ready" on a merged pull request. */
  mergeComment: boolean;
  tarball: TarballLimits;
  /**
   * The login the Action opens restore pull requests as (its token's identity), so the dashboard
   * links them as the Action's own dashboard does.
   */
  restoreAuthor: string;
  /** How many webhook delivery ids are remembered to ignore duplicates. */
  deliveryMemory: number;
  /** Seconds one GitHub API request may take (`UNSKIP_GITHUB_TIMEOUT`). */
  githubTimeoutSeconds: number;
  /** Space writes to GitHub as GitHub asks (`UNSKIP_GITHUB_WRITE_SPACING=github`, the default) or not (`none`). */
  spaceWrites: boolean;
  /**
   * A large project's properties YAML read on a worker thread during a scan, as the Action's and the
   * CLI's scans do (`DBT_UNSKIP_THREADS=0`: off); see src/adapters/threads/propertiesThread.ts.
   */
  propertiesThread: PropertiesThreadOptions;
}

export const DEFAULT_BOT_SETTINGS: BotSettings = {
  workflow: "dbt-unskip.yml",
  comment: "changed",
  mergeComment: true,
  tarball: DEFAULT_TARBALL_LIMITS,
  restoreAuthor: WORKFLOW_TOKEN_LOGIN,
  deliveryMemory: 10_000,
  githubTimeoutSeconds: 30,
  spaceWrites: true,
  propertiesThread: {},
};

const MIB = 1024 * 1024;

/** The `UNSKIP_*` environment variables, checked once at start-up; a wrong value stops the bot with its name. */
export function readBotSettings(env: NodeJS.ProcessEnv): BotSettings {
  const workflow = env.UNSKIP_WORKFLOW || DEFAULT_BOT_SETTINGS.workflow;
  // A file name (the API also takes a numeric id); never a path, since it goes into a URL.
  if (!/^(?:[A-Za-z0-9_.-]+\.ya?ml|\d+)$/.test(workflow)) throw new UserError(`UNSKIP_WORKFLOW: '${workflow}' is not a workflow file name such as dbt-unskip.yml`);
  const comment = (env.UNSKIP_COMMENT || DEFAULT_BOT_SETTINGS.comment) as CommentMode;
  if (!["always", "changed", "never"].includes(comment)) throw new UserError(`UNSKIP_COMMENT: '${comment}' is not one of always, changed, never`);
  const mergeComment = env.UNSKIP_MERGE_COMMENT || "true";
  if (mergeComment !== "true" && mergeComment !== "false") throw new UserError(`UNSKIP_MERGE_COMMENT: '${mergeComment}' is not true or false`);
  const megabytes = (name: string, fallback: number) => {
    const text = env[name];
    if (!text) return fallback;
    const value = Number(text);
    if (!Number.isFinite(value) || value <= 0) throw new UserError(`${name}: '${text}' is not a number of megabytes`);
    return Math.floor(value * MIB);
  };
  const seconds = (name: string, fallback: number) => {
    const text = env[name];
    if (!text) return fallback;
    const value = Number(text);
    if (!Number.isFinite(value) || value <= 0) throw new UserError(`${name}: '${text}' is not a number of seconds`);
    return value;
  };
  const restoreAuthor = env.UNSKIP_RESTORE_AUTHOR || DEFAULT_BOT_SETTINGS.restoreAuthor;
  if (!/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\[bot\])?$/.test(restoreAuthor)) {
    throw new UserError(`UNSKIP_RESTORE_AUTHOR: '${restoreAuthor}' is not a GitHub login (such as github-actions[bot])`);
  }
  const writeSpacing = env.UNSKIP_GITHUB_WRITE_SPACING || "github";
  if (writeSpacing !== "github" && writeSpacing !== "none") throw new UserError(`UNSKIP_GITHUB_WRITE_SPACING: '${writeSpacing}' is not github or none`);
  return {
    workflow,
    comment,
    mergeComment: mergeComment === "true",
    tarball: {
      maxArchiveBytes: megabytes("UNSKIP_MAX_ARCHIVE_MB", DEFAULT_TARBALL_LIMITS.maxArchiveBytes),
      maxUnpackedBytes: megabytes("UNSKIP_MAX_UNPACKED_MB", DEFAULT_TARBALL_LIMITS.maxUnpackedBytes),
    },
    restoreAuthor,
    deliveryMemory: DEFAULT_BOT_SETTINGS.deliveryMemory,
    githubTimeoutSeconds: seconds("UNSKIP_GITHUB_TIMEOUT", DEFAULT_BOT_SETTINGS.githubTimeoutSeconds),
    spaceWrites: writeSpacing === "github",
    propertiesThread: { enabled: threadsAllowed(env.DBT_UNSKIP_THREADS) },
  };
}
