import { resolve } from "node:path";
import { extractExactDependencies } from "../adapters/dbt/exactExtraction.js";
import type { ExactResult } from "../core/dbt/applyExactDependencies.js";
import { findDbt } from "../adapters/dbt/findDbt.js";
import { propertiesThread, threadsAllowed } from "../adapters/threads/propertiesThread.js";
import type { DbtProject } from "../core/project/buildProject.js";
import { renderStatusMermaid, renderStatusText } from "../core/render/renderStatusText.js";
import { UserError } from "../core/userError.js";
import { computeStatus } from "../usecases/computeStatus.js";
import { exitCodesHelp } from "./exitCodes.js";
import { COMMON_HELP, type CliCommand, type CommonArgs } from "./cliCommand.js";
import { runStoppable } from "./interruptGuard.js";
import { startCommand } from "./startCommand.js";
import { toolRoot } from "./toolRoot.js";

export const statusCommand: CliCommand = {
  name: "status",
  summary: "which paused models are ready, blocked (and on what), or need investigation",
  help: `Usage: dbt-unskip status [--dimension NAME] [--exact] [--json | --format text|mermaid]

  --dimension NAME     only this dimension
  --exact              ask dbt itself what each paused model depends on (needs dbt)
  --format mermaid     a Mermaid flowchart of what blocks what (root causes, the paused models they
                       block, what those would unblock, ready models), for mermaid.live or mmdc

${exitCodesHelp("status")}

${COMMON_HELP}`,
  async run(argv, io) {
    const start = await startCommand(this, argv, io, {
      options: { dimension: { type: "string" }, exact: { type: "boolean", default: false }, format: { type: "string", default: "text" } },
      dimension: "optional",
      check: (values) => {
        if (values.format !== "text" && values.format !== "mermaid") throw new UserError(`--format must be text or mermaid, not '${String(values.format)}'`);
        return values.format;
      },
    });
    if (!start) return 0;
    const { values, common, dimension, root, files, config } = start;
    const status = async (exact?: (project: DbtProject) => Promise<ExactResult>) => {
      const prepare = propertiesThread({ enabled: threadsAllowed(process.env.DBT_UNSKIP_THREADS) });
      const { reports } = await computeStatus({ files, config, dimension, exact, prepare });
      return () => {
        if (start.checked === "mermaid" && !start.common.json) {
          io.stdout.write(renderStatusMermaid(reports));
          return 0;
        }
        start.print(reports.length === 1 ? reports[0] : { projects: reports }, () => reports.map(renderStatusText).join(""));
        return 0;
      };
    };
    if (values.exact !== true) return (await status())();
    // --exact runs dbt parse in a scratch copy: Ctrl-C or SIGTERM stops it and removes the copy.
    return runStoppable(
      start.log,
      "status",
      async (signal, dbtStep) => {
        const exact = await exactMode(common, root, signal);
        return status((project) => dbtStep(() => exact(project)));
      },
      process,
      common.json ? io.stdout : null,
    );
  },
};

async function exactMode(args: CommonArgs, root: string, signal: AbortSignal) {
  const dbt = await findDbt({ explicit: args.dbt, repoRoot: root, toolRoot: toolRoot() });
  return (project: DbtProject) =>
    extractExactDependencies({
      dbt,
      root,
      projectRoot: resolve(root, project.projectDir || "."),
      project,
      profilesDir: args.profilesDir,
      target: args.target,
      signal,
    });
}
