import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync, chmodSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createDiskFileSource } from "../../src/adapters/files/diskFileSource.js";
import { computeStatus } from "../../src/usecases/computeStatus.js";
import { loadConfig } from "../../src/usecases/loadConfig.js";
import { apiRows, foldCalls, isWrite, shortCall, targetCell, type ApiScenario } from "./apiCallReport.js";
import { checkCulprits, culpritRows, parseRunTarget, ratioText, runProblems, type CulpritRun } from "./culpritReport.js";
import { parseInvocationLog, summarizeInvocations, writeCountingDbt } from "./dbtInvocationLog.js";
import { culpritPlan, generateRestoreProject } from "./restoreProject.js";

// The counting and formatting behind the benchmark's restore and GitHub API sections, and the
// restore project generator. No dbt: the counting wrapper is tried on a stand-in script.

const scratch = mkdtempSync(join(tmpdir(), "dbt-unskip-bench-counting-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("culpritPlan", () => {
  it("spreads k distinct culprits over the batch, kinds alternating, missing-ref first", () => {
    expect(culpritPlan(10, 0)).toEqual([]);
    expect(culpritPlan(10, 1)).toEqual([{ index: 6, kind: "missing-ref" }]);
    expect(culpritPlan(10, 3).map((c) => c.index)).toEqual([2, 6, 9]);
    expect(culpritPlan(10, 3).map((c) => c.kind)).toEqual(["missing-ref", "syntax", "missing-ref"]);
    expect(culpritPlan(10, 10).map((c) => c.index)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    for (const [n, k] of [
      [50, 10],
      [200, 10],
      [200, 3],
      [7, 7],
      [3, 2],
    ] as const) {
      const indexes = culpritPlan(n, k).map((c) => c.index);
      expect(new Set(indexes).size).toBe(k);
      expect(indexes.every((i) => i >= 1 && i <= n)).toBe(true);
    }
  });

  it("refuses more culprits than models", () => {
    expect(() => culpritPlan(3, 4)).toThrow(/between 0 and 3/);
    expect(() => culpritPlan(0, 0)).toThrow(/ready must be/);
  });
});

describe("generateRestoreProject", () => {
  it("is deterministic, and the tool calls exactly the batch ready before the culprits' upstream goes", async () => {
    const a = generateRestoreProject({ dir: join(scratch, "a"), ready: 12, culprits: 4 });
    const b = generateRestoreProject({ dir: join(scratch, "b"), ready: 12, culprits: 4 });
    expect(a.culprits).toEqual(b.culprits);
    expect(a.culprits.map((c) => c.kind)).toEqual(["missing-ref", "syntax", "missing-ref", "syntax"]);
    expect(a.deleteAfterReport).toHaveLength(2);
    for (const file of ["warehouse/dbt_project.yml", "warehouse/models/paused/ready_002.sql.skip", "dimensions/dim_bench/DIM_BENCH_MIGRATION_STATE.md"]) {
      expect(readFileSync(join(a.dir, file), "utf8")).toBe(readFileSync(join(b.dir, file), "utf8"));
    }
    const syntax = a.culprits.find((c) => c.kind === "syntax")!.name;
    expect(readFileSync(join(a.dir, `warehouse/models/paused/${syntax}.sql.skip`), "utf8")).toContain("{% endif %}");

    const files = createDiskFileSource(a.dir);
    const report = (await computeStatus({ files, config: await loadConfig(files) })).reports[0]!;
    const paused = report.models.filter((m) => m.dimension === "dim_bench");
    expect(paused.map((m) => m.name).sort()).toEqual(a.models);
    expect(paused.every((m) => m.status === "ready" && m.needsRestored.length === 0)).toBe(true);

    // Once the upstream models are gone, the missing-ref culprits are blocked: only a report made
    // before (as the restore is handed one) still calls them ready.
    for (const file of a.deleteAfterReport) unlinkSync(join(a.dir, file));
    const after = (await computeStatus({ files: createDiskFileSource(a.dir), config: await loadConfig(files) })).reports[0]!;
    const blocked = after.models.filter((m) => m.dimension === "dim_bench" && m.status !== "ready").map((m) => m.name);
    expect(blocked.sort()).toEqual(
      a.culprits
        .filter((c) => c.kind === "missing-ref")
        .map((c) => c.name)
        .sort(),
    );
  });
});

describe("checkCulprits", () => {
  const batch = ["a", "b", "c", "d"];
  it("is exact when the re-skipped models are the injected ones and the rest were restored", () => {
    expect(checkCulprits({ batch, injected: ["b", "d"], reSkipped: ["d", "b"], restored: ["a", "c"] })).toEqual({ exact: true, missed: [], extra: [], unaccounted: [] });
  });
  it("names what was missed, wrongly re-skipped or lost", () => {
    expect(checkCulprits({ batch, injected: ["b", "d"], reSkipped: ["b", "c"], restored: ["a"] })).toEqual({ exact: false, missed: ["d"], extra: ["c"], unaccounted: ["d"] });
    expect(checkCulprits({ batch, injected: [], reSkipped: [], restored: ["a", "b", "c", "d", "a"] }).unaccounted).toEqual(["(a model listed twice)"]);
  });
});

function run(overrides: Partial<CulpritRun>): CulpritRun {
  return {
    ready: 10,
    culprits: 3,
    kinds: { "missing-ref": 2, syntax: 1 },
    parseRuns: 4,
    compileRuns: 1,
    reportedParseRuns: 4,
    parseWallMs: 12_000,
    compileWallMs: 3_000,
    restoreWallMs: 17_000,
    result: "restored",
    named: 3,
    check: { exact: true, missed: [], extra: [], unaccounted: [] },
    ...overrides,
  };
}

describe("culprit rows and problems", () => {
  it("holds parse runs to 2 + k and extrapolates the one-at-a-time procedure from one single-model parse", () => {
    expect(parseRunTarget(0)).toBe(2);
    expect(parseRunTarget(10)).toBe(12);
    const rows = culpritRows([run({}), run({ culprits: 1, kinds: { "missing-ref": 1 }, parseRuns: 4, reportedParseRuns: 4 })], new Map([[10, 3000]]));
    expect(rows[0]).toEqual(["10", "3", "2 missing-ref + 1 syntax", "✅ 3 of 3, all named by dbt", "4", "≤ 5: ✅ met", "12.0 s", "1 (3.00 s)", "17.0 s", "10", "≈ 30.0 s", "2.5× less"]);
    expect(rows[1]![5]).toBe("≤ 3: ❌ **missed**");
    expect(culpritRows([run({ ready: 50 })], new Map())[0]!.slice(-2)).toEqual(["", ""]);
    expect(ratioText(48.4)).toBe("48× less");
    expect(ratioText(1)).toBe("1.0× less");
    expect(ratioText(26.7 / 29.1)).toBe("1.1× more");
  });

  it("a wrong answer, counts that disagree or an unexpected result are problems", () => {
    expect(runProblems(run({}))).toEqual([]);
    expect(runProblems(run({ culprits: 10, ready: 10, result: "nothing-restorable" }))).toEqual([]);
    const problems = runProblems(run({ reportedParseRuns: 3, result: "failed", check: { exact: false, missed: ["x"], extra: [], unaccounted: [] } }));
    expect(problems).toEqual([
      "restore 10 ready / 3 culprits: culprits found differ from the injected ones: missed x",
      "restore 10 ready / 3 culprits: 4 dbt parse runs counted at the wrapper, the use case reports 3",
      "restore 10 ready / 3 culprits: the restore ended with failed, expected restored",
    ]);
  });
});

describe("the counting dbt wrapper", () => {
  it("logs each start with its subcommand, times and exit code, and passes arguments and exit code through", () => {
    const fake = join(scratch, "fake-dbt");
    writeFileSync(fake, '#!/bin/sh\necho "args: $*"\n[ "$1" = "parse" ] && exit 2\nexit 0\n');
    chmodSync(fake, 0o755);
    const wrapper = join(scratch, "counting");
    const log = join(scratch, "it's.log");
    writeCountingDbt({ path: wrapper, realDbt: fake, log, nice: 0 });
    expect(execFileSync(wrapper, ["compile", "--select", "a b"], { encoding: "utf8" })).toBe("args: compile --select a b\n");
    expect(() => execFileSync(wrapper, ["parse"], { stdio: "pipe" })).toThrow(expect.objectContaining({ status: 2 }));
    execFileSync(wrapper, ["compile"]);
    const runs = parseInvocationLog(readFileSync(log, "utf8"));
    expect(runs.map((r) => [r.command, r.exitCode])).toEqual([
      ["compile", 0],
      ["parse", 2],
      ["compile", 0],
    ]);
    expect(runs.every((r) => r.endMs >= r.startMs && r.startMs > 1.7e12)).toBe(true);
    const summary = summarizeInvocations(runs);
    expect([...summary.keys()]).toEqual(["compile", "parse"]);
    expect(summary.get("compile")!.count).toBe(2);
  });

  it("reads the log's lines exactly, and refuses anything else", () => {
    const runs = parseInvocationLog("parse 1763700000000000000 1763700002500000000 0\n\n--version 1763700003000000000 1763700003000100000 0\n");
    expect(runs).toEqual([
      { command: "parse", startMs: 1763700000000, endMs: 1763700002500, exitCode: 0 },
      { command: "--version", startMs: 1763700003000, endMs: 1763700003000.1, exitCode: 0 },
    ]);
    expect(summarizeInvocations(runs).get("parse")).toEqual({ count: 1, wallMs: 2500 });
    expect(() => parseInvocationLog("parse soon\n")).toThrow(/not a dbt invocation log line/);
  });
});

describe("GitHub API call rows", () => {
  const scenario = (calls: string[], target: number | null, problems: string[] = []): ApiScenario => ({ name: "s", calls, target, outcome: "comment-action: unchanged", problems });

  it("counts writes (GraphQL's who-am-I is a read) and folds repeated calls", () => {
    expect(isWrite("GET /repos/a/b/pulls")).toBe(false);
    expect(isWrite("POST /graphql")).toBe(false);
    expect(isWrite("POST /repos/a/b/pulls")).toBe(true);
    expect(isWrite("PATCH /repos/a/b/issues/comments/1")).toBe(true);
    expect(isWrite("DELETE /repos/a/b/issues/comments/1")).toBe(true);
    expect(foldCalls(["GET x", "POST y", "POST y", "POST y", "GET z", "POST y"])).toEqual(["GET x", "3 × POST y", "GET z", "POST y"]);
    expect(shortCall("GET /repos/acme/warehouse/pulls", "/repos/acme/warehouse")).toBe("GET …/pulls");
    expect(shortCall("POST /graphql", "/repos/acme/warehouse")).toBe("POST /graphql");
    expect(shortCall(`GET /repos/acme/warehouse/commits/${"ab12".repeat(10)}/pulls`, "/repos/acme/warehouse")).toBe("GET …/commits/{sha}/pulls");
  });

  it("holds a scenario to its target and shows its problems", () => {
    expect(targetCell(scenario(["GET a", "POST /graphql"], 3))).toBe("≤ 3: ✅ met");
    expect(targetCell(scenario(["GET a", "GET b", "GET c", "GET d"], 3))).toBe("≤ 3: ❌ **missed**");
    expect(targetCell(scenario(["GET a"], null))).toBe("");
    expect(apiRows([scenario(["GET /repos/o/r/issues/7/comments", "POST /graphql"], 3)], "/repos/o/r")).toEqual([
      ["s", "`GET …/issues/7/comments`<br>`POST /graphql`", "2", "0", "≤ 3: ✅ met", "✅ comment-action: unchanged"],
    ]);
    expect(apiRows([scenario([], null, ["unexpected GET /x"])], "/repos/o/r")[0]!.slice(1)).toEqual(["(none)", "0", "0", "", "❌ comment-action: unchanged (unexpected GET /x)"]);
  });
});
