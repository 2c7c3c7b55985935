import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { findDbt } from "../../src/adapters/dbt/findDbt.js";
import { createDiskFileSource } from "../../src/adapters/files/diskFileSource.js";
import { runGit } from "../../src/adapters/git/runGit.js";
import { computeStatus } from "../../src/usecases/computeStatus.js";
import { loadConfig } from "../../src/usecases/loadConfig.js";
import { restoreDimension } from "../../src/usecases/restoreDimension.js";
import { checkCulprits, type CulpritRun } from "./culpritReport.js";
import { parseInvocationLog, summarizeInvocations, writeCountingDbt } from "./dbtInvocationLog.js";
import { generateRestoreProject, modelName } from "./restoreProject.js";
import { localTreePorts } from "../../src/adapters/localTreePorts.js";

// The restore culprit isolation benchmark: the product's restore use case (restoreDimension: the
// batch proven in a scratch copy with `dbt parse` and culprit isolation, then `dbt compile`, then
// git mv and a commit) with the real pinned dbt on generated projects, dbt counted at the wrapper.

const IDENTITY = { GIT_AUTHOR_NAME: "Bench", GIT_AUTHOR_EMAIL: "bench@example.com", GIT_COMMITTER_NAME: "Bench", GIT_COMMITTER_EMAIL: "bench@example.com" };

export interface CulpritSweepInput {
  repoRoot: string;
  /** Scratch folder for the projects. */
  work: string;
  sizes: number[];
  culpritCounts: number[];
  nice: number;
  log: (message: string) => void;
}

export interface CulpritSweep {
  dbtVersion: string;
  runs: CulpritRun[];
  /** By batch size: wall time of the one `dbt parse` of a single-model restore. */
  singleParseMs: Map<number, number>;
  /** By batch size: dbt parse runs, compile runs of the single-model restore (checked: 1 and 1). */
  singleRuns: Map<number, { parseRuns: number; compileRuns: number; restoreWallMs: number }>;
  /** Active models in each project (dbt parses them plus the restored ones). */
  activeModels: number;
  /** One reason per kind, as the restore wrote it (what dbt said). */
  sampleReasons: Map<string, string>;
  problems: string[];
  totalMs: number;
}

async function git(dir: string, ...args: string[]): Promise<string> {
  return (await runGit(dir, args, { env: IDENTITY })).stdout;
}

/** Generates a project in its own git repository, makes the readiness report, then deletes what the culprits ref. */
async function prepare(dir: string, ready: number, culprits: number) {
  rmSync(dir, { recursive: true, force: true });
  const project = generateRestoreProject({ dir, ready, culprits });
  await git(dir, "init", "-q", "-b", "main");
  await git(dir, "add", "-A");
  await git(dir, "commit", "-q", "-m", "generated");
  const files = createDiskFileSource(dir);
  const config = await loadConfig(files);
  const report = (await computeStatus({ files, config })).reports[0];
  if (!report) throw new Error(`${dir}: no dbt project found`);
  const readyNames = report.models
    .filter((m) => m.dimension === project.dimension && m.status === "ready")
    .map((m) => m.name)
    .sort();
  if (readyNames.join(",") !== project.models.join(",")) {
    const others = report.models.filter((m) => m.dimension === project.dimension && m.status !== "ready").map((m) => `${m.name} ${m.status}`);
    throw new Error(`the readiness report of the generated project does not call exactly the ${ready} batch models ready (${readyNames.length} ready; ${others.slice(0, 5).join(", ")})`);
  }
  if (project.deleteAfterReport.length > 0) {
    await git(dir, "rm", "-q", ...project.deleteAfterReport);
    await git(dir, "commit", "-q", "-m", "an upstream model goes away");
  }
  return { project, config, report };
}

export async function runCulpritSweep(input: CulpritSweepInput): Promise<CulpritSweep> {
  const started = Date.now();
  const real = await findDbt({ repoRoot: input.repoRoot });
  const logFile = join(input.work, "dbt-invocations.log");
  const wrapper = join(input.work, "dbt-counting");
  writeCountingDbt({ path: wrapper, realDbt: real.command, log: logFile, nice: input.nice });
  const dbt = { command: wrapper, version: real.version };
  const sweep: CulpritSweep = { dbtVersion: real.version, runs: [], singleParseMs: new Map(), singleRuns: new Map(), activeModels: 0, sampleReasons: new Map(), problems: [], totalMs: 0 };

  const restore = async (dir: string, prepared: Awaited<ReturnType<typeof prepare>>, models?: string[]) => {
    writeFileSync(logFile, "");
    let progressParses = 0;
    const t = performance.now();
    const outcome = await restoreDimension({
      ...localTreePorts,
      root: dir,
      config: prepared.config,
      dimension: prepared.project.dimension,
      models,
      allowDirty: false,
      commit: true,
      dbt,
      timeoutMs: 10 * 60_000,
      today: "2026-11-21",
      confirm: async () => true,
      progress: (line) => {
        if (line.startsWith("dbt parse with ")) progressParses++;
      },
      report: prepared.report,
    });
    const wallMs = performance.now() - t;
    const invocations = existsSync(logFile) ? parseInvocationLog(readFileSync(logFile, "utf8")) : [];
    const byCommand = summarizeInvocations(invocations);
    return { outcome, wallMs, progressParses, parse: byCommand.get("parse") ?? { count: 0, wallMs: 0 }, compile: byCommand.get("compile") ?? { count: 0, wallMs: 0 } };
  };

  for (const ready of input.sizes) {
    // The one-model-at-a-time procedure's unit: a restore of one model, one parse.
    const singleDir = join(input.work, `restore-${ready}-single`);
    const single = await prepare(singleDir, ready, 0);
    sweep.activeModels = single.project.activeModels;
    const one = await restore(singleDir, single, [modelName(1)]);
    sweep.singleParseMs.set(ready, one.parse.wallMs);
    sweep.singleRuns.set(ready, { parseRuns: one.parse.count, compileRuns: one.compile.count, restoreWallMs: one.wallMs });
    if (one.outcome.result !== "restored" || one.parse.count !== 1)
      sweep.problems.push(`single-model restore (${ready} paused): ${one.outcome.result}, ${one.parse.count} parse runs${one.outcome.error ? `: ${one.outcome.error}` : ""}`);
    input.log(`restore: 1 of ${ready} paused models: ${one.parse.count} parse (${(one.parse.wallMs / 1000).toFixed(2)} s), whole restore ${(one.wallMs / 1000).toFixed(2)} s`);
    rmSync(singleDir, { recursive: true, force: true });

    for (const k of input.culpritCounts) {
      if (k > ready) continue;
      const dir = join(input.work, `restore-${ready}-${k}`);
      const prepared = await prepare(dir, ready, k);
      const r = await restore(dir, prepared);
      const { outcome } = r;
      const kinds: Record<string, number> = {};
      for (const c of prepared.project.culprits) kinds[c.kind] = (kinds[c.kind] ?? 0) + 1;
      const kindOf = new Map(prepared.project.culprits.map((c) => [c.name, c.kind]));
      for (const s of outcome.reSkipped) {
        const kind = kindOf.get(s.name);
        if (kind && !sweep.sampleReasons.has(kind)) sweep.sampleReasons.set(kind, s.reason);
      }
      const run: CulpritRun = {
        ready,
        culprits: k,
        kinds,
        parseRuns: r.parse.count,
        compileRuns: r.compile.count,
        reportedParseRuns: outcome.dbt.parseRuns,
        parseWallMs: r.parse.wallMs,
        compileWallMs: r.compile.wallMs,
        restoreWallMs: r.wallMs,
        result: outcome.result,
        named: outcome.reSkipped.filter((s) => kindOf.has(s.name) && !s.reason.includes("fails once it is restored")).length,
        check: checkCulprits({
          batch: prepared.project.models,
          injected: prepared.project.culprits.map((c) => c.name),
          reSkipped: outcome.reSkipped.map((s) => s.name),
          restored: outcome.restored.map((m) => m.name),
        }),
      };
      if (r.progressParses !== r.parse.count) sweep.problems.push(`restore ${ready}/${k}: ${r.parse.count} parse runs at the wrapper, ${r.progressParses} announced by the use case`);
      if (outcome.error) sweep.problems.push(`restore ${ready}/${k}: ${outcome.error.split("\n")[0]}`);
      sweep.runs.push(run);
      input.log(
        `restore: ${ready} ready, ${k} culprits: ${run.parseRuns} parse runs (${(run.parseWallMs / 1000).toFixed(1)} s), ${run.compileRuns} compile, whole restore ${(run.restoreWallMs / 1000).toFixed(1)} s, found ${run.check.exact ? "exactly the injected culprits" : "WRONG culprits"}`,
      );
      rmSync(dir, { recursive: true, force: true });
    }
  }
  sweep.totalMs = Date.now() - started;
  return sweep;
}
