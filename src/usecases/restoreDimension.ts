import { resolve } from "node:path";
import type { UnskipConfig } from "../core/config/unskipConfig.js";
import { branchNameProblem } from "../core/git/refName.js";
import { joinPath } from "../core/project/projectSnapshot.js";
import type { ReadinessReport } from "../core/readiness/readinessReport.js";
import { planRestoreBatch, type BatchModel } from "../core/restore/restoreBatch.js";
import type { RestoreOutcome, StillPaused } from "../core/restore/restoreOutcome.js";
import { interruptedBy } from "../core/interrupt/interruptedBy.js";
import { UserError } from "../core/userError.js";
import { computeStatus } from "./computeStatus.js";
import { proveRestore, type ProvenManifest } from "./proveRestore.js";
import { linkedStateFolder, linkedStateFolderRefusal } from "./readStateDocuments.js";
import type { ScratchDbtInput } from "./scratchDbt.js";
import { restoreToTree, stillPausedOf } from "./restoreToTree.js";
import type { TreeChangePorts } from "./treeChangePorts.js";
import type { TreeStep } from "./workTree.js";

/** What a restore needs; how dbt runs (`ScratchDbtInput`) and the ports (`TreeChangePorts`) are shared with pause. */
export interface RestoreInput extends ScratchDbtInput, TreeChangePorts {
  /** Repository root (absolute). */
  root: string;
  config: UnskipConfig;
  dimension: string;
  models?: string[] | undefined;
  allowDirty: boolean;
  commit: boolean;
  /** Today's date (YYYY-MM-DD), for the restart log. */
  today: string;
  /** Asked once, after the checks and before anything changes; false cancels. */
  /** `batch` paths are relative to the dbt project; `files` has each batch model's paused file from the repository root, as `staying` paths are. */
  confirm: (summary: { batch: BatchModel[]; staying: StillPaused[]; files: ReadonlyMap<string, string> }) => Promise<boolean>;
  /** Told as each step starts (dbt, then the tree transaction's steps); the signal tests hook in here. */
  onStep?: ((step: RestoreStep) => void) | undefined;
  /** A readiness report computed earlier (the Action's); recomputed when absent. */
  report?: ReadinessReport | undefined;
  /**
   * Given, before the restore is applied, the manifest of the proof's last parse when it had exactly
   * the files the restore brings back (a plan of the restore can take it instead of parsing again).
   */
  onProvenManifest?: ((proven: ProvenManifest) => void) | undefined;
}

export type RestoreStep = "dbt" | TreeStep;

/**
 * Brings a dimension's ready models back, as a transaction: the batch is proven in a scratch copy
 * (dbt parse with culprit isolation, then dbt compile), and only a green batch is applied (the
 * renames, the restart log of every state document the batch touches, one commit built from the
 * committed bytes) through `applyTreeChange`: all of it, or none of it (an interrupt or a failure
 * puts the tree, the index, HEAD and the branches back). The repository's lock is held from the
 * checks to the end, so two restores never build on each other.
 */
export async function restoreDimension(input: RestoreInput): Promise<RestoreOutcome> {
  const { root, dimension, progress, git } = input;
  const report = input.report ?? (await findReport(input));
  const known = report.dimensions.find((d) => d.name === dimension);
  if (!known) {
    throw new UserError(
      [
        `no dimension '${dimension}' in ${report.project.name}: no state document lists it and no model is tagged with it.`,
        `Known dimensions: ${report.dimensions.map((d) => d.name).join(", ") || "(none)"}.`,
        "Suggestions: run `dbt-unskip status` to see every paused model; look for .skip files with `find . -name '*.skip'`;",
        `or add a state document at ${input.config.dimensionsOutput}/${dimension}/${dimension.toUpperCase()}_MIGRATION_STATE.md.`,
      ].join("\n"),
    );
  }
  const projectDir = report.project.dir === "." ? "" : report.project.dir;
  const projectRoot = resolve(root, projectDir || ".");
  const batch = planRestoreBatch(report, dimension, input.models);
  const staying = stillPausedOf(batch.staying, projectDir);
  const blockers = report.rootCauses.filter((c) => c.blocks.some((b) => batch.staying.some((m) => m.name === b))).map((c) => ({ name: c.name, type: c.type, expectedFrom: c.expectedFrom, blocks: c.blocks }));
  const before = { active: known.active, total: known.active + known.paused };
  const outcome: RestoreOutcome = {
    result: "nothing-ready",
    dimension,
    project: report.project.dir,
    restored: [],
    reSkipped: [],
    stillPaused: staying,
    blockers,
    progress: { before, after: before },
    dbt: { parseRuns: 0, compileRuns: 0, invocations: 0, version: input.dbt.version },
    compiled: [],
    stateDocument: known.stateDocument ? { path: known.stateDocument, updated: false, problem: null } : unreadDocument(report, input.config.dimensionsOutput, dimension),
    commit: null,
    error: null,
  };
  if (batch.models.length === 0) return outcome;
  // No state document was read through a linked folder (readStateDocuments): a restore would leave
  // the dimension's document there as it was, and nothing is written through a link anyway.
  const link = await linkedStateFolder(input.disk.tree(root), `${input.config.dimensionsOutput.replace(/\/+$/, "")}/${dimension}`);
  if (link !== null) throw new UserError(linkedStateFolderRefusal(link));

  const gitRoot = await git.repositoryRoot(root);
  if (!gitRoot) throw new UserError(`${root} is not inside a git repository; restore commits its work, so it needs one`);
  return git.withLock(
    root,
    `restore --dimension ${dimension}`,
    () => restoreLocked(input, report, outcome, { batch, staying, projectDir, projectRoot, known }),
    (owner) => progress(`Taking over the lock of a dbt-unskip run that is gone (${owner.purpose}, pid ${owner.pid}, since ${owner.startedAt}).`),
  );
}

async function restoreLocked(
  input: RestoreInput,
  report: ReadinessReport,
  outcome: RestoreOutcome,
  ctx: { batch: ReturnType<typeof planRestoreBatch>; staying: StillPaused[]; projectDir: string; projectRoot: string; known: ReadinessReport["dimensions"][number] },
): Promise<RestoreOutcome> {
  const { root, dimension, git } = input;
  const { batch, staying, projectDir, projectRoot } = ctx;
  const before = outcome.progress.before;
  // Checks before anything changes.
  if (!input.allowDirty) {
    const dirty = await git.uncommittedChanges(root);
    if (dirty.length > 0) {
      throw new UserError(
        `uncommitted changes (commit or stash them, or pass --allow-dirty):\n${dirty
          .slice(0, 20)
          .map((l) => `  ${l}`)
          .join("\n")}${dirty.length > 20 ? `\n  ... and ${dirty.length - 20} more` : ""}`,
      );
    }
  }
  for (const model of batch.models) await git.checkRename(projectRoot, { from: model.skipFile, to: model.realFile }, "restore");
  const branch = `${input.config.branchPrefix}${dimension}`;
  const branchProblem = branchNameProblem(branch);
  if (branchProblem !== null) throw new UserError(`'${branch}' is not a valid git branch name: it ${branchProblem}; change branch-prefix`);
  const startBranch = await git.currentBranch(root);
  const createBranch = input.commit && startBranch !== branch;
  if (createBranch && (await git.branchExists(root, branch))) {
    throw new UserError(`branch ${branch} exists already; switch to it (git switch ${branch}) to add to it, or delete it`);
  }
  if (!(await input.confirm({ batch: batch.models, staying, files: new Map(batch.models.map((m) => [m.name, joinPath(projectDir, m.skipFile)])) }))) return { ...outcome, result: "cancelled" };
  // The tree is checked against this commit; the restore is built on it, or not at all.
  const startHead = await git.headCommit(root);

  // Prove the batch in a scratch copy.
  const proof = await proveRestore({ root: input.root, projectRoot }, batch.models, { ...input, keepManifest: input.onProvenManifest !== undefined, onDbt: () => input.onStep?.("dbt") });
  if (proof.ok && proof.manifest) input.onProvenManifest?.(proof.manifest);
  outcome.dbt.parseRuns = proof.parseRuns;
  outcome.dbt.compileRuns = proof.compileRuns;
  outcome.dbt.invocations = proof.parseRuns + proof.compileRuns;
  outcome.reSkipped = proof.reSkipped.map((r) => ({ name: r.model.name, path: joinPath(projectDir, r.model.skipFile), reason: r.reason }));
  // An interrupt stops dbt: what dbt said then (killed, or half a culprit search) is not about the
  // user's models, and nothing was changed.
  const stoppedBy = interruptedBy(input.signal);
  if (stoppedBy !== null) return { ...outcome, reSkipped: [], result: "interrupted", error: `stopped by ${stoppedBy} before anything was changed (dbt ran only in a scratch copy, and was stopped)` };
  if (!proof.ok) return { ...outcome, result: "failed", error: proof.error };
  const restored = proof.restored;
  outcome.compiled = restored.map((m) => m.name);

  outcome.stillPaused = [
    ...outcome.reSkipped
      .filter((r) => batch.models.find((m) => m.name === r.name)?.dimension === dimension)
      .map((r): StillPaused => ({ name: r.name, path: r.path, status: "re-skipped", missing: [], reason: r.reason })),
    ...staying,
  ];
  if (restored.length === 0) return { ...outcome, result: "nothing-restorable" };

  const inDimension = restored.filter((m) => m.dimension === dimension).length;
  outcome.progress.after = { active: before.active + inDimension, total: before.total };
  outcome.restored = restored.map((m) => ({ ...m, from: joinPath(projectDir, m.skipFile), to: joinPath(projectDir, m.realFile) }));
  return restoreToTree(input, report, outcome, { branch, createBranch, startHead });
}

async function findReport(input: RestoreInput): Promise<ReadinessReport> {
  const { reports } = await computeStatus({ files: input.disk.tree(input.root), config: input.config });
  const matching = reports.filter((r) => r.dimensions.some((d) => d.name === input.dimension));
  if (matching.length > 1) {
    throw new UserError(`dimension '${input.dimension}' is in several projects (${matching.map((r) => r.project.dir).join(", ")}); choose one with --project-dir`);
  }
  return matching[0] ?? reports[0] ?? Promise.reject(new UserError("no dbt project found"));
}

/**
 * The dimension's state document that could not be read (not valid UTF-8, binary, not a state
 * document): never edited, but named in the report as not changed, with why.
 */
function unreadDocument(report: ReadinessReport, dimensionsOutput: string, dimension: string): RestoreOutcome["stateDocument"] {
  const folder = `${dimensionsOutput.replace(/\/+$/, "")}/${dimension}/`;
  const problem = report.problems.find((p) => p.kind === "invalid-state-document" && p.file.startsWith(folder) && p.file.endsWith("_STATE.md") && !p.file.slice(folder.length).includes("/"));
  return problem ? { path: problem.file, updated: false, problem: `it could not be read (${problem.message}), so it was left as it is` } : null;
}
