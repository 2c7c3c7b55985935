import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { DbtProject } from "../../../src/core/project/buildProject.js";
import type { Problem } from "../../../src/core/types.js";
import { stateDocumentDrift } from "../../../src/core/stateDocument/stateDocumentDrift.js";

// stateDocumentDrift looks the document's names up in one pass over the project instead of
// filtering every model for every name (quadratic at 50k models). The answers must not change:
// held to the previous function (copied here as it was) on random projects and documents.

type Model = { name: string; state: "active" | "paused" | "disabled"; file: string };

/** The function as it was before the change (verbatim), the reference. */
function previousDrift(doc: { path: string; text: string; pausedModels: { name: string; location: string | null }[] }, project: DbtProject): Problem[] {
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
        const listed = [...doc.pausedModels].reverse().find((m) => m.name === name);
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
  for (const [name, claim] of expected) {
    const nodes = project.models.filter((m) => m.name === name && m.state !== "disabled");
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

const names = fc.constantFrom("a", "b", "c", "d", "e", "f_g", "none");
const model = fc.record({ name: names, state: fc.constantFrom("active", "paused", "disabled") as fc.Arbitrary<Model["state"]>, file: fc.constantFrom("m/x.sql", "m/y.sql.skip", "z.py") });
const docLine = fc.oneof(
  names.map((n) => `## Resumed models\n- \`${n}.sql\``),
  names.map((n) => `### Still paused\n- ${n}`),
  names.map((n) => `### 1. \`${n}.sql\` → \`${n}.sql.skip\``),
  fc.constantFrom("text", "## Other", "- stray"),
);

describe("stateDocumentDrift", () => {
  it("reports exactly what the previous per-name filter reported, on random projects and documents", () => {
    fc.assert(
      fc.property(fc.array(model, { maxLength: 12 }), fc.array(docLine, { maxLength: 8 }), fc.array(fc.tuple(names, fc.option(fc.constantFrom("line 3", "line 9"))), { maxLength: 5 }), (models, lines, paused) => {
        const project = { projectDir: "warehouse", models } as unknown as DbtProject;
        const doc = { path: "dimensions/x.md", text: lines.join("\n"), pausedModels: paused.map(([name, location]) => ({ name, location })) };
        expect(stateDocumentDrift(doc, project)).toStrictEqual(previousDrift(doc, project));
      }),
      { numRuns: 2000 },
    );
  });

  it("a model listed as paused but active is reported; ambiguous or disabled names are not", () => {
    const project = {
      projectDir: "w",
      models: [
        { name: "a", state: "active", file: "m/a.sql" },
        { name: "b", state: "active", file: "m/b.sql" },
        { name: "b", state: "paused", file: "n/b.sql.skip" },
        { name: "c", state: "disabled", file: "m/c.sql" },
        { name: "d", state: "paused", file: "m/d.sql.skip" },
      ],
    } as unknown as DbtProject;
    const doc = {
      path: "dimensions/x.md",
      text: "## Resumed models\n- `d.sql`\n",
      pausedModels: [
        { name: "a", location: "line 4" },
        { name: "b", location: null },
        { name: "c", location: null },
      ],
    };
    expect(stateDocumentDrift(doc, project).map((p) => p.message)).toEqual([
      "lists a as paused at line 4, but it is active in the tree (w/m/a.sql): the document was not updated when it was restored",
      "records d as resumed in its restart log, but it is paused in the tree (w/m/d.sql.skip): the document was not updated when it was paused again",
    ]);
  });
});
