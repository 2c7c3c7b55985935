import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { REPO_ROOT } from "./helpers/scratchExample.js";

// actionlint and zizmor over the workflows this repository ships, with the versions that
// scripts/setup-lint.sh installs (the test command runs it first). A missing linter fails here.
const workflows = readdirSync(join(REPO_ROOT, ".github/workflows"))
  .filter((f) => /\.ya?ml$/.test(f))
  .map((f) => join(".github/workflows", f));

function run(command: string, args: string[]) {
  const result = spawnSync(join(REPO_ROOT, command), args, { cwd: REPO_ROOT, encoding: "utf8" });
  if (result.error) throw new Error(`${command} is not installed: run scripts/setup-lint.sh (${result.error.message})`);
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
}

it("actionlint finds nothing in the workflows", () => {
  const { code, output } = run(".tools/bin/actionlint", ["-no-color", ...workflows]);
  expect(output).toBe("");
  expect(code).toBe(0);
});

it("zizmor finds nothing of low severity or above", () => {
  const { code, output } = run(".tools/venv/bin/zizmor", ["--offline", "--no-progress", "--min-severity", "low", "--config", ".github/zizmor.yml", ".github/workflows"]);
  expect(code, output).toBe(0);
});
