import type { DbtProject } from "../project/buildProject.js";
import type { Dependency } from "../types.js";

export interface ExactResult {
  /** Paused model file (relative to the project, with `.skip`) → what dbt says it depends on. */
  dependencies: Map<string, Dependency[]>;
  /** Paused model files dbt could not parse, with dbt's message. */
  failed: Map<string, string>;
}

/**
 * Replaces the static dependencies of paused models with the ones dbt rendered. Lines and macro
 * paths are kept from the static scan where the two agree, so reports still point at the call.
 */
export function applyExactDependencies(project: DbtProject, exact: ExactResult): DbtProject {
  const models = project.models.map((model) => {
    if (model.state === "active") return model;
    const failure = exact.failed.get(model.file);
    if (failure !== undefined) {
      return { ...model, unreadable: `dbt cannot parse it: ${failure}` };
    }
    const fromDbt = exact.dependencies.get(model.file);
    if (!fromDbt) return model;
    const staticDeps = model.extraction.dependencies;
    const dependencies = fromDbt.map((dep): Dependency => {
      const twin = staticDeps.find((s) => sameTarget(s, dep));
      return twin ? { ...dep, line: twin.line, via: twin.via } : dep;
    });
    return { ...model, extraction: { ...model.extraction, dependencies } };
  });
  return { ...project, models };
}

function sameTarget(a: Dependency, b: Dependency): boolean {
  if (a.type === "ref" && b.type === "ref") return a.name === b.name && a.package === b.package && a.version === b.version;
  if (a.type === "source" && b.type === "source") return a.source === b.source && a.table === b.table;
  return false;
}
