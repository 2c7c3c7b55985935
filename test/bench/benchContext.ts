import type { GeneratedProject, ProjectShape } from "./generateProject.js";
import type { MachineInfo } from "./machineInfo.js";
import type { Measurement, RusageMethod } from "./measureCommand.js";
import type { QuietStats } from "./quietMachine.js";

// What every benchmark section sees: the options, the machine, the generated projects, and the
// results of the sections that ran before it (later sections compare earlier figures).

export interface BenchOptions {
  repoRoot: string;
  /** Project sizes (models) for the static status run. */
  sizes: number[];
  /** Measured runs per figure (after one warm-up run). */
  reps: number;
  dbtSizes: number[];
  dbtReps: number;
  seedProcedureSizes: number[];
  /** A seed-procedure run longer than this is stopped and its figure extrapolated. */
  seedProcedureTimeoutMs: number;
  seed: number;
  pausedFraction: number;
  /** The shape of the projects the per-shape sections are running on now (one of `shapes`). */
  shape: ProjectShape;
  /** Every shape measured in this run, in order (`--shapes simple,real`, the default both). */
  shapes: ProjectShape[];
  /** Where BENCHMARKS.md is written; null: print only. */
  out: string | null;
  keep: boolean;
  rusage: RusageMethod;
  /** Size of the project profiled with --cpu-prof (0: no profile). */
  profileSize: number;
  /** The CLI bundle measured (dist/cli.js unless told otherwise). */
  cli: string;
  /**
   * The Node that runs every measured Node command (the CLI, the Action's bundle, the floor): `--node`
   * or `BENCH_NODE` (a path, or `node@24` fetched with npx), else the Node running the benchmark.
   */
  node: string;
  /** How long, in all, to wait for other processes to leave the cores alone (0: never wait). */
  quietWaitMs: number;
  /** Niceness of every measured command (0: as started). */
  nice: number;
  /** Restore culprit isolation: batch sizes (ready models) and culprit counts swept. */
  restoreSizes: number[];
  restoreCulprits: number[];
  /** Run only these sections (by name, see SECTION_NAMES); null: all of them. */
  only: string[] | null;
}

export interface BenchProject {
  size: number;
  root: string;
  generated: GeneratedProject;
  generationMs: number;
}

export interface Stat {
  median: number;
  min: number;
  max: number;
}

export interface Series {
  runs: Measurement[];
  wall: Stat;
  cpu: Stat | null;
  /** Peak RSS in KiB. */
  rss: Stat | null;
}

export interface SeedProcedureRun {
  size: number;
  /** Null when the run was stopped at the time limit. */
  series: Series | null;
  timedOut: boolean;
  /** For a size not run, or stopped: the time extrapolated from the largest measured size. */
  extrapolatedMs: number | null;
  /** Verdicts compared with the generator's truth. */
  agreement: { paused: number; right: number; blockedCalledReady: number; readyCalledBlocked: number; investigateCalledReady: number } | null;
}

export interface TargetCheck {
  target: string;
  measured: string;
  met: boolean | null;
}

export interface BenchResults {
  status: Map<number, Series>;
  /** Did the tool's verdicts on each project match the generator's? */
  verdicts: Map<number, { match: boolean; detail: string }>;
  raw: Map<number, Series>;
  nodeStart: Series | null;
  dbt: Map<number, Series>;
  seedProcedure: Map<number, SeedProcedureRun>;
  /** The PR report (issue 17 item 3), by size, when a section measures it. */
  prReport: Map<number, Series>;
  targets: TargetCheck[];
}

export function emptyResults(): BenchResults {
  return { status: new Map(), verdicts: new Map(), raw: new Map(), nodeStart: null, dbt: new Map(), seedProcedure: new Map(), prReport: new Map(), targets: [] };
}

export interface BenchContext {
  options: BenchOptions;
  machine: MachineInfo;
  /** Scratch folder for this run (projects, outputs, profiles). */
  work: string;
  cli: string;
  /** The dbt executable, or null when it is not installed. */
  dbt: string | null;
  /** The shape the per-shape sections run on now (null in the sections run once). */
  shape: ProjectShape | null;
  projects: BenchProject[];
  results: BenchResults;
  /** The BENCHMARKS.md this run replaces, for the blocks kept by hand. */
  previousDocument: string | null;
  /** How often the runner had to wait for a quiet machine, and how long. */
  quiet: QuietStats;
  /** One-minute load averages sampled through the run (other processes compete for the cores). */
  load: number[];
  /** Problems that make the run's figures unreliable; the runner fails when there are any. */
  failures: string[];
  /**
   * What this run could not measure for a cause outside the tool (the corpus lacks the packages
   * `dbt deps` would fetch): listed under the summary, without calling the other figures unreliable.
   */
  notMeasured: string[];
  log(message: string): void;
  measure(input: { command: string; args: string[]; cwd: string; env?: NodeJS.ProcessEnv; stdoutFile?: string; timeoutMs?: number }): Promise<Measurement>;
}

/** One part of BENCHMARKS.md. Adding a benchmark is adding one function that returns one of these. */
export interface SectionOutput {
  title: string;
  body: string;
}

export type BenchSection = (ctx: BenchContext) => Promise<SectionOutput>;

export function stat(values: number[]): Stat {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, min: sorted[0]!, max: sorted[sorted.length - 1]! };
}

export function series(runs: Measurement[]): Series {
  const cpu = runs.every((r) => r.cpuMs !== null) ? stat(runs.map((r) => r.cpuMs!)) : null;
  const rss = runs.every((r) => r.maxRssKb !== null) ? stat(runs.map((r) => r.maxRssKb!)) : null;
  return { runs, wall: stat(runs.map((r) => r.wallMs)), cpu, rss };
}

export function seconds(ms: number): string {
  if (ms < 10_000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** KiB (as the kernel reports peak RSS) to decimal megabytes. */
export function megabytes(kib: number): string {
  return `${Math.round((kib * 1024) / 1e6)} MB`;
}

export function thousands(n: number): string {
  return n.toLocaleString("en-US");
}

export function sizeLabel(n: number): string {
  return n % 1000 === 0 ? `${n / 1000}k` : String(n);
}

export function ratio(x: number): string {
  return x >= 10 ? `${Math.round(x)}×` : `${x.toFixed(1)}×`;
}

/**
 * A ratio judged against a target (`x ≤ target` is met): as `ratio`, but with two decimals within 0.1
 * of the target, and more where two would still put the figure shown on the other side of it, so a
 * miss never reads as met (1.34 against 1.3 is "1.34×", not "1.3×"; 1.3004 is "1.3004×").
 */
export function ratioAgainst(x: number, target: number): string {
  if (Math.abs(x - target) >= 0.1) return ratio(x);
  for (let decimals = 2; decimals < 6; decimals++) {
    const shown = Number(x.toFixed(decimals));
    if (shown <= target === x <= target) return `${x.toFixed(decimals)}×`;
  }
  return `${x}×`;
}

export function markdownTable(header: string[], rows: string[][], align?: ("l" | "r")[]): string {
  const sep = header.map((_, i) => ((align?.[i] ?? "l") === "r" ? "---:" : "---"));
  return [header, sep, ...rows].map((r) => `| ${r.join(" | ")} |`).join("\n");
}

export function textTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join("   ")
      .trimEnd();
  return [line(header), widths.map((w) => "─".repeat(w)).join("   "), ...rows.map(line)].join("\n");
}
