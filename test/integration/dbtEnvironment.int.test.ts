import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { findDbt } from "../../src/adapters/dbt/findDbt.js";
import { spawnDbt } from "../../src/adapters/dbt/spawnDbt.js";
import { REPO_ROOT, scratchExample } from "../helpers/scratchExample.js";

// RELIABILITY 2: dbt renders code from pull requests; it must not see the job's secrets.
let example: Awaited<ReturnType<typeof scratchExample>>;
beforeAll(async () => {
  example = await scratchExample();
});
afterAll(() => example.cleanup());

it("a model reading env_var('GITHUB_TOKEN', '') compiles to an empty string, and a .env file changes nothing", async () => {
  const dbt = await findDbt({ repoRoot: REPO_ROOT });
  await writeFile(join(example.dbtDir, "transform/gold/leak.sql"), 'select \'{{ env_var("GITHUB_TOKEN", "") }}\' as token, \'{{ env_var("LEAK_ME", "") }}\' as other\n');
  await writeFile(join(example.dbtDir, ".env"), "GITHUB_TOKEN=from-dotenv\nLEAK_ME=from-dotenv\n");
  process.env.GITHUB_TOKEN = "ghs_must_not_leak";
  process.env.LEAK_ME = "must_not_leak";
  try {
    const result = await spawnDbt({
      command: dbt.command,
      args: ["compile", "--select", "leak"],
      projectDir: example.dbtDir,
      profilesDir: example.dbtDir,
      timeoutMs: 300_000,
      setEnv: { DBT_UNSKIP_DUCKDB_PATH: join(example.root, "env.duckdb") },
    });
    expect(result.exitCode, result.otherOutput).toBe(0);
  } finally {
    delete process.env.GITHUB_TOKEN;
    delete process.env.LEAK_ME;
  }
  const compiled = await readFile(join(example.dbtDir, "target/compiled/acme_warehouse/transform/gold/leak.sql"), "utf8");
  expect(compiled.trim()).toBe("select '' as token, '' as other");
});
