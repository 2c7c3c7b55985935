import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { markdownTable, seconds, sizeLabel, textTable, emptyResults, type BenchContext, type BenchOptions, type BenchProject, type BenchResults, type SectionOutput } from "./benchContext.js";
import { NAMED_SECTIONS, SUMMARY_ROWS } from "./benchSections.js";
import { generateProject, type ProjectShape } from "./generateProject.js";
import { machineInfo } from "./machineInfo.js";
import { canNice, describeRusageMethod, detectRusageMethod, killRunningCommands, measureCommand } from "./measureCommand.js";
import { createQuietGate } from "./quietMachine.js";

// `npm run bench`: generates the benchmark projects, runs every section of SECTIONS on them in one
// go, prints a summary table and writes BENCHMARKS.md. Figures come from this run only.
//
// node runBench.mjs --repo-root DIR [--sizes 1000,10000,50000] [--reps 5] [--dbt-sizes 1000,10000]
//   [--dbt-reps 3] [--seed-procedure-sizes 1000,10000] [--seed-procedure-timeout 240] [--seed N]
//   [--paused-fraction 0.1] [--shapes simple,real | --shape simple|real] [--profile-size 10000] [--out FILE | --no-write] [--keep]
//   [--rusage gnu-time|python-getrusage|none] [--cli FILE] [--quiet-wait SECONDS] [--nice N] [--quick]
//   [--restore-sizes 10,50,200] [--restore-culprits 0,1,3,10] [--only culprits,api] [--node PATH|node@24]
//
// --only runs the named sections alone (projects, status, raw, dbt, seed, ratios, profile, findings,
// culprits, api, truth, corpus), for iterating on one of them; it writes BENCHMARKS.md only when --out says where.
//
// Shapes: the sections that read the generated projects (`projects: true` in NAMED_SECTIONS) run
// once per shape (both by default, simple first), each time on that shape's projects and with its
// own results (`ctx.shape`, `ctx.projects`, `ctx.results`); the others run once, after. The summary
// puts the shapes side by side (SUMMARY_ROWS in benchSections.ts).
// --quick: smaller sizes and fewer runs (a smoke test; restore batches of 10 and 50, 0, 1 and 3 culprits).
//
// On a shared machine other jobs take the measured command's core and inflate wall times. Where the
// system allows it (root), every measured command runs at niceness -10 (--nice N to choose, --nice 0
// for none); otherwise the runner waits before each run for the others to go quiet (--quiet-wait,
// 180 s in all by default).
//
// --cli measures another build of the CLI than dist/cli.js (for before/after comparisons).
// --node (or BENCH_NODE) runs every measured Node command with another Node: a path, or `node@24`
// (fetched from the npm registry with `npx -y node@24` once); the Action declares `using: node24`, the
// machine's `node` may be older. The version measured is printed in the tables.

/** Niceness of the measured commands when nothing else is said and the system allows it. */
const DEFAULT_NICE = -10;

/** Other processes may keep at most this share of all cores busy when a measured run starts. */
const QUIET_THRESHOLD = 0.25;

function parseShape(text: string): ProjectShape {
  if (text === "simple" || text === "real") return text;
  throw new Error(`--shape must be simple or real, got ${JSON.stringify(text)}`);
}

function parseOptions(argv: string[]): BenchOptions {
  const value = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    if (i < 0) return undefined;
    const v = argv[i + 1];
    if (v === undefined || v.startsWith("--")) throw new Error(`${name} needs a value`);
    return v;
  };
  const list = (name: string, fallback: number[]) =>
    value(name)
      ?.split(",")
      .map((s) => Number(s.trim())) ?? fallback;
  const quick = argv.includes("--quick");
  const only =
    value("--only")
      ?.split(",")
      .map((s) => s.trim())
      .filter(Boolean) ?? null;
  const repoRoot = resolve(value("--repo-root") ?? process.cwd());
  // A quick run is a smoke test: it writes BENCHMARKS.md only when told where.
  const outPath = () => {
    if (argv.includes("--no-write")) return null;
    const out = value("--out");
    if (out !== undefined) return resolve(out);
    return quick || only ? null : join(repoRoot, "BENCHMARKS.md");
  };
  const options: BenchOptions = {
    repoRoot,
    sizes: list("--sizes", quick ? [300, 1000] : [1000, 10_000, 50_000]),
    reps: Number(value("--reps") ?? (quick ? 2 : 5)),
    dbtSizes: list("--dbt-sizes", quick ? [300] : [1000, 10_000]),
    dbtReps: Number(value("--dbt-reps") ?? (quick ? 1 : 3)),
    seedProcedureSizes: list("--seed-procedure-sizes", quick ? [300] : [1000, 10_000]),
    seedProcedureTimeoutMs: Number(value("--seed-procedure-timeout") ?? 240) * 1000,
    seed: Number(value("--seed") ?? 20261121),
    pausedFraction: Number(value("--paused-fraction") ?? 0.1),
    shape: "simple" as ProjectShape,
    shapes: (value("--shapes") ?? value("--shape") ?? "simple,real").split(",").map((t) => parseShape(t.trim())),
    out: outPath(),
    keep: argv.includes("--keep"),
    rusage: detectRusageMethod(value("--rusage")),
    profileSize: Number(value("--profile-size") ?? (quick ? 1000 : 10_000)),
    cli: resolve(value("--cli") ?? join(repoRoot, "dist", "cli.js")),
    node: resolveNode(value("--node") ?? process.env.BENCH_NODE),
    quietWaitMs: 0,
    nice: 0,
    restoreSizes: list("--restore-sizes", quick ? [10, 50] : [10, 50, 200]),
    restoreCulprits: list("--restore-culprits", quick ? [0, 1, 3] : [0, 1, 3, 10]),
    only,
  };
  const names = NAMED_SECTIONS.map((s) => s.name);
  const unknown = (only ?? []).filter((n) => !names.includes(n));
  if (unknown.length > 0) throw new Error(`--only: no section ${unknown.join(", ")} (sections: ${names.join(", ")})`);
  for (const n of options.restoreSizes) {
    if (!Number.isInteger(n) || n < 1) throw new Error(`a restore batch size must be a whole number ≥ 1, got ${n}`);
  }
  for (const k of options.restoreCulprits) {
    if (!Number.isInteger(k) || k < 0) throw new Error(`a culprit count must be a whole number ≥ 0, got ${k}`);
  }
  // By default, raise the measured commands' priority where allowed (root), else wait for quiet.
  const nice = value("--nice");
  if (nice !== undefined) {
    options.nice = Number(nice);
    if (options.nice !== 0 && !canNice(options.nice)) throw new Error(`cannot run commands at niceness ${options.nice} here (a negative one needs root)`);
  } else if (canNice(DEFAULT_NICE)) {
    options.nice = DEFAULT_NICE;
  }
  options.quietWaitMs = Number(value("--quiet-wait") ?? (quick || options.nice !== 0 ? 0 : 180)) * 1000;
  for (const n of [...options.sizes, ...options.dbtSizes, ...options.seedProcedureSizes]) {
    if (!Number.isInteger(n) || n < 10) throw new Error(`a project size must be a whole number of models ≥ 10, got ${n}`);
  }
  if (!(options.reps >= 1 && options.dbtReps >= 1)) throw new Error("--reps and --dbt-reps must be at least 1");
  return options;
}

/** The Node binary for `--node`/`BENCH_NODE`: a path, or `node@MAJOR[.MINOR…]` (npm's \`node\` package, through npx). */
function resolveNode(spec: string | undefined): string {
  if (spec === undefined || spec === "") return process.execPath;
  let path = spec;
  if (/^node@\d+(\.\d+){0,2}$/.test(spec)) {
    const found = spawnSync("npx", ["-y", spec, "-p", "process.execPath"], { encoding: "utf8" });
    if (found.status !== 0) throw new Error(`--node ${spec}: \`npx -y ${spec}\` failed: ${found.stderr.trim()}`);
    path = found.stdout.trim();
  }
  const version = spawnSync(path, ["--version"], { encoding: "utf8" });
  if (version.status !== 0 || !/^v\d+\./.test(version.stdout)) throw new Error(`--node ${spec}: ${path} is not a Node that runs`);
  return resolve(path);
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  const started = Date.now();
  const log = (message: string) => process.stderr.write(`[bench ${seconds(Date.now() - started).padStart(8)}] ${message}\n`);
  if (!existsSync(options.cli)) throw new Error(`${options.cli} not found: run \`npm run build\` first`);
  const dbtPath = join(options.repoRoot, ".venv", "bin", "dbt");
  const dbt = existsSync(dbtPath) ? dbtPath : null;
  const work = mkdtempSync(join(tmpdir(), "dbt-unskip-bench-"));
  // Interrupted: leave no scratch projects behind (hundreds of MB at 50k models).
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      killRunningCommands();
      if (!options.keep) rmSync(work, { recursive: true, force: true });
      process.exit(130);
    });
  }
  try {
    return await runIn(work, options, started, log, dbt);
  } finally {
    if (options.keep) log(`kept ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }
}

async function runIn(work: string, options: BenchOptions, started: number, log: (message: string) => void, dbt: string | null): Promise<number> {
  // Measure a private copy of the bundle: a rebuild of dist/ during the run must not change what is
  // measured halfway through.
  const cli = join(work, "cli", "cli.js");
  mkdirSync(dirname(cli), { recursive: true });
  copyFileSync(options.cli, cli);
  // The worker the CLI starts for a project with much properties YAML (src/adapters/threads/propertiesThread.ts)
  // sits beside it; without it the CLI reads them on its main thread.
  const worker = join(dirname(options.cli), "propertiesWorker.js");
  if (existsSync(worker)) copyFileSync(worker, join(dirname(cli), "propertiesWorker.js"));
  writeFileSync(join(dirname(cli), "package.json"), '{ "type": "module" }\n');
  const machine = machineInfo({ repoRoot: options.repoRoot, dbt, cli, node: options.node });
  log(`${machine.cpu}, ${machine.cores} cores, ${machine.memory}; Node ${machine.node} (${options.node}); ${machine.dbt}; scratch ${work}`);

  // Before each measured run, wait (within limits) until other processes leave the cores alone.
  const gate = createQuietGate({ threshold: QUIET_THRESHOLD, maxWaitPerRunMs: 20_000, maxWaitTotalMs: options.quietWaitMs });
  const ctx: BenchContext = {
    options,
    machine,
    work,
    cli,
    dbt,
    shape: null,
    projects: [],
    results: emptyResults(),
    previousDocument: options.out && existsSync(options.out) ? readFileSync(options.out, "utf8") : null,
    load: [loadavg()[0]!],
    failures: [],
    notMeasured: [],
    log,
    measure: async (input) => {
      if (options.quietWaitMs > 0) await gate.wait();
      return measureCommand({ ...input, method: options.rusage, scratch: work, nice: options.nice });
    },
    quiet: gate.stats,
  };

  const sampler = setInterval(() => ctx.load.push(loadavg()[0]!), 5000);
  sampler.unref();
  const sections = NAMED_SECTIONS.filter((s) => !options.only || options.only.includes(s.name));
  const perShape = sections.filter((s) => s.projects);
  const outputs: SectionOutput[] = [];
  const shapeRuns: ShapeRun[] = [];
  for (const shape of perShape.length > 0 ? options.shapes : []) {
    // Each shape: its own projects, results and scratch folder; the rest (log, failures, load) shared.
    const shapeWork = join(work, shape);
    mkdirSync(shapeWork, { recursive: true });
    const shapeCtx: BenchContext = { ...ctx, options: { ...options, shape }, shape, work: shapeWork, projects: [], results: emptyResults() };
    const sizes = [...new Set([...options.sizes, ...options.dbtSizes, ...options.seedProcedureSizes])].sort((a, b) => a - b);
    for (const size of sizes) {
      const root = join(shapeWork, `project-${sizeLabel(size)}`);
      const t = Date.now();
      const generated = generateProject({ dir: root, models: size, seed: options.seed, pausedFraction: options.pausedFraction, shape });
      shapeCtx.projects.push({ size, root, generated, generationMs: Date.now() - t });
      log(`${shape}: generated ${sizeLabel(size)}: ${generated.files.total} files, ${generated.counts.paused} paused (${generated.counts.ready} ready, ${generated.counts.blocked} blocked)`);
    }
    for (const { name, section, shapes } of perShape) {
      if (shapes && !shapes.includes(shape)) continue;
      const t = Date.now();
      const output = await section(shapeCtx);
      outputs.push({ ...output, title: `${output.title} — ${shape} shape` });
      log(`${shape}: section ${name} done in ${seconds(Date.now() - t)}`);
    }
    shapeRuns.push({ shape, projects: shapeCtx.projects, results: shapeCtx.results });
    for (const t of shapeCtx.results.targets) ctx.results.targets.push({ ...t, target: `${shape} shape: ${t.target}` });
    // Hundreds of MB at 50k models: gone before the next shape is written.
    if (!options.keep) for (const p of shapeCtx.projects) rmSync(p.root, { recursive: true, force: true });
  }
  ctx.projects = shapeRuns.flatMap((r) => r.projects);
  for (const { name, section } of sections.filter((s) => !s.projects)) {
    const t = Date.now();
    outputs.push(await section(ctx));
    log(`section ${name} done in ${seconds(Date.now() - t)}`);
  }
  const totalMs = Date.now() - started;
  clearInterval(sampler);
  ctx.load.push(loadavg()[0]!);

  const summary = summaryRows(shapeRuns, ctx.machine.node);
  // Iterating on some sections: show what they would write.
  if (options.only) for (const section of outputs) process.stdout.write(`\n## ${section.title}\n\n${section.body.trim()}\n`);
  if (shapeRuns.length > 0) process.stdout.write(`\n${textTable(summary.header, summary.rows)}\n`);
  process.stdout.write("\n");
  for (const t of ctx.results.targets) {
    process.stdout.write(`${t.met === null ? "·" : t.met ? "✅ met   " : "❌ MISSED"}  ${t.target}: ${t.measured}\n`);
  }
  for (const failure of ctx.failures) process.stdout.write(`!! ${failure}\n`);
  for (const missing of ctx.notMeasured) process.stdout.write(`not measured: ${missing}\n`);
  process.stdout.write(`\n${loadNote(ctx)}\nquiet-machine gate: ${quietNote(ctx).replace(/\*\*/g, "")}\nbench finished in ${seconds(totalMs)}${options.out ? `; wrote ${options.out}` : ""}\n`);

  if (options.out) writeFileSync(options.out, renderDocument(ctx, outputs, summary, totalMs));
  return ctx.failures.length > 0 ? 1 : 0;
}

function quietNote(ctx: BenchContext): string {
  const q = ctx.quiet;
  if (ctx.options.quietWaitMs <= 0) return "off (no waiting for other processes)";
  const busy =
    q.busyRuns === 0
      ? "every measured run started with the cores free"
      : `**${q.busyRuns} of ${q.runs} measured runs started while other processes still kept more than ${QUIET_THRESHOLD * 100}% of the CPU busy** (wait limit reached): their wall times are inflated`;
  return `before each of the ${q.runs} measured runs the runner waited until other processes used at most ${QUIET_THRESHOLD * 100}% of the CPU (20 s at most per run, ${seconds(ctx.options.quietWaitMs)} in all); it spent ${seconds(q.waitedMs)} waiting and checking; ${busy}`;
}

/** The machine's load during the run, and what it means for the figures. */
function loadNote(ctx: BenchContext): string {
  const sorted = [...ctx.load].sort((a, b) => a - b);
  const median = sorted[sorted.length >> 1] ?? 0;
  const max = sorted[sorted.length - 1] ?? 0;
  const text = `one-minute load average ${median.toFixed(1)} (median of ${sorted.length} samples, up to ${max.toFixed(1)}) on ${ctx.machine.cores} cores, the benchmark's own processes included`;
  if (median <= ctx.machine.cores) return text;
  return ctx.options.nice < 0
    ? `${text}. Other processes were competing for the cores; the measured commands ran at raised priority (see "How it is measured"), so their wall times are close to an idle machine's, though not equal`
    : `${text}. Other processes were competing for the cores: wall times are inflated, CPU times much less so`;
}

interface ShapeRun {
  shape: string;
  projects: BenchProject[];
  results: BenchResults;
}

/** The summary: one column per shape and size, one row per entry of SUMMARY_ROWS. */
function summaryRows(runs: ShapeRun[], node: string): { header: string[]; rows: string[][] } {
  const columns = runs.flatMap((r) => r.projects.map((p) => ({ shape: r.shape, size: p.size, results: r.results })));
  return {
    header: [`models (Node ${node})`, ...columns.map((c) => `${c.shape} ${sizeLabel(c.size)}`)],
    rows: SUMMARY_ROWS.map((row) => [row.label, ...columns.map((c) => row.cell(c.results, c.size))]),
  };
}

function renderDocument(ctx: BenchContext, outputs: SectionOutput[], summary: { header: string[]; rows: string[][] }, totalMs: number): string {
  const m = ctx.machine;
  const o = ctx.options;
  const targetLines = ctx.results.targets.map((t) => `- ${t.met === null ? "not measured:" : t.met ? "✅ met:" : "❌ **missed**:"} ${t.target}: ${t.measured}`);
  const parts = [
    "# Benchmarks",
    "",
    `Written by \`npm run bench\` (\`scripts/bench.mjs\` compiles and runs \`test/bench/runBench.ts\`) on ${m.date}; the whole run took ${seconds(totalMs)}. Every figure here comes from that one run on the machine below, on projects generated for it; none comes from a timed test. Re-run to refresh. Only the marked block in "Profile findings and fixes" is written by hand (the runner carries it over).`,
    "",
    "## Summary",
    "",
    `Medians. Sizes are models in the project, ${Math.round(o.pausedFraction * 100)}% of them paused; both shapes of generated project side by side (\`simple\`: the first benchmarks' projects; \`real\`: shaped like large public dbt projects, see "The projects — real shape").`,
    "",
    markdownTable(
      summary.header,
      summary.rows,
      summary.header.map((_, i) => (i === 0 ? "l" : "r")),
    ),
    "",
    ...targetLines,
    ...(ctx.failures.length > 0 ? ["", "**This run had problems; its figures are not reliable:**", "", ...ctx.failures.map((f) => `- ${f}`)] : []),
    ...(ctx.notMeasured.length > 0 ? ["", "**Not measured in this run** (the other figures stand):", "", ...ctx.notMeasured.map((f) => `- ${f}`)] : []),
    "",
    "## Machine",
    "",
    `- CPU: ${m.cpu}, ${m.cores} cores available`,
    `- Memory: ${m.memory}`,
    `- OS: ${m.os}`,
    `- Node: ${m.node}, every measured Node command (the CLI, the Action's bundle, the floor)${o.node === process.execPath ? "" : ` (\`${o.node}\`, by --node or BENCH_NODE; the runner: ${m.runnerNode})`}`,
    `- Python: ${m.python}`,
    `- dbt: ${m.dbt}`,
    `- Date: ${m.date}`,
    `- Load: ${loadNote(ctx)}`,
    `- Quiet-machine gate: ${quietNote(ctx)}`,
    `- Measured: commit ${m.commit}; the CLI bundle \`${o.cli.startsWith(`${o.repoRoot}/`) ? relative(o.repoRoot, o.cli) : o.cli}\`, sha256 \`${m.cliHash}…\` (copied at the start of the run)`,
    "",
    "## How it is measured",
    "",
    "- Every figure is a whole process started cold (a new `node`, `python` or `bash` each run), as a user or CI runs it; the files themselves are in the page cache (they were just written), so these are warm-disk figures.",
    `- Each figure is the median of ${o.reps} runs (dbt: ${o.dbtReps}) after one warm-up run that is not counted.`,
    `- CPU and memory: ${describeRusageMethod(o.rusage)}. CPU time is user + system; on ${m.cores} cores it can exceed wall time when work runs in parallel (Node's I/O threads, dbt's threads).`,
    "- Memory is the peak resident set size (RSS) in decimal megabytes.",
    ...(o.nice !== 0
      ? [
          `- Every measured command ran at niceness ${o.nice} (\`nice -n ${o.nice}\`, and the same for its autogroup, since Linux schedules sessions fairly before it looks at niceness), the same for the tool, the floor, dbt and the seed's procedure: other jobs on a shared machine then cannot take its core. On an idle machine this changes nothing; CPU times are unaffected either way.`,
        ]
      : []),
    "",
  ];
  for (const section of outputs) parts.push(`## ${section.title}`, "", section.body.trim(), "");
  return `${parts
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trimEnd()}\n`;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
