import type { ManifestNodeDependencies } from "../dbt/manifestDependencies.js";
import type { DbtProject, ModelNode } from "../project/buildProject.js";
import { joinPath } from "../project/projectSnapshot.js";
import type { Dependency } from "../types.js";
import type { Disagreement, VerifyReport } from "./verifyReport.js";

export interface ManifestParse {
  /** The root project's models from manifest.json (enabled and disabled). */
  nodes: ManifestNodeDependencies[];
  /** Models of installed packages, by package name (only their enabled-ness is compared). */
  packageNodes: ReadonlyMap<string, ManifestNodeDependencies[]>;
  /** Real file name → the paused `.skip` file parsed under it. */
  renamed: ReadonlyMap<string, string>;
  /** Paused files dbt could not render, with dbt's message. */
  failed: ReadonlyMap<string, string>;
}

/**
 * Measures the static engine against dbt: for every model file both know, the refs and sources each
 * found and whether the model is enabled. Pure: `textOf` gives a model file's text (relative to the
 * project folder) so a disagreement can point at a line and name the construct behind it.
 */
export function compareWithManifest(project: DbtProject, parse: ManifestParse, textOf: (file: string) => string | null): VerifyReport {
  const byFile = new Map<string, ManifestNodeDependencies>();
  for (const node of parse.nodes) byFile.set(parse.renamed.get(node.file) ?? node.file, node);
  const disagreements: Disagreement[] = [];
  const edges = { right: 0, added: 0, missed: 0, dynamic: 0 };
  const enabled = { right: 0, wrong: 0 };
  let compared = 0;
  let paused = 0;
  const repoFile = (file: string) => joinPath(project.projectDir, file);

  for (const model of project.models) {
    if (parse.failed.has(model.file)) continue;
    const node = byFile.get(model.file);
    byFile.delete(model.file);
    if (!node) {
      const available = model.state === "active";
      disagreements.push({
        kind: "model-unknown-to-dbt",
        risk: available ? "wrongly-ready" : "wrongly-blocked",
        model: model.name,
        file: repoFile(model.file),
        line: null,
        dependency: null,
        reason: `the engine reads this file as ${available ? "an active" : model.state === "paused" ? "a paused" : "a disabled"} model; dbt's manifest has no model from it${available ? " (refs to it would count as available)" : ""}`,
      });
      continue;
    }
    compared++;
    const text = textOf(model.file);
    if (model.state === "paused") paused++;
    else {
      const engineEnabled = model.state === "active";
      if (engineEnabled === node.enabled) enabled.right++;
      else {
        enabled.wrong++;
        disagreements.push(enabledDisagreement(model, node, repoFile(model.file), text));
      }
    }
    compareEdges(model, node, text, repoFile(model.file), edges, disagreements);
  }
  for (const [file, node] of byFile) {
    disagreements.push({
      kind: "model-unknown-to-engine",
      risk: "wrongly-blocked",
      model: node.name,
      file: repoFile(file),
      line: null,
      dependency: null,
      reason: `dbt has ${node.enabled ? "an enabled" : "a disabled"} model from this file that the engine does not read (refs to it would look missing)`,
    });
  }
  const packageModels = comparePackageModels(project, parse, disagreements);
  disagreements.sort(
    (a, b) =>
      Number(a.risk !== "wrongly-ready") - Number(b.risk !== "wrongly-ready") ||
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
      (a.line ?? 0) - (b.line ?? 0) ||
      (a.dependency ?? "").localeCompare(b.dependency ?? ""),
  );
  const wronglyReady = disagreements.filter((d) => d.risk === "wrongly-ready").length;
  return {
    project: project.name,
    projectDir: project.projectDir,
    models: { compared, paused },
    edges,
    enabled,
    packageModels,
    disagreements,
    unparsed: [...parse.failed].map(([file, message]) => ({ file: repoFile(file), message })).sort((a, b) => (a.file < b.file ? -1 : 1)),
    wronglyReady,
    wronglyBlocked: disagreements.length - wronglyReady,
  };
}

/**
 * A package model the engine lists counts as available to refs; dbt may disable it (a consuming
 * project's `vars:` or `models:` config does that to whole packages).
 */
function comparePackageModels(project: DbtProject, parse: ManifestParse, out: Disagreement[]): VerifyReport["packageModels"] {
  const figures = { right: 0, wrong: 0 };
  const listed = new Set(project.packageModels.map((m) => `${m.package}\u0000${m.name}`));
  for (const [pkg, nodes] of parse.packageNodes) {
    const enabledNames = new Set(nodes.filter((n) => n.enabled).map((n) => n.name));
    for (const node of nodes) {
      // A disabled twin of an enabled model (versions, per-adapter copies) does not decide availability.
      if (!node.enabled && enabledNames.has(node.name)) continue;
      const engine = listed.has(`${pkg}\u0000${node.name}`);
      if (engine === node.enabled) {
        figures.right++;
        continue;
      }
      figures.wrong++;
      const file = joinPath(project.projectDir, `${project.settings.packagesInstallPath}/${pkg}/${node.file}`);
      out.push(
        engine
          ? {
              kind: "wrongly-enabled",
              risk: "wrongly-ready",
              model: `${pkg}.${node.name}`,
              file,
              line: null,
              dependency: null,
              reason: `the engine counts package model ${pkg}.${node.name} as available; dbt disables it (a var(), the package's or the project's config)`,
            }
          : {
              kind: "wrongly-disabled",
              risk: "wrongly-blocked",
              model: `${pkg}.${node.name}`,
              file,
              line: null,
              dependency: null,
              reason: `dbt enables package model ${pkg}.${node.name}; the engine does not list it (refs to it would look missing)`,
            },
      );
    }
  }
  return figures;
}

function compareEdges(model: ModelNode, node: ManifestNodeDependencies, text: string | null, file: string, edges: VerifyReport["edges"], out: Disagreement[]): void {
  const fromEngine = new Map<string, Dependency>();
  const dynamicCalls = new Set<string>();
  for (const dep of model.extraction.dependencies) {
    if (dep.type === "dynamic") dynamicCalls.add(dep.call);
    else if (!fromEngine.has(edgeKey(dep))) fromEngine.set(edgeKey(dep), dep);
  }
  const fromDbt = new Map<string, Dependency>();
  for (const dep of node.dependencies) fromDbt.set(edgeKey(dep), dep);
  for (const [key, dep] of fromDbt) {
    if (fromEngine.has(key)) {
      edges.right++;
      continue;
    }
    if (dep.type !== "dynamic" && dynamicCalls.has(dep.type)) {
      edges.dynamic++;
      continue;
    }
    edges.missed++;
    const found = text === null ? null : lineNaming(text, dep);
    out.push({
      kind: "missed-edge",
      risk: "wrongly-ready",
      model: model.name,
      file,
      line: found?.line ?? null,
      dependency: written(dep),
      reason: found
        ? `missed: dbt renders ${written(dep)}; the file names it on line ${found.line} (\`${found.text}\`) and the engine did not resolve it there`
        : `missed: dbt renders ${written(dep)}, which the file does not write out: a macro, var() or package builds it and the engine did not follow`,
    });
  }
  for (const [key, dep] of fromEngine) {
    if (fromDbt.has(key)) continue;
    edges.added++;
    out.push({
      kind: "added-edge",
      risk: "wrongly-blocked",
      model: model.name,
      file,
      line: dep.line || null,
      dependency: written(dep),
      reason: `added: ${written(dep)}${addedConstruct(dep, text)}`,
    });
  }
}

function enabledDisagreement(model: ModelNode, node: ManifestNodeDependencies, file: string, text: string | null): Disagreement {
  const setting = text === null ? null : firstLine(text, /\benabled\b/);
  const where = setting ? `its file sets it on line ${setting.line} (\`${setting.text}\`)` : "the file does not set it: properties YAML, dbt_project.yml or a var() decides";
  return node.enabled
    ? { kind: "wrongly-disabled", risk: "wrongly-blocked", model: model.name, file, line: setting?.line ?? null, dependency: null, reason: `the engine reads it as disabled; dbt enables it (${where})` }
    : {
        kind: "wrongly-enabled",
        risk: "wrongly-ready",
        model: model.name,
        file,
        line: setting?.line ?? null,
        dependency: null,
        reason: `the engine counts it as an active model (available to refs); dbt disables it (${where})`,
      };
}

function edgeKey(dep: Dependency): string {
  if (dep.type === "ref") return `ref\u0000${dep.package ?? ""}\u0000${dep.name}\u0000${dep.version ?? ""}`;
  if (dep.type === "source") return `source\u0000${dep.source}\u0000${dep.table}`;
  return `dynamic\u0000${dep.call}\u0000${dep.expression}`;
}

/** The call as a person would write it: `ref('x')`, `ref('pkg', 'x', v=2)`, `source('s', 't')`. */
export function written(dep: Dependency): string {
  if (dep.type === "source") return `source('${dep.source}', '${dep.table}')`;
  if (dep.type === "dynamic") return `${dep.call}(${dep.expression})`;
  const args = [...(dep.package ? [`'${dep.package}'`] : []), `'${dep.name}'`, ...(dep.version ? [`v=${dep.version}`] : [])];
  return `ref(${args.join(", ")})`;
}

/** What the engine read where dbt read nothing: a branch dbt does not take, a macro, or a plain line. */
function addedConstruct(dep: Dependency, text: string | null): string {
  const at = dep.line ? ` on line ${dep.line}` : "";
  if (dep.via.length > 0) return ` through macro ${dep.via.join(" → ")}${at}, a path dbt's rendering does not take`;
  if (text === null || !dep.line) return `${at}, which dbt does not record`;
  const branch = enclosingBlock(text, dep.line, dep.type === "dynamic" ? dep.call : dep.type);
  if (branch) return `${at} in a branch dbt does not take (\`${branch.text}\` on line ${branch.line})`;
  const line = text.split(/\r?\n/)[dep.line - 1]?.trim() ?? "";
  return `${at} (\`${cut(line)}\`), which dbt does not record`;
}

const BLOCK_TAG = /\{%-?\s*(if|elif|else|endif|for|endfor)\b[^%]*%\}/g;

/**
 * The innermost `{% if %}` / `{% for %}` still open where the call on `line` starts (the first
 * `call(` on that line; the line's start when there is none), with the line the tag is on.
 */
function enclosingBlock(text: string, line: number, call: string): { line: number; text: string } | null {
  let lineStart = 0;
  for (let n = 1; n < line && lineStart >= 0; n++) lineStart = text.indexOf("\n", lineStart) + 1 || -1;
  if (lineStart < 0) return null;
  const lineEnd = text.indexOf("\n", lineStart);
  const callAt = text.slice(lineStart, lineEnd < 0 ? undefined : lineEnd).search(new RegExp(`\\b${call}\\s*\\(`));
  const until = lineStart + Math.max(callAt, 0);
  const stack: { line: number; text: string }[] = [];
  let lineNo = 1;
  let lastIndex = 0;
  for (const match of text.matchAll(BLOCK_TAG)) {
    if (match.index >= until) break;
    for (let i = lastIndex; i < match.index; i++) if (text.charCodeAt(i) === 10) lineNo++;
    lastIndex = match.index;
    const tag = match[1]!;
    if (tag === "if" || tag === "for") stack.push({ line: lineNo, text: cut(match[0]) });
    else if (tag === "elif" || tag === "else") {
      if (stack.length > 0) stack[stack.length - 1] = { line: lineNo, text: cut(match[0]) };
    } else stack.pop();
  }
  return stack[stack.length - 1] ?? null;
}

/** The first line naming the dependency's target in quotes. */
function lineNaming(text: string, dep: Dependency): { line: number; text: string } | null {
  const name = dep.type === "ref" ? dep.name : dep.type === "source" ? dep.table : null;
  if (name === null) return null;
  return firstLine(text, new RegExp(`['"]${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}['"]`));
}

function firstLine(text: string, pattern: RegExp): { line: number; text: string } | null {
  const lines = text.split(/\r?\n/);
  const index = lines.findIndex((l) => pattern.test(l));
  return index < 0 ? null : { line: index + 1, text: cut(lines[index]!.trim()) };
}

function cut(text: string): string {
  return text.length > 100 ? `${text.slice(0, 97)}...` : text;
}
