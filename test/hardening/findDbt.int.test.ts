import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findDbt } from "../../src/adapters/dbt/findDbt.js";
import { UserError } from "../../src/core/userError.js";

// RELIABILITY 22, the "wrong version" half (dbt missing is in test/integration/restore.int.test.ts):
// a dbt that runs but is too old or too new is refused with a clear error that says how to install
// the supported one, whether it was named explicitly or found in .venv or on PATH.
let dir: string;
async function fakeDbt(folder: string, version: string): Promise<string> {
  await mkdir(folder, { recursive: true });
  const path = join(folder, "dbt");
  await writeFile(path, `#!/bin/sh\nprintf 'Core:\\n  - installed: ${version}\\n  - latest:    ${version} - Up to date!\\n'\n`);
  await chmod(path, 0o755);
  return path;
}
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "dbt-unskip-find-dbt-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("findDbt refuses an unsupported dbt", () => {
  it.each(["1.5.9", "1.7.0", "2.0.0", "0.21.1"])("dbt %s named with --dbt: refused, with how to install", async (version) => {
    const dbt = await fakeDbt(join(dir, `explicit-${version}`), version);
    const found = findDbt({ explicit: dbt, repoRoot: dir });
    await expect(found).rejects.toThrow(UserError);
    await expect(findDbt({ explicit: dbt, repoRoot: dir })).rejects.toThrow(
      new RegExp(`^dbt ${version.replace(/\./g, "\\.")} at '.*' is not supported \\(need dbt-core 1\\.8 to 1\\.12\\)\\. Install the pinned dbt with \`npm run setup\``),
    );
  });

  it("an old dbt in the repository's .venv is refused rather than skipped for one further down PATH", async () => {
    const repo = join(dir, "repo");
    await fakeDbt(join(repo, ".venv", "bin"), "1.6.0");
    const good = await fakeDbt(join(dir, "path-bin"), "1.11.2");
    await expect(findDbt({ repoRoot: repo, env: { PATH: join(dir, "path-bin") } })).rejects.toThrow(/^dbt 1\.6\.0 at .* is not supported/);
    // The same PATH without the old one: the supported dbt is found.
    await expect(findDbt({ repoRoot: join(dir, "elsewhere"), env: { PATH: join(dir, "path-bin") } })).resolves.toEqual({ command: good, version: "1.11.2" });
  });

  it("a supported dbt is accepted", async () => {
    const dbt = await fakeDbt(join(dir, "ok"), "1.11.16");
    await expect(findDbt({ explicit: dbt, repoRoot: dir })).resolves.toEqual({ command: dbt, version: "1.11.16" });
  });
});
