import ignore from "ignore";
import { extractDependencies } from "../refs/extractDependencies.js";
import { indexMacros } from "../refs/indexMacros.js";
import { createParseContext } from "../refs/parseContext.js";
import type { Extraction, MacroDefinition, Problem } from "../types.js";
import { parseDbtProjectSettings, type DbtProjectSettings } from "./dbtProjectSettings.js";
import { firstSet, type Enabledness } from "./enabledness.js";
import { asTags, resolveFolderConfig } from "./folderConfig.js";
import { neutraliseControlCharacters } from "../render/controlCharacters.js";
import { classifyModelFile, isYamlFile, skippedModelFileReason, unreadFileLooksLike, unreadNameStart } from "./modelFileName.js";
import { climbsOut, joinPath, normalizePath, relativeFrom, relativeTo, type FileContent, type ProjectSnapshot } from "./projectSnapshot.js";
import { createStringOwner } from "./ownedStrings.js";
import { parsePropertiesYaml, type DeclaredSource, type ModelProperties } from "./propertiesYaml.js";

export interface ModelNode {
  /** The name `ref()` uses: the file name without its last extension, or a versioned model's name. */
  name: string;
  version: string | null;
  /** Path relative to the dbt project folder. */
  file: string;
  language: "sql" | "python";
  /**
   * `paused`: a `.skip` file. `disabled`: a model file dbt will not enable (`enabled=false` in its
   * config(), its properties or dbt_project.yml). `uncertain`: a model file whose enabled-ness
   * cannot be decided statically (`enabled=var('x')`, `+enabled: "{{ ... }}"`).
   */
  state: "active" | "paused" | "disabled" | "uncertain";
  /** For a model file: whether dbt enables it, and by which config. `.skip` files: what their config says. */
  enabledness: Enabledness;
  /** Why the file could not be read, or null. */
  unreadable: string | null;
  extraction: Extraction;
  tags: string[];
  materialized: string | null;
  /** A `.skip` file whose restored name `.dbtignore` matches: dbt would not read it once restored. */
  ignoredOnceRestored?: true;
}

export interface PackageModel {
  package: string;
  name: string;
}

/** A ref-able node (model, seed, snapshot) that dbt will not enable, or may not. */
export interface UnavailableNode {
  kind: "model" | "seed" | "snapshot";
  name: string;
  /** Relative to the dbt project folder. */
  file: string;
  enabledness: Exclude<Enabledness, { state: "enabled" }>;
}

/** A file dbt never reads, by the name it looks like it provides (unreadFileLooksLike). */
export interface UnreadFile {
  /** The names it looks like it provides (unreadFileLooksLike). */
  names: string[];
  /** Relative to the dbt project folder. */
  file: string;
  why: string;
}

export interface DbtProject {
  name: string;
  projectDir: string;
  settings: DbtProjectSettings;
  models: ModelNode[];
  packageModels: PackageModel[];
  packages: string[];
  /** Enabled seeds and snapshots by name. */
  seeds: Set<string>;
  snapshots: Set<string>;
  /** Seeds, snapshots and model files dbt will not (or may not) enable, by name. */
  unavailable: Map<string, UnavailableNode[]>;
  sources: DeclaredSource[];
  /** Files dbt never reads for their names that look like model, seed or snapshot files (present when there are some). */
  unread?: UnreadFile[];
  /** Model properties from YAML, by model name. */
  properties: Map<string, ModelProperties>;
  problems: Problem[];
}

/** Deferred model files read at a time (see the models' extraction in buildProject). */
const DEFERRED_BATCH = 16;

const EMPTY_EXTRACTION: Extraction = { dependencies: [], config: {}, warnings: [], enabled: null, unresolved: [], readsUnknownTarget: false };

/**
 * Turns one project's files into the graph readiness works on. Pure: the snapshot holds every byte
 * it reads, each file is looked at once, and there are no per-reference lookups.
 */
/** What the user told the tool about how dbt is run: as dbt's `--vars`, and the target's fields. */
export interface ParseSettings {
  vars?: Readonly<Record<string, unknown>> | undefined;
  target?: Readonly<Record<string, unknown>> | null | undefined;
}

/**
 * Stand-ins for the two per-file steps, for a caller that remembers their results between builds
 * (a pull request's base derived from its head: src/usecases/pullRequestStatus.ts). Each must give
 * what the step itself gives for the same arguments.
 */
export interface BuildHooks {
  /** `file`: the model's path relative to the project folder (the extraction does not depend on it). */
  extract?: (input: Parameters<typeof extractDependencies>[0], file: string) => Extraction;
  properties?: typeof parsePropertiesYaml;
}

export function buildProject(snapshot: ProjectSnapshot, parse: ParseSettings = {}, hooks: BuildHooks = {}): { project: DbtProject } | { problem: Problem } {
  const extract = hooks.extract ?? extractDependencies;
  const readProperties = hooks.properties ?? parsePropertiesYaml;
  const projectFile = joinPath(snapshot.projectDir, "dbt_project.yml");
  if (snapshot.dbtProjectYml.kind === "unreadable") {
    return { problem: { kind: "invalid-project", file: projectFile, message: snapshot.dbtProjectYml.reason } };
  }
  const parsed = parseDbtProjectSettings(snapshot.dbtProjectYml.text, projectFile);
  if ("problem" in parsed) return parsed;
  const settings = parsed.settings;
  const outside = pathsOutsideRepository(settings, snapshot.projectDir, projectFile);
  if (outside !== null) return { problem: outside };
  // Folders the project shares with others (`model-paths: ["models", "../../sources"]`): their
  // files are seen from the project folder, with `..`, as dbt sees them.
  const sharedDirs = [...settings.modelPaths, ...settings.seedPaths, ...settings.snapshotPaths, ...settings.macroPaths].filter(climbsOut).map((dir) => normalizePath(joinPath(snapshot.projectDir, dir)));
  const problems: Problem[] = [];
  const unread: UnreadFile[] = [];
  // No rules (the usual case): nothing is ignored, so the matcher is not asked for every file.
  const ignored = (snapshot.dbtignore ?? "").trim() === "" ? null : ignore().add(snapshot.dbtignore ?? "");

  // Sort each file into its role. Package files are handled separately below.
  const packagesDir = settings.packagesInstallPath;
  // A model's or properties file's text may be left to read when its turn comes ("deferred": see
  // ProjectSnapshot.readDeferred); any other deferred file is read as it is sorted.
  const modelFiles: { path: string; rel: string; content: FileContent | "deferred"; segments: string[]; kind: NonNullable<ReturnType<typeof classifyModelFile>> }[] = [];
  const yamlFiles: { path: string; rel: string; content: FileContent | "deferred" }[] = [];
  const macroFiles: { path: string; text: string }[] = [];
  const seedFiles: { name: string; rel: string; segments: string[] }[] = [];
  const snapshotBlocks: { name: string; rel: string; fqn: string[]; own: Enabledness | null }[] = [];
  const packageFiles = new Map<string, { rel: string; content: FileContent | "listed" }[]>();

  // A deferred file gone since it was listed: as if it had not been listed (as readProjectSnapshot does).
  const readDeferred = (path: string): FileContent | null => snapshot.readDeferred?.(path) ?? null;
  for (const [path, stored] of snapshot.files) {
    const rel = relativeTo(snapshot.projectDir, path) ?? (sharedDirs.some((dir) => relativeTo(dir, path) !== null) ? relativeFrom(snapshot.projectDir, path) : null);
    if (rel === null) continue;
    const inPackage = relativeTo(packagesDir, rel);
    // A file dbt never reads (`.dbtignore` matches it, or its name starts with '.', '#' or '~')
    // provides nothing: no model, seed, snapshot, source, macro. A paused model's `.skip` file is
    // kept (dbt never reads one anyway; a `*.skip` pattern hid every paused model): its own
    // readiness says whether dbt would read it once restored (fileNameRules).
    const skippedByDbt = unreadNameStart(rel) !== null || (inPackage === null && ignored !== null && safeIgnores(ignored, rel));
    // (A file named like a model but not one, `.sql.skip`, is reported below rather than passed over.)
    if (skippedByDbt && classifyModelFile(rel)?.state !== "paused" && skippedModelFileReason(rel) === null) {
      // Kept by the name it looks like it provides, for the report to say why that name is missing.
      const inProjectPaths = [...settings.modelPaths, ...settings.seedPaths, ...settings.snapshotPaths].some((dir) => relativeTo(dir, rel) !== null);
      const looksLike = inPackage === null && inProjectPaths ? unreadFileLooksLike(rel, unreadNameStart(rel) === null) : null;
      if (looksLike !== null) unread.push({ ...looksLike, file: rel });
      continue;
    }
    const modelRoot = inPackage === null ? settings.modelPaths.find((dir) => relativeTo(dir, rel) !== null) : undefined;
    if (modelRoot !== undefined && stored !== "listed") {
      const kind = isYamlFile(rel) ? null : classifyModelFile(rel);
      if (kind === null) {
        if (isYamlFile(rel)) yamlFiles.push({ path, rel, content: stored });
        else {
          // Named like a model but not one (a line break in the name): reported, never passed over.
          const reason = skippedModelFileReason(rel);
          if (reason !== null) problems.push(unreadable(path, reason));
        }
      } else {
        const below = relativeTo(modelRoot, rel) ?? rel;
        modelFiles.push({ path, rel, content: stored, segments: below.split("/").slice(0, -1), kind });
      }
      continue;
    }
    const content = stored === "deferred" ? readDeferred(path) : stored;
    if (content === null) continue;
    if (inPackage !== null) {
      const pkgFolder = inPackage.split("/")[0] ?? "";
      const list = packageFiles.get(pkgFolder) ?? [];
      list.push({ rel: inPackage.slice(pkgFolder.length + 1), content });
      packageFiles.set(pkgFolder, list);
      continue;
    }
    const seedRoot = settings.seedPaths.find((dir) => relativeTo(dir, rel) !== null);
    if (seedRoot !== undefined) {
      if (content !== "listed" && isYamlFile(rel)) {
        if (content.kind === "text") yamlFiles.push({ path, rel, content });
        continue;
      }
      const seed = /([^/]+)\.csv$/i.exec(rel);
      if (seed?.[1]) seedFiles.push({ name: seed[1], rel, segments: (relativeTo(seedRoot, rel) ?? rel).split("/").slice(0, -1) });
      continue;
    }
    if (content === "listed") continue;
    const snapshotRoot = settings.snapshotPaths.find((dir) => relativeTo(dir, rel) !== null);
    if (snapshotRoot !== undefined) {
      if (content.kind !== "text") continue;
      if (isYamlFile(rel)) yamlFiles.push({ path, rel, content });
      // dbt's fqn of a SQL snapshot holds its file's name: [project, ...folders, file stem, name].
      const fqn = (relativeTo(snapshotRoot, rel) ?? rel).replace(/\.[^./]*$/, "").split("/");
      snapshotBlocks.push(...readSnapshotBlocks(content.text).map((b) => ({ ...b, rel, fqn: [...fqn, b.name] })));
      continue;
    }
    if (settings.macroPaths.some((dir) => relativeTo(dir, rel) !== null)) {
      if (content.kind === "text" && /\.(sql|jinja)$/i.test(rel)) macroFiles.push({ path: path, text: content.text });
      else if (content.kind === "unreadable") problems.push(unreadable(path, content.reason));
    }
  }

  // The models' dependencies first: they do not depend on the properties files, so a caller that has
  // the properties read elsewhere meanwhile (on a worker thread: src/adapters/threads) gets them
  // after this, the longest step, instead of waiting for them.
  const { macros: projectMacros, warnings } = indexMacros(macroFiles, settings.name);
  // Installed packages' macros, callable as `package.name`; the project's own win over them.
  const { macros: packageMacros, names: packageNames } = indexPackageMacros(packageFiles, snapshot.projectDir, packagesDir);
  const macros = new Map<string, MacroDefinition>([...packageMacros, ...projectMacros]);
  const context = createParseContext({ cliVars: parse.vars, projectVars: settings.vars, projectName: settings.name, target: parse.target ?? null, packages: packageNames });
  // With deferred texts, what the project keeps from them holds its own characters (ownedStrings.ts)
  // and each text is dropped once read: on a 50,000-model project they are 200 MB. A snapshot that
  // holds its texts anyway gains nothing from copies: nothing is copied then.
  const own = snapshot.readDeferred ? createStringOwner() : <T>(value: T): T => value;
  // What the model loop below needs of each file, so that its text can go now: null when a deferred
  // file is gone since it was listed (as if not listed, as readProjectSnapshot does).
  const extracted: ({ extraction: Extraction; unreadable: string | null; fileEnabled: Enabledness | null } | null)[] = [];
  // Deferred models are read DEFERRED_BATCH at a time, just before they are extracted: reads in a
  // row cost a little less CPU than one read between two extractions (BENCHMARKS.md, findings 16).
  // Few at a time, so that a text is gone before V8's next young collection: 256 texts waited
  // through about 20 MB of the extractions' allocations, outlived one collection and made V8 grow
  // its young generation (Node 24: real 10k peaked at 220 or 300 MB by run; 217-221 MB with 16).
  const batch: (FileContent | null)[] = [];
  let batchStart = 0;
  for (let i = 0; i < modelFiles.length; i++) {
    const { rel, kind } = modelFiles[i]!;
    if (i === batchStart + batch.length) {
      batch.length = 0;
      batchStart = i;
      for (const later of modelFiles.slice(i, i + DEFERRED_BATCH)) batch.push(later.content === "deferred" ? readDeferred(later.path) : later.content);
    }
    const content = batch[i - batchStart]!;
    batch[i - batchStart] = null; // its text can go once extracted
    if (content === null) {
      extracted.push(null);
      continue;
    }
    const extraction = content.kind === "text" ? own(extract({ text: content.text, language: kind.language, macros, projectName: settings.name, context }, rel)) : EMPTY_EXTRACTION;
    extracted.push({ extraction, unreadable: content.kind === "unreadable" ? content.reason : null, fileEnabled: content.kind === "text" ? fileEnabledness(extraction, content.text) : null });
  }

  // Properties: sources, model configs and versions, YAML-defined snapshots.
  const sources: DeclaredSource[] = [];
  const properties = new Map<string, ModelProperties>();
  const seedProperties = new Map<string, Enabledness | null>();
  const snapshotProperties = new Map<string, Enabledness | null>();
  const yamlSnapshots: { name: string; rel: string; segments: string[] }[] = [];
  const definedIn = new Map<string, { name: string; v: string }>();
  for (const entry of yamlFiles) {
    const { rel } = entry;
    const content = entry.content === "deferred" ? readDeferred(entry.path) : entry.content;
    if (content === null) continue;
    const path = joinPath(snapshot.projectDir, rel);
    if (content.kind === "unreadable") {
      problems.push(unreadable(path, content.reason));
      continue;
    }
    const result = own(readProperties(content.text, path));
    if ("problem" in result) {
      problems.push(result.problem);
      continue;
    }
    const folders = ymlFolders(settings, rel);
    for (const source of result.properties.sources) sources.push(withProjectSourceConfig(source, settings, folders));
    for (const name of result.properties.snapshots) yamlSnapshots.push({ name, rel, segments: [...folders, name] });
    for (const seed of result.properties.seedProperties) seedProperties.set(seed.name, seed.enabled);
    for (const snap of result.properties.snapshotProperties) snapshotProperties.set(snap.name, snap.enabled);
    for (const model of result.properties.models) {
      properties.set(model.name, model);
      for (const version of model.versions) definedIn.set(version.definedIn, { name: model.name, v: version.v });
    }
  }

  // Seeds and snapshots: enabled unless their properties (over dbt_project.yml) say otherwise.
  const unavailable = new Map<string, UnavailableNode[]>();
  const addUnavailable = (node: UnavailableNode) => unavailable.set(node.name, [...(unavailable.get(node.name) ?? []), node]);
  const seeds = new Set<string>();
  for (const seed of seedFiles) {
    const enabledness = firstSet(seedProperties.get(seed.name), resolveFolderConfig(settings.seedsConfig, settings.name, [...seed.segments, seed.name], "seeds").enabled);
    if (enabledness.state === "enabled") seeds.add(seed.name);
    else addUnavailable({ kind: "seed", name: seed.name, file: seed.rel, enabledness });
  }
  const snapshots = new Set<string>();
  for (const snap of [...snapshotBlocks, ...yamlSnapshots.map((y) => ({ name: y.name, rel: y.rel, fqn: y.segments, own: null }))]) {
    const enabledness = firstSet(snap.own, snapshotProperties.get(snap.name), resolveFolderConfig(settings.snapshotsConfig, settings.name, snap.fqn, "snapshots").enabled);
    if (enabledness.state === "enabled") snapshots.add(snap.name);
    else addUnavailable({ kind: "snapshot", name: snap.name, file: snap.rel, enabledness });
  }

  for (const warning of warnings) problems.push({ kind: "unreadable-file", file: projectFile, message: warning });

  const models: ModelNode[] = [];
  for (const [i, { rel, segments, kind }] of modelFiles.entries()) {
    const done = extracted[i];
    if (!done) continue;
    const { extraction, fileEnabled } = done;
    const versioned = definedIn.get(kind.name);
    const name = versioned?.name ?? kind.name;
    if (done.unreadable !== null) problems.push(unreadable(joinPath(snapshot.projectDir, rel), done.unreadable));
    const folder = resolveFolderConfig(settings.modelsConfig, settings.name, [...segments, kind.name]);
    const props = properties.get(name);
    // dbt's precedence: the file's config() beats properties YAML beats dbt_project.yml.
    const enabledness = firstSet(fileEnabled, props?.enabled, folder.enabled);
    const materialized = (typeof extraction.config.materialized === "string" ? extraction.config.materialized : null) ?? props?.materialized ?? folder.materialized;
    models.push({
      name,
      version: versioned?.v ?? null,
      file: rel,
      language: kind.language,
      state: kind.state === "paused" ? "paused" : enabledness.state === "enabled" ? "active" : enabledness.state,
      enabledness,
      unreadable: done.unreadable,
      extraction,
      tags: [...new Set([...folder.tags, ...(props?.tags ?? []), ...asTags(extraction.config.tags)])],
      materialized,
      ...(kind.state === "paused" && ignored !== null && safeIgnores(ignored, rel.slice(0, -".skip".length)) ? { ignoredOnceRestored: true as const } : {}),
    });
  }
  models.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  for (const model of models) {
    if (model.state === "paused" || model.enabledness.state === "enabled") continue;
    addUnavailable({ kind: "model", name: model.name, file: model.file, enabledness: model.enabledness });
  }
  // Said once per project: conditions on target.* were not decided.
  const onTarget = models.filter((m) => m.extraction.readsUnknownTarget);
  if (onTarget.length > 0) {
    problems.push({
      kind: "target-not-configured",
      file: joinPath(snapshot.projectDir, onTarget[0]!.file),
      message: `${onTarget.length} model(s) read target.* (${onTarget
        .slice(0, 3)
        .map((m) => m.file)
        .join(", ")}${onTarget.length > 3 ? ", ..." : ""}) and no target is configured: every branch on it counts; set \`target: {name: ..., type: ...}\` in the configuration to decide them as dbt would`,
    });
  }

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
      const modelRoot = pkg.settings.modelPaths.find((dir) => relativeTo(dir, file.rel) !== null);
      if (modelRoot === undefined) continue;
      const kind = classifyModelFile(file.rel);
      if (kind?.state === "active") {
        // The root project's `models: <package>:` scope beats the package's own dbt_project.yml.
        const segments = [...(relativeTo(modelRoot, file.rel) ?? file.rel).split("/").slice(0, -1), kind.name];
        // The package model's own config(): only literals are read here (no extraction runs on
        // package files); `enabled=var('x')` makes it uncertain.
        const own = file.content !== "listed" && file.content.kind === "text" && file.content.text.includes("enabled") ? literalConfigEnabled(file.content.text) : null;
        const enabledness = firstSet(
          own,
          resolveFolderConfig(settings.modelsConfig, pkg.settings.name, segments).enabled,
          resolveFolderConfig(pkg.settings.modelsConfig, pkg.settings.name, segments, "models", `${packagesDir}/${folder}/dbt_project.yml`).enabled,
        );
        if (enabledness.state === "enabled") packageModels.push({ package: pkg.settings.name, name: kind.name });
        else {
          const node = { kind: "model" as const, name: kind.name, file: `${packagesDir}/${folder}/${file.rel}`, enabledness };
          addUnavailable(node);
          addUnavailable({ ...node, name: `${pkg.settings.name}.${kind.name}` }); // for ref('pkg', 'm')
        }
      }
      if (isYamlFile(file.rel) && file.content !== "listed" && file.content.kind === "text") {
        const result = readProperties(file.content.text, file.rel);
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
      unavailable,
      ...(unread.length > 0 ? { unread } : {}),
      sources,
      properties,
      problems,
    },
  };
}

/**
 * The verdict of a model file's own config(): the values engine's `extraction.enabled` when it
 * gives one; else a literal `enabled=` read by the extractor; else, when the file passes `enabled`
 * to config() in a way not read here (`enabled=var('x')`), uncertain.
 */
function fileEnabledness(extraction: Extraction, text: string): Enabledness | null {
  const verdict = (extraction as { enabled?: boolean | "uncertain" | null }).enabled;
  const where = "the file's config()";
  if (verdict === true) return { state: "enabled" };
  if (verdict === false) return { state: "disabled", by: `enabled=false in ${where}` };
  if (verdict === "uncertain") return { state: "uncertain", why: `enabled in ${where} cannot be decided statically` };
  if (verdict === null) return null;
  const literal = extraction.config.enabled;
  if (literal === true) return { state: "enabled" };
  if (literal === false) return { state: "disabled", by: `enabled=false in ${where}` };
  if (literal !== undefined) return { state: "uncertain", why: `enabled=${JSON.stringify(literal)} in ${where} is not a boolean` };
  // Cheap before the regex: most files never mention it.
  if (text.includes("enabled") && configCallsSetEnabled(text)) {
    return { state: "uncertain", why: `enabled=... in ${where} is not a literal and cannot be decided statically` };
  }
  return null;
}

/** A file's config(enabled=...) read without the extractor: a literal boolean decides, anything else is uncertain. */
function literalConfigEnabled(text: string): Enabledness | null {
  const where = "the file's config()";
  const m = /\bconfig\s*\([^()]*?\benabled\s*=\s*([A-Za-z_]+)\s*[,)]/.exec(text);
  if (m?.[1] === "true" || m?.[1] === "True") return { state: "enabled" };
  if (m?.[1] === "false" || m?.[1] === "False") return { state: "disabled", by: `enabled=false in ${where}` };
  if (configCallsSetEnabled(text)) return { state: "uncertain", why: `enabled=... in ${where} cannot be decided statically` };
  return null;
}

/** Does some `config(...)` call pass `enabled=`? Scans each call's balanced parentheses (strings skipped). */
function configCallsSetEnabled(text: string): boolean {
  for (const call of text.matchAll(/\bconfig\s*\(/g)) {
    let depth = 0;
    let quote: string | null = null;
    const start = call.index + call[0].length - 1;
    const limit = Math.min(text.length, start + 20_000);
    for (let i = start; i < limit; i++) {
      const c = text[i]!;
      if (quote !== null) {
        if (c === "\\") i++;
        else if (c === quote) quote = null;
        continue;
      }
      if (c === "'" || c === '"') quote = c;
      else if (c === "(") depth++;
      else if (c === ")" && --depth === 0) {
        if (/(?:^|[\s,(])enabled\s*=(?!=)/.test(stripStrings(text.slice(start, i + 1)))) return true;
        break;
      }
    }
  }
  return false;
}

function stripStrings(text: string): string {
  return text.replace(/'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"/g, "''");
}

/** `{% snapshot name %}` blocks of a snapshot file, with the `enabled` of their config(). */
function readSnapshotBlocks(text: string): { name: string; own: Enabledness | null }[] {
  const out: { name: string; own: Enabledness | null }[] = [];
  const starts = [...text.matchAll(/\{%-?\s*snapshot\s+([A-Za-z0-9_]+)\s*-?%\}/g)];
  starts.forEach((match, i) => {
    const body = text.slice(match.index + match[0].length, starts[i + 1]?.index ?? text.length);
    let own: Enabledness | null = null;
    if (body.includes("enabled")) own = literalConfigEnabled(body);
    if (match[1]) out.push({ name: match[1], own });
  });
  return out;
}

/** The folders of a properties file below the model (or snapshot, seed) path holding it: the start of its nodes' fqn. */
function ymlFolders(settings: DbtProjectSettings, rel: string): string[] {
  for (const dir of [...settings.modelPaths, ...settings.snapshotPaths, ...settings.seedPaths]) {
    const below = relativeTo(dir, rel);
    if (below !== null) return below.split("/").slice(0, -1);
  }
  return rel.split("/").slice(0, -1);
}

/** A source table's enabled-ness: its properties (table over source) over dbt_project.yml's `sources:` block. */
function withProjectSourceConfig(source: DeclaredSource, settings: DbtProjectSettings, folders: string[]): DeclaredSource {
  const folder = resolveFolderConfig(settings.sourcesConfig, settings.name, [...folders, source.source, source.table], "sources").enabled;
  if (folder === null || source.own.table !== null || source.own.source !== null) return source;
  return { ...source, enabledness: folder, enabled: folder.state === "enabled" };
}

/**
 * A model, seed, snapshot or macro path may climb out of the project folder (repositories with
 * several dbt projects share folders) but not out of the repository, nor be absolute: the tool
 * reads only the repository. The error names the key.
 */
function pathsOutsideRepository(settings: DbtProjectSettings, projectDir: string, file: string): Problem | null {
  const keys: [string, string[]][] = [
    ["model-paths", settings.modelPaths],
    ["seed-paths", settings.seedPaths],
    ["snapshot-paths", settings.snapshotPaths],
    ["macro-paths", settings.macroPaths],
    ["packages-install-path", [settings.packagesInstallPath]],
  ];
  for (const [key, dirs] of keys) {
    for (const dir of dirs) {
      if (dir.startsWith("/") || climbsOut(normalizePath(joinPath(projectDir, dir)))) {
        return { kind: "invalid-project", file, message: `\`${key}\`: '${dir}' is outside the repository; dbt-unskip reads only folders inside it` };
      }
    }
  }
  return null;
}

/** The macros of every installed package (keyed `package.name`) and the packages' names. */
function indexPackageMacros(
  packageFiles: ReadonlyMap<string, { rel: string; content: FileContent | "listed" }[]>,
  projectDir: string,
  packagesDir: string,
): { macros: Map<string, MacroDefinition>; names: string[] } {
  const macros = new Map<string, MacroDefinition>();
  const names: string[] = [];
  for (const [folder, files] of [...packageFiles].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const yml = files.find((f) => f.rel === "dbt_project.yml");
    if (!yml || yml.content === "listed" || yml.content.kind !== "text") continue;
    const pkg = parseDbtProjectSettings(yml.content.text, joinPath(projectDir, `${packagesDir}/${folder}/dbt_project.yml`));
    if ("problem" in pkg) continue; // reported where the package's models are read
    names.push(pkg.settings.name);
    const macroFiles: { path: string; text: string }[] = [];
    for (const file of files) {
      if (file.content === "listed" || file.content.kind !== "text" || !/\.(sql|jinja)$/i.test(file.rel)) continue;
      if (!pkg.settings.macroPaths.some((dir) => relativeTo(dir, file.rel) !== null)) continue;
      macroFiles.push({ path: joinPath(projectDir, `${packagesDir}/${folder}/${file.rel}`), text: file.content.text });
    }
    // A package's own warnings are not the project's problems; its unreadable macros are marked.
    indexMacros(macroFiles, pkg.settings.name, { package: pkg.settings.name, into: macros });
  }
  return { macros, names };
}

/** A file passed over, named with its control characters escaped (a line break cannot forge a line). */
function unreadable(file: string, reason: string): Problem {
  return { kind: "unreadable-file", file: neutraliseControlCharacters(file, "escape-exact"), message: reason };
}

// `ignore` refuses paths it considers invalid (e.g. with `..`); such paths are never ignored.
function safeIgnores(matcher: ReturnType<typeof ignore>, rel: string): boolean {
  try {
    return matcher.ignores(rel);
  } catch {
    return false;
  }
}
