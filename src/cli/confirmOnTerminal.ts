import { createInterface } from "node:readline/promises";
import { UserError } from "../core/userError.js";
import type { CliIo } from "./cliCommand.js";

/** The answers a question takes: shown after it, and which answer means yes. */
export interface Answers {
  /** Shown after the question, e.g. ` [y/N]`; followed by `: `. */
  prompt: string;
  accept(answer: string): boolean;
}

export const YES_NO: Answers = { prompt: " [y/N]", accept: (answer) => /^y(es)?$/i.test(answer) };

/**
 * The CLI's answer to a use case's `confirm` port: `--yes`, or a question on a terminal (y/N unless
 * `answers` says otherwise; `show` prints what is asked about, just before asking). Without a
 * terminal and without --yes it refuses: a script must say yes explicitly to change a repository or
 * a warehouse.
 */
export async function confirmOnTerminal(io: CliIo, input: { yes: boolean; question: string; what: string; answers?: Answers; show?: () => void }): Promise<boolean> {
  if (input.yes) return true;
  if (!io.stdin.isTTY) throw new UserError(`${input.what}: confirm with --yes when not running in a terminal`);
  input.show?.();
  const answers = input.answers ?? YES_NO;
  const rl = createInterface({ input: io.stdin, output: process.stderr });
  try {
    return answers.accept((await rl.question(`${input.question}${answers.prompt}: `)).trim());
  } catch (error) {
    // Ctrl-C at the prompt reaches readline as a key, not as a signal: it is said to the command's
    // interrupt guard as the SIGINT it is (not an internal error), and the answer is no.
    if ((error as { code?: string }).code !== "ABORT_ERR") throw error;
    process.emit("SIGINT", "SIGINT");
    return false;
  } finally {
    rl.close();
  }
}
