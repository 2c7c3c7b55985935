import { describe, expect, it } from "vitest";
import { parseConfig } from "../../../src/core/config/parseConfig.js";

const FILE = ".github/dbt-unskip.yml";

describe("configuration", () => {
  it("defaults apply when there is no file", () => {
    const result = parseConfig({});
    expect(result).toEqual({
      config: {
        projectDirs: ["."],
        dimensionsOutput: "dimensions",
        branchPrefix: "migrate/",
        dimensionTagPattern: "^dim_",
        dimensions: {},
        restoreDisabled: false,
        vars: {},
        target: null,
        sources: [],
      },
    });
  });

  it("vars are read as dbt reads --vars (PyYAML): an unquoted yes is true, a quoted 'yes' a string", () => {
    const ok = parseConfig({ configFile: { path: FILE, text: "vars:\n  flag: yes\n  word: 'yes'\n  off_flag: Off\n" } });
    expect("config" in ok && ok.config.vars).toEqual({ flag: true, word: "yes", off_flag: false });
  });

  it("vars and target: what the static scan decides var() and target.* with", () => {
    const ok = parseConfig({ configFile: { path: FILE, text: "vars:\n  use_alt: true\n  nested: {a: 1}\ntarget:\n  name: prod\n  type: snowflake\n  schema: analytics\n" } });
    expect("config" in ok && [ok.config.vars, ok.config.target]).toEqual([
      { use_alt: true, nested: { a: 1 } },
      { name: "prod", type: "snowflake", schema: "analytics" },
    ]);
    const bad = parseConfig({ configFile: { path: FILE, text: "vars: [1]\ntarget:\n  name: 3\n" } });
    expect("problems" in bad && bad.problems.map((p) => p.message)).toEqual(["`vars`: expected object", "`target.name`: expected string"]);
  });

  it("reads the seed teams' project.config.json", () => {
    const text = JSON.stringify({ paths: { dbt_repository: "dbt", dimensions_output: "docs/dims" }, git: { branch_prefix: "resume/" }, other: 1 });
    const result = parseConfig({ seedConfig: { path: "project.config.json", text } });
    expect("config" in result && result.config).toMatchObject({ projectDirs: ["dbt"], dimensionsOutput: "docs/dims", branchPrefix: "resume/" });
  });

  it(".github/dbt-unskip.yml wins over project.config.json", () => {
    const result = parseConfig({
      seedConfig: { path: "project.config.json", text: '{"paths": {"dbt_repository": "dbt"}}' },
      configFile: { path: FILE, text: "project-dir: [warehouse, 'marts/*']\nbranch-prefix: unskip/\ndimensions:\n  dim_user:\n    paths: ['models/user/**']\n" },
    });
    expect("config" in result && result.config).toMatchObject({
      projectDirs: ["warehouse", "marts/*"],
      branchPrefix: "unskip/",
      dimensions: { dim_user: { paths: ["models/user/**"] } },
      sources: ["project.config.json", FILE],
    });
  });

  it("an unknown key names the file, the key and its line", () => {
    const result = parseConfig({ configFile: { path: FILE, text: "branch-prefix: x/\nbranch_prefix: y/\n" } });
    expect(result).toEqual({ problems: [{ kind: "invalid-config", file: FILE, line: 2, message: "`branch_prefix`: is not a known setting" }] });
  });

  it("`restore-disabled: true` says it is not supported (models paused with enabled=false are never restored)", () => {
    const result = parseConfig({ configFile: { path: FILE, text: "branch-prefix: x/\nrestore-disabled: true\n" } });
    expect("problems" in result ? result.problems : []).toEqual([
      {
        kind: "invalid-config",
        file: FILE,
        line: 2,
        message: "`restore-disabled: true` is not supported: dbt-unskip restores only .skip files; models paused with enabled=false are reported with where to set enabled to true",
      },
    ]);
  });

  it("a wrong type says what was expected", () => {
    const result = parseConfig({ configFile: { path: FILE, text: "restore-disabled: 'yes'\n" } });
    expect(result).toEqual({ problems: [{ kind: "invalid-config", file: FILE, line: 1, message: "`restore-disabled`: expected boolean" }] });
  });

  it("a nested error names the nested key", () => {
    const result = parseConfig({ configFile: { path: FILE, text: "dimensions:\n  dim_user:\n    globs: [x]\n" } });
    expect("problems" in result && result.problems.map((p) => p.message)).toEqual(["`dimensions.dim_user`: `paths` is required", "`dimensions.dim_user.globs`: is not a known setting"]);
  });

  it("a branch prefix with shell characters is refused", () => {
    const result = parseConfig({ configFile: { path: FILE, text: "branch-prefix: 'x; rm -rf /'\n" } });
    expect("problems" in result && result.problems[0]!.message).toBe("`branch-prefix`: expected a value matching ^[A-Za-z0-9._/-]+$");
  });

  it("a state-document folder outside the repository is refused with the file, key and line (it was accepted, read nothing, and pause ended in a raw git error after dbt ran)", () => {
    for (const [where, expected] of [
      ["../../etc", "`dimensions-output`: '../../etc' is outside the repository: give a folder inside it"],
      ["/etc", "`dimensions-output`: '/etc' is outside the repository: give a folder inside it"],
      ["docs/../../x", "`dimensions-output`: 'docs/../../x' is outside the repository: give a folder inside it"],
    ] as const) {
      const yaml = parseConfig({ configFile: { path: FILE, text: `branch-prefix: x/\ndimensions-output: '${where}'\n` } });
      expect("problems" in yaml && yaml.problems[0], where).toEqual({ kind: "invalid-config", file: FILE, line: 2, message: expected });
      const seed = parseConfig({ seedConfig: { path: "project.config.json", text: JSON.stringify({ paths: { dimensions_output: where } }) } });
      expect("problems" in seed && seed.problems[0], where).toEqual({ kind: "invalid-config", file: "project.config.json", message: expected.replace("dimensions-output", "paths.dimensions_output") });
    }
    const inside = parseConfig({ configFile: { path: FILE, text: "dimensions-output: docs/./migration/../dims\n" } });
    expect("config" in inside && inside.config.dimensionsOutput).toBe("docs/./migration/../dims");
  });

  it("invalid YAML and invalid JSON name the file", () => {
    const yaml = parseConfig({ configFile: { path: FILE, text: "project-dir: [unclosed\n" } });
    expect("problems" in yaml && yaml.problems[0]).toMatchObject({ kind: "invalid-config", file: FILE });
    const json = parseConfig({ seedConfig: { path: "project.config.json", text: "{ not json" } });
    expect("problems" in json && json.problems[0]!.message).toMatch(/^not valid JSON/);
  });

  it("an invalid tag pattern is refused", () => {
    const result = parseConfig({ configFile: { path: FILE, text: "dimension-tag-pattern: '(['\n" } });
    expect("problems" in result && result.problems[0]!.message).toMatch(/^`dimension-tag-pattern`: expected a regular expression \(/);
  });
});
