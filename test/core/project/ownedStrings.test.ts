import { getHeapStatistics, setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { createStringOwner, ownString } from "../../../src/core/project/ownedStrings.js";

// ownString's copies: the same value, and only their own characters kept (BENCHMARKS.md, findings 17 and 22).

function randomText(random: () => number, length: number): string {
  const pools = ["abcdefghijklmnopqrstuvwxyz_0123456789", "é€ßøñ", "\u{1F600}\u{10FFFF}", "\n\t\r\\\"' ", "\ud800\udc00\udfff"];
  let out = "";
  while (out.length < length) {
    const pool = pools[Math.floor(random() * pools.length)]!;
    out += [...pool][Math.floor(random() * [...pool].length)]!;
  }
  return out;
}

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe("ownString", () => {
  it("gives back the same value: short, long, two-byte, lone surrogates, substrings and ropes", () => {
    const random = seeded(20261207);
    const cases = ["", "a", "twelve_chars", "thirteen_char", "é", "\u{1F600}".repeat(7), "\ud800".repeat(13)];
    for (let i = 0; i < 3_000; i++) {
      const parent = randomText(random, 50 + Math.floor(random() * 400));
      const start = Math.floor(random() * 40);
      cases.push(parent.slice(start, start + Math.floor(random() * 60)), parent, `${parent}${randomText(random, 20)}`);
    }
    for (const text of cases) {
      const copy = ownString(text);
      expect(copy).toBe(text);
      expect(copy.length).toBe(text.length);
    }
    const own = createStringOwner();
    const value = { name: cases[100]!, list: [cases[200]!, { deep: cases[300]! }], n: 3, nothing: null };
    expect(own(structuredClone(value))).toEqual(value);
  });

  it("keeps only the copies' characters: 100,000 names cut from 100 KB texts, the texts dropped", () => {
    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as () => void;
    const count = 100_000;
    let parents: string[] | null = Array.from({ length: 40 }, (_, i) => `${"model_text_padding_".repeat(5_000)}${i}`);
    const cut = (i: number) => parents![i % 40]!.slice(i % 1_000, (i % 1_000) + 30);
    gc();
    const before = getHeapStatistics().used_heap_size;
    const kept = new Array<string>(count);
    for (let i = 0; i < count; i++) kept[i] = ownString(cut(i));
    parents = null;
    gc();
    const perString = (getHeapStatistics().used_heap_size - before) / count;
    expect(kept[12_345]).toBe(`${"model_text_padding_".repeat(5_000)}`.slice(345, 375));
    // A flat copy of 30 one-byte characters is 48 bytes, and 8 more for its place in the array. A view
    // into a fresh copy (the former ownString) is 32 bytes more; a view into the text keeps the text.
    expect(perString).toBeLessThan(70);
  });
});
