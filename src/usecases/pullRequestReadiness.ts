import type { UnskipConfig } from "../core/config/unskipConfig.js";
import { isYamlFile } from "../core/project/modelFileName.js";
import { parsePropertiesYaml } from "../core/project/propertiesYaml.js";
import { diffReadiness, type SourceDeclaration } from "../core/readiness/diffReadiness.js";
import type { ChangedFile, ReadinessDiff } from "../core/readiness/readinessDiff.js";
import type { ReadinessReport } from "../core/readiness/readinessReport.js";
import { renderPullRequestComment } from "../core/render/renderPullRequestComment.js";
import { JOB_SUMMARY_LIMIT_BYTES } from "../core/render/jobSummary.js";
import { GITHUB_BODY_LIMIT, utf8Length } from "../core/render/truncateBody.js";
import type { PrepareBuild } from "./computeStatus.js";
import { pullRequestStatus } from "./pullRequestStatus.js";
import type { FileSource } from "./fileSource.js";
import type { StickyCommentPort, StickyCommentResult } from "./stickyCommentPort.js";

export type CommentMode = "always" | "changed" | "never";

/**
 * Bytes of UTF-8 the PR report may take in the job summary: GitHub's 1 MiB, less room for the line
 * the Action puts above it ("Not posted: ..."). Counted in bytes, as the runner does: counted in
 * characters (at most 3 bytes each) a report of 50,000 models that fits was cut.
 */
export const SUMMARY_LIMIT_BYTES = JOB_SUMMARY_LIMIT_BYTES - 4096;

/** Where the rest of a job summary cut to its limit is: the saved report (pullRequestCommand writes every change to it). */
export const SUMMARY_CUT_NOTE = "The rest was cut to fit the job summary's size limit; the JSON report at the action's `report-path` output holds every change.";
const COMMENT_CUT_NOTE = "The rest was cut to fit GitHub's size limit; the job summary has the full report.";
const COMMENT_CUT_NOTE_SUMMARY_CUT = "The rest was cut to fit GitHub's size limit; the job summary has more of it, and the JSON report at the action's `report-path` output every change.";
/** The bot writes no job summary and no report file: the head's readiness in full is what `status` prints. */
const COMMENT_CUT_NOTE_NO_SUMMARY = "The rest was cut to fit GitHub's size limit; `dbt-unskip status` on the pull request's branch prints the head's readiness in full.";

export interface PullRequestReadinessInput {
  /** The PR's head (the checkout) and its base (read from git, no second checkout). */
  files: { base: FileSource; head: FileSource };
  /** What `git diff --name-status base...head` says, relative to the folder the files are read from. */
  changes: readonly ChangedFile[];
  /** False when `changes` may be cut short (an API's limit): the base is then read in full. */
  changesComplete?: boolean;
  /** Says how the base was had (derived from the head, or read in full and why). */
  log?: { debug(message: string): void } | undefined;
  /** For the head's scan: see pullRequestStatus (the Action reads properties YAML on a worker thread). */
  prepareHead?: PrepareBuild | undefined;
  config: UnskipConfig;
  dimension?: string | undefined;
  pullRequest: { baseSha: string; headSha: string };
  mode: CommentMode;
  /** Null when nothing may be written (a fork's read-only token): the report goes elsewhere. */
  comments: StickyCommentPort | null;
  /**
   * True where the caller writes `summary` to a job summary and every change to a report file (the
   * Action): a comment cut to GitHub's limit then says so. The bot has neither, and says what does.
   */
  jobSummary: boolean;
}

export interface PullRequestReadinessResult {
  /** Head readiness, per project. */
  reports: ReadinessReport[];
  diffs: ReadinessDiff[];
  /** The comment body (under GitHub's limit). */
  body: string;
  /** The same report for the job summary (a larger limit). */
  summary: string;
  changed: boolean;
  comment: { decision: "never" | "read-only" } | { decision: "upsert" | "update-only"; result: StickyCommentResult };
}

/**
 * Readiness of a pull request: head against base, what the PR changes, and the sticky comment per
 * mode. `changed` (the default) comments only when readiness changes or a problem is introduced,
 * but keeps an existing comment up to date either way, so it never goes stale.
 */
export async function pullRequestReadiness(input: PullRequestReadinessInput): Promise<PullRequestReadinessResult> {
  const { config, dimension } = input;
  // The head read once; the base derived from it and the changed files (one scan, not two).
  const sides = await pullRequestStatus({
    head: input.files.head,
    base: input.files.base,
    changes: input.changes,
    changesComplete: input.changesComplete,
    config,
    dimension,
    log: input.log,
    prepareHead: input.prepareHead,
  });
  const head = sides.head;
  // The PR may be what makes the project readable (or adds it): compare with nothing, and say so.
  const baseReports: ReadinessReport[] = "reports" in sides.base ? sides.base.reports : [];
  const baseUnavailable: string | null = "unavailable" in sides.base ? sides.base.unavailable : null;
  const sourceDeclarations = {
    base: await declaredSources(
      input.files.base,
      input.changes.filter((c) => c.status !== "A").map((c) => c.from ?? c.path),
    ),
    head: await declaredSources(
      input.files.head,
      input.changes.filter((c) => c.status !== "D").map((c) => c.path),
    ),
  };
  const diffs = head.reports.map((report) =>
    diffReadiness({
      base: baseReports.find((b) => b.project.dir === report.project.dir) ?? null,
      head: report,
      changes: input.changes,
      sourceDeclarations,
      baseUnavailable,
    }),
  );
  const { body, summary } = renderPullRequestReport({ diffs, ...input.pullRequest, jobSummary: input.jobSummary });
  const changed = diffs.some((d) => d.changed);
  const result = { reports: head.reports, diffs, body, summary, changed };

  if (input.mode === "never") return { ...result, comment: { decision: "never" } };
  if (!input.comments) return { ...result, comment: { decision: "read-only" } };
  const createIfMissing = input.mode === "always" || changed;
  const written = await input.comments.upsert(body, { createIfMissing });
  return { ...result, comment: { decision: createIfMissing ? "upsert" : "update-only", result: written } };
}

/**
 * The PR report twice: the comment (under GitHub's limit in characters) and the job summary (under
 * its limit in bytes), each cut only when it must be, and each saying where the rest is.
 */
export function renderPullRequestReport(input: { diffs: readonly ReadinessDiff[]; baseSha: string; headSha: string; jobSummary: boolean }): { body: string; summary: string } {
  const { diffs } = input;
  const shas = { baseSha: input.baseSha, headSha: input.headSha };
  // The job summary is cut too on a very large PR (thousands of paused models changing): then
  // neither it nor the comment can say "the job summary has the full report".
  const full = renderPullRequestComment({ diffs, ...shas, limit: Number.POSITIVE_INFINITY });
  const summaryCut = utf8Length(full) > SUMMARY_LIMIT_BYTES;
  const summary = summaryCut ? renderPullRequestComment({ diffs, ...shas, limit: SUMMARY_LIMIT_BYTES, unit: "bytes", note: SUMMARY_CUT_NOTE }) : full;
  const note = !input.jobSummary ? COMMENT_CUT_NOTE_NO_SUMMARY : summaryCut ? COMMENT_CUT_NOTE_SUMMARY_CUT : COMMENT_CUT_NOTE;
  // Rendered once when it fits both limits (every PR but the largest); cut versions only when needed.
  const body = full.length <= GITHUB_BODY_LIMIT ? full : renderPullRequestComment({ diffs, ...shas, note });
  return { body, summary };
}

/** Sources declared by the changed YAML files on one side, to credit a PR's YAML file by name. */
async function declaredSources(files: FileSource, paths: string[]): Promise<SourceDeclaration[]> {
  const declared: SourceDeclaration[] = [];
  // A PR touching thousands of YAML files gets no credit by file; the verdicts stay right.
  for (const path of paths.filter(isYamlFile).slice(0, 500)) {
    const content = await files.read(path);
    if (content?.kind !== "text") continue;
    const parsed = parsePropertiesYaml(content.text, path);
    if ("problem" in parsed) continue;
    for (const source of parsed.properties.sources) {
      if (source.enabled) declared.push({ name: `${source.source}.${source.table}`, file: path });
    }
  }
  return declared;
}
