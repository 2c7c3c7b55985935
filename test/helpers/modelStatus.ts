import { createDiskFileSource } from "../../src/adapters/files/diskFileSource.js";
import type { ReadinessReport } from "../../src/core/readiness/readinessReport.js";
import { computeStatus } from "../../src/usecases/computeStatus.js";
import { loadConfig } from "../../src/usecases/loadConfig.js";

/** What `dbt-unskip status` says of paused model `model` in the (first) project at `root`: ready, blocked, …; undefined when it is not paused. */
export async function modelStatus(root: string, model: string): Promise<ReadinessReport["models"][number]["status"] | undefined> {
  const files = createDiskFileSource(root);
  const { reports } = await computeStatus({ files, config: await loadConfig(files) });
  return reports[0]!.models.find((m) => m.name === model)?.status;
}
