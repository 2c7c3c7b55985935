import { checkCommandTargets } from "../core/chatOps/checkCommandTargets.js";
import type { UnskipCommand } from "../core/chatOps/parseCommand.js";
import { renderFailure, renderRefused, renderRejected, renderStatusReply } from "../core/chatOps/renderReplies.js";
import type { ReadinessReport } from "../core/readiness/readinessReport.js";
import { filterReport } from "../core/readiness/filterReport.js";
import { UserError } from "../core/userError.js";

/** A command that needs dbt: the Action runs it. */
export type DbtCommand = Exclude<UnskipCommand, { name: "help" | "status" }>;

/** What chat-ops needs from GitHub (the bot's adapters). */
export interface ChatOpsPorts {
  /** Whether the person may have the tool write (asked of GitHub, failing closed), and why not. */
  writePermission(): Promise<{ allowed: true } | { allowed: false; reason: string }>;
  /** The project's readiness at the default branch, read once for all the commands, and that commit. */
  readiness(): Promise<{ reports: ReadinessReport[]; commit: string | null }>;
  /** Hands a command that needs dbt to the Action, checked at `commit`; the reply to post. */
  dispatch(command: DbtCommand, commit: string | null): Promise<{ ok: boolean; reply: string }>;
  /** Posts the one answer where it was asked. */
  reply(body: string): Promise<void>;
  /**
   * The words of a failure of these ports that is worth saying where it was asked (GitHub answering
   * for good with an error, after any retries), or null for anything else: a bug is thrown, not replied.
   */
  failureMessage(error: unknown): string | null;
}

/**
 * The one chat-ops flow (a `/unskip` comment, restore boxes ticked on the dashboard), in this order
 * and stopping at the first "no": write permission, then (unless the answer needs no project: help,
 * a command that did not parse) the project read once at the default branch, then for each command
 * its names checked against it and the answer (a status reply, or the work dispatched to the
 * Action). Then one reply: the answers in the order of the commands, or the refusal.
 */
export async function answerCommands(input: {
  login: string;
  defaultBranch: string;
  /** The commands asked for, or the answer that needs no project (help, a command that did not parse). */
  asked: readonly Exclude<UnskipCommand, { name: "help" }>[] | { answer: string };
  /** How a failure names what was asked (`/unskip restore`, "the restore request"). */
  failureSubject: string;
  ports: ChatOpsPorts;
  /** After a dispatch GitHub accepted (the rocket reaction). */
  onDispatched?: (() => Promise<unknown>) | undefined;
  /** When the person may write, before the reply is posted (the dashboard's boxes cleared). */
  onAllowed?: (() => Promise<unknown>) | undefined;
  log: { info(message: string): void };
}): Promise<void> {
  const { login, ports } = input;
  const permission = await ports.writePermission();
  if (!permission.allowed) {
    input.log.info(`${login} may not write (${permission.reason}); refused`);
    await ports.reply(renderRefused(login, permission.reason));
    return;
  }
  const replies = "answer" in input.asked ? [input.asked.answer] : await answerEach(input, input.asked);
  await input.onAllowed?.();
  await ports.reply(replies.join("\n"));
}

async function answerEach(input: Parameters<typeof answerCommands>[0], asked: readonly Exclude<UnskipCommand, { name: "help" }>[]): Promise<string[]> {
  const { login, ports, defaultBranch } = input;
  const replies: string[] = [];
  try {
    const { reports, commit } = await ports.readiness();
    for (const command of asked) {
      const check = checkCommandTargets(command, reports);
      if (!check.ok) {
        replies.push(renderRejected(login, check.message));
        continue;
      }
      if (command.name === "status") {
        const shown = command.dimension ? reports.map((r) => filterReport(r, command.dimension!)).filter((r) => r.dimensions.length > 0) : reports;
        replies.push(renderStatusReply(login, shown, { ref: defaultBranch, commit }));
        continue;
      }
      const dispatched = await ports.dispatch(command, commit);
      if (dispatched.ok) await input.onDispatched?.();
      replies.push(dispatched.reply);
    }
  } catch (error) {
    // Said where it was asked: a command that fails silently gets asked again and again.
    const said = error instanceof UserError ? error.message : ports.failureMessage(error);
    if (said === null) throw error;
    replies.push(renderFailure(login, input.failureSubject, said));
  }
  return replies;
}
