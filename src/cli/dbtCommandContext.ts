import type { DbtContext } from "../adapters/dbt/dbtContext.js";
import { findDbt } from "../adapters/dbt/findDbt.js";
import { secretValues } from "../core/warehouseRun/secretValues.js";
import { UserError } from "../core/userError.js";
import type { CommonArgs } from "./cliCommand.js";
import { toolRoot } from "./toolRoot.js";

/** Options of the commands that run dbt against the warehouse (plan, run, rollback, backfill). */
export const DBT_OPTIONS = {
  timeout: { type: "string" },
  "pass-env": { type: "string", multiple: true },
} as const;

export const DBT_OPTIONS_HELP = `  --timeout SECONDS    stop a dbt command after this long
  --pass-env NAME      pass this environment variable to dbt (warehouse credentials; repeatable).
                       dbt otherwise gets an allow-list (PATH, HOME, DBT_* ...). Values of variables
                       whose names look secret (TOKEN, PASSWORD, SECRET, ...) are redacted from reports.`;

/** `--timeout SECONDS` of any command that runs dbt: a positive number, or the command's default. */
export function timeoutOption(raw: unknown, defaultSeconds: number): number {
  if (raw === undefined) return defaultSeconds;
  const seconds = Number(raw);
  if (typeof raw !== "string" || !Number.isFinite(seconds) || seconds <= 0) throw new UserError(`--timeout '${String(raw)}': expected a number of seconds`);
  return seconds;
}

/**
 * The dbt settings of one command, decided once at the edge: the executable, profiles, target,
 * timeout, the variables passed through, and the secret values to redact from what dbt says.
 */
export async function dbtCommandContext(input: {
  common: CommonArgs;
  values: Record<string, unknown>;
  root: string;
  defaultTimeoutSeconds: number;
  signal?: AbortSignal;
}): Promise<{ dbt: Omit<DbtContext, "projectDir">; secrets: string[] }> {
  const seconds = timeoutOption(input.values.timeout, input.defaultTimeoutSeconds);
  const passEnv = (input.values["pass-env"] as string[] | undefined) ?? [];
  for (const name of passEnv) if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new UserError(`--pass-env '${name}': not an environment variable name`);
  const installation = await findDbt({ explicit: input.common.dbt, repoRoot: input.root, toolRoot: toolRoot() });
  return {
    dbt: {
      dbt: installation,
      profilesDir: input.common.profilesDir,
      target: input.common.target,
      timeoutMs: seconds * 1000,
      extraEnv: passEnv,
      signal: input.signal,
    },
    secrets: secretValues(process.env, passEnv),
  };
}
