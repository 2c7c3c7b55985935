import fc from "fast-check";
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readFastPyYaml } from "../../../src/core/project/fastPyYaml.js";
import { parseYamlDocument } from "../../../src/core/project/parseYamlDocument.js";
import { readSimpleYaml } from "../../../src/core/project/simpleYaml.js";
import { generateProject } from "../../bench/generateProject.js";
import { CORPUS_DIR } from "../../helpers/corpus.js";
import { type PyYamlReading, readWithPyYaml, sameAsPyYaml } from "../../helpers/pyYamlTruth.js";
import { randomYaml } from "../../helpers/randomYaml.js";
import { yamlFullPath } from "../../helpers/yamlFullPath.js";

// The truth for every YAML reader of the engine is the pinned dbt's PyYAML (pyYamlTruth.ts). Each
// tier must read what PyYAML reads from the same text, or decline (the plain reader and the js-yaml
// tier) or refuse (the full path) exactly where PyYAML refuses; the engine (parseYamlDocument)
// must read a file as dbt does (stripped, then PyYAML). The caps of the full path (nesting, alias
// bombs) are refusals by design.

type Reading = { value: unknown } | null;
const BOUND = /nested more than|too many YAML aliases/;

const tiers: Record<string, (text: string) => Reading> = {
  simple: readSimpleYaml,
  fast: readFastPyYaml,
};

const fullPath = yamlFullPath;

const show = (r: PyYamlReading | { error: string } | { value: unknown } | { problem: { message: string } }) => JSON.stringify(r).slice(0, 300);

/** Every way a reader departs from PyYAML on these texts, one line each; and how many texts each tier read itself. */
function disagreements(texts: readonly string[]): { found: string[]; read: Record<string, number> } {
  const truth = readWithPyYaml(texts);
  const found: string[] = [];
  const read: Record<string, number> = { simple: 0, fast: 0 };
  texts.forEach((text, i) => {
    const { raw, dbt } = truth[i]!;
    for (const [name, tier] of Object.entries(tiers)) {
      const mine = tier(text);
      if (mine === null) continue;
      read[name]!++;
      if (!sameAsPyYaml(mine.value, raw)) found.push(`${name} ${JSON.stringify(text)}: ${show(mine)}, PyYAML ${show(raw)}`);
    }
    const full = fullPath(text);
    const fullAgrees = "error" in full ? "refused" in raw || BOUND.test(full.error) : sameAsPyYaml(full.value, raw);
    if (!fullAgrees) found.push(`full ${JSON.stringify(text)}: ${show(full)}, PyYAML ${show(raw)}`);
    const engine = parseYamlDocument(text, "f.yml");
    const engineAgrees = "problem" in engine ? "refused" in dbt || BOUND.test(engine.problem.message) : sameAsPyYaml(engine.value, dbt);
    if (!engineAgrees) found.push(`engine ${JSON.stringify(text)}: ${show(engine)}, dbt's PyYAML ${show(dbt)}`);
  });
  if (process.env.YAML_TRUTH_DUMP) appendFileSync(process.env.YAML_TRUTH_DUMP, found.map((f) => `${f}\n`).join(""));
  return { found, read };
}

const SEED = Number(process.env.YAML_TRUTH_SEED ?? Date.now() % 2 ** 31);

describe("every YAML tier against the pinned dbt's PyYAML", () => {
  it("fixed cases", () => {
    const { found } = disagreements(FIXED);
    expect(found).toEqual([]);
  });

  it(`random, damaged documents (seed ${SEED}; rerun with YAML_TRUTH_SEED=${SEED})`, () => {
    const plain = randomYaml({ blockScalars: false, sharedValues: false });
    const rich = randomYaml({ blockScalars: true, sharedValues: true });
    const texts = [
      ...fc.sample(plain.decorated, { numRuns: 1500, seed: SEED }),
      ...fc.sample(rich.decorated, { numRuns: 1500, seed: SEED + 1 }),
      ...fc.sample(plain.damaged, { numRuns: 1500, seed: SEED + 2 }),
      ...fc.sample(rich.damaged, { numRuns: 2500, seed: SEED + 3 }),
    ];
    const { found, read } = disagreements(texts);
    expect(found, `seed ${SEED}`).toEqual([]);
    expect(read.simple).toBeGreaterThan(300);
    expect(read.fast).toBeGreaterThan(300);
  });
});

describe("real-shaped and real projects' YAML against the pinned dbt's PyYAML", () => {
  const scratch = mkdtempSync(join(tmpdir(), "dbt-unskip-yaml-truth-"));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  const yamlFiles = (dir: string) =>
    (readdirSync(dir, { recursive: true, withFileTypes: true }) as import("node:fs").Dirent[])
      .filter((e) => e.isFile() && /\.ya?ml$/i.test(e.name) && !e.parentPath.includes("node_modules"))
      .map((e) => join(e.parentPath, e.name));

  it("the benchmark's real-shaped project and the corpus projects", () => {
    const project = generateProject({ dir: join(scratch, "real"), models: 1000, seed: 20261207, shape: "real" });
    const files = [...yamlFiles(project.dir), ...yamlFiles(CORPUS_DIR)];
    expect(files.length).toBeGreaterThan(150);
    const { found, read } = disagreements(files.map((f) => readFileSync(f, "utf8")));
    expect(found).toEqual([]);
    expect(read.fast).toBeGreaterThan(50);
  });
});

const FIXED = [
  // Block scalars running to the end of a text without a final line break (every stripped file that ends in one).
  "a: |\n  x\n  y",
  "a:\n  b: >\n    x\n# c",
  "a:\n  - |+\n    x",
  "a: |\n  # c\n# c",
  "m:\n  - n: 1\n    d: >-\n      t\n  - n: 2\n    d: |\n      u",
  "x: &a\n  k: |\n    v\ny: *a\nz: |\n  w",
  "<<: {a: 1}\nb: # c\n  |\n  x",
  "models:\n  - name: m\n    description: >\n      long\n      text",
  "",
  "# only\n",
  "a: 1\n",
  "b:\n#c\n  x\n",
  "a:\n  b:\n#c\n    x\n  d: 1\n",
  ">\n#c\n",
  "  >   \n#  {}\n",
  "a:\n  b: |+\n    x\n   ",
  "a:\n  - x\n  -\n - y\n",
  "a: &x\n  |\n  text\nb: *x\n",
  "{a: 1, [x]}\n",
  "[a, b]: c\n",
  "m:\n  a: 1\n  <<: {b: 2, a: 3}\n",
  "x: |\n  a\n#c\n",
  "   indented: 1\n   doc: 2\n",
  "a: 1\n...\n",
  "---\na: 1\n",
  "a: yes\nb: Off\nc: ~\nd:\ne: ''\nf: 'it''s'\n",
  "a: 1.5\nb: 0x1F\nc: .inf\nd: -.Inf\ne: .nan\nf: 007\ng: 12:30\nh: 1_000\ni: 0b101\nj: 2024-01-01\nk: 2024-1-1 10:00:00 +02:00\nm: y\nn: 1e5\n",
  "base: &b\n  x: 1\n  y: 2\nover:\n  <<: *b\n  y: 3\nunder:\n  y: 3\n  <<: *b\nboth:\n  <<: [*b, {z: 1, x: 9}]\n",
];
