import { classifyModelFile } from "../project/modelFileName.js";
import { joinPath, relativeTo } from "../project/projectSnapshot.js";
import type { DependencyStatus, ReadinessReport, ReportModel } from "./readinessReport.js";
import { findProvider, findRemoval, wasRestored } from "./changedFileProviders.js";
import type { BrokenActiveModel, ChangedFile, DependencyRef, ModelChange, ReadinessCause, ReadinessDiff } from "./readinessDiff.js";

/** Sources (`src.table`) declared by a YAML file the PR changed, read at one side of the diff. */
export interface SourceDeclaration {
  name: string;
  /** Relative to the repository root. */
  file: string;
}

export interface DiffReadinessInput {
  /** The report at the PR's base, or null when the base has no such project (or could not be read). */
  base: ReadinessReport | null;
  head: ReadinessReport;
  changes: readonly ChangedFile[];
  /** Sources declared in the changed YAML files at each side, to name the file that adds or drops one. */
  sourceDeclarations?: { base: readonly SourceDeclaration[]; head: readonly SourceDeclaration[] } | undefined;
  /** Why there is no base report, when it could not be read. */
  baseUnavailable?: string | null;
}

/**
 * Compares readiness at a PR's base and head, and says which change moved each verdict. Pure: the
 * two reports, the changed files and the sources those files declare are all it looks at.
 */
export function diffReadiness(input: DiffReadinessInput): ReadinessDiff {
  const { head } = input;
  const base = input.base;
  const dir = head.project.dir;
  const fileOf = (model: ReportModel) => joinPath(dir, model.path);
  const baseByFile = new Map((base?.models ?? []).map((m) => [fileOf(m), m]));
  const baseByName = new Map((base?.models ?? []).map((m) => [m.name, m]));
  const headStatus = dependencyStatuses(head);
  // A head root cause whose name a file dbt never reads looks like it provides (analyzeReadiness).
  const unreadAtHead = new Map<string, { file: string; why: string }>(head.rootCauses.flatMap((c) => (c.unreadFile ? [[`${c.type}:${c.name}`, c.unreadFile] as const] : [])));
  const baseStatus = dependencyStatuses(base);
  const headReadyNames = new Set(head.models.filter((m) => m.status === "ready").map((m) => m.name));
  const changes = input.changes.filter((c) => relativeTo(dir, c.path) !== null || (c.from !== undefined && relativeTo(dir, c.from) !== null));
  const declarations = input.sourceDeclarations ?? { base: [], head: [] };

  const providerAtHead = (dep: DependencyRef, paused: boolean) => findProvider(changes, dep, declarations.head, paused ? "paused" : "active");
  const providerAtBase = (dep: DependencyRef) => findRemoval(changes, dep, declarations.base);

  const newlyReady: ModelChange[] = [];
  const newlyBlocked: ModelChange[] = [];
  for (const model of head.models) {
    const file = fileOf(model);
    // A paused file keeps its identity across a move by name; a model renamed on disk is the same model.
    const before = baseByFile.get(file) ?? baseByName.get(model.name) ?? null;
    const was = before?.status ?? null;
    if (model.status === "ready" && was !== "ready") {
      newlyReady.push(change(model, file, was, readyCauses(model, before, file)));
    } else if (was === "ready" && model.status !== "ready") {
      newlyBlocked.push(change(model, file, was, blockedCauses(model, before!, file)));
    } else if (was === "blocked" && model.status === "blocked") {
      const added = model.blockedBy.filter((key) => !before!.blockedBy.includes(key));
      if (added.length > 0)
        newlyBlocked.push(
          change(
            model,
            file,
            was,
            added.map((key) => rootCause(parseDependencyKey(key), model, before!, file)),
          ),
        );
    }
  }

  function readyCauses(model: ReportModel, before: ReportModel | null, file: string): ReadinessCause[] {
    if (!before) {
      const own = changes.find((c) => c.path === file);
      return [{ kind: "new-paused-file", file, change: own?.status ?? null }];
    }
    const causes: ReadinessCause[] = [];
    for (const key of before.blockedBy) {
      const dep = parseDependencyKey(key);
      const status = headStatus.get(key);
      if (status === "available" || status === "paused") {
        const pausedReady = status === "paused";
        const found = providerAtHead(dep, pausedReady);
        causes.push({ kind: "now-available", dependency: dep, now: pausedReady ? "paused-ready" : "available", file: found?.path ?? null, change: found?.status ?? null });
      } else {
        causes.push({ kind: "no-longer-needed", dependency: dep, file: stillNeeds(model, dep) ? null : file });
      }
    }
    for (const reason of before.reasons) if (!model.reasons.includes(reason)) causes.push({ kind: "reason-cleared", reason });
    return causes;
  }

  function blockedCauses(model: ReportModel, before: ReportModel, file: string): ReadinessCause[] {
    const causes = model.blockedBy.map((key) => rootCause(parseDependencyKey(key), model, before, file));
    for (const reason of model.reasons) if (!before.reasons.includes(reason)) causes.push({ kind: "reason-added", reason });
    return causes;
  }

  /** Why `dep` blocks `model` at head when it did not at base. */
  function rootCause(dep: DependencyRef, model: ReportModel, before: ReportModel, file: string): ReadinessCause {
    const key = `${dep.type}:${dep.name}`;
    const unread = unreadAtHead.get(key);
    const note = unread ? { unreadFile: { file: joinPath(dir, unread.file), why: unread.why } } : {};
    if (baseStatus.get(key) === "available") {
      const found = providerAtBase(dep);
      return { kind: "now-unavailable", dependency: dep, file: found?.file ?? null, change: found?.change ?? null, ...note };
    }
    const newInFile = stillNeeds(model, dep) && !stillNeeds(before, dep);
    return { kind: "new-dependency", dependency: dep, file: newInFile ? file : null, ...note };
  }

  // By a set of names: asking every head model for every base model was paused × paused (a million at 10k models).
  const headNames = new Set(head.models.map((h) => h.name));
  const restored = (base?.models ?? []).filter((m) => !headNames.has(m.name) && wasRestored(changes, fileOf(m), m.name)).map((m) => ({ name: m.name, file: fileOf(m) }));

  const brokenActive = brokenActiveModels(head, base).map((b) => ({
    ...b,
    removedBy: b.isNew && b.dependency ? providerAtBase(b.dependency) : null,
  }));
  const newlyReadySorted = sortChanges(newlyReady, head);
  return {
    project: head.project,
    newlyReady: newlyReadySorted,
    newlyBlocked: sortChanges(newlyBlocked, head),
    restored,
    brokenActive,
    head: { ...head.summary },
    headModels: head.models.map((m) => ({ name: m.name, file: fileOf(m), dimension: m.dimension, status: m.status, blockedBy: m.blockedBy })),
    baseUnavailable: input.baseUnavailable ?? null,
    changed: newlyReady.length + newlyBlocked.length + restored.length + brokenActive.filter((b) => b.isNew).length > 0,
  };

  function change(model: ReportModel, file: string, was: ModelChange["was"], because: ReadinessCause[]): ModelChange {
    return {
      name: model.name,
      file,
      dimension: model.dimension,
      was,
      now: model.status,
      because,
      needsRestored: model.status === "ready" ? model.needsRestored.filter((n) => headReadyNames.has(n)) : [],
      blockedBy: model.blockedBy,
    };
  }
}

/** Every dependency's status on one side, by `type:name` (the same for every model that has it). */
function dependencyStatuses(report: ReadinessReport | null): Map<string, DependencyStatus> {
  const statuses = new Map<string, DependencyStatus>();
  for (const model of report?.models ?? []) {
    for (const dep of model.dependencies) if (dep.status !== "dynamic") statuses.set(`${dep.type}:${dep.name}`, dep.status);
  }
  return statuses;
}

function stillNeeds(model: ReportModel, dep: DependencyRef): boolean {
  return model.dependencies.some((d) => d.type === dep.type && d.name === dep.name);
}

/** `ref:x` / `source:src.table` (a report's `blockedBy` entry) as a dependency. */
export function parseDependencyKey(key: string): DependencyRef {
  const colon = key.indexOf(":");
  return { type: key.slice(0, colon) === "source" ? "source" : "ref", name: key.slice(colon + 1) };
}

const BROKEN = /depends on (source )?'(.*)', which (?:is paused|is disabled|nothing in the project provides)/s;

function brokenActiveModels(head: ReadinessReport, base: ReadinessReport | null): Omit<BrokenActiveModel, "removedBy">[] {
  const atBase = new Set((base?.problems ?? []).filter((p) => p.kind === "active-refs-paused" || p.kind === "active-refs-missing").map((p) => `${p.kind}\n${p.file}\n${p.message}`));
  const broken: Omit<BrokenActiveModel, "removedBy">[] = [];
  for (const problem of head.problems) {
    if (problem.kind !== "active-refs-paused" && problem.kind !== "active-refs-missing") continue;
    const match = BROKEN.exec(problem.message);
    broken.push({
      file: problem.file,
      line: problem.line ?? null,
      model: classifyModelFile(problem.file)?.name ?? problem.file,
      dependency: match ? { type: match[1] ? "source" : "ref", name: match[2]! } : null,
      status: problem.kind === "active-refs-paused" ? "paused" : "missing",
      isNew: !atBase.has(`${problem.kind}\n${problem.file}\n${problem.message}`),
      message: problem.message,
      ...dimensionOf(head, problem.file),
    });
  }
  return broken.sort((a, b) => Number(b.isNew) - Number(a.isNew) || compare(a.file, b.file) || (a.line ?? 0) - (b.line ?? 0));
}

/** The dimension of a broken active model, when the head report knows it. */
function dimensionOf(head: ReadinessReport, file: string): { dimension?: string } {
  const dir = head.project.dir === "." ? "" : head.project.dir;
  const dimension = head.breaking?.find((b) => joinPath(dir, b.path) === file)?.dimension;
  return dimension ? { dimension } : {};
}

/** Ready models in restore order (a cascade reads top-down), the rest by dimension and name. */
function sortChanges(changes: ModelChange[], head: ReadinessReport): ModelChange[] {
  const order = new Map(head.models.map((m) => [m.name, m.restoreOrder ?? Number.MAX_SAFE_INTEGER]));
  return changes.sort((a, b) => (order.get(a.name) ?? 0) - (order.get(b.name) ?? 0) || compare(a.dimension ?? "\uffff", b.dimension ?? "\uffff") || compare(a.name, b.name) || compare(a.file, b.file));
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
