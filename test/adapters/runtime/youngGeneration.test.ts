import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { transformSync } from "esbuild";
import { describe, expect, it } from "vitest";
import { createYoungGenerationBound, leaveYoungGenerationAlone, NEW_SPACE_BOUND } from "../../../src/adapters/runtime/youngGeneration.js";

const MB = 1024 * 1024;

/** A runtime whose new space has the sizes given, one per look; records the flags set. */
function fakeRuntime(sizes: number[], leaveAlone = false) {
  const set: string[] = [];
  let looks = 0;
  const runtime = {
    leaveAlone: () => leaveAlone,
    newSpaceSize: () => sizes[Math.min(looks++, sizes.length - 1)] ?? 0,
    setFlags: (flags: string) => set.push(flags),
  };
  return { runtime, set, looks: () => looks };
}

describe("the young generation bound (Node 20's largest new space, on every Node)", () => {
  it("sets the growth factor to 1 once the new space reaches the bound, and back to 2 when V8 shrinks it", () => {
    const { runtime, set } = fakeRuntime([2 * MB, 16 * MB, NEW_SPACE_BOUND, NEW_SPACE_BOUND, 8 * MB, 8 * MB, NEW_SPACE_BOUND]);
    const bound = createYoungGenerationBound(runtime, 1);
    for (let i = 0; i < 7; i++) bound();
    expect(set).toEqual(["--semi-space-growth-factor=1", "--semi-space-growth-factor=2", "--semi-space-growth-factor=1"]);
  });

  it("looks at the new space once every so many calls", () => {
    const { runtime, looks } = fakeRuntime([MB]);
    const bound = createYoungGenerationBound(runtime, 32);
    for (let i = 0; i < 320; i++) bound();
    expect(looks()).toBe(10);
  });

  it("sets nothing when told to leave the young generation alone", () => {
    const { runtime, set } = fakeRuntime([64 * MB], true);
    const bound = createYoungGenerationBound(runtime, 1);
    for (let i = 0; i < 5; i++) bound();
    expect(set).toEqual([]);
  });

  it("leaves V8 alone before V8 13 and when the process was started with a young-generation setting", () => {
    const leaves = leaveYoungGenerationAlone;
    expect(leaves("13.6.233.17-node.37", [], undefined)).toBe(false);
    expect(leaves("14.1.0", ["--enable-source-maps"], "--max-old-space-size=4096")).toBe(false);
    expect(leaves("11.3.244.8-node.33", [], undefined)).toBe(true);
    expect(leaves("12.4.254.21-node.33", [], undefined)).toBe(true);
    expect(leaves("13.6.233.17-node.37", ["--max-semi-space-size=32"], undefined)).toBe(true);
    expect(leaves("13.6.233.17-node.37", [], "--max-old-space-size=4096 --min-semi-space-size=2")).toBe(true);
    expect(leaves("13.6.233.17-node.37", ["--semi-space-growth-factor=4"], undefined)).toBe(true);
  });

  // What the product relies on: this Node's V8 reads the factor when it grows the new space, so the
  // bound set at run time holds it. The child is given semi-spaces of up to 64 MB (as Node 24's
  // default) so that the new space would grow past the bound on Node 20 as well.
  it("bounds this Node's new space at run time while a program allocates", () => {
    const source = readFileSync(fileURLToPath(new URL("../../../src/adapters/runtime/youngGeneration.ts", import.meta.url)), "utf8");
    const module = transformSync(source, { loader: "ts", format: "cjs" }).code;
    const program = `
      const module = { exports: {} };
      new Function("module", "exports", "require", ${JSON.stringify(module)})(module, module.exports, require);
      const { createYoungGenerationBound, V8_RUNTIME } = module.exports;
      const runtime = { ...V8_RUNTIME, leaveAlone: () => false };
      const bound = process.argv[1] === "bound" ? createYoungGenerationBound(runtime) : () => {};
      let kept = [], most = 0;
      for (let i = 0; i < 1e6; i++) {
        kept.push({ i, s: "x" + i });
        if (kept.length > 300000) kept = [];
        bound();
        if (i % 5000 === 0) most = Math.max(most, runtime.newSpaceSize());
      }
      process.stdout.write(String(most));`;
    const newSpace = (mode: string) => {
      const run = spawnSync(process.execPath, ["--max-semi-space-size=64", "-e", program, mode], { encoding: "utf8" });
      expect(run.stderr).toBe("");
      return Number(run.stdout);
    };
    expect(newSpace("free")).toBeGreaterThan(NEW_SPACE_BOUND);
    const bounded = newSpace("bound");
    expect(bounded).toBeGreaterThan(0);
    expect(bounded).toBeLessThanOrEqual(NEW_SPACE_BOUND);
  });
});
