import type { UnskipConfig } from "../config/unskipConfig.js";
import type { DbtProject, ModelNode } from "../project/buildProject.js";
import { joinPath } from "../project/projectSnapshot.js";
import type { Dependency, Problem } from "../types.js";
import { createDimensionAssigner, refusedDimensionTags, type StateDocumentInput } from "./assignDimensions.js";
import { fileNameContext, fileNameNotes } from "./fileNameRules.js";
import { dependencyName, dependencyStatus, indexAvailability, type AvailabilityIndex } from "./availability.js";
import type { BreakingModel, ReadinessReport, ReportDependency, ReportDimension, ReportModel, RootCause } from "./readinessReport.js";
import { stronglyConnected } from "./stronglyConnected.js";

export interface AnalyzeInput {
  project: DbtProject;
  stateDocuments: readonly StateDocumentInput[];
  config: Pick<UnskipConfig, "dimensionTagPattern" | "dimensions">;
  /** Problems found before the project was built (config, state documents), carried into the report. */
  problems?: readonly Problem[];
}

/**
 * Decides, for every paused model, whether it is ready (everything it needs is available, or will
 * be once other ready models in the same batch are restored), blocked (with the root causes at the
 * bottom of the chain) or needs investigation (what it needs cannot be known with confidence).
 * Calling a model ready wrongly is the expensive mistake, so every doubt lands in "needs investigation".
 */
export function analyzeReadiness(input: AnalyzeInput): ReadinessReport {
  const { project } = input;
  const index = indexAvailability(project);
  const assign = createDimensionAssigner(input.config, input.stateDocuments);
  const problems: Problem[] = [...(input.problems ?? []), ...project.problems];
  const fileOf = (model: ModelNode) => joinPath(project.projectDir, model.file);

  // Reported paused models: `.skip` files and model files disabled by config (never restored by the
  // tool). A file whose enabled-ness is uncertain is neither: dbt reads it, and may enable it.
  const paused = project.models.filter((m) => m.state === "paused" || m.state === "disabled");
  const names = fileNameContext(project);
  const activeNames = new Set(project.models.filter((m) => m.state === "active").map((m) => m.name));

  // A tag that would name a dimension but holds characters a dimension name cannot (a newline):
  // ignored for dimensions, and said.
  const refusedTags = refusedDimensionTags(input.config);
  for (const model of project.models) {
    for (const tag of refusedTags(model)) {
      problems.push({
        kind: "invalid-project",
        file: fileOf(model),
        message: `model '${model.name}': tag ${JSON.stringify(tag)} matches the dimension tag pattern but a dimension name holds only letters, digits and _: the tag is ignored`,
      });
    }
  }

  // Consistency: active models that dbt parse would reject today.
  // A model dbt may or may not enable: what it would break is said as uncertain, never as an error.
  for (const model of project.models) {
    if (model.state !== "uncertain" || model.enabledness.state !== "uncertain") continue;
    for (const dep of model.extraction.dependencies) {
      if (dep.type === "dynamic") continue;
      const status = dependencyStatus(dep, index);
      if (status === "available") continue;
      const what = dep.type === "source" ? `source '${dependencyName(dep)}'` : `'${dependencyName(dep)}'`;
      problems.push({
        kind: "uncertain-dependency",
        file: fileOf(model),
        line: dep.line,
        message: `model '${model.name}', which dbt may enable (${model.enabledness.why}), depends on ${what}, which is ${status === "paused" ? "paused" : status === "uncertain" ? "maybe disabled" : "not provided"}: dbt parse fails if it is enabled`,
      });
    }
  }
  const breaking: BreakingModel[] = [];
  for (const model of project.models) {
    if (model.state !== "active") continue;
    for (const dep of model.extraction.dependencies) {
      if (dep.type === "dynamic") continue;
      const status = dependencyStatus(dep, index);
      if (status === "available") continue;
      const what = dep.type === "source" ? `source '${dependencyName(dep)}'` : `'${dependencyName(dep)}'`;
      if (status === "uncertain") {
        problems.push({
          kind: "uncertain-dependency",
          file: fileOf(model),
          line: dep.line,
          message: `active model '${model.name}' depends on ${what}, which dbt may disable (${unavailableWhy(dep, index, project)}): dbt parse fails if it does`,
        });
        continue;
      }
      // dbt parse rejects it for sure: a candidate for `pause`.
      const label = dep.type === "source" ? `source ${dependencyName(dep)}` : dependencyName(dep);
      const known = breaking.find((b) => b.path === model.file);
      if (known) {
        if (!known.dependsOn.includes(label)) known.dependsOn.push(label);
      } else breaking.push({ name: model.name, path: model.file, dimension: assign(model).dimension, dependsOn: [label] });
      const disabled = unavailableWhy(dep, index, project);
      if (status === "missing" && disabled !== null) {
        problems.push({
          kind: "active-refs-missing",
          file: fileOf(model),
          line: dep.line,
          message: `active model '${model.name}' depends on ${what}, which is disabled (${disabled}): dbt parse fails`,
        });
        continue;
      }
      problems.push({
        kind: status === "paused" ? "active-refs-paused" : "active-refs-missing",
        file: fileOf(model),
        line: dep.line,
        message:
          status === "paused"
            ? `active model '${model.name}' depends on ${what}, which is paused: dbt parse fails until it is restored`
            : `active model '${model.name}' depends on ${what}, which nothing in the project provides: dbt parse fails`,
      });
    }
  }

  // The graph among paused models, keyed by file (two paused files may share a name).
  const pausedByName = index.paused;
  const edges = new Map<string, string[]>();
  const dependencies = new Map<string, ReportDependency[]>();
  const reasons = new Map<string, string[]>();
  const directMissing = new Map<string, Set<string>>();
  for (const model of paused) {
    const deps: ReportDependency[] = [];
    const targets = new Set<string>();
    const missing = new Set<string>();
    const notes: string[] = [];
    for (const dep of model.extraction.dependencies) {
      const status = dependencyStatus(dep, index);
      const name = dependencyName(dep);
      if (deps.some((d) => d.name === name && d.type === (dep.type === "source" ? "source" : "ref") && d.version === (dep.type === "ref" ? dep.version : null))) continue;
      deps.push({
        type: dep.type === "source" ? "source" : dep.type === "dynamic" ? dep.call : "ref",
        name,
        version: dep.type === "ref" ? dep.version : null,
        status,
        line: dep.line,
        via: dep.via,
      });
      if (status === "missing") {
        missing.add(`${dep.type}:${name}`);
        const disabled = unavailableWhy(dep, index, project);
        if (disabled !== null) notes.push(`${dep.type === "source" ? "source " : ""}'${name}' is disabled (${disabled}): dbt says it "depends on a node named '${name}' which is disabled"`);
      }
      if (status === "uncertain") notes.push(`${dep.type === "source" ? "source " : ""}'${name}' may be disabled (${unavailableWhy(dep, index, project)})`);
      if (status === "dynamic") notes.push(`dynamic ${dep.type === "dynamic" ? dep.call : "ref"}(${name}) on line ${dep.line}: its target cannot be known without rendering`);
      if (status === "paused" && dep.type === "ref") {
        for (const target of pausedByName.get(dep.name) ?? []) if (target !== model) targets.add(target.file);
        if ((pausedByName.get(dep.name) ?? []).includes(model)) targets.add(model.file); // refs itself
      }
    }
    if (model.unreadable) notes.push(`file cannot be read: ${model.unreadable}`);
    // What dbt refuses or ignores because of the file's name (a space, .dbtignore, a seed's name...).
    notes.push(...fileNameNotes(model, names));
    if (model.state === "paused" && model.file.startsWith("../")) {
      // Shared with other dbt projects of the repository: restoring it changes them too.
      notes.push(`in a folder outside the dbt project folder (${joinPath(project.projectDir, model.file)}), shared with other projects: dbt-unskip does not restore it; rename it by hand`);
    }
    if (model.state === "disabled" && model.enabledness.state === "disabled") {
      notes.push(`paused with ${model.enabledness.by}: dbt-unskip restores only .skip files; set enabled to true there to bring it back`);
    }
    // A macro that could not be followed: what the model renders (and needs) cannot be known.
    for (const call of model.extraction.unresolved ?? []) notes.push(`line ${call.line}: ${call.reason}`);
    if (activeNames.has(model.name)) {
      notes.push(`'${model.name}' is both active and paused`);
      problems.push({ kind: "name-conflict", file: fileOf(model), message: `'${model.name}' exists both as an active model and as this paused file` });
    }
    const twins = pausedByName.get(model.name) ?? [];
    if (twins.length > 1 && model.version === null) {
      notes.push(`${twins.length} paused files are named '${model.name}'`);
    }
    edges.set(model.file, [...targets].sort());
    dependencies.set(model.file, deps);
    reasons.set(model.file, notes);
    directMissing.set(model.file, missing);
  }

  // Components come out dependencies first, so each model is judged after everything it needs.
  const byFile = new Map(paused.map((m) => [m.file, m]));
  const components = stronglyConnected(
    paused.map((m) => m.file),
    edges,
  );
  const status = new Map<string, ReportModel["status"]>();
  const causes = new Map<string, Set<string>>();
  const depth = new Map<string, number>();
  for (const component of components) {
    const inCycle = component.length > 1 || (edges.get(component[0]!) ?? []).includes(component[0]!);
    const shared = new Set<string>();
    for (const file of component) {
      for (const cause of directMissing.get(file) ?? []) shared.add(cause);
      for (const target of edges.get(file) ?? []) {
        if (component.includes(target)) continue;
        for (const cause of causes.get(target) ?? []) shared.add(cause);
      }
    }
    if (inCycle) {
      const names = component.map((f) => byFile.get(f)!.name);
      problems.push({
        kind: "cycle",
        file: fileOf(byFile.get(component[0]!)!),
        message: `paused models depend on each other in a cycle: ${[...names, names[0]].join(" → ")}`,
      });
    }
    for (const file of component) {
      causes.set(file, shared);
      const notes = reasons.get(file)!;
      if (inCycle)
        notes.push(
          `in a dependency cycle with ${
            component
              .filter((f) => f !== file)
              .map((f) => byFile.get(f)!.name)
              .join(", ") || "itself"
          }`,
        );
      const upstream = (edges.get(file) ?? []).filter((t) => !component.includes(t));
      if (shared.size > 0) status.set(file, "blocked");
      else if (notes.length > 0 || upstream.some((t) => status.get(t) !== "ready")) {
        for (const target of upstream) {
          if (status.get(target) !== "ready") notes.push(`waits for paused '${byFile.get(target)!.name}', which needs investigation`);
        }
        status.set(file, "needs-investigation");
      } else {
        status.set(file, "ready");
        depth.set(file, 1 + Math.max(0, ...upstream.map((t) => depth.get(t) ?? 0)));
      }
    }
  }

  // Restore order: by depth in the ready cascade, then by name, which is a topological order.
  const ready = paused.filter((m) => status.get(m.file) === "ready");
  ready.sort((a, b) => depth.get(a.file)! - depth.get(b.file)! || compare(a.name, b.name) || compare(a.file, b.file));
  const order = new Map(ready.map((m, i) => [m.file, i + 1]));

  const models: ReportModel[] = paused.map((model) => {
    const assigned = assign(model);
    const deps = dependencies.get(model.file)!;
    return {
      name: model.name,
      path: model.file,
      dimension: assigned.dimension,
      dimensionFrom: assigned.from,
      status: status.get(model.file)!,
      pausedBy: model.state === "paused" ? "skip" : "disabled",
      dependencies: deps,
      missing: deps.filter((d) => d.status === "missing").map((d) => ({ type: d.type, name: d.name })),
      restoreOrder: order.get(model.file) ?? null,
      needsRestored: (edges.get(model.file) ?? []).filter((t) => t !== model.file).map((t) => byFile.get(t)!.name),
      blockedBy: [...(causes.get(model.file) ?? [])].sort(),
      reasons: reasons.get(model.file)!,
    };
  });
  models.sort((a, b) => compare(a.dimension ?? "\uffff", b.dimension ?? "\uffff") || compare(a.name, b.name) || compare(a.path, b.path));

  return {
    project: { name: project.name, dir: project.projectDir === "" ? "." : project.projectDir },
    summary: {
      paused: models.length,
      ready: models.filter((m) => m.status === "ready").length,
      blocked: models.filter((m) => m.status === "blocked").length,
      needsInvestigation: models.filter((m) => m.status === "needs-investigation").length,
    },
    dimensions: summarizeDimensions(project, models, input.stateDocuments, assign),
    models,
    rootCauses: rankRootCauses(models, input.stateDocuments).map((cause) => {
      const dot = cause.name.indexOf(".");
      const dep: Dependency =
        cause.type === "source"
          ? { type: "source", source: cause.name.slice(0, dot), table: cause.name.slice(dot + 1), line: 0, via: [] }
          : { type: "ref", name: dot === -1 ? cause.name : cause.name.slice(dot + 1), package: dot === -1 ? null : cause.name.slice(0, dot), version: null, line: 0, via: [] };
      const disabled = unavailableWhy(dep, index, project);
      // A file that looks like it provides the name but that dbt never reads: said, with why.
      const unread = cause.type === "ref" ? project.unread?.find((u) => u.names.includes(cause.name)) : undefined;
      return { ...cause, ...(disabled !== null ? { disabled } : {}), ...(unread ? { unreadFile: { file: unread.file, why: unread.why } } : {}) };
    }),
    problems,
    ...(breaking.length > 0 ? { breaking } : {}),
  };
}

function summarizeDimensions(project: DbtProject, models: ReportModel[], documents: readonly StateDocumentInput[], assign: ReturnType<typeof createDimensionAssigner>): ReportDimension[] {
  const dims = new Map<string, ReportDimension>();
  const get = (name: string) => {
    let dim = dims.get(name);
    if (!dim) {
      const doc = documents.find((d) => d.dimension === name);
      dim = {
        name,
        active: 0,
        paused: 0,
        ready: 0,
        blocked: 0,
        needsInvestigation: 0,
        stateDocument: doc?.path ?? null,
        documentStatus: doc?.status ?? null,
      };
      dims.set(name, dim);
    }
    return dim;
  };
  for (const doc of documents) get(doc.dimension);
  for (const model of project.models) {
    if (model.state !== "active") continue;
    const { dimension } = assign(model);
    if (dimension) get(dimension).active++;
  }
  for (const model of models) {
    if (!model.dimension) continue;
    const dim = get(model.dimension);
    dim.paused++;
    if (model.status === "ready") dim.ready++;
    else if (model.status === "blocked") dim.blocked++;
    else dim.needsInvestigation++;
  }
  return [...dims.values()].sort((a, b) => compare(a.name, b.name));
}

function rankRootCauses(models: ReportModel[], documents: readonly StateDocumentInput[]): RootCause[] {
  const expected = new Map<string, string>();
  for (const doc of documents) {
    for (const paused of doc.pausedModels) {
      for (const missing of paused.missing) {
        if (missing.expectedFrom && !expected.has(missing.name)) expected.set(missing.name, missing.expectedFrom);
      }
    }
  }
  const blocks = new Map<string, Set<string>>();
  for (const model of models) {
    for (const cause of model.blockedBy) {
      const set = blocks.get(cause) ?? new Set();
      set.add(model.name);
      blocks.set(cause, set);
    }
  }
  return [...blocks]
    .map(([key, set]): RootCause => {
      const type = key.startsWith("source:") ? "source" : "ref";
      const name = key.slice(key.indexOf(":") + 1);
      const bare = type === "source" ? name.slice(name.indexOf(".") + 1) : name;
      return { type, name, blocks: [...set].sort(), expectedFrom: expected.get(name) ?? expected.get(bare) ?? null };
    })
    .sort((a, b) => b.blocks.length - a.blocks.length || compare(a.name, b.name));
}

/** Why a missing or uncertain dependency is so, when a disabled (or maybe disabled) node provides it; else null. */
function unavailableWhy(dep: Dependency, index: AvailabilityIndex, project: DbtProject): string | null {
  if (dep.type === "dynamic") return null;
  if (dep.type === "source") {
    const key = `${dep.source}.${dep.table}`;
    if (!index.disabledSources.has(key) && !index.uncertainSources.has(key)) return null;
    const declared = project.sources.filter((s) => `${s.source}.${s.table}` === key && s.enabledness.state !== "enabled");
    return declared.map((s) => (s.enabledness.state === "disabled" ? s.enabledness.by : s.enabledness.state === "uncertain" ? s.enabledness.why : "")).join("; ") || "declared but disabled";
  }
  const inRoot = dep.package === null || dep.package === index.projectName;
  const nodes = index.unavailable.get(inRoot ? dep.name : `${dep.package}.${dep.name}`) ?? [];
  if (nodes.length === 0) return null;
  return nodes.map((n) => `${n.kind} ${n.file}: ${n.enabledness.state === "disabled" ? n.enabledness.by : n.enabledness.why}`).join("; ");
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
