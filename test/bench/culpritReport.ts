import { seconds } from "./benchContext.js";

// Pure part of the restore culprit isolation benchmark: what one configuration's run found, whether
// it is right and within target, and the table rows. No dbt, no files (tested in culpritReport.test.ts).

/** The target of issue 7: k culprits cost at most 2 + k `dbt parse` runs. */
export function parseRunTarget(culprits: number): number {
  return 2 + culprits;
}

export interface CulpritRun {
  /** Ready models in the batch. */
  ready: number;
  /** Culprits injected. */
  culprits: number;
  /** Kinds injected, e.g. `{ "missing-ref": 2, syntax: 1 }`. */
  kinds: Record<string, number>;
  /** `dbt parse` starts counted at the wrapper (spawnDbt's only way to start dbt). */
  parseRuns: number;
  compileRuns: number;
  /** What the use case itself reports (outcome.dbt.parseRuns), for cross-checking. */
  reportedParseRuns: number;
  /** Summed wall time of the parse runs, and of the whole restore (scratch copy, parses, compile, git). */
  parseWallMs: number;
  compileWallMs: number;
  restoreWallMs: number;
  result: string;
  /** Culprits the restore re-skipped because dbt named them (not found by bisection). */
  named: number;
  check: CulpritCheck;
}

export interface CulpritCheck {
  exact: boolean;
  /** Injected but not re-skipped. */
  missed: string[];
  /** Re-skipped but not injected. */
  extra: string[];
  /** Batch models neither restored nor re-skipped, or restored twice. */
  unaccounted: string[];
}

/** The culprits found must be exactly the injected ones, and every other batch model restored. */
export function checkCulprits(input: { batch: readonly string[]; injected: readonly string[]; reSkipped: readonly string[]; restored: readonly string[] }): CulpritCheck {
  const injected = new Set(input.injected);
  const reSkipped = new Set(input.reSkipped);
  const missed = [...injected].filter((n) => !reSkipped.has(n)).sort();
  const extra = [...reSkipped].filter((n) => !injected.has(n)).sort();
  const restored = new Set(input.restored);
  const unaccounted = input.batch.filter((n) => reSkipped.has(n) === restored.has(n)).sort();
  if (input.restored.length !== restored.size || input.reSkipped.length !== reSkipped.size) unaccounted.push("(a model listed twice)");
  return { exact: missed.length === 0 && extra.length === 0 && unaccounted.length === 0, missed, extra, unaccounted };
}

export function describeCheck(check: CulpritCheck): string {
  if (check.exact) return "";
  return [
    check.missed.length > 0 ? `missed ${check.missed.join(", ")}` : "",
    check.extra.length > 0 ? `wrongly re-skipped ${check.extra.join(", ")}` : "",
    check.unaccounted.length > 0 ? `unaccounted ${check.unaccounted.join(", ")}` : "",
  ]
    .filter(Boolean)
    .join("; ");
}

function kindsCell(kinds: Record<string, number>): string {
  const parts = Object.entries(kinds)
    .filter(([, n]) => n > 0)
    .map(([kind, n]) => `${n} ${kind}`);
  return parts.length > 0 ? parts.join(" + ") : "none";
}

/**
 * The table: one row per configuration. `singleParseMs`: by batch size, the wall time of one
 * `dbt parse` with a single model restored, for the one-model-at-a-time procedure (n parses).
 */
export function culpritRows(runs: readonly CulpritRun[], singleParseMs: ReadonlyMap<number, number>): string[][] {
  return runs.map((r) => {
    const target = parseRunTarget(r.culprits);
    const met = r.parseRuns <= target;
    const single = singleParseMs.get(r.ready);
    return [
      String(r.ready),
      String(r.culprits),
      kindsCell(r.kinds),
      `${r.check.exact ? "✅" : "❌"} ${r.culprits - r.check.missed.length} of ${r.culprits}${r.culprits > 0 ? `, ${r.named === r.culprits ? "all" : r.named} named by dbt` : ""}${r.check.exact ? "" : ` (${describeCheck(r.check)})`}`,
      String(r.parseRuns),
      `≤ ${target}: ${met ? "✅ met" : "❌ **missed**"}`,
      seconds(r.parseWallMs),
      `${r.compileRuns} (${seconds(r.compileWallMs)})`,
      seconds(r.restoreWallMs),
      String(r.ready),
      single === undefined ? "" : `≈ ${seconds(single * r.ready)}`,
      single === undefined || r.parseWallMs <= 0 ? "" : ratioText((single * r.ready) / r.parseWallMs),
    ];
  });
}

export const CULPRIT_HEADER = [
  "ready models",
  "culprits",
  "kinds",
  "found (checked)",
  "parse runs",
  "target 2 + k",
  "parse time",
  "compile runs (time)",
  "whole restore",
  "one at a time: parses",
  "one at a time: time (extrapolated)",
  "parse time vs one at a time",
];

/** How much less parse time the batch took than the one-at-a-time procedure (or more, below 1). */
export function ratioText(x: number): string {
  const times = (v: number) => (v >= 10 ? `${Math.round(v)}×` : `${v.toFixed(1)}×`);
  return x >= 1 ? `${times(x)} less` : `${times(1 / x)} more`;
}

/** Problems that make a configuration's figures worthless (wrong answer, or counts that disagree). */
export function runProblems(r: CulpritRun): string[] {
  const label = `restore ${r.ready} ready / ${r.culprits} culprits`;
  const problems: string[] = [];
  if (!r.check.exact) problems.push(`${label}: culprits found differ from the injected ones: ${describeCheck(r.check)}`);
  if (r.parseRuns !== r.reportedParseRuns) problems.push(`${label}: ${r.parseRuns} dbt parse runs counted at the wrapper, the use case reports ${r.reportedParseRuns}`);
  const expectedResult = r.culprits === r.ready ? "nothing-restorable" : "restored";
  if (r.result !== expectedResult) problems.push(`${label}: the restore ended with ${r.result}, expected ${expectedResult}`);
  return problems;
}
