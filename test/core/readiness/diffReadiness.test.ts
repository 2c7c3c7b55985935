import { describe, expect, it } from "vitest";
import { diffReadiness } from "../../../src/core/readiness/diffReadiness.js";
import type { ChangedFile } from "../../../src/core/readiness/readinessDiff.js";
import { reportOf } from "../../helpers/memoryProject.js";
import { parseSavedReport, SAVED_REPORT_SCHEMA } from "../../../src/core/readiness/savedPullRequestReport.js";
import { renderPullRequestComment } from "../../../src/core/render/renderPullRequestComment.js";

const STG = { "models/stg.sql": "select 1 as id" };

function diff(base: Record<string, string> | null, head: Record<string, string>, changes: ChangedFile[], sources?: Parameters<typeof diffReadiness>[0]["sourceDeclarations"]) {
  return diffReadiness({ base: base ? reportOf(base) : null, head: reportOf(head), changes, sourceDeclarations: sources });
}

describe("diffReadiness", () => {
  it("a new model makes a paused chain ready, and names the file that did it for every link", () => {
    const base = {
      ...STG,
      "models/a.sql.skip": "select * from {{ ref('x') }}",
      "models/b.sql.skip": "select * from {{ ref('a') }} join {{ ref('stg') }}",
    };
    const result = diff(base, { ...base, "models/x.sql": "select 1" }, [{ status: "A", path: "models/x.sql" }]);
    const cause = { kind: "now-available", dependency: { type: "ref", name: "x" }, now: "available", file: "models/x.sql", change: "A" };
    expect(result.newlyReady).toEqual([
      { name: "a", file: "models/a.sql.skip", dimension: null, was: "blocked", now: "ready", because: [cause], needsRestored: [], blockedBy: [] },
      { name: "b", file: "models/b.sql.skip", dimension: null, was: "blocked", now: "ready", because: [cause], needsRestored: ["a"], blockedBy: [] },
    ]);
    expect(result.newlyBlocked).toEqual([]);
    expect(result.changed).toBe(true);
    expect(result.head).toEqual({ paused: 2, ready: 2, blocked: 0, needsInvestigation: 0 });
  });

  it("deleting an active model blocks a ready paused model and breaks an active one that refs it", () => {
    const base = { ...STG, "models/x.sql": "select 1", "models/a.sql.skip": "select * from {{ ref('x') }}", "models/c.sql": "\nselect * from {{ ref('x') }}" };
    const head = { ...STG, "models/a.sql.skip": base["models/a.sql.skip"], "models/c.sql": base["models/c.sql"] };
    const result = diff(base, head, [{ status: "D", path: "models/x.sql" }]);
    expect(result.newlyBlocked).toEqual([
      {
        name: "a",
        file: "models/a.sql.skip",
        dimension: null,
        was: "ready",
        now: "blocked",
        because: [{ kind: "now-unavailable", dependency: { type: "ref", name: "x" }, file: "models/x.sql", change: "D" }],
        needsRestored: [],
        blockedBy: ["ref:x"],
      },
    ]);
    expect(result.brokenActive).toEqual([
      {
        file: "models/c.sql",
        line: 2,
        model: "c",
        dependency: { type: "ref", name: "x" },
        status: "missing",
        isNew: true,
        removedBy: { file: "models/x.sql", change: "D" },
        message: "active model 'c' depends on 'x', which nothing in the project provides: dbt parse fails",
      },
    ]);
    expect(result.changed).toBe(true);
  });

  it("a PR that renames a provider to a name dbt never reads (`.snap_hidden.sql`): the cause says the file exists and why dbt does not read it, through the saved report into the comment", () => {
    const snap = "{% snapshot snap_hidden %}select 1{% endsnapshot %}";
    const base = { ...STG, "snapshots/snap_hidden.sql": snap, "models/a.sql.skip": "select * from {{ ref('snap_hidden') }}" };
    const head = { ...STG, "snapshots/.snap_hidden.sql": snap, "models/a.sql.skip": base["models/a.sql.skip"] };
    const result = diff(base, head, [{ status: "R", path: "snapshots/.snap_hidden.sql", from: "snapshots/snap_hidden.sql" }]);
    const unreadFile = { file: "snapshots/.snap_hidden.sql", why: "dbt does not read files whose names start with '.'" };
    expect(result.newlyBlocked.map((m) => m.because)).toEqual([[{ kind: "now-unavailable", dependency: { type: "ref", name: "snap_hidden" }, file: "snapshots/snap_hidden.sql", change: "R", unreadFile }]]);
    // Valid as a saved report (the field is added to the schema, optional), and rendered.
    const saved = parseSavedReport(JSON.stringify({ schema: SAVED_REPORT_SCHEMA, pullRequest: { number: 1, baseSha: "a".repeat(40), headSha: "b".repeat(40) }, changed: true, diffs: [result] }));
    if ("error" in saved) throw new Error(saved.error);
    // The saved file is a fork's: a note that is not two bounded strings is refused.
    const hostile = JSON.parse(JSON.stringify(saved.report));
    hostile.diffs[0].newlyBlocked[0].because[0].unreadFile = { file: "x".repeat(5000), why: "y" };
    expect(parseSavedReport(JSON.stringify(hostile))).toHaveProperty("error");
    const comment = renderPullRequestComment({ diffs: saved.report.diffs, baseSha: "a".repeat(40), headSha: "b".repeat(40) });
    expect(comment).toContain(
      "- `snap_hidden` is no longer available (renamed `snapshots/snap_hidden.sql`) (`.snap_hidden.sql` exists; dbt does not read files whose names start with '.'): blocks 1: `a` (was ready)",
    );
    // A new ref to a name only an editor's backup file looks like it provides: the same note.
    const added = diff(
      { ...STG, "models/~y.sql": "select 1", "models/b.sql.skip": "select * from {{ ref('stg') }}" },
      { ...STG, "models/~y.sql": "select 1", "models/b.sql.skip": "select * from {{ ref('stg') }} join {{ ref('y') }}" },
      [{ status: "M", path: "models/b.sql.skip" }],
    );
    expect(added.newlyBlocked.map((m) => m.because)).toEqual([
      [{ kind: "new-dependency", dependency: { type: "ref", name: "y" }, file: "models/b.sql.skip", unreadFile: { file: "models/~y.sql", why: "dbt does not read files whose names start with '~'" } }],
    ]);
  });

  it("pausing an active model that another active model refs is a new problem; the paused file itself is ready", () => {
    const base = { ...STG, "models/x.sql": "select 1", "models/c.sql": "select * from {{ ref('x') }}" };
    const head = { ...STG, "models/x.sql.skip": "select 1", "models/c.sql": base["models/c.sql"] };
    const result = diff(base, head, [{ status: "R", from: "models/x.sql", path: "models/x.sql.skip" }]);
    expect(result.brokenActive.map((b) => [b.model, b.dependency?.name, b.status, b.isNew, b.removedBy])).toEqual([["c", "x", "paused", true, { file: "models/x.sql", change: "R" }]]);
    expect(result.newlyReady.map((m) => [m.name, m.was, m.because])).toEqual([["x", null, [{ kind: "new-paused-file", file: "models/x.sql.skip", change: "R" }]]]);
  });

  it("disabling a model (`+enabled: off` is false in YAML 1.1) that an active model refs: a new problem naming the dependency", () => {
    const base = { ...STG, "models/x.sql": "select 1", "models/c.sql": "select * from {{ ref('x') }}" };
    const head = { ...base, "models/_x.yml": "models:\n  - name: x\n    config:\n      enabled: off\n" };
    const result = diff(base, head, [{ status: "A", path: "models/_x.yml" }]);
    expect(result.brokenActive.map((b) => [b.model, b.dependency?.name, b.status, b.isNew])).toEqual([["c", "x", "missing", true]]);
    expect(result.brokenActive[0]!.message).toContain("which is disabled (model models/x.sql: enabled: false in models/_x.yml (model x))");
  });

  it("a source declared in a changed YAML file is credited to that file", () => {
    const base = { ...STG, "models/a.sql.skip": "select * from {{ source('raw', 't') }}" };
    const yml = "version: 2\nsources:\n  - name: raw\n    tables: [{name: t}]\n";
    const result = diff(
      base,
      { ...base, "models/raw.yml": yml },
      [
        { status: "A", path: "models/raw.yml" },
        { status: "M", path: "README.md" },
      ],
      {
        base: [],
        head: [{ name: "raw.t", file: "models/raw.yml" }],
      },
    );
    expect(result.newlyReady[0]?.because).toEqual([{ kind: "now-available", dependency: { type: "source", name: "raw.t" }, now: "available", file: "models/raw.yml", change: "A" }]);
  });

  it("a paused file edited so that it no longer needs what blocked it", () => {
    const base = { ...STG, "models/a.sql.skip": "select * from {{ ref('nope') }}" };
    const result = diff(base, { ...STG, "models/a.sql.skip": "select * from {{ ref('stg') }}" }, [{ status: "M", path: "models/a.sql.skip" }]);
    expect(result.newlyReady[0]?.because).toEqual([{ kind: "no-longer-needed", dependency: { type: "ref", name: "nope" }, file: "models/a.sql.skip" }]);
  });

  it("needs investigation → ready: the reason that cleared", () => {
    const base = { ...STG, "models/a.sql.skip": "select * from {{ ref(var('m')) }}" };
    const result = diff(base, { ...STG, "models/a.sql.skip": "select * from {{ ref('stg') }}" }, [{ status: "M", path: "models/a.sql.skip" }]);
    expect(result.newlyReady.map((m) => [m.name, m.was])).toEqual([["a", "needs-investigation"]]);
    expect(result.newlyReady[0]?.because).toEqual([{ kind: "reason-cleared", reason: "dynamic ref(var('m')) on line 1: its target cannot be known without rendering" }]);
  });

  it("a blocked model blocked by one more thing is reported; an unrelated change is not", () => {
    const base = { ...STG, "models/x.sql": "select 1", "models/a.sql.skip": "select * from {{ ref('x') }} join {{ ref('nope') }}" };
    const head = { ...STG, "models/a.sql.skip": base["models/a.sql.skip"] };
    const result = diff(base, head, [{ status: "D", path: "models/x.sql" }]);
    expect(result.newlyBlocked.map((m) => [m.name, m.was, m.because])).toEqual([["a", "blocked", [{ kind: "now-unavailable", dependency: { type: "ref", name: "x" }, file: "models/x.sql", change: "D" }]]]);
    const same = diff(base, base, [{ status: "M", path: "README.md" }]);
    expect(same).toMatchObject({ newlyReady: [], newlyBlocked: [], restored: [], brokenActive: [], changed: false });
  });

  it("a problem already on the base branch is listed but is not new, and alone is no change", () => {
    const files = { ...STG, "models/c.sql": "select * from {{ ref('gone') }}" };
    const result = diff(files, files, []);
    expect(result.brokenActive.map((b) => b.isNew)).toEqual([false]);
    expect(result.changed).toBe(false);
  });

  it("renaming a ready paused model back is a restore", () => {
    const base = { ...STG, "models/a.sql.skip": "select * from {{ ref('stg') }}" };
    const result = diff(base, { ...STG, "models/a.sql": base["models/a.sql.skip"] }, [{ status: "R", from: "models/a.sql.skip", path: "models/a.sql" }]);
    expect(result.restored).toEqual([{ name: "a", file: "models/a.sql.skip" }]);
    expect(result.changed).toBe(true);
    // Deleting a paused file is not restoring it.
    expect(diff(base, STG, [{ status: "D", path: "models/a.sql.skip" }]).restored).toEqual([]);
  });

  it("without a base report, every ready paused model is new", () => {
    const head = { ...STG, "models/a.sql.skip": "select * from {{ ref('stg') }}", "models/b.sql.skip": "select * from {{ ref('nope') }}" };
    const result = diff(null, head, [{ status: "A", path: "models/a.sql.skip" }]);
    expect(result.newlyReady.map((m) => [m.name, m.because])).toEqual([["a", [{ kind: "new-paused-file", file: "models/a.sql.skip", change: "A" }]]]);
    expect(result.newlyBlocked).toEqual([]);
  });

  it("only changes inside the project count (a project in a subfolder)", () => {
    const withDir = (files: Record<string, string>) => {
      const report = reportOf(files);
      return { ...report, project: { ...report.project, dir: "dbt" }, problems: report.problems.map((p) => ({ ...p, file: `dbt/${p.file}` })) };
    };
    const base = { ...STG, "models/a.sql.skip": "select * from {{ ref('x') }}" };
    const result = diffReadiness({
      base: withDir(base),
      head: withDir({ ...base, "models/x.sql": "select 1" }),
      changes: [
        { status: "A", path: "other/models/x.sql" },
        { status: "A", path: "dbt/models/x.sql" },
      ],
    });
    expect(result.newlyReady[0]).toMatchObject({ file: "dbt/models/a.sql.skip", because: [{ file: "dbt/models/x.sql" }] });
  });
});
