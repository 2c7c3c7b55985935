import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readActionInputs } from "../../src/action/actionInputs.js";
import { UserError } from "../../src/core/userError.js";

// RELIABILITY 7 (and 8) on the Action's side: a `workflow_dispatch` (the bot's, or a person's from
// the Actions tab) hands the Action names and a commit as inputs. They reach git, dbt and the shell,
// so the Action checks them again, whoever sent them.
const saved = { ...process.env };
function setInputs(inputs: Record<string, string>): void {
  for (const name of Object.keys(process.env)) if (name.startsWith("INPUT_")) delete process.env[name];
  for (const [name, value] of Object.entries(inputs)) process.env[`INPUT_${name.toUpperCase()}`] = value;
}
beforeEach(() => setInputs({}));
afterEach(() => {
  process.env = { ...saved };
});

describe("readActionInputs refuses what is not a name", () => {
  it("accepts plain names, models and a full sha", () => {
    setInputs({ command: "restore", dimension: "dim_user", models: "d_user, mas_user_contracts", "expected-sha": "a".repeat(40) });
    const inputs = readActionInputs();
    expect(inputs.dimension).toBe("dim_user");
    expect(inputs.models).toEqual(["d_user", "mas_user_contracts"]);
    expect(inputs.expectedSha).toBe("a".repeat(40));
  });

  it.each(["../x", "-f", "a;rm -rf /", "$(id)", "dim`x`", "dim-user", "dim_user\n::error::x"])("dimension %j is refused", (dimension) => {
    setInputs({ command: "restore", dimension });
    expect(() => readActionInputs()).toThrow(UserError);
    expect(() => readActionInputs()).toThrow(/input 'dimension'.*not a dimension name/s);
  });

  it.each(["../x", "-f", "a;rm", "$(id)"])("model %j is refused", (model) => {
    setInputs({ command: "restore", dimension: "dim_user", models: `d_user ${model}` });
    expect(() => readActionInputs()).toThrow(/input 'models'.*not a model name/);
  });

  it.each(["HEAD", "main", "a".repeat(39), `${"a".repeat(40)};id`, "-".repeat(40)])("expected-sha %j is refused", (sha) => {
    setInputs({ command: "restore", dimension: "dim_user", "expected-sha": sha });
    expect(() => readActionInputs()).toThrow(/input 'expected-sha'/);
  });

  it.each(["a b", "x;id", "$(id)/", "x\ny"])("branch-prefix %j is refused", (prefix) => {
    setInputs({ "branch-prefix": prefix });
    expect(() => readActionInputs()).toThrow(/input 'branch-prefix'/);
  });

  it.each(["A-B", "X;id", "1X", "PATH=/tmp"])("dbt-env %j is refused", (name) => {
    setInputs({ "dbt-env": name });
    expect(() => readActionInputs()).toThrow(/input 'dbt-env'/);
  });
});

// Write spacing (GitHub's 1 s / 3 s guidance) is on unless the workflow says `none` (a server without
// secondary rate limits; the e2e tests' stand-in); anything else is refused, not read as "off".
describe("github-write-spacing", () => {
  it("is on by default, off with none, and refuses anything else", () => {
    expect(readActionInputs().spaceWrites).toBe(true);
    setInputs({ "github-write-spacing": "github" });
    expect(readActionInputs().spaceWrites).toBe(true);
    setInputs({ "github-write-spacing": "none" });
    expect(readActionInputs().spaceWrites).toBe(false);
    setInputs({ "github-write-spacing": "false" });
    expect(() => readActionInputs()).toThrow("input 'github-write-spacing': 'false' is not github or none");
  });
});
