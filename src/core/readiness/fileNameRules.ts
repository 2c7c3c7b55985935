import type { DbtProject, ModelNode } from "../project/buildProject.js";
import { unreadNameStart } from "../project/modelFileName.js";

/**
 * Every rule by which dbt (1.11) refuses, ignores, or takes as another resource a paused model once
 * its `.skip` is dropped, because of its file name or path rather than its SQL. Each note keeps the
 * model from being called ready (a model is ready only if dbt accepts it). Checked against real dbt
 * 1.11.16 on a copy of examples/warehouse-migration (test/integration/fileNameRules.int.test.ts).
 * Names dbt accepts as they are (a leading digit, unicode, upper case, `.SQL`, 120 characters, `p+q`,
 * `g*h`, quotes, `$`) are not listed here.
 */
export interface FileNameContext {
  seeds: DbtProject["seeds"];
  snapshots: DbtProject["snapshots"];
  /** Model, seed and snapshot names by their lower case, to find names that differ only in case. */
  byLowerCase: ReadonlyMap<string, ReadonlySet<string>>;
}

export function fileNameContext(project: Pick<DbtProject, "seeds" | "snapshots" | "models">): FileNameContext {
  const byLowerCase = new Map<string, Set<string>>();
  for (const name of [...project.models.filter((m) => m.state !== "disabled").map((m) => m.name), ...project.seeds, ...project.snapshots]) {
    const key = name.toLowerCase();
    const names = byLowerCase.get(key) ?? new Set<string>();
    names.add(name);
    byLowerCase.set(key, names);
  }
  return { seeds: project.seeds, snapshots: project.snapshots, byLowerCase };
}

export function fileNameNotes(model: ModelNode, context: FileNameContext): string[] {
  const base = model.file.slice(model.file.lastIndexOf("/") + 1);
  const restored = base.replace(/\.skip$/i, "");
  // dbt lists model files with the pattern `[!.#~]*.sql` (dbt/parser/search.py): it never reads the others.
  const start = unreadNameStart(base);
  if (start !== null) return [`its file name starts with '${start}': dbt does not read model files whose name starts with '.', '#' or '~', so it would ignore ${restored}; rename the file`];
  if (model.ignoredOnceRestored) return [`.dbtignore matches ${restored}: dbt would ignore the restored file; rename the file or change .dbtignore`];
  // Read by dbt: what it refuses, or takes as another resource.
  const notes: string[] = [];
  // dbt's own check (check_for_spaces_in_resource_names) looks for " " alone.
  if (model.name.includes(" ")) notes.push("its name has a space: dbt refuses resource names with spaces (an error by default since dbt 1.10); rename the file");
  // dbt's node selection (restore's proof is `dbt compile --select NAME`; its next step `dbt build
  // --select NAME`) reads these as syntax: `a.b` a path, `c,d` an intersection, `e:f` a method,
  // `+x`, `x+`, `2+x`, `@x` graph operators. dbt parses the model, but --select does not select it.
  if (/[.,:]|^[+@]|\+$|^\d+\+/.test(model.name)) {
    notes.push(
      `dbt parses it, but dbt's --select reads '${model.name}' as selection syntax (a '.', ',' or ':', or a '+' or '@' at an end) and does not select it: restore's dbt compile --select would not compile it; rename the file`,
    );
  }
  if (model.version === null) {
    // dbt 1.11 warns (DuplicateNameDistinctNodeTypesDeprecation; an error with
    // require_unique_project_resource_names) and ref() of the name no longer says which is meant.
    const other = context.seeds.has(model.name) ? "seed" : context.snapshots.has(model.name) ? "snapshot" : null;
    if (other !== null) notes.push(`a ${other} is also named '${model.name}': dbt warns that two resources share the name and ref('${model.name}') becomes ambiguous; rename the file`);
  }
  // dbt takes names as case-sensitive, but warehouses mostly do not (DuckDB always, Snowflake unquoted):
  // dbt parse accepts both, and both build the same table.
  const twins = [...(context.byLowerCase.get(model.name.toLowerCase()) ?? [])].filter((n) => n !== model.name);
  for (const twin of twins.sort()) {
    notes.push(`its name differs only in case from '${twin}': dbt takes them as two resources, but a warehouse with case-insensitive names (DuckDB, Snowflake) builds one table for both; rename the file`);
  }
  return notes;
}
