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

  it("UNSKIP_DBT_FORK_SERVER=0 turns the dbt fork server off for every call with this dbt; another value is refused", async () => {
    const dbt = await fakeDbt(join(dir, "fork-setting"), "1.11.16");
    await expect(findDbt({ explicit: dbt, repoRoot: dir, env: { UNSKIP_DBT_FORK_SERVER: "0" } })).resolves.toEqual({ command: dbt, version: "1.11.16", forkServer: false });
    await expect(findDbt({ explicit: dbt, repoRoot: dir, env: { UNSKIP_DBT_FORK_SERVER: "1" } })).resolves.toEqual({ command: dbt, version: "1.11.16" });
    await expect(findDbt({ explicit: dbt, repoRoot: dir, env: { UNSKIP_DBT_FORK_SERVER: "off" } })).rejects.toThrow("UNSKIP_DBT_FORK_SERVER: 'off' is not 0 or 1");
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

  it("a dbt in the repository's .venv (found, not named) is read through its interpreter too", async () => {
    const repo = join(dir, "venv-repo");
    const { dbt, log } = await pipStyleDbt(join(repo, ".venv", "bin"), "1.9.4", "Core:\\n  - installed: 1.8.0\\n");
    await expect(findDbt({ repoRoot: repo, env: { PATH: "" } })).resolves.toEqual({ command: dbt, version: "1.9.4" });
    await expect(readFile(log, "utf8")).rejects.toThrow(/ENOENT/);
  });

  it("a wrapper script (a shell script that starts dbt) is asked with `dbt --version`", async () => {
    // The wrapper execs a pip-style dbt, whose interpreter would answer 1.11.3 to `-c`: the wrapper's
    // own first line names no Python, so the number must come from `--version` through the wrapper.
    const { dbt: inner, log } = await pipStyleDbt(join(dir, "wrapped"), "1.11.3", "Core:\\n  - installed: 1.10.7\\n");
    const wrapper = join(dir, "wrapper", "dbt");
    await mkdir(join(dir, "wrapper"), { recursive: true });
    await writeFile(wrapper, `#!/bin/sh\nexec '${inner}' "$@"\n`);
    await chmod(wrapper, 0o755);
    await expect(findDbt({ explicit: wrapper, repoRoot: dir })).resolves.toEqual({ command: wrapper, version: "1.10.7" });
    expect(await readFile(log, "utf8")).toBe(`${inner} --version\n`);
  });

  it("a binary dbt (no script line to read) is asked with `dbt --version`", async () => {
    const folder = join(dir, "binary");
    await mkdir(folder, { recursive: true });
    const source = join(folder, "dbt.c");
    await writeFile(source, '#include <stdio.h>\n#include <string.h>\nint main(int c, char **v) { if (c == 2 && !strcmp(v[1], "--version")) { printf("Core:\\n  - installed: 1.8.9\\n"); return 0; } return 2; }\n');
    const dbt = join(folder, "dbt");
    await promisify(execFile)("cc", ["-o", dbt, source]);
    await expect(findDbt({ explicit: dbt, repoRoot: dir })).resolves.toEqual({ command: dbt, version: "1.8.9" });
  });

  it("a version check stopped by a signal (a terminal's Ctrl-C reaches it too) says so, not 'does not run' with how to install", async () => {
    // The stand-in stops itself, as the Ctrl-C that reaches dbt-unskip's whole process group stops it.
    for (const signal of ["INT", "TERM"]) {
      const folder = join(dir, `stopped-${signal}`);
      await mkdir(folder, { recursive: true });
      const dbt = join(folder, "dbt");
      await writeFile(dbt, `#!/bin/sh\nkill -${signal} $$\n`);
      await chmod(dbt, 0o755);
      const said = `dbt's version check of '${dbt}' was stopped by SIG${signal}`;
      await expect(findDbt({ explicit: dbt, repoRoot: dir })).rejects.toThrow(said);
      await expect(findDbt({ explicit: dbt, repoRoot: dir })).rejects.not.toThrow(/does not run|Install/);
      // Found rather than named: the same, not passed over for another dbt (or "dbt was not found").
      const good = await fakeDbt(join(dir, `after-stopped-${signal}`), "1.11.2");
      await expect(findDbt({ repoRoot: join(dir, "no-venv"), env: { PATH: [folder, join(dir, `after-stopped-${signal}`)].join(":") } })).rejects.toThrow(said);
      expect(good).toBeTruthy();
    }
  });

  it("a script whose interpreter is gone (a venv moved or deleted) is refused as not running", async () => {
    const folder = join(dir, "broken-venv");
    await mkdir(folder, { recursive: true });
    const dbt = join(folder, "dbt");
    await writeFile(dbt, `#!${join(folder, "gone", "python3.11")}\nimport sys\nfrom dbt.cli.main import cli\nsys.exit(cli())\n`);
    await chmod(dbt, 0o755);
    await expect(findDbt({ explicit: dbt, repoRoot: dir })).rejects.toThrow(/^dbt at '.*broken-venv\/dbt' does not run\. Install the pinned dbt/);
    // Found rather than named, it is passed over for the next candidate.
    const good = await fakeDbt(join(dir, "after-broken"), "1.11.2");
    await expect(findDbt({ repoRoot: join(dir, "no-venv"), env: { PATH: [folder, join(dir, "after-broken")].join(":") } })).resolves.toEqual({ command: good, version: "1.11.2" });
  });

  it("the project's pinned dbt: the same version `dbt --version` reports as installed", async () => {
    const found = await findDbt({ repoRoot: REPO_ROOT });
    const { stdout } = await promisify(execFile)(found.command, ["--version"], { env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", DBT_SEND_ANONYMOUS_USAGE_STATS: "false" } });
    expect(found.version).toBe(/installed:\s*([0-9][^\s]*)/.exec(stdout)?.[1]);
  });
});
