import { readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runBundledCli as cli } from "../helpers/runBundledCli.js";
import { scratchExample } from "../helpers/scratchExample.js";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function example() {
  const scratch = await scratchExample();
  cleanups.push(scratch.cleanup);
  await writeFile(join(scratch.root, "users_store.csv"), "user_id,email\n1,a@example.com\n2,b@example.com\n");
  return scratch;
}

describe("dbt-unskip generate (bundle)", () => {
  it("is listed, and has its own help", async () => {
    const { root } = await example();
    expect(cli(["--help"], root).stdout).toMatch(/generate\s+turn a CSV into a seed or source/);
    expect(cli(["generate", "--help"], root).stdout).toMatch(/--as seed\|source/);
  });

  it("refuses to write without --yes when not in a terminal, and writes nothing", async () => {
    const { root, dbtDir } = await example();
    const { code, stderr } = cli(["generate", "--csv", "users_store.csv", "--name", "stg_users_store"], root);
    expect(code).toBe(2);
    expect(stderr).toMatch(/confirm with --yes/);
    expect(await readdir(join(dbtDir, "reference_data"))).not.toContain("stg_users_store.csv");
  });

  it("--yes --json: the outcome as JSON, f_signups_by_channel ready", async () => {
    const { root } = await example();
    const { code, stdout, stderr } = cli(["generate", "--csv", "users_store.csv", "--name", "stg_users_store", "--yes", "--json"], root);
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const outcome = JSON.parse(stdout);
    expect(outcome.result).toBe("generated");
    expect(outcome.readiness.newlyReady.map((m: { name: string }) => m.name)).toEqual(["f_signups_by_channel"]);
    expect(outcome.key).toEqual({ column: "user_id", proof: "sorted" });
  });

  it("a malformed CSV: exit 2, one line naming the file and line", async () => {
    const { root } = await example();
    await writeFile(join(root, "bad.csv"), "a,b\n1,2\n3\n");
    const { code, stderr } = cli(["generate", "--csv", "bad.csv", "--name", "x", "--yes"], root);
    expect(code).toBe(2);
    expect(stderr).toBe("dbt-unskip: bad.csv: line 3: 1 row without the header's 2 fields (line 3 has 1); every row needs exactly one value per column\n");
  });

  it("hostile names are refused before anything is read", async () => {
    const { root } = await example();
    expect(cli(["generate", "--csv", "users_store.csv", "--name", "../x", "--yes"], root).stderr).toMatch(/--name '\.\.\/x': a name has only letters, digits and _/);
    expect(cli(["generate", "--csv", "users_store.csv", "--name", "x", "--as", "table", "--yes"], root).stderr).toMatch(/--as 'table': expected seed or source/);
  });
});
