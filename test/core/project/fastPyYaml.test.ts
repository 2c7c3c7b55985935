import fc from "fast-check";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_SCHEMA, type Schema } from "js-yaml";
import { afterAll, describe, expect, it } from "vitest";
import { readFastPyYaml } from "../../../src/core/project/fastPyYaml.js";
import { parseYamlDocument, parseYamlDocumentFullPath } from "../../../src/core/project/parseYamlDocument.js";
import { generateProject } from "../../bench/generateProject.js";
import { CORPUS_DIR } from "../../helpers/corpus.js";
import { randomYaml } from "../../helpers/randomYaml.js";
import { assertSeededThenFresh } from "../../helpers/seededCounts.js";
import { yamlFullPath } from "../../helpers/yamlFullPath.js";
import { yamlFilesUnder } from "../../helpers/yamlFilesUnder.js";

// The js-yaml tier (fastPyYaml.ts) must give exactly what the full path (`yaml` read as PyYAML,
// bounded) gives for everything it accepts, and accept nothing the full path refuses.

const fullPath = yamlFullPath;

/** Accepted ⇒ the full path reads it without error, to the same value (types, -0, NaN, dates, key order). */
function expectAgrees(text: string, schema?: Schema): boolean {
  const fast = readFastPyYaml(text, schema);
  if (fast === null) return false;
  const reference = fullPath(text);
  expect(reference, text).not.toHaveProperty("error");
  expect(fast.value, text).toStrictEqual((reference as { value: unknown }).value);
  expect(JSON.stringify(fast.value), text).toBe(JSON.stringify((reference as { value: unknown }).value));
  return true;
}

describe("readFastPyYaml", () => {
  const accepted = [
    "a: >\n  folded\n  text\n\n  new para\nb: |\n  literal\n   more\n",
    "a: >-\n  x\n  y\nb: |+\n  keep\n\nc: |-\n  strip\n",
    "models:\n  - name: m\n    description: >\n      long text; with: colons, 'quotes' and \"doubles\"\n      over lines\n    meta: &o {owner: 'a@b.c', layer: x}\n    columns:\n      - name: id\n        data_tests: &t\n          - unique\n          - not_null\n  - name: n\n    meta: {<<: *o, reviewed: false}\n    columns:\n      - name: id\n        data_tests: *t\n",
    "base: &b\n  x: 1\n  y: 2\nover:\n  <<: *b\n  y: 3\nunder:\n  y: 3\n  <<: *b\nboth:\n  <<: [*b, {z: 1, x: 9}]\n",
    "f: {a: 1, b: [x, 'y', \"z\"], c: {d: null}}\n",
    "a: plain\n  continued on\n  lines\n",
    "- &s [scalar]\n- *s\n- [*s, *s]\n",
    "'quoted key': 1\n\"other\": 2\n",
    "a: 1.5\nb: -2.5e+3\nc: .5\nd: 42\ne: -7\nf: +3\ng: 0\nh: y\ni: n\nj: ~\nk: null\nl: True\nm: FALSE\nn: 1.\no: 'yes'\np: [true, 2, 3.5, x]\n",
    "a: ~\nd:\ne: ''\nf: 'it''s'\ng: {h: NULL, i: Null}\n",
    "",
    "# only\n",
    "---\na: 1\n",
    "a: 1\n...\n",
    "a: &x {k: [1, 2]}\nb: [*x, {c: 1}, [2]]\nc: {d: [1], e: {f: 2}}\n",
    "- [x]\n- {y: 1}\n",
    "a: &x {k: 1}\nb: {c: *x}\nd: [&y {e: 1}, *y]\n",
  ];
  it.each(accepted)("reads %j exactly as the full path does", (text) => {
    const read = expectAgrees(text);
    // Every case but the trivial ones must be read by this tier (else the test checks nothing).
    if (text.trim() !== "" && !text.startsWith("#")) expect(read, text).toBe(true);
  });

  const handedOver = [
    "a: !!str 1\n",
    "a: !custom x\n",
    "%YAML 1.1\n---\na: 1\n",
    "? complex\n: key\n",
    "[a, b]: c\n",
    "{a: 1}: c\n",
    '- {"data_tests": [[{"data_tests": "False", "name": "A\'0\'/- )/\'"}, 1000000000, "A-0"]:, \'A" (,a,(\']}\n\n  # c\n# c\n',
    "[[x]:, y]\n",
    'a: "esc\\n"\n',
    "a: 'back\\slash'\n",
    "a:\tb\n",
    "\ufeffa: 1\n",
    "1: a\n",
    "on: a\n",
    "null: a\n",
    "2024-01-01: a\n",
    "1.5: a\n",
    "__proto__: a\n",
    "a: 1\na: 2\n",
    "- &s scalar\n- *s\n",
    "d: >2\n    indented\n",
    "|1-\n  indented\nline\n",
    ">-\n  \n   \n  # c\n",
    "{\n  a: 1,\n  b: 2\n# c\n}\n",
    "a: 'x\n  y'\n",
    "m: {<<: *x}\n",
    "x: &x [1]\nm:\n  <<: *x\n",
    "m:\n  <<: [{a: 1}, 2]\n",
    "m:\n  '<<': {a: 1}\n",
    ".inf: a\n",
    "1e+30: a\n",
    "a: 2023-02-30\n",
    "a: *missing\n",
    "a: 1\n---\nb: 2\n",
    "a: [1\n",
    "a: b: c\n",
    // Found by the damaged-documents property: js-yaml continues a sequence after an empty entry
    // with a less indented `- ` line (`yaml` refuses the document), ...
    "a:\n  - x\n  -\n - y\n",
    '\n# c\n\na.b:\n  - - name: -100000000\n    - config:\n        name: a_,\n        tables: 4.944624090302381e-249\n      enabled:\n        name: "017"\n        description: false\n        tables: a,_,(\n    -\n   - - yes\n      - - 3.933958825868332e-9\n        - 100000000\n',
    // ... and stores `{}` for an anchor on a block scalar written on the next line (`*a1` read as `{}`).
    "a.b_s: &a1\n >-\n   - 0\nname_s: *a1\n",
    '   \ncolumns_s: &a1\n   >-\n    +schema: ""\n    "": {}\n<<_s: *a1\nname_s: *a1\n',
    "a: &x\n  |\n  text\nb: *x\n",
    // ... and keys a flow collection or an alias written as a key without `:` as `[object Object]` (or `x` for `[x]`).
    "{ mode, {} } #<<: ",
    "  # c\n{ name:, {} }\n",
    "{a: 1, [x]}\n",
    "- {a, [1, 2]}\n",
    "   # c\n{ name_s: &a1 { description: [] }, <<_, *a1 }\n",
    "{&#me: {} }\n",
    // ... and an anchor name run into a flow indicator (`yaml` refuses).
    "  \n&a-{}\n\n",
    // ... and a keep-chomped block scalar ending in a line of spaces (js-yaml adds a line break).
    '\n\nname:\n  sources: false\n  name:\n    name:\n      name: a\n      description: A\n  tags: A\n  " ": |+\n    a\n\n\n\n   ',
    "a:\n  b: |+\n    x\n   ",
    // ... and a block scalar as the document: `yaml` reads `#  {}` as its content (PyYAML and js-yaml: a comment).
    "  >   \n#  {}\n",
    // ... and a plain scalar led by `:` in a flow collection (PyYAML refuses it; found by yamlTruth.int.test.ts).
    "{:&- }\n",
    "a: [:x]\n",
    // ... and a block scalar running to the end of a text with no final line break (js-yaml adds one, PyYAML does not).
    "a: |\n  x\n  y",
    "m:\n  - n: 1\n    d: >-\n      t\n  - n: 2\n    d: |\n      u",
    "<<: {a: 1}\nb: # c\n  |\n  x",
    `${"[".repeat(120)}${"]".repeat(120)}\n`,
    `${Array.from({ length: 110 }, (_, i) => `${" ".repeat(i)}k:`).join("\n")} 1\n`,
  ];
  it.each(handedOver)("hands %j to the full path", (text) => {
    expect(readFastPyYaml(text)).toBeNull();
  });

  // The structural guard: a plain scalar that PyYAML's YAML 1.1 and js-yaml's YAML 1.2 read
  // differently (or that PyYAML refuses) is never decided by this tier, whatever its resolvers: each
  // case is handed over with PyYAML's resolvers and with js-yaml's own (which would read it wrong).
  const yaml11 = {
    "1.1 booleans": ["a: yes\n", "a: No\n", "a: on\n", "a: OFF\n", "- [x, off]\n", "m: {enabled: no}\n", "yes: 1\n", "k:\n  - Yes\n"],
    octals: ["a: 017\n", "a: 0o17\n", "a: 09\n", "a: [010]\n"],
    sexagesimals: ["a: 12:30\n", "a: 1:30.5\n", "a: -1:00\n", "- {t: 190:20:30}\n"],
    "other 1.1 numbers": ["a: 1_000\n", "a: 0b101\n", "a: 0x1F\n", "a: 1e5\n", "a: 1.5e3\n", "a: .inf\n", "a: -.Inf\n", "a: .nan\n", "a: -0\n"],
    timestamps: ["a: 2024-01-01\n", "a: 2024-1-1 10:00:00 +02:00\n", "a: 2001-12-14t21:59:43.10-05:00\n", "a: [2024-01-01]\n"],
    "merge keys and values PyYAML refuses": ["a: <<\n", "- <<\n", "a: [<<]\n", "a: =\n", "a: {b: =}\n", "m:\n  <<: x\n"],
    "duplicate keys": ["a: 1\na: 2\n", "m: {a: 1, a: 2}\n", "a: 1\n'a': 2\n", "<<: {a: 1}\n<<: {b: 2}\n", "<<: {a: 1}\n<<: {a: 2}\n", "m:\n  <<: {a: 1}\n  <<: {a: 2}\n"],
  };
  describe.each(Object.entries(yaml11))("guard: %s", (_, texts) => {
    it.each(texts)("%j: handed to the full path, with PyYAML's resolvers and with js-yaml's own", (text) => {
      expect(readFastPyYaml(text)).toBeNull();
      expect(readFastPyYaml(text, DEFAULT_SCHEMA)).toBeNull();
    });
  });

  it("guard: with js-yaml's own YAML 1.2 resolvers the tier still reads only what the full path reads, alike", () => {
    const { decorated } = randomYaml({ blockScalars: true, sharedValues: true });
    let read = 0;
    fc.assert(
      fc.property(decorated, (text) => {
        if (expectAgrees(text, DEFAULT_SCHEMA)) read++;
      }),
      { numRuns: 1500, seed: 20261207 },
    );
    expect(read).toBeGreaterThan(200);
  });

  it("hands over a comment line before a key's plain value on a later line (the full path refuses it)", () => {
    // Found by the damaged-documents property. PyYAML (and js-yaml, and the plain reader of
    // simpleYaml.ts) read {b: x}; `yaml` says "Implicit keys need to be on a single line".
    for (const text of ["b:\n#c\n  x\nd: 1\n", "a:\n  b:\n#c\n    x\n  d: 1\n"]) {
      expect(fullPath(text), text).toHaveProperty("error");
      expect(readFastPyYaml(text), text).toBeNull();
    }
  });

  it("nested aliases (which the full path may refuse as a bomb) are handed over; flat ones are read", () => {
    // A chain of anchors each aliased in the next one's node: the full path refuses 10 links.
    const chain = (counts: number[]) => {
      const lines = ["a0: &a0 [x]"];
      counts.forEach((n, i) => {
        lines.push(`a${i + 1}: &a${i + 1} [${Array.from({ length: n }, () => `*a${i}`).join(", ")}]`);
      });
      return `${lines.join("\n")}\n`;
    };
    expect(fullPath(chain([1, 1, 1, 1, 1, 1, 1, 1, 1, 1]))).toHaveProperty("error");
    expect(readFastPyYaml(chain([1, 1, 1, 1, 1, 1, 1, 1, 1, 1]))).toBeNull();
    expect(readFastPyYaml(chain([1]))).toBeNull();
    expect(readFastPyYaml("a: &a scalar\nb: *a\n")).toBeNull();
    expect(readFastPyYaml("a: &a\nb: *a\n")).toBeNull();
    expect(readFastPyYaml("a: &a {b: &b [1]}\nc: *b\n")).toBeNull();
    // 499 uses of flat anchors (with merges) are read; the full path reads them too.
    const flat = (uses: number) => `t: &t [unique, not_null]\nm: &m {o: x}\n${Array.from({ length: uses }, (_, i) => (i % 2 ? `k${i}: *t` : `k${i}: {<<: *m, r: ${i}}`)).join("\n")}\n`;
    expect(expectAgrees(flat(499))).toBe(true);
    expect(readFastPyYaml(flat(500))).toBeNull();
  });

  it("parseYamlDocument answers as its full path alone for every case (value or problem)", () => {
    for (const text of [...accepted, ...handedOver]) expect(parseYamlDocument(text, "f.yml"), text).toStrictEqual(parseYamlDocumentFullPath(text, "f.yml"));
  });

  // Random documents in the shapes dbt properties files take (test/helpers/randomYaml.ts), some damaged.
  const { decorated, damaged } = randomYaml({ blockScalars: true, sharedValues: true });

  it("agrees with the full path on random documents", () => {
    let read = 0;
    assertSeededThenFresh(
      fc.property(decorated, (text) => {
        if (expectAgrees(text)) read++;
      }),
      { numRuns: 2000, seed: 20261207 },
      () => expect(read).toBeGreaterThan(200), // the tier is exercised, not only the hand-over
    );
  });

  it("agrees with the full path on damaged documents (accepts only what it reads without error)", () => {
    fc.assert(
      fc.property(damaged, (text) => {
        expectAgrees(text);
      }),
      { numRuns: 3000 },
    );
  });
});

describe("readFastPyYaml on real-shaped and real projects", () => {
  const scratch = mkdtempSync(join(tmpdir(), "dbt-unskip-fast-yaml-"));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it("the benchmark's real-shaped project: every YAML file read by a shortcut, as the full path reads it, and the same properties", () => {
    const project = generateProject({ dir: join(scratch, "real"), models: 1500, seed: 20261121, shape: "real" });
    const files = yamlFilesUnder(project.dir);
    let tier = 0;
    for (const file of files) {
      const text = readFileSync(file, "utf8");
      if (expectAgrees(text)) tier++;
      expect(parseYamlDocument(text, file), file).toStrictEqual(parseYamlDocumentFullPath(text, file));
    }
    // The properties files with block scalars, anchors and flow maps (most of the YAML) take this tier.
    expect(tier).toBeGreaterThan(files.length / 2);
  });

  it("the corpus projects' YAML: agrees wherever it reads, and parseYamlDocument answers as the full path", () => {
    const files = yamlFilesUnder(CORPUS_DIR);
    expect(files.length).toBeGreaterThan(50);
    let tier = 0;
    for (const file of files) {
      const text = readFileSync(file, "utf8");
      if (expectAgrees(text)) tier++;
      expect(parseYamlDocument(text, file), file).toStrictEqual(parseYamlDocumentFullPath(text, file));
    }
    expect(tier).toBeGreaterThan(0);
  });
});
