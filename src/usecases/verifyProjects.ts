import type { UnskipConfig } from "../core/config/unskipConfig.js";
import type { ManifestParse } from "../core/verify/compareWithManifest.js";
import { compareWithManifest } from "../core/verify/compareWithManifest.js";
import type { VerifyResult } from "../core/verify/verifyReport.js";
import { buildProject, type DbtProject } from "../core/project/buildProject.js";
import { joinPath } from "../core/project/projectSnapshot.js";
import { UserError } from "../core/userError.js";
import type { FileSource } from "./fileSource.js";
import { readProjectSnapshot } from "./readProjectSnapshot.js";
import { resolveProjectDirs } from "./resolveProjectDirs.js";

/**
 * `verify`: for every configured project, the static engine's reading (no dbt) and dbt's own
 * (`parse` supplies it, in a scratch copy) side by side. Safe when no disagreement could make a
 * model wrongly ready.
 */
export async function verifyProjects(input: {
  files: FileSource;
  config: UnskipConfig;
  dbtVersion: string;
  /** dbt's manifest of one project, paused files parsed under their real names but disabled. */
  parse: (project: DbtProject) => Promise<ManifestParse>;
  progress?: (line: string) => void;
}): Promise<VerifyResult> {
  const projects = [];
  for (const dir of await resolveProjectDirs(input.files, input.config.projectDirs)) {
    const snapshot = await readProjectSnapshot(input.files, dir);
    const built = buildProject(snapshot);
    if ("problem" in built) {
      const p = built.problem;
      throw new UserError(`${p.file}${p.line ? `:${p.line}` : ""}: ${p.message}`);
    }
    input.progress?.(`dbt parse of ${built.project.name} (scratch copy)...`);
    const parse = await input.parse(built.project);
    projects.push(
      compareWithManifest(built.project, parse, (file) => {
        const content = snapshot.files.get(joinPath(dir, file));
        return typeof content === "object" && content.kind === "text" ? content.text : null;
      }),
    );
  }
  return { safe: projects.every((p) => p.wronglyReady === 0), dbtVersion: input.dbtVersion, projects };
}
