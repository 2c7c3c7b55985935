// The PR's base derived from its head and the changed files (src/usecases/pullRequestStatus.ts)
// must be exactly what a full scan of the base gives: random change sets on a generated real-shaped
// project and on the bundled example, every kind of change the derivation treats apart (renames to
// and from .sql.skip, additions, deletions, properties YAML, state documents, macros, an installed
// package, dbt_project.yml, .dbtignore), each compared with computeStatus on the base itself.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pathListing } from "../../src/adapters/files/pathListing.js";
import type { UnskipConfig } from "../../src/core/config/unskipConfig.js";
import type { ChangedFile } from "../../src/core/readiness/readinessDiff.js";
import { UserError } from "../../src/core/userError.js";
import { computeStatus } from "../../src/usecases/computeStatus.js";
import type { FileSource } from "../../src/usecases/fileSource.js";
import { loadConfig } from "../../src/usecases/loadConfig.js";
import { derivedBaseFileSource, pullRequestStatus, type PullRequestStatus } from "../../src/usecases/pullRequestStatus.js";
import { propertiesThread } from "../../src/adapters/threads/propertiesThread.js";
import type { PrepareBuild } from "../../src/usecases/computeStatus.js";
import { generateProject } from "../bench/generateProject.js";
import { buildWorkerBundle } from "../helpers/workerBundle.js";

type Tree = Map<string, string>;

function memorySource(tree: Tree): FileSource & { reads: string[] } {
  const reads: string[] = [];
  return {
    ...pathListing(tree.keys()),
    reads,
    async read(path) {
      reads.push(path);
      const text = tree.get(path);
      return text === undefined ? null : { kind: "text", text };
    },
  };
}

function readTree(root: string): Tree {
  const tree: Tree = new Map();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else tree.set(relative(root, full).split("\\").join("/"), readFileSync(full, "utf8"));
    }
  };
  walk(root);
  return tree;
}

/** What computeStatus says of the base read in full, in the shape pullRequestStatus gives it. */
async function fullBase(tree: Tree, config: UnskipConfig): Promise<PullRequestStatus["base"]> {
  try {
    return { reports: (await computeStatus({ files: memorySource(tree), config })).reports };
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    return { unavailable: error.message };
  }
}

/** One edit of the tree, as a PR makes it. */
type Edit = { op: string; pick: number; pick2: number; asDeleteAdd: boolean };

interface Applied {
  head: Tree;
  changes: ChangedFile[];
}

/**
 * Applies edits to a copy of the base; the changes are listed as git would (a rename as `R`, or as
 * a deletion and an addition when git does not pair them).
 */
function applyEdits(base: Tree, edits: Edit[], projectDir: string, macroDir: string, packageDir: string): Applied {
  const head = new Map(base);
  const renames = new Map<string, string>(); // to → from (original base path)
  const pairAsRename = new Set<string>();
  const pick = <T>(items: T[], n: number): T | undefined => (items.length === 0 ? undefined : items[n % items.length]);
  const keys = () => [...head.keys()].sort();
  const rename = (from: string, to: string, asDeleteAdd: boolean) => {
    if (head.has(to)) return;
    head.set(to, head.get(from)!);
    head.delete(from);
    const original = renames.get(from) ?? from;
    renames.delete(from);
    if (base.has(original) && !head.has(original)) {
      renames.set(to, original);
      if (!asDeleteAdd) pairAsRename.add(to);
      else pairAsRename.delete(to);
    }
  };
  const models = (suffix: string) => keys().filter((k) => k.startsWith(`${projectDir}/`) && k.endsWith(suffix) && !k.includes(macroDir) && !k.includes(packageDir));
  const names = () => models(".sql").map((k) => k.slice(k.lastIndexOf("/") + 1, -4));
  for (const e of edits) {
    switch (e.op) {
      case "pause": {
        const m = pick(models(".sql"), e.pick);
        if (m) rename(m, `${m}.skip`, e.asDeleteAdd);
        break;
      }
      case "restore": {
        const m = pick(models(".sql.skip"), e.pick);
        if (m) rename(m, m.slice(0, -5), e.asDeleteAdd);
        break;
      }
      case "move": {
        const m = pick([...models(".sql"), ...models(".yml").filter((k) => !k.endsWith("dbt_project.yml"))], e.pick);
        if (m) rename(m, m.replace(/\/([^/]+)$/, "/moved/$1"), e.asDeleteAdd);
        break;
      }
      case "delete": {
        const m = pick(keys(), e.pick);
        if (m) head.delete(m);
        break;
      }
      case "add-model": {
        const ref = pick(names(), e.pick2) ?? "nothing";
        const paused = e.pick % 3 === 0;
        head.set(`${projectDir}/${pick(models(".sql"), e.pick)?.split("/").slice(1, -1).join("/") ?? "models"}/added_${e.pick}.sql${paused ? ".skip" : ""}`, `select * from {{ ref('${ref}') }}\n`);
        break;
      }
      case "edit-model": {
        const m = pick([...models(".sql"), ...models(".sql.skip")], e.pick);
        const ref = e.pick2 % 4 === 0 ? "no_such_model" : (pick(names(), e.pick2) ?? "x");
        if (m) head.set(m, `${head.get(m)}\n-- depends_on: {{ ref('${ref}') }}\n`);
        break;
      }
      case "edit-yaml": {
        const y = pick(
          keys().filter((k) => /\.ya?ml$/.test(k) && !k.endsWith("dbt_project.yml") && !k.includes(packageDir)),
          e.pick,
        );
        if (!y) break;
        const text = head.get(y)!;
        // Cut the file short (a table, a model or a whole source goes; possibly invalid YAML), or add to it.
        head.set(y, e.pick2 % 2 === 0 ? text.slice(0, Math.floor((text.length * (e.pick2 % 7)) / 8)) : `${text}\n# edited ${e.pick2}\n`);
        break;
      }
      case "edit-state": {
        const d = pick(
          keys().filter((k) => k.endsWith("_STATE.md")),
          e.pick,
        );
        if (!d) break;
        const lines = head.get(d)!.split("\n");
        lines.splice(e.pick2 % lines.length, 1);
        head.set(d, lines.join("\n"));
        break;
      }
      case "edit-macro": {
        const m = pick(
          keys().filter((k) => k.includes(`/${macroDir}/`) && !k.includes(packageDir)),
          e.pick,
        );
        const ref = pick(names(), e.pick2) ?? "x";
        if (m)
          head.set(
            m,
            head
              .get(m)!
              .replace(/ref\('([^']+)'\)/, `ref('${ref}')`)
              .replace(/ref\(([a-z_]+)\)/, e.pick2 % 2 ? "ref('no_such_model')" : "ref($1)"),
          );
        break;
      }
      case "edit-package": {
        // A package macro that refs another model (or none that exists), or a new one.
        const m =
          pick(
            keys().filter((k) => k.includes(packageDir) && /ref\('/.test(head.get(k)!)),
            e.pick,
          ) ??
          pick(
            keys().filter((k) => k.includes(packageDir)),
            e.pick,
          );
        const ref = e.pick2 % 3 === 0 ? "no_such_model" : (pick(names(), e.pick2) ?? "x");
        if (m && /ref\('/.test(head.get(m)!)) head.set(m, head.get(m)!.replace(/ref\('[^']+'\)/, `ref('${ref}')`));
        else if (m) head.set(m, `${head.get(m)}\n{% macro added_${e.pick2}() %}{{ return(ref('${ref}')) }}{% endmacro %}\n`);
        break;
      }
      case "edit-project": {
        // A var the models read set to another model (a `ref(var('x', 'default'))` then names it), or a comment.
        const p = `${projectDir}/dbt_project.yml`;
        const vars = [...new Set([...head.values()].flatMap((t) => [...t.matchAll(/var\('([a-z_]+)'/g)].map((v) => v[1]!)))].sort();
        const v = pick(vars, e.pick);
        if (!head.has(p)) break;
        if (v === undefined || e.pick2 % 4 === 0) head.set(p, `${head.get(p)}\n# edited ${e.pick2}\n`);
        else head.set(p, `${head.get(p)}\nvars:\n  ${v}: '${e.pick2 % 3 === 0 ? "no_such_model" : (pick(names(), e.pick2) ?? "x")}'\n`);
        break;
      }
      case "dbtignore": {
        const m = pick(models(".sql"), e.pick);
        if (m) head.set(`${projectDir}/.dbtignore`, `${head.get(`${projectDir}/.dbtignore`) ?? ""}\n${m.slice(projectDir.length + 1)}\n`);
        break;
      }
      case "readd": {
        // A file renamed away and a new one in its place.
        const m = pick(models(".sql"), e.pick);
        if (m && !head.has(`${m}.skip`)) {
          rename(m, `${m}.skip`, false);
          head.set(m, "select 1 as readded\n");
        }
        break;
      }
    }
  }
  const changes: ChangedFile[] = [];
  const paired = new Set<string>();
  for (const [to, from] of renames) {
    if (!pairAsRename.has(to) || !head.has(to) || head.has(from)) continue;
    changes.push({ status: "R", from, path: to });
    paired.add(to);
    paired.add(from);
  }
  for (const [path, text] of head) {
    if (paired.has(path)) continue;
    if (!base.has(path)) changes.push({ status: "A", path });
    else if (base.get(path) !== text) changes.push({ status: "M", path });
  }
  for (const path of base.keys()) if (!head.has(path) && !paired.has(path)) changes.push({ status: "D", path });
  return { head, changes };
}

const OPS = ["pause", "restore", "move", "delete", "add-model", "edit-model", "edit-yaml", "edit-state", "edit-macro", "edit-package", "edit-project", "dbtignore", "readd"];
// Most PRs touch models, YAML and state documents; the project-wide changes come less often.
const editArb = fc.record({
  op: fc.oneof({ weight: 6, arbitrary: fc.constantFrom("pause", "restore", "move", "delete", "add-model", "edit-model", "edit-yaml", "edit-state", "readd") }, { weight: 1, arbitrary: fc.constantFrom(...OPS) }),
  pick: fc.nat(100_000),
  pick2: fc.nat(100_000),
  asDeleteAdd: fc.boolean(),
});

async function checkDerivation(base: Tree, applied: Applied, config: UnskipConfig, checkHead: boolean): Promise<PullRequestStatus["baseScan"] | "head-unreadable"> {
  const baseFiles = memorySource(base);
  const run = pullRequestStatus({ head: memorySource(applied.head), base: baseFiles, changes: applied.changes, config });
  const headAlone = await fullBase(applied.head, config);
  if ("unavailable" in headAlone) {
    // A head dbt-unskip cannot read fails the run, as before.
    await expect(run).rejects.toThrow(headAlone.unavailable);
    return "head-unreadable";
  }
  const derived = await run;
  expect(derived.base).toStrictEqual(await fullBase(base, config));
  if (checkHead) expect(derived.head.reports).toStrictEqual(headAlone.reports);
  if (derived.baseScan.kind === "derived") {
    // Only what the PR changes is read from the base.
    const changed = new Set(applied.changes.flatMap((c) => [c.path, ...(c.from ? [c.from] : [])]));
    expect(baseFiles.reads.filter((p) => !changed.has(p))).toEqual([]);
  }
  return derived.baseScan;
}

function kindOf(scan: PullRequestStatus["baseScan"] | "head-unreadable"): string {
  if (scan === "head-unreadable") return scan;
  return scan.kind === "full" ? "full" : scan.reextracted.length > 0 ? "reextracted" : "derived";
}

describe("the base derived from the head equals a full scan of the base", () => {
  let root: string;
  let generated: Tree;
  let generatedConfig: UnskipConfig;
  let example: Tree;
  let exampleConfig: UnskipConfig;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), "pr-status-"));
    generateProject({ dir: root, models: 80, seed: 17, shape: "real", dimensions: 4 });
    generated = readTree(root);
    generatedConfig = await loadConfig(memorySource(generated));
    example = readTree(join(__dirname, "../../examples/warehouse-migration"));
    exampleConfig = await loadConfig(memorySource(example));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("on a generated real-shaped project (with a package), for random change sets", async () => {
    const kinds: Record<string, number> = { derived: 0, reextracted: 0, full: 0, "head-unreadable": 0 };
    let run = 0;
    await fc.assert(
      // Each run starts with a project-wide change one time in two (the example's runs cover the mix).
      fc.asyncProperty(fc.constantFrom(null, null, null, "edit-macro", "edit-package", "edit-project"), fc.array(editArb, { minLength: 1, maxLength: 8 }), async (first, rest) => {
        const edits = first === null ? rest : [{ op: first, pick: rest[0]!.pick2, pick2: rest[0]!.pick, asDeleteAdd: false }, ...rest];
        const scan = await checkDerivation(generated, applyEdits(generated, edits, "warehouse", "macros", "dbt_packages"), generatedConfig, run++ % 4 === 0);
        kinds[kindOf(scan)]!++;
      }),
      { numRuns: 20, seed: 1717 },
    );
    // The runs exercised every path, most of them the derived one.
    expect(kinds.derived).toBeGreaterThan(6);
    expect(kinds.reextracted).toBeGreaterThan(2);
    expect(kinds.full).toBeGreaterThan(1);
  });

  it("on the bundled example, for random change sets", async () => {
    const kinds: Record<string, number> = { derived: 0, reextracted: 0, full: 0, "head-unreadable": 0 };
    await fc.assert(
      fc.asyncProperty(fc.array(editArb, { minLength: 1, maxLength: 10 }), async (edits) => {
        const scan = await checkDerivation(example, applyEdits(example, edits, "dbt", "macros", "dbt_packages"), exampleConfig, true);
        kinds[kindOf(scan)]!++;
      }),
      { numRuns: 150, seed: 1718 },
    );
    expect(kinds.derived).toBeGreaterThan(70);
    expect(kinds.reextracted).toBeGreaterThan(5);
    expect(kinds.full).toBeGreaterThan(5);
  });

  it("a change left out of the list shows: the comparison can tell a wrong base", async () => {
    // A pause the derivation is not told of: the derived base is the head, which differs.
    const head = new Map(example);
    const model = "dbt/transform/silver/master/mas_users.sql";
    head.set(`${model}.skip`, head.get(model)!);
    head.delete(model);
    const derived = await pullRequestStatus({ head: memorySource(head), base: memorySource(example), changes: [], config: exampleConfig });
    expect(derived.base).not.toStrictEqual(await fullBase(example, exampleConfig));
  });

  it("the derived files: renamed away and added again reads the base's; an added file is hidden; listing and glob agree", async () => {
    const base: Tree = new Map([
      ["p/a.sql", "a"],
      ["p/b.sql", "b"],
      ["p/c.sql", "c"],
      ["d/X/X_STATE.md", "x"],
    ]);
    const head: Tree = new Map([
      ["p/a.sql.skip", "a"],
      ["p/a.sql", "new a"],
      ["p/b.sql", "b2"],
      ["p/n.sql", "n"],
      ["d/Y/Y_STATE.md", "y"],
    ]);
    const changes: ChangedFile[] = [
      { status: "R", from: "p/a.sql", path: "p/a.sql.skip" },
      { status: "A", path: "p/a.sql" },
      { status: "M", path: "p/b.sql" },
      { status: "D", path: "p/c.sql" },
      { status: "A", path: "p/n.sql" },
      { status: "R", from: "d/X/X_STATE.md", path: "d/Y/Y_STATE.md" },
    ];
    const files = derivedBaseFileSource(memorySource(head), memorySource(base), changes);
    expect(await files.list("p")).toEqual(["p/a.sql", "p/b.sql", "p/c.sql"]);
    expect(await files.list("")).toEqual([...base.keys()].sort());
    expect(await files.glob(["d/*/*_STATE.md"])).toEqual(["d/X/X_STATE.md"]);
    for (const [path, text] of base) expect(await files.read(path)).toEqual({ kind: "text", text });
    expect(await files.read("p/n.sql")).toBeNull();
    expect(await files.read("p/a.sql.skip")).toBeNull();
  });

  it("with the head's properties YAML read on a worker thread (the Action's path): the same report, head and base, as without", async () => {
    const worker = await buildWorkerBundle('import "./src/adapters/threads/propertiesWorker.ts";');
    try {
      // A low threshold instead of a 2 MB project: every run starts the real worker.
      const thread = propertiesThread({ workerFile: worker.path, minBytes: 1 });
      let prepared = 0;
      let fromAhead = 0;
      const prepareHead: PrepareBuild = async (snapshot, parse) => {
        const hooks = await thread(snapshot, parse);
        const properties = hooks?.properties;
        if (!properties) return hooks;
        prepared++;
        return {
          ...hooks,
          properties: (text, path) => {
            fromAhead++;
            return properties(text, path);
          },
        };
      };
      const kinds: Record<string, number> = { derived: 0, reextracted: 0, full: 0, "head-unreadable": 0 };
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(null, null, "edit-macro", "edit-project"), fc.array(editArb, { minLength: 1, maxLength: 8 }), async (first, rest) => {
          const edits = first === null ? rest : [{ op: first, pick: rest[0]!.pick2, pick2: rest[0]!.pick, asDeleteAdd: false }, ...rest];
          const applied = applyEdits(generated, edits, "warehouse", "macros", "dbt_packages");
          const input = { base: memorySource(generated), changes: applied.changes, config: generatedConfig };
          const plain = await pullRequestStatus({ ...input, head: memorySource(applied.head) }).catch((e: unknown) => e);
          const ahead = await pullRequestStatus({ ...input, head: memorySource(applied.head), prepareHead }).catch((e: unknown) => e);
          if (plain instanceof UserError) {
            expect(ahead).toStrictEqual(plain);
            kinds["head-unreadable"]!++;
            return;
          }
          expect(JSON.stringify(ahead)).toBe(JSON.stringify(plain));
          expect(ahead).toStrictEqual(plain);
          kinds[kindOf((plain as PullRequestStatus).baseScan)]!++;
        }),
        { numRuns: 12, seed: 1719 },
      );
      // The worker answered the head's properties files in the runs (its readings then served the derived bases).
      expect(prepared).toBeGreaterThan(8);
      expect(fromAhead).toBeGreaterThan(prepared * 5);
      expect(kinds.derived).toBeGreaterThan(3);
    } finally {
      await worker.cleanup();
    }
  });
});
