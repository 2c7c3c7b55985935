import { dependentReason, type planPause, type PauseModel } from "../core/pause/planPause.js";
import type { PausedModelOutcome } from "../core/pause/pauseOutcome.js";
import { isolateCulprits, type ParseOutcome } from "../core/restore/isolateCulprits.js";
import { toOutcome, type ScratchCopies, type ScratchDbtInput, type ScratchPlace } from "./scratchDbt.js";

export interface PauseFound {
  model: PauseModel;
  reason: string;
  found: PausedModelOutcome["found"];
}

export type PauseProof = { parseRuns: number } & ({ ok: true; found: Map<string, PauseFound> } | { ok: false; error: string });

/**
 * Proves a pause in a scratch copy: the static proposal paused, then `dbt parse` until green, by the
 * culprit search restore uses with the roles swapped (each model dbt names, and every model that
 * depends on it, is paused; an error that names no model is bisected). Nothing here touches the
 * user's tree. `models`: the person named them (`--models`), so the proposal's roots are "asked".
 */
export async function provePause(at: ScratchPlace, plan: ReturnType<typeof planPause>, dimension: string, input: ScratchDbtInput & { scratch: ScratchCopies; models?: string[] | undefined }): Promise<PauseProof> {
  const proposed = new Map(plan.proposed.map((p) => [p.model.name, p]));
  const batch = plan.eligible.filter((m) => !proposed.has(m.name));
  const found = new Map<string, PauseFound>();
  for (const p of plan.proposed) {
    found.set(p.model.name, { model: p.model, reason: p.reason, found: p.root ? (input.models?.length ? "asked" : "static") : "cascade" });
  }
  return input.scratch(at, input, async (scratch, dbt): Promise<PauseProof> => {
    const parse = async (active: PauseModel[]): Promise<ParseOutcome> => {
      const keep = new Set(active.map((m) => m.name));
      const paused = plan.eligible.filter((m) => !keep.has(m.name));
      await scratch.setPaused(paused, plan.eligible);
      input.progress(`dbt parse with ${paused.length} model${paused.length === 1 ? "" : "s"} paused...`);
      return toOutcome(await dbt(["parse", "--no-partial-parse"]), "parse", input.timeoutMs);
    };
    const byName = new Map(plan.eligible.map((m) => [m.name, m]));
    const isolation = await isolateCulprits(batch, parse, {
      dependent: (need) => `needs ${need}, which is paused`,
      broken: (message) => `dbt parse still fails with every active model of ${dimension} (and everything downstream of them) paused, so what breaks it is outside this dimension:\n${message}`,
    });
    if (!isolation.ok) return { ok: false, error: isolation.error, parseRuns: isolation.parseRuns };
    for (const r of isolation.reSkipped) {
      const dependent = r.reason.startsWith("needs ");
      const need = dependent ? r.reason.slice("needs ".length).split(/[ ,]/)[0]! : "";
      found.set(r.model.name, {
        model: r.model,
        reason: dependent ? dependentReason(need, r.model, byName.get(need), dimension) : r.reason,
        found: dependent ? "cascade" : "dbt",
      });
    }
    return { ok: true, found, parseRuns: isolation.parseRuns };
  });
}
