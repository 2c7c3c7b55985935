import { isAbsolute, resolve } from "node:path";
import type { GenerateMode } from "../core/generate/columnPlan.js";
import { DIALECTS, type Dialect } from "../core/generate/dialect.js";
import { renderGenerateReport } from "../core/generate/renderGenerateReport.js";
import { UserError } from "../core/userError.js";
import { generateFromCsv } from "../usecases/generateFromCsv.js";
import { exitCodesHelp } from "./exitCodes.js";
import { checkName, COMMON_HELP, type CliCommand } from "./cliCommand.js";
import { confirmOnTerminal } from "./confirmOnTerminal.js";
import { guardInterrupts, interruptExitCode, stoppedJson } from "./interruptGuard.js";
import { startCommand } from "./startCommand.js";
import { localGeneratePorts } from "../adapters/localGeneratePorts.js";

export const generateCommand: CliCommand = {
  name: "generate",
  summary: "turn a CSV into a seed or source (types, tests, load, validation, rollback) and show what it unblocks",
  help: `Usage: dbt-unskip generate --csv FILE --name NAME [--as seed|source] [--dialect duckdb|postgres|snowflake] [--yes] [--json]

  --csv FILE           the CSV (RFC 4180, UTF-8, comma-separated, a header line); read once, streamed
  --name NAME          the seed's name, or the source table's name
  --as seed|source     seed (default): copy the CSV under the first seed path with a properties YAML
                       (column_types, not_null/unique tests); source: a source declaration under the
                       model paths plus CREATE TABLE and load SQL for the dialect
  --source-name SRC    the source to declare the table in (default raw; beside its YAML if it exists)
  --schema NAME        the table's schema (default: the source's name)
  --model NAME         with --as source: also write an ephemeral model NAME over the source, so that
                       ref('NAME') resolves (a source alone never satisfies a ref)
  --dialect D          duckdb (default), postgres or snowflake: types, quoting and load statements
  --out DIR            where load/validate/rollback scripts go (default <project>/target/dbt-unskip-generate/NAME)
  --yes, -y            write without asking

Writes every file or none.

${exitCodesHelp("generate")}

${COMMON_HELP}`,
  async run(argv, io) {
    const start = await startCommand(this, argv, io, {
      options: {
        csv: { type: "string" },
        name: { type: "string" },
        as: { type: "string" },
        "source-name": { type: "string" },
        schema: { type: "string" },
        model: { type: "string" },
        dialect: { type: "string" },
        out: { type: "string" },
        yes: { type: "boolean", short: "y", default: false },
      },
      check: (values) => {
        const csv = values.csv as string | undefined;
        if (!csv) throw new UserError("generate needs --csv FILE");
        if (values.name === undefined) throw new UserError("generate needs --name NAME");
        const name = checkName("--name", values.name as string);
        const mode = (values.as as string | undefined) ?? "seed";
        if (mode !== "seed" && mode !== "source") throw new UserError(`--as '${mode}': expected seed or source`);
        const dialect = (values.dialect as string | undefined) ?? "duckdb";
        if (!DIALECTS.includes(dialect as Dialect)) throw new UserError(`--dialect '${dialect}': expected ${DIALECTS.join(", ")}`);
        return { csv, name, mode: mode as GenerateMode, dialect: dialect as Dialect };
      },
    });
    if (!start) return 0;
    const { values, root, config, log } = start;
    const { csv, name, mode, dialect } = start.checked;
    const optionalName = (option: string) => (values[option] === undefined ? undefined : checkName(`--${option}`, values[option] as string));
    const yes = values.yes === true;

    // Files are written all or none: an interrupt before they are in place leaves nothing behind.
    const guard = guardInterrupts(log, "Interrupted: stopping; the files are written all or none (the last line says which).");
    try {
      const outcome = await generateFromCsv({
        ...localGeneratePorts,
        root,
        config,
        csvPath: resolve(io.cwd, csv),
        csvDisplay: csv,
        name,
        mode,
        dialect,
        sourceName: optionalName("source-name"),
        schema: optionalName("schema"),
        model: optionalName("model"),
        outDir: values.out === undefined ? undefined : isAbsolute(values.out as string) ? (values.out as string) : resolve(io.cwd, values.out as string),
        today: new Date().toISOString().slice(0, 10),
        signal: guard.signal,
        confirm: (preview) =>
          confirmOnTerminal(io, {
            yes,
            question: "Write these files?",
            what: "generate writes files into the project",
            show: () => log.write(renderGenerateReport(preview, { preview: true })),
          }),
      });
      const signal = guard.received();
      if (signal !== null && outcome.result === "cancelled") {
        // Ctrl-C at the question (readline hands it to the guard): the interrupt, said as one.
        if (start.common.json) io.stdout.write(`${JSON.stringify(stoppedJson("generate", signal, "nothing was written"), null, 2)}\n`);
        log.write(`${signal}: nothing was written.\n`);
        return interruptExitCode(signal);
      }
      start.print(outcome, () => renderGenerateReport(outcome));
      if (signal === null) return 0;
      // The exit says an interrupt came, as restore's does. It may have come while the files were put
      // in place (past the last check): the line says only what is sure, that all are written.
      log.write(outcome.result === "generated" ? `${signal} came too late to stop generate: every file is written; nothing was undone.\n` : `${signal}: nothing was written.\n`);
      return interruptExitCode(signal);
    } catch (error) {
      const signal = guard.received();
      if (signal !== null) {
        // --json: one JSON document on stdout whatever happened, the same object plan and verify give.
        if (start.common.json) io.stdout.write(`${JSON.stringify(stoppedJson("generate", signal, "nothing was written"), null, 2)}\n`);
        log.write(`${signal}: nothing was written.\n`);
        return interruptExitCode(signal);
      }
      throw error;
    } finally {
      guard.dispose();
    }
  },
};
