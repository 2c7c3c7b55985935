import * as core from "@actions/core";
import { createDiskFileSource } from "../adapters/files/diskFileSource.js";
import { renderStatusText } from "../core/render/renderStatusText.js";
import { UserError } from "../core/userError.js";
import { computeStatus } from "../usecases/computeStatus.js";
import { loadConfig } from "../usecases/loadConfig.js";
import { readActionInputs } from "./actionInputs.js";

/** The Action entry: today the readiness report on the checkout, as outputs and a job summary. */
async function run(): Promise<void> {
  const inputs = readActionInputs();
  const files = createDiskFileSource(inputs.workspace);
  const config = await loadConfig(files, inputs.config);
  if (inputs.projectDirs) config.projectDirs = inputs.projectDirs;
  const { reports } = await computeStatus({ files, config, dimension: inputs.dimension });
  const models = reports.flatMap((r) => r.models.map((m) => ({ ...m, project: r.project.dir })));
  const ready = models.filter((m) => m.status === "ready");
  core.setOutput("ready-models", JSON.stringify(ready.map((m) => ({ project: m.project, name: m.name, path: m.path, dimension: m.dimension }))));
  core.setOutput("ready-count", String(ready.length));
  core.setOutput("blocked-count", String(models.filter((m) => m.status === "blocked").length));
  const text = reports.map(renderStatusText).join("\n");
  core.info(text);
  await core.summary.addHeading("dbt-unskip readiness", 2).addCodeBlock(text, "text").write();
}

run().catch((error: unknown) => {
  core.setFailed(error instanceof UserError ? error.message : `internal error: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
});
