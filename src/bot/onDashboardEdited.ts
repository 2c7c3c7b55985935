import type { Context } from "probot";
import { DASHBOARD_MARKER, tickedRestoreBoxes } from "../core/render/renderDashboard.js";
import { answerOnIssue, commandRequest } from "./commandRequest.js";
import type { BotDependencies } from "./botDependencies.js";
import { untickRestoreBoxes } from "./untickRestoreBoxes.js";

/**
 * A person ticked restore boxes on the dashboard: the same as `/unskip restore <dimension>` for each
 * newly ticked box (the one chat-ops flow, `usecases/answerCommands`), then the boxes are cleared again (the
 * bot's own edit comes back as an event from a bot, and is ignored). Only boxes ticked by this edit
 * count, so editing some other line of the dashboard never asks for a restore twice.
 */
export async function onDashboardEdited(context: Context<"issues.edited">, deps: BotDependencies): Promise<void> {
  const { issue, changes, sender } = context.payload;
  const body = issue.body ?? "";
  if (sender.type === "Bot" || changes.body === undefined || !body.includes(DASHBOARD_MARKER)) return;
  const before = new Set(tickedRestoreBoxes(changes.body.from ?? ""));
  const ticked = tickedRestoreBoxes(body).filter((dimension) => !before.has(dimension));
  if (ticked.length === 0) return;
  // Only the tool's own dashboard: a person's issue that quotes the marker asks for nothing.
  if (issue.user?.login.toLowerCase() !== (await deps.identity()).toLowerCase()) return;

  const request = commandRequest(context, deps, sender.login);
  const { octokit, owner, repo } = request;
  await answerOnIssue(
    request,
    ticked.map((dimension) => ({ name: "restore" as const, dimension, models: [] })),
    {
      failureSubject: "the restore request",
      // Refused: the boxes stay ticked, so the person sees what was not done.
      onAllowed: () => octokit.rest.issues.update({ owner, repo, issue_number: issue.number, body: untickRestoreBoxes(body, ticked) }),
    },
  );
}
