import type { DbtProject, ModelNode, UnavailableNode } from "../project/buildProject.js";
import type { Dependency } from "../types.js";
import type { DependencyStatus } from "./readinessReport.js";

/**
 * What the active project provides, indexed once so that each dependency is answered by a map
 * lookup (no file-system access, no scans per reference).
 */
export interface AvailabilityIndex {
  /** Active root-project models: name → versions present (null for an unversioned model). */
  active: Map<string, Set<string | null>>;
  /** Latest declared version of a versioned model, by name. */
  latest: Map<string, string>;
  seeds: Set<string>;
  snapshots: Set<string>;
  /** `pkg.model` and bare `model` for every installed package model. */
  packageModels: Set<string>;
  packages: Set<string>;
  /** `src.table` of every enabled declared source table. */
  sources: Set<string>;
  /** `src.table` declared but disabled. */
  disabledSources: Set<string>;
  /** `src.table` declared, but whether dbt enables it cannot be decided statically. */
  uncertainSources: Set<string>;
  /** Paused (`.skip`) models by name, with their files. */
  paused: Map<string, ModelNode[]>;
  /** Models, seeds, snapshots dbt will not enable (or may not), by name. */
  unavailable: Map<string, UnavailableNode[]>;
  projectName: string;
}

export function indexAvailability(project: DbtProject): AvailabilityIndex {
  const active = new Map<string, Set<string | null>>();
  const paused = new Map<string, ModelNode[]>();
  for (const model of project.models) {
    if (model.state === "active") {
      const versions = active.get(model.name) ?? new Set();
      versions.add(model.version);
      active.set(model.name, versions);
    } else if (model.state === "paused") {
      paused.set(model.name, [...(paused.get(model.name) ?? []), model]);
    }
  }
  const latest = new Map<string, string>();
  for (const [name, props] of project.properties) {
    const declared = props.latestVersion ?? maxVersion(props.versions.map((v) => v.v));
    if (declared !== null) latest.set(name, declared);
  }
  const packageModels = new Set<string>();
  for (const model of project.packageModels) {
    packageModels.add(`${model.package}.${model.name}`);
    packageModels.add(model.name);
  }
  const sources = new Set<string>();
  const disabledSources = new Set<string>();
  const uncertainSources = new Set<string>();
  for (const source of project.sources) {
    const key = `${source.source}.${source.table}`;
    const state = source.enabledness?.state ?? (source.enabled ? "enabled" : "disabled");
    (state === "enabled" ? sources : state === "uncertain" ? uncertainSources : disabledSources).add(key);
  }
  // A table declared twice (once enabled) is available; uncertain only when no declaration enables it.
  for (const key of sources) {
    uncertainSources.delete(key);
    disabledSources.delete(key);
  }
  return {
    active,
    latest,
    seeds: project.seeds,
    snapshots: project.snapshots,
    packageModels,
    packages: new Set(project.packages),
    sources,
    disabledSources,
    uncertainSources,
    paused,
    unavailable: project.unavailable,
    projectName: project.name,
  };
}

/** The name a dependency is reported under: `model`, `pkg.model`, `src.table`. */
export function dependencyName(dep: Dependency): string {
  if (dep.type === "source") return `${dep.source}.${dep.table}`;
  if (dep.type === "dynamic") return dep.expression;
  return dep.package ? `${dep.package}.${dep.name}` : dep.name;
}

/** Is this dependency provided by the active project, by a paused model, or by nothing? */
export function dependencyStatus(dep: Dependency, index: AvailabilityIndex): DependencyStatus {
  if (dep.type === "dynamic") return "dynamic";
  if (dep.type === "source") {
    const key = `${dep.source}.${dep.table}`;
    if (index.sources.has(key)) return "available";
    return index.uncertainSources.has(key) ? "uncertain" : "missing";
  }
  const inRoot = dep.package === null || dep.package === index.projectName;
  if (inRoot && activeProvides(index, dep.name, dep.version)) return "available";
  if (dep.version === null) {
    if (dep.package === null) {
      if (index.seeds.has(dep.name) || index.snapshots.has(dep.name) || index.packageModels.has(dep.name)) return "available";
    } else if (!inRoot && index.packageModels.has(`${dep.package}.${dep.name}`)) {
      return "available";
    } else if (inRoot && (index.seeds.has(dep.name) || index.snapshots.has(dep.name))) {
      return "available";
    }
  }
  if (inRoot && index.paused.has(dep.name)) return "paused";
  // A node dbt may disable: nobody knows until dbt renders it. (A disabled one is missing: dbt says
  // "depends on a node named 'y' which is disabled".)
  const key = inRoot ? dep.name : `${dep.package}.${dep.name}`;
  if ((index.unavailable.get(key) ?? []).some((n) => n.enabledness.state === "uncertain")) return "uncertain";
  return "missing";
}

function activeProvides(index: AvailabilityIndex, name: string, version: string | null): boolean {
  const versions = index.active.get(name);
  if (!versions) return false;
  if (version === null) {
    // An unpinned ref means the latest version; when the project declares one, it must be active.
    const latest = index.latest.get(name);
    return latest === undefined || versions.has(latest) || versions.has(null);
  }
  return versions.has(version);
}

function maxVersion(versions: string[]): string | null {
  if (versions.length === 0) return null;
  return versions.reduce((a, b) => (compareVersions(a, b) >= 0 ? a : b));
}

function compareVersions(a: string, b: string): number {
  const na = Number(a);
  const nb = Number(b);
  if (!Number.isNaN(na) && !Number.isNaN(nb)) return na - nb;
  return a < b ? -1 : a > b ? 1 : 0;
}
