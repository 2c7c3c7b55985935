import type { ReadinessReport, ReportModel } from "../readiness/readinessReport.js";
import type { ReadinessDiff } from "../readiness/readinessDiff.js";
import type { RestoreOutcome } from "../restore/restoreOutcome.js";
import { DEFAULT_LIMITS, Flowchart, omittedNote, type DiagramLimits, type Omitted } from "./mermaid.js";

export interface Diagram {
  /** Mermaid source (no fence). */
  mermaid: string;
  omitted: Omitted;
}

/**
 * What blocks what in one project: each root cause (with the dimension expected to provide it) →
 * the paused models that need it directly → the paused models those would unblock; ready models
 * in their own group, in restore order, with what each needs restored first. Root causes come
 * ranked as the report ranks them (most blocked first), so a capped diagram keeps the biggest.
 */
export function blockersDiagram(report: ReadinessReport, limits: DiagramLimits = DEFAULT_LIMITS): Diagram {
  const chart = new Flowchart(limits);
  const byName = new Map(report.models.map((m) => [m.name, m]));
  const dependents = new Map<string, ReportModel[]>();
  for (const m of report.models) {
    for (const need of m.needsRestored) dependents.set(need, [...(dependents.get(need) ?? []), m]);
  }
  const shown = new Set<string>();
  let causesLeft = 0;
  let modelsLeft = 0;

  // Ready first: the good news and the next action.
  const ready = report.models.filter((m) => m.status === "ready").sort((a, b) => (a.restoreOrder ?? 0) - (b.restoreOrder ?? 0));
  const readyRoom = Math.min(ready.length, limits.perParent * 2);
  chart.group(`ready to restore (${ready.length})`, () => {
    for (const m of ready.slice(0, readyRoom)) {
      chart.node(`m:${m.name}`, "ready", [m.name, `ready${m.dimension ? ` · ${m.dimension}` : ""}`]);
      shown.add(m.name);
    }
    if (ready.length > readyRoom) chart.node("more:ready", "more", [`+${ready.length - readyRoom} more ready`]);
  });
  for (const m of ready.slice(0, readyRoom)) for (const need of m.needsRestored) chart.edge(chart.idOf(`m:${need}`), chart.idOf(`m:${m.name}`));
  modelsLeft += ready.length - readyRoom;

  const causes = report.rootCauses;
  causes.forEach((cause, i) => {
    if (i >= limits.causes || !chart.hasRoom(2)) {
      causesLeft++;
      return;
    }
    const causeId = chart.node(`c:${cause.type}:${cause.name}`, "cause", [
      `${cause.type === "source" ? "source " : ""}${cause.name}`,
      cause.expectedFrom ? `expected from ${cause.expectedFrom}` : "no dimension expected to provide it",
      `blocks ${cause.blocks.length}`,
    ]);
    // Directly blocked: the paused models that name it among what they miss.
    const direct = cause.blocks.map((n) => byName.get(n)).filter((m): m is ReportModel => !!m && m.missing.some((x) => x.type === cause.type && x.name === cause.name));
    let directShown = 0;
    for (const m of direct) {
      if (directShown >= limits.perParent || !chart.hasRoom(2)) break;
      const id = chart.node(`m:${m.name}`, m.status === "ready" ? "ready" : "blocked", [m.name, m.dimension ? `paused · ${m.dimension}` : "paused"]);
      chart.edge(causeId, id);
      shown.add(m.name);
      directShown++;
      // What it would unblock: paused models that need it restored first.
      const next = dependents.get(m.name) ?? [];
      let nextShown = 0;
      for (const d of next) {
        if (nextShown >= Math.max(1, Math.floor(limits.perParent / 2)) || !chart.hasRoom(2)) break;
        const dId = chart.node(`m:${d.name}`, d.status === "ready" ? "ready" : "blocked", [d.name, d.dimension ? `paused · ${d.dimension}` : "paused"]);
        chart.edge(id, dId);
        shown.add(d.name);
        nextShown++;
      }
      if (next.length > nextShown) chart.edge(id, chart.node(`more:${m.name}`, "more", [`+${next.length - nextShown} more`]));
    }
    const rest = cause.blocks.length - cause.blocks.filter((n) => shown.has(n)).length;
    if (rest > 0) chart.edge(causeId, chart.node(`more:c:${cause.type}:${cause.name}`, "more", [`+${rest} more blocked`]));
  });
  const blocked = report.models.filter((m) => m.status === "blocked");
  modelsLeft += blocked.filter((m) => !shown.has(m.name)).length;
  return {
    mermaid: chart.toString(),
    omitted: omittedNote([
      [causesLeft, `of ${causes.length} root causes`],
      [modelsLeft, "paused models"],
    ]),
  };
}

/**
 * The chain a pull request moved: what it provides (or takes away) → the paused models it makes
 * ready (or blocks) → the paused models those bring along.
 */
export function pullRequestDiagram(diffs: readonly ReadinessDiff[], limits: DiagramLimits = DEFAULT_LIMITS): Diagram | null {
  const chart = new Flowchart(limits);
  let left = 0;
  for (const diff of diffs) {
    for (const [models, kind] of [
      [diff.newlyReady, "ready"],
      [diff.newlyBlocked, "blocked"],
    ] as const) {
      for (const model of models) {
        if (!chart.hasRoom(2)) {
          left++;
          continue;
        }
        const id = chart.node(`m:${model.name}`, kind, [model.name, `${kind === "ready" ? "now ready" : "now blocked"}${model.dimension ? ` · ${model.dimension}` : ""}`]);
        for (const cause of model.because) {
          if (!("dependency" in cause)) continue;
          const dep = cause.dependency;
          const gone = cause.kind === "now-unavailable" || cause.kind === "new-dependency";
          const from = chart.node(`d:${dep.type}:${dep.name}`, gone ? "cause" : "provided", [
            `${dep.type === "source" ? "source " : ""}${dep.name}`,
            gone ? (cause.kind === "new-dependency" ? "nothing provides it" : "no longer available") : cause.kind === "now-available" && cause.now === "paused-ready" ? "ready in this PR" : "provided by this PR",
          ]);
          if (!(cause.kind === "now-available" && cause.now === "paused-ready" && chart.has(`m:${dep.name}`))) chart.edge(from, id);
        }
        for (const need of model.needsRestored) chart.edge(chart.node(`m:${need}`, "ready", [need, "restore first"]), id);
      }
    }
  }
  if (chart.size === 0) return null;
  return { mermaid: chart.toString(), omitted: omittedNote([[left, "changed models"]]) };
}

/** A restore batch: the restored models, what each needed restored with it, and what stays paused behind which root cause. */
export function restoreDiagram(outcome: Pick<RestoreOutcome, "restored" | "blockers" | "stillPaused">, limits: DiagramLimits = DEFAULT_LIMITS): Diagram {
  const chart = new Flowchart(limits);
  let left = 0;
  chart.group(`restored here (${outcome.restored.length})`, () => {
    for (const m of outcome.restored) {
      if (!chart.hasRoom(3)) {
        left++;
        continue;
      }
      chart.node(`m:${m.name}`, "restored", [m.name, m.dimension ? `restored · ${m.dimension}` : "restored"]);
    }
  });
  for (const m of outcome.restored) for (const need of m.needs) chart.edge(chart.idOf(`m:${need}`), chart.idOf(`m:${m.name}`));
  const staying = new Set(outcome.stillPaused.map((m) => m.name));
  for (const cause of outcome.blockers.slice(0, limits.causes)) {
    if (!chart.hasRoom(2)) break;
    const id = chart.node(`c:${cause.type}:${cause.name}`, "cause", [
      `${cause.type === "source" ? "source " : ""}${cause.name}`,
      cause.expectedFrom ? `expected from ${cause.expectedFrom}` : "no dimension expected to provide it",
    ]);
    const mine = cause.blocks.filter((b) => staying.has(b));
    const room = Math.min(mine.length, limits.perParent);
    for (const name of mine.slice(0, room)) {
      if (!chart.hasRoom(2)) break;
      chart.edge(id, chart.node(`m:${name}`, "paused", [name, "stays paused"]));
    }
    if (mine.length > room) chart.edge(id, chart.node(`more:${cause.name}`, "more", [`+${mine.length - room} more stay paused`]));
  }
  left += Math.max(0, outcome.blockers.length - limits.causes);
  return { mermaid: chart.toString(), omitted: omittedNote([[left, "models or root causes"]]) };
}
