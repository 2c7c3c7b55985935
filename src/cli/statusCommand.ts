import { resolve } from "node:path";
import { extractExactDependencies } from "../adapters/dbt/exactExtraction.js";
import { findDbt } from "../adapters/dbt/findDbt.js";
import { createDiskFileSource } from "../adapters/files/diskFileSource.js";
import type { DbtProject } from "../core/project/buildProject.js";
import { renderStatusText } from "../core/render/renderStatusText.js";
import { computeStatus } from "../usecases/computeStatus.js";
import { loadConfig } from "../usecases/loadConfig.js";
import { checkName, COMMON_HELP, parseCommandArgs, type CliCommand, type CommonArgs } from "./cliCommand.js";
import { toolRoot } from "./toolRoot.js";

export const statusCommand: CliCommand = {
  name: "status",
  summary: "which paused models are ready, blocked (and on what), or need investigation",
  help: `Usage: dbt-unskip status [--dimension NAME] [--exact] [--json]

  --dimension NAME     only this dimension
  --exact              ask dbt itself what each paused model depends on (needs dbt)

${COMMON_HELP}`,
  async run(argv, io) {
    const { values, common, help } = parseCommandArgs("status", argv, { dimension: { type: "string" }, exact: { type: "boolean", default: false } }, io.cwd);
    if (help) {
      io.stdout.write(`${this.help}\n`);
      return 0;
    }
    const dimension = values.dimension === undefined ? undefined : checkName("--dimension", values.dimension as string);
    const root = resolve(common.root);
    const files = createDiskFileSource(root);
    const config = await loadConfig(files, common.config);
    if (common.projectDirs) config.projectDirs = common.projectDirs;
    const exact = values.exact === true ? await exactMode(common, root) : undefined;
    const { reports } = await computeStatus({ files, config, dimension, exact });
    if (common.json) io.stdout.write(`${JSON.stringify(reports.length === 1 ? reports[0] : { projects: reports }, null, 2)}\n`);
    else for (const report of reports) io.stdout.write(renderStatusText(report));
    return 0;
  },
};

async function exactMode(args: CommonArgs, root: string) {
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
