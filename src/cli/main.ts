import { UserError } from "../core/userError.js";
import { COMMANDS } from "./commands.js";

declare const __UNSKIP_VERSION__: string | undefined;

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    "dbt-unskip: notice which paused dbt models (.sql.skip) are ready to come back, and bring them back safely.",
    "",
    "Usage: dbt-unskip <command> [options]",
    "",
    "Commands:",
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    "Run `dbt-unskip <command> --help` for a command's options.",
    "Exit codes: 0 success, 2 a problem with the input (named in one line), 1 a failure; commands may add their own.",
  ].join("\n");
}

/** The CLI entry: one command per run; failures mapped to exit codes scripts can use. */
async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    process.stdout.write(`${usage()}\n`);
    return 0;
  }
  if (name === "--version") {
    process.stdout.write(`${typeof __UNSKIP_VERSION__ === "string" ? __UNSKIP_VERSION__ : "dev"}\n`);
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) throw new UserError(`unknown command '${name}'. Run \`dbt-unskip --help\` for the commands.`);
  return command.run(rest, { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, cwd: process.cwd() });
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UserError) {
      for (const line of error.lines ?? [error.message]) process.stderr.write(`dbt-unskip: ${line}\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`dbt-unskip: internal error: ${error instanceof Error ? (process.env.DEBUG ? error.stack : error.message) : String(error)}\n`);
      process.exitCode = 1;
    }
  },
);
