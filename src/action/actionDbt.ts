import * as core from "@actions/core";
import type { DbtContext } from "../adapters/dbt/dbtContext.js";
import { type DbtInstallation, findDbt } from "../adapters/dbt/findDbt.js";
import { secretValues } from "../core/warehouseRun/secretValues.js";
import type { ActionInputs } from "./actionInputs.js";

export interface ActionDbt {
  installation: DbtInstallation;
  /** dbt's settings from the `dbt-*` inputs (the profiles folder already absolute), for every project. */
  context: Omit<DbtContext, "projectDir">;
  /** Values of the variables passed to dbt whose names look secret: redacted from what dbt says. */
  secrets: string[];
}

/**
 * dbt for one Action command, decided once (the Action's `dbtCommandContext`): the installation
 * (`dbt` input, the repository's `.venv`, PATH), its settings and the secrets to redact. `announce`
 * logs which dbt it is (the commands that change the tree or the warehouse); `signal` (the run's
 * cancellation) stops every dbt it runs.
 */
export async function actionDbt(inputs: Pick<ActionInputs, "dbt" | "workspace">, options: { announce: boolean; signal?: AbortSignal | undefined }): Promise<ActionDbt> {
  const installation = await findDbt({ explicit: inputs.dbt.command, repoRoot: inputs.workspace });
  if (options.announce) core.info(`dbt ${installation.version} at ${installation.command}`);
  return {
    installation,
    context: { dbt: installation, profilesDir: inputs.dbt.profilesDir, target: inputs.dbt.target, timeoutMs: inputs.dbt.timeoutMs, extraEnv: inputs.dbt.env, signal: options.signal },
    secrets: secretValues(process.env, inputs.dbt.env),
  };
}
