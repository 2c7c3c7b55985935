import type { ReadinessReport } from "../readiness/readinessReport.js";

export interface ReadinessGain {
  /** Paused models that were not ready before and are now. */
  newlyReady: { name: string; path: string; dimension: string | null }[];
  /** Paused models that needed what was added but still wait on something else. */
  stillBlocked: { name: string; path: string; blockedBy: string[] }[];
  /** Things the user may have meant (a source where paused models ref() a model). */
  hints: string[];
}

/**
 * What adding a seed or source changed, from readiness computed before and after (the after-report
 * sees the new files through an overlay, so this is known before anything is written).
 */
export function readinessGain(input: {
  before: ReadinessReport;
  after: ReadinessReport;
  /** What was added, in the report's naming: `ref:name`, `source:src.table`. */
  provides: string[];
  /** The relation's own name, to spot paused models that ref() it when a source was added. */
  refName: string | null;
}): ReadinessGain {
  const beforeByPath = new Map(input.before.models.map((m) => [m.path, m]));
  const newlyReady: ReadinessGain["newlyReady"] = [];
  const stillBlocked: ReadinessGain["stillBlocked"] = [];
  for (const model of input.after.models) {
    const was = beforeByPath.get(model.path);
    if (!was) continue;
    const neededIt = was.missing.some((m) => input.provides.includes(`${m.type}:${m.name}`)) || was.blockedBy.some((b) => input.provides.includes(b));
    if (model.status === "ready" && was.status !== "ready") newlyReady.push({ name: model.name, path: model.path, dimension: model.dimension });
    else if (neededIt && model.status !== "ready") stillBlocked.push({ name: model.name, path: model.path, blockedBy: model.blockedBy });
  }
  const hints: string[] = [];
  if (input.refName !== null) {
    const wanting = input.after.models.filter((m) => m.missing.some((d) => d.type === "ref" && d.name === input.refName)).map((m) => m.name);
    if (wanting.length > 0) {
      hints.push(
        `${wanting.join(", ")} ${wanting.length === 1 ? "uses" : "use"} ref('${input.refName}'), which a source cannot satisfy: add --model ${input.refName} (an ephemeral model over the source), or generate a seed with --as seed`,
      );
    }
  }
  return { newlyReady, stillBlocked, hints };
}
