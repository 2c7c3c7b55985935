import type { DbtContext } from "../adapters/dbt/dbtContext.js";
import type { UnskipConfig } from "../core/config/unskipConfig.js";
import type { CliCommand, CliIo, Output } from "./cliCommand.js";
import { confirmOnTerminal } from "./confirmOnTerminal.js";
import { DBT_OPTIONS, dbtCommandContext } from "./dbtCommandContext.js";
import { guardInterrupts, interruptExitCode, stoppedJson } from "./interruptGuard.js";
import { type CommandStart, startCommand } from "./startCommand.js";

/** What every warehouse use case takes. */
export interface WarehouseContext {
  root: string;
  config: UnskipConfig;
  dbt: Omit<DbtContext, "projectDir">;
  secrets: string[];
  progress: (line: string) => void;
}

/** The options of `run` and `rollback`: the dimension whose latest restore they act on, `--yes`, dbt's. */
export const RESTORED_DIMENSION_OPTIONS = { dimension: { type: "string" }, yes: { type: "boolean", short: "y", default: false }, ...DBT_OPTIONS } as const;

/**
 * The middle and end of a command that changes the warehouse through dbt (run, rollback, backfill):
 * dbt's settings decided and the use case run with Ctrl-C stopping dbt, the outcome printed (JSON, or
 * its report after a blank line), and the exit code its result maps to (130 after SIGINT, 143 after
 * SIGTERM, with a last line when the work had finished before the interrupt could stop it).
 */
export async function runWarehouseCommand<Outcome extends { result: string; error: string | null }>(
  start: Pick<CommandStart<unknown, "optional">, "values" | "common" | "root" | "config" | "log" | "print">,
  spec: {
    /** The command's name, for the JSON said after an interrupt. */
    noun: string;
    /** Where the JSON result goes (stdout). */
    json: Output;
    defaultTimeoutSeconds: number;
    /** Said at Ctrl-C: `dbtRunning` tells whether a dbt is running (and is being stopped) or not. */
    interruptMessage: (dbtRunning: boolean) => string;
    exit: Record<Outcome["result"], number>;
    render(outcome: Outcome): string;
    /** The use case, given what every warehouse use case takes. */
    work(context: WarehouseContext): Promise<Outcome>;
  },
): Promise<number> {
  let dbtRunning = 0;
  // Whether a dbt had begun when the first signal came (finding dbt is not running it).
  let dbtBegun = false;
  let dbtBegunAtSignal = false;
  const guard = guardInterrupts(start.log, () => {
    dbtBegunAtSignal = dbtBegun;
    return spec.interruptMessage(dbtRunning > 0);
  });
  // Every dbt the use case runs goes through `invokeDbt`, which runs it inside `around`.
  const around = async <T>(run: () => Promise<T>): Promise<T> => {
    dbtRunning++;
    dbtBegun = true;
    try {
      return await run();
    } finally {
      dbtRunning--;
    }
  };
  try {
    let outcome: Outcome;
    try {
      const { dbt, secrets } = await dbtCommandContext({ common: start.common, values: start.values, root: start.root, defaultTimeoutSeconds: spec.defaultTimeoutSeconds, signal: guard.signal });
      outcome = await spec.work({ root: start.root, config: start.config, dbt: { ...dbt, around }, secrets, progress: (line) => start.log.write(`${line}\n`) });
    } catch (error) {
      // Stopped before there was an outcome (dbt's parse for the plan): the interrupt, not an error.
      const signal = guard.received();
      if (signal === null) throw error;
      // --json: one JSON document on stdout whatever happened (the object plan and verify give).
      const why = (error as Error).message.split("\n")[0];
      const stopped = dbtBegunAtSignal ? `dbt was stopped before there was a result (${why})` : `it was stopped before dbt ran (${why})`;
      if (start.common.json) spec.json.write(`${JSON.stringify(stoppedJson(spec.noun, signal, stopped), null, 2)}\n`);
      start.log.write(`${signal}: stopped before it finished (${why}).\n`);
      return interruptExitCode(signal);
    }
    const signal = guard.received();
    // Ctrl-C at the question (readline hands it to the guard) is an interrupt, said as one.
    const shown: Outcome = signal !== null && outcome.result === "cancelled" ? { ...outcome, result: "interrupted", error: `stopped by ${signal} at the question, before anything ran` } : outcome;
    start.print(shown, () => `\n${spec.render(shown)}`);
    if (signal === null) return spec.exit[outcome.result as Outcome["result"]];
    if (shown.result !== "interrupted") start.log.write(`${signal} arrived after the work had finished (${outcome.result}); nothing was undone.\n`);
    return interruptExitCode(signal);
  } finally {
    guard.dispose();
  }
}

/**
 * `run` and `rollback`, which act on a dimension's latest restore: the start (`--dimension`
 * required), then `runWarehouseCommand` with Ctrl-C stopping dbt. `work` also gets the dimension and
 * `ask`, its `confirm` port: the lines shown, then the question (or `--yes`).
 */
export async function runRestoredDimensionCommand<Outcome extends { result: string; error: string | null }>(
  command: Pick<CliCommand, "name" | "help">,
  argv: string[],
  io: CliIo,
  spec: {
    defaultTimeoutSeconds: number;
    exit: Record<Outcome["result"], number>;
    render(outcome: Outcome): string;
    work(context: WarehouseContext & { dimension: string }, ask: (lines: readonly string[], question: { question: string; what: string }) => Promise<boolean>): Promise<Outcome>;
  },
): Promise<number> {
  const start = await startCommand(command, argv, io, { options: RESTORED_DIMENSION_OPTIONS, dimension: "required" });
  if (!start) return 0;
  const ask = (lines: readonly string[], question: { question: string; what: string }) => {
    for (const line of lines) start.log.write(`${line}\n`);
    return confirmOnTerminal(io, { yes: start.values.yes === true, ...question });
  };
  return runWarehouseCommand(start, {
    noun: command.name,
    json: io.stdout,
    defaultTimeoutSeconds: spec.defaultTimeoutSeconds,
    interruptMessage: (dbtRunning) => `Interrupted: stopping${dbtRunning ? " dbt" : ""}.`,
    exit: spec.exit,
    render: spec.render,
    work: (context) => spec.work({ ...context, dimension: start.dimension }, ask),
  });
}
