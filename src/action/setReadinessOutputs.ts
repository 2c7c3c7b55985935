import * as core from "@actions/core";
import type { ReadinessReport } from "../core/readiness/readinessReport.js";
import { renderStatusText } from "../core/render/renderStatusText.js";
import { logFenced } from "./fencedLog.js";

/** The outputs every run sets: ready models (JSON), counts, and where the full report was saved. */
export function setReadinessOutputs(reports: readonly ReadinessReport[], reportPath: string): void {
  const models = reports.flatMap((r) => r.models.map((m) => ({ ...m, project: r.project.dir })));
  const ready = models.filter((m) => m.status === "ready");
  core.setOutput("ready-models", JSON.stringify(ready.map((m) => ({ project: m.project, name: m.name, path: m.path, dimension: m.dimension }))));
  core.setOutput("ready-count", String(ready.length));
  core.setOutput("blocked-count", String(models.filter((m) => m.status === "blocked").length));
  core.setOutput("report-path", reportPath);
  // Ready for `strategy.matrix`: one job per dimension that has something to restore.
  core.setOutput("dimensions-with-work", JSON.stringify([...new Set(ready.map((m) => m.dimension).filter((d): d is string => d !== null))].sort()));
}

/**
 * Where every command that read the project's readiness puts it: the outputs (with `report-path`,
 * the report file the command saved) and the status text in the log. Returns that text.
 */
export function publishReadiness(reports: readonly ReadinessReport[], reportPath: string): string {
  setReadinessOutputs(reports, reportPath);
  const text = reports.map(renderStatusText).join("\n");
  logFenced(text);
  return text;
}
