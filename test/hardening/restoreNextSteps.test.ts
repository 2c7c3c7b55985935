import { describe, expect, it } from "vitest";
import { renderRestoreReport } from "../../src/core/restore/renderRestoreReport.js";
import type { RestoreOutcome } from "../../src/core/restore/restoreOutcome.js";

// Issue 15 item 14 (part): what the restore tells a person to do next must be true of what happened.
function outcome(stillPaused: RestoreOutcome["stillPaused"]): RestoreOutcome {
  return {
    result: "restored",
    dimension: "dim_user",
    project: "dbt",
    restored: [
      {
        name: "d_user",
        dimension: "dim_user",
        skipFile: "transform/gold/d_user.sql.skip",
        realFile: "transform/gold/d_user.sql",
        needs: [],
        because: "all dependencies available",
        from: "dbt/transform/gold/d_user.sql.skip",
        to: "dbt/transform/gold/d_user.sql",
      },
    ],
    reSkipped: stillPaused.filter((m) => m.status === "re-skipped").map((m) => ({ name: m.name, path: m.path, reason: m.reason })),
    stillPaused,
    blockers: [],
    progress: { before: { active: 1, total: 3 }, after: { active: 2, total: 3 } },
    dbt: { parseRuns: 2, compileRuns: 1, invocations: 3, version: "1.11.0" },
    compiled: ["d_user"],
    stateDocument: null,
    commit: { branch: "migrate/dim_user", sha: "0123456789abcdef0123456789abcdef01234567", message: "resume" },
    error: null,
  };
}

const syntaxError = { name: "f_broken", path: "dbt/transform/gold/f_broken.sql.skip", status: "re-skipped" as const, missing: [], reason: "dbt parse: Syntax error in f_broken.sql: unexpected '}'" };
const waiting = { name: "f_later", path: "dbt/transform/gold/f_later.sql.skip", status: "blocked" as const, missing: ["d_date"], reason: "missing: d_date" };

describe("Next Steps after a restore", () => {
  it("a model re-skipped for a Jinja syntax error is told to be fixed, not to wait", () => {
    const text = renderRestoreReport(outcome([syntaxError]));
    expect(text).toContain("Fix what dbt rejected (f_broken; the reasons are above), then restore again: dbt-unskip restore --dimension dim_user");
    expect(text).not.toContain("when they land");
  });

  it("a model that waits for a dependency is still told to restore again when it lands; both at once get both", () => {
    expect(renderRestoreReport(outcome([waiting]))).toContain("Restore again when they land: dbt-unskip restore --dimension dim_user");
    const both = renderRestoreReport(outcome([syntaxError, waiting]));
    expect(both).toContain("Fix what dbt rejected (f_broken;");
    expect(both).toContain("Restore again when they land");
  });

  it("'run and test' selects exactly the restored models: a dimension from a path glob or a state document carries no tag, and a model brought along from another dimension is not under this one's tag", () => {
    const base = outcome([]);
    const brought = { ...base.restored[0]!, name: "mas_contracts", dimension: "dim_contract", skipFile: "m/mas_contracts.sql.skip", realFile: "m/mas_contracts.sql" };
    const odd = { ...base.restored[0]!, name: "it's", dimension: "dim_user", skipFile: "m/it's.sql.skip", realFile: "m/it's.sql" };
    const text = renderRestoreReport({ ...base, restored: [brought, ...base.restored, odd] });
    expect(text).toContain("Run and test the restored models: dbt build --select mas_contracts d_user 'it'\\''s'");
    expect(text).not.toContain("tag:");
  });

  it("a model that needs investigation (a name dbt refuses, a symbolic link) is told to be looked into, not to wait for something to land", () => {
    // Seen on a corpus copy: `x y.sql.skip` and a symlinked .skip file got "Restore again when they land".
    const odd = { name: "x y", path: "dbt/m/x y.sql.skip", status: "needs-investigation" as const, missing: [], reason: "its name has a space" };
    const text = renderRestoreReport(outcome([odd]));
    expect(text).toContain("Look into what needs investigation (x y; the reasons are above), then restore again: dbt-unskip restore --dimension dim_user");
    expect(text).not.toContain("when they land");
    const both = renderRestoreReport(outcome([odd, waiting]));
    expect(both).toContain("Look into what needs investigation (x y;");
    expect(both).toContain("Restore again when they land");
  });

  it("the commit says that git hooks did not run, and how to run them on it", () => {
    const text = renderRestoreReport(outcome([]));
    expect(text).toContain("Committed 0123456789ab on migrate/dim_user (your git hooks were not run for it; see Next Steps)");
    expect(text).toContain("1. Run your commit hooks on it (they were not run), by making the commit again with git (with nothing else staged):\n   git reset --soft HEAD~1 && git commit -C ORIG_HEAD");
  });
});
