import { createHash } from "node:crypto";
import { join, resolve } from "node:path";
import type { UnskipConfig } from "../core/config/unskipConfig.js";
import { buildMigrationPlan } from "../core/plan/buildMigrationPlan.js";
import type { ManifestIndex } from "../core/plan/manifestIndex.js";
import { sha256Hex } from "../core/plan/rollbackScript.js";
import type { MigrationPlan, PlannedFile } from "../core/plan/types.js";
import { relativeTo } from "../core/project/projectSnapshot.js";
import type { ReadinessReport, ReportModel } from "../core/readiness/readinessReport.js";
import { planRestoreBatch } from "../core/restore/restoreBatch.js";
import { redactDeep, redactSecrets } from "../core/warehouseRun/redactSecrets.js";
import { UserError } from "../core/userError.js";
import type { LocalFiles } from "./localFiles.js";
import { readRestoreCommit, type RestoreCommit } from "./readRestoreCommit.js";
import { reportForDimension } from "./reportForDimension.js";
import type { ProvenManifest } from "./proveRestore.js";
import { dbtSettingsKey, type ScratchContext } from "./scratchDbt.js";
import { manifestWithReadyBatch, manifestWithRestoredFiles } from "./scratchManifest.js";
import type { TreeChangePorts } from "./treeChangePorts.js";

/** What a plan needs; the ports (`TreeChangePorts`: the paused files' bytes and the state document, git, the scratch copy) are restore's. */
export interface PlanDimensionInput extends TreeChangePorts {
  root: string;
  config: UnskipConfig;
  dimension: string;
  /** Only these ready models (and what they need), as restore --models. */
  models?: string[] | undefined;
  /**
   * `ready`: what a restore would bring back now; `restored`: what the latest restore commit brought
   * back; `auto`: ready models when there are any, else the latest restore.
   */
  basis?: "auto" | "ready" | "restored";
  dbt: ScratchContext;
  /** Values to hide wherever dbt's words reach the plan (RELIABILITY 15). */
  secrets: readonly string[];
  progress: (line: string) => void;
  report?: ReadinessReport | undefined;
  /**
   * For a plan of a restore just made (`restored` basis): the manifest of that restore's own last
   * `dbt parse`. Taken instead of parsing again only when it is provably of the tree the plan would
   * parse (`reusableProof`); anything else parses as usual.
   */
  proven?: (ProvenManifest & { commit: string }) | null | undefined;
}

/** Plans a dimension's restore from dbt's own manifest, in a scratch copy: nothing is changed. */
export async function planDimension(input: PlanDimensionInput): Promise<MigrationPlan> {
  const basis = input.basis ?? "auto";
  if (basis !== "restored") {
    const report = input.report ?? (await reportForDimension(input));
    if (!report.dimensions.some((d) => d.name === input.dimension)) {
      throw new UserError(`no dimension '${input.dimension}' in ${report.project.name}; known: ${report.dimensions.map((d) => d.name).join(", ") || "(none)"}`);
    }
    const batch = planRestoreBatch(report, input.dimension, input.models);
    if (batch.models.length > 0 || basis === "ready") return redactDeep(await planReady(input, report, batch), input.secrets);
  }
  // Outside git there is no restore commit to fall back on; only an explicit --restored insists.
  const commit = await readRestoreCommit(input.git, input.root, input.dimension).catch((error: unknown) => {
    if (basis === "auto" && error instanceof UserError) return null;
    throw error;
  });
  const report = input.report ?? (await reportForDimension({ ...input, paths: commit?.files.map((f) => f.to) ?? [] }));
  if (!commit) {
    if (basis === "restored") throw new UserError(`no restore of ${input.dimension} on this branch (a commit "resume: ${input.dimension} migration" by dbt-unskip)`);
    return redactDeep(await planReady(input, report, planRestoreBatch(report, input.dimension, input.models)), input.secrets);
  }
  return redactDeep(await planRestored(input, report, commit), input.secrets);
}

async function planReady(input: PlanDimensionInput, report: ReadinessReport, batch: ReturnType<typeof planRestoreBatch>): Promise<MigrationPlan> {
  const projectRoot = resolve(input.root, report.project.dir || ".");
  const doc = report.dimensions.find((d) => d.name === input.dimension)?.stateDocument ?? null;
  const staying = batch.staying.map((m) => ({ name: m.name, reason: stayReason(m) }));
  let manifest: ManifestIndex | null = null;
  let restored = batch.models;
  let reSkipped: { name: string; reason: string }[] = [];
  if (batch.models.length > 0) {
    const proven = await manifestWithReadyBatch({ scratch: input.scratch, ctx: input.dbt, root: input.root, projectRoot, batch: batch.models, progress: scratchProgress(input) });
    manifest = proven.manifest;
    restored = proven.restored;
    reSkipped = proven.reSkipped;
  }
  const disk = input.disk;
  const files: PlannedFile[] = [];
  for (const m of restored) {
    const bytes = await disk.readBytes(join(projectRoot, m.skipFile));
    files.push({ name: m.name, dimension: m.dimension, skipFile: m.skipFile, realFile: m.realFile, because: m.because, sha256: createHash("sha256").update(bytes).digest("hex") });
  }
  return buildMigrationPlan({
    dimension: input.dimension,
    project: report.project,
    basis: { kind: "ready" },
    files,
    manifest: manifest ?? emptyManifest(),
    report,
    reSkipped,
    stayingPaused: staying,
    stateDocument: doc ? { path: doc, previousText: await stateDocumentText(disk, join(input.root, doc), doc), afterSha256: null } : null,
    gitPrefix: (await input.git.gitPrefix(input.root)) ?? "",
  });
}

async function planRestored(input: PlanDimensionInput, report: ReadinessReport, commit: RestoreCommit): Promise<MigrationPlan> {
  const projectRoot = resolve(input.root, report.project.dir || ".");
  const files = restoredFiles(commit, report.project.dir);
  const reused = (await reusableProof(input, commit, projectRoot, files)) ? input.proven!.manifest : null;
  if (reused) input.progress("dbt's manifest of the restore's own parse (the same files, the same settings): no second parse");
  const manifest = reused ?? (await manifestWithRestoredFiles({ scratch: input.scratch, ctx: input.dbt, root: input.root, projectRoot, files, progress: scratchProgress(input) }));
  return planFromCommit({ dimension: input.dimension, report, commit, manifest });
}

/**
 * Whether the restore's proof parsed exactly the tree this plan would copy and parse: the proof was
 * of this very commit, with the commit's restored files and nothing else restored; the commit
 * only renamed them, bytes unchanged, and changed nothing else inside the dbt project (its state document lies outside it, or dbt would read
 * a changed .md); the checkout is at that commit with nothing changed or untracked in the project
 * (the proof's copy was taken from a clean tree just before the commit); and dbt runs alike (same
 * command, profiles folder, target, passed-through variables, no variables set on top).
 */
async function reusableProof(input: PlanDimensionInput, commit: RestoreCommit, projectRoot: string, files: readonly PlannedFile[]): Promise<boolean> {
  const proven = input.proven;
  if (!proven || proven.commit !== commit.sha) return false;
  if (Object.keys(input.dbt.setEnv ?? {}).length > 0 || proven.settings !== dbtSettingsKey(input.dbt)) return false;
  if (JSON.stringify(proven.realFiles) !== JSON.stringify(files.map((f) => f.realFile).sort())) return false;
  // A git failure is a reason to parse again, never to fail the plan.
  if ((await input.git.headCommit(projectRoot).catch(() => null)) !== commit.sha) return false;
  if ((await input.git.uncommittedChanges(projectRoot).catch(() => null))?.length !== 0) return false;
  // The commit's changes in the project, with their blobs: only the renames, each with its bytes kept.
  const blobs = await input.git.commitBlobChanges(projectRoot, commit.sha);
  if (!blobs) return false;
  const renamed = files.flatMap((f) => [f.skipFile, f.realFile]);
  if (blobs.size !== renamed.length || !renamed.every((path) => blobs.has(path))) return false;
  return files.every((f) => blobs.get(f.skipFile)!.before === blobs.get(f.realFile)!.after);
}

/** Progress of the scratch parses: dbt's error lines are echoed there, with the secrets hidden as in the plan. */
const scratchProgress =
  (input: PlanDimensionInput) =>
  (line: string): void =>
    input.progress(redactSecrets(line, input.secrets));

/** A plan of what a restore commit brought back, from a manifest in which those models are active. */
export function planFromCommit(input: { dimension: string; report: ReadinessReport; commit: RestoreCommit; manifest: ManifestIndex }): MigrationPlan {
  const { report, commit } = input;
  return buildMigrationPlan({
    dimension: input.dimension,
    project: report.project,
    basis: { kind: "restored", commit: commit.sha },
    files: restoredFiles(commit, report.project.dir),
    manifest: input.manifest,
    report,
    stayingPaused: report.models.filter((m) => m.dimension === input.dimension).map((m) => ({ name: m.name, reason: stayReason(m) })),
    stateDocument: commit.stateDocument ? { path: commit.stateDocument.path, previousText: commit.stateDocument.previousText, afterSha256: sha256Hex(commit.stateDocument.afterText) } : null,
    gitPrefix: commit.gitPrefix,
  });
}

/** The commit's renames as project-relative planned files. */
export function restoredFiles(commit: RestoreCommit, projectDir: string): PlannedFile[] {
  return commit.files.flatMap((f): PlannedFile[] => {
    const realFile = relativeTo(projectDir, f.to);
    const skipFile = relativeTo(projectDir, f.from);
    if (realFile === null || skipFile === null) return [];
    const base = realFile.slice(realFile.lastIndexOf("/") + 1);
    return [{ name: base.replace(/\.[^.]+$/, ""), dimension: null, skipFile, realFile, because: f.because, sha256: sha256Hex(f.text) }];
  });
}

/** The state document's text as it is on disk, byte-order mark and all: a rollback writes it back. */
async function stateDocumentText(disk: LocalFiles, path: string, display: string): Promise<string> {
  const text = await disk.readText(path);
  if (text === null) throw new Error(`${display}: no such file (the readiness report lists it)`);
  return text;
}

function stayReason(m: ReportModel): string {
  if (m.status === "ready") return "ready, but not in this batch";
  if (m.status === "blocked") return `blocked by ${m.blockedBy.map((k) => k.slice(k.indexOf(":") + 1)).join(", ")}`;
  return m.reasons.join("; ") || m.status;
}

function emptyManifest(): ManifestIndex {
  return { adapterType: null, projectName: null, nodes: new Map(), tests: [], macroSql: new Map() };
}
