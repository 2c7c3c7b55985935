import { createInterface } from "node:readline/promises";
import { UserError } from "../core/userError.js";
import type { CliIo } from "./cliCommand.js";

/**
 * The CLI's answer to a use case's `confirm` port: `--yes`, or a y/N question on a terminal. Without
 * a terminal and without --yes it refuses: a script must say yes explicitly to change a warehouse.
 */
export async function confirmOnTerminal(io: CliIo, input: { yes: boolean; question: string; what: string }): Promise<boolean> {
  if (input.yes) return true;
  if (!io.stdin.isTTY) throw new UserError(`${input.what}: confirm with --yes when not running in a terminal`);
  const rl = createInterface({ input: io.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(`${input.question} [y/N]: `)).trim());
  } finally {
    rl.close();
  }
}
