import ignore from "ignore";
import { extractDependencies } from "../refs/extractDependencies.js";
import { indexMacros } from "../refs/indexMacros.js";
import type { Extraction, Problem } from "../types.js";
import { parseDbtProjectSettings, type DbtProjectSettings } from "./dbtProjectSettings.js";
import { asTags, resolveFolderConfig } from "./folderConfig.js";
import { classifyModelFile, isYamlFile } from "./modelFileName.js";
import { joinPath, relativeTo, type FileContent, type ProjectSnapshot } from "./projectSnapshot.js";
import { parsePropertiesYaml, type DeclaredSource, type ModelProperties } from "./propertiesYaml.js";

export interface ModelNode {
  /** The name `ref()` uses: the file name without its last extension, or a versioned model's name. */
  name: string;
  version: string | null;
  /** Path relative to the dbt project folder. */
  file: string;
  language: "sql" | "python";
  /** `paused`: a `.skip` file. `disabled`: a model file with `enabled=false` somewhere in its config. */
  state: "active" | "paused" | "disabled";
  /** Why the file could not be read, or null. */
  unreadable: string | null;
  extraction: Extraction;
  tags: string[];
  materialized: string | null;
}

export interface PackageModel {
  package: string;
  name: string;
}

export interface DbtProject {
  name: string;
  projectDir: string;
  settings: DbtProjectSettings;
  models: ModelNode[];
  packageModels: PackageModel[];
  packages: string[];
  seeds: Set<string>;
  snapshots: Set<string>;
  sources: DeclaredSource[];
  /** Model properties from YAML, by model name. */
  properties: Map<string, ModelProperties>;
  problems: Problem[];
}

const EMPTY_EXTRACTION: Extraction = { dependencies: [], config: {}, warnings: [] };

/**
 * Turns one project's files into the graph readiness works on. Pure: the snapshot holds every byte
 * it reads, each file is looked at once, and there are no per-reference lookups.
 */
export function buildProject(snapshot: ProjectSnapshot): { project: DbtProject } | { problem: Problem } {
  const projectFile = joinPath(snapshot.projectDir, "dbt_project.yml");
  if (snapshot.dbtProjectYml.kind === "unreadable") {
    return { problem: { kind: "invalid-project", file: projectFile, message: snapshot.dbtProjectYml.reason } };
  }
  const parsed = parseDbtProjectSettings(snapshot.dbtProjectYml.text, projectFile);
  if ("problem" in parsed) return parsed;
  const settings = parsed.settings;
  const problems: Problem[] = [];
  // No rules (the usual case): nothing is ignored, so the matcher is not asked for every file.
  const ignored = (snapshot.dbtignore ?? "").trim() === "" ? null : ignore().add(snapshot.dbtignore ?? "");

  // Sort each file into its role. Package files are handled separately below.
  const packagesDir = settings.packagesInstallPath;
  const modelFiles: { rel: string; content: FileContent; segments: string[]; kind: NonNullable<ReturnType<typeof classifyModelFile>> }[] = [];
  const yamlFiles: { rel: string; content: FileContent }[] = [];
  const macroFiles: { path: string; text: string }[] = [];
  const seeds = new Set<string>();
  const snapshots = new Set<string>();
  const packageFiles = new Map<string, { rel: string; content: FileContent | "listed" }[]>();

  for (const [path, content] of snapshot.files) {
    const rel = relativeTo(snapshot.projectDir, path);
    if (rel === null) continue;
    const inPackage = relativeTo(packagesDir, rel);
    if (inPackage !== null) {
      const pkgFolder = inPackage.split("/")[0] ?? "";
      const list = packageFiles.get(pkgFolder) ?? [];
      list.push({ rel: inPackage.slice(pkgFolder.length + 1), content });
      packageFiles.set(pkgFolder, list);
      continue;
    }
    if (ignored !== null && safeIgnores(ignored, rel)) continue;
    const modelRoot = settings.modelPaths.find((dir) => relativeTo(dir, rel) !== null);
    if (modelRoot !== undefined && content !== "listed") {
      const kind = isYamlFile(rel) ? null : classifyModelFile(rel);
      if (kind === null) {
        if (isYamlFile(rel)) yamlFiles.push({ rel, content });
      } else {
        const below = relativeTo(modelRoot, rel) ?? rel;
        modelFiles.push({ rel, content, segments: below.split("/").slice(0, -1), kind });
      }
      continue;
    }
    if (settings.seedPaths.some((dir) => relativeTo(dir, rel) !== null)) {
      const seed = /([^/]+)\.csv$/i.exec(rel);
      if (seed?.[1]) seeds.add(seed[1]);
      continue;
    }
    if (content === "listed") continue;
    if (settings.snapshotPaths.some((dir) => relativeTo(dir, rel) !== null)) {
      if (content.kind !== "text") continue;
      if (isYamlFile(rel)) yamlFiles.push({ rel, content });
      for (const match of content.text.matchAll(/\{%-?\s*snapshot\s+([A-Za-z0-9_]+)\s*-?%\}/g)) {
        if (match[1]) snapshots.add(match[1]);
      }
      continue;
    }
    if (settings.macroPaths.some((dir) => relativeTo(dir, rel) !== null)) {
      if (content.kind === "text" && /\.(sql|jinja)$/i.test(rel)) macroFiles.push({ path: path, text: content.text });
      else if (content.kind === "unreadable") problems.push(unreadable(path, content.reason));
    }
  }

  // Properties: sources, model configs and versions, YAML-defined snapshots.
  const sources: DeclaredSource[] = [];
  const properties = new Map<string, ModelProperties>();
  const definedIn = new Map<string, { name: string; v: string }>();
  for (const { rel, content } of yamlFiles) {
    const path = joinPath(snapshot.projectDir, rel);
    if (content.kind === "unreadable") {
      problems.push(unreadable(path, content.reason));
      continue;
    }
    const result = parsePropertiesYaml(content.text, path);
    if ("problem" in result) {
      problems.push(result.problem);
      continue;
    }
    sources.push(...result.properties.sources);
    for (const name of result.properties.snapshots) snapshots.add(name);
    for (const model of result.properties.models) {
      properties.set(model.name, model);
      for (const version of model.versions) definedIn.set(version.definedIn, { name: model.name, v: version.v });
    }
  }

  const { macros, warnings } = indexMacros(macroFiles, settings.name);
  for (const warning of warnings) problems.push({ kind: "unreadable-file", file: projectFile, message: warning });

  const models: ModelNode[] = [];
  for (const { rel, content, segments, kind } of modelFiles) {
    const versioned = definedIn.get(kind.name);
    const name = versioned?.name ?? kind.name;
    const extraction =
      content.kind === "text"
        ? extractDependencies({ text: content.text, language: kind.language, macros, projectName: settings.name })
        : EMPTY_EXTRACTION;
    if (content.kind === "unreadable") problems.push(unreadable(joinPath(snapshot.projectDir, rel), content.reason));
    const folder = resolveFolderConfig(settings.modelsConfig, settings.name, [...segments, kind.name]);
    const props = properties.get(name);
    const fileEnabled = typeof extraction.config.enabled === "boolean" ? extraction.config.enabled : null;
    // dbt's precedence: the file's config() beats properties YAML beats dbt_project.yml.
    const enabled = fileEnabled ?? props?.enabled ?? folder.enabled ?? true;
    const materialized =
      (typeof extraction.config.materialized === "string" ? extraction.config.materialized : null) ??
      props?.materialized ??
      folder.materialized;
    models.push({
      name,
      version: versioned?.v ?? null,
      file: rel,
      language: kind.language,
      state: kind.state === "paused" ? "paused" : enabled ? "active" : "disabled",
      unreadable: content.kind === "unreadable" ? content.reason : null,
      extraction,
      tags: [...new Set([...folder.tags, ...(props?.tags ?? []), ...asTags(extraction.config.tags)])],
      materialized,
    });
  }
  models.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));

  // Installed packages: their models (by name) and the sources they declare.
  const packageModels: PackageModel[] = [];
  const packages: string[] = [];
  for (const [folder, files] of [...packageFiles].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const yml = files.find((f) => f.rel === "dbt_project.yml");
    if (!yml || yml.content === "listed" || yml.content.kind !== "text") continue;
    const pkg = parseDbtProjectSettings(yml.content.text, joinPath(snapshot.projectDir, `${packagesDir}/${folder}/dbt_project.yml`));
    if ("problem" in pkg) {
      problems.push(pkg.problem);
      continue;
    }
    packages.push(pkg.settings.name);
    for (const file of files) {
      if (!pkg.settings.modelPaths.some((dir) => relativeTo(dir, file.rel) !== null)) continue;
      const kind = classifyModelFile(file.rel);
      if (kind?.state === "active") packageModels.push({ package: pkg.settings.name, name: kind.name });
      if (isYamlFile(file.rel) && file.content !== "listed" && file.content.kind === "text") {
        const result = parsePropertiesYaml(file.content.text, file.rel);
        if ("properties" in result) sources.push(...result.properties.sources);
      }
    }
  }

  return {
    project: {
      name: settings.name,
      projectDir: snapshot.projectDir,
      settings,
      models,
      packageModels,
      packages,
      seeds,
      snapshots,
      sources,
      properties,
      problems,
    },
  };
}

function unreadable(file: string, reason: string): Problem {
  return { kind: "unreadable-file", file, message: reason };
}

// `ignore` refuses paths it considers invalid (e.g. with `..`); such paths are never ignored.
function safeIgnores(matcher: ReturnType<typeof ignore>, rel: string): boolean {
  try {
    return matcher.ignores(rel);
  } catch {
    return false;
  }
}
