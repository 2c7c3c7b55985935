import type { UnskipConfig } from "../core/config/unskipConfig.js";
import { boundedGlobs } from "../core/config/boundedPattern.js";
import type { BuildHooks } from "../core/project/buildProject.js";
import { parseDbtProjectSettings } from "../core/project/dbtProjectSettings.js";
import { joinPath, normalizePath, relativeTo, type FileContent } from "../core/project/projectSnapshot.js";
import { extractDependencies } from "../core/refs/extractDependencies.js";
import { parsePropertiesYaml } from "../core/project/propertiesYaml.js";
import { parseStateDocument } from "../core/stateDocument/parseStateDocument.js";
import type { ChangedFile } from "../core/readiness/readinessDiff.js";
import type { ReadinessReport } from "../core/readiness/readinessReport.js";
import type { Extraction } from "../core/types.js";
import { UserError } from "../core/userError.js";
import { computeStatus, type PrepareBuild, type StatusResult } from "./computeStatus.js";
import type { FileSource } from "./fileSource.js";
import { resolveProjectDirs } from "./resolveProjectDirs.js";

export interface PullRequestStatusInput {
  /** The PR's head: every file is read from here, once. */
  head: FileSource;
  /** The PR's base: only the files the PR changes are read from here (all of it on a fallback). */
  base: FileSource;
  /** Every file the PR changes (`git diff --name-status -M base head`), paths as both sources see them. */
  changes: readonly ChangedFile[];
  /** False when the list of changes may be cut short (an API's limit): the base is then read in full. */
  changesComplete?: boolean | undefined;
  config: UnskipConfig;
  dimension?: string | undefined;
  log?: { debug(message: string): void } | undefined;
  /**
   * For the head's scan: buildProject's per-file steps computed ahead (the Action: properties YAML on a
   * worker thread, src/adapters/threads/propertiesThread.ts). Their properties readings are recorded
   * as the head's own, so the derived base reuses them as it reuses those read here.
   */
  prepareHead?: PrepareBuild | undefined;
}

export interface PullRequestStatus {
  head: StatusResult;
  /** The base's readiness, or why it could not be had (the PR may be what makes the project readable). */
  base: { reports: ReadinessReport[] } | { unavailable: string };
  /** How the base was had: derived from the head (re-extracting some projects' models), or read in full. */
  baseScan: { kind: "derived"; reextracted: string[] } | { kind: "full"; why: string };
}

/**
 * Readiness of both sides of a pull request for the cost of about one scan. The head is read and
 * built once; the base is the head with the PR's changes undone (the files the PR changes re-read
 * from the base, the ones it adds hidden), built with the head's per-file results where they cannot
 * differ: a properties file's or a state document's reading depends on its text alone, a model's
 * extraction on its text and its project's macros, vars and packages. A change that moves what a project is (its
 * dbt_project.yml) or an incomplete list of changes reads the base in full; a change to a
 * project's macros or installed packages re-extracts that project's models. Either way the answer
 * is the one a full scan of the base gives (test/usecases/pullRequestStatus.test.ts).
 */
export async function pullRequestStatus(input: PullRequestStatusInput): Promise<PullRequestStatus> {
  const { config, dimension } = input;
  const head = recordingFileSource(input.head);
  const memo = new Map<string, ProjectMemo>();
  const memoFor = (dir: string) => {
    let m = memo.get(dir);
    if (!m) {
      m = { extractions: new Map(), properties: new Map() };
      memo.set(dir, m);
    }
    return m;
  };
  // A state document's reading depends on its text alone: the base reuses the head's for one the PR leaves as it is.
  const stateDocuments = new Map<string, { text: string; parsed: ReturnType<typeof parseStateDocument> }>();
  const parseDocument = (text: string, path: string) => {
    const known = stateDocuments.get(path);
    if (known && known.text === text) return known.parsed;
    const parsed = parseStateDocument(text);
    stateDocuments.set(path, { text, parsed });
    return parsed;
  };
  const headStatus = await computeStatus({
    files: head,
    config,
    dimension,
    build: (dir, ahead) => recordingHooks(memoFor(dir), true, ahead?.properties),
    prepare: input.prepareHead,
    parseStateDocument: parseDocument,
  });

  const plan = await planBase(head, input, config);
  let baseScan: PullRequestStatus["baseScan"];
  let files: FileSource;
  let build: ((dir: string) => BuildHooks) | undefined;
  if (plan.kind === "full") {
    input.log?.debug(`pull request base: read in full (${plan.why})`);
    baseScan = plan;
    files = input.base;
    build = undefined;
  } else {
    const reextracted = [...plan.reextract.keys()].sort();
    for (const dir of reextracted) input.log?.debug(`pull request base: every model of ${dir || "."} re-extracted (${plan.reextract.get(dir)})`);
    input.log?.debug(`pull request base: derived from the head and ${input.changes.length} changed file(s)`);
    baseScan = { kind: "derived", reextracted };
    files = derivedBaseFileSource(head, input.base, input.changes);
    build = (dir) => recordingHooks(memoFor(dir), !plan.reextract.has(dir));
  }
  let base: PullRequestStatus["base"];
  try {
    base = { reports: (await computeStatus({ files, config, dimension, build, parseStateDocument: parseDocument })).reports };
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    base = { unavailable: error.message };
  }
  return { head: headStatus, base, baseScan };
}

interface ProjectMemo {
  /** Extractions by model file, with the text they were made from: valid while the project's macros, vars and packages are the same. */
  extractions: Map<string, { text: string; language: string; extraction: Extraction }>;
  /** Properties files read, by path. */
  properties: Map<string, { text: string; result: ReturnType<typeof parsePropertiesYaml> }>;
}

/**
 * buildProject's per-file steps, remembering what they give (and, with `reuseExtractions`, using it).
 * `readProperties`: how a properties file not yet read is read (the head: perhaps from answers read
 * ahead, which are parsePropertiesYaml's own for the same text and path).
 */
function recordingHooks(memo: ProjectMemo, reuseExtractions: boolean, readProperties: NonNullable<BuildHooks["properties"]> = parsePropertiesYaml): BuildHooks {
  return {
    extract(input, file) {
      // By file, not by text: an unchanged file's text is the very string the head read (no hashing).
      const known = memo.extractions.get(file);
      if (reuseExtractions && known && known.text === input.text && known.language === input.language) return known.extraction;
      const extraction = extractDependencies(input);
      if (reuseExtractions) memo.extractions.set(file, { text: input.text, language: input.language, extraction });
      return extraction;
    },
    properties(text, file) {
      const known = memo.properties.get(file);
      if (known && known.text === text) return known.result;
      const result = readProperties(text, file);
      memo.properties.set(file, { text, result });
      return result;
    },
  };
}

type BasePlan = { kind: "full"; why: string } | { kind: "derived"; reextract: Map<string, string> };

/** Whether the base can be derived from the head, and which projects' models must be extracted again. */
async function planBase(head: FileSource, input: PullRequestStatusInput, config: UnskipConfig): Promise<BasePlan> {
  if (input.changesComplete === false) return { kind: "full", why: "the list of changed files may be incomplete" };
  const changed = new Set<string>();
  for (const c of input.changes) {
    changed.add(c.path);
    if (c.from !== undefined) changed.add(c.from);
  }
  const dirs = await resolveProjectDirs(head, config.projectDirs);
  const projects: { dir: string; macroDirs: string[]; packagesDir: string }[] = [];
  for (const dir of dirs) {
    const file = joinPath(dir, "dbt_project.yml");
    const content = await head.read(file);
    if (content?.kind !== "text") return { kind: "full", why: `${file} is not readable on the head` };
    const parsed = parseDbtProjectSettings(content.text, file);
    if ("problem" in parsed) return { kind: "full", why: `${file} cannot be read on the head` };
    const { settings } = parsed;
    projects.push({ dir, macroDirs: settings.macroPaths.map((m) => normalizePath(joinPath(dir, m))), packagesDir: normalizePath(joinPath(dir, settings.packagesInstallPath)) });
  }
  const under = (path: string, dir: string) => relativeTo(dir, path) !== null;
  const reextract = new Map<string, string>();
  for (const path of changed) {
    // A project's dbt_project.yml says which folders are read and how: the base is read as it is.
    // (Packages' own dbt_project.yml only name the package and its folders: re-extraction below.)
    if (/(^|\/)dbt_project\.yml$/.test(path) && !projects.some((p) => under(path, p.packagesDir))) {
      return { kind: "full", why: `${path} changed` };
    }
    for (const p of projects) {
      if (reextract.has(p.dir)) continue;
      if (under(path, p.packagesDir)) reextract.set(p.dir, `${path} changed, in an installed package`);
      else if (p.macroDirs.some((m) => under(path, m))) reextract.set(p.dir, `${path} changed, in a macro folder`);
    }
  }
  return { kind: "derived", reextract };
}

/** The head's files with the PR's changes undone: what it changes read from the base, what it adds hidden. */
export function derivedBaseFileSource(head: FileSource, base: FileSource, changes: readonly ChangedFile[]): FileSource {
  const fromBase = new Set<string>();
  const headOnly = new Set<string>();
  for (const c of changes) {
    if (c.status === "A") headOnly.add(c.path);
    else if (c.status === "R") {
      headOnly.add(c.path);
      fromBase.add(c.from ?? c.path);
    } else fromBase.add(c.path); // D, M
  }
  const onBase = new Map<string, Promise<FileContent | null>>();
  const readBase = (path: string) => {
    let p = onBase.get(path);
    if (!p) {
      p = base.read(path);
      onBase.set(path, p);
    }
    return p;
  };
  const kept = (paths: string[]) => paths.filter((p) => !headOnly.has(p) && !fromBase.has(p));
  const withBase = async (paths: string[], wanted: (path: string) => boolean) => {
    const out = kept(paths);
    for (const path of fromBase) if (wanted(path) && (await readBase(path)) !== null) out.push(path);
    return out.sort();
  };
  return {
    async list(dir) {
      const prefix = dir === "" || dir === "." ? "" : `${dir.replace(/\/+$/, "")}/`;
      return withBase(await head.list(dir), (p) => p.startsWith(prefix));
    },
    async glob(patterns) {
      const match = boundedGlobs(patterns, { dot: false });
      return withBase(await head.glob(patterns), (p) => match.test(p));
    },
    read(path) {
      if (fromBase.has(path)) return readBase(path); // first: a path renamed away and added again is the base's
      if (headOnly.has(path)) return Promise.resolve(null);
      return head.read(path);
    },
  };
}

/** A FileSource that answers each question once: the base's derivation asks the head's again. */
export function recordingFileSource(files: FileSource): FileSource {
  const lists = new Map<string, Promise<string[]>>();
  const globs = new Map<string, Promise<string[]>>();
  const reads = new Map<string, Promise<FileContent | null>>();
  const once = <T>(cache: Map<string, Promise<T>>, key: string, get: () => Promise<T>) => {
    let p = cache.get(key);
    if (!p) {
      p = get();
      cache.set(key, p);
    }
    return p;
  };
  return {
    list: async (dir) => [...(await once(lists, dir, () => files.list(dir)))],
    glob: async (patterns) => [...(await once(globs, JSON.stringify(patterns), () => files.glob(patterns)))],
    read: (path) => once(reads, path, () => files.read(path)),
  };
}
