import type { UnskipConfig } from "../core/config/unskipConfig.js";
import { applyExactDependencies, type ExactResult } from "../core/dbt/applyExactDependencies.js";
import { buildProject, type BuildHooks, type DbtProject, type ParseSettings } from "../core/project/buildProject.js";
import type { ProjectSnapshot } from "../core/project/projectSnapshot.js";
import { analyzeReadiness } from "../core/readiness/analyzeReadiness.js";
import { filterReport } from "../core/readiness/filterReport.js";
import type { ReadinessReport, ReportDimension } from "../core/readiness/readinessReport.js";
import { UserError } from "../core/userError.js";
import type { FileSource } from "./fileSource.js";
import { readProjectSnapshot } from "./readProjectSnapshot.js";
import type { parseStateDocument } from "../core/stateDocument/parseStateDocument.js";
import { stateDocumentDrift } from "../core/stateDocument/stateDocumentDrift.js";
import { locationsOutsideRepository } from "../core/stateDocument/stateDocumentLocations.js";
import { linkedStateFolder, linkedStateFolderRestoreRefused, readStateDocuments, type LoadedStateDocument } from "./readStateDocuments.js";
import { resolveProjectDirs } from "./resolveProjectDirs.js";

/**
 * A step that may compute buildProject's per-file steps ahead, from a project's snapshot (the
 * properties YAML on a worker thread: src/adapters/threads/propertiesThread.ts); the same answers either way.
 */
export type PrepareBuild = (snapshot: ProjectSnapshot, parse: ParseSettings) => Promise<BuildHooks | undefined>;

export interface StatusResult {
  reports: ReadinessReport[];
  /** Per project, the state documents that were read (restore edits them). */
  stateDocuments: LoadedStateDocument[];
}

/** Readiness of every configured dbt project (static scan: no dbt, no network). */
export async function computeStatus(input: {
  files: FileSource;
  config: UnskipConfig;
  dimension?: string | undefined;
  /** Exact mode: ask dbt what paused models depend on (static extraction otherwise). */
  exact?: ((project: DbtProject) => Promise<ExactResult>) | undefined;
  /**
   * Per project folder, stand-ins for buildProject's per-file steps (see BuildHooks); `ahead` is what
   * `prepare` gave for the project, for the caller's hooks to compose with (undefined without it).
   */
  build?: ((projectDir: string, ahead: BuildHooks | undefined) => BuildHooks) | undefined;
  /** Per project, buildProject's per-file steps computed ahead: used as they are, or given to `build`. */
  prepare?: PrepareBuild | undefined;
  /** A stand-in for parseStateDocument that gives what it gives for the same text (see readStateDocuments). */
  parseStateDocument?: ((text: string, path: string) => ReturnType<typeof parseStateDocument>) | undefined;
}): Promise<StatusResult> {
  const { files, config } = input;
  const projectDirs = await resolveProjectDirs(files, config.projectDirs);
  const { documents, problems: documentProblems } = await readStateDocuments(files, config.dimensionsOutput, input.parseStateDocument);
  const reports: ReadinessReport[] = [];
  for (const dir of projectDirs) {
    const built = await readAndBuild(files, dir, { vars: config.vars, target: config.target }, input);
    if ("problem" in built) {
      const p = built.problem;
      throw new UserError(`${p.file}${p.line ? `:${p.line}` : ""}: ${p.message}`);
    }
    const project = input.exact ? applyExactDependencies(built.project, await input.exact(built.project)) : built.project;
    const pausedNames = new Set(project.models.filter((m) => m.state !== "active").map((m) => m.name));
    // With several projects, a state document belongs to the project whose paused models it lists.
    const docs = projectDirs.length === 1 ? documents : documents.filter((d) => d.pausedModels.some((m) => pausedNames.has(m.name)));
    // A document that disagrees with the tree (a model restored or paused without it) is said.
    // ... and a paused model's location outside the repository (relative to this project's folder).
    const drift = docs.flatMap((d) => [...locationsOutsideRepository(d, project.projectDir), ...stateDocumentDrift(d, project)]);
    reports.push(analyzeReadiness({ project, stateDocuments: docs, config, problems: [...(reports.length === 0 ? documentProblems : []) /* reported once */, ...drift] }));
  }
  // A dimension whose restore would be refused before it starts (restoreDimension: its state
  // documents' folder is a symbolic link) is marked, so that no report suggests that restore.
  const refusals = new Map<string, ReportDimension["restoreRefused"] | null>();
  for (const dim of reports.flatMap((r) => r.dimensions)) {
    if (!refusals.has(dim.name)) {
      const link = await linkedStateFolder(files, `${config.dimensionsOutput.replace(/\/+$/, "")}/${dim.name}`);
      refusals.set(dim.name, link === null ? null : { link, message: linkedStateFolderRestoreRefused(link) });
    }
    const refused = refusals.get(dim.name);
    if (refused) dim.restoreRefused = refused;
  }
  if (input.dimension !== undefined) {
    const known = new Set(reports.flatMap((r) => r.dimensions.map((d) => d.name)));
    if (!known.has(input.dimension)) {
      throw new UserError(`unknown dimension '${input.dimension}'; known dimensions: ${[...known].sort().join(", ") || "(none)"}`);
    }
    return { reports: reports.map((r) => filterReport(r, input.dimension!)), stateDocuments: documents };
  }
  return { reports, stateDocuments: documents };
}

/**
 * One project's snapshot, read and built. A function of its own so that the snapshot (the properties
 * YAML texts, tens of MB at 50,000 models) and the build's hooks (the worker's answers) can go once
 * the project is built: kept in the caller's frame, they lived through the readiness analysis and
 * the report's printing, where the run's memory peaks (BENCHMARKS.md, finding 22).
 */
async function readAndBuild(
  files: FileSource,
  dir: string,
  parse: ParseSettings,
  input: { build?: ((projectDir: string, ahead: BuildHooks | undefined) => BuildHooks) | undefined; prepare?: PrepareBuild | undefined },
): Promise<ReturnType<typeof buildProject>> {
  // Models read as the build gets to them, unless the caller's hooks remember texts anyway.
  const snapshot = await readProjectSnapshot(files, dir, { defer: input.build === undefined });
  const ahead = await input.prepare?.(snapshot, parse);
  const hooks = input.build !== undefined ? input.build(dir, ahead) : ahead;
  return buildProject(snapshot, parse, hooks);
}
