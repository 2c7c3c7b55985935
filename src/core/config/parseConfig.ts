import type { ErrorObject } from "ajv";
import { LineCounter } from "yaml";
import { parsePyYaml } from "../project/pyYaml.js";
import { MAX_YAML_ALIAS_COUNT, parseBoundedYaml } from "../yaml/boundedYaml.js";
import { isRecord } from "../project/parseYamlDocument.js";
import { branchPrefixProblem } from "../git/refName.js";
import { compileGlob, compileRegex } from "./boundedPattern.js";
import { PLAIN_NAME } from "../plainName.js";
import type { Problem } from "../types.js";
import { validateConfigFile, validateSeedConfig } from "./configValidators.generated.js";
import { DEFAULT_CONFIG, type UnskipConfig } from "./unskipConfig.js";

export interface ConfigFiles {
  /** `.github/dbt-unskip.yml` (or the file the user named), when present. */
  configFile?: { path: string; text: string } | undefined;
  /** `project.config.json`, when present. */
  seedConfig?: { path: string; text: string } | undefined;
}

// The schemas (configSchema.ts) are compiled by ajv at build time (configValidators.generated.js,
// written by scripts/build.mjs): ajv's verdicts and messages, with no schema compiled at start-up.

/**
 * Merges defaults, the seed teams' `project.config.json` and `.github/dbt-unskip.yml` (which wins).
 * Every error names the file, the key (and line where known) and what was expected.
 */
export function parseConfig(files: ConfigFiles): { config: UnskipConfig } | { problems: Problem[] } {
  const config: UnskipConfig = { ...DEFAULT_CONFIG, dimensions: {}, vars: {}, sources: [] };
  const problems: Problem[] = [];

  if (files.seedConfig) {
    const { path, text } = files.seedConfig;
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (error) {
      problems.push({ kind: "invalid-config", file: path, message: `not valid JSON: ${(error as Error).message}` });
    }
    if (data !== undefined) {
      if (!validateSeedConfig(data)) problems.push(...describe(validateSeedConfig.errors ?? [], path, () => undefined));
      else {
        const { paths = {}, git = {} } = data;
        if (paths.dbt_repository !== undefined) config.projectDirs = [paths.dbt_repository];
        if (paths.dimensions_output !== undefined) {
          if (escapesRepository(paths.dimensions_output)) problems.push({ kind: "invalid-config", file: path, message: outsideMessage("paths.dimensions_output", paths.dimensions_output) });
          else config.dimensionsOutput = paths.dimensions_output;
        }
        if (git.branch_prefix !== undefined) {
          const problem = branchPrefixProblem(git.branch_prefix);
          if (problem === null) config.branchPrefix = git.branch_prefix;
          else problems.push({ kind: "invalid-config", file: path, message: `\`git.branch_prefix\`: ${problem}` });
        }
        config.sources.push(path);
      }
    }
  }

  if (files.configFile) {
    const { path, text } = files.configFile;
    const lines = new LineCounter();
    const parsed = parseBoundedYaml(text, { lineCounter: lines });
    if ("error" in parsed) {
      const { message, line } = parsed.error;
      problems.push({ kind: "invalid-config", file: path, ...(line ? { line } : {}), message });
    } else {
      const doc = parsed.doc;
      const data = parsed.value ?? {};
      const lineOf = (keys: (string | number)[]) => {
        const node = doc.getIn(keys, true) as { range?: [number, number, number] } | undefined;
        return node?.range ? lines.linePos(node.range[0]).line : undefined;
      };
      if (!validateConfigFile(data)) problems.push(...describe(validateConfigFile.errors ?? [], path, lineOf));
      else {
        const dir = data["project-dir"];
        if (typeof dir === "string") config.projectDirs = [dir];
        else if (Array.isArray(dir)) config.projectDirs = [...dir];
        // Every glob a user writes runs on the bounded engine; what it cannot run is refused here.
        const globProblem = (keys: (string | number)[], glob: string) => {
          const compiled = compileGlob(glob, { dot: true });
          if ("error" in compiled) {
            const line = lineOf(keys);
            problems.push({ kind: "invalid-config", file: path, ...(line ? { line } : {}), message: `\`${keys.join(".")}\`: glob '${glob}' ${compiled.error}` });
          }
        };
        if (typeof dir === "string") globProblem(["project-dir"], dir);
        else if (Array.isArray(dir)) {
          dir.forEach((d, i) => {
            if (typeof d === "string") globProblem(["project-dir", i], d);
          });
        }
        if (isRecord(data.dimensions)) {
          for (const [name, dimension] of Object.entries(data.dimensions)) {
            const paths = isRecord(dimension) && Array.isArray(dimension.paths) ? dimension.paths : [];
            paths.forEach((g, i) => {
              if (typeof g === "string") globProblem(["dimensions", name, "paths", i], g);
            });
          }
        }
        const output = data["dimensions-output"];
        if (typeof output === "string") {
          if (!escapesRepository(output)) config.dimensionsOutput = output;
          else {
            const line = lineOf(["dimensions-output"]);
            problems.push({ kind: "invalid-config", file: path, ...(line ? { line } : {}), message: outsideMessage("dimensions-output", output) });
          }
        }
        if (typeof data["branch-prefix"] === "string") {
          const problem = branchPrefixProblem(data["branch-prefix"]);
          if (problem === null) config.branchPrefix = data["branch-prefix"];
          else {
            const line = lineOf(["branch-prefix"]);
            problems.push({ kind: "invalid-config", file: path, ...(line ? { line } : {}), message: `\`branch-prefix\`: ${problem}` });
          }
        }
        if (typeof data["dimension-tag-pattern"] === "string") {
          const pattern = data["dimension-tag-pattern"];
          const compiled = compileRegex(pattern);
          if ("pattern" in compiled) config.dimensionTagPattern = pattern;
          else problems.push({ kind: "invalid-config", file: path, line: lineOf(["dimension-tag-pattern"]), message: `\`dimension-tag-pattern\`: ${compiled.error}` } as Problem);
        }
        if (typeof data["restore-disabled"] === "boolean") config.restoreDisabled = data["restore-disabled"];
        if (data["restore-disabled"] === true) {
          problems.push({
            kind: "invalid-config",
            file: path,
            line: lineOf(["restore-disabled"]),
            message: "`restore-disabled: true` is not supported: dbt-unskip restores only .skip files; models paused with enabled=false are reported with where to set enabled to true",
          } as Problem);
        }
        if (isRecord(data.vars)) config.vars = varsAsDbtReadsThem(text) ?? data.vars;
        if (isRecord(data.target)) config.target = data.target;
        if (data.dimensions !== undefined) config.dimensions = data.dimensions;
        config.sources.push(path);
      }
    }
  }
  return problems.length > 0 ? { problems } : { config };
}

/**
 * A folder the tool writes state documents to must be inside the repository: not absolute, and no
 * `..` that climbs above its root (a pull request can carry its own config file).
 */
function escapesRepository(folder: string): boolean {
  if (/^([/\\]|[A-Za-z]:)/.test(folder)) return true;
  let depth = 0;
  for (const part of folder.split(/[/\\]/)) {
    if (part === "..") depth--;
    else if (part !== "" && part !== ".") depth++;
    if (depth < 0) return true;
  }
  return false;
}

function outsideMessage(key: string, folder: string): string {
  return `\`${key}\`: '${folder}' is outside the repository: give a folder inside it`;
}

function describe(errors: ErrorObject[], file: string, lineOf: (keys: (string | number)[]) => number | undefined): Problem[] {
  // oneOf failures repeat each branch's error; the branch errors carry the useful words.
  const useful = errors.filter((e) => e.keyword !== "oneOf" || errors.length === 1);
  // A value of the wrong type for a key that takes several (`project-dir: 42`): one problem that
  // names every type it may have, not one per branch.
  const typesAt = new Map<string, string[]>();
  for (const e of useful) if (e.keyword === "type") typesAt.set(e.instancePath, [...(typesAt.get(e.instancePath) ?? []), (e.params as { type: string }).type]);
  const seen = new Set<string>();
  const problems: Problem[] = [];
  for (const error of useful) {
    const keys = error.instancePath.split("/").slice(1).map(unescapePointer);
    let key = keys.join(".");
    let expected = error.message ?? "invalid";
    if (error.keyword === "additionalProperties") {
      const extra = String((error.params as { additionalProperty: string }).additionalProperty);
      key = key ? `${key}.${extra}` : extra;
      keys.push(extra);
      expected = "is not a known setting";
    } else if (error.keyword === "type") expected = `expected ${[...new Set(typesAt.get(error.instancePath))].join(" or ")}`;
    else if (error.keyword === "pattern") expected = `expected a value matching ${(error.params as { pattern: string }).pattern}`;
    else if (error.keyword === "required") {
      const missing = (error.params as { missingProperty: string }).missingProperty;
      expected = `\`${missing}\` is required`;
    } else if (error.keyword === "propertyNames") expected = `names must match ${PLAIN_NAME.source}`;
    const message = `${key ? `\`${key}\`` : "the file"}: ${expected}`;
    if (seen.has(message)) continue;
    seen.add(message);
    const line = lineOf(keys);
    problems.push({ kind: "invalid-config", file, ...(line ? { line } : {}), message });
  }
  return problems;
}

function unescapePointer(part: string): string {
  return part.replace(/~1/g, "/").replace(/~0/g, "~");
}

/**
 * The `vars:` mapping read as dbt reads `--vars` (PyYAML, YAML 1.1: an unquoted `yes` is true), so
 * that the same text means the same values to dbt and to the engine. The file already parsed, with
 * its bounds checked, above; null when this second reading cannot give a mapping.
 */
function varsAsDbtReadsThem(text: string): Record<string, unknown> | null {
  try {
    const doc = parsePyYaml(text);
    if (doc.errors.length > 0) return null;
    const value: unknown = doc.toJS({ maxAliasCount: MAX_YAML_ALIAS_COUNT });
    return isRecord(value) && isRecord(value.vars) ? value.vars : null;
  } catch {
    return null;
  }
}
