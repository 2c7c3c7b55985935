import { execFile } from "node:child_process";
import { access, constants, open } from "node:fs/promises";
import { delimiter, join } from "node:path";
import { UserError } from "../../core/userError.js";
import type { DbtInstallation } from "../../usecases/dbtRun.js";

/** Defined beside the ports that take it (usecases/dbtRun.ts); named here too, where it is found. */
export type { DbtInstallation };

/** `0` turns the dbt fork server off (spawnDbt.ts); `1` or unset leaves it on. */
export const FORK_SERVER_ENV_VAR = "UNSKIP_DBT_FORK_SERVER";

/** The dbt minor versions this tool is tested with. */
export const SUPPORTED_DBT = /^1\.(8|9|10|11|12)\./;

const INSTALL_HINT = "Install the pinned dbt with `npm run setup` (it creates .venv with dbt-core and dbt-duckdb), " + "or `python3 -m pip install dbt-core~=1.11.0 dbt-duckdb~=1.11.0`, or pass --dbt PATH.";

/** Names the dbt to use when no `--dbt` / `dbt-command` is given (scripts/dbt-versions.sh runs the tests against each minor this way). */
export const DBT_ENV_VAR = "DBT_UNSKIP_DBT";

/**
 * Finds dbt: an explicit path or command, then `DBT_UNSKIP_DBT`, then `.venv/bin/dbt` in the
 * repository, then the tool's own `.venv`, then PATH. Checks that it runs and that its version is
 * one we support.
 */
export async function findDbt(input: { explicit?: string | undefined; repoRoot: string; toolRoot?: string | undefined; env?: NodeJS.ProcessEnv }): Promise<DbtInstallation> {
  const env = input.env ?? process.env;
  const explicit = input.explicit || env[DBT_ENV_VAR] || undefined;
  const forkServer = env[FORK_SERVER_ENV_VAR];
  if (forkServer !== undefined && forkServer !== "" && forkServer !== "0" && forkServer !== "1") throw new UserError(`${FORK_SERVER_ENV_VAR}: '${forkServer}' is not 0 or 1`);
  const off = forkServer === "0" ? { forkServer: false as const } : {};
  input = { ...input, explicit };
  const candidates: string[] = [];
  if (input.explicit) candidates.push(input.explicit);
  else {
    candidates.push(join(input.repoRoot, ".venv", "bin", "dbt"));
    if (input.toolRoot) candidates.push(join(input.toolRoot, ".venv", "bin", "dbt"));
    for (const dir of (env.PATH ?? "").split(delimiter)) if (dir) candidates.push(join(dir, "dbt"));
  }
  for (const candidate of candidates) {
    if (!input.explicit && !(await isExecutable(candidate))) continue;
    const version = await dbtVersion(candidate);
    if (version === null) {
      if (input.explicit) throw new UserError(`dbt at '${candidate}' does not run. ${INSTALL_HINT}`);
      continue;
    }
    if (!SUPPORTED_DBT.test(version)) {
      throw new UserError(`dbt ${version} at '${candidate}' is not supported (need dbt-core 1.8 to 1.12). ${INSTALL_HINT}`);
    }
    return { command: candidate, version, ...off };
  }
  throw new UserError(`dbt was not found. ${INSTALL_HINT}`);
}

async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The installed dbt-core version, as `dbt --version` reports it ("installed:"). `dbt --version` imports
 * all of dbt and asks PyPI for the latest release (~2 s of CPU and a network request, on every command
 * that finds dbt). A pip-installed `dbt` is a Python script whose first line names its interpreter:
 * that interpreter prints the same number from `dbt.__version__` in a few milliseconds. Anything else
 * (a wrapper script, a binary, an interpreter that cannot import dbt) is asked with `dbt --version`.
 */
async function dbtVersion(command: string): Promise<string | null> {
  const python = await pythonOfScript(command);
  if (python) {
    const version = await run(command, python, ["-c", INSTALLED_VERSION], (stdout) => /^([0-9]+\.[0-9]+\.[0-9][^\s]*)\s*$/.exec(stdout)?.[1] ?? null);
    if (version) return version;
  }
  return run(command, command, ["--version"], (stdout) => (/installed:\s*([0-9][^\s]*)/.exec(stdout) ?? /dbt(?:-core)?[=\s]+([0-9]+\.[0-9]+\.[0-9][^\s]*)/i.exec(stdout))?.[1] ?? null);
}

/** `dbt.__version__` is what dbt's own `--version` prints as installed; the current folder is dropped from the import path first (a repository may hold a `dbt/` folder). */
const INSTALLED_VERSION = "import sys; del sys.path[0]; from dbt.__version__ import version; print(version)";

/** The interpreter named by a `#!/…/python…` first line (how pip writes console scripts), or null. */
export async function pythonOfScript(command: string): Promise<string | null> {
  let file: Awaited<ReturnType<typeof open>> | undefined;
  try {
    file = await open(command, "r");
    const head = Buffer.alloc(512);
    const { bytesRead } = await file.read(head, 0, head.length, 0);
    const firstLine = head.subarray(0, bytesRead).toString("utf8").split("\n", 1)[0] ?? "";
    const interpreter = /^#!\s*(\/\S*\/python[0-9.]*)\s*$/.exec(firstLine)?.[1];
    return interpreter && (await isExecutable(interpreter)) ? interpreter : null;
  } catch {
    return null;
  } finally {
    await file?.close();
  }
}

/**
 * Runs one version check of `dbt`. A check that a signal stopped (not our timeout: a terminal's
 * Ctrl-C reaches it as it reaches dbt-unskip) is said as that, never as a dbt that "does not run"
 * (and never passed over for the next candidate): the interrupt is the truth.
 */
function run(dbt: string, command: string, args: string[], read: (stdout: string) => string | null): Promise<string | null> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { timeout: 60_000, env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", DBT_SEND_ANONYMOUS_USAGE_STATS: "false" } }, (error, stdout) => {
      if (error?.signal && !error.killed) return reject(new UserError(`dbt's version check of '${dbt}' was stopped by ${error.signal}`));
      if (error) return resolve(null);
      resolve(read(stdout));
    });
  });
}
