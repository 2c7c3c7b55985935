import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runBundledCli } from "../helpers/runBundledCli.js";
import { REPO_ROOT } from "../helpers/scratchExample.js";

// Issue #15 item 14 (CLI messages, on the bundle): the version is package.json's, fixed at build
// time; a config problem is one line with the tool's name on every line; a missing --root says so.
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "dbt-unskip-cli-messages-"));
  await writeFile(join(dir, "dbt_project.yml"), "name: shop\n");
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("the CLI's small messages", () => {
  it("--version prints package.json's version", async () => {
    const { version } = JSON.parse(await readFile(join(REPO_ROOT, "package.json"), "utf8")) as { version: string };
    const { code, stdout } = runBundledCli(["--version"], dir);
    expect(code).toBe(0);
    expect(stdout).toBe(`${version}\n`);
  });

  it("`project-dir: 42`: one error line, with the tool's name", async () => {
    await mkdir(join(dir, ".github"), { recursive: true });
    await writeFile(join(dir, ".github", "dbt-unskip.yml"), "project-dir: 42\n");
    const { code, stderr } = runBundledCli(["status"], dir);
    await rm(join(dir, ".github"), { recursive: true });
    expect(code).toBe(2);
    expect(stderr).toBe("dbt-unskip: .github/dbt-unskip.yml:1: `project-dir`: expected string or array\n");
  });

  it("several config problems: each line carries the tool's name", async () => {
    await mkdir(join(dir, ".github"), { recursive: true });
    await writeFile(join(dir, ".github", "dbt-unskip.yml"), "brnach-prefix: x/\ndimension-tag-pattern: 7\n");
    const { code, stderr } = runBundledCli(["status"], dir);
    await rm(join(dir, ".github"), { recursive: true });
    expect(code).toBe(2);
    const lines = stderr.split("\n").filter(Boolean);
    expect(lines.length).toBe(2);
    for (const line of lines) expect(line).toMatch(/^dbt-unskip: \.github\/dbt-unskip\.yml:\d+: /);
  });

  it("--root to a folder that does not exist: no such folder", () => {
    const { code, stderr } = runBundledCli(["status", "--root", join(dir, "nonexistent")], dir);
    expect(code).toBe(2);
    expect(stderr).toBe(`dbt-unskip: --root ${join(dir, "nonexistent")}: no such folder\n`);
  });
});
