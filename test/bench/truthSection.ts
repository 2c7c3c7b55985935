import { relative, resolve } from "node:path";
import { parseWithPausedDisabled } from "../../src/adapters/dbt/exactExtraction.js";
import { findDbt } from "../../src/adapters/dbt/findDbt.js";
import { createDiskFileSource } from "../../src/adapters/files/diskFileSource.js";
import type { VerifyReport } from "../../src/core/verify/verifyReport.js";
import { loadConfig } from "../../src/usecases/loadConfig.js";
import { verifyProjects } from "../../src/usecases/verifyProjects.js";
import { CORPUS_DIR, CORPUS_PROJECTS, copyCorpus, randomPause, verifyCorpusProject, type RandomPauseOutcome } from "../helpers/corpus.js";
import { scratchExample } from "../helpers/scratchExample.js";
import { markdownTable, type BenchSection } from "./benchContext.js";

const SEEDS = [1, 2, 3];

/**
 * The static engine against dbt itself (`dbt-unskip verify`) on the bundled example and on each
 * project of the shared corpus, and the random-pause scenario on each corpus project (20% paused, a
 * few upstreams deleted, truth from dbt's graph). Counts, not timings.
 */
export const truthSection: BenchSection = async (ctx) => {
  const title = "Truth: the static engine against dbt (verify, random pause)";
  if (!ctx.dbt) return { title, body: "Not measured: dbt is not installed (`bash scripts/setup.sh` installs the pinned dbt into `.venv`)." };
  const dbt = await findDbt({ explicit: ctx.dbt, repoRoot: ctx.options.repoRoot });
  const verifyRows: string[][] = [];
  const pauseRows: string[][] = [];
  const problems: string[] = [];
  const missing: string[] = [];
  const row = (name: string, r: VerifyReport) => [
    name,
    String(r.models.compared),
    String(r.models.paused),
    String(r.edges.right),
    String(r.edges.added),
    String(r.edges.missed),
    String(r.edges.dynamic),
    `${r.enabled.right} / ${r.enabled.wrong}`,
    `${r.packageModels.right} / ${r.packageModels.wrong}`,
    String(r.wronglyReady),
    String(r.wronglyBlocked),
  ];

  const example = await scratchExample();
  try {
    const result = await verifyProjects({
      files: createDiskFileSource(example.root),
      config: await loadConfig(createDiskFileSource(example.root)),
      dbtVersion: dbt.version,
      parse: (project) => parseWithPausedDisabled({ dbt, projectRoot: resolve(example.root, project.projectDir || "."), root: example.root, project }, "verify"),
    });
    for (const r of result.projects) verifyRows.push(row("bundled example", r));
  } finally {
    await example.cleanup();
  }

  const copy = await copyCorpus();
  const listed: string[] = [];
  try {
    for (const project of CORPUS_PROJECTS) {
      ctx.log(`truth: verify ${project.name}`);
      try {
        const result = await verifyCorpusProject(copy, project, dbt);
        for (const r of result.projects) {
          verifyRows.push(row(`corpus: ${project.name}`, r));
          for (const d of r.disagreements)
            listed.push(`- ${project.name}: ${d.risk === "wrongly-ready" ? "**wrongly ready**" : "wrongly blocked"}, ${d.kind}: \`${d.file}${d.line ? `:${d.line}` : ""}\` ${d.reason}`);
        }
      } catch (error) {
        // dbt's own refusal of a corpus copy without its hub packages (no network for `dbt deps`) is a
        // gap in what this machine holds, not a fault of the run: it is listed, the rest stands.
        const packagesMissing = /Run "dbt deps" to install package dependencies/.test(String(error));
        (packagesMissing ? missing : problems).push(`${project.name}: verify could not run: ${firstLines(error)}`);
        verifyRows.push([`corpus: ${project.name}`, packagesMissing ? "not run: packages missing" : "dbt parse failed", "", "", "", "", "", "", "", "", ""]);
        continue;
      }
      for (const seed of SEEDS) {
        try {
          pauseRows.push(pauseRow(await randomPause(copy, project, dbt, seed)));
        } catch (error) {
          problems.push(`${project.name} seed ${seed}: random pause could not run: ${firstLines(error)}`);
        }
      }
    }
  } finally {
    await copy.cleanup();
  }
  for (const p of problems) ctx.failures.push(`truth: ${p}`);
  for (const m of missing) ctx.notMeasured.push(`truth: ${m}`);

  const body = [
    `dbt ${dbt.version}; the corpus read from \`${relative(ctx.options.repoRoot, CORPUS_DIR)}\` (copied to a temporary folder, \`link-packages.sh\` run on the copy). "Wrongly ready" counts disagreements that could make a model ready that dbt would refuse (a missed edge, a model or package model the engine counts as enabled that dbt disables); "wrongly blocked" those that can only make the engine too careful (an added edge, a model it thinks disabled).`,
    "",
    markdownTable(
      ["project", "models compared", "paused", "edges right", "added", "missed", "dynamic", "enabled-ness right / wrong", "package models right / wrong", "wrongly ready", "wrongly blocked"],
      verifyRows,
      ["l", "r", "r", "r", "r", "r", "r", "r", "r", "r", "r"],
    ),
    "",
    ...(listed.length > 0 ? ["Every disagreement:", "", ...listed, ""] : ["No disagreement on any project that parsed.", ""]),
    `Random pause (seeds ${SEEDS.join(", ")}): 20% of the enabled models paused (renamed to \`.skip\`), up to 3 of their upstreams deleted; a paused model is truly ready when everything dbt's graph says it depends on is still there or is a truly ready paused model (restored together). "False ready" must be 0.`,
    "",
    pauseRows.length > 0
      ? markdownTable(["project", "seed", "paused", "deleted", "truly ready", "engine ready", "false ready", "truly ready found"], pauseRows, ["l", "r", "r", "r", "r", "r", "r", "r"])
      : "No random-pause run could be made.",
    ...(problems.length + missing.length > 0 ? ["", "**Could not be measured:**", "", ...[...missing, ...problems].map((p) => `- ${p}`)] : []),
  ].join("\n");
  return { title, body };
};

function pauseRow(o: RandomPauseOutcome): string[] {
  return [o.project, String(o.seed), String(o.paused), String(o.deleted), String(o.trulyReady), String(o.engineReady), String(o.falseReady.length), `${(100 * o.found).toFixed(0)}%`];
}

function firstLines(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)
    .slice(0, 3)
    .join(" / ");
}
