import { buildProject, type DbtProject } from "../../src/core/project/buildProject.js";
import type { FileContent, ProjectSnapshot } from "../../src/core/project/projectSnapshot.js";
import { analyzeReadiness } from "../../src/core/readiness/analyzeReadiness.js";
import type { StateDocumentInput } from "../../src/core/readiness/assignDimensions.js";
import type { ReadinessReport } from "../../src/core/readiness/readinessReport.js";
import { DEFAULT_CONFIG, type UnskipConfig } from "../../src/core/config/unskipConfig.js";

export const PROJECT_YML = "name: shop\nversion: '1.0'\nprofile: shop\n";

/** A project from an in-memory file map (paths relative to the project folder). */
export function snapshotOf(files: Record<string, string | FileContent>, options: { dbtignore?: string; projectYml?: string } = {}): ProjectSnapshot {
  const map = new Map<string, FileContent | "listed">();
  for (const [path, content] of Object.entries(files)) {
    if (path.endsWith(".csv")) map.set(path, "listed");
    else map.set(path, typeof content === "string" ? { kind: "text", text: content } : content);
  }
  return {
    projectDir: "",
    dbtProjectYml: { kind: "text", text: options.projectYml ?? PROJECT_YML },
    dbtignore: options.dbtignore ?? null,
    files: map,
  };
}

export function projectOf(files: Record<string, string | FileContent>, options: { dbtignore?: string; projectYml?: string; config?: Partial<UnskipConfig> } = {}): DbtProject {
  const built = buildProject(snapshotOf(files, options), { vars: options.config?.vars, target: options.config?.target });
  if ("problem" in built) throw new Error(built.problem.message);
  return built.project;
}

export function reportOf(files: Record<string, string | FileContent>, options: { dbtignore?: string; projectYml?: string; documents?: StateDocumentInput[]; config?: Partial<UnskipConfig> } = {}): ReadinessReport {
  return analyzeReadiness({
    project: projectOf(files, options),
    stateDocuments: options.documents ?? [],
    config: { ...DEFAULT_CONFIG, ...options.config },
  });
}

/** `name → status` for every paused model, for compact assertions. */
export function statuses(report: ReadinessReport): Record<string, string> {
  return Object.fromEntries(report.models.map((m) => [m.name, m.status]));
}
