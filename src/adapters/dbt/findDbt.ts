import { execFile } from "node:child_process";
import { access, constants } from "node:fs/promises";
import { delimiter, join } from "node:path";
import { UserError } from "../../core/userError.js";

export interface DbtInstallation {
  command: string;
  version: string;
}

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
    return { command: candidate, version };
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

function dbtVersion(command: string): Promise<string | null> {
  return new Promise((resolve) => {
    execFile(command, ["--version"], { timeout: 60_000, env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", DBT_SEND_ANONYMOUS_USAGE_STATS: "false" } }, (error, stdout) => {
      if (error) return resolve(null);
      const match = /installed:\s*([0-9][^\s]*)/.exec(stdout) ?? /dbt(?:-core)?[=\s]+([0-9]+\.[0-9]+\.[0-9][^\s]*)/i.exec(stdout);
      resolve(match?.[1] ?? null);
    });
  });
}
