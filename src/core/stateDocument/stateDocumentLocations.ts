import { climbsOut, normalizePath } from "../project/projectSnapshot.js";
import type { Problem } from "../types.js";
import { quote } from "./problemLog.js";

/**
 * A paused model's `**Location**` that leads outside the repository: absolute (`/…`, `C:\…`, `\\server`,
 * `~/…`) or climbing out with `..` from the dbt project folder it is relative to. dbt-unskip reads only
 * the repository, so such a location never names one of its files (it assigns nothing to the
 * dimension): said as a problem naming the document, the model's line (as the document's other
 * problems do, in the message) and the value.
 */
export function locationsOutsideRepository(doc: { path: string; pausedModels: readonly { name: string; location: string | null; line?: number | undefined }[] }, projectDir: string): Problem[] {
  const problems: Problem[] = [];
  const dir = projectDir === "." ? "" : projectDir;
  for (const model of doc.pausedModels) {
    const location = model.location;
    if (location === null) continue;
    const absolute = /^[/\\~]|^[A-Za-z]:/.test(location);
    if (!absolute && !climbsOut(normalizePath(dir === "" ? location : `${dir}/${location}`))) continue;
    const at = model.line === undefined ? "" : `line ${model.line}: `;
    problems.push({
      kind: "invalid-state-document",
      file: doc.path,
      message: `${at}the **Location** of paused model ${quote(model.name)}, ${quote(location)}, is outside the repository (relative to the dbt project folder, ${dir === "" ? "the repository's root" : dir}): dbt-unskip reads only the repository and does not use it; correct the location`,
    });
  }
  return problems;
}
