import { chmod, mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { planFiles } from "../core/plan/planFiles.js";
import { renderPlanMarkdown } from "../core/plan/renderPlanMarkdown.js";
import { renderPlanText } from "../core/plan/renderPlanText.js";
import { planDimension } from "../usecases/planDimension.js";
import { exitCodesHelp } from "./exitCodes.js";
import { checkNames, COMMON_HELP, type CliCommand } from "./cliCommand.js";
import { DBT_OPTIONS, DBT_OPTIONS_HELP, dbtCommandContext } from "./dbtCommandContext.js";
import { runStoppable } from "./interruptGuard.js";
import { startCommand } from "./startCommand.js";
import type { ScratchCopies } from "../usecases/scratchDbt.js";
import { localTreePorts } from "../adapters/localTreePorts.js";

export const planCommand: CliCommand = {
  name: "plan",
  summary: "the migration plan of a dimension's restore: relations, dependencies, tests, risk, rollback and validation",
  help: `Usage: dbt-unskip plan --dimension NAME [--models a,b] [--restored] [--markdown | --json] [--out DIR]

Plans what a restore of the dimension brings back (its ready models, in order), or, when nothing is
ready, what its latest restore commit brought back. dbt parses a scratch copy: your tree and your
warehouse are not touched.

  --dimension NAME     the dimension (required)
  --models a,b         only these ready models (and the paused models they need)
  --restored           plan the latest restore commit's models even when others are ready
  --markdown           print the plan as Markdown (as in the restore pull request)
  --out DIR            also write plan.md, plan.json, rollback.sh, rollback.sql, validation.sql to DIR
${DBT_OPTIONS_HELP} (default 600)

${exitCodesHelp("plan")}

${COMMON_HELP}`,
  async run(argv, io) {
    const start = await startCommand(this, argv, io, {
      options: { dimension: { type: "string" }, models: { type: "string" }, restored: { type: "boolean", default: false }, markdown: { type: "boolean", default: false }, out: { type: "string" }, ...DBT_OPTIONS },
      dimension: "required",
      check: (values) => checkNames("--models", values.models as string | undefined),
    });
    if (!start) return 0;
    const { values, common, dimension, checked: models, root, config } = start;
    const log = common.json || values.markdown === true ? io.stderr : io.stdout;
    return runStoppable(
      log,
      "plan",
      async (signal, dbtStep) => {
        const { dbt, secrets } = await dbtCommandContext({ common, values, root, defaultTimeoutSeconds: 600, signal });
        // The scratch port, watched: each dbt it runs is a dbt step.
        const scratch: ScratchCopies = (at, input, work) => localTreePorts.scratch(at, input, (copy, run) => work(copy, (args) => dbtStep(() => run(args))));
        const plan = await planDimension({
          ...localTreePorts,
          scratch,
          root,
          config,
          dimension,
          models,
          basis: values.restored === true ? "restored" : "auto",
          dbt,
          secrets,
          progress: (line) => log.write(`${line}\n`),
        });
        return async () => {
          if (values.out !== undefined) {
            const out = resolve(io.cwd, values.out as string);
            await mkdir(out, { recursive: true });
            for (const [name, content] of Object.entries(planFiles(plan))) await writeFile(join(out, name), content);
            await chmod(join(out, "rollback.sh"), 0o755);
            log.write(`Wrote plan.md, plan.json, rollback.sh, rollback.sql, validation.sql to ${out}\n`);
          }
          start.print(plan, () => (values.markdown === true ? renderPlanMarkdown(plan) : renderPlanText(plan)));
          return 0;
        };
      },
      process,
      common.json ? io.stdout : null,
    );
  },
};
