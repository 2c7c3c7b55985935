import { lstat, realpath } from "node:fs/promises";
import { dirname, join, relative, resolve, sep } from "node:path";
import type { UnskipConfig } from "../core/config/unskipConfig.js";
import { dbtErrorCulprits, dbtErrorText } from "../core/dbt/dbtErrorCulprits.js";
import { joinPath } from "../core/project/projectSnapshot.js";
import type { ReadinessReport, ReportModel } from "../core/readiness/readinessReport.js";
import { isolateCulprits, type ParseOutcome } from "../core/restore/isolateCulprits.js";
import { planRestoreBatch, type BatchModel } from "../core/restore/restoreBatch.js";
import { restoreCommitMessage } from "../core/restore/restoreCommitMessage.js";
import type { RestoreOutcome, StillPaused } from "../core/restore/restoreOutcome.js";
import { applyRestart } from "../core/stateDocument/applyRestart.js";
import { UserError } from "../core/userError.js";
import type { DbtInstallation } from "../adapters/dbt/findDbt.js";
import { spawnDbt, type DbtRunResult } from "../adapters/dbt/spawnDbt.js";
import { ScratchProject } from "../adapters/dbt/scratchProject.js";
import { createDiskFileSource } from "../adapters/files/diskFileSource.js";
import { branchExists, currentBranch, hasCommitIdentity, headCommit, repositoryRoot, uncommittedChanges } from "../adapters/git/gitWorkTree.js";
import { withRepositoryLock } from "../adapters/git/repositoryLock.js";
import { applyTreeChange, TreeTransactionAborted, type TreeChange, type TreeStep } from "../adapters/git/treeTransaction.js";
import { computeStatus } from "./computeStatus.js";
import { branchNameProblem } from "../core/git/refName.js";

export interface RestoreInput {
  /** Repository root (absolute). */
  root: string;
  config: UnskipConfig;
  dimension: string;
  models?: string[] | undefined;
  allowDirty: boolean;
  commit: boolean;
  dbt: DbtInstallation;
  profilesDir?: string | undefined;
  target?: string | undefined;
  /** Environment variable names dbt may see on top of the allow-list (warehouse credentials). */
  extraEnv?: readonly string[] | undefined;
  timeoutMs: number;
  /** Today's date (YYYY-MM-DD), for the restart log. */
  today: string;
  /** Asked once, after the checks and before anything changes; false cancels. */
  /** `batch` paths are relative to the dbt project; `files` has each batch model's paused file from the repository root, as `staying` paths are. */
  confirm: (summary: { batch: BatchModel[]; staying: StillPaused[]; files: ReadonlyMap<string, string> }) => Promise<boolean>;
  progress: (line: string) => void;
  signal?: AbortSignal | undefined;
  /** Told as each step starts (dbt, then the tree transaction's steps); the signal tests hook in here. */
  onStep?: ((step: RestoreStep) => void) | undefined;
  /** A readiness report computed earlier (the Action's); recomputed when absent. */
  report?: ReadinessReport | undefined;
}

export type RestoreStep = "dbt" | TreeStep;

const FALLBACK_IDENTITY = {
  GIT_AUTHOR_NAME: "dbt-unskip",
  GIT_AUTHOR_EMAIL: "dbt-unskip@users.noreply.github.com",
  GIT_COMMITTER_NAME: "dbt-unskip",
  GIT_COMMITTER_EMAIL: "dbt-unskip@users.noreply.github.com",
};

/**
 * Brings a dimension's ready models back, as a transaction: the batch is proven in a scratch copy
 * (dbt parse with culprit isolation, then dbt compile), and only a green batch is applied (the
 * renames, the restart log of every state document the batch touches, one commit built from the
 * committed bytes) through `applyTreeChange`: all of it, or none of it (an interrupt or a failure
 * puts the tree, the index, HEAD and the branches back). The repository's lock is held from the
 * checks to the end, so two restores never build on each other.
 */
export async function restoreDimension(input: RestoreInput): Promise<RestoreOutcome> {
  const { root, dimension, progress } = input;
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
  const blockers = report.rootCauses
    .filter((c) => c.blocks.some((b) => batch.staying.some((m) => m.name === b)))
    .map((c) => ({ name: c.name, type: c.type, expectedFrom: c.expectedFrom, blocks: c.blocks }));
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
    stateDocument: known.stateDocument ? { path: known.stateDocument, updated: false, problem: null } : null,
    commit: null,
    error: null,
  };
  if (batch.models.length === 0) return outcome;

  const gitRoot = await repositoryRoot(root);
  if (!gitRoot) throw new UserError(`${root} is not inside a git repository; restore commits its work, so it needs one`);
  return withRepositoryLock(
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
  const { root, dimension, progress } = input;
  const { batch, staying, projectDir, projectRoot } = ctx;
  const before = outcome.progress.before;
  // Checks before anything changes.
  if (!input.allowDirty) {
    const dirty = await uncommittedChanges(root);
    if (dirty.length > 0) {
      throw new UserError(`uncommitted changes (commit or stash them, or pass --allow-dirty):\n${dirty.slice(0, 20).map((l) => `  ${l}`).join("\n")}${dirty.length > 20 ? `\n  ... and ${dirty.length - 20} more` : ""}`);
    }
  }
  for (const model of batch.models) await checkRenameIsSafe(projectRoot, model);
  const branch = `${input.config.branchPrefix}${dimension}`;
  const branchProblem = branchNameProblem(branch);
  if (branchProblem !== null) throw new UserError(`'${branch}' is not a valid git branch name: it ${branchProblem}; change branch-prefix`);
  const startBranch = await currentBranch(root);
  const createBranch = input.commit && startBranch !== branch;
  if (createBranch && (await branchExists(root, branch))) {
    throw new UserError(`branch ${branch} exists already; switch to it (git switch ${branch}) to add to it, or delete it`);
  }
  if (!(await input.confirm({ batch: batch.models, staying, files: new Map(batch.models.map((m) => [m.name, joinPath(projectDir, m.skipFile)])) }))) return { ...outcome, result: "cancelled" };
  // The tree is checked against this commit; the restore is built on it, or not at all.
  const startHead = await headCommit(root);

  // Prove the batch in a scratch copy.
  const scratch = await ScratchProject.create(projectRoot);
  let restored: BatchModel[];
  try {
    const profilesDir = input.profilesDir ?? ((await exists(join(projectRoot, "profiles.yml"))) ? scratch.dir : undefined);
    const dbt = (args: string[]) =>
      spawnDbt({
        command: input.dbt.command,
        args,
        projectDir: scratch.dir,
        profilesDir,
        target: input.target,
        timeoutMs: input.timeoutMs,
        extraEnv: input.extraEnv,
        signal: input.signal,
        onEvent: (event) => {
          if (event.name === "MainEncounteredError" || event.level === "error") progress(`  dbt: ${event.msg.split("\n")[0]}`);
        },
      });
    const parse = async (subset: BatchModel[]): Promise<ParseOutcome> => {
      await scratch.setRestored(subset, batch.models);
      progress(`dbt parse with ${subset.length} restored model${subset.length === 1 ? "" : "s"}...`);
      const result = await dbt(["parse", "--no-partial-parse"]);
      return toOutcome(result, "parse", input.timeoutMs);
    };
    input.onStep?.("dbt");
    const isolation = await isolateCulprits(batch.models, parse);
    outcome.dbt.parseRuns = isolation.parseRuns;
    outcome.dbt.invocations = isolation.parseRuns;
    outcome.reSkipped = isolation.reSkipped.map((r) => ({ name: r.model.name, path: joinPath(projectDir, r.model.skipFile), reason: r.reason }));
    if (!isolation.ok) return { ...outcome, result: "failed", error: isolation.error };
    restored = isolation.restored;

    // Compile what survived; a compile error takes its model (and dependents) back out.
    while (restored.length > 0) {
      await scratch.setRestored(restored, batch.models);
      progress(`dbt compile --select ${restored.map((m) => m.name).join(" ")}`);
      outcome.dbt.compileRuns++;
      outcome.dbt.invocations++;
      const result = await dbt(["compile", "--no-partial-parse", "--select", ...restored.map((m) => m.name)]);
      const compiled = toOutcome(result, "compile", input.timeoutMs);
      if (compiled.ok) break;
      if ("fatal" in compiled) return { ...outcome, result: "failed", error: compiled.fatal };
      const culprit = compiled.culprits.map((c) => restored.find((m) => m.realFile === c.file)).find(Boolean);
      if (!culprit) return { ...outcome, result: "failed", error: `dbt compile failed:\n${compiled.message}` };
      const gone = new Set([culprit.name]);
      outcome.reSkipped.push({ name: culprit.name, path: joinPath(projectDir, culprit.skipFile), reason: `dbt compile: ${compiled.message.split("\n").slice(0, 2).join(" ").trim().slice(0, 300)}` });
      for (const model of restored) {
        const need = model.needs.find((n) => gone.has(n));
        if (need && !gone.has(model.name)) {
          gone.add(model.name);
          outcome.reSkipped.push({ name: model.name, path: joinPath(projectDir, model.skipFile), reason: `needs ${need}, which was re-skipped` });
        }
      }
      restored = restored.filter((m) => !gone.has(m.name));
    }
    outcome.compiled = restored.map((m) => m.name);
  } finally {
    await scratch.dispose();
  }

  outcome.stillPaused = [
    ...outcome.reSkipped.filter((r) => batch.models.find((m) => m.name === r.name)?.dimension === dimension).map((r): StillPaused => ({ name: r.name, path: r.path, status: "re-skipped", missing: [], reason: r.reason })),
    ...staying,
  ];
  if (restored.length === 0) return { ...outcome, result: "nothing-restorable" };
  if (input.signal?.aborted) return { ...outcome, result: "cancelled" };

  const inDimension = restored.filter((m) => m.dimension === dimension).length;
  outcome.progress.after = { active: before.active + inDimension, total: before.total };
  outcome.restored = restored.map((m) => ({ ...m, from: joinPath(projectDir, m.skipFile), to: joinPath(projectDir, m.realFile) }));
  return applyToWorkTree(input, report, outcome, { branch, createBranch, startHead });
}

/**
 * Applies a proven batch in one tree transaction: the renames, the restart log of the dimension's
 * state document and of every other dimension's document whose models the batch brings back, and
 * (unless --no-commit) one commit on the branch. All of it happens, or none of it.
 */
async function applyToWorkTree(
  input: RestoreInput,
  report: ReadinessReport,
  outcome: RestoreOutcome,
  ctx: { branch: string; createBranch: boolean; startHead: string },
): Promise<RestoreOutcome> {
  const { root } = input;
  const edits: TreeChange["edits"] = [];
  const docs = new Map<string, string>(); // path -> dimension
  if (outcome.stateDocument) {
    const path = outcome.stateDocument.path;
    docs.set(path, outcome.dimension);
    edits.push({
      path,
      edit: (text) =>
        applyRestart(text, {
          date: input.today,
          resumed: outcome.restored.filter((m) => m.dimension === outcome.dimension).map((m) => basename(m.realFile)),
          stillPaused: outcome.stillPaused.map((m) => ({ file: basename(m.path), missing: m.missing.length > 0 ? m.missing : [m.reason] })),
          nextAction: nextAction(outcome),
        }),
    });
  }
  // A model of another dimension that comes back with this batch is resumed in that dimension's document too.
  const others = [...new Set(outcome.restored.map((m) => m.dimension).filter((d): d is string => d !== null && d !== outcome.dimension))];
  for (const other of others) {
    const path = report.dimensions.find((d) => d.name === other)?.stateDocument;
    if (!path || docs.has(path)) continue;
    docs.set(path, other);
    const resumed = outcome.restored.filter((m) => m.dimension === other);
    const restoredNames = new Set(outcome.restored.map((m) => m.name));
    const projectDir = report.project.dir === "." ? "" : report.project.dir;
    const stillPaused = stillPausedOf(
      report.models.filter((m) => m.dimension === other && !restoredNames.has(m.name)),
      projectDir,
    );
    edits.push({
      path,
      edit: (text) =>
        applyRestart(text, {
          date: input.today,
          resumed: resumed.map((m) => basename(m.realFile)),
          stillPaused: stillPaused.map((m) => ({ file: basename(m.path), missing: m.missing.length > 0 ? m.missing : [m.reason] })),
          nextAction: stillPaused.length === 0 ? `Complete migration: run and test the dimension (dbt build --select tag:${other})` : `Restored with ${outcome.dimension}; restore the rest with dbt-unskip restore --dimension ${other}`,
        }),
    });
  }
  const withDocs = (results: { path: string; committed: boolean; problem: string | null }[]): RestoreOutcome => {
    const own = outcome.stateDocument ? results.find((r) => r.path === outcome.stateDocument!.path) : undefined;
    return {
      ...outcome,
      stateDocument: outcome.stateDocument && own ? { path: own.path, updated: own.committed, problem: own.problem } : outcome.stateDocument,
      otherStateDocuments: results.filter((r) => r.path !== outcome.stateDocument?.path).map((r) => ({ dimension: docs.get(r.path) ?? "?", path: r.path, updated: r.committed, problem: r.problem })),
    };
  };

  let message = "";
  try {
    const env = (await hasCommitIdentity(root)) ? undefined : FALLBACK_IDENTITY;
    const result = await applyTreeChange(
      root,
      {
        renames: outcome.restored.map((m) => ({ from: m.from, to: m.to })),
        edits,
        expectedHead: ctx.startHead,
        commit: input.commit
          ? {
              message: (results) => (message = restoreCommitMessage(withDocs(results))),
              branch: ctx.branch,
              createBranch: ctx.createBranch,
              env,
            }
          : null,
      },
      { signal: input.signal, onStep: input.onStep },
    );
    const done = withDocs(result.edits);
    return { ...done, result: "restored", notes: result.notes, commit: result.sha ? { branch: ctx.branch, sha: result.sha, message } : null };
  } catch (error) {
    const reason = error instanceof TreeTransactionAborted ? "interrupted before the restore was complete; nothing of it was kept" : (error as Error).message;
    return {
      ...outcome,
      restored: [],
      commit: null,
      result: "failed",
      error: reason,
      progress: { ...outcome.progress, after: outcome.progress.before },
      stateDocument: outcome.stateDocument ? { ...outcome.stateDocument, updated: false } : null,
    };
  }
}

async function findReport(input: RestoreInput): Promise<ReadinessReport> {
  const { reports } = await computeStatus({ files: createDiskFileSource(input.root), config: input.config });
  const matching = reports.filter((r) => r.dimensions.some((d) => d.name === input.dimension));
  if (matching.length > 1) {
    throw new UserError(`dimension '${input.dimension}' is in several projects (${matching.map((r) => r.project.dir).join(", ")}); choose one with --project-dir`);
  }
  return matching[0] ?? reports[0] ?? Promise.reject(new UserError("no dbt project found"));
}

/** RELIABILITY 9: never follow a link, never overwrite, never leave the project. */
async function checkRenameIsSafe(projectRoot: string, model: BatchModel): Promise<void> {
  const from = resolve(projectRoot, model.skipFile);
  const to = resolve(projectRoot, model.realFile);
  const realRoot = await realpath(projectRoot);
  for (const path of [from, to]) {
    const parent = await realpath(dirname(path)).catch(() => null);
    if (parent === null || (parent !== realRoot && !parent.startsWith(realRoot + sep))) {
      throw new UserError(`${relative(projectRoot, path)}: resolves outside the dbt project; refusing to rename it`);
    }
  }
  const stats = await lstat(from).catch(() => null);
  if (!stats) throw new UserError(`${model.skipFile}: no longer exists`);
  if (stats.isSymbolicLink()) throw new UserError(`${model.skipFile}: is a symbolic link; refusing to restore it`);
  if (!stats.isFile()) throw new UserError(`${model.skipFile}: is not a regular file`);
  if (await exists(to)) throw new UserError(`${model.realFile}: already exists; restoring ${model.skipFile} would overwrite it`);
}

export function toOutcome(result: DbtRunResult, command: string, timeoutMs: number): ParseOutcome {
  if (result.exitCode === 0) return { ok: true };
  if (result.timedOut) return { ok: false, fatal: `dbt ${command} timed out after ${Math.round(timeoutMs / 1000)} s` };
  if (result.killedBy) return { ok: false, fatal: `dbt ${command} was killed (${result.killedBy})` };
  const message = dbtErrorText(result.events);
  // Exit 2 with an error event is dbt rejecting the project; anything else is dbt failing to run.
  if (!message) {
    const tail = result.otherOutput.trim().split("\n").slice(-5).join("\n");
    return { ok: false, fatal: `dbt ${command} failed (exit ${result.exitCode ?? "none"}) without an error event:\n${tail}` };
  }
  return { ok: false, culprits: dbtErrorCulprits(message), message };
}

function stillPausedOf(models: ReportModel[], projectDir: string): StillPaused[] {
  return models.map((m) => {
    const missing = m.missing.map((d) => (d.type === "source" ? `source ${d.name}` : d.name));
    const below = m.blockedBy.map((k) => k.slice(k.indexOf(":") + 1)).filter((n) => !m.missing.some((d) => d.name === n));
    const reason =
      m.status === "blocked"
        ? [missing.length > 0 ? `missing: ${missing.join(", ")}` : "", below.length > 0 ? `waits on ${m.needsRestored.join(", ")} (blocked by ${below.join(", ")})` : ""].filter(Boolean).join("; ")
        : m.reasons.join("; ") || m.status;
    return { name: m.name, path: joinPath(projectDir, m.path), status: m.status, missing: missing.length > 0 ? missing : below, reason };
  });
}

function nextAction(outcome: RestoreOutcome): string {
  if (outcome.stillPaused.length === 0) return "Complete migration: run and test the dimension (dbt build --select tag:" + outcome.dimension + ")";
  const wanted = outcome.blockers.map((b) => `${b.name}${b.expectedFrom ? ` (from ${b.expectedFrom})` : ""}`);
  return wanted.length > 0 ? `Wait for remaining dependencies: ${wanted.join(", ")}` : "Investigate the models still paused";
}

async function exists(path: string): Promise<boolean> {
  return lstat(path).then(
    () => true,
    () => false,
  );
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}
