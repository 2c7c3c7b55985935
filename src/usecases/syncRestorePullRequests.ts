import type { ReadinessReport } from "../core/readiness/readinessReport.js";
import { renderRestorePullRequest, restorePrTitle } from "../core/render/renderRestorePullRequest.js";
import { codeSpan } from "../core/render/codeSpan.js";
import { GITHUB_BODY_LIMIT } from "../core/render/truncateBody.js";
import type { RestoreOutcome } from "../core/restore/restoreOutcome.js";
import { redactDeep } from "../core/warehouseRun/redactSecrets.js";
import type { PullRequestFlowInput } from "./restorePullRequestPort.js";
import type { ProvenManifest } from "./proveRestore.js";
import { flowTreeInput } from "./flowTreeInput.js";
import { restoreDimension } from "./restoreDimension.js";
import { branchNameProblem } from "../core/git/refName.js";
import { UserError } from "../core/userError.js";

export interface DimensionSync {
  dimension: string;
  /**
   * `created`/`updated`: a PR now shows the restore. `unchanged`: the branch already holds this
   * restore on this base (nothing run, nothing written). `human-commits`: a person committed to the
   * branch, so it is left alone. `nothing-restorable`: dbt rejected every ready model. `base-moved`:
   * the base branch moved while dbt ran, so nothing was pushed (the new head's own run rebuilds it).
   * `interrupted`: the run was cancelled while this restore ran (nothing of it kept, nothing pushed).
   * `failed`: see error (a failed push, among others).
   */
  action: "created" | "updated" | "unchanged" | "human-commits" | "nothing-restorable" | "base-moved" | "interrupted" | "failed";
  pr: number | null;
  branch: string;
  error: string | null;
  outcome: RestoreOutcome | null;
}

/**
 * What the extra sections are made with: `room` left in the body, and `proven`, the manifest of the
 * restore's own last `dbt parse` when it had exactly the files of the commit `commit` restored
 * (null when there is none): a plan may take it instead of parsing the same tree again.
 */
export interface ExtraSectionsContext {
  room: number;
  proven: (ProvenManifest & { commit: string }) | null;
}

export interface SyncResult {
  dimensions: DimensionSync[];
  closed: { number: number; dimension: string }[];
}

/**
 * After a merge to the default branch: one restore pull request per dimension with ready models,
 * created or brought up to date, and the tool's restore PRs with nothing left to restore closed.
 * Idempotent: when a branch was already built on this commit nothing is run and nothing is written.
 */
export async function syncRestorePullRequests(
  input: PullRequestFlowInput & {
    report: ReadinessReport;
    /** Only this dimension (a dispatch naming one), and only these of its models. */
    dimension?: string | undefined;
    models?: string[] | undefined;
    workflowToken: boolean;
    /**
     * Extra Markdown for the PR body (the migration plan), called with the restore committed and the
     * branch checked out; `room` is what GitHub's body limit leaves for it. A failure here never holds
     * the pull request back: its body gets a short note instead.
     */
    extraSections?: ((outcome: RestoreOutcome, context: ExtraSectionsContext) => Promise<string[]>) | undefined;
  },
): Promise<SyncResult> {
  const { config, report, prs, remote } = input;
  const open = await prs.listOpen(config.branchPrefix);
  const wanted = report.dimensions.filter(
    (d) => d.ready > 0 && (!input.dimension || d.name === input.dimension) && report.models.some((m) => m.dimension === d.name && m.status === "ready" && m.pausedBy === "skip"),
  );
  // Every branch this run would make is checked before any work (git's rules, not after dbt ran).
  for (const dim of wanted) {
    const problem = branchNameProblem(`${config.branchPrefix}${dim.name}`);
    if (problem !== null) throw new UserError(`'${config.branchPrefix}${dim.name}' is not a valid git branch name: it ${problem}; change branch-prefix`);
  }
  const result: SyncResult = { dimensions: [], closed: [] };
  // Where the checkout was (a branch, as actions/checkout leaves a push, or a detached commit): each
  // restore switches to its own branch, and the checkout goes back here after each one.
  const { git } = input;
  const startBranch = await git.currentBranch(input.root);
  const backToStart = () => (startBranch ? git.switchBranch(input.root, startBranch, false) : git.switchDetached(input.root, input.baseCommit));

  for (const dim of wanted) {
    // A cancelled run starts no further restore (the dimensions not reached are not in the result).
    if (input.signal?.aborted) break;
    const branch = `${config.branchPrefix}${dim.name}`;
    const existing = open.find((pr) => pr.branch === branch) ?? null;
    const entry: DimensionSync = { dimension: dim.name, action: "failed", pr: existing?.number ?? null, branch, error: null, outcome: null };
    result.dimensions.push(entry);
    try {
      const remoteHead = await remote.head(branch);
      if (remoteHead) {
        await remote.fetch(branch);
        const foreign = await remote.foreignCommits(await remote.mergeBase(input.baseCommit, remoteHead), remoteHead);
        if (foreign.length > 0) {
          entry.action = "human-commits";
          input.progress(`${branch}: has commits the tool did not make (${foreign.map((c) => c.slice(0, 12)).join(", ")}); never force-pushing it`);
          const note = "so the tool no longer updates it";
          if (existing && !existing.body.includes(note)) {
            await prs.update(existing.number, {
              title: existing.title,
              body: `${existing.body}\n\n> [!WARNING]\n> This branch has commits that dbt-unskip did not make (${foreign.map((c) => c.slice(0, 12)).join(", ")}), ${note}.\n`,
            });
          }
          continue;
        }
        if (existing && (await remote.parentOf(remoteHead)) === input.baseCommit) {
          entry.action = "unchanged";
          input.progress(`${branch}: already holds the restore for ${input.baseCommit.slice(0, 12)}`);
          continue;
        }
      }
      // A local branch left by an earlier run whose push failed: the remote is the truth, rebuild it.
      await git.deleteBranchIfAny(input.root, branch);
      input.progress(`${dim.name}: restoring on ${branch}`);
      // The proof's manifest, kept only when there are extra sections to make with it.
      let proven: ProvenManifest | null = null;
      // dbt's messages (a compile error can quote a profile value) are redacted before anything is shown.
      const outcome = redactDeep(
        await restoreDimension({
          ...flowTreeInput(input),
          config,
          dimension: dim.name,
          models: input.dimension ? input.models : undefined,
          allowDirty: false,
          commit: true,
          report,
          onProvenManifest: input.extraSections
            ? (kept) => {
                proven = kept;
              }
            : undefined,
        }),
        input.secrets ?? [],
      );
      entry.outcome = outcome;
      let pushedOk = false;
      try {
        if (outcome.result === "nothing-restorable") {
          entry.action = "nothing-restorable";
          continue;
        }
        if (outcome.result === "interrupted") {
          entry.action = "interrupted";
          entry.error = outcome.error;
          continue;
        }
        if (outcome.result !== "restored") {
          entry.error = outcome.error ?? `restore ended with ${outcome.result}`;
          continue;
        }
        // Cancelled after the restore was committed: nothing goes to GitHub half way (the local branch
        // stays, as after a failed push; the next run makes it again).
        if (input.signal?.aborted) {
          entry.action = "interrupted";
          entry.error = `the run was cancelled after the restore was committed on the local ${branch}; nothing was pushed and no pull request was written`;
          continue;
        }
        // The default branch can move while dbt runs (minutes): a restore built on a commit that is
        // no longer the branch's head is not pushed, and no PR is written for it.
        const baseNow = await remote.head(input.baseBranch);
        if (baseNow !== input.baseCommit) {
          entry.error = `not pushing ${branch}: the base branch ${input.baseBranch} moved from ${input.baseCommit.slice(0, 12)} to ${baseNow ? baseNow.slice(0, 12) : "(deleted)"} while the restore ran; the local branch is kept and the next run rebuilds it`;
          entry.action = "base-moved";
          input.progress(entry.error);
          continue;
        }
        const pushed = await remote.pushWithLease(branch, remoteHead);
        if (!pushed.ok) {
          // Nothing is written to the PR: its body never describes a branch the remote does not hold.
          entry.error = `push of ${branch} failed; the local branch is kept and the next run retries: ${pushed.reason}`;
          continue;
        }
        pushedOk = true;
        const title = restorePrTitle(outcome);
        const kept = proven as ProvenManifest | null;
        const provenCommit = kept && outcome.commit ? { ...kept, commit: outcome.commit.sha } : null;
        const extra = input.extraSections ? await extraSectionsOrNote(input.extraSections, outcome, input.workflowToken, input.progress, provenCommit) : [];
        const body = renderRestorePullRequest(outcome, { workflowToken: input.workflowToken, extraSections: extra });
        if (existing) {
          if (existing.body !== body || existing.title !== title) await prs.update(existing.number, { title, body });
          entry.action = "updated";
        } else {
          const pr = await prs.create({ branch, base: input.baseBranch, title, body });
          entry.pr = pr.number;
          entry.action = pr.created ? "created" : "updated";
          if (!pr.created && (pr.body !== body || pr.title !== title)) await prs.update(pr.number, { title, body });
        }
      } finally {
        // Back where the checkout was (the commit this run is for). The local branch goes once the
        // remote holds it; after a failed or held-back push it stays, for a person to inspect or push by hand.
        await backToStart();
        if (pushedOk) await git.deleteBranchIfAny(input.root, branch);
      }
    } catch (error) {
      entry.action = "failed";
      entry.error = (error as Error).message;
    }
  }

  // A restore PR whose dimension has nothing ready any more has done its job (or lost it). Not
  // after a cancel: a dimension that was not reached is not known to be done.
  if (!input.dimension && !input.signal?.aborted) {
    for (const pr of open) {
      const dimension = pr.branch.slice(config.branchPrefix.length);
      if (wanted.some((d) => d.name === dimension)) continue;
      await prs.close(
        pr.number,
        `Closing: ${dimension} has no paused model ready to restore on ${input.baseCommit.slice(0, 12)} any more (restored another way, or blocked again). dbt-unskip opens a new pull request when one becomes ready.`,
      );
      result.closed.push({ number: pr.number, dimension });
    }
  }
  return result;
}

/** The extra sections, or a note when they could not be made; the room is measured on the body without them. */
async function extraSectionsOrNote(
  extraSections: NonNullable<Parameters<typeof syncRestorePullRequests>[0]["extraSections"]>,
  outcome: RestoreOutcome,
  workflowToken: boolean,
  progress: (line: string) => void,
  proven: ExtraSectionsContext["proven"],
): Promise<string[]> {
  // Each section is followed by a blank line in the body.
  const room = GITHUB_BODY_LIMIT - renderRestorePullRequest(outcome, { workflowToken }).length - 2;
  try {
    return await extraSections(outcome, { room, proven });
  } catch (error) {
    progress(`${outcome.dimension}: no migration plan for the pull request body: ${(error as Error).message.split("\n")[0]}`);
    return [`> [!NOTE]\n> The migration plan could not be made here; on this branch, ${codeSpan(`dbt-unskip plan --dimension ${outcome.dimension} --restored`)} shows it.`];
  }
}
