import * as core from "@actions/core";
import { createDiskFileSource } from "../adapters/files/diskFileSource.js";
import { renderRollbackOffer } from "../core/warehouseRun/renderRollbackOffer.js";
import { renderRunReport } from "../core/warehouseRun/renderRunReport.js";
import { redactSecrets } from "../core/warehouseRun/redactSecrets.js";
import { UserError } from "../core/userError.js";
import { loadConfig } from "../usecases/loadConfig.js";
import { runDimension } from "../usecases/runDimension.js";
import { actionDbt } from "./actionDbt.js";
import type { ActionEnvironment, ActionInputs } from "./actionInputs.js";
import { logFenced } from "./fencedLog.js";
import { checkoutAtExpectedCommit } from "./expectedCommit.js";
import { readEvent } from "./readEvent.js";
import { runGateRefusal } from "./runCommandGate.js";
import { writeReportFile } from "./writeReportFile.js";
import { writeJobSummary } from "./writeJobSummary.js";
import { localTreePorts } from "../adapters/localTreePorts.js";
import { localWarehouseDbt } from "../adapters/localWarehouseDbt.js";

/**
 * `command: run`: runs the models the dimension's latest merged restore brought back (pre-flight,
 * dbt run, dbt test, validation), on the checked-out default branch, only when a person asked for
 * it (a dispatch with the dimension's name typed into `confirm`). The report goes to the job summary;
 * on failure it says how to roll back and runs nothing more.
 */
export async function runCommand(inputs: ActionInputs, env: ActionEnvironment): Promise<void> {
  const dimension = inputs.dimension;
  if (!dimension) throw new UserError("input 'dimension' is required with command 'run'");
  const event = (await readEvent(env, "dispatch", { optional: true })) ?? { ref: null, defaultBranch: null };
  const refusal = runGateRefusal({ eventName: env.eventName, dimension, confirm: inputs.confirm, ref: event.ref ?? env.ref, defaultBranch: event.defaultBranch });
  if (refusal) throw new UserError(refusal);
  const head = await checkoutAtExpectedCommit(inputs.workspace, inputs.expectedSha, "nothing ran");

  const config = await loadConfig(createDiskFileSource(inputs.workspace), inputs.config, { projectDirs: inputs.projectDirs });
  const dbt = await actionDbt(inputs, { announce: true, signal: env.cancelled });
  const { secrets } = dbt;
  const outcome = await runDimension({
    ...localTreePorts,
    warehouse: localWarehouseDbt,
    root: inputs.workspace,
    config,
    dimension,
    dbt: dbt.context,
    secrets,
    // dbt's words (and the project's names) are printed, never obeyed as workflow commands.
    progress: (line) => logFenced(line),
    // The approval was the gate above (and the job's environment, when it has reviewers).
    confirm: async (plan) => {
      const lines = plan.models.map((m) => `  ${m.order}. ${m.name} [${m.materialization}] → ${m.relation ?? "nothing"} (risk ${m.risk.level})`);
      logFenced(redactSecrets(`Running ${plan.models.length} model(s) of ${dimension}, then their tests:\n${lines.join("\n")}`, secrets));
      return true;
    },
  });

  const report = renderRunReport(outcome);
  // Interrupted (the run was cancelled): the entry says it was cancelled, not that the run failed.
  const failed = outcome.result !== "succeeded" && outcome.result !== "interrupted";
  core.setOutput("run-result", outcome.result);
  core.setOutput("report-path", await writeReportFile(env.runnerTemp, "run.json", { schema: "dbt-unskip/run@1", run: outcome }));
  await writeJobSummary(outcome.result === "failed" || (outcome.result === "interrupted" && outcome.rollbackCommand) ? `${report}\n${renderRollbackOffer({ dimension, commit: head })}` : report);
  logFenced(report);
  if (failed) {
    core.setFailed(
      outcome.result === "preflight-failed" ? `${dimension}: a pre-flight check failed, nothing ran (see the job summary)` : `${dimension}: the run failed; nothing was rolled back (the job summary says how)`,
    );
  }
}
