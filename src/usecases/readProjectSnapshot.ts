import { parseDbtProjectSettings } from "../core/project/dbtProjectSettings.js";
import { climbsOut, joinPath, relativeTo, type FileContent, type ProjectSnapshot } from "../core/project/projectSnapshot.js";
import type { FileSource } from "./fileSource.js";

/** How many files are read at once: enough to keep the disk busy, few enough to bound memory. */
const READ_CONCURRENCY = 64;

/**
 * Reads what the static scan needs from one dbt project: each file once, in parallel. Seeds are
 * only listed (a seed's name is its file name; its rows do not matter here), their YAML read.
 */
export async function readProjectSnapshot(files: FileSource, projectDir: string, options: { defer?: boolean } = {}): Promise<ProjectSnapshot> {
  const dir = projectDir === "." ? "" : projectDir.replace(/\/+$/, "");
  const dbtProjectYml: FileContent = (await files.read(joinPath(dir, "dbt_project.yml"))) ?? {
    kind: "unreadable",
    reason: "no dbt_project.yml here: is this a dbt project folder?",
  };
  const ignoreFile = await files.read(joinPath(dir, ".dbtignore"));
  const snapshot = { projectDir: dir, dbtProjectYml, dbtignore: ignoreFile?.kind === "text" ? ignoreFile.text : null };
  if (dbtProjectYml.kind !== "text") return { ...snapshot, files: new Map() };
  const parsed = parseDbtProjectSettings(dbtProjectYml.text, joinPath(dir, "dbt_project.yml"));
  if ("problem" in parsed) return { ...snapshot, files: new Map() };
  const { settings } = parsed;

  // A folder outside the repository (or absolute) is never listed: buildProject names the key.
  const inside = (sub: string) => !sub.startsWith("/") && !climbsOut(joinPath(dir, sub));
  const contentDirs = [...settings.modelPaths, ...settings.snapshotPaths, ...settings.macroPaths, settings.packagesInstallPath].filter(inside);
  const toRead = new Set<string>();
  for (const sub of contentDirs) for (const path of await files.list(joinPath(dir, sub))) toRead.add(path);
  const listed = new Set<string>();
  // Seeds' properties files are read (their `enabled`); the seeds themselves only listed.
  for (const sub of settings.seedPaths.filter(inside)) {
    for (const path of await files.list(joinPath(dir, sub))) if (!toRead.has(path)) (/\.ya?ml$/i.test(path) ? toRead : listed).add(path);
  }

  const result = new Map<string, FileContent | "listed" | "deferred">();
  for (const path of listed) result.set(path, "listed");
  const queue = [...toRead].filter(isWorthReading);
  // Deferred: the model files (below a model path, outside the packages folder) listed now and
  // read by buildProject when it gets to each, so their texts (most of a project's bytes) are never
  // all held at once. The rest is read here with `read`, YAML included (a worker thread may read the
  // properties files while the models are extracted: propertiesThread.ts): `readSync` then serves
  // only texts dropped soon after, which keeps V8 from making its results old (diskFileSource.ts).
  const readSync = files.readSync?.bind(files);
  if (options.defer && readSync) {
    const modelDirs = settings.modelPaths.filter(inside).map((sub) => joinPath(dir, sub));
    const packagesDir = joinPath(dir, settings.packagesInstallPath);
    const deferred = (path: string) => !/\.ya?ml$/i.test(path) && relativeTo(packagesDir, path) === null && modelDirs.some((modelDir) => relativeTo(modelDir, path) !== null);
    for (const path of queue) {
      const content = deferred(path) ? "deferred" : await files.read(path);
      if (content) result.set(path, content);
    }
    return { ...snapshot, files: result, readDeferred: readSync };
  }
  let next = 0;
  const worker = async () => {
    while (next < queue.length) {
      const path = queue[next++]!;
      const content = await files.read(path);
      if (content) result.set(path, content);
    }
  };
  await Promise.all(Array.from({ length: Math.min(READ_CONCURRENCY, queue.length) }, worker));
  return { ...snapshot, files: result };
}

// Only text the scan reads: models (active and paused), YAML, macros, package manifests.
function isWorthReading(path: string): boolean {
  return /\.(sql|py|ya?ml|jinja)(\.skip)?$/i.test(path);
}
