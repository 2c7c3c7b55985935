import * as core from "@actions/core";
import { verifyParse } from "../adapters/dbt/exactExtraction.js";
import { createDiskFileSource } from "../adapters/files/diskFileSource.js";
import { renderVerifyMarkdown } from "../core/verify/renderVerify.js";
import { loadConfig } from "../usecases/loadConfig.js";
import { verifyProjects } from "../usecases/verifyProjects.js";
import { actionDbt } from "./actionDbt.js";
import type { ActionEnvironment, ActionInputs } from "./actionInputs.js";
import { logFenced } from "./fencedLog.js";
import { writeReportFile } from "./writeReportFile.js";
import { writeJobSummary } from "./writeJobSummary.js";

/**
 * `command: verify` (a dispatch, or the bot's `/unskip verify`): the static engine measured against
 * the repository's own dbt, the figures and every disagreement in the job summary. The job fails when
 * a disagreement could make a model wrongly ready, as the CLI exits 1.
 */
export async function verifyCommand(inputs: ActionInputs, env: ActionEnvironment): Promise<void> {
  const files = createDiskFileSource(inputs.workspace);
  const config = await loadConfig(files, inputs.config, { projectDirs: inputs.projectDirs });
  const { context: dbt } = await actionDbt(inputs, { announce: false, signal: env.cancelled });
  const result = await verifyProjects({
    files,
    config,
    dbtVersion: dbt.dbt.version,
    progress: (line) => logFenced(line),
    parse: verifyParse(inputs.workspace, dbt),
  });
  // Cancelled: what dbt said while it was being stopped is not a finding (the entry says it was cancelled).
  if (env.cancelled?.aborted) return;
  core.setOutput("report-path", await writeReportFile(env.runnerTemp, "verify.json", { schema: "dbt-unskip/verify@1", ...result }));
  await writeJobSummary(renderVerifyMarkdown(result));
  if (!result.safe) {
    const count = result.projects.reduce((n, r) => n + r.wronglyReady, 0);
    core.setFailed(`verify: ${count} disagreement(s) between the static engine and dbt could make a model wrongly ready (listed in the job summary)`);
  }
}
