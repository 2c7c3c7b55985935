import type { DbtProject } from "../project/buildProject.js";
import type { Problem } from "../types.js";

/**
 * Where a state document disagrees with the tree: it lists a model as paused (its Paused Models
 * section, or the last restart log that names it) while the model is active, or records it as
 * resumed while it is paused. One line per model; never throws; linear in the text.
 */
export function stateDocumentDrift(doc: { path: string; text: string; pausedModels: { name: string; location: string | null }[] }, project: DbtProject): Problem[] {
  const expected = new Map<string, { state: "paused" | "active"; where: string }>();
  for (const m of doc.pausedModels) expected.set(m.name, { state: "paused", where: m.location ? `as paused at ${m.location}` : "as paused" });
  // Restart logs, in order: the last list that names a model says what the document claims now.
  let list: "resumed" | "paused" | null = null;
  for (const line of doc.text.split(/\r\n|\r|\n/)) {
    const heading = /^#{1,6}\s+(.*)$/.exec(line);
    if (heading) {
      const title = heading[1]!.toLowerCase();
      // A paused-model entry (`### 1. d_user.sql → d_user.sql.skip`), such as one a later pause
      // appended after a restart log: from here on the document says paused again.
      const entry = /^(?:\d{1,9}[.)]\s*)?`?([^`\s]+?\.(?:sql|py))`?\s*(?:→|->)/.exec(heading[1]!);
      if (entry) {
        const name = modelName(entry[1]!);
        let listed: { name: string; location: string | null } | undefined;
        for (let i = doc.pausedModels.length - 1; i >= 0 && listed === undefined; i--) if (doc.pausedModels[i]!.name === name) listed = doc.pausedModels[i];
        expected.set(name, { state: "paused", where: listed?.location ? `as paused at ${listed.location}` : "as paused" });
        list = null;
        continue;
      }
      list = title.startsWith("resumed models") ? "resumed" : title.startsWith("still paused") ? "paused" : null;
      continue;
    }
    if (list === null) continue;
    const item = /^\s*[-*]\s+`?([^`\s()]+)`?/.exec(line);
    if (!item) continue;
    const name = modelName(item[1]!);
    if (name === "" || name === "none") continue;
    expected.set(name, list === "resumed" ? { state: "active", where: "as resumed in its restart log" } : { state: "paused", where: "as still paused in its restart log" });
  }
  const problems: Problem[] = [];
  // The models the document names that are not disabled, in one pass over the project (filtering
  // every model for every name was quadratic: a quarter of a 50,000-model status run).
  const byName = new Map<string, DbtProject["models"]>();
  for (const m of project.models) {
    if (m.state === "disabled" || !expected.has(m.name)) continue;
    const same = byName.get(m.name);
    if (same === undefined) byName.set(m.name, [m]);
    else same.push(m);
  }
  for (const [name, claim] of expected) {
    const nodes = byName.get(name) ?? [];
    if (nodes.length !== 1) continue; // unknown or ambiguous: other checks report those
    const node = nodes[0]!;
    const inTree = node.state === "paused" ? "paused" : "active";
    if (inTree === claim.state) continue;
    const file = joinPath(project.projectDir, node.file);
    problems.push({
      kind: "stale-state-document",
      file: doc.path,
      message:
        claim.state === "paused"
          ? `lists ${name} ${claim.where}, but it is active in the tree (${file}): the document was not updated when it was restored`
          : `records ${name} ${claim.where}, but it is paused in the tree (${file}): the document was not updated when it was paused again`,
    });
  }
  return problems;
}

function modelName(file: string): string {
  const base = file.slice(file.lastIndexOf("/") + 1);
  return base.replace(/\.skip$/, "").replace(/\.(sql|py)$/, "");
}

function joinPath(dir: string, file: string): string {
  return dir === "" || dir === "." ? file : `${dir.replace(/\/+$/, "")}/${file}`;
}
