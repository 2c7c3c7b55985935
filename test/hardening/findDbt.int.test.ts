import { execFile } from "node:child_process";
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findDbt } from "../../src/adapters/dbt/findDbt.js";
import { UserError } from "../../src/core/userError.js";
import { REPO_ROOT } from "../helpers/scratchExample.js";

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

// The version comes from dbt's own interpreter (`dbt.__version__`), not from `dbt --version`, which
// imports all of dbt and asks PyPI for the latest release on every command.
describe("findDbt reads the installed version without starting dbt", () => {
  /** A pip-style `dbt` script whose first line names a stand-in interpreter; the interpreter answers `-c` with `answer` (or fails) and logs any other start (that is `dbt --version`). */
  async function pipStyleDbt(folder: string, answer: string | null, versionOutput: string): Promise<{ dbt: string; log: string }> {
    await mkdir(folder, { recursive: true });
    const python = join(folder, "python3.11");
    const log = join(folder, "started.log");
    const onC = answer === null ? "exit 1" : `echo '${answer}'; exit 0`;
    await writeFile(python, `#!/bin/sh\nif [ "$1" = "-c" ]; then ${onC}; fi\necho "$@" >> '${log}'\nprintf '${versionOutput}'\n`);
    await chmod(python, 0o755);
    const dbt = join(folder, "dbt");
    await writeFile(dbt, `#!${python}\nimport sys\nfrom dbt.cli.main import cli\nsys.exit(cli())\n`);
    await chmod(dbt, 0o755);
    return { dbt, log };
  }

  it("asks the script's interpreter, and does not run `dbt --version`", async () => {
    const { dbt, log } = await pipStyleDbt(join(dir, "pip-ok"), "1.11.3", "Core:\\n  - installed: 1.9.0\\n");
    await expect(findDbt({ explicit: dbt, repoRoot: dir })).resolves.toEqual({ command: dbt, version: "1.11.3" });
    await expect(readFile(log, "utf8")).rejects.toThrow(/ENOENT/);
  });

  it("an unsupported version read this way is refused as before", async () => {
    const { dbt } = await pipStyleDbt(join(dir, "pip-old"), "1.6.0", "Core:\\n  - installed: 1.11.0\\n");
    await expect(findDbt({ explicit: dbt, repoRoot: dir })).rejects.toThrow(/^dbt 1\.6\.0 at .* is not supported/);
  });

  it("an interpreter that cannot import dbt falls back to `dbt --version`", async () => {
    const { dbt, log } = await pipStyleDbt(join(dir, "pip-no-import"), null, "Core:\\n  - installed: 1.10.4\\n");
    await expect(findDbt({ explicit: dbt, repoRoot: dir })).resolves.toEqual({ command: dbt, version: "1.10.4" });
    expect(await readFile(log, "utf8")).toBe(`${dbt} --version\n`);
  });

  it("the project's pinned dbt: the same version `dbt --version` reports as installed", async () => {
    const found = await findDbt({ repoRoot: REPO_ROOT });
    const { stdout } = await promisify(execFile)(found.command, ["--version"], { env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", DBT_SEND_ANONYMOUS_USAGE_STATS: "false" } });
    expect(found.version).toBe(/installed:\s*([0-9][^\s]*)/.exec(stdout)?.[1]);
  });
});
