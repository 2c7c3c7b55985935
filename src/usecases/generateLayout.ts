import { dirname, isAbsolute, join, posix, relative, resolve, sep } from "node:path";
import type { GenerateMode } from "../core/generate/columnPlan.js";
import type { GeneratePaths } from "../core/generate/generateContext.js";
import type { DbtProject } from "../core/project/buildProject.js";
import { joinPath, relativeTo } from "../core/project/projectSnapshot.js";
import { UserError } from "../core/userError.js";
import type { LocalFiles } from "./localFiles.js";

export interface GenerateLayout {
  paths: GeneratePaths;
  /** Folders to create, outermost first. */
  createdDirs: string[];
  /** The dbt project folder, absolute. */
  projectAbs: string;
  /** Repository-relative paths of the files added to the project, for the readiness overlay. */
  projectFiles: { seedCsv: string | null; properties: string; model: string | null };
}

/**
 * Where generate puts each file, refusing anything that would clash with the project or escape it:
 * a name already used by a model, seed, snapshot or declared source table, a file already there, or
 * a folder that resolves outside the project (a symbolic link).
 */
export async function generateLayout(input: {
  root: string;
  project: DbtProject;
  name: string;
  mode: GenerateMode;
  sourceName: string;
  model: string | null;
  outDir: string | undefined;
  disk: LocalFiles;
}): Promise<GenerateLayout> {
  const { project, name, mode, disk } = input;
  const projectAbs = resolve(input.root, project.projectDir || ".");
  if (mode === "seed") checkNameFree(project, name);
  else {
    if (project.sources.some((s) => s.source === input.sourceName && s.table === name)) {
      throw new UserError(`source ${input.sourceName}.${name} is already declared in this project; choose another --name or --source-name`);
    }
    if (input.model) checkNameFree(project, input.model);
  }

  const seedDir = project.settings.seedPaths[0];
  const modelDir = project.settings.modelPaths[0];
  if (mode === "seed" && seedDir === undefined) throw new UserError("dbt_project.yml lists no seed-paths: there is nowhere to put a seed");
  if (mode === "source" && modelDir === undefined) throw new UserError("dbt_project.yml lists no model-paths: there is nowhere to declare a source");
  const rel = (path: string) => joinPath(project.projectDir, path);
  let projectFiles: GenerateLayout["projectFiles"];
  if (mode === "seed") {
    projectFiles = { seedCsv: rel(`${seedDir}/${name}.csv`), properties: rel(`${seedDir}/_generated_${name}.yml`), model: null };
  } else {
    const yamlDir = sourceFolder(project, input.sourceName) ?? modelDir!;
    projectFiles = {
      seedCsv: null,
      properties: rel(`${yamlDir}/_generated_${name}.yml`),
      model: input.model ? rel(`${yamlDir}/${input.model}.sql`) : null,
    };
  }
  const outDir = input.outDir ?? join(projectAbs, "target", "dbt-unskip-generate", name);
  checkOutDir(outDir, projectAbs, project);
  const abs = (repoRel: string | null) => (repoRel === null ? null : join(input.root, repoRel));
  const paths: GeneratePaths = {
    seedCsv: abs(projectFiles.seedCsv),
    properties: abs(projectFiles.properties)!,
    model: abs(projectFiles.model),
    load: mode === "source" ? join(outDir, "load.sql") : null,
    validate: join(outDir, "validate.sql"),
    rollbackSql: join(outDir, "rollback.sql"),
    rollbackScript: join(outDir, "rollback.sh"),
    summary: join(outDir, "summary.md"),
  };
  const all = Object.values(paths).filter((p): p is string => p !== null);
  for (const path of all) {
    if (await disk.exists(path)) throw new UserError(`${relative(input.root, path) || path} already exists; generate never overwrites a file (remove it, or pass --out DIR for the scripts)`);
  }
  const realProject = await disk.realpath(projectAbs);
  for (const path of [paths.seedCsv, paths.properties, paths.model]) {
    if (path !== null) await checkInside(disk, path, realProject, input.root);
  }
  const createdDirs = new Set<string>();
  for (const path of all) for (const dir of await missingDirs(disk, dirname(path))) createdDirs.add(dir);
  return { paths, createdDirs: [...createdDirs].sort((a, b) => a.length - b.length), projectAbs, projectFiles };
}

/** A seed or model of this name would be a second resource of one name, which dbt refuses. */
function checkNameFree(project: DbtProject, name: string): void {
  const model = project.models.find((m) => m.name === name);
  const clash = model ? `a ${model.state === "active" ? "" : `${model.state} `}model (${model.file})` : project.seeds.has(name) ? "a seed" : project.snapshots.has(name) ? "a snapshot" : null;
  // A paused model counts: it would clash the day it is restored.
  if (clash) throw new UserError(`'${name}' is already ${clash} in this project; dbt allows one resource per name`);
}

/**
 * dbt reads every .sql and .yml under its own folders: load.sql or rollback.sql there would become
 * models and break `dbt parse`. The scripts may go anywhere else (target/ by default).
 */
function checkOutDir(outDir: string, projectAbs: string, project: DbtProject): void {
  const inside = relative(projectAbs, outDir).split(sep).join("/");
  if (inside.startsWith("..") || isAbsolute(inside)) return;
  const s = project.settings;
  const read = [...s.modelPaths, ...s.seedPaths, ...s.snapshotPaths, ...s.macroPaths, "tests", "analyses"];
  const clash = read.find((dir) => inside === dir || inside.startsWith(`${dir}/`));
  if (clash !== undefined) throw new UserError(`--out ${outDir}: inside ${clash}/, which dbt reads; its .sql files would become part of the project. Choose a folder dbt does not read`);
}

/** The folder of the YAML that already declares this source, so new tables sit beside the old. */
function sourceFolder(project: DbtProject, sourceName: string): string | null {
  for (const source of project.sources) {
    if (source.source !== sourceName) continue;
    const inProject = relativeTo(project.projectDir, source.file);
    if (inProject === null) continue;
    if (!project.settings.modelPaths.some((dir) => relativeTo(dir, inProject) !== null)) continue;
    return posix.dirname(inProject);
  }
  return null;
}

async function checkInside(disk: LocalFiles, path: string, realProject: string, root: string): Promise<void> {
  let dir = dirname(path);
  while (!(await disk.exists(dir))) dir = dirname(dir);
  const real = await disk.realpath(dir);
  if (real !== realProject && !real.startsWith(realProject + sep)) {
    throw new UserError(`${relative(root, path)}: its folder resolves outside the dbt project (a symbolic link?); refusing to write there`);
  }
}

async function missingDirs(disk: LocalFiles, dir: string): Promise<string[]> {
  const missing: string[] = [];
  while (!(await disk.exists(dir))) {
    missing.push(dir);
    dir = dirname(dir);
  }
  return missing;
}
