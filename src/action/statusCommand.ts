import { createDiskFileSource } from "../adapters/files/diskFileSource.js";
import { headCommit } from "../adapters/git/gitWorkTree.js";
import { renderReadinessSummary } from "../core/render/renderDashboard.js";
import { propertiesThread, threadsAllowed } from "../adapters/threads/propertiesThread.js";
import { computeStatus } from "../usecases/computeStatus.js";
import { loadConfig } from "../usecases/loadConfig.js";
import type { ActionEnvironment, ActionInputs } from "./actionInputs.js";
import { publishReadiness } from "./setReadinessOutputs.js";
import { writeReportFile } from "./writeReportFile.js";
import { writeJobSummary } from "./writeJobSummary.js";

/** Readiness of the checkout, as outputs, a saved report and a job summary (any event). */
export async function statusCommand(inputs: ActionInputs, env: ActionEnvironment): Promise<void> {
  const files = createDiskFileSource(inputs.workspace);
  const config = await loadConfig(files, inputs.config, { projectDirs: inputs.projectDirs });
  const prepare = propertiesThread({ enabled: threadsAllowed(process.env.DBT_UNSKIP_THREADS) });
  const { reports } = await computeStatus({ files, config, dimension: inputs.dimension, prepare });
  const reportPath = await writeReportFile(env.runnerTemp, "readiness.json", { schema: "dbt-unskip/status@1", reports });
  const text = publishReadiness(reports, reportPath);
  // Markdown, not HTML: an `<h2>`/`<pre>` block ends at the report's first blank line on GitHub.
  const commit = (await headCommit(inputs.workspace).catch(() => "")) || "unknown";
  await writeJobSummary(renderReadinessSummary(reports, { commit }, text));
}
