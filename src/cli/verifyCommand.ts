import { verifyParse } from "../adapters/dbt/exactExtraction.js";
import { renderVerifyText } from "../core/verify/renderVerify.js";
import { verifyProjects } from "../usecases/verifyProjects.js";
import { exitCodesHelp } from "./exitCodes.js";
import { COMMON_HELP, type CliCommand } from "./cliCommand.js";
import { DBT_OPTIONS, DBT_OPTIONS_HELP, dbtCommandContext } from "./dbtCommandContext.js";
import { runStoppable } from "./interruptGuard.js";
import { startCommand } from "./startCommand.js";

export const verifyCommand: CliCommand = {
  name: "verify",
  summary: "measure the static engine against your own dbt (dbt parse in a scratch copy): edges and enabled-ness",
  help: `Usage: dbt-unskip verify [--json]

Runs \`dbt parse\` in a scratch copy of each project (paused files under their real names, disabled;
your tree is never touched) and compares, for every model, the refs, sources and enabled-ness the
static engine reads with the ones dbt records. Lists each disagreement with file, line and reason.

${exitCodesHelp("verify")}

${DBT_OPTIONS_HELP}

${COMMON_HELP}`,
  async run(argv, io) {
    const start = await startCommand(this, argv, io, { options: { ...DBT_OPTIONS } });
    if (!start) return 0;
    const { common, values, root, files, config } = start;
    return runStoppable(
      start.log,
      "verify",
      async (signal, dbtStep) => {
        const { dbt } = await dbtCommandContext({ common, values, root, defaultTimeoutSeconds: 600, signal });
        const parse = verifyParse(root, dbt);
        const result = await verifyProjects({
          files,
          config,
          dbtVersion: dbt.dbt.version,
          progress: (line) => start.log.write(`${line}\n`),
          parse: (project) => dbtStep(() => parse(project)),
        });
        return () => {
          start.print(result, () => renderVerifyText(result));
          return result.safe ? 0 : 1;
        };
      },
      process,
      common.json ? io.stdout : null,
    );
  },
};
