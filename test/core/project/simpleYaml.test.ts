import fc from "fast-check";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import { PYYAML_OPTIONS } from "../../../src/core/project/pyYaml.js";
import { parseYamlDocument, parseYamlDocumentFullPath } from "../../../src/core/project/parseYamlDocument.js";
import { readSimpleYaml } from "../../../src/core/project/simpleYaml.js";
import { generateProject } from "../../bench/generateProject.js";
import { randomYaml } from "../../helpers/randomYaml.js";
import { assertSeededThenFresh } from "../../helpers/seededCounts.js";
import { YAML_REFUSES_WHAT_PYYAML_READS } from "../../helpers/yamlDepartures.js";
import { yamlFilesUnder } from "../../helpers/yamlFilesUnder.js";

// The fast YAML reader must give exactly what `yaml` read as PyYAML (pyYaml.ts: YAML 1.1, as dbt
// reads it) gives for everything it accepts, and accept nothing that reports an error for.

function viaYaml(text: string): { errors: string[]; value: unknown } {
  const doc = parseDocument(text, PYYAML_OPTIONS);
  return { errors: doc.errors.map((e) => e.message), value: doc.errors.length === 0 ? doc.toJS({ maxAliasCount: 1000 }) : undefined };
}

/**
 * Accepted ⇒ same value as `yaml` (strictly: -0, key order, types), and `yaml` sees no error, except
 * where `yaml` itself departs from PyYAML in its one named way (a comment or less indented line
 * before a key's value): there the reader's value is PyYAML's, which yamlTruth.int.test.ts checks
 * against the real PyYAML (its fixed cases hold the text this test found).
 */
function expectAgrees(text: string): boolean {
  const fast = readSimpleYaml(text);
  if (fast === null) return false;
  const reference = viaYaml(text);
  if (reference.errors.length > 0 && reference.errors.every((message) => YAML_REFUSES_WHAT_PYYAML_READS.test(message))) return true;
  expect(reference.errors, text).toEqual([]);
  expect(fast.value, text).toStrictEqual(reference.value);
  expect(JSON.stringify(fast.value), text).toBe(JSON.stringify(reference.value));
  return true;
}

describe("readSimpleYaml", () => {
  const accepted = [
    "",
    "# only a comment\n\n",
    "version: 2\n",
    "a: 1\nb: -3\nc: +4\nd: -0\ne: true\nf: False\ng: ~\nh: null\ni:\nj: NULL\nk: yes\nl: no\nm: on\nn: Off\no: YES\np: y\nq: n\nr: oN\ns: 08\n",
    "a: 'it''s'\nb: \"x # not a comment\"\nc: plain # a comment\nd: 'q' # c\ne: a#b\nf: http://x.y/z\ng: 1st\nh: 12:70\ni: 1e3\nj: 2024-1-1\n",
    'models:\n  - name: m\n    description: "d"\n    columns:\n      - name: id\n        data_tests:\n          - unique\n          - not_null\n',
    "models:\n- name: m\n  config:\n    tags: ['a', \"b\", c]\n    enabled: false\n- name: n\n",
    "list: []\nmap: {}\nseqs:\n- - a\n  - - b\n- -   c\n  - d\nempty_item:\n  -\n  - x\n  - \nnested:\n  -   name: wide\n      v: 1\n",
    "key:   value   \nother: 'x'   \n",
    "a:\n  b:\n    c: [1, true, null, x y]\n",
    '+tags: x\nmodel-paths: ["transform"]\nsnake_case.dot-dash: 1\n',
    "   indented: 1\n   doc: 2\n",
    "just a scalar\n",
    "a:\n  []\nb:\n  {}\nc:\n    x # c\nd:\n  'q'\n",
    "a: 1\r\nb:\r\n  - x\r\n",
    "a:\n\n  # comment between\n\n  b: 1\n",
    "big: 123456789012345678901234567890\n",
    "unicode: ünïcødé ✓\n",
    "nbsp: x\u00a0\n",
    "- - a\n  -\n",
    "dash: -x\nneg: -3\nlist: [-1, -y]\n",
  ];
  it.each(accepted)("reads %j exactly as yaml does", (text) => {
    expect(expectAgrees(text)).toBe(true);
  });

  // Outside the subset (or not valid YAML): handed to `yaml`.
  const handedOver = [
    "a: &x 1\nb: *x\n",
    "a: !!str 1\n",
    "a: |\n  text\n",
    "a: >-\n  text\n",
    "a: plain\n  continued\n",
    "a: 'multi\n  line'\n",
    'a: "esc\\n"\n',
    "a: {b: 1}\n",
    "a: [1,\n  2]\n",
    "a: [x, ]\n",
    "a: [[1]]\n",
    "a: 1.5\n",
    "a: 0x1F\n",
    "a: .inf\n",
    "a: 007\n",
    "a: 12:30\n",
    "a: 1_000\n",
    "a: 0b101\n",
    "a: 2024-01-01\n",
    "a: =\n",
    "on: 1\n",
    "No: 1\n",
    "a: - x\n",
    "a: -\n",
    "---\na: 1\n",
    "%YAML 1.1\n---\na: yes\n",
    "a: 1\na: 2\n",
    '"quoted key": 1\n',
    "key with space: 1\n",
    "true: 1\n",
    "__proto__: 1\n",
    "<<: 1\n",
    "a:\tb\n",
    "a: b: c\n",
    "a: b:\n",
    "- a\nb: 1\n",
    "a: 1\n  b: 2\n",
    "a:\n    b: 1\n  c: 2\n",
    "? a\n: b\n",
    "a: 'x'y\n",
    "a: 'x'#c\n",
    "just a scalar\n  continued\n",
    "a:\n  x\n  y\n",
    "a: x\rb: y\n",
    "\ufeffa: 1\n",
  ];
  it.each(handedOver)("hands %j to yaml", (text) => {
    expect(readSimpleYaml(text)).toBeNull();
  });

  it("parseYamlDocument gives the same data and the same problems as its full path alone", () => {
    for (const text of [...accepted, ...handedOver]) expect(parseYamlDocument(text, "f.yml"), text).toStrictEqual(parseYamlDocumentFullPath(text, "f.yml"));
  });

  // Random documents in the shapes dbt properties files take (test/helpers/randomYaml.ts), some damaged.
  const { decorated, damaged } = randomYaml({ blockScalars: false, sharedValues: false });

  it("agrees with yaml on random documents", () => {
    let read = 0;
    assertSeededThenFresh(
      fc.property(decorated, (text) => {
        if (expectAgrees(text)) read++;
      }),
      { numRuns: 2000, seed: 20261207 },
      () => expect(read).toBeGreaterThan(200), // the subset is exercised, not only the hand-over
    );
  });

  it("reads PyYAML's value where `yaml` departs from it (a comment line at column 0 before a key's value)", () => {
    const text = 'data_tests:\n    \n#c\n -10000000\nmodel-paths: "~"\n';
    expect(viaYaml(text).errors.length).toBeGreaterThan(0);
    // PyYAML 6 (the pinned dbt's): {'data_tests': -10000000, 'model-paths': '~'}; yamlTruth.int.test.ts holds the same text.
    expect(readSimpleYaml(text)?.value).toStrictEqual({ data_tests: -10000000, "model-paths": "~" });
  });

  it("agrees with yaml on damaged documents (accepts only what yaml reads without error)", () => {
    fc.assert(
      fc.property(damaged, (text) => {
        expectAgrees(text);
      }),
      { numRuns: 3000 },
    );
  });
});

describe("readSimpleYaml on real projects", () => {
  const scratch = mkdtempSync(join(tmpdir(), "dbt-unskip-simple-yaml-"));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it("the benchmark's generated project: reads every YAML file itself, as yaml does", () => {
    const project = generateProject({ dir: join(scratch, "bench"), models: 1500, seed: 20261121 });
    const files = yamlFilesUnder(project.dir);
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) expect(expectAgrees(readFileSync(file, "utf8")), file).toBe(true);
  });

  it("the repository's own YAML (examples, fixtures, workflows): agrees wherever it reads", () => {
    const root = join(import.meta.dirname, "..", "..", "..");
    const files = ["examples", "test", ".github"].flatMap((d) => yamlFilesUnder(join(root, d)));
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) expectAgrees(readFileSync(file, "utf8"));
  });
});
