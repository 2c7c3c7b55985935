import { resolve } from "node:path";
import { renderStatusText } from "../core/render/renderStatusText.js";
import { createDiskFileSource } from "../adapters/files/diskFileSource.js";
import { computeStatus } from "../usecases/computeStatus.js";
import { loadConfig } from "../usecases/loadConfig.js";
import type { StatusArgs } from "./parseCliArgs.js";
import { extractExactDependencies } from "../adapters/dbt/exactExtraction.js";
import { findDbt } from "../adapters/dbt/findDbt.js";
import type { DbtProject } from "../core/project/buildProject.js";
import { toolRoot } from "./toolRoot.js";

export interface Output {
  write(text: string): unknown;
}

/** `dbt-unskip status`: the readiness report, human or JSON. */
export async function runStatusCommand(args: StatusArgs, io: { stdout: Output; stderr: Output }): Promise<number> {
  const root = resolve(args.root);
  const files = createDiskFileSource(root);
  const config = await loadConfig(files, args.config);
  if (args.projectDirs) config.projectDirs = args.projectDirs;
  const exact = args.exact ? await exactMode(args, root) : undefined;
  const { reports } = await computeStatus({ files, config, dimension: args.dimension, exact });
  if (args.json) {
    const body = reports.length === 1 ? reports[0] : { projects: reports };
    io.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
  } else {
    for (const report of reports) io.stdout.write(renderStatusText(report));
  }
  return 0;
}

async function exactMode(args: StatusArgs, root: string) {
  const dbt = await findDbt({ explicit: args.dbt, repoRoot: root, toolRoot: toolRoot() });
  return (project: DbtProject) =>
    extractExactDependencies({
      dbt,
      projectRoot: resolve(root, project.projectDir || "."),
      project,
      profilesDir: args.profilesDir ? resolve(args.profilesDir) : undefined,
      target: args.target,
    });
}
