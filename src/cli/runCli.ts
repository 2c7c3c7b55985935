import { UserError } from "../core/userError.js";
import type { CliCommand, CliIo, Output } from "./cliCommand.js";
import { EXIT_CODES } from "./exitCodes.js";
import { interruptExitCode, type SignalSource, stoppedJson } from "./interruptGuard.js";
import { helpJson } from "./startCommand.js";

export function usage(commands: readonly CliCommand[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  const withThree = Object.entries(EXIT_CODES)
    .filter(([, codes]) => codes.some((e) => e.code === 3))
    .map(([name]) => name);
  return [
    "dbt-unskip: notice which paused dbt models (.sql.skip) are ready to come back, and bring them back safely.",
    "",
    "Usage: dbt-unskip <command> [options]",
    "",
    "Commands:",
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    "Run `dbt-unskip <command> --help` for a command's options and what each exit code means.",
    `Exit codes: 0 success, 2 a problem with the input (named in one line), 1 a failure, 130 interrupted by Ctrl-C (SIGINT), 143 by SIGTERM; ${withThree.join(", ")} also use 3.`,
  ].join("\n");
}

/**
 * The `--json` answer when a command ends with an error instead of its result: a script reading
 * stdout still gets one JSON document. `exitCode` is the process's (2 for a problem with the input,
 * 1 for an internal failure).
 */
export function failedJson(command: string, exitCode: number, error: string): { result: "failed"; command: string; exitCode: number; error: string } {
  return { result: "failed", command, exitCode, error };
}

/** `--json` among a command's arguments (before a `--`, as parseArgs reads them). */
export function wantsJson(argv: readonly string[]): boolean {
  const end = argv.indexOf("--");
  return (end < 0 ? argv : argv.slice(0, end)).includes("--json");
}

/**
 * One `dbt-unskip` run: the usage, `--version`, or one command, with a thrown error mapped to its
 * exit code (a UserError to 2 as one line per message line, without a stack; anything else to 1).
 * With `--json`, a command that ends in an error before printing anything on stdout prints
 * `failedJson` there, so stdout always carries one JSON document.
 */
export async function runCli(
  argv: string[],
  io: CliIo,
  commands: readonly CliCommand[],
  version: string,
  debug = false,
  /** Where signals come from, and how the process ends at once (see `onUnguardedSignal`). */
  process?: { signals: CountedSignalSource; exit: (code: number) => void },
): Promise<number> {
  const [name, ...rest] = argv;
  // With --json these too are one JSON document on stdout, as every command's answer is.
  const json = wantsJson(argv);
  if (name === undefined || name === "--help" || name === "-h" || name === "help" || (json && name === "--json" && rest.every((a) => a === "--help" || a === "-h"))) {
    io.stdout.write(json ? `${JSON.stringify(helpJson(null, usage(commands)), null, 2)}\n` : `${usage(commands)}\n`);
    return 0;
  }
  if (name === "--version") {
    io.stdout.write(json ? `${JSON.stringify({ result: "version", version }, null, 2)}\n` : `${version}\n`);
    return 0;
  }
  let printed = false;
  const stdout: Output & { isTTY?: boolean } = {
    write: (text: string) => {
      printed = true;
      return io.stdout.write(text);
    },
  };
  // Colour decisions read the real stream's isTTY.
  Object.defineProperty(stdout, "isTTY", { get: () => (io.stdout as { isTTY?: boolean }).isTTY });
  // A signal while no command guard listens (reading the configuration, a static status, finding
  // dbt): nothing has been changed yet, so the process ends at once, as it would without a listener,
  // but says so, and with --json still prints its one JSON document.
  const onUnguardedSignal = (signal: NodeJS.Signals) => {
    if (!process || process.signals.listenerCount(signal) > 1) return;
    if (wantsJson(rest) && !printed) io.stdout.write(`${JSON.stringify(stoppedJson(name, signal, "nothing had been changed yet"), null, 2)}\n`);
    io.stderr.write(`\n${signal}: stopped; nothing had been changed yet.\n`);
    process.exit(interruptExitCode(signal));
  };
  process?.signals.on("SIGINT", onUnguardedSignal);
  process?.signals.on("SIGTERM", onUnguardedSignal);
  try {
    const command = commands.find((c) => c.name === name);
    if (!command) throw new UserError(`unknown command '${name}'. Run \`dbt-unskip --help\` for the commands.`);
    return await command.run(rest, { ...io, stdout });
  } catch (error) {
    const code = error instanceof UserError ? 2 : 1;
    const lines = error instanceof UserError ? (error.lines ?? [error.message]) : [`internal error: ${error instanceof Error ? (debug ? (error.stack ?? error.message) : error.message) : String(error)}`];
    for (const line of lines) io.stderr.write(`dbt-unskip: ${line}\n`);
    if (wantsJson(rest) && !printed) {
      const message = error instanceof UserError ? lines.join("\n") : error instanceof Error ? error.message : String(error);
      io.stdout.write(`${JSON.stringify(failedJson(name, code, message), null, 2)}\n`);
    }
    return code;
  } finally {
    process?.signals.off("SIGINT", onUnguardedSignal);
    process?.signals.off("SIGTERM", onUnguardedSignal);
  }
}

/** A signal source that says how many listeners it has (a command's guard adds its own). */
export interface CountedSignalSource extends SignalSource {
  listenerCount(event: NodeJS.Signals): number;
}
