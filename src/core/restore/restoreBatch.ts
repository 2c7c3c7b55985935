import type { ReadinessReport, ReportModel } from "../readiness/readinessReport.js";
import { UserError } from "../userError.js";

/** One paused model in a restore batch. */
export interface BatchModel {
  name: string;
  dimension: string | null;
  /** The paused file, relative to the dbt project (`transform/gold/d_user.sql.skip`). */
  skipFile: string;
  /** Its name once restored (`transform/gold/d_user.sql`). */
  realFile: string;
  /** Other batch models it needs restored first. */
  needs: string[];
  /** Why it is in the batch: ready on its own, or brought along because another batch model needs it. */
  because: string;
}

export interface RestoreBatch {
  dimension: string;
  /** In restore order: every model after what it needs. */
  models: BatchModel[];
  /** The dimension's paused models that stay paused, with why. */
  staying: ReportModel[];
}

/**
 * Chooses what a restore of one dimension brings back: its ready models (or the ones asked for),
 * plus any ready paused model of another dimension they need (a cascade does not stop at a
 * dimension's edge, and dbt parse would fail without it).
 */
export function planRestoreBatch(report: ReadinessReport, dimension: string, only?: readonly string[], includeDisabled = false): RestoreBatch {
  const inDimension = report.models.filter((m) => m.dimension === dimension);
  const restorable = (m: ReportModel) => m.status === "ready" && (m.pausedBy === "skip" || includeDisabled);
  let chosen = inDimension.filter(restorable);
  if (only && only.length > 0) {
    const unknown = only.filter((name) => !inDimension.some((m) => m.name === name));
    if (unknown.length > 0) {
      throw new UserError(`not a paused model of ${dimension}: ${unknown.join(", ")} (paused in ${dimension}: ${inDimension.map((m) => m.name).join(", ") || "none"})`);
    }
    const notReady = only.filter((name) => !chosen.some((m) => m.name === name));
    if (notReady.length > 0) {
      const why = notReady.map((name) => {
        const model = inDimension.find((m) => m.name === name)!;
        // Paused by config (enabled=false): never restored by the tool; its reason says where to change it.
        if (model.pausedBy === "disabled") return `${name} is ${model.reasons.find((r) => r.startsWith("paused with")) ?? "paused with enabled=false: dbt-unskip restores only .skip files"}`;
        return `${name} is ${model.status}`;
      });
      throw new UserError(`only ready models can be restored: ${why.join("; ")}`);
    }
    chosen = chosen.filter((m) => only.includes(m.name));
  }
  const byName = new Map(report.models.filter(restorable).map((m) => [m.name, m]));
  const selected = new Map<string, { model: ReportModel; because: string }>();
  const add = (model: ReportModel, because: string) => {
    if (selected.has(model.name)) return;
    selected.set(model.name, { model, because });
    for (const need of model.needsRestored) {
      const dep = byName.get(need);
      if (dep) add(dep, `needed by ${model.name}${dep.dimension !== dimension ? ` (from ${dep.dimension ?? "no dimension"})` : ""}`);
    }
  };
  for (const model of chosen) add(model, readyBecause(model));
  const models = [...selected.values()]
    .sort((a, b) => (a.model.restoreOrder ?? 0) - (b.model.restoreOrder ?? 0))
    .map(
      ({ model, because }): BatchModel => ({
        name: model.name,
        dimension: model.dimension,
        skipFile: model.path,
        realFile: model.pausedBy === "skip" ? model.path.replace(/\.skip$/i, "") : model.path,
        needs: model.needsRestored.filter((n) => selected.has(n)),
        because,
      }),
    );
  const staying = inDimension.filter((m) => !selected.has(m.name));
  return { dimension, models, staying };
}

function readyBecause(model: ReportModel): string {
  if (model.needsRestored.length > 0) return `ready once ${model.needsRestored.join(", ")} ${model.needsRestored.length === 1 ? "is" : "are"} restored in this batch`;
  return "all dependencies available";
}
