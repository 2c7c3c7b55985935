import { execFile } from "node:child_process";
import { chmod, cp, mkdir, mkdtemp, readdir, readFile, rename, rm, stat, unlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { parseWithPausedDisabled, type PausedDisabledParse } from "../../src/adapters/dbt/exactExtraction.js";
import type { DbtInstallation } from "../../src/adapters/dbt/findDbt.js";
import { createDiskFileSource } from "../../src/adapters/files/diskFileSource.js";
import { DEFAULT_CONFIG } from "../../src/core/config/unskipConfig.js";
import { buildProject, type DbtProject } from "../../src/core/project/buildProject.js";
import type { VerifyResult } from "../../src/core/verify/verifyReport.js";
import { computeStatus } from "../../src/usecases/computeStatus.js";
import { readProjectSnapshot } from "../../src/usecases/readProjectSnapshot.js";
import { verifyProjects } from "../../src/usecases/verifyProjects.js";
import { Prng } from "../bench/prng.js";
import { REPO_ROOT } from "./scratchExample.js";

/** The shared corpus of real dbt projects: `../shared/corpus` beside the repository (CI lays a copy there). */
export const CORPUS_DIR = resolve(REPO_ROOT, "..", "shared", "corpus");

export interface CorpusProject {
  /** Folder in the corpus; the repository root of this project. */
  name: string;
  /** Where dbt parses from, relative to `name`. */
  projectDir: string;
  /** The profile name its dbt_project.yml asks for (or, with `profileByEnv`, given through DBT_PROFILE). */
  profile: string;
  /** dbt_project.yml names no profile (a package parsed as the root project): dbt gets DBT_PROFILE. */
  profileByEnv?: boolean;
  /**
   * Whether the pinned dbt parses it here. The corpus README says each project ships the hub
   * packages it needs in dbt_packages/, but shared/corpus holds none (each project's own .gitignore
   * ignores dbt_packages/), and `dbt deps` needs the network. `"without-packages-file"`: its models
   * call no package macro at parse time, so dbt parses the copy with packages.yml removed (said in
   * every figure). `false`: dbt cannot parse it here until the packages are in the corpus.
   */
  parsesHere: "yes" | "without-packages-file" | false;
}

/**
 * The four projects. hubspot and salesforce are packages whose `integration_tests` project has no
 * models of its own (its 154 and 26 models are the package's): they are parsed as the root project
 * themselves, so their models are paused and compared as a user's own would be (the packages they
 * need are in their own dbt_packages/; their dbt_project.yml names no profile, so DBT_PROFILE does).
 */
export const CORPUS_PROJECTS: CorpusProject[] = [
  { name: "hubspot", projectDir: ".", profile: "integration_tests", profileByEnv: true, parsesHere: false },
  { name: "salesforce", projectDir: ".", profile: "integration_tests", profileByEnv: true, parsesHere: false },
  { name: "dbt_project_evaluator", projectDir: "integration_tests", profile: "integration_tests", parsesHere: false },
  { name: "elementary", projectDir: ".", profile: "elementary", parsesHere: "without-packages-file" },
];

/** The corpus projects the pinned dbt can parse on these machines (see `parsesHere`). */
export const PARSEABLE_CORPUS_PROJECTS = CORPUS_PROJECTS.filter((p) => p.parsesHere !== false);

export interface CorpusCopy {
  dir: string;
  /** A folder holding a profiles.yml for this project's profile (a DuckDB file in the scratch place). */
  profilesDir(project: CorpusProject): string;
  cleanup(): Promise<void>;
}

/** A writable copy of the corpus in a temporary folder, with `link-packages.sh` run on it and profiles written. */
export async function copyCorpus(): Promise<CorpusCopy> {
  await stat(join(CORPUS_DIR, "README.md")).catch(() => {
    throw new Error(`the corpus is not at ${CORPUS_DIR} (expected ../shared/corpus beside the repository)`);
  });
  const base = await mkdtemp(join(tmpdir(), "dbt-unskip-corpus-"));
  const dir = join(base, "corpus");
  await cp(CORPUS_DIR, dir, { recursive: true, verbatimSymlinks: true });
  await makeWritable(dir);
  await promisify(execFile)("bash", [join(dir, "link-packages.sh"), dir]);
  for (const project of CORPUS_PROJECTS) {
    if (project.parsesHere === "without-packages-file") await rm(join(dir, project.name, "packages.yml"), { force: true });
  }
  for (const profile of new Set(CORPUS_PROJECTS.map((p) => p.profile))) {
    await mkdir(join(base, "profiles", profile), { recursive: true });
    await writeFile(
      join(base, "profiles", profile, "profiles.yml"),
      `${profile}:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: "{{ env_var('DBT_UNSKIP_DUCKDB_PATH', '${join(base, "corpus.duckdb")}') }}"\n`,
    );
  }
  return { dir, profilesDir: (p) => join(base, "profiles", p.profile), cleanup: () => rm(base, { recursive: true, force: true }) };
}

async function makeWritable(path: string): Promise<void> {
  const info = await stat(path);
  await chmod(path, info.mode | 0o200);
  if (!info.isDirectory()) return;
  for (const entry of await readdir(path, { withFileTypes: true })) if (!entry.isSymbolicLink()) await makeWritable(join(path, entry.name));
}

/**
 * Hub packages a corpus project's packages.yml asks for that its dbt_packages/ lacks (the corpus
 * README says they are shipped there: `dbt deps` needs the network). Local (`local:`) entries are
 * made by link-packages.sh and not counted.
 */
export async function missingPackages(copy: CorpusCopy, project: CorpusProject): Promise<string[]> {
  const base = join(copy.dir, project.name);
  let text: string;
  try {
    text = await readFile(join(base, "packages.yml"), "utf8");
  } catch {
    return [];
  }
  const wanted = [...text.matchAll(/^\s*-?\s*package:\s*['"]?([\w.-]+\/[\w.-]+)/gm)].map((m) => m[1]!);
  let installed: string[] = [];
  try {
    installed = (await readdir(join(base, "dbt_packages"))).map((name) => name.toLowerCase());
  } catch {
    /* none */
  }
  // A hub package `owner/dbt_utils` installs as dbt_utils.
  const folder = (name: string) => name.split("/")[1]!.toLowerCase().replace(/-/g, "_");
  return wanted.filter((name) => !installed.includes(folder(name)));
}

function config(project: CorpusProject) {
  return { ...DEFAULT_CONFIG, projectDirs: [project.projectDir] };
}

async function staticProject(root: string, project: CorpusProject): Promise<DbtProject> {
  const built = buildProject(await readProjectSnapshot(createDiskFileSource(root), project.projectDir === "." ? "" : project.projectDir));
  if ("problem" in built) throw new Error(built.problem.message);
  return built.project;
}

function dbtParse(copy: CorpusCopy, project: CorpusProject, dbt: DbtInstallation) {
  const root = join(copy.dir, project.name);
  return (p: DbtProject): Promise<PausedDisabledParse> =>
    parseWithPausedDisabled(
      {
        dbt,
        projectRoot: join(root, p.projectDir || "."),
        root,
        project: p,
        profilesDir: copy.profilesDir(project),
        ...(project.profileByEnv ? { setEnv: { DBT_PROFILE: project.profile } } : {}),
      },
      "verify",
    );
}

/** `verify` on one corpus project, as the CLI runs it (the repository root is the project's corpus folder). */
export async function verifyCorpusProject(copy: CorpusCopy, project: CorpusProject, dbt: DbtInstallation): Promise<VerifyResult> {
  const root = join(copy.dir, project.name);
  return verifyProjects({ files: createDiskFileSource(root), config: config(project), dbtVersion: dbt.version, parse: dbtParse(copy, project, dbt) });
}

/**
 * dbt's parse of a corpus project as the copy has it: made once per copy and project, and only read.
 * Every random pause starts from that tree and puts it back byte for byte when it ends (see randomPause).
 */
const unpausedParses = new WeakMap<CorpusCopy, Map<string, Promise<PausedDisabledParse>>>();
function unpausedParse(copy: CorpusCopy, project: CorpusProject, dbt: DbtInstallation): Promise<PausedDisabledParse> {
  const parses = unpausedParses.get(copy) ?? new Map<string, Promise<PausedDisabledParse>>();
  unpausedParses.set(copy, parses);
  let parse = parses.get(project.name);
  if (!parse) {
    const root = join(copy.dir, project.name);
    parse = staticProject(root, project).then(dbtParse(copy, project, dbt));
    // A failed parse is not kept: the next scenario tries again, and fails with its own error.
    parse.catch(() => parses.delete(project.name));
    parses.set(project.name, parse);
  }
  return parse;
}

export interface RandomPauseOutcome {
  project: string;
  seed: number;
  paused: number;
  deleted: number;
  /** Paused models that are truly ready (from dbt's graph), and those the engine calls ready. */
  trulyReady: number;
  engineReady: number;
  /** Called ready by the engine but not truly ready: must be 0. */
  falseReady: string[];
  /** Share of the truly ready ones the engine found. */
  found: number;
}

/**
 * Pauses 20% of the enabled models of one corpus project (renamed to `.skip`) and deletes a few of
 * their upstreams, chosen by a seeded generator; the truth comes from dbt's graph of the unchanged
 * project: a paused model is ready when everything it depends on is still there, or is a paused
 * model that is itself ready (restored together). The engine's answer is `status` on the changed tree.
 */
export async function randomPause(copy: CorpusCopy, project: CorpusProject, dbt: DbtInstallation, seed: number): Promise<RandomPauseOutcome> {
  const root = join(copy.dir, project.name);
  const projectRoot = join(root, project.projectDir);
  const before = await unpausedParse(copy, project, dbt);
  const enabled = before.nodes.filter((n) => n.enabled).sort((a, b) => (a.file < b.file ? -1 : 1));
  const prng = new Prng(seed);
  const pausedIds = new Set<string>();
  for (const node of enabled) if (prng.next() < 0.2) pausedIds.add(node.id);
  const upstreams = [...new Set(enabled.filter((n) => pausedIds.has(n.id)).flatMap((n) => n.dependsOn))].filter((id) => !pausedIds.has(id) && enabled.some((n) => n.id === id)).sort();
  const deletedIds = new Set<string>();
  for (let i = 0; i < 3 && upstreams.length > 0; i++) deletedIds.add(upstreams.splice(prng.int(upstreams.length), 1)[0]!);
  const deletedText = new Map<string, string>();
  for (const node of enabled) {
    if (pausedIds.has(node.id)) await rename(join(projectRoot, node.file), join(projectRoot, `${node.file}.skip`));
    else if (deletedIds.has(node.id)) {
      deletedText.set(node.file, await readFile(join(projectRoot, node.file), "utf8"));
      await unlink(join(projectRoot, node.file));
    }
  }
  try {
    const byId = new Map(enabled.map((n) => [n.id, n]));
    const memo = new Map<string, boolean>();
    const ready = (id: string): boolean => {
      if (memo.has(id)) return memo.get(id)!;
      const result = byId.get(id)!.dependsOn.every((d) => !deletedIds.has(d) && (!pausedIds.has(d) || ready(d)));
      memo.set(id, result);
      return result;
    };
    const truth = new Set([...pausedIds].filter(ready).map((id) => `${byId.get(id)!.file}.skip`));
    const { reports } = await computeStatus({ files: createDiskFileSource(root), config: config(project) });
    const engineReady = reports[0]!.models.filter((m) => m.status === "ready" && m.pausedBy === "skip").map((m) => m.path);
    const falseReady = engineReady.filter((path) => !truth.has(path)).sort();
    const found = engineReady.filter((path) => truth.has(path)).length;
    return {
      project: project.name,
      seed,
      paused: pausedIds.size,
      deleted: deletedIds.size,
      trulyReady: truth.size,
      engineReady: engineReady.length,
      falseReady,
      found: truth.size === 0 ? 1 : found / truth.size,
    };
  } finally {
    // Put the tree back as it was, so the next scenario starts from the real project.
    for (const node of enabled) {
      if (pausedIds.has(node.id)) await rename(join(projectRoot, `${node.file}.skip`), join(projectRoot, node.file));
    }
    for (const [file, text] of deletedText) await writeFile(join(projectRoot, file), text);
  }
}
