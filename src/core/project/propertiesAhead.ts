import type { BuildHooks } from "./buildProject.js";
import { parseDbtProjectSettings } from "./dbtProjectSettings.js";
import { isYamlFile } from "./modelFileName.js";
import { joinPath, relativeTo, type ProjectSnapshot } from "./projectSnapshot.js";
import { parsePropertiesYaml } from "./propertiesYaml.js";

// Reading a project's properties YAML is about a quarter of a large project's build (BENCHMARKS.md,
// finding 14) and depends on nothing but each file's text and path, so it can be done elsewhere (on
// a worker thread: src/adapters/threads/propertiesThread.ts) while buildProject extracts the models'
// dependencies, which it does first. `test/core/project/propertiesAhead.test.ts` holds it to the full path.

export type PropertiesResult = ReturnType<typeof parsePropertiesYaml>;

/**
 * The project's own YAML files (not its installed packages', not dbt_project.yml itself) as
 * [path, text], path being what buildProject passes to parsePropertiesYaml for them: the properties
 * files it will read, and perhaps a few it will not (seed or snapshot folders it does not read).
 */
export function propertiesFilesOf(snapshot: ProjectSnapshot): [string, string][] {
  if (snapshot.dbtProjectYml.kind !== "text") return [];
  const parsed = parseDbtProjectSettings(snapshot.dbtProjectYml.text, joinPath(snapshot.projectDir, "dbt_project.yml"));
  if ("problem" in parsed) return [];
  const packages = parsed.settings.packagesInstallPath;
  const out: [string, string][] = [];
  for (const [path, content] of snapshot.files) {
    if (typeof content !== "object" || content.kind !== "text" || !isYamlFile(path)) continue;
    const rel = relativeTo(snapshot.projectDir, path);
    if (rel === null || rel.startsWith("../") || relativeTo(packages, rel) !== null) continue;
    out.push([joinPath(snapshot.projectDir, rel), content.text]);
  }
  return out;
}

/** What parsePropertiesYaml gives for each file, in order: the work done elsewhere. */
export function readPropertiesFiles(files: readonly (readonly [string, string])[]): [string, PropertiesResult][] {
  return files.map(([path, text]) => [path, parsePropertiesYaml(text, path)]);
}

/**
 * buildProject's `properties` hook from answers read elsewhere. `answers()` is asked on the first
 * properties file (after the models' extraction) and gives the answers for `files`, or null when they
 * could not be had. An answer is used only for the very path and text it was read from; any other
 * file is read here, as buildProject reads it.
 */
export function propertiesHook(files: readonly (readonly [string, string])[], answers: () => readonly (readonly [string, PropertiesResult])[] | null): NonNullable<BuildHooks["properties"]> {
  let known: Map<string, { text: string; result: PropertiesResult }> | null = null;
  return (text, path) => {
    if (known === null) {
      known = new Map();
      const results = answers();
      if (results !== null && results.length === files.length) {
        results.forEach(([resultPath, result], i) => {
          const [sentPath, sentText] = files[i]!;
          if (resultPath === sentPath) known!.set(sentPath, { text: sentText, result });
        });
      }
    }
    const answer = known.get(path);
    return answer !== undefined && answer.text === text ? answer.result : parsePropertiesYaml(text, path);
  };
}
