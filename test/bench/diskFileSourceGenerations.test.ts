import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setFlagsFromString } from "node:v8";
import { afterAll, describe, expect, it } from "vitest";
import { createDiskFileSource } from "../../src/adapters/files/diskFileSource.js";

// V8 makes the objects of an object literal (an allocation site) in the old generation once most
// of them have lived long. A scan's snapshot texts, read through `read`, all do; a deferred model's,
// read through `readSync`, dies once extracted. When both came from one literal, the deferred
// `{ kind, text }` were made old and kept their texts alive into the old generation (150 MB of dead
// texts at 50,000 real-shaped models: BENCHMARKS.md, finding 21). This asks V8 itself where the
// objects are (`%InYoungGeneration`, a V8 test function: hence a file run in its own process, vitest.config.ts).
//
// V8's decision depends on when its young collections fall: with one literal for both, a round
// here saw most deferred objects old in about three runs of four (Node 20 and 24), so the test
// plays three rounds in one process (a site once made old stays so).

setFlagsFromString("--allow-natives-syntax");
const inYoungGeneration = new Function("value", "return %InYoungGeneration(value)") as (value: unknown) => boolean;

const root = mkdtempSync(join(tmpdir(), "dbt-unskip-generations-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const KEPT = 3000;
const DROPPED = 1000;
const ROUNDS = 3;
mkdirSync(join(root, "models"), { recursive: true });
// Texts of 10 kB, as a real-shaped project's properties files (smaller ones rarely led V8 to it).
for (let i = 0; i < KEPT + DROPPED; i++) writeFileSync(join(root, "models", `m${i}.sql`), `select ${i} as id -- ${"x".repeat(10_000)}\n`);

/** `count` short-lived objects (kept until the next call: no compiler can leave them out). */
let litter: unknown[] = [];
function garbage(count: number): void {
  litter = [];
  for (let i = 0; i < count; i++) litter.push({ i });
}

describe("diskFileSource: deferred reads stay young", () => {
  it("V8 answers the question (sanity: a fresh object is young, a long-kept one is not)", () => {
    const fresh = { fresh: true };
    expect(inYoungGeneration(fresh)).toBe(true);
    const kept = [{ kept: true }];
    for (let i = 0; i < 400; i++) garbage(1500);
    expect(inYoungGeneration(kept[0])).toBe(false);
  });

  it("after many long-lived reads through read(), readSync's results are made in the young generation", async () => {
    let old = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const files = createDiskFileSource(root);
      const paths = await files.list("models");
      const kept: unknown[] = [];
      for (const path of paths.slice(0, KEPT)) kept.push(await files.read(path));
      for (const path of paths.slice(KEPT)) {
        const content = files.readSync!(path);
        expect(content?.kind).toBe("text");
        if (!inYoungGeneration(content)) old++;
        garbage(100);
      }
      expect(kept).toHaveLength(KEPT);
    }
    expect(old).toBeLessThan((ROUNDS * DROPPED) / 10);
  });
});
