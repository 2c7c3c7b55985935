import type { ReadinessReport } from "../core/readiness/readinessReport.js";
import { type MergeFollowUp, type NewlyReadyModel, newlyReadyModels, renderMergeComment } from "../core/render/renderMergeComment.js";
import type { StickyCommentResult } from "./stickyCommentPort.js";

/** What the merge comment needs from where it runs. */
export interface MergeCommentPorts {
  /** Readiness at the commit before the merge, or null when it cannot be read (then nothing is said). */
  readinessBefore(): Promise<ReadinessReport[] | null>;
  /** The pull request this commit merged into the default branch, or null (a direct push). */
  mergedPullRequest(): Promise<number | null>;
  /** Writes the tool's one merge comment on that pull request (created when missing). */
  upsertComment(pullRequest: number, body: string): Promise<StickyCommentResult>;
}

/**
 * "This merge made N models ready", once per merged pull request, on it; the same flow for the Action
 * (after its restore pull requests, which the comment names) and the bot (which says how to ask for
 * them). Nothing is written when no pull request was merged or nothing became ready.
 *
 * Both questions are asked, the cheaper first: `beforeCostsARequest` when reading the commit before
 * is an API download (the bot's tarball), so the merged pull request is looked up first; otherwise
 * (the Action's checkout) GitHub is asked only when something became ready.
 */
export async function commentOnMergedPullRequest(input: {
  after: readonly ReadinessReport[];
  followUp: MergeFollowUp;
  beforeCostsARequest: boolean;
  ports: MergeCommentPorts;
}): Promise<{ pullRequest: number; newly: NewlyReadyModel[]; result: StickyCommentResult } | null> {
  const { ports } = input;
  let pullRequest: number | null = null;
  if (input.beforeCostsARequest) {
    pullRequest = await ports.mergedPullRequest();
    if (pullRequest === null) return null;
  }
  const before = await ports.readinessBefore();
  if (before === null) return null;
  const newly = newlyReadyModels(before, input.after);
  if (newly.length === 0) return null;
  pullRequest ??= await ports.mergedPullRequest();
  if (pullRequest === null) return null;
  const refused = new Map(input.after.flatMap((r) => r.dimensions.flatMap((d) => (d.restoreRefused ? [[d.name, d.restoreRefused] as const] : []))));
  const result = await ports.upsertComment(pullRequest, renderMergeComment(newly, input.followUp, refused));
  return { pullRequest, newly, result };
}
