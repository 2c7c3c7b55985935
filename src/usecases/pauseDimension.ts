import { interruptedBy } from "../core/interrupt/interruptedBy.js";
import { join, resolve } from "node:path";
import type { UnskipConfig } from "../core/config/unskipConfig.js";
import { planPause } from "../core/pause/planPause.js";
import type { PausedModelOutcome, PauseOutcome, PauseStateDocument } from "../core/pause/pauseOutcome.js";
import { buildProject, type DbtProject, type ModelNode } from "../core/project/buildProject.js";
import { joinPath } from "../core/project/projectSnapshot.js";
import { createDimensionAssigner, type DimensionAssignment } from "../core/readiness/assignDimensions.js";
import { dependencyName, dependencyStatus, indexAvailability } from "../core/readiness/availability.js";
import { applyPause, renderNewStateDocument, type PauseUpdate } from "../core/stateDocument/applyPause.js";
import type { MissingDependency } from "../core/stateDocument/types.js";
import { UserError } from "../core/userError.js";
import type { FileSource } from "./fileSource.js";
import { pauseToTree, type DocumentWrite } from "./pauseToTree.js";
import { provePause, type PauseFound } from "./provePause.js";
import { readProjectSnapshot } from "./readProjectSnapshot.js";
import type { ScratchDbtInput } from "./scratchDbt.js";
import { linkedStateFolder, linkedStateFolderRefusal, readStateDocuments, type LoadedStateDocument } from "./readStateDocuments.js";
import { resolveProjectDirs } from "./resolveProjectDirs.js";
import type { TreeChangePorts } from "./treeChangePorts.js";
import type { TreeStep } from "./workTree.js";

/** What a pause needs; how dbt runs (`ScratchDbtInput`) and the ports (`TreeChangePorts`) are shared with restore. */
export interface PauseInput extends ScratchDbtInput, TreeChangePorts {
  /** Repository root (absolute). */
  root: string;
  config: UnskipConfig;
  dimension: string;
  /** Pause these active models of the dimension (and what depends on them) instead of the static proposal. */
  models?: string[] | undefined;
  /** Find what would be paused (dbt runs in a scratch copy), change nothing. */
  dryRun: boolean;
  /** Today's date (YYYY-MM-DD), for the state document. */
  today: string;
  /** Asked once, after dbt proved the pause and before anything changes; false cancels. */
  confirm: (outcome: PauseOutcome) => Promise<boolean>;
  /** The branch to commit on (default `<prefix><dimension>`; the Action's pause PR uses its own). */
  branch?: string | undefined;
  /** Told as each step of the tree transaction starts (`objects`, `commit`, `branch`, `index`, `rename`, `state-document`, `head`); tests interrupt here. */
  onStep?: ((step: TreeStep) => void) | undefined;
}

/**
 * Pauses what keeps dbt parse from passing in a dimension, as a transaction: the static scan
 * proposes the models (those that ref something nothing provides, and everything downstream), dbt
 * parse in a scratch copy confirms or finds more (each named culprit and its dependents; bisection
 * when an error names no model), and only a green result is applied to the tree: `git mv x.sql
 * x.sql.skip`, the state documents, one commit on `<prefix><dim>`. Any failure or interrupt while
 * applying puts the tree, the index, HEAD and the branches back as they were.
 */
export async function pauseDimension(input: PauseInput): Promise<PauseOutcome> {
  const { root, dimension, progress, git } = input;
  const read = await readProject(input);
  const { project, assign } = read;
  const projectDir = project.projectDir;
  const plan = planPause(project, assign, dimension, input.models);
  if (plan.eligible.every((m) => m.dimension !== dimension)) {
    throw new UserError(`dimension '${dimension}' has no active model in ${project.name}: nothing to pause`);
  }

  const counts = countDimension(project, assign, dimension);
  const outcome: PauseOutcome = {
    result: "nothing-to-pause",
    dimension,
    project: projectDir === "" ? "." : projectDir,
    paused: [],
    acrossDimensions: [],
    waiting: [],
    missing: [],
    progress: { before: counts, after: counts },
    completedByLayer: [],
    dbt: { parseRuns: 0, version: input.dbt.version },
    stateDocuments: [],
    commit: null,
    error: null,
  };

  if (input.dryRun) return pauseHeld(input, read, plan, outcome);
  if (!(await git.repositoryRoot(root))) throw new UserError(`${root} is not inside a git repository; pause commits its work, so it needs one`);
  // One pause or restore at a time per repository (RELIABILITY 29), from the checks to the commit.
  return git.withLock(
    root,
    `pause --dimension ${dimension}`,
    () => pauseHeld(input, read, plan, outcome),
    (owner) => progress(`Taking over the lock of a dbt-unskip run that is gone (${owner.purpose}, pid ${owner.pid}, since ${owner.startedAt}).`),
  );
}

async function pauseHeld(input: PauseInput, read: ReadProject, plan: ReturnType<typeof planPause>, outcome: PauseOutcome): Promise<PauseOutcome> {
  const { root, dimension, git } = input;
  const projectRoot = resolve(root, read.project.projectDir || ".");
  // Checks before dbt runs, so a pause that cannot be applied costs nothing.
  const branch = input.branch ?? `${input.config.branchPrefix}${dimension}`;
  let startBranch: string | null = null;
  let startHead: string | null = null;
  if (!input.dryRun) {
    startHead = await git.headCommit(root);
    const dirty = await git.uncommittedChanges(root);
    if (dirty.length > 0) {
      throw new UserError(
        `uncommitted changes (commit or stash them first; a pause commits only its own work):\n${dirty
          .slice(0, 20)
          .map((l) => `  ${l}`)
          .join("\n")}${dirty.length > 20 ? `\n  ... and ${dirty.length - 20} more` : ""}`,
      );
    }
    startBranch = await git.currentBranch(root);
    if (startBranch !== branch && (await git.branchExists(root, branch))) {
      throw new UserError(`branch ${branch} exists already; switch to it (git switch ${branch}) to add to it, or delete it`);
    }
  }

  // Prove it in a scratch copy: the proposal paused, then dbt parse until green.
  const proof = await provePause({ root, projectRoot }, plan, dimension, input);
  outcome.dbt.parseRuns = proof.parseRuns;
  // An interrupt stops dbt: what dbt said then is not about the user's models, and nothing changed.
  const stoppedBy = interruptedBy(input.signal);
  if (stoppedBy !== null) return { ...outcome, result: "interrupted", error: `stopped by ${stoppedBy} before anything was changed (dbt ran only in a scratch copy, and was stopped)` };
  if (!proof.ok) return { ...outcome, result: "failed", error: proof.error };
  const found = proof.found;
  if (found.size === 0) return outcome;

  describe(outcome, read, [...found.values()], input);
  if (input.dryRun) return { ...outcome, result: "would-pause" };

  // Checks on the files about to be renamed and the documents about to be written.
  for (const m of found.values()) await git.checkRename(projectRoot, { from: m.model.realFile, to: m.model.skipFile }, "pause");
  const docs = await prepareDocuments(input, outcome, read);
  if ("error" in docs) return { ...outcome, result: "failed", error: docs.error };
  const stoppedLate = interruptedBy(input.signal);
  if (stoppedLate !== null) return { ...outcome, result: "interrupted", error: `stopped by ${stoppedLate} before anything was changed` };
  if (!(await input.confirm(outcome))) return { ...outcome, result: "cancelled" };
  return pauseToTree(input, outcome, docs.writes, { branch, startBranch, startHead: startHead! });
}

interface ReadProject {
  files: FileSource;
  project: DbtProject;
  assign: (model: ModelNode) => DimensionAssignment;
  documents: LoadedStateDocument[];
}

async function readProject(input: PauseInput): Promise<ReadProject> {
  const files = input.disk.tree(input.root);
  // A pause writes the dimension's state document; none is read or written through a link (a dry
  // run says so too, before dbt runs).
  const link = await linkedStateFolder(files, `${input.config.dimensionsOutput.replace(/\/+$/, "")}/${input.dimension}`);
  if (link !== null) throw new UserError(linkedStateFolderRefusal(link));
  const dirs = await resolveProjectDirs(files, input.config.projectDirs);
  const { documents } = await readStateDocuments(files, input.config.dimensionsOutput);
  const assign = createDimensionAssigner(input.config, documents);
  const matching: DbtProject[] = [];
  let first: DbtProject | null = null;
  for (const dir of dirs) {
    const built = buildProject(await readProjectSnapshot(files, dir));
    if ("problem" in built) {
      const p = built.problem;
      throw new UserError(`${p.file}${p.line ? `:${p.line}` : ""}: ${p.message}`);
    }
    first ??= built.project;
    if (built.project.models.some((m) => assign(m).dimension === input.dimension)) matching.push(built.project);
  }
  if (matching.length > 1) throw new UserError(`dimension '${input.dimension}' is in several projects (${matching.map((p) => p.projectDir).join(", ")}); choose one with --project-dir`);
  const project = matching[0];
  if (!project) {
    const known = new Set<string>();
    if (first) for (const m of first.models) known.add(assign(m).dimension ?? "");
    known.delete("");
    throw new UserError(`no dimension '${input.dimension}': no model is tagged with it, no configured path and no state document names it. Known dimensions: ${[...known].sort().join(", ") || "(none)"}`);
  }
  return { files, project, assign, documents };
}

function countDimension(project: DbtProject, assign: (m: ModelNode) => DimensionAssignment, dimension: string) {
  let complete = 0;
  let total = 0;
  for (const model of project.models) {
    if (assign(model).dimension !== dimension) continue;
    total++;
    if (model.state === "active") complete++;
  }
  return { complete, total };
}

/** Fills in what each paused model misses and has, what waits on it, progress after, layers. */
function describe(outcome: PauseOutcome, read: ReadProject, found: PauseFound[], input: PauseInput): void {
  const { project, assign, documents } = read;
  const index = indexAvailability(project);
  const pausedNow = new Map(found.map((f) => [f.model.name, f.model]));
  const dimensionOfPaused = new Map<string, string | null>();
  for (const model of project.models) if (model.state !== "active") dimensionOfPaused.set(model.name, assign(model).dimension);
  for (const f of found) dimensionOfPaused.set(f.model.name, f.model.dimension ?? input.dimension);
  // Where a missing name is expected from: a paused model's dimension, else what documents say.
  const expected = new Map<string, string>();
  for (const doc of documents) for (const p of doc.pausedModels) for (const d of p.missing) if (d.expectedFrom && !expected.has(d.name)) expected.set(d.name, d.expectedFrom);
  const expectedFrom = (name: string) => dimensionOfPaused.get(name) ?? expected.get(name) ?? null;

  const nodes = new Map(project.models.filter((m) => m.state === "active").map((m) => [m.file, m]));
  const missingAll = new Map<string, { name: string; kind: "ref" | "source"; expectedFrom: string | null }>();
  for (const f of found) {
    const node = nodes.get(f.model.realFile)!;
    const missing: MissingDependency[] = [];
    const present: string[] = [];
    for (const dep of node.extraction.dependencies) {
      if (dep.type === "dynamic") continue;
      const name = dependencyName(dep);
      if (missing.some((d) => d.name === name) || present.includes(name)) continue;
      const status = dep.type === "ref" && pausedNow.has(dep.name) ? "paused" : dependencyStatus(dep, index);
      if (status === "available") present.push(name);
      else missing.push({ name, kind: dep.type, expectedFrom: expectedFrom(name) });
    }
    // dbt named a dependency the static scan did not see (a macro it could not follow).
    const named = /depends on '([^']+)', which dbt cannot find/.exec(f.reason)?.[1];
    if (named && !missing.some((d) => d.name === named || d.name.endsWith(`.${named}`))) missing.push({ name: named, kind: "ref", expectedFrom: expectedFrom(named) });
    for (const d of missing) if (!pausedNow.has(d.name) && !missingAll.has(d.name)) missingAll.set(d.name, d);
    outcome.paused.push({
      name: f.model.name,
      dimension: f.model.dimension,
      from: joinPath(project.projectDir, f.model.realFile),
      to: joinPath(project.projectDir, f.model.skipFile),
      reason: f.reason,
      found: f.found,
      missing,
      present,
    });
  }
  const order = new Map(found.map((f, i) => [f.model.name, i]));
  outcome.paused.sort((a, b) => rank(a) - rank(b) || order.get(a.name)! - order.get(b.name)!);
  outcome.acrossDimensions = outcome.paused.filter((m) => m.dimension !== input.dimension).map((m) => m.name);
  outcome.missing = [...missingAll.values()];
  for (const model of project.models) {
    if (model.state === "active") continue;
    const need = model.extraction.dependencies.find((d) => d.type === "ref" && pausedNow.has(d.name));
    if (need && need.type === "ref") outcome.waiting.push({ name: model.name, dimension: assign(model).dimension, waitsOn: need.name });
  }
  const inDimension = outcome.paused.filter((m) => m.dimension === input.dimension || m.dimension === null).length;
  outcome.progress.after = { complete: outcome.progress.before.complete - inDimension, total: outcome.progress.before.total + outcome.paused.filter((m) => m.dimension === null).length };
  outcome.completedByLayer = layers(project.models.filter((m) => m.state === "active" && assign(m).dimension === input.dimension && !pausedNow.has(m.name)));
}

function rank(m: PausedModelOutcome): number {
  return m.found === "cascade" ? 1 : 0;
}

/** Active models by the folder below the model path (`silver/staging`), in file order. */
function layers(models: ModelNode[]): { layer: string; models: string[] }[] {
  const byLayer = new Map<string, string[]>();
  for (const model of [...models].sort((a, b) => (a.file < b.file ? -1 : 1))) {
    const layer = model.file.split("/").slice(1, -1).join("/") || "(top level)";
    byLayer.set(layer, [...(byLayer.get(layer) ?? []), model.name]);
  }
  return [...byLayer].map(([layer, names]) => ({ layer, models: names }));
}

/** Every state document the pause touches: one per dimension it pauses models of. */
async function prepareDocuments(input: PauseInput, outcome: PauseOutcome, read: ReadProject): Promise<{ writes: DocumentWrite[] } | { error: string }> {
  const { documents } = read;
  const groups = new Map<string, PausedModelOutcome[]>();
  for (const m of outcome.paused) {
    const dim = m.dimension ?? input.dimension;
    groups.set(dim, [...(groups.get(dim) ?? []), m]);
  }
  const writes: DocumentWrite[] = [];
  const base = input.config.dimensionsOutput.replace(/\/+$/, "");
  for (const [dim, models] of groups) {
    const existing = documents.find((d) => d.dimension === dim);
    const path = existing?.path ?? `${base}/${dim}/${dim.toUpperCase()}_MIGRATION_STATE.md`;
    const own = dim === input.dimension;
    const update: PauseUpdate = {
      dimension: dim,
      date: input.today,
      branch: `${input.config.branchPrefix}${own ? dim : input.dimension}`,
      complete: own ? outcome.progress.after.complete : 0,
      total: own ? outcome.progress.after.total : models.length,
      completedByLayer: own ? outcome.completedByLayer : [],
      paused: models.map((m) => ({
        file: m.from.slice(m.from.lastIndexOf("/") + 1),
        location: m.to.slice(outcome.project === "." ? 0 : outcome.project.length + 1),
        reason: m.reason,
        missing: m.missing,
        present: m.present,
      })),
      resume: resumeSteps(dim, models),
    };
    if (!own) {
      // Counts of another dimension come from its own models, not this one's.
      const counts = countDimension(read.project, read.assign, dim);
      update.complete = counts.complete - models.length;
      update.total = counts.total;
      update.completedByLayer = layers(read.project.models.filter((m) => m.state === "active" && read.assign(m).dimension === dim && !outcome.paused.some((p) => p.name === m.name)));
    }
    let result: { text: string } | { error: string };
    if (existing) {
      const content = await read.files.read(path);
      if (content?.kind !== "text") return { error: `${path}: ${content === null ? "no longer exists" : content.reason}; nothing was changed` };
      const current = content.text;
      if ((await input.git.uncommittedChanges(input.root, path)).length > 0) return { error: `${path} has uncommitted changes; commit or stash them first (the pause updates it)` };
      result = applyPause(current, update);
    } else {
      if (await input.disk.exists(join(input.root, path))) return { error: `${path} exists but is not a state document the tool read; nothing was changed` };
      try {
        result = { text: renderNewStateDocument(update) };
      } catch (error) {
        result = { error: (error as Error).message };
      }
    }
    const doc: PauseStateDocument = { dimension: dim, path, created: !existing, updated: false, problem: null };
    if ("error" in result) {
      outcome.stateDocuments.push({ ...doc, problem: result.error });
      return { error: `${path}: ${result.error}` };
    }
    outcome.stateDocuments.push(doc);
    writes.push({ doc, before: existing ? existing.text : null, after: result.text, update });
  }
  return { writes };
}

function resumeSteps(dimension: string, models: PausedModelOutcome[]): string[] {
  const paused = new Set(models.map((m) => m.name));
  const waits = new Map<string, string | null>();
  for (const m of models) for (const d of m.missing) if (!paused.has(d.name)) waits.set(`${d.kind === "source" ? "source " : ""}${d.name}`, d.expectedFrom);
  const steps = [...waits].map(([name, from]) => `Wait for \`${name}\`${from ? ` (${from})` : ""} to be merged.`);
  if (steps.length === 0) steps.push("Find why dbt rejected these models (see Paused Because) and fix it.");
  steps.push(`Run \`dbt-unskip status --dimension ${dimension}\` to see what is ready, then \`dbt-unskip restore --dimension ${dimension}\` (dbt parse and compile, then a commit on its branch).`);
  return steps;
}
