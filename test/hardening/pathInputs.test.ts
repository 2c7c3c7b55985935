import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { readActionInputs } from "../../src/action/actionInputs.js";
import { parseCommandArgs } from "../../src/cli/cliCommand.js";

// Issue #15 item 10: a relative `dbt-profiles-dir` reached dbt unresolved from the Action (dbt runs
// in the project folder, so `dbt` became `<project>/dbt`: "Path 'dbt' does not exist"), while the
// CLI resolved it. Path inputs are now resolved once, where they come in, the same way for both:
// against the folder the tool started in (the CLI's current folder, the Action's workspace).
const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
});

describe("a relative profiles folder", () => {
  it("the Action resolves dbt-profiles-dir against the workspace", () => {
    for (const name of Object.keys(process.env)) if (name.startsWith("INPUT_")) delete process.env[name];
    process.env["INPUT_DBT-PROFILES-DIR"] = "dbt";
    const inputs = readActionInputs({ ...process.env, GITHUB_WORKSPACE: "/home/runner/work/shop/shop" });
    expect(inputs.dbt.profilesDir).toBe("/home/runner/work/shop/shop/dbt");
  });

  it("the CLI resolves --profiles-dir (and --root) against its current folder, the same way", async () => {
    const cwd = await mkdtemp(join(tmpdir(), "dbt-unskip-path-inputs-"));
    try {
      const { common } = parseCommandArgs("status", ["--profiles-dir", "dbt", "--root", "."], {}, cwd);
      expect(common.profilesDir).toBe(join(cwd, "dbt"));
      expect(common.root).toBe(cwd);
    } finally {
      await rm(cwd, { recursive: true, force: true });
    }
  });
});
