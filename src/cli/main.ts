import { COMMANDS } from "./commands.js";
import { runCli } from "./runCli.js";

declare const __UNSKIP_VERSION__: string | undefined;

/** The CLI entry: one command per run; failures mapped to exit codes scripts can use (runCli). */
runCli(
  process.argv.slice(2),
  { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, cwd: process.cwd() },
  COMMANDS,
  typeof __UNSKIP_VERSION__ === "string" ? __UNSKIP_VERSION__ : "dev",
  Boolean(process.env.DEBUG),
  // What was written to a pipe is flushed first (pipes are asynchronous on macOS).
  { signals: process, exit: (code) => process.stdout.write("", () => process.stderr.write("", () => process.exit(code))) },
).then((code) => {
  process.exitCode = code;
});
