import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import {
  markdownTable,
  megabytes,
  ratio,
  ratioAgainst,
  seconds,
  series,
  sizeLabel,
  thousands,
  type BenchContext,
  type BenchProject,
  type BenchResults,
  type BenchSection,
  type Series,
  type TargetCheck,
} from "./benchContext.js";
import { corpusSection } from "./corpusSection.js";
import { DIMENSIONS_OUTPUT, MACRO_PATH, MODEL_PATH, PROJECT_DIR, SEED_PATH, type ProjectShape } from "./generateProject.js";
import type { Measurement } from "./measureCommand.js";
import { API_HEADER, apiRows } from "./apiCallReport.js";
import { CULPRIT_HEADER, culpritRows, parseRunTarget, runProblems } from "./culpritReport.js";
import { REPO_PREFIX, runApiScenarios } from "./githubApiCalls.js";
import { runCulpritSweep } from "./restoreCulprits.js";
import { summarizeCpuProfile } from "./summarizeCpuProfile.js";
import { truthSection } from "./truthSection.js";
import { prReportSection } from "./prReportSection.js";

// The sections of BENCHMARKS.md, in order. Each measures what it reports (or reads what earlier
// sections measured) and returns its markdown. To add a benchmark, write one more function of type
// BenchSection and list it in SECTIONS.

/** The targets the figures are held to (issue 7). */
export const TARGETS = {
  wall10kMs: 1000,
  rss10kMb: 300,
  fasterThanDbt: 50,
  overRawRead: 3,
  /** Issue 17: 50k models (real shape) in this much peak RSS. */
  rss50kMb: 350,
  /** Growth counts as linear when the cost per added model grows by no more than this factor. */
  linearTolerance: 1.25,
};

const wallCell = (s: Series) => `${seconds(s.wall.median)} (${seconds(s.wall.min)}–${seconds(s.wall.max)})`;
const cpuCell = (s: Series) => (s.cpu ? seconds(s.cpu.median) : "n/m");
const rssCell = (s: Series) => (s.rss ? megabytes(s.rss.median) : "n/m");
const faster = (times: number) => (times >= 1 ? `${ratio(times)} faster` : `${ratio(1 / times)} slower`);
const runs = (n: number) => `${n} run${n === 1 ? "" : "s"}`;
const perModel = (ms: number, models: number) => `${Math.round((ms * 1000) / models)} µs`;

function projectFor(ctx: BenchContext, size: number): BenchProject | undefined {
  return ctx.projects.find((p) => p.size === size);
}

/** One warm-up run (not counted), then `reps` measured runs. Stops early when a run fails. */
export async function repeat(ctx: BenchContext, label: string, reps: number, run: (warmUp: boolean) => Promise<Measurement>): Promise<Series | null> {
  const warm = await run(true);
  if (warm.exitCode !== 0) {
    ctx.failures.push(`${label}: exit code ${warm.exitCode}${warm.timedOut ? " (time limit)" : ""}: ${warm.stderrTail.trim().split("\n").slice(-3).join(" / ")}`);
    return null;
  }
  const measured: Measurement[] = [];
  for (let i = 0; i < reps; i++) {
    const m = await run(false);
    if (m.exitCode !== 0) {
      ctx.failures.push(`${label}: run ${i + 1} failed with exit code ${m.exitCode}`);
      return null;
    }
    measured.push(m);
  }
  const s = series(measured);
  ctx.log(`${label}: median ${seconds(s.wall.median)}, CPU ${s.cpu ? seconds(s.cpu.median) : "n/m"}, peak RSS ${s.rss ? megabytes(s.rss.median) : "n/m"}`);
  return s;
}

// ---------------------------------------------------------------------------------------------

function fileBytes(bytes: number): string {
  return bytes >= 100_000 ? `${(bytes / 1e6).toFixed(2)} MB` : `${(bytes / 1e3).toFixed(1)} kB`;
}

export const projectsSection: BenchSection = async (ctx) => {
  const rows = ctx.projects.map(({ size, generated: g, generationMs }) => [
    thousands(size),
    thousands(g.counts.active),
    thousands(g.counts.paused),
    thousands(g.counts.ready),
    thousands(g.counts.cascade),
    thousands(g.counts.blocked),
    thousands(g.counts.needsInvestigation),
    String(g.counts.dimensions),
    thousands(g.files.total),
    `${(g.files.bytes / 1e6).toFixed(1)} MB`,
    seconds(generationMs),
  ]);
  const kinds = ["models", "yaml", "docs", "macros", "package", "seeds", "other"] as const;
  const shapeRows = ctx.projects.map(({ size, generated: g }) => [
    thousands(size),
    ...kinds.map((k) => fileBytes(g.files.bytesByKind[k])),
    thousands(g.files.yaml),
    thousands(g.files.docs),
    `${Math.round((100 * g.edges.throughMacros) / Math.max(1, g.edges.total))}% of ${thousands(g.edges.total)}`,
    thousands(g.edges.untakenBranches),
  ]);
  return {
    title: "The projects",
    body: [
      `Generated for this run by \`test/bench/generateProject.ts\` (seed ${ctx.options.seed}, ${Math.round(ctx.options.pausedFraction * 100)}% of the models paused) in a temporary folder; the same seed writes byte-identical projects. Each is a dbt project in \`warehouse/\` with \`model-paths: ["${MODEL_PATH}"]\`, sources YAML, seeds, three macros and models in three layers (staging ← sources, intermediate ← staging, marts ← intermediate/staging/marts; 1–6 parents each, most have one or two), every spelling of \`ref()\` the tool reads, refs hidden in a macro that takes a list of \`(model, label)\` tuples, \`{% set %}\`/\`{% for %}\` loops, \`-- depends_on:\` hints, refs inside \`{# #}\` comments (not dependencies), and one migration state document per dimension. Real \`dbt parse\` accepts every one of them (checked below).`,
      "",
      markdownTable(["models", "active", "paused", "ready", "of which cascade", "blocked", "needs investigation", "dimensions", "files", "size", "generated in"], rows, [
        "r",
        "r",
        "r",
        "r",
        "r",
        "r",
        "r",
        "r",
        "r",
        "r",
        "r",
      ]),
      "",
      `Shape: **${ctx.options.shape}** (\`--shape simple|real\`). Bytes by kind of file, properties files, \`docs\` blocks, and how the dependencies are spelled, to compare with your own project (the real shape adds long models, properties and docs YAML with anchors and flow maps, literal-argument and \`var()\` branches that dbt does not take, \`adapter.dispatch\` and a package's macros):`,
      "",
      markdownTable(["models", ...kinds.map((k) => `${k} bytes`), "properties files", "docs blocks", "edges through macros", "refs in untaken branches"], shapeRows, [
        ...kinds.map(() => "r" as const),
        "r",
        "r",
        "r",
        "r",
        "r",
      ]),
    ].join("\n"),
  };
};

// ---------------------------------------------------------------------------------------------

interface StatusJson {
  summary: { paused: number; ready: number; blocked: number; needsInvestigation: number };
  models: { name: string; status: string; needsRestored: string[] }[];
  problems: unknown[];
}

function checkVerdicts(project: BenchProject, stdoutFile: string): { match: boolean; detail: string } {
  let report: StatusJson;
  try {
    report = JSON.parse(readFileSync(stdoutFile, "utf8")) as StatusJson;
  } catch (error) {
    return { match: false, detail: `output is not JSON: ${String(error)}` };
  }
  const { expected, counts } = project.generated;
  const names = (status: string) =>
    report.models
      .filter((m) => m.status === status)
      .map((m) => m.name)
      .sort()
      .join(",");
  const cascade = report.models
    .filter((m) => m.status === "ready" && m.needsRestored.length > 0)
    .map((m) => m.name)
    .sort()
    .join(",");
  const match =
    report.summary.paused === counts.paused &&
    names("ready") === expected.ready.join(",") &&
    names("blocked") === expected.blocked.join(",") &&
    names("needs-investigation") === expected.needsInvestigation.join(",") &&
    cascade === expected.cascade.join(",") &&
    report.problems.length === 0;
  const s = report.summary;
  return {
    match,
    detail: `${s.ready} ready, ${s.blocked} blocked, ${s.needsInvestigation} needs investigation${match ? "" : ` (expected ${counts.ready}/${counts.blocked}/${counts.needsInvestigation}, ${report.problems.length} problems)`}`,
  };
}

export const staticStatusSection: BenchSection = async (ctx) => {
  const rows: string[][] = [];
  for (const project of ctx.projects) {
    const out = join(ctx.work, `status-${project.size}.json`);
    const s = await repeat(ctx, `status ${sizeLabel(project.size)}`, ctx.options.reps, async (warmUp) => {
      const m = await ctx.measure({
        command: ctx.options.node,
        args: [ctx.cli, "status", "--json", "--root", project.root],
        cwd: project.root,
        stdoutFile: out,
      });
      if (warmUp && m.exitCode === 0) {
        const verdicts = checkVerdicts(project, out);
        ctx.results.verdicts.set(project.size, verdicts);
        if (!verdicts.match) ctx.failures.push(`status ${sizeLabel(project.size)}: verdicts differ from the generator's: ${verdicts.detail}`);
      }
      return m;
    });
    rmSync(out, { force: true });
    if (!s) continue;
    ctx.results.status.set(project.size, s);
    const verdicts = ctx.results.verdicts.get(project.size);
    rows.push([thousands(project.size), wallCell(s), cpuCell(s), rssCell(s), perModel(s.wall.median, project.size), `${verdicts?.match ? "✅" : "❌"} ${verdicts?.detail ?? ""}`]);
  }
  return {
    title: `Static status: \`dbt-unskip status --json\` (Node ${ctx.machine.node})`,
    body: [
      `\`node dist/cli.js status --json --root <project>\`, the built CLI as a user runs it: a new Node process each time (start-up, loading the bundle, reading every file, extraction, readiness, JSON out), standard output to a file. Median of ${runs(ctx.options.reps)} after one warm-up run, (min–max) in brackets. The warm-up run's JSON is checked against the verdicts the generator built in: a benchmark of a wrong answer would be worthless.`,
      "",
      markdownTable(["models", "wall", "CPU (user+sys)", "peak RSS", "wall per model", "verdicts (checked)"], rows, ["r", "r", "r", "r", "r", "l"]),
    ].join("\n"),
  };
};

// ---------------------------------------------------------------------------------------------

/** The floor: a fresh Node process that lists and reads, once, every file the scan reads. */
const RAW_READ_SCRIPT = `import { readdirSync, readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
const [root, projectDir, seedDir, ...dirs] = process.argv.slice(2);
let files = 0, bytes = 0;
const read = (path) => { bytes += readFileSync(path).length; files++; };
for (const f of [join(projectDir, "dbt_project.yml"), "project.config.json"]) if (existsSync(join(root, f))) read(join(root, f));
for (const dir of dirs) {
  for (const entry of readdirSync(join(root, dir), { recursive: true, withFileTypes: true })) {
    if (entry.isFile() && /\\.(sql|py|ya?ml|jinja|md)(\\.skip)?$/.test(entry.name)) read(join(entry.parentPath, entry.name));
  }
}
readdirSync(join(root, projectDir, seedDir));
process.stdout.write(JSON.stringify({ files, bytes }) + "\\n");
`;

export const rawReadSection: BenchSection = async (ctx) => {
  const script = join(ctx.work, "rawRead.mjs");
  writeFileSync(script, RAW_READ_SCRIPT);
  const rows: string[][] = [];
  ctx.results.nodeStart = await repeat(ctx, "node -e 0", ctx.options.reps, () => ctx.measure({ command: ctx.options.node, args: ["-e", "0"], cwd: ctx.work }));
  for (const project of ctx.projects) {
    const out = join(ctx.work, `raw-${project.size}.json`);
    const s = await repeat(ctx, `raw read ${sizeLabel(project.size)}`, ctx.options.reps, () =>
      ctx.measure({
        command: ctx.options.node,
        args: [script, project.root, PROJECT_DIR, SEED_PATH, `${PROJECT_DIR}/${MODEL_PATH}`, `${PROJECT_DIR}/${MACRO_PATH}`, DIMENSIONS_OUTPUT],
        cwd: project.root,
        stdoutFile: out,
      }),
    );
    if (!s) continue;
    const { files, bytes } = JSON.parse(readFileSync(out, "utf8")) as { files: number; bytes: number };
    rmSync(out, { force: true });
    ctx.results.raw.set(project.size, s);
    rows.push([thousands(project.size), thousands(files), `${(bytes / 1e6).toFixed(1)} MB`, wallCell(s), cpuCell(s), rssCell(s)]);
  }
  const start = ctx.results.nodeStart;
  return {
    title: `The floor: reading the same files (Node ${ctx.machine.node})`,
    body: [
      "A fresh Node process that lists the model and macro folders and the state documents, and reads every model, YAML, macro and state document once (`readdirSync` + `readFileSync`, no parsing): what any tool that looks at every file must at least spend, start-up included. Same repetitions as above.",
      "",
      markdownTable(["models", "files read", "bytes", "wall", "CPU (user+sys)", "peak RSS"], rows, ["r", "r", "r", "r", "r", "r"]),
      "",
      start ? `For scale, starting Node and doing nothing (\`node -e 0\`) takes ${seconds(start.wall.median)} wall and ${start.rss ? megabytes(start.rss.median) : "n/m"} of memory.` : "",
    ].join("\n"),
  };
};

// ---------------------------------------------------------------------------------------------

export const dbtParseSection: BenchSection = async (ctx) => {
  const title = "dbt itself: `dbt parse --no-partial-parse`";
  if (!ctx.dbt) {
    return { title, body: "Not measured: dbt is not installed (`bash scripts/setup.sh` installs the pinned dbt into `.venv`)." };
  }
  const profiles = join(ctx.work, "profiles");
  mkdirSync(profiles, { recursive: true });
  writeFileSync(join(profiles, "profiles.yml"), `bench_warehouse:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: ${JSON.stringify(join(ctx.work, "bench.duckdb"))}\n      threads: 1\n`);
  const env = { ...process.env, DO_NOT_TRACK: "1", DBT_SEND_ANONYMOUS_USAGE_STATS: "false" };
  const rows: string[][] = [];
  let warmedUp = false;
  for (const size of ctx.options.dbtSizes) {
    const project = projectFor(ctx, size);
    if (!project) continue;
    const cwd = join(project.root, project.generated.projectDir);
    const parse = () => ctx.measure({ command: ctx.dbt!, args: ["parse", "--no-partial-parse", "--no-use-colors", "--profiles-dir", profiles], cwd, env, timeoutMs: 20 * 60_000 });
    // One warm-up, on the smallest project only: it brings dbt's Python modules into the page cache
    // for every size, as the tool's own warm-up run does for Node.
    const s = await repeat(ctx, `dbt parse ${sizeLabel(size)}`, ctx.options.dbtReps, async (warmUp) => {
      if (warmUp && warmedUp) return { wallMs: 0, cpuMs: null, userMs: null, sysMs: null, maxRssKb: null, exitCode: 0, timedOut: false, stderrTail: "" };
      warmedUp = true;
      return parse();
    });
    if (!s) continue;
    ctx.results.dbt.set(size, s);
    const manifest = JSON.parse(readFileSync(join(cwd, "target", "manifest.json"), "utf8")) as { nodes: Record<string, unknown>; sources: Record<string, unknown> };
    const kinds = Object.keys(manifest.nodes).map((k) => k.slice(0, k.indexOf(".")));
    const models = kinds.filter((k) => k === "model").length;
    if (models !== project.generated.counts.active) {
      ctx.failures.push(`dbt parse ${sizeLabel(size)}: the manifest has ${models} models, the project ${project.generated.counts.active} active ones`);
    }
    rows.push([
      thousands(size),
      wallCell(s),
      cpuCell(s),
      rssCell(s),
      perModel(s.wall.median, size),
      `${thousands(models)} models, ${thousands(kinds.filter((k) => k === "test").length)} tests, ${thousands(Object.keys(manifest.sources).length)} sources, ${thousands(kinds.filter((k) => k === "seed").length)} seeds`,
    ]);
  }
  return {
    title,
    body: [
      `The pinned dbt (${ctx.machine.dbt}) from \`.venv\`, run in the project folder with a generated DuckDB profile, anonymous usage statistics off. \`--no-partial-parse\`: a full parse, what CI and a fresh checkout pay. Median of ${runs(ctx.options.dbtReps)} (one warm-up run on the smallest project first). dbt never sees the paused files, so it parses the active models only. The manifest is checked: it must hold every active model.`,
      "",
      markdownTable(["models", "wall", "CPU (user+sys)", "peak RSS", "wall per model", "manifest"], rows, ["r", "r", "r", "r", "r", "l"]),
    ].join("\n"),
  };
};

// ---------------------------------------------------------------------------------------------

export const seedProcedureSection: BenchSection = async (ctx) => {
  const script = join(ctx.options.repoRoot, "test", "bench", "seedProcedure.sh");
  const rows: string[][] = [];
  for (const size of ctx.options.seedProcedureSizes) {
    const project = projectFor(ctx, size);
    if (!project) continue;
    const out = join(ctx.work, `seed-procedure-${size}.txt`);
    const measured: Measurement[] = [];
    let timedOut = false;
    // Repeat only while a run is short: at 10k models one run already takes minutes.
    for (let i = 0; i < ctx.options.reps; i++) {
      const m = await ctx.measure({
        command: "bash",
        args: [script, join(project.root, project.generated.projectDir), MODEL_PATH],
        cwd: project.root,
        stdoutFile: out,
        timeoutMs: ctx.options.seedProcedureTimeoutMs,
      });
      if (m.timedOut) {
        timedOut = true;
        break;
      }
      measured.push(m);
      if (m.wallMs > 10_000) break;
    }
    let agreement = null;
    if (measured.length > 0) {
      const verdicts = new Map<string, string>();
      for (const line of readFileSync(out, "utf8").split("\n")) {
        const match = /^VERDICT (ready|blocked) (\S+)$/.exec(line);
        if (match) verdicts.set(match[2]!, match[1]!);
      }
      const { expected } = project.generated;
      const ready = new Set(expected.ready);
      const blocked = new Set(expected.blocked);
      let right = 0;
      let blockedCalledReady = 0;
      let readyCalledBlocked = 0;
      let investigateCalledReady = 0;
      for (const [name, verdict] of verdicts) {
        if ((verdict === "ready" && ready.has(name)) || (verdict === "blocked" && blocked.has(name))) right++;
        else if (verdict === "ready" && blocked.has(name)) blockedCalledReady++;
        else if (verdict === "blocked" && ready.has(name)) readyCalledBlocked++;
        else if (verdict === "ready") investigateCalledReady++;
      }
      agreement = { paused: verdicts.size, right, blockedCalledReady, readyCalledBlocked, investigateCalledReady };
    }
    rmSync(out, { force: true });
    const s = measured.length > 0 ? series(measured) : null;
    ctx.results.seedProcedure.set(size, { size, series: s, timedOut, agreement, extrapolatedMs: null });
    ctx.log(`seed procedure ${sizeLabel(size)}: ${s ? seconds(s.wall.median) : `stopped after ${seconds(ctx.options.seedProcedureTimeoutMs)}`}`);
  }

  // Sizes not run (or stopped) are extrapolated from the largest measured one. The procedure runs a
  // `find` over the whole model tree for each ref of each paused model: paused models grow with the
  // project and so does each find, so the time grows with the square of the size unless the
  // measurements show otherwise.
  const measured = [...ctx.results.seedProcedure.values()].filter((r) => r.series).sort((a, b) => a.size - b.size);
  let exponent = 2;
  let exponentNote = "assumed quadratic: one `find` over all files per ref, for a number of paused models that grows with the project";
  if (measured.length >= 2) {
    const a = measured[0]!;
    const b = measured[measured.length - 1]!;
    exponent = Math.log(b.series!.wall.median / a.series!.wall.median) / Math.log(b.size / a.size);
    exponentNote = `the growth measured between ${sizeLabel(a.size)} and ${sizeLabel(b.size)} (time ∝ models^${exponent.toFixed(2)})`;
  }
  const largest = measured[measured.length - 1];
  for (const { size } of ctx.projects) {
    const run = ctx.results.seedProcedure.get(size);
    if (run?.series || !largest) continue;
    const extrapolatedMs = largest.series!.wall.median * (size / largest.size) ** exponent;
    ctx.results.seedProcedure.set(size, { size, series: null, timedOut: run?.timedOut ?? false, agreement: null, extrapolatedMs });
  }

  for (const { size, generated } of ctx.projects) {
    const run = ctx.results.seedProcedure.get(size);
    const a = run?.agreement;
    if (run?.series) {
      rows.push([
        thousands(size),
        thousands(generated.counts.paused),
        wallCell(run.series),
        cpuCell(run.series),
        a ? `${a.right} of ${a.paused}` : "",
        a ? String(a.blockedCalledReady + a.investigateCalledReady) : "",
        a ? String(a.readyCalledBlocked) : "",
        `measured (${runs(run.series.runs.length)})`,
      ]);
    } else if (run?.extrapolatedMs != null) {
      rows.push([
        thousands(size),
        thousands(generated.counts.paused),
        `≈ ${seconds(run.extrapolatedMs)}`,
        "",
        "",
        "",
        "",
        run?.timedOut ? `**extrapolated**: stopped after ${seconds(ctx.options.seedProcedureTimeoutMs)}` : "**extrapolated**, not run",
      ]);
    }
  }
  return {
    title: "Baseline: the seed's manual procedure",
    body: [
      "The first seed runbook's step 4 (`test/bench/seedProcedure.sh`): for each paused model, `grep` its `{{ ref('x') }}` and `{{ source('s', 't') }}` calls with the runbook's patterns, `find` each ref as a `.sql` file under the model path, and grep each source table in the sources YAML. This is what a person, or a chat assistant following the runbook, does today, minus the reading time. It is measured once per size when a run takes more than 10 s, and stopped after " +
        `${seconds(ctx.options.seedProcedureTimeoutMs)}. Its verdicts are compared with the true ones: it sees one spelling of \`ref()\` out of the seven in use, no macro-hidden or looped refs, no seeds, counts refs inside \`{# #}\` comments, and knows nothing of cascades.`,
      "",
      markdownTable(["models", "paused", "wall", "CPU (user+sys)", "verdicts right", "called ready wrongly", "called blocked wrongly", "how"], rows, ["r", "r", "r", "r", "r", "r", "r", "l"]),
      "",
      [...ctx.results.seedProcedure.values()].some((r) => r.extrapolatedMs !== null) ? `Extrapolated figures use ${exponentNote}.` : "",
    ].join("\n"),
  };
};

// ---------------------------------------------------------------------------------------------

export const ratiosAndTargetsSection: BenchSection = async (ctx) => {
  const { status, raw, dbt, seedProcedure } = ctx.results;
  const sizes = ctx.projects.map((p) => p.size).filter((s) => status.has(s));
  const rows = sizes.map((size) => {
    const tool = status.get(size)!.wall.median;
    const d = dbt.get(size);
    const r = raw.get(size);
    const seedRun = seedProcedure.get(size)?.series?.wall.median;
    const seedExtra = seedProcedure.get(size)?.extrapolatedMs ?? undefined;
    return [
      thousands(size),
      d ? faster(d.wall.median / tool) : "not run",
      r ? `${ratio(tool / r.wall.median)} the floor` : "",
      seedRun !== undefined ? faster(seedRun / tool) : seedExtra !== undefined ? `≈ ${faster(seedExtra / tool)} (extrapolated)` : "",
    ];
  });

  // Cost per added model between consecutive sizes, start-up cancelled out. Judged on CPU time,
  // which other processes on the machine distort least (wall time is shown beside it).
  const growthRows: string[][] = [];
  const marginals: { wall: number; cpu: number | null }[] = [];
  sizes.forEach((size, i) => {
    const s = status.get(size)!;
    let wallAdded = "";
    let cpuAdded = "";
    if (i > 0) {
      const prev = sizes[i - 1]!;
      const p = status.get(prev)!;
      const wall = (s.wall.median - p.wall.median) / (size - prev);
      const cpu = s.cpu && p.cpu ? (s.cpu.median - p.cpu.median) / (size - prev) : null;
      marginals.push({ wall, cpu });
      wallAdded = `${Math.round(wall * 1000)} µs (${sizeLabel(prev)} → ${sizeLabel(size)})`;
      cpuAdded = cpu === null ? "n/m" : `${Math.round(cpu * 1000)} µs`;
    }
    const cpuPer = s.cpu ? perModel(s.cpu.median, size) : "n/m";
    const rssPer = s.rss ? `${((s.rss.median * 1024) / size / 1000).toFixed(1)} kB` : "n/m";
    growthRows.push([thousands(size), perModel(s.wall.median, size), cpuPer, rssPer, wallAdded, cpuAdded]);
  });

  const targets: TargetCheck[] = [];
  const tenK = status.get(10_000);
  if (tenK) {
    targets.push({
      target: `10k models in ≤ ${TARGETS.wall10kMs / 1000} s wall`,
      measured: `${seconds(tenK.wall.median)} (best run ${seconds(tenK.wall.min)})`,
      met: tenK.wall.median <= TARGETS.wall10kMs,
    });
    targets.push({
      target: `10k models in ≤ ${TARGETS.rss10kMb} MB peak RSS`,
      measured: tenK.rss ? megabytes(tenK.rss.median) : "n/m",
      met: tenK.rss ? (tenK.rss.median * 1024) / 1e6 <= TARGETS.rss10kMb : null,
    });
    const d = dbt.get(10_000);
    targets.push({
      target: `≥ ${TARGETS.fasterThanDbt}× faster than \`dbt parse\` (10k)`,
      measured: d ? `${ratio(d.wall.median / tenK.wall.median)} (${seconds(d.wall.median)} vs ${seconds(tenK.wall.median)}; best runs ${ratio(d.wall.min / tenK.wall.min)})` : "dbt not run",
      met: d ? d.wall.median / tenK.wall.median >= TARGETS.fasterThanDbt : null,
    });
    const r = raw.get(10_000);
    targets.push({
      target: `≤ ${TARGETS.overRawRead}× the raw read (10k)`,
      measured: r ? `${ratioAgainst(tenK.wall.median / r.wall.median, TARGETS.overRawRead)} (${seconds(tenK.wall.median)} vs ${seconds(r.wall.median)}; best runs ${ratio(tenK.wall.min / r.wall.min)})` : "not run",
      met: r ? tenK.wall.median / r.wall.median <= TARGETS.overRawRead : null,
    });
  }
  const fiftyK = status.get(50_000);
  if (fiftyK) {
    const r = raw.get(50_000);
    targets.push({
      target: `≤ ${TARGETS.overRawRead}× the raw read (50k)`,
      measured: r
        ? `${ratioAgainst(fiftyK.wall.median / r.wall.median, TARGETS.overRawRead)} (${seconds(fiftyK.wall.median)} vs ${seconds(r.wall.median)}; CPU ${fiftyK.cpu && r.cpu ? ratio(fiftyK.cpu.median / r.cpu.median) : "n/m"})`
        : "not run",
      met: r ? fiftyK.wall.median / r.wall.median <= TARGETS.overRawRead : null,
    });
    targets.push({
      target: `50k models in ≤ ${TARGETS.rss50kMb} MB peak RSS`,
      measured: fiftyK.rss ? megabytes(fiftyK.rss.median) : "n/m",
      met: fiftyK.rss ? (fiftyK.rss.median * 1024) / 1e6 <= TARGETS.rss50kMb : null,
    });
  }
  if (marginals.length >= 2) {
    const onCpu = marginals.every((m) => m.cpu !== null);
    const costs = marginals.map((m) => (onCpu ? m.cpu! : m.wall));
    const first = costs[0]!;
    const worst = Math.max(...costs.slice(1));
    targets.push({
      target: `linear growth (${onCpu ? "CPU" : "wall"} time per added model grows ≤ ${TARGETS.linearTolerance}×)`,
      measured: `${costs.map((c) => `${Math.round(c * 1000)} µs`).join(" → ")} per added model (${ratioAgainst(worst / first, TARGETS.linearTolerance)})`,
      met: worst <= first * TARGETS.linearTolerance,
    });
  }
  ctx.results.targets.push(...targets);

  return {
    title: "Ratios and targets",
    body: [
      "Wall-time medians from the sections above.",
      "",
      markdownTable(["models", "vs dbt parse", "vs raw read", "vs the seed's procedure"], rows, ["r", "r", "r", "r"]),
      "",
      "Growth. Per model: the whole run divided by the models (falls while start-up dominates). Per added model: the extra time between two sizes divided by the extra models, start-up cancelled out; growth is linear when that cost stays flat. It is judged on CPU time, which other processes on the machine distort least.",
      "",
      markdownTable(["models", "wall per model", "CPU per model", "peak RSS per model", "wall per added model", "CPU per added model"], growthRows, ["r", "r", "r", "r", "r", "r"]),
      "",
      "Targets, judged on the medians. The best runs are shown too: on a shared machine they are the closest to what an idle one gives.",
      "",
      markdownTable(
        ["target", "measured", "verdict"],
        targets.map((t) => [t.target, t.measured, t.met === null ? "not measured" : t.met ? "✅ met" : "❌ **missed**"]),
      ),
    ].join("\n"),
  };
};

// ---------------------------------------------------------------------------------------------

export const cpuProfileSection: BenchSection = async (ctx) => {
  const title = `Where the time goes (${sizeLabel(ctx.options.profileSize)}, \`--cpu-prof\`)`;
  const project = projectFor(ctx, ctx.options.profileSize);
  if (!project) return { title, body: "Not profiled (no project of that size in this run)." };
  const dir = join(ctx.work, "cpu-profile");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const m = await ctx.measure({
    command: ctx.options.node,
    args: ["--cpu-prof", "--cpu-prof-dir", dir, ctx.cli, "status", "--json", "--root", project.root],
    cwd: project.root,
    stdoutFile: join(dir, "out.json"),
  });
  // One profile per thread (CPU.<date>.<time>.<pid>.<thread>.<n>.cpuprofile): the main thread's is thread 0;
  // another is the worker that reads properties YAML (src/adapters/threads/propertiesThread.ts).
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".cpuprofile"))
    .sort();
  const file = files.find((f) => /\.0\.\d+\.cpuprofile$/.test(f)) ?? files[0];
  if (m.exitCode !== 0 || !file) return { title, body: `The profiled run failed (exit code ${m.exitCode}).` };
  const summary = summarizeCpuProfile({ profileFile: join(dir, file), bundleFile: ctx.cli });
  const pct = (share: number) => `${(share * 100).toFixed(1)}%`;
  const workerFile = files.find((f) => f !== file);
  const worker = workerFile ? summarizeCpuProfile({ profileFile: join(dir, workerFile), bundleFile: join(dirname(ctx.cli), "propertiesWorker.js") }) : null;
  const workerNote = worker
    ? ` The main thread's profile; a worker thread read the properties YAML meanwhile (${Math.round(worker.sampledMs)} ms sampled: ${worker.areas
        .slice(0, 4)
        .map((a) => `${a.name} ${pct(a.share)}`)
        .join(", ")}).`
    : "";
  return {
    title,
    body: [
      `One run of \`node --cpu-prof dist/cli.js status --json\` on the ${thousands(project.size)}-model project (${seconds(m.wallMs)} wall with the profiler on; ${Math.round(summary.sampledMs)} ms sampled).${workerNote} Self time, grouped by source area (each function's place in the bundle is mapped back to its \`src/\` file or npm package through esbuild's module markers):`,
      "",
      markdownTable(
        ["area", "self time", "share"],
        summary.areas.slice(0, 12).map((a) => [a.name, `${Math.round(a.selfMs)} ms`, pct(a.share)]),
        ["l", "r", "r"],
      ),
      "",
      "Top functions by self time:",
      "",
      markdownTable(
        ["function", "where", "self time", "share"],
        summary.functions.slice(0, 15).map((f) => [`\`${f.name}\``, f.where, `${Math.round(f.selfMs)} ms`, pct(f.share)]),
        ["l", "l", "r", "r"],
      ),
    ].join("\n"),
  };
};

// ---------------------------------------------------------------------------------------------

export const FINDINGS_START = "<!-- findings:start (kept from run to run: edit by hand) -->";
export const FINDINGS_END = "<!-- findings:end -->";

/** Profile findings and before/after figures of fixes, written by people and carried over verbatim. */
export const findingsSection: BenchSection = async (ctx) => {
  const previous = ctx.previousDocument ?? "";
  const start = previous.indexOf(FINDINGS_START);
  const end = previous.indexOf(FINDINGS_END);
  const kept = start >= 0 && end > start ? previous.slice(start + FINDINGS_START.length, end).trim() : "No findings recorded yet.";
  return { title: "Profile findings and fixes", body: `${FINDINGS_START}\n${kept}\n${FINDINGS_END}` };
};

export const restoreCulpritIsolationSection: BenchSection = async (ctx) => {
  const title = "Restore culprit isolation";
  if (!ctx.dbt) return { title, body: "Not measured: dbt is not installed (`bash scripts/setup.sh` installs the pinned dbt into `.venv`)." };
  const o = ctx.options;
  const work = join(ctx.work, "restore");
  mkdirSync(work, { recursive: true });
  const sweep = await runCulpritSweep({ repoRoot: o.repoRoot, work, sizes: o.restoreSizes, culpritCounts: o.restoreCulprits, nice: o.nice, log: ctx.log });
  for (const run of sweep.runs) ctx.failures.push(...runProblems(run));
  ctx.failures.push(...sweep.problems);
  const singles = [...sweep.singleParseMs].map(([ready, ms]) => {
    const s = sweep.singleRuns.get(ready)!;
    return `${ready} paused: ${seconds(ms)} (${s.parseRuns} parse, ${s.compileRuns} compile; whole restore ${seconds(s.restoreWallMs)})`;
  });
  const met = sweep.runs.filter((r) => r.parseRuns <= parseRunTarget(r.culprits)).length;
  ctx.results.targets.push({
    target: "restore: k culprits in ≤ 2 + k `dbt parse` runs",
    measured: `${met} of ${sweep.runs.length} configurations (batches of ${o.restoreSizes.join(", ")}; ${o.restoreCulprits.join(", ")} culprits): ${sweep.runs.map((r) => `${r.ready}/${r.culprits}: ${r.parseRuns}`).join(", ")}`,
    met: sweep.runs.length > 0 ? met === sweep.runs.length : null,
  });
  const reasons = [...sweep.sampleReasons].map(([kind, reason]) => `- ${kind}: “${reason.length > 240 ? `${reason.slice(0, 240)}…` : reason}”`);
  return {
    title,
    body: [
      `The product's restore (\`restoreDimension\`, \`src/usecases/restoreDimension.ts\`, bundled from the sources) with the pinned dbt (${ctx.machine.dbt}), on projects generated for each configuration by \`test/bench/restoreProject.ts\`: ${sweep.activeModels} active one-line models and one dimension whose paused models are exactly the batch of ready models (each reads active models only), k of them culprits that dbt rejects at parse time, spread over the batch and alternating between two kinds: a ref to an active model deleted after the readiness report was made (\`missing-ref\`; the report is handed to the restore, as the Action does) and a stray \`{% endif %}\` (\`syntax\`; the tool still reads the model as ready). The restore runs as a user's would: scratch copy, \`dbt parse --no-partial-parse\` with culprit isolation, \`dbt compile\` of the survivors, \`git mv\` and a commit on \`migrate/dim_bench\`.`,
      "",
      `dbt is counted from the outside: the restore is given a wrapper script as its dbt executable (\`test/bench/dbtInvocationLog.ts\`), so every start of dbt by \`spawnDbt\` (its only way to start dbt) logs its subcommand, wall time and exit code. The count is cross-checked against the parse runs the use case reports and the \`dbt parse with …\` progress lines it prints (any disagreement fails the run). The culprits re-skipped are checked against the injected ones: exactly those, and every other batch model restored; "named by dbt" counts the culprits found because dbt's error named their file (the rest would have been found by bisecting the restore order, which costs more parses). **Each configuration is run once** (dbt parses take seconds; ${sweep.runs.length} configurations${o.nice !== 0 ? `, dbt at niceness ${o.nice} like every measured command` : ""}); the section took ${seconds(sweep.totalMs)} in all.`,
      "",
      markdownTable(CULPRIT_HEADER, culpritRows(sweep.runs, sweep.singleParseMs), ["r", "r", "l", "l", "r", "l", "r", "r", "r", "r", "r", "r"]),
      "",
      `The one-model-at-a-time procedure (the runbook: restore one file, \`dbt parse\`, re-skip it on an error, next) costs one parse per ready model. Its time is **extrapolated**, not run: the batch size times the wall time of the single \`dbt parse\` of a restore of one model on a project of the same size (${singles.join("; ")}). The last column compares that with the parse time measured for the batch: when every model of a small batch is a culprit, one at a time costs one parse fewer.`,
      "",
      "What dbt said, as the restore recorded it (one culprit of each kind):",
      "",
      ...reasons,
    ].join("\n"),
  };
};

export const githubApiCallsSection: BenchSection = async (ctx) => {
  const title = "GitHub API calls";
  const result = await runApiScenarios({ repoRoot: ctx.options.repoRoot, work: join(ctx.work, "api"), nice: ctx.options.nice, log: ctx.log });
  for (const s of result.scenarios) for (const p of s.problems) ctx.failures.push(`GitHub API calls, ${s.name}: ${p}`);
  const targeted = result.scenarios.filter((s) => s.target !== null && /nothing changed/.test(s.name));
  if (targeted.length > 0) {
    ctx.results.targets.push({
      target: "≤ 3 GitHub API calls for an unchanged PR",
      measured: targeted.map((s) => `${s.calls.length} (${s.name.replace(/^PR readiness comment: /, "")})`).join(", "),
      met: targeted.every((s) => s.calls.length <= s.target!),
    });
  }
  return {
    title,
    body: [
      `Counted from end-to-end runs of the Action bundle (\`dist/index.js\`, sha256 \`${result.bundleHash}…\`, ${result.committed ? "the one committed at HEAD" : "**not** the one committed at HEAD (a rebuild in the working tree)"}; a private copy taken when the section started), run as the runner runs it and as the e2e tests do (\`test/helpers/runBundledAction.ts\`: a child \`node dist/index.js\` with the runner's environment and the action's input defaults), on the bundled example in a real git repository with a bare remote, real dbt for the restores (the \`dbt-command\` input is a wrapper around the pinned dbt that counts its runs${ctx.options.nice !== 0 ? ` and runs it at niceness ${ctx.options.nice}` : ""}: \`test/bench/dbtInvocationLog.ts\`), and GitHub at the HTTP stand-in (\`test/helpers/githubStandIn.ts\`), which records every request. The stand-in answers only what each scenario declares; a request nobody declared, or a declared one never made, fails the run. Bodies fed back are the ones the Action sent (the comment it posted, the restore PRs it opened). Paths below are under \`${REPO_PREFIX}\` (shown as \`…\`), \`{sha}\` is the pushed commit; GraphQL is the who-am-I query (a read). The scenarios run in order on the same repositories; they took ${seconds(result.totalMs)} in all.`,
      "",
      markdownTable(API_HEADER, apiRows(result.scenarios, REPO_PREFIX), ["l", "l", "r", "r", "l", "l"]),
    ].join("\n"),
  };
};

/**
 * Every section, by the name `--only` takes; `projects`: it runs once per shape on that shape's
 * generated projects (else once, after them); `shapes`: only on these shapes.
 */
export const NAMED_SECTIONS: { name: string; section: BenchSection; projects: boolean; shapes?: ProjectShape[] }[] = [
  { name: "projects", section: projectsSection, projects: true },
  { name: "status", section: staticStatusSection, projects: true },
  { name: "raw", section: rawReadSection, projects: true },
  { name: "dbt", section: dbtParseSection, projects: true },
  { name: "seed", section: seedProcedureSection, projects: true, shapes: ["simple"] },
  { name: "ratios", section: ratiosAndTargetsSection, projects: true },
  { name: "pr", section: prReportSection, projects: true },
  { name: "profile", section: cpuProfileSection, projects: true },
  { name: "findings", section: findingsSection, projects: false },
  { name: "culprits", section: restoreCulpritIsolationSection, projects: false },
  { name: "api", section: githubApiCallsSection, projects: false },
  { name: "truth", section: truthSection, projects: false },
  { name: "corpus", section: corpusSection, projects: false },
];

/**
 * The summary table's rows (BENCHMARKS.md opens with it): each cell from one shape's results at one
 * size. A new figure in the summary is one more entry here.
 */
export const SUMMARY_ROWS: { label: string; cell: (results: BenchResults, size: number) => string }[] = [
  { label: "dbt-unskip status --json: wall", cell: (r, s) => (r.status.get(s) ? seconds(r.status.get(s)!.wall.median) : "") },
  { label: "  CPU (user+sys)", cell: (r, s) => (r.status.get(s)?.cpu ? seconds(r.status.get(s)!.cpu!.median) : "") },
  { label: "  peak RSS", cell: (r, s) => (r.status.get(s)?.rss ? megabytes(r.status.get(s)!.rss!.median) : "") },
  { label: "raw read, the floor: wall", cell: (r, s) => (r.raw.get(s) ? seconds(r.raw.get(s)!.wall.median) : "") },
  { label: "  CPU (user+sys)", cell: (r, s) => (r.raw.get(s)?.cpu ? seconds(r.raw.get(s)!.cpu!.median) : "") },
  {
    label: "status / raw read: wall (CPU)",
    cell: (r, s) => {
      const a = r.status.get(s);
      const b = r.raw.get(s);
      if (!a || !b) return "";
      return `${ratio(a.wall.median / b.wall.median)}${a.cpu && b.cpu ? ` (${ratio(a.cpu.median / b.cpu.median)})` : ""}`;
    },
  },
  { label: "dbt parse --no-partial-parse: wall", cell: (r, s) => (r.dbt.get(s) ? seconds(r.dbt.get(s)!.wall.median) : "not run") },
  { label: "  peak RSS", cell: (r, s) => (r.dbt.get(s)?.rss ? megabytes(r.dbt.get(s)!.rss!.median) : "") },
  { label: "dbt parse / status: wall", cell: (r, s) => (r.dbt.get(s) && r.status.get(s) ? ratio(r.dbt.get(s)!.wall.median / r.status.get(s)!.wall.median) : "") },
  {
    label: "seed procedure (bash grep/find): wall",
    cell: (r, s) => {
      const run = r.seedProcedure.get(s);
      if (run?.series) return seconds(run.series.wall.median);
      if (run?.extrapolatedMs != null) return `≈ ${seconds(run.extrapolatedMs)} (extrapolated)`;
      return "not run";
    },
  },
];

export const SECTIONS: BenchSection[] = NAMED_SECTIONS.map((s) => s.section);
