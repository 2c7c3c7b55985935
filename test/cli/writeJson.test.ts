import { describe, expect, it } from "vitest";
import { writeJson } from "../../src/cli/writeJson.js";

// writeJson writes what `${JSON.stringify(value, null, 2)}\n` is, in pieces (BENCHMARKS.md, finding 22).

function written(value: unknown): { text: string; pieces: string[] } {
  const pieces: string[] = [];
  writeJson((text) => pieces.push(text), value);
  return { text: pieces.join(""), pieces };
}

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

class Point {
  constructor(
    public x: number,
    public y: number,
  ) {}
}

function randomValue(random: () => number, depth: number): unknown {
  const leaves: (() => unknown)[] = [
    () => Math.floor(random() * 1000) - 500,
    () => random() * 1e6,
    () => [Number.NaN, Number.POSITIVE_INFINITY, -0, 1e21, 5e-324][Math.floor(random() * 5)],
    () => ["", "plain", 'quote " back \\ slash', "line\nbreak\ttab\r", "é€ \u{1F600}", "\ud800 lone", "\u2028\u2029", "<script>"][Math.floor(random() * 8)],
    () => random() < 0.5,
    () => null,
    () => undefined,
    () => () => 1,
    () => Symbol("s"),
    () => new Date(Math.floor(random() * 2e12)),
    () => new Map([[1, 2]]),
    () => new Point(1, 2),
    () => ({ toJSON: () => ({ made: "by toJSON", list: [1, undefined] }) }),
    () => Object.assign(Object.create(null), { bare: 1 }),
  ];
  if (depth > 5 || random() < 0.3) return leaves[Math.floor(random() * leaves.length)]!();
  const size = random() < 0.15 ? 0 : Math.floor(random() * 6);
  if (random() < 0.5) return Array.from({ length: size }, () => randomValue(random, depth + 1));
  const record: Record<string, unknown> = {};
  for (let i = 0; i < size; i++) record[["id", "name", 'key "q"', "1", "é", "__proto_", "models"][Math.floor(random() * 7)]! + i] = randomValue(random, depth + 1);
  return record;
}

describe("writeJson", () => {
  it("writes JSON.stringify(value, null, 2) and a line break: 5,000 random values, every kind JSON.stringify meets", () => {
    const random = seeded(20261207);
    for (let i = 0; i < 5_000; i++) {
      const value = randomValue(random, 0);
      expect(written(value).text).toBe(`${JSON.stringify(value, null, 2)}\n`);
    }
  });

  it("edge values: empty containers, members all left out, sparse arrays, top-level primitives and undefined", () => {
    const sparse = [1, 2, 3];
    delete sparse[1]; // a hole: JSON.stringify writes null
    const values: unknown[] = [{}, [], { a: undefined, b: () => 1 }, [undefined, () => 1, Symbol("x")], sparse, { a: { b: { c: { d: { e: [] } } } } }, [[[[[{}]]]]], 1, "text", null, undefined, true, new Date(0)];
    for (const value of values) expect(written(value).text).toBe(`${JSON.stringify(value, null, 2)}\n`);
  });

  it("a report-sized value goes in pieces of about 64 kB, never as one string", () => {
    const models = Array.from({ length: 5_000 }, (_, i) => ({
      name: `model_${i}`,
      file: `models/m_${i}.sql.skip`,
      status: "blocked",
      dependencies: [{ type: "ref", name: `up_${i}`, status: "paused", line: 3, via: null }],
      reasons: [],
    }));
    const value = { project: { name: "p" }, models, problems: [] };
    const { text, pieces } = written(value);
    expect(text).toBe(`${JSON.stringify(value, null, 2)}\n`);
    expect(pieces.length).toBeGreaterThan(10);
    expect(Math.max(...pieces.map((p) => p.length))).toBeLessThan(70 * 1024);
  });
});
