import { describe, expect, it } from "vitest";
import { reportOf } from "../helpers/memoryProject.js";

// RELIABILITY line 10 (and 11): a dbt tag is text from the repository. A tag that matches the
// dimension tag pattern but holds a newline (or a space, a slash, a backtick) must not become a
// dimension name: it would land in headings, branch names and state-document paths. It is ignored
// for dimensions and the report says so, naming the model's file; the rest of the report comes out.
describe("a tag that is not a valid dimension name", () => {
  it("a tag with a newline (properties YAML) is refused: no dimension, a problem naming the file", () => {
    const report = reportOf({
      "models/d_user.sql.skip": "select 1",
      "models/schema.yml": 'version: 2\nmodels:\n  - name: d_user\n    config:\n      tags: ["dim_user\\n## injected"]\n',
      "models/d_ok.sql.skip": "{{ config(tags=['dim_ok']) }} select 1",
    });
    const byName = Object.fromEntries(report.models.map((m) => [m.name, [m.dimension, m.dimensionFrom]]));
    expect(byName).toEqual({ d_ok: ["dim_ok", "tag"], d_user: [null, null] });
    expect(report.dimensions.map((d) => d.name)).toEqual(["dim_ok"]);
    for (const name of [...report.dimensions.map((d) => d.name), ...report.models.map((m) => m.dimension ?? "")]) {
      expect(name).toMatch(/^[A-Za-z0-9_]*$/);
    }
    expect(report.problems).toEqual([
      {
        kind: "invalid-project",
        file: "models/d_user.sql.skip",
        message: expect.stringContaining('tag "dim_user\\n## injected"'),
      },
    ]);
    expect(report.problems[0]!.message).not.toContain("\n");
  });

  it.each([
    ["a space", "dim_a b"],
    ["a slash", "dim_../x"],
    ["a backtick", "dim_`x`"],
    ["a trailing newline", "dim_user\n"],
    ["a carriage return", "dim_user\r"],
  ])("a tag with %s, from config() or dbt_project.yml, falls back to the path glob", (_what, tag) => {
    const report = reportOf(
      {
        "models/gold/d_user.sql.skip": `{{ config(tags=[${JSON.stringify(tag)}]) }} select 1`,
        "models/silver/s_user.sql.skip": "select 1",
      },
      {
        projectYml: `name: shop\nmodels:\n  shop:\n    silver:\n      +tags: [${JSON.stringify(tag)}]\n`,
        config: { dimensions: { dim_fallback: { paths: ["models/gold/**"] } } },
      },
    );
    const byName = Object.fromEntries(report.models.map((m) => [m.name, [m.dimension, m.dimensionFrom]]));
    expect(byName).toEqual({ d_user: ["dim_fallback", "path"], s_user: [null, null] });
    expect(report.problems.map((p) => p.file).sort()).toEqual(["models/gold/d_user.sql.skip", "models/silver/s_user.sql.skip"]);
    expect(report.summary.paused).toBe(2);
  });

  it("tags outside the pattern are plain dbt tags: no problem", () => {
    const report = reportOf({ "models/d_user.sql.skip": "{{ config(tags=['nightly run', 'pii/data']) }} select 1" });
    expect(report.problems).toEqual([]);
    expect(report.models[0]!.dimension).toBeNull();
  });
});
