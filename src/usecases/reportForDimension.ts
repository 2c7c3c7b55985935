import type { UnskipConfig } from "../core/config/unskipConfig.js";
import type { ReadinessReport } from "../core/readiness/readinessReport.js";
import { UserError } from "../core/userError.js";
import { computeStatus } from "./computeStatus.js";
import type { LocalFiles } from "./localFiles.js";

/**
 * The readiness report of the project a dimension lives in. With several projects, the one that
 * knows the dimension, or the one holding the given files (a restore's paths), must be unique.
 */
export async function reportForDimension(input: { disk: LocalFiles; root: string; config: UnskipConfig; dimension: string; paths?: readonly string[] }): Promise<ReadinessReport> {
  const { reports } = await computeStatus({ files: input.disk.tree(input.root), config: input.config });
  if (reports.length === 0) throw new UserError("no dbt project found");
  if (reports.length === 1) return reports[0]!;
  const holding = (r: ReadinessReport) => (input.paths ?? []).some((p) => r.project.dir === "." || r.project.dir === "" || p.startsWith(`${r.project.dir}/`));
  const matching = reports.filter((r) => r.dimensions.some((d) => d.name === input.dimension) || holding(r));
  if (matching.length !== 1) {
    throw new UserError(
      matching.length === 0
        ? `no project knows dimension '${input.dimension}'; choose one with --project-dir`
        : `dimension '${input.dimension}' is in several projects (${matching.map((r) => r.project.dir).join(", ")}); choose one with --project-dir`,
    );
  }
  return matching[0]!;
}
