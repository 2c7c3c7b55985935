import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { childrenOf, isShallow, type ExprNode } from "../../../src/core/refs/expressionAst.js";
import type { Instruction } from "../../../src/core/refs/instruction.js";
import { compileTemplate } from "../../../src/core/refs/templateCompiler.js";
import { generateProject } from "../../bench/generateProject.js";
import { CORPUS_DIR } from "../../helpers/corpus.js";

// `isShallow` walks the tree without building child arrays; it must say what the plain
// `childrenOf` walk says: a tree of depth d is shallow for every limit >= d and for no smaller one.

/** The depth of a tree by the `childrenOf` walk (1 for a leaf). */
function depthOf(root: ExprNode): number {
  let max = 0;
  const stack: [ExprNode, number][] = [[root, 1]];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const [node, depth] = item;
    max = Math.max(max, depth);
    for (const child of childrenOf(node)) stack.push([child, depth + 1]);
  }
  return max;
}

function expressionsOf(instructions: readonly Instruction[]): ExprNode[] {
  const nodes: ExprNode[] = [];
  for (const instruction of instructions) {
    for (const key of ["node", "cond", "iter", "filter"] as const) {
      const node = (instruction as Partial<Record<typeof key, ExprNode | null>>)[key];
      if (node) nodes.push(node);
    }
  }
  return nodes;
}

/** Checks every expression of the template at the limits around its depth; returns how many. */
function checkTemplate(text: string): number {
  const nodes = expressionsOf(compileTemplate(text).instructions);
  for (const node of nodes) {
    const depth = depthOf(node);
    expect(isShallow(node, depth), `depth ${depth}: ${text.slice(node.start, node.end)}`).toBe(true);
    expect(isShallow(node, depth + 1)).toBe(true);
    expect(isShallow(node, depth - 1), `depth ${depth} within ${depth - 1}: ${text.slice(node.start, node.end)}`).toBe(false);
  }
  return nodes.length;
}

function sqlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.sql(\.skip)?$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name));
}

describe("isShallow agrees with the childrenOf walk", () => {
  const scratch = mkdtempSync(join(tmpdir(), "dbt-unskip-expression-ast-"));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it("every kind of node, nested", () => {
    const texts = [
      "{{ x }}{{ 'a' }}{{ 1.5 }}{{ none }}{{ [1, [2, [3]]] }}{{ {'k': {'j': [v]}} }}{{ a.b.c }}{{ a[b[c]] }}{{ a[] }}",
      "{{ f(g(h(1)), k=m(n), *s, **t) }}{{ x | default(y | upper) }}{{ x is divisibleby(f(3)) }}{{ not -x }}",
      "{{ a ~ b ~ (c + (d * e)) }}{{ a if b else (c if d else e) }}{{ a if (b if c) }}{{ a, (b, (c, d)) }}",
      "{% if a and (b or not c) %}{% elif x %}{% endif %}{% for i in range(f(n)) if i > g(2) %}{% endfor %}{% set y = [[[[1]]]] %}",
      `{{ ${"[".repeat(60)}1${"]".repeat(60)} }}{{ ${"f(".repeat(45)}x${")".repeat(45)} }}{{ ${"-".repeat(80)}x }}`,
    ];
    let nodes = 0;
    for (const text of texts) nodes += checkTemplate(text);
    expect(nodes).toBeGreaterThan(20);
  });

  it("the generated projects' models and macros (both shapes)", () => {
    let nodes = 0;
    for (const shape of ["simple", "real"] as const) {
      const project = generateProject({ dir: join(scratch, shape), models: 300, seed: 20261121, pausedFraction: 0.1, shape });
      for (const file of sqlFiles(project.dir)) nodes += checkTemplate(readFileSync(file, "utf8"));
    }
    expect(nodes).toBeGreaterThan(1000);
  });

  it("the corpus projects' models and macros", () => {
    let nodes = 0;
    for (const file of sqlFiles(CORPUS_DIR)) nodes += checkTemplate(readFileSync(file, "utf8"));
    expect(nodes).toBeGreaterThan(1000);
  });
});
