import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";

/**
 * Saves the run's report as JSON under the runner's temporary folder (never in the checkout, so
 * it cannot end up committed), for a later step or an artifact. Returns the path.
 */
export async function writeReportFile(runnerTemp: string, name: string, report: unknown): Promise<string> {
  const dir = join(runnerTemp, "dbt-unskip");
  await mkdir(dir, { recursive: true });
  const path = join(dir, name);
  await writeFile(path, `${JSON.stringify(report, null, 2)}\n`);
  return path;
}
