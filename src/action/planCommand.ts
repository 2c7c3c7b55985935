import * as core from "@actions/core";
import { createDiskFileSource } from "../adapters/files/diskFileSource.js";
import { codeSpan } from "../core/render/codeSpan.js";
import { renderPlanMarkdown } from "../core/plan/renderPlanMarkdown.js";
import { UserError } from "../core/userError.js";
import { loadConfig } from "../usecases/loadConfig.js";
import { planDimension } from "../usecases/planDimension.js";
import { actionDbt } from "./actionDbt.js";
import type { ActionEnvironment, ActionInputs } from "./actionInputs.js";
import { logFenced } from "./fencedLog.js";
import { writeReportFile } from "./writeReportFile.js";
import { writeJobSummary } from "./writeJobSummary.js";
import { localTreePorts } from "../adapters/localTreePorts.js";

/** `command: plan` (a dispatch, or the bot's `/unskip plan`): the migration plan, in the job summary. */
export async function planCommand(inputs: ActionInputs, env: ActionEnvironment): Promise<void> {
  if (!inputs.dimension) throw new UserError("input 'dimension' is required with command 'plan'");
  const config = await loadConfig(createDiskFileSource(inputs.workspace), inputs.config, { projectDirs: inputs.projectDirs });
  const dbt = await actionDbt(inputs, { announce: false, signal: env.cancelled });
  const plan = await planDimension({
    ...localTreePorts,
    root: inputs.workspace,
    config,
    dimension: inputs.dimension,
    models: inputs.models,
    dbt: dbt.context,
    secrets: dbt.secrets,
    progress: (line) => logFenced(line),
  });
  // Cancelled: a plan made while dbt was being stopped is not published (the entry says it was cancelled).
  if (env.cancelled?.aborted) return;
  // The verdict first, as an alert: the plan below is long.
  const alert = { proceed: "TIP", caution: "WARNING", review: "CAUTION" }[plan.recommendation.verdict];
  const markdown = `> [!${alert}]\n> **${plan.recommendation.headline}** for ${codeSpan(plan.dimension)}: the steps are under Recommendation.\n\n${renderPlanMarkdown(plan, { headingLevel: 2 })}`;
  core.setOutput("report-path", await writeReportFile(env.runnerTemp, "plan.json", { schema: "dbt-unskip/plan@1", plan }));
  await writeJobSummary(markdown);
}
