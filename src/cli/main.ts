import { UserError } from "../core/userError.js";
import { parseCliArgs, USAGE } from "./parseCliArgs.js";
import { runRestoreCommand } from "./runRestoreCommand.js";
import { runStatusCommand } from "./runStatusCommand.js";

declare const __UNSKIP_VERSION__: string | undefined;

/** The CLI entry: parse once, run one command, map failures to exit codes scripts can use. */
async function main(): Promise<number> {
  const args = parseCliArgs(process.argv.slice(2), process.cwd());
  if (args.command === "help") {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (args.command === "version") {
    process.stdout.write(`${typeof __UNSKIP_VERSION__ === "string" ? __UNSKIP_VERSION__ : "dev"}\n`);
    return 0;
  }
  if (args.command === "restore") return runRestoreCommand(args, { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin });
  return runStatusCommand(args, { stdout: process.stdout, stderr: process.stderr });
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof UserError) {
      process.stderr.write(`dbt-unskip: ${error.message}\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`dbt-unskip: internal error: ${error instanceof Error ? (process.env.DEBUG ? error.stack : error.message) : String(error)}\n`);
      process.exitCode = 1;
    }
  },
);
