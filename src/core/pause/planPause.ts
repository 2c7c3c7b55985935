import type { DbtProject, ModelNode } from "../project/buildProject.js";
import { dependencyName, dependencyStatus, indexAvailability } from "../readiness/availability.js";
import type { DimensionAssignment } from "../readiness/assignDimensions.js";
import type { BatchModel } from "../restore/restoreBatch.js";
import { UserError } from "../userError.js";

/** An active model a pause may rename to `.skip` (the restore batch's shape, roles swapped). */
export type PauseModel = BatchModel;

export interface PausePlan {
  dimension: string;
  /**
   * Every active model the pause may touch: the dimension's own and every active model that depends
   * on one of them (in any dimension), in dependency order (each after what it needs).
   */
  eligible: PauseModel[];
  /** What the static scan proposes to pause, with why: roots first, then their dependents. */
  proposed: { model: PauseModel; reason: string; root: boolean }[];
}

/**
 * The static half of a pause: the dimension's active models that ref something nothing provides (or
 * a paused model), or the ones asked for, and every active model that depends on them, across
 * dimensions. dbt then confirms (or corrects) the proposal in a scratch copy.
 */
export function planPause(project: DbtProject, assign: (model: ModelNode) => DimensionAssignment, dimension: string, only?: readonly string[]): PausePlan {
  const index = indexAvailability(project);
  const active = project.models.filter((m) => m.state === "active");
  const dimensionOf = new Map(active.map((m) => [m, assign(m).dimension]));
  const own = active.filter((m) => dimensionOf.get(m) === dimension);
  if (only && only.length > 0) {
    const unknown = only.filter((name) => !own.some((m) => m.name === name));
    if (unknown.length > 0) {
      const otherwise = unknown.map((name) => {
        const found = active.find((m) => m.name === name);
        return found ? `${name} is in ${dimensionOf.get(found) ?? "no dimension"}` : `${name} is not an active model`;
      });
      throw new UserError(`not an active model of ${dimension}: ${otherwise.join("; ")} (active in ${dimension}: ${own.map((m) => m.name).join(", ") || "none"})`);
    }
  }

  // Who refs whom among active models (by name; a ref to a package model of the same name is rare
  // and would only make the set larger, never let a broken model through).
  const refsOf = new Map<ModelNode, Set<string>>();
  const dependents = new Map<string, ModelNode[]>();
  for (const model of active) {
    const names = new Set<string>();
    for (const dep of model.extraction.dependencies) if (dep.type === "ref" && dep.name !== model.name) names.add(dep.name);
    refsOf.set(model, names);
    for (const name of names) dependents.set(name, [...(dependents.get(name) ?? []), model]);
  }

  // Eligible: the dimension's active models and everything downstream of them.
  const eligibleSet = new Set<ModelNode>();
  const visit = (model: ModelNode) => {
    if (eligibleSet.has(model)) return;
    eligibleSet.add(model);
    for (const dependent of dependents.get(model.name) ?? []) visit(dependent);
  };
  for (const model of own) visit(model);

  // Dependency order: each model after the eligible models it refs.
  const ordered: ModelNode[] = [];
  const placed = new Set<ModelNode>();
  const byName = new Map<string, ModelNode>();
  for (const model of eligibleSet) byName.set(model.name, model);
  const place = (model: ModelNode, path: Set<ModelNode>) => {
    if (placed.has(model) || path.has(model)) return; // a cycle is dbt's error to report
    path.add(model);
    for (const name of [...refsOf.get(model)!].sort()) {
      const dep = byName.get(name);
      if (dep) place(dep, path);
    }
    path.delete(model);
    placed.add(model);
    ordered.push(model);
  };
  for (const model of [...eligibleSet].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))) place(model, new Set());

  const toPause = (model: ModelNode): PauseModel => ({
    name: model.name,
    dimension: dimensionOf.get(model) ?? null,
    skipFile: `${model.file}.skip`,
    realFile: model.file,
    needs: [...refsOf.get(model)!].filter((n) => byName.has(n)).sort(),
    because: "",
  });
  const eligible = ordered.map(toPause);
  const pauseOf = new Map(eligible.map((m) => [m.name, m]));

  // Roots: the ones asked for, else the dimension's models dbt parse would reject today.
  const roots: { model: PauseModel; reason: string }[] = [];
  for (const model of own) {
    const broken = model.extraction.dependencies
      .filter((dep) => dep.type !== "dynamic")
      .map((dep) => ({ dep, status: dependencyStatus(dep, index) }))
      .filter(({ status }) => status === "missing" || status === "paused");
    const why = broken.map(
      ({ dep, status }) =>
        `${dep.type === "source" ? "source " : ""}'${dependencyName(dep)}' ${status === "paused" ? "is paused" : "is provided by nothing in the project"}${dep.via.length > 0 ? ` (through macro ${dep.via.join(" → ")})` : ""}`,
    );
    if (only && only.length > 0) {
      if (only.includes(model.name)) roots.push({ model: pauseOf.get(model.name)!, reason: why.length > 0 ? `asked for; static scan: ${why.join("; ")}` : "asked for" });
    } else if (broken.length > 0) {
      roots.push({ model: pauseOf.get(model.name)!, reason: `static scan: ${why.join("; ")}` });
    }
  }
  roots.sort((a, b) => eligible.indexOf(a.model) - eligible.indexOf(b.model));

  // Their dependents go with them (one forward pass: dependents come later in dependency order).
  const proposed = roots.map((r) => ({ ...r, root: true }));
  const gone = new Set(roots.map((r) => r.model.name));
  for (const model of eligible) {
    if (gone.has(model.name)) continue;
    const need = model.needs.find((n) => gone.has(n));
    if (need) {
      gone.add(model.name);
      proposed.push({ model, reason: dependentReason(need, model, pauseOf.get(need)!, dimension), root: false });
    }
  }
  return { dimension, eligible, proposed };
}

/** Why a dependent is paused with what it needs; says so when the cascade leaves the dimension. */
export function dependentReason(need: string, model: Pick<PauseModel, "dimension">, needed: Pick<PauseModel, "dimension"> | undefined, dimension: string): string {
  const across = model.dimension !== dimension ? ` (cascade into ${model.dimension ?? "no dimension"})` : "";
  const from = needed && needed.dimension !== model.dimension ? ` of ${needed.dimension ?? "no dimension"}` : "";
  return `needs ${need}${from}, which is paused${across}`;
}
