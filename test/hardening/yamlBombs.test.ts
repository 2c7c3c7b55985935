import { cp, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createDiskFileSource } from "../../src/adapters/files/diskFileSource.js";
import { parseConfig } from "../../src/core/config/parseConfig.js";
import { UserError } from "../../src/core/userError.js";
import { MAX_YAML_DEPTH } from "../../src/core/yaml/boundedYaml.js";
import { computeStatus } from "../../src/usecases/computeStatus.js";
import { loadConfig } from "../../src/usecases/loadConfig.js";
import { EXAMPLE_DIR, REPO_ROOT } from "../helpers/scratchExample.js";

// RELIABILITY 31 (issue #15 item 5): alias bombs and deep nesting in dbt_project.yml, a properties
// file and the config file take bounded time and memory and name the file: the project and config
// files stop the run as the user's mistake (exit 2); a properties file is a problem and the rest of
// the report comes out. Without the bound, `yaml` throws "Excessive alias count…" (exit 1, no file).

/** Nine aliases of nine aliases … nine levels: 9^9 (387 million) strings when expanded. */
function aliasBomb(key = "lol"): string {
  const lines = [`${key}0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]`];
  for (let i = 1; i <= 9; i++)
    lines.push(
      `${key}${i}: &a${i} [${Array(9)
        .fill(`*a${i - 1}`)
        .join(",")}]`,
    );
  return `${lines.join("\n")}\n`;
}
const deepFlow = (depth: number) => "[".repeat(depth) + "]".repeat(depth);
const deepBlock = (depth: number) => `${Array.from({ length: depth }, (_, i) => `${" ".repeat(i * 2)}k${i}:`).join("\n")} x\n`;

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "dbt-unskip-yaml-bombs-"));
  await cp(EXAMPLE_DIR, root, { recursive: true });
});
afterEach(() => rm(root, { recursive: true, force: true }));

async function status() {
  const files = createDiskFileSource(root);
  return computeStatus({ files, config: await loadConfig(files) });
}

describe("dbt_project.yml", () => {
  it.each([
    ["an alias bomb", `name: shop\n${aliasBomb()}`, /too many YAML aliases/],
    ["deep flow nesting", `name: shop\nvars: ${deepFlow(5000)}\n`, /nested more than \d+ levels/],
    ["deep block nesting", `name: shop\nvars:\n${deepBlock(MAX_YAML_DEPTH + 5).replace(/^/gm, "  ")}`, /nested more than \d+ levels/],
  ])("%s: a user error naming the file (exit 2), not a crash", async (_, text, message) => {
    await writeFile(join(root, "dbt", "dbt_project.yml"), text);
    const error = await status().then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toMatch(/^dbt\/dbt_project\.yml(:\d+)?: /);
    expect((error as Error).message).toMatch(message);
  });
});

describe("a properties file", () => {
  it.each([
    ["an alias bomb", aliasBomb("x")],
    ["deep flow nesting", `x: ${deepFlow(5000)}\n`],
    ["deep block nesting", deepBlock(MAX_YAML_DEPTH + 5)],
  ])("%s: a problem naming the file; the rest of the report still comes out", async (_, text) => {
    await writeFile(join(root, "dbt", "transform", "gold", "bomb.yml"), text);
    const { reports } = await status();
    const report = reports[0]!;
    const problems = report.problems.filter((p) => p.file === "dbt/transform/gold/bomb.yml");
    expect(problems).toHaveLength(1);
    expect(problems[0]!.message).toMatch(/too many YAML aliases|nested more than \d+ levels/);
    expect(report.summary.paused).toBeGreaterThanOrEqual(9);
    expect(report.models.some((m) => m.name === "d_user")).toBe(true);
  });
});

describe("the config file", () => {
  it.each([
    ["an alias bomb", aliasBomb("x")],
    ["deep flow nesting", `dimensions: ${deepFlow(5000)}\n`],
    ["deep block nesting", deepBlock(MAX_YAML_DEPTH + 5)],
  ])("%s: a user error naming the file (exit 2)", async (_, text) => {
    await writeFile(join(root, ".github-config.yml"), text);
    const files = createDiskFileSource(root);
    const error = await loadConfig(files, ".github-config.yml").then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toMatch(/^\.github-config\.yml(:\d+)?: (too many YAML aliases|YAML nested more than)/);
  });

  it("a few aliases, as people write them, still work", () => {
    const text = "dimensions:\n  dim_a: &shared\n    models: [a]\n  dim_b: *shared\n";
    const result = parseConfig({ configFile: { path: "c.yml", text } });
    expect("config" in result || "problems" in result).toBe(true);
    if ("problems" in result) expect(result.problems.map((p) => p.message).join()).not.toMatch(/alias|nested/);
  });
});

describe("one choke point", () => {
  it("no source file but src/core/yaml/boundedYaml.ts parses YAML with `yaml` directly", async () => {
    const offenders: string[] = [];
    const walk = async (dir: string): Promise<void> => {
      for (const entry of await readdir(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) await walk(path);
        else if (entry.name.endsWith(".ts")) {
          const text = await readFile(path, "utf8");
          const imports = [...text.matchAll(/import\s*\{([^}]*)\}\s*from\s*["']yaml["']/g)].flatMap((m) => m[1]!.split(","));
          const parsers = imports.map((s) => s.trim().split(/\s+as\s+/)[0]!).filter((n) => /^(parse|parseDocument|parseAllDocuments|Parser|Composer|Document)$/.test(n));
          if (parsers.length > 0 || /import\s+\*\s+as\s+\w+\s+from\s+["']yaml["']|import\s+\w+\s+from\s+["']yaml["']/.test(text)) offenders.push(relative(REPO_ROOT, path));
        }
      }
    };
    await walk(join(REPO_ROOT, "src"));
    expect(offenders).toEqual(["src/core/yaml/boundedYaml.ts"]);
  });
});
