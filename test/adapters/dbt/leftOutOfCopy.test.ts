import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { leftOutOfCopy } from "../../../src/adapters/dbt/scratchProject.js";

// dbt 1.11 walks each resource path with os.walk and skips no folder by name: a scratch copy where
// restore proves its batch must hold what dbt reads there, and may leave tools' folders out elsewhere.
const root = join("/", "repo");
const project = join(root, "dbt");
const reads = [join(project, "models"), join(project, "macros"), join(project, "dbt_packages"), join(root, "shared", "macros")];

describe("leftOutOfCopy", () => {
  it.each(["node_modules", ".venv", "target", "logs", ".git", "dbt_packages_cache"])("keeps %s inside a folder dbt reads, at any depth", (name) => {
    expect(leftOutOfCopy(join(project, "models", name), reads)).toBe(false);
    expect(leftOutOfCopy(join(project, "models", "staging", name), reads)).toBe(false);
    expect(leftOutOfCopy(join(root, "shared", "macros", "x", name), reads)).toBe(false);
  });

  it.each(["node_modules", ".venv", "target", "logs", ".git", "dbt_packages_cache"])("leaves %s out of the project folder and the repository root", (name) => {
    expect(leftOutOfCopy(join(project, name), reads)).toBe(true);
    expect(leftOutOfCopy(join(root, name), reads)).toBe(true);
    expect(leftOutOfCopy(join(root, "docs", name), reads)).toBe(true);
  });

  it("keeps a folder of such a name that holds a folder dbt reads", () => {
    expect(leftOutOfCopy(join(project, "node_modules"), [join(project, "node_modules", "models")])).toBe(false);
  });

  it("keeps any other name wherever it is", () => {
    expect(leftOutOfCopy(join(project, "seeds"), reads)).toBe(false);
    expect(leftOutOfCopy(join(root, "node_modules_old"), reads)).toBe(false);
  });
});
