import { headCommit } from "../adapters/git/gitWorkTree.js";
import { UserError } from "../core/userError.js";

/**
 * Why a dispatched command must not go on, or null: the bot checked the names at `expected` (the
 * default branch's commit when it was asked), and the checkout is now elsewhere (RELIABILITY 8).
 * `consequence` ends the message: "ask again" for a command that writes a pull request, "nothing
 * ran" for `run`.
 */
export function expectedCommitRefusal(input: { head: string; expected: string | undefined; consequence: "ask again" | "nothing ran" }): string | null {
  if (!input.expected || input.expected === input.head) return null;
  return `the checkout is at ${input.head.slice(0, 12)}, not ${input.expected.slice(0, 12)} as the command expected: the branch moved since it was asked; ${input.consequence}`;
}

/** The checkout's HEAD, after refusing (a `UserError`) when it is not the commit the command expected. */
export async function checkoutAtExpectedCommit(workspace: string, expected: string | undefined, consequence: "ask again" | "nothing ran"): Promise<string> {
  const head = await headCommit(workspace);
  const refusal = expectedCommitRefusal({ head, expected, consequence });
  if (refusal) throw new UserError(refusal);
  return head;
}
