import { describe, expect, it } from "vitest";
import { ratio, ratioAgainst } from "./benchContext.js";
import { warmUpProblem } from "./prReportSection.js";

const HEAD = "5be68cf0123456789abcdef0123456789abcdef0";
const ok = { exitCode: 0, stderrTail: "" };

describe("the bench's check of the PR report's warm-up run", () => {
  it("passes a job summary GitHub shows that names the head commit", () => {
    expect(warmUpProblem([ok, ok], "### dbt-unskip: ...\n\n<sub>Base `828e0fd` → head `5be68cf`.</sub>\n", HEAD)).toBeNull();
  });

  it("says which of the four things went wrong, not 'failed or wrote no report' for all of them", () => {
    expect(warmUpProblem([{ exitCode: 1, stderrTail: "boom\n" }, ok], "", HEAD)).toBe("a warm-up run failed (exit codes 1, 0): boom");
    expect(warmUpProblem([ok, ok], "", HEAD)).toBe("the Action exited 0 and wrote no job summary");
    // What the last full bench saw at 50,000 models: a report cut without its commits line.
    expect(warmUpProblem([ok, ok], "| `a` | ready |\n</details>\n\n> ✂️ The rest was cut to fit GitHub's size limit; the job summary has the full report.\n", HEAD)).toMatch(
      /^the Action's job summary \(\d+ bytes\) does not name the head commit 5be68cf; it ends: ".*the job summary has the full report\."$/,
    );
    expect(warmUpProblem([ok, ok], `${"x".repeat(1024 * 1024)} 5be68cf\n`, HEAD)).toBe("the Action's job summary is 1,048,585 bytes, over GitHub's 1 MiB: GitHub would show none of it");
  });
});

describe("ratioAgainst: a ratio shown beside its target never reads as met when it is missed", () => {
  it("two decimals near the target, more when two would still cross it, one far from it", () => {
    // The last bench's PR ratio: 3.26 s / 2.42 s = 1.347, shown "1.3×" and marked missed.
    expect(ratio(3.26 / 2.42)).toBe("1.3×");
    expect(ratioAgainst(3.26 / 2.42, 1.3)).toBe("1.35×");
    expect(ratioAgainst(1.304, 1.3)).toBe("1.304×");
    expect(ratioAgainst(1.3004, 1.3)).toBe("1.3004×");
    expect(ratioAgainst(1.296, 1.3)).toBe("1.30×");
    expect(ratioAgainst(1.3, 1.3)).toBe("1.30×");
    expect(ratioAgainst(1.19, 1.3)).toBe("1.2×");
    expect(ratioAgainst(2.0, 1.3)).toBe("2.0×");
    expect(ratioAgainst(11.4, 3)).toBe("11×");
    for (const x of [1.2001, 1.25, 1.2999, 1.3, 1.30001, 1.31, 1.349, 1.35, 1.399]) {
      const shown = Number(ratioAgainst(x, 1.3).replace("×", ""));
      expect(shown <= 1.3).toBe(x <= 1.3);
    }
  });
});
