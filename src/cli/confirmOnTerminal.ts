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
  } finally {
    rl.close();
  }
}
